package tsp_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/ffi4go/tsp"
	"github.com/ffi4go/tsp/internal/difftest"
	"github.com/ffi4go/tsp/kernel"
)

// TestPointsProgressEvents: the Go kernel's progress on the coordinate
// path in order, the same result as without (difftest.PointsProgressSame
// with no other solver), and a stop or panic in the callback
// (PointsProgressStop).
func TestPointsProgressEvents(t *testing.T) {
	difftest.PointsProgressSame(t, testing.Short())
	difftest.PointsProgressStop(t, testing.Short())
}

// TestPointsSetupCancel: a deadline during the k-d tree's build of a
// million points is seen at once (the build polls the cancel flag), and a
// cancel flag set before the call gives the cities in index order from
// start.
func TestPointsSetupCancel(t *testing.T) {
	n := 1_000_000
	if testing.Short() {
		n = 200_000
	}
	difftest.PointsSetupCancel(t, tsp.GoPoints(), n, 30*time.Millisecond, 1500*time.Millisecond) // the build alone: 4.5-5 s at a million points, load 6

	p := &tsp.Points{Kind: tsp.KindEuc2D, X: make([]float64, 50000), Y: make([]float64, 50000)}
	for i := range p.X {
		p.X[i], p.Y[i] = float64(i%223), float64(i/223)
	}
	order := make([]int32, p.Len())
	var length float64
	var nodes uint64
	stop := int32(1)
	code := kernel.GoPoints()(p.X, p.Y, int32(p.Len()), int32(p.Kind), 0, 4, kernel.AlgNearest, 0, 0, &stop, order, &length, &nodes)
	want := []int32{4, 3, 2, 1, 0, int32(p.Len() - 1)} // index order from 4, turned
	if code != kernel.CodeStopped || !slices.Equal(order[:6], want) || order[len(order)-1] != 5 {
		t.Errorf("stopped before the call: code %d, order %v...", code, order[:6])
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	tour, _ := tsp.SolvePoints(ctx, p, tsp.Options{Algorithm: tsp.TwoOpt, Start: 4})
	if tsp.PointsLength(p, tour.Order) != tour.Length || tour.Order[1] != 3 || tour.Status != tsp.Stopped {
		t.Errorf("cancelled before: %v, %v, %v", tour.Order[:5], tour.Length, tour.Status)
	}
}
