//go:build darwin || freebsd || linux || netbsd

package loader

import (
	"fmt"
	"runtime"
	"unsafe"

	"github.com/ebitengine/purego"
	"github.com/ffi4go/tsp"
	"github.com/ffi4go/tsp/kernel"
)

// Points returns the library's coordinate solver (tsp_solve_points, ABI 6,
// issue 21), named like the library's Solver. Every library of this ABI
// version has the symbol; one that lacks it gives an error wrapping
// ErrMissingSymbol.
func (l *Library) Points() (tsp.PointsSolver, error) {
	fn, err := l.pointsFunc()
	if err != nil {
		return nil, err
	}
	return kernel.NewPointsSolver(l.Name(), fn), nil
}

// pointsFunc is the library's tsp_solve_points as a kernel.PointsFunc.
func (l *Library) pointsFunc() (kernel.PointsFunc, error) {
	runtime.LockOSThread() // dlerror's message is per thread
	defer runtime.UnlockOSThread()
	fn, err := purego.Dlsym(l.handle, pointsSymbols[0])
	if err != nil || fn == 0 {
		return nil, fmt.Errorf("%w: %w: %s: no tsp_solve_points", tsp.ErrUnavailable, ErrMissingSymbol, l.path)
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
	px, py, o := unsafe.SliceData(x), unsafe.SliceData(y), unsafe.SliceData(order)
	r := new(float64)
	*r = radius
	ret, _, _ := purego.SyscallN(fn,
		uintptr(unsafe.Pointer(px)), uintptr(unsafe.Pointer(py)), uintptr(n), uintptr(kind), uintptr(unsafe.Pointer(r)),
		uintptr(start), uintptr(algorithm), uintptr(seed), uintptr(budget), uintptr(unsafe.Pointer(cancel)),
		uintptr(unsafe.Pointer(o)), uintptr(unsafe.Pointer(length)), uintptr(unsafe.Pointer(nodes)))
	runtime.KeepAlive(px)
	runtime.KeepAlive(py)
	runtime.KeepAlive(r)
	runtime.KeepAlive(cancel)
	runtime.KeepAlive(o)
	runtime.KeepAlive(length)
	runtime.KeepAlive(nodes)
	return int32(ret)
}
