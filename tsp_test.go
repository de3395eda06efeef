package tsp_test

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/ffi4go/tsp"
	"github.com/ffi4go/tsp/internal/abi"
	"github.com/ffi4go/tsp/internal/difftest"
	"github.com/ffi4go/tsp/kernel"
	"github.com/google/go-cmp/cmp"
)

func solve(t *testing.T, m *tsp.Matrix, start int, alg tsp.Algorithm) tsp.Tour {
	t.Helper()
	tour, err := tsp.Solve(context.Background(), m, tsp.Options{Start: start, Algorithm: alg})
	if err != nil {
		t.Fatalf("%v from %d: %v", alg, start, err)
	}
	difftest.CheckTour(t, m, tour, start)
	return tour
}

func TestDemo11(t *testing.T) {
	m, err := tsp.HaversineMatrix(tsp.Demo11())
	if err != nil {
		t.Fatal(err)
	}
	ex := solve(t, m, 0, tsp.Exhaustive)
	if ex.Nodes != 9864101 {
		t.Errorf("exhaustive visited %d nodes, want 9864101 (every partial path of 11 cities)", ex.Nodes)
	}
	if ex.Status != tsp.Optimal || ex.LowerBound != ex.Length {
		t.Errorf("exhaustive: status %v, lower bound %v, length %v", ex.Status, ex.LowerBound, ex.Length)
	}
	want := []int{0, 1, 6, 10, 8, 7, 2, 3, 4, 5, 9}
	if d := cmp.Diff(want, ex.Order); d != "" {
		t.Errorf("demo11 tour (-want +got):\n%s", d)
	}
	ext := solve(t, m, 0, tsp.Exact)
	if d := cmp.Diff(ex.Order, ext.Order); d != "" || ext.Length != ex.Length || ext.Status != tsp.Optimal {
		t.Errorf("exact differs from exhaustive: %v %v %v", d, ext.Length, ext.Status)
	}
	if ne := solve(t, m, 0, tsp.Nearest); ne.Status != tsp.Heuristic || ne.LowerBound != 0 || ne.Nodes != 0 {
		t.Errorf("nearest: %+v", ne)
	}
}

// Exact equals Exhaustive on hundreds of random instances; the heuristics are
// never better than the optimum and TwoOpt never worse than Nearest.
func TestExactEqualsExhaustive(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	for i := 0; i < 300; i++ {
		n := 1 + r.IntN(10)
		var m *tsp.Matrix
		if i%3 == 0 {
			m = difftest.Integer(r, n, 1+r.IntN(30))
		} else {
			m = difftest.Haversine(n, r.Uint64())
		}
		start := r.IntN(n)
		ex := solve(t, m, start, tsp.Exhaustive)
		ext := solve(t, m, start, tsp.Exact)
		two := solve(t, m, start, tsp.TwoOpt)
		ne := solve(t, m, start, tsp.Nearest)
		tol := 1e-9 * math.Max(1, ex.Length)
		if math.Abs(ex.Length-ext.Length) > tol {
			t.Fatalf("n=%d #%d: exact %v, exhaustive %v", n, i, ext.Length, ex.Length)
		}
		if ext.LowerBound != ext.Length || ext.Status != tsp.Optimal {
			t.Errorf("exact: lower bound %v, length %v, status %v", ext.LowerBound, ext.Length, ext.Status)
		}
		if ext.Length > two.Length+tol || two.Length > ne.Length+tol {
			t.Errorf("n=%d: exact %v, 2opt %v, nearest %v: want exact ≤ 2opt ≤ nearest", n, ext.Length, two.Length, ne.Length)
		}
	}
}

