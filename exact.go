package tsp

import "math"

// Exact: depth-first branch and bound with the Held–Karp lower bound.
//
// The bound. A 1-tree is a minimum spanning tree on the cities 1..n-1 (Prim
// from city 1, ties to the lowest index) plus the two cheapest edges at
// city 0. With node penalties pi, edge (i,j) costs d[i][j] + pi[i] + pi[j]
// and L(pi) = cost of the 1-tree − 2·Σpi is a lower bound on every tour.
// Subgradient ascent raises it: pi[i] += t·(deg[i] − 2) with
// t = λ·(UB − L)/Σ(deg−2)², λ halved after `period` iterations without a
// better L: at the root 300 + 4n iterations with period n, at every other
// node at most 150 with period 10 (40 iterations that never halved λ
// took kroA100 18,342 nodes, these 6,629). A 1-tree in which every degree
// is 2 is a tour, optimal for its subproblem.
//
// Prim's algorithm scans all n cities at each step while more than a
// quarter of the edges are free or included; once eliminations and
// branching have excluded the rest, it runs over the remaining edges and
// scans only the frontier, the cities with an edge to the tree (primSparse).
// Both take the same city at each step, so the tree, its sums and the
// search are the same either way; the sparse Prim made gr96 2.3 times
// faster with a binary heap (issue 15, seventh session), and the frontier
// scan instead of the heap 1.4 to 2 times faster again (eighth session).
//
// The search. Edges are free, included or excluded. A node branches on the
// city v of highest 1-tree degree (ties to the lowest index) and its free
// 1-tree edges e1, e2 sorted nearest first: children (e1 in, e2 in),
// (e1 in, e2 out), (e1 out), tried in that order; if v already has an
// included edge, (e1 in), (e1 out). Including an edge excludes the edge that
// would close a short cycle and, at a city with two included edges, all its
// other edges. A child's ascent starts from its parent's best penalties.
// After each ascent, every free edge whose 1-tree with that edge forced in
// already costs more than the limit is excluded (reduced-cost elimination).
//
// The first upper bound is the best TwoOpt tour over every start city, the
// given start first. A node is pruned when its bound exceeds
// UB − 1 + tol when every distance is an integer below 1e15 and UB < 1e8 (no
// better tour can be less than 1 shorter), and UB − tol otherwise, with
// tol = 1e-9·UB, or the smallest positive float64 when that is 0 (UB = 0, or
// 1e-9·UB underflows). The tolerance is relative, so the search is the same
// at every scale: an absolute 1e-9 (issue 13) pruned every node once tours
// were shorter than about 1e-9 and claimed the first upper bound optimal.
// Relative to UB it stays far above the rounding error of a bound (n terms
// of about UB/n, with penalties of that size: some n²·2⁻⁵³·UB, 7e-12·UB at
// 250 cities), and far below the difference between two tours of integer
// data at any scale; real-valued tours within 1e-9·UB of the best are
// taken as equal. The floor makes a bound equal to UB prune, which is
// exact where the floor applies: sums of subnormal numbers are exact.
// Matrices whose sums could overflow are refused (MaxTourLength); a
// non-finite 1-tree ends an ascent without a bound all the same.
//
// Nodes counts the root and every child whose ascent ran.

const (
	edgeFree int8 = 0
	edgeIn   int8 = 1
	edgeOut  int8 = -1
)

// ascent results
const (
	ascentOpen       = 0 // a bound below the limit: branch
	ascentClosed     = 1 // pruned, infeasible, or solved by a tour
	ascentStopped    = 2 // the cancel flag
	rootLambda       = 2.0
	childLambda      = 2.0
	minLambda        = 1e-4
	hkMaxIntegralUB  = 1e8
	hkTolerance      = 1e-9      // relative to the upper bound
	hkMinTolerance   = 0x1p-1074 // the smallest positive float64
	hkRootIterations = 300       // plus 4 per city
	hkChildIters     = 150
	hkChildPeriod    = 10 // λ halves after this many steps without a better bound
)

