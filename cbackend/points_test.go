package cbackend_test

import (
	"errors"
	"testing"

	"github.com/ffi4go/tsp"
	"github.com/ffi4go/tsp/cbackend"
	"github.com/ffi4go/tsp/internal/difftest"
)

// TestPoints: tsp_solve_points of this kernel gives the Go kernel's tours,
// length bits and node counts on points of every kind, stops on a
// deadline, and refuses what the Go kernel refuses (issue 21).
func TestPoints(t *testing.T) {
	s, err := cbackend.Points()
	if !cbackend.Available {
		if err == nil || !errors.Is(err, tsp.ErrUnavailable) {
			t.Fatalf("without cgo Points() = %v, %v; want an ErrUnavailable error", s, err)
		}
		t.Skip("built without cgo: Points reports it (checked above)")
	}
	if err != nil {
		t.Fatal(err)
	}
	difftest.ComparePoints(t, s, difftest.PointsCases(testing.Short()))
	difftest.PointsCancel(t, s)
	difftest.PointsFuncChecks(t, s.Name(), cbackend.SolvePointsForTest)
}
