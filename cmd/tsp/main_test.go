package main

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/ffi4go/tsp"
	"github.com/ffi4go/tsp/backends"
)

// runTSP runs the command with stdin and returns its output and exit code.
func runTSP(t *testing.T, stdin string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(args, strings.NewReader(stdin), &out, &errb)
	return out.String(), errb.String(), code
}

// wantKeys is the exact key order of a solve object.
var wantKeys = []string{"backend", "algorithm", "n", "start", "end", "tour", "names", "length", "status", "lower_bound", "nodes", "elapsed_ns"}

// objectKeys reads one JSON object from dec and returns its keys in order.
func objectKeys(t *testing.T, dec *json.Decoder) []string {
	t.Helper()
	tok, err := dec.Token()
	if err != nil || tok != json.Delim('{') {
		t.Fatalf("want '{', got %v, %v", tok, err)
	}
	var keys []string
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			t.Fatal(err)
		}
		k, ok := tok.(string)
		if !ok {
			t.Fatalf("key %v is not a string", tok)
		}
		keys = append(keys, k)
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			t.Fatal(err)
		}
	}
	if tok, err := dec.Token(); err != nil || tok != json.Delim('}') {
		t.Fatalf("want '}', got %v, %v", tok, err)
	}
	return keys
}

// decodeResult checks the key order of one solve object and decodes it.
func decodeResult(t *testing.T, data []byte) result {
	t.Helper()
	if keys := objectKeys(t, json.NewDecoder(bytes.NewReader(data))); !slices.Equal(keys, wantKeys) {
		t.Fatalf("keys %v, want %v", keys, wantKeys)
	}
	var r result
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&r); err != nil {
		t.Fatal(err)
	}
	if dec.More() {
		t.Fatal("more than one JSON value")
	}
	return r
}

// checkTour checks that r.Tour is a permutation of 0..n-1 starting at start,
// that names follow it and that length is the tour's length on m.
func checkTour(t *testing.T, r result, names []string, m *tsp.Matrix) {
	t.Helper()
	if len(r.Tour) != r.N || len(r.Names) != r.N {
		t.Fatalf("n=%d but %d tour entries, %d names", r.N, len(r.Tour), len(r.Names))
	}
	seen := make([]bool, r.N)
	for i, c := range r.Tour {
		if c < 0 || c >= r.N || seen[c] {
			t.Fatalf("tour %v is not a permutation of 0..%d", r.Tour, r.N-1)
		}
		seen[c] = true
		if r.Names[i] != names[c] {
			t.Errorf("names[%d] = %q, want %q (city %d)", i, r.Names[i], names[c], c)
		}
	}
	if r.Tour[0] != r.Start {
		t.Errorf("tour starts at %d, want %d", r.Tour[0], r.Start)
	}
	if m != nil {
		if got := tsp.TourLength(m, r.Tour); got != r.Length {
			t.Errorf("length %v, but the tour is %v long", r.Length, got)
		}
	}
}

func cityNames(cs []tsp.City) []string {
	names := make([]string, len(cs))
	for i, c := range cs {
		names[i] = c.Name
	}
	return names
}

func TestSolveJSONDemo11(t *testing.T) {
	for _, start := range []int{0, 4} {
		out, errOut, code := runTSP(t, "", "solve", "-json", "-start", strconv.Itoa(start), "demo11")
		if code != exitOK || errOut != "" {
			t.Fatalf("exit %d, stderr %q", code, errOut)
		}
		r := decodeResult(t, []byte(out))
		m, err := tsp.HaversineMatrix(tsp.Demo11())
		if err != nil {
			t.Fatal(err)
		}
		if r.Backend != "go" || r.Algorithm != "exact" || r.N != 11 || r.Start != start || r.Status != "optimal" {
			t.Errorf("got %+v", r)
		}
		checkTour(t, r, cityNames(tsp.Demo11()), m)
		if r.LowerBound != r.Length || r.Nodes == 0 || r.ElapsedNS < 0 {
			t.Errorf("lower_bound %v, length %v, nodes %d, elapsed_ns %d", r.LowerBound, r.Length, r.Nodes, r.ElapsedNS)
		}
		// The same optimum as the library computes.
		want, err := tsp.Solve(t.Context(), m, tsp.Options{Start: start, Algorithm: tsp.Exact})
		if err != nil {
			t.Fatal(err)
		}
		if r.Length != want.Length || !slices.Equal(r.Tour, want.Order) {
			t.Errorf("tour %v length %v, want %v length %v", r.Tour, r.Length, want.Order, want.Length)
		}
	}
}

func TestSolveAlgorithms(t *testing.T) {
	var exact float64
	for _, alg := range []string{"exact", "exhaustive", "nearest", "2opt", "twoopt"} {
		out, errOut, code := runTSP(t, "", "solve", "demo11", "-json", "-algorithm", alg) // flags after FILE too
		if code != exitOK {
			t.Fatalf("%s: exit %d, stderr %q", alg, code, errOut)
		}
		r := decodeResult(t, []byte(out))
		checkTour(t, r, cityNames(tsp.Demo11()), nil)
		switch alg {
		case "exact":
			exact = r.Length
		case "exhaustive":
			if r.Status != "optimal" || r.Length != exact {
				t.Errorf("exhaustive: %s %v, want optimal %v", r.Status, r.Length, exact)
			}
		default:
			if r.Status != "heuristic" || r.Length < exact || r.LowerBound != 0 {
				t.Errorf("%s: %s length %v lower bound %v", alg, r.Status, r.Length, r.LowerBound)
			}
		}
	}
}

