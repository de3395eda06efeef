//go:build darwin || freebsd || linux || netbsd

package loader

import (
	"testing"

	"github.com/ffi4go/tsp/internal/difftest"
)

// TestPoints: tsp_solve_points of both libraries gives the Go kernel's
// tours, length bits and node counts on points of every kind, stops on a
// deadline and refuses what the Go kernel refuses (issue 21).
func TestPoints(t *testing.T) {
	forEachLib(t, func(t *testing.T, l *Library) {
		s, err := l.Points()
		if err != nil {
			t.Fatal(err)
		}
		difftest.ComparePoints(t, s, difftest.PointsCases(testing.Short()))
		difftest.PointsCancel(t, s)
		fn, err := l.pointsFunc()
		if err != nil {
			t.Fatal(err)
		}
		difftest.PointsFuncChecks(t, l.Name(), fn)
	})
}
