//go:build darwin || freebsd || linux || netbsd

package loader

import (
	"testing"

	"github.com/ffi4go/tsp/internal/difftest"
)

// TestProgress: each library calls back through the one purego callback,
// dispatching by handle, with the Go kernel's events in order, and the
// result is the same with and without a callback.
func TestProgress(t *testing.T) {
	forEachLib(t, func(t *testing.T, l *Library) { difftest.ProgressSame(t, l) })
}

// TestProgressStop: a callback that returns true or panics stops the
// library's kernel at the Go kernel's step; the panic never reaches C.
func TestProgressStop(t *testing.T) {
	forEachLib(t, func(t *testing.T, l *Library) { difftest.ProgressStop(t, l) })
}
