//go:build cgo

// Command golib is the pure-Go kernel as a C shared library, libtsp_go.so:
// the functions of native/tsp.h exported from Go with the same names,
// arguments, status codes and results as libtsp_c.so and libtsp_cpp.so, and
// tsp_kernel_id() == TSP_KERNEL_GO. Build it with
//
//	make libs                      # lib/libtsp_go.so, with the other two
//	go build -buildmode=c-shared -o lib/libtsp_go.so ./native/golib
//
// or loader.Build(dir, loader.KernelGo). A C program links it or dlopens it
// like the other two (native/golib/testdata/abitest.c does both kinds of
// check); Python opens it with ctypes or CFFI (python/tsp_ffi).
//
// What it costs, against the C library: the Go runtime starts when the
// library is loaded (its .init_array runs the runtime's initialisation on a
// new thread: a few milliseconds), it keeps its own threads (the
// scheduler's, the collector's: several, for the life of the process), the
// file is a few megabytes instead of tens of kilobytes, and every call
// enters Go from C (cgocallback: the calling thread is attached to the
// runtime on its first call, then each call costs about a hundred
// nanoseconds). The README ("Go as a C library") has the measured figures.
//
// A Go program cannot load it: a second Go runtime in a Go process is not
// supported (go.dev/issue/65050 and the c-shared documentation: one Go
// runtime per process). Package loader refuses the file before dlopen.
// Go programs use the kernel directly (tsp.Go, backend "go").
//
// Rules of the boundary, as in tsp.h: no Go pointer is handed to C, no C
// pointer is kept after a call returns, a Go panic never crosses (it becomes
// TSP_INTERNAL), and the cancel flag in C memory is read atomically by the
// kernel.
package main

// tsp.h for its constants only: with TSP_CGO_GO its declarations are named
// tsp_go_* (never defined, never called), and the macros that rename the
// plain names are dropped again, so that cgo's own declarations of the
// exported functions below keep the plain names the library exports.

// #cgo CFLAGS: -I${SRCDIR}/..
// #define TSP_CGO_GO
// #include "tsp.h"
// #undef tsp_abi_version
// #undef tsp_kernel_id
// #undef tsp_noop
// #undef tsp_haversine
// #undef tsp_matrix
// #undef tsp_solve
// #undef tsp_solve_progress
// #undef tsp_solve_points
// #undef tsp_solve_points_progress
import "C"

import (
	"math"
	"unsafe"

	"github.com/ffi4go/tsp"
	"github.com/ffi4go/tsp/internal/abi"
	_ "github.com/ffi4go/tsp/internal/abi/cgocheck" // abi's constants are tsp.h's
	"github.com/ffi4go/tsp/kernel"
	_ "github.com/ffi4go/tsp/native" // rebuild when tsp.h changes
)

// The ids this library reports, checked against tsp.h at compile time.
var (
	_ = [1]int{}[C.TSP_KERNEL_GO-abi.KernelGo]
	_ = [1]int{}[C.TSP_ABI_VERSION-abi.Version]
)

func main() {} // required by -buildmode=c-shared, never run

var goKernel = kernel.Go()

var goKernelProgress = kernel.GoProgress()

//export tsp_abi_version
func tsp_abi_version() C.int32_t { return C.int32_t(abi.Version) }

//export tsp_kernel_id
func tsp_kernel_id() C.int32_t { return C.int32_t(abi.KernelGo) }

//export tsp_noop
func tsp_noop(x C.int32_t) C.int32_t { return x }

//export tsp_haversine
func tsp_haversine(in, out *C.double) (code C.int32_t) {
	defer recoverInternal(&code)
	if in == nil || out == nil {
		return C.int32_t(abi.CodeInvalid)
	}
	v := unsafe.Slice((*float64)(unsafe.Pointer(in)), 5)
	*out = C.double(tsp.HaversineRadius(v[0], v[1], v[2], v[3], v[4]))
	return C.int32_t(abi.CodeOK)
}

