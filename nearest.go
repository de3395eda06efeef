package tsp

// Nearest and TwoOpt: the heuristics. Both are deterministic: every scan runs
// in index order and every tie goes to the lowest index or the first found.

// nearestInto writes the nearest-neighbour tour from start into t. It polls
// the cancel flag every 64 cities; when it is set, it appends the cities not
// yet visited in index order, so that t is still a tour, and returns false.
func (k *kernelState) nearestInto(start int32, t []int32, used []bool) bool {
	n, d := k.n, k.d
	for i := range used[:n] {
		used[i] = false
	}
	t[0] = start
	used[start] = true
	cur := start
	for i := int32(1); i < n; i++ {
		if i&63 == 0 && k.stopRequested() {
			for j := int32(0); j < n; j++ {
				if !used[j] {
					t[i] = j
					i++
				}
			}
			return false
		}
		best := int32(-1)
		bd := 0.0
		row := d[cur*n : cur*n+n]
		for j := int32(0); j < n; j++ {
			if !used[j] && (best < 0 || row[j] < bd) {
				best, bd = j, row[j]
			}
		}
		t[i] = best
		used[best] = true
		cur = best
	}
	return true
}

func (k *kernelState) nearest(start int32, order []int32) int32 {
	if !k.nearestInto(start, order, make([]bool, k.n)) {
		return CodeStopped
	}
	return CodeOK
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
	ready bool    // the neighbour lists are built
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
	return ls
}

