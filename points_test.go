package tsp_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"slices"
	"testing"

	"github.com/ffi4go/tsp"
	"github.com/ffi4go/tsp/internal/difftest"
	"github.com/ffi4go/tsp/kernel"
	"github.com/ffi4go/tsp/tsplib"
)

// pointsCase is an input of both paths: its points and the matrix the
// matrix path gets for it (package tsplib's, HaversineMatrix's).
type pointsCase struct {
	name string
	p    *tsp.Points
	m    *tsp.Matrix
}

func pointsCases(t *testing.T) []pointsCase {
	t.Helper()
	var cs []pointsCase
	names, sizes := []string{"a280", "att48", "ulysses22", "gr202", "gr666", "pr1002"}, []int{5, 300, 2000}
	if testing.Short() { // the race detector makes the large ones slow
		names, sizes = names[:4], sizes[:2]
	}
	for _, name := range names {
		in, err := tsplib.ReadFile(filepath.Join(tsplibDir, name+".tsp"))
		if err != nil {
			t.Fatal(err)
		}
		p, err := in.Points()
		if err != nil {
			t.Fatal(err)
		}
		cs = append(cs, pointsCase{name, p, in.Matrix})
	}
	for _, n := range sizes {
		cities := tsp.RandomCities(n, uint64(n))
		m, err := tsp.HaversineMatrix(cities)
		if err != nil {
			t.Fatal(err)
		}
		cs = append(cs, pointsCase{fmt.Sprintf("random%d", n), tsp.CityPoints(cities), m})
	}
	// A lattice: distinct points, many equal distances (the ties of
	// Nearest and of the neighbour lists), in a scrambled order.
	for _, kind := range []tsp.PointKind{tsp.KindEuc2D, tsp.KindCeil2D, tsp.KindAtt} {
		p := &tsp.Points{Kind: kind}
		for i := range 900 {
			j := (i * 331) % 900
			p.X = append(p.X, float64(j%30)*7)
			p.Y = append(p.Y, float64(j/30)*7)
		}
		m, err := p.Matrix()
		if err != nil {
			t.Fatal(err)
		}
		cs = append(cs, pointsCase{fmt.Sprintf("lattice%d", kind), p, m})
	}
	return cs
}

// TestPointsDistances: Points.Distance gives the matrix path's bits:
// package tsplib's matrices for EUC_2D, ATT and GEO, HaversineMatrix for
// cities.
func TestPointsDistances(t *testing.T) {
	step := 1
	if testing.Short() {
		step = 13 // every 13th row: the race detector makes the n² calls slow
	}
	for _, c := range pointsCases(t) {
		n := c.p.Len()
		for i := 0; i < n; i += step {
			for j := range n {
				if got, want := c.p.Distance(i, j), c.m.At(i, j); math.Float64bits(got) != math.Float64bits(want) {
					t.Fatalf("%s: Distance(%d, %d) = %v, the matrix has %v", c.name, i, j, got, want)
				}
			}
		}
	}
}

// TestPointsNearestSameAsMatrix: Nearest from coordinates (SolvePoints,
// and SolveCities for cities) returns the matrix path's tour and length
// bits from several starts: the two paths give identical tours where both
// apply (issue 21).
func TestPointsNearestSameAsMatrix(t *testing.T) {
	ctx := context.Background()
	for _, c := range pointsCases(t) {
		n := c.p.Len()
		if hasDuplicates(c.m) {
			continue // the matrix path merges them (a280)
		}
		for _, start := range []int{0, n / 2, n - 1} {
			opt := tsp.Options{Algorithm: tsp.Nearest, Start: start}
			want, err := tsp.Solve(ctx, c.m, opt)
			if err != nil {
				t.Fatal(err)
			}
			got, err := tsp.SolvePoints(ctx, c.p, opt)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got.Order, want.Order) || math.Float64bits(got.Length) != math.Float64bits(want.Length) {
				t.Errorf("%s from %d: points give length %v, the matrix %v (orders equal: %v)", c.name, start, got.Length, want.Length, slices.Equal(got.Order, want.Order))
			}
			if c.p.Kind == tsp.KindHaversine { // and SolveCities, which takes the coordinate path
				cities := make([]tsp.City, n)
				for i := range cities {
					cities[i] = tsp.City{Lat: c.p.X[i], Lon: c.p.Y[i]}
				}
				sc, err := tsp.SolveCities(ctx, cities, opt)
				if err != nil || !slices.Equal(sc.Order, want.Order) || math.Float64bits(sc.Length) != math.Float64bits(want.Length) {
					t.Errorf("%s from %d: SolveCities gives length %v (%v), the matrix %v", c.name, start, sc.Length, err, want.Length)
				}
			}
		}
	}
}

