package tsp

import (
	"sync/atomic"

	"github.com/ffi4go/tsp/internal/abi"
)

// This file is the entry point of the pure-Go kernel. It has the shape of
// tsp_solve in native/tsp.h and is written so that the C and C++ kernels can
// follow it step by step: flat arrays, int32 indices, no maps, no sorting
// library, every floating-point sum in a fixed order, and an explicit
// float64(...) conversion around every product that is then added, so that no
// compiler fuses it into an FMA (the C side builds with -ffp-contract=off).
// The hot loops are shaped for Go's compiler (small functions with few live
// values, offsets instead of row slices, values read once); they take the
// same steps in the same order as the C code, which the differential test
// checks bit for bit.

// Status codes of the kernel, TSP_* in tsp.h.
const (
	codeOK       = abi.CodeOK
	codeStopped  = abi.CodeStopped
	codeInvalid  = abi.CodeInvalid
	codeTooLarge = abi.CodeTooLarge
	codeNoMemory = abi.CodeNoMemory
	codeInternal = abi.CodeInternal
)

// goKernel is the pure-Go kernel behind the "go" backend, with the shape of
// tsp_solve: algorithm is an ABI number (abi.Exhaustive ...).
func goKernel(dist []float64, n, start, algorithm int32, seed uint64, budget int64,
	cancel *int32, order []int32, length, lowerBound *float64, nodes *uint64) int32 {
	return goKernelProgress(dist, n, start, algorithm, seed, budget, cancel, nil, order, length, lowerBound, nodes)
}

// goKernelProgress is tsp_solve_progress: goKernel with a progress function
// (nil: none), called as tsp.h describes.
func goKernelProgress(dist []float64, n, start, algorithm int32, seed uint64, budget int64,
	cancel *int32, progress abi.ProgressFunc, order []int32, length, lowerBound *float64, nodes *uint64) int32 {
	if n <= 0 || start < 0 || start >= n || int64(len(dist)) < int64(n)*int64(n) || int32(len(order)) < n {
		return codeInvalid
	}
	checked := algorithm&abi.FlagChecked != 0
	directed := algorithm&abi.FlagDirected != 0
	if algorithm&^(abi.AlgorithmMask|abi.FlagChecked|abi.FlagDirected) != 0 {
		return codeInvalid
	}
	algorithm &= abi.AlgorithmMask
	if algorithm < abi.Exhaustive || algorithm > abi.Iterated {
		return codeInvalid
	}
	if algorithm == abi.Iterated && budget <= 0 && cancel == nil {
		return codeInvalid // it would never end
	}
	if directed && algorithm == abi.Exact {
		return codeInvalid
	}
	if n > int32(abi.MaxCities(algorithm)) {
		return codeTooLarge
	}
	k := kernelState{d: dist[:n*n], n: n, cancel: cancel, directed: directed, progress: progress}
	check := checkValid
	if !checked {
		check = k.checkDistances()
	}
	if check == checkInvalid {
		return codeInvalid
	}
	if check == checkStopped {
		algorithm = abi.Nearest // stopped: the nearest-neighbour tour so far
	}
	var lb float64
	code := codeOK
	switch algorithm {
	case abi.Exhaustive:
		code = k.exhaustive(start, order)
	case abi.Exact:
		code = k.exact(start, order, &lb)
	case abi.Nearest:
		code = k.nearest(start, order)
	case abi.TwoOpt:
		code = k.twoOpt(start, order)
	case abi.Iterated:
		code = k.iterated(start, seed, budget, order)
	}
	if check == checkStopped {
		code = codeStopped
	}
	*length = k.finish(start, order)
	if algorithm == abi.Exhaustive || algorithm == abi.Exact {
		if code == codeOK {
			lb = *length
		}
	}
	if lb > *length { // a bound summed in another order may exceed the length by an ulp
		lb = *length
	}
	*lowerBound = lb
	*nodes = k.nodes
	return code
}

// validDistances: finite, non-negative, zero diagonal, symmetric, and no
// distance above MaxTourLength/n, so that no tour can overflow. It compares
// each pair i ≤ j once, tile by tile (validTile × validTile cities), so that
// the row-wise tile (I, J) and the column-wise tile (J, I) both stay in
// cache: 10,000 cities take a tenth of the time of a plain row-by-row scan,
// which reads every column with a stride of a whole row. The answer is the
// same as that scan's.
func validDistances(d []float64, n int32) bool {
	k := kernelState{d: d, n: n}
	return k.checkDistances() == checkValid
}

