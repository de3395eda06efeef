package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/ffi4go/tsp/loader"
)

// need skips the test on a machine without what it needs (Linux, a C
// compiler), and fails it in CI (CI=true), where .ci/run installs them.
func need(t *testing.T, ok bool, why string) {
	t.Helper()
	if ok {
		return
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("CI=true: %s", why)
	}
	t.Skip(why)
}

func compiler(t *testing.T) string {
	t.Helper()
	need(t, runtime.GOOS == "linux", "abitest uses dlopen and /proc: Linux only here")
	for _, cc := range []string{os.Getenv("CC"), "cc", "gcc", "clang"} {
		if cc == "" {
			continue
		}
		if p, err := exec.LookPath(cc); err == nil {
			return p
		}
	}
	need(t, false, "no C compiler (cc, gcc, clang)")
	return ""
}

// buildABITest compiles testdata/abitest.c into dir.
func buildABITest(t *testing.T, cc, dir string) string {
	t.Helper()
	exe := filepath.Join(dir, "abitest")
	out, err := exec.Command(cc, "-std=c11", "-O2", "-Wall", "-Wextra", "-Werror", "-I..",
		"testdata/abitest.c", "-o", exe, "-ldl", "-lpthread", "-lm").CombinedOutput()
	if err != nil {
		t.Fatalf("compiling abitest.c: %v\n%s", err, out)
	}
	return exe
}

// TestABI builds libtsp_c.so, libtsp_cpp.so and libtsp_go.so with
// loader.Build and runs the plain-C program testdata/abitest.c on all three:
// the same 8,000 cases (every algorithm and flag on five kinds of matrix,
// 1 to 12 cities, pre-cancelled, bad input, NULL pointers, a cancel flag set
// from another thread) must give the same status codes, tours, length and
// bound bits and node counts. The C library is checked against the Go
// kernel by the differential tests (internal/difftest): this closes the
// circle for the Go kernel behind the C ABI.
func TestABI(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: building the three libraries takes 10-30 s; make test runs it in test-unit and test-nocgo")
	}
	cc := compiler(t)
	dir := t.TempDir()
	var libs []string
	for _, k := range []loader.Kernel{loader.KernelC, loader.KernelCPP, loader.KernelGo} {
		p, err := loader.Build(dir, k)
		if err != nil {
			t.Fatalf("building %s: %v", k.File(), err)
		}
		libs = append(libs, p)
	}
	exe := buildABITest(t, cc, dir)
	cmd := exec.Command(exe, libs...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	t.Logf("%s", stdout.Bytes())
	if err != nil {
		t.Fatalf("abitest: %v\n%s", err, stderr.Bytes())
	}
	m := regexp.MustCompile(`abitest: (\d+) cases, (\d+) solves on 3 libraries in [0-9.]+ s: all agree`).FindSubmatch(stdout.Bytes())
	if m == nil {
		t.Fatalf("abitest printed no summary of 3 agreeing libraries")
	}
	if n, _ := strconv.Atoi(string(m[2])); n < 20000 {
		t.Errorf("abitest ran %d solves, want at least 20,000", n)
	}
	for i, id := range []string{"kernel 1", "kernel 2", "kernel 3"} {
		if !strings.Contains(stdout.String(), "library "+libs[i]+": "+id+",") {
			t.Errorf("abitest did not report %s for %s", id, libs[i])
		}
	}
}

// TestABIFindsADifference: abitest fails when one library differs from the
// others by a single node count (a C kernel changed to report one node
// more), so TestABI's "all agree" means something.
func TestABIFindsADifference(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: TestABI covers the libraries")
	}
	cc := compiler(t)
	dir := t.TempDir()
	src, err := os.ReadFile("../c/tsp.c")
	if err != nil {
		t.Fatal(err)
	}
	const line = "*nodes = k.nodes;"
	if bytes.Count(src, []byte(line)) != 1 {
		t.Fatalf("tsp.c has %d lines %q, want 1", bytes.Count(src, []byte(line)), line)
	}
	bad := filepath.Join(dir, "tsp_bad.c")
	if err := os.WriteFile(bad, bytes.Replace(src, []byte(line), []byte("*nodes = k.nodes + (n == 7);"), 1), 0o644); err != nil {
		t.Fatal(err)
	}
	good, err := loader.Build(dir, loader.KernelC)
	if err != nil {
		t.Fatal(err)
	}
	badLib := filepath.Join(dir, "libtsp_bad.so")
	if out, err := exec.Command(cc, "-std=c11", "-O2", "-fPIC", "-shared", "-ffp-contract=off", "-I..", bad, "-o", badLib, "-lm").CombinedOutput(); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	exe := buildABITest(t, cc, dir)
	out, err := exec.Command(exe, good, badLib).Output()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 1 {
		t.Fatalf("abitest on a library that counts one node more: %v, want exit status 1\n%s", err, out)
	}
	if !bytes.Contains(out, []byte("DIFFER")) || !bytes.Contains(out, []byte("n=7")) {
		t.Errorf("abitest did not name the differing case:\n%s", out)
	}
}
