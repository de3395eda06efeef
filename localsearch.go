package tsp

import "math"

// TwoOpt: the local search that improves the nearest-neighbour tour with
// 2-opt and Or-opt moves over 10-nearest neighbour lists with don't-look
// bits, then full 2-opt passes, until no move improves. It is deterministic:
// every scan runs in index order and every tie goes to the lowest index or
// the first found.

// Every test of an improvement is false for NaN and for -Inf (a gain
// computed from an overflow), so that no move can "improve" forever: a
// second line of defence, since validDistances refuses the matrices whose
// sums could overflow. On valid input these tests give the answers the
// plain comparisons gave.

// improves reports whether delta, the change of length of a move, is an
// improvement: below -eps, and finite.
func improves(delta, eps float64) bool {
	return delta < -eps && delta >= -math.MaxFloat64
}

// neighbourK is the length of each city's neighbour list.
const neighbourK = 10

// fullTwoOpt results
const (
	fullNone    int32 = 0 // no move applied
	fullApplied int32 = 1 // some moves applied
	fullStopped int32 = 2 // the cancel flag
)

// localSearch holds the buffers of 2-opt and Or-opt, reused across starts.
type localSearch struct {
	k     *kernelState
	n     int32 // k.n and k.d, kept here: one load instead of two in the hot paths
	d     []float64
	kn    int32   // neighbours per city: min(neighbourK, n-1)
	nb    []int32 // nb[i*kn+r]: the r-th nearest city to i (by distance, then index)
	t     []int32 // the tour
	pos   []int32 // pos[c]: where c stands in t
	queue []int32 // FIFO ring of cities whose don't-look bit is off
	inQ   []bool  // the don't-look bits, inverted
	tmp   []int32 // scratch for Or-opt
	used  []bool  // scratch for nearest
	eps   float64 // a move must gain more than this
	head  int32   // queue read index
	count int32   // queue length
	moves uint64  // improving moves applied
	gain  float64 // the sum of the changes of length of the moves applied (negative)
	ready bool    // the neighbour lists are built
	// journal lists (position, old city) of every write to t while
	// journalOn, so that Iterated can undo a kick that does not pay.
	journal   []int32
	journalOn bool
	// directed (TSP_DIRECTED): the matrix may be asymmetric, so no move
	// reverses a stretch of the tour: no 2-opt; Or-opt keeps the
	// segment's direction, placed with the help of nbIn as well as nb;
	// orThreeMove swaps two neighbouring stretches.
	directed bool
	nbIn     []int32 // nbIn[i*kn+r]: the r-th nearest city into i (by d[j][i], then index)
	// three (Iterated, undirected, n ≥ iteratedMinN): the moves are
	// threeOptMove's alone, and run makes no full 2-opt passes.
	three bool
}

func newLocalSearch(k *kernelState) *localSearch {
	n := k.n
	ls := &localSearch{k: k, n: n, d: k.d, t: make([]int32, n), pos: make([]int32, n),
		queue: make([]int32, n), inQ: make([]bool, n), tmp: make([]int32, n), used: make([]bool, n)}
	ls.kn = n - 1
	if ls.kn > neighbourK {
		ls.kn = neighbourK
	}
	ls.nb = make([]int32, n*ls.kn)
	if k.directed {
		ls.directed = true
		ls.nbIn = make([]int32, n*ls.kn)
	}
	return ls
}

