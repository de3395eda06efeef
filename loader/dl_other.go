//go:build !(darwin || freebsd || linux || netbsd)

package loader

import (
	"fmt"
	"runtime"

	"github.com/ffi4go/tsp"
)

// Without dlopen no Library can be opened, so the methods below are never
// called; they exist so that the package builds.

func open(path string) (*Library, error) {
	return nil, fmt.Errorf("%w: %w: %s on %s/%s", tsp.ErrUnavailable, ErrUnsupported, path, runtime.GOOS, runtime.GOARCH)
}

// Noop returns 0.
func (l *Library) Noop(int32) int32 { return 0 }

// Haversine returns 0.
func (l *Library) Haversine(*[5]float64) float64 { return 0 }

// Matrix returns TSP_INTERNAL.
func (l *Library) Matrix(lat, lon []float64, radius float64, out []float64) int32 { return 5 }

// ABIVersion returns 0.
func (l *Library) ABIVersion() int32 { return 0 }
