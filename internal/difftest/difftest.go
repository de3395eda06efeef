// Package difftest holds the differential test every backend runs against
// the pure-Go kernel: the same matrices and options must give the same
// order, the same length and lower bound bits, the same node count and the
// same status.
package difftest

import (
	"context"
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
			for _, alg := range tsp.Algorithms {
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
		want := Run(tsp.Go, c)
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
