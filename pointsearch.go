package tsp

import "math"

// The local search and the iterated search of the coordinate kernel: the
// steps of TwoOpt and Iterated (localsearch.go, iterated.go) with each
// distance computed from the points, the nearest-neighbour tour and the
// neighbour lists from the k-d tree, and no full 2-opt pass (an O(n²) scan:
// the neighbour lists and the kicks find what it would). The tour, its
// positions, the don't-look-bit queue, the reversal of the shorter side,
// Or-opt's segment move and the journal of the kicks are the matrix
// search's own (a localSearch without a matrix).

// pointSearch is a localSearch whose distances come from p.
type pointSearch struct {
	*localSearch
	p   *pointSet
	tr  *kdTree
	nbd []float64 // nbd[i*kn+r]: the distance from i to nb[i*kn+r], as the k-d tree computed it

	// progress (tsp_solve_points_progress; k.progress nil: none): orig
	// maps the tree's numbering to the input's, prog is the tour mapped
	// for the call, base the length of the first tour (the local search's
	// length is base+gain), lastLen and lastMoves those of the last call.
	orig, prog []int32
	base       float64
	lastLen    float64
	lastMoves  uint64
	pops       uint64 // cities taken from the queue since the last call
}

// pointsRunReport: the first local search on points reports its tour
// every n/pointsRunReport cities it takes from its queue (if the tour
// changed; it takes 2n to 3n in all): a call costs O(n), a city taken
// O(k) distances.
const pointsRunReport = 2

// report calls the progress function with the tour in ps.t, of length l,
// mapped to the input's numbering, if l is below the last length reported
// (tsp.h: lengths strictly decrease).
func (ps *pointSearch) report(l float64) {
	if !(l < ps.lastLen) {
		return
	}
	ps.lastLen, ps.lastMoves = l, ps.moves
	for i, c := range ps.t {
		ps.prog[i] = ps.orig[c]
	}
	ps.k.improved(l, ps.moves, ps.prog)
}

func newPointSearch(k *kernelState, p *pointSet, tr *kdTree) *pointSearch {
	n := k.n
	ls := &localSearch{k: k, n: n, t: make([]int32, n), pos: make([]int32, n)}
	return &pointSearch{localSearch: ls, p: p, tr: tr}
}

// nearestInto is kernelState.nearestInto with the k-d tree: the same tour,
// the same polling, the same completion in index order when stopped.
func (ps *pointSearch) nearestInto(start int32) bool {
	n, t, tr := ps.n, ps.t, ps.tr
	t[0] = start
	tr.visit(start)
	cur := start
	for i := int32(1); i < n; i++ {
		if i&63 == 0 && ps.k.stopRequested() {
			for j := int32(0); j < n; j++ { // in the input's index order
				if c := tr.inv[j]; !tr.used[c] {
					t[i] = c
					i++
				}
			}
			return false
		}
		cur = tr.nearest(cur)
		t[i] = cur
		tr.visit(cur)
	}
	return true
}

// neighbours builds the neighbour lists from the k-d tree, polling the
// cancel flag every 256 cities, and eps from an upper bound of the
// distances (pointSet.dmax). It returns false if it was stopped.
func (ps *pointSearch) neighbours() bool {
	n := ps.n
	ps.kn = min(n-1, neighbourK)
	ps.nb = make([]int32, n*ps.kn)
	ps.nbd = make([]float64, n*ps.kn)
	for i := int32(0); i < n && ps.kn > 0; i++ {
		if i&255 == 0 && ps.k.stopRequested() {
			return false
		}
		ps.tr.neighbours(i, ps.nb[i*ps.kn:i*ps.kn+ps.kn], ps.nbd[i*ps.kn:i*ps.kn+ps.kn])
	}
	ps.eps = float64(1e-9 * ps.p.dmax())
	ps.queue, ps.inQ, ps.tmp = make([]int32, n), make([]bool, n), make([]int32, n)
	ps.tr = nil // no longer needed: its memory can go
	return true
}

// run is localSearch.run without the full 2-opt pass: rounds of the queue
// until a round applies no move. It returns false if it was stopped.
func (ps *pointSearch) run() bool {
	n := ps.n
	for i := int32(0); i < n; i++ {
		ps.pos[ps.t[i]] = i
	}
	if n < 4 {
		return true
	}
	polls := uint32(0)
	for {
		ps.head, ps.count = 0, 0
		for i := int32(0); i < n; i++ {
			ps.inQ[i] = false
		}
		for i := int32(0); i < n; i++ {
			ps.push(ps.t[i])
		}
		before := ps.moves
		if !ps.drain(&polls) {
			return false
		}
		if ps.moves == before {
			return true
		}
	}
}

