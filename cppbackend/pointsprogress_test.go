package cppbackend_test

import (
	"testing"
	"time"

	"github.com/ffi4go/tsp/cppbackend"
	"github.com/ffi4go/tsp/internal/difftest"
)

// TestPointsProgress: tsp_solve_points_progress of this kernel calls back
// with the Go kernel's events (every length bit, node count and route),
// stops where the Go kernel stops when the callback asks or panics, and a
// deadline during the k-d tree's build is seen at once (ABI 7).
func TestPointsProgress(t *testing.T) {
	if !cppbackend.Available {
		t.Skip("built without cgo")
	}
	s, err := cppbackend.Points()
	if err != nil {
		t.Fatal(err)
	}
	difftest.PointsProgressChecks(t, s, 1500*time.Millisecond) // the build alone: 4.5-5 s at a million points, load 6
}
