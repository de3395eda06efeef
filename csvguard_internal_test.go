package tsp

import (
	"math/rand/v2"
	"testing"
)

// csvBytesRef is guard.csvBytes byte by byte, as it was before its fast
// path over the bytes inside a line.
func (g *guard) csvBytesRef(b []byte) int {
	for i, c := range b {
		if g.lineStart && !g.inQuotes && c == '#' {
			g.comment = true
		}
		g.lineStart = false
		if c == '"' && !g.comment {
			g.inQuotes = !g.inQuotes
		}
		if c == '\n' {
			g.line++
			g.lineStart = true
			if g.comment || !g.inQuotes {
				g.comment = false
				g.run = 0
				continue
			}
		}
		g.run++
		if g.run > maxCSVRecord {
			return i
		}
	}
	return -1
}

// TestCSVGuardFast: the guard's fast path stops at the same byte, in the
// same state (where it does not stop: a stop ends the reading), as the byte-by-byte rule, on random input read in random
// pieces.
func TestCSVGuardFast(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	alphabet := []byte("a,\"\n#")
	for trial := range 300 {
		n := r.IntN(3 * maxCSVRecord)
		b := make([]byte, n)
		weights := []int{r.IntN(100) + 1, r.IntN(5), r.IntN(3), r.IntN(3), r.IntN(2)}
		for i := range b {
			k := r.IntN(weights[0] + weights[1] + weights[2] + weights[3] + weights[4])
			j := 0
			for k >= weights[j] {
				k -= weights[j]
				j++
			}
			b[i] = alphabet[j]
		}
		got, want := &guard{line: 1, lineStart: true}, &guard{line: 1, lineStart: true}
		for off := 0; off < n; {
			m := min(n-off, 1+r.IntN(2*maxCSVRecord))
			gi, wi := got.csvBytes(b[off:off+m]), want.csvBytesRef(b[off:off+m])
			if gi != wi || gi < 0 && (got.run != want.run || got.line != want.line || got.inQuotes != want.inQuotes || got.lineStart != want.lineStart || got.comment != want.comment) {
				t.Fatalf("trial %d at %d: got %d %+v, want %d %+v", trial, off, gi, *got, wi, *want)
			}
			if gi >= 0 {
				break
			}
			off += m
		}
	}
}