type hkFrame struct {
	mark  int32   // undo height after this node's constraints and eliminations
	bound float64 // the node's lower bound
	v     int32   // branching city
	a, b  int32   // its first and second free 1-tree edges: (v,a), (v,b)
	next  int32   // next child to try
	nch   int32   // children: 3, or 2 when v already had an included edge
}

// hkVertex is Prim's state of one city. The four fields live together so
// that the O(n²) loop of oneTree holds one pointer instead of four, and Go
// can keep its values in registers; the C and C++ kernels use four arrays.
type hkVertex struct {
	key    float64 // the weight of the edge (parent, v)
	parent int32   // -1 while v has no edge to the tree
	forced bool    // the edge (parent, v) is included
	done   bool    // v is in the tree
}

type heldKarp struct {
	k     *kernelState
	n     int32
	d     []float64
	state []int8  // n*n edge states, kept symmetric
	inc   []int32 // inc[i*2+s]: the included neighbours of i, in order of inclusion
	inDeg []int32 // included edges at i
	avail []int32 // edges at i that are not excluded
	undo  []int32 // edges (i*n+j, i<j) set from free, newest last

	pi      []float64
	bestPi  []float64
	piStack []float64 // the best penalties of each frame
	frames  []hkFrame

	// the current 1-tree
	vx     []hkVertex // Prim's state of each city
	prim   []int32    // cities 1..n-1 in the order Prim added them
	deg    []int32
	s1, s2 int32 // the neighbours of city 0
	w1, w2 float64
	treeL  float64
	mx     []float64 // mx[i*n+j]: heaviest free tree edge on the tree path i..j
	adj    []int32   // scratch: tour adjacency
	cyc    []int32   // scratch: a tour
	period int32
	// the sparse Prim: the edges of cities 1..n-1 that are not excluded,
	// and the cities not in the tree that have an edge to it (unordered)
	nbStart []int32
	nbList  []int32
	front   []int32
	sparse  bool
	ub      float64
	lim     float64
	integer bool
	best    []int32
}

func (k *kernelState) exact(start int32, order []int32, lowerBound *float64) int32 {
	n := k.n
	if n <= 3 {
		for i := int32(0); i < n; i++ {
			order[i] = i
		}
		k.nodes = 1
		return codeOK
	}
	h := newHeldKarp(k)
	code := h.solve(start, lowerBound)
	copy(order, h.best)
	return code
}

func newHeldKarp(k *kernelState) *heldKarp {
	n := k.n
	h := &heldKarp{k: k, n: n, d: k.d,
		state: make([]int8, n*n), inc: make([]int32, 2*n), inDeg: make([]int32, n), avail: make([]int32, n),
		pi: make([]float64, n), bestPi: make([]float64, n),
		vx:   make([]hkVertex, n),
		prim: make([]int32, n), deg: make([]int32, n), mx: make([]float64, n*n),
		adj: make([]int32, 2*n), cyc: make([]int32, n), best: make([]int32, n),
		nbStart: make([]int32, n+1), front: make([]int32, 0, n)}
	for i := int32(0); i < n; i++ {
		h.avail[i] = n - 1
	}
	h.integer = true
	for _, v := range h.d {
		if !(v < 1e15 && v == float64(int64(v))) {
			h.integer = false
			break
		}
	}
	h.period = n
	if h.period < 5 {
		h.period = 5
	}
	return h
}

func (h *heldKarp) setUB(v float64) {
	h.ub = v
	tol := float64(hkTolerance * v)
	if !(tol >= hkMinTolerance) { // v = 0, or 1e-9·v underflows
		tol = hkMinTolerance
	}
	if h.integer && v < hkMaxIntegralUB {
		h.lim = (v - 1) + tol
	} else {
		h.lim = v - tol
	}
}

