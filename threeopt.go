package tsp

// The sequential 3-opt move of Iterated (issue 15): Lin–Kernighan's first
// three levels over the neighbour lists, with every choice of the third
// edge. From t1 and t2, its successor or its predecessor (the two
// orientations of the tour, in that order), it takes a new edge (t2, t3)
// for t3 among the neighbours of t2, as long as the partial gain
// g1 = d(t1,t2) - d(t2,t3) is positive, and removes the edge (t3, t4):
//
//   - t4 before t3 (in the orientation from t1 to t2): closing with
//     (t4, t1) is a 2-opt move; if it gains it is taken. Otherwise a new
//     edge (t4, t5) for t5 among the neighbours of t4 (g2 = g1 + d(t3,t4)
//     - d(t4,t5) > 0), and the one edge (t5, t6) whose removal with the
//     closing edge (t6, t1) gives a tour: two 2-opt moves in a row.
//   - t4 after t3: no tour can be closed yet (t2..t3 is a cycle), so t5 is
//     a neighbour of t4 on t2..t3, and t6 its successor (the two stretches
//     t2..t5 and t6..t3 change places, no reversal: or-3opt) or its
//     predecessor (both are reversed in place).
//
// It applies the first move that gains and returns whether it found one.
// The moves are applied as 2-opt reversals (ls.reverse, whichever side is
// shorter) or one exchange of two stretches (ls.exchange), all journaled,
// so a kick that does not pay is undone with them. Every kernel tries the
// candidates in the same order and computes each gain with the same
// operations, so they take the same moves.

// step returns the city after c in the orientation fwd (succ), or before it.
func (ls *localSearch) step(c int32, fwd bool) int32 {
	if fwd {
		return ls.succ(c)
	}
	return ls.pred(c)
}

// offset returns how many steps x lies after s in the orientation fwd.
func (ls *localSearch) offset(s, x int32, fwd bool) int32 {
	o := ls.pos[x] - ls.pos[s]
	if !fwd {
		o = -o
	}
	if o < 0 {
		o += ls.n
	}
	return o
}

// move2 is the 2-opt move that removes the edges (a, b) and (c, e) and adds
// (b, c) and (e, a); b must be next to a and e next to c on the other side
// (e = pred(c) when b = succ(a), e = succ(c) when b = pred(a)).
func (ls *localSearch) move2(a, b, c, e int32) {
	if ls.succ(a) == b {
		ls.reverse(b, e)
	} else {
		ls.reverse(e, b)
	}
}

// threeOptMove is the move described above, from t1; n ≥ 5 (ls.three:
// n ≥ iteratedMinN).
func (ls *localSearch) threeOptMove(t1 int32) bool {
	n, d, eps, kn, nb := ls.n, ls.d, ls.eps, ls.kn, ls.nb
	for dir := 0; dir < 2; dir++ {
		fwd := dir == 0
		t2 := ls.step(t1, fwd)
		d12 := d[t1*n+t2]
		t2n := ls.step(t2, fwd)
		for r, end := t2*kn, t2*kn+kn; r < end; r++ {
			t3 := nb[r]
			g1 := d12 - d[t2*n+t3]
			if !(g1 > eps) {
				break
			}
			if t3 == t1 || t3 == t2n {
				continue
			}
			for alt := 0; alt < 2; alt++ {
				after := alt == 1 // t4 after t3
				t4 := ls.step(t3, after == fwd)
				g2b := g1 + d[t3*n+t4]
				if !after {
					if delta := d[t4*n+t1] - g2b; improves(delta, eps) {
						ls.move2(t1, t2, t3, t4)
						ls.threeDone(delta, t1, t2, t3, t4, t4, t4)
						return true
					}
				}
				o3 := ls.offset(t2, t3, fwd) // the stretch t2..t3
				o4 := ls.offset(t2, t4, fwd)
				for q, qe := t4*kn, t4*kn+kn; q < qe; q++ {
					t5 := nb[q]
					g2 := g2b - d[t4*n+t5]
					if !(g2 > eps) {
						break
					}
					if t5 == t1 || t5 == t3 {
						continue
					}
					o5 := ls.offset(t2, t5, fwd)
					if !after {
						// the tour after the first 2-opt move: t1 t4..t2 t3..;
						// t6 comes before t5 in it
						t6 := ls.step(t5, o5 <= o4 == fwd)
						if t6 == t4 {
							continue
						}
						if delta := (d[t6*n+t1] - d[t5*n+t6]) - g2; improves(delta, eps) {
							ls.move2(t1, t2, t3, t4)
							ls.move2(t1, t4, t5, t6)
							ls.threeDone(delta, t1, t2, t3, t4, t5, t6)
							return true
						}
						continue
					}
					if o5 > o3 { // t5 must lie on t2..t3
						continue
					}
					t6 := ls.step(t5, fwd) // the exchange
					if delta := (d[t6*n+t1] - d[t5*n+t6]) - g2; improves(delta, eps) {
						if fwd {
							ls.exchange(ls.pos[t2], o5+1, o3-o5)
						} else {
							ls.exchange(ls.pos[t3], o3-o5, o5+1)
						}
						ls.threeDone(delta, t1, t2, t3, t4, t5, t6)
						return true
					}
					if t5 == t2 {
						continue
					}
					t6 = ls.step(t5, !fwd) // both reversed
					if delta := (d[t6*n+t1] - d[t5*n+t6]) - g2; improves(delta, eps) {
						ls.move2(t1, t2, t5, t6)
						ls.move2(t2, t5, t4, t3)
						ls.threeDone(delta, t1, t2, t3, t4, t5, t6)
						return true
					}
				}
			}
		}
	}
	return false
}

// threeDone records a move of threeOptMove: its change of length and the
// cities at its edges back on the queue.
func (ls *localSearch) threeDone(delta float64, t1, t2, t3, t4, t5, t6 int32) {
	ls.gain += delta
	ls.push(t1)
	ls.push(t2)
	ls.push(t3)
	ls.push(t4)
	ls.push(t5)
	ls.push(t6)
}