func TestSolveHuman(t *testing.T) {
	out, errOut, code := runTSP(t, "", "solve", "-algorithm", "exhaustive", "demo11")
	if code != exitOK || errOut != "" {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	for _, want := range []string{"backend:     go", "algorithm:   exhaustive", "status:      optimal", " km", "lower bound:", "nodes:       9864101", "time:", "new york, ny, usa", "toronto, on, ca"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	// The route begins and ends at the start city.
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if !strings.Contains(lines[len(lines)-1], "new york") {
		t.Errorf("the route does not end at new york:\n%s", out)
	}
}

const citiesJSON = `[
 {"name": "a", "lat": 40.7, "lon": -74.0},
 {"name": "b", "lat": 42.4, "lon": -71.1},
 {"name": "c", "lat": 39.9, "lon": -75.2},
 {"name": "d", "lat": 38.9, "lon": -77.0},
 {"name": "e", "lat": 41.9, "lon": -87.6},
 {"name": "f", "lat": 47.6, "lon": -122.3}
]`

const citiesCSV = "name,lat,lon\na,40.7,-74.0\nb,42.4,-71.1\nc,39.9,-75.2\n\"d\", 38.9, -77.0\ne,41.9,-87.6\nf,47.6,-122.3\n"

// A 5-node TSPLIB instance: the corners of a 3×4 rectangle and a point on
// one side; the optimal tour runs around the rectangle, 14 long.
const smallTSP = `NAME: rect5
TYPE: TSP
COMMENT: test
DIMENSION: 5
EDGE_WEIGHT_TYPE: EUC_2D
NODE_COORD_SECTION
1 0 0
2 3 0
3 3 4
4 0 4
5 0 2
EOF
`

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestInputFormats(t *testing.T) {
	var cities []tsp.City
	if err := json.Unmarshal([]byte(citiesJSON), &cities); err != nil {
		t.Fatal(err)
	}
	m, err := tsp.HaversineMatrix(cities)
	if err != nil {
		t.Fatal(err)
	}
	names := cityNames(cities)
	for _, tc := range []struct {
		name, stdin string
		args        []string
	}{
		{"json", "", []string{writeFile(t, "c.json", citiesJSON)}},
		{"JSON upper-case extension", "", []string{writeFile(t, "c.JSON", citiesJSON)}},
		{"csv", "", []string{writeFile(t, "c.csv", citiesCSV)}},
		{"csv with BOM and reordered columns", "", []string{writeFile(t, "c.csv", "\ufeffLon, Lat ,Name\n-74.0,40.7,a\n-71.1,42.4,b\n-75.2,39.9,c\n-77.0,38.9,d\n-87.6,41.9,e\n-122.3,47.6,f\n")}},
		{"json by content", "", []string{writeFile(t, "cities.txt", citiesJSON)}},
		{"csv by content", "", []string{writeFile(t, "cities", citiesCSV)}},
		{"stdin", citiesJSON, []string{"-"}},
		{"csv on stdin", citiesCSV, []string{"-"}},
		{"csv without header", "", []string{writeFile(t, "c.csv", strings.SplitN(citiesCSV, "\n", 2)[1])}},
		{"csv with CRLF", "", []string{writeFile(t, "c.csv", strings.ReplaceAll(citiesCSV, "\n", "\r\n"))}},
		{"csv named .json", "", []string{writeFile(t, "c.json", citiesCSV)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"solve", "-json", "-algorithm", "exhaustive"}, tc.args...)
			out, errOut, code := runTSP(t, tc.stdin, args...)
			if code != exitOK {
				t.Fatalf("exit %d, stderr %q", code, errOut)
			}
			r := decodeResult(t, []byte(out))
			if r.N != 6 || r.Status != "optimal" {
				t.Errorf("n %d status %s", r.N, r.Status)
			}
			checkTour(t, r, names, m)
		})
	}
}

func TestInputTSPLIB(t *testing.T) {
	for _, name := range []string{"rect5.tsp", "rect5.data"} { // by extension and by content
		p := writeFile(t, name, smallTSP)
		out, errOut, code := runTSP(t, "", "solve", "-json", p)
		if code != exitOK {
			t.Fatalf("%s: exit %d, stderr %q", name, code, errOut)
		}
		r := decodeResult(t, []byte(out))
		checkTour(t, r, []string{"1", "2", "3", "4", "5"}, nil)
		if r.N != 5 || r.Length != 14 || r.Status != "optimal" {
			t.Errorf("%s: n %d length %v status %s, want 5, 14, optimal", name, r.N, r.Length, r.Status)
		}
		out, _, code = runTSP(t, "", "solve", p)
		if code != exitOK || !strings.Contains(out, "length:      14\n") || strings.Contains(out, "km") {
			t.Errorf("%s: human output (exit %d):\n%s", name, code, out)
		}
	}
	// A real TSPLIB instance of the repository, when present.
	burma := filepath.Join("..", "..", "testdata", "tsplib", "burma14.tsp")
	out, errOut, code := runTSP(t, "", "solve", "-json", burma)
	if code != exitOK {
		t.Fatalf("burma14: exit %d, stderr %q", code, errOut)
	}
	if r := decodeResult(t, []byte(out)); r.Length != 3323 || r.N != 14 {
		t.Errorf("burma14: n %d length %v, want 14 and 3323", r.N, r.Length)
	}
}

// TestTimeoutExit3: the timeout stops the search (13 cities exhaustive take
// seconds), the best tour is printed, exit 3. It covers reading the input
// too, so it must leave time for that (under the race detector as well).
func TestTimeoutExit3(t *testing.T) {
	cities := tsp.RandomCities(13, 1)
	data, err := json.Marshal(cities)
	if err != nil {
		t.Fatal(err)
	}
	out, errOut, code := runTSP(t, string(data), "solve", "-json", "-algorithm", "exhaustive", "-timeout", "300ms", "-")
	if code != exitStopped {
		t.Fatalf("exit %d, want %d; stderr %q", code, exitStopped, errOut)
	}
	if !strings.Contains(errOut, "timeout") || strings.Count(errOut, "\n") != 1 {
		t.Errorf("stderr %q", errOut)
	}
	r := decodeResult(t, []byte(out))
	if r.Status != "stopped" || r.N != 13 {
		t.Errorf("status %s n %d", r.Status, r.N)
	}
	m, _ := tsp.HaversineMatrix(cities)
	checkTour(t, r, cityNames(cities), m)

	// Human output too.
	out, _, code = runTSP(t, string(data), "solve", "-algorithm", "exhaustive", "-timeout", "300ms", "-")
	if code != exitStopped || !strings.Contains(out, "status:      stopped") || !strings.Contains(out, "route") {
		t.Errorf("exit %d:\n%s", code, out)
	}
}

func TestUsage(t *testing.T) {
	out, errOut, code := runTSP(t, "")
	if code != exitUsage || out != "" || !strings.Contains(errOut, "tsp solve") || !strings.Contains(errOut, "demo30") {
		t.Errorf("no args: exit %d, stdout %q", code, out)
	}
	for _, args := range [][]string{{"-h"}, {"--help"}, {"help"}} {
		out, errOut, code := runTSP(t, "", args...)
		if code != exitOK || errOut != "" || !strings.Contains(out, "tsp compare") || !strings.Contains(out, "demo11") {
			t.Errorf("%v: exit %d, stderr %q", args, code, errOut)
		}
	}
	for _, cmd := range []string{"solve", "compare", "backends", "buildlib"} {
		for _, args := range [][]string{{cmd, "-h"}, {"help", cmd}} {
			out, _, code := runTSP(t, "", args...)
			if code != exitOK || !strings.HasPrefix(out, "tsp "+cmd) {
				t.Errorf("%v: exit %d, stdout %q", args, code, out)
			}
		}
	}
}