func (h *heldKarp) solve(start int32, lowerBound *float64) int32 {
	n, k := h.n, h.k
	// First upper bound: TwoOpt from start, then from every other city.
	ls := newLocalSearch(k)
	stopped := false
	for i := int32(0); i < n; i++ {
		s := start + i
		if s >= n {
			s -= n
		}
		ok := ls.twoOptFrom(s)
		l := k.cycleLength(ls.t)
		if i == 0 || l < h.ub {
			h.setUB(l)
			copy(h.best, ls.t)
			k.improved(l, k.nodes, h.best)
		}
		if !ok {
			stopped = true
			break
		}
	}
	if stopped {
		*lowerBound = 0
		return codeStopped
	}
	// The root.
	k.nodes = 1
	iters := hkRootIterations + 4*n
	bound, res := h.ascent(iters, rootLambda, h.period)
	if res == ascentStopped {
		if bound > 0 {
			*lowerBound = bound
		}
		return codeStopped
	}
	k.bounded(min(bound, h.ub), h.ub, h.best)
	if res == ascentClosed || !h.eliminate() {
		return codeOK
	}
	h.pushFrame(bound)
	return h.search(lowerBound)
}

// search runs the depth-first branch and bound from the root frame.
func (h *heldKarp) search(lowerBound *float64) int32 {
	n := h.n
	for len(h.frames) > 0 {
		top := int32(len(h.frames) - 1)
		f := &h.frames[top]
		h.undoTo(f.mark)
		if f.next >= f.nch || f.bound > h.lim {
			h.frames = h.frames[:top]
			if h.k.progress != nil {
				h.openBound()
			}
			continue
		}
		c := f.next
		f.next++
		parentBound := f.bound
		copy(h.pi, h.piStack[top*n:top*n+n])
		if !h.applyChild(f, c) {
			continue
		}
		h.k.nodes++
		b, res := h.ascent(hkChildIters, childLambda, hkChildPeriod)
		if res == ascentStopped {
			lb := h.ub
			for i := int32(0); i <= top; i++ {
				g := &h.frames[i]
				if (g.next < g.nch || i == top) && g.bound < lb {
					lb = g.bound
				}
			}
			*lowerBound = lb
			return codeStopped
		}
		if res == ascentClosed {
			continue
		}
		if b < parentBound {
			b = parentBound
		}
		if b > h.lim || !h.eliminate() {
			continue
		}
		h.pushFrame(b)
	}
	return codeOK
}

func (h *heldKarp) applyChild(f *hkFrame, c int32) bool {
	switch {
	case c == 0 && f.nch == 3:
		return h.include(f.v, f.a) && h.include(f.v, f.b)
	case c == 1 && f.nch == 3:
		return h.include(f.v, f.a) && h.exclude(f.v, f.b)
	case c == 0:
		return h.include(f.v, f.a)
	}
	return h.exclude(f.v, f.a)
}

// pushFrame records a node to branch on, from the current 1-tree and pi.
func (h *heldKarp) pushFrame(bound float64) {
	n := h.n
	// the city of highest degree, ties to the lowest index
	v := int32(0)
	for i := int32(1); i < n; i++ {
		if h.deg[i] > h.deg[v] {
			v = i
		}
	}
	// its free 1-tree edges, nearest first (ties to the lowest index)
	a, b := int32(-1), int32(-1)
	for u := int32(0); u < n; u++ {
		if u == v || h.state[v*n+u] != edgeFree || !h.treeEdge(v, u) {
			continue
		}
		du := h.d[v*n+u]
		if a < 0 || du < h.d[v*n+a] {
			a, b = u, a
		} else if b < 0 || du < h.d[v*n+b] {
			b = u
		}
	}
	nch := int32(3)
	if h.inDeg[v] > 0 {
		nch = 2
	}
	top := int32(len(h.frames))
	if int32(len(h.piStack)) < (top+1)*n {
		h.piStack = append(h.piStack, h.pi...)
	} else {
		copy(h.piStack[top*n:top*n+n], h.pi)
	}
	h.frames = append(h.frames, hkFrame{mark: int32(len(h.undo)), bound: bound, v: v, a: a, b: b, nch: nch})
}

