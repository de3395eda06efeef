//go:build cgo

package cbackend

/*
#cgo CFLAGS: -DTSP_CGO_C
#include "tsp.h"
*/
import "C"

import "unsafe"

// callSolve calls tsp_solve directly, with nil for dist when it is empty and
// nil outputs when nilOut, for the entry-point tests. (cgo cannot be used in
// _test.go files.)
func callSolve(dist []float64, n, start, algorithm int32, nilOut bool) int32 {
	var dp *C.double
	if len(dist) > 0 {
		dp = (*C.double)(unsafe.Pointer(&dist[0]))
	}
	order := make([]int32, max(n, 1))
	var length, lb C.double
	var nodes C.uint64_t
	if nilOut {
		return int32(C.tsp_solve(dp, C.int32_t(n), C.int32_t(start), C.int32_t(algorithm), 0, 0, nil, nil, nil, nil, nil))
	}
	return int32(C.tsp_solve(dp, C.int32_t(n), C.int32_t(start), C.int32_t(algorithm), 0, 0, nil,
		(*C.int32_t)(unsafe.Pointer(&order[0])), &length, &lb, &nodes))
}

func callMatrixNil() int32 {
	return int32(C.tsp_matrix(nil, nil, 3, nil, nil))
}

// rawMatrix calls tsp_matrix directly; a nil slice or pointer is NULL.
func rawMatrix(lat, lon []float64, n int32, radius *float64, out []float64) int32 {
	p := func(s []float64) *C.double {
		if len(s) == 0 {
			return nil
		}
		return (*C.double)(unsafe.Pointer(&s[0]))
	}
	return int32(C.tsp_matrix(p(lat), p(lon), C.int32_t(n), (*C.double)(unsafe.Pointer(radius)), p(out)))
}
