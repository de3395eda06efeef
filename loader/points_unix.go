//go:build darwin || freebsd || linux || netbsd

package loader

import (
	"fmt"
	"runtime"
	"unsafe"

	"github.com/ebitengine/purego"
	"github.com/ffi4go/tsp"
	"github.com/ffi4go/tsp/internal/abi"
	"github.com/ffi4go/tsp/kernel"
)

// Points returns the library's coordinate solver (tsp_solve_points, ABI 6,
// issue 21; with Options.Progress tsp_solve_points_progress, ABI 7, whose
// calls come back through the one purego callback of solveProgress), named
// like the library's Solver. Every library of this ABI version has both
// symbols; one that lacks them gives an error wrapping ErrMissingSymbol.
func (l *Library) Points() (tsp.PointsSolver, error) {
	fn, err := l.pointsFunc()
	if err != nil {
		return nil, err
	}
	fp, err := l.sym(pointsSymbols[1])
	if err != nil {
		return nil, err
	}
	kp := func(x, y []float64, n, kind int32, radius float64, start, algorithm int32, seed uint64, budget int64,
		cancel *int32, progress kernel.ProgressFunc, order []int32, length *float64, nodes *uint64) int32 {
		return solvePointsProgress(fp, x, y, n, kind, radius, start, algorithm, seed, budget, cancel, progress, order, length, nodes)
	}
	return kernel.NewPointsSolverProgress(l.Name(), fn, kp), nil
}

// sym looks up name in the library: an error wrapping ErrUnavailable and
// ErrMissingSymbol when it is not there.
func (l *Library) sym(name string) (uintptr, error) {
	runtime.LockOSThread() // dlerror's message is per thread
	defer runtime.UnlockOSThread()
	fn, err := purego.Dlsym(l.handle, name)
	if err != nil || fn == 0 {
		return 0, fmt.Errorf("%w: %w: %s: no %s", tsp.ErrUnavailable, ErrMissingSymbol, l.path, name)
	}
	return fn, nil
}

// pointsFunc is the library's tsp_solve_points as a kernel.PointsFunc.
func (l *Library) pointsFunc() (kernel.PointsFunc, error) {
	fn, err := l.sym(pointsSymbols[0])
	if err != nil {
		return nil, err
	}
	return func(x, y []float64, n, kind int32, radius float64, start, algorithm int32,
		seed uint64, budget int64, cancel *int32, order []int32, length *float64, nodes *uint64) int32 {
		return solvePoints(fn, x, y, n, kind, radius, start, algorithm, seed, budget, cancel, order, length, nodes)
	}, nil
}

// solvePoints is exactly one call to tsp_solve_points at fn, with the
// memory rules of Library.solve (every pointer straight in SyscallN's
// argument list, kept alive until it returns). radius goes by pointer, as
// tsp.h takes it.
func solvePoints(fn uintptr, x, y []float64, n, kind int32, radius float64, start, algorithm int32, seed uint64,
	budget int64, cancel *int32, order []int32, length *float64, nodes *uint64) int32 {
	return callPoints(fn, false, x, y, n, kind, radius, start, algorithm, seed, budget, cancel, nil, order, length, nodes)
}

// solvePointsProgress is exactly one call to tsp_solve_points_progress at
// fn (15 arguments: SyscallN takes them all, in registers and on the
// stack), with progressCallback and the solve's handle (abi.Handles), as
// Library.solveProgress; the memory rules of solvePoints.
func solvePointsProgress(fn uintptr, x, y []float64, n, kind int32, radius float64, start, algorithm int32, seed uint64,
	budget int64, cancel *int32, progress kernel.ProgressFunc, order []int32, length *float64, nodes *uint64) int32 {
	return callPoints(fn, true, x, y, n, kind, radius, start, algorithm, seed, budget, cancel, progress, order, length, nodes)
}

// callPoints makes the call of solvePoints (withProgress false) or of
// solvePointsProgress.
func callPoints(fn uintptr, withProgress bool, x, y []float64, n, kind int32, radius float64, start, algorithm int32, seed uint64,
	budget int64, cancel *int32, progress kernel.ProgressFunc, order []int32, length *float64, nodes *uint64) int32 {
	var cb, h uintptr
	if progress != nil {
		id := abi.Handles.New(progress)
		defer abi.Handles.Delete(id)
		cb, h = progressCallback(), uintptr(id)
	}
	px, py, o := unsafe.SliceData(x), unsafe.SliceData(y), unsafe.SliceData(order)
	r := new(float64)
	*r = radius
	var ret uintptr
	if withProgress {
		ret, _, _ = purego.SyscallN(fn,
			uintptr(unsafe.Pointer(px)), uintptr(unsafe.Pointer(py)), uintptr(n), uintptr(kind), uintptr(unsafe.Pointer(r)),
			uintptr(start), uintptr(algorithm), uintptr(seed), uintptr(budget), uintptr(unsafe.Pointer(cancel)), cb, h,
			uintptr(unsafe.Pointer(o)), uintptr(unsafe.Pointer(length)), uintptr(unsafe.Pointer(nodes)))
	} else {
		ret, _, _ = purego.SyscallN(fn,
			uintptr(unsafe.Pointer(px)), uintptr(unsafe.Pointer(py)), uintptr(n), uintptr(kind), uintptr(unsafe.Pointer(r)),
			uintptr(start), uintptr(algorithm), uintptr(seed), uintptr(budget), uintptr(unsafe.Pointer(cancel)),
			uintptr(unsafe.Pointer(o)), uintptr(unsafe.Pointer(length)), uintptr(unsafe.Pointer(nodes)))
	}
	runtime.KeepAlive(px)
	runtime.KeepAlive(py)
	runtime.KeepAlive(r)
	runtime.KeepAlive(cancel)
	runtime.KeepAlive(o)
	runtime.KeepAlive(length)
	runtime.KeepAlive(nodes)
	return int32(ret)
}
