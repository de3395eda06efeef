package tsp

import (
	"context"
	"fmt"
	"math"
	"slices"

	"github.com/ffi4go/tsp/internal/abi"
)

// Real routes (issue 16): asymmetric costs, and routes that end at a given
// city or anywhere. The kernels solve symmetric round trips (and, with
// TSP_DIRECTED, directed tours by Exhaustive and Nearest); the wrapper
// turns every other problem into one of those once, in Go, makes its one
// kernel call on the result, and maps the tour back. Every backend gets the
// same transformed matrix, so all return the same route.
//
// Step 1, a route is a directed tour. A route from s over every city ends
// somewhere and, for a round trip, comes back to s. Give the arcs into s new
// costs a(x, s): the cost of going home (round trip), 0 (open path: the
// last leg is free, so a tour of cost C is a path of cost C ending at the
// tour's last city), or 0 from the end e and "forbidden" from every other
// city (fixed end: a tour that uses no forbidden arc comes into s from e, so
// it is a path from s to e followed by a free arc). Every other arc keeps its
// cost. The optimal tours of a (those using no forbidden arc) are then
// exactly the optimal routes, with the same length. Forbidden costs F with F
// greater than the length of some allowed tour (the route through the
// cities in index order, U) keep every optimal tour allowed: a tour with a
// forbidden arc costs at least F > U.
//
// Step 2, by algorithm:
//
//   - Exhaustive and Nearest run on a directly (TSP_DIRECTED): n cities, the
//     kernel's limits unchanged. Nearest also gets F on every arc into e, so
//     that it goes there last (F exceeds every other cost).
//   - Iterated and TwoOpt on an asymmetric matrix run on a directly too
//     (TSP_DIRECTED, ABI 5): the kernels' local search then makes only moves
//     that keep the direction of the tour (Or-opt, the segment not turned
//     around, and the segment exchange or-3opt; the kicks never turn one
//     either), n cities, limit 10,000. For
//     a fixed end they also get F on the arcs out of e but the one to s: a
//     tour that does not go e → s pays F twice, and the Or-opt move of e
//     to just before s (found through e's nearest city out, s at cost 0)
//     gains both. TwoOpt on nearly symmetric costs takes the average
//     instead (below).
//   - Exact, TwoOpt and Iterated on a symmetric matrix with an end: one dummy city z
//     joined to s by 0, to e by 0 for a fixed end, and to every other city
//     by K > U + max d. A Hamiltonian cycle through z is z, a path P over
//     the cities, z; its cost is the cost of P (symmetric: either
//     direction) plus z's two edges. When z's neighbours are s and another
//     city (open) or s and e (fixed end), the cycle costs P + K or P: the
//     routes, shifted by a constant. Any other cycle costs at least P' + K
//     with a neighbour x ≠ s (open: 2K; fixed: at least K) while the best
//     route's cycle costs at most U + K (open) or U (fixed): more by at least
//     K − U > max d > 0. So every optimal cycle is an optimal route plus
//     z, and Exact's proof and bound on n+1 cities hold for the route
//     (minus K when open). Since K exceeds any single edge, a 2-opt move
//     that takes z's wrong edge out always gains, so TwoOpt run to its end
//     also leaves z between s and its proper neighbour. The kernel starts
//     at z, so Nearest's first step is z → s.
//   - Exact on an asymmetric a (a round trip, or a route of
//     asymmetric costs): the 2n-city symmetric transformation of Jonker
//     and Volgenant. City i is index 2i, its ghost i' 2i+1; d(i, i') =
//     0, d(i', j) = a(i, j) + M, d(i, j) = d(i', j') = B (i ≠ j), forbidden
//     arcs B. A Hamiltonian cycle of 2n cities that uses every edge (i, i')
//     alternates city, ghost: it is i → i' → j → j' → ..., the directed tour
//     i → j → ... of a, of cost C + n·M. A cycle without B edges that
//     misses some (i, i') has at least n+1 edges of cost ≥ M: at least
//     (n+1)·M. With M > U ≥ optimum (M = above(U)), every such cycle costs
//     more than the optimal tour's n·M + C*, and with B = (n+3)·(M + max a)
//     so does every cycle with a B edge. So the optimal cycles are the
//     optimal tours, shifted by n·M, and Exact's proof holds for the input:
//     M − C* ≥ U·2⁻¹⁶ stays above Exact's tolerance of 10⁻⁹·(n+1)·M for
//     every n the kernel takes (n ≤ 125). B also exceeds what a 2-opt or
//     Or-opt move can remove (three edges of at most M + max a), so the
//     local search never creates a B edge. A ghost's nearest neighbour is a
//     city at a(i, j) + M < B, a city's its own ghost at 0: Nearest (and
//     TwoOpt's first tour) from s is the directed nearest-neighbour tour.
//     Limit: Exact takes 125 cities. (TwoOpt and Iterated ran on it too
//     until ABI 5: with kicks that split city and ghost, Iterated stayed
//     5.0 % above the optimum of ftv70 after 0.1 s, where the directed
//     search finds the optimum.)
//   - TwoOpt on nearly symmetric costs (asymmetry below nearlySymmetric:
//     road networks) runs on the average of the two directions instead, a
//     symmetric matrix of n cities (n+1 with the dummy for a path), and a
//     round trip takes the direction that is shorter on the real costs:
//     a heuristic either way, and a much better one there (see
//     nearlySymmetric). The limit is 10,000 cities for a round trip and
//     9,999 for a path, whichever runs.
//
// Integers stay integers (M, K, F, B are integers when the distances are),
// so Exact's integer rule still applies while the transformed tour is below
// 10⁸. The largest value must stay within MaxTourLength over the kernel's
// n: when it would not, every distance is scaled by a power of two (exact
// in binary), and scaled back after; so are distances below 2⁻⁹⁰⁰, scaled
// up. The route's Length is always recomputed from the input matrix.
// For real-valued asymmetric input, a(i, j) + M rounds to M's precision
// (relative 2⁻⁵³·n), far below Exact's tolerance 10⁻⁹·(n·M): tours within
// about 10⁻⁹·n times the optimum are taken as equal, where a symmetric
// round trip's tolerance is 10⁻⁹ of it.

