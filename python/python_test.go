package python

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/ffi4go/tsp/native"
)

// Install writes every embedded file and tsp.h once, into a directory
// named by their hash; a second Install finds it; Env points Python there.
func TestInstall(t *testing.T) {
	dir := t.TempDir()
	a, err := Install(dir)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	err = fs.WalkDir(files, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		n++
		want, _ := files.ReadFile(p)
		got, err := os.ReadFile(filepath.Join(a.Root, filepath.FromSlash(p)))
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s: %d bytes, %v; want %d bytes", p, len(got), err, len(want))
		}
		return nil
	})
	if err != nil || n < 10 {
		t.Fatalf("%d files: %v", n, err)
	}
	hdr, _ := fs.ReadFile(native.Sources(), "tsp.h")
	if got, err := os.ReadFile(filepath.Join(a.Root, "native", "tsp.h")); err != nil || !bytes.Equal(got, hdr) {
		t.Errorf("tsp.h: %v", err)
	}
	b, err := Install(dir)
	if err != nil || b != a {
		t.Errorf("second Install: %v, %v; first %v", b, err, a)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("%d entries in %s, want the one package directory", len(entries), dir)
	}
	env := a.Env()
	if len(env) != 3 || env[0] != "PYTHONPATH="+a.Root || env[1] != "TSP_NATIVE_DIR="+filepath.Join(a.Root, "native") {
		t.Errorf("Env() = %q", env)
	}
}
