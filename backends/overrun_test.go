package backends_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/ffi4go/tsp"
	"github.com/ffi4go/tsp/backends"
	"github.com/ffi4go/tsp/internal/difftest"
)

// BenchmarkOverrun measures how long after its deadline a solve returns
// (issue 13's target: at most 50 ms for every backend, algorithm and size).
// Each iteration solves one matrix under context.WithTimeout(deadline), made
// just before the call, and measures the return time minus the deadline (0
// when the solve finished in time). Names are
// BenchmarkOverrun/<dataset>/<algorithm>/<deadline>/<backend>; the metrics
// are the worst and the median overrun in milliseconds, and the share of
// solves that the deadline stopped. The matrices are made before the clock
// starts (a tsp.Matrix is checked once, when it is made);
// BenchmarkOverrun/cities… times SolveCities: a round trip on the
// coordinate path, and an open path (2opt-open), whose matrix is part of
// the solve; BenchmarkOverrun/asym… solves random asymmetric costs.
//
//	go test -run '^$' -bench Overrun -benchtime 20x ./backends
func BenchmarkOverrun(b *testing.B) {
	bs := allBackends(b)
	deadlines := []time.Duration{time.Millisecond, 10 * time.Millisecond, 100 * time.Millisecond}
	sizes := []int{13, 250, 1000, 10000}
	if testing.Short() { // make bench-smoke: that it runs
		deadlines, sizes = deadlines[:1], sizes[:2]
	}
	for _, n := range sizes {
		cities := tsp.RandomCities(n, uint64(n))
		m, err := tsp.HaversineMatrix(cities)
		if err != nil {
			b.Fatal(err)
		}
		for _, alg := range tsp.Algorithms() {
			if n > alg.MaxCities() {
				continue
			}
			for _, d := range deadlines {
				for _, be := range bs {
					name := fmt.Sprintf("random%d/%s/%v/%s", n, alg, d, be.Name)
					b.Run(name, func(b *testing.B) {
						skipHugePython(b, n, be.Name)
						measureOverrun(b, d, func(ctx context.Context) (tsp.Tour, error) {
							return be.Solver.Solve(ctx, m, tsp.Options{Algorithm: alg})
						})
					})
				}
			}
		}
		if n == 10000 {
			for _, d := range deadlines {
				b.Run(fmt.Sprintf("cities%d/%s/%v/SolveCities", n, tsp.TwoOpt, d), func(b *testing.B) {
					measureOverrun(b, d, func(ctx context.Context) (tsp.Tour, error) {
						return tsp.SolveCities(ctx, cities, tsp.Options{Algorithm: tsp.TwoOpt})
					})
				})
			}
			// A route with an end still builds the matrix (the coordinate
			// path takes round trips): an open path of 9,999 cities.
			open := cities[:n-1]
			for _, d := range deadlines {
				b.Run(fmt.Sprintf("cities%d/%s-open/%v/SolveCities", len(open), tsp.TwoOpt, d), func(b *testing.B) {
					measureOverrun(b, d, func(ctx context.Context) (tsp.Tour, error) {
						return tsp.SolveCities(ctx, open, tsp.Options{Algorithm: tsp.TwoOpt, End: tsp.EndAnywhere})
					})
				})
			}
		}
		m = nil
	}
	// Asymmetric costs: the directed search (TSP_DIRECTED) and the
	// transformation of the route before the kernel call.
	for _, n := range sizes[1:] {
		m, err := tsp.NewMatrix(n, difftest.AsymmetricData(rand.New(rand.NewPCG(uint64(n), 1)), n, 1000))
		if err != nil {
			b.Fatal(err)
		}
		for _, alg := range []tsp.Algorithm{tsp.Nearest, tsp.TwoOpt, tsp.Iterated} {
			for _, d := range deadlines {
				for _, be := range bs {
					b.Run(fmt.Sprintf("asym%d/%s/%v/%s", n, alg, d, be.Name), func(b *testing.B) {
						skipHugePython(b, n, be.Name)
						measureOverrun(b, d, func(ctx context.Context) (tsp.Tour, error) {
							return be.Solver.Solve(ctx, m, tsp.Options{Algorithm: alg})
						})
					})
				}
			}
		}
	}
}

// skipHugePython skips the Python backends past 1,000 cities: their worker
// reads the matrix (800 MB at 10,000 cities) into a Python array of its
// own, and the pure-Python kernel checks it in Python before it polls.
func skipHugePython(b *testing.B, n int, name string) {
	if n > 1000 && slices.Contains(backends.PythonNames(), name) {
		b.Skipf("%s on %d cities: a second copy of the matrix (8·n² bytes) in a Python process", name, n)
	}
}

// skipUnsupported skips the benchmark when its backend lacks the algorithm
// (the pure-Python kernel's: errors.ErrUnsupported).
func skipUnsupported(b *testing.B, err error) {
	if errors.Is(err, errors.ErrUnsupported) {
		b.Skip(err)
	}
}

func measureOverrun(b *testing.B, d time.Duration, solve func(ctx context.Context) (tsp.Tour, error)) {
	var over []time.Duration
	stopped := 0
	for b.Loop() {
		ctx, cancel := context.WithTimeout(context.Background(), d)
		deadline, _ := ctx.Deadline()
		t, err := solve(ctx)
		late := time.Since(deadline)
		cancel()
		skipUnsupported(b, err)
		switch {
		case t.Status == tsp.Stopped:
			if !errors.Is(err, context.DeadlineExceeded) {
				b.Fatalf("stopped with %v", err)
			}
			stopped++
		case err != nil:
			b.Fatal(err)
		}
		over = append(over, max(late, 0))
	}
	slices.Sort(over)
	ms := func(x time.Duration) float64 { return float64(x) / float64(time.Millisecond) }
	b.ReportMetric(ms(over[len(over)-1]), "max-overrun-ms")
	b.ReportMetric(ms(over[len(over)/2]), "p50-overrun-ms")
	b.ReportMetric(float64(stopped)/float64(len(over)), "stopped/op")
}
