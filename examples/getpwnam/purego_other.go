//go:build !(linux && (amd64 || arm64))

package main

import (
	"fmt"
	"runtime"
)

// lookupPurego needs struct passwd's layout written by hand for the platform;
// this example has it only for linux/amd64 and linux/arm64.
func lookupPurego(name string) (User, error) {
	return User{}, fmt.Errorf("purego: no hand-written struct passwd for %s/%s", runtime.GOOS, runtime.GOARCH)
}

func passwdLayout() [5]uintptr { return [5]uintptr{} }
