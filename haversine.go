package tsp

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/ffi4go/tsp/internal/kmath"
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
	// kmath's functions are math's, written out so that the C and C++
	// coordinate kernels carry the same bits (issue 21); on amd64 they give
	// math's bits (kmath.TestSameAsMath).
	s1 := kmath.Sin(dp / 2)
	s2 := kmath.Sin(dl / 2)
	h := float64(s1*s1) + float64(float64(kmath.Cos(p1)*kmath.Cos(p2))*float64(s2*s2))
	if h > 1 {
		h = 1
	}
	return 2 * r * kmath.Asin(math.Sqrt(h))
}

// HaversineMatrix validates cities and returns their distance matrix in km.
func HaversineMatrix(cities []City) (*Matrix, error) {
	return haversineMatrix(context.Background(), cities)
}

// errStoppedEarly: haversineMatrix's ctx ended before the matrix was built.
var errStoppedEarly = errors.New("tsp: stopped before the matrix was built")

// haversineMatrix is HaversineMatrix polling ctx every row: when ctx
// ends first it returns errStoppedEarly. The allocation of the n² values
// comes first and cannot be interrupted (the runtime zeroes memory it
// reuses: up to 0.6 s for the 800 MB of 10,000 cities on the machine of
// the README), so under a context that can end it runs on a goroutine of
// its own, which ctx does not wait for (newFloats); so does the search
// for duplicate rows (hashDuplicates), which polls ctx.
func haversineMatrix(ctx context.Context, cities []City) (*Matrix, error) {
	m, err := buildHaversine(ctx, cities)
	if err != nil && ctx.Err() != nil && errors.Is(err, ctx.Err()) {
		err = errStoppedEarly
	}
	return m, err
}

func buildHaversine(ctx context.Context, cities []City) (*Matrix, error) {
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
	d, err := newFloats(ctx, n*n) // alloc.go: a deadline does not wait for it
	if err != nil {
		return nil, err
	}
	max := 0.0
	zero := false
	for i := 0; i < n; i++ {
		if ctx.Err() != nil { // a row is at most 10,000 haversines: well under a millisecond
			return nil, ctx.Err()
		}
		for j := i + 1; j < n; j++ {
			v := haversine(cities[i].Lat, cities[i].Lon, cities[j].Lat, cities[j].Lon, EarthRadiusKm)
			d[i*n+j] = v
			d[j*n+i] = v
			if v > max {
				max = v
			}
			if v == 0 {
				zero = true
			}
		}
	}
	m := &Matrix{n: n, d: d, max: max}
	if zero { // findDuplicates' scan for a zero, done above
		if m.dup, err = hashDuplicates(ctx, n, d, true); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// refusedCities is the error opt.Validate gives on the haversine matrix of
// cities, found without building it (SolveCities checks it first, so that
// Exact on 10,000 cities is refused at once, not after an 800 MB matrix
// or at its deadline), whenever that matrix can have no duplicate rows:
// nil otherwise, and nil for what buildHaversine reports itself (no
// cities, too many, a bad city). Validate needs only n and the duplicate
// groups of a symmetric matrix. Two cities are 0 apart (a zero is where
// duplicate rows start) only when their float32 coordinates are equal: a
// haversine h = s1² + cos·cos·s2² is 0 only when both terms underflow,
// which needs latitudes less than about 1e-159 apart (and so both below
// 1e-143: the same float32, ±0) and likewise longitudes (cos ≥ 6e-17
// for a valid latitude; sin(π) is not 0 in floating point).
func refusedCities(cities []City, opt Options) error {
	n := len(cities)
	if n == 0 || n > MaxHeuristic {
		return nil
	}
	places := make(map[[2]float32]struct{}, n)
	for _, c := range cities {
		if c.Validate() != nil {
			return nil
		}
		places[[2]float32{float32(c.Lat), float32(c.Lon)}] = struct{}{}
	}
	if len(places) < n {
		return nil // maybe duplicates: the matrix tells
	}
	return opt.Validate(&Matrix{n: n})
}

// stoppedCities is SolveCities' answer when ctx ended before the matrix was
// built: the cities in index order from Start, turned so that Order[1] <
// Order[n-1], as a Tour with status Stopped. Without the matrix no better
// tour can be had in time (a nearest-neighbour tour costs O(n²) haversines).
// Each leg is the matrix entry it would have been (haversine is symmetric
// in its bits), so Length is what TourLength of the matrix gives. A route
// with an end (Options.End) lists the others in index order and the end
// last, and its Length has no leg back (PathLength).
func stoppedCities(ctx context.Context, cities []City, opt Options) (Tour, error) {
	n := len(cities)
	alg := opt.Algorithm.For(n)
	if opt.Start < 0 || opt.Start >= n {
		return Tour{}, fmt.Errorf("%w: %d with %d cities", ErrStart, opt.Start, n)
	}
	if alg.MaxCities() == 0 {
		return Tour{}, fmt.Errorf("%w: %d", ErrAlgorithm, int32(opt.Algorithm))
	}
	if err := opt.End.validate(n, opt.Start); err != nil {
		return Tour{}, err
	}
	dist := func(a, b int) float64 {
		if a > b {
			a, b = b, a
		}
		return haversine(cities[a].Lat, cities[a].Lon, cities[b].Lat, cities[b].Lon, EarthRadiusKm)
	}
	var order []int
	if opt.End.Closed() {
		order = make([]int, n)
		for i := range order {
			order[i] = (opt.Start + i) % n
		}
		if n >= 3 && order[1] > order[n-1] {
			slices.Reverse(order[1:])
		}
	} else {
		order = indexRoute(n, opt.Start, opt.End.endIndex(), 0, nil)
	}
	length := 0.0
	for i := 1; i < n; i++ {
		length += dist(order[i-1], order[i])
	}
	if opt.End.Closed() {
		length += dist(order[n-1], order[0])
	}
	t := Tour{Order: order, Length: length, Status: Stopped, Algorithm: alg}
	return t, fmt.Errorf("tsp: %s search stopped, returning the best tour found: %w", alg, ctx.Err())
}
