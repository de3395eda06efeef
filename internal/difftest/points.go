package difftest

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/ffi4go/tsp"
	"github.com/ffi4go/tsp/internal/abi"
)

// The coordinate path (tsp_solve_points, ABI 6, issue 21): every backend
// against the pure-Go kernel on points of every kind.

// PointsCase is one input of the coordinate path with the options to solve
// it with.
type PointsCase struct {
	Name string
	P    *tsp.Points
	Opt  tsp.Options
}

// randomPoints returns n points of kind from seed: cities for haversine,
// DDD.MM coordinates for GEO, and for the planar kinds a square of side
// 1000 (with duplicates and equal distances when grid is set: integer
// coordinates on a 20×20 lattice).
func randomPoints(kind tsp.PointKind, n int, seed uint64, grid bool) *tsp.Points {
	r := rand.New(rand.NewPCG(seed, 21))
	p := &tsp.Points{Kind: kind, X: make([]float64, n), Y: make([]float64, n)}
	for i := range n {
		switch {
		case kind == tsp.KindHaversine:
			p.X[i], p.Y[i] = r.Float64()*180-90, r.Float64()*360-180
		case kind == tsp.KindGeo:
			p.X[i], p.Y[i] = float64(r.IntN(140)-70)+float64(r.IntN(60))/100, float64(r.IntN(340)-170)+float64(r.IntN(60))/100
		case grid:
			p.X[i], p.Y[i] = float64(r.IntN(20)), float64(r.IntN(20))
		default:
			p.X[i], p.Y[i] = r.Float64()*1000, r.Float64()*1000
		}
	}
	p.Radius = tsp.EarthRadiusKm
	return p
}

// PointsCases are the differential cases of the coordinate path: every
// kind, 1 to 3,000 points, lattices with duplicates and ties, every
// algorithm, several starts, seeds and budgets. short keeps a quarter of
// those up to 200 points.
func PointsCases(short bool) []PointsCase {
	var cs []PointsCase
	kinds := []tsp.PointKind{tsp.KindHaversine, tsp.KindEuc2D, tsp.KindCeil2D, tsp.KindAtt, tsp.KindGeo}
	sizes := []int{1, 2, 3, 4, 5, 7, 8, 9, 13, 50, 200, 1000, 3000}
	if short {
		sizes = sizes[:len(sizes)-2] // the race detector makes the large ones slow
	}
	algs := []tsp.Algorithm{tsp.Nearest, tsp.TwoOpt, tsp.Iterated}
	i := 0
	for _, kind := range kinds {
		for _, n := range sizes {
			for _, grid := range []bool{false, true} {
				if grid && (kind == tsp.KindHaversine || kind == tsp.KindGeo || n > 1000) {
					continue
				}
				p := randomPoints(kind, n, uint64(n)*7+uint64(kind), grid)
				for _, alg := range algs {
					i++
					if short && i%4 != 0 {
						continue
					}
					opt := tsp.Options{Algorithm: alg, Start: (i * 7919) % n, Seed: uint64(i)}
					if alg == tsp.Iterated {
						opt.Budget = int64(min(3*n, 3000))
					}
					cs = append(cs, PointsCase{fmt.Sprintf("kind%d/n%d/grid%v/%s", kind, n, grid, alg), p, opt})
				}
			}
		}
	}
	return cs
}

// ComparePoints solves every case with s and with the Go kernel and
// requires the same order, length bits, node count and status.
func ComparePoints(t *testing.T, s tsp.PointsSolver, cases []PointsCase) {
	t.Helper()
	ctx := context.Background()
	for _, c := range cases {
		want, werr := tsp.GoPoints().SolvePoints(ctx, c.P, c.Opt)
		got, gerr := s.SolvePoints(ctx, c.P, c.Opt)
		if (werr == nil) != (gerr == nil) {
			t.Errorf("%s: %s error %v, go %v", c.Name, s.Name(), gerr, werr)
			continue
		}
		if !slices.Equal(got.Order, want.Order) || math.Float64bits(got.Length) != math.Float64bits(want.Length) ||
			got.Nodes != want.Nodes || got.Status != want.Status {
			t.Errorf("%s: %s gives length %v, %d nodes, %v; go %v, %d nodes, %v (orders equal: %v)", c.Name, s.Name(),
				got.Length, got.Nodes, got.Status, want.Length, want.Nodes, want.Status, slices.Equal(got.Order, want.Order))
		}
	}
}

