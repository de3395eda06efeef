package tsp

import (
	"context"
	"math"
	"sync"
)

// Duplicate cities (issue 13): cities i and j are duplicates when their rows
// are equal (d[i][k] == d[j][k] for every k, which makes d[i][j] == 0), like
// repeat deliveries to one address. The wrapper every backend uses merges
// each group of duplicates into one representative before the kernel runs
// and puts the others right after it in the tour, so that the kernel
// searches only the distinct places.
//
// Merging a group with representative r loses nothing when going from any a
// to any b directly is no longer than going through r: d[a][b] ≤ d[a][r] +
// d[r][b] (in float64). Then any tour can visit the group in one run without
// getting longer, so the optimum of the reduced matrix is the optimum of the
// input, and so is a lower bound of it. Haversine matrices satisfy this;
// a non-metric matrix may not, and a group for which it fails is merged
// only for the heuristics (Nearest, TwoOpt), never for Exhaustive or Exact,
// whose proofs must hold for the input itself.

// dupGroups describes the duplicates of a Matrix, computed once per matrix.
type dupGroups struct {
	low   []int32 // low[i]: the lowest index of i's group (i itself when alone)
	count int     // the number of groups (distinct rows)
	// exact[r] for a group's lowest index r: merging the group keeps
	// optimal tours (the triangle condition above); computed once, when a
	// proof first needs it.
	exactOnce sync.Once
	exact     []bool
	exactN    int // the number of cities left when only those groups merge
}

// duplicates returns m's duplicate groups, nil when m has none.
func (m *Matrix) duplicates() *dupGroups { return m.dup }

// findDuplicates finds the duplicate groups of a valid matrix, nil when
// there are none. Every constructor of Matrix calls it, so that a solve
// spends no O(n²) time on it (a deadline could not stop it): it scans the
// upper triangle for a zero, which costs a fraction of the validation, and
// only if it finds one hashes the rows.
func findDuplicates(n int, d []float64) *dupGroups {
	zero := false
	for i := 0; i < n && !zero; i++ {
		row := d[i*n : i*n+n]
		for j := i + 1; j < n; j++ { // symmetric: the upper triangle will do
			if row[j] == 0 {
				zero = true
				break
			}
		}
	}
	if !zero {
		return nil
	}
	// A hash of each row's bits, -0 as 0, one multiply per value; rows that
	// hash alike are compared.
	byHash := make(map[uint64][]int32, n)
	low := make([]int32, n)
	count := 0
	for i := 0; i < n; i++ {
		row := d[i*n : i*n+n]
		h := uint64(14695981039346656037)
		for _, v := range row {
			if v == 0 {
				v = 0 // -0 == 0: the same bits for both
			}
			h = (h ^ math.Float64bits(v)) * 0x9e3779b97f4a7c15
			h ^= h >> 29
		}
		low[i] = int32(i)
		for _, r := range byHash[h] {
			if equalRows(row, d[int(r)*n:int(r)*n+n]) {
				low[i] = r
				break
			}
		}
		if low[i] == int32(i) {
			byHash[h] = append(byHash[h], int32(i))
			count++
		}
	}
	if count == n {
		return nil
	}
	return &dupGroups{low: low, count: count}
}

func equalRows(a, b []float64) bool {
	for k := range a {
		if a[k] != b[k] {
			return false
		}
	}
	return true
}

// exactGroups returns, for each group's lowest index, whether merging it
// keeps optimal tours, and the number of cities left after merging those.
// It costs O(groups · count²); callers need it only when count is within an
// exact algorithm's limit.
func (g *dupGroups) exactGroups(m *Matrix) ([]bool, int) {
	g.exactOnce.Do(func() {
		n := m.n
		var reps []int // the lowest index of every group
		size := make([]int, n)
		for i, r := range g.low {
			size[r]++
			if int(r) == i {
				reps = append(reps, i)
			}
		}
		g.exact = make([]bool, n)
		g.exactN = n
		for _, r := range reps {
			if size[r] == 1 {
				continue
			}
			ok := true
			dr := m.d[r*n : r*n+n]
			for _, a := range reps {
				if a == r {
					continue
				}
				da := m.d[a*n : a*n+n]
				for _, b := range reps {
					if b != r && b != a && !(da[b] <= dr[a]+dr[b]) {
						ok = false
						break
					}
				}
				if !ok {
					break
				}
			}
			if ok {
				g.exact[r] = true
				g.exactN -= size[r] - 1
			}
		}
	})
	return g.exact, g.exactN
}

