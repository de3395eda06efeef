package cbackend_test

import (
	"errors"
	"math"
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
	difftest.Compare(t, difftest.Cases(), solver(t))
}

func TestMatrixAgreesWithGo(t *testing.T) {
	solver(t)
	difftest.MatrixAgrees(t, cbackend.Calls{}.Matrix)
	m := difftest.Haversine(2, 4)
	in := [5]float64{}
	cs := tsp.RandomCities(2, 4)
	in[0], in[1], in[2], in[3], in[4] = cs[0].Lat, cs[0].Lon, cs[1].Lat, cs[1].Lon, tsp.EarthRadiusKm
	if h := (cbackend.Calls{}).Haversine(&in); math.Abs(h-m.At(0, 1)) > 1e-9 {
		t.Errorf("tsp_haversine = %v, want %v", h, m.At(0, 1))
	}
	if got := (cbackend.Calls{}).Noop(42); got != 42 {
		t.Errorf("tsp_noop(42) = %d", got)
	}
	if v := (cbackend.Calls{}).ABIVersion(); v != tsp.ABIVersion {
		t.Errorf("tsp_abi_version = %d", v)
	}
}

// TestCancel: deadlines and cancels stop every search (difftest.Cancel).
func TestCancel(t *testing.T) {
	difftest.Cancel(t, solver(t))
}

func TestSolveErrors(t *testing.T) {
	difftest.SolveErrors(t, solver(t))
}
