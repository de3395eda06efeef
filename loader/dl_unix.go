//go:build darwin || freebsd || linux || netbsd

package loader

import (
	"errors"
	"fmt"
	"os"
	"runtime"
	"strings"
	"sync"
	"unsafe"

	"github.com/ebitengine/purego"

	"github.com/ffi4go/tsp"
	"github.com/ffi4go/tsp/internal/abi"
	"github.com/ffi4go/tsp/kernel"
)

// This file holds everything that calls into a library: where dlopen and
// purego.SyscallN exist. dl_other.go stands in for it elsewhere.

func open(path string) (*Library, error) {
	fail := func(sentinel error, format string, a ...any) error {
		return fmt.Errorf("%w: %w: %s: %s", tsp.ErrUnavailable, sentinel, path, fmt.Sprintf(format, a...))
	}
	st, err := os.Stat(path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return nil, fmt.Errorf("%w: %w: %w: %s (build it with `make libs` or `tsp buildlib`)",
			tsp.ErrUnavailable, ErrNotFound, os.ErrNotExist, path)
	case err != nil:
		return nil, fail(ErrNotFound, "%v", err)
	case st.IsDir():
		return nil, fail(ErrNotLibrary, "is a directory")
	case !st.Mode().IsRegular():
		// A FIFO or a device would block or misbehave in dlopen.
		return nil, fail(ErrNotLibrary, "not a regular file (%v)", st.Mode().Type())
	}
	// dlopen of a truncated file dies of SIGBUS rather than failing: check
	// the headers first (check_elf.go).
	if err := checkFile(path, st.Size()); err != nil {
		if errors.Is(err, ErrGoLibrary) {
			return nil, fmt.Errorf("%w: %w: %s: %w", tsp.ErrUnavailable, ErrNotLibrary, path, err)
		}
		return nil, fail(ErrNotLibrary, "%v", err)
	}

	// dlerror's message is per thread: stay on this one from dlopen to the
	// last dlsym so that every error message is ours.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()

	// RTLD_NOW resolves every undefined symbol here rather than at the first
	// call, so a broken library fails in Open and never in a solve.
	// RTLD_LOCAL keeps its symbols out of the global namespace: two kernels
	// exporting the same names can be loaded side by side.
	h, err := purego.Dlopen(path, purego.RTLD_NOW|purego.RTLD_LOCAL)
	if err != nil {
		// dlerror's message usually starts with the path again.
		return nil, fail(ErrNotLibrary, "%s", strings.TrimPrefix(err.Error(), path+": "))
	}
	closeOnFail := true
	defer func() {
		if closeOnFail {
			// Nothing but tsp_abi_version and tsp_kernel_id has run in it and
			// no Library holds it: dropping our reference is safe here.
			_ = purego.Dlclose(h)
		}
	}()

	// Look every symbol up before using any: purego.RegisterLibFunc would
	// panic on a missing one, Dlsym returns an error.
	var addrs [len(symbols)]uintptr
	var missing []string
	for i, name := range symbols {
		p, err := purego.Dlsym(h, name)
		if err != nil || p == 0 {
			missing = append(missing, name)
			continue
		}
		addrs[i] = p
	}
	if len(missing) > 0 {
		return nil, fail(ErrMissingSymbol, "no %v (is it built from native/c/tsp.c or native/cpp/tsp.cpp?)", missing)
	}
	l := &Library{path: path, handle: h, fn: fns{
		abiVersion: addrs[0], kernelID: addrs[1], noop: addrs[2],
		haversine: addrs[3], matrix: addrs[4], solve: addrs[5], solveProgress: addrs[6],
	}}
	if v := l.ABIVersion(); v != abi.Version {
		return nil, fail(ErrABIVersion, "tsp_abi_version() is %d, this program needs %d (rebuild the library from this version's sources)", v, abi.Version)
	}
	var name string
	switch id := l.kernelID(); id {
	case kernelIDC:
		name = NameC
	case kernelIDCPP:
		name = NameCPP
	case abi.KernelGo:
		// Its headers hid that it is Go (checkNotGo): too late to stop its
		// runtime starting, but never call into it.
		return nil, fmt.Errorf("%w: %w: %w: %s: tsp_kernel_id() is %d (TSP_KERNEL_GO)", tsp.ErrUnavailable, ErrNotLibrary, ErrGoLibrary, path, id)
	default:
		return nil, fail(ErrKernelID, "tsp_kernel_id() is %d, want %d (C) or %d (C++)", id, kernelIDC, kernelIDCPP)
	}
	l.Solver = kernel.NewSolverProgress(name, l.solve, l.solveProgress)
	closeOnFail = false
	return l, nil
}

