package tsp_test

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"testing"

	"github.com/ffi4go/tsp"
	"github.com/ffi4go/tsp/internal/difftest"
	"github.com/ffi4go/tsp/tsplib"
)

// The benchmarks of the pure-Go backend: every algorithm × dataset, named
// BenchmarkSolve/<dataset>/<algorithm>/go, and BenchmarkSeeds. This package's
// tests use no cgo (they build and run with CGO_ENABLED=0 or without a C
// compiler); the same BenchmarkSolve for every backend, go included, and
// BenchmarkCall, the cost of crossing each boundary, are in package backends:
//
//	go test -run '^$' -bench . -count 5 ./backends | tee bench.txt
//	benchstat -col /backend bench.txt
//
// The routes of issue 16 (difftest.RouteBenches) are in it too:
// BenchmarkSolve/atsp-ftv33/exact/go, path-gr48 (ending anywhere) and
// end-gr48 (ending at the last city).
func BenchmarkSolve(b *testing.B) {
	difftest.BenchSolveAll(b, difftest.BenchDatasets(b, "testdata/tsplib"), []string{"go"}, []tsp.Solver{tsp.Go()})
	difftest.BenchRoutes(b, difftest.RouteBenches(b, "testdata/tsplib", true), []string{"go"}, []tsp.Solver{tsp.Go()})
}

// BenchmarkSeeds: Exact on ten random sets of each size, pure Go: the spread
// behind the targets "every seed of 50 cities within 1 s".
func BenchmarkSeeds(b *testing.B) {
	for _, n := range []int{25, 30, 50, 60} {
		for seed := uint64(1); seed <= 10; seed++ {
			m := difftest.Haversine(n, seed)
			b.Run(fmt.Sprintf("random%d/seed%02d/exact/go", n, seed), func(b *testing.B) {
				difftest.BenchSolve(b, tsp.Go(), m, tsp.Exact)
			})
		}
	}
}

// BenchmarkIterated: the tour Iterated reaches on a280, gr666, pr1002 and
// pr2392 (pure Go) against the number of kicks, for seeds 1 to 5: the
// median gap to the optimum in percent (gap-%), the worst (max-gap-%), and
// the time of one solve (ns/op). A budget of kicks is deterministic, so the
// gaps are the same on every run and every machine; the time is this
// machine's. The README's quality-against-time table comes from it:
//
//	go test -run '^$' -bench Iterated -benchtime 1x .
func BenchmarkIterated(b *testing.B) {
	optima := map[string]float64{"a280": 2579, "gr666": 294358, "pr1002": 259045, "pr2392": 378032}
	names, kicks := []string{"a280", "gr666", "pr1002", "pr2392"}, []int64{0, 1, 5, 20, 50, 100, 200}
	if testing.Short() { // make bench-smoke: that it runs
		names, kicks = names[:1], kicks[:2]
	}
	for _, name := range names {
		in, err := tsplib.ReadFile(filepath.Join("testdata/tsplib", name+".tsp"))
		if err != nil {
			b.Fatal(err)
		}
		n := int64(in.N)
		for _, k := range kicks {
			b.Run(fmt.Sprintf("%s/kicks%dn/go", name, k), func(b *testing.B) {
				var gaps []float64
				for b.Loop() {
					gaps = gaps[:0]
					for seed := uint64(1); seed <= 5; seed++ {
						opt := tsp.Options{Algorithm: tsp.Iterated, Seed: seed, Budget: max(1, k*n)}
						if k == 0 {
							opt = tsp.Options{Algorithm: tsp.TwoOpt}
						}
						t, err := tsp.Solve(context.Background(), in.Matrix, opt)
						if err != nil {
							b.Fatal(err)
						}
						gaps = append(gaps, 100*(t.Length/optima[name]-1))
					}
				}
				slices.Sort(gaps)
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(5*b.N), "ns/op")
				b.ReportMetric(gaps[2], "gap-%")
				b.ReportMetric(gaps[4], "max-gap-%")
			})
		}
	}
}
