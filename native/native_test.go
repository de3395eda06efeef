package native_test

import (
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"

	"github.com/ffi4go/tsp/native"
)

// compiler returns `go env CC` or `go env CXX` as a command line, skipping
// the test where there is none (failing it in CI).
func compiler(t *testing.T, name string) []string {
	t.Helper()
	out, err := exec.Command("go", "env", name).Output()
	f := strings.Fields(string(out))
	if err == nil && len(f) > 0 {
		if _, err = exec.LookPath(f[0]); err == nil {
			return f
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("CI=true and no %s compiler: %v", name, err)
	}
	t.Skipf("no %s compiler: %v", name, err)
	return nil
}

// fmaTarget returns the flag that lets the compiler emit fused
// multiply-adds, and a pattern that matches one in its assembly.
func fmaTarget(t *testing.T) (string, *regexp.Regexp) {
	switch runtime.GOARCH {
	case "amd64":
		return "-march=haswell", regexp.MustCompile(`(?m)^\s+vfn?m(add|sub)`)
	case "arm64":
		return "-march=armv8-a", regexp.MustCompile(`(?m)^\s+fn?m(add|sub)\s`)
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("CI=true on %s: no FMA check for this architecture", runtime.GOARCH)
	}
	t.Skipf("no FMA check for %s", runtime.GOARCH)
	return "", nil
}

// assemble compiles src (a path in Sources, or a file in dir) to assembly
// with flags and returns it.
func assemble(t *testing.T, cc []string, dir, src string, flags ...string) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "out.s")
	args := append(append(append([]string{}, cc[1:]...), flags...), "-I", dir, "-S", "-o", out, filepath.Join(dir, filepath.FromSlash(src)))
	cmd := exec.Command(cc[0], args...)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s %s: %v\n%s", cc[0], strings.Join(args, " "), err, b)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestNoContraction: the kernels are compiled by cgo with the flags of the
// #cgo lines (which cannot say -ffp-contract=off), so the sources themselves
// must keep the compiler from fusing a*b+c into one instruction: C by ISO
// mode (and a pragma for clang), C++ by a pragma. Compiled for a target that
// has FMA instructions, neither kernel may contain one. The control
// compiles a*b+c with the same flags and must find one, so that the check
// fails when the pragma is removed.
func TestNoContraction(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: compiling both kernels twice takes 10-20 s; make test runs it in test-unit and test-nocgo")
	}
	dir := t.TempDir()
	if err := os.CopyFS(dir, native.Sources()); err != nil {
		t.Fatal(err)
	}
	march, fused := fmaTarget(t)
	control := "double f(double a, double b, double c) { return a * b + c; }\n"
	for _, k := range []struct {
		name, cc, lang string
		flags          []string // cgo's, from cbackend/cgo.go and cppbackend/cgo.go
		units          []string
		controlFused   bool // whether the control fuses in this language mode
	}{
		{"c", "CC", "c", []string{"-std=c11", "-O2", "-DTSP_CGO_C"}, native.CFiles(), false},
		{"c++", "CXX", "c++", []string{"-std=c++17", "-O2", "-DTSP_CGO_CPP", "-I", filepath.Join(dir, "cpp")}, native.CPPFiles(), true},
	} {
		t.Run(k.name, func(t *testing.T) {
			cc := compiler(t, k.cc)
			flags := append(k.flags, march)
			ctl := "control." + map[string]string{"c": "c", "c++": "cpp"}[k.lang]
			if err := os.WriteFile(filepath.Join(dir, ctl), []byte(control), 0o644); err != nil {
				t.Fatal(err)
			}
			// The control: in C++ mode the compiler fuses unless told not to,
			// so the check below can see a fused instruction when there is one.
			if got := fused.MatchString(assemble(t, cc, dir, ctl, flags...)); got != k.controlFused {
				t.Fatalf("control a*b+c with %v: fused = %v, want %v (the FMA pattern is wrong for this compiler)", flags, got, k.controlFused)
			}
			for _, u := range k.units {
				if m := fused.FindString(assemble(t, cc, dir, u, flags...)); m != "" {
					t.Errorf("%s compiled with %v contains a fused multiply-add (%q): the kernel would not give the Go kernel's bits", u, flags, strings.TrimSpace(m))
				}
			}
		})
	}
}

// Sources holds every file the package documentation names, and the C and
// C++ translation units are among them.
func TestSources(t *testing.T) {
	var got []string
	err := fs.WalkDir(native.Sources(), ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			got = append(got, p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"c/tsp.c", "cpp/tsp.cpp", "cpp/tsp_cpp.h", "cpp/tsp_kernel.hpp", "cpp/tsp_selftest.h", "tsp.h", "worker/tsp_worker.c"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("Sources = %v, want %v", got, want)
	}
	for _, u := range append(append(native.CFiles(), native.CPPFiles()...), native.WorkerCFiles()...) {
		if _, err := fs.Stat(native.Sources(), u); err != nil {
			t.Errorf("translation unit %s: %v", u, err)
		}
	}
}