// solve is the kernel.Func of the library: exactly one call to tsp_solve.
//
// Memory: every pointer goes as uintptr(unsafe.Pointer(p)) straight in the
// argument list of purego.SyscallN. SyscallN is marked //go:uintptrescapes,
// so the compiler moves each such object to the heap (where Go never moves
// it: the collector does not compact) and keeps it alive until SyscallN
// returns; the runtime.KeepAlive calls after it say the same thing for the
// reader. Pinning (runtime.Pinner) is not needed: it only matters when C
// keeps a pointer after the call or when Go pointers are stored in C memory,
// and neither happens; the memory holds no Go pointers (float64, int32,
// uint64). In practice kernel.NewSolver hands in heap memory anyway (the
// matrix's storage, make([]int32, n), and the flag and outputs that escape to
// its AfterFunc closure and to this indirect call).
//
// This path costs one small allocation (the variadic []uintptr, which
// //go:uintptrescapes makes escape), nothing next to the allocations of a
// solve, and it keeps the memory rules checked by the compiler.
//
// The cancel flag is an int32 in Go memory that Go stores to with
// sync/atomic while C reads it with an atomic load, as in the cgo backends.
func (l *Library) solve(dist []float64, n, start, algorithm int32, seed uint64, budget int64,
	cancel *int32, order []int32, length, lowerBound *float64, nodes *uint64) int32 {
	d, o := unsafe.SliceData(dist), unsafe.SliceData(order)
	r, _, _ := purego.SyscallN(l.fn.solve,
		uintptr(unsafe.Pointer(d)), uintptr(n), uintptr(start), uintptr(algorithm),
		uintptr(seed), uintptr(budget), uintptr(unsafe.Pointer(cancel)), uintptr(unsafe.Pointer(o)),
		uintptr(unsafe.Pointer(length)), uintptr(unsafe.Pointer(lowerBound)), uintptr(unsafe.Pointer(nodes)))
	runtime.KeepAlive(d)
	runtime.KeepAlive(o)
	runtime.KeepAlive(cancel)
	runtime.KeepAlive(length)
	runtime.KeepAlive(lowerBound)
	runtime.KeepAlive(nodes)
	return int32(r) // the C function returns int32_t: the upper half of the register is undefined
}

// progressCallback is the C function pointer of every purego solve's
// progress: one purego.NewCallback, made on first use and shared by every
// library and solve (purego's callbacks are limited in number, about 2000
// a process, and never freed), which finds the solve's function by the
// handle the kernel passes back (abi.Handles: an integer, so C holds no Go
// pointer). The kernel calls it on the thread that made the SyscallN, with
// integer and pointer arguments only (tsp_progress_fn), which purego
// reads at their C types' sizes.
var progressCallback = sync.OnceValue(func() uintptr {
	return purego.NewCallback(func(handle uint64, event int32, values unsafe.Pointer, nodes uint64, order unsafe.Pointer, n int32) int32 {
		return abi.Handles.Call(handle, event, values, nodes, order, n)
	})
})

// solveProgress is solve with a progress function: one call to
// tsp_solve_progress, with progressCallback and the solve's handle. The
// memory rules are solve's.
func (l *Library) solveProgress(dist []float64, n, start, algorithm int32, seed uint64, budget int64,
	cancel *int32, progress abi.ProgressFunc, order []int32, length, lowerBound *float64, nodes *uint64) int32 {
	var cb, h uintptr
	if progress != nil {
		id := abi.Handles.New(progress)
		defer abi.Handles.Delete(id)
		cb, h = progressCallback(), uintptr(id)
	}
	d, o := unsafe.SliceData(dist), unsafe.SliceData(order)
	r, _, _ := purego.SyscallN(l.fn.solveProgress,
		uintptr(unsafe.Pointer(d)), uintptr(n), uintptr(start), uintptr(algorithm),
		uintptr(seed), uintptr(budget), uintptr(unsafe.Pointer(cancel)), cb, h, uintptr(unsafe.Pointer(o)),
		uintptr(unsafe.Pointer(length)), uintptr(unsafe.Pointer(lowerBound)), uintptr(unsafe.Pointer(nodes)))
	runtime.KeepAlive(d)
	runtime.KeepAlive(o)
	runtime.KeepAlive(cancel)
	runtime.KeepAlive(length)
	runtime.KeepAlive(lowerBound)
	runtime.KeepAlive(nodes)
	return int32(r)
}