// End says where a route ends. The zero value, ReturnToStart, is a round
// trip back to Options.Start; EndAt(i) ends the route at city i, and
// EndAnywhere at whichever city makes it shortest (an open path). For a
// route that does not return, Tour.Order lists it from Start to its end and
// Tour.Length has no closing leg. An end equal to Start is refused for a
// route of more than one city (ErrEnd): that is a round trip.
//
// Every algorithm and backend takes every End. The limits count input
// cities (distinct places): Exhaustive takes 13 for any End and matrix;
// Exact 250 for a symmetric round trip, 249 for a symmetric path, 125 for
// an asymmetric matrix; TwoOpt 10,000 for a round trip and 9,999 for a
// path; Iterated 10,000 for a round trip or an asymmetric path and 9,999
// for a symmetric path; Nearest 10,000 always (MaxCitiesFor).
type End struct {
	kind endKind
	city int
}

type endKind uint8

const (
	endStart endKind = iota
	endAnywhere
	endCity
)

// ReturnToStart is the zero End: a round trip back to Options.Start.
var ReturnToStart = End{}

// EndAnywhere ends the route wherever it is shortest: an open path from
// Options.Start.
var EndAnywhere = End{kind: endAnywhere}

// EndAt ends the route at the city with index i.
func EndAt(i int) End { return End{kind: endCity, city: i} }

// Closed reports whether e is a round trip (ReturnToStart).
func (e End) Closed() bool { return e.kind == endStart }

// Anywhere reports whether e is EndAnywhere.
func (e End) Anywhere() bool { return e.kind == endAnywhere }

// City returns EndAt's city, and false for the other ends.
func (e End) City() (int, bool) { return e.city, e.kind == endCity }

// String returns "start", "any" or "city N".
func (e End) String() string {
	switch e.kind {
	case endStart:
		return "start"
	case endAnywhere:
		return "any"
	}
	return fmt.Sprintf("city %d", e.city)
}

// validate checks e for n cities from start.
func (e End) validate(n, start int) error {
	switch e.kind {
	case endStart, endAnywhere:
		return nil
	case endCity:
		if e.city < 0 || e.city >= n {
			return fmt.Errorf("%w: end %d with %d cities", ErrEnd, e.city, n)
		}
		if e.city == start && n > 1 {
			return fmt.Errorf("%w: the end %d is the start; a round trip is the zero End (ReturnToStart)", ErrEnd, e.city)
		}
		return nil
	}
	return fmt.Errorf("%w: unknown kind %d", ErrEnd, e.kind)
}

