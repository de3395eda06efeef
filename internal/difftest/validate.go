package difftest

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ffi4go/tsp"
	"github.com/ffi4go/tsp/internal/abi"
	"github.com/ffi4go/tsp/kernel"
)

// BadMatrix is a matrix a kernel must refuse, with what is wrong with it.
type BadMatrix struct {
	Name string
	N    int32
	Dist []float64
	// Want is what tsp.NewMatrix says of it, except for tsp.ErrAsymmetric:
	// an asymmetric matrix is refused by a kernel's check without
	// kernel.FlagDirected only; tsp.NewMatrix and a kernel with the flag
	// accept it (issue 16).
	Want error
}

// BadMatrices puts one bad value into valid matrices of 1 to 70 cities:
// NaN, +Inf, -Inf or a negative distance on both sides of the diagonal, the
// same on one side only, a distance that differs from its mirror by one bit,
// and a non-zero diagonal. Small matrices get it at every position, larger
// ones at every pair of rows and columns around the kernels' 32-city tiles
// (0, 1, 30 to 33, 63, 64 and the last), so that a tiled check that skips a
// tile, a tile's edge or the lower triangle is caught.
func BadMatrices() []BadMatrix {
	var out []BadMatrix
	for _, n := range []int{1, 2, 3, 5, 12, 31, 32, 33, 40, 64, 65, 70} {
		base := kernel.Data(Haversine(n, uint64(n)))
		var idx []int
		if n <= 12 {
			for i := range n {
				idx = append(idx, i)
			}
		} else {
			for _, i := range []int{0, 1, 30, 31, 32, 33, 63, 64, n - 1} {
				if i < n && (len(idx) == 0 || idx[len(idx)-1] < i) {
					idx = append(idx, i)
				}
			}
		}
		add := func(name string, want error, set func(d []float64)) {
			d := append([]float64(nil), base...)
			set(d)
			out = append(out, BadMatrix{fmt.Sprintf("n=%d %s", n, name), int32(n), d, want})
		}
		for _, i := range idx {
			for _, j := range idx {
				ij, ji := i*n+j, j*n+i
				if i == j {
					add(fmt.Sprintf("d[%d][%d] = 1", i, i), tsp.ErrDiagonal, func(d []float64) { d[ij] = 1 })
					add(fmt.Sprintf("d[%d][%d] = NaN", i, i), tsp.ErrNaN, func(d []float64) { d[ij] = math.NaN() })
					continue
				}
				for _, b := range []struct {
					v    float64
					want error
				}{{math.NaN(), tsp.ErrNaN}, {math.Inf(1), tsp.ErrInfinite}, {math.Inf(-1), tsp.ErrInfinite}, {-1, tsp.ErrNegative}} {
					v := b.v
					add(fmt.Sprintf("d[%d][%d] = d[%d][%d] = %g", i, j, j, i, v), b.want, func(d []float64) { d[ij], d[ji] = v, v })
					add(fmt.Sprintf("d[%d][%d] = %g", i, j, v), b.want, func(d []float64) { d[ij] = v })
				}
				add(fmt.Sprintf("d[%d][%d] one bit off d[%d][%d]", i, j, j, i), tsp.ErrAsymmetric, func(d []float64) {
					d[ij] = math.Nextafter(d[ij], math.Inf(1))
				})
			}
		}
	}
	return append(out, OverflowMatrices()...)
}

// IssueOverflow is the 4-city matrix of issue 13 whose every tour is +Inf:
// before the distance limit (tsp.MaxTourLength) TwoOpt and Exact never
// returned on it, on any backend.
var IssueOverflow = []float64{
	0, 1e308, 1e308, 1,
	1e308, 0, 1.7e308, 0,
	1e308, 1.7e308, 0, 0,
	1, 0, 0, 0,
}

