package cppbackend_test

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ffi4go/tsp"
	"github.com/ffi4go/tsp/cppbackend"
)

// result is what a solve gives, in a form where equal means bit for bit.
type result struct {
	Order      []int
	LengthBits uint64
	LowerBits  uint64
	Length     float64 // for the reader of a diff; LengthBits decides
	LowerBound float64
	Nodes      uint64
	Status     tsp.Status
	Algorithm  tsp.Algorithm
	Err        string
}

func solve(ctx context.Context, s tsp.Solver, m *tsp.Matrix, opt tsp.Options) result {
	t, err := s.Solve(ctx, m, opt)
	r := result{Order: t.Order, LengthBits: math.Float64bits(t.Length), LowerBits: math.Float64bits(t.LowerBound),
		Length: t.Length, LowerBound: t.LowerBound, Nodes: t.Nodes, Status: t.Status, Algorithm: t.Algorithm}
	if err != nil {
		r.Err = err.Error()
	}
	return r
}

// instance is one matrix to solve.
type instance struct {
	name string
	m    *tsp.Matrix
}

// citiesInstance: n random cities (tsp.RandomCities) and their haversine
// distances in km.
func citiesInstance(tb testing.TB, n int, seed uint64) instance {
	tb.Helper()
	m, err := tsp.HaversineMatrix(tsp.RandomCities(n, seed))
	if err != nil {
		tb.Fatal(err)
	}
	return instance{fmt.Sprintf("cities(n=%d,seed=%d)", n, seed), m}
}

// intInstance: a symmetric matrix of random integers in [0, maxv), not
// metric; a small maxv makes many ties (and zero distances).
func intInstance(tb testing.TB, n int, seed uint64, maxv int) instance {
	tb.Helper()
	r := rand.New(rand.NewPCG(seed, uint64(n)<<32|uint64(maxv)))
	d := make([]float64, n*n)
	for i := 0; i < n; i++ {
		for j := i + 1; j < n; j++ {
			v := float64(r.IntN(maxv))
			d[i*n+j], d[j*n+i] = v, v
		}
	}
	m, err := tsp.NewMatrix(n, d)
	if err != nil {
		tb.Fatal(err)
	}
	return instance{fmt.Sprintf("int(n=%d,seed=%d,max=%d)", n, seed, maxv), m}
}

// floatInstance: a symmetric matrix of random reals in [0, scale), not
// metric and not integral.
func floatInstance(tb testing.TB, n int, seed uint64, scale float64) instance {
	tb.Helper()
	r := rand.New(rand.NewPCG(seed, uint64(n)<<32|0xf10a7))
	d := make([]float64, n*n)
	for i := 0; i < n; i++ {
		for j := i + 1; j < n; j++ {
			v := r.Float64() * scale
			d[i*n+j], d[j*n+i] = v, v
		}
	}
	m, err := tsp.NewMatrix(n, d)
	if err != nil {
		tb.Fatal(err)
	}
	return instance{fmt.Sprintf("float(n=%d,seed=%d,scale=%g)", n, seed, scale), m}
}

// cppSolvers returns the cgo-cpp Solver of New and a Handle (closed at the
// end of the test), or skips the test when the backend is not compiled in.
func cppSolvers(tb testing.TB) (tsp.Solver, *cppbackend.Handle) {
	tb.Helper()
	s, err := cppbackend.New()
	if err != nil {
		tb.Skipf("cgo-cpp unavailable: %v", err)
	}
	h, err := cppbackend.NewHandle()
	if err != nil {
		tb.Fatalf("NewHandle: %v", err)
	}
	tb.Cleanup(func() {
		if err := h.Close(); err != nil {
			tb.Errorf("Close: %v", err)
		}
	})
	return s, h
}

// sameAsGo solves inst with tsp.Go() and with every solver in ss and fails
// the test on any difference.
func sameAsGo(t *testing.T, ctx context.Context, inst instance, opt tsp.Options, ss ...tsp.Solver) {
	t.Helper()
	want := solve(ctx, tsp.Go(), inst.m, opt)
	for i, s := range ss {
		got := solve(ctx, s, inst.m, opt)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s %s start %d: solver %d (%s) differs from go (-go +%s):\n%s",
				inst.name, opt.Algorithm, opt.Start, i, s.Name(), s.Name(), diff)
		}
	}
}