// endCity is e's city, or -1.
func (e End) endIndex() int {
	if e.kind == endCity {
		return e.city
	}
	return -1
}

// How a route is given to the kernel.
type routeKind int

const (
	routeDirected routeKind = iota // the directed tour of a, TSP_DIRECTED
	routeDummy                     // a symmetric path: n+1 cities
	routeGhosts                    // Jonker–Volgenant: 2n cities
	routeAverage                   // TwoOpt, nearly symmetric costs: their average, n cities
)

// nearlySymmetric is the asymmetry below which TwoOpt solves the average
// of the two directions instead of the directed search: Σ|c(i,j) −
// c(j,i)| / Σ(c(i,j) + c(j,i)) over the pairs. Road networks are there
// (one-way streets, detours: 0.03–0.07), the ftv and ft instances of TSPLIB
// far above (0.14–0.43). Measured (TwoOpt, directed / average): on 15
// road-like matrices of 45–1,000 cities (0.066) the average is 2–5 %
// shorter; ry48p (0.028) 5.5 % / 5.2 % above the optimum; kro124p (0.035)
// 5.4 % / 10.9 %; but ftv70 (0.140) 6.9 % / 32.9 %, ft53 (0.434) 6.8 % /
// 40.8 %. (Until ABI 5 the other side was the 2n-city transformation:
// 21.6 %, 14.2 %, 14.2 % and 16.5 %, and 20–25 % on road-like matrices of
// 45 cities.) Iterated always takes the directed search, on the real
// costs: kro124p 2.5 % above the optimum after 1,000 kicks, where Iterated
// on the average stayed at 7.5 % (it can only find the optimum of the
// averaged costs); on the road-like matrices within 2.5 % of Iterated on
// the average either way.
const nearlySymmetric = 0.1

// asymmetry is m's Σ|c(i,j) − c(j,i)| / Σ(c(i,j) + c(j,i)), 0 for a matrix
// of zeros, each term divided by the largest distance so that no sum
// overflows. It polls ctx every 8 rows (a row reads a column too: a cache
// miss per value).
func asymmetry(ctx context.Context, m *Matrix) (float64, error) {
	n, d := m.n, m.d
	if m.max == 0 {
		return 0, nil
	}
	inv := 1 / m.max
	num, den := 0.0, 0.0
	for i := 0; i < n; i++ {
		if i&7 == 0 && ctx.Err() != nil {
			return 0, ctx.Err()
		}
		for j := i + 1; j < n; j++ {
			v, w := d[i*n+j]*inv, d[j*n+i]*inv
			num += math.Abs(v - w)
			den += v + w
		}
	}
	if den == 0 {
		return 0, nil
	}
	return num / den, nil
}

// routeShape is how alg solves a route of n distinct places of a matrix
// that is symmetric or not: the transformation and the kernel's n.
func routeShape(alg Algorithm, n int, symmetric bool) (routeKind, int) {
	switch {
	case alg == Exhaustive || alg == Nearest:
		return routeDirected, n
	case symmetric:
		return routeDummy, n + 1
	case alg == TwoOpt || alg == Iterated:
		return routeDirected, n // TwoOpt may take routeAverage instead (newRoute)
	}
	return routeGhosts, 2 * n
}

// MaxCitiesFor is the largest number of distinct places alg takes for a
// route ending at end, on a symmetric matrix or not: alg.MaxCities() for a
// symmetric round trip, one fewer for a symmetric path by Exact, TwoOpt or
// Iterated (a dummy city), half for an asymmetric matrix by Exact (a ghost
// per city), one fewer for an asymmetric path by TwoOpt (a dummy city when
// the costs are nearly symmetric); Exhaustive and Nearest, and Iterated on
// asymmetric costs, take them natively. Auto counts as TwoOpt.
func MaxCitiesFor(alg Algorithm, end End, symmetric bool) int {
	max := alg.MaxCities()
	if max == 0 || (symmetric && end.Closed()) {
		return max
	}
	if alg == Auto {
		alg = TwoOpt
		max = TwoOpt.MaxCities()
	}
	switch kind, _ := routeShape(alg, 1, symmetric); kind {
	case routeDummy:
		return max - 1
	case routeGhosts:
		return max / 2
	}
	if alg == TwoOpt && !end.Closed() {
		return max - 1 // nearly symmetric costs: their average and a dummy city
	}
	return max
}