// OverflowMatrices are matrices with a distance above tsp.MaxTourLength/n:
// IssueOverflow, and valid matrices of 2, 12 and 70 cities with one pair at
// one bit above the limit (the limit itself is accepted: UnderLimit).
func OverflowMatrices() []BadMatrix {
	out := []BadMatrix{{"issue 13: 4 cities, every tour +Inf", 4, IssueOverflow, tsp.ErrOverflow}}
	for _, n := range []int{2, 12, 70} {
		d := append([]float64(nil), kernel.Data(Haversine(n, uint64(n)))...)
		v := math.Nextafter(tsp.MaxTourLength/float64(n), math.Inf(1))
		d[n-1], d[(n-1)*n] = v, v
		out = append(out, BadMatrix{fmt.Sprintf("n=%d d[0][%d] = MaxTourLength/n + 1 ulp", n, n-1), int32(n), d, tsp.ErrOverflow})
	}
	return out
}

// AsymmetricData is an n×n matrix of random integers in [0, max), d[i][j]
// and d[j][i] drawn apart, with a zero diagonal.
func AsymmetricData(r *rand.Rand, n, max int) []float64 {
	d := make([]float64, n*n)
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			if i != j {
				d[i*n+j] = float64(r.IntN(max))
			}
		}
	}
	return d
}

// UnderLimit is a matrix of n cities whose largest distances are exactly
// tsp.MaxTourLength/n, the largest accepted, and the others
// MaxTourLength/(2n) to MaxTourLength/n: every tour is about
// MaxTourLength long.
func UnderLimit(n int) []float64 {
	lim := tsp.MaxTourLength / float64(n)
	r := rand.New(rand.NewPCG(uint64(n), 1014))
	d := make([]float64, n*n)
	for i := 0; i < n; i++ {
		for j := i + 1; j < n; j++ {
			v := lim * (0.5 + 0.5*r.Float64())
			if (i+j)%5 == 0 {
				v = lim
			}
			d[i*n+j], d[j*n+i] = v, v
		}
	}
	return d
}

// Validation runs kernel (any backend's tsp_solve) on every BadMatrices case,
// expecting CodeInvalid, and on the valid matrices behind them, expecting
// CodeOK. It calls the kernel directly, without the Go validation in front
// of it, with Nearest, whose search is the cheapest; and again with
// kernel.FlagDirected, whose check reads both triangles on their own: it
// must refuse every bad matrix but the asymmetric ones, which it takes.
func Validation(t *testing.T, k kernel.Func) {
	t.Helper()
	directed := int32(0)
	call := func(d []float64, n int32) int32 {
		order := make([]int32, n)
		var length, lb float64
		var nodes uint64
		return k(d, n, 0, kernel.AlgNearest|directed, 0, 0, nil, order, &length, &lb, &nodes)
	}
	for _, n := range []int{1, 2, 3, 5, 12, 31, 32, 33, 40, 64, 65, 70} {
		if code := call(kernel.Data(Haversine(n, uint64(n))), int32(n)); code != kernel.CodeOK {
			t.Errorf("valid n=%d: code %d, want %d", n, code, kernel.CodeOK)
		}
	}
	// -0 equals +0: a symmetric matrix with -0 on one side is valid.
	z := append([]float64(nil), kernel.Data(Haversine(3, 3))...)
	z[0] = math.Copysign(0, -1)
	if code := call(z, 3); code != kernel.CodeOK {
		t.Errorf("valid n=3 with d[0][0] = -0: code %d, want %d", code, kernel.CodeOK)
	}
	bad := BadMatrices()
	failed := 0
	for _, directed = range []int32{0, kernel.FlagDirected} {
		for _, c := range bad {
			want := kernel.CodeInvalid
			if directed != 0 && c.Want == tsp.ErrAsymmetric {
				want = kernel.CodeOK
			}
			if code := call(c.Dist, c.N); code != want {
				t.Errorf("%s (flags %#x): code %d, want %d", c.Name, directed, code, want)
				if failed++; failed == 10 {
					t.Fatal("too many failures")
				}
			}
		}
	}
	directed = 0
	if len(bad) < 3000 {
		t.Fatalf("only %d bad matrices", len(bad))
	}
	overflow(t, k)
	flags(t, k)
}

