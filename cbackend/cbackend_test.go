package cbackend_test

import (
	"context"
	"errors"
	"math"
	"testing"
	"time"

	"github.com/ffi4go/tsp"
	"github.com/ffi4go/tsp/cbackend"
	"github.com/ffi4go/tsp/internal/difftest"
	"github.com/ffi4go/tsp/kernel"
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

func TestDifferential(t *testing.T) {
	s := solver(t)
	cases := difftest.Cases()
	if len(cases) < 500 {
		t.Fatalf("only %d cases", len(cases))
	}
	difftest.Compare(t, s, cases)
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
	if v := (cbackend.Calls{}).ABIVersion(); v != kernel.ABIVersion {
		t.Errorf("tsp_abi_version = %d", v)
	}
}

func TestCancel(t *testing.T) {
	s := solver(t)
	for _, c := range []struct {
		name     string
		m        *tsp.Matrix
		alg      tsp.Algorithm
		after    time.Duration
		deadline bool // a deadline (context.WithTimeout), else a cancel after the delay
	}{
		{"exhaustive13", difftest.Haversine(13, 1), tsp.Exhaustive, 30 * time.Millisecond, true},
		{"exact250", difftest.Haversine(250, 1), tsp.Exact, 30 * time.Millisecond, true},
		// Stops in the nearest-neighbour tour, the neighbour lists or 2-opt.
		{"twoopt5000", difftest.Haversine(5000, 1), tsp.TwoOpt, 20 * time.Millisecond, true},
		// Stops in the nearest-neighbour tour: the unvisited cities follow
		// in index order, and the status is Stopped.
		{"nearest10000", difftest.Haversine(10000, 1), tsp.Nearest, time.Millisecond, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			var ctx context.Context
			var cancel context.CancelFunc
			wantErr := context.DeadlineExceeded
			if c.deadline {
				ctx, cancel = context.WithTimeout(context.Background(), c.after)
			} else {
				ctx, cancel = context.WithCancel(context.Background())
				time.AfterFunc(c.after, cancel)
				wantErr = context.Canceled
			}
			defer cancel()
			done := make(chan struct{})
			var tour tsp.Tour
			var err error
			go func() {
				tour, err = s.Solve(ctx, c.m, tsp.Options{Algorithm: c.alg, Start: 3})
				close(done)
			}()
			select {
			case <-done:
			case <-time.After(5 * time.Second):
				t.Fatal("the cancelled solve did not return within 5 s")
			}
			if !errors.Is(err, wantErr) || tour.Status != tsp.Stopped {
				t.Fatalf("err = %v, status %v; want %v and stopped", err, tour.Status, wantErr)
			}
			difftest.CheckTour(t, c.m, tour, 3)
			if tour.LowerBound > tour.Length {
				t.Errorf("lower bound %v > length %v", tour.LowerBound, tour.Length)
			}
		})
	}
}

func TestSolveErrors(t *testing.T) {
	difftest.SolveErrors(t, solver(t))
}
