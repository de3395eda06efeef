package tsp

import (
	"math"

	"github.com/ffi4go/tsp/internal/abi"
	"github.com/ffi4go/tsp/internal/kmath"
)

// kdTree is the spatial index of the coordinate kernel: a balanced k-d tree
// over the points (the plane for EUC_2D, CEIL_2D and ATT; unit vectors in
// space for haversine and GEO), leaves of at most kdLeaf points, each node
// with its bounding box and the number of its points not yet visited by
// Nearest. Node 1 is the root and node i has children 2i and 2i+1, which
// split its range of idx at the middle along the widest side of its box.
//
// The queries are exact: a node is skipped only when a lower bound of the
// distance from the query to anything in its box exceeds the best distance
// found (not when it equals it, so that ties still go to the lowest index).
// On the plane the bound is the kernel's own distance formula applied to
// the gaps between the query and the box, which rounding cannot push above
// a true distance (every step is monotonic); on the sphere it is the angle
// of the chord to the box, less a margin far above the rounding errors. So
// the answers (the nearest unvisited city, the k nearest cities by distance
// then index) are those of a scan of the matrix row, whatever the shape of
// the tree.
type kdTree struct {
	p      *pointSet
	dim    int32
	u      []float64 // dim coordinates per point
	idx    []int32   // the points, in leaf order
	nl, nr []int32   // the range of idx of each node
	box    []float64 // per node: dim lows, then dim highs
	cnt    []int32   // per node: points not yet visited
	leafOf []int32   // the leaf of each point
	used   []bool    // visited by Nearest
	// orig[k] is the input index of point k and inv its inverse: the tree
	// numbers the points in leaf order, so that points near in space are
	// near in memory (renumber), and breaks ties by orig.
	orig, inv []int32
	// the query in progress
	q     int32
	best  int32
	bestD float64
	lst   []int32   // kNN: the neighbours found, by distance then index
	ld    []float64 // their distances
	found int32
}

// kdLeaf is the most points a leaf holds.
const kdLeaf = 8

// kdPoll: the build polls the cancel flag every kdPoll points of the
// coordinates and at every node of at least kdPoll points (before its
// selection), so that a stop during the build at a million cities lands
// within milliseconds. tsp.c and tsp.cpp poll at the same steps.
const kdPoll = 4096

// newKDTree builds the tree over p, polling k's cancel flag; nil when
// stopped.
func newKDTree(p *pointSet, k *kernelState) *kdTree {
	n := p.n
	t := &kdTree{p: p, dim: 2}
	if p.kind == abi.PointsHaversine || p.kind == abi.PointsGeo {
		t.dim = 3
	}
	dim := t.dim
	t.u = make([]float64, n*dim)
	for i := int32(0); i < n; i++ {
		if i&(kdPoll-1) == 0 && k.stopRequested() {
			return nil
		}
		u := t.u[i*dim : i*dim+dim]
		switch p.kind {
		case abi.PointsHaversine: // latitude φ, longitude λ: (cos φ cos λ, cos φ sin λ, sin φ)
			phi, lam := p.a[i]*degToRad, p.b[i]*degToRad
			u[0] = kmath.Cos(phi) * kmath.Cos(lam)
			u[1] = kmath.Cos(phi) * kmath.Sin(lam)
			u[2] = kmath.Sin(phi)
		case abi.PointsGeo: // the same, in TSPLIB's radians
			u[0] = kmath.Cos(p.a[i]) * kmath.Cos(p.b[i])
			u[1] = kmath.Cos(p.a[i]) * kmath.Sin(p.b[i])
			u[2] = kmath.Sin(p.a[i])
		default:
			u[0], u[1] = p.a[i], p.b[i]
		}
	}
	depth := int32(0)
	for s := n; s > kdLeaf; s = (s + 1) / 2 {
		depth++
	}
	nodes := int32(2) << depth
	t.idx = make([]int32, n)
	for i := range t.idx {
		t.idx[i] = int32(i)
	}
	t.nl, t.nr, t.cnt = make([]int32, nodes), make([]int32, nodes), make([]int32, nodes)
	t.box = make([]float64, nodes*2*dim)
	t.leafOf = make([]int32, n)
	t.used = make([]bool, n)
	if !t.build(k, 1, 0, n) {
		return nil
	}
	t.renumber()
	return t
}

