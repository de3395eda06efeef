//go:build darwin || freebsd || linux || netbsd

package loader

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/ffi4go/tsp"
	"github.com/ffi4go/tsp/internal/difftest"
	"github.com/ffi4go/tsp/kernel"
)

// The libraries are built once per test binary into libDir, when a test
// first needs them.
var (
	libDir  string
	libOnce [2]sync.Once
	libPath [2]string
	libErr  [2]error
)

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "tsp-loader-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	libDir = dir
	code := m.Run()
	os.RemoveAll(dir) // the libraries stay mapped; removing their files is fine
	os.Exit(code)
}

// needCompiler skips t when there is no C compiler, unless CI=true, where a
// missing compiler is a failure.
func needCompiler(t testing.TB, err error) {
	t.Helper()
	if errors.Is(err, ErrNoCompiler) {
		if os.Getenv("CI") == "true" {
			t.Fatalf("CI=true and no compiler to build the shared libraries: %v", err)
		}
		t.Skipf("skipping: no compiler to build the shared libraries (install gcc/g++ or set CC/CXX): %v", err)
	}
}

// lib builds (once) and opens the library of kernel k.
func lib(t testing.TB, k Kernel) *Library {
	t.Helper()
	libOnce[k].Do(func() {
		libPath[k], libErr[k] = Build(filepath.Join(libDir, "lib"), k)
	})
	needCompiler(t, libErr[k])
	if libErr[k] != nil {
		t.Fatalf("Build %v: %v", k, libErr[k])
	}
	l, err := Open(libPath[k])
	if err != nil {
		t.Fatalf("Open %s: %v", libPath[k], err)
	}
	if l.Name() != k.Name() {
		t.Fatalf("%s is %s, want %s", libPath[k], l.Name(), k.Name())
	}
	return l
}

