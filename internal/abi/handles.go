package abi

import (
	"sync"
	"sync/atomic"
	"unsafe"
)

// Handles maps the integer handles of tsp_solve_progress to the solves'
// progress functions, for the boundaries that cannot use runtime/cgo.Handle
// (purego, which needs no cgo; the WebAssembly host): what cgo.Handle does,
// without cgo. Handles are never reused.
var Handles handles

type handles struct {
	next atomic.Uint64
	m    sync.Map // uint64 → ProgressFunc
}

// New registers f and returns its handle (never 0).
func (h *handles) New(f ProgressFunc) uint64 {
	id := h.next.Add(1)
	h.m.Store(id, f)
	return id
}

// Delete forgets handle id.
func (h *handles) Delete(id uint64) { h.m.Delete(id) }

// Call calls the progress function of handle id, as a kernel's callback
// does: values points to {length, bound}, order to n cities, both in the
// kernel's memory and read during the call only. An unknown handle, or a
// panic (package tsp's callbacks recover their own), asks the kernel to
// stop.
func (h *handles) Call(id uint64, event int32, values unsafe.Pointer, nodes uint64, order unsafe.Pointer, n int32) (stop int32) {
	v, ok := h.m.Load(id)
	if !ok || values == nil || order == nil || n <= 0 {
		return 1
	}
	defer func() {
		if recover() != nil {
			stop = 1
		}
	}()
	vals := (*[2]float64)(values)
	return v.(ProgressFunc)(event, vals[0], vals[1], nodes, unsafe.Slice((*int32)(order), n))
}