// PointsFuncChecks calls k directly with what SolvePoints never passes:
// unknown kinds and algorithms, flags, bad starts and sizes, bad
// coordinates and radii, an endless Iterated; every one must give
// CodeInvalid (CodeTooLarge for n above MaxPoints), like the Go kernel.
func PointsFuncChecks(t *testing.T, name string, k abi.PointsFunc) {
	t.Helper()
	x, y := []float64{0, 1, 2, 3}, []float64{0, 1, 0, 1}
	order := make([]int32, 4)
	var length float64
	var nodes uint64
	var flag int32
	call := func(x, y []float64, n, kind int32, radius float64, start, alg int32, budget int64, cancel *int32) int32 {
		return k(x, y, n, kind, radius, start, alg, 1, budget, cancel, order, &length, &nodes)
	}
	for _, tc := range []struct {
		what string
		code int32
		got  int32
	}{
		{"kind 0", abi.CodeInvalid, call(x, y, 4, 0, 1, 0, abi.Nearest, 0, nil)},
		{"kind 6", abi.CodeInvalid, call(x, y, 4, 6, 1, 0, abi.Nearest, 0, nil)},
		{"exact", abi.CodeInvalid, call(x, y, 4, abi.PointsEuc2D, 1, 0, abi.Exact, 0, nil)},
		{"exhaustive", abi.CodeInvalid, call(x, y, 4, abi.PointsEuc2D, 1, 0, abi.Exhaustive, 0, nil)},
		{"flag", abi.CodeInvalid, call(x, y, 4, abi.PointsEuc2D, 1, 0, abi.Nearest|abi.FlagChecked, 0, nil)},
		{"start -1", abi.CodeInvalid, call(x, y, 4, abi.PointsEuc2D, 1, -1, abi.Nearest, 0, nil)},
		{"start n", abi.CodeInvalid, call(x, y, 4, abi.PointsEuc2D, 1, 4, abi.Nearest, 0, nil)},
		{"n 0", abi.CodeInvalid, call(x, y, 0, abi.PointsEuc2D, 1, 0, abi.Nearest, 0, nil)},
		{"endless", abi.CodeInvalid, call(x, y, 4, abi.PointsEuc2D, 1, 0, abi.Iterated, 0, nil)},
		{"nan", abi.CodeInvalid, call([]float64{0, math.NaN(), 2, 3}, y, 4, abi.PointsEuc2D, 1, 0, abi.Nearest, 0, nil)},
		{"inf", abi.CodeInvalid, call(x, []float64{0, 1, math.Inf(-1), 3}, 4, abi.PointsAtt, 1, 0, abi.Nearest, 0, nil)},
		{"huge", abi.CodeInvalid, call([]float64{0, 1e151, 2, 3}, y, 4, abi.PointsCeil2D, 1, 0, abi.Nearest, 0, nil)},
		{"geo huge", abi.CodeInvalid, call([]float64{0, 1e5, 2, 3}, y, 4, abi.PointsGeo, 1, 0, abi.Nearest, 0, nil)},
		{"latitude", abi.CodeInvalid, call([]float64{0, 90.5, 2, 3}, y, 4, abi.PointsHaversine, 1, 0, abi.Nearest, 0, nil)},
		{"longitude", abi.CodeInvalid, call(x, []float64{0, 1, -181, 3}, 4, abi.PointsHaversine, 1, 0, abi.Nearest, 0, nil)},
		{"radius -1", abi.CodeInvalid, call(x, y, 4, abi.PointsHaversine, -1, 0, abi.Nearest, 0, nil)},
		{"radius nan", abi.CodeInvalid, call(x, y, 4, abi.PointsHaversine, math.NaN(), 0, abi.Nearest, 0, nil)},
		{"radius huge", abi.CodeInvalid, call(x, y, 4, abi.PointsHaversine, 1e305, 0, abi.Nearest, 0, nil)},
		{"ok", abi.CodeOK, call(x, y, 4, abi.PointsHaversine, 1, 0, abi.Iterated, 0, &flag)},
	} {
		if tc.got != tc.code {
			t.Errorf("%s: %s gives code %d, want %d", name, tc.what, tc.got, tc.code)
		}
	}
}

// PointsCancel: a deadline stops an endless Iterated on 20,000 points with
// status Stopped and a valid tour of the reported length, within a second
// of it; a context cancelled before the call gives the Nearest tour
// completed in index order after its first 63 steps, as the Go kernel
// does.
func PointsCancel(t *testing.T, s tsp.PointsSolver) {
	t.Helper()
	p := randomPoints(tsp.KindEuc2D, 20000, 5, false)
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	t0 := time.Now()
	tour, err := s.SolvePoints(ctx, p, tsp.Options{Algorithm: tsp.Iterated})
	if el := time.Since(t0); el > 1300*time.Millisecond {
		t.Errorf("%s: stopped after %v, deadline 300ms", s.Name(), el)
	}
	if !errors.Is(err, context.DeadlineExceeded) || tour.Status != tsp.Stopped {
		t.Errorf("%s: status %v, error %v; want stopped by the deadline", s.Name(), tour.Status, err)
	}
	if l := tsp.PointsLength(p, tour.Order); math.Float64bits(l) != math.Float64bits(tour.Length) {
		t.Errorf("%s: length %v, recomputed %v", s.Name(), tour.Length, l)
	}
	done, stop := context.WithCancel(context.Background())
	stop()
	for _, alg := range []tsp.Algorithm{tsp.Nearest, tsp.TwoOpt, tsp.Iterated} {
		got, gerr := s.SolvePoints(done, p, tsp.Options{Algorithm: alg, Start: 7})
		want, werr := tsp.GoPoints().SolvePoints(done, p, tsp.Options{Algorithm: alg, Start: 7})
		if !errors.Is(gerr, context.Canceled) || werr == nil || !slices.Equal(got.Order, want.Order) || got.Status != tsp.Stopped {
			t.Errorf("%s %s cancelled at once: error %v, status %v, same order as go: %v", s.Name(), alg, gerr, got.Status, slices.Equal(got.Order, want.Order))
		}
	}
}
