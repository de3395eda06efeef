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
// behind the targets "every seed of 50 cities within 1 s" and "100 random
// cities, seeds 1–10, median ≤ 0.5 s" (issue 15). With -short (make
// bench-smoke) 100 cities run seed 1 only.
func BenchmarkSeeds(b *testing.B) {
	for _, n := range []int{25, 30, 50, 60, 100} {
		for seed := uint64(1); seed <= 10; seed++ {
			if n == 100 && seed > 1 && testing.Short() {
				break
			}
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
				iteratedGaps(b, in.Matrix, k*n, optima[name])
			})
		}
	}
}

// BenchmarkIteratedATSP: BenchmarkIterated on the asymmetric instances of
// testdata/tsplib-atsp (TSP_DIRECTED: Or-opt and kicks that keep the
// tour's direction), seeds 1 to 5, against the number of kicks; kicks0n
// is TwoOpt, which takes the average of the two directions on kro124p and
// ry48p (nearly symmetric) and the directed search on the others.
//
//	go test -run '^$' -bench IteratedATSP -benchtime 1x .
func BenchmarkIteratedATSP(b *testing.B) {
	optima := map[string]float64{"ftv33": 1286, "ftv44": 1613, "ry48p": 14422, "ft53": 6905, "ftv70": 1950, "kro124p": 36230}
	names, kicks := []string{"ftv70", "kro124p", "ftv33", "ftv44", "ry48p", "ft53"}, []int64{0, 1, 5, 10, 20, 50}
	if testing.Short() {
		names, kicks = names[:1], kicks[:2]
	}
	for _, name := range names {
		m := difftest.ATSP(name)
		n := int64(m.N())
		for _, k := range kicks {
			b.Run(fmt.Sprintf("%s/kicks%dn/go", name, k), func(b *testing.B) {
				iteratedGaps(b, m, k*n, optima[name])
			})
		}
	}
}

// iteratedGaps runs Iterated with budget kicks (TwoOpt for 0) on m for
// seeds 1 to 5 and reports the time of one solve and the median and worst
// gap to the optimum opt, in percent, and the CPU time of one solve
// (cpu-ns/op; 0 where the platform has no getrusage).
func iteratedGaps(b *testing.B, m *tsp.Matrix, budget int64, opt float64) {
	var gaps []float64
	cpu := difftest.CPUTime()
	for b.Loop() {
		gaps = gaps[:0]
		for seed := uint64(1); seed <= 5; seed++ {
			o := tsp.Options{Algorithm: tsp.Iterated, Seed: seed, Budget: max(1, budget)}
			if budget == 0 {
				o = tsp.Options{Algorithm: tsp.TwoOpt}
			}
			t, err := tsp.Solve(context.Background(), m, o)
			if err != nil {
				b.Fatal(err)
			}
			gaps = append(gaps, 100*(t.Length/opt-1))
		}
	}
	slices.Sort(gaps)
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(5*b.N), "ns/op")
	b.ReportMetric(float64(difftest.CPUTime()-cpu)/float64(5*b.N), "cpu-ns/op") // the measure; wall time includes waits on a busy machine
	b.ReportMetric(gaps[2], "gap-%")
	b.ReportMetric(gaps[4], "max-gap-%")
}

// BenchmarkPoints: the coordinate path in pure Go (issue 21), set-up and
// solve per op; with TSP_TSPLIB_DIR=../shared/tsplib, usa13509 and
// pla85900 under their deadlines too (difftest.BenchPoints):
//
//	TSP_TSPLIB_DIR=$PWD/../shared/tsplib go test -run '^$' -bench Points -benchtime 1x .
func BenchmarkPoints(b *testing.B) {
	difftest.BenchPoints(b, []string{"go"}, []tsp.PointsSolver{tsp.GoPoints()})
}

// BenchmarkExactHard: the proofs of issues 15 and 16 that take seconds,
// pure Go, one solve each (-benchtime 1x), nodes and cpu-ns/op reported:
// gr96, kroA100 and gr202, the ATSP instances ftv70 and kro124p, and the
// open path and the route to the last city of gr96 and kroA100. Left out of
// -short (make test's bench-smoke): together they take about a minute.
//
//	go test -run '^$' -bench ExactHard -benchtime 1x -count 3 .
func BenchmarkExactHard(b *testing.B) {
	if testing.Short() {
		b.Skip("seconds per proof: not with -short")
	}
	exact := tsp.Options{Algorithm: tsp.Exact}
	for _, name := range []string{"gr96", "kroA100"} {
		in, err := tsplib.ReadFile(filepath.Join("testdata/tsplib", name+".tsp"))
		if err != nil {
			b.Fatal(err)
		}
		last := tsp.Options{Algorithm: tsp.Exact, End: tsp.EndAt(in.Matrix.N() - 1)}
		path := tsp.Options{Algorithm: tsp.Exact, End: tsp.EndAnywhere}
		for _, c := range []struct {
			prefix string
			opt    tsp.Options
		}{{"", exact}, {"path-", path}, {"end-", last}} {
			b.Run(c.prefix+name+"/exact/go", func(b *testing.B) {
				difftest.BenchSolveOptions(b, tsp.Go(), in.Matrix, c.opt)
			})
		}
	}
	in, err := tsplib.ReadFile("testdata/tsplib/gr202.tsp") // issue 15's stretch: within 60 s
	if err != nil {
		b.Fatal(err)
	}
	b.Run("gr202/exact/go", func(b *testing.B) {
		difftest.BenchSolveOptions(b, tsp.Go(), in.Matrix, exact)
	})
	for _, name := range []string{"ftv70", "kro124p"} {
		m := difftest.ATSP(name)
		b.Run("atsp-"+name+"/exact/go", func(b *testing.B) {
			difftest.BenchSolveOptions(b, tsp.Go(), m, exact)
		})
	}
}
