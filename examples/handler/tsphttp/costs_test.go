package tsphttp_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/ffi4go/tsp"
	"github.com/ffi4go/tsp/examples/handler/tsphttp"
)

// asymmetric is a cost matrix of n cities, one-way costs as a road network
// gives them: the distance plus a random detour on each direction.
func asymmetric(t testing.TB, n int, seed uint64) [][]float64 {
	t.Helper()
	m, err := tsp.HaversineMatrix(tsp.RandomCities(n, seed))
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(seed, 7))
	rows := make([][]float64, n)
	for i := range rows {
		rows[i] = make([]float64, n)
		for j := range rows[i] {
			if i != j {
				rows[i][j] = math.Round(m.At(i, j)*(1+r.Float64()/2)) / 10 // driving minutes, one decimal
			}
		}
	}
	return rows
}

func costsJSON(t testing.TB, names []string, rows [][]float64) string {
	t.Helper()
	v := map[string]any{"matrix": rows}
	if names != nil {
		v["names"] = names
	}
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// A cost matrix, asymmetric, with every end: the answer is Solve's tour,
// its names in visiting order, legs that sum to the length (no closing leg
// for a path) and the end city last.
func TestMatrix(t *testing.T) {
	ts := serve(t, &tsphttp.Handler{})
	rows := asymmetric(t, 9, 1)
	names := []string{"depot", "a", "b", "c", "d", "e", "f", "g", "h"}
	m, err := tsp.NewMatrixRows(rows)
	if err != nil {
		t.Fatal(err)
	}
	if m.Symmetric() {
		t.Fatal("the test matrix is symmetric")
	}
	for _, c := range []struct {
		query string
		opt   tsp.Options
	}{
		{"", tsp.Options{Algorithm: tsp.Exact}},
		{"?end=start&algorithm=exhaustive", tsp.Options{Algorithm: tsp.Exhaustive}},
		{"?end=any", tsp.Options{Algorithm: tsp.Exact, End: tsp.EndAnywhere}},
		{"?end=8&start=2&algorithm=exact", tsp.Options{Algorithm: tsp.Exact, Start: 2, End: tsp.EndAt(8)}},
		{"?end=any&algorithm=2opt", tsp.Options{Algorithm: tsp.TwoOpt, End: tsp.EndAnywhere}},
		{"?end=3&algorithm=iterated", tsp.Options{Algorithm: tsp.Iterated, End: tsp.EndAt(3), Budget: tsp.DefaultBudget(9)}},
	} {
		code, _, body := do(t, "POST", ts.URL+"/tour"+c.query, costsJSON(t, names, rows))
		if code != http.StatusOK {
			t.Fatalf("%s: %d %s", c.query, code, body)
		}
		var got tsphttp.MatrixResponse
		decode(t, body, &got)
		want, err := tsp.Solve(context.Background(), m, c.opt)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got.Order, want.Order) || got.Length != want.Length || got.Path == c.opt.End.Closed() ||
			got.Algorithm != want.Algorithm.String() || got.Status != want.Status.String() {
			t.Errorf("%s: %+v, want %v %v %v", c.query, got, want.Order, want.Length, want.Status)
		}
		legs, sum := len(got.Order)-1, 0.0
		if c.opt.End.Closed() {
			legs++
		}
		for k, l := range got.Legs {
			sum += l
			if l != m.At(got.Order[k], got.Order[(k+1)%len(got.Order)]) {
				t.Errorf("%s: leg %d costs %v", c.query, k, l)
			}
		}
		if len(got.Legs) != legs || math.Abs(sum-got.Length) > 1e-9*got.Length {
			t.Errorf("%s: %d legs summing to %v, want %d summing to %v", c.query, len(got.Legs), sum, legs, got.Length)
		}
		for k, i := range got.Order {
			if got.Names[k] != names[i] {
				t.Errorf("%s: name %d is %q, want %q", c.query, k, got.Names[k], names[i])
			}
		}
		if e, ok := c.opt.End.City(); ok && got.Order[len(got.Order)-1] != e {
			t.Errorf("%s: the route ends at %d, want %d", c.query, got.Order[len(got.Order)-1], e)
		}
	}

	// Without names there are none in the answer; one city is a route of no legs.
	code, _, body := do(t, "POST", ts.URL+"/tour?end=any", ` {"matrix": [[0]]} `)
	if code != http.StatusOK || !strings.Contains(string(body), `"order":[0],"legs":[],"length":0,"path":true`) || strings.Contains(string(body), "names") {
		t.Errorf("one city: %d %s", code, body)
	}
}