// overflowTSP is the 4-city matrix of issue 13, whose every tour is +Inf:
// solve -json used to fail with exit 1 and print nothing (TwoOpt and Exact
// never returned at all).
const overflowTSP = `NAME: overflow4
TYPE: TSP
DIMENSION: 4
EDGE_WEIGHT_TYPE: EXPLICIT
EDGE_WEIGHT_FORMAT: FULL_MATRIX
EDGE_WEIGHT_SECTION
0 1e308 1e308 1
1e308 0 1.7e308 0
1e308 1.7e308 0 0
1 0 0 0
EOF
`

// TestOverflowRejected: a TSPLIB matrix whose tours would overflow is
// refused up front, with every algorithm and -json, with exit 65 (bad
// input) and one line naming the limit.
func TestOverflowRejected(t *testing.T) {
	p := writeFile(t, "overflow4.tsp", overflowTSP)
	for _, alg := range []string{"auto", "exhaustive", "exact", "nearest", "2opt"} {
		out, errOut, code := runTSP(t, "", "solve", "-json", "-algorithm", alg, p)
		if code != exitData || out != "" {
			t.Errorf("%s: exit %d, stdout %q; want exit %d and nothing", alg, code, out, exitData)
		}
		if !strings.HasPrefix(errOut, "tsp: ") || strings.Count(errOut, "\n") != 1 ||
			!strings.Contains(errOut, "distances too large") || !strings.Contains(errOut, "MaxTourLength/n") {
			t.Errorf("%s: stderr %q, want one line naming the limit", alg, errOut)
		}
	}
}

func TestBadInput(t *testing.T) {
	dir := t.TempDir()
	file := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	for _, tc := range []struct {
		name  string
		stdin string
		args  []string
		want  string // in the error line
		code  int    // 64 (EX_USAGE) for usage, 65 (EX_DATAERR) for bad input; never 2, the Go runtime's
	}{
		{"malformed JSON", "", []string{"solve", file("bad.json", `[{"name": "a", "lat": 1,`)}, "bad.json: city 0: the JSON ends early", 65},
		{"JSON object", "", []string{"solve", file("obj.json", `{"name": "a", "lat": 1, "lon": 2}`)}, "a city list is a JSON array of cities", 65},
		{"JSON trailing data", "", []string{"solve", file("trail.json", `[{"lat": 1, "lon": 2}] x`)}, "more data after the list of cities, at byte 23", 65},
		{"JSON missing lon", "", []string{"solve", file("nolon.json", `[{"name": "a", "lat": 1}]`)}, `city 0: missing "lon"`, 65},
		{"JSON missing lat", "[{\"name\":\"a\",\"lon\":2}]", []string{"solve", "-"}, `standard input: city 0: missing "lat"`, 65},
		{"JSON unknown field", "", []string{"solve", file("pop.json", `[{"lat": 1, "lon": 2, "population": 3}]`)}, `unknown field "population"`, 65},
		{"JSON NaN", "", []string{"solve", file("nan.json", `[{"name": "a", "lat": NaN, "lon": 2}]`)}, "malformed JSON", 65},
		{"CSV NaN", "", []string{"solve", file("nan.csv", "name,lat,lon\na,1,2\nb,NaN,3\n")}, "NaN", 65},
		{"CSV Inf", "", []string{"solve", file("inf.csv", "name,lat,lon\na,1,2\nb,1e999,3\n")}, "infinite", 65},
		{"CSV latitude", "", []string{"solve", file("lat.csv", "name,lat,lon\na,91,2\n")}, "latitude", 65},
		{"CSV longitude", "", []string{"solve", file("lon.csv", "name,lat,lon\na,1,-181\n")}, "longitude", 65},
		{"CSV not a number", "", []string{"solve", file("word.csv", "name,lat,lon\na,north,2\n")}, `word.csv: line 2: lat "north" is not a number`, 65},
		{"CSV bad header", "", []string{"solve", file("alt.csv", "name,lat,alt\na,1,2\n")}, `unknown column "alt"`, 65},
		{"CSV on stdin", "name,lat,lon\na,1,2\nb,95,3\n", []string{"solve", "-"}, "standard input: line 3: latitude outside [-90, 90]: 95", 65},
		{"UTF-16", "\xff\xfe[\x00", []string{"solve", "-"}, "UTF-16 is not supported", 65},
		{"CSV short row", "", []string{"solve", file("short.csv", "name,lat,lon\na,1\n")}, "short.csv: line 2: 2 fields, want 3", 65},
		{"CSV empty", "", []string{"solve", file("empty.csv", "")}, "no cities", 65},
		{"CSV header only", "", []string{"solve", file("head.csv", "name,lat,lon\n")}, "no cities", 65},
		{"empty list", "[]", []string{"solve", "-"}, "no cities", 65},
		{"empty stdin", "", []string{"solve", "-"}, "no cities", 65},
		{"malformed TSPLIB", "", []string{"solve", file("bad.tsp", "NAME: x\nDIMENSION: 3\nEDGE_WEIGHT_TYPE: EUC_2D\nNODE_COORD_SECTION\n1 0 0\n2 x y\n")}, "bad.tsp", 65},
		{"missing file", "", []string{"solve", filepath.Join(dir, "nope.json")}, "no such file", 65},
		{"start out of range", "", []string{"solve", "-start", "11", "demo11"}, "start out of range", 65},
		{"negative start", "", []string{"solve", "-start", "-1", "demo11"}, "start out of range", 65},
		{"too many for exhaustive", "", []string{"solve", "-algorithm", "exhaustive", "demo30"}, "at most 13", 65},
		{"unknown algorithm", "", []string{"solve", "-algorithm", "fastest", "demo11"}, "unknown algorithm", 64},
		{"unknown backend", "", []string{"solve", "-backend", "fortran", "demo11"}, "unknown backend", 64},
		{"negative timeout", "", []string{"solve", "-timeout", "-1s", "demo11"}, "negative", 64},
		{"bad flag", "", []string{"solve", "-fast", "demo11"}, "flag provided but not defined", 64},
		{"no FILE", "", []string{"solve"}, "one FILE", 64},
		{"two FILEs", "", []string{"solve", "demo11", "demo30"}, "one FILE", 64},
		{"unknown command", "", []string{"optimise"}, "unknown command", 64},
		{"compare unknown algorithm", "", []string{"compare", "-algorithm", "x"}, "unknown algorithm", 64},
		{"compare too many", "", []string{"compare", "-algorithm", "exhaustive", "demo30"}, "at most 13", 65},
		{"compare deadline-table with FILE", "", []string{"compare", "-deadline-table", "demo11"}, "takes no FILE", 64},
		{"compare svg with FILE", "", []string{"compare", "-svg", filepath.Join(dir, "x.svg"), "demo11"}, "-svg", 64},
		{"compare negative count", "", []string{"compare", "-count", "-1", "demo11"}, "negative", 64},
		{"backends argument", "", []string{"backends", "x"}, "no arguments", 64},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, errOut, code := runTSP(t, tc.stdin, tc.args...)
			if code != tc.code {
				t.Errorf("exit %d, want %d", code, tc.code)
			}
			if out != "" {
				t.Errorf("stdout %q", out)
			}
			if !strings.HasPrefix(errOut, "tsp: ") || strings.Count(errOut, "\n") != 1 || !strings.HasSuffix(errOut, "\n") {
				t.Errorf("stderr is not one line starting with \"tsp: \": %q", errOut)
			}
			if strings.Contains(errOut, "tsp: tsp:") || !strings.Contains(errOut, tc.want) {
				t.Errorf("stderr %q, want it to contain %q", errOut, tc.want)
			}
		})
	}
}

