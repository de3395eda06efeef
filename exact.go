package tsp

import (
	"math"
	"slices"
)

// Exact: depth-first branch and bound with the Held–Karp lower bound.
//
// The bound. A 1-tree is a minimum spanning tree on the cities 1..n-1 (Prim
// from city 1, ties to the lowest index) plus the two cheapest edges at
// city 0. With node penalties pi, edge (i,j) costs d[i][j] + pi[i] + pi[j]
// and L(pi) = cost of the 1-tree − 2·Σpi is a lower bound on every tour.
// Subgradient ascent raises it: pi[i] += t·(deg[i] − 2) with
// t = λ·(UB − L)/Σ(deg−2)², λ halved after `period` iterations without a
// better L: at the root 900 + 12n iterations with period n (300 + 4n
// until issue 16's eleventh session: λ had halved only some six times when
// it ended, short of its floor, and the root bound of ftv70 was 1,889
// where the converged one is 1,909; on 54 instances of 17 to 202 cities
// the nodes went from 47,272 to 40,033, kroA100's open path from 3,495 to
// 1,759, ftv70 from 3,562 to 2,977, but gr96 to its last city from 2,051
// to 2,779; 2 and 5 times the steps took more nodes than either), at every
// other node at most 90 with period 6 (40 iterations that never halved λ
// took kroA100 18,342 nodes, 150 with period 10 6,629 and, after the
// ninth session, 4,501; 90 with period 6 takes 3,009 and a third less
// time: a child that is not pruned runs the whole schedule of λ, 86% of
// all iterations with period 10, and on 19 instances of 44 to 124 cities
// the total CPU time fell from 17.6 to 13.5 s, issue 15's tenth session).
// A 1-tree in which every degree is 2 is a tour, optimal for its
// subproblem.
//
// The spanning tree. While more than a quarter of the edges are free or
// included, Prim's algorithm scans all n cities at each step. Once
// eliminations and branching have excluded the rest (after the root's
// eliminations a city of kroA100 keeps some four edges), Kruskal's
// algorithm runs over the edges left (kruskal): the included ones, then
// the free ones by weight under the penalties, then by index, each taken
// unless it closes a cycle (union-find). The edges stay sorted from one
// step to the next by an insertion sort, since the penalties move little;
// the order is total, so the tree does not depend on how it is sorted.
// Inside an ascent only the weight and the degrees are needed; the tree is
// rooted at city 1 (rootTree) only for the steps that follow an ascent, and
// Prim's state of each city is set only then (issue 16's eleventh session,
// with two changes of the same kind: the weights are computed inside the
// insertion sort's pass, and the eliminations on the sparse tree walk each
// free edge's tree path instead of filling mx for all n² pairs; kroA100's
// open path then took 4.83 G instructions instead of 5.54 G, the same
// nodes).
// Both algorithms give a minimum 1-tree, not always the same one where
// weights tie, and every kernel runs the same one, so the search is the
// same on every backend. Kruskal replaced a Prim over the same edges that
// scanned its frontier (issue 15, ninth session): 1.1 to 1.8 times faster
// at the same nodes.
//
// How the sparse 1-tree became cheaper (issue 16's sixteenth session;
// ftv70 1.30 s → 0.85 s, every tree, sum, bound and node count unchanged,
// which the differential tests and TestKruskalMatchesPlainKruskal check).
// Kruskal runs once an ascent on components: the included edges make
// paths, which kruskal takes first anyway (contract). Between two
// components it keeps only a bundle's lightest edge, since the others
// always close a cycle (ftv70: 176 bundles for 214 edges a step). A union
// relabels the smaller set of components instead of a union-find (no loops
// to find a set). The insertion sort inserts only the keys below the
// largest key before them, listed by a pass without branches. The C and
// C++ kernels do the same (hk_contract and hk_kruskal in tsp.c, Contract
// and Kruskal in tsp.cpp). The rest is Go's alone, against Go's register
// pressure, while the C kernels' Prim stays as issue 19 tuned it for
// WebAssembly: the sort and the scan are functions of their own over
// packed keys, so that Go keeps their values in registers; Prim skips the
// cities it has added, and reads no edge states while none is set (the
// root's ascent); city 0's edges, the penalties' sum and the walks of the
// eliminations read short lists; and the penalties' update has no test of
// g ≠ 0 (pi + t·0 is pi, to the bit: pi is never −0).
//
// The search. Edges are free, included or excluded. A node branches on the
// city v of branchCity (the one whose children the rises below predict to
// survive least; the city of highest 1-tree degree until issue 15's tenth
// session, which took kroA100 3,009 nodes where this takes 849, kroA100
// to its last city 6,054 where this takes 1,636, ftv70 21,920 where this
// takes 3,562, gr202 4,574 where this takes 840, but 100 random cities of
// seed 8 3,857 where this takes 8,227) and its free
// 1-tree edges e1, e2 sorted by what excluding each alone would add to the
// 1-tree, least first (rise; nearest first until issue 15's ninth session,
// which took kroA100 to its last city 9,217 nodes where this takes 6,954,
// 100 random cities of seed 8 8,331 where this takes 3,117, kro124p 1,276
// where this takes 468): children (e1 in, e2 in),
// (e1 in, e2 out), (e1 out), tried in that order; if v already has an
// included edge, (e1 in), (e1 out). Including an edge excludes the edge that
// would close a short cycle and, at a city with two included edges, all its
// other edges. A child's ascent starts from its parent's best penalties.
// After each ascent, every free edge whose 1-tree with that edge forced in
// already costs more than the limit is excluded (reduced-cost elimination),
// and every free tree edge whose exclusion alone would raise the 1-tree
// above the limit is included, as are both edges of a city with only two
// left (forceEdges; the node's 1-tree is then computed again under the
// same penalties, which can only raise it, and eliminations run again, up
// to three rounds). Including what every better tour must hold made
// kroA100 5,579 nodes instead of 6,629, kro124p 404 instead of 3,825
// (issue 15, ninth session).
//
// The first upper bound is the best TwoOpt tour over every start city, the
// given start first. When the root's ascent does not close the search, 20n
// kicks of the iterated search (Iterated's, seed 1, from the given start)
// improve it before the branching (kick): kroA100 then takes 4,541 nodes
// instead of 5,579, 100 random cities of seed 8 8,331 instead of 22,793
// (issue 15, ninth session; the step of every ascent still aims at the
// best tour so far, as before). A node is pruned when its bound exceeds
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
	hkRootIterations = 900       // plus hkRootPerCity per city
	hkRootPerCity    = 12
	hkChildIters     = 90
	hkChildPeriod    = 6 // λ halves after this many steps without a better bound
	hkTightenRounds  = 3
	hkKicksPerCity   = 20 // the kicks of the iterated search after the root
	hkKickSeed       = 1
)

