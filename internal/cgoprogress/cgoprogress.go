//go:build cgo

// Package cgoprogress is the Go side of tsp_solve_progress's callback for
// the cgo backends (cbackend, cppbackend): the kernel calls a C function
// pointer with a handle, the pointer is a Go function each backend exports
// (cgo's //export), and that function calls Call here, which finds the
// solve's abi.ProgressFunc through runtime/cgo.Handle. C never holds a Go
// pointer: the handle is an integer.
package cgoprogress

import (
	"runtime/cgo"
	"unsafe"

	"github.com/ffi4go/tsp/internal/abi"
)

// New returns the handle of f for one solve; the caller deletes it once
// the kernel has returned.
func New(f abi.ProgressFunc) cgo.Handle { return cgo.NewHandle(f) }

// Call is the body of a backend's exported callback: values points to
// {length, bound}, order to the kernel's n cities (C memory, read during
// the call only). A panic never goes back into C: it stops the search
// (package tsp's callback recovers the user's panics itself; this is the
// last guard).
func Call(h uintptr, event int32, values unsafe.Pointer, nodes uint64, order unsafe.Pointer, n int32) (stop int32) {
	defer func() {
		if recover() != nil {
			stop = 1
		}
	}()
	f := cgo.Handle(h).Value().(abi.ProgressFunc)
	v := (*[2]float64)(values)
	return f(event, v[0], v[1], nodes, unsafe.Slice((*int32)(order), n))
}