func (h *heldKarp) treeEdge(v, u int32) bool {
	if v == 0 {
		return u == h.s1 || u == h.s2
	}
	if u == 0 {
		return v == h.s1 || v == h.s2
	}
	return h.vx[v].parent == u || h.vx[u].parent == v
}

// oneTree computes the minimum 1-tree under h.pi and the edge states into
// key, parent, prim, deg, s1, s2, w1, w2 and treeL. It returns false if the
// states leave no 1-tree.
func (h *heldKarp) oneTree() bool {
	n, d, pi, st := h.n, h.d, h.pi, h.state
	// Local slices of length n (and int indices) let the compiler drop the
	// bounds checks in the O(n²) loop below; the arithmetic and the order of
	// every comparison are exactly those of the C and C++ kernels.
	nn := int(n)
	vx, deg, pis := h.vx[:nn], h.deg[:nn], pi[:nn]
	inf := math.Inf(1)
	for v := range vx {
		vx[v] = hkVertex{key: inf, parent: -1}
		deg[v] = 0
	}
	vx[1].done = true
	h.prim[0] = 1
	sum := 0.0
	if h.sparse {
		var ok bool
		if sum, ok = h.primSparse(); !ok {
			return false
		}
	} else {
		last := int32(1)
		for cnt := int32(1); cnt < n-1; cnt++ {
			row := int(last) * nn
			drow, srow := d[row:row+nn], st[row:row+nn]
			best, bestKey := primStep(vx, drow, srow, pis, last)
			if best < 0 {
				return false
			}
			vx[best].done = true
			h.prim[cnt] = int32(best)
			sum += bestKey
			deg[best]++
			deg[vx[best].parent]++
			last = int32(best)
		}
	}
	// city 0: its included edges first, then the cheapest free ones
	s1, s2 := int32(-1), int32(-1)
	c1, c2 := int32(-1), int32(-1)
	var w1, w2, wc1, wc2 float64
	for u := int32(1); u < n; u++ {
		s := st[u]
		if s == edgeOut {
			continue
		}
		w := (d[u] + pi[0]) + pi[u]
		if s == edgeIn {
			if s1 < 0 {
				s1, w1 = u, w
			} else {
				s2, w2 = u, w
			}
			continue
		}
		if c1 < 0 || w < wc1 {
			c2, wc2 = c1, wc1
			c1, wc1 = u, w
		} else if c2 < 0 || w < wc2 {
			c2, wc2 = u, w
		}
	}
	if s1 < 0 {
		s1, w1, s2, w2 = c1, wc1, c2, wc2
	} else if s2 < 0 {
		s2, w2 = c1, wc1
	}
	if s1 < 0 || s2 < 0 {
		return false
	}
	h.s1, h.s2, h.w1, h.w2 = s1, s2, w1, w2
	h.deg[0] = 2
	h.deg[s1]++
	h.deg[s2]++
	psum := 0.0
	for i := int32(0); i < n; i++ {
		psum += pi[i]
	}
	h.treeL = ((sum + w1) + w2) - float64(2*psum)
	return true
}

// primStep is one step of Prim's algorithm: it updates the cities not yet
// in the tree with their edges to last (row drow of the matrix, row srow of
// the edge states) and returns the city to add next and its key, or -1.
// Included edges come before free ones, then the lower key, then the lower
// index. A function of its own, with few live values, so that Go keeps them
// in registers.
//
//go:noinline
func primStep(vx []hkVertex, drow []float64, srow []int8, pis []float64, last int32) (int, float64) {
	drow, srow, pis = drow[:len(vx)], srow[:len(vx)], pis[:len(vx)]
	pl := pis[last]
	best := -1
	bestKey, bestForced := 0.0, false
	for u := 1; u < len(vx); u++ {
		x := &vx[u]
		if x.done {
			continue
		}
		if s := srow[u]; s != edgeOut {
			w := (drow[u] + pl) + pis[u]
			f := s == edgeIn
			if (f && !x.forced) || (f == x.forced && w < x.key) {
				x.key, x.forced, x.parent = w, f, last
			}
		}
		if x.parent >= 0 && (best < 0 || (x.forced && !bestForced) ||
			(x.forced == bestForced && x.key < bestKey)) {
			best, bestKey, bestForced = u, x.key, x.forced
		}
	}
	return best, bestKey
}

