package loader

import (
	"testing"
	"time"

	"github.com/ffi4go/tsp/internal/difftest"
)

// TestPointsProgress: tsp_solve_points_progress of both libraries calls
// back through purego's one callback with the Go kernel's events, stops at
// the Go kernel's step when the callback asks or panics, and a deadline
// during the k-d tree's build is seen at once (ABI 7).
func TestPointsProgress(t *testing.T) {
	forEachLib(t, func(t *testing.T, l *Library) {
		s, err := l.Points()
		if err != nil {
			t.Fatal(err)
		}
		difftest.PointsProgressChecks(t, s, 1500*time.Millisecond)
	})
}