// neighbours builds the neighbour lists and eps, polling the cancel flag
// every 16 cities (every 4 when directed). It returns false if it was
// stopped.
func (ls *localSearch) neighbours() bool {
	k := ls.k
	n, kn, d := k.n, ls.kn, k.d
	dmax := 0.0
	poll := int32(15)
	if ls.directed {
		poll = 3 // the lists into i read columns: a cache miss per value
	}
	for i := int32(0); i < n; i++ {
		if i&poll == 0 && k.stopRequested() {
			return false
		}
		// the cities nearest out of i: d[i][j], j = 0, 1, ...
		if m := nearestList(d, ls.nb[i*kn:i*kn+kn], n, i, i*n, 1); m > dmax {
			dmax = m
		}
		if ls.directed { // and into i: d[j][i]
			nearestList(d, ls.nbIn[i*kn:i*kn+kn], n, i, i, n)
		}
	}
	// Relative to the largest distance, so that the search takes the same
	// moves at every scale (an absolute 1e-9 below 1 stopped every move
	// once the distances were below about 1e-9). 0 when every distance is
	// 0 or 1e-9·dmax underflows: a move must then gain more than 0, which
	// the arithmetic decides exactly in that range.
	ls.eps = float64(1e-9 * dmax)
	ls.ready = true
	return true
}

// nearestList fills lst with the len(lst) cities j ≠ i of the least
// d[base+j*stride] (then the lowest index), by insertion into a sorted
// list, and returns the largest of those n-1 values: the cities nearest
// out of i with base i*n and stride 1, into i with base i and stride n.
func nearestList(d []float64, lst []int32, n, i, base, stride int32) float64 {
	kn := int32(len(lst))
	cnt := int32(0)
	dmax := 0.0
	for j := int32(0); j < n; j++ {
		if j == i {
			continue
		}
		dj := d[base+j*stride]
		if dj > dmax {
			dmax = dj
		}
		if cnt == kn && dj >= d[base+lst[kn-1]*stride] {
			continue
		}
		p := cnt
		if cnt < kn {
			cnt++
		} else {
			p = kn - 1
		}
		for p > 0 && d[base+lst[p-1]*stride] > dj {
			lst[p] = lst[p-1]
			p--
		}
		lst[p] = j
	}
	return dmax
}

func (ls *localSearch) succ(c int32) int32 {
	p := ls.pos[c] + 1
	if p == ls.n {
		p = 0
	}
	return ls.t[p]
}

func (ls *localSearch) pred(c int32) int32 {
	p := ls.pos[c] - 1
	if p < 0 {
		p = ls.n - 1
	}
	return ls.t[p]
}

func (ls *localSearch) push(c int32) {
	if ls.inQ[c] {
		return
	}
	ls.inQ[c] = true
	n := ls.n
	i := ls.head + ls.count
	if i >= n {
		i -= n
	}
	ls.queue[i] = c
	ls.count++
}

func (ls *localSearch) pop() int32 {
	c := ls.queue[ls.head]
	ls.head++
	if ls.head == ls.n {
		ls.head = 0
	}
	ls.count--
	ls.inQ[c] = false
	return c
}

// reverse turns the path from a to b (following succ) around. It reverses
// whichever of that path and the rest of the cycle is shorter, which gives
// the same cycle.
func (ls *localSearch) reverse(a, b int32) {
	n := ls.n
	i, j := ls.pos[a], ls.pos[b]
	l := j - i
	if l < 0 {
		l += n
	}
	l++ // cities on the path
	if 2*l > n {
		i, j = j+1, i-1
		if i == n {
			i = 0
		}
		if j < 0 {
			j = n - 1
		}
		l = n - l
	}
	t, pos := ls.t, ls.pos
	for s := int32(0); s < l/2; s++ {
		ci, cj := t[i], t[j]
		if ls.journalOn {
			ls.journal = append(ls.journal, i, ci, j, cj)
		}
		t[i], t[j] = cj, ci
		pos[cj], pos[ci] = i, j
		i++
		if i == n {
			i = 0
		}
		j--
		if j < 0 {
			j = n - 1
		}
	}
}

