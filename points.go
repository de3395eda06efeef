package tsp

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sync/atomic"
	"time"

	"github.com/ffi4go/tsp/internal/abi"
)

// PointKind says how the distance between two Points is measured.
type PointKind int32

// The point kinds: the kind argument of tsp_solve_points (TSP_POINTS_*).
const (
	// KindHaversine: X latitude and Y longitude in degrees, distances in
	// units of Radius on a sphere: the bits of Haversine and HaversineMatrix.
	KindHaversine PointKind = PointKind(abi.PointsHaversine)
	// KindEuc2D, KindCeil2D, KindAtt and KindGeo: TSPLIB 95's EUC_2D,
	// CEIL_2D, ATT and GEO (X latitude, Y longitude as DDD.MM), the bits of
	// package tsplib's matrices.
	KindEuc2D  PointKind = PointKind(abi.PointsEuc2D)
	KindCeil2D PointKind = PointKind(abi.PointsCeil2D)
	KindAtt    PointKind = PointKind(abi.PointsAtt)
	KindGeo    PointKind = PointKind(abi.PointsGeo)
)

// MaxPoints is the most cities SolvePoints takes (TSP_MAX_POINTS:
// 16,777,216); the kernel needs about 150 bytes a city.
const MaxPoints = abi.MaxPoints

// Points are cities given by coordinates: what the coordinate path solves
// without a distance matrix (SolvePoints, ABI 6). Its memory is O(n), the
// kernel's O(n·k) for k = 10 neighbours a city, so it takes up to
// MaxPoints cities where a Matrix stops at MaxHeuristic.
type Points struct {
	Kind   PointKind
	X, Y   []float64
	Radius float64 // KindHaversine: the sphere's radius (EarthRadiusKm for kilometres)
}

// CityPoints returns the points of cities on the sphere of EarthRadiusKm:
// distances in km with the bits of HaversineMatrix.
func CityPoints(cities []City) *Points {
	p := &Points{Kind: KindHaversine, X: make([]float64, len(cities)), Y: make([]float64, len(cities)), Radius: EarthRadiusKm}
	for i, c := range cities {
		p.X[i], p.Y[i] = c.Lat, c.Lon
	}
	return p
}

// Len is the number of points.
func (p *Points) Len() int { return len(p.X) }

// Validate reports what the kernel would refuse, as the errors of the
// matrix path: no points (ErrEmpty), X and Y of different lengths
// (ErrMatrixLength), more than MaxPoints (ErrTooLarge), an unknown kind
// (ErrInvalidInput), NaN or infinite values, latitudes and longitudes out
// of range (KindHaversine), a radius that is negative, NaN or too large
// for a tour to be summed, coordinates beyond ±1e4 (KindGeo) or beyond
// ±min(1e150, MaxTourLength/(4n)) (the planar kinds: ErrOverflow).
func (p *Points) Validate() error {
	if p == nil || len(p.X) == 0 {
		return ErrEmpty
	}
	n := len(p.X)
	if len(p.Y) != n {
		return fmt.Errorf("%w: %d X and %d Y", ErrMatrixLength, n, len(p.Y))
	}
	if n > MaxPoints {
		return fmt.Errorf("%w: %d points, at most %d", ErrTooLarge, n, MaxPoints)
	}
	for i := range n {
		for _, v := range [2]float64{p.X[i], p.Y[i]} {
			if math.IsNaN(v) {
				return fmt.Errorf("%w: point %d", ErrNaN, i)
			}
			if math.IsInf(v, 0) {
				return fmt.Errorf("%w: point %d", ErrInfinite, i)
			}
		}
	}
	lim := maxDistance(int32(n)) / 4
	switch p.Kind {
	case KindHaversine:
		if math.IsNaN(p.Radius) || p.Radius < 0 || p.Radius > lim {
			return fmt.Errorf("%w: radius %g", ErrInvalidInput, p.Radius)
		}
		for i := range n {
			if lat, lon := p.X[i], p.Y[i]; !(lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180) {
				// the error of City.Validate, named by index (not formatted
				// for every point: at a million, 0.1 s)
				return (City{Name: fmt.Sprint(i), Lat: lat, Lon: lon}).Validate()
			}
		}
	case KindGeo:
		lim = maxGeoCoord
	case KindEuc2D, KindCeil2D, KindAtt:
		lim = min(lim, maxPlanarCoord)
	default:
		return fmt.Errorf("%w: point kind %d", ErrInvalidInput, p.Kind)
	}
	if p.Kind != KindHaversine {
		for i := range n {
			if math.Abs(p.X[i]) > lim || math.Abs(p.Y[i]) > lim {
				return fmt.Errorf("%w: point %d at (%g, %g), at most %g from 0 on each axis", ErrOverflow, i, p.X[i], p.Y[i], lim)
			}
		}
	}
	return nil
}