func TestSmall(t *testing.T) {
	for n := 1; n <= 3; n++ {
		m := difftest.Haversine(n, uint64(n))
		for _, alg := range tsp.Algorithms() {
			for start := 0; start < n; start++ {
				tour := solve(t, m, start, alg)
				if n == 1 && tour.Length != 0 {
					t.Errorf("one city: length %v", tour.Length)
				}
				if n == 2 && tour.Length != 2*m.At(0, 1) {
					t.Errorf("two cities: length %v, want %v", tour.Length, 2*m.At(0, 1))
				}
			}
		}
	}
}

func TestBadInput(t *testing.T) {
	ctx := context.Background()
	nan, inf := math.NaN(), math.Inf(1)
	for _, c := range []struct {
		name   string
		cities []tsp.City
		want   error
	}{
		{"empty", nil, tsp.ErrEmpty},
		{"NaN lat", []tsp.City{{Lat: nan}}, tsp.ErrNaN},
		{"Inf lon", []tsp.City{{Lon: inf}}, tsp.ErrInfinite},
		{"lat 90.5", []tsp.City{{Lat: 90.5}}, tsp.ErrLatitude},
		{"lat -91", []tsp.City{{Lat: -91}}, tsp.ErrLatitude},
		{"lon 181", []tsp.City{{Lon: 181}}, tsp.ErrLongitude},
	} {
		if _, err := tsp.HaversineMatrix(c.cities); !errors.Is(err, c.want) {
			t.Errorf("HaversineMatrix %s: %v, want %v", c.name, err, c.want)
		}
		if _, err := tsp.SolveCities(ctx, c.cities, tsp.Options{}); !errors.Is(err, c.want) {
			t.Errorf("SolveCities %s: %v, want %v", c.name, err, c.want)
		}
	}
	for _, c := range []struct {
		name string
		rows [][]float64
		want error
	}{
		{"empty", nil, tsp.ErrEmpty},
		{"ragged", [][]float64{{0, 1}, {1}}, tsp.ErrNotSquare},
		{"NaN", [][]float64{{0, nan}, {nan, 0}}, tsp.ErrNaN},
		{"Inf", [][]float64{{0, inf}, {inf, 0}}, tsp.ErrInfinite},
		{"negative", [][]float64{{0, -1}, {-1, 0}}, tsp.ErrNegative},
		{"diagonal", [][]float64{{1, 1}, {1, 0}}, tsp.ErrDiagonal},
	} {
		if _, err := tsp.NewMatrixRows(c.rows); !errors.Is(err, c.want) {
			t.Errorf("NewMatrixRows %s: %v, want %v", c.name, err, c.want)
		}
	}
	if _, err := tsp.NewMatrix(2, []float64{0, 1, 1}); !errors.Is(err, tsp.ErrMatrixLength) {
		t.Errorf("NewMatrix short: %v", err)
	}
	if _, err := tsp.NewMatrix(tsp.MaxHeuristic+1, nil); !errors.Is(err, tsp.ErrTooLarge) {
		t.Errorf("NewMatrix huge: %v", err)
	}
	m := difftest.Haversine(14, 1)
	for _, c := range []struct {
		opt  tsp.Options
		want error
	}{
		{tsp.Options{Start: -1}, tsp.ErrStart},
		{tsp.Options{Start: 14}, tsp.ErrStart},
		{tsp.Options{Algorithm: tsp.Exhaustive}, tsp.ErrTooLarge},
		{tsp.Options{Algorithm: 6}, tsp.ErrAlgorithm},
		{tsp.Options{Algorithm: tsp.Iterated, Budget: -1}, tsp.ErrBudget},
		{tsp.Options{Algorithm: -1}, tsp.ErrAlgorithm},
		{tsp.Options{End: tsp.EndAt(-1)}, tsp.ErrEnd},
		{tsp.Options{End: tsp.EndAt(14)}, tsp.ErrEnd},
		{tsp.Options{Start: 3, End: tsp.EndAt(3)}, tsp.ErrEnd},
		{tsp.Options{Algorithm: tsp.Exhaustive, End: tsp.EndAnywhere}, tsp.ErrTooLarge},
	} {
		if tour, err := tsp.Solve(ctx, m, c.opt); !errors.Is(err, c.want) || !errors.Is(err, tsp.ErrInvalidInput) || tour.Order != nil {
			t.Errorf("%+v: %v, %v; want %v", c.opt, tour, err, c.want)
		}
	}
	big := difftest.Haversine(tsp.MaxExact+1, 1)
	if _, err := tsp.Solve(ctx, big, tsp.Options{Algorithm: tsp.Exact}); !errors.Is(err, tsp.ErrTooLarge) {
		t.Errorf("exact %d: %v", big.N(), err)
	}
	if _, err := tsp.Solve(ctx, nil, tsp.Options{}); !errors.Is(err, tsp.ErrNilMatrix) {
		t.Errorf("nil matrix: %v", err)
	}
}

