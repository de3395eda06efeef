package backends_test

import (
	"context"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"testing"

	"github.com/ffi4go/tsp"
	"github.com/ffi4go/tsp/backends"
	"github.com/ffi4go/tsp/cbackend"
)

// FuzzSolvePoints solves small random point sets of every kind, at scales
// from 1e-300 to the coordinate limits, with lattices full of ties and
// duplicates, the poles and the antimeridian, on every backend with a
// coordinate solver: each must give the Go kernel's tour, length bits,
// node count, status and error (issue 21). The purego backends take part
// when $TSP_LIB_PATH holds the shared libraries (make fuzz builds them).
func FuzzSolvePoints(f *testing.F) {
	for _, s := range []struct {
		kind, n, alg uint8
		exp          int16
		seed         uint64
		grid         bool
	}{
		{1, 30, 2, 0, 1, false}, {2, 40, 1, 0, 2, true}, {3, 25, 2, 100, 3, false}, {4, 50, 0, -300, 4, true},
		{5, 35, 2, 0, 5, false}, {1, 1, 1, 0, 6, false}, {2, 9, 2, 149, 7, false}, {5, 12, 1, 3, 8, true},
		{1, 20, 2, 2, 9, true}, {9, 5, 0, 0, 10, false},
	} {
		f.Add(s.kind, s.n, s.alg, s.exp, s.seed, s.grid)
	}
	var names []string
	var solvers []tsp.PointsSolver
	lib := backends.Config{LibDir: os.Getenv(backends.EnvLibPath)}
	for _, name := range backends.PointsNames()[1:] {
		s, err := backends.Points(name, lib)
		switch {
		case err == nil:
			names, solvers = append(names, name), append(solvers, s)
		case os.Getenv("CI") == "true" && fuzzing() && (name == "purego-c" || name == "purego-cpp" || cbackend.Available):
			f.Fatalf("CI=true and backend %s is unavailable: %v", name, err)
		}
	}
	f.Fuzz(func(t *testing.T, kind8, n8, alg8 uint8, exp int16, seed uint64, grid bool) {
		n := 1 + int(n8)%60
		kind := tsp.PointKind(kind8 % 7) // 0 and 6: unknown kinds, refused alike
		r := rand.New(rand.NewPCG(seed, uint64(n)))
		p := &tsp.Points{Kind: kind, X: make([]float64, n), Y: make([]float64, n), Radius: tsp.EarthRadiusKm}
		scale := math.Pow10(int(exp) % 160)
		for i := range n {
			switch {
			case kind == tsp.KindHaversine:
				p.X[i], p.Y[i] = r.Float64()*180-90, r.Float64()*360-180
				if grid { // the poles, the antimeridian, duplicates
					p.X[i], p.Y[i] = float64(r.IntN(3)-1)*90, float64(r.IntN(3)-1)*180
				}
			case kind == tsp.KindGeo:
				p.X[i], p.Y[i] = (r.Float64()*2-1)*scale, (r.Float64()*2-1)*scale
			case grid:
				p.X[i], p.Y[i] = float64(r.IntN(6))*scale, float64(r.IntN(6))*scale
			default:
				p.X[i], p.Y[i] = r.Float64()*scale, r.Float64()*scale
			}
		}
		if kind == tsp.KindHaversine && exp < 0 {
			p.Radius = scale // 1e-159 to 1
		}
		algs := []tsp.Algorithm{tsp.Nearest, tsp.TwoOpt, tsp.Iterated}
		opt := tsp.Options{Algorithm: algs[int(alg8)%3], Start: int(seed % uint64(n)), Seed: seed, Budget: 50}
		want, werr := tsp.GoPoints().SolvePoints(context.Background(), p, opt)
		for i, s := range solvers {
			got, gerr := s.SolvePoints(context.Background(), p, opt)
			if (gerr == nil) != (werr == nil) || !slices.Equal(got.Order, want.Order) ||
				math.Float64bits(got.Length) != math.Float64bits(want.Length) || got.Nodes != want.Nodes || got.Status != want.Status {
				t.Errorf("%s: %v %v %d %v (%v); go %v %v %d %v (%v)", names[i], got.Order, got.Length, got.Nodes, got.Status, gerr,
					want.Order, want.Length, want.Nodes, want.Status, werr)
			}
		}
	})
}
