package tsp

// Exhaustive: plain depth-first search over every order of the cities after
// start, keeping the first shortest. The order of the search is the
// swap-based one: at depth k the cities p[k..n-1] are tried in turn by
// swapping each into place k and back. A node is every partial path
// p[0..k-1], k = 1..n, the root and the complete tours included, so n cities
// give 1 + (n-1) + (n-1)(n-2) + … + (n-1)! + (n-1)! nodes (9,864,101 for 11).
// The last three levels are enumerated inline, which removes the per-node
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
	e.rec(1, 0)
	copy(order, e.bestP)
	if e.stopped {
		return CodeStopped
	}
	return CodeOK
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
}

// rec visits the node p[0..k-1], whose path length is l.
func (e *exhaustiveSearch) rec(k int32, l float64) {
	ks := e.k
	ks.nodes++
	n, d, p := ks.n, ks.d, e.p
	prev := p[k-1]
	s := p[0]
	switch n - k {
	case 0:
		if t := l + d[prev*n+s]; t < e.best {
			e.best = t
			copy(e.bestP, p)
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
		for i := k; i < k+4; i++ {
			p[k], p[i] = p[i], p[k]
			q := p[k]
			lq := l + d[prev*n+q]
			a, b, c := p[k+1], p[k+2], p[k+3]
			dab, dac, dbc := d[a*n+b], d[a*n+c], d[b*n+c]
			das, dbs, dcs := d[a*n+s], d[b*n+s], d[c*n+s]
			la := lq + d[q*n+a]
			lb := lq + d[q*n+b]
			lc := lq + d[q*n+c]
			// The order of the swap-based recursion: abc acb bac bca cba cab.
			if t := ((la + dab) + dbc) + dcs; t < e.best {
				e.improve(t, k+1, a, b, c)
			}
			if t := ((la + dac) + dbc) + dbs; t < e.best {
				e.improve(t, k+1, a, c, b)
			}
			if t := ((lb + dab) + dac) + dcs; t < e.best {
				e.improve(t, k+1, b, a, c)
			}
			if t := ((lb + dbc) + dac) + das; t < e.best {
				e.improve(t, k+1, b, c, a)
			}
			if t := ((lc + dbc) + dab) + das; t < e.best {
				e.improve(t, k+1, c, b, a)
			}
			if t := ((lc + dac) + dab) + dbs; t < e.best {
				e.improve(t, k+1, c, a, b)
			}
			p[k], p[i] = p[i], p[k]
		}
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
