package wasmbackend

import (
	"testing"

	"github.com/ffi4go/tsp/internal/difftest"
)

// TestProgress: the kernels call the host import "progress", which calls
// the solve's function with the Go kernel's events, in order; the result is
// the same with and without a callback.
func TestProgress(t *testing.T) {
	forEach(t, func(t *testing.T, k *Kernel) { difftest.ProgressSame(t, k) })
}

// TestProgressStop: a callback that returns true or panics stops the
// module's kernel at the Go kernel's step.
func TestProgressStop(t *testing.T) {
	forEach(t, func(t *testing.T, k *Kernel) { difftest.ProgressStop(t, k) })
}