// TestExitCodes: tsp never exits 2, which is the Go runtime's code for a
// panic or fatal error, and the help documents every code it uses.
func TestExitCodes(t *testing.T) {
	codes := map[int]string{exitOK: "0", exitFailed: "1", exitStopped: "3", exitUsage: "64", exitData: "65"}
	if len(codes) != 5 {
		t.Fatalf("two exit codes are equal: %v", codes)
	}
	help, _, _ := runTSP(t, "", "help")
	_, usage, _ := runTSP(t, "")
	for code, s := range codes {
		if code == 2 {
			t.Errorf("exit code 2 is used, but the Go runtime exits 2 on a crash")
		}
		if strings.TrimSpace(s) != fmt.Sprint(code) {
			t.Errorf("exit code %d written as %q", code, s)
		}
		for _, text := range []string{help, usage} {
			if !strings.Contains(text, "\n  "+s+" ") {
				t.Errorf("the help does not document exit code %d", code)
			}
		}
	}
	if !strings.Contains(help, "never exits 2") {
		t.Errorf("the help does not say what exit 2 means")
	}
	// A known backend that is unavailable here is a failure, not bad usage.
	_, errOut, code := runTSP(t, "", "solve", "-backend", "purego-c", "-lib", t.TempDir(), "demo11")
	if code != exitFailed || !strings.Contains(errOut, "not found") {
		t.Errorf("an unavailable backend: exit %d, stderr %q", code, errOut)
	}
}

func TestBackends(t *testing.T) {
	out, errOut, code := runTSP(t, "", "backends", "-lib", t.TempDir())
	if code != exitOK || errOut != "" {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	for _, name := range backends.Names() {
		if !strings.Contains(out, name+" ") {
			t.Errorf("backends lacks %s:\n%s", name, out)
		}
	}
	if !strings.Contains(out, "go   ") || !strings.Contains(out, "available") {
		t.Errorf("output:\n%s", out)
	}
	// Every unavailable backend says why.
	for _, b := range backends.All(backends.Config{LibDir: t.TempDir()}) {
		if !b.Available() && !strings.Contains(out, "unavailable") {
			t.Errorf("%s is unavailable but the output does not say so:\n%s", b.Name, out)
		}
	}
}

// checkCompareEntry checks the keys of one compare entry: the solve keys,
// then "error" exactly when the backend has no result.
func checkCompareEntries(t *testing.T, data []byte) []result {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(data))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('[') {
		t.Fatalf("want '[', got %v, %v", tok, err)
	}
	var keys [][]string
	for dec.More() {
		keys = append(keys, objectKeys(t, dec))
	}
	var rs []result
	if err := json.Unmarshal(data, &rs); err != nil {
		t.Fatal(err)
	}
	for i, r := range rs {
		want := wantKeys
		if r.Runs > 0 {
			want = append(slices.Clone(wantKeys), "runs", "min_ns", "max_ns")
			if r.MinNS > r.ElapsedNS || r.ElapsedNS > r.MaxNS {
				t.Errorf("entry %d (%s): median %d outside [%d, %d]", i, r.Backend, r.ElapsedNS, r.MinNS, r.MaxNS)
			}
		}
		if r.Error != "" {
			want = append(slices.Clone(wantKeys), "error")
		}
		if !slices.Equal(keys[i], want) {
			t.Errorf("entry %d (%s): keys %v, want %v", i, r.Backend, keys[i], want)
		}
		switch r.Status {
		case "optimal", "heuristic", "stopped":
			if r.Error != "" {
				t.Errorf("%s: status %s with error %q", r.Backend, r.Status, r.Error)
			}
		case statusUnavailable, statusError, statusSkipped, statusUnsupported:
			if r.Error == "" || len(r.Tour) != 0 {
				t.Errorf("%s: status %s without error or with a tour", r.Backend, r.Status)
			}
		default:
			t.Errorf("%s: status %q", r.Backend, r.Status)
		}
	}
	return rs
}

// compareNames are the backends compare runs by default: every one but
// slowBackends.
func compareNames() []string {
	var names []string
	for _, n := range backends.Names() {
		if !slices.Contains(slowBackends, n) {
			names = append(names, n)
		}
	}
	return names
}

