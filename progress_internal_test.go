package tsp

import (
	"math"
	"testing"
)

// BenchmarkProgressSink: what package tsp adds to each of the kernel's
// progress calls on a plain tour of 1,000 cities, after the boundary: the
// clock, the tour rotated and turned into the caller's form, its length
// summed, and the callback (empty here). With ProgressOrder the route is a
// new slice for the caller to keep; without, a buffer reused.
func BenchmarkProgressSink(b *testing.B) {
	const n = 1000
	m, err := HaversineMatrix(RandomCities(n, 1))
	if err != nil {
		b.Fatal(err)
	}
	order := make([]int32, n)
	for i := range order {
		order[i] = int32((i + 17) % n)
	}
	for _, keep := range []bool{false, true} {
		name := "n1000/reuse"
		if keep {
			name = "n1000/order"
		}
		b.Run(name, func(b *testing.B) {
			ps := newProgressSink(Options{ProgressOrder: keep, Progress: func(Progress) bool { return false }}, Iterated)
			ps.setBack(func(o []int) ([]int, float64) { return o, TourLength(m, o) }, nil)
			for b.Loop() {
				ps.length = math.Inf(1) // each call is an improvement, so each goes through
				ps.report(1, 1, 0, 0, order)
			}
		})
	}
}
