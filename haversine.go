package tsp

import (
	"fmt"
	"math"
)

// EarthRadiusKm is the radius of the sphere Haversine measures on.
const EarthRadiusKm = 6372.8

// City is a named place, latitude and longitude in degrees.
type City struct {
	Name string  `json:"name"`
	Lat  float64 `json:"lat"`
	Lon  float64 `json:"lon"`
}

// Validate reports NaN, infinite or out-of-range coordinates.
func (c City) Validate() error {
	for _, v := range [2]float64{c.Lat, c.Lon} {
		if math.IsNaN(v) {
			return fmt.Errorf("%w: city %q", ErrNaN, c.Name)
		}
		if math.IsInf(v, 0) {
			return fmt.Errorf("%w: city %q", ErrInfinite, c.Name)
		}
	}
	if c.Lat < -90 || c.Lat > 90 {
		return fmt.Errorf("%w: city %q has latitude %g", ErrLatitude, c.Name, c.Lat)
	}
	if c.Lon < -180 || c.Lon > 180 {
		return fmt.Errorf("%w: city %q has longitude %g", ErrLongitude, c.Name, c.Lon)
	}
	return nil
}

// Haversine is the great-circle distance between a and b in kilometres on a
// sphere of radius EarthRadiusKm.
func Haversine(a, b City) float64 {
	return haversine(a.Lat, a.Lon, b.Lat, b.Lon, EarthRadiusKm)
}

// HaversineRadius is the great-circle distance between two points given in
// degrees on a sphere of radius r, written operation by operation like
// tsp_haversine in C.
func HaversineRadius(lat1, lon1, lat2, lon2, r float64) float64 {
	return haversine(lat1, lon1, lat2, lon2, r)
}

func haversine(lat1, lon1, lat2, lon2, r float64) float64 {
	const rad = math.Pi / 180
	p1 := lat1 * rad
	p2 := lat2 * rad
	dp := (lat2 - lat1) * rad
	dl := (lon2 - lon1) * rad
	s1 := math.Sin(dp / 2)
	s2 := math.Sin(dl / 2)
	h := float64(s1*s1) + float64(float64(math.Cos(p1)*math.Cos(p2))*float64(s2*s2))
	if h > 1 {
		h = 1
	}
	return 2 * r * math.Asin(math.Sqrt(h))
}

// HaversineMatrix validates cities and returns their distance matrix in km.
func HaversineMatrix(cities []City) (*Matrix, error) {
	n := len(cities)
	if n == 0 {
		return nil, ErrEmpty
	}
	if n > MaxHeuristic {
		return nil, fmt.Errorf("%w: %d cities, at most %d", ErrTooLarge, n, MaxHeuristic)
	}
	for _, c := range cities {
		if err := c.Validate(); err != nil {
			return nil, err
		}
	}
	d := make([]float64, n*n)
	for i := 0; i < n; i++ {
		for j := i + 1; j < n; j++ {
			v := haversine(cities[i].Lat, cities[i].Lon, cities[j].Lat, cities[j].Lon, EarthRadiusKm)
			d[i*n+j] = v
			d[j*n+i] = v
		}
	}
	return &Matrix{n: n, d: d}, nil
}