type hkFrame struct {
	mark  int32   // undo height after this node's constraints and eliminations
	bound float64 // the node's lower bound
	v     int32   // branching city
	a, b  int32   // its first and second free 1-tree edges: (v,a), (v,b)
	next  int32   // next child to try
	nch   int32   // children: 3, or 2 when v already had an included edge
	// eFrom, eTo: the node's edges that were not excluded when it was
	// pushed, fEd[eFrom:eTo] (none when its 1-tree was not sparse)
	eFrom, eTo int32
	eOK        bool
}

// hkPair is an edge (i, j), 0 < i < j.
type hkPair struct{ i, j int32 }

// hkVertex is Prim's state of one city. The four fields live together so
// that the O(n²) loop of oneTree holds one pointer instead of four, and Go
// can keep its values in registers; the C kernel has the same struct
// (hkvx: compiled to WebAssembly, one bounds check covers a city's four
// fields, where four arrays took four; wasm-c's random25 Exact 8.11 M → 7.66
// M instructions a solve, issue 19's fifteenth session), the C++ kernel
// four arrays.
type hkVertex struct {
	key    float64 // the weight of the edge (parent, v)
	parent int32   // -1 while v has no edge to the tree
	forced bool    // the edge (parent, v) is included
	done   bool    // v is in the tree
}

// hkEdge is an edge of the sparse 1-tree: its distance, its cities and
// whether it is included (in kEd, kF, tree), or its place in kEd (in
// bEdge).
type hkEdge struct {
	d    float64
	i, j int32
	in   bool
	id   int32
}

// hkKey is a bundle of the sparse 1-tree, as contract sorts them: its
// weight under the penalties (its lightest edge's), the bundle and its two
// components.
type hkKey struct {
	w      float64
	b      int32
	ci, cj uint16 // n ≤ MaxExact
}

// meta packs the key's bundle and components into one word, as kruskal's
// keys hold them (km): b in the low 32 bits, ci and cj above.
func (x hkKey) meta() uint64 {
	return uint64(uint32(x.b)) | uint64(x.ci)<<32 | uint64(x.cj)<<48
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
	// the sparse 1-tree (Kruskal): the edges of cities 1..n-1 that are
	// not excluded
	kEd   []hkEdge  // free edges (0 < i < j), in index order
	kE    []hkKey   // scratch of contract: the bundles
	kw    []float64 // kruskal's keys, one per bundle, sorted: the weight,
	km    []uint64  // and the bundle (hkKey.meta)
	kF    []hkEdge  // included edges (0 < i < j)
	fEd   []hkPair  // the frames' edge lists (hkFrame.eFrom), stacked
	scr   []hkPair  // scratch of tighten: the edges of kF and kEd
	src   []hkPair  // the edges buildAdj reads when srcOK, else all n² states
	srcOK bool
	uf    []int32 // union-find of contract
	// contract's graph: the included edges' paths as components, the
	// free edges between two components in bundles (kruskal)
	kFt     []hkEdge // the included edges kruskal takes (kF less any that closes a cycle)
	fDeg    []int32  // each city's degree in kFt
	comp    []int32  // each city's component
	nComp   int32
	bStart  []int32   // bundle b's edges: bEdge[bStart[b]:bStart[b+1]], in index order
	bEdge   []hkEdge  // (their place in kEd is bEdge[q].id)
	nSingle int32     // bundles 0..nSingle-1 have one edge
	bW      []float64 // each bundle's weight: its lightest edge's (then lowest index)
	bRep    []int32   // and that edge
	pairB   []int32   // scratch of contract: the bundle of a pair of components, or -1
	bOf     []int32   // scratch of contract: each free edge's bundle
	bComp   []hkKey   // scratch of contract: each bundle's components
	bRen    []int32   // scratch of contract: each bundle's new number
	bTmp    []int32   // scratch of contract
	sets    []hkSet   // kruskal's sets of components
	mv      []int32   // scratch of sortKeys
	tIds    []int32   // the free edges kruskal took, in order
	psum    float64   // Σpi, when kruskal computed it
	zero    []int32   // the cities u whose edge (0, u) is not excluded (buildAdj)
	rem     []int32   // scratch of oneTree: the cities Prim has not added
	par     []int32   // each city's parent (eliminateSparse, computeCover)
	fk      []float64 // each city's free key (eliminateSparse)
	tree    []hkEdge  // the tree's edges, in the order taken
	tStart  []int32   // the tree's adjacency: tNb[tStart[v]:tStart[v+1]]
	tNb     []int32
	tFill   []int32
	depth   []int32   // depth of each city in the tree from city 1
	cover   []float64 // cover[v]: the lightest free non-tree edge whose tree path holds (parent(v), v)
	sparse  bool
	paired  bool      // more than half the cities had an included edge after the root (branchCity)
	rs      []float64 // scratch of branchCity: a city's rises, sorted
	ub      float64
	lim     float64
	integer bool
	best    []int32
	wn      float64
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
		uf: make([]int32, n), tStart: make([]int32, n+1), tNb: make([]int32, 2*n), tFill: make([]int32, n),
		rem: make([]int32, 0, n), fDeg: make([]int32, n), comp: make([]int32, n), tIds: make([]int32, 0, n),
		sets: make([]hkSet, n), par: make([]int32, n), fk: make([]float64, n), depth: make([]int32, n), cover: make([]float64, n), rs: make([]float64, n)}
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
	iters := hkRootIterations + hkRootPerCity*n
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
	bound, ok := h.tighten(bound)
	if !ok {
		return codeOK
	}
	if n >= iteratedMinN && !h.kick(start) {
		if bound > 0 {
			*lowerBound = bound
		}
		return codeStopped
	}
	paired := int32(0)
	for i := int32(0); i < n; i++ {
		if h.inDeg[i] > 0 {
			paired++
		}
	}
	h.paired = 2*paired > n
	h.pushFrame(bound)
	return h.search(lowerBound)
}

