package tsp_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/ffi4go/tsp"
)

func TestErrInvalidInput(t *testing.T) {
	for _, tc := range []struct {
		err  error
		msg  string
		bad  bool // bad input: wraps ErrInvalidInput
		name string
	}{
		{tsp.ErrEmpty, "tsp: no cities", true, "ErrEmpty"},
		{tsp.ErrStart, "tsp: start out of range", true, "ErrStart"},
		{tsp.ErrNaN, "tsp: value is NaN", true, "ErrNaN"},
		{tsp.ErrInfinite, "tsp: value is infinite", true, "ErrInfinite"},
		{tsp.ErrLatitude, "tsp: latitude outside [-90, 90]", true, "ErrLatitude"},
		{tsp.ErrLongitude, "tsp: longitude outside [-180, 180]", true, "ErrLongitude"},
		{tsp.ErrNotSquare, "tsp: matrix is not square", true, "ErrNotSquare"},
		{tsp.ErrNegative, "tsp: negative distance", true, "ErrNegative"},
		{tsp.ErrDiagonal, "tsp: non-zero diagonal", true, "ErrDiagonal"},
		{tsp.ErrAsymmetric, "tsp: asymmetric distances where symmetric ones are required", true, "ErrAsymmetric"},
		{tsp.ErrEnd, "tsp: bad end of route", true, "ErrEnd"},
		{tsp.ErrOverflow, "tsp: distances too large: a tour could overflow", true, "ErrOverflow"},
		{tsp.ErrTooLarge, "tsp: too many cities for the algorithm", true, "ErrTooLarge"},
		{tsp.ErrAlgorithm, "tsp: unknown algorithm", true, "ErrAlgorithm"},
		{tsp.ErrNilMatrix, "tsp: nil matrix", true, "ErrNilMatrix"},
		{tsp.ErrMatrixLength, "tsp: matrix data length is not n*n", true, "ErrMatrixLength"},
		{tsp.ErrSyntax, "tsp: malformed city list", true, "ErrSyntax"},
		{tsp.ErrUnavailable, "tsp: backend unavailable", false, "ErrUnavailable"},
		{tsp.ErrOutOfMemory, "tsp: native kernel out of memory", false, "ErrOutOfMemory"},
		{tsp.ErrKernel, "tsp: native kernel failed", false, "ErrKernel"},
	} {
		if got := tc.err.Error(); got != tc.msg {
			t.Errorf("%s.Error() = %q, want %q", tc.name, got, tc.msg)
		}
		if got := errors.Is(tc.err, tsp.ErrInvalidInput); got != tc.bad {
			t.Errorf("errors.Is(%s, ErrInvalidInput) = %v, want %v", tc.name, got, tc.bad)
		}
		wrapped := fmt.Errorf("city 3: %w", tc.err)
		if !errors.Is(wrapped, tc.err) || errors.Is(wrapped, tsp.ErrInvalidInput) != tc.bad {
			t.Errorf("%s wrapped: Is itself %v, Is ErrInvalidInput %v", tc.name, errors.Is(wrapped, tc.err), errors.Is(wrapped, tsp.ErrInvalidInput))
		}
		for _, other := range []error{tsp.ErrEmpty, tsp.ErrKernel, tsp.ErrSyntax} {
			if other != tc.err && errors.Is(tc.err, other) {
				t.Errorf("errors.Is(%s, %v) is true", tc.name, other)
			}
		}
	}
	if errors.Is(tsp.ErrInvalidInput, tsp.ErrLatitude) {
		t.Error("ErrInvalidInput Is ErrLatitude")
	}
	// Errors the package returns for bad input match the umbrella.
	if _, err := tsp.HaversineMatrix([]tsp.City{{Lat: 91}}); !errors.Is(err, tsp.ErrInvalidInput) || !errors.Is(err, tsp.ErrLatitude) {
		t.Errorf("HaversineMatrix: %v", err)
	}
	if _, err := tsp.NewMatrix(2, []float64{0, -1, 2, 0}); !errors.Is(err, tsp.ErrInvalidInput) {
		t.Errorf("NewMatrix: %v", err)
	}
}
