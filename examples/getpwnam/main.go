// Command getpwnam looks a user up in the system's user database with libc's
// getpwnam, twice: once through cgo (API mode: the C compiler reads <pwd.h>
// and lays out struct passwd) and once through purego (ABI mode: libc.so.6
// opened at run time, struct passwd written by hand in Go). It prints what
// each way found and whether they agree.
//
//	go -C examples run ./getpwnam          # the current user
//	go -C examples run ./getpwnam root
//	CGO_ENABLED=0 go -C examples run ./getpwnam root   # purego only
package main

import (
	"fmt"
	"os"
	"os/user"
	"sync"
)

// User is what both lookups return: a copy of the fields of struct passwd,
// taken while libc's static buffer still held them.
type User struct {
	Name  string
	UID   uint32
	GID   uint32
	Gecos string
	Home  string
	Shell string
}

func (u User) String() string {
	return fmt.Sprintf("name %s, uid %d, gid %d, home %s, shell %s", u.Name, u.UID, u.GID, u.Home, u.Shell)
}

// libcMu serialises every getpwnam call of the process, cgo's and purego's:
// getpwnam returns a pointer into one static buffer of libc that the next
// call overwrites (getpwnam_r, with a caller's buffer, is the thread-safe
// form).
var libcMu sync.Mutex

func main() {
	name := "root"
	if len(os.Args) > 1 {
		name = os.Args[1]
	} else if u, err := user.Current(); err == nil {
		name = u.Username
	}
	fail := false
	viaPurego, err := lookupPurego(name)
	if err != nil {
		fmt.Println("purego:", err)
		fail = true
	} else {
		fmt.Println("purego:", viaPurego)
	}
	viaCgo, err := lookupCgo(name)
	switch {
	case err == errNoCgo:
		fmt.Println("cgo:   ", err)
	case err != nil:
		fmt.Println("cgo:   ", err)
		fail = true
	default:
		fmt.Println("cgo:   ", viaCgo)
		if viaCgo != viaPurego {
			fmt.Println("the two lookups disagree")
			fail = true
		} else {
			fmt.Println("both agree")
		}
	}
	if fail {
		os.Exit(1)
	}
}
