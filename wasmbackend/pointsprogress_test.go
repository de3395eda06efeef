package wasmbackend

import (
	"testing"
	"time"

	"github.com/ffi4go/tsp/internal/difftest"
)

// TestPointsProgress: tsp_solve_points_progress of both WebAssembly
// kernels calls the host import "progress" with the Go kernel's events,
// stops at the Go kernel's step when the callback asks or panics, and a
// deadline during the k-d tree's build is seen at once (ABI 7). The
// 20,000-point cases and a million points unless -short.
func TestPointsProgress(t *testing.T) {
	forEach(t, func(t *testing.T, k *Kernel) {
		if raceEnabled { // the events and the stops only, on the small cases
			difftest.PointsProgressSame(t, true, k.Points())
			difftest.PointsProgressStop(t, true, k.Points())
			return
		}
		// the build alone took 15 s at a million points, load 9
		difftest.PointsProgressChecks(t, k.Points(), 2*time.Second)
	})
}
