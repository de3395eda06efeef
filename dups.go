package tsp

import (
	"context"
	"math"
	"sync"
)

// Duplicate cities (issue 13): cities i and j are duplicates when their rows
// are equal (d[i][k] == d[j][k] for every k, which makes d[i][j] == 0), like
// repeat deliveries to one address. In an asymmetric matrix (issue 16) their
// columns must be equal too (d[k][i] == d[k][j]): only then are the two
// interchangeable in every route. The wrapper every backend uses merges
// each group of duplicates into one representative before the kernel runs
// and puts the others right after it in the tour, so that the kernel
// searches only the distinct places.
//
// Merging a group with representative r loses nothing when going from any a
// to any b directly is no longer than going through r: d[a][b] ≤ d[a][r] +
// d[r][b] (in float64). Then any tour can visit the group in one run without
// getting longer, so the optimum of the reduced matrix is the optimum of the
// input, and so is a lower bound of it. The same holds for a route that does
// not return to the start (issue 16): a later visit of the group between a
// and b is dropped for d[a][b], one at the end of the route simply dropped,
// and the dropped cities follow the first visit at no cost. A route's fixed
// end is taken out of its group (it must come last, not right after the
// group's representative), and the rest of the group still merges. Haversine matrices satisfy this;
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
//
// Equal rows have a zero at (i, j) with i < j, so the upper triangle is
// enough to look for one in an asymmetric matrix too; there (symmetric
// false) two rows are merged only when their columns are equal as well.
func findDuplicates(n int, d []float64, symmetric bool) *dupGroups {
	zero := false
	for i := 0; i < n && !zero; i++ {
		row := d[i*n : i*n+n]
		for j := i + 1; j < n; j++ {
			if row[j] == 0 {
				zero = true
				break
			}
		}
	}
	if !zero {
		return nil
	}
	g, _ := hashDuplicates(context.Background(), n, d, symmetric)
	return g
}

