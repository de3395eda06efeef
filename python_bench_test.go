package tsp_test

import (
	"fmt"
	"testing"

	"github.com/ffi4go/tsp"
)

// BenchmarkFromPython is the Go reference of the README's "From Python"
// table (python/tsp_ffi/bench.py): Exhaustive on the first 9, 10 and 11
// demo cities with the pure-Go backend, the matrix made from the cities in
// each solve as the Python API does:
//
//	go test -run '^$' -bench FromPython -count 5 .
func BenchmarkFromPython(b *testing.B) {
	for _, n := range []int{9, 10, 11} {
		cities := tsp.Demo11()[:n]
		b.Run(fmt.Sprintf("demo%d/exhaustive/go", n), func(b *testing.B) {
			var t tsp.Tour
			for b.Loop() {
				var err error
				t, err = tsp.SolveCities(b.Context(), cities, tsp.Options{Algorithm: tsp.Exhaustive})
				if err != nil || t.Status != tsp.Optimal {
					b.Fatal(t.Status, err)
				}
			}
			b.ReportMetric(float64(t.Nodes), "nodes")
		})
	}
}
