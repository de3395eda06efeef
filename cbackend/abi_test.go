//go:build cgo

package cbackend

import (
	"math"
	"testing"

	"github.com/ffi4go/tsp"
	"github.com/ffi4go/tsp/internal/difftest"
)

// TestValidation: tsp_solve refuses every matrix of difftest.BadMatrices.
func TestValidation(t *testing.T) {
	difftest.Validation(t, kernel)
}

// Bad input straight through the C entry points: a status code, no crash.
func TestEntryPointsRejectBadInput(t *testing.T) {
	nan := math.NaN()
	good := []float64{0, 1, 2, 1, 0, 3, 2, 3, 0}
	for _, c := range []struct {
		name      string
		dist      []float64
		n, start  int32
		algorithm int32
		nilOut    bool
		want      int32
	}{
		{"ok", good, 3, 0, 1, false, tsp.CodeOK},
		{"n=0", good, 0, 0, 1, false, tsp.CodeInvalid},
		{"n<0", good, -4, 0, 1, false, tsp.CodeInvalid},
		{"start<0", good, 3, -1, 1, false, tsp.CodeInvalid},
		{"start=n", good, 3, 3, 1, false, tsp.CodeInvalid},
		{"algorithm", good, 3, 0, 9, false, tsp.CodeInvalid},
		{"NaN", []float64{0, nan, 2, nan, 0, 3, 2, 3, 0}, 3, 0, 1, false, tsp.CodeInvalid},
		{"Inf", []float64{0, math.Inf(1), 2, math.Inf(1), 0, 3, 2, 3, 0}, 3, 0, 0, false, tsp.CodeInvalid},
		{"negative", []float64{0, -1, 2, -1, 0, 3, 2, 3, 0}, 3, 0, 2, false, tsp.CodeInvalid},
		{"asymmetric", []float64{0, 1, 2, 5, 0, 3, 2, 3, 0}, 3, 0, 3, false, tsp.CodeInvalid},
		{"diagonal", []float64{1, 1, 2, 1, 0, 3, 2, 3, 0}, 3, 0, 1, false, tsp.CodeInvalid},
		{"exhaustive 14", make([]float64, 14*14), 14, 0, 0, false, tsp.CodeTooLarge},
		{"exact 251", make([]float64, 251*251), 251, 0, 1, false, tsp.CodeTooLarge},
		{"nil outputs", good, 3, 0, 1, true, tsp.CodeInvalid},
		{"nil matrix", nil, 3, 0, 1, false, tsp.CodeInvalid},
	} {
		if got := callSolve(c.dist, c.n, c.start, c.algorithm, c.nilOut); got != c.want {
			t.Errorf("%s: tsp_solve = %d, want %d", c.name, got, c.want)
		}
	}
	// tsp_matrix on bad coordinates: difftest.CheckCalls (TestCalls).
	if got := callMatrixNil(); got != tsp.CodeInvalid {
		t.Errorf("tsp_matrix(NULL...) = %d", got)
	}
}
