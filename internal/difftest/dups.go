package difftest

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/ffi4go/tsp"
)

// RepeatedStops returns n cities on the first k cities of tsp.Demo30, each
// place repeated n/k or n/k+1 times, shuffled by seed, and for every city
// the index of its place: repeat deliveries to a few addresses (issue 13).
func RepeatedStops(n, k int, seed uint64) ([]tsp.City, []int) {
	demo := tsp.Demo30()[:k]
	place := make([]int, n)
	for i := range place {
		place[i] = i % k
	}
	r := rand.New(rand.NewPCG(seed, 13))
	r.Shuffle(n, func(i, j int) { place[i], place[j] = place[j], place[i] })
	cs := make([]tsp.City, n)
	for i, p := range place {
		cs[i] = demo[p]
		cs[i].Name = fmt.Sprintf("%s #%d", demo[p].Name, i)
	}
	return cs, place
}

// DuplicateStops checks every solver on inputs with duplicate cities
// (distance zero, equal rows), which the wrapper merges before the kernel
// runs and expands after: 30 stops on 9 places proven optimal by Exact at
// once, with the optimum of the 9 places; each duplicate directly after its
// representative (the lowest index of its group, or Start); all cities in
// one place; two groups; Exhaustive on 20 stops over 8 places, whose limit
// applies to the distinct places.
func DuplicateStops(t *testing.T, solvers ...tsp.Solver) {
	t.Helper()
	if len(solvers) == 0 {
		t.Fatal("difftest.DuplicateStops: no solvers")
	}
	for _, s := range solvers {
		// 30 stops on 9 places, from a start that is and one that is not
		// the lowest index of its group, with Exact, Auto and Exhaustive.
		for _, c := range []struct {
			n, k int
			alg  tsp.Algorithm
		}{{30, 9, tsp.Exact}, {30, 9, tsp.Auto}, {20, 8, tsp.Exhaustive}, {40, 9, tsp.Exhaustive}, {60, 12, tsp.Exact}} {
			cities, place := RepeatedStops(c.n, c.k, uint64(c.n*c.k))
			m := mustMatrix(tsp.HaversineMatrix(cities))
			pm := mustMatrix(tsp.HaversineMatrix(tsp.Demo30()[:c.k]))
			best, err := tsp.Solve(context.Background(), pm, tsp.Options{Algorithm: tsp.Exhaustive})
			if c.k > tsp.MaxExhaustive {
				best, err = tsp.Solve(context.Background(), pm, tsp.Options{Algorithm: tsp.Exact})
			}
			if err != nil || best.Status != tsp.Optimal {
				t.Fatalf("the %d places: %v, %v", c.k, best.Status, err)
			}
			for _, start := range []int{0, 1, c.n - 1, lastOfPlace(place, place[0])} {
				name := fmt.Sprintf("%s: %s %d stops on %d places from %d", s.Name(), c.alg, c.n, c.k, start)
				ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
				t0 := time.Now()
				got, err := s.Solve(ctx, m, tsp.Options{Algorithm: c.alg, Start: start})
				cancel()
				if err != nil {
					t.Errorf("%s: %v after %v", name, err, time.Since(t0))
					continue
				}
				CheckTour(t, m, got, start)
				if got.Status != tsp.Optimal || got.LowerBound != got.Length {
					t.Errorf("%s: status %v, lower bound %v, length %v", name, got.Status, got.LowerBound, got.Length)
				}
				if math.Abs(got.Length-best.Length) > 1e-9*best.Length {
					t.Errorf("%s: length %v, the %d places' optimum %v", name, got.Length, c.k, best.Length)
				}
				checkAdjacent(t, name, got.Order, place, start)
			}
		}
		// All cities in one place, and two groups.
		for _, c := range []struct {
			name string
			m    *tsp.Matrix
		}{
			{"all zero", mustMatrix(tsp.NewMatrix(5, make([]float64, 25)))},
			{"two groups", mustMatrix(tsp.NewMatrixRows([][]float64{
				{0, 3, 0, 3, 3},
				{3, 0, 3, 0, 0},
				{0, 3, 0, 3, 3},
				{3, 0, 3, 0, 0},
				{3, 0, 3, 0, 0},
			}))},
		} {
			for _, alg := range tsp.Algorithms() {
				for start := 0; start < c.m.N(); start++ {
					got, err := s.Solve(context.Background(), c.m, tsp.Options{Algorithm: alg, Start: start})
					if err != nil {
						t.Errorf("%s: %s %s from %d: %v", s.Name(), c.name, alg, start, err)
						continue
					}
					CheckTour(t, c.m, got, start)
					want := 6.0
					if c.name == "all zero" {
						want = 0
					}
					if got.Length != want || got.Nodes > 10 {
						t.Errorf("%s: %s %s from %d: %v, length %v, %d nodes; want length %v", s.Name(), c.name, alg, start, got.Order, got.Length, got.Nodes, want)
					}
					place := make([]int, c.m.N())
					for i := range place {
						place[i] = int(c.m.At(0, i)) // 0 for the first group, 3 for the second
					}
					checkAdjacent(t, fmt.Sprintf("%s: %s %s from %d", s.Name(), c.name, alg, start), got.Order, place, start)
				}
			}
		}
	}
}

func lastOfPlace(place []int, p int) int {
	last := 0
	for i, q := range place {
		if q == p {
			last = i
		}
	}
	return last
}

// checkAdjacent checks that the cities of each place form one run in order,
// led by the group's representative (start in its group, otherwise the
// lowest index) and followed by the rest in index order, in one of the two
// directions of the round trip.
func checkAdjacent(t *testing.T, name string, order, place []int, start int) {
	t.Helper()
	n := len(order)
	rep := map[int]int{}
	for i := n - 1; i >= 0; i-- {
		rep[place[i]] = i
	}
	rep[place[start]] = start
	var runs [][]int
	for _, c := range order {
		if len(runs) > 0 && place[runs[len(runs)-1][0]] == place[c] {
			runs[len(runs)-1] = append(runs[len(runs)-1], c)
		} else {
			runs = append(runs, []int{c})
		}
	}
	if len(runs) > 1 && place[runs[0][0]] == place[runs[len(runs)-1][0]] {
		// The round trip is a cycle: the run of start's place may wrap.
		runs[0] = append(runs[len(runs)-1], runs[0]...)
		runs = runs[:len(runs)-1]
	}
	if len(runs) != len(rep) {
		t.Errorf("%s: order %v visits the places in %d runs, want %d", name, order, len(runs), len(rep))
		return
	}
	for _, run := range runs {
		// The direction may be reversed: then the representative comes
		// last, after the others in decreasing index order.
		if len(run) < 2 {
			continue
		}
		r := rep[place[run[0]]]
		okF := run[0] == r && increasing(run[1:])
		okB := run[len(run)-1] == r && increasing(reverse(run[:len(run)-1]))
		if !okF && !okB {
			t.Errorf("%s: order %v has the run %v, not its representative %d and the rest in index order", name, order, run, r)
		}
	}
}

func increasing(s []int) bool {
	for i := 1; i < len(s); i++ {
		if s[i-1] >= s[i] {
			return false
		}
	}
	return true
}

func reverse(s []int) []int {
	r := make([]int, len(s))
	for i, v := range s {
		r[len(s)-1-i] = v
	}
	return r
}
