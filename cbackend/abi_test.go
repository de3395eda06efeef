//go:build cgo

package cbackend

import (
	"github.com/ffi4go/tsp/kernel"
	"math"
	"testing"

	"github.com/ffi4go/tsp/internal/difftest"
)

// TestValidation: tsp_solve refuses every matrix of difftest.BadMatrices.
func TestValidation(t *testing.T) {
	difftest.Validation(t, solve)
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
		{"ok", good, 3, 0, 1, false, kernel.CodeOK},
		{"n=0", good, 0, 0, 1, false, kernel.CodeInvalid},
		{"n<0", good, -4, 0, 1, false, kernel.CodeInvalid},
		{"start<0", good, 3, -1, 1, false, kernel.CodeInvalid},
		{"start=n", good, 3, 3, 1, false, kernel.CodeInvalid},
		{"algorithm", good, 3, 0, 9, false, kernel.CodeInvalid},
		{"NaN", []float64{0, nan, 2, nan, 0, 3, 2, 3, 0}, 3, 0, 1, false, kernel.CodeInvalid},
		{"Inf", []float64{0, math.Inf(1), 2, math.Inf(1), 0, 3, 2, 3, 0}, 3, 0, 0, false, kernel.CodeInvalid},
		{"negative", []float64{0, -1, 2, -1, 0, 3, 2, 3, 0}, 3, 0, 2, false, kernel.CodeInvalid},
		{"asymmetric", []float64{0, 1, 2, 5, 0, 3, 2, 3, 0}, 3, 0, 3, false, kernel.CodeInvalid},
		{"diagonal", []float64{1, 1, 2, 1, 0, 3, 2, 3, 0}, 3, 0, 1, false, kernel.CodeInvalid},
		{"exhaustive 14", make([]float64, 14*14), 14, 0, 0, false, kernel.CodeTooLarge},
		{"exact 251", make([]float64, 251*251), 251, 0, 1, false, kernel.CodeTooLarge},
		{"nil outputs", good, 3, 0, 1, true, kernel.CodeInvalid},
		{"nil matrix", nil, 3, 0, 1, false, kernel.CodeInvalid},
	} {
		if got := callSolve(c.dist, c.n, c.start, c.algorithm, c.nilOut); got != c.want {
			t.Errorf("%s: tsp_solve = %d, want %d", c.name, got, c.want)
		}
	}
	if got := callMatrixNil(); got != kernel.CodeInvalid {
		t.Errorf("tsp_matrix(NULL...) = %d", got)
	}
	difftest.CheckMatrixEntries(t, func(e difftest.MatrixEntry) int32 {
		return rawMatrix(e.Lat, e.Lon, e.N, e.Radius, e.Out)
	})
}