// neighbours builds the neighbour lists and eps, polling the cancel flag
// every 16 cities. It returns false if it was stopped.
func (ls *localSearch) neighbours() bool {
	k := ls.k
	n, kn, d := k.n, ls.kn, k.d
	dmax := 0.0
	for i := int32(0); i < n; i++ {
		if i&15 == 0 && k.stopRequested() {
			return false
		}
		// insertion into a sorted list of length kn
		cnt := int32(0)
		lst := ls.nb[i*kn : i*kn+kn]
		for j := int32(0); j < n; j++ {
			if j == i {
				continue
			}
			dj := d[i*n+j]
			if dj > dmax {
				dmax = dj
			}
			if cnt == kn && dj >= d[i*n+lst[kn-1]] {
				continue
			}
			p := cnt
			if cnt < kn {
				cnt++
			} else {
				p = kn - 1
			}
			for p > 0 && d[i*n+lst[p-1]] > dj {
				lst[p] = lst[p-1]
				p--
			}
			lst[p] = j
		}
	}
	ls.eps = 1e-9
	if dmax > 1 {
		ls.eps = float64(1e-9 * dmax)
	}
	ls.ready = true
	return true
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
// and applies the best one (the first found among equals).
func (ls *localSearch) twoOptMove(a int32) bool {
	n, d, eps := ls.n, ls.d, ls.eps
	t, pos := ls.t[:n], ls.pos[:n]
	nb := ls.nb[a*ls.kn : a*ls.kn+ls.kn]
	da := d[a*n : a*n+n]
	pa := pos[a]
	best := -eps
	bc, be, bdir := int32(-1), int32(-1), int32(0)
	for dir := int32(0); dir < 2; dir++ {
		// dir 0: a -> b=succ(a) ... c -> e=succ(c)  becomes  a -> c ... b -> e
		// dir 1: e=pred(c) -> c ... b=pred(a) -> a  becomes  b -> e ... a -> c
		var pb int32
		if dir == 0 {
			if pb = pa + 1; pb == n {
				pb = 0
			}
		} else if pb = pa - 1; pb < 0 {
			pb = n - 1
		}
		b := t[pb]
		dab := da[b]
		db := d[b*n : b*n+n]
		for _, c := range nb {
			dac := da[c]
			if dac >= dab {
				break
			}
			var pe int32
			if dir == 0 {
				if pe = pos[c] + 1; pe == n {
					pe = 0
				}
			} else if pe = pos[c] - 1; pe < 0 {
				pe = n - 1
			}
			e := t[pe]
			if c == b || e == a {
				continue
			}
			if delta := ((dac + db[e]) - dab) - d[c*n+e]; delta < best {
				best, bc, be, bdir = delta, c, e, dir
			}
		}
	}
	if bc < 0 {
		return false
	}
	var b int32
	if bdir == 0 {
		b = ls.succ(a)
		ls.reverse(b, bc)
	} else {
		b = ls.pred(a)
		ls.reverse(a, be)
	}
	ls.push(a)
	ls.push(b)
	ls.push(bc)
	ls.push(be)
	return true
}

// orOptMove tries to move the segment of 1, 2 or 3 cities that begins at a
// (following succ) next to one of the neighbours of its first or last city,
// in either orientation. It applies the first improving move.
func (ls *localSearch) orOptMove(a int32) bool {
	// The tour, positions and matrix are held in locals and succ, pred and
	// the segment test written out, which saves Go the reloads and bounds
	// checks that C does not have; the steps are those of tsp.c.
	n, d, kn, eps := ls.n, ls.d, ls.kn, ls.eps
	t, pos := ls.t[:n], ls.pos[:n]
	at := func(i int32) int32 { // the city at position i, for -n ≤ i < 2n
		if i >= n {
			i -= n
		} else if i < 0 {
			i += n
		}
		return t[i]
	}
	pa := pos[a]
	for q := int32(0); q < 5; q++ {
		// segments a, a..succ(a), pred(a)..a, then of 3 cities the same way
		sl := (q + 3) / 2
		if n < sl+3 {
			return false
		}
		ps1 := pa // where the segment begins
		if q%2 != 0 {
			ps1 = pa - (sl - 1)
		}
		s1, s2 := at(ps1), at(ps1+sl-1)
		p, x := at(ps1-1), at(ps1+sl)
		gain := (d[p*n+s1] + d[s2*n+x]) - d[p*n+x]
		if gain <= eps {
			continue
		}
		if ps1 < 0 {
			ps1 += n
		}
		// Candidates: for each end s of the segment, each neighbour c of s,
		// the two edges at c. The segment's own cities are never c or e.
		for end := int32(0); end < 2; end++ {
			s, o := s1, s2 // s touches c, o touches e
			if end == 1 {
				s, o = s2, s1
			}
			nb := ls.nb[s*kn : s*kn+kn]
			ds, do := d[s*n:s*n+n], d[o*n:o*n+n]
			for _, c := range nb {
				dsc := ds[c]
				if dsc >= gain {
					break
				}
				pc := pos[c]
				if off := pc - ps1; off >= 0 && off < sl || off < 0 && off+n < sl {
					continue // c is in the segment
				}
				dc := d[c*n : c*n+n]
				for side := int32(0); side < 2; side++ {
					pe := pc + 1
					if side == 0 {
						if pe == n {
							pe = 0
						}
					} else {
						pe = pc - 1
						if pe < 0 {
							pe = n - 1
						}
					}
					if off := pe - ps1; off >= 0 && off < sl || off < 0 && off+n < sl {
						continue // e is in the segment
					}
					e := t[pe]
					delta := ((dsc + do[e]) - dc[e]) - gain
					if delta < -eps {
						ls.moveSegment(s1, s2, sl, p, x, c, e, s)
						ls.push(p)
						ls.push(x)
						ls.push(s1)
						ls.push(s2)
						ls.push(c)
						ls.push(e)
						return true
					}
				}
			}
		}
	}
	return false
}

func (ls *localSearch) inSegment(c, s1, sl int32) bool {
	off := ls.pos[c] - ls.pos[s1]
	if off < 0 {
		off += ls.n
	}
	return off < sl
}

// moveSegment removes s1..s2 (sl cities, between p and x) and puts it
// between c and e, with s next to c. It rebuilds the tour from x onward.
func (ls *localSearch) moveSegment(s1, s2, sl, p, x, c, e, s int32) {
	n := ls.n
	tmp := ls.tmp
	// The rest of the cycle, from x to p, in succ order.
	m := int32(0)
	for y := x; ; y = ls.succ(y) {
		tmp[m] = y
		m++
		if y == p {
			break
		}
	}
	// Where the segment goes: after c if e = succ(c) (e follows c), else after e.
	var seg [3]int32
	seg[0] = s1
	if sl > 1 {
		seg[1] = ls.succ(s1)
	}
	if sl > 2 {
		seg[2] = ls.succ(seg[1])
	}
	after := c
	first := s // the segment city next to `after`
	cn := ls.succ(c)
	if cn != e {
		after = e
		if s == s1 {
			first = s2
		} else {
			first = s1
		}
	}
	w := int32(0)
	for i := int32(0); i < m; i++ {
		ls.t[w] = tmp[i]
		w++
		if tmp[i] == after {
			if first == s1 {
				for q := int32(0); q < sl; q++ {
					ls.t[w] = seg[q]
					w++
				}
			} else {
				for q := sl - 1; q >= 0; q-- {
					ls.t[w] = seg[q]
					w++
				}
			}
		}
	}
	for i := int32(0); i < n; i++ {
		ls.pos[ls.t[i]] = i
	}
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
			if ls.twoOptMove(a) || ls.orOptMove(a) {
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
// move that replaces (a, succ(a)). It polls the cancel flag every 16 cities.
func (ls *localSearch) fullTwoOpt() int32 {
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
		best := -ls.eps
		bc := int32(-1)
		// the edges (t[j-1], t[j]) in order, then (t[n-1], t[0]); few live
		// values, so that Go keeps them in registers
		c := t[0]
		for _, e := range t[1:] {
			if c != a && c != b && e != a {
				if delta := ((d[ao+c] + d[bo+e]) - dab) - d[c*n+e]; delta < best {
					best, bc = delta, c
				}
			}
			c = e
		}
		if e := t[0]; c != a && c != b && e != a {
			if delta := ((d[ao+c] + d[bo+e]) - dab) - d[c*n+e]; delta < best {
				best, bc = delta, c
			}
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
		return CodeStopped
	}
	return CodeOK
}
