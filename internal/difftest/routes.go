package difftest

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/ffi4go/tsp"
	"github.com/ffi4go/tsp/tsplib"
)

// Routes (issue 16): asymmetric matrices, and routes that end at a given
// city or anywhere.

// Asymmetric is a random matrix of integers in [0, max), d[i][j] and
// d[j][i] drawn apart (one-way streets); a small max makes ties and zeros.
func Asymmetric(r *rand.Rand, n, max int) *tsp.Matrix {
	return mustMatrix(tsp.NewMatrix(n, AsymmetricData(r, n, max)))
}

// AsymmetricFloat is a random asymmetric matrix of reals in [0, scale).
func AsymmetricFloat(r *rand.Rand, n int, scale float64) *tsp.Matrix {
	d := make([]float64, n*n)
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			if i != j {
				d[i*n+j] = r.Float64() * scale
			}
		}
	}
	return mustMatrix(tsp.NewMatrix(n, d))
}

// RoadLike is an asymmetric matrix like a routing service's driving
// times: the haversine distance of random cities times a detour factor
// per direction in [1, 1.5), rounded to whole units.
func RoadLike(r *rand.Rand, n int) *tsp.Matrix {
	h := Haversine(n, r.Uint64())
	d := make([]float64, n*n)
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			if i != j {
				d[i*n+j] = math.Round(h.At(i, j) * (1 + 0.5*r.Float64()))
			}
		}
	}
	return mustMatrix(tsp.NewMatrix(n, d))
}

// AsymmetricDuplicates is an asymmetric matrix of n stops on 1+n/3 places:
// stops at one place have equal rows and columns and distance 0, which the
// wrapper merges.
func AsymmetricDuplicates(r *rand.Rand, n int) *tsp.Matrix {
	k := 1 + n/3
	p := kdata(Asymmetric(r, k, 100))
	place := make([]int, n)
	for i := range place {
		place[i] = r.IntN(k)
	}
	d := make([]float64, n*n)
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			d[i*n+j] = p[place[i]*k+place[j]]
		}
	}
	return mustMatrix(tsp.NewMatrix(n, d))
}

func kdata(m *tsp.Matrix) []float64 {
	n := m.N()
	d := make([]float64, n*n)
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			d[i*n+j] = m.At(i, j)
		}
	}
	return d
}

// routeEnds returns the three kinds of end for n cities from start: back to
// start, anywhere, and a city r picks other than start (when there is one).
func routeEnds(r *rand.Rand, n, start int) []tsp.End {
	ends := []tsp.End{tsp.ReturnToStart, tsp.EndAnywhere}
	if n > 1 {
		e := r.IntN(n - 1)
		if e >= start {
			e++
		}
		ends = append(ends, tsp.EndAt(e))
	}
	return ends
}