// validateRoute is Validate's size check for an asymmetric matrix or a
// route with an end.
func (o Options) validateRoute(m *Matrix) error {
	alg := m.algorithmFor(o.Algorithm, o.End.endIndex())
	max := MaxCitiesFor(alg, o.End, !m.asym)
	if m.n <= max {
		return nil
	}
	k := m.reducedN(alg, o.End.endIndex())
	if k <= max {
		return nil
	}
	what := "an asymmetric matrix"
	if !m.asym {
		what = "a route that does not return to the start"
	}
	after := ""
	if k < m.n {
		after = fmt.Sprintf(" (%d after merging duplicates)", k)
	}
	return fmt.Errorf("%w: %s takes at most %d cities for %s, got %d%s", ErrTooLarge, alg, max, what, m.n, after)
}

// route is one transformed problem: the kernel's matrix and start, and how
// to map its tour back.
type route struct {
	kind   routeKind
	n      int // cities of the route
	start  int
	end    int  // the fixed end, -1 for none
	closed bool // a round trip
	km     *Matrix
	kstart int
	flags  int32
	orig   *Matrix // the route's own costs (routeAverage picks a direction on them)
	// The kernel's length of an optimal route is scale·(its length) +
	// offset (rounding aside); margin bounds the rounding of a bound
	// mapped back.
	scale, offset, margin float64
}

// above returns a value greater than x ≥ 0 by at least 2⁻¹⁶·x, and by at
// least 1 when x is an integer, staying an integer then.
func above(x float64) float64 {
	if x == math.Trunc(x) && x < 1<<53 {
		return x + 1 + math.Floor(x*0x1p-16)
	}
	r := x + x*0x1p-16
	if !(r > x) {
		r = math.Nextafter(x, math.Inf(1))
	}
	return r
}

