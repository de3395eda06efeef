package cbackend_test

import (
	"testing"

	"github.com/ffi4go/tsp/cbackend"
	"github.com/ffi4go/tsp/internal/difftest"
)

// TestPoints: tsp_solve_points of the C kernel gives the Go kernel's
// tours, length bits and node counts on points of every kind (issue 21).
func TestPoints(t *testing.T) {
	s, err := cbackend.Points()
	if err != nil {
		t.Skip(err) // no cgo: the purego backends run the C kernel
	}
	difftest.ComparePoints(t, s, difftest.PointsCases(testing.Short()))
	difftest.PointsCancel(t, s)
}
