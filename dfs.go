package tsp

// Exhaustive: plain depth-first search over every order of the cities after
// start, keeping the first shortest. The order of the search is the
// swap-based one: at depth k the cities p[k..n-1] are tried in turn by
// swapping each into place k and back. A node is every partial path
// p[0..k-1], k = 1..n, the root and the complete tours included, so n cities
// give 1 + (n-1) + (n-1)(n-2) + … + (n-1)! + (n-1)! nodes (9,864,101 for 11).
// The last four levels are enumerated inline, which removes the per-node
// overhead but counts and orders the nodes exactly like the recursion.

type exhaustiveSearch struct {
	k       *kernelState
	p       []int32
	bestP   []int32
	best    float64
	tick    uint32
	stopped bool
}

func (k *kernelState) exhaustive(start int32, order []int32) int32 {
	n := k.n
	e := exhaustiveSearch{k: k, p: make([]int32, n), bestP: make([]int32, n)}
	e.p[0] = start
	j := int32(1)
	for c := int32(0); c < n; c++ {
		if c != start {
			e.p[j] = c
			j++
		}
	}
	copy(e.bestP, e.p)
	e.best = k.cycleLength(e.p) // the first leaf; it keeps its place since ties keep the first
	k.improved(e.best, k.nodes, e.bestP)
	e.rec(1, 0)
	copy(order, e.bestP)
	if e.stopped {
		return codeStopped
	}
	return codeOK
}

func (e *exhaustiveSearch) improve(t float64, k int32, a, b, c int32) {
	e.best = t
	copy(e.bestP[:k], e.p[:k])
	e.bestP[k] = a
	if k+1 < e.k.n {
		e.bestP[k+1] = b
	}
	if k+2 < e.k.n {
		e.bestP[k+2] = c
	}
	e.k.improved(t, e.k.nodes, e.bestP)
}

// six tries the six orders of a, b, c for the last three places, after
// p[0..k-1] and q at place k, in the order of the swap-based recursion: abc
// acb bac bca cba cab. la, lb and lc are the path lengths to a, b and c
// right after q; das, dbs and dcs the distances back to the start.
func (e *exhaustiveSearch) six(k, q, a, b, c int32, la, lb, lc, dab, dac, dbc, das, dbs, dcs float64) {
	if t := ((la + dab) + dbc) + dcs; t < e.best {
		e.improve4(t, k, q, a, b, c)
	}
	if t := ((la + dac) + dbc) + dbs; t < e.best {
		e.improve4(t, k, q, a, c, b)
	}
	if t := ((lb + dab) + dac) + dcs; t < e.best {
		e.improve4(t, k, q, b, a, c)
	}
	if t := ((lb + dbc) + dac) + das; t < e.best {
		e.improve4(t, k, q, b, c, a)
	}
	if t := ((lc + dbc) + dab) + das; t < e.best {
		e.improve4(t, k, q, c, b, a)
	}
	if t := ((lc + dac) + dab) + dbs; t < e.best {
		e.improve4(t, k, q, c, a, b)
	}
}

// improve4 records the tour p[0..k-1] q a b c, of length t, as the best.
func (e *exhaustiveSearch) improve4(t float64, k, q, a, b, c int32) {
	e.best = t
	copy(e.bestP[:k], e.p[:k])
	e.bestP[k], e.bestP[k+1], e.bestP[k+2], e.bestP[k+3] = q, a, b, c
	if e.k.progress != nil {
		// Case 4 counted its four children's 64 nodes up front; the
		// recursion of C and C++ has counted only up to this child, the
		// one that put q = p[k+i] at place k: report what they report.
		i := int32(0)
		for e.p[k+i] != q {
			i++
		}
		e.k.improved(t, e.k.nodes-uint64(16*(3-i)), e.bestP)
	}
}