// newRoute transforms the route on m (n cities, maybe reduced) from start
// to end (-1 open, start for a round trip) for alg. It polls ctx every 64
// rows of the kernel's matrix, which it allocates and fills in O(kn²).
func newRoute(ctx context.Context, m *Matrix, start, end int, closed bool, alg Algorithm) (*route, error) {
	n := m.n
	kind, kn := routeShape(alg, n, !m.asym)
	d := m.d
	if kind == routeDirected && alg == TwoOpt {
		a, err := asymmetry(ctx, m)
		if err != nil {
			return nil, err
		}
		if a < nearlySymmetric {
			// The average of the two directions, symmetric: a round
			// trip as it is (the better direction is taken after), a
			// path with the dummy city.
			if d, err = averaged(ctx, m); err != nil {
				return nil, err
			}
			kind, kn = routeAverage, n
			if !closed {
				kind, kn = routeDummy, n+1
			}
		}
	}
	if kind == routeDirected && closed {
		// A directed round trip is the input as it is: the kernel takes
		// m itself (its values are within the kernel's limit for n, checked
		// when it was made), with no copy (800 MB and seconds at 10,000
		// cities, before the deadline could stop anything).
		return &route{kind: kind, n: n, start: start, end: -1, closed: true, km: m, kstart: start,
			flags: abi.FlagDirected, orig: m, scale: 1}, nil
	}
	r := &route{kind: kind, n: n, start: start, end: end, closed: closed, scale: 1, orig: m}
	if closed {
		r.end = -1
	}
	// a(i, j): the arc costs of step 1; forbidden arcs are marked by ok
	// false.
	arc := func(i, j int) (float64, bool) {
		if j != start || closed || i == j {
			return d[i*n+j], true
		}
		if end < 0 || i == end {
			return 0, true
		}
		return 0, false
	}
	maxd := m.max
	// U: the route through the cities in index order, s first (and e
	// last), and back to s by the arc of step 1.
	u := 0.0
	prev := start
	for c := 0; c < n; c++ {
		if c != start && c != r.end {
			v, _ := arc(prev, c)
			u += v
			prev = c
		}
	}
	if r.end >= 0 {
		v, _ := arc(prev, r.end)
		u += v
		prev = r.end
	}
	v, _ := arc(prev, start)
	u += v
	// The constants, in the kernel's unit, and the largest value of the
	// kernel's matrix.
	var forbid, k, mm, big, top float64
	constants := func(u, maxd float64) {
		switch kind {
		case routeDirected:
			forbid = above(u + maxd)
			top = forbid
		case routeDummy:
			k = above(u + maxd)
			top = k
		case routeAverage:
			top = maxd
		case routeGhosts:
			mm = above(u)
			big = float64(n+3) * (mm + maxd)
			top = big
		}
	}
	constants(u, maxd)
	// Scale by a power of two when the values would break the kernel's
	// limit, or are so small that 2⁻¹⁶ of them could underflow.
	lim := maxDistance(int32(kn))
	switch {
	case top > lim:
		r.scale = math.Ldexp(1, -(math.Ilogb(top/lim) + 2))
	case maxd > 0 && maxd < 0x1p-900:
		r.scale = math.Ldexp(1, min(-math.Ilogb(maxd), 1000)) // 2^1000 at most: a finite scale
	}
	sc := r.scale
	if sc != 1 {
		constants(u*sc, maxd*sc)
	}
	out, err := newFloats(ctx, kn*kn) // alloc.go: a deadline does not wait for it
	if err != nil {
		return nil, err
	}
	r.km = &Matrix{n: kn, d: out, asym: kind == routeDirected && m.asym}
	switch kind {
	case routeAverage:
		r.kstart = start
		for i := 0; i < n; i++ {
			if i&63 == 0 && ctx.Err() != nil {
				return nil, ctx.Err()
			}
			copyScaled(out[i*n:i*n+n], d[i*n:i*n+n], sc)
		}
	case routeDirected:
		r.flags = abi.FlagDirected
		r.kstart = start
		// The local searches also get F on the arcs out of the end
		// but the one to start: a tour that does not go from e to s
		// then pays F twice, and moving e before s gains both.
		local := alg == TwoOpt || alg == Iterated
		for i := 0; i < n; i++ {
			if i&63 == 0 && ctx.Err() != nil {
				return nil, ctx.Err()
			}
			for j := 0; j < n; j++ {
				v, ok := arc(i, j)
				v *= sc
				if !ok || (alg == Nearest && j == r.end && i != j) ||
					(local && i == r.end && j != start && j != i) {
					v = forbid
				}
				out[i*n+j] = v
			}
		}
		r.km.asym = true
	case routeDummy:
		z := n
		r.kstart = z
		for i := 0; i < n; i++ {
			if i&63 == 0 && ctx.Err() != nil {
				return nil, ctx.Err()
			}
			copyScaled(out[i*kn:i*kn+n], d[i*n:i*n+n], sc)
			w := k
			if i == start || i == r.end {
				w = 0
			}
			out[i*kn+z] = w
			out[z*kn+i] = w
		}
		if r.end < 0 {
			r.offset = k
		}
	case routeGhosts:
		r.kstart = cityIdx(start)
		for i := 0; i < n; i++ {
			if i&63 == 0 && ctx.Err() != nil {
				return nil, ctx.Err()
			}
			ci, gi := cityIdx(i), ghostIdx(i) // i and its ghost
			for j := 0; j < n; j++ {
				if i == j {
					continue
				}
				cj, gj := cityIdx(j), ghostIdx(j)
				out[ci*kn+cj] = big
				out[gi*kn+gj] = big
				v, ok := arc(i, j)
				w := big
				if ok {
					w = v*sc + mm
				}
				out[gi*kn+cj] = w // i' – j: the arc i → j
				out[cj*kn+gi] = w
			}
		}
		r.offset = float64(n) * mm
		r.margin = float64(n) * (math.Nextafter(mm+maxd*sc, math.Inf(1)) - (mm + maxd*sc))
	}
	return r, nil
}

// The ghosts' layout: city i is 2i and its ghost 2i+1 in the kernel's
// matrix, so that each pair is adjacent in index order, which the kernels'
// ties follow (the lowest index). Measured against cities 0..n-1 followed
// by their ghosts n..2n-1: on ftv44, ry48p and ft53 Exact takes 694, 876
// and 706 nodes instead of 1,489, 3,239 and 880, and proves kro124p in 43 s
// instead of not in 228 s; on 16 random asymmetric instances of 30 to 70
// cities the total was the same (91 s and 90 s, 83,023 and 69,461 nodes).
// Ghosts first (2i, 2i+1 for the city) took 101 s.
func cityIdx(i int) int  { return 2 * i }
func ghostIdx(i int) int { return 2*i + 1 }

// cityOf is the city at kernel index c, and whether c is a city (not a
// ghost).
func cityOf(c int) (int, bool) { return c / 2, c%2 == 0 }

