//go:build cgo

package cbackend

// callProgressN, for BenchmarkCallback: C calls the progress callback of
// tsp_solve_progress (the exported Go function tspCProgress, through a
// runtime/cgo.Handle) k times in one cgo call, so that the benchmark times
// the C→Go callbacks alone. (cgo cannot be used in _test.go files.)

/*
#include <stdint.h>
#include <stdlib.h>
#include "tsp.h"
extern int32_t tspCProgress(uint64_t, int32_t, double *, uint64_t, int32_t *, int32_t);
static int64_t call_progress_n(uint64_t handle, int64_t k, int32_t *order, int32_t n) {
	tsp_progress_fn f = (tsp_progress_fn)tspCProgress;
	double v[2] = {1, 0};
	int64_t s = 0;
	for (int64_t i = 0; i < k; i++) s += f(handle, TSP_PROGRESS_TOUR, v, (uint64_t)i, order, n);
	return s;
}
*/
import "C"

import (
	"unsafe"

	"github.com/ffi4go/tsp/internal/abi"
	"github.com/ffi4go/tsp/internal/cgoprogress"
)

func callProgressN(f abi.ProgressFunc, k int, order []int32) int64 {
	h := cgoprogress.New(f)
	defer h.Delete()
	o := C.malloc(C.size_t(4 * len(order)))
	defer C.free(o)
	copy(unsafe.Slice((*int32)(o), len(order)), order)
	return int64(C.call_progress_n(C.uint64_t(h), C.int64_t(k), (*C.int32_t)(o), C.int32_t(len(order))))
}