// TestValidation: the Go kernel refuses every matrix of difftest.BadMatrices
// with CodeInvalid, and NewMatrix refuses each of them with the error of its
// bad value, but for the asymmetric ones, which it accepts (issue 16).
func TestValidation(t *testing.T) {
	difftest.Validation(t, kernel.Go())
	for _, c := range difftest.BadMatrices() {
		if c.Want == tsp.ErrAsymmetric {
			if m, err := tsp.NewMatrix(int(c.N), c.Dist); err != nil || m.Symmetric() {
				t.Errorf("NewMatrix %s: %v; want an asymmetric matrix", c.Name, err)
			}
			continue
		}
		if _, err := tsp.NewMatrix(int(c.N), c.Dist); !errors.Is(err, c.Want) {
			t.Errorf("NewMatrix %s: %v, want %v", c.Name, err, c.Want)
		}
	}
}

// TestOverflow: NewMatrix and NewMatrixRows refuse the 4-city matrix of
// issue 13, whose every tour is +Inf, with ErrOverflow (an
// ErrInvalidInput), and accept distances up to MaxTourLength/n, one bit
// more being refused; every algorithm solves the largest matrix accepted
// with a finite length.
func TestOverflow(t *testing.T) {
	if tsp.MaxTourLength != math.Ldexp(1, abi.MaxTourLengthLog2) {
		t.Fatalf("MaxTourLength %g is not 2^%d", tsp.MaxTourLength, abi.MaxTourLengthLog2)
	}
	_, err := tsp.NewMatrix(4, difftest.IssueOverflow)
	if !errors.Is(err, tsp.ErrOverflow) || !errors.Is(err, tsp.ErrInvalidInput) {
		t.Errorf("NewMatrix(issue 13) = %v, want ErrOverflow and ErrInvalidInput", err)
	}
	if err == nil || !strings.Contains(err.Error(), "MaxTourLength/n") {
		t.Errorf("error %q does not name the limit", err)
	}
	rows := make([][]float64, 4)
	for i := range rows {
		rows[i] = difftest.IssueOverflow[4*i : 4*i+4]
	}
	if _, err := tsp.NewMatrixRows(rows); !errors.Is(err, tsp.ErrOverflow) {
		t.Errorf("NewMatrixRows(issue 13) = %v, want ErrOverflow", err)
	}
	for _, n := range []int{2, 4, 12, 70} {
		d := difftest.UnderLimit(n)
		m, err := tsp.NewMatrix(n, d)
		if err != nil {
			t.Fatalf("%d cities at the limit: %v", n, err)
		}
		for _, alg := range tsp.Algorithms() {
			if n > alg.MaxCities() {
				continue
			}
			tour, err := tsp.Solve(context.Background(), m, tsp.Options{Algorithm: alg})
			if err != nil || math.IsInf(tour.Length, 0) || tour.Length > tsp.MaxTourLength {
				t.Errorf("%d cities at the limit, %s: length %v, %v", n, alg, tour.Length, err)
			}
		}
		lim := tsp.MaxTourLength / float64(n)
		d[1], d[n] = math.Nextafter(lim, math.Inf(1)), math.Nextafter(lim, math.Inf(1))
		if _, err := tsp.NewMatrix(n, d); !errors.Is(err, tsp.ErrOverflow) {
			t.Errorf("%d cities, one bit over the limit: %v, want ErrOverflow", n, err)
		}
	}
}