// averaged is the symmetric matrix (d[i][j] + d[j][i]) / 2 of m, row-major;
// it polls ctx every 64 rows.
func averaged(ctx context.Context, m *Matrix) ([]float64, error) {
	n, d := m.n, m.d
	out, err := newFloats(ctx, n*n)
	if err != nil {
		return nil, err
	}
	for i := 0; i < n; i++ {
		if i&63 == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		for j := i + 1; j < n; j++ {
			v := d[i*n+j]/2 + d[j*n+i]/2 // halves first: no overflow
			out[i*n+j], out[j*n+i] = v, v
		}
	}
	return out, nil
}

func copyScaled(dst, src []float64, sc float64) {
	if sc == 1 {
		copy(dst, src)
		return
	}
	for i, v := range src {
		dst[i] = v * sc
	}
}

// back maps the kernel's tour (from kstart) to the route from start: n
// cities, the end last. ok is false when the tour was not one of the
// transformed problem's routes (a search stopped early; never an optimal
// one), and the route was then repaired: the cities in the tour's order
// from start, the end moved last.
func (r *route) back(order []int) (rt []int, ok bool) {
	n := r.n
	ok = true
	switch r.kind {
	case routeDirected:
		rt = slices.Clone(order)
	case routeAverage:
		// A round trip of the averaged costs: the direction that is
		// shorter on the route's own costs, the kernel's on a tie.
		rt = slices.Clone(order)
		rev := slices.Clone(order)
		slices.Reverse(rev[1:])
		if TourLength(r.orig, rev) < TourLength(r.orig, rt) {
			rt = rev
		}
	case routeDummy:
		// order[0] is the dummy; s is next to it in a proper route.
		rest := order[1:]
		switch {
		case rest[0] == r.start:
			rt = slices.Clone(rest)
		case rest[n-1] == r.start:
			rt = slices.Clone(rest)
			slices.Reverse(rt)
		default:
			ok = false
			p := slices.Index(rest, r.start)
			rt = append(slices.Clone(rest[p:]), rest[:p]...)
		}
		if ok && r.end >= 0 && rt[n-1] != r.end {
			ok = false
		}
	case routeGhosts:
		o := slices.Clone(order)
		if len(o) > 1 && o[1] != ghostIdx(r.start) {
			slices.Reverse(o[1:])
		}
		rt = make([]int, 0, n)
		for i, c := range o {
			if ci, isCity := cityOf(c); isCity {
				rt = append(rt, ci)
				if i+1 >= len(o) || o[i+1] != ghostIdx(ci) {
					ok = false // not city, ghost, city, ghost, ...
				}
			}
		}
	}
	if r.end >= 0 && rt[n-1] != r.end {
		ok = false
		p := slices.Index(rt, r.end)
		rt = append(rt[:p], rt[p+1:]...)
		rt = append(rt, r.end)
	}
	return rt, ok
}

// lowerBound maps a bound of the kernel's problem to one of the route's
// length, rounding down.
func (r *route) lowerBound(lb float64) float64 {
	if lb <= 0 {
		return 0
	}
	v := (lb - r.offset) - r.margin
	v -= math.Abs(v)*0x1p-40 + r.margin
	v /= r.scale
	if !(v > 0) {
		return 0
	}
	return v
}

// PathLength sums the distances along order from order[0] to its last city,
// with no closing leg: Tour.Length of a route that does not return to the
// start.
func PathLength(m *Matrix, order []int) float64 {
	n := m.n
	s := 0.0
	for i := 1; i < len(order); i++ {
		s += m.d[order[i-1]*n+order[i]]
	}
	return s
}

