//go:build cgo

package cppbackend

// Tests of the C entry points called directly, with input the Go Solver
// never passes: they must give the right status code, not crash.

import (
	"context"
	"math"
	"runtime"
	"testing"
	"time"

	"github.com/ffi4go/tsp"
	"github.com/ffi4go/tsp/internal/difftest"
	"github.com/ffi4go/tsp/kernel"
)

// TestValidation: tsp_solve refuses every matrix of difftest.BadMatrices.
func TestValidation(t *testing.T) {
	difftest.Validation(t, solve)
}

// grid5 is a valid 5×5 matrix.
func grid5() []float64 {
	m, err := tsp.HaversineMatrix(tsp.RandomCities(5, 3))
	if err != nil {
		panic(err)
	}
	return append([]float64(nil), kernel.Data(m)...)
}

func TestSolveBadInput(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	type tweak func(a *rawSolveArgs)
	with := func(i, j int, v float64) tweak { // d[i][j] = d[j][i] = v
		return func(a *rawSolveArgs) {
			a.dist = append([]float64(nil), a.dist...)
			a.dist[i*int(a.n)+j] = v
			a.dist[j*int(a.n)+i] = v
		}
	}
	cases := []struct {
		name  string
		tweak tweak
		want  int32
		goToo bool // GoKernel sees the same input (no NULL pointers) and must agree
	}{
		{"valid", func(*rawSolveArgs) {}, kernel.CodeOK, true},
		{"valid, NULL cancel", func(a *rawSolveArgs) { a.cancel = nil }, kernel.CodeOK, true},
		{"n = 0", func(a *rawSolveArgs) { a.n = 0 }, kernel.CodeInvalid, true},
		{"n = -3", func(a *rawSolveArgs) { a.n = -3 }, kernel.CodeInvalid, true},
		{"start = -1", func(a *rawSolveArgs) { a.start = -1 }, kernel.CodeInvalid, true},
		{"start = n", func(a *rawSolveArgs) { a.start = a.n }, kernel.CodeInvalid, true},
		{"algorithm 9", func(a *rawSolveArgs) { a.algorithm = 9 }, kernel.CodeInvalid, true},
		{"algorithm -1", func(a *rawSolveArgs) { a.algorithm = -1 }, kernel.CodeInvalid, true},
		{"NaN", with(1, 2, math.NaN()), kernel.CodeInvalid, true},
		{"+Inf", with(0, 4, math.Inf(1)), kernel.CodeInvalid, true},
		{"-Inf", with(0, 4, math.Inf(-1)), kernel.CodeInvalid, true},
		{"negative", with(3, 2, -1), kernel.CodeInvalid, true},
		{"diagonal", with(2, 2, 1), kernel.CodeInvalid, true},
		{"NaN diagonal", with(4, 4, math.NaN()), kernel.CodeInvalid, true},
		{"asymmetric", func(a *rawSolveArgs) {
			a.dist = append([]float64(nil), a.dist...)
			a.dist[1*5+3] += 1
		}, kernel.CodeInvalid, true},
		{"NaN on one side", func(a *rawSolveArgs) {
			a.dist = append([]float64(nil), a.dist...)
			a.dist[4*5+0] = math.NaN()
		}, kernel.CodeInvalid, true},
		{"NULL dist", func(a *rawSolveArgs) { a.dist = nil }, kernel.CodeInvalid, false},
		{"NULL order", func(a *rawSolveArgs) { a.order = nil }, kernel.CodeInvalid, false},
		{"NULL length", func(a *rawSolveArgs) { a.length = nil }, kernel.CodeInvalid, false},
		{"NULL lower_bound", func(a *rawSolveArgs) { a.lb = nil }, kernel.CodeInvalid, false},
		{"NULL nodes", func(a *rawSolveArgs) { a.nodes = nil }, kernel.CodeInvalid, false},
		// Too large: the kernel must refuse before it reads dist or writes
		// order, which here are far shorter than n*n and n (AddressSanitizer
		// would see a read).
		{"exhaustive 14", func(a *rawSolveArgs) { a.n, a.algorithm = 14, kernel.AlgExhaustive }, kernel.CodeTooLarge, false},
		{"exact 251", func(a *rawSolveArgs) { a.n, a.algorithm = 251, kernel.AlgExact }, kernel.CodeTooLarge, false},
		{"nearest 10001", func(a *rawSolveArgs) { a.n, a.algorithm = 10001, kernel.AlgNearest }, kernel.CodeTooLarge, false},
		{"2opt 2^31-1", func(a *rawSolveArgs) { a.n, a.algorithm = math.MaxInt32, kernel.AlgTwoOpt }, kernel.CodeTooLarge, false},
		{"too large and algorithm 9", func(a *rawSolveArgs) { a.n, a.algorithm = 20000, 9 }, kernel.CodeInvalid, false},
		{"too large and start out of range", func(a *rawSolveArgs) { a.n, a.start = 20000, 20000 }, kernel.CodeInvalid, false},
	}
	for _, c := range cases {
		for _, mode := range []string{"tsp_solve", "tsp_solver_solve"} {
			var cancel int32
			var length, lb float64 = -1, -1
			nodes := uint64(12345)
			a := rawSolveArgs{dist: grid5(), n: 5, start: 2, algorithm: kernel.AlgTwoOpt, cancel: &cancel,
				order: make([]int32, 5), length: &length, lb: &lb, nodes: &nodes, handle: mode == "tsp_solver_solve"}
			c.tweak(&a)
			if got := rawSolve(a); got != c.want {
				t.Errorf("%s: %s returned %d, want %d", c.name, mode, got, c.want)
			}
			if c.want != kernel.CodeOK && (length != -1 || lb != -1 || nodes != 12345) {
				t.Errorf("%s: %s wrote outputs on failure", c.name, mode)
			}
			if c.goToo && mode == "tsp_solve" {
				var gl, glb float64
				var gn uint64
				order := a.order
				if len(order) < int(a.n) && a.n > 0 {
					order = make([]int32, a.n)
				}
				if got := kernel.Go()(a.dist, a.n, a.start, a.algorithm, 0, 0, a.cancel, order, &gl, &glb, &gn); got != c.want {
					t.Errorf("%s: GoKernel returned %d, the C++ kernel %d", c.name, got, c.want)
				}
			}
		}
	}
	if got := rawSolve(rawSolveArgs{nilHandle: true, dist: grid5(), n: 5, order: make([]int32, 5),
		length: f(0), lb: f(0), nodes: new(uint64)}); got != kernel.CodeInvalid {
		t.Errorf("tsp_solver_solve(NULL handle) = %d, want %d", got, kernel.CodeInvalid)
	}
}

