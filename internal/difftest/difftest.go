// Package difftest holds the differential test every backend runs against
// the pure-Go kernel: the same matrices and options must give the same
// order, the same length and lower bound bits, the same node count and the
// same status.
package difftest

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/ffi4go/tsp"
	"github.com/google/go-cmp/cmp"
)

// Case is one differential instance.
type Case struct {
	Name string
	M    *tsp.Matrix
	Opt  tsp.Options
}

// Cases returns the fixed set of instances: more than 500 of them, every
// algorithm on 1 to 12 cities, Exact up to 60 and TwoOpt up to 1000 cities,
// on haversine matrices, small-integer matrices full of ties, and matrices
// with duplicate cities (zero distances). The same call gives the same set.
func Cases() []Case {
	r := rand.New(rand.NewPCG(2026, 11))
	var cs []Case
	add := func(kind string, m *tsp.Matrix, alg tsp.Algorithm) {
		cs = append(cs, Case{
			Name: fmt.Sprintf("%s/%s/n%d/%d", alg, kind, m.N(), len(cs)),
			M:    m,
			Opt:  tsp.Options{Algorithm: alg, Start: r.IntN(m.N())},
		})
	}
	for n := 1; n <= 12; n++ {
		reps := 8
		if n > 10 {
			reps = 1
		}
		for i := 0; i < reps; i++ {
			for _, alg := range tsp.Algorithms() {
				add("geo", Haversine(n, r.Uint64()), alg)
				add("int", Integer(r, n, 1+r.IntN(20)), alg)
				if i%2 == 0 {
					add("dup", Duplicates(r, n), alg)
				}
			}
		}
	}
	for i := 0; i < 60; i++ {
		n := 13 + r.IntN(48)
		add("geo", Haversine(n, r.Uint64()), tsp.Exact)
		add("int", Integer(r, n, 100+r.IntN(1000)), tsp.Exact)
		add("geo", Haversine(n, r.Uint64()), tsp.TwoOpt)
	}
	for i := 0; i < 20; i++ {
		add("geo", Haversine(50+r.IntN(400), r.Uint64()), tsp.TwoOpt)
		add("int", Integer(r, 50+r.IntN(200), 1000), tsp.TwoOpt)
	}
	add("geo", Haversine(1000, 7), tsp.TwoOpt)
	add("geo", Haversine(1000, 8), tsp.Nearest)
	return cs
}

// Haversine is the matrix of n random cities.
func Haversine(n int, seed uint64) *tsp.Matrix {
	m, err := tsp.HaversineMatrix(tsp.RandomCities(n, seed))
	if err != nil {
		panic(err)
	}
	return m
}

// Integer is a random symmetric matrix of integers 1..max.
func Integer(r *rand.Rand, n, max int) *tsp.Matrix {
	d := make([]float64, n*n)
	for i := 0; i < n; i++ {
		for j := i + 1; j < n; j++ {
			v := float64(1 + r.IntN(max))
			d[i*n+j], d[j*n+i] = v, v
		}
	}
	m, err := tsp.NewMatrix(n, d)
	if err != nil {
		panic(err)
	}
	return m
}

// Duplicates is the haversine matrix of cities drawn from a few places, so
// that many distances are 0 or equal.
func Duplicates(r *rand.Rand, n int) *tsp.Matrix {
	places := tsp.RandomCities(1+n/3, r.Uint64())
	cs := make([]tsp.City, n)
	for i := range cs {
		cs[i] = places[r.IntN(len(places))]
	}
	m, err := tsp.HaversineMatrix(cs)
	if err != nil {
		panic(err)
	}
	return m
}

// Result is what is compared.
type Result struct {
	Order      []int
	Length     uint64 // bits
	LowerBound uint64 // bits
	Nodes      uint64
	Status     tsp.Status
	Err        string
}

// Run solves c with s.
func Run(s tsp.Solver, c Case) Result {
	t, err := s.Solve(context.Background(), c.M, c.Opt)
	r := Result{Order: t.Order, Length: math.Float64bits(t.Length), LowerBound: math.Float64bits(t.LowerBound),
		Nodes: t.Nodes, Status: t.Status}
	if err != nil {
		r.Err = err.Error()
	}
	return r
}

// Compare runs every case on s and on the pure-Go kernel and reports each
// difference.
func Compare(t *testing.T, s tsp.Solver, cases []Case) {
	t.Helper()
	fails := 0
	for i, c := range cases {
		if testing.Short() && i%5 != 0 {
			continue // -short (the race detector run): every fifth case
		}
		want := Run(tsp.Go(), c)
		got := Run(s, c)
		if want.Err != "" {
			t.Errorf("%s: the Go kernel failed: %s", c.Name, want.Err)
		}
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("%s (start %d): %s differs from go (-go +%s):\n%s", c.Name, c.Opt.Start, s.Name(), s.Name(), d)
			fails++
			if fails > 5 {
				t.Fatal("too many differences")
			}
		}
	}
}

// CheckTour asserts that tour is a permutation of m's cities starting at
// start, in the canonical direction (Order[1] < Order[n-1]), whose length
// recomputed with tsp.TourLength equals Length bit for bit, and whose lower
// bound does not exceed it.
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
	if l := tsp.TourLength(m, tour.Order); l != tour.Length {
		tb.Errorf("length %v, recomputed %v", tour.Length, l)
	}
	if tour.LowerBound > tour.Length {
		tb.Errorf("lower bound %v > length %v", tour.LowerBound, tour.Length)
	}
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
