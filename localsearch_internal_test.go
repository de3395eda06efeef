package tsp

import (
	"math/rand/v2"
	"testing"
)

// TestDirectedMoves: every move of the directed search (Or-opt keeping the
// segment's direction, and the segment exchange) leaves a tour, and the
// change of length it reports is the change of the directed tour's length.
// Iterated adds those changes instead of summing the tour, so a wrong one
// would keep worse tours.
func TestDirectedMoves(t *testing.T) {
	for seed := uint64(1); seed <= 20; seed++ {
		r := rand.New(rand.NewPCG(seed, 2))
		n := int32(8 + r.IntN(60))
		d := make([]float64, n*n)
		for i := range n {
			for j := range n {
				if i != j {
					d[i*n+j] = float64(r.IntN(100))
				}
			}
		}
		k := &kernelState{d: d, n: n, directed: true}
		ls := newLocalSearch(k)
		k.nearestInto(0, ls.t, ls.used)
		ls.neighbours()
		for i := range n {
			ls.pos[ls.t[i]] = i
		}
		moves := descend(t, k, ls, seed, func(a int32) bool { return ls.orOptMove(a) || ls.orThreeMove(a) })
		if moves == 0 {
			t.Errorf("seed %d: no move from the nearest-neighbour tour", seed)
		}
	}
}

// descend applies move from the first city that has one, in index order,
// until none has, and checks after each move that the tour is a tour and
// that the change of length the move reported (ls.gain, exact on integer
// distances) is the change of the tour's length. It returns the number of
// moves.
func descend(t *testing.T, k *kernelState, ls *localSearch, seed uint64, move func(a int32) bool) int {
	t.Helper()
	n := k.n
	moves := 0
	for {
		before := k.cycleLength(ls.t)
		ls.gain = 0
		found := false
		for a := range n {
			if move(a) {
				found = true
				break
			}
		}
		if !found {
			return moves
		}
		moves++
		seen := make([]bool, n)
		for i, c := range ls.t {
			if seen[c] || ls.pos[c] != int32(i) {
				t.Fatalf("seed %d, move %d: not a tour: %v", seed, moves, ls.t)
			}
			seen[c] = true
		}
		after := k.cycleLength(ls.t)
		if after-before != ls.gain || !(ls.gain < 0) {
			t.Fatalf("seed %d, move %d: length %v -> %v, reported change %v", seed, moves, before, after, ls.gain)
		}
	}
}
