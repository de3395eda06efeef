//go:build darwin || freebsd || linux || netbsd

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
		// the small cases and 200,000 points: the kernels are cgo-c's and
		// cgo-cpp's, which run the large ones; this checks the boundary
		difftest.PointsProgressSame(t, true, s)
		difftest.PointsProgressStop(t, true, s)
		difftest.PointsSetupCancel(t, s, 200_000, 30*time.Millisecond, 1500*time.Millisecond)
	})
}
