//go:build !(darwin || freebsd || linux || netbsd)

package loader

import (
	"fmt"
	"runtime"

	"github.com/ffi4go/tsp"
)

// Points: no library opens on this platform.
func (l *Library) Points() (tsp.PointsSolver, error) {
	return nil, fmt.Errorf("%w: %w: on %s/%s", tsp.ErrUnavailable, ErrUnsupported, runtime.GOOS, runtime.GOARCH)
}
