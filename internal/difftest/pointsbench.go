package difftest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/ffi4go/tsp"
	"github.com/ffi4go/tsp/tsplib"
)

// BenchPoints runs the coordinate-path benchmarks for the solvers named in
// names: BenchmarkPoints/random<n>/<algorithm>/<backend>, set-up (the
// points from the cities) and solve per op, for n = 1,000, 10,000 and
// 100,000 (Nearest also at 1,000,000 unless short; TwoOpt to 100,000),
// then pla85900/iterated-10s/<backend> and usa13509/iterated-1s/<backend>
// when the directory in $TSP_TSPLIB_DIR holds them (the shared instances
// are too large for testdata): the gap-% metric is the tour's distance
// above the optimum. The random rows report cpu-ns/op (CPUTime), the
// steadier figure on a busy machine.
func BenchPoints(b *testing.B, names []string, solvers []tsp.PointsSolver) {
	sizes := []int{1000, 10000, 100000, 1000000}
	if testing.Short() {
		sizes = sizes[:1]
	}
	for _, n := range sizes {
		// made by the first sub-benchmark the -bench pattern selects, so
		// that selecting random1000 alone does not build a million cities
		var cities []tsp.City
		for _, alg := range []tsp.Algorithm{tsp.Nearest, tsp.TwoOpt} {
			if alg == tsp.TwoOpt && n > 100000 {
				continue
			}
			for i, s := range solvers {
				b.Run(fmt.Sprintf("random%d/%s/%s", n, alg, names[i]), func(b *testing.B) {
					if cities == nil {
						cities = tsp.RandomCities(n, 1)
					}
					cpu := CPUTime()
					for b.Loop() {
						if _, err := s.SolvePoints(context.Background(), tsp.CityPoints(cities), tsp.Options{Algorithm: alg}); err != nil {
							b.Fatal(err)
						}
					}
					ReportCPU(b, cpu)
				})
			}
		}
	}
	dir := os.Getenv("TSP_TSPLIB_DIR")
	if dir == "" || testing.Short() {
		return
	}
	for _, tc := range []struct {
		name     string
		optimum  float64
		deadline string
	}{{"usa13509", 19982859, "1s"}, {"pla85900", 142382641, "10s"}} {
		in, err := tsplib.ReadFilePoints(filepath.Join(dir, tc.name+".tsp"))
		if err != nil {
			b.Logf("%s: %v: skipped", tc.name, err)
			continue
		}
		p, err := in.Points()
		if err != nil {
			b.Fatal(err)
		}
		for i, s := range solvers {
			b.Run(fmt.Sprintf("%s/iterated-%s/%s", tc.name, tc.deadline, names[i]), func(b *testing.B) {
				d, _ := time.ParseDuration(tc.deadline)
				var gap float64
				for b.Loop() {
					ctx, cancel := context.WithTimeout(context.Background(), d)
					t, _ := s.SolvePoints(ctx, p, tsp.Options{Algorithm: tsp.Iterated, Seed: 1})
					cancel()
					gap = 100 * (t.Length - tc.optimum) / tc.optimum
				}
				b.ReportMetric(gap, "gap-%")
			})
		}
	}
}