// twoOptMove looks at the 2-opt moves that give a a new neighbour c from
// its neighbour list, replacing the edge to succ(a) or the one to pred(a),
// and applies the best one (the first found among equals, succ(a) first).
func (ls *localSearch) twoOptMove(a int32) bool {
	if ls.directed {
		return false // it would reverse a stretch
	}
	n, t := ls.n, ls.t
	pa := ls.pos[a]
	pb, pb1 := pa+1, pa-1
	if pb == n {
		pb = 0
	}
	if pb1 < 0 {
		pb1 = n - 1
	}
	b, b1 := t[pb], t[pb1]
	// dir 0: a -> b=succ(a) ... c -> e=succ(c)  becomes  a -> c ... b -> e
	best, bc := ls.twoOptBest(pa, b, 1, -ls.eps, -1)
	// dir 1: e=pred(c) -> c ... b=pred(a) -> a  becomes  b -> e ... a -> c
	var e int32
	if best1, c1 := ls.twoOptBest(pa, b1, -1, best, -1); c1 >= 0 {
		b, bc, e = b1, c1, ls.pred(c1)
		best = best1
		ls.reverse(a, e)
	} else if bc >= 0 {
		e = ls.succ(bc)
		ls.reverse(b, bc)
	} else {
		return false
	}
	ls.gain += best
	ls.push(a)
	ls.push(b)
	ls.push(bc)
	ls.push(e)
	return true
}

// twoOptBest looks at the 2-opt moves that replace the edge (a, b), a at
// position pa, and an edge (c, e) by (a, c) and (b, e), for c from the
// neighbour list of a and e its successor (step 1) or predecessor (step -1).
// It returns the best move that gains more than -best, or best and bc; the
// first found among equals. A function of its own, with few live values,
// so that Go keeps them in registers.
//
//go:noinline
func (ls *localSearch) twoOptBest(pa, b, step int32, best float64, bc int32) (float64, int32) {
	n, d := ls.n, ls.d
	t, pos, nb := ls.t, ls.pos, ls.nb
	a := t[pa]
	ao, bo := a*n, b*n
	dab := d[ao+b]
	for r, end := a*ls.kn, a*ls.kn+ls.kn; r < end; r++ {
		c := nb[r]
		dac := d[ao+c]
		if dac >= dab {
			break
		}
		pe := pos[c] + step
		if pe == n {
			pe = 0
		} else if pe < 0 {
			pe = n - 1
		}
		if c == b || pe == pa { // e == a
			continue
		}
		e := t[pe]
		if delta := ((dac + d[bo+e]) - dab) - d[c*n+e]; delta < best && delta >= -math.MaxFloat64 {
			best, bc = delta, c
		}
	}
	return best, bc
}