// flags checks the algorithm argument's flags against the Go kernel:
//   - an unknown flag bit is CodeInvalid, and so is kernel.FlagDirected
//     with Exact;
//   - with kernel.FlagDirected, Exhaustive, Nearest, TwoOpt and Iterated
//     solve an asymmetric matrix as the Go kernel does, without turning the
//     tour around, and the local searches never end longer than Nearest;
//   - with kernel.FlagChecked the kernel skips its check (an asymmetric
//     matrix, refused without the flag, is solved);
//   - without it, a cancel flag already set stops the check at once, and
//     every algorithm returns CodeStopped with the nearest-neighbour tour of
//     the first 63 steps completed in index order: the same tour, length
//     bits, bound 0 and node count as the Go kernel, and shorter than the
//     cities in index order (issue 13: a stop during the check returned
//     index order, 99.5 M km instead of 1.87 M km at 10,000 cities).
func flags(t *testing.T, k kernel.Func) {
	t.Helper()
	type result struct {
		code       int32
		order      []int32
		length, lb float64
		nodes      uint64
	}
	run := func(k kernel.Func, d []float64, n, start, alg int32, cancel *int32) result {
		r := result{order: make([]int32, n)}
		budget := int64(0)
		if alg&kernel.AlgorithmMask == kernel.AlgIterated {
			budget = 20 * int64(n)
		}
		r.code = k(d, n, start, alg, 1, budget, cancel, r.order, &r.length, &r.lb, &r.nodes)
		return r
	}
	good := kernel.Data(Haversine(5, 5))
	if r := run(k, good, 5, 0, kernel.AlgNearest|0x400, nil); r.code != kernel.CodeInvalid {
		t.Errorf("unknown flag 0x400: code %d, want %d", r.code, kernel.CodeInvalid)
	}
	if r := run(k, good, 5, 0, kernel.AlgExact|kernel.FlagDirected, nil); r.code != kernel.CodeInvalid {
		t.Errorf("Exact with FlagDirected: code %d, want %d", r.code, kernel.CodeInvalid)
	}
	asym := append([]float64(nil), good...)
	asym[1] += 1 // d[0][1] != d[1][0]
	for _, n := range []int32{5, 9, 40, 150} {
		d := AsymmetricData(rand.New(rand.NewPCG(uint64(n), 16)), int(n), 50)
		nearest := run(kernel.Go(), d, n, 1, kernel.AlgNearest|kernel.FlagDirected, nil)
		for _, alg := range []int32{kernel.AlgExhaustive, kernel.AlgNearest, kernel.AlgTwoOpt, kernel.AlgIterated} {
			if n > 12 && alg == kernel.AlgExhaustive {
				continue
			}
			for _, checked := range []int32{0, kernel.FlagChecked} {
				a := alg | kernel.FlagDirected | checked
				got, want := run(k, d, n, 1, a, nil), run(kernel.Go(), d, n, 1, a, nil)
				if got.code != kernel.CodeOK || want.code != kernel.CodeOK || !slices.Equal(got.order, want.order) ||
					math.Float64bits(got.length) != math.Float64bits(want.length) || got.nodes != want.nodes {
					t.Errorf("directed n=%d algorithm %#x: code %d, order %v, length %v, nodes %d; go: code %d, order %v, length %v, nodes %d",
						n, a, got.code, got.order, got.length, got.nodes, want.code, want.order, want.length, want.nodes)
				}
				if (alg == kernel.AlgTwoOpt || alg == kernel.AlgIterated) && !(got.length <= nearest.length) {
					t.Errorf("directed n=%d algorithm %#x: length %v, longer than Nearest's %v", n, a, got.length, nearest.length)
				}
			}
		}
	}
	if r := run(k, asym, 5, 0, kernel.AlgNearest, nil); r.code != kernel.CodeInvalid {
		t.Errorf("asymmetric matrix without FlagChecked: code %d, want %d", r.code, kernel.CodeInvalid)
	}
	// Iterated with no budget and no cancel flag would never end.
	if code := k(good, 5, 0, kernel.AlgIterated, 1, 0, nil, make([]int32, 5), new(float64), new(float64), new(uint64)); code != kernel.CodeInvalid {
		t.Errorf("iterated, budget 0, no cancel flag: code %d, want %d", code, kernel.CodeInvalid)
	}
	if r := run(k, asym, 5, 0, kernel.AlgNearest|kernel.FlagChecked, nil); r.code != kernel.CodeOK {
		t.Errorf("asymmetric matrix with FlagChecked: code %d, want %d (the check skipped)", r.code, kernel.CodeOK)
	}
	stop := int32(1)
	for _, c := range []struct {
		n, alg int32
	}{{12, kernel.AlgExhaustive}, {200, kernel.AlgExact}, {500, kernel.AlgNearest}, {500, kernel.AlgTwoOpt}} {
		m := Haversine(int(c.n), uint64(c.n))
		d := kernel.Data(m)
		start := c.n / 3
		got := run(k, d, c.n, start, c.alg, &stop)
		want := run(kernel.Go(), d, c.n, start, c.alg, &stop)
		if got.code != kernel.CodeStopped || !slices.Equal(got.order, want.order) ||
			math.Float64bits(got.length) != math.Float64bits(want.length) || got.lb != 0 || got.nodes != want.nodes {
			t.Errorf("n=%d algorithm %d stopped in the check: code %d, length %v, bound %v, nodes %d; want code %d, length %v, bound 0, nodes %d (same order: %v)",
				c.n, c.alg, got.code, got.length, got.lb, got.nodes, kernel.CodeStopped, want.length, want.nodes, slices.Equal(got.order, want.order))
			continue
		}
		index := 0.0 // the cities in index order from start
		for i := int32(0); i < c.n; i++ {
			index += m.At(int((start+i)%c.n), int((start+i+1)%c.n))
		}
		if c.n > 64 && !(got.length < index) {
			t.Errorf("n=%d algorithm %d stopped in the check: length %v, not below index order's %v", c.n, c.alg, got.length, index)
		}
	}
}