// Hostile and malformed matrices get a clear 4xx, never a solve.
func TestMatrixErrors(t *testing.T) {
	ts := serve(t, &tsphttp.Handler{MaxMatrixCities: 20, MaxMatrixBytes: 8 << 10, MaxBytes: 1 << 10})
	rows := asymmetric(t, 4, 2)
	ok := func(edit func([][]float64)) string {
		r := make([][]float64, len(rows))
		for i := range rows {
			r[i] = slices.Clone(rows[i])
		}
		edit(r)
		return costsJSON(t, nil, r)
	}
	row := func(n int) string { return "[0" + strings.Repeat(",1", n-1) + "]" }
	for _, tc := range []struct {
		name, query, body string
		code              int
		want              string
	}{
		{"huge names array", "", `{"names":[` + strings.Repeat(`"x",`, 1000) + `"x"],"matrix":[[0]]}`, 422, "more than 20 names"},
		{"huge first row", "", `{"matrix":[` + row(1000) + `]}`, 422, "row 0 has more than 20 values"},
		{"huge body", "", `{"matrix":[[0` + strings.Repeat(" ", 9<<10) + `]]}`, 413, "over 8192 bytes"},
		{"ragged", "", `{"matrix":[[0,1,2],[1,0],[1,2,0]]}`, 400, "row 1 has 2 values, row 0 has 3"},
		{"long row", "", `{"matrix":[[0,1],[1,0,3]]}`, 400, "row 1 has more than 2 values"},
		{"too many rows", "", `{"matrix":[[0,1],[1,0],[1,1]]}`, 400, "more than 2 rows"},
		{"too few rows", "", `{"matrix":[[0,1,2],[1,0,2]]}`, 400, "2 rows of 3 values"},
		{"NaN", "", `{"matrix":[[0,NaN],[1,0]]}`, 400, "malformed JSON"},
		{"string NaN", "", `{"matrix":[[0,"NaN"],[1,0]]}`, 400, `row 0, column 1: want a number, got the string "NaN"`},
		{"Infinity", "", `{"matrix":[[0,Infinity],[1,0]]}`, 400, "malformed JSON"},
		{"beyond float64", "", `{"matrix":[[0,1e999],[1,0]]}`, 400, "row 0, column 1: 1e999 is beyond float64"},
		{"negative", "", ok(func(r [][]float64) { r[2][3] = -5 }), 400, "row 2, column 3: -5, want a cost ≥ 0"},
		{"diagonal", "", ok(func(r [][]float64) { r[1][1] = 9999 }), 400, "row 1, column 1: 9999, want 0"},
		{"overflow", "", `{"matrix":[[0,1e308],[1,0]]}`, 400, "too large"},
		{"null value", "", `{"matrix":[[0,null],[1,0]]}`, 400, "want a number, got null"},
		{"row not array", "", `{"matrix":[[0,1],5]}`, 400, "row 1: want an array of numbers"},
		{"matrix not array", "", `{"matrix":{}}`, 400, `"matrix": want an array`},
		{"no matrix", "", `{"names":["a"]}`, 400, `no "matrix" field`},
		{"empty matrix", "", `{"matrix":[]}`, 400, "empty"},
		{"empty row", "", `{"matrix":[[]]}`, 400, "empty"},
		{"names count", "", `{"names":["a"],"matrix":[[0,1],[1,0]]}`, 400, "1 names for a matrix of 2 cities"},
		{"name not string", "", `{"names":[1,2],"matrix":[[0,1],[1,0]]}`, 400, "name 0: want a string"},
		{"long name", "", `{"names":["` + strings.Repeat("x", 201) + `","b"],"matrix":[[0,1],[1,0]]}`, 400, "name 0 is 201 bytes long"},
		{"name not UTF-8", "", "{\"names\":[\"a\",\"b\xff\"],\"matrix\":[[0,1],[1,0]]}", 400, "name 1 is not valid UTF-8"},
		{"unknown field", "", `{"matrix":[[0]],"units":"s"}`, 400, `unknown field "units"`},
		{"case", "", `{"Matrix":[[0]]}`, 400, `unknown field "Matrix"`},
		{"twice", "", `{"matrix":[[0]],"matrix":[[0]]}`, 400, `field "matrix" given twice`},
		{"trailing", "", `{"matrix":[[0]]} {}`, 400, "unexpected data after the JSON value"},
		{"ends early", "", `{"matrix":[[0,1],[1`, 400, "ends early"},
		{"exact limit", "?algorithm=exhaustive", costsJSON(t, nil, asymmetric(t, 14, 3)), 422, "too many cities for exhaustive on an asymmetric matrix: 14, at most 13"},
		{"end equal start", "?end=0", ok(func([][]float64) {}), 400, "end 0: want a city from 0 to 3 other than start"},
		{"end out of range", "?end=4", ok(func([][]float64) {}), 400, "end 4"},
		{"start out of range", "?start=4", ok(func([][]float64) {}), 400, "start out of range: 4"},
		{"white space", "", strings.Repeat(" ", 5<<10) + `{"matrix":[[0]]}`, 400, "white space before the JSON value"},
		{"cities over their limit", "", citiesJSON(t, tsp.Demo30()), 413, "over 1024 bytes"},
	} {
		code, _, body := do(t, "POST", ts.URL+"/tour"+tc.query, tc.body)
		var e struct {
			Error string `json:"error"`
		}
		decode(t, body, &e)
		if code != tc.code || !strings.Contains(e.Error, tc.want) {
			t.Errorf("%s: %d %q, want %d with %q", tc.name, code, e.Error, tc.code, tc.want)
		}
	}
}

