package tsp

import (
	"math"

	"github.com/ffi4go/tsp/internal/abi"
	"github.com/ffi4go/tsp/internal/kmath"
)

// The coordinate kernel (issue 21): tsp_solve_points in native/tsp.h. It
// takes the cities' coordinates instead of a matrix and computes each
// distance when it needs it, so that its memory is O(n·k) for k neighbours
// a city: a k-d tree over the points (kdtree.go) gives the nearest
// unvisited city of Nearest and the neighbour lists of the local search
// (pointsearch.go), each in O(log n) a query. The distances are those of
// the matrix path bit for bit: Haversine's for latitude/longitude and
// TSPLIB 95's EUC_2D, CEIL_2D, ATT and GEO, with the trigonometry of
// internal/kmath, which tsp.c and tsp.cpp carry too. tsp.c and tsp.cpp
// follow this file, kdtree.go and pointsearch.go step by step.

// pointSet is the input of the coordinate kernel: per city the values its
// distance needs, computed once.
type pointSet struct {
	kind int32
	n    int32
	a, b []float64 // haversine: latitude and longitude in degrees; GEO: in radians (TSPLIB's conversion); planar: x and y
	c    []float64 // haversine: the cosine of the latitude in radians; nil otherwise
	r    float64   // haversine: the radius
}

// degToRad is math.Pi/180 as Go folds it: haversine's rad.
const degToRad = math.Pi / 180

// maxPlanarCoord bounds |x| and |y| of the planar kinds, so that every
// square and sum of squares is finite.
const maxPlanarCoord = 1e150

// maxGeoCoord bounds |x| and |y| of GEO (DDD.MM): the arguments of the
// cosines stay far below kmath.MaxTrig.
const maxGeoCoord = 1e4

// newPointSet validates the input of tsp_solve_points (the checks of
// tsp.c's points_init, in the same order) and precomputes what dist needs.
// It returns false on invalid input.
func newPointSet(x, y []float64, n, kind int32, radius float64) (*pointSet, bool) {
	p := new(pointSet)
	return p, p.init(x, y, n, kind, radius)
}

// init is newPointSet into p, reusing its arrays where they are large
// enough.
func (p *pointSet) init(x, y []float64, n, kind int32, radius float64) bool {
	grow := func(s []float64) []float64 {
		if int32(cap(s)) >= n {
			return s[:n]
		}
		return make([]float64, n)
	}
	p.kind, p.n, p.a, p.b = kind, n, grow(p.a), grow(p.b)
	lim := maxDistance(n) / 4
	switch kind {
	case abi.PointsHaversine:
		if !(radius >= 0) || radius > lim {
			return false
		}
		p.r = radius
		p.c = grow(p.c)
		for i := int32(0); i < n; i++ {
			lat, lon := x[i], y[i]
			if !(lat >= -90 && lat <= 90) || !(lon >= -180 && lon <= 180) {
				return false
			}
			p.a[i], p.b[i], p.c[i] = lat, lon, kmath.Cos(lat*degToRad)
		}
	case abi.PointsGeo:
		for i := int32(0); i < n; i++ {
			if !(math.Abs(x[i]) <= maxGeoCoord) || !(math.Abs(y[i]) <= maxGeoCoord) {
				return false
			}
			p.a[i], p.b[i] = geoRad(x[i]), geoRad(y[i])
		}
	case abi.PointsEuc2D, abi.PointsCeil2D, abi.PointsAtt:
		lim = min(lim, maxPlanarCoord)
		for i := int32(0); i < n; i++ {
			if !(math.Abs(x[i]) <= lim) || !(math.Abs(y[i]) <= lim) {
				return false
			}
			p.a[i], p.b[i] = x[i], y[i]
		}
	default:
		return false
	}
	return true
}

// TSPLIB 95's GEO constants (tsplib.go has the same).
const (
	geoPI  = 3.141592
	geoRRR = 6378.388
)

// geoRad is TSPLIB's conversion of DDD.MM to radians (tsplib.geoRadians).
func geoRad(v float64) float64 {
	deg := math.Trunc(v)
	m := v - deg
	return geoPI * (deg + 5.0*m/3.0) / 180.0
}

