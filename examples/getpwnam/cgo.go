//go:build cgo

package main

/*
#include <pwd.h>
#include <stdlib.h>
*/
import "C"

import (
	"errors"
	"fmt"
	"unsafe"
)

var errNoCgo = errors.New("built without cgo (CGO_ENABLED=0)")

const haveCgo = true

// lookupCgo calls getpwnam through cgo: the compiler knows struct passwd.
func lookupCgo(name string) (User, error) {
	cname := C.CString(name)
	defer C.free(unsafe.Pointer(cname))
	libcMu.Lock()
	defer libcMu.Unlock()
	p := C.getpwnam(cname)
	if p == nil {
		return User{}, fmt.Errorf("getpwnam(%q): no such user", name)
	}
	return User{
		Name:  C.GoString(p.pw_name),
		UID:   uint32(p.pw_uid),
		GID:   uint32(p.pw_gid),
		Gecos: C.GoString(p.pw_gecos),
		Home:  C.GoString(p.pw_dir),
		Shell: C.GoString(p.pw_shell),
	}, nil
}

// cLayout is struct passwd's layout as the C compiler sees it, in the order
// of passwdLayout.
func cLayout() [5]uintptr {
	var p C.struct_passwd
	return [5]uintptr{unsafe.Sizeof(p), unsafe.Offsetof(p.pw_uid), unsafe.Offsetof(p.pw_gid),
		unsafe.Offsetof(p.pw_dir), unsafe.Offsetof(p.pw_shell)}
}
