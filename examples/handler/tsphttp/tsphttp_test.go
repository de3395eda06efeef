package tsphttp_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/ffi4go/tsp"
	"github.com/ffi4go/tsp/examples/handler/tsphttp"
)

func serve(t *testing.T, h http.Handler) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	mux.Handle("/tour", h) // no method in the pattern: the Handler's own 405 is under test
	ts := httptest.NewServer(mux)
	t.Cleanup(ts.Close)
	return ts
}

func do(t *testing.T, method, url, body string) (int, http.Header, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header, b
}

func citiesJSON(t *testing.T, cs []tsp.City) string {
	t.Helper()
	b, err := json.Marshal(cs)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func decode(t *testing.T, b []byte, v any) {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		t.Fatalf("%s: %v", b, err)
	}
}

func TestSolve(t *testing.T) {
	ts := serve(t, &tsphttp.Handler{})
	demo := tsp.Demo11()
	m, _ := tsp.HaversineMatrix(demo)
	for _, tc := range []struct {
		query string
		opt   tsp.Options
	}{
		{"", tsp.Options{Algorithm: tsp.Exact}},
		{"?algorithm=2opt&start=3", tsp.Options{Algorithm: tsp.TwoOpt, Start: 3}},
		{"?algorithm=exhaustive", tsp.Options{Algorithm: tsp.Exhaustive}},
		{"?algorithm=nearest&start=10", tsp.Options{Algorithm: tsp.Nearest, Start: 10}},
	} {
		code, h, body := do(t, "POST", ts.URL+"/tour"+tc.query, citiesJSON(t, demo))
		if code != http.StatusOK || h.Get("Content-Type") != "application/json" {
			t.Fatalf("%s: %d %s", tc.query, code, body)
		}
		var got tsphttp.Response
		decode(t, body, &got)
		want, err := tsp.Solve(context.Background(), m, tc.opt)
		if err != nil {
			t.Fatal(err)
		}
		if got.LengthKm != want.Length || got.Status != want.Status.String() || got.Algorithm != tc.opt.Algorithm.String() {
			t.Errorf("%s: %+v, want %+v", tc.query, got, want)
		}
		if len(got.Tour) != len(demo) || len(got.Order) != len(demo) {
			t.Fatalf("%s: %d cities back", tc.query, len(got.Tour))
		}
		for i, k := range want.Order {
			if got.Order[i] != k || got.Tour[i] != demo[k] {
				t.Fatalf("%s: stop %d is %+v (%d), want %+v (%d)", tc.query, i, got.Tour[i], got.Order[i], demo[k], k)
			}
		}
	}
}

// More than tsp.MaxExact cities default to 2opt.
func TestDefaultAlgorithmForManyCities(t *testing.T) {
	ts := serve(t, &tsphttp.Handler{})
	code, _, body := do(t, "POST", ts.URL+"/tour", citiesJSON(t, tsp.RandomCities(tsp.MaxExact+1, 1)))
	var got tsphttp.Response
	decode(t, body, &got)
	if code != http.StatusOK || got.Algorithm != "2opt" || got.Status != "heuristic" {
		t.Errorf("%d %s %s", code, got.Algorithm, got.Status)
	}
}

func TestStoppedAtTimeout(t *testing.T) {
	ts := serve(t, &tsphttp.Handler{Timeout: 50 * time.Millisecond})
	cities := tsp.Demo30()[:13]
	code, _, body := do(t, "POST", ts.URL+"/tour?algorithm=exhaustive", citiesJSON(t, cities))
	var got tsphttp.Response
	decode(t, body, &got)
	if code != http.StatusOK || got.Status != "stopped" || len(got.Tour) != 13 || got.Order[0] != 0 {
		t.Fatalf("%d %+v", code, got)
	}
	m, _ := tsp.HaversineMatrix(cities)
	if l := tsp.TourLength(m, got.Order); l != got.LengthKm {
		t.Errorf("length_km %v, the tour is %v", got.LengthKm, l)
	}
}

type failing struct{}

func (failing) Name() string { return "broken" }
func (failing) Solve(context.Context, *tsp.Matrix, tsp.Options) (tsp.Tour, error) {
	return tsp.Tour{}, errors.New("kernel exploded")
}