// fake builds testdata/name.c with macros into libDir/out.
func fake(t *testing.T, src, out string, defines ...string) string {
	t.Helper()
	p := filepath.Join(libDir, "fake", out)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(p); err == nil {
		return p
	}
	file, err := filepath.Abs(filepath.Join("testdata", src))
	if err != nil {
		t.Fatal(err)
	}
	// The ABI version this program needs, unless a define says otherwise.
	defines = append([]string{fmt.Sprintf("-DFAKE_ABI_DEFAULT=%d", kernel.ABIVersion)}, defines...)
	err = compileFile(file, p, defines...)
	needCompiler(t, err)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func forEachLib(t *testing.T, f func(t *testing.T, l *Library)) {
	for _, k := range Kernels {
		t.Run(k.Name(), func(t *testing.T) { f(t, lib(t, k)) })
	}
}

func TestBuildAndOpen(t *testing.T) {
	forEachLib(t, func(t *testing.T, l *Library) {
		if !filepath.IsAbs(l.Path()) {
			t.Errorf("Path() = %q, want absolute", l.Path())
		}
		if v := l.ABIVersion(); v != kernel.ABIVersion {
			t.Errorf("ABIVersion() = %d", v)
		}
		// The same path, however spelled, gives the same *Library.
		wd, _ := os.Getwd()
		rel, err := filepath.Rel(wd, l.Path())
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range []string{l.Path(), rel, filepath.Join(filepath.Dir(l.Path()), ".", "x", "..", filepath.Base(l.Path()))} {
			l2, err := Open(p)
			if err != nil || l2 != l {
				t.Errorf("Open(%q) = %p, %v; want the same library %p", p, l2, err, l)
			}
		}
	})
}

// Building again over a library that is loaded replaces the file by a rename:
// the loaded copy keeps working.
func TestRebuildWhileLoaded(t *testing.T) {
	l := lib(t, KernelC)
	p, err := Build(filepath.Dir(l.Path()), KernelC)
	if err != nil {
		t.Fatal(err)
	}
	if p != l.Path() {
		t.Fatalf("Build wrote %s, want %s", p, l.Path())
	}
	if got := l.Noop(7); got != 7 {
		t.Fatalf("Noop(7) after a rebuild = %d", got)
	}
	if _, err := l.Solve(context.Background(), difftest.Haversine(9, 1), tsp.Options{Algorithm: tsp.Exact}); err != nil {
		t.Fatal(err)
	}
	matches, _ := filepath.Glob(filepath.Join(filepath.Dir(p), ".*.tmp"))
	if len(matches) > 0 {
		t.Errorf("temporary files left behind: %v", matches)
	}
}

func TestOpenErrors(t *testing.T) {
	dir := t.TempDir()
	text := filepath.Join(dir, "libtext.so")
	if err := os.WriteFile(text, []byte(strings.Repeat("this is a text file, not a shared library\n", 10)), 0o644); err != nil {
		t.Fatal(err)
	}
	empty := filepath.Join(dir, "libempty.so")
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, path string
		want       error
		mention    string
	}{
		{"missing file", filepath.Join(dir, "libnothere.so"), ErrNotFound, "libnothere.so"},
		{"text file", text, ErrNotLibrary, "libtext.so"},
		{"empty file", empty, ErrNotLibrary, "libempty.so"},
		{"directory", dir, ErrNotLibrary, "directory"},
		{"no tsp symbols", fake(t, "nosyms.c", "libnosyms.so"), ErrMissingSymbol, "tsp_abi_version"},
		{"no tsp_solve", fake(t, "fake.c", "libnosolve.so", "-DFAKE_NO_SOLVE"), ErrMissingSymbol, "tsp_solve"},
		{"ABI version 99", fake(t, "fake.c", "libabi99.so", "-DFAKE_ABI=99"), ErrABIVersion, "99"},
		{"kernel id 9", fake(t, "fake.c", "libkernel9.so", "-DFAKE_KERNEL=9"), ErrKernelID, "9"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var l *Library
			var err error
			func() {
				defer func() {
					if r := recover(); r != nil {
						t.Fatalf("Open panicked: %v", r)
					}
				}()
				l, err = Open(c.path)
			}()
			if l != nil || err == nil {
				t.Fatalf("Open = %v, %v; want an error", l, err)
			}
			sentinels := []error{ErrNotFound, ErrNotLibrary, ErrMissingSymbol, ErrABIVersion, ErrKernelID}
			for _, s := range sentinels {
				if got, want := errors.Is(err, s), s == c.want; got != want {
					t.Errorf("errors.Is(err, %v) = %v, want %v; err = %v", s, got, want, err)
				}
			}
			if !errors.Is(err, tsp.ErrUnavailable) {
				t.Errorf("err does not wrap tsp.ErrUnavailable: %v", err)
			}
			if c.want == ErrNotFound && !errors.Is(err, os.ErrNotExist) {
				t.Errorf("err does not wrap os.ErrNotExist: %v", err)
			}
			if !strings.Contains(err.Error(), c.mention) {
				t.Errorf("err does not mention %q: %v", c.mention, err)
			}
			t.Log(err)
		})
	}
}

// A failed Open is not cached and unloads the library, so the fixed file at
// the same path opens.
func TestOpenAfterFix(t *testing.T) {
	good := lib(t, KernelC)
	bad := fake(t, "fake.c", "libabi99.so", "-DFAKE_ABI=99")
	p := filepath.Join(t.TempDir(), FileC)
	copyFile(t, bad, p)
	if _, err := Open(p); !errors.Is(err, ErrABIVersion) {
		t.Fatalf("Open(abi 99) = %v", err)
	}
	os.Remove(p)
	copyFile(t, good.Path(), p)
	l, err := Open(p)
	if err != nil {
		t.Fatalf("Open after fixing the file: %v", err)
	}
	if l == good || l.Name() != NameC {
		t.Fatalf("Open = %v", l)
	}
	if _, err := l.Solve(context.Background(), difftest.Haversine(8, 3), tsp.Options{Algorithm: tsp.TwoOpt}); err != nil {
		t.Fatal(err)
	}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o755); err != nil {
		t.Fatal(err)
	}
}

