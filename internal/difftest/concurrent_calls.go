package difftest

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/ffi4go/tsp"
)

// ConcurrentWithCalls: eight goroutines solve through s at once (48 small
// jobs of every algorithm, three times round; Concurrent checks each
// against the Go kernel) while four others make c's small calls, Noop and
// Haversine, at least minCalls each and until the solves are done. For a
// backend with state shared between calls: a loaded library, a pool of
// WebAssembly instances.
func ConcurrentWithCalls(t *testing.T, s tsp.Solver, c Calls, minCalls int32) {
	t.Helper()
	r := rand.New(rand.NewPCG(8, 8))
	var jobs []Case
	for i := 0; i < 48; i++ {
		alg := tsp.Algorithms()[i%len(tsp.Algorithms())]
		n := 3 + r.IntN(8)
		if alg == tsp.Exact || alg == tsp.TwoOpt {
			n = 10 + r.IntN(40)
		}
		jobs = append(jobs, Case{Name: fmt.Sprintf("%v/n%d/%d", alg, n, i), M: Haversine(n, r.Uint64()),
			Opt: tsp.Options{Algorithm: alg, Start: r.IntN(n)}})
	}
	// Goroutine g solves jobs g, g+8, g+16, ... three times round.
	work := make([][]Case, 8)
	for g := range work {
		for i := g; i < g+3*len(jobs); i += 8 {
			work[g] = append(work[g], jobs[i%len(jobs)])
		}
	}
	var wg sync.WaitGroup
	var solved atomic.Bool
	errs := make(chan string, 4)
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int32(0); i < minCalls || !solved.Load(); i++ {
				x := i%2000*int32(g+1) - 1000
				if got := c.Noop(x); got != x {
					errs <- fmt.Sprintf("Noop(%d) = %d", x, got)
					return
				}
				in := [5]float64{float64(i%90) - 45, float64(g), 10, 20, 6371}
				want := tsp.HaversineRadius(in[0], in[1], in[2], in[3], in[4])
				// the last bits of libm's sin, cos and asin against Go's math
				if got := c.Haversine(&in); !(math.Abs(got-want) <= 1e-12*math.Max(1, math.Abs(want))) {
					errs <- fmt.Sprintf("Haversine(%v) = %v, want %v", in, got, want)
					return
				}
			}
		}()
	}
	Concurrent(t, work, func(int) []tsp.Solver { return []tsp.Solver{s} })
	solved.Store(true)
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}