func TestParseAlgorithm(t *testing.T) {
	for _, a := range tsp.Algorithms() {
		got, err := tsp.ParseAlgorithm(a.String())
		if err != nil || got != a {
			t.Errorf("ParseAlgorithm(%q) = %v, %v", a.String(), got, err)
		}
	}
	if _, err := tsp.ParseAlgorithm("fast"); !errors.Is(err, tsp.ErrAlgorithm) {
		t.Errorf("ParseAlgorithm(fast): %v", err)
	}
}

// TestProofs: Exact proves Exhaustive's optimum, bit for bit, on integer
// matrices scaled from 1e-322 to 1e300, and its lower bound never exceeds
// it (difftest.Proofs, which every backend runs; issue 13).
func TestProofs(t *testing.T) {
	difftest.Proofs(t, tsp.Go())
}

// TestCancel: a deadline or a cancel stops every algorithm with the best
// tour so far, and a context that is already done still gets a tour
// (difftest.Cancel, which every backend runs).
func TestCancel(t *testing.T) {
	difftest.Cancel(t, tsp.Go())
}

func TestHaversine(t *testing.T) {
	// One degree of arc on the sphere, and a known pair.
	if d := tsp.Haversine(tsp.City{}, tsp.City{Lat: 1}); math.Abs(d-tsp.EarthRadiusKm*math.Pi/180) > 1e-9 {
		t.Errorf("one degree: %v", d)
	}
	bna := tsp.City{Lat: 36.12, Lon: -86.67}
	lax := tsp.City{Lat: 33.94, Lon: -118.40}
	if d := tsp.Haversine(bna, lax); math.Abs(d-2887.2599506071106) > 1e-6 {
		t.Errorf("BNA-LAX: %v, want 2887.2599506071106", d)
	}
	if d := tsp.Haversine(tsp.City{Lat: 90}, tsp.City{Lat: -90}); math.Abs(d-tsp.EarthRadiusKm*math.Pi) > 1e-9 {
		t.Errorf("pole to pole: %v", d)
	}
}

func FuzzNewMatrix(f *testing.F) {
	f.Add(2, 0.0, 1.0, 1.0, 0.0)
	f.Add(2, 0.0, math.NaN(), 1.0, 0.0)
	f.Add(1, 0.0, 0.0, 0.0, 0.0)
	f.Fuzz(func(t *testing.T, n int, a, b, c, d float64) {
		data := []float64{a, b, c, d}
		m, err := tsp.NewMatrix(n, data)
		if err != nil {
			return
		}
		if m.N() != n || n*n != len(data) {
			t.Fatalf("accepted n=%d with %d values", n, len(data))
		}
		rows := [][]float64{{a, b}, {c, d}}
		if n == 2 {
			if _, err := tsp.NewMatrixRows(rows); err != nil {
				t.Fatalf("NewMatrix accepted what NewMatrixRows rejects: %v", err)
			}
		}
		tour, err := tsp.Solve(context.Background(), m, tsp.Options{Algorithm: tsp.Exact})
		if err != nil {
			t.Fatal(err)
		}
		difftest.CheckTour(t, m, tour, 0)
	})
}

