//go:build !cgo

package cppbackend

import (
	"context"
	"fmt"

	"github.com/ffi4go/tsp"
	"github.com/ffi4go/tsp/internal/abi"
)

// Available reports whether the backend was compiled in.
const Available = false

var errNoCgo = fmt.Errorf("%w: %s: this binary was built without cgo (CGO_ENABLED=0); use purego-cpp instead", tsp.ErrUnavailable, Name)

// New returns an error: the binary was built without cgo.
func New() (tsp.Solver, error) { return nil, errNoCgo }

// Handle is a cgo-cpp Solver with its own native buffers. Without cgo there
// is none: NewHandle returns an error.
type Handle struct{}

// NewHandle returns an error: the binary was built without cgo.
func NewHandle() (*Handle, error) { return nil, errNoCgo }

// Name returns "cgo-cpp".
func (h *Handle) Name() string { return Name }

// Solve returns an error: the binary was built without cgo.
func (h *Handle) Solve(context.Context, *tsp.Matrix, tsp.Options) (tsp.Tour, error) {
	return tsp.Tour{}, errNoCgo
}

// Close does nothing.
func (h *Handle) Close() error { return nil }

// Calls measures the boundary; without cgo every call reports TSP_INTERNAL.
type Calls struct{}

// ABIVersion returns 0: nothing is compiled in.
func (Calls) ABIVersion() int32 { return 0 }

// Noop returns 0.
func (Calls) Noop(int32) int32 { return 0 }

// Haversine returns 0.
func (Calls) Haversine(*[5]float64) float64 { return 0 }

// Matrix returns TSP_INTERNAL.
func (Calls) Matrix(lat, lon []float64, radius float64, out []float64) int32 { return abi.CodeInternal }
