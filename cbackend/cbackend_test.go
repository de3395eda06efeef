package cbackend_test

import (
	"errors"
	"testing"

	"github.com/ffi4go/tsp"
	"github.com/ffi4go/tsp/cbackend"
	"github.com/ffi4go/tsp/internal/difftest"
)

func solver(t *testing.T) tsp.Solver {
	t.Helper()
	s, err := cbackend.New()
	if !cbackend.Available {
		if err == nil || !errors.Is(err, tsp.ErrUnavailable) {
			t.Fatalf("without cgo New() = %v, %v; want an ErrUnavailable error", s, err)
		}
		t.Skip("built without cgo: New reports it (checked above)")
	}
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestDifferential: every case of internal/difftest gives the Go kernel's
// order, length and bound bits, nodes, status and error.
func TestDifferential(t *testing.T) {
	s := solver(t) // first: it skips without cgo, before the cases are built
	difftest.Compare(t, difftest.Cases(), s)
}

// TestProofs: Exact proves Exhaustive's optimum at every scale
// (difftest.Proofs).
func TestProofs(t *testing.T) {
	difftest.Proofs(t, solver(t))
}

// TestRoutes: asymmetric matrices and routes with an end, every algorithm,
// against brute force (difftest.Routes).
func TestRoutes(t *testing.T) {
	difftest.Routes(t, solver(t))
}

// TestCalls: tsp_abi_version, tsp_noop, tsp_haversine and tsp_matrix agree
// with Go (difftest.CheckCalls).
func TestCalls(t *testing.T) {
	solver(t)
	difftest.CheckCalls(t, cbackend.Calls{})
}

// TestCancel: deadlines and cancels stop every search (difftest.Cancel).
func TestCancel(t *testing.T) {
	difftest.Cancel(t, solver(t))
}

func TestSolveErrors(t *testing.T) {
	difftest.SolveErrors(t, solver(t))
}

// TestDuplicateStops: duplicate cities merge before the kernel runs
// (issue 13; difftest.DuplicateStops).
func TestDuplicateStops(t *testing.T) {
	difftest.DuplicateStops(t, solver(t))
}
