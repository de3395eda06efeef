//go:build cgo

package main

// The C side of tsp_solve_progress's callback: Go calls the caller's C
// function pointer through call_progress (a C function, since Go cannot
// call a C function pointer itself). This file has no //export, so its
// preamble may define it.

/*
#cgo CFLAGS: -I${SRCDIR}/..
#define TSP_CGO_GO
#include "tsp.h"
static int32_t call_progress(tsp_progress_fn f, uint64_t handle, int32_t event, const double *values,
                             uint64_t nodes, const int32_t *order, int32_t n) {
	return f(handle, event, values, nodes, order, n);
}
*/
import "C"

import (
	"unsafe"

	"github.com/ffi4go/tsp/internal/abi"
)

// cProgress is the abi.ProgressFunc that calls the C caller's progress with
// its handle. The values and the tour are Go memory that holds no Go
// pointers, which cgo's rules let C read during the call; C keeps neither
// (tsp.h: valid during the call only).
func cProgress(f C.tsp_progress_fn, handle C.uint64_t) abi.ProgressFunc {
	return func(event int32, length, bound float64, nodes uint64, order []int32) int32 {
		v := [2]float64{length, bound}
		return int32(C.call_progress(f, handle, C.int32_t(event), (*C.double)(unsafe.Pointer(&v[0])), C.uint64_t(nodes),
			(*C.int32_t)(unsafe.Pointer(&order[0])), C.int32_t(len(order))))
	}
}
