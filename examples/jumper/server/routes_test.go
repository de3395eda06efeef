package server_test

import (
	"context"
	"math"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/ffi4go/tsp"
	"github.com/ffi4go/tsp/examples/jumper/server"
)

// solveRaw posts body and fails unless the answer is 200.
func solveRaw(t testing.TB, url string, body []byte) server.SolveResponse {
	t.Helper()
	code, _, b, err := post(context.Background(), http.DefaultClient, url, body)
	if err != nil {
		t.Fatal(err)
	}
	if code != http.StatusOK {
		t.Fatalf("status %d: %s", code, b)
	}
	var resp server.SolveResponse
	decodeStrict(t, b, &resp)
	return resp
}

// checkLegs: the legs are m's along the order, a round trip's last one
// back to the start, and sum to the length.
func checkLegs(t *testing.T, what string, m *tsp.Matrix, got server.SolveResponse) {
	t.Helper()
	n := len(got.Order)
	want := n - 1
	if !got.Path {
		want = n
	}
	if n == 1 {
		want = 0
	}
	sum := 0.0
	for k, l := range got.Legs {
		sum += l
		if l != m.At(got.Order[k], got.Order[(k+1)%n]) {
			t.Errorf("%s: leg %d costs %v", what, k, l)
		}
	}
	if len(got.Legs) != want || math.Abs(sum-got.Length) > 1e-9*got.Length {
		t.Errorf("%s: %d legs summing to %v, want %d summing to %v", what, len(got.Legs), sum, want, got.Length)
	}
}

// Cities with every end: the route is Solve's, ends where asked, and a
// path's length has no closing leg.
func TestSolveEnd(t *testing.T) {
	ts, _ := start(t, server.Config{})
	demo := tsp.Demo11()
	m, err := tsp.HaversineMatrix(demo)
	if err != nil {
		t.Fatal(err)
	}
	berlin := slices.IndexFunc(demo, func(c tsp.City) bool { return strings.HasPrefix(c.Name, "berlin") })
	for _, c := range []struct {
		end  string
		want tsp.End
	}{{`"start"`, tsp.ReturnToStart}, {`"any"`, tsp.EndAnywhere}, {strings.TrimSpace(string(mustJSON(t, berlin))), tsp.EndAt(berlin)}} {
		body := strings.TrimSuffix(string(mustJSON(t, request(demo, "go", "exact", 0))), "}") + `,"end":` + c.end + `}`
		got := solveRaw(t, ts.URL, []byte(body))
		want, err := tsp.Go().Solve(context.Background(), m, tsp.Options{Algorithm: tsp.Exact, End: c.want})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got.Order, want.Order) || got.LengthKm != want.Length || got.Length != want.Length ||
			got.Path == c.want.Closed() || got.Status != "optimal" || len(got.Tour) != len(demo) || got.Names != nil {
			t.Errorf("end %s: %+v, want %v %v", c.end, got, want.Order, want.Length)
		}
		if e, ok := c.want.City(); ok && got.Order[len(got.Order)-1] != e {
			t.Errorf("end %s: ends at %d", c.end, got.Order[len(got.Order)-1])
		}
		if got.Path && got.Length != tsp.PathLength(m, got.Order) {
			t.Errorf("end %s: length %v, the path's %v", c.end, got.Length, tsp.PathLength(m, got.Order))
		}
		checkLegs(t, "end "+c.end, m, got)
	}
}

// A cost matrix, asymmetric, from every available backend: the same route
// as Solve's, the names in visiting order, the legs.
func TestSolveCosts(t *testing.T) {
	bs := available(allBackends())
	ts, _ := start(t, server.Config{Backends: bs})
	body := `{"names":["depot","a","b","c","d"],"matrix":[[0,7,9,8,3],[6,0,4,5,9],[8,5,0,2,7],[4,9,3,0,6],[2,8,6,5,0]]}`
	var cm tsp.CostMatrix
	if err := cm.UnmarshalJSON([]byte(body)); err != nil {
		t.Fatal(err)
	}
	for _, b := range bs {
		for _, c := range []struct {
			end  string
			want tsp.End
		}{{`"start"`, tsp.ReturnToStart}, {`"any"`, tsp.EndAnywhere}, {`3`, tsp.EndAt(3)}} {
			for _, alg := range tsp.Algorithms() {
				req := `{"costs":` + body + `,"backend":"` + b.Name + `","algorithm":"` + alg.String() + `","start":1,"end":` + c.end + `}`
				got := solveRaw(t, ts.URL, []byte(req))
				opt := tsp.Options{Algorithm: alg, Start: 1, End: c.want}
				if alg == tsp.Iterated {
					opt.Budget = tsp.DefaultBudget(5)
				}
				want, err := tsp.Go().Solve(context.Background(), cm.Matrix, opt)
				if err != nil {
					t.Fatal(err)
				}
				what := b.Name + " " + alg.String() + " end " + c.end
				if !slices.Equal(got.Order, want.Order) || got.Length != want.Length || got.LengthKm != 0 || got.Tour != nil ||
					got.Path == c.want.Closed() || got.Nodes != want.Nodes || got.Status != want.Status.String() {
					t.Errorf("%s: %+v, want %v %v", what, got, want.Order, want.Length)
				}
				for k, i := range got.Order {
					if got.Names[k] != cm.Names[i] {
						t.Errorf("%s: name %d %q, want %q", what, k, got.Names[k], cm.Names[i])
					}
				}
				checkLegs(t, what, cm.Matrix, got)
			}
		}
	}
}

