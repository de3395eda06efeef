package tsp_test

import (
	"fmt"
	"testing"

	"github.com/ffi4go/tsp"
	"github.com/ffi4go/tsp/internal/difftest"
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
