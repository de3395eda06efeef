//go:build cgo

package cppbackend

// Thin wrappers around the C entry points for the tests of this package
// (cgo cannot be used in _test.go files). They pass what they are given,
// slices as malloc'd copies of the same length: a nil slice or pointer
// becomes NULL, so the tests can reach the kernel's own checks, which Go's
// callers otherwise never let it see. Production code does not use them.

/*
#include <stdlib.h>
#include "tsp.h"
#include "tsp_cpp.h"
#include "tsp_selftest.h"
*/
import "C"

import "unsafe"

// cCopy returns a malloc'd copy of s (NULL for an empty s) and a function
// that copies it back into s and frees it. The tests hand the kernel memory
// of exactly the length they mean, in C's heap, so that AddressSanitizer
// sees any access past its end (Go's heap has no redzones to catch that).
func cCopy[T any](s []T) (unsafe.Pointer, func()) {
	if len(s) == 0 {
		return nil, func() {}
	}
	size := C.size_t(len(s)) * C.size_t(unsafe.Sizeof(s[0]))
	p := C.malloc(size)
	c := unsafe.Slice((*T)(p), len(s))
	copy(c, s)
	return p, func() {
		copy(s, c)
		C.free(p)
	}
}

// rawSolveArgs are the arguments of tsp_solve; nil means NULL.
type rawSolveArgs struct {
	dist                []float64
	n, start, algorithm int32
	cancel              *int32
	order               []int32
	length, lb          *float64
	nodes               *uint64
	handle              bool // call tsp_solver_solve on a fresh handle instead
	nilHandle           bool // call tsp_solver_solve with a NULL handle
}

func rawSolve(a rawSolveArgs) int32 {
	pd, freeDist := cCopy(a.dist)
	defer freeDist()
	po, freeOrder := cCopy(a.order)
	defer freeOrder()
	dist, order := (*C.double)(pd), (*C.int32_t)(po)
	cancel := (*C.int32_t)(unsafe.Pointer(a.cancel))
	length, lb := (*C.double)(unsafe.Pointer(a.length)), (*C.double)(unsafe.Pointer(a.lb))
	nodes := (*C.uint64_t)(unsafe.Pointer(a.nodes))
	switch {
	case a.nilHandle:
		return int32(C.tsp_solver_solve(nil, dist, C.int32_t(a.n), C.int32_t(a.start), C.int32_t(a.algorithm),
			0, 0, cancel, order, length, lb, nodes))
	case a.handle:
		var h unsafe.Pointer
		if code := int32(C.tsp_solver_new(&h)); code != 0 {
			return -code
		}
		defer C.tsp_solver_free(h)
		return int32(C.tsp_solver_solve(h, dist, C.int32_t(a.n), C.int32_t(a.start), C.int32_t(a.algorithm),
			0, 0, cancel, order, length, lb, nodes))
	}
	return int32(C.tsp_solve(dist, C.int32_t(a.n), C.int32_t(a.start), C.int32_t(a.algorithm),
		0, 0, cancel, order, length, lb, nodes))
}

func rawSolverNewNil() int32 { return int32(C.tsp_solver_new(nil)) }

func rawSolverFreeNil() int32 { return int32(C.tsp_solver_free(nil)) }

func rawKernelID() int32 { return int32(C.tsp_kernel_id()) }

func rawSelftestThrow(kind int32) int32 { return int32(C.tsp_cpp_selftest_throw(C.int32_t(kind))) }

// rawMatrix calls tsp_matrix on C copies of the slices.
func rawMatrix(lat, lon []float64, n int32, radius *float64, out []float64) int32 {
	plat, freeLat := cCopy(lat)
	defer freeLat()
	plon, freeLon := cCopy(lon)
	defer freeLon()
	pout, freeOut := cCopy(out)
	defer freeOut()
	return int32(C.tsp_matrix((*C.double)(plat), (*C.double)(plon), C.int32_t(n),
		(*C.double)(unsafe.Pointer(radius)), (*C.double)(pout)))
}

func rawHaversine(in []float64, out *float64) int32 {
	pin, freeIn := cCopy(in)
	defer freeIn()
	return int32(C.tsp_haversine((*C.double)(pin), (*C.double)(unsafe.Pointer(out))))
}

func rawSelftestFP(a, b, c float64) (float64, int32) {
	in := [3]float64{a, b, c}
	var out float64
	code := int32(C.tsp_cpp_selftest_fp((*C.double)(unsafe.Pointer(&in[0])), (*C.double)(unsafe.Pointer(&out))))
	return out, code
}