// hashDuplicates is findDuplicates after its scan has found a zero: it
// hashes the rows, polling ctx every 64 rows (ctx's error when it ends).
func hashDuplicates(ctx context.Context, n int, d []float64, symmetric bool) (*dupGroups, error) {
	// A hash of each row's bits, -0 as 0, one multiply per value; rows that
	// hash alike are compared.
	byHash := make(map[uint64][]int32, n)
	low := make([]int32, n)
	count := 0
	for i := 0; i < n; i++ {
		if i&63 == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
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
			if equalRows(row, d[int(r)*n:int(r)*n+n]) && (symmetric || equalColumns(d, n, i, int(r))) {
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
		return nil, nil
	}
	return &dupGroups{low: low, count: count}, nil
}

// equalColumns reports whether columns i and j of the n×n matrix d are equal.
func equalColumns(d []float64, n, i, j int) bool {
	for k := 0; k < n; k++ {
		if d[k*n+i] != d[k*n+j] {
			return false
		}
	}
	return true
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
					// a → r → b: d[a][r] + d[r][b] (the same bits as
					// d[r][a] in a symmetric matrix).
					if b != r && b != a && !(da[b] <= da[r]+dr[b]) {
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
// places when the duplicates merge, end (a route's fixed end, -1 for none)
// counted apart from its group.
func (m *Matrix) reducedN(alg Algorithm, end int) int {
	g := m.duplicates()
	if g == nil {
		return m.n
	}
	// apart: 1 when end leaves a group that merges, so counts one more city.
	apart := func(merges bool) int {
		if end < 0 || !merges || g.size(g.low[end]) == 1 {
			return 0
		}
		return 1
	}
	if alg != Exhaustive && alg != Exact {
		return g.count + apart(true)
	}
	if g.count > alg.MaxCities() {
		return g.count // too large however the groups merge; spare the O(count³) check
	}
	exact, k := g.exactGroups(m)
	if end >= 0 {
		k += apart(exact[g.low[end]])
	}
	return k
}

// size is the number of cities in the group whose lowest index is r.
func (g *dupGroups) size(r int32) int {
	c := 0
	for _, l := range g.low {
		if l == r {
			c++
		}
	}
	return c
}

// reduction maps a matrix with merged duplicates back to the input.
type reduction struct {
	m     *Matrix // the reduced matrix: the representatives in index order
	start int     // Start's index in m
	end   int     // a route's fixed end's index in m, -1 for none
	keep  []int   // keep[r]: the input index of reduced city r
	rest  [][]int // rest[r]: the other members of r's group, in index order
}

// reduce merges m's duplicates for alg from start, nil when nothing merges.
// A group's representative is its lowest index, or start in start's group;
// the reduced cities keep the order of their groups' lowest indices, so
// that the reduced matrix is the same from every start. end (a route's
// fixed end; -1 for none) stays a city of its own, out of its group, and
// the group's first other member represents the rest. Copying it costs
// O(count²) and polls ctx every 64 rows: when ctx ends first, reduce returns
// ctx.Err(). (The allocation before it cannot be interrupted.)
func (m *Matrix) reduce(ctx context.Context, alg Algorithm, start, end int) (*reduction, error) {
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
		return i != end && (merge == nil || merge[g.low[i]])
	}
	// rep[l]: the reduced index of the group whose lowest index is l, -1
	// before its first member (the lowest index, or the next when the
	// lowest is end); idx[i] of a city kept on its own.
	rep := make([]int, n)
	idx := make([]int, n)
	for i := range rep {
		rep[i] = -1
	}
	red := &reduction{}
	for i := 0; i < n; i++ {
		switch {
		case !merged(i):
			idx[i] = len(red.keep)
			red.keep = append(red.keep, i)
		case rep[g.low[i]] < 0:
			rep[g.low[i]] = len(red.keep)
			red.keep = append(red.keep, i)
		}
	}
	k := len(red.keep)
	if k == n {
		return nil, nil // only end's group, of two, would have merged
	}
	if merged(start) {
		r := rep[g.low[start]]
		red.keep[r] = start // start represents its group
		red.start = r
	} else {
		red.start = idx[start]
	}
	red.end = -1
	if end >= 0 {
		red.end = idx[end]
	}
	red.rest = make([][]int, k)
	for i := 0; i < n; i++ {
		if !merged(i) {
			continue
		}
		r := rep[g.low[i]]
		if red.keep[r] != i {
			red.rest[r] = append(red.rest[r], i)
		}
	}
	d, err := newFloats(ctx, k*k)
	if err != nil {
		return nil, err
	}
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
	red.m = &Matrix{n: k, d: d, asym: m.asym, max: m.max}
	return red, nil
}

// expandOrder is the input's order of a route (or tour) of the reduced
// matrix: each representative followed by the rest of its group.
func (red *reduction) expandOrder(n int, reduced []int) []int {
	order := make([]int, 0, n)
	for _, r := range reduced {
		order = append(order, red.keep[r])
		order = append(order, red.rest[r]...)
	}
	return order
}

// expand turns a tour of the reduced matrix into one of the input: each
// representative followed by the rest of its group, then the canonical
// direction (Order[1] < Order[n-1]), the length recomputed with TourLength
// and the lower bound kept within [0, Length].
func (red *reduction) expand(m *Matrix, t Tour, optimal bool) Tour {
	order := red.expandOrder(m.n, t.Order)
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

// algorithmFor is the algorithm a runs on m for a route whose fixed end is
// end (-1 for none): a itself, or Auto's choice for the number of places
// Exact would search once the duplicates merge, so that 40 stops at 13
// addresses get a proof. It costs nothing unless m has duplicates and at
// most AutoExactMax distinct rows (then O(AutoExactMax³) once per matrix).
func (m *Matrix) algorithmFor(a Algorithm, end int) Algorithm {
	if a != Auto {
		return a
	}
	n := m.n
	if g := m.duplicates(); n > AutoExactMax && g != nil && g.count <= AutoExactMax {
		n = m.reducedN(Exact, end)
	}
	return a.For(n)
}