// ascent runs at most iters subgradient steps from h.pi. On ascentOpen it
// leaves h.pi at the best penalties and the 1-tree computed under them.
func (h *heldKarp) ascent(iters int32, lambda float64, period int32) (float64, int32) {
	n := h.n
	h.buildAdj()
	bestL := math.Inf(-1)
	since := int32(0)
	for it := int32(0); it < iters; it++ {
		if h.k.stopRequested() {
			return bestL, ascentStopped
		}
		if !h.oneTree() {
			return bestL, ascentClosed
		}
		L := h.treeL
		if !(L >= -math.MaxFloat64 && L <= math.MaxFloat64) {
			break // an overflow (checkDistances prevents it): no bound from these penalties
		}
		if L > bestL {
			bestL = L
			copy(h.bestPi, h.pi)
			since = 0
		} else {
			since++
			if since >= period {
				lambda *= 0.5
				since = 0
			}
		}
		norm := int32(0)
		for i := int32(0); i < n; i++ {
			g := h.deg[i] - 2
			norm += g * g
		}
		if norm == 0 {
			h.tourFromTree()
			return L, ascentClosed
		}
		if bestL > h.lim {
			return bestL, ascentClosed
		}
		if lambda < minLambda {
			break
		}
		t := lambda * (h.ub - L) / float64(norm)
		for i := int32(0); i < n; i++ {
			if g := h.deg[i] - 2; g != 0 {
				h.pi[i] += float64(t * float64(g))
			}
		}
	}
	copy(h.pi, h.bestPi)
	h.oneTree() // the same states gave a 1-tree before, so this one exists
	return bestL, ascentOpen
}

// tourFromTree takes the current 1-tree, in which every degree is 2, as a
// tour and keeps it if it is shorter than the best.
func (h *heldKarp) tourFromTree() {
	n := h.n
	for i := int32(0); i < 2*n; i++ {
		h.adj[i] = -1
	}
	link := func(a, b int32) {
		if h.adj[2*a] < 0 {
			h.adj[2*a] = b
		} else {
			h.adj[2*a+1] = b
		}
	}
	for v := int32(1); v < n; v++ {
		if p := h.vx[v].parent; p >= 0 {
			link(v, p)
			link(p, v)
		}
	}
	link(0, h.s1)
	link(h.s1, 0)
	link(0, h.s2)
	link(h.s2, 0)
	prev, cur := int32(-1), int32(0)
	for i := int32(0); i < n; i++ {
		h.cyc[i] = cur
		nx := h.adj[2*cur]
		if nx == prev {
			nx = h.adj[2*cur+1]
		}
		prev, cur = cur, nx
	}
	if l := h.k.cycleLength(h.cyc); l < h.ub {
		h.setUB(l)
		copy(h.best, h.cyc)
		h.k.improved(l, h.k.nodes, h.best)
	}
}

// openBound reports the search's proven lower bound after a subtree ends:
// the smallest bound of the frames with children left, or the best length
// when none is below it. It never decreases (a child's bound is at least
// its parent's), and only a rise is reported.
func (h *heldKarp) openBound() {
	lb := h.ub
	for i := range h.frames {
		if g := &h.frames[i]; g.next < g.nch && g.bound < lb {
			lb = g.bound
		}
	}
	h.k.bounded(lb, h.ub, h.best)
}