// counting counts the bytes read through it.
type counting struct {
	r io.Reader
	n int
}

func (c *counting) Read(p []byte) (int, error) {
	k, err := c.r.Read(p)
	c.n += k
	return k, err
}

// endless repeats s forever: a body that never ends.
type endless string

func (s endless) Read(p []byte) (int, error) {
	for k := 0; k < len(p); k += copy(p[k:], s) {
	}
	return len(p), nil
}

// The limits hold while reading: an endless names array or first row is
// refused after maxCities of them, having read a few kilobytes and
// allocated far less than a matrix of what was sent.
func TestDecodeCostsStopsEarly(t *testing.T) {
	for _, tc := range []struct{ name, head, rep string }{
		{"names", `{"names":[`, `"aaaaaaaa",`},
		{"first row", `{"matrix":[[0,`, `12345.5,`},
		{"rows", `{"matrix":[[0,1],`, `[1,0],`},
	} {
		c := &counting{r: io.MultiReader(strings.NewReader(tc.head), endless(tc.rep))}
		dec := json.NewDecoder(c)
		dec.UseNumber()
		var err error
		allocs := testing.AllocsPerRun(1, func() { _, err = tsphttp.DecodeCosts(dec, 100) })
		if !errors.Is(err, tsp.ErrInvalidInput) {
			t.Errorf("%s: %v", tc.name, err)
		}
		if c.n > 64<<10 {
			t.Errorf("%s: read %d bytes before refusing", tc.name, c.n)
		}
		if allocs > 5000 {
			t.Errorf("%s: %v allocations", tc.name, allocs)
		}
	}
}

// Memory follows what was read, not the limit: a small matrix under a
// limit of 10,000 cities allocates kilobytes, and a matrix of 200 cities a
// small multiple of its body (the decoder's tokens, garbage at once, and
// the n² values twice: read, and copied by tsp.NewMatrix).
func TestDecodeCostsMemory(t *testing.T) {
	for _, tc := range []struct {
		n, limit int
		perByte  uint64
	}{{3, 10000, 1000}, {200, 250, 40}} {
		body := costsJSON(t, nil, asymmetric(t, tc.n, 4))
		var before, after runtimeMem
		before.read()
		dec := json.NewDecoder(strings.NewReader(body))
		dec.UseNumber()
		c, err := tsphttp.DecodeCosts(dec, tc.limit)
		after.read()
		if err != nil || c.Matrix.N() != tc.n {
			t.Fatal(err)
		}
		if got, max := after.total-before.total, uint64(len(body))*tc.perByte; got > max {
			t.Errorf("%d cities, limit %d: decoding %d bytes allocated %d bytes, want at most %d", tc.n, tc.limit, len(body), got, max)
		}
	}
}

