package cppbackend_test

import (
	"testing"

	"github.com/ffi4go/tsp/internal/difftest"
)

// TestProgress: the kernel (New's Solver and a Handle) calls back through cgo (a C function pointer to
// an exported Go function, a runtime/cgo.Handle) with the Go kernel's
// events, in order, and the result is the same with and without a callback.
func TestProgress(t *testing.T) {
	cpp, h := cppSolvers(t)
	difftest.ProgressSame(t, cpp, h)
}

// TestProgressStop: a callback that returns true or panics stops the kernel
// at the same step as the Go kernel; the panic never reaches C.
func TestProgressStop(t *testing.T) {
	cpp, h := cppSolvers(t)
	difftest.ProgressStop(t, cpp, h)
}
