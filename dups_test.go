package tsp_test

import (
	"context"
	"errors"
	"testing"

	"github.com/ffi4go/tsp"
	"github.com/ffi4go/tsp/internal/difftest"
)

// TestDuplicateStops: issue 13, 30 stops on 9 places (repeat deliveries)
// stayed unproven after 60 s; duplicates are now merged before the search
// (difftest.DuplicateStops, which every backend runs).
func TestDuplicateStops(t *testing.T) {
	difftest.DuplicateStops(t, tsp.Go())
}

// TestDuplicatesNonMetric: where going through a duplicate is shorter than
// going directly, Exhaustive and Exact must not merge it: 0 and 1 are
// duplicates, and the best tour visits them apart (0 2 1 3, length 4), while
// every tour that visits them together has length 102.
func TestDuplicatesNonMetric(t *testing.T) {
	m, err := tsp.NewMatrixRows([][]float64{
		{0, 0, 1, 1},
		{0, 0, 1, 1},
		{1, 1, 0, 100},
		{1, 1, 100, 0},
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, alg := range []tsp.Algorithm{tsp.Exhaustive, tsp.Exact} {
		for start := 0; start < 4; start++ {
			got, err := tsp.Solve(context.Background(), m, tsp.Options{Algorithm: alg, Start: start})
			if err != nil || got.Length != 4 || got.Status != tsp.Optimal {
				t.Errorf("%s from %d: %v, %v; want length 4, optimal", alg, start, got, err)
			}
			difftest.CheckTour(t, m, got, start)
		}
	}
}

// TestDuplicateLimits: the limits of Exhaustive and Exact apply to the
// distinct places.
func TestDuplicateLimits(t *testing.T) {
	cities, _ := difftest.RepeatedStops(40, 13, 1)
	m, err := tsp.HaversineMatrix(cities)
	if err != nil {
		t.Fatal(err)
	}
	if err := (tsp.Options{Algorithm: tsp.Exhaustive}).Validate(m); err != nil {
		t.Errorf("40 stops on 13 places, exhaustive: %v", err)
	}
	cities, _ = difftest.RepeatedStops(40, 14, 1)
	if m, err = tsp.HaversineMatrix(cities); err != nil {
		t.Fatal(err)
	}
	if err := (tsp.Options{Algorithm: tsp.Exhaustive}).Validate(m); !errors.Is(err, tsp.ErrTooLarge) {
		t.Errorf("40 stops on 14 places, exhaustive: %v, want ErrTooLarge", err)
	}
}
