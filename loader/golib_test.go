package loader

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/ffi4go/tsp"
)

// A Go shared library (libtsp_go.so, built by Build) is refused by Open
// before dlopen, with an error that says why and what to use instead; the
// process is unharmed and the C library still opens.
func TestOpenRefusesGoLibrary(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the Go shared library is built and checked on Linux here")
	}
	dir := t.TempDir()
	path, err := Build(dir, KernelGo)
	if err != nil {
		if os.Getenv("CI") != "true" && (errors.Is(err, ErrNoCompiler) || isNoCgo(err)) {
			t.Skipf("cannot build %s here: %v", FileGo, err)
		}
		t.Fatal(err)
	}
	if filepath.Base(path) != FileGo {
		t.Errorf("Build(KernelGo) = %s, want .../%s", path, FileGo)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("Build left %v in the directory, want only %s (no header, no temporary files)", names, FileGo)
	}
	l, err := Open(path)
	if err == nil {
		t.Fatalf("Open(%s) = %v, want an error", path, l)
	}
	t.Logf("Open: %v", err)
	for _, want := range []error{ErrGoLibrary, ErrNotLibrary, tsp.ErrUnavailable} {
		if !errors.Is(err, want) {
			t.Errorf("Open: %v does not wrap %v", err, want)
		}
	}
	if msg := err.Error(); !strings.Contains(msg, `"go" backend`) || !strings.Contains(msg, path) {
		t.Errorf("Open: %q should name the file and the \"go\" backend", msg)
	}
	// Refused again, not cached as opened.
	if _, err2 := Open(path); !errors.Is(err2, ErrGoLibrary) {
		t.Errorf("second Open: %v, want ErrGoLibrary", err2)
	}
	if KernelGo.File() != FileGo || KernelGo.String() != "go" {
		t.Errorf("KernelGo: File %q, String %q", KernelGo.File(), KernelGo.String())
	}
}

// isNoCgo reports a build of the Go library that failed for want of cgo's
// C compiler, which a user's machine may lack.
func isNoCgo(err error) bool {
	_, lookErr := exec.LookPath("gcc")
	_, ccErr := exec.LookPath("cc")
	return lookErr != nil && ccErr != nil && errors.Is(err, ErrCompile)
}
