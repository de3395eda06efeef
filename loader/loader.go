// Package loader opens a shared library that exports the kernel's C ABI
// (cbackend/tsp.h) with purego and makes it a tsp.Solver: backends
// "purego-c" and "purego-cpp". No C toolchain is needed when the Go program
// is built, and it works with CGO_ENABLED=0.
package loader

import (
	"errors"

	"github.com/ffi4go/tsp"
)

// Backend names and the shared library files that hold them.
const (
	NameC   = "purego-c"
	NameCPP = "purego-cpp"
	FileC   = "libtsp_c.so"
	FileCPP = "libtsp_cpp.so"
)

// Library is a loaded kernel library. It is a tsp.Solver.
type Library struct {
	tsp.Solver
	path string
}

// Open loads the library at path. (placeholder: being written)
func Open(path string) (*Library, error) {
	return nil, errors.New("loader: not implemented yet")
}

// Path is the file the library was loaded from.
func (l *Library) Path() string { return l.path }

// ABIVersion calls tsp_abi_version.
func (l *Library) ABIVersion() int32 { return 0 }

// Noop calls tsp_noop.
func (l *Library) Noop(x int32) int32 { return 0 }

// Haversine calls tsp_haversine.
func (l *Library) Haversine(in *[5]float64) float64 { return 0 }

// Matrix calls tsp_matrix.
func (l *Library) Matrix(lat, lon []float64, radius float64, out []float64) int32 { return 0 }
