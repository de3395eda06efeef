package difftest

import (
	"math"
	"testing"

	"github.com/ffi4go/tsp"
	"github.com/ffi4go/tsp/kernel"
)

// Calls are a native backend's small entry points: tsp_abi_version,
// tsp_noop, tsp_haversine and tsp_matrix (cbackend.Calls,
// cppbackend.Calls, *loader.Library).
type Calls interface {
	ABIVersion() int32
	Noop(x int32) int32
	Haversine(in *[5]float64) float64
	Matrix(lat, lon []float64, radius float64, out []float64) int32
}

// CheckCalls checks c against Go: the ABI version; tsp_noop on extreme
// values; tsp_haversine on every pair of 52 random cities within 1e-12
// relative; tsp_haversine and tsp_matrix on the demo30 cities, 50 random
// ones, the poles and the antimeridian at two radii, within 1e-12 (relative
// past 1); MatrixAgrees; and bad coordinates, radii and lengths refused
// with CodeInvalid.
func CheckCalls(t *testing.T, c Calls) {
	t.Helper()
	if v := c.ABIVersion(); v != kernel.ABIVersion {
		t.Errorf("tsp_abi_version() = %d, want %d", v, kernel.ABIVersion)
	}
	for _, x := range []int32{0, 1, -1, 42, math.MaxInt32, math.MinInt32} {
		if got := c.Noop(x); got != x {
			t.Errorf("tsp_noop(%d) = %d", x, got)
		}
	}
	rel := func(a, b float64) bool { return math.Abs(a-b) <= 1e-12*math.Max(math.Abs(a), math.Abs(b)) }
	cs := append(tsp.RandomCities(50, 9), tsp.RandomCities(2, 4)...)
	for i := range cs {
		for j := range cs {
			in := [5]float64{cs[i].Lat, cs[i].Lon, cs[j].Lat, cs[j].Lon, tsp.EarthRadiusKm}
			want := tsp.HaversineRadius(in[0], in[1], in[2], in[3], in[4])
			if got := c.Haversine(&in); !rel(got, want) {
				t.Errorf("tsp_haversine(%v) = %v, want %v", in, got, want)
			}
		}
	}
	// near allows the last bits of libm's sin, cos and asin against Go's
	// math, absolutely below 1.
	near := func(got, want float64) bool { return math.Abs(got-want) <= 1e-12*math.Max(1, math.Abs(want)) }
	cities := tsp.Demo30()
	cities = append(cities, tsp.RandomCities(50, 3)...)
	cities = append(cities, tsp.City{Name: "north pole", Lat: 90}, tsp.City{Name: "south pole", Lat: -90},
		tsp.City{Name: "dateline", Lat: 0, Lon: 180}, tsp.City{Name: "antimeridian", Lat: 0, Lon: -180})
	n := len(cities)
	lat, lon := make([]float64, n), make([]float64, n)
	for i, c := range cities {
		lat[i], lon[i] = c.Lat, c.Lon
	}
	for _, radius := range []float64{tsp.EarthRadiusKm, 1} {
		out := make([]float64, n*n)
		if code := c.Matrix(lat, lon, radius, out); code != kernel.CodeOK {
			t.Fatalf("tsp_matrix = %d", code)
		}
		for i := 0; i < n; i++ {
			for j := 0; j < n; j++ {
				want := 0.0
				if i != j {
					want = tsp.HaversineRadius(lat[min(i, j)], lon[min(i, j)], lat[max(i, j)], lon[max(i, j)], radius)
				}
				if got := out[i*n+j]; !near(got, want) {
					t.Errorf("radius %v: d[%d][%d] = %v, Go %v", radius, i, j, got, want)
				}
				in := [5]float64{lat[i], lon[i], lat[j], lon[j], radius}
				if got, want := c.Haversine(&in), tsp.HaversineRadius(lat[i], lon[i], lat[j], lon[j], radius); !near(got, want) {
					t.Errorf("tsp_haversine(%v) = %v, Go %v", in, got, want)
				}
			}
		}
	}
	MatrixAgrees(t, c.Matrix)
	// Bad input: a status code, no crash.
	lat2, lon2, out := []float64{0, 1}, []float64{0, 1}, make([]float64, 4)
	for _, b := range []struct {
		name          string
		lat, lon, out []float64
		r             float64
	}{
		{"NaN latitude", []float64{0, math.NaN()}, lon2, out, tsp.EarthRadiusKm},
		{"NaN latitude, one city", []float64{math.NaN()}, []float64{0}, out[:1], tsp.EarthRadiusKm},
		{"Inf longitude", lat2, []float64{math.Inf(1), 0}, out, tsp.EarthRadiusKm},
		{"latitude 91", []float64{91, 0}, lon2, out, tsp.EarthRadiusKm},
		{"latitude 91, second city", []float64{0, 91}, []float64{0, 0}, out, 6371},
		{"longitude -180.1", lat2, []float64{0, -180.1}, out, tsp.EarthRadiusKm},
		{"longitude 181", []float64{0}, []float64{181}, out[:1], 6371},
		{"NaN radius", lat2, lon2, out, math.NaN()},
		{"short out", lat2, lon2, out[:3], tsp.EarthRadiusKm},
		{"short lon", lat2, lon2[:1], out, tsp.EarthRadiusKm},
		{"empty", nil, nil, nil, tsp.EarthRadiusKm},
	} {
		if got := c.Matrix(b.lat, b.lon, b.r, b.out); got != kernel.CodeInvalid {
			t.Errorf("tsp_matrix, %s: %d, want %d", b.name, got, kernel.CodeInvalid)
		}
	}
}
