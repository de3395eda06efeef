package tsp_test

import (
	"testing"

	"github.com/ffi4go/tsp/internal/difftest"
)

// TestProgress: the Go kernel's progress events arrive in order (lengths
// down, bounds up), each with its route, and a callback changes no result.
func TestProgress(t *testing.T) { difftest.ProgressSame(t) }

// TestProgressStop: a callback that returns true, or panics, stops the
// search with the best tour so far.
func TestProgressStop(t *testing.T) { difftest.ProgressStop(t) }
