package cppbackend_test

import (
	"context"
	"math/rand/v2"
	"testing"

	"github.com/ffi4go/tsp"
)

// TestDifferential solves random instances with the pure-Go kernel, with
// cgo-cpp's New and with one Handle reused across all of them, and wants
// the same Order, Length bits, LowerBound bits, Nodes, Status and error.
func TestDifferential(t *testing.T) {
	cpp, h := cppSolvers(t)
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(20240605, 5))
	count := 0
	check := func(inst instance, alg tsp.Algorithm) {
		t.Helper()
		opt := tsp.Options{Algorithm: alg, Start: rng.IntN(inst.m.N())}
		sameAsGo(t, ctx, inst, opt, cpp, h)
		count++
	}
	// mixed picks one of the instance kinds by r.
	mixed := func(n int, seed uint64, r int) instance {
		switch r % 6 {
		case 0, 1:
			return citiesInstance(t, n, seed)
		case 2:
			return intInstance(t, n, seed, 2) // 0 and 1 only: ties everywhere
		case 3:
			return intInstance(t, n, seed, 10)
		case 4:
			return intInstance(t, n, seed, 1000)
		}
		return floatInstance(t, n, seed, 100)
	}

	// Every algorithm on 1 to 12 cities.
	for n := 1; n <= 12; n++ {
		for _, alg := range tsp.Algorithms() {
			reps := 10
			if alg == tsp.Exhaustive {
				switch n {
				case 10:
					reps = 3
				case 11:
					reps = 2
				case 12:
					reps = 1
					if testing.Short() {
						reps = 0
					}
				}
			}
			for r := 0; r < reps; r++ {
				check(mixed(n, uint64(1000*n+100*int(alg)+r), r), alg)
			}
		}
	}
	// Exact and TwoOpt on 20 to 60 cities. The integer matrices of the
	// larger ones use a wide range: with few distinct values Exact can take
	// long.
	for n := 20; n <= 60; n += 5 {
		for _, alg := range []tsp.Algorithm{tsp.Exact, tsp.TwoOpt} {
			for r := 0; r < 5; r++ {
				seed := uint64(7000*n + 100*int(alg) + r)
				var inst instance
				switch r {
				case 0, 1:
					inst = citiesInstance(t, n, seed)
				case 2:
					inst = intInstance(t, n, seed, 1000)
				case 3:
					inst = floatInstance(t, n, seed, 1000)
				default:
					if n <= 30 {
						inst = intInstance(t, n, seed, 10)
					} else {
						inst = intInstance(t, n, seed, 100000)
					}
				}
				check(inst, alg)
			}
		}
	}
	// TwoOpt, and Nearest, on 200 to 1000 cities.
	for _, n := range []int{200, 333, 500, 750, 1000} {
		check(citiesInstance(t, n, uint64(n)), tsp.TwoOpt)
		check(intInstance(t, n, uint64(n), 1000000), tsp.TwoOpt)
		check(citiesInstance(t, n, uint64(n)+1), tsp.Nearest)
	}
	t.Logf("%d instances, each solved by go, cgo-cpp and a reused cgo-cpp Handle", count)
}

// TestDifferentialDemo solves the built-in cities with every algorithm from
// every start.
func TestDifferentialDemo(t *testing.T) {
	cpp, h := cppSolvers(t)
	ctx := context.Background()
	demo11, err := tsp.HaversineMatrix(tsp.Demo11())
	if err != nil {
		t.Fatal(err)
	}
	demo30, err := tsp.HaversineMatrix(tsp.Demo30())
	if err != nil {
		t.Fatal(err)
	}
	for start := 0; start < 11; start++ {
		for _, alg := range tsp.Algorithms() {
			if alg == tsp.Exhaustive && start%5 != 0 {
				continue
			}
			sameAsGo(t, ctx, instance{"demo11", demo11}, tsp.Options{Algorithm: alg, Start: start}, cpp, h)
		}
	}
	for start := 0; start < 30; start += 7 {
		for _, alg := range []tsp.Algorithm{tsp.Exact, tsp.Nearest, tsp.TwoOpt} {
			sameAsGo(t, ctx, instance{"demo30", demo30}, tsp.Options{Algorithm: alg, Start: start}, cpp, h)
		}
	}
}

// TestDifferentialPreCancelled solves with a context that is already done:
// the cancel flag is set before the kernel starts, so every kernel stops at
// its first poll, and where that is (after 1024 search nodes, 256 local
// search steps, the first ascent step) is deterministic. The stopped tours,
// bounds and node counts must match too.
func TestDifferentialPreCancelled(t *testing.T) {
	cpp, h := cppSolvers(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	rng := rand.New(rand.NewPCG(99, 1))
	for _, n := range []int{1, 2, 3, 4, 5, 8, 9, 10, 12, 13, 20, 60, 150, 250, 1000} {
		for _, alg := range tsp.Algorithms() {
			if n > alg.MaxCities() {
				continue
			}
			for r := 0; r < 2; r++ {
				var inst instance
				if r == 0 {
					inst = citiesInstance(t, n, uint64(n))
				} else {
					inst = intInstance(t, n, uint64(n), 1000)
				}
				sameAsGo(t, ctx, inst, tsp.Options{Algorithm: alg, Start: rng.IntN(n)}, cpp, h)
			}
		}
	}
}

// TestDifferentialErrors: options the Solver refuses before the kernel runs
// give the same errors as the Go backend.
func TestDifferentialErrors(t *testing.T) {
	cpp, h := cppSolvers(t)
	ctx := context.Background()
	m5 := citiesInstance(t, 5, 5).m
	m14 := citiesInstance(t, 14, 14).m
	m251 := citiesInstance(t, 251, 251).m
	for _, c := range []struct {
		name string
		m    *tsp.Matrix
		opt  tsp.Options
	}{
		{"nil matrix", nil, tsp.Options{}},
		{"start -1", m5, tsp.Options{Start: -1}},
		{"start n", m5, tsp.Options{Start: 5, Algorithm: tsp.TwoOpt}},
		{"algorithm 9", m5, tsp.Options{Algorithm: 9}},
		{"algorithm -1", m5, tsp.Options{Algorithm: -1}},
		{"exhaustive 14", m14, tsp.Options{Algorithm: tsp.Exhaustive}},
		{"exact 251", m251, tsp.Options{Algorithm: tsp.Exact}},
	} {
		want := solve(ctx, tsp.Go(), c.m, c.opt)
		if want.Err == "" {
			t.Fatalf("%s: the go backend accepted it", c.name)
		}
		for _, s := range []tsp.Solver{cpp, h} {
			if got := solve(ctx, s, c.m, c.opt); got.Err != want.Err || got.Order != nil {
				t.Errorf("%s: %s gave %+v, want %+v", c.name, s.Name(), got, want)
			}
		}
	}
}
