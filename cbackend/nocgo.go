//go:build !cgo

package cbackend

import (
	"fmt"

	"github.com/ffi4go/tsp"
	"github.com/ffi4go/tsp/internal/abi"
)

// Available reports whether the backend was compiled in.
const Available = false

var errNoCgo = fmt.Errorf("%w: %s: this binary was built without cgo (CGO_ENABLED=0); use purego-c instead", tsp.ErrUnavailable, Name)

// New returns an error: the binary was built without cgo.
func New() (tsp.Solver, error) { return nil, errNoCgo }

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