// set is the kernel's view of valid points.
func (p *Points) set() *pointSet {
	ps, _ := newPointSet(p.X, p.Y, int32(len(p.X)), int32(p.Kind), p.Radius)
	return ps
}

// Distance is the distance between points i and j: the bits the kernels
// compute. p must be valid.
func (p *Points) Distance(i, j int) float64 {
	if i == j {
		return 0
	}
	two, _ := newPointSet([]float64{p.X[i], p.X[j]}, []float64{p.Y[i], p.Y[j]}, 2, int32(p.Kind), p.Radius)
	return two.dist(0, 1)
}

// Matrix is the distance matrix of p (at most MaxHeuristic points): the
// same distances, for the algorithms that need a matrix.
func (p *Points) Matrix() (*Matrix, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	n := len(p.X)
	if n > MaxHeuristic {
		return nil, fmt.Errorf("%w: %d cities, at most %d in a matrix", ErrTooLarge, n, MaxHeuristic)
	}
	ps := p.set()
	d := make([]float64, n*n)
	for i := int32(0); i < int32(n); i++ {
		for j := i + 1; j < int32(n); j++ {
			v := ps.dist(i, j)
			d[int(i)*n+int(j)], d[int(j)*n+int(i)] = v, v
		}
	}
	return newMatrixOwned(n, d)
}

// PointsLength sums the distances along order from order[0] and back to
// it: Tour.Length of SolvePoints, summed the way every kernel sums it.
func PointsLength(p *Points, order []int) float64 {
	if len(order) == 0 {
		return 0
	}
	// The points along order gathered into a small set, a block at a time,
	// then summed in order: the same distances (dist on a copy of the same
	// coordinates) in the same order, so the same bits, without the cache
	// misses of dist on the whole set in a random order (a million cities:
	// 0.3 s against 1.5 s at load 7).
	n := len(order)
	if n == 1 {
		return 0 // dist(i, i)
	}
	const block = 4096
	var x, y [block + 1]float64
	var bs pointSet
	s := 0.0
	for lo := 0; lo < n; lo += block {
		m := min(lo+block, n) - lo + 1 // the block and the city after it (the first, after the last)
		for i := range m {
			c := order[(lo+i)%n]
			x[i], y[i] = p.X[c], p.Y[c]
		}
		bs.init(x[:m], y[:m], int32(m), int32(p.Kind), p.Radius)
		for i := int32(1); i < int32(m); i++ {
			s += bs.dist(i-1, i)
		}
	}
	return s
}

// PointsSolver solves from coordinates through one kernel's
// tsp_solve_points. Every backend of this module offers one.
type PointsSolver interface {
	Name() string
	SolvePoints(ctx context.Context, p *Points, opt Options) (Tour, error)
}

type pointsSolver struct {
	name string
	k    abi.PointsFunc
	kp   abi.PointsFuncProgress // tsp_solve_points_progress; nil: the backend has none (Progress: ErrPointsProgress)
}

func (s *pointsSolver) Name() string { return s.name }

var goPoints = &pointsSolver{name: "go", k: goPointsKernel, kp: goPointsKernelProgress}

// GoPoints returns the pure-Go coordinate backend, named "go".
func GoPoints() PointsSolver { return goPoints }

