//go:build cgo

package cppbackend

// TSP_CGO_CPP gives the C ABI's functions the names tsp_cpp_* in this
// package (see tsp.h), so that cgo-c and cgo-cpp link into one binary; the
// shared library built from Sources keeps the plain tsp_* names.

/*
#cgo CXXFLAGS: -std=c++17 -O2 -Wall -Wextra -DTSP_CGO_CPP -I${SRCDIR}/../native -I${SRCDIR}/../native/cpp
#cgo CFLAGS: -DTSP_CGO_CPP -I${SRCDIR}/../native -I${SRCDIR}/../native/cpp
#cgo LDFLAGS: -lm
#include "tsp.h"
extern int32_t tspCppProgress(uint64_t, int32_t, double *, uint64_t, int32_t *, int32_t);
static tsp_progress_fn progress_fn(void) { return (tsp_progress_fn)tspCppProgress; }
#include "tsp_cpp.h"
*/
import "C"

import (
	"context"
	"fmt"
	"runtime"
	"runtime/cgo"
	"sync/atomic"
	"unsafe"

	"github.com/ffi4go/tsp"
	"github.com/ffi4go/tsp/internal/abi"
	_ "github.com/ffi4go/tsp/internal/abi/cgocheck" // the Go constants are tsp.h's, checked at compile time
	"github.com/ffi4go/tsp/internal/cgoprogress"
	"github.com/ffi4go/tsp/kernel"
	_ "github.com/ffi4go/tsp/native" // rebuild this package when the C++ source changes
)

// Available reports whether the backend was compiled in.
const Available = true

// New returns the cgo-cpp Solver.
func New() (tsp.Solver, error) { return solver, nil }

var solver = kernel.NewSolverProgress(Name, solve, solveProgress)

// solve is one cgo call to tsp_solve. Every pointer passed points into Go
// memory that holds no Go pointers (float64, int32 and uint64 values), which
// cgo's pointer rules allow for the duration of the call; C++ keeps none of
// them. The cancel flag is a Go int32 that Go stores to atomically while C++
// loads it atomically (__atomic_load_n).
func solve(dist []float64, n, start, algorithm int32, seed uint64, budget int64,
	cancel *int32, order []int32, length, lowerBound *float64, nodes *uint64) int32 {
	return int32(C.tsp_solve((*C.double)(unsafe.Pointer(&dist[0])), C.int32_t(n), C.int32_t(start),
		C.int32_t(algorithm), C.uint64_t(seed), C.int64_t(budget), (*C.int32_t)(unsafe.Pointer(cancel)), (*C.int32_t)(unsafe.Pointer(&order[0])),
		(*C.double)(unsafe.Pointer(length)), (*C.double)(unsafe.Pointer(lowerBound)),
		(*C.uint64_t)(unsafe.Pointer(nodes))))
}

// solveProgress is one cgo call to tsp_solve_progress: solve with a
// progress function. The kernel calls the C function pointer progress_fn()
// (the exported Go function tspCppProgress) with a runtime/cgo.Handle of
// progress, an integer; the Go function finds progress through it
// (package internal/cgoprogress). The handle is deleted when the call
// returns, and the C++ kernel keeps neither pointer nor handle.
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

// Handle is a cgo-cpp Solver that owns a native solver handle
// (tsp_solver_new): the kernel's buffers live as long as the Handle and are
// reused by every solve instead of being allocated anew. It solves like the
// Solver of New, with the same results.
//
// A Handle is safe for concurrent use; its solves run one at a time, since
// they share the buffers: use one Handle per goroutine, or New, to solve in
// parallel. A Solve that has to wait for another one to end waits only as
// long as its context allows: when ctx ends first, it returns an error
// wrapping ctx.Err() and a zero Tour (it never started, so there is no best
// tour so far, unlike a search that ctx stopped). Close frees the native solver;
// a Handle that is never closed is freed when the garbage collector finds
// it unreachable. After Close, Solve returns an error wrapping ErrClosed
// (and tsp.ErrUnavailable).
type Handle struct {
	// sem holds one token while a solve or Close uses the handle: a mutex
	// whose wait can end with a context. Whoever holds it may use p.
	sem     chan struct{}
	p       unsafe.Pointer // the native solver, in C++ memory; nil once closed
	solver  tsp.Solver     // validation and conversion around p
	cleanup runtime.Cleanup
}

// NewHandle allocates a native solver.
func NewHandle() (*Handle, error) {
	var p unsafe.Pointer
	switch code := int32(C.tsp_solver_new(&p)); code {
	case abi.CodeOK:
	case abi.CodeNoMemory:
		return nil, fmt.Errorf("%w (%s: tsp_solver_new)", tsp.ErrOutOfMemory, Name)
	default:
		return nil, fmt.Errorf("%w: %s: tsp_solver_new returned status %d", tsp.ErrKernel, Name, code)
	}
	h := &Handle{p: p, sem: make(chan struct{}, 1)}
	h.solver = kernel.NewSolverProgress(Name, h.callSolve, h.callSolveProgress)
	// The safety net: the cleanup gets the C pointer, never h, so that h can
	// become unreachable.
	h.cleanup = runtime.AddCleanup(h, freeSolver, p)
	return h, nil
}