func FuzzHaversineMatrix(f *testing.F) {
	f.Add(40.7, -74.0, 51.5, -0.1, 90.0, 180.0)
	f.Add(math.NaN(), 0.0, 0.0, 0.0, 0.0, 0.0)
	f.Fuzz(func(t *testing.T, lat1, lon1, lat2, lon2, lat3, lon3 float64) {
		cs := []tsp.City{{"a", lat1, lon1}, {"b", lat2, lon2}, {"c", lat3, lon3}}
		m, err := tsp.HaversineMatrix(cs)
		if err != nil {
			for _, c := range cs {
				if c.Validate() != nil {
					return
				}
			}
			t.Fatalf("valid cities rejected: %v", err)
		}
		for i := 0; i < 3; i++ {
			for j := 0; j < 3; j++ {
				v := m.At(i, j)
				if math.IsNaN(v) || v < 0 || v > tsp.EarthRadiusKm*math.Pi+1e-9 || v != m.At(j, i) {
					t.Fatalf("d[%d][%d] = %v", i, j, v)
				}
			}
		}
	})
}

// FuzzSolve runs every algorithm on small random matrices made from the
// fuzzer's bytes: no panic, a valid tour, Exact ≤ TwoOpt ≤ Nearest.
func FuzzSolve(f *testing.F) {
	f.Add([]byte{5, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, uint8(0))
	f.Add([]byte{9, 0, 0, 0, 0, 255, 255}, uint8(3))
	f.Fuzz(func(t *testing.T, b []byte, start uint8) {
		if len(b) == 0 {
			return
		}
		n := 1 + int(b[0])%9
		d := make([]float64, n*n)
		k := 1
		for i := 0; i < n; i++ {
			for j := i + 1; j < n; j++ {
				v := 0.0
				if k < len(b) {
					v = float64(b[k])
					k++
				}
				d[i*n+j], d[j*n+i] = v, v
			}
		}
		m, err := tsp.NewMatrix(n, d)
		if err != nil {
			t.Fatal(err)
		}
		s := int(start) % n
		ex := solve(t, m, s, tsp.Exhaustive)
		ext := solve(t, m, s, tsp.Exact)
		two := solve(t, m, s, tsp.TwoOpt)
		ne := solve(t, m, s, tsp.Nearest)
		if ext.Length != ex.Length || two.Length < ex.Length || ne.Length < two.Length {
			t.Fatalf("exhaustive %v exact %v 2opt %v nearest %v", ex.Length, ext.Length, two.Length, ne.Length)
		}
	})
}

// The zero Options solve any valid input: Auto runs Exact up to
// AutoExactMax distinct places and Iterated beyond, and the Tour names what
// ran.
func TestAuto(t *testing.T) {
	if got, err := tsp.ParseAlgorithm("auto"); err != nil || got != tsp.Auto {
		t.Errorf("ParseAlgorithm(auto) = %v, %v", got, err)
	}
	if (tsp.Options{}).Algorithm != tsp.Auto || tsp.Auto.String() != "auto" {
		t.Fatalf("the zero Algorithm is %v", tsp.Options{}.Algorithm)
	}
	for _, c := range []struct {
		n    int
		want tsp.Algorithm
	}{{1, tsp.Exact}, {14, tsp.Exact}, {tsp.AutoExactMax, tsp.Exact}, {tsp.AutoExactMax + 1, tsp.Iterated}, {300, tsp.Iterated}} {
		if got := tsp.Auto.For(c.n); got != c.want {
			t.Errorf("Auto.For(%d) = %v, want %v", c.n, got, c.want)
		}
		m := difftest.Haversine(c.n, uint64(c.n))
		tour, err := tsp.Solve(context.Background(), m, tsp.Options{})
		if err != nil || tour.Algorithm != c.want {
			t.Fatalf("n=%d: %v, %v; want %v", c.n, tour.Algorithm, err, c.want)
		}
		want, err := tsp.Solve(context.Background(), m, tsp.Options{Algorithm: c.want})
		if err != nil || !cmp.Equal(tour, want) {
			t.Errorf("n=%d: Auto gave %+v, %v gave %+v", c.n, tour, c.want, want)
		}
		difftest.CheckTour(t, m, tour, 0)
	}
	for _, a := range tsp.Algorithms() {
		if a.For(5) != a {
			t.Errorf("%v.For(5) = %v", a, a.For(5))
		}
	}
	// Auto counts distinct places: 40 stops at 13 addresses (every third
	// stop repeats an earlier one) are proven optimal by Exact, as a round
	// trip, an open path and to a fixed end; 40 distinct ones are not.
	base := tsp.RandomCities(13, 7)
	var stops []tsp.City
	for i := 0; i < 40; i++ {
		stops = append(stops, base[(i*5)%13])
	}
	m, err := tsp.HaversineMatrix(stops)
	if err != nil {
		t.Fatal(err)
	}
	for _, end := range []tsp.End{tsp.ReturnToStart, tsp.EndAnywhere, tsp.EndAt(39)} {
		opt := tsp.Options{End: end}
		tour, err := tsp.Solve(context.Background(), m, opt)
		if err != nil || tour.Algorithm != tsp.Exact || tour.Status != tsp.Optimal {
			t.Errorf("40 stops at 13 places, %v: %v %v, %v; want exact, optimal", end, tour.Algorithm, tour.Status, err)
		}
		difftest.CheckRoute(t, m, tour, opt)
	}
	if tour, err := tsp.Solve(context.Background(), difftest.Haversine(40, 40), tsp.Options{}); err != nil || tour.Algorithm != tsp.Iterated {
		t.Errorf("40 distinct places: %v, %v; want iterated", tour.Algorithm, err)
	}
}

// TestStoppedBeforeTheKernel: a context that has ended before the search
// starts gets from Solve, with and without duplicate stops to merge, for
// every algorithm, the tour of a kernel stopped at once (63
// nearest-neighbour steps, then index order), shorter than index order
// (issue 13: a stop before the search returned the cities in index order);
// SolveCities, stopped before its matrix exists, returns index order with
// the length TourLength gives, in every bit; on the coordinate path (the
// heuristics), stopped before its k-d tree exists (ABI 7: the build polls
// the flag), the same index order and length bits.
func TestStoppedBeforeTheKernel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, dup := range []bool{false, true} {
		cities := tsp.RandomCities(240, 13)
		if dup {
			cities = append(cities, cities[5], cities[77], cities[5])
		}
		m, err := tsp.HaversineMatrix(cities)
		if err != nil {
			t.Fatal(err)
		}
		for _, alg := range []tsp.Algorithm{tsp.Auto, tsp.Exact, tsp.Nearest, tsp.TwoOpt} {
			opt := tsp.Options{Start: 7, Algorithm: alg}
			want, err := tsp.Solve(ctx, m, opt)
			if !errors.Is(err, context.Canceled) || want.Status != tsp.Stopped || want.Algorithm != alg.For(len(cities)) {
				t.Fatalf("dup=%v %v: Solve = %v, %v (%v)", dup, alg, want.Status, err, want.Algorithm)
			}
			difftest.CheckTour(t, m, want, 7)
			index := make([]int, len(cities))
			for i := range index {
				index[i] = (7 + i) % len(cities)
			}
			if index[1] > index[len(index)-1] {
				slices.Reverse(index[1:])
			}
			l := tsp.TourLength(m, index)
			if !(want.Length < l) {
				t.Errorf("dup=%v %v: stopped tour %v not shorter than index order %v", dup, alg, want.Length, l)
			}
			got, err := tsp.SolveCities(ctx, cities, opt)
			// SolveCities stops before its matrix (or, on the coordinate
			// path, its k-d tree) exists: index order.
			if !errors.Is(err, context.Canceled) || got.Status != tsp.Stopped || got.Algorithm != want.Algorithm ||
				!slices.Equal(got.Order, index) || math.Float64bits(got.Length) != math.Float64bits(l) {
				t.Errorf("dup=%v %v: SolveCities = %v %v %v, %v; want index order, length %v", dup, alg, got.Status, got.Algorithm, got.Length, err, l)
			}
		}
	}
}