// dist is the distance between cities i and j: the bits of the matrix
// entry d[i][j] of the same input (every formula is symmetric in its bits).
func (p *pointSet) dist(i, j int32) float64 {
	if i == j {
		return 0 // the diagonal of every matrix (GEO's formula gives 1)
	}
	switch p.kind {
	case abi.PointsHaversine:
		s1 := kmath.Sin((p.a[j] - p.a[i]) * degToRad / 2)
		s2 := kmath.Sin((p.b[j] - p.b[i]) * degToRad / 2)
		h := float64(s1*s1) + float64(float64(p.c[i]*p.c[j])*float64(s2*s2))
		if h > 1 {
			h = 1
		}
		return 2 * p.r * kmath.Asin(math.Sqrt(h))
	case abi.PointsGeo:
		q1 := kmath.Cos(p.b[i] - p.b[j])
		q2 := kmath.Cos(p.a[i] - p.a[j])
		q3 := kmath.Cos(p.a[i] + p.a[j])
		a := 0.5 * (float64((1.0+q1)*q2) - float64((1.0-q1)*q3))
		a = max(-1, min(1, a))
		return math.Trunc(float64(geoRRR*kmath.Acos(a)) + 1.0)
	}
	return p.planar(p.a[i]-p.a[j], p.b[i]-p.b[j])
}

// planar is the distance of the planar kinds for the differences xd, yd.
// It never decreases as |xd| or |yd| grows, which makes it a lower bound of
// the k-d tree as well.
func (p *pointSet) planar(xd, yd float64) float64 {
	switch p.kind {
	case abi.PointsEuc2D:
		return math.Floor(math.Sqrt(float64(xd*xd)+float64(yd*yd)) + 0.5)
	case abi.PointsCeil2D:
		return math.Ceil(math.Sqrt(float64(xd*xd) + float64(yd*yd)))
	}
	r := math.Sqrt((float64(xd*xd) + float64(yd*yd)) / 10.0) // ATT
	t := math.Floor(r + 0.5)
	if t < r {
		return t + 1
	}
	return t
}

// dmax is an upper bound of every distance, for the search's eps: the
// planar distance across the bounding box; 4 radii on the sphere.
func (p *pointSet) dmax() float64 {
	switch p.kind {
	case abi.PointsHaversine:
		return 4 * p.r
	case abi.PointsGeo:
		return 4 * geoRRR
	}
	x0, x1, y0, y1 := p.a[0], p.a[0], p.b[0], p.b[0]
	for i := int32(1); i < p.n; i++ {
		x0, x1 = min(x0, p.a[i]), max(x1, p.a[i])
		y0, y1 = min(y0, p.b[i]), max(y1, p.b[i])
	}
	return p.planar(x1-x0, y1-y0)
}

// permuted returns p with its points in the order perm: point k of the
// result is point perm[k] of p.
func (p *pointSet) permuted(perm []int32) *pointSet {
	q := &pointSet{kind: p.kind, n: p.n, r: p.r, a: make([]float64, p.n), b: make([]float64, p.n)}
	if p.c != nil {
		q.c = make([]float64, p.n)
	}
	for k, c := range perm {
		q.a[k], q.b[k] = p.a[c], p.b[c]
		if p.c != nil {
			q.c[k] = p.c[c]
		}
	}
	return q
}

// cycleLength sums dist along order from order[0] and back to it.
func (p *pointSet) cycleLength(order []int32) float64 {
	n := p.n
	s := 0.0
	for i := int32(1); i < n; i++ {
		s += p.dist(order[i-1], order[i])
	}
	return s + p.dist(order[n-1], order[0])
}

// goPointsKernel is the pure-Go tsp_solve_points (abi.PointsFunc).
func goPointsKernel(x, y []float64, n, kind int32, radius float64, start, algorithm int32, seed uint64, budget int64,
	cancel *int32, order []int32, length *float64, nodes *uint64) int32 {
	return goPointsKernelProgress(x, y, n, kind, radius, start, algorithm, seed, budget, cancel, nil, order, length, nodes)
}

