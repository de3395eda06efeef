package tsp_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/ffi4go/tsp"
)

// Options.Progress reports each shorter route and each higher bound; the
// calls are the same on every backend. Returning true stops the search.
func ExampleOptions_progress() {
	m, err := tsp.HaversineMatrix(tsp.RandomCities(60, 1))
	if err != nil {
		fmt.Println(err)
		return
	}
	opt := tsp.Options{Algorithm: tsp.Exact, Progress: func(p tsp.Progress) bool {
		fmt.Printf("best %.1f km, bound %.1f km, gap %.2f%%, %d nodes\n", p.Length, p.LowerBound, 100*p.Gap(), p.Nodes)
		return false
	}}
	tour, err := tsp.Solve(context.Background(), m, opt)
	fmt.Printf("%s: %.1f km, %v\n", tour.Status, tour.Length, err)

	// Stop at the first route within 1 % of the bound.
	opt.Progress = func(p tsp.Progress) bool { return p.LowerBound > 0 && p.Gap() < 0.01 }
	tour, err = tsp.Solve(context.Background(), m, opt)
	fmt.Printf("%s: %.1f km, stopped by the callback: %v\n", tour.Status, tour.Length, errors.Is(err, tsp.ErrProgressStop))
	// Output:
	// best 23248.6 km, bound 0.0 km, gap 100.00%, 0 nodes
	// best 23158.1 km, bound 0.0 km, gap 100.00%, 0 nodes
	// best 23103.8 km, bound 0.0 km, gap 100.00%, 0 nodes
	// best 22922.0 km, bound 0.0 km, gap 100.00%, 0 nodes
	// best 22922.0 km, bound 22893.0 km, gap 0.13%, 1 nodes
	// best 22922.0 km, bound 22922.0 km, gap 0.00%, 4 nodes
	// optimal: 22922.0 km, <nil>
	// stopped: 22922.0 km, stopped by the callback: true
}