// orOptMove tries to move the segment of 1, 2 or 3 cities that begins at a
// (following succ) next to one of the neighbours of its first or last city,
// in either orientation. It applies the first improving move. The segments
// are tried in the order of tsp.c: a, pred(a)..a, a..succ(a), then of 3
// cities the same way; one of sl cities only if n ≥ sl+3.
//
// The segments whose removal gains nothing are the common case. So this
// reads the cities around a once, computes the gains, and leaves the
// candidate scan to orOptScan: with few live values Go keeps them in
// registers.
func (ls *localSearch) orOptMove(a int32) bool {
	n, d, eps := ls.n, ls.d, ls.eps
	t := ls.t[:n]
	pa := ls.pos[a]
	wrap := func(i int32) int32 { // a position, for -n ≤ i < 2n
		if i >= n {
			return i - n
		} else if i < 0 {
			return i + n
		}
		return i
	}
	// gain of removing s1..s2 from between p and x; the scan unless it is
	// no gain
	try := func(p, s1, s2, x, ps1, sl int32) bool {
		gain := (d[p*n+s1] + d[s2*n+x]) - d[p*n+x]
		return gain > eps && gain <= math.MaxFloat64 && ls.orOptScan(p, s1, s2, x, ps1, sl, gain)
	}
	// bK = pred^K(a), cK = succ^K(a)
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

// orOptScan looks for the first improving place for the segment s1..s2 (sl
// cities from position ps1, between p and x, whose removal gains gain) and
// applies it. For each end s of the segment, each neighbour c of s, the two
// edges at c. The segment's own cities are never c or e.
func (ls *localSearch) orOptScan(p, s1, s2, x, ps1, sl int32, gain float64) bool {
	s, c, e := s1, int32(-1), int32(-1) // s touches c, the other end touches e
	if ls.directed {
		if c, e = ls.orOptPlaceDirected(s1, s2, ps1, sl, gain); c < 0 {
			return false
		}
	} else if c, e = ls.orOptPlace(s1, s2, ps1, sl, gain); c < 0 {
		s = s2
		if c, e = ls.orOptPlace(s2, s1, ps1, sl, gain); c < 0 {
			return false
		}
	}
	o := s2 // the other end of the segment, next to e
	if s == s2 {
		o = s1
	}
	n, d := ls.n, ls.d
	if ls.directed {
		ls.gain += ((d[c*n+s1] + d[s2*n+e]) - d[c*n+e]) - gain // the change orOptPlaceDirected tested
	} else {
		ls.gain += ((d[s*n+c] + d[o*n+e]) - d[c*n+e]) - gain // the change orOptPlace tested
	}
	ls.moveSegment(s1, s2, sl, p, x, c, e, s)
	ls.push(p)
	ls.push(x)
	ls.push(s1)
	ls.push(s2)
	ls.push(c)
	ls.push(e)
	return true
}

// orOptPlace returns the first place (c, e) that puts the segment that
// begins at position ps1 (sl cities, whose removal gains gain) between c and
// e with a gain, end s next to c and end o next to e: c runs through the
// neighbours of s and e is succ(c), then pred(c). It returns -1, -1 if there
// is none. A function of its own, with few live values, so that Go keeps
// them in registers; offsets rather than row slices, because a slice
// expression costs Go more than the bounds checks it saves here.
//
//go:noinline
func (ls *localSearch) orOptPlace(s, o, ps1, sl int32, gain float64) (int32, int32) {
	n, d, eps := ls.n, ls.d, ls.eps
	t, pos, nb := ls.t, ls.pos, ls.nb
	so, oo := s*n, o*n
	for r, end := s*ls.kn, s*ls.kn+ls.kn; r < end; r++ {
		c := nb[r]
		dsc := d[so+c]
		if dsc >= gain {
			break
		}
		pc := pos[c]
		if off := pc - ps1; off >= 0 && off < sl || off < 0 && off+n < sl {
			continue // c is in the segment
		}
		co := c * n
		// e = succ(c), then e = pred(c), unless e is in the segment;
		// written out twice, which Go compiles better than a loop
		pe := pc + 1
		if pe == n {
			pe = 0
		}
		if off := pe - ps1; off >= sl || off < 0 && off+n >= sl { // e is not in the segment
			if e := t[pe]; improves(((dsc+d[oo+e])-d[co+e])-gain, eps) {
				return c, e
			}
		}
		if pe = pc - 1; pe < 0 {
			pe = n - 1
		}
		if off := pe - ps1; off >= sl || off < 0 && off+n >= sl { // e is not in the segment
			if e := t[pe]; improves(((dsc+d[oo+e])-d[co+e])-gain, eps) {
				return c, e
			}
		}
	}
	return -1, -1
}

// orOptPlaceDirected is orOptPlace for a directed tour: the segment keeps
// its direction, c → s1 ... s2 → e with e = succ(c). It returns the first
// place with a gain among c from the cities nearest into s1, then e from
// the cities nearest out of s2, or -1, -1.
func (ls *localSearch) orOptPlaceDirected(s1, s2, ps1, sl int32, gain float64) (int32, int32) {
	n, d, eps := ls.n, ls.d, ls.eps
	t, pos := ls.t, ls.pos
	in := func(pc int32) bool { // position pc is in the segment
		off := pc - ps1
		return off >= 0 && off < sl || off < 0 && off+n < sl
	}
	for r, end := s1*ls.kn, s1*ls.kn+ls.kn; r < end; r++ {
		c := ls.nbIn[r]
		dcs := d[c*n+s1]
		if dcs >= gain {
			break
		}
		pc := pos[c]
		pe := pc + 1
		if pe == n {
			pe = 0
		}
		if in(pc) || in(pe) {
			continue
		}
		if e := t[pe]; improves(((dcs+d[s2*n+e])-d[c*n+e])-gain, eps) {
			return c, e
		}
	}
	for r, end := s2*ls.kn, s2*ls.kn+ls.kn; r < end; r++ {
		e := ls.nb[r]
		dse := d[s2*n+e]
		if dse >= gain {
			break
		}
		pe := pos[e]
		pc := pe - 1
		if pc < 0 {
			pc = n - 1
		}
		if in(pc) || in(pe) {
			continue
		}
		if c := t[pc]; improves(((d[c*n+s1]+dse)-d[c*n+e])-gain, eps) {
			return c, e
		}
	}
	return -1, -1
}

// moveSegment removes s1..s2 (sl cities, between p and x) and puts it
// between c and e, with s next to c. The cities between the segment and its
// new place shift by sl positions, on whichever side has fewer of them
// (ties: the side from x), so a move costs O(that distance), not O(n); the
// direction of the tour is kept.
func (ls *localSearch) moveSegment(s1, s2, sl, p, x, c, e, s int32) {
	n, t, pos := ls.n, ls.t, ls.pos
	mod := func(i int32) int32 { return (i%n + n) % n } // i ≥ -n
	var seg [3]int32
	seg[0] = s1
	if sl > 1 {
		seg[1] = ls.succ(s1)
	}
	if sl > 2 {
		seg[2] = ls.succ(seg[1])
	}
	u, first := c, s // the segment goes right after u, first next to it
	if ls.succ(c) != e {
		u = e
		if s == s1 {
			first = s2
		} else {
			first = s1
		}
	}
	ps1, pu := pos[s1], pos[u]
	fwd := mod(pu - ps1 - sl + 1) // cities from x to u
	bwd := n - sl - fwd           // cities from succ(u) to p
	var base int32
	if fwd <= bwd {
		for i := int32(0); i < fwd; i++ {
			ls.set(mod(ps1+i), t[mod(ps1+sl+i)])
		}
		base = mod(ps1 + fwd)
	} else {
		for i := bwd - 1; i >= 0; i-- {
			ls.set(mod(pu+1+i+sl), t[mod(pu+1+i)])
		}
		base = mod(pu + 1)
	}
	for q := int32(0); q < sl; q++ {
		city := seg[q]
		if first != s1 {
			city = seg[sl-1-q]
		}
		ls.set(mod(base+q), city)
	}
}

// set puts city c at position i, writing the old city to the journal when
// it is on.
func (ls *localSearch) set(i, c int32) {
	if ls.journalOn {
		ls.journal = append(ls.journal, i, ls.t[i])
	}
	ls.t[i] = c
	ls.pos[c] = i
}

// revert undoes every write in the journal, newest first, and empties it.
func (ls *localSearch) revert() {
	j := ls.journal
	for k := len(j) - 2; k >= 0; k -= 2 {
		i, c := j[k], j[k+1]
		ls.t[i] = c
		ls.pos[c] = i
	}
	ls.journal = j[:0]
}

// improve applies an improving move from a, if it finds one: 2-opt,
// Or-opt, the segment exchange (directed), in that order; threeOptMove
// alone when ls.three.
func (ls *localSearch) improve(a int32) bool {
	if ls.three {
		return ls.threeOptMove(a)
	}
	return ls.twoOptMove(a) || ls.orOptMove(a) || ls.orThreeMove(a)
}

// run improves the tour in ls.t until no move improves: rounds of the
// don't-look-bit queue, each starting with every city in tour order, until
// a round applies no move. It returns false if it was stopped.
func (ls *localSearch) run() bool {
	n := ls.n
	for i := int32(0); i < n; i++ {
		ls.pos[ls.t[i]] = i
		ls.inQ[i] = false
	}
	if n < 4 { // no move changes a cycle of 3 or fewer cities
		return true
	}
	polls := uint32(0)
	for {
		ls.head, ls.count = 0, 0
		for i := int32(0); i < n; i++ {
			ls.inQ[i] = false
		}
		for i := int32(0); i < n; i++ {
			ls.push(ls.t[i])
		}
		before := ls.moves
		for ls.count > 0 {
			polls++
			if polls&255 == 0 && ls.k.stopRequested() {
				return false
			}
			a := ls.pop()
			if ls.improve(a) {
				ls.moves++
				ls.push(a)
			}
		}
		if ls.moves != before {
			continue
		}
		switch ls.fullTwoOpt() {
		case fullNone:
			return true
		case fullStopped:
			return false
		}
	}
}

// fullTwoOpt is one pass of 2-opt over every pair of edges, for the moves
// the neighbour lists cannot see (two long edges whose ends are not among
// each other's nearest). For each city a in tour order it applies the best
// move that replaces (a, succ(a)) by (a, c) and (succ(a), succ(c)), looking
// at the edges (c, succ(c)) = (t[j], t[j+1]) for j = 0 .. n-1 (t[n] being
// t[0]) in that order, the first found among equals. It polls the cancel
// flag every 16 cities.
func (ls *localSearch) fullTwoOpt() int32 {
	if ls.directed || ls.three {
		return fullNone
	}
	n, d := ls.n, ls.d
	t := ls.t[:n]
	res := fullNone
	for i := int32(0); i < n; i++ {
		if i&15 == 0 && ls.k.stopRequested() {
			return fullStopped
		}
		a := t[i]
		b := ls.succ(a)
		ao, bo := a*n, b*n
		dab := d[ao+b]
		// The edges at j = i-1, i and i+1 (mod n) touch a or b and are
		// skipped; the rest is scanned in order as up to two runs of
		// consecutive positions, then the edge (t[n-1], t[0]).
		lo, hi := int32(0), i-1
		if i == n-1 {
			lo = 1
		}
		best, bc := scanEdges(d, t[lo:max(lo, hi)+1], ao, bo, n, dab, -ls.eps, -1)
		if i+2 < n-1 {
			best, bc = scanEdges(d, t[i+2:], ao, bo, n, dab, best, bc)
		}
		if i != 0 && i < n-2 {
			best, bc = scanEdges(d, []int32{t[n-1], t[0]}, ao, bo, n, dab, best, bc)
		}
		if bc >= 0 {
			e := ls.succ(bc)
			ls.reverse(b, bc)
			ls.push(a)
			ls.push(b)
			ls.push(bc)
			ls.push(e)
			ls.moves++
			res = fullApplied
		}
	}
	return res
}

// scanEdges looks at the 2-opt moves that replace the edge (a, b), with
// ao = a*n and bo = b*n, and a tour edge (c, e) = (p[j], p[j+1]) by (a, c)
// and (b, e). It returns the gain of the best of them and best, and its c
// (or bc), the first found among equals. A function of its own, with few
// live values, so that Go keeps them all in registers.
//
//go:noinline
func scanEdges(d []float64, p []int32, ao, bo, n int32, dab, best float64, bc int32) (float64, int32) {
	if len(p) < 2 {
		return best, bc
	}
	c := p[0]
	for _, e := range p[1:] {
		if delta := ((d[ao+c] + d[bo+e]) - dab) - d[c*n+e]; delta < best && delta >= -math.MaxFloat64 {
			best, bc = delta, c
		}
		c = e
	}
	return best, bc
}

// twoOptFrom builds the nearest-neighbour tour from start in ls.t and
// improves it, building the neighbour lists first if needed. It returns
// false if it was stopped; ls.t is a tour either way.
func (ls *localSearch) twoOptFrom(start int32) bool {
	if !ls.k.nearestInto(start, ls.t, ls.used) {
		return false
	}
	if !ls.ready && !ls.neighbours() {
		return false
	}
	return ls.run()
}

func (k *kernelState) twoOpt(start int32, order []int32) int32 {
	ls := newLocalSearch(k)
	ok := ls.twoOptFrom(start)
	copy(order, ls.t)
	k.nodes = ls.moves
	if !ok {
		return codeStopped
	}
	return codeOK
}

// orThreeMove is the directed search's segment exchange ("or-3opt"): the
// 3-opt move that keeps every stretch's direction. With b = succ(a), it
// takes a new arc a → x for x among the cities nearest out of a (c =
// pred(x)), then e → b for e among the cities nearest into b (f =
// succ(e), e on the stretch from x on, before a), and closes with c → f:
// the tour a b..c x..e f becomes a x..e b..c f. It applies the first move
// that gains (the arcs a → b, c → x, e → f out, a → x, e → b, c → f in)
// and returns whether it found one. Undirected tours have 2-opt instead:
// it returns false at once.
func (ls *localSearch) orThreeMove(a int32) bool {
	if !ls.directed {
		return false
	}
	n, d, eps := ls.n, ls.d, ls.eps
	t, pos := ls.t, ls.pos
	pa := pos[a]
	pb := pa + 1
	if pb == n {
		pb = 0
	}
	b := t[pb]
	dab := d[a*n+b]
	for r, end := a*ls.kn, a*ls.kn+ls.kn; r < end; r++ {
		x := ls.nb[r]
		g1 := dab - d[a*n+x]
		if !(g1 > eps) {
			break
		}
		if x == b {
			continue
		}
		px := pos[x]
		pc := px - 1
		if pc < 0 {
			pc = n - 1
		}
		c := t[pc]
		l1 := px - pb // cities from b to c
		if l1 < 0 {
			l1 += n
		}
		g2 := g1 + d[c*n+x]
		for q, qe := b*ls.kn, b*ls.kn+ls.kn; q < qe; q++ {
			e := ls.nbIn[q]
			g := g2 - d[e*n+b]
			if !(g > eps) {
				break
			}
			pe := pos[e]
			l2 := pe - px // cities from x to e, less one
			if l2 < 0 {
				l2 += n
			}
			l2++
			if e == a || l2 > n-l1-1 { // e must lie on x..pred(a)
				continue
			}
			pf := pe + 1
			if pf == n {
				pf = 0
			}
			f := t[pf]
			if delta := ((d[c*n+f] - d[e*n+f]) - g); improves(delta, eps) {
				ls.gain += delta
				ls.exchange(pb, l1, l2)
				ls.push(a)
				ls.push(b)
				ls.push(c)
				ls.push(x)
				ls.push(e)
				ls.push(f)
				return true
			}
		}
	}
	return false
}

// exchange swaps the stretch of l1 cities from position p with the l2
// cities after it. The tour is a cycle of three stretches, so swapping any
// two neighbouring ones gives the same cycle: it moves the pair of the
// fewest cities, through ls.tmp.
func (ls *localSearch) exchange(p, l1, l2 int32) {
	n, t, tmp := ls.n, ls.t, ls.tmp
	l3 := n - l1 - l2
	switch {
	case l1+l2 <= l2+l3 && l1+l2 <= l3+l1:
	case l2+l3 <= l3+l1: // the second and the third
		p += l1
		l1, l2 = l2, l3
	default: // the third and the first
		p += l1 + l2
		l1, l2 = l3, l1
	}
	if p >= n {
		p -= n
	}
	at := func(i int32) int32 {
		i += p
		if i >= n {
			i -= n
		}
		return i
	}
	for i := int32(0); i < l1+l2; i++ {
		tmp[i] = t[at(i)]
	}
	for i := int32(0); i < l2; i++ {
		ls.set(at(i), tmp[l1+i])
	}
	for i := int32(0); i < l1; i++ {
		ls.set(at(l2+i), tmp[i])
	}
}