// An asymmetric matrix is priced as 2n cities where the library solves it
// so (Exact), as n cities elsewhere; a symmetric one always as n.
func TestEstimateMatrix(t *testing.T) {
	d := 10 * time.Second
	if got, want := tsphttp.EstimateMatrix(tsp.Exact, 20, false, d), tsphttp.Estimate(tsp.Exact, 40, d); got != want || got <= tsphttp.Estimate(tsp.Exact, 20, d) {
		t.Errorf("exact asymmetric: %v, want %v", got, want)
	}
	for _, alg := range []tsp.Algorithm{tsp.Exhaustive, tsp.Exact, tsp.Nearest, tsp.TwoOpt, tsp.Iterated} {
		if got, want := tsphttp.EstimateMatrix(alg, 12, true, d), tsphttp.Estimate(alg, 12, d); got != want {
			t.Errorf("%s symmetric: %v, want %v", alg, got, want)
		}
		if alg == tsp.Exact {
			continue
		}
		if got, want := tsphttp.EstimateMatrix(alg, 12, false, d), tsphttp.Estimate(alg, 12, d); got != want {
			t.Errorf("%s asymmetric: %v, want %v", alg, got, want)
		}
	}
}

// A declared body over the matrix limit is refused before it is read.
func TestMatrixBodyAdmission(t *testing.T) {
	ts := serve(t, &tsphttp.Handler{MaxBytes: 1000, MaxMatrixBytes: 5000})
	c := rawConn(t, ts.Listener.Addr().String(), "POST /tour HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 10000000\r\n", "")
	if code, _, msg := readAnswer(t, c); code != http.StatusRequestEntityTooLarge || msg != "request body over 5000 bytes" {
		t.Errorf("10 MB declared: %d %q", code, msg)
	}
	// A matrix between the two limits is read; cities of that size are not.
	body := costsJSON(t, nil, asymmetric(t, 25, 5))
	if len(body) <= 1000 || len(body) > 5000 {
		t.Fatalf("a body of %d bytes", len(body))
	}
	if code, _, msg := post(t, ts.URL+"/tour", body, nil); code != http.StatusOK {
		t.Errorf("matrix of %d bytes: %d %q", len(body), code, msg)
	}
	cities := citiesJSON(t, tsp.Demo30()[:20])
	if code, _, msg := post(t, ts.URL+"/tour", cities, nil); code != http.StatusRequestEntityTooLarge || msg != "request body over 1000 bytes" {
		t.Errorf("cities of %d bytes: %d %q", len(cities), code, msg)
	}
}

// FuzzDecodeCosts: any input gives a valid matrix within the limit, or an
// error of bad input; never a panic. What decodes encodes back (through
// tsp.CostMatrix) to the same matrix.
func FuzzDecodeCosts(f *testing.F) {
	for _, s := range []string{
		`{"names":["a","b"],"matrix":[[0,1],[2,0]]}`, `{"matrix":[[0]]}`, `{"matrix":[[0,1e999],[1,0]]}`,
		`{"matrix":[[0,-1],[1,0]]}`, `{"matrix":[[1]]}`, `{"matrix":[[0,1],[1]]}`, `{"names":[],"matrix":[]}`,
		`{"matrix":[[0,1,2],[3,0,4],[5,6,0]],"names":["x","y","z"]}`, `[]`, `{`, `{"matrix":[[0,"1"],[1,0]]}`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		dec := json.NewDecoder(strings.NewReader(s))
		dec.UseNumber()
		c, err := tsphttp.DecodeCosts(dec, 8)
		if err != nil {
			if !errors.Is(err, tsp.ErrInvalidInput) {
				t.Fatalf("%q: %v does not wrap ErrInvalidInput", s, err)
			}
			return
		}
		n := c.Matrix.N()
		if n < 1 || n > 8 || c.Names != nil && len(c.Names) != n {
			t.Fatalf("%q: %d cities, %d names", s, n, len(c.Names))
		}
		b, err := json.Marshal(tsp.CostMatrix{Names: c.Names, Matrix: c.Matrix})
		if err != nil {
			t.Fatal(err)
		}
		dec = json.NewDecoder(bytes.NewReader(b))
		dec.UseNumber()
		again, err := tsphttp.DecodeCosts(dec, 8)
		if err != nil {
			t.Fatalf("%s: %v", b, err)
		}
		for i := range n {
			for j := range n {
				if again.Matrix.At(i, j) != c.Matrix.At(i, j) {
					t.Fatalf("%s: [%d][%d] %v, was %v", b, i, j, again.Matrix.At(i, j), c.Matrix.At(i, j))
				}
			}
		}
		if fmt.Sprint(again.Names) != fmt.Sprint(c.Names) {
			t.Fatalf("names %q, were %q", again.Names, c.Names)
		}
	})
}

