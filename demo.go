package tsp

import (
	"math/rand/v2"
	"strconv"
)

// Demo11 is the built-in set of 11 cities; the tour starts at new york
// (index 0). It is the job the Python app that inspired this project took
// 20–24 s for.
func Demo11() []City { return append([]City(nil), demo30[:11]...) }

// Demo30 is Demo11 followed by 19 more cities in Europe and Asia.
func Demo30() []City { return append([]City(nil), demo30...) }

var demo30 = []City{
	{"new york, ny, usa", 40.734838, -73.990810},
	{"portland, me, usa", 43.657727, -70.254636},
	{"seattle, wa, usa", 47.620410, -122.349368},
	{"san francisco, ca, usa", 37.759936, -122.415058},
	{"denver, co, usa", 39.738150, -104.989576},
	{"austin, tx, usa", 30.265857, -97.741833},
	{"montreal, qc, ca", 45.500507, -73.563048},
	{"vancouver, bc, ca", 49.238556, -123.084775},
	{"anchorage, ak, usa", 61.211629, -149.895041},
	{"toronto, on, ca", 43.646736, -79.384238},
	{"berlin, germany", 52.522564, 13.400369},
	{"frankfurt, germany", 50.110556, 8.681455},
	{"hamburg, germany", 53.548640, 9.993521},
	{"cologne, germany", 50.934693, 6.958435},
	{"dublin, ireland", 53.348878, -6.257015},
	{"tokyo, japan", 35.703184, 139.734830},
	{"seoul, korea", 37.548857, 126.997675},
	{"moscow, russia", 55.761384, 37.662707},
	{"st petersburg, russia", 59.915844, 30.326210},
	{"kyiv, ukraine", 50.440534, 30.538184},
	{"copenhagen, denmark", 55.668907, 12.557736},
	{"amsterdam, netherlands", 52.360880, 4.897241},
	{"london, uk", 51.518832, -0.128251},
	{"bristol, uk", 51.457366, -2.580410},
	{"manchester, uk", 53.481236, -2.242475},
	{"nantes, france", 47.212808, -1.556502},
	{"paris, france", 48.856634, 2.353776},
	{"helsinki, finland", 60.172662, 24.942226},
	{"stockholm, sweden", 59.328944, 18.070630},
	{"oslo, norway", 59.913826, 10.751471},
}

// RandomCities returns n cities drawn uniformly from latitude 25..49 and
// longitude -124..-67 (the contiguous United States' box) with a fixed
// seed: the same seed gives the same cities on every machine. The
// benchmarks and tests use it.
func RandomCities(n int, seed uint64) []City {
	r := rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))
	cs := make([]City, n)
	for i := range cs {
		cs[i] = City{
			Name: "c" + strconv.Itoa(i),
			Lat:  25 + float64(24*r.Float64()), // float64(): never fused into an FMA
			Lon:  -124 + float64(57*r.Float64()),
		}
	}
	return cs
}
