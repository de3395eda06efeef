package backends_test

import (
	"context"
	"testing"

	"github.com/ffi4go/tsp"
	"github.com/ffi4go/tsp/backends"
	"github.com/ffi4go/tsp/internal/difftest"
)

// BenchmarkProgress: a search with a progress callback (that does nothing)
// against the same search without, on every backend:
//
//	BenchmarkProgress/exact-n60/off/cgo-c, .../on/cgo-c, ...
//
// The events metric is the number of callbacks a solve makes (the same on
// every backend), so (on − off)/events estimates one callback's cost
// through the boundary.
func BenchmarkProgress(b *testing.B) {
	cases := []struct {
		name string
		m    *tsp.Matrix
		opt  tsp.Options
	}{
		{"exact-n60", difftest.Haversine(60, 2), tsp.Options{Algorithm: tsp.Exact}},
		{"iterated-n1000", difftest.Haversine(1000, 2), tsp.Options{Algorithm: tsp.Iterated, Seed: 1, Budget: 2000}},
		// For the pure-Python kernel too (Exhaustive only): 10 cities,
		// about a second in CPython, 5 ms in Go.
		{"exhaustive-n10", difftest.Haversine(10, 3), tsp.Options{Algorithm: tsp.Exhaustive}},
	}
	if testing.Short() { // make bench-smoke: the small case only
		cases = cases[:1]
	}
	// Off and on of one backend run one after the other, so that both see
	// the same load of a shared machine.
	for _, c := range cases {
		for _, be := range allBackends(b) {
			for _, mode := range []string{"off", "on"} {
				if !backends.Has(be.Name, c.opt.Algorithm) {
					continue // the pure-Python kernel: Exhaustive and Nearest
				}
				b.Run(c.name+"/"+mode+"/"+be.Name, func(b *testing.B) {
					opt := c.opt
					events := 0
					if mode == "on" {
						opt.Progress = func(tsp.Progress) bool { events++; return false }
					}
					// One solve first, untimed: a worker's start, purego's
					// callback, a JIT's warm-up belong to no mode.
					if _, err := be.Solver.Solve(context.Background(), c.m, opt); err != nil {
						b.Fatal(err)
					}
					events = 0
					runs := 0
					for b.Loop() {
						if _, err := be.Solver.Solve(context.Background(), c.m, opt); err != nil {
							b.Fatal(err)
						}
						runs++
					}
					b.ReportMetric(float64(events)/float64(runs), "events")
				})
			}
		}
	}
}