// BenchmarkDecodeCosts: reading a cost matrix of n places, costs with one
// decimal, as a request body: by DecodeCosts, encoding/json's token reader
// (token), and by FastCosts, the library's fast reader (fast), which the
// handler uses first.
func BenchmarkDecodeCosts(b *testing.B) {
	sizes := []int{50, 250, 2000}
	if testing.Short() {
		sizes = sizes[:2]
	}
	for _, n := range sizes {
		body := costsJSON(b, nil, asymmetric(b, n, 6))
		b.Run(fmt.Sprintf("%d/token", n), func(b *testing.B) {
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			for b.Loop() {
				dec := json.NewDecoder(strings.NewReader(body))
				dec.UseNumber()
				if _, err := tsphttp.DecodeCosts(dec, n); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(fmt.Sprintf("%d/fast", n), func(b *testing.B) {
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			for b.Loop() {
				if _, _, ok, err := tsphttp.FastCosts([]byte(body), n); !ok || err != nil {
					b.Fatal(ok, err)
				}
			}
		})
	}
}

// FuzzFastCosts: what FastCosts takes, DecodeCosts takes too, with the same
// names and the same matrix in every bit, and rest is what follows it;
// what DecodeCosts takes from valid UTF-8, FastCosts takes; it refuses
// only a name that is not valid UTF-8.
func FuzzFastCosts(f *testing.F) {
	for _, s := range []string{
		`{"names":["a","b"],"matrix":[[0,1],[2,0]]}`, ` {"matrix":[[0]]} x`, `{"matrix":[[0,1e999],[1,0]]}`,
		`{"matrix":[[0,-1],[1,0]]}`, `{"matrix":[[1]]}`, `{"names":["\u00e9\"","b"],"matrix":[[0,1.5],[2e3,0]]}`,
		"{\"names\":[\"a\xff\"],\"matrix\":[[0]]}", `{"matrix":[[0,1,2],[3,0,4],[5,6,0]],"names":["x","y","z"]}`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, rest, ok, err := tsphttp.FastCosts([]byte(s), 3)
		dec := json.NewDecoder(strings.NewReader(s))
		dec.UseNumber()
		want, werr := tsphttp.DecodeCosts(dec, 3)
		switch {
		case err != nil:
			if ok || !errors.Is(err, tsp.ErrSyntax) || utf8.ValidString(s) {
				t.Fatalf("%q: FastCosts refused it: %v", s, err)
			}
		case ok:
			if werr != nil {
				t.Fatalf("%q: FastCosts took it, DecodeCosts says %v", s, werr)
			}
			if string(rest) != s[dec.InputOffset():] || fmt.Sprintf("%q", c.Names) != fmt.Sprintf("%q", want.Names) || (c.Names == nil) != (want.Names == nil) {
				t.Fatalf("%q: rest %q, names %q; want %q, %q", s, rest, c.Names, s[dec.InputOffset():], want.Names)
			}
			n := c.Matrix.N()
			if n != want.Matrix.N() {
				t.Fatalf("%q: %d cities, want %d", s, n, want.Matrix.N())
			}
			for i := range n {
				for j := range n {
					if math.Float64bits(c.Matrix.At(i, j)) != math.Float64bits(want.Matrix.At(i, j)) {
						t.Fatalf("%q: (%d, %d) is %v, want %v", s, i, j, c.Matrix.At(i, j), want.Matrix.At(i, j))
					}
				}
			}
		case werr == nil && utf8.ValidString(s):
			t.Fatalf("%q: DecodeCosts took it, FastCosts did not", s)
		}
	})
}