//export tsp_matrix
func tsp_matrix(lat, lon *C.double, n C.int32_t, radiusKm, out *C.double) (code C.int32_t) {
	defer recoverInternal(&code)
	if lat == nil || lon == nil || radiusKm == nil || out == nil || n <= 0 {
		return C.int32_t(abi.CodeInvalid)
	}
	if n > abi.MaxHeuristic {
		return C.int32_t(abi.CodeTooLarge)
	}
	r := float64(*radiusKm)
	if !(r >= 0) || math.IsInf(r, 0) {
		return C.int32_t(abi.CodeInvalid)
	}
	m := int(n)
	la := unsafe.Slice((*float64)(unsafe.Pointer(lat)), m)
	lo := unsafe.Slice((*float64)(unsafe.Pointer(lon)), m)
	for i := range m {
		if !(la[i] >= -90 && la[i] <= 90) || !(lo[i] >= -180 && lo[i] <= 180) {
			return C.int32_t(abi.CodeInvalid)
		}
	}
	d := unsafe.Slice((*float64)(unsafe.Pointer(out)), m*m)
	for i := range m {
		d[i*m+i] = 0
		for j := i + 1; j < m; j++ {
			v := tsp.HaversineRadius(la[i], lo[i], la[j], lo[j], r)
			d[i*m+j] = v
			d[j*m+i] = v
		}
	}
	return C.int32_t(abi.CodeOK)
}

//export tsp_solve
func tsp_solve(dist *C.double, n, start, algorithm C.int32_t, seed C.uint64_t, budget C.int64_t,
	cancel *C.int32_t, order *C.int32_t, length, lowerBound *C.double, nodes *C.uint64_t) (code C.int32_t) {
	defer recoverInternal(&code)
	if dist == nil || order == nil || length == nil || lowerBound == nil || nodes == nil {
		return C.int32_t(abi.CodeInvalid)
	}
	if n <= 0 || start < 0 || start >= n {
		return C.int32_t(abi.CodeInvalid)
	}
	alg := int32(algorithm)
	if c := precheck(int32(n), alg, int64(budget), cancel != nil); c != abi.CodeOK {
		return C.int32_t(c)
	}
	// n is at most abi.MaxHeuristic here: the slices are at most 800 MB.
	m := int(n)
	d := unsafe.Slice((*float64)(unsafe.Pointer(dist)), m*m)
	o := unsafe.Slice((*int32)(unsafe.Pointer(order)), m)
	return C.int32_t(goKernel(d, int32(n), int32(start), alg, uint64(seed), int64(budget),
		(*int32)(unsafe.Pointer(cancel)), o,
		(*float64)(unsafe.Pointer(length)), (*float64)(unsafe.Pointer(lowerBound)), (*uint64)(unsafe.Pointer(nodes))))
}

//export tsp_solve_progress
func tsp_solve_progress(dist *C.double, n, start, algorithm C.int32_t, seed C.uint64_t, budget C.int64_t,
	cancel *C.int32_t, progress C.tsp_progress_fn, handle C.uint64_t, order *C.int32_t, length, lowerBound *C.double,
	nodes *C.uint64_t) (code C.int32_t) {
	defer recoverInternal(&code)
	if dist == nil || order == nil || length == nil || lowerBound == nil || nodes == nil {
		return C.int32_t(abi.CodeInvalid)
	}
	if n <= 0 || start < 0 || start >= n {
		return C.int32_t(abi.CodeInvalid)
	}
	alg := int32(algorithm)
	if c := precheck(int32(n), alg, int64(budget), cancel != nil); c != abi.CodeOK {
		return C.int32_t(c)
	}
	m := int(n)
	d := unsafe.Slice((*float64)(unsafe.Pointer(dist)), m*m)
	o := unsafe.Slice((*int32)(unsafe.Pointer(order)), m)
	var pf abi.ProgressFunc
	if progress != nil {
		pf = cProgress(progress, handle)
	}
	return C.int32_t(goKernelProgress(d, int32(n), int32(start), alg, uint64(seed), int64(budget),
		(*int32)(unsafe.Pointer(cancel)), pf, o,
		(*float64)(unsafe.Pointer(length)), (*float64)(unsafe.Pointer(lowerBound)), (*uint64)(unsafe.Pointer(nodes))))
}