// solveRoute is Solve for an asymmetric matrix or a route with an end:
// duplicates merged (the end kept apart), the route transformed, one kernel
// call, and the tour mapped back and recomputed on m.
func (s *kernelSolver) solveRoute(ctx context.Context, m *Matrix, opt Options, alg Algorithm, ps *progressSink) (Tour, error) {
	closed := opt.End.Closed()
	end := opt.End.endIndex()
	red, err := m.reduce(ctx, alg, opt.Start, end)
	if err != nil {
		return stoppedRoute(ctx, m, opt, alg)
	}
	rm, start := m, opt.Start
	if red != nil {
		rm, start = red.m, red.start
		if end >= 0 {
			end = red.end
		}
	}
	if closed {
		end = start
	}
	r, err := newRoute(ctx, rm, start, end, closed, alg)
	if err != nil {
		return stoppedRoute(ctx, m, opt, alg)
	}
	kopt := opt
	kopt.Start, kopt.Algorithm, kopt.End = r.kstart, alg, ReturnToStart
	if ps != nil { // no closure to allocate without progress
		ps.setBack(func(o []int) ([]int, float64) {
			rt, _ := r.back(o)
			if red != nil {
				rt = red.expandOrder(m.n, rt)
			}
			if closed {
				return rt, TourLength(m, rt)
			}
			return rt, PathLength(m, rt)
		}, r.lowerBound)
	}
	t, err := s.solve(ctx, r.km, kopt, r.flags, ps)
	if t.Order == nil {
		return t, err
	}
	order, ok := r.back(t.Order)
	if !ok && t.Status == Optimal {
		return Tour{}, fmt.Errorf("%w: %s returned an optimal tour that is not a route of the transformed problem", ErrKernel, s.name)
	}
	if red != nil {
		order = red.expandOrder(m.n, order)
	}
	t.Order = order
	if closed {
		t.Length = TourLength(m, order)
	} else {
		t.Length = PathLength(m, order)
	}
	if t.Status == Optimal {
		t.LowerBound = t.Length
	} else {
		t.LowerBound = min(r.lowerBound(t.LowerBound), t.Length)
	}
	return t, err
}

// stoppedRoute is solveRoute's answer when ctx ends before the kernel is
// called, like a kernel's answer to a cancel flag set before it starts:
// the nearest-neighbour route from Start for stoppedSteps steps (along
// d[i][j], never to the fixed end, ties to the lowest index), the rest in
// index order, the end last; status Stopped.
func stoppedRoute(ctx context.Context, m *Matrix, opt Options, alg Algorithm) (Tour, error) {
	order := indexRoute(m.n, opt.Start, opt.End.endIndex(), stoppedSteps, m)
	t := Tour{Order: order, Status: Stopped, Algorithm: alg}
	if opt.End.Closed() {
		t.Length = TourLength(m, order)
	} else {
		t.Length = PathLength(m, order)
	}
	return t, fmt.Errorf("tsp: %s search stopped, returning the best tour found: %w", alg, ctx.Err())
}

// stoppedSteps is how many nearest-neighbour steps a route stopped before
// its kernel takes: the kernels poll every 64 cities.
const stoppedSteps = 63

// indexRoute is a route of n cities from start to end (-1: none, or start
// itself for one city): steps nearest-neighbour steps on m (nil: none),
// then the other cities in index order, end last.
func indexRoute(n, start, end, steps int, m *Matrix) []int {
	order := make([]int, 0, n)
	order = append(order, start)
	used := make([]bool, n)
	used[start] = true
	if end >= 0 {
		used[end] = true
	}
	for cur := start; m != nil && len(order) <= steps; {
		next := -1
		row := m.d[cur*n : cur*n+n]
		for j, v := range row {
			if !used[j] && (next < 0 || v < row[next]) {
				next = j
			}
		}
		if next < 0 {
			break
		}
		order = append(order, next)
		used[next] = true
		cur = next
	}
	for c := 0; c < n; c++ {
		if !used[c] {
			order = append(order, c)
		}
	}
	if end >= 0 && end != start {
		order = append(order, end)
	}
	return order
}

// scanMatrix checks the n×n distances d as the kernel's check does, but
// allowing asymmetry: finite, non-negative, zero diagonal, none above
// MaxTourLength/n. It also reports whether d is symmetric and its largest
// value. Tile by tile, like checkDistances.
func scanMatrix(d []float64, n int) (ok, symmetric bool, max float64) {
	lim := maxDistance(int32(n))
	symmetric = true
	for bi := 0; bi < n; bi += validTile {
		ie := min(bi+validTile, n)
		for bj := bi; bj < n; bj += validTile {
			je := min(bj+validTile, n)
			for i := bi; i < ie; i++ {
				j := bj
				if bj == bi {
					j = i
				}
				for ; j < je; j++ {
					v, w := d[i*n+j], d[j*n+i]
					if !(v >= 0) || !(w >= 0) || v > lim || w > lim || (i == j && v != 0) {
						return false, false, 0
					}
					if v != w {
						symmetric = false
					}
					if v > max {
						max = v
					}
					if w > max {
						max = w
					}
				}
			}
		}
	}
	return true, symmetric, max
}