// Results of checkDistances.
const (
	checkValid   = iota
	checkInvalid // a distance breaks the rules
	checkStopped // the cancel flag stopped the check
)

// checkDistances is validDistances inside a solve, polling the cancel flag
// before each band of validTile rows: what tsp_solve does when the caller
// does not pass TSP_CHECKED. tsp.c and tsp.cpp do the same.
func (k *kernelState) checkDistances() int {
	d, n := k.d, k.n
	lim := maxDistance(n)
	for bi := int32(0); bi < n; bi += validTile {
		if k.stopRequested() {
			return checkStopped
		}
		ie := min(bi+validTile, n)
		for bj := bi; bj < n; bj += validTile {
			je := min(bj+validTile, n)
			for i := bi; i < ie; i++ {
				j := bj
				if bj == bi {
					j = i // the upper triangle of a diagonal tile, diagonal included
				}
				for ; j < je; j++ {
					v, w := d[i*n+j], d[j*n+i]
					if !(v >= 0) || v > lim || (i == j && v != 0) {
						return checkInvalid
					}
					if k.directed { // asymmetric allowed: check d[j][i] on its own
						if !(w >= 0) || w > lim {
							return checkInvalid
						}
					} else if v != w {
						return checkInvalid
					}
				}
			}
		}
	}
	return checkValid
}

// maxDistance is the largest distance validDistances accepts in a matrix
// of n cities: MaxTourLength/n, rounded by the division as in tsp.c and
// tsp.cpp.
func maxDistance(n int32) float64 {
	return MaxTourLength / float64(n)
}

// validTile is the side of the tiles of validDistances: two tiles of 32×32
// float64 take 16 KiB, within any L1 cache.
const validTile = 32

// kernelState is what every algorithm shares: the matrix, the cancel flag
// and the node counter.
type kernelState struct {
	d      []float64
	n      int32
	cancel *int32
	nodes  uint64
	// directed: TSP_DIRECTED, the matrix may be asymmetric and the tour is
	// never turned around (finish, checkDistances, Exhaustive).
	directed bool
	// progress: tsp_solve_progress's function (nil: none); stop is set when
	// it asks to stop; bound is the last bound reported.
	progress abi.ProgressFunc
	stop     bool
	bound    float64
}

func (k *kernelState) stopRequested() bool {
	return k.stop || k.cancel != nil && atomic.LoadInt32(k.cancel) != 0
}

// improved reports a shorter best tour, of length l, to the progress
// function, if any (tsp.h: TSP_PROGRESS_TOUR).
func (k *kernelState) improved(l float64, nodes uint64, best []int32) {
	if k.progress != nil && k.progress(abi.ProgressTour, l, k.bound, nodes, best[:k.n]) != 0 {
		k.stop = true
	}
}

// bounded reports the lower bound b when it is above the last one reported,
// with the best length ub and tour best (tsp.h: TSP_PROGRESS_BOUND).
func (k *kernelState) bounded(b, ub float64, best []int32) {
	if k.progress == nil || !(b > k.bound) {
		return
	}
	k.bound = b
	if k.progress(abi.ProgressBound, ub, b, k.nodes, best[:k.n]) != 0 {
		k.stop = true
	}
}

// finish turns a cycle in order into the canonical tour: rotated so that
// order[0] == start, turned so that order[1] < order[n-1] (not when
// directed: a directed tour keeps its direction), and returns its
// length summed from start along order and back.
func (k *kernelState) finish(start int32, order []int32) float64 {
	n := k.n
	p := int32(0)
	for order[p] != start {
		p++
	}
	if p != 0 { // rotate left by p: three reversals
		reverse32(order[:p])
		reverse32(order[p:n])
		reverse32(order[:n])
	}
	if !k.directed && n >= 3 && order[1] > order[n-1] {
		reverse32(order[1:n])
	}
	return k.cycleLength(order)
}

// cycleLength sums d along order from order[0] and back to it.
func (k *kernelState) cycleLength(order []int32) float64 {
	n := k.n
	s := 0.0
	for i := int32(1); i < n; i++ {
		s += k.d[order[i-1]*n+order[i]]
	}
	return s + k.d[order[n-1]*n+order[0]]
}

func reverse32(a []int32) {
	for i, j := 0, len(a)-1; i < j; i, j = i+1, j-1 {
		a[i], a[j] = a[j], a[i]
	}
}
