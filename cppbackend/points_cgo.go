//go:build cgo

package cppbackend

// #include "tsp.h"
import "C"

import (
	"unsafe"

	"github.com/ffi4go/tsp"
	"github.com/ffi4go/tsp/kernel"
)

// Points returns the cgo-cpp coordinate solver (tsp_solve_points, ABI 6).
func Points() (tsp.PointsSolver, error) { return pointsSolver, nil }

var pointsSolver = kernel.NewPointsSolver(Name, solvePoints)

// solvePoints is one cgo call to tsp_solve_points; every pointer points
// into Go memory that holds no Go pointers, valid for the call.
func solvePoints(x, y []float64, n, kind int32, radius float64, start, algorithm int32, seed uint64, budget int64,
	cancel *int32, order []int32, length *float64, nodes *uint64) int32 {
	return int32(C.tsp_solve_points((*C.double)(unsafe.Pointer(&x[0])), (*C.double)(unsafe.Pointer(&y[0])),
		C.int32_t(n), C.int32_t(kind), (*C.double)(unsafe.Pointer(&radius)), C.int32_t(start), C.int32_t(algorithm),
		C.uint64_t(seed), C.int64_t(budget), (*C.int32_t)(unsafe.Pointer(cancel)), (*C.int32_t)(unsafe.Pointer(&order[0])),
		(*C.double)(unsafe.Pointer(length)), (*C.uint64_t)(unsafe.Pointer(nodes))))
}
