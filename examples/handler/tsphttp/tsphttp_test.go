package tsphttp_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"slices"
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
	if method == http.MethodPost {
		req.Header.Set("Content-Type", "application/json")
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

// More than tsp.AutoExactMax cities default to iterated, with
// tsp.DefaultBudget(n) kicks (not the whole deadline): the tour SolveCities
// gives with that budget (the coordinate path), status heuristic.
func TestDefaultAlgorithmForManyCities(t *testing.T) {
	ts := serve(t, &tsphttp.Handler{})
	cities := tsp.RandomCities(tsp.MaxExact+1, 1)
	code, _, body := do(t, "POST", ts.URL+"/tour", citiesJSON(t, cities))
	var got tsphttp.Response
	decode(t, body, &got)
	// The coordinate path (issue 21), as SolveCities takes it.
	want, err := tsp.SolveCities(context.Background(), cities, tsp.Options{Algorithm: tsp.Iterated, Budget: tsp.DefaultBudget(len(cities))})
	if err != nil {
		t.Fatal(err)
	}
	if code != http.StatusOK || got.Algorithm != "iterated" || got.Status != "heuristic" || !slices.Equal(got.Order, want.Order) {
		t.Errorf("%d %s %s %v; want iterated heuristic %v", code, got.Algorithm, got.Status, got.Order, want.Order)
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
		{"object", "POST", "", `{"name":"a"}`, 400, `unknown field "name": a cost matrix is {"names"`},
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

func contains(s, sub string) bool { return strings.Contains(s, sub) }

// post sends body with the given headers (Content-Type application/json
// unless set) and returns the status, headers and error message.
func post(t *testing.T, url, body string, header map[string]string) (int, http.Header, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	for k, v := range header {
		if v == "" {
			req.Header.Del(k)
		} else {
			req.Header.Set(k, v)
		}
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var e struct {
		Error string `json:"error"`
	}
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		decode(t, b, &e)
	}
	return resp.StatusCode, resp.Header, e.Error
}

// Issue 14: the API is strict, refuses what a browser on another page could
// send, and its messages name no Go type and repeat no long input.
func TestStrictRequests(t *testing.T) {
	ts := serve(t, &tsphttp.Handler{Timeout: 5 * time.Second})
	url := ts.URL + "/tour"
	demo := citiesJSON(t, tsp.Demo11()[:4])
	long := strings.Repeat("n", 900_000)
	for _, tc := range []struct {
		name, query, body string
		header            map[string]string
		code              int
		want              string
	}{
		{"ok", "", demo, nil, 200, ""},
		{"charset", "", demo, map[string]string{"Content-Type": "application/json; charset=utf-8"}, 200, ""},
		{"deadline", "?deadline_ms=5000", demo, nil, 200, ""},
		{"same origin", "", demo, map[string]string{"Origin": ts.URL, "Sec-Fetch-Site": "same-origin"}, 200, ""},
		{"text/plain", "", demo, map[string]string{"Content-Type": "text/plain"}, 415, "Content-Type: application/json"},
		{"form", "", demo, map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, 415, "application/json"},
		{"no type", "", demo, map[string]string{"Content-Type": ""}, 415, "application/json"},
		{"latin1", "", demo, map[string]string{"Content-Type": "application/json; charset=latin1"}, 415, "UTF-8"},
		{"cross origin", "", demo, map[string]string{"Origin": "http://evil.example"}, 403, "cross-origin"},
		{"cross site", "", demo, map[string]string{"Sec-Fetch-Site": "cross-site"}, 403, "cross-origin"},
		{"no lat", "", `[{"name":"a","lon":2},{"name":"b","lat":1,"lon":2}]`, nil, 400, `city 0: missing "lat"`},
		{"key case", "", `[{"NAME":"a","lat":1,"lon":2}]`, nil, 400, `unknown field "NAME"`},
		{"key case lat", "", `[{"name":"a","Lat":1,"lon":2}]`, nil, 400, `unknown field "Lat"`},
		{"long name", "", `[{"name":"` + long + `","lat":1,"lon":2}]`, nil, 400, "name of 900000 bytes, at most 200"},
		{"body over", "", `[{"name":"` + strings.Repeat(long, 15) + `","lat":1,"lon":2}]`, nil, 413, fmt.Sprintf("request body over %d bytes", tsphttp.BytesPerCity*tsphttp.DefaultMaxPointsCities)},
		{"name over 200 bytes", "", `[{"name":"` + long[:201] + `","lat":1,"lon":2}]`, nil, 400, "name of 201 bytes, at most 200"},
		{"query case", "?Algorithm=exact", demo, nil, 400, `unknown query parameter "Algorithm"`},
		{"query unknown", "?timeout=1", demo, nil, 400, `unknown query parameter "timeout"`},
		{"query twice", "?start=1&start=2", demo, nil, 400, `"start" given 2 times`},
		{"deadline over", "?deadline_ms=5001", demo, nil, 400, "deadline_ms: want an integer from 1 to 5000"},
		{"deadline zero", "?deadline_ms=0", demo, nil, 400, "deadline_ms"},
		{"negative start", "?start=-1", demo, nil, 400, "start: want an integer ≥ 0"},
		{"long algorithm", "?algorithm=" + long[:5000], demo, nil, 400, "unknown algorithm"},
	} {
		code, _, msg := post(t, url+tc.query, tc.body, tc.header)
		if code != tc.code || !strings.Contains(msg, tc.want) {
			t.Errorf("%s: %d %.200q, want %d with %q", tc.name, code, msg, tc.code, tc.want)
		}
		if len(msg) > 500 || strings.Contains(msg, "[]") || strings.Contains(msg, "tsp.City") || strings.Contains(msg, "Go value") {
			t.Errorf("%s: message of %d bytes or naming a Go type: %.200q", tc.name, len(msg), msg)
		}
	}
}

// Without a query, 200 cities get 2opt, not a 10 s exact search; exact on
// 1,000 cities is refused before the 8 MB matrix is built.
func TestDefaultsAreCheap(t *testing.T) {
	h := &tsphttp.Handler{}
	ts := serve(t, h)
	code, _, body := do(t, "POST", ts.URL+"/tour", citiesJSON(t, tsp.RandomCities(200, 1)))
	var got tsphttp.Response
	decode(t, body, &got)
	if code != http.StatusOK || got.Algorithm != "iterated" || got.Status != "heuristic" {
		t.Errorf("200 cities, no query: %d %s %s", code, got.Algorithm, got.Status)
	}

	big := citiesJSON(t, tsp.RandomCities(1000, 2))
	req := httptest.NewRequest("POST", "/tour?algorithm=exact", strings.NewReader(big))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	h.ServeHTTP(rec, req)
	runtime.ReadMemStats(&after)
	if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), "too many cities for exact: 1000, at most 250") {
		t.Errorf("exact on 1000 cities: %d %s", rec.Code, rec.Body)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 4<<20 {
		t.Errorf("refusing 1000 cities allocated %d bytes: the 8 MB matrix was built", alloc)
	}
}

// rawConn sends head (the request line and headers, CRLF-separated) and
// then body on a plain connection, and returns the connection.
func rawConn(t *testing.T, addr, head, body string) net.Conn {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	c.SetDeadline(time.Now().Add(time.Minute)) // a guard against a hang, not a speed check
	if _, err := io.WriteString(c, head+"\r\n"+body); err != nil {
		t.Fatal(err)
	}
	return c
}

func readAnswer(t *testing.T, c net.Conn) (int, http.Header, string) {
	t.Helper()
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var e struct {
		Error string `json:"error"`
	}
	decode(t, b, &e)
	return resp.StatusCode, resp.Header, e.Error
}

// A declared Content-Length over the limit is refused before any of the
// body is read (the client sends none: reading would hang); a body that
// stops coming gets 408 with a message that names no address.
func TestBodyAdmission(t *testing.T) {
	h := &tsphttp.Handler{MaxBytes: 1000, MaxMatrixBytes: 1000}
	ts := httptest.NewUnstartedServer(h)
	ts.Config.ReadTimeout = 300 * time.Millisecond
	ts.Start()
	t.Cleanup(ts.Close)
	addr := ts.Listener.Addr().String()

	c := rawConn(t, addr, "POST /tour HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 10000000000\r\n", "")
	if code, _, msg := readAnswer(t, c); code != http.StatusRequestEntityTooLarge || msg != "request body over 1000 bytes" {
		t.Errorf("10 GB declared: %d %q", code, msg)
	}

	c = rawConn(t, addr, "POST /tour HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n", `[{"name":"a",`)
	code, _, msg := readAnswer(t, c)
	if code != http.StatusRequestTimeout || msg != "the request body did not arrive in time" {
		t.Errorf("slow body: %d %q", code, msg)
	}
}

// While a large body is read, another large one is refused with 503
// before it is read, and a small (cheap) one is still served.
func TestBodyBudgetAdmission(t *testing.T) {
	h := &tsphttp.Handler{MaxBytes: 100 << 10, LargeBodies: 1}
	ts := serve(t, h)
	addr := ts.Listener.Addr().String()
	c := rawConn(t, addr, "POST /tour HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 80000\r\n", `[{"name":"a",`)
	for i := 0; ; i++ { // wait until the server reads that body
		if _, n := h.Stats(); n == 80000 {
			break
		}
		if i > 6000 {
			t.Fatal("the body never counted")
		}
		time.Sleep(5 * time.Millisecond)
	}
	big := citiesJSON(t, tsp.RandomCities(400, 3)) // over 8 KiB: a large body
	code, hdr, msg := post(t, ts.URL+"/tour", big, nil)
	if code != http.StatusServiceUnavailable || hdr.Get("Retry-After") == "" || !strings.Contains(msg, "request bodies") {
		t.Errorf("large body over the budget: %d Retry-After=%q %q", code, hdr.Get("Retry-After"), msg)
	}
	if code, _, msg := post(t, ts.URL+"/tour", citiesJSON(t, tsp.Demo11()), nil); code != http.StatusOK {
		t.Errorf("small body: %d %q", code, msg)
	}
	c.Close()
}

// gated holds every solve with more than a second to its deadline (every
// heavy one: the cheap lane stops its solves at 1 s) until released, and
// then answers a nearest-neighbour tour at once.
type gated struct {
	entered chan int
	release chan struct{}
}

func (g *gated) Name() string { return "gated" }
func (g *gated) Solve(ctx context.Context, m *tsp.Matrix, opt tsp.Options) (tsp.Tour, error) {
	if d, ok := ctx.Deadline(); ok && time.Until(d) > time.Second {
		g.entered <- m.N()
		<-g.release
		opt.Algorithm = tsp.Nearest // released: answer at once
	}
	return tsp.Go().Solve(ctx, m, opt)
}

// With a heavy solve on the heavy worker, a cheap request is answered at
// once; a second heavy one waits; a third, 20 s of work behind with a
// queue timeout of 11 s, gets 503 with Retry-After 9 at once, not after a
// wait.
func TestHandlerLanes(t *testing.T) {
	g := &gated{entered: make(chan int, 4), release: make(chan struct{})}
	h := &tsphttp.Handler{Solver: g, Workers: 2}
	ts := serve(t, h)
	heavy := citiesJSON(t, tsp.RandomCities(tsp.MaxExact, 4)) // priced at the 10 s deadline
	codes := make(chan int, 2)
	for range 2 {
		go func() {
			code, _, _ := post(t, ts.URL+"/tour?algorithm=exact", heavy, nil)
			codes <- code
		}()
	}
	for i := 0; ; i++ {
		if st, _ := h.Stats(); st.Running == 1 && st.QueuedHeavy == 1 {
			break
		}
		if i > 6000 {
			t.Fatal("the heavy requests never ran and queued")
		}
		time.Sleep(5 * time.Millisecond)
	}
	for range 3 {
		if code, _, msg := post(t, ts.URL+"/tour?algorithm=exact", citiesJSON(t, tsp.Demo11()), nil); code != http.StatusOK {
			t.Errorf("cheap request behind a heavy one: %d %q", code, msg)
		}
	}
	code, hdr, msg := post(t, ts.URL+"/tour?algorithm=exact", heavy, nil)
	if code != http.StatusServiceUnavailable || (hdr.Get("Retry-After") != "9" && hdr.Get("Retry-After") != "10") || !strings.Contains(msg, "queue timeout") {
		t.Errorf("third heavy request: %d Retry-After=%q %q", code, hdr.Get("Retry-After"), msg)
	}
	// a body over 8 KiB is presumed expensive and refused unread
	code, _, msg = post(t, ts.URL+"/tour?algorithm=nearest", citiesJSON(t, tsp.RandomCities(400, 6)), nil)
	if code != http.StatusServiceUnavailable || !strings.Contains(msg, "a body over 8 KiB counts as expensive") {
		t.Errorf("large body while expensive requests are refused: %d %q", code, msg)
	}
	// asking for a short deadline makes exact on 30 cities cheap
	if code, _, msg := post(t, ts.URL+"/tour?algorithm=exact&deadline_ms=2", citiesJSON(t, tsp.RandomCities(30, 7)), nil); code != http.StatusOK {
		t.Errorf("30 cities exact with a 2 ms deadline: %d %q", code, msg)
	}
	close(g.release)
	for range 2 {
		if c := recv(t, codes); c != http.StatusOK {
			t.Errorf("admitted heavy request: %d", c)
		}
	}
}

// The end of the route: start (a round trip), any (an open path) or a city;
// the order ends there, the length has no way back, and the tour is the one
// Solve gives. A bad end is 400.
func TestEnd(t *testing.T) {
	ts := serve(t, &tsphttp.Handler{})
	cities := tsp.Demo11()
	m, err := tsp.HaversineMatrix(cities)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		query string
		end   tsp.End
	}{{"end=start", tsp.ReturnToStart}, {"end=any", tsp.EndAnywhere}, {"end=4&start=1", tsp.EndAt(4)}} {
		code, _, body := do(t, "POST", ts.URL+"/tour?algorithm=exact&"+c.query, citiesJSON(t, cities))
		var got tsphttp.Response
		decode(t, body, &got)
		start := 0
		if c.end == tsp.EndAt(4) {
			start = 1
		}
		want, err := tsp.Solve(context.Background(), m, tsp.Options{Algorithm: tsp.Exact, Start: start, End: c.end})
		if err != nil {
			t.Fatal(err)
		}
		if code != http.StatusOK || !slices.Equal(got.Order, want.Order) || got.LengthKm != want.Length || got.Status != "optimal" {
			t.Errorf("%s: %d %v %v %s; want %v %v", c.query, code, got.Order, got.LengthKm, got.Status, want.Order, want.Length)
		}
		if e, ok := c.end.City(); ok && got.Order[len(got.Order)-1] != e {
			t.Errorf("%s: the route ends at %d", c.query, got.Order[len(got.Order)-1])
		}
		if !c.end.Closed() && got.LengthKm != tsp.PathLength(m, got.Order) {
			t.Errorf("%s: length %v, the path's %v", c.query, got.LengthKm, tsp.PathLength(m, got.Order))
		}
	}
	for _, q := range []string{"end=0", "end=11", "end=-1", "end=berlin", "end=any&end=start"} {
		if code, _, _ := do(t, "POST", ts.URL+"/tour?"+q, citiesJSON(t, cities)); code != http.StatusBadRequest {
			t.Errorf("%s: %d, want 400", q, code)
		}
	}
}

// City lists past MaxCities go the coordinate path, up to MaxPointsCities,
// with the deadline kept; what needs a matrix keeps MaxCities.
func TestPointsLimits(t *testing.T) {
	ts := serve(t, &tsphttp.Handler{MaxCities: 10, MaxPointsCities: 3000})
	cities := tsp.RandomCities(3001, 4)
	for _, tc := range []struct {
		name, query string
		n, code     int
		want        string
	}{
		{"nearest", "?algorithm=nearest", 3000, 200, ""},
		{"auto", "", 40, 200, ""},
		{"too many", "?algorithm=nearest", 3001, 422, "3001 cities, at most 3000"},
		{"exact", "?algorithm=exact", 11, 422, "11 cities, at most 10"},
		{"path", "?algorithm=2opt&end=any", 11, 422, "11 cities, at most 10"},
	} {
		code, _, body := do(t, "POST", ts.URL+"/tour"+tc.query, citiesJSON(t, cities[:tc.n]))
		if code != tc.code || !bytes.Contains(body, []byte(tc.want)) {
			t.Errorf("%s: %d %.200s, want %d %q", tc.name, code, body, tc.code, tc.want)
			continue
		}
		if code != 200 {
			continue
		}
		var resp tsphttp.Response
		decode(t, body, &resp)
		opt := tsp.Options{Algorithm: tsp.Nearest}
		if tc.query == "" {
			opt = tsp.Options{Algorithm: tsp.Iterated, Budget: tsp.DefaultBudget(tc.n)}
		}
		want, err := tsp.SolvePoints(context.Background(), tsp.CityPoints(cities[:tc.n]), opt)
		if err != nil || resp.LengthKm != want.Length || len(resp.Tour) != tc.n {
			t.Errorf("%s: %v km, %d cities; SolvePoints %v (%v)", tc.name, resp.LengthKm, len(resp.Tour), want.Length, err)
		}
	}
	// A deadline holds on the coordinate path: 20,000 cities, iterated,
	// 300 ms.
	ts = serve(t, &tsphttp.Handler{})
	big := citiesJSON(t, tsp.RandomCities(20000, 5))
	t0 := time.Now()
	code, _, body := do(t, "POST", ts.URL+"/tour?algorithm=iterated&deadline_ms=300", big)
	var resp tsphttp.Response
	if code == 200 {
		decode(t, body, &resp)
	}
	if code != 200 || resp.Status != "stopped" || len(resp.Order) != 20000 {
		t.Fatalf("20,000 cities under 300 ms: %d %s %d cities", code, resp.Status, len(resp.Order))
	}
	t.Logf("20,000 cities, iterated, deadline 300 ms: answered in %v", time.Since(t0))
}
