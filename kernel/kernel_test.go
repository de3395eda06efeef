package kernel_test

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/ffi4go/tsp"
	"github.com/ffi4go/tsp/kernel"
)

// fake returns a Func that writes order and returns code, and records the
// algorithm number it was called with. It reports the true length of order
// (the sum along it, as the kernels add), a lower bound of 1 and 11 nodes.
func fake(order []int32, code int32, alg *int32) kernel.Func {
	return fakeReport(order, code, alg, math.NaN(), 1)
}

// fakeReport is fake reporting length (NaN: the true length) and lb.
func fakeReport(order []int32, code int32, alg *int32, length, lb float64) kernel.Func {
	return func(dist []float64, n, start, algorithm int32, seed uint64, budget int64, cancel *int32, out []int32, plength, plb *float64, nodes *uint64) int32 {
		*alg = algorithm
		copy(out, order)
		l := length
		if math.IsNaN(l) && len(order) > 0 {
			d := func(i, j int32) float64 { // 0 for the out-of-range cities of the bad orders
				if i < 0 || j < 0 || i >= n || j >= n {
					return 0
				}
				return dist[i*n+j]
			}
			l = 0.0
			for i := 1; i < len(order); i++ {
				l += d(order[i-1], order[i])
			}
			l += d(order[len(order)-1], order[0])
		}
		*plength, *plb, *nodes = l, lb, 11
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
		case c.want == nil && (tour.Status != tsp.Heuristic || tour.Length != 6 || tour.LowerBound != 1 || tour.Nodes != 11 || tour.Algorithm != tsp.Nearest):
			t.Errorf("%s: %+v", c.name, tour)
		case c.code == kernel.CodeStopped && tour.Status != tsp.Stopped:
			t.Errorf("%s: status %v", c.name, tour.Status)
		}
		if s.Name() != "fake" || alg != kernel.AlgNearest|kernel.FlagChecked {
			t.Errorf("%s: name %q, algorithm number %d", c.name, s.Name(), alg)
		}
	}
}

// The wrapper trusts no number a kernel reports: the length is recomputed in
// Go from the order (summed from Start along Order and back, like
// tsp.TourLength) and must agree in every bit, and the lower bound must be a
// number in [0, Length].
func TestNewSolverChecksLengthAndBound(t *testing.T) {
	// 0.1 + 0.2 + 0.3 and 0.3 + 0.2 + 0.1 differ in the last bit: the order
	// of the sum matters.
	m, err := tsp.NewMatrixRows([][]float64{{0, 0.1, 0.3}, {0.1, 0, 0.2}, {0.3, 0.2, 0}})
	if err != nil {
		t.Fatal(err)
	}
	order := []int32{0, 1, 2}
	right := m.At(0, 1) + m.At(1, 2) // variables: constants would be summed exactly
	right += m.At(2, 0)
	other := m.At(0, 2) + m.At(2, 1)
	other += m.At(1, 0)
	if right == other {
		t.Fatal("the test needs two sums that differ in the last bit")
	}
	var alg int32
	for _, c := range []struct {
		name       string
		code       int32
		length, lb float64
		want       error
		mention    string
	}{
		{"right", kernel.CodeOK, right, 0, nil, ""},
		{"bound equal to length", kernel.CodeOK, right, right, nil, ""},
		{"stopped, bound below", kernel.CodeStopped, right, 0.5, context.Canceled, ""},
		{"wrong length", kernel.CodeOK, 7, 0, tsp.ErrKernel, "length"},
		{"length off by one bit", kernel.CodeOK, other, 0, tsp.ErrKernel, "length"},
		{"infinite length", kernel.CodeOK, math.Inf(1), 0, tsp.ErrKernel, "length"},
		{"bound above length", kernel.CodeOK, right, right + 1e-9, tsp.ErrKernel, "bound"},
		{"stopped, bound above length", kernel.CodeStopped, right, 1, tsp.ErrKernel, "bound"},
		{"negative bound", kernel.CodeOK, right, -1, tsp.ErrKernel, "bound"},
		{"NaN bound", kernel.CodeOK, right, math.NaN(), tsp.ErrKernel, "bound"},
		{"infinite bound", kernel.CodeOK, right, math.Inf(1), tsp.ErrKernel, "bound"},
	} {
		s := kernel.NewSolver("fake", fakeReport(order, c.code, &alg, c.length, c.lb))
		tour, err := s.Solve(context.Background(), m, tsp.Options{Algorithm: tsp.Nearest})
		if !errors.Is(err, c.want) || (c.want == nil) != (err == nil) {
			t.Errorf("%s: err = %v, want %v", c.name, err, c.want)
			continue
		}
		if c.want == tsp.ErrKernel {
			if tour.Order != nil || tour.Status != tsp.Heuristic {
				t.Errorf("%s: a failed check returned a tour: %+v", c.name, tour)
			}
			if errors.Is(err, tsp.ErrInvalidInput) || !strings.Contains(err.Error(), c.mention) {
				t.Errorf("%s: err = %v", c.name, err)
			}
			t.Log(err)
		} else if math.Float64bits(tour.Length) != math.Float64bits(right) {
			t.Errorf("%s: length %v, want %v", c.name, tour.Length, right)
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
		if err != nil || alg != want|kernel.FlagChecked || tour.Algorithm == tsp.Auto {
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
