package difftest

import (
	"bufio"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/ffi4go/tsp"
	"github.com/ffi4go/tsp/kernel"
)

// MatrixFunc is a native tsp_matrix: the haversine matrix of lat, lon on a
// sphere of radius, into out (n*n), returning a status code.
type MatrixFunc func(lat, lon []float64, radius float64, out []float64) int32

// MatrixAgrees checks a native tsp_matrix against tsp.HaversineMatrix: every
// entry within 1e-12 relative (C's sin, cos and asin may differ from Go's in
// the last bit), the diagonal 0, the matrix symmetric, on the demo sets, 400
// random cities and the poles, the antimeridian and duplicate points.
func MatrixAgrees(t *testing.T, matrix MatrixFunc) {
	t.Helper()
	edge := []tsp.City{{Lat: 90, Lon: 0}, {Lat: -90, Lon: 0}, {Lat: 0, Lon: 180}, {Lat: 0, Lon: -180},
		{Lat: 0, Lon: 0}, {Lat: 45, Lon: 90}, {Lat: -45, Lon: -90}, {Lat: 1e-9, Lon: 1e-9},
		{Lat: 40.734838, Lon: -73.990810}, {Lat: 40.734838, Lon: -73.990810}}
	for _, cities := range [][]tsp.City{tsp.Demo11(), tsp.Demo30(), tsp.RandomCities(400, 3), edge} {
		want, err := tsp.HaversineMatrix(cities)
		if err != nil {
			t.Fatal(err)
		}
		n := len(cities)
		lat, lon := make([]float64, n), make([]float64, n)
		for i, c := range cities {
			lat[i], lon[i] = c.Lat, c.Lon
		}
		out := make([]float64, n*n)
		for i := range out {
			out[i] = -1 // tsp_matrix writes every entry, the diagonal included
		}
		if code := matrix(lat, lon, tsp.EarthRadiusKm, out); code != kernel.CodeOK {
			t.Fatalf("%d cities: tsp_matrix returned %d", n, code)
		}
		worst, same := 0.0, 0
		for i := 0; i < n; i++ {
			for j := 0; j < n; j++ {
				g, w := out[i*n+j], want.At(i, j)
				if (i == j && g != 0) || g != out[j*n+i] {
					t.Fatalf("%d cities: d[%d][%d] = %v, d[%d][%d] = %v", n, i, j, g, j, i, out[j*n+i])
				}
				if math.Abs(g-w) > 1e-12*math.Max(math.Abs(g), math.Abs(w)) {
					t.Errorf("%d cities: d[%d][%d] = %v, want %v", n, i, j, g, w)
				}
				if g == w {
					same++
				} else {
					worst = math.Max(worst, math.Abs(g-w)/math.Max(math.Abs(g), math.Abs(w)))
				}
			}
		}
		t.Logf("%d cities: %d of %d entries bit-identical to Go, worst relative difference %.3g", n, same, n*n, worst)
	}
}

// Optima reads an OPTIMA.txt file of TSPLIB optimal lengths: "name length"
// a line.
func Optima(tb testing.TB, path string) map[string]float64 {
	tb.Helper()
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	opt := map[string]float64{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) == 0 {
			continue
		}
		v, err := strconv.Atoi(fields[len(fields)-1])
		if len(fields) != 2 || err != nil {
			tb.Fatalf("%s: bad line %q", path, sc.Text())
		}
		opt[fields[0]] = float64(v)
	}
	if err := sc.Err(); err != nil {
		tb.Fatal(err)
	}
	return opt
}