func TestErrors(t *testing.T) {
	ts := serve(t, &tsphttp.Handler{MaxCities: 20, MaxBytes: 4096})
	small := tsp.Demo11()[:3]
	for _, tc := range []struct {
		name, method, query, body string
		code                      int
		want                      string
	}{
		{"GET", "GET", "", "", 405, "use POST"},
		{"malformed", "POST", "", `[{"name":"a",`, 400, "city 0: the JSON ends early"},
		{"syntax", "POST", "", `[{"name":"a" "lat":1}]`, 400, "city 0: malformed JSON: invalid character"},
		{"not JSON", "POST", "", `name,lat,lon`, 400, "malformed JSON"},
		{"empty body", "POST", "", ``, 400, "no cities"},
		{"object", "POST", "", `{"name":"a"}`, 400, "want a JSON array"},
		{"missing lat", "POST", "", `[{"name":"a","lon":2}]`, 400, `city 0: missing "lat"`},
		{"missing lon", "POST", "", `[{"name":"a","lat":1},{"lat":1}]`, 400, `city 0: missing "lon"`},
		{"string lat", "POST", "", `[{"name":"a","lat":"1","lon":2}]`, 400, `"lat" must be a number`},
		{"huge number", "POST", "", `[{"name":"a","lat":1e400,"lon":2}]`, 400, `"lat" "1e400" is out of range`},
		{"unknown field", "POST", "", `[{"name":"a","lat":1,"lon":2,"alt":3}]`, 400, `unknown field "alt"`},
		{"trailing", "POST", "", citiesJSON(t, small) + `[]`, 400, "unexpected data"},
		{"empty", "POST", "", `[]`, 400, "no cities"},
		{"latitude", "POST", "", `[{"name":"a","lat":-91,"lon":2}]`, 400, "latitude"},
		{"longitude", "POST", "", `[{"name":"a","lat":1,"lon":200}]`, 400, "longitude"},
		{"algorithm", "POST", "?algorithm=genetic", citiesJSON(t, small), 400, "unknown algorithm"},
		{"start", "POST", "?start=x", citiesJSON(t, small), 400, "start"},
		{"start range", "POST", "?start=3", citiesJSON(t, small), 400, "start out of range"},
		{"exhaustive limit", "POST", "?algorithm=exhaustive", citiesJSON(t, tsp.Demo30()[:14]), 422, "too many cities"},
		{"handler limit", "POST", "", citiesJSON(t, tsp.Demo30()[:21]), 422, "21 cities, at most 20"},
		{"body limit", "POST", "", `[{"name":"` + strings.Repeat("x", 5000) + `","lat":1,"lon":2}]`, 413, "over 4096 bytes"},
	} {
		code, h, body := do(t, tc.method, ts.URL+"/tour"+tc.query, tc.body)
		var e struct {
			Error string `json:"error"`
		}
		decode(t, body, &e)
		if code != tc.code || h.Get("Content-Type") != "application/json" || !strings.Contains(e.Error, tc.want) {
			t.Errorf("%s: %d %q, want %d with %q", tc.name, code, e.Error, tc.code, tc.want)
		}
	}

	ts = serve(t, &tsphttp.Handler{Solver: failing{}})
	code, _, body := do(t, "POST", ts.URL+"/tour", citiesJSON(t, small))
	if code != http.StatusInternalServerError || !bytes.Contains(body, []byte("kernel exploded")) {
		t.Errorf("failing solver: %d %s", code, body)
	}
}

// The doc comment's way of mounting: a method pattern in the caller's mux.
func TestMountWithPattern(t *testing.T) {
	mux := http.NewServeMux()
	mux.Handle("POST /tour", &tsphttp.Handler{})
	ts := httptest.NewServer(mux)
	defer ts.Close()
	code, _, _ := do(t, "POST", ts.URL+"/tour", citiesJSON(t, tsp.Demo11()[:4]))
	if code != http.StatusOK {
		t.Errorf("POST: %d", code)
	}
	if code, _, _ := do(t, "GET", ts.URL+"/tour", ""); code != http.StatusMethodNotAllowed {
		t.Errorf("GET: %d", code)
	}
}