// precheck answers what tsp_solve in tsp.c answers before it reads the
// matrix, in the same order, so that an n too large to make a slice of
// gets the same code as from the C library; abi.CodeOK means go on.
func precheck(n, algorithm int32, budget int64, hasCancel bool) int32 {
	directed := algorithm&abi.FlagDirected != 0
	if algorithm&^(abi.AlgorithmMask|abi.FlagChecked|abi.FlagDirected) != 0 {
		return abi.CodeInvalid
	}
	a := algorithm & abi.AlgorithmMask
	if a < abi.Exhaustive || a > abi.Iterated {
		return abi.CodeInvalid
	}
	if a == abi.Iterated && budget <= 0 && !hasCancel {
		return abi.CodeInvalid
	}
	if directed && a == abi.Exact {
		return abi.CodeInvalid
	}
	if int(n) > abi.MaxCities(a) {
		return abi.CodeTooLarge
	}
	return abi.CodeOK
}

// recoverInternal turns a panic into TSP_INTERNAL: a Go panic never
// crosses into C (it would abort the C program).
func recoverInternal(code *C.int32_t) {
	if recover() != nil {
		*code = C.int32_t(abi.CodeInternal)
	}
}

// solveSlices calls tsp_solve, the exported entry point, with Go memory, as
// a C caller would with its own: the fuzz test compares it with the kernel
// called directly. nil slices become NULL pointers.
func solveSlices(dist []float64, n, start, algorithm int32, seed uint64, budget int64,
	cancel *int32, order []int32, length, lowerBound *float64, nodes *uint64) int32 {
	var d *C.double
	if len(dist) > 0 {
		d = (*C.double)(unsafe.Pointer(&dist[0]))
	}
	var o *C.int32_t
	if len(order) > 0 {
		o = (*C.int32_t)(unsafe.Pointer(&order[0]))
	}
	return int32(tsp_solve(d, C.int32_t(n), C.int32_t(start), C.int32_t(algorithm), C.uint64_t(seed), C.int64_t(budget),
		(*C.int32_t)(unsafe.Pointer(cancel)), o,
		(*C.double)(unsafe.Pointer(length)), (*C.double)(unsafe.Pointer(lowerBound)), (*C.uint64_t)(unsafe.Pointer(nodes))))
}

//export tsp_solve_points
func tsp_solve_points(x, y *C.double, n, kind C.int32_t, radius *C.double, start, algorithm C.int32_t,
	seed C.uint64_t, budget C.int64_t, cancel *C.int32_t, order *C.int32_t, length *C.double, nodes *C.uint64_t) (code C.int32_t) {
	defer recoverInternal(&code)
	return tsp_solve_points_progress(x, y, n, kind, radius, start, algorithm, seed, budget, cancel, nil, 0, order, length, nodes)
}

//export tsp_solve_points_progress
func tsp_solve_points_progress(x, y *C.double, n, kind C.int32_t, radius *C.double, start, algorithm C.int32_t,
	seed C.uint64_t, budget C.int64_t, cancel *C.int32_t, progress C.tsp_progress_fn, handle C.uint64_t,
	order *C.int32_t, length *C.double, nodes *C.uint64_t) (code C.int32_t) {
	defer recoverInternal(&code)
	if x == nil || y == nil || radius == nil || order == nil || length == nil || nodes == nil || n <= 0 {
		return C.int32_t(abi.CodeInvalid)
	}
	if n > abi.MaxPoints {
		return C.int32_t(abi.CodeTooLarge)
	}
	m := int(n)
	var pf abi.ProgressFunc
	if progress != nil {
		pf = cProgress(progress, handle)
	}
	return C.int32_t(kernel.GoPointsProgress()(unsafe.Slice((*float64)(unsafe.Pointer(x)), m), unsafe.Slice((*float64)(unsafe.Pointer(y)), m),
		int32(n), int32(kind), float64(*radius), int32(start), int32(algorithm), uint64(seed), int64(budget),
		(*int32)(unsafe.Pointer(cancel)), pf, unsafe.Slice((*int32)(unsafe.Pointer(order)), m),
		(*float64)(unsafe.Pointer(length)), (*uint64)(unsafe.Pointer(nodes))))
}
