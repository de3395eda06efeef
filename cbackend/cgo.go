//go:build cgo

package cbackend

/*
#cgo CFLAGS: -std=c11 -O2 -Wall -Wextra -DTSP_CGO_C -I${SRCDIR}/../native
#cgo LDFLAGS: -lm
#include "tsp.h"
extern int32_t tspCProgress(uint64_t, int32_t, double *, uint64_t, int32_t *, int32_t);
static tsp_progress_fn progress_fn(void) { return (tsp_progress_fn)tspCProgress; }
*/
import "C"

import (
	"runtime/cgo"
	"unsafe"

	"github.com/ffi4go/tsp"
	"github.com/ffi4go/tsp/internal/abi"
	_ "github.com/ffi4go/tsp/internal/abi/cgocheck" // the Go constants are tsp.h's, checked at compile time
	"github.com/ffi4go/tsp/internal/cgoprogress"
	"github.com/ffi4go/tsp/kernel"
	_ "github.com/ffi4go/tsp/native" // rebuild this package when the C source changes
)

// Available reports whether the backend was compiled in.
const Available = true

// New returns the cgo-c Solver.
func New() (tsp.Solver, error) { return solver, nil }

var solver = kernel.NewSolverProgress(Name, solve, solveProgress)

// solve is one cgo call. Every pointer passed points into Go memory that
// holds no Go pointers (float64, int32 and uint64 values), which cgo's
// pointer rules allow for the duration of the call; C keeps none of them.
// The cancel flag is a Go int32 that Go stores to atomically while C loads
// it atomically.
func solve(dist []float64, n, start, algorithm int32, seed uint64, budget int64,
	cancel *int32, order []int32, length, lowerBound *float64, nodes *uint64) int32 {
	return int32(C.tsp_solve((*C.double)(unsafe.Pointer(&dist[0])), C.int32_t(n), C.int32_t(start),
		C.int32_t(algorithm), C.uint64_t(seed), C.int64_t(budget), (*C.int32_t)(unsafe.Pointer(cancel)), (*C.int32_t)(unsafe.Pointer(&order[0])),
		(*C.double)(unsafe.Pointer(length)), (*C.double)(unsafe.Pointer(lowerBound)),
		(*C.uint64_t)(unsafe.Pointer(nodes))))
}

// solveProgress is one cgo call to tsp_solve_progress: solve with a
// progress function. The kernel calls the C function pointer progress_fn()
// (the exported Go function tspCProgress) with a runtime/cgo.Handle of
// progress, an integer; the Go function finds progress through it
// (package internal/cgoprogress). The handle is deleted when the call
// returns, and the C kernel keeps neither pointer nor handle.
func solveProgress(dist []float64, n, start, algorithm int32, seed uint64, budget int64,
	cancel *int32, progress abi.ProgressFunc, order []int32, length, lowerBound *float64, nodes *uint64) int32 {
	var fp C.tsp_progress_fn
	var h cgo.Handle
	if progress != nil {
		h = cgoprogress.New(progress)
		defer h.Delete()
		fp = C.progress_fn()
	}
	return int32(C.tsp_solve_progress((*C.double)(unsafe.Pointer(&dist[0])), C.int32_t(n), C.int32_t(start),
		C.int32_t(algorithm), C.uint64_t(seed), C.int64_t(budget), (*C.int32_t)(unsafe.Pointer(cancel)),
		fp, C.uint64_t(h), (*C.int32_t)(unsafe.Pointer(&order[0])),
		(*C.double)(unsafe.Pointer(length)), (*C.double)(unsafe.Pointer(lowerBound)),
		(*C.uint64_t)(unsafe.Pointer(nodes))))
}

// Calls measures the boundary; see package backends.
type Calls struct{}

// ABIVersion calls tsp_abi_version.
func (Calls) ABIVersion() int32 { return int32(C.tsp_abi_version()) }

// Noop calls tsp_noop: an empty native call.
func (Calls) Noop(x int32) int32 { return int32(C.tsp_noop(C.int32_t(x))) }

// Haversine calls tsp_haversine: one distance per call.
func (Calls) Haversine(in *[5]float64) float64 {
	var out C.double
	C.tsp_haversine((*C.double)(unsafe.Pointer(&in[0])), &out)
	return float64(out)
}

// Matrix calls tsp_matrix: a whole matrix in one call.
func (Calls) Matrix(lat, lon []float64, radius float64, out []float64) int32 {
	n := len(lat)
	if n == 0 || len(lon) != n || len(out) != n*n {
		return abi.CodeInvalid
	}
	return int32(C.tsp_matrix((*C.double)(unsafe.Pointer(&lat[0])), (*C.double)(unsafe.Pointer(&lon[0])),
		C.int32_t(n), (*C.double)(unsafe.Pointer(&radius)), (*C.double)(unsafe.Pointer(&out[0]))))
}
