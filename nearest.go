package tsp

// Nearest: the nearest-neighbour tour, the start of every heuristic. It is
// deterministic: the scan runs in index order and ties go to the lowest index.

// nearestInto writes the nearest-neighbour tour from start into t. It polls
// the cancel flag every 64 cities; when it is set, it appends the cities not
// yet visited in index order, so that t is still a tour, and returns false.
func (k *kernelState) nearestInto(start int32, t []int32, used []bool) bool {
	n, d := k.n, k.d
	used = used[:n]
	for i := range used {
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
		row = row[:len(used)] // no bounds checks in the loop
		for j, u := range used {
			if !u && (best < 0 || row[j] < bd) {
				best, bd = int32(j), row[j]
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
		return codeStopped
	}
	return codeOK
}