// kick improves the upper bound, once the root has not closed, with the
// iterated search (Iterated's kicks: hkKicksPerCity·n of them from start,
// seed hkKickSeed), without reporting its own progress: only a tour
// shorter than the best so far is reported. It returns false when the
// cancel flag stopped it (its best tour is still taken).
func (h *heldKarp) kick(start int32) bool {
	k, n := h.k, h.n
	p := k.progress
	k.progress = nil
	ls := newLocalSearch(k)
	ls.three = !k.directed && n >= iteratedMinN
	ok := ls.twoOptFrom(start)
	if ok {
		ok = ls.kicks(hkKickSeed, int64(hkKicksPerCity)*int64(n), h.cyc) == codeOK
	} else {
		copy(h.cyc, ls.t)
	}
	k.progress = p
	if l := k.cycleLength(h.cyc); l < h.ub {
		h.setUB(l)
		copy(h.best, h.cyc)
		k.improved(l, k.nodes, h.best)
	}
	return ok
}

// search runs the depth-first branch and bound from the root frame.
func (h *heldKarp) search(lowerBound *float64) int32 {
	n := h.n
	for len(h.frames) > 0 {
		top := int32(len(h.frames) - 1)
		f := &h.frames[top]
		h.undoTo(f.mark)
		if f.next >= f.nch || f.bound > h.lim {
			h.fEd = h.fEd[:f.eFrom]
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
		h.src, h.srcOK = h.fEd[f.eFrom:f.eTo], f.eOK
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
		b, ok := h.tighten(b)
		if !ok {
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
	h.computeCover()
	v := h.branchCity()
	// its free 1-tree edges, the one whose exclusion raises the 1-tree
	// least first (ties to the lowest index)
	a, b := int32(-1), int32(-1)
	var ra, rb float64
	for u := int32(0); u < n; u++ {
		if u == v || h.state[v*n+u] != edgeFree || !h.treeEdge(v, u) {
			continue
		}
		r := h.rise(v, u)
		if a < 0 || r < ra {
			a, b, rb = u, a, ra
			ra = r
		} else if b < 0 || r < rb {
			b, rb = u, r
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
	from := int32(len(h.fEd))
	if h.sparse {
		h.fEd = h.mergeEdges(h.fEd)
	}
	h.frames = append(h.frames, hkFrame{mark: int32(len(h.undo)), bound: bound, v: v, a: a, b: b, nch: nch,
		eFrom: from, eTo: int32(len(h.fEd)), eOK: h.sparse})
}

// branchCity is the city to branch on: among the cities of 1-tree degree
// above 2, the one whose children the rises predict to survive least. The
// rises r1 ≤ r2 ≤ … of a city's free tree edges bound what each child adds
// to the 1-tree under the same penalties: (e1 out) r1, (e1 in, e2 out) r2,
// (e1 in, e2 in) the largest, since every other edge there goes out; with
// an included edge already, (e1 out) r1 and (e1 in) the largest. A child
// whose estimate e exceeds the gap (limit − 1-tree) is pruned at once;
// the others count 1 − e/gap each (1 when the gap is not positive), or 1
// each when the search is paired (more than half the cities had an
// included edge after the root: the ATSP transformation), where the
// finer count took kro124p 23,210 nodes instead of 1,356. The lowest
// count wins, then the largest r1, then the lowest index; with no city of
// degree above 2, the city of highest degree (ties to the lowest index).
func (h *heldKarp) branchCity() int32 {
	n := h.n
	gap := h.lim - h.treeL
	best, bestScore, bestMin := int32(-1), 0.0, 0.0
	rs := h.rs
	for v := int32(0); v < n; v++ {
		if h.deg[v] <= 2 {
			continue
		}
		m := 0
		for u := int32(0); u < n; u++ {
			if u == v || h.state[v*n+u] != edgeFree || !h.treeEdge(v, u) {
				continue
			}
			r := h.rise(v, u)
			q := m
			for q > 0 && rs[q-1] > r {
				rs[q] = rs[q-1]
				q--
			}
			rs[q] = r
			m++
		}
		if m == 0 {
			continue
		}
		var est [3]float64
		k := 0
		est[k] = rs[0]
		k++
		if h.inDeg[v] == 0 {
			est[k] = math.Inf(1)
			if m > 1 {
				est[k] = rs[1]
			}
			k++
		}
		est[k] = math.Inf(1)
		if m > k {
			est[k] = rs[m-1]
		}
		k++
		score := 0.0
		for _, e := range est[:k] {
			if !(e <= gap) {
				continue
			}
			if h.paired || !(gap > 0) {
				score += 1
			} else {
				score += 1 - e/gap
			}
		}
		if best < 0 || score < bestScore || (score == bestScore && rs[0] > bestMin) {
			best, bestScore, bestMin = v, score, rs[0]
		}
	}
	if best < 0 {
		best = 0
		for i := int32(1); i < n; i++ {
			if h.deg[i] > h.deg[best] {
				best = i
			}
		}
	}
	return best
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
func (h *heldKarp) oneTree(root bool) bool {
	n, d, pi, st := h.n, h.d, h.pi, h.state
	// Local slices of length n (and int indices) let the compiler drop the
	// bounds checks in the O(n²) loop below; the arithmetic and the order of
	// every comparison are exactly those of the C and C++ kernels.
	nn := int(n)
	vx, deg, pis := h.vx[:nn], h.deg[:nn], pi[:nn]
	sum := 0.0
	if h.sparse { // kruskal sets every degree; Prim's state is rootTree's to set
		var ok bool
		if sum, ok = h.kruskal(); !ok {
			return false
		}
		if root {
			h.rootTree()
		}
	} else {
		for v := range deg {
			deg[v] = 0
		}
		inf := math.Inf(1)
		for v := range vx {
			vx[v] = hkVertex{key: inf, parent: -1}
		}
		vx[1].done = true
		h.prim[0] = 1
		last := int32(1)
		rem := h.rem[:0]
		for u := int32(2); u < n; u++ {
			rem = append(rem, u)
		}
		for cnt := int32(1); cnt < n-1; cnt++ {
			row := int(last) * nn
			drow, srow := d[row:row+nn], st[row:row+nn]
			var best, m int
			var bestKey float64
			if len(h.undo) == 0 { // every edge is free: the root's ascent
				best, bestKey, m = primStepFree(vx, rem, drow, pis, last)
			} else {
				best, bestKey, m = primStep(vx, rem, drow, srow, pis, last)
			}
			rem = rem[:m]
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
	for _, u := range h.zero {
		s := st[u]
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
	if h.sparse {
		psum = h.psum
	} else {
		for i := int32(0); i < n; i++ {
			psum += pi[i]
		}
	}
	h.treeL = ((sum + w1) + w2) - float64(2*psum)
	return true
}

// primStep is one step of Prim's algorithm: it updates the cities not yet
// in the tree, rem in ascending order, with their edges to last (row drow of
// the matrix, row srow of the edge states), drops last from rem, and returns
// the city to add next and its key, or -1, and rem's new length. Included
// edges come before free ones, then the lower key, then the lower index.
// A function of its own, with few live values, so that Go keeps them in
// registers; rem spares it the cities already added (the C kernels test
// each city's done flag instead: the same cities in the same order).
//
//go:noinline
func primStep(vx []hkVertex, rem []int32, drow []float64, srow []int8, pis []float64, last int32) (int, float64, int) {
	drow, srow, pis = drow[:len(vx)], srow[:len(vx)], pis[:len(vx)]
	pl := pis[last]
	best := -1
	bestKey, bestForced := 0.0, false
	m := 0
	for _, u32 := range rem {
		if u32 == last {
			continue
		}
		rem[m] = u32
		m++
		u := int(u32)
		x := &vx[u]
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
	return best, bestKey, m
}

// primStepFree is primStep while every edge is free (no state is set:
// the root's ascent): no edge is included or excluded, so neither is read.
//
//go:noinline
func primStepFree(vx []hkVertex, rem []int32, drow []float64, pis []float64, last int32) (int, float64, int) {
	drow, pis = drow[:len(vx)], pis[:len(vx)]
	pl := pis[last]
	best := -1
	bestKey := 0.0
	m := 0
	for _, u32 := range rem {
		if u32 == last {
			continue
		}
		rem[m] = u32
		m++
		u := int(u32)
		x := &vx[u]
		if w := (drow[u] + pl) + pis[u]; w < x.key {
			x.key, x.parent = w, last
		}
		if x.parent >= 0 && (best < 0 || x.key < bestKey) {
			best, bestKey = u, x.key
		}
	}
	return best, bestKey, m
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
		if !h.oneTree(false) {
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
			if h.sparse {
				h.rootTree()
			}
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
		// pi + t·0 is pi: no test (the C kernels test g ≠ 0)
		pis, degs := h.pi[:n], h.deg[:n]
		for i, dg := range degs {
			pis[i] += float64(t * float64(dg-2))
		}
	}
	copy(h.pi, h.bestPi)
	h.oneTree(true) // the same states gave a 1-tree before, so this one exists
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
	if h.sparse {
		if !h.eliminateSparse() {
			return false
		}
		goto zero
	}
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
zero:
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

// eliminateSparse is eliminate's test of the edges between cities
// 1..n-1 on the sparse 1-tree: the free edges of the last ascent (a
// superset of those free now, in the same index order as the dense loop),
// each against the heaviest free tree edge on its tree path, found by
// walking up from both ends (as computeCover) instead of filling mx for
// every pair of cities: the same exclusions in the same order.
func (h *heldKarp) eliminateSparse() bool {
	n, pi, st, vx := h.n, h.pi, h.state, h.vx
	ninf := math.Inf(-1)
	L := h.treeL
	// the walk reads each city's parent, depth and free key (its tree
	// edge's weight when that edge is free, else -Inf) from three arrays
	// (exclusions change no tree edge)
	depth, par, fk := h.depth, h.par, h.fk
	depth[1] = 0
	par[1] = -1
	for c := int32(1); c < n-1; c++ {
		v := h.prim[c]
		p := vx[v].parent
		par[v] = p
		depth[v] = depth[p] + 1
		fk[v] = ninf
		if st[p*n+v] == edgeFree {
			fk[v] = vx[v].key
		}
	}
	for _, e := range h.kEd {
		i, j := e.i, e.j
		if st[i*n+j] != edgeFree || par[i] == j || par[j] == i {
			continue
		}
		m := ninf
		a, b := i, j
		for a != b {
			if depth[a] < depth[b] {
				a, b = b, a
			}
			if k := fk[a]; k > m {
				m = k
			}
			a = par[a]
		}
		if m == ninf {
			continue
		}
		w := (e.d + pi[i]) + pi[j]
		if (L+w)-m > h.lim && !h.exclude(i, j) {
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

// buildAdj lists, for the sparse 1-tree, the edges between cities 1..n-1
// that are not excluded (included ones in kF, free ones in kE), and
// chooses it when they are fewer than a quarter of all. The free edges are
// kept sorted by weight under the penalties, then by index: a total order,
// so the sorted list, and the tree Kruskal takes from it, is the same
// whatever sort makes it. When h.srcOK it reads the edges of h.src instead
// of the n² states: a child's ascent reads its parent's list (hkFrame's
// eFrom), tighten the lists it had; a node's states only move from free,
// so every edge that is not excluded is in them, in index order, and the
// lists come out as the full scan makes them (issue 16, fifteenth session:
// the scan was 9 % of ftv70's time).
func (h *heldKarp) buildAdj() {
	n, st := h.n, h.state
	m := int32(0)
	for i := int32(1); i < n; i++ {
		m += h.avail[i]
	}
	h.sparse = m <= (n-1)*(n-1)/4
	z := h.zero[:0]
	for u := int32(1); u < n; u++ {
		if st[u] != edgeOut {
			z = append(z, u)
		}
	}
	h.zero = z
	src, srcOK := h.src, h.srcOK
	h.src, h.srcOK = nil, false
	if !h.sparse {
		return
	}
	h.kE, h.kEd, h.kF = h.kE[:0], h.kEd[:0], h.kF[:0]
	if srcOK {
		// every edge that is not excluded is in src, in index order: the
		// states only moved from free since src was taken
		d := h.d
		for _, e := range src {
			x := e.i*n + e.j
			switch st[x] {
			case edgeIn:
				h.kF = append(h.kF, hkEdge{d: d[x], i: e.i, j: e.j, in: true})
			case edgeFree:
				h.kEd = append(h.kEd, hkEdge{d: d[x], i: e.i, j: e.j})
			}
		}
		h.contract()
		return
	}
	for i := int32(1); i < n; i++ {
		row, drow := st[i*n:i*n+n], h.d[i*n:i*n+n]
		for j := i + 1; j < n; j++ {
			switch row[j] {
			case edgeIn:
				h.kF = append(h.kF, hkEdge{d: drow[j], i: i, j: j, in: true})
			case edgeFree:
				h.kEd = append(h.kEd, hkEdge{d: drow[j], i: i, j: j})
			}
		}
	}
	h.contract()
}

var ZKickFirst = false

// mergeEdges appends to dst the edges of kF and kEd (each in index order)
// that are not excluded, in index order: after a sparse buildAdj, every
// edge that is not excluded.
func (h *heldKarp) mergeEdges(dst []hkPair) []hkPair {
	st, n := h.state, h.n
	f, e := h.kF, h.kEd
	for len(f) > 0 || len(e) > 0 {
		var x hkEdge
		if len(e) == 0 || (len(f) > 0 && (f[0].i < e[0].i || (f[0].i == e[0].i && f[0].j < e[0].j))) {
			x, f = f[0], f[1:]
		} else {
			x, e = e[0], e[1:]
		}
		if st[x.i*n+x.j] != edgeOut {
			dst = append(dst, hkPair{x.i, x.j})
		}
	}
	return dst
}

// contract prepares kruskal for the edges of buildAdj (kF, kEd), once an
// ascent or a tightening. kruskal takes the included edges first, in index
// order, each unless it closes a cycle (it never does: included edges form
// paths): those are kFt, and the paths they make of cities 1..n-1 are the
// components. A free edge inside a component would close a cycle, so
// kruskal never takes it. The free edges between the same two components
// are a bundle: of those, kruskal takes at most the first in its order
// (weight, then index), since after it the two components are joined, so
// it sorts one entry per bundle, weighed by that edge. Bundles of one edge
// come first. n ≤ MaxExact, so a component fits 16 bits.
func (h *heldKarp) contract() {
	n := h.n
	uf, fd, comp := h.uf, h.fDeg, h.comp
	for i := range uf {
		uf[i] = int32(i)
		fd[i] = 0
		comp[i] = -1
	}
	h.kFt = h.kFt[:0]
	for _, x := range h.kF {
		ri, rj := ufFind(uf, x.i), ufFind(uf, x.j)
		if ri == rj {
			continue
		}
		uf[ri] = rj
		fd[x.i]++
		fd[x.j]++
		h.kFt = append(h.kFt, x)
	}
	c := int32(0)
	for i := int32(1); i < n; i++ {
		r := ufFind(uf, i)
		if comp[r] < 0 {
			comp[r] = c
			c++
		}
		comp[i] = comp[r]
	}
	h.nComp = c
	// bundles, numbered first by their lowest edge: pairB[a*c+b] for the
	// components a < b, and each bundle's size in bStart
	ed := h.kEd
	if cap(h.pairB) < int(c*c) {
		h.pairB = make([]int32, c*c)
		for i := range h.pairB {
			h.pairB[i] = -1
		}
	}
	pb := h.pairB[:c*c]
	bOf := h.bOf[:0]
	bs := h.bStart[:0]
	cc := h.bComp[:0] // each bundle's components
	for _, e := range ed {
		a, b := comp[e.i], comp[e.j]
		if a == b {
			bOf = append(bOf, -1)
			continue
		}
		if a > b {
			a, b = b, a
		}
		x := pb[a*c+b]
		if x < 0 {
			x = int32(len(bs))
			pb[a*c+b] = x
			bs = append(bs, 0)
			cc = append(cc, hkKey{ci: uint16(a), cj: uint16(b)})
		}
		bs[x]++
		bOf = append(bOf, x)
	}
	nb := int32(len(bs))
	for _, x := range cc { // pairB back to -1
		pb[int32(x.ci)*c+int32(x.cj)] = -1
	}
	// renumber: bundles of one edge first, each group in its order
	ren := h.bRen[:0]
	ns := int32(0)
	for _, k := range bs {
		if k == 1 {
			ns++
		}
	}
	i1, i2 := int32(0), ns
	for _, k := range bs {
		if k == 1 {
			ren = append(ren, i1)
			i1++
		} else {
			ren = append(ren, i2)
			i2++
		}
	}
	h.nSingle = ns
	start := h.bTmp[:0] // each new bundle's first place in bEdge
	for range nb + 1 {
		start = append(start, 0)
	}
	for x, k := range bs {
		start[ren[x]+1] = k
	}
	for x := int32(1); x <= nb; x++ {
		start[x] += start[x-1]
	}
	bs = append(bs[:0], start...)
	if cap(h.bEdge) < int(bs[nb]) {
		h.bEdge = make([]hkEdge, bs[nb])
	}
	be := h.bEdge[:bs[nb]]
	for k, x := range bOf {
		if x < 0 {
			continue
		}
		y := ren[x]
		e := ed[k]
		e.id = int32(k)
		be[start[y]] = e
		start[y]++
	}
	h.bStart, h.bEdge, h.bOf, h.bComp, h.bRen, h.bTmp = bs, be, bOf, cc, ren, start
	// kE: one entry per bundle, sorted under the current penalties
	keys := h.kE[:0]
	for range nb {
		keys = append(keys, hkKey{})
	}
	for x, k := range cc {
		y := ren[x]
		keys[y] = hkKey{b: y, ci: k.ci, cj: k.cj}
	}
	h.kE = keys
	if cap(h.bW) < int(nb) {
		h.bW = make([]float64, nb)
		h.bRep = make([]int32, nb)
	}
	h.bW, h.bRep = h.bW[:nb], h.bRep[:nb]
	for b, e := range be[:ns] {
		h.bRep[b] = e.id // a bundle of one edge: always that edge
	}
	weigh(be, bs, ns, h.pi, h.bW, h.bRep)
	bw, br := h.bW, h.bRep
	for k := range keys {
		keys[k].w = bw[keys[k].b]
	}
	slices.SortFunc(keys, func(a, b hkKey) int {
		switch {
		case a.w < b.w:
			return -1
		case a.w > b.w:
			return 1
		}
		return int(br[a.b] - br[b.b])
	})
	h.kw, h.km = h.kw[:0], h.km[:0]
	for _, x := range keys {
		h.kw = append(h.kw, x.w)
		h.km = append(h.km, x.meta())
	}
}

// weigh sets each bundle's weight under the penalties pi, its lightest
// edge's (the lowest index among equal weights), and for a bundle of more
// than one edge (ns on) that edge's place in kEd (br). The bundles' edges
// are be[bs[b]:bs[b+1]], those of one edge first. A function of its own,
// as primStep.
//
//go:noinline
func weigh(be []hkEdge, bs []int32, ns int32, pi, bw []float64, br []int32) {
	for b := range bw[:ns] {
		e := &be[b]
		bw[b] = (e.d + pi[e.i]) + pi[e.j]
	}
	for b := int(ns); b < len(bw); b++ {
		s, t := bs[b], bs[b+1]
		e := &be[s]
		r, v := e.id, (e.d+pi[e.i])+pi[e.j]
		for q := s + 1; q < t; q++ { // in index order: ties keep the first
			e := &be[q]
			if x := (e.d + pi[e.i]) + pi[e.j]; x < v {
				r, v = e.id, x
			}
		}
		bw[b] = v
		br[b] = r
	}
}

// sortKeys sorts kruskal's keys, the weights kw and the bundles km
// (hkKey.meta), after it weighs each by its bundle (bw), by weight and
// then by the lightest edge's index (br), by insertion; mv is scratch of
// len(kw). A first pass, without branches, lists the keys that may have to
// move: a key need not move when it is above every key before it (sorting
// the keys before it does not change their maximum). Only those are
// inserted, so the branches that mispredict are the insertions' own. It
// is a function of its own over two arrays, with few live values, so that
// Go keeps them in registers (inside kruskal, over hkKey, it kept the
// insertion's place on the stack).
//
//go:noinline
func sortKeys(kw []float64, km []uint64, bw []float64, br []int32, mv []int32) {
	km, mv = km[:len(kw)], mv[:len(kw)]
	n := 0
	hi := int64(math.MinInt64) // the largest key so far, as an ordered integer
	for k := range kw {
		w := bw[int32(uint32(km[k]))]
		kw[k] = w
		// w's bits as an integer in w's order (-0 and +0 the same)
		x := int64(math.Float64bits(w))
		x ^= (x >> 63) & math.MaxInt64
		x -= x >> 63
		mv[n] = int32(k)
		if x <= hi { // a tie may move too, by its index
			n++
		}
		hi = max(hi, x)
	}
	for _, k := range mv[:n] {
		xw, xm := kw[k], km[k]
		xr := br[int32(uint32(xm))]
		q := int(k)
		for ; q > 0; q-- {
			yw := kw[q-1]
			if !(yw > xw || yw == xw && br[int32(uint32(km[q-1]))] > xr) {
				break
			}
			kw[q] = yw
			km[q] = km[q-1]
		}
		kw[q] = xw
		km[q] = xm
	}
}

// ufFind is the root of x's set, halving the path on the way.
func ufFind(uf []int32, x int32) int32 {
	for uf[x] != x {
		uf[x] = uf[uf[x]]
		x = uf[x]
	}
	return x
}

// kruskal is the spanning tree of cities 1..n-1 in oneTree over the edges
// of buildAdj: the included edges, in index order, then the free ones by
// weight (then index), each taken unless it closes a cycle. It runs on
// contract's components and bundles, which takes the same edges in the
// same order: kFt, then the bundles by weight (then their lightest edge's
// index), each bundle's lightest edge taken unless its components are
// joined already (a set of components carries a label, and a union
// relabels the smaller set: no loops to find a set). It sets every degree
// and h.psum (Σpi, in index order), keeps the free edges taken in tIds for
// rootTree, and returns the tree's weight (the same sum in the same order
// as one Kruskal over all edges) and false if the edges left do not connect
// the cities.
func (h *heldKarp) kruskal() (float64, bool) {
	pi, deg, ed := h.pi, h.deg, h.kEd
	copy(deg, h.fDeg) // early: deg's stores are done before the increments below read them
	bw, br := h.bW, h.bRep
	weigh(h.bEdge, h.bStart, h.nSingle, pi, bw, br)
	// the keys stay sorted from one step to the next by an insertion
	// sort, since the penalties move little
	kw, km := h.kw, h.km
	if cap(h.mv) < len(kw) {
		h.mv = make([]int32, len(kw))
	}
	sortKeys(kw, km, bw, br, h.mv[:len(kw)])
	c := h.nComp
	sets := h.sets[:c]
	for i := range sets {
		sets[i] = hkSet{lab: int32(i), head: int32(i), next: -1, size: 1}
	}
	// the included edges' sum and the penalties' sum: two chains of
	// additions in one loop
	sum, psum := 0.0, 0.0
	ft := h.kFt
	for i, p := range pi {
		psum += p
		if i < len(ft) {
			x := &ft[i]
			sum += (x.d + pi[x.i]) + pi[x.j]
		}
	}
	for i := len(pi); i < len(ft); i++ {
		x := &ft[i]
		sum += (x.d + pi[x.i]) + pi[x.j]
	}
	h.psum = psum
	need := int(c - 1)
	tl := h.tIds[:need]
	sum, taken := joinKeys(kw, km, br, sets, tl, sum)
	tl = tl[:taken]
	for _, id := range tl {
		e := &ed[id]
		deg[e.i]++
		deg[e.j]++
	}
	h.tIds = tl
	return sum, len(tl) == need
}

// hkSet is kruskal's state of one component: the label of its set, and,
// for a label, the first component of its set and the set's size; next
// links the components of a set.
type hkSet struct{ lab, head, next, size int32 }

// joinKeys is kruskal's scan of the sorted keys (kw, km): each key's
// bundle joins its two components unless they carry the same label; the
// smaller set takes the larger one's label. It adds each joining key's
// weight to sum, in order, writes its edge (br) to tl until tl is full,
// and returns the sum and the edges written. A function of its own, as
// sortKeys.
//
//go:noinline
func joinKeys(kw []float64, km []uint64, br []int32, sets []hkSet, tl []int32, sum float64) (float64, int) {
	t := 0
	kw = kw[:len(km)]
	for k, x := range km {
		if t == len(tl) {
			break
		}
		la, lb := sets[uint16(x>>32)].lab, sets[x>>48].lab
		if la == lb {
			continue
		}
		if sets[la].size < sets[lb].size {
			la, lb = lb, la
		}
		m := sets[lb].head
		for {
			sets[m].lab = la
			if sets[m].next < 0 {
				break
			}
			m = sets[m].next
		}
		sets[m].next = sets[la].head
		sets[la].head = sets[lb].head
		sets[la].size += sets[lb].size
		sum += kw[k]
		tl[t] = br[int32(uint32(x))]
		t++
	}
	return sum, t
}

// rootTree roots kruskal's tree at city 1, breadth first with each city's
// neighbours in the order their edges were taken, into h.prim, the
// parents and the keys (the edge weights under the penalties), as the
// dense Prim leaves them.
func (h *heldKarp) rootTree() {
	t := append(h.tree[:0], h.kFt...)
	for _, id := range h.tIds {
		t = append(t, h.kEd[id])
	}
	h.tree = t
	n, pi, vx := h.n, h.pi, h.vx
	inf := math.Inf(1)
	for v := range vx {
		vx[v] = hkVertex{key: inf, parent: -1}
	}
	ts, tn, fill := h.tStart, h.tNb, h.tFill
	for i := range ts {
		ts[i] = 0
	}
	for _, x := range h.tree {
		ts[x.i+1]++
		ts[x.j+1]++
	}
	for i := int32(1); i <= n; i++ {
		ts[i] += ts[i-1]
	}
	copy(fill, ts[:n])
	for k, x := range h.tree {
		tn[fill[x.i]] = int32(k)
		fill[x.i]++
		tn[fill[x.j]] = int32(k)
		fill[x.j]++
	}
	vx[1].done = true
	h.prim[0] = 1
	cnt := int32(1)
	for q := int32(0); q < cnt; q++ {
		v := h.prim[q]
		for _, k := range tn[ts[v]:ts[v+1]] {
			x := &h.tree[k]
			u := x.i
			if u == v {
				u = x.j
			}
			if vx[u].done {
				continue
			}
			vx[u] = hkVertex{key: (x.d + pi[x.i]) + pi[x.j], parent: v, forced: x.in, done: true}
			h.prim[cnt] = u
			cnt++
		}
	}
}

// tighten includes the edges every better tour of this node must hold
// (forceEdges). When it changed the edge states, it computes the 1-tree
// again under the same penalties, so that the branching sees a tree of the
// node as it now is, raises the bound to it and eliminates again. It
// returns the node's bound and false when the node is closed: infeasible,
// pruned, or solved by a tour.
func (h *heldKarp) tighten(bound float64) (float64, bool) {
	for round := 0; round < hkTightenRounds; round++ {
		changed, ok := h.forceEdges()
		if !ok {
			return bound, false
		}
		if !changed {
			return bound, true
		}
		if h.sparse {
			h.scr = h.mergeEdges(h.scr[:0])
			h.src, h.srcOK = h.scr, true
		}
		h.buildAdj()
		if !h.oneTree(true) {
			return bound, false
		}
		if L := h.treeL; L > bound {
			bound = L
		}
		if bound > h.lim {
			return bound, false
		}
		norm := int32(0)
		for i := int32(0); i < h.n; i++ {
			g := h.deg[i] - 2
			norm += g * g
		}
		if norm == 0 {
			h.tourFromTree()
			return bound, false
		}
		if !h.eliminate() {
			return bound, false
		}
	}
	return bound, true
}

// computeCover sets, for the current tree, cover[v]: the lightest free
// non-tree edge whose tree path holds the tree edge (parent(v), v), or
// +Inf (a walk up the tree from both ends of each free non-tree edge), and
// wn, the cheapest free edge of city 0 besides s1 and s2.
func (h *heldKarp) computeCover() {
	n, d, pi, st, vx := h.n, h.d, h.pi, h.state, h.vx
	inf := math.Inf(1)
	depth, cover, par := h.depth, h.cover, h.par
	depth[1] = 0
	cover[1] = inf
	par[1] = -1
	for c := int32(1); c < n-1; c++ {
		v := h.prim[c]
		p := vx[v].parent
		par[v] = p
		depth[v] = depth[p] + 1
		cover[v] = inf
	}
	cov := func(i, j int32) {
		if st[i*n+j] != edgeFree || par[i] == j || par[j] == i {
			return
		}
		w := (d[i*n+j] + pi[i]) + pi[j]
		a, b := i, j
		for a != b {
			if depth[a] < depth[b] {
				a, b = b, a
			}
			if w < cover[a] {
				cover[a] = w
			}
			a = par[a]
		}
	}
	if h.sparse { // the free edges of the last ascent, a superset, in the same order
		for _, e := range h.kEd {
			cov(e.i, e.j)
		}
	} else {
		for i := int32(1); i < n; i++ {
			for j := i + 1; j < n; j++ {
				cov(i, j)
			}
		}
	}
	h.wn = h.cheapestAtZero()
}

// cheapestAtZero is the weight of the cheapest free edge of city 0 besides
// s1 and s2, +Inf when there is none.
func (h *heldKarp) cheapestAtZero() float64 {
	n, d, pi, st := h.n, h.d, h.pi, h.state
	wn := math.Inf(1)
	for u := int32(1); u < n; u++ {
		if u == h.s1 || u == h.s2 || st[u] != edgeFree {
			continue
		}
		if w := (d[u] + pi[0]) + pi[u]; w < wn {
			wn = w
		}
	}
	return wn
}

// rise is what excluding the free tree edge (v,u) alone would add to the
// 1-tree under the same penalties: its replacement's weight minus its own
// (+Inf when nothing replaces it). computeCover must have run on this tree.
func (h *heldKarp) rise(v, u int32) float64 {
	if v == 0 || u == 0 {
		s := v + u
		if s == h.s1 {
			return h.wn - h.w1
		}
		return h.wn - h.w2
	}
	if h.vx[v].parent == u {
		return h.cover[v] - h.vx[v].key
	}
	return h.cover[u] - h.vx[u].key
}

// forceEdges includes every free 1-tree edge whose exclusion alone would
// raise the 1-tree above the limit, and both edges of a city that has only
// two left. Excluding tree edge (parent(v), v) replaces it by the lightest
// free non-tree edge whose tree path holds it (cover[v]; none: +Inf), so
// the 1-tree would cost L + cover[v] − key[v]; excluding a free edge of
// city 0 replaces it by the cheapest free edge there besides s1 and s2.
// It returns whether it changed a state, and false when an inclusion is
// infeasible (the node holds no better tour).
func (h *heldKarp) forceEdges() (bool, bool) {
	n, st, vx := h.n, h.state, h.vx
	cover := h.cover
	h.computeCover()
	L := h.treeL
	changed := false
	for c := int32(1); c < n-1; c++ {
		v := h.prim[c]
		p := vx[v].parent
		if st[p*n+v] != edgeFree {
			continue
		}
		if (L+cover[v])-vx[v].key > h.lim {
			changed = true
			if !h.include(v, p) {
				return true, false
			}
		}
	}
	wn := h.cheapestAtZero()
	for t, s := range [2]int32{h.s1, h.s2} {
		ws := h.w1
		if t == 1 {
			ws = h.w2
		}
		if st[s] == edgeFree && (L+wn)-ws > h.lim {
			changed = true
			if !h.include(0, s) {
				return true, false
			}
		}
	}
	for i := int32(0); i < n; i++ {
		if h.avail[i] != 2 || h.inDeg[i] == 2 {
			continue
		}
		for u := int32(0); u < n; u++ {
			if u != i && st[i*n+u] == edgeFree {
				changed = true
				if !h.include(i, u) {
					return true, false
				}
			}
		}
	}
	return changed, true
}
