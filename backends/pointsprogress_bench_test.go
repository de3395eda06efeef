package backends_test

import (
	"cmp"
	"context"
	"os"
	"testing"

	"github.com/ffi4go/tsp"
	"github.com/ffi4go/tsp/backends"
)

// BenchmarkPointsProgress: a search on the coordinate path with a progress
// callback (that does nothing; "order": with ProgressOrder, the route
// copied for the caller) against the same search without, on every
// backend that solves points:
//
//	BenchmarkPointsProgress/iterated-n20000/off/cgo-c, .../on/cgo-c, .../order/cgo-c
//
// The events metric is the number of callbacks a solve makes (the same on
// every backend).
func BenchmarkPointsProgress(b *testing.B) {
	cases := []struct {
		name string
		p    *tsp.Points
		opt  tsp.Options
	}{
		{"iterated-n20000", tsp.CityPoints(tsp.RandomCities(20000, 2)), tsp.Options{Algorithm: tsp.Iterated, Seed: 1, Budget: 20000}},
		{"2opt-n100000", tsp.CityPoints(tsp.RandomCities(100000, 2)), tsp.Options{Algorithm: tsp.TwoOpt}},
	}
	if testing.Short() { // make bench-smoke: a small case only
		cases = []struct {
			name string
			p    *tsp.Points
			opt  tsp.Options
		}{{"iterated-n1000", tsp.CityPoints(tsp.RandomCities(1000, 2)), tsp.Options{Algorithm: tsp.Iterated, Seed: 1, Budget: 1000}}}
	}
	all := allBackends(b)
	cfg := backends.Config{LibDir: cmp.Or(os.Getenv(backends.EnvLibPath), benchDir), GoWorker: os.Args[0]}
	for _, c := range cases {
		for _, be := range all {
			s, err := backends.Points(be.Name, cfg)
			if err != nil {
				continue // a backend without the coordinate path
			}
			// Off, on and order of one backend one after the other, so
			// that they see the same load of a shared machine.
			for _, mode := range []string{"off", "on", "order"} {
				b.Run(c.name+"/"+mode+"/"+be.Name, func(b *testing.B) {
					opt := c.opt
					events := 0
					if mode != "off" {
						opt.Progress = func(tsp.Progress) bool { events++; return false }
						opt.ProgressOrder = mode == "order"
					}
					// One solve first, untimed (a worker's start, purego's callback).
					if _, err := s.SolvePoints(context.Background(), c.p, opt); err != nil {
						b.Fatal(err)
					}
					events = 0
					runs := 0
					for b.Loop() {
						if _, err := s.SolvePoints(context.Background(), c.p, opt); err != nil {
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
