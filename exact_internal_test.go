package tsp

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// refKruskal is the sparse 1-tree's spanning tree as one plain Kruskal over
// every edge of cities 1..n-1 that is not excluded: the included edges in
// index order, then the free ones by weight under pi, then index, each
// taken unless it closes a cycle (union-find), the weights summed in the
// order taken: the plain form, which the kernels ran until issue 16's
// sixteenth session, and which heldKarp.kruskal (components, bundles,
// labels) must match bit for bit.
func refKruskal(h *heldKarp) (tree []hkEdge, sum float64, deg []int32, ok bool) {
	n, d, pi, st := h.n, h.d, h.pi, h.state
	var in, free []hkEdge
	for i := int32(1); i < n; i++ {
		for j := i + 1; j < n; j++ {
			switch st[i*n+j] {
			case edgeIn:
				in = append(in, hkEdge{d: d[i*n+j], i: i, j: j, in: true})
			case edgeFree:
				free = append(free, hkEdge{d: d[i*n+j], i: i, j: j})
			}
		}
	}
	w := func(e hkEdge) float64 { return (e.d + pi[e.i]) + pi[e.j] }
	slices.SortStableFunc(free, func(a, b hkEdge) int { // stable: index order among equal weights
		switch wa, wb := w(a), w(b); {
		case wa < wb:
			return -1
		case wa > wb:
			return 1
		}
		return 0
	})
	uf := make([]int32, n)
	for i := range uf {
		uf[i] = int32(i)
	}
	deg = make([]int32, n)
	for _, e := range append(in, free...) {
		ri, rj := ufFind(uf, e.i), ufFind(uf, e.j)
		if ri == rj {
			continue
		}
		uf[ri] = rj
		sum += w(e)
		deg[e.i]++
		deg[e.j]++
		tree = append(tree, e)
	}
	return tree, sum, deg, len(tree) == int(n-2)
}

// TestKruskalMatchesPlainKruskal checks the Go kernel's sparse 1-tree
// (contract's components and bundles, kruskal's labels) against one plain
// Kruskal over all edges, on random edge states and penalties: the same
// edges in the same order, the same sum to the bit, the same degrees.
// Integer distances and penalties make many weights tie, so the order
// between equal weights (the lower index first) is tested too.
func TestKruskalMatchesPlainKruskal(t *testing.T) {
	rng := rand.New(rand.NewPCG(16, 1))
	trees := 0
	for trial := range 600 {
		n := int32(5 + rng.IntN(40))
		d := make([]float64, n*n)
		integer := trial%2 == 0
		for i := int32(0); i < n; i++ {
			for j := i + 1; j < n; j++ {
				v := rng.Float64() * 100
				if integer {
					v = float64(rng.IntN(6))
				}
				d[i*n+j], d[j*n+i] = v, v
			}
		}
		k := &kernelState{d: d, n: n}
		h := newHeldKarp(k)
		for i := range h.pi {
			if integer {
				h.pi[i] = float64(rng.IntN(3) - 1)
			} else {
				h.pi[i] = rng.NormFloat64() * 10
			}
		}
		// include some edges (paths, as the search makes them), exclude
		// most others, so that buildAdj takes the sparse tree
		for range rng.IntN(int(n)) {
			i, j := rng.Int32N(n), rng.Int32N(n)
			if i != j && h.state[i*n+j] == edgeFree {
				h.include(i, j)
			}
		}
		keep := 3 + rng.IntN(5)
		for i := int32(1); i < n; i++ {
			for j := i + 1; j < n; j++ {
				if h.state[i*n+j] == edgeFree && rng.IntN(int(n)) >= keep {
					h.exclude(i, j)
				}
			}
		}
		h.buildAdj()
		if !h.sparse {
			continue
		}
		wantTree, wantSum, wantDeg, wantOK := refKruskal(h)
		sum, ok := h.kruskal()
		if ok != wantOK {
			t.Fatalf("trial %d (n=%d): kruskal ok %v, plain Kruskal %v", trial, n, ok, wantOK)
		}
		if !ok {
			continue
		}
		trees++
		if math.Float64bits(sum) != math.Float64bits(wantSum) {
			t.Fatalf("trial %d (n=%d): sum %v (%#x), plain Kruskal %v (%#x)", trial, n, sum, math.Float64bits(sum), wantSum, math.Float64bits(wantSum))
		}
		if !slices.Equal(h.deg[1:], wantDeg[1:]) {
			t.Fatalf("trial %d (n=%d): degrees %v, plain Kruskal %v", trial, n, h.deg[1:], wantDeg[1:])
		}
		h.rootTree()
		if !slices.Equal(h.tree, wantTree) {
			t.Fatalf("trial %d (n=%d): tree %v, plain Kruskal %v", trial, n, h.tree, wantTree)
		}
	}
	if trees < 200 {
		t.Fatalf("only %d of 600 trials made a sparse spanning tree", trees)
	}
}
