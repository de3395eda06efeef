package difftest

import (
	"fmt"
	"math"
	"testing"

	"github.com/ffi4go/tsp"
	"github.com/ffi4go/tsp/kernel"
)

// BadMatrix is a matrix a kernel must refuse, with what is wrong with it.
type BadMatrix struct {
	Name string
	N    int32
	Dist []float64
	Want error // what tsp.NewMatrix says of it
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
	return out
}

// Validation runs kernel (any backend's tsp_solve) on every BadMatrices case,
// expecting CodeInvalid, and on the valid matrices behind them, expecting
// CodeOK. It calls the kernel directly, without the Go validation in front
// of it, with Nearest, whose search is the cheapest.
func Validation(t *testing.T, k kernel.Func) {
	t.Helper()
	call := func(d []float64, n int32) int32 {
		order := make([]int32, n)
		var length, lb float64
		var nodes uint64
		return k(d, n, 0, kernel.AlgNearest, nil, order, &length, &lb, &nodes)
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
	for _, c := range bad {
		if code := call(c.Dist, c.N); code != kernel.CodeInvalid {
			t.Errorf("%s: code %d, want %d", c.Name, code, kernel.CodeInvalid)
			if failed++; failed == 10 {
				t.Fatal("too many failures")
			}
		}
	}
	if len(bad) < 3000 {
		t.Fatalf("only %d bad matrices", len(bad))
	}
}
