//go:build cgo

package main

import (
	"encoding/binary"
	"math"
	"slices"
	"testing"

	"github.com/ffi4go/tsp/kernel"
)

// FuzzSolve calls tsp_solve, the exported entry point, with arbitrary
// arguments: n, start, the algorithm with any flag bits (TSP_CHECKED only
// on a matrix that keeps its promise), a budget under 1000, a cancel flag
// set or NULL, and a matrix of up to 8 cities from the fuzzer's bytes
// (any float64, NaN and infinities included), n itself possibly far larger
// than the matrix when the checks before the matrix must refuse it. The
// answer must be kernel.Go()'s, called directly on the same memory, in
// every output; it never panics.
func FuzzSolve(f *testing.F) {
	f.Add(int32(5), int32(0), int32(0), int64(0), false, []byte{1, 2, 3})
	f.Add(int32(4), int32(3), int32(0x104), int64(5), true, []byte{})
	f.Add(int32(100000), int32(0), int32(2), int64(0), false, []byte{})
	f.Add(int32(math.MaxInt32), int32(0), int32(3), int64(0), false, []byte{})
	f.Add(int32(3), int32(1), int32(0x202), int64(0), false, []byte{0, 0, 0, 0, 0, 0, 0xf0, 0x7f})
	goKernel := kernel.Go()
	f.Fuzz(func(t *testing.T, n, start, alg int32, budget int64, cancelled bool, raw []byte) {
		m := n
		if m < 1 || m > 8 {
			m = 8 // the matrix the memory holds; a larger n must be refused before it is read
			if n > 8 && start >= 0 && start < n && precheck(n, alg, budget%1000, cancelled) == kernel.CodeOK {
				t.Skip() // it would be read: n×n doubles are the caller's promise
			}
		}
		dist := make([]float64, m*m)
		for i := range dist {
			if len(raw) >= 8*(i+1) {
				dist[i] = math.Float64frombits(binary.LittleEndian.Uint64(raw[8*i:]))
			} else {
				dist[i] = float64((i*7 + len(raw)) % 13)
			}
			if i%int(m) == i/int(m) && len(raw)%3 != 0 {
				dist[i] = 0
			}
		}
		if n >= 1 && n <= 8 {
			dist = dist[:n*n]
		}
		budget %= 1000 // Iterated: at most 999 kicks, or none (then it needs the cancel flag)
		var cancel *int32
		if cancelled {
			cancel = new(int32)
			*cancel = 1
		}
		if alg&kernel.FlagChecked != 0 && n >= 1 && n <= 8 {
			// TSP_CHECKED promises a valid matrix; a broken promise is
			// undefined (it may never end). Keep the flag only for a matrix
			// the kernel accepts without it.
			o, l, b, c := make([]int32, n), new(float64), new(float64), new(uint64)
			if goKernel(dist, n, start, alg&^kernel.FlagChecked, 7, budget, cancel, o, l, b, c) == kernel.CodeInvalid {
				alg &^= kernel.FlagChecked
			}
		}
		outs := func() ([]int32, *float64, *float64, *uint64) {
			return make([]int32, m), new(float64), new(float64), new(uint64)
		}
		o1, l1, b1, n1 := outs()
		got := solveSlices(dist, n, start, alg, 7, budget, cancel, o1, l1, b1, n1)
		var want int32
		o2, l2, b2, n2 := outs()
		if n >= 1 && n <= 8 {
			want = goKernel(dist, n, start, alg, 7, budget, cancel, o2, l2, b2, n2)
		} else if n < 1 || start < 0 || start >= n {
			want = kernel.CodeInvalid
		} else {
			want = precheck(n, alg, budget, cancel != nil)
		}
		if got != want {
			t.Fatalf("tsp_solve = %d, kernel = %d (n %d, start %d, alg %#x)", got, want, n, start, alg)
		}
		if got == kernel.CodeOK || got == kernel.CodeStopped {
			if !slices.Equal(o1, o2) || math.Float64bits(*l1) != math.Float64bits(*l2) ||
				math.Float64bits(*b1) != math.Float64bits(*b2) || *n1 != *n2 {
				t.Fatalf("tsp_solve and the kernel differ: %v %v %v %d, %v %v %v %d", o1, *l1, *b1, *n1, o2, *l2, *b2, *n2)
			}
		}
		// NULL outputs are refused, never written through.
		if c := solveSlices(dist, n, start, alg, 7, budget, cancel, nil, l1, b1, n1); c != kernel.CodeInvalid {
			t.Fatalf("tsp_solve with a NULL order = %d", c)
		}
	})
}