// overflow runs every algorithm on OverflowMatrices, expecting CodeInvalid,
// and on UnderLimit matrices, expecting a finite tour. A call that has not
// returned after 60 seconds gets its cancel flag set (issue 13: the local
// search compared infinities forever), which fails the test (CodeStopped)
// instead of hanging it. There is no tighter time limit: each call takes
// milliseconds, but under -race on a loaded machine some took 8-10 s, and
// speed is for benchmarks.
func overflow(t *testing.T, k kernel.Func) {
	t.Helper()
	algs := []int32{kernel.AlgExhaustive, kernel.AlgExact, kernel.AlgNearest, kernel.AlgTwoOpt}
	call := func(d []float64, n, alg int32) (int32, float64, time.Duration) {
		order := make([]int32, n)
		var length, lb float64
		var nodes uint64
		cancel := new(int32)
		done := make(chan int32, 1)
		begin := time.Now()
		go func() { done <- k(d, n, 0, alg, 1, 1000, cancel, order, &length, &lb, &nodes) }()
		select {
		case code := <-done:
			return code, length, time.Since(begin)
		case <-time.After(60 * time.Second): // a hang: a move that "improves" forever
			atomic.StoreInt32(cancel, 1)
			return <-done, length, time.Since(begin)
		}
	}
	for _, c := range OverflowMatrices() {
		for _, alg := range algs {
			if int(c.N) > abi.MaxCities(alg) {
				continue
			}
			if code, _, took := call(c.Dist, c.N, alg); code != kernel.CodeInvalid {
				t.Errorf("%s, algorithm %d: code %d after %v, want %d at once", c.Name, alg, code, took, kernel.CodeInvalid)
			}
		}
	}
	for _, n := range []int32{4, 12, 70} {
		d := UnderLimit(int(n))
		for _, alg := range algs {
			if int(n) > abi.MaxCities(alg) {
				continue
			}
			code, length, took := call(d, n, alg)
			if code != kernel.CodeOK || !(length <= tsp.MaxTourLength*1.01) {
				t.Errorf("%d cities at the limit, algorithm %d: code %d, length %v after %v; want %d and a finite length",
					n, alg, code, length, took, kernel.CodeOK)
			}
		}
	}
}