// ErrPointsProgress: a PointsSolver whose kernel has no
// tsp_solve_points_progress (one made by kernel.NewPointsSolver) does not
// call Options.Progress; set, it gives this error, which wraps
// errors.ErrUnsupported. Every backend of this module has it (ABI 7).
var ErrPointsProgress = fmt.Errorf("tsp: Options.Progress on the coordinate path: %w by this backend (no tsp_solve_points_progress)", errors.ErrUnsupported)

// SolvePoints solves p with the pure-Go coordinate kernel.
//
// It runs Nearest, TwoOpt and Iterated (Auto chooses Iterated) on round
// trips (Options.End ReturnToStart); Exact, Exhaustive and routes with an
// end need a matrix (Points.Matrix, Solve), and give ErrAlgorithm or
// ErrEnd here. TwoOpt here is the neighbour-list search without the full
// 2-opt passes of the matrix path (O(n²) each), so its tours may differ
// from Solve's on the same distances; Nearest's never do. Duplicate points
// are not merged (they are 0 apart). Budget 0 without a deadline is
// DefaultBudget(n) kicks, as in Solve. LowerBound is 0.
//
// Options.Progress is called as on the matrix path, with the kernel's
// length of each better tour (tsp_solve_points_progress, ABI 7): when
// Nearest's tour is complete (every algorithm), during the first local
// search at most once every n improving moves and at its end (TwoOpt and
// Iterated), and at a kick that shortens the best tour once n/16 kicks or
// more have passed since the last call (Iterated). The calls are the same
// on every backend; a callback that returns true or panics stops the
// search as on the matrix path (ErrProgressStop, ErrProgressPanic).
func SolvePoints(ctx context.Context, p *Points, opt Options) (Tour, error) {
	return goPoints.SolvePoints(ctx, p, opt)
}

func (s *pointsSolver) SolvePoints(ctx context.Context, p *Points, opt Options) (Tour, error) {
	if err := p.Validate(); err != nil {
		return Tour{}, err
	}
	n := len(p.X)
	alg := opt.Algorithm
	if alg == Auto {
		alg = Iterated
	}
	switch alg {
	case Nearest, TwoOpt, Iterated:
	default:
		return Tour{}, fmt.Errorf("%w: %s needs a matrix (Points.Matrix); points take nearest, 2opt and iterated", ErrAlgorithm, alg)
	}
	if opt.Start < 0 || opt.Start >= n {
		return Tour{}, fmt.Errorf("%w: %d with %d cities", ErrStart, opt.Start, n)
	}
	if opt.Budget < 0 {
		return Tour{}, fmt.Errorf("%w: %d", ErrBudget, opt.Budget)
	}
	if !opt.End.Closed() {
		return Tour{}, fmt.Errorf("%w: points take round trips; a route with an end needs a matrix", ErrEnd)
	}
	if opt.Progress != nil && s.kp == nil {
		return Tour{}, ErrPointsProgress
	}
	ps := newProgressSink(opt, alg)
	if opt.Budget == 0 {
		if _, ok := ctx.Deadline(); !ok {
			opt.Budget = DefaultBudget(n)
		}
	}
	flag := new(cancelFlag)
	if ctx.Err() != nil {
		flag.v = 1
	}
	stop := context.AfterFunc(ctx, func() { atomic.StoreInt32(&flag.v, 1) })
	// The kernel is stopped finishReserve(n) before the deadline: the time
	// its tour takes to be summed, mapped and checked after it stops, O(n).
	var early atomic.Bool
	if dl, ok := ctx.Deadline(); ok && ctx.Err() == nil {
		left := time.Until(dl)
		reserve := min(finishReserve(n), left/8)
		t := time.AfterFunc(left-reserve, func() { early.Store(true); atomic.StoreInt32(&flag.v, 1) })
		defer t.Stop()
	}
	order := make([]int32, n)
	var length float64
	var nodes uint64
	var code int32
	if ps != nil {
		// the kernel's tour and length as they are (no route to map, no
		// duplicates merged): back stays nil, see progressSink.report
		ps.kernelStart = int32(opt.Start)
		code = s.kp(p.X, p.Y, int32(n), int32(p.Kind), p.Radius, int32(opt.Start), alg.number(), opt.Seed, opt.Budget,
			&flag.v, ps.report, order, &length, &nodes)
	} else {
		code = s.k(p.X, p.Y, int32(n), int32(p.Kind), p.Radius, int32(opt.Start), alg.number(), opt.Seed, opt.Budget,
			&flag.v, order, &length, &nodes)
	}
	stop()
	switch code {
	case abi.CodeOK, abi.CodeStopped:
	case abi.CodeTooLarge:
		return Tour{}, fmt.Errorf("%w: %s refused %d points", ErrTooLarge, s.name, n)
	case abi.CodeNoMemory:
		return Tour{}, fmt.Errorf("%w (%s, %d points)", ErrOutOfMemory, s.name, n)
	case abi.CodeInvalid:
		return Tour{}, fmt.Errorf("%w: %s rejected the points as invalid", ErrKernel, s.name)
	default:
		return Tour{}, fmt.Errorf("%w: %s returned status %d", ErrKernel, s.name, code)
	}
	t := Tour{Order: make([]int, n), Length: length, Nodes: nodes, Algorithm: alg}
	seen := make([]bool, n)
	for i, c := range order {
		if c < 0 || int(c) >= n || seen[c] {
			return Tour{}, fmt.Errorf("%w: %s returned an order that is not a permutation", ErrKernel, s.name)
		}
		seen[c] = true
		t.Order[i] = int(c)
	}
	if t.Order[0] != opt.Start {
		return Tour{}, fmt.Errorf("%w: %s returned a tour that does not begin at start", ErrKernel, s.name)
	}
	if want := PointsLength(p, t.Order); math.Float64bits(want) != math.Float64bits(length) {
		return Tour{}, fmt.Errorf("%w: %s reported length %v for a tour of length %v", ErrKernel, s.name, length, want)
	}
	if code == abi.CodeStopped {
		t.Status = Stopped
		err := ctx.Err()
		if perr := ps.err(); perr != nil && (err == nil && !early.Load() || ps.panicked) {
			err = perr // the progress callback stopped it (or panicked), as in Solve
		}
		if err == nil && early.Load() {
			err = context.DeadlineExceeded // stopped finishReserve before it
		}
		if err == nil {
			err = context.Canceled
		}
		return t, fmt.Errorf("tsp: %s search stopped, returning the best tour found: %w", alg, err)
	}
	t.Status = Heuristic
	if ps != nil && ps.panicked { // at the last report, with no poll after it
		return t, ps.err()
	}
	return t, nil
}

