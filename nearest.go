package tsp

// Nearest: the nearest-neighbour tour, the start of every heuristic. It is
// deterministic: the scan runs in index order and ties go to the lowest index.

// nearestInto writes the nearest-neighbour tour from start into t. It polls
// the cancel flag every 64 cities; when it is set, it appends the cities not
// yet visited in index order, so that t is still a tour, and returns false.
func (k *kernelState) nearestInto(start int32, t []int32, _ []bool) bool {
	n, d := k.n, k.d
	t = t[:n]
	// t[:i] is the tour so far, t[i:] the cities not yet visited in index
	// order: each step scans only those and takes the first of the least
	// distance, as a scan of all n cities would (the C and C++ kernels the
	// same way: no flag to test per city, the shape WebAssembly runs best).
	t[0] = start
	for j, i := int32(0), 1; j < n; j++ {
		if j != start {
			t[i] = j
			i++
		}
	}
	cur := start
	for i := int32(1); i < n; i++ {
		if i&63 == 0 && k.stopRequested() {
			return false // the rest in index order
		}
		row := d[cur*n : cur*n+n]
		rest := t[i:]
		best, bd := 0, row[rest[0]]
		for r, c := range rest {
			if dr := row[c]; dr < bd {
				best, bd = r, dr
			}
		}
		cur = rest[best]
		copy(rest[1:best+1], rest[:best])
		rest[0] = cur
	}
	return true
}

func (k *kernelState) nearest(start int32, order []int32) int32 {
	if !k.nearestInto(start, order, nil) {
		return codeStopped
	}
	return codeOK
}