// TestPointsTwoOpt: the coordinate TwoOpt and Iterated give tours no
// longer than Nearest's, of the length they report, and TwoOpt stays
// within 8 % of the optimum on the TSPLIB instances (the matrix path's
// TwoOpt, with its full passes, is held to 6 %).
func TestPointsTwoOpt(t *testing.T) {
	ctx := context.Background()
	optima := tsplibOptima(t)
	for _, c := range pointsCases(t) {
		nn, _ := tsp.SolvePoints(ctx, c.p, tsp.Options{Algorithm: tsp.Nearest})
		two, err := tsp.SolvePoints(ctx, c.p, tsp.Options{Algorithm: tsp.TwoOpt})
		if err != nil {
			t.Fatal(err)
		}
		it, err := tsp.SolvePoints(ctx, c.p, tsp.Options{Algorithm: tsp.Iterated, Budget: int64(2 * c.p.Len()), Seed: 1})
		if err != nil {
			t.Fatal(err)
		}
		if two.Length > nn.Length || it.Length > two.Length {
			t.Errorf("%s: nearest %v, 2opt %v, iterated %v: not improving", c.name, nn.Length, two.Length, it.Length)
		}
		if opt, ok := optima[c.name]; ok {
			gap := 100 * (two.Length - opt) / opt
			t.Logf("%s: 2opt %.2f%% above the optimum, %d moves; iterated %.2f%%", c.name, gap, two.Nodes, 100*(it.Length-opt)/opt)
			if gap > 8 || two.Length < opt {
				t.Errorf("%s: 2opt %v is %.2f%% above the optimum %v", c.name, two.Length, gap, opt)
			}
		}
	}
}

// TestPointsErrors: bad points and options get the errors of the matrix
// path, never a panic.
func TestPointsErrors(t *testing.T) {
	ctx := context.Background()
	ok := &tsp.Points{Kind: tsp.KindEuc2D, X: []float64{0, 1, 2}, Y: []float64{0, 1, 0}}
	for _, tc := range []struct {
		p    *tsp.Points
		opt  tsp.Options
		want error
	}{
		{nil, tsp.Options{}, tsp.ErrEmpty},
		{&tsp.Points{Kind: tsp.KindEuc2D}, tsp.Options{}, tsp.ErrEmpty},
		{&tsp.Points{Kind: tsp.KindEuc2D, X: []float64{1}, Y: nil}, tsp.Options{}, tsp.ErrMatrixLength},
		{&tsp.Points{Kind: 9, X: []float64{1}, Y: []float64{1}}, tsp.Options{}, tsp.ErrInvalidInput},
		{&tsp.Points{Kind: tsp.KindEuc2D, X: []float64{math.NaN()}, Y: []float64{1}}, tsp.Options{}, tsp.ErrNaN},
		{&tsp.Points{Kind: tsp.KindAtt, X: []float64{math.Inf(1)}, Y: []float64{1}}, tsp.Options{}, tsp.ErrInfinite},
		{&tsp.Points{Kind: tsp.KindEuc2D, X: []float64{1e200}, Y: []float64{1}}, tsp.Options{}, tsp.ErrOverflow},
		{&tsp.Points{Kind: tsp.KindGeo, X: []float64{1e5}, Y: []float64{1}}, tsp.Options{}, tsp.ErrOverflow},
		{&tsp.Points{Kind: tsp.KindHaversine, X: []float64{91}, Y: []float64{1}, Radius: 1}, tsp.Options{}, tsp.ErrLatitude},
		{&tsp.Points{Kind: tsp.KindHaversine, X: []float64{1}, Y: []float64{1}, Radius: -1}, tsp.Options{}, tsp.ErrInvalidInput},
		{ok, tsp.Options{Start: 3}, tsp.ErrStart},
		{ok, tsp.Options{Algorithm: tsp.Exact}, tsp.ErrAlgorithm},
		{ok, tsp.Options{Budget: -1}, tsp.ErrBudget},
		{ok, tsp.Options{End: tsp.EndAnywhere}, tsp.ErrEnd},
	} {
		if _, err := tsp.SolvePoints(ctx, tc.p, tc.opt); !errors.Is(err, tc.want) {
			t.Errorf("%+v %+v: error %v, want %v", tc.p, tc.opt, err, tc.want)
		}
	}
}

