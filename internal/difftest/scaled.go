package difftest

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/ffi4go/tsp"
)

// Scales are the factors ScaledMatrices multiplies integer matrices by:
// from distances in the subnormal range (1e-322: 20 to 2,000 times the
// smallest float64, every sum exact; 1e-318, 1e-310) and tolerances in it
// (1e-300), through 1e-12, 1 and 1e12, to 1e300, where a tour is about
// 1e303, below the overflow limit (tsp.MaxTourLength).
var Scales = []float64{1e-322, 1e-318, 1e-310, 1e-300, 1e-200, 1e-100, 1e-12, 1e-3, 1, 1e12, 1e100, 1e200, 1e300}

// ScaledMatrix is an integer matrix scaled by Scale, and its optimum.
type ScaledMatrix struct {
	Name  string
	Scale float64
	M     *tsp.Matrix
	// Optimum is the Go kernel's Exhaustive tour, computed on first use
	// by Proofs.
	Optimum func() tsp.Tour
}

// ScaledMatrices returns, built once per process, one matrix of 12 cities
// and three of 9 to 11 with random integer distances (1–100, 1–10 and
// 1–1000), each with one optimal cycle (counted by dynamic programming in
// integers, so that no tie between two tours can round differently),
// multiplied by every factor of Scales. Exact must prove the same optimum
// as Exhaustive at every scale: issue 13 found an absolute tolerance of
// 1e-9 that made it claim its first upper bound optimal once the tours
// were shorter than about 1.
func ScaledMatrices() []ScaledMatrix { return scaledMatrices() }

var scaledMatrices = sync.OnceValue(func() []ScaledMatrix {
	var out []ScaledMatrix
	r := rand.New(rand.NewPCG(13, 13))
	for k, in := range []struct{ n, maxv int }{{12, 100}, {11, 100}, {10, 10}, {9, 1000}} {
		w := integerWeights(r, in.n, in.maxv)
		for optimalCycles(w, in.n) != 1 {
			w = integerWeights(r, in.n, in.maxv)
		}
		for _, s := range Scales {
			d := make([]float64, len(w))
			for i, v := range w {
				d[i] = float64(v) * s
			}
			m, err := tsp.NewMatrix(in.n, d)
			if err != nil {
				panic(fmt.Sprintf("scaled matrix %d by %g: %v", k, s, err))
			}
			opt := sync.OnceValue(func() tsp.Tour {
				t, err := tsp.Solve(context.Background(), m, tsp.Options{Algorithm: tsp.Exhaustive})
				if err != nil || t.Status != tsp.Optimal {
					panic(fmt.Sprintf("scaled matrix %d by %g: exhaustive: %v, %v", k, s, t.Status, err))
				}
				return t
			})
			out = append(out, ScaledMatrix{fmt.Sprintf("scaled%d(n=%d,max=%d)x%g", k, in.n, in.maxv, s), s, m, opt})
		}
	}
	return out
})

// integerWeights is a symmetric n×n matrix of random integers 1..maxv.
func integerWeights(r *rand.Rand, n, maxv int) []int64 {
	w := make([]int64, n*n)
	for i := 0; i < n; i++ {
		for j := i + 1; j < n; j++ {
			v := int64(1 + r.IntN(maxv))
			w[i*n+j], w[j*n+i] = v, v
		}
	}
	return w
}

// optimalCycles counts the optimal cycles of the integer matrix w (each
// cycle once, not once per direction), by Held and Karp's dynamic program
// over the subsets of cities 1..n-1 with exact integers.
func optimalCycles(w []int64, n int) int64 {
	type cell struct{ l, c int64 }
	full := 1 << (n - 1)
	dp := make([]cell, full*n) // dp[S*n+j]: paths from 0 through S ending at j (j in S, j ≥ 1)
	for i := range dp {
		dp[i].l = -1
	}
	for j := 1; j < n; j++ {
		dp[(1<<(j-1))*n+j] = cell{w[j], 1}
	}
	for s := 1; s < full; s++ {
		for j := 1; j < n; j++ {
			cur := dp[s*n+j]
			if cur.l < 0 {
				continue
			}
			for k := 1; k < n; k++ {
				if s&(1<<(k-1)) != 0 {
					continue
				}
				nx := &dp[(s|1<<(k-1))*n+k]
				l := cur.l + w[j*n+k]
				switch {
				case nx.l < 0 || l < nx.l:
					*nx = cell{l, cur.c}
				case l == nx.l:
					nx.c += cur.c
				}
			}
		}
	}
	best, count := int64(-1), int64(0)
	for j := 1; j < n; j++ {
		c := dp[(full-1)*n+j]
		l := c.l + w[j]
		switch {
		case best < 0 || l < best:
			best, count = l, c.c
		case l == best:
			count += c.c
		}
	}
	return count / 2
}

// scaledCases: Exact, Nearest and TwoOpt on every ScaledMatrices matrix,
// so that every backend must take the same steps at every scale.
func scaledCases() []Case {
	var cs []Case
	for i, sm := range ScaledMatrices() {
		for _, alg := range []tsp.Algorithm{tsp.Exact, tsp.Nearest, tsp.TwoOpt} {
			opt := tsp.Options{Algorithm: alg, Start: i % sm.M.N()}
			cs = append(cs, newCase(named{sm.Name, sm.M}, opt))
		}
	}
	return cs
}

// Proofs checks, for each solver, Exact against the Go kernel's Exhaustive
// on every ScaledMatrices matrix: when Exact says Optimal its length must be
// Exhaustive's bit for bit, and its lower bound must never exceed
// Exhaustive's length. With -short (and so under the race detector) it
// takes the matrices of 10 cities or fewer at three scales.
func Proofs(t *testing.T, solvers ...tsp.Solver) {
	t.Helper()
	if len(solvers) == 0 {
		t.Fatal("difftest.Proofs: no solvers")
	}
	ctx := context.Background()
	fails := 0
	for _, sm := range ScaledMatrices() {
		if testing.Short() && (sm.M.N() > 10 || sm.Scale != 1e-322 && sm.Scale != 1e-12 && sm.Scale != 1e300) {
			continue
		}
		ex := sm.Optimum()
		for _, s := range solvers {
			got, err := s.Solve(ctx, sm.M, tsp.Options{Algorithm: tsp.Exact})
			if err != nil {
				t.Errorf("%s: %s exact: %v", sm.Name, s.Name(), err)
				fails++
				continue
			}
			CheckTour(t, sm.M, got, 0)
			if got.Status == tsp.Optimal && math.Float64bits(got.Length) != math.Float64bits(ex.Length) {
				t.Errorf("%s: %s exact claims %v (%v) optimal, lower bound %v; exhaustive finds %v (%v)",
					sm.Name, s.Name(), got.Length, got.Order, got.LowerBound, ex.Length, ex.Order)
				fails++
			}
			if !(got.LowerBound <= ex.Length) {
				t.Errorf("%s: %s exact lower bound %v exceeds the optimum %v", sm.Name, s.Name(), got.LowerBound, ex.Length)
				fails++
			}
		}
		if fails >= 10 {
			t.Fatal("too many failures")
		}
	}
}
