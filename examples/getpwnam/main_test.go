package main

import (
	"runtime"
	"testing"
)

func TestRoot(t *testing.T) {
	if runtime.GOOS != "linux" || (runtime.GOARCH != "amd64" && runtime.GOARCH != "arm64") {
		t.Skipf("struct passwd is written by hand for linux/amd64 and linux/arm64 only, not %s/%s", runtime.GOOS, runtime.GOARCH)
	}
	viaPurego, err := lookupPurego("root")
	if err != nil {
		t.Fatal(err)
	}
	if viaPurego.Name != "root" || viaPurego.UID != 0 || viaPurego.Home == "" || viaPurego.Shell == "" {
		t.Errorf("purego: %+v", viaPurego)
	}
	if _, err := lookupPurego("no-such-user-tsp-example"); err == nil {
		t.Error("purego found a user that does not exist")
	}
	if !haveCgo {
		t.Log("built without cgo: only the purego lookup ran")
		return
	}
	viaCgo, err := lookupCgo("root")
	if err != nil {
		t.Fatal(err)
	}
	if viaCgo != viaPurego {
		t.Errorf("cgo %+v, purego %+v", viaCgo, viaPurego)
	}
}

// The hand-written layout is the compiler's.
func TestLayout(t *testing.T) {
	if !haveCgo {
		t.Skip("needs cgo to ask the compiler")
	}
	if got, want := passwdLayout(), cLayout(); got != want {
		t.Errorf("hand-written struct passwd (size, offsets of uid, gid, dir, shell) %v, compiler %v", got, want)
	}
}