// routeCases: every algorithm and every kind of end on asymmetric matrices
// (integers with ties, reals, road-like, duplicate stops) and on symmetric
// ones with an end, 1 to 10 cities; Exact and TwoOpt on 13 to 40; TwoOpt
// and Nearest on 300; the ATSP instance br17; the same with a context
// already done; and ends every Solver refuses.
func routeCases() []Case {
	r := rand.New(rand.NewPCG(16, 2026))
	var cs []Case
	add := func(kind string, m *tsp.Matrix, alg tsp.Algorithm, cancelled bool) {
		start := r.IntN(m.N())
		for _, end := range routeEnds(r, m.N(), start) {
			if m.Symmetric() && end.Closed() {
				continue // the other cases' ground
			}
			name := fmt.Sprintf("route/%s/%s/n%d/end-%s/%d", alg, kind, m.N(), end, len(cs))
			if cancelled {
				name = "cancelled/" + name
			}
			cs = append(cs, Case{Name: name, M: m, Opt: tsp.Options{Algorithm: alg, Start: start, End: end}, Cancelled: cancelled})
		}
	}
	for n := 1; n <= 10; n++ {
		for _, alg := range tsp.Algorithms() {
			reps := 3
			if alg == tsp.Exhaustive && n >= 9 {
				reps = 1
			}
			for i := 0; i < reps; i++ {
				add("int", Asymmetric(r, n, 1+r.IntN(20)), alg, false)
				add("float", AsymmetricFloat(r, n, 100), alg, false)
				add("road", RoadLike(r, n), alg, false)
				add("dup", AsymmetricDuplicates(r, n), alg, false)
				add("geo", Haversine(n, r.Uint64()), alg, false)
				add("symint", IntMatrix(n, r.Uint64(), 10), alg, false)
				add("symdup", Duplicates(r, n), alg, false)
			}
		}
	}
	for i := 0; i < 8; i++ {
		n := 13 + r.IntN(28)
		for _, alg := range []tsp.Algorithm{tsp.Exact, tsp.TwoOpt, tsp.Nearest} {
			add("road", RoadLike(r, n), alg, false)
			add("int", Asymmetric(r, n, 1000), alg, false)
			add("geo", Haversine(n, r.Uint64()), alg, false)
		}
	}
	for _, alg := range []tsp.Algorithm{tsp.TwoOpt, tsp.Nearest} {
		add("road", RoadLike(r, 300), alg, false)
		add("geo", Haversine(300, 300), alg, false)
	}
	br17 := ATSP("br17")
	for _, alg := range []tsp.Algorithm{tsp.Exact, tsp.TwoOpt, tsp.Nearest} {
		add("br17", br17, alg, false)
	}
	for _, n := range []int{1, 2, 5, 9, 12, 30, 120, 500} {
		for _, alg := range tsp.Algorithms() {
			if n > tsp.MaxCitiesFor(alg, tsp.EndAnywhere, false) {
				continue
			}
			add("road", RoadLike(r, n), alg, true)
			add("geo", Haversine(n, r.Uint64()), alg, true)
		}
	}
	m5, a5 := Haversine(5, 5), Asymmetric(r, 5, 10)
	for _, c := range []struct {
		name string
		m    *tsp.Matrix
		opt  tsp.Options
	}{
		{"end -1", m5, tsp.Options{End: tsp.EndAt(-1)}},
		{"end n", m5, tsp.Options{End: tsp.EndAt(5)}},
		{"end is start", m5, tsp.Options{Start: 2, End: tsp.EndAt(2)}},
		{"asymmetric end is start", a5, tsp.Options{Start: 2, End: tsp.EndAt(2), Algorithm: tsp.Exact}},
		{"exact 126 asymmetric", RoadLike(r, 126), tsp.Options{Algorithm: tsp.Exact}},
		{"exact 250 path", Haversine(250, 250), tsp.Options{Algorithm: tsp.Exact, End: tsp.EndAnywhere}},
		{"exhaustive 14 path", Haversine(14, 14), tsp.Options{Algorithm: tsp.Exhaustive, End: tsp.EndAt(3)}},
	} {
		cs = append(cs, Case{Name: "error/route/" + c.name, M: c.m, Opt: c.opt, WantErr: true})
	}
	return cs
}

// CheckRoute asserts that tour is a route of m for opt: a permutation of
// the cities from opt.Start, ending at opt.End's city when given, in the
// canonical direction only for a symmetric round trip, its Length the sum
// of its legs bit for bit (with the leg back to Start for a round trip and
// without it for a path), and its lower bound in [0, Length], equal to it
// when optimal.
func CheckRoute(tb testing.TB, m *tsp.Matrix, tour tsp.Tour, opt tsp.Options) {
	tb.Helper()
	n := m.N()
	if len(tour.Order) != n {
		tb.Fatalf("order has %d cities, want %d", len(tour.Order), n)
	}
	if tour.Order[0] != opt.Start {
		tb.Fatalf("order %v starts at %d, want %d", tour.Order, tour.Order[0], opt.Start)
	}
	seen := make([]bool, n)
	for _, c := range tour.Order {
		if c < 0 || c >= n || seen[c] {
			tb.Fatalf("order %v is not a permutation", tour.Order)
		}
		seen[c] = true
	}
	if e, ok := opt.End.City(); ok && tour.Order[n-1] != e {
		tb.Errorf("order %v does not end at %d", tour.Order, e)
	}
	if m.Symmetric() && opt.End.Closed() && n >= 3 && tour.Order[1] > tour.Order[n-1] {
		tb.Errorf("order %v is not in canonical direction", tour.Order)
	}
	legs := 0.0
	for i := 1; i < n; i++ {
		legs += m.At(tour.Order[i-1], tour.Order[i])
	}
	if opt.End.Closed() {
		legs += m.At(tour.Order[n-1], tour.Order[0])
	}
	if math.Float64bits(legs) != math.Float64bits(tour.Length) {
		tb.Errorf("length %v, the legs of %v sum to %v (end %s)", tour.Length, tour.Order, legs, opt.End)
	}
	if !(tour.LowerBound >= 0 && tour.LowerBound <= tour.Length) {
		tb.Errorf("lower bound %v not in [0, length %v]", tour.LowerBound, tour.Length)
	}
	if tour.Status == tsp.Optimal && tour.LowerBound != tour.Length {
		tb.Errorf("optimal, but lower bound %v != length %v", tour.LowerBound, tour.Length)
	}
}

