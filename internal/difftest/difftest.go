// Package difftest holds the tests every backend runs against the pure-Go
// kernel, so that there is one copy of each: the same matrices and options
// must give the same order, the same length and lower bound bits, the same
// node count and the same status.
//
//   - Cases and Compare: the differential cases, each solved once by the Go
//     kernel and compared with any list of solvers; Concurrent, the same on
//     many goroutines at once.
//   - Cancel: deadlines, cancels and cancelled contexts stop every search.
//   - CheckCalls, MatrixAgrees: the small native entry points against Go.
//   - BadMatrices, Validation, SolveErrors: input every kernel must refuse.
//   - CheckTour, CheckStopped: what a tour must be.
//   - BenchDatasets, BenchSolveAll, BenchSolve: the benchmarks' datasets and
//     loop, for the root package (Go) and package backends (every backend).
//
// It imports no package that uses cgo: the root package's tests use it and
// build without a C compiler.
package difftest

import (
	"context"
	"errors"
	"math"
	"testing"

	"github.com/ffi4go/tsp"
)

// CheckTour asserts that tour is a permutation of m's cities starting at
// start, in the canonical direction (Order[1] < Order[n-1]), whose length
// recomputed with tsp.TourLength equals Length bit for bit, and whose lower
// bound is in [0, Length].
func CheckTour(tb testing.TB, m *tsp.Matrix, tour tsp.Tour, start int) {
	tb.Helper()
	n := m.N()
	if len(tour.Order) != n {
		tb.Fatalf("order has %d cities, want %d", len(tour.Order), n)
	}
	if tour.Order[0] != start {
		tb.Fatalf("order %v starts at %d, want %d", tour.Order, tour.Order[0], start)
	}
	seen := make([]bool, n)
	for _, c := range tour.Order {
		if c < 0 || c >= n || seen[c] {
			tb.Fatalf("order %v is not a permutation", tour.Order)
		}
		seen[c] = true
	}
	if n >= 3 && tour.Order[1] > tour.Order[n-1] {
		tb.Errorf("order %v is not in canonical direction", tour.Order)
	}
	if l := tsp.TourLength(m, tour.Order); math.Float64bits(l) != math.Float64bits(tour.Length) {
		tb.Errorf("length %v, recomputed %v", tour.Length, l)
	}
	if !(tour.LowerBound >= 0 && tour.LowerBound <= tour.Length) {
		tb.Errorf("lower bound %v not in [0, length %v]", tour.LowerBound, tour.Length)
	}
}

// CheckStopped checks what a search stopped by its context returns: an
// error wrapping want (context.DeadlineExceeded or context.Canceled), the
// status Stopped, and a tour that passes CheckTour.
func CheckStopped(tb testing.TB, m *tsp.Matrix, tour tsp.Tour, err error, start int, want error) {
	tb.Helper()
	if !errors.Is(err, want) {
		tb.Errorf("error %v, want one wrapping %v", err, want)
	}
	if tour.Status != tsp.Stopped {
		tb.Errorf("status %v, want stopped", tour.Status)
	}
	CheckTour(tb, m, tour, start)
}

// SolveErrors checks that s refuses bad options with the right sentinel
// errors before it calls its kernel.
func SolveErrors(t *testing.T, s tsp.Solver) {
	t.Helper()
	m := Haversine(20, 2)
	for _, c := range []struct {
		opt  tsp.Options
		want error
	}{
		{tsp.Options{Start: -1}, tsp.ErrStart},
		{tsp.Options{Start: 20}, tsp.ErrStart},
		{tsp.Options{Algorithm: 7}, tsp.ErrAlgorithm},
		{tsp.Options{Algorithm: tsp.Exhaustive}, tsp.ErrTooLarge},
	} {
		if tour, err := s.Solve(context.Background(), m, c.opt); !errors.Is(err, c.want) || tour.Order != nil {
			t.Errorf("%s %+v: %v, %v; want %v and no tour", s.Name(), c.opt, tour, err, c.want)
		}
	}
	if _, err := s.Solve(context.Background(), nil, tsp.Options{}); !errors.Is(err, tsp.ErrNilMatrix) {
		t.Errorf("%s, nil matrix: %v", s.Name(), err)
	}
}