// rec visits the node p[0..k-1], whose path length is l.
func (e *exhaustiveSearch) rec(k int32, l float64) {
	ks := e.k
	ks.nodes++
	n, d, p := ks.n, ks.d, e.p
	prev := p[k-1]
	s := p[0]
	r := n - k
	if ks.directed && r >= 2 {
		// Directed (asymmetric): the inline cases below read d[x][y] for
		// d[y][x]; the plain recursion reads each leg in its direction, and
		// counts and polls the same nodes as they would.
		r = -1
	}
	switch r {
	case 0:
		if t := l + d[prev*n+s]; t < e.best {
			e.best = t
			copy(e.bestP, p)
			ks.improved(t, ks.nodes, e.bestP)
		}
	case 1:
		ks.nodes++
		a := p[k]
		if t := (l + d[prev*n+a]) + d[a*n+s]; t < e.best {
			e.improve(t, k, a, 0, 0)
		}
	case 2:
		ks.nodes += 4
		a, b := p[k], p[k+1]
		dab := d[a*n+b]
		if t := ((l + d[prev*n+a]) + dab) + d[b*n+s]; t < e.best {
			e.improve(t, k, a, b, 0)
		}
		if t := ((l + d[prev*n+b]) + dab) + d[a*n+s]; t < e.best {
			e.improve(t, k, b, a, 0)
		}
	case 4:
		// Four children of three cities each, enumerated here as in case 3:
		// the same order and sums, without a call per child. It polls the
		// cancel flag like the default case, at the same nodes as C and C++.
		e.tick++
		if e.tick&1023 == 0 && ks.stopRequested() {
			e.stopped = true
			return
		}
		ks.nodes += 4 * 16
		// The four cities w0..w3 = p[k..k+3] take place k in the order of
		// the swaps (w0, w1, w2, w3), leaving (w1 w2 w3), (w0 w2 w3),
		// (w1 w0 w3) and (w1 w2 w0) for the last three places. Their
		// distances are read once for all four. The matrix is symmetric, and
		// every sum starts from l ≥ +0 and adds non-negative values, so
		// reading d[x*n+y] for d[y*n+x] gives the same bits.
		w0, w1, w2, w3 := p[k], p[k+1], p[k+2], p[k+3]
		o0, o1, o2 := w0*n, w1*n, w2*n
		d01, d02, d03 := d[o0+w1], d[o0+w2], d[o0+w3]
		d12, d13, d23 := d[o1+w2], d[o1+w3], d[o2+w3]
		d0s, d1s, d2s, d3s := d[o0+s], d[o1+s], d[o2+s], d[w3*n+s]
		po := prev * n
		l0, l1, l2, l3 := l+d[po+w0], l+d[po+w1], l+d[po+w2], l+d[po+w3]
		e.six(k, w0, w1, w2, w3, l0+d01, l0+d02, l0+d03, d12, d13, d23, d1s, d2s, d3s)
		e.six(k, w1, w0, w2, w3, l1+d01, l1+d12, l1+d13, d02, d03, d23, d0s, d2s, d3s)
		e.six(k, w2, w1, w0, w3, l2+d12, l2+d02, l2+d23, d01, d13, d03, d1s, d0s, d3s)
		e.six(k, w3, w1, w2, w0, l3+d13, l3+d23, l3+d03, d12, d01, d02, d1s, d2s, d0s)
	case 3:
		ks.nodes += 15
		a, b, c := p[k], p[k+1], p[k+2]
		dab, dac, dbc := d[a*n+b], d[a*n+c], d[b*n+c]
		das, dbs, dcs := d[a*n+s], d[b*n+s], d[c*n+s]
		la := l + d[prev*n+a]
		lb := l + d[prev*n+b]
		lc := l + d[prev*n+c]
		// The order of the swap-based recursion: abc acb bac bca cba cab.
		if t := ((la + dab) + dbc) + dcs; t < e.best {
			e.improve(t, k, a, b, c)
		}
		if t := ((la + dac) + dbc) + dbs; t < e.best {
			e.improve(t, k, a, c, b)
		}
		if t := ((lb + dab) + dac) + dcs; t < e.best {
			e.improve(t, k, b, a, c)
		}
		if t := ((lb + dbc) + dac) + das; t < e.best {
			e.improve(t, k, b, c, a)
		}
		if t := ((lc + dbc) + dab) + das; t < e.best {
			e.improve(t, k, c, b, a)
		}
		if t := ((lc + dac) + dab) + dbs; t < e.best {
			e.improve(t, k, c, a, b)
		}
	default:
		e.tick++
		if e.tick&1023 == 0 && ks.stopRequested() {
			e.stopped = true
			return
		}
		for i := k; i < n; i++ {
			p[k], p[i] = p[i], p[k]
			e.rec(k+1, l+d[prev*n+p[k]])
			p[k], p[i] = p[i], p[k]
			if e.stopped {
				return
			}
		}
	}
}