// eliminate excludes every free edge whose 1-tree with that edge forced in
// costs more than the limit. It returns false if that leaves a city with
// fewer than two edges.
func (h *heldKarp) eliminate() bool {
	n, d, pi, st, mx := h.n, h.d, h.pi, h.state, h.mx
	ninf := math.Inf(-1)
	L := h.treeL
	for c := int32(1); c < n-1; c++ {
		v := h.prim[c]
		p := h.vx[v].parent
		ew := ninf
		if st[p*n+v] == edgeFree {
			ew = h.vx[v].key
		}
		for q := int32(0); q < c; q++ {
			u := h.prim[q]
			m := ew
			if u != p {
				m = mx[p*n+u]
				if ew > m {
					m = ew
				}
			}
			mx[v*n+u] = m
			mx[u*n+v] = m
		}
	}
	for i := int32(1); i < n; i++ {
		for j := i + 1; j < n; j++ {
			if st[i*n+j] != edgeFree || h.vx[i].parent == j || h.vx[j].parent == i {
				continue
			}
			m := mx[i*n+j]
			if m == ninf {
				continue
			}
			w := (d[i*n+j] + pi[i]) + pi[j]
			if (L+w)-m > h.lim && !h.exclude(i, j) {
				return false
			}
		}
	}
	ws := ninf
	if st[h.s1] == edgeFree {
		ws = h.w1
	}
	if st[h.s2] == edgeFree && h.w2 > ws {
		ws = h.w2
	}
	if ws == ninf {
		return true
	}
	for j := int32(1); j < n; j++ {
		if j == h.s1 || j == h.s2 || st[j] != edgeFree {
			continue
		}
		w := (d[j] + pi[0]) + pi[j]
		if (L+w)-ws > h.lim && !h.exclude(0, j) {
			return false
		}
	}
	return true
}

func (h *heldKarp) set(i, j int32, s int8) {
	n := h.n
	h.state[i*n+j] = s
	h.state[j*n+i] = s
	if i < j {
		h.undo = append(h.undo, i*n+j)
	} else {
		h.undo = append(h.undo, j*n+i)
	}
}

func (h *heldKarp) undoTo(mark int32) {
	n := h.n
	for int32(len(h.undo)) > mark {
		e := h.undo[len(h.undo)-1]
		h.undo = h.undo[:len(h.undo)-1]
		i, j := e/n, e%n
		if h.state[e] == edgeIn {
			h.inDeg[i]--
			h.inDeg[j]--
		} else {
			h.avail[i]++
			h.avail[j]++
		}
		h.state[e] = edgeFree
		h.state[j*n+i] = edgeFree
	}
}

// exclude forbids edge (i,j). It returns false if that is infeasible.
func (h *heldKarp) exclude(i, j int32) bool {
	switch h.state[i*h.n+j] {
	case edgeOut:
		return true
	case edgeIn:
		return false
	}
	h.set(i, j, edgeOut)
	h.avail[i]--
	h.avail[j]--
	return h.avail[i] >= 2 && h.avail[j] >= 2
}

// include forces edge (i,j) and what follows from it. It returns false if
// that is infeasible.
func (h *heldKarp) include(i, j int32) bool {
	n := h.n
	switch h.state[i*n+j] {
	case edgeIn:
		return true
	case edgeOut:
		return false
	}
	if h.inDeg[i] == 2 || h.inDeg[j] == 2 {
		return false
	}
	h.set(i, j, edgeIn)
	h.inc[2*i+h.inDeg[i]] = j
	h.inDeg[i]++
	h.inc[2*j+h.inDeg[j]] = i
	h.inDeg[j]++
	ea, ca, cycle := h.walk(i, j)
	if cycle {
		return ca == n
	}
	eb, cb, _ := h.walk(j, i)
	// The path through (i,j) now runs from ea to eb. Unless it visits every
	// city, the edge (ea,eb) would close it into a short cycle. (A path of
	// the one edge (i,j) has ea = i and eb = j: nothing to exclude.)
	if ca+cb < n && ca+cb > 2 && !h.exclude(ea, eb) {
		return false
	}
	for _, v := range [2]int32{i, j} {
		if h.inDeg[v] == 2 {
			for u := int32(0); u < n; u++ {
				if u != v && h.state[v*n+u] == edgeFree && !h.exclude(v, u) {
					return false
				}
			}
		}
	}
	return true
}