// goPointsKernelProgress is tsp_solve_points_progress
// (abi.PointsFuncProgress): goPointsKernel with a progress function (nil:
// none), called as tsp.h describes.
func goPointsKernelProgress(x, y []float64, n, kind int32, radius float64, start, algorithm int32, seed uint64, budget int64,
	cancel *int32, progress abi.ProgressFunc, order []int32, length *float64, nodes *uint64) int32 {
	if n <= 0 || start < 0 || start >= n || int64(len(x)) < int64(n) || int64(len(y)) < int64(n) || int64(len(order)) < int64(n) {
		return codeInvalid
	}
	if algorithm != abi.Nearest && algorithm != abi.TwoOpt && algorithm != abi.Iterated {
		return codeInvalid
	}
	if algorithm == abi.Iterated && budget <= 0 && cancel == nil {
		return codeInvalid // it would never end
	}
	if n > abi.MaxPoints {
		return codeTooLarge
	}
	p, ok := newPointSet(x, y, n, kind, radius)
	if !ok {
		return codeInvalid
	}
	k := kernelState{n: n, cancel: cancel, progress: progress}
	tr := newKDTree(p, &k) // the search runs on the tree's numbering, tr.p
	if tr == nil {
		// stopped while the tree was built, before any tour: the cities in
		// index order from start, summed as pointsFinish sums
		*length = stoppedOrder(p, start, order[:n])
		*nodes = 0
		return codeStopped
	}
	orig := tr.orig
	ps := newPointSearch(&k, tr.p, tr)
	if progress != nil {
		ps.orig, ps.prog, ps.lastLen = orig, make([]int32, n), math.Inf(1)
	}
	code := codeOK
	if !ps.nearestInto(tr.inv[start]) {
		code = codeStopped
	} else {
		if progress != nil { // the first tour
			ps.base = ps.p.cycleLength(ps.t)
			ps.report(ps.base)
		}
		if algorithm != abi.Nearest {
			if !ps.neighbours() || !ps.run() {
				code = codeStopped
			} else {
				if progress != nil && ps.moves != ps.lastMoves { // the local optimum
					ps.report(ps.p.cycleLength(ps.t))
				}
				if algorithm == abi.Iterated && n >= iteratedMinN {
					code = ps.kicks(seed, budget)
				}
			}
		}
	}
	*length = pointsFinish(tr.p, orig, tr.inv[start], ps.t)
	for i, c := range ps.t {
		order[i] = orig[c]
	}
	*nodes = ps.moves
	return code
}

// stoppedOrder writes the cities in index order into order (the cycle 0,
// 1, ..., n-1 rotated to start and turned so that order[1] < order[n-1],
// as every tour) and returns its length, summed from start: the tour of a
// search stopped before its first tour, what SolveCities returns when
// stopped before its matrix exists.
func stoppedOrder(p *pointSet, start int32, order []int32) float64 {
	n := p.n
	for i := int32(0); i < n; i++ {
		order[i] = (start + i) % n
	}
	if n >= 3 && order[1] > order[n-1] {
		reverse32(order[1:n])
	}
	return p.cycleLength(order)
}

// pointsFinish is kernelState.finish for points, on the tree's numbering t
// (orig[k] the input index of point k): the tour rotated to start, turned
// so that its second city has a lower input index than its last, and its
// length summed in that order. The distances are those of the input's
// numbering, bit for bit, and dist is symmetric, so the sum has the bits
// of the same sum over the tour in input indices; but in the tree's
// numbering, where the tour's neighbours are near in memory, it takes a
// fraction of the time at a million cities (cache misses: 1.8 s at load
// 7), which a solve stopped at its deadline spends after it.
func pointsFinish(p *pointSet, orig []int32, start int32, t []int32) float64 {
	n := p.n
	q := int32(0)
	for t[q] != start {
		q++
	}
	if q != 0 {
		reverse32(t[:q])
		reverse32(t[q:n])
		reverse32(t[:n])
	}
	if n >= 3 && orig[t[1]] > orig[t[n-1]] {
		reverse32(t[1:n])
	}
	return p.cycleLength(t)
}