func TestHandleEntryPoints(t *testing.T) {
	if got := rawSolverNewNil(); got != kernel.CodeInvalid {
		t.Errorf("tsp_solver_new(NULL) = %d, want %d", got, kernel.CodeInvalid)
	}
	if got := rawSolverFreeNil(); got != kernel.CodeOK {
		t.Errorf("tsp_solver_free(NULL) = %d, want %d", got, kernel.CodeOK)
	}
}

func TestIdentity(t *testing.T) {
	if got := rawKernelID(); got != 2 {
		t.Errorf("tsp_kernel_id() = %d, want TSP_KERNEL_CPP (2)", got)
	}
	if got := (Calls{}).ABIVersion(); got != kernel.ABIVersion {
		t.Errorf("tsp_abi_version() = %d, want %d", got, kernel.ABIVersion)
	}
}

// TestExceptionGuard throws inside the guard every entry point uses.
func TestExceptionGuard(t *testing.T) {
	for kind, want := range map[int32]int32{
		0:  kernel.CodeOK,
		1:  kernel.CodeNoMemory, // std::bad_alloc
		2:  kernel.CodeInternal, // std::runtime_error
		3:  kernel.CodeInternal, // an int
		4:  kernel.CodeInvalid,
		-1: kernel.CodeInvalid,
	} {
		for range 3 { // and again: nothing is left behind by a caught exception
			if got := rawSelftestThrow(kind); got != want {
				t.Errorf("tsp_cpp_selftest_throw(%d) = %d, want %d", kind, got, want)
			}
		}
	}
}

// TestNoContraction: the kernel's translation unit rounds a*b before it
// adds c, as Go does for float64(a*b) + c. With contraction left on and
// FMA in the target (say CGO_CXXFLAGS=-march=haswell) this fails, while the
// differential tests may well not notice: the subgradient steps of Exact
// are the only such sums, and an ulp there rarely changes a decision.
func TestNoContraction(t *testing.T) {
	a := 1 + 0x1p-30
	b := 1 - 0x1p-30
	c := -1.0
	want := float64(a*b) + c // a*b = 1 - 2^-60 rounds to 1: want is 0
	got, code := rawSelftestFP(a, b, c)
	if code != kernel.CodeOK || math.Float64bits(got) != math.Float64bits(want) {
		t.Errorf("a*b+c = %g (status %d), want %g: the C++ kernel was compiled with floating-point contraction on", got, code, want)
	}
	if fused := math.FMA(a, b, c); fused == want {
		t.Fatalf("bad test values: the fused result %g equals the rounded one", fused)
	}
}

func TestMatrixBadInput(t *testing.T) {
	difftest.CheckMatrixEntries(t, func(e difftest.MatrixEntry) int32 {
		return rawMatrix(e.Lat, e.Lon, e.N, e.Radius, e.Out)
	})
	var d float64
	if got := rawHaversine(nil, &d); got != kernel.CodeInvalid {
		t.Errorf("tsp_haversine(NULL, out) = %d, want %d", got, kernel.CodeInvalid)
	}
	if got := rawHaversine([]float64{1, 2, 3, 4, 5}, nil); got != kernel.CodeInvalid {
		t.Errorf("tsp_haversine(in, NULL) = %d, want %d", got, kernel.CodeInvalid)
	}
}

// TestHandleCleanup drops a Handle without closing it: the garbage
// collector's cleanup must free the native solver.
func TestHandleCleanup(t *testing.T) {
	m, err := tsp.HaversineMatrix(tsp.RandomCities(30, 1))
	if err != nil {
		t.Fatal(err)
	}
	before := cleanupFrees.Load()
	const handles = 3
	for range handles {
		func() {
			h, err := NewHandle()
			if err != nil {
				t.Fatal(err)
			}
			if _, err := h.Solve(context.Background(), m, tsp.Options{Algorithm: tsp.Exact}); err != nil {
				t.Fatal(err)
			}
		}()
	}
	deadline := time.Now().Add(10 * time.Second)
	for cleanupFrees.Load()-before < handles {
		if time.Now().After(deadline) {
			t.Fatalf("after 10 s of GC, %d of %d dropped handles were freed", cleanupFrees.Load()-before, handles)
		}
		runtime.GC()
		time.Sleep(5 * time.Millisecond)
	}
	// A closed Handle is freed once, by Close: its cleanup is cancelled.
	h, err := NewHandle()
	if err != nil {
		t.Fatal(err)
	}
	if err := h.Close(); err != nil {
		t.Fatal(err)
	}
	n := cleanupFrees.Load()
	h = nil
	for range 5 {
		runtime.GC()
		time.Sleep(5 * time.Millisecond)
	}
	if got := cleanupFrees.Load(); got != n {
		t.Errorf("a closed handle was freed again by its cleanup (%d frees, want %d)", got, n)
	}
	_ = h
}