// drain is localSearch.drain with the moves of this file.
func (ps *pointSearch) drain(polls *uint32) bool {
	for ps.count > 0 {
		*polls++
		if *polls&255 == 0 && ps.k.stopRequested() {
			return false
		}
		a := ps.pop()
		if ps.twoOptMove(a) || ps.orOptMove(a) {
			ps.moves++
			ps.push(a)
		}
		if ps.k.progress != nil && !ps.journalOn {
			// the first local search: a call every n/pointsRunReport cities
			// taken from the queue, if the tour changed since the last
			if ps.pops++; pointsRunReport*ps.pops >= uint64(ps.n) && ps.moves != ps.lastMoves {
				ps.pops = 0
				ps.report(ps.base + ps.gain)
			}
		}
	}
	return true
}

// twoOptMove is localSearch.twoOptMove.
func (ps *pointSearch) twoOptMove(a int32) bool {
	n, t := ps.n, ps.t
	pa := ps.pos[a]
	pb, pb1 := pa+1, pa-1
	if pb == n {
		pb = 0
	}
	if pb1 < 0 {
		pb1 = n - 1
	}
	b, b1 := t[pb], t[pb1]
	best, bc := ps.twoOptBest(pa, b, 1, -ps.eps, -1)
	var e int32
	if best1, c1 := ps.twoOptBest(pa, b1, -1, best, -1); c1 >= 0 {
		b, bc, e = b1, c1, ps.pred(c1)
		best = best1
		ps.reverse(a, e)
	} else if bc >= 0 {
		e = ps.succ(bc)
		ps.reverse(b, bc)
	} else {
		return false
	}
	ps.gain += best
	ps.push(a)
	ps.push(b)
	ps.push(bc)
	ps.push(e)
	return true
}

// twoOptBest is localSearch.twoOptBest.
func (ps *pointSearch) twoOptBest(pa, b, step int32, best float64, bc int32) (float64, int32) {
	n, p := ps.n, ps.p
	t, pos, nb := ps.t, ps.pos, ps.nb
	a := t[pa]
	dab := p.dist(a, b)
	for r, end := a*ps.kn, a*ps.kn+ps.kn; r < end; r++ {
		c := nb[r]
		dac := ps.nbd[r] // p.dist(a, c)
		if dac >= dab {
			break
		}
		pe := pos[c] + step
		if pe == n {
			pe = 0
		} else if pe < 0 {
			pe = n - 1
		}
		if c == b || pe == pa {
			continue
		}
		e := t[pe]
		if delta := ((dac + p.dist(b, e)) - dab) - p.dist(c, e); delta < best && delta >= -math.MaxFloat64 {
			best, bc = delta, c
		}
	}
	return best, bc
}

// orOptMove is localSearch.orOptMove.
func (ps *pointSearch) orOptMove(a int32) bool {
	n, p, eps := ps.n, ps.p, ps.eps
	t := ps.t[:n]
	pa := ps.pos[a]
	wrap := func(i int32) int32 {
		if i >= n {
			return i - n
		} else if i < 0 {
			return i + n
		}
		return i
	}
	try := func(q, s1, s2, x, ps1, sl int32) bool {
		gain := (p.dist(q, s1) + p.dist(s2, x)) - p.dist(q, x)
		return gain > eps && gain <= math.MaxFloat64 && ps.orOptScan(q, s1, s2, x, ps1, sl, gain)
	}
	b1, c1 := t[wrap(pa-1)], t[wrap(pa+1)]
	if try(b1, a, a, c1, pa, 1) {
		return true
	}
	if n < 5 {
		return false
	}
	b2 := t[wrap(pa-2)]
	if try(b2, b1, a, c1, wrap(pa-1), 2) {
		return true
	}
	c2 := t[wrap(pa+2)]
	if try(b1, a, c1, c2, pa, 2) {
		return true
	}
	if n < 6 {
		return false
	}
	b3 := t[wrap(pa-3)]
	if try(b3, b2, a, c1, wrap(pa-2), 3) {
		return true
	}
	c3 := t[wrap(pa+3)]
	return try(b1, a, c2, c3, pa, 3)
}

// orOptScan is localSearch.orOptScan for an undirected tour.
func (ps *pointSearch) orOptScan(q, s1, s2, x, ps1, sl int32, gain float64) bool {
	s := s1
	c, e := ps.orOptPlace(s1, s2, ps1, sl, gain)
	if c < 0 {
		s = s2
		if c, e = ps.orOptPlace(s2, s1, ps1, sl, gain); c < 0 {
			return false
		}
	}
	o := s2
	if s == s2 {
		o = s1
	}
	p := ps.p
	ps.gain += ((p.dist(s, c) + p.dist(o, e)) - p.dist(c, e)) - gain
	ps.moveSegment(s1, s2, sl, q, x, c, e, s)
	ps.push(q)
	ps.push(x)
	ps.push(s1)
	ps.push(s2)
	ps.push(c)
	ps.push(e)
	return true
}

