package difftest

import (
	"math"
	"testing"

	"github.com/ffi4go/tsp"
	"github.com/ffi4go/tsp/kernel"
)

// MatrixEntry is one call of tsp_matrix with raw arguments: a nil slice or
// pointer is NULL, and N need not match the slices (a kernel must refuse a
// bad N before it reads them).
type MatrixEntry struct {
	Name     string
	Lat, Lon []float64
	N        int32
	Radius   *float64
	Out      []float64
	Want     int32 // the status code every kernel must return
}

// MatrixEntries are the calls of tsp_matrix every native kernel is tried
// with: valid ones, every NULL, bad n, bad radii and bad coordinates.
func MatrixEntries() []MatrixEntry {
	lat := []float64{40.7, 43.6, 47.6}
	lon := []float64{-74.0, -70.2, -122.3}
	out := make([]float64, 9)
	set := func(s []float64, i int, v float64) []float64 {
		s = append([]float64(nil), s...)
		s[i] = v
		return s
	}
	f := func(v float64) *float64 { return &v }
	r := f(tsp.EarthRadiusKm)
	return []MatrixEntry{
		{"valid", lat, lon, 3, r, out, kernel.CodeOK},
		{"poles and antimeridian", []float64{90, -90, 0}, []float64{180, -180, 0}, 3, r, out, kernel.CodeOK},
		{"n = 0", lat, lon, 0, r, out, kernel.CodeInvalid},
		{"n = -1", lat, lon, -1, r, out, kernel.CodeInvalid},
		{"NULL lat", nil, lon, 3, r, out, kernel.CodeInvalid},
		{"NULL lon", lat, nil, 3, r, out, kernel.CodeInvalid},
		{"NULL radius", lat, lon, 3, nil, out, kernel.CodeInvalid},
		{"NULL out", lat, lon, 3, r, nil, kernel.CodeInvalid},
		{"NaN latitude", set(lat, 1, math.NaN()), lon, 3, r, out, kernel.CodeInvalid},
		{"NaN longitude", lat, set(lon, 2, math.NaN()), 3, r, out, kernel.CodeInvalid},
		{"+Inf latitude", set(lat, 0, math.Inf(1)), lon, 3, r, out, kernel.CodeInvalid},
		{"-Inf longitude", lat, set(lon, 0, math.Inf(-1)), 3, r, out, kernel.CodeInvalid},
		{"latitude 90.000001", set(lat, 2, 90.000001), lon, 3, r, out, kernel.CodeInvalid},
		{"latitude -91", set(lat, 2, -91), lon, 3, r, out, kernel.CodeInvalid},
		{"longitude 180.5", lat, set(lon, 1, 180.5), 3, r, out, kernel.CodeInvalid},
		{"longitude -181", lat, set(lon, 1, -181), 3, r, out, kernel.CodeInvalid},
		{"NaN radius", lat, lon, 3, f(math.NaN()), out, kernel.CodeInvalid},
		{"negative radius", lat, lon, 3, f(-1), out, kernel.CodeInvalid},
		{"infinite radius", lat, lon, 3, f(math.Inf(1)), out, kernel.CodeInvalid},
		// refused before anything is read or written (the slices are short)
		{"n = 10001", lat, lon, tsp.MaxHeuristic + 1, r, out, kernel.CodeTooLarge},
		{"n = 2^31-1", lat, lon, math.MaxInt32, r, out, kernel.CodeTooLarge},
		{"n = 10001 and NULL lat", nil, lon, tsp.MaxHeuristic + 1, r, out, kernel.CodeInvalid},
	}
}

// CheckMatrixEntries calls tsp_matrix through call with every MatrixEntry
// and checks the code.
func CheckMatrixEntries(t *testing.T, call func(MatrixEntry) int32) {
	t.Helper()
	for _, e := range MatrixEntries() {
		if got := call(e); got != e.Want {
			t.Errorf("tsp_matrix %s: %d, want %d", e.Name, got, e.Want)
		}
	}
}