// reducedN is the number of cities alg's kernel searches on m: the distinct
// places when the duplicates merge.
func (m *Matrix) reducedN(alg Algorithm) int {
	g := m.duplicates()
	if g == nil {
		return m.n
	}
	if alg != Exhaustive && alg != Exact {
		return g.count
	}
	if g.count > alg.MaxCities() {
		return g.count // too large however the groups merge; spare the O(count³) check
	}
	_, k := g.exactGroups(m)
	return k
}

// reduction maps a matrix with merged duplicates back to the input.
type reduction struct {
	m     *Matrix // the reduced matrix: the representatives in index order
	start int     // Start's index in m
	keep  []int   // keep[r]: the input index of reduced city r
	rest  [][]int // rest[r]: the other members of r's group, in index order
}

// reduce merges m's duplicates for alg from start, nil when nothing merges.
// A group's representative is its lowest index, or start in start's group;
// the reduced cities keep the order of their groups' lowest indices, so
// that the reduced matrix is the same from every start. Copying it costs
// O(count²) and polls ctx every 64 rows: when ctx ends first, reduce returns
// ctx.Err(). (The allocation before it cannot be interrupted.)
func (m *Matrix) reduce(ctx context.Context, alg Algorithm, start int) (*reduction, error) {
	g := m.duplicates()
	if g == nil {
		return nil, nil
	}
	n := m.n
	var merge []bool // by lowest index; nil: every group
	if alg == Exhaustive || alg == Exact {
		var k int
		if merge, k = g.exactGroups(m); k == n {
			return nil, nil
		}
	}
	merged := func(i int) bool { // i's group merges into one city
		return merge == nil || merge[g.low[i]]
	}
	idx := make([]int, n) // reduced index of each group's lowest index, and of each unmerged city
	red := &reduction{}
	for i := 0; i < n; i++ {
		switch {
		case !merged(i):
			idx[i] = len(red.keep)
			red.keep = append(red.keep, i)
		case int(g.low[i]) == i:
			idx[i] = len(red.keep)
			red.keep = append(red.keep, i)
		}
	}
	k := len(red.keep)
	if merged(start) {
		r := idx[g.low[start]]
		red.keep[r] = start // start represents its group
		red.start = r
	} else {
		red.start = idx[start]
	}
	red.rest = make([][]int, k)
	for i := 0; i < n; i++ {
		if !merged(i) {
			continue
		}
		r := idx[g.low[i]]
		if red.keep[r] != i {
			red.rest[r] = append(red.rest[r], i)
		}
	}
	d := make([]float64, k*k)
	for a, i := range red.keep {
		if a&63 == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		row := m.d[i*n : i*n+n]
		out := d[a*k : a*k+k]
		for b, j := range red.keep {
			out[b] = row[j]
		}
	}
	red.m = &Matrix{n: k, d: d}
	return red, nil
}

// expand turns a tour of the reduced matrix into one of the input: each
// representative followed by the rest of its group, then the canonical
// direction (Order[1] < Order[n-1]), the length recomputed with TourLength
// and the lower bound kept within [0, Length].
func (red *reduction) expand(m *Matrix, t Tour, optimal bool) Tour {
	order := make([]int, 0, m.n)
	for _, r := range t.Order {
		order = append(order, red.keep[r])
		order = append(order, red.rest[r]...)
	}
	if n := len(order); n >= 3 && order[1] > order[n-1] {
		for i, j := 1, n-1; i < j; i, j = i+1, j-1 {
			order[i], order[j] = order[j], order[i]
		}
	}
	t.Order = order
	t.Length = TourLength(m, order)
	if optimal || t.LowerBound > t.Length {
		t.LowerBound = t.Length
	}
	return t
}
