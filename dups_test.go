package tsp_test

import (
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
