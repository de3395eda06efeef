package tsp

import (
	"math/rand/v2"
	"testing"
)

// TestThreeOptMoves: every move of threeOptMove (2-opt, the two 3-opt
// moves of two reversals, the exchange; both orientations) leaves a tour,
// and the change of length it reports is the change of the tour's length.
// Iterated adds those changes instead of summing the tour, so a wrong one
// would keep worse tours. Random symmetric integer matrices, so that the
// sums are exact; random double bridges between the descents, so that the
// moves start from many tours.
func TestThreeOptMoves(t *testing.T) {
	total := 0
	for seed := uint64(1); seed <= 30; seed++ {
		r := rand.New(rand.NewPCG(seed, 3))
		n := int32(8 + r.IntN(80))
		d := make([]float64, n*n)
		for i := range n {
			for j := range i {
				v := float64(1 + r.IntN(100))
				d[i*n+j], d[j*n+i] = v, v
			}
		}
		k := &kernelState{d: d, n: n}
		ls := newLocalSearch(k)
		k.nearestInto(0, ls.t, ls.used)
		ls.neighbours()
		for i := range n {
			ls.pos[ls.t[i]] = i
		}
		moves := 0
		for round := range 20 {
			if round > 0 {
				l := min(int32(10), (n-2)/2)
				ls.doubleBridge(r.Int32N(n), 1+r.Int32N(l), 1+r.Int32N(l))
				ls.head, ls.count = 0, 0
				clear(ls.inQ)
			}
			moves += descend(t, k, ls, seed, ls.threeOptMove)
		}
		if moves == 0 {
			t.Errorf("seed %d: no move", seed)
		}
		total += moves
	}
	t.Logf("%d moves", total)
}
