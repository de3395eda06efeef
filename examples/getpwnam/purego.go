//go:build linux && (amd64 || arm64)

package main

import (
	"fmt"
	"sync"
	"unsafe"

	"github.com/ebitengine/purego"
)

// passwd is glibc's struct passwd on 64-bit Linux (amd64 and arm64), written
// by hand from <pwd.h>:
//
//	struct passwd {
//	    char  *pw_name;    // offset  0
//	    char  *pw_passwd;  //         8
//	    uid_t  pw_uid;     //        16 (unsigned int)
//	    gid_t  pw_gid;     //        20 (unsigned int)
//	    char  *pw_gecos;   //        24
//	    char  *pw_dir;     //        32
//	    char  *pw_shell;   //        40
//	};                     // size   48
//
// Nothing checks this against the C header when the program is built: a
// wrong field or a missing padding here reads the wrong bytes silently. The
// test compares it with the compiler's layout when cgo is on.
type passwd struct {
	name   *byte
	passwd *byte
	uid    uint32
	gid    uint32
	gecos  *byte
	dir    *byte
	shell  *byte
}

var (
	libcOnce sync.Once
	libcErr  error
	// getpwnam is libc's function, bound by purego: the Go string is copied
	// into a NUL-terminated C string for the call; the result points into
	// libc's static buffer (C memory, which Go's collector ignores).
	getpwnam func(name string) *passwd
)

func loadLibc() error {
	libcOnce.Do(func() {
		h, err := purego.Dlopen("libc.so.6", purego.RTLD_NOW|purego.RTLD_GLOBAL)
		if err != nil {
			libcErr = fmt.Errorf("purego: %w", err)
			return
		}
		if _, err := purego.Dlsym(h, "getpwnam"); err != nil { // RegisterLibFunc would panic
			libcErr = fmt.Errorf("purego: %w", err)
			return
		}
		purego.RegisterLibFunc(&getpwnam, h, "getpwnam")
	})
	return libcErr
}

// lookupPurego calls getpwnam through purego.
func lookupPurego(name string) (User, error) {
	if err := loadLibc(); err != nil {
		return User{}, err
	}
	libcMu.Lock()
	defer libcMu.Unlock()
	p := getpwnam(name)
	if p == nil {
		return User{}, fmt.Errorf("getpwnam(%q): no such user", name)
	}
	return User{
		Name:  goString(p.name),
		UID:   p.uid,
		GID:   p.gid,
		Gecos: goString(p.gecos),
		Home:  goString(p.dir),
		Shell: goString(p.shell),
	}, nil
}

// goString copies the NUL-terminated C string at p.
func goString(p *byte) string {
	if p == nil {
		return ""
	}
	n := 0
	for *(*byte)(unsafe.Add(unsafe.Pointer(p), n)) != 0 {
		n++
	}
	return string(unsafe.Slice(p, n))
}

// passwdLayout is the hand-written layout: size and the offsets of pw_uid,
// pw_gid, pw_dir and pw_shell.
func passwdLayout() [5]uintptr {
	var p passwd
	return [5]uintptr{unsafe.Sizeof(p), unsafe.Offsetof(p.uid), unsafe.Offsetof(p.gid),
		unsafe.Offsetof(p.dir), unsafe.Offsetof(p.shell)}
}
