//go:build unix

package backends

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/ffi4go/tsp"
)

func TestGoRun(t *testing.T) {
	for exe, want := range map[string]bool{
		"/tmp/go-build123456/b001/exe/tsp": true,
		"/usr/local/bin/tsp":               false,
		"/home/me/exe/tsp":                 false,
	} {
		if got := goRun(exe); got != want {
			t.Errorf("goRun(%s) = %v", exe, got)
		}
	}
}

// Get opens only the backend asked for: "go" never touches the library
// directory, whatever lies there.
func TestGetOpensOnlyWhatItIsAskedFor(t *testing.T) {
	dir := t.TempDir()
	// A truncated library would crash or fail dlopen; a FIFO would block it.
	if err := os.WriteFile(filepath.Join(dir, "libtsp_c.so"), []byte("\x7fELF"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(filepath.Join(dir, "libtsp_cpp.so"), 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	b, err := Get("go", Config{LibDir: dir})
	if err != nil || b.Solver != tsp.Go() {
		t.Fatalf("Get(go) = %+v, %v", b, err)
	}
	// The FIFO is not a regular file: not found, without blocking.
	if _, err := Get("purego-cpp", Config{LibDir: dir}); !errors.Is(err, ErrNoLibrary) || !errors.Is(err, tsp.ErrUnavailable) {
		t.Errorf("Get(purego-cpp) with a FIFO = %v", err)
	}
	if _, err := Get("nope", Config{LibDir: dir}); err == nil || !strings.Contains(err.Error(), "unknown backend") {
		t.Errorf("Get(nope) = %v", err)
	}
}

// The Go process backends take tsp-worker-go before a tsp command in each
// library directory, and the first directory that has either.
func TestFindGoWorker(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	touch := func(dir, file string) string {
		p := filepath.Join(dir, file)
		if err := os.WriteFile(p, []byte("#!/bin/sh\n"), 0o755); err != nil {
			t.Fatal(err)
		}
		return p
	}
	if _, err := findGoWorker([]string{a, b}); !errors.Is(err, ErrNoLibrary) || !strings.Contains(err.Error(), FileWorkerGo) {
		t.Errorf("no worker anywhere: %v, want ErrNoLibrary naming %s", err, FileWorkerGo)
	}
	tspB := touch(b, FileGoWorker)
	if p, err := findGoWorker([]string{a, b}); p != tspB || err != nil {
		t.Errorf("only %s: got %q, %v", tspB, p, err)
	}
	small := touch(b, FileWorkerGo)
	if p, _ := findGoWorker([]string{a, b}); p != small {
		t.Errorf("both in %s: got %q, want %s", b, p, small)
	}
	tspA := touch(a, FileGoWorker)
	if p, _ := findGoWorker([]string{a, b}); p != tspA {
		t.Errorf("tsp in the first directory: got %q, want %s", p, tspA)
	}
	if bk := openProc(NameExecGo, Config{LibDir: b}); bk.Err != nil || bk.Where != small {
		t.Errorf("exec-go with -lib %s runs %q (%v), want %s", b, bk.Where, bk.Err, small)
	}
}