// TestCompareBackends: by default compare leaves the slow Python backends
// out and says so under the table; -backends names the ones to run (all:
// every one), and an unknown name is a usage error.
func TestCompareBackends(t *testing.T) {
	out, errOut, code := runTSP(t, "", "compare", "-count", "1", "-algorithm", "nearest", "demo11")
	if code != exitOK {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	if !strings.Contains(out, "not run: worker-python, worker-cython, worker-pypy") || !strings.Contains(out, "-backends all") {
		t.Errorf("no line on the backends left out:\n%s", out)
	}
	for _, line := range strings.Split(out, "\n") {
		if f := strings.Fields(line); len(f) > 0 && slices.Contains(slowBackends, f[0]) {
			t.Errorf("a row for %s, left out by default:\n%s", f[0], out)
		}
	}
	out, errOut, code = runTSP(t, "", "compare", "-json", "-count", "1", "-algorithm", "nearest", "-backends", "cgo-c, go", "demo11")
	if code != exitOK {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	rs := checkCompareEntries(t, []byte(out))
	if len(rs) != 2 || rs[0].Backend != "go" || rs[1].Backend != "cgo-c" {
		t.Errorf("-backends cgo-c,go: %+v", rs)
	}
	out, errOut, code = runTSP(t, "", "compare", "-json", "-count", "1", "-algorithm", "nearest", "-backends", "all", "demo11")
	if code != exitOK {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	if rs := checkCompareEntries(t, []byte(out)); len(rs) != len(backends.Names()) {
		t.Errorf("-backends all: %d entries, want %d", len(rs), len(backends.Names()))
	}
	if _, errOut, code = runTSP(t, "", "compare", "-backends", "go,nope", "demo11"); code != exitUsage || !strings.Contains(errOut, `no backend "nope"`) {
		t.Errorf("-backends go,nope: exit %d, stderr %q; want %d and the unknown name", code, errOut, exitUsage)
	}
}

func TestCompareDemo11(t *testing.T) {
	out, errOut, code := runTSP(t, "", "compare", "-count", "1", "demo11")
	if code != exitOK {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	for _, want := range []string{"demo11: 11 cities, exhaustive", "backend", "time", "length km", "nodes", "soft 1 s", "hard 10 s", "optimal", "9864101", "yes"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "Deadline table") {
		t.Errorf("a FILE given, but the deadline table printed:\n%s", out)
	}
	all, _, _ := chooseBackends(backends.All(backends.Config{}), "")
	available := 0
	for _, b := range all {
		if b.Available() {
			available++
		}
	}
	fastest, none := strings.Contains(out, "Fastest:"), strings.Contains(out, "No backend is clearly fastest")
	if available > 1 && fastest == none || available == 1 && (fastest || none) {
		t.Errorf("%d backends: want a Fastest line or the reason there is none only with two or more:\n%s", available, out)
	}
	for _, b := range all {
		if !strings.Contains(out, b.Name) {
			t.Errorf("table lacks backend %s:\n%s", b.Name, out)
		}
	}

	out, errOut, code = runTSP(t, "", "compare", "-json", "-count", "1", "demo11")
	if code != exitOK {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	rs := checkCompareEntries(t, []byte(out))
	if len(rs) != len(compareNames()) {
		t.Fatalf("%d entries, want %d", len(rs), len(compareNames()))
	}
	m, _ := tsp.HaversineMatrix(tsp.Demo11())
	for i, r := range rs {
		if r.Backend != compareNames()[i] || r.N != 11 || r.Algorithm != "exhaustive" {
			t.Errorf("entry %d: %+v", i, r)
		}
		if all[i].Available() != (r.Status == "optimal") {
			t.Errorf("%s: available %v, status %s (%s)", r.Backend, all[i].Available(), r.Status, r.Error)
		}
		if r.Status == "optimal" {
			checkTour(t, r, cityNames(tsp.Demo11()), m)
			if r.Length != rs[0].Length || !slices.Equal(r.Tour, rs[0].Tour) {
				t.Errorf("%s disagrees with go", r.Backend)
			}
		}
	}
	if rs[0].Status != "optimal" || rs[0].Nodes != 9864101 {
		t.Errorf("go: %+v", rs[0])
	}
}

func TestCompareOtherAlgorithm(t *testing.T) {
	out, errOut, code := runTSP(t, "", "compare", "-algorithm", "2opt", "-json")
	if code != exitOK {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	rs := checkCompareEntries(t, []byte(out))
	if len(rs) != len(compareNames()) || rs[0].Algorithm != "2opt" || rs[0].N != 11 || rs[0].Status != "heuristic" {
		t.Errorf("%d entries, first %+v", len(rs), rs[0])
	}
}

// TestComparePoints: compare on a list of more cities than a matrix takes
// measures the coordinate path on every backend that has it; the others
// say why not.
func TestComparePoints(t *testing.T) {
	var b strings.Builder
	b.WriteString("lat,lon\n")
	for _, c := range tsp.RandomCities(tsp.MaxHeuristic+1, 7) {
		fmt.Fprintf(&b, "%v,%v\n", c.Lat, c.Lon)
	}
	out, errOut, code := runTSP(t, b.String(), "compare", "-algorithm", "nearest", "-json", "-")
	if code != exitOK {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	rs := checkCompareEntries(t, []byte(out))
	if rs[0].Backend != "go" || rs[0].N != tsp.MaxHeuristic+1 || rs[0].Status != "heuristic" {
		t.Fatalf("go: %+v", rs[0])
	}
	for _, r := range rs[1:] {
		switch r.Status {
		case "heuristic":
			if r.Length != rs[0].Length {
				t.Errorf("%s: %v, go %v", r.Backend, r.Length, rs[0].Length)
			}
		case statusUnavailable:
		default:
			t.Errorf("%s: %+v", r.Backend, r)
		}
	}
}

// TestCompareDeadlineTable runs the real deadline table once (with every
// backend available here: a few tens of milliseconds each) and the SVG.
func TestCompareDeadlineTable(t *testing.T) {
	if testing.Short() {
		t.Skip("runs every backend on the deadline table")
	}
	svgPath := filepath.Join(t.TempDir(), "deadlines.svg")
	out, errOut, code := runTSP(t, "", "compare", "-count", "1", "-svg", svgPath)
	if code != exitOK {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	for _, want := range []string{"demo11: 11 cities, exhaustive", "Deadline table", "demo30", "exact", "wrote the deadline chart"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	data, err := os.ReadFile(svgPath)
	if err != nil {
		t.Fatal(err)
	}
	var avail []string
	for _, b := range backends.All(backends.Config{}) {
		if b.Available() && slices.Contains(compareNames(), b.Name) {
			avail = append(avail, b.Name)
		}
	}
	checkSVG(t, data, avail)

	out, errOut, code = runTSP(t, "", "compare", "-deadline-table", "-count", "1", "-json")
	if code != exitOK {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	rs := checkCompareEntries(t, []byte(out))
	if len(rs) != len(deadlineRows)*len(compareNames()) {
		t.Fatalf("%d entries, want %d", len(rs), len(deadlineRows)*len(compareNames()))
	}
	for i, r := range rs {
		row := deadlineRows[i/len(compareNames())]
		if r.N != row.k || r.Algorithm != row.alg.String() || r.Backend != compareNames()[i%len(compareNames())] {
			t.Errorf("entry %d: %s %s n=%d, want row %+v", i, r.Backend, r.Algorithm, r.N, row)
		}
		if r.Backend == "go" && r.Status != "optimal" {
			t.Errorf("go on %d cities: %s %s", r.N, r.Status, r.Error)
		}
	}
}

// checkSVG parses data as XML and checks for a polyline and a legend entry
// per backend in want, and none for any other backend.
func checkSVG(t *testing.T, data []byte, want []string) {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(data))
	lines := map[string]int{}
	legend := map[string]bool{}
	var texts []string
	root := ""
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("the SVG is not well-formed XML: %v", err)
		}
		switch el := tok.(type) {
		case xml.StartElement:
			if root == "" {
				root = el.Name.Local
				if el.Name.Space != "http://www.w3.org/2000/svg" {
					t.Errorf("root namespace %q", el.Name.Space)
				}
			}
			attr := func(name string) string {
				for _, a := range el.Attr {
					if a.Name.Local == name {
						return a.Value
					}
				}
				return ""
			}
			switch {
			case el.Name.Local == "polyline" && attr("data-backend") != "":
				lines[attr("data-backend")]++
			case attr("class") == "legend-entry":
				legend[attr("data-backend")] = true
			}
			for _, a := range el.Attr {
				if strings.Contains(a.Value, "http") && a.Name.Local != "xmlns" {
					t.Errorf("external resource in %s: %s=%q", el.Name.Local, a.Name.Local, a.Value)
				}
			}
		case xml.CharData:
			texts = append(texts, string(el))
		}
	}
	if root != "svg" {
		t.Errorf("root element %q", root)
	}
	for _, name := range want {
		if lines[name] == 0 {
			t.Errorf("no polyline for backend %s", name)
		}
		if !legend[name] {
			t.Errorf("no legend entry for backend %s", name)
		}
	}
	if len(lines) != len(want) {
		t.Errorf("polylines for %v, want %v", lines, want)
	}
	all := strings.Join(texts, "|")
	for _, s := range []string{"soft deadline 1 s", "hard deadline 10 s", "cities", "exhaustive", "exact", "log scale"} {
		if !strings.Contains(all, s) {
			t.Errorf("the SVG has no text %q", s)
		}
	}
}

// TestDeadlineSVGFromFigures draws the chart from made-up figures of
// every backend, one unavailable, one stopped by the timeout and then skipped.
func TestDeadlineSVGFromFigures(t *testing.T) {
	tab := &deadlineTable{rows: deadlineRows, backends: backends.Names(), count: 5, timeout: 10 * time.Second}
	for i, row := range deadlineRows {
		var cells []result
		for j, name := range backends.Names() {
			r := result{Backend: name, Algorithm: row.alg.String(), N: row.k, Tour: []int{}, Names: []string{}, Status: "optimal"}
			base := 1e-4 * math.Pow(10, float64(i)/2)
			if row.alg == tsp.Exhaustive {
				base = 1e-4 * math.Pow(10, float64(row.k-9))
			}
			r.ElapsedNS = int64(base * float64(j+1) * 1e9)
			switch {
			case name == "cgo-cpp":
				r.Status, r.Error, r.ElapsedNS = statusUnavailable, "not compiled in", 0
			case name == "purego-cpp" && row.alg == tsp.Exact && row.k == 25:
				r.Status, r.ElapsedNS = "stopped", int64(10*time.Second)
			case name == "purego-cpp" && row.alg == tsp.Exact && row.k > 25:
				r.Status, r.Error, r.ElapsedNS = statusSkipped, "not run", 0
			}
			cells = append(cells, r)
		}
		tab.cells = append(tab.cells, cells)
	}
	var buf bytes.Buffer
	if err := writeDeadlineSVG(&buf, tab); err != nil {
		t.Fatal(err)
	}
	var drawn []string // every backend but the unavailable cgo-cpp
	for _, name := range backends.Names() {
		if name != "cgo-cpp" {
			drawn = append(drawn, name)
		}
	}
	checkSVG(t, buf.Bytes(), drawn)
	if !strings.Contains(buf.String(), "stopped by the timeout") || !strings.Contains(buf.String(), "not available here") {
		t.Errorf("the legend does not explain stopped or unavailable backends")
	}

	// The text table from the same figures.
	var out bytes.Buffer
	printDeadlines(&out, tab)
	for _, want := range []string{"Deadline table: median of 5 runs", "cities", "go", "purego-cpp", "soft", "hard", "missed", "skipped", "Not available here", "cgo-cpp"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("the deadline table lacks %q:\n%s", want, out.String())
		}
	}
	if lines := strings.Split(out.String(), "\n"); len(lines) < len(deadlineRows)+4 {
		t.Errorf("too few lines:\n%s", out.String())
	}
}

func TestVerdict(t *testing.T) {
	for _, tc := range []struct {
		status    string
		el        time.Duration
		v, soft   string
		hard      string
		statusOut string
	}{
		{"optimal", 500 * time.Millisecond, "soft", "yes", "yes", ""},
		{"optimal", time.Second, "soft", "yes", "yes", ""},
		{"optimal", 3 * time.Second, "hard", "no", "yes", ""},
		{"heuristic", 11 * time.Second, "missed", "no", "no", ""},
		{"stopped", 10 * time.Second, "missed", "no", "no", ""},
		{"stopped", 2 * time.Second, "stopped", "no", "?", ""},
		{"stopped", time.Millisecond, "stopped", "?", "?", ""},
		{statusSkipped, 0, statusSkipped, "-", "-", ""},
	} {
		r := result{Status: tc.status, ElapsedNS: int64(tc.el)}
		if v, s, h := verdict(r), met(r, softDeadline), met(r, hardDeadline); v != tc.v || s != tc.soft || h != tc.hard {
			t.Errorf("%s %v: verdict %s soft %s hard %s, want %s %s %s", tc.status, tc.el, v, s, h, tc.v, tc.soft, tc.hard)
		}
	}
}

func TestFormatting(t *testing.T) {
	for d, want := range map[time.Duration]string{
		789:                     "789 ns",
		45600:                   "45.6 µs",
		1234567:                 "1.23 ms",
		12345678:                "12.3 ms",
		123456789:               "123 ms",
		1234567891:              "1.23 s",
		10 * time.Second:        "10.0 s",
		0:                       "0 ns",
		1500 * time.Millisecond: "1.50 s",
	} {
		if got := fmtDuration(d); got != want {
			t.Errorf("fmtDuration(%d) = %q, want %q", int64(d), got, want)
		}
	}
	if got := median([]time.Duration{5, 1, 3}); got != 3 {
		t.Errorf("median = %v", got)
	}
	if got := median([]time.Duration{4, 1, 3, 2}); got != 2 {
		t.Errorf("median = %v", got)
	}
	if got := errLine(fmt.Errorf("x.json: %w", tsp.ErrNaN)); got != "tsp: x.json: value is NaN" {
		t.Errorf("errLine = %q", got)
	}
}

func TestLoadCities(t *testing.T) {
	// A city without a name is called by its index.
	p, err := loadProblem("-", strings.NewReader(`[{"lat": 1, "lon": 2}, {"name": "b", "lat": -90, "lon": 180}]`))
	if err != nil || p.n() != 2 || !slices.Equal(p.names, []string{"0", "b"}) || p.label != "stdin" || !p.cities {
		t.Errorf("got %+v, %v", p, err)
	}
	p, err = loadProblem("-", strings.NewReader("# comment\nlatitude,longitude\n1,2\n3,4\n"))
	if err != nil || p.n() != 2 || !slices.Equal(p.names, []string{"0", "1"}) {
		t.Errorf("got %+v, %v", p, err)
	}
	// Past MaxHeuristic: points (the coordinate path), and a clear error
	// where a matrix is needed.
	big := "lat,lon\n" + strings.Repeat("1,2\n", tsp.MaxHeuristic+1)
	p, err = loadProblem("-", strings.NewReader(big))
	if err != nil || p.n() != tsp.MaxHeuristic+1 {
		t.Fatalf("%d cities: %v", tsp.MaxHeuristic+1, err)
	}
	if _, err := p.matrix(); !errors.Is(err, tsp.ErrTooLarge) || !strings.Contains(err.Error(), "at most 10000 in a matrix") {
		t.Errorf("a matrix of too many cities: %v", err)
	}
}

// TestReadmeCSV: the README's command line `go run ./cmd/tsp solve
// -backend cgo-c -algorithm 2opt testdata/cities.csv` has its input.
func TestReadmeCSV(t *testing.T) {
	const path = "../../testdata/cities.csv" // the README's testdata/cities.csv, from cmd/tsp
	p, err := loadProblem(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if p.n() < 10 || !p.cities {
		t.Errorf("%d cities", p.n())
	}
	for i, name := range p.names {
		if name == "" || name == strconv.Itoa(i) {
			t.Errorf("city %d has no name", i)
		}
	}
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(readme), "go run ./cmd/tsp solve -backend cgo-c -algorithm 2opt testdata/cities.csv") {
		t.Error("the README does not show the command line any more")
	}
	out, errOut, code := runTSP(t, "", "solve", "-algorithm", "2opt", path)
	if code != exitOK || !strings.Contains(out, "input:       "+path+", "+nCities(p.n())) {
		t.Errorf("exit %d, stderr %q, stdout:\n%s", code, errOut, out)
	}
}

func TestNCities(t *testing.T) {
	for n, want := range map[int]string{0: "0 cities", 1: "1 city", 2: "2 cities", 10000: "10000 cities"} {
		if got := nCities(n); got != want {
			t.Errorf("nCities(%d) = %q, want %q", n, got, want)
		}
	}
	out, errOut, code := runTSP(t, `[{"name": "home", "lat": 1, "lon": 2}]`, "solve", "-")
	if code != exitOK || !strings.Contains(out, "input:       stdin, 1 city\n") {
		t.Errorf("exit %d, stderr %q, stdout:\n%s", code, errOut, out)
	}
}

// TestCompareTimeout: a run the timeout stops is reported, not an error,
// and the larger rows of that algorithm are skipped for that backend.
func TestCompareTimeout(t *testing.T) {
	out, errOut, code := runTSP(t, "", "compare", "-deadline-table", "-timeout", "1ns", "-count", "2", "-json")
	if code != exitOK {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	rs := checkCompareEntries(t, []byte(out))
	nb := len(compareNames())
	if len(rs) != len(deadlineRows)*nb {
		t.Fatalf("%d entries", len(rs))
	}
	for i, row := range deadlineRows {
		r := rs[i*nb] // go
		want := statusSkipped
		if i == 0 || row.alg != deadlineRows[i-1].alg {
			want = "stopped"
		}
		if r.Status != want {
			t.Errorf("go, %s on %d cities: status %s, want %s (%s)", row.alg, row.k, r.Status, want, r.Error)
		}
		if r.Status == "stopped" {
			checkTour(t, r, cityNames(tsp.Demo30()[:row.k]), nil)
		}
	}
	out, _, code = runTSP(t, "", "compare", "-deadline-table", "-timeout", "1ns", "-count", "1")
	if code != exitOK || !strings.Contains(out, "stopped") || !strings.Contains(out, "skipped") {
		t.Errorf("exit %d:\n%s", code, out)
	}
	out, _, code = runTSP(t, "", "compare", "-timeout", "1ns", "-algorithm", "exact", "demo30")
	if code != exitOK || !strings.Contains(out, "stopped") || !strings.Contains(out, "?") {
		t.Errorf("exit %d:\n%s", code, out)
	}
}

// TestInterrupted: an interrupt (the context ending) stops the search like
// the timeout: the best tour is printed and the exit code is 3.
func TestInterrupted(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	var out, errb bytes.Buffer
	code := runContext(ctx, []string{"solve", "-json", "-algorithm", "exhaustive", "demo11"}, nil, &out, &errb)
	if code != exitStopped || !strings.Contains(errb.String(), "interrupt") {
		t.Fatalf("exit %d, stderr %q", code, errb.String())
	}
	r := decodeResult(t, out.Bytes())
	if r.Status != "stopped" {
		t.Errorf("status %s", r.Status)
	}
	checkTour(t, r, cityNames(tsp.Demo11()), nil)

	out.Reset()
	errb.Reset()
	code = runContext(ctx, []string{"compare", "-json", "demo11"}, nil, &out, &errb)
	if code != exitStopped || !strings.Contains(errb.String(), "interrupted") {
		t.Fatalf("compare: exit %d, stderr %q", code, errb.String())
	}
	checkCompareEntries(t, out.Bytes())
}

// TestBuildlib builds the shared libraries with the C and C++ compilers
// here, then checks that the purego backends load them and agree with go.
func TestBuildlib(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the C compiler")
	}
	if _, err := exec.LookPath("cc"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("CI has no C compiler: .ci/run must install gcc and g++")
		}
		t.Skip("no C compiler")
	}
	dir := t.TempDir()
	out, errOut, code := runTSP(t, "", "buildlib", "-o", dir)
	t.Logf("buildlib: exit %d\n%s%s", code, out, errOut)
	if code != exitOK {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	var built []string
	for _, name := range []string{"purego-c", "purego-cpp"} {
		file := map[string]string{"purego-c": "libtsp_c.so", "purego-cpp": "libtsp_cpp.so"}[name]
		path := filepath.Join(dir, file)
		if _, err := os.Stat(path); err == nil {
			built = append(built, name)
			if !strings.Contains(out, "built "+path) {
				t.Errorf("buildlib does not say it built %s", path)
			}
		}
	}
	if len(built) != 2 {
		t.Fatalf("built %v, want both libraries", built)
	}
	if !strings.Contains(out, "-lib "+dir) || !strings.Contains(out, "TSP_LIB_PATH="+dir) {
		t.Errorf("buildlib does not say how to use the libraries:\n%s", out)
	}
	out, _, _ = runTSP(t, "", "backends", "-lib", dir)
	t.Logf("backends:\n%s", out)

	out, errOut, code = runTSP(t, "", "compare", "-json", "-lib", dir, "demo11")
	if code != exitOK {
		t.Fatalf("compare: exit %d, stderr %q", code, errOut)
	}
	rs := checkCompareEntries(t, []byte(out))
	for _, r := range rs {
		if !slices.Contains(built, r.Backend) {
			continue
		}
		if r.Status != "optimal" || r.Length != rs[0].Length || !slices.Equal(r.Tour, rs[0].Tour) {
			t.Errorf("%s: %s %v %v (%s), go: %v %v", r.Backend, r.Status, r.Length, r.Tour, r.Error, rs[0].Length, rs[0].Tour)
		}
	}
}

// Two times differ only outside their runs' spread, or by 1.2× from one run.
func TestDistinct(t *testing.T) {
	r := func(med, lo, hi int64, runs int) result {
		return result{ElapsedNS: med, MinNS: lo, MaxNS: hi, Runs: runs}
	}
	for _, c := range []struct {
		a, b result
		want bool
	}{
		{r(100, 90, 110, 5), r(105, 100, 130, 5), false}, // ranges overlap
		{r(100, 90, 110, 5), r(150, 120, 160, 5), true},
		{r(100, 100, 100, 1), r(115, 115, 115, 1), false}, // one run: 1.15×
		{r(100, 100, 100, 1), r(125, 125, 125, 1), true},
		{r(0, 0, 0, 0), r(125, 125, 125, 1), false},
	} {
		if got := distinct(c.a, c.b); got != c.want {
			t.Errorf("distinct(%+v, %+v) = %v", c.a, c.b, got)
		}
		if got := distinct(c.b, c.a); got != c.want {
			t.Errorf("distinct(%+v, %+v) = %v (swapped)", c.b, c.a, got)
		}
	}
}

// The route table escapes what could reorder, hide or break the text of a
// name (bidi overrides and isolates, other format characters, control
// characters, line separators) and cuts long names to 40 runes; JSON keeps
// the names exact.
func TestTextNames(t *testing.T) {
	evil := []string{
		"a\u202egnp.exe",      // right-to-left override
		"b\u2066x\u2069",      // isolates
		"c\x1b[31mred\x1b[0m", // an escape sequence
		"d\u2028e",            // line separator
		"f\u200bg\ufeffh",     // zero-width space and no-break
		"i\u202a\u202b\u202c\u202d\u2067\u2068",
		strings.Repeat("long", 50), // 200 bytes, the most a name may have
	}
	var b strings.Builder
	b.WriteString("[")
	for i, name := range evil {
		if i > 0 {
			b.WriteString(",")
		}
		q, _ := json.Marshal(name)
		fmt.Fprintf(&b, `{"name":%s,"lat":%d,"lon":%d}`, q, i, i*2)
	}
	b.WriteString("]")
	out, errOut, code := runTSP(t, b.String(), "solve", "-")
	if code != exitOK {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	for _, r := range out {
		if r == '\x1b' || (r != '\n' && unicode.IsControl(r)) || unicode.Is(unicode.Cf, r) || r == '\u2028' {
			t.Errorf("the output holds %U:\n%s", r, out)
		}
	}
	if !strings.Contains(out, "a\ufffdgnp.exe") || !strings.Contains(out, "c [31mred [0m") {
		t.Errorf("names not escaped as expected:\n%s", out)
	}
	if !strings.Contains(out, strings.Repeat("long", 9)+"lon…") || strings.Contains(out, strings.Repeat("long", 11)) {
		t.Errorf("the long name is not cut to 40 runes:\n%s", out)
	}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		if n := utf8.RuneCountInString(line); n > 100 {
			t.Errorf("a line of %d runes: %q", n, line)
		}
	}
	// JSON keeps every name exact.
	out, _, code = runTSP(t, b.String(), "solve", "-json", "-")
	var r result
	if err := json.Unmarshal([]byte(out), &r); err != nil || code != exitOK {
		t.Fatalf("exit %d: %v", code, err)
	}
	for _, name := range r.Names {
		if !slices.Contains(evil, name) {
			t.Errorf("JSON name %q is not one of the input's", name)
		}
	}
}

// TestTimeoutCoversLoading: -timeout starts before FILE is read, so an
// input that never comes is stopped by it, with the timeout's exit code.
func TestTimeoutCoversLoading(t *testing.T) {
	r, w := io.Pipe()
	defer w.Close()
	go func() { // so that a command that waits for the input ends all the same
		time.Sleep(5 * time.Second)
		w.Close()
	}()
	t0 := time.Now()
	var out, errb bytes.Buffer
	code := run([]string{"solve", "-timeout", "100ms", "-"}, r, &out, &errb)
	elapsed := time.Since(t0)
	if code != exitStopped || elapsed > 2*time.Second {
		t.Errorf("exit %d after %v, want %d within the timeout; stderr %q", code, elapsed, exitStopped, errb.String())
	}
	if msg := errb.String(); !strings.Contains(msg, "100ms timeout expired while reading -") || strings.Count(msg, "\n") != 1 || out.Len() != 0 {
		t.Errorf("stdout %q, stderr %q", out.String(), msg)
	}
	t.Log(strings.TrimSpace(errb.String()))
}

// TestSolveIterated: -seed and -budget reach Iterated, whose JSON gives
// them back after the usual keys; the same seed and budget give the tour
// Solve gives; a negative budget is a usage error.
func TestSolveIterated(t *testing.T) {
	out, errOut, code := runTSP(t, "", "solve", "-json", "-algorithm", "iterated", "-seed", "7", "-budget", "300", "demo30")
	if code != exitOK || errOut != "" {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	keys := objectKeys(t, json.NewDecoder(strings.NewReader(out)))
	if want := append(append([]string{}, wantKeys...), "seed", "budget"); !slices.Equal(keys, want) {
		t.Errorf("keys %v, want %v", keys, want)
	}
	var r struct {
		result
		Seed   uint64 `json:"seed"`
		Budget int64  `json:"budget"`
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	m, err := tsp.HaversineMatrix(tsp.Demo30())
	if err != nil {
		t.Fatal(err)
	}
	want, err := tsp.Solve(context.Background(), m, tsp.Options{Algorithm: tsp.Iterated, Seed: 7, Budget: 300})
	if err != nil {
		t.Fatal(err)
	}
	if r.Seed != 7 || r.Budget != 300 || r.Status != "heuristic" || r.Algorithm != "iterated" || !slices.Equal(r.Tour, want.Order) || r.Length != want.Length {
		t.Errorf("got %+v; Solve gave %v %v", r, want.Order, want.Length)
	}
	// By default Auto picks iterated above 30 cities, with the default
	// budget, which ends it (exit 0) well before the timeout.
	var csv strings.Builder
	for i, c := range tsp.RandomCities(40, 3) {
		fmt.Fprintf(&csv, "c%d,%v,%v\n", i, c.Lat, c.Lon)
	}
	out, errOut, code = runTSP(t, csv.String(), "solve", "-json", "-")
	if code != exitOK || !strings.Contains(out, `"algorithm":"iterated"`) || !strings.Contains(out, `"budget":1000`) {
		t.Errorf("40 cities, auto: exit %d, %s %s", code, out, errOut)
	}
	if _, errOut, code := runTSP(t, "", "solve", "-budget", "-2", "demo11"); code != exitUsage || !strings.Contains(errOut, "-budget") {
		t.Errorf("-budget -2: exit %d, %q", code, errOut)
	}
}