// renumber numbers the points in leaf order: point k is the input's
// orig[k]. The tree's arrays, and t.p, follow; idx becomes the identity.
// Answers do not change (ties go by orig), but the searches then read
// memory mostly in order: at 200,000 cities the local search took half
// the time.
func (t *kdTree) renumber() {
	n, dim := t.p.n, t.dim
	t.orig = append([]int32(nil), t.idx...)
	t.inv = make([]int32, n)
	u := make([]float64, n*dim)
	leaf := make([]int32, n)
	for k, c := range t.orig {
		t.inv[c] = int32(k)
		copy(u[int32(k)*dim:int32(k)*dim+dim], t.u[c*dim:c*dim+dim])
		leaf[k] = t.leafOf[c]
		t.idx[k] = int32(k)
	}
	t.u, t.leafOf = u, leaf
	t.p = t.p.permuted(t.orig)
}

// build makes node over idx[l:r]; false when k's cancel flag stopped it.
func (t *kdTree) build(k *kernelState, node, l, r int32) bool {
	dim := t.dim
	t.nl[node], t.nr[node], t.cnt[node] = l, r, r-l
	b := t.box[node*2*dim : node*2*dim+2*dim]
	for k := int32(0); k < dim; k++ {
		b[k], b[dim+k] = t.u[t.idx[l]*dim+k], t.u[t.idx[l]*dim+k]
	}
	for i := l + 1; i < r; i++ {
		for k := int32(0); k < dim; k++ {
			v := t.u[t.idx[i]*dim+k]
			b[k], b[dim+k] = min(b[k], v), max(b[dim+k], v)
		}
	}
	if r-l <= kdLeaf {
		for i := l; i < r; i++ {
			t.leafOf[t.idx[i]] = node
		}
		return true
	}
	if r-l >= kdPoll && k.stopRequested() {
		return false
	}
	ax := int32(0)
	for k := int32(1); k < dim; k++ {
		if b[dim+k]-b[k] > b[dim+ax]-b[ax] {
			ax = k
		}
	}
	m := (l + r) / 2
	t.selectNth(l, r-1, m, ax)
	return t.build(k, 2*node, l, m) && t.build(k, 2*node+1, m, r)
}

// selectNth reorders idx[lo..hi] so that idx[m] holds the point whose
// coordinate ax is the m-th smallest, none above it before and none below
// it after (Wirth's selection, the middle element as pivot).
func (t *kdTree) selectNth(lo, hi, m, ax int32) {
	dim, u, idx := t.dim, t.u, t.idx
	for lo < hi {
		x := u[idx[m]*dim+ax]
		i, j := lo, hi
		for i <= j {
			for u[idx[i]*dim+ax] < x {
				i++
			}
			for x < u[idx[j]*dim+ax] {
				j--
			}
			if i <= j {
				idx[i], idx[j] = idx[j], idx[i]
				i++
				j--
			}
		}
		if j < m {
			lo = i
		}
		if m < i {
			hi = j
		}
	}
}

// gap is the distance from v to the interval [lo, hi] on one axis.
func gap(v, lo, hi float64) float64 {
	if v < lo {
		return lo - v
	}
	if v > hi {
		return v - hi
	}
	return 0
}

