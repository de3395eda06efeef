package kernel_test

import (
	"context"
	"errors"
	"testing"

	"github.com/ffi4go/tsp"
	"github.com/ffi4go/tsp/kernel"
)

// fake returns a Func that writes order and returns code, and records the
// algorithm number it was called with.
func fake(order []int32, code int32, alg *int32) kernel.Func {
	return func(dist []float64, n, start, algorithm int32, cancel *int32, out []int32, length, lb *float64, nodes *uint64) int32 {
		*alg = algorithm
		copy(out, order)
		*length, *lb, *nodes = 7, 3, 11
		return code
	}
}

func TestNewSolverChecksWhatTheKernelReturns(t *testing.T) {
	m, err := tsp.NewMatrixRows([][]float64{{0, 1, 2}, {1, 0, 3}, {2, 3, 0}})
	if err != nil {
		t.Fatal(err)
	}
	var alg int32
	for _, c := range []struct {
		name  string
		order []int32
		code  int32
		want  error
	}{
		{"ok", []int32{0, 1, 2}, kernel.CodeOK, nil},
		{"not a permutation", []int32{0, 1, 1}, kernel.CodeOK, tsp.ErrKernel},
		{"out of range", []int32{0, 1, 3}, kernel.CodeOK, tsp.ErrKernel},
		{"wrong start", []int32{1, 0, 2}, kernel.CodeOK, tsp.ErrKernel},
		{"no memory", nil, kernel.CodeNoMemory, tsp.ErrOutOfMemory},
		{"too large", nil, kernel.CodeTooLarge, tsp.ErrTooLarge},
		{"invalid", nil, kernel.CodeInvalid, tsp.ErrKernel},
		{"internal", nil, kernel.CodeInternal, tsp.ErrKernel},
		{"unknown code", nil, 99, tsp.ErrKernel},
		// A kernel that stops on its own is never reported as a success.
		{"stopped", []int32{0, 2, 1}, kernel.CodeStopped, context.Canceled},
	} {
		s := kernel.NewSolver("fake", fake(c.order, c.code, &alg))
		tour, err := s.Solve(context.Background(), m, tsp.Options{Algorithm: tsp.Nearest})
		if !errors.Is(err, c.want) || (c.want == nil) != (err == nil) {
			t.Errorf("%s: err = %v, want %v", c.name, err, c.want)
		}
		if errors.Is(err, tsp.ErrKernel) && errors.Is(err, tsp.ErrInvalidInput) {
			t.Errorf("%s: a kernel failure also matches ErrInvalidInput: %v", c.name, err)
		}
		switch {
		case c.want == nil && (tour.Status != tsp.Heuristic || tour.Length != 7 || tour.LowerBound != 3 || tour.Nodes != 11 || tour.Algorithm != tsp.Nearest):
			t.Errorf("%s: %+v", c.name, tour)
		case c.code == kernel.CodeStopped && tour.Status != tsp.Stopped:
			t.Errorf("%s: status %v", c.name, tour.Status)
		}
		if s.Name() != "fake" || alg != kernel.AlgNearest {
			t.Errorf("%s: name %q, algorithm number %d", c.name, s.Name(), alg)
		}
	}
}

// The kernel gets ABI numbers: Auto is resolved in Go before the call.
func TestAlgorithmNumbers(t *testing.T) {
	m, err := tsp.NewMatrixRows([][]float64{{0, 1}, {1, 0}})
	if err != nil {
		t.Fatal(err)
	}
	var alg int32
	s := kernel.NewSolver("fake", fake([]int32{0, 1}, kernel.CodeOK, &alg))
	for a, want := range map[tsp.Algorithm]int32{
		tsp.Auto: kernel.AlgExact, tsp.Exhaustive: kernel.AlgExhaustive, tsp.Exact: kernel.AlgExact,
		tsp.Nearest: kernel.AlgNearest, tsp.TwoOpt: kernel.AlgTwoOpt,
	} {
		tour, err := s.Solve(context.Background(), m, tsp.Options{Algorithm: a})
		if err != nil || alg != want || tour.Algorithm == tsp.Auto {
			t.Errorf("%v: kernel got %d, want %d; tour %v, %v", a, alg, want, tour.Algorithm, err)
		}
		if a != tsp.Auto {
			if n, ok := kernel.Number(a); !ok || n != want {
				t.Errorf("Number(%v) = %d, %v", a, n, ok)
			}
		}
	}
	if _, ok := kernel.Number(tsp.Auto); ok {
		t.Error("Number(Auto) is a number")
	}
}

// Data is the matrix's own storage, and Go is the kernel of tsp.Go.
func TestDataAndGo(t *testing.T) {
	m, err := tsp.HaversineMatrix(tsp.Demo11())
	if err != nil {
		t.Fatal(err)
	}
	d := kernel.Data(m)
	if len(d) != 121 || d[1] != m.At(0, 1) || &d[0] != &kernel.Data(m)[0] {
		t.Fatalf("Data: %d values", len(d))
	}
	want, err := tsp.Solve(context.Background(), m, tsp.Options{Algorithm: tsp.Exact})
	if err != nil {
		t.Fatal(err)
	}
	got, err := kernel.NewSolver("again", kernel.Go()).Solve(context.Background(), m, tsp.Options{Algorithm: tsp.Exact})
	if err != nil || got.Length != want.Length || got.Nodes != want.Nodes {
		t.Errorf("kernel.Go: %+v, %v; want %+v", got, err, want)
	}
}