// hasDuplicates: two cities 0 apart, which the matrix path merges.
func hasDuplicates(m *tsp.Matrix) bool {
	for i := range m.N() {
		for j := i + 1; j < m.N(); j++ {
			if m.At(i, j) == 0 {
				return true
			}
		}
	}
	return false
}

// TestPointsFuncChecks: the Go kernel refuses what tsp.h says
// tsp_solve_points refuses (the native kernels run the same checks).
func TestPointsFuncChecks(t *testing.T) {
	difftest.PointsFuncChecks(t, "go", kernel.GoPoints())
}

// TestPointsProgress: SolvePoints calls Options.Progress (ABI 7) with
// strictly shorter routes, the last one the tour it returns; the result is
// the same as without; SolveCities with Progress takes the coordinate path
// too; a solver without tsp_solve_points_progress refuses Progress with
// ErrPointsProgress.
func TestPointsProgress(t *testing.T) {
	ctx := context.Background()
	cities := tsp.RandomCities(2000, 3)
	p := tsp.CityPoints(cities)
	for _, alg := range []tsp.Algorithm{tsp.Nearest, tsp.TwoOpt, tsp.Iterated} {
		var got []tsp.Progress
		opt := tsp.Options{Algorithm: alg, Budget: 2000, ProgressOrder: true,
			Progress: func(pr tsp.Progress) bool { got = append(got, pr); return false }}
		tour, err := tsp.SolvePoints(ctx, p, opt)
		if err != nil {
			t.Fatal(alg, err)
		}
		opt.Progress = nil
		plain, err := tsp.SolvePoints(ctx, p, opt)
		if err != nil {
			t.Fatal(alg, err)
		}
		if plain.Length != tour.Length || plain.Nodes != tour.Nodes {
			t.Errorf("%s: with Progress %v, %d nodes; without %v, %d", alg, tour.Length, tour.Nodes, plain.Length, plain.Nodes)
		}
		if len(got) == 0 {
			t.Fatalf("%s: no progress call", alg)
		}
		for i, pr := range got {
			if i > 0 && !(pr.Length < got[i-1].Length) {
				t.Errorf("%s: call %d length %v after %v", alg, i, pr.Length, got[i-1].Length)
			}
			if pr.Order[0] != 0 || len(pr.Order) != p.Len() {
				t.Errorf("%s: call %d: a route of %d from %d", alg, i, len(pr.Order), pr.Order[0])
			}
			if l := tsp.PointsLength(p, pr.Order); math.Abs(l-pr.Length) > 1e-6*l {
				t.Errorf("%s: call %d: length %v, its route %v", alg, i, pr.Length, l)
			}
		}
		last := got[len(got)-1]
		if alg != tsp.Iterated && !slices.Equal(last.Order, tour.Order) {
			t.Errorf("%s: the last call's route is not the tour returned", alg)
		}
		if !(last.Length >= tour.Length-1e-6*tour.Length) {
			t.Errorf("%s: the last call's length %v, the tour's %v", alg, last.Length, tour.Length)
		}
		t.Logf("%s: %d calls, %v to %v", alg, len(got), got[0].Length, last.Length)
	}
	calls := 0
	opt := tsp.Options{Algorithm: tsp.Iterated, Budget: 50, Progress: func(tsp.Progress) bool { calls++; return false }}
	got, err := tsp.SolveCities(ctx, cities, opt)
	if err != nil || calls == 0 {
		t.Fatalf("SolveCities with Progress: %v, %d calls", err, calls)
	}
	want, _ := tsp.SolvePoints(ctx, p, tsp.Options{Algorithm: tsp.Iterated, Budget: 50})
	if got.Length != want.Length {
		t.Errorf("SolveCities with Progress: length %v, the coordinate path's %v", got.Length, want.Length)
	}
	old := kernel.NewPointsSolver("old", kernel.GoPoints())
	if _, err := old.SolvePoints(ctx, p, opt); !errors.Is(err, tsp.ErrPointsProgress) || !errors.Is(err, errors.ErrUnsupported) {
		t.Errorf("a solver without tsp_solve_points_progress: %v, want ErrPointsProgress", err)
	}
}
