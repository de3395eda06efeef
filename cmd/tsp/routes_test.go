package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ffi4go/tsp"
)

// TestSolveEnd: -end any, a name (a unique prefix, any case) and an index
// end the route there, the JSON says so, the length has no way back, and
// the human output's table stops at the end.
func TestSolveEnd(t *testing.T) {
	m, err := tsp.HaversineMatrix(tsp.Demo11())
	if err != nil {
		t.Fatal(err)
	}
	names := cityNames(tsp.Demo11())
	for _, c := range []struct {
		end, want string
		last      int // -1: any
	}{{"any", "any", -1}, {"Berlin", "10", 10}, {"berlin, germany", "10", 10}, {"3", "3", 3}} {
		out, errOut, code := runTSP(t, "", "solve", "-json", "-algorithm", "exact", "-start", "2", "-end", c.end, "demo11")
		if code != exitOK {
			t.Fatalf("-end %s: exit %d, %s", c.end, code, errOut)
		}
		r := decodeResult(t, []byte(out))
		checkTour(t, r, names, nil)
		if r.End != c.want || (c.last >= 0 && r.Tour[len(r.Tour)-1] != c.last) || r.Length != tsp.PathLength(m, r.Tour) {
			t.Errorf("-end %s: end %q, tour %v, length %v (path %v)", c.end, r.End, r.Tour, r.Length, tsp.PathLength(m, r.Tour))
		}
		want, err := tsp.Solve(context.Background(), m, tsp.Options{Start: 2, Algorithm: tsp.Exhaustive, End: mustEnd(t, c.end, names)})
		if err != nil || want.Length != r.Length {
			t.Errorf("-end %s: length %v, exhaustive %v (%v)", c.end, r.Length, want.Length, err)
		}
	}
	out, _, code := runTSP(t, "", "solve", "-end", "any", "demo11")
	if code != exitOK || !strings.Contains(out, "to wherever it is shortest (no way back)") || strings.Count(out, "new york") != 1 {
		t.Errorf("human output of an open path:\n%s", out)
	}
	for _, bad := range []string{"0", "11", "-1", "nowhere", "s"} { // 0 is the start; "s" names several cities
		_, errOut, code := runTSP(t, "", "solve", "-end", bad, "demo11")
		if code != exitData || !strings.Contains(errOut, "end") {
			t.Errorf("-end %s: exit %d, %q; want %d", bad, code, errOut, exitData)
		}
	}
}

func mustEnd(t *testing.T, s string, names []string) tsp.End {
	e, err := parseEnd(s, names)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// TestInputCostMatrix: a JSON cost matrix from a file (.json or any other
// extension) and from stdin, asymmetric, with and without names; bad ones
// exit 65.
func TestInputCostMatrix(t *testing.T) {
	const in = `{"names": ["depot", "a", "b", "c"], "matrix": [[0, 7, 9, 12], [6, 0, 4, 8], [8, 5, 0, 3], [11, 9, 2, 0]]}`
	for _, src := range []string{writeFile(t, "road.json", in), writeFile(t, "road.data", in), "-"} {
		stdin := ""
		if src == "-" {
			stdin = in
		}
		out, errOut, code := runTSP(t, stdin, "solve", "-json", "-end", "any", src)
		if code != exitOK {
			t.Fatalf("%s: exit %d, %s", src, code, errOut)
		}
		r := decodeResult(t, []byte(out))
		// depot → a → b → c: 7 + 4 + 3 = 14.
		if r.Length != 14 || strings.Join(r.Names, " ") != "depot a b c" || r.Status != "optimal" {
			t.Errorf("%s: %v %v %s", src, r.Names, r.Length, r.Status)
		}
	}
	out, errOut, code := runTSP(t, `{"matrix": [[0, 1], [5, 0]]}`, "solve", "-json", "-")
	if r := decodeResult(t, []byte(out)); code != exitOK || r.Length != 6 || strings.Join(r.Names, " ") != "0 1" {
		t.Errorf("no names: exit %d, %s, %+v", code, errOut, r)
	}
	for _, bad := range []string{`{"matrix": [[0, 1], [1]]}`, `{"matrix": [[0, -1], [1, 0]]}`, `{"names": ["a"], "matrix": [[0, 1], [1, 0]]}`, `{}`} {
		_, errOut, code := runTSP(t, bad, "solve", "-")
		if code != exitData || !strings.HasPrefix(errOut, "tsp: stdin: ") {
			t.Errorf("%s: exit %d, %q", bad, code, errOut)
		}
	}
}

// TestInputATSP: a TSPLIB ATSP file (br17) is read by its extension and by
// its content, and solved to its optimum, 39.
func TestInputATSP(t *testing.T) {
	br17 := filepath.Join("..", "..", "testdata", "tsplib-atsp", "br17.atsp")
	out, errOut, code := runTSP(t, "", "solve", "-json", "-algorithm", "exact", br17)
	if code != exitOK {
		t.Fatalf("br17: exit %d, %s", code, errOut)
	}
	if r := decodeResult(t, []byte(out)); r.Length != 39 || r.N != 17 || r.Status != "optimal" || r.End != "start" {
		t.Errorf("br17: %+v", r)
	}
}
