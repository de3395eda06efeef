package cbackend_test

import (
	"testing"

	"github.com/ffi4go/tsp/internal/difftest"
)

// TestProgress: the kernel calls back through cgo (a C function pointer to
// an exported Go function, a runtime/cgo.Handle) with the Go kernel's
// events, in order, and the result is the same with and without a callback.
func TestProgress(t *testing.T) { difftest.ProgressSame(t, solver(t)) }

// TestProgressStop: a callback that returns true or panics stops the kernel
// at the same step as the Go kernel; the panic never reaches C.
func TestProgressStop(t *testing.T) { difftest.ProgressStop(t, solver(t)) }