// BruteForce returns the length of the shortest route of m for opt, by
// trying every order of the cities after Start (summed leg by leg in route
// order, as Tour.Length is), independently of the kernels. At most 9
// cities.
func BruteForce(m *tsp.Matrix, opt tsp.Options) float64 {
	n := m.N()
	if n > 9 {
		panic("difftest.BruteForce: more than 9 cities")
	}
	end, fixed := opt.End.City()
	var p []int
	for c := 0; c < n; c++ {
		if c != opt.Start && !(fixed && c == end) {
			p = append(p, c)
		}
	}
	best := math.Inf(1)
	var rec func(k int)
	rec = func(k int) {
		if k < len(p) {
			for i := k; i < len(p); i++ {
				p[k], p[i] = p[i], p[k]
				rec(k + 1)
				p[k], p[i] = p[i], p[k]
			}
			return
		}
		l, prev := 0.0, opt.Start
		for _, c := range p {
			l += m.At(prev, c)
			prev = c
		}
		if fixed && end != opt.Start {
			l += m.At(prev, end)
			prev = end
		}
		if opt.End.Closed() {
			l += m.At(prev, opt.Start)
		}
		best = min(best, l)
	}
	rec(0)
	return best
}

// Routes checks every solver on small routes against BruteForce: on random
// asymmetric matrices (integers with ties, reals, road-like, duplicate
// stops) and symmetric ones, 1 to 9 cities, every kind of end, Exhaustive
// and Exact each find the optimum (the same length bits), every
// algorithm's route passes CheckRoute, and Exact's lower bound is at most
// the optimum. With -short it takes a third of the instances.
func Routes(t *testing.T, solvers ...tsp.Solver) {
	t.Helper()
	if len(solvers) == 0 {
		t.Fatal("difftest.Routes: no solvers")
	}
	r := rand.New(rand.NewPCG(16, 9))
	reps := 30
	if testing.Short() {
		reps = 10
	}
	ctx := context.Background()
	fails, checked := 0, 0
	for i := 0; i < reps; i++ {
		for n := 1; n <= 9; n++ {
			var m *tsp.Matrix
			switch i % 6 {
			case 0:
				m = Asymmetric(r, n, 3)
			case 1:
				m = Asymmetric(r, n, 1000)
			case 2:
				m = AsymmetricFloat(r, n, 1e-3)
			case 3:
				m = RoadLike(r, n)
			case 4:
				m = AsymmetricDuplicates(r, n)
			default:
				m = IntMatrix(n, r.Uint64(), 20)
			}
			start := r.IntN(n)
			for _, end := range routeEnds(r, n, start) {
				for _, alg := range tsp.Algorithms() {
					opt := tsp.Options{Start: start, End: end, Algorithm: alg}
					want := BruteForce(m, opt)
					for _, s := range solvers {
						checked++
						got, err := s.Solve(ctx, m, opt)
						if err != nil {
							t.Errorf("%s n=%d %+v: %v", s.Name(), n, opt, err)
							fails++
							continue
						}
						CheckRoute(t, m, got, opt)
						exact := alg == tsp.Exhaustive || alg == tsp.Exact
						if exact && (got.Status != tsp.Optimal || math.Float64bits(got.Length) != math.Float64bits(want)) {
							t.Errorf("%s n=%d start %d end %s %s: %v %v (order %v), the optimum is %v\nmatrix %v",
								s.Name(), n, start, end, alg, got.Status, got.Length, got.Order, want, kdata(m))
							fails++
						}
						if got.Length < want || got.LowerBound > want {
							t.Errorf("%s n=%d %s end %s: length %v, bound %v, optimum %v", s.Name(), n, alg, end, got.Length, got.LowerBound, want)
							fails++
						}
					}
					if fails >= 10 {
						t.Fatal("too many failures")
					}
				}
			}
		}
	}
	t.Logf("%d routes checked against brute force", checked)
}

// ATSPDir is the module's testdata/tsplib-atsp, found from this source
// file, so that every package's tests can read it.
func ATSPDir() string {
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		panic("difftest: no caller information")
	}
	return filepath.Join(filepath.Dir(file), "..", "..", "testdata", "tsplib-atsp")
}

// ATSP reads the asymmetric TSPLIB instance name (br17, ftv33, ...) from
// ATSPDir.
func ATSP(name string) *tsp.Matrix {
	in, err := tsplib.ReadFile(filepath.Join(ATSPDir(), name+".atsp"))
	if err != nil {
		panic(err)
	}
	return in.Matrix
}