// cleanupFrees counts the native solvers freed by a Handle's cleanup rather
// than by Close; the tests read it.
var cleanupFrees atomic.Int64

func freeSolver(p unsafe.Pointer) {
	C.tsp_solver_free(p)
	cleanupFrees.Add(1)
}

// Name returns "cgo-cpp".
func (h *Handle) Name() string { return Name }

// Solve solves m like tsp.Solver.Solve, with the handle's buffers. While
// another solve runs on h it waits, until that one ends or ctx does; in the
// latter case it returns a zero Tour and an error wrapping ctx.Err().
func (h *Handle) Solve(ctx context.Context, m *tsp.Matrix, opt tsp.Options) (tsp.Tour, error) {
	if h == nil {
		return tsp.Tour{}, ErrClosed
	}
	if err := opt.Validate(m); err != nil { // bad input needs no handle, so it does not wait
		return tsp.Tour{}, err
	}
	select {
	case h.sem <- struct{}{}: // free: solve even if ctx has ended, which returns a Stopped tour
	default:
		select {
		case h.sem <- struct{}{}:
		case <-ctx.Done():
			return tsp.Tour{}, fmt.Errorf("%s: gave up waiting for the handle's running solve, no search started: %w", Name, ctx.Err())
		}
	}
	defer func() { <-h.sem }()
	if h.p == nil {
		return tsp.Tour{}, ErrClosed
	}
	t, err := h.solver.Solve(ctx, m, opt)
	runtime.KeepAlive(h) // h (and so the native solver) lives until the call is over
	return t, err
}

// callSolve is one cgo call to tsp_solver_solve; h.sem is held.
func (h *Handle) callSolve(dist []float64, n, start, algorithm int32, seed uint64, budget int64,
	cancel *int32, order []int32, length, lowerBound *float64, nodes *uint64) int32 {
	return int32(C.tsp_solver_solve(h.p, (*C.double)(unsafe.Pointer(&dist[0])), C.int32_t(n), C.int32_t(start),
		C.int32_t(algorithm), C.uint64_t(seed), C.int64_t(budget), (*C.int32_t)(unsafe.Pointer(cancel)), (*C.int32_t)(unsafe.Pointer(&order[0])),
		(*C.double)(unsafe.Pointer(length)), (*C.double)(unsafe.Pointer(lowerBound)),
		(*C.uint64_t)(unsafe.Pointer(nodes))))
}

// callSolveProgress is one cgo call to tsp_solver_solve_progress, with a
// progress function as in solveProgress; h.sem is held.
func (h *Handle) callSolveProgress(dist []float64, n, start, algorithm int32, seed uint64, budget int64,
	cancel *int32, progress abi.ProgressFunc, order []int32, length, lowerBound *float64, nodes *uint64) int32 {
	var fp C.tsp_progress_fn
	var ph cgo.Handle
	if progress != nil {
		ph = cgoprogress.New(progress)
		defer ph.Delete()
		fp = C.progress_fn()
	}
	return int32(C.tsp_solver_solve_progress(h.p, (*C.double)(unsafe.Pointer(&dist[0])), C.int32_t(n), C.int32_t(start),
		C.int32_t(algorithm), C.uint64_t(seed), C.int64_t(budget), (*C.int32_t)(unsafe.Pointer(cancel)),
		fp, C.uint64_t(ph), (*C.int32_t)(unsafe.Pointer(&order[0])),
		(*C.double)(unsafe.Pointer(length)), (*C.double)(unsafe.Pointer(lowerBound)),
		(*C.uint64_t)(unsafe.Pointer(nodes))))
}

// Close frees the native solver. It waits for a running solve to end.
// Closing a closed Handle does nothing; Close always returns nil.
func (h *Handle) Close() error {
	if h == nil {
		return nil
	}
	h.sem <- struct{}{} // no context: Close always waits for the running solve
	defer func() { <-h.sem }()
	if h.p == nil {
		return nil
	}
	h.cleanup.Stop()
	C.tsp_solver_free(h.p)
	h.p = nil
	return nil
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

// Matrix calls tsp_matrix: a whole matrix in one call. It returns
// abi.CodeInvalid for NaN, infinite or out-of-range coordinates, a
// negative or non-finite radius, or lengths that do not fit, and
// abi.CodeTooLarge past abi.MaxHeuristic cities.
func (Calls) Matrix(lat, lon []float64, radius float64, out []float64) int32 {
	n := len(lat)
	if n == 0 || len(lon) != n || len(out) != n*n {
		return abi.CodeInvalid
	}
	if n > abi.MaxHeuristic {
		return abi.CodeTooLarge
	}
	return int32(C.tsp_matrix((*C.double)(unsafe.Pointer(&lat[0])), (*C.double)(unsafe.Pointer(&lon[0])),
		C.int32_t(n), (*C.double)(unsafe.Pointer(&radius)), (*C.double)(unsafe.Pointer(&out[0]))))
}