// orOptPlace is localSearch.orOptPlace.
func (ps *pointSearch) orOptPlace(s, o, ps1, sl int32, gain float64) (int32, int32) {
	n, p, eps := ps.n, ps.p, ps.eps
	t, pos, nb := ps.t, ps.pos, ps.nb
	for r, end := s*ps.kn, s*ps.kn+ps.kn; r < end; r++ {
		c := nb[r]
		dsc := ps.nbd[r] // p.dist(s, c)
		if dsc >= gain {
			break
		}
		pc := pos[c]
		if off := pc - ps1; off >= 0 && off < sl || off < 0 && off+n < sl {
			continue
		}
		pe := pc + 1
		if pe == n {
			pe = 0
		}
		if off := pe - ps1; off >= sl || off < 0 && off+n >= sl {
			if e := t[pe]; improves(((dsc+p.dist(o, e))-p.dist(c, e))-gain, eps) {
				return c, e
			}
		}
		if pe = pc - 1; pe < 0 {
			pe = n - 1
		}
		if off := pe - ps1; off >= sl || off < 0 && off+n >= sl {
			if e := t[pe]; improves(((dsc+p.dist(o, e))-p.dist(c, e))-gain, eps) {
				return c, e
			}
		}
	}
	return -1, -1
}

// pointsKickReport: Iterated on points reports a shorter tour only when
// n/pointsKickReport kicks or more have passed since its last report (a
// report costs O(n), a kick O(1)).
const pointsKickReport = 16

// kicks is localSearch.kicks: double bridges local to a stretch of the
// tour, kept when the tour gets no longer, undone from the journal
// otherwise. The best tour is left in ps.t.
func (ps *pointSearch) kicks(seed uint64, budget int64) int32 {
	n := ps.n
	bestLen := ps.p.cycleLength(ps.t)
	cur := bestLen
	rng := splitMix64{seed}
	maxLen := min(int32(kickMaxLen), (n-2)/2)
	polls := uint32(0)
	ps.journalOn = true
	code := codeOK
	step, since := max(1, n/pointsKickReport), int32(0) // progress: at most a call every step kicks
	for kick := int64(0); budget <= 0 || kick < budget; kick++ {
		if ps.k.stopRequested() {
			code = codeStopped
			break
		}
		q := rng.below(n)
		l1 := 1 + rng.below(maxLen)
		l2 := 1 + rng.below(maxLen)
		cur += ps.doubleBridge(q, l1, l2)
		ps.gain = 0
		if !ps.drain(&polls) {
			ps.revert()
			code = codeStopped
			break
		}
		cur += ps.gain
		since++
		if diff := cur - bestLen; diff <= 0 && diff >= -math.MaxFloat64 {
			ps.journal = ps.journal[:0]
			bestLen = cur
			if diff < 0 && ps.k.progress != nil && since >= step {
				since = 0
				ps.report(cur)
			}
		} else {
			ps.revert()
			cur = bestLen
		}
	}
	ps.journalOn = false
	return code
}

// doubleBridge is localSearch.doubleBridge.
func (ps *pointSearch) doubleBridge(q, l1, l2 int32) float64 {
	n, p, t, tmp := ps.n, ps.p, ps.t, ps.tmp
	at := func(i int32) int32 {
		i += q
		if i >= n {
			i -= n
		}
		return t[i]
	}
	a, b1, bL := at(0), at(1), at(l1)
	c1, cL, dd := at(l1+1), at(l1+l2), at(l1+l2+1)
	delta := ((p.dist(a, c1) + p.dist(cL, b1)) + p.dist(bL, dd)) - ((p.dist(a, b1) + p.dist(bL, c1)) + p.dist(cL, dd))
	for i := int32(0); i < l1+l2; i++ {
		tmp[i] = at(1 + i)
	}
	w := q + 1
	for _, i := range [2][2]int32{{l1, l1 + l2}, {0, l1}} {
		for j := i[0]; j < i[1]; j++ {
			if w >= n {
				w -= n
			}
			ps.set(w, tmp[j])
			w++
		}
	}
	ps.push(a)
	ps.push(b1)
	ps.push(bL)
	ps.push(c1)
	ps.push(cL)
	ps.push(dd)
	return delta
}