// A library with the right symbols whose tsp_solve fails: Solve reports it
// as tsp.ErrKernel, and nothing panics.
func TestKernelFailure(t *testing.T) {
	l, err := Open(fake(t, "fake.c", "libfake.so"))
	if err != nil {
		t.Fatal(err)
	}
	if l.Name() != NameC {
		t.Errorf("Name() = %q", l.Name())
	}
	_, err = l.Solve(context.Background(), difftest.Haversine(5, 1), tsp.Options{})
	if !errors.Is(err, tsp.ErrKernel) {
		t.Errorf("Solve = %v, want tsp.ErrKernel", err)
	}
	if got := l.Noop(-5); got != -5 {
		t.Errorf("Noop(-5) = %d", got)
	}
	in := [5]float64{1.5, 2, 3, 4, 5}
	if got := l.Haversine(&in); got != 1.5 { // the fake returns in[0]
		t.Errorf("Haversine = %v, want 1.5", got)
	}
}

func TestBuildNoCompiler(t *testing.T) {
	t.Setenv("CC", "")
	_, err := BuildWith(t.TempDir(), KernelC, BuildOptions{Compiler: "/nonexistent/cc"})
	if !errors.Is(err, ErrNoCompiler) {
		t.Fatalf("Build with a missing compiler = %v, want ErrNoCompiler", err)
	}
	t.Setenv("PATH", t.TempDir())
	_, err = Build(t.TempDir(), KernelC)
	if !errors.Is(err, ErrNoCompiler) || !strings.Contains(err.Error(), "CC") {
		t.Fatalf("Build with no compiler on PATH = %v, want ErrNoCompiler naming CC", err)
	}
	t.Log(err)
}

// The differential test: every case of internal/difftest gives the same
// order, length bits, lower bound bits, nodes, status and error as the Go
// kernel, in both libraries (the Go kernel solves each case once for both).
func TestDifferential(t *testing.T) {
	var libs []tsp.Solver
	for _, k := range Kernels {
		libs = append(libs, lib(t, k))
	}
	difftest.Compare(t, difftest.Cases(), libs...)
}

// TestProofs: Exact proves Exhaustive's optimum at every scale in both
// libraries (difftest.Proofs).
func TestProofs(t *testing.T) {
	var libs []tsp.Solver
	for _, k := range Kernels {
		libs = append(libs, lib(t, k))
	}
	difftest.Proofs(t, libs...)
}

// TestRoutes: asymmetric matrices and routes with an end, every algorithm,
// against brute force in both libraries (difftest.Routes).
func TestRoutes(t *testing.T) {
	var libs []tsp.Solver
	for _, k := range Kernels {
		libs = append(libs, lib(t, k))
	}
	difftest.Routes(t, libs...)
}

// TestValidation: tsp_solve of both libraries refuses every matrix of
// difftest.BadMatrices.
func TestValidation(t *testing.T) {
	forEachLib(t, func(t *testing.T, l *Library) {
		difftest.Validation(t, l.solve)
	})
}

// TestCancel: deadlines and cancels stop every search of both libraries
// (difftest.Cancel).
func TestCancel(t *testing.T) {
	forEachLib(t, func(t *testing.T, l *Library) {
		difftest.Cancel(t, l)
	})
}

// Eight goroutines solve through one library at once, each getting the Go
// kernel's answer, while others make the small calls.
func TestConcurrent(t *testing.T) {
	forEachLib(t, func(t *testing.T, l *Library) {
		difftest.ConcurrentWithCalls(t, l, l, 2000)
	})
}

// Noop, Haversine and Matrix agree with Go and refuse bad input
// (difftest.CheckCalls).
func TestCalls(t *testing.T) {
	forEachLib(t, func(t *testing.T, l *Library) {
		difftest.CheckCalls(t, l)
	})
}

// Solve's input checks happen in Go before the call.
func TestSolveErrors(t *testing.T) {
	forEachLib(t, func(t *testing.T, l *Library) {
		difftest.SolveErrors(t, l)
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		tour, err := l.Solve(ctx, difftest.HardExact(), tsp.Options{Algorithm: tsp.Exact})
		if !errors.Is(err, context.Canceled) || tour.Status != tsp.Stopped {
			t.Errorf("a solve with a cancelled context: %v, %v", tour.Status, err)
		}
	})
}

// TestDuplicateStops: duplicate cities merge before the kernel runs in both
// libraries (issue 13; difftest.DuplicateStops).
func TestDuplicateStops(t *testing.T) {
	var libs []tsp.Solver
	for _, k := range Kernels {
		libs = append(libs, lib(t, k))
	}
	difftest.DuplicateStops(t, libs...)
}
