package tsp

import "math"

// Iterated: the nearest-neighbour tour improved by threeOptMove alone
// (threeopt.go; the directed search: TwoOpt's Or-opt and segment exchange),
// then kicks until the budget runs out or the cancel flag is set. Each kick
// is a double bridge local to one stretch of the tour: from a random
// position p it swaps the next two segments of 1 to kickMaxLen3 cities each
// (kickMaxLen when directed; A B C D becomes A C B D: three edges change,
// no segment is reversed).
// Only the six cities at the changed edges lose their don't-look bits, so
// the local search re-optimises around the kick alone (no full passes).
// When the tour is then no longer than the best, it becomes the best (so
// the search can drift across tours of equal length); otherwise the kick
// and its moves are undone from a journal of the writes to the tour. The random numbers come
// from SplitMix64 seeded with the caller's seed: integer arithmetic, the
// same stream in Go, C and C++. The length of the current tour is tracked
// by adding the change of each kick and move (in the same order in every
// kernel), not recomputed; the reported length is summed from the tour.

// kickMaxLen is the longest segment a kick moves. Measured on a280, gr666
// and pr1002 (seeds 1-3, 20n and 100n kicks): 100 gave tours 0.3-0.7
// points shorter than 30 or 50, and as good as 200 in less time.
const kickMaxLen = 100

// kickMaxLen3 is kickMaxLen under threeOptMove (the undirected search).
// Measured on gr666 and pr1002 (seeds 1-5, 20n and 50n kicks): 200 gave
// gr666 0.09 % at 20n where 100 gave 0.54 % (and 400 or 1,000 0.36 %),
// pr1002 0.43 % where 100 gave 0.59 %.
const kickMaxLen3 = 200

// iteratedMinN is the smallest n that gets kicks: a double bridge needs
// two segments and two other cities.
const iteratedMinN = 8

// splitMix64 is the random stream of the kicks.
type splitMix64 struct{ s uint64 }

func (r *splitMix64) next() uint64 {
	r.s += 0x9e3779b97f4a7c15
	z := r.s
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// below returns a number in [0, m), m > 0.
func (r *splitMix64) below(m int32) int32 { return int32(r.next() % uint64(m)) }

// iterated runs the iterated search from start: budget kicks (none when
// budget ≤ 0: until the cancel flag stops it). k.nodes counts the
// improving moves, TwoOpt's included.
func (k *kernelState) iterated(start int32, seed uint64, budget int64, order []int32) int32 {
	ls := newLocalSearch(k)
	ls.three = !k.directed && k.n >= iteratedMinN
	ok := ls.twoOptFrom(start)
	if !ok || k.n < iteratedMinN {
		copy(order, ls.t)
		k.nodes = ls.moves
		if !ok {
			return codeStopped
		}
		return codeOK
	}
	if k.progress != nil {
		k.improved(k.cycleLength(ls.t), ls.moves, ls.t)
	}
	code := ls.kicks(seed, budget, order)
	k.nodes = ls.moves
	return code
}

// kicks runs the kicks on the local optimum in ls.t and leaves the best
// tour in best. Every write to the tour is journaled, so that a kick that
// does not pay is undone in the time it took, not O(n).
func (ls *localSearch) kicks(seed uint64, budget int64, best []int32) int32 {
	n := ls.n
	bestLen := ls.k.cycleLength(ls.t)
	cur := bestLen
	rng := splitMix64{seed}
	maxLen := int32(kickMaxLen)
	if ls.three {
		maxLen = kickMaxLen3
	}
	maxLen = min(maxLen, (n-2)/2)
	polls := uint32(0)
	ls.journalOn = true
	code := codeOK
	for kick := int64(0); budget <= 0 || kick < budget; kick++ {
		if ls.k.stopRequested() {
			code = codeStopped
			break
		}
		p := rng.below(n)
		l1 := 1 + rng.below(maxLen)
		l2 := 1 + rng.below(maxLen)
		cur += ls.doubleBridge(p, l1, l2)
		ls.gain = 0
		if !ls.drain(&polls) {
			// Stopped in the middle of the re-optimisation: back to the
			// best tour (this one may be worse).
			ls.revert()
			code = codeStopped
			break
		}
		cur += ls.gain
		if diff := cur - bestLen; diff <= 0 && diff >= -math.MaxFloat64 { // no longer: keep it
			ls.journal = ls.journal[:0]
			bestLen = cur
			if diff < 0 {
				ls.k.improved(cur, ls.moves, ls.t)
			}
		} else {
			ls.revert()
			cur = bestLen
		}
	}
	ls.journalOn = false
	copy(best, ls.t)
	return code
}

// doubleBridge swaps the segment B of l1 cities after position p with the
// segment C of the l2 cities after it (a = t[p], then B, C, then d), l1 +
// l2 ≤ n-2, and returns the change of length. The six cities at the changed
// edges go on the queue: a, b1, bL, c1, cL, d.
func (ls *localSearch) doubleBridge(p, l1, l2 int32) float64 {
	n, d, t, tmp := ls.n, ls.d, ls.t, ls.tmp
	at := func(i int32) int32 { // the city at position p+i, wrapping
		i += p
		if i >= n {
			i -= n
		}
		return t[i]
	}
	a, b1, bL := at(0), at(1), at(l1)
	c1, cL, dd := at(l1+1), at(l1+l2), at(l1+l2+1)
	delta := ((d[a*n+c1] + d[cL*n+b1]) + d[bL*n+dd]) - ((d[a*n+b1] + d[bL*n+c1]) + d[cL*n+dd])
	for i := int32(0); i < l1+l2; i++ {
		tmp[i] = at(1 + i)
	}
	w := p + 1
	for _, i := range [2][2]int32{{l1, l1 + l2}, {0, l1}} { // C, then B
		for j := i[0]; j < i[1]; j++ {
			if w >= n {
				w -= n
			}
			ls.set(w, tmp[j])
			w++
		}
	}
	ls.push(a)
	ls.push(b1)
	ls.push(bL)
	ls.push(c1)
	ls.push(cL)
	ls.push(dd)
	return delta
}

// drain applies the moves of the cities on the queue until it is empty,
// polling the cancel flag every 256 cities (polls counts across calls). It
// returns false if it was stopped.
func (ls *localSearch) drain(polls *uint32) bool {
	for ls.count > 0 {
		*polls++
		if *polls&255 == 0 && ls.k.stopRequested() {
			return false
		}
		a := ls.pop()
		if ls.improve(a) {
			ls.moves++
			ls.push(a)
		}
	}
	return true
}