// bound is a lower bound of the distance from the query to any point in
// node's box.
func (t *kdTree) bound(node int32) float64 {
	dim := t.dim
	b := t.box[node*2*dim : node*2*dim+2*dim]
	q := t.u[t.q*dim : t.q*dim+dim]
	if dim == 2 {
		return t.p.planar(gap(q[0], b[0], b[2]), gap(q[1], b[1], b[3]))
	}
	s := 0.0
	for k := int32(0); k < 3; k++ {
		g := gap(q[k], b[k], b[3+k])
		s += g * g
	}
	// The chord (a lower bound of the angle), less margins for the rounding of the unit
	// vectors (1e-15 each) and of the distance formulas (haversine loses
	// up to 1e-8 radians near antipodes, GEO's arccosine near 0 and π).
	c := math.Sqrt(s)*(1-1e-12) - 4e-15
	if c <= 0 {
		return 0
	}
	a := c // the chord, never longer than the arc it spans (2·asin(c/2)): no arcsine here
	if t.p.kind == abi.PointsGeo {
		return max(0, geoRRR*(a-1e-7)-1e-3)
	}
	return max(0, t.p.r*(a*(1-1e-12)-1e-7))
}

// nearest returns the nearest point to q not yet visited (the lowest index
// among equals), -1 if there is none.
func (t *kdTree) nearest(q int32) int32 {
	t.q, t.best, t.bestD = q, -1, 0
	t.searchNearest(1)
	return t.best
}

func (t *kdTree) searchNearest(node int32) {
	if t.cnt[node] == 0 {
		return
	}
	if t.nr[node]-t.nl[node] <= kdLeaf {
		for i := t.nl[node]; i < t.nr[node]; i++ {
			c := t.idx[i]
			if t.used[c] {
				continue
			}
			if d := t.p.dist(t.q, c); t.best < 0 || d < t.bestD || d == t.bestD && t.orig[c] < t.orig[t.best] {
				t.best, t.bestD = c, d
			}
		}
		return
	}
	l, r := 2*node, 2*node+1
	bl, br := math.Inf(1), math.Inf(1)
	if t.cnt[l] > 0 {
		bl = t.bound(l)
	}
	if t.cnt[r] > 0 {
		br = t.bound(r)
	}
	if br < bl {
		l, r, bl, br = r, l, br, bl
	}
	if t.cnt[l] > 0 && (t.best < 0 || bl <= t.bestD) {
		t.searchNearest(l)
	}
	if t.cnt[r] > 0 && (t.best < 0 || br <= t.bestD) {
		t.searchNearest(r)
	}
}

// visit marks c visited.
func (t *kdTree) visit(c int32) {
	t.used[c] = true
	for node := t.leafOf[c]; node >= 1; node >>= 1 {
		t.cnt[node]--
	}
}

// neighbours fills lst with the len(lst) points nearest to q other than q,
// by distance then index (the lists of nearestList).
func (t *kdTree) neighbours(q int32, lst []int32, ld []float64) {
	t.q, t.lst, t.ld, t.found = q, lst, ld, 0
	t.searchK(1)
}

func (t *kdTree) searchK(node int32) {
	kn := int32(len(t.lst))
	if t.nr[node]-t.nl[node] <= kdLeaf {
		for i := t.nl[node]; i < t.nr[node]; i++ {
			if c := t.idx[i]; c != t.q {
				t.insert(c, t.p.dist(t.q, c), kn)
			}
		}
		return
	}
	l, r := 2*node, 2*node+1
	bl, br := t.bound(l), t.bound(r)
	if br < bl {
		l, r, bl, br = r, l, br, bl
	}
	if t.found < kn || bl <= t.ld[kn-1] {
		t.searchK(l)
	}
	if t.found < kn || br <= t.ld[kn-1] {
		t.searchK(r)
	}
}

// insert puts c at distance d into the list if it is among the kn nearest.
func (t *kdTree) insert(c int32, d float64, kn int32) {
	lst, ld := t.lst, t.ld
	if t.found == kn && (d > ld[kn-1] || d == ld[kn-1] && t.orig[c] > t.orig[lst[kn-1]]) {
		return
	}
	p := t.found
	if t.found < kn {
		t.found++
	} else {
		p = kn - 1
	}
	for p > 0 && (ld[p-1] > d || ld[p-1] == d && t.orig[lst[p-1]] > t.orig[c]) {
		lst[p], ld[p] = lst[p-1], ld[p-1]
		p--
	}
	lst[p], ld[p] = c, d
}