// walk follows included edges from s, not back to from, to the end of the
// path. It returns the end, the number of cities from s to it, and whether
// the walk came back to from (a cycle; the count is then the cycle's).
func (h *heldKarp) walk(s, from int32) (int32, int32, bool) {
	prev, cur, cnt := from, s, int32(1)
	for {
		nx := int32(-1)
		for t := int32(0); t < h.inDeg[cur]; t++ {
			if y := h.inc[2*cur+t]; y != prev {
				nx = y
			}
		}
		if nx < 0 {
			return cur, cnt, false
		}
		if nx == from {
			return cur, cnt + 1, true
		}
		prev, cur = cur, nx
		cnt++
		if cnt > h.n {
			return cur, cnt, true
		}
	}
}

// buildAdj lists, for the sparse Prim, the edges between cities 1..n-1
// that are not excluded, and chooses the sparse Prim when they are fewer
// than a quarter of all. Both Prims give the same tree: the sparse one
// takes the same city at each step (included edges first, then the lower
// key, then the lower index), from the same keys.
func (h *heldKarp) buildAdj() {
	n, st := h.n, h.state
	m := int32(0)
	for i := int32(1); i < n; i++ {
		m += h.avail[i]
	}
	h.sparse = m <= (n-1)*(n-1)/4
	if !h.sparse {
		return
	}
	if h.nbList == nil {
		h.nbList = make([]int32, n*n)
	}
	m = 0
	for i := int32(1); i < n; i++ {
		h.nbStart[i] = m
		row := st[i*n : i*n+n]
		for j := int32(1); j < n; j++ {
			if j != i && row[j] != edgeOut {
				h.nbList[m] = j
				m++
			}
		}
	}
	h.nbStart[n] = m
}

// primSparse is the loop of Prim's algorithm in oneTree over the edge lists
// of buildAdj. Instead of scanning all n cities for the next one, it scans
// the frontier: the cities not yet in the tree that have an edge to it, in
// an unordered list (h.front). It takes the city the scan would take
// (included edges first, then the lower key, then the lower index), so the
// tree is the same. After eliminations a city has some four edges left
// and the frontier is short: this is cheaper than a binary heap, whose
// comparisons and moves took 40 % of the time.
func (h *heldKarp) primSparse() (float64, bool) {
	n, d, pi, st, vx, deg := h.n, h.d, h.pi, h.state, h.vx, h.deg
	fr := h.front[:0]
	sum := 0.0
	last := int32(1)
	for cnt := int32(1); cnt < n-1; cnt++ {
		pl := pi[last]
		row := last * n
		for _, u := range h.nbList[h.nbStart[last]:h.nbStart[last+1]] {
			x := &vx[u]
			if x.done {
				continue
			}
			w := (d[row+u] + pl) + pi[u]
			f := st[row+u] == edgeIn
			if (f && !x.forced) || (f == x.forced && w < x.key) {
				if x.parent < 0 {
					fr = append(fr, u)
				}
				x.key, x.forced, x.parent = w, f, last
			}
		}
		if len(fr) == 0 {
			return 0, false
		}
		bi, b := 0, fr[0]
		bk, bf := vx[b].key, vx[b].forced
		for i := 1; i < len(fr); i++ {
			u := fr[i]
			x := &vx[u]
			if (x.forced && !bf) || (x.forced == bf && (x.key < bk || (x.key == bk && u < b))) {
				bi, b, bk, bf = i, u, x.key, x.forced
			}
		}
		fr[bi] = fr[len(fr)-1]
		fr = fr[:len(fr)-1]
		vx[b].done = true
		h.prim[cnt] = b
		sum += bk
		deg[b]++
		deg[vx[b].parent]++
		last = b
	}
	h.front = fr
	return sum, true
}
