package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
)

// TestWasmNoCgoNoFiles: the command built with CGO_ENABLED=0 runs the
// WebAssembly backends from an empty directory, with no shared library
// anywhere (the kernels are embedded), and they return the Go kernel's tour.
func TestWasmNoCgoNoFiles(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: builds the command")
	}
	gobin, err := exec.LookPath("go") // go test puts its own go first on PATH
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("no go command in CI: %v", err)
		}
		t.Skip("no go command")
	}
	dir := t.TempDir()
	exe := filepath.Join(dir, "tsp")
	build := exec.Command(gobin, "build", "-o", exe, ".")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	empty := t.TempDir()
	tour := func(backend string) []int {
		cmd := exec.Command(exe, "solve", "-json", "-backend", backend, "demo11")
		cmd.Dir = empty
		cmd.Env = []string{"PATH=/nonexistent", "HOME=" + empty} // no TSP_LIB_PATH
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("tsp solve -backend %s: %v", backend, err)
		}
		var r struct {
			Backend string `json:"backend"`
			Tour    []int  `json:"tour"`
		}
		if err := json.Unmarshal(out, &r); err != nil || r.Backend != backend {
			t.Fatalf("tsp solve -backend %s: %v: %s", backend, err, out)
		}
		return r.Tour
	}
	want := tour("go")
	for _, b := range []string{"wasm-c", "wasm-cpp"} {
		if got := tour(b); !slices.Equal(got, want) {
			t.Errorf("%s: tour %v, go %v", b, got, want)
		}
	}
	// The cgo backends are not there, nor the shared libraries.
	cmd := exec.Command(exe, "solve", "-backend", "cgo-c", "demo11")
	cmd.Dir = empty
	if err := cmd.Run(); err == nil {
		t.Error("cgo-c ran in a binary built with CGO_ENABLED=0")
	}
}