// finishReserve is how long before its deadline SolvePoints stops the
// kernel, for n points: the work after the search, O(n) (the tour rotated
// and summed in the kernel, copied, checked to be a permutation and summed
// again here), about 250 ns a city (0.25 s at a million cities, 2.5 ms at
// 10,000), and at most an eighth of the time left when the solve starts.
func finishReserve(n int) time.Duration { return time.Duration(n) * 250 * time.Nanosecond }

func init() {
	abi.NewPointsSolver = func(name string, k abi.PointsFunc) any { return &pointsSolver{name: name, k: k} }
	abi.NewPointsSolverProgress = func(name string, k abi.PointsFunc, kp abi.PointsFuncProgress) any {
		return &pointsSolver{name: name, k: k, kp: kp}
	}
	abi.GoPointsKernel = goPointsKernel
	abi.GoPointsKernelProgress = goPointsKernelProgress
}

// usePoints: SolveCities takes the coordinate path for n cities with opt:
// a round trip with a heuristic (Auto's choice above AutoExactMax), with or
// without Progress (ABI 7).
func usePoints(n int, opt Options) bool {
	if !opt.End.Closed() || n == 0 {
		return false
	}
	switch opt.Algorithm.For(n) {
	case Nearest, TwoOpt, Iterated:
		return opt.Algorithm != Auto || n > AutoExactMax
	}
	return false
}

// solveCitiesPoints is SolveCities on the coordinate path: the cities'
// errors are those of HaversineMatrix.
func solveCitiesPoints(ctx context.Context, cities []City, opt Options) (Tour, error) {
	for _, c := range cities {
		if err := c.Validate(); err != nil {
			return Tour{}, err
		}
	}
	return goPoints.SolvePoints(ctx, CityPoints(cities), opt)
}