// frame is the argument block of the small calls (Noop, Haversine): a
// []uintptr for SyscallN and the memory Haversine's pointers point to, all in
// one heap object that a sync.Pool recycles.
type frame struct {
	args [2]uintptr
	in   [5]float64
	out  float64
}

var frames = sync.Pool{New: func() any { return new(frame) }}

// Noop calls tsp_noop: the cost of crossing the boundary.
//
// Call path, measured with BenchmarkCallPath (2-core amd64, Go 1.26, purego
// v0.11.3): purego.RegisterFunc's reflection-built function costs
// 0.3–0.6 µs and 3 allocations a call; SyscallN with the arguments written in
// the call, SyscallN(fn, uintptr(x)), 0.13–0.27 µs and 1 allocation, because
// //go:uintptrescapes makes the implicit variadic slice escape to the heap.
// Passing a slice that already lives on the heap, SyscallN(fn, f.args[:1]...),
// allocates nothing, so the small calls take their argument slice from a
// pooled heap frame: ~0.08 µs and 0 allocations, a few ns over one slice
// reused for a whole loop, and safe when many goroutines call at once. That
// is the fastest path through purego's public API (no go:linkname into the
// runtime). Noop passes no pointers, so nothing else needs keeping alive.
func (l *Library) Noop(x int32) int32 {
	f := frames.Get().(*frame)
	f.args[0] = uintptr(x)
	r, _, _ := purego.SyscallN(l.fn.noop, f.args[:1]...)
	frames.Put(f)
	return int32(r)
}

// Haversine calls tsp_haversine: one distance per call, no allocation.
//
// The pointers handed to C point into the pooled frame, not at in or a local
// variable: a uintptr stored in a slice ahead of the call is invisible to the
// compiler, which could otherwise leave the object on a goroutine stack that
// moves when it grows. The frame is a heap object (it comes from new in the
// pool), which Go never moves, and runtime.KeepAlive(f) keeps it alive until
// C has returned.
func (l *Library) Haversine(in *[5]float64) float64 {
	f := frames.Get().(*frame)
	f.in = *in
	f.args[0] = uintptr(unsafe.Pointer(&f.in[0]))
	f.args[1] = uintptr(unsafe.Pointer(&f.out))
	purego.SyscallN(l.fn.haversine, f.args[:2]...)
	runtime.KeepAlive(f)
	out := f.out
	frames.Put(f)
	return out
}

// Matrix calls tsp_matrix: the whole n×n haversine matrix of lat, lon on a
// sphere of radius into out (n*n values) in one call. It returns a TSP_*
// status code; lengths that do not fit give TSP_INVALID without a call.
func (l *Library) Matrix(lat, lon []float64, radius float64, out []float64) int32 {
	n := len(lat)
	if n == 0 || len(lon) != n || len(out) != n*n {
		return abi.CodeInvalid
	}
	r := new(float64) // tsp_matrix takes the radius by pointer (no float arguments in the ABI)
	*r = radius
	pa, po, pout := unsafe.SliceData(lat), unsafe.SliceData(lon), unsafe.SliceData(out)
	code, _, _ := purego.SyscallN(l.fn.matrix,
		uintptr(unsafe.Pointer(pa)), uintptr(unsafe.Pointer(po)), uintptr(int32(n)),
		uintptr(unsafe.Pointer(r)), uintptr(unsafe.Pointer(pout)))
	runtime.KeepAlive(pa)
	runtime.KeepAlive(po)
	runtime.KeepAlive(r)
	runtime.KeepAlive(pout)
	return int32(code)
}

// ABIVersion calls tsp_abi_version.
func (l *Library) ABIVersion() int32 {
	r, _, _ := purego.SyscallN(l.fn.abiVersion)
	return int32(r)
}

// kernelID calls tsp_kernel_id.
func (l *Library) kernelID() int32 {
	r, _, _ := purego.SyscallN(l.fn.kernelID)
	return int32(r)
}
