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