func TestSolveCostsErrors(t *testing.T) {
	ts, _ := start(t, server.Config{MaxMatrixCities: 12})
	ok := `{"matrix":[[0,1,2],[2,0,1],[1,2,0]]}`
	row := "[0" + strings.Repeat(",1", 1000) + "]"
	for _, tc := range []struct {
		name, body string
		code       int
		want       string
	}{
		{"both", `{"cities":[{"name":"a","lat":1,"lon":2}],"costs":` + ok + `}`, 400, `both "cities" and "costs"`},
		{"both, costs first", `{"costs":` + ok + `,"cities":[]}`, 400, `both "cities" and "costs"`},
		{"huge first row", `{"costs":{"matrix":[` + row + `]}}`, 422, "matrix row 0 has more than 12 values: this server takes at most 12 cities in a cost matrix"},
		{"huge names", `{"costs":{"names":[` + strings.Repeat(`"x",`, 100) + `"x"],"matrix":[[0]]}}`, 422, "more than 12 names"},
		{"ragged", `{"costs":{"matrix":[[0,1],[1]]}}`, 400, "costs: matrix is not square: matrix row 1 has 1 values, row 0 has 2"},
		{"negative", `{"costs":{"matrix":[[0,-1],[1,0]]}}`, 400, "row 0, column 1: -1, want a cost ≥ 0"},
		{"diagonal", `{"costs":{"matrix":[[0,1],[1,5]]}}`, 400, "row 1, column 1: 5, want 0"},
		{"infinite", `{"costs":{"matrix":[[0,1e400],[1,0]]}}`, 400, "1e400 is beyond float64"},
		{"NaN", `{"costs":{"matrix":[[0,NaN],[1,0]]}}`, 400, "malformed JSON"},
		{"not square", `{"costs":{"matrix":[[0,1,2],[1,0,2]]}}`, 400, "2 rows of 3 values"},
		{"all ones", `{"costs":{"matrix":[` + strings.TrimSuffix(strings.Repeat(squareRow(14)+",", 14), ",") + `]},"algorithm":"exhaustive"}`, 400, "diagonal"},
		{"end = start", `{"costs":` + ok + `,"end":0}`, 400, "end 0: want a city from 0 to 2 other than start"},
		{"end out of range", `{"costs":` + ok + `,"end":3}`, 400, "end 3"},
		{"end negative", `{"costs":` + ok + `,"end":-1}`, 400, `end must be "start", "any" or a city index`},
		{"end word", `{"costs":` + ok + `,"end":"berlin"}`, 400, `end must be "start", "any" or a city index ≥ 0, got the string "berlin"`},
		{"end float", `{"costs":` + ok + `,"end":1.5}`, 400, `end must be`},
	} {
		code, _, body, err := post(context.Background(), http.DefaultClient, ts.URL, []byte(tc.body))
		if err != nil {
			t.Fatal(err)
		}
		var e server.ErrorResponse
		decodeStrict(t, body, &e)
		if code != tc.code || !strings.Contains(e.Error, tc.want) {
			t.Errorf("%s: %d %q, want %d with %q", tc.name, code, e.Error, tc.code, tc.want)
		}
	}
	// Over an algorithm's limit on an asymmetric matrix, within the server's.
	ts, _ = start(t, server.Config{MaxMatrixCities: 20})
	rows := make([]string, 14)
	for i := range rows {
		r := make([]string, 14)
		for j := range r {
			r[j] = "1"
			if j == i {
				r[j] = "0"
			}
			if j == (i+1)%14 {
				r[j] = "2" // asymmetric
			}
		}
		rows[i] = "[" + strings.Join(r, ",") + "]"
	}
	body := `{"costs":{"matrix":[` + strings.Join(rows, ",") + `]},"algorithm":"exhaustive"}`
	code, _, b, _ := post(context.Background(), http.DefaultClient, ts.URL, []byte(body))
	if code != http.StatusUnprocessableEntity || !strings.Contains(string(b), "too many cities for exhaustive on an asymmetric matrix: 14, at most 13") {
		t.Errorf("exhaustive on 14: %d %s", code, b)
	}
}

// squareRow is a row of n ones: a bad diagonal in any matrix.
func squareRow(n int) string { return "[" + strings.TrimSuffix(strings.Repeat("1,", n), ",") + "]" }
