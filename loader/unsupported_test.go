//go:build !(darwin || freebsd || linux || netbsd)

package loader

import (
	"errors"
	"testing"

	"github.com/ffi4go/tsp"
)

// Without dlopen, Open says so.
func TestOpenUnsupported(t *testing.T) {
	_, err := Open("libtsp_c.so")
	if !errors.Is(err, ErrUnsupported) || !errors.Is(err, tsp.ErrUnavailable) {
		t.Fatalf("Open = %v, want ErrUnsupported and tsp.ErrUnavailable", err)
	}
}
