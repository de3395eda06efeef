package server_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"github.com/ffi4go/tsp/examples/handler/tsphttp"
	"io"
	"net/http"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ffi4go/tsp"
	"github.com/ffi4go/tsp/backends"
	"github.com/ffi4go/tsp/examples/jumper/server"
	"log/slog"
)

func get(t *testing.T, url string) (*http.Response, []byte) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, b
}

func TestPageAndAssets(t *testing.T) {
	ts, _ := start(t, server.Config{})
	for _, tc := range []struct{ path, ctype, want string }{
		{"/", "text/html", "<title>TSP Jumper"},
		{"/app.js", "text/javascript", "/api/solve"},
		{"/style.css", "text/css", ".results"},
		{"/favicon.svg", "image/svg+xml", "<svg"},
		{"/land.json", "application/json", "[[-"},
		{"/land-NOTICE.txt", "text/plain", "Natural Earth"},
	} {
		resp, body := get(t, ts.URL+tc.path)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %d", tc.path, resp.StatusCode)
		}
		if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, tc.ctype) {
			t.Errorf("GET %s: Content-Type %q, want %s", tc.path, ct, tc.ctype)
		}
		if !bytes.Contains(body, []byte(tc.want)) {
			t.Errorf("GET %s: body lacks %q", tc.path, tc.want)
		}
		if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") {
			t.Errorf("GET %s: Content-Security-Policy %q", tc.path, csp)
		}
	}
	// The page loads nothing from elsewhere: no absolute URLs in it.
	for _, path := range []string{"/", "/app.js", "/style.css"} {
		_, body := get(t, ts.URL+path)
		for _, bad := range []string{"http://", "https://", "//cdn", "googleapis"} {
			if i := bytes.Index(body, []byte(bad)); i >= 0 && !bytes.HasPrefix(body[i:], []byte("http://www.w3.org/")) {
				t.Errorf("%s refers to %q: %.60s", path, bad, body[i:])
			}
		}
	}
	resp, _ := get(t, ts.URL+"/nothing-here.js")
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("GET /nothing-here.js: %d, want 404", resp.StatusCode)
	}
}

func TestBackendsEndpoint(t *testing.T) {
	ts, _ := start(t, server.Config{MaxCities: 500, Deadline: 3 * time.Second, Workers: 3, Queue: 7})
	resp, body := get(t, ts.URL+"/api/backends")
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/json" {
		t.Fatalf("%d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	var got server.BackendsResponse
	decodeStrict(t, body, &got)
	want := []server.BackendInfo{
		{Name: "go", Available: true, Points: true},
		{Name: "off", Available: false, Error: errOff.Error()},
	}
	if !reflect.DeepEqual(got.Backends, want) || got.CheapWorkers != 1 || got.MaxBody != server.DefaultMaxBody ||
		got.MaxCities != 500 || got.MaxPointsCities != server.DefaultMaxPointsCities || got.ProgressMaxCities != server.DefaultMaxPointsCities {
		t.Errorf("backends %+v, want %+v", got.Backends, want)
	}
	wantAlg := []server.AlgorithmInfo{
		{Name: "exhaustive", MaxCities: tsp.MaxExhaustive, Proves: true, MaxPointsCities: tsp.MaxExhaustive},
		{Name: "exact", MaxCities: tsp.MaxExact, Proves: true, MaxPointsCities: tsp.MaxExact},
		{Name: "nearest", MaxCities: 500, MaxPointsCities: server.DefaultMaxPointsCities},
		{Name: "2opt", MaxCities: 500, MaxPointsCities: server.DefaultMaxPointsCities},
		{Name: "iterated", MaxCities: 500, MaxPointsCities: server.DefaultMaxPointsCities},
	}
	if len(got.Algorithms) != len(wantAlg) {
		t.Fatalf("algorithms %+v", got.Algorithms)
	}
	for i := range wantAlg {
		if got.Algorithms[i] != wantAlg[i] {
			t.Errorf("algorithm %d: %+v, want %+v", i, got.Algorithms[i], wantAlg[i])
		}
	}
	if got.DeadlineMs != 3000 || got.QueueTimeoutMs != 4000 || got.SoftDeadlineMs != 1000 || got.Workers != 3 || got.Queue != 7 {
		t.Errorf("limits %+v", got)
	}
}

func TestBackendsEndpointRealBackends(t *testing.T) {
	bs := backends.All(backends.Config{}) // the Python ones too: listing them starts nothing
	ts, _ := start(t, server.Config{Backends: bs})
	_, body := get(t, ts.URL+"/api/backends")
	var got server.BackendsResponse
	decodeStrict(t, body, &got)
	if len(got.Backends) != len(backends.Names()) {
		t.Fatalf("%d backends, want %d", len(got.Backends), len(backends.Names()))
	}
	for i, b := range got.Backends {
		if b.Name != backends.Names()[i] || b.Available != (bs[i].Solver != nil) || (b.Where != "" && b.Where != filepath.Base(bs[i].Where)) || absolute.MatchString(b.Where+" "+b.Error) {
			t.Errorf("backend %d: %+v, from %+v", i, b, bs[i])
		}
		if !b.Available && b.Error == "" {
			t.Errorf("backend %s is unavailable without a reason", b.Name)
		}
	}
	if !got.Backends[0].Available {
		t.Error("the go backend is always available")
	}
}

// absolute matches an absolute path in a message.
var absolute = regexp.MustCompile(`(^|[\s\[(])/`)

func TestCitiesEndpoint(t *testing.T) {
	ts, _ := start(t, server.Config{})
	_, body := get(t, ts.URL+"/api/cities")
	var got server.CitiesResponse
	decodeStrict(t, body, &got)
	demo := tsp.Demo30()
	if got.Ticked != 11 || len(got.Cities) != len(demo) {
		t.Fatalf("ticked %d of %d cities", got.Ticked, len(got.Cities))
	}
	for i := range demo {
		if got.Cities[i] != demo[i] {
			t.Errorf("city %d: %+v, want %+v", i, got.Cities[i], demo[i])
		}
	}
}

func TestHealthz(t *testing.T) {
	ts, _ := start(t, server.Config{Workers: 2, Queue: 5})
	resp, body := get(t, ts.URL+"/healthz")
	var got server.Stats
	decodeStrict(t, body, &got)
	if resp.StatusCode != http.StatusOK || !reflect.DeepEqual(got, server.Stats{Status: "ok", Workers: 2, CheapWorkers: 1, Queue: 5, Solves: []tsphttp.SolveStats{}}) {
		t.Errorf("%d %+v", resp.StatusCode, got)
	}
}

func TestSolve(t *testing.T) {
	ts, _ := start(t, server.Config{})
	demo := tsp.Demo11()
	m, err := tsp.HaversineMatrix(demo)
	if err != nil {
		t.Fatal(err)
	}
	for _, alg := range tsp.Algorithms() {
		for _, st := range []int{0, 4} {
			r := request(demo, "go", alg.String(), st)
			got := solveOK(t, ts.URL, r)
			// Round trips with a heuristic take the coordinate path.
			opt := tsp.Options{Start: st, Algorithm: alg}
			points := alg == tsp.Nearest || alg == tsp.TwoOpt || alg == tsp.Iterated
			var want tsp.Tour
			if points {
				if alg == tsp.Iterated {
					opt.Budget = tsp.DefaultBudget(len(demo))
				}
				want, err = tsp.SolvePoints(context.Background(), tsp.CityPoints(demo), opt)
			} else {
				want, err = tsp.Go().Solve(context.Background(), m, opt)
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.Coordinates != points {
				t.Errorf("%s: coordinates %v, want %v", alg, got.Coordinates, points)
			}
			if got.Backend != "go" || got.Algorithm != alg.String() || got.Status != want.Status.String() ||
				got.LengthKm != want.Length || got.LowerBoundKm != want.LowerBound || got.Nodes != want.Nodes {
				t.Errorf("%s from %d: %+v, want %+v", alg, st, got, want)
			}
			for i := range want.Order {
				if got.Order[i] != want.Order[i] {
					t.Fatalf("%s from %d: order %v, want %v", alg, st, got.Order, want.Order)
				}
			}
			if got.BackendMs < 0 || got.TotalMs < got.BackendMs {
				t.Errorf("backend_ms %v, total_ms %v", got.BackendMs, got.TotalMs)
			}
		}
	}
}

func TestSolveOneCity(t *testing.T) {
	ts, _ := start(t, server.Config{})
	got := solveOK(t, ts.URL, request(tsp.Demo11()[:1], "go", "exact", 0))
	if got.LengthKm != 0 || got.Status != "optimal" {
		t.Errorf("%+v", got)
	}
}

// Every available backend answers the same tour as the pure-Go one.
func TestSolveEveryBackend(t *testing.T) {
	bs := available(allBackends())
	ts, _ := start(t, server.Config{Backends: bs})
	cities := tsp.Demo30()[:12]
	ref := map[string]server.SolveResponse{}
	for _, b := range bs {
		for _, alg := range tsp.Algorithms() {
			got := solveOK(t, ts.URL, request(cities, b.Name, alg.String(), 2))
			if got.Backend != b.Name {
				t.Errorf("answered by %q, want %q", got.Backend, b.Name)
			}
			want, ok := ref[alg.String()]
			if !ok {
				ref[alg.String()] = got
				continue
			}
			if got.Coordinates != (alg == tsp.Nearest || alg == tsp.TwoOpt || alg == tsp.Iterated) {
				t.Errorf("%s %s: coordinates %v", b.Name, alg, got.Coordinates)
			}
			if got.LengthKm != want.LengthKm || got.Nodes != want.Nodes || got.Status != want.Status ||
				!equalInts(got.Order, want.Order) {
				t.Errorf("%s %s: %v %v %v, go: %v %v %v", b.Name, alg, got.Order, got.LengthKm, got.Nodes, want.Order, want.LengthKm, want.Nodes)
			}
		}
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestSolveDefaults(t *testing.T) {
	ts, _ := start(t, server.Config{})
	got := solveOK(t, ts.URL, request(tsp.Demo11(), "", "", 0))
	if got.Backend != "go" || got.Algorithm != "exact" || got.Status != "optimal" || got.SoftDeadlineMet != (got.TotalMs <= 1000) {
		t.Errorf("%+v", got)
	}
}

func TestSolveErrors(t *testing.T) {
	ts, _ := start(t, server.Config{MaxCities: 20, MaxPointsCities: 25, MaxBody: 256000})
	demo := tsp.Demo30()
	ok := string(mustJSON(t, request(demo[:3], "go", "exact", 0)))
	big := `{"cities":[{"name":"` + strings.Repeat("x", 1<<20) + `","lat":1,"lon":2}]}`
	for _, tc := range []struct {
		name, body string
		code       int
		want       string // in the error message
	}{
		{"malformed", `{"cities":[{"name":"a","lat":1,`, 400, "city 0: the JSON ends early"},
		{"malformed after the cities", `{"cities":[{"name":"a","lat":1,"lon":2}],`, 400, "malformed JSON"},
		{"syntax", `{"cities":[{"name":"a" "lat":1}]}`, 400, "malformed JSON"},
		{"not JSON", `hello`, 400, "malformed JSON"},
		{"empty body", ``, 400, "empty body"},
		{"array", `[{"name":"a","lat":1,"lon":2}]`, 400, "the body must be a JSON object"},
		{"wrong type", `{"cities":[{"name":"a","lat":"north","lon":2}]}`, 400, `cities: city 0: "lat" must be a number, got the string "north"`},
		{"wrong type of a field", `{"cities":[{"name":"a","lat":1,"lon":2}],"start":"0"}`, 400, `start must be an integer, got the string "0"`},
		{"unknown field", `{"cities":[{"name":"a","lat":1,"lon":2}],"deadline":5}`, 400, `unknown field "deadline"`},
		{"unknown city field", `{"cities":[{"name":"a","lat":1,"lon":2,"alt":3}]}`, 400, `unknown field "alt"`},
		{"trailing data", ok + `{"cities":[]}`, 400, "after the JSON object"},
		{"unknown backend", `{"cities":[{"name":"a","lat":1,"lon":2}],"backend":"rust"}`, 400, `unknown backend "rust" (want one of go, off)`},
		{"unknown algorithm", `{"cities":[{"name":"a","lat":1,"lon":2}],"algorithm":"genetic"}`, 400, `unknown algorithm: "genetic"`},
		{"no cities", `{"cities":[]}`, 400, "no cities"},
		{"null cities", `{"backend":"go"}`, 400, "no cities"},
		{"too many for exhaustive", string(mustJSON(t, request(demo[:14], "go", "exhaustive", 0))), 422, "too many cities for exhaustive: 14, at most 13"},
		{"too many for the server", string(mustJSON(t, request(demo[:21], "go", "exact", 0))), 422, "too many cities for exact: 21, at most 20 (exact needs the distance matrix; round trips with nearest, 2opt or iterated take up to 25 cities from coordinates)"},
		{"too many for the coordinate path", string(mustJSON(t, request(demo[:26], "go", "2opt", 0))), 422, "too many cities for 2opt: 26, at most 25"},
		{"too many for a path", `{"cities":` + string(mustJSON(t, demo[:21])) + `,"algorithm":"2opt","end":"any"}`, 422, "too many cities for 2opt: 21, at most 20 (a route with an end needs the distance matrix; round trips take up to 25 cities from coordinates)"},
		{"latitude", `{"cities":[{"name":"a","lat":90.5,"lon":2}]}`, 400, "latitude outside [-90, 90]"},
		{"longitude", `{"cities":[{"name":"a","lat":1,"lon":2},{"name":"b","lat":1,"lon":-180.01}]}`, 400, "city 1: longitude outside [-180, 180]"},
		{"huge number", `{"cities":[{"name":"a","lat":1e400,"lon":2}]}`, 400, `cities: city 0: value is infinite: "lat" "1e400" is out of range`},
		{"missing lon", `{"cities":[{"name":"a","lat":1}]}`, 400, `cities: city 0: missing "lon"`},
		{"missing lat", `{"cities":[{"name":"a","lon":2}]}`, 400, `cities: city 0: missing "lat"`},
		{"cities not a list", `{"cities":{"name":"a","lat":1,"lon":2}}`, 400, "cities: want a JSON array of cities"},
		{"start", `{"cities":[{"name":"a","lat":1,"lon":2}],"start":1}`, 400, "start 1 out of range"},
		{"negative start", `{"cities":[{"name":"a","lat":1,"lon":2}],"start":-1}`, 400, "start -1 out of range"},
		{"body over the limit", big, 413, "request body over 256000 bytes"},
		{"unavailable backend", `{"cities":[{"name":"a","lat":1,"lon":2}],"backend":"off"}`, 422, "backend off is unavailable on this server: " + errOff.Error()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, h, body, err := post(context.Background(), http.DefaultClient, ts.URL, []byte(tc.body))
			if err != nil {
				t.Fatal(err)
			}
			if code != tc.code {
				t.Errorf("status %d, want %d: %s", code, tc.code, body)
			}
			if ct := h.Get("Content-Type"); ct != "application/json" {
				t.Errorf("Content-Type %q", ct)
			}
			var e server.ErrorResponse
			decodeStrict(t, body, &e)
			if !contains(e.Error, tc.want) {
				t.Errorf("error %q lacks %q", e.Error, tc.want)
			}
		})
	}
}

func TestMethodsAndUnknownPaths(t *testing.T) {
	ts, _ := start(t, server.Config{})
	for _, tc := range []struct {
		method, path string
		code         int
		allow        string
	}{
		{"GET", "/api/solve", 405, "POST"},
		{"PUT", "/api/solve", 405, "POST"},
		{"POST", "/api/backends", 405, "GET"},
		{"DELETE", "/api/cities", 405, "GET"},
		{"POST", "/healthz", 405, "GET"},
		{"POST", "/", 405, "GET"},
		{"GET", "/api/nope", 404, ""},
	} {
		req, _ := http.NewRequest(tc.method, ts.URL+tc.path, strings.NewReader("{}"))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tc.code || resp.Header.Get("Allow") != tc.allow {
			t.Errorf("%s %s: %d Allow=%q, want %d Allow=%q", tc.method, tc.path, resp.StatusCode, resp.Header.Get("Allow"), tc.code, tc.allow)
		}
		var e server.ErrorResponse
		decodeStrict(t, body, &e)
		if e.Error == "" {
			t.Errorf("%s %s: empty error", tc.method, tc.path)
		}
	}
}

func TestBackendFailureIs500(t *testing.T) {
	ts, _ := start(t, server.Config{Backends: []backends.Backend{{Name: "broken", Solver: failing{}}}})
	code, _, body, err := post(context.Background(), http.DefaultClient, ts.URL, mustJSON(t, request(tsp.Demo11(), "broken", "exact", 0)))
	if err != nil {
		t.Fatal(err)
	}
	var e server.ErrorResponse
	decodeStrict(t, body, &e)
	if code != http.StatusInternalServerError || !contains(e.Error, "backend broken failed: tsp: native kernel failed") {
		t.Errorf("%d %q", code, e.Error)
	}
}

// A backend that panics answers 500 and gives its worker back.
func TestBackendPanicIs500(t *testing.T) {
	ts, s := start(t, server.Config{Backends: []backends.Backend{{Name: "panicky", Solver: panicking{}}, {Name: "go", Solver: tsp.Go()}},
		Workers: 1, Queue: -1})
	for i := 0; i < 3; i++ { // with one worker and no queue, a lost worker would make the next request 503
		code, _, body, err := post(context.Background(), guard, ts.URL, mustJSON(t, request(tsp.Demo11(), "panicky", "exact", 0)))
		if err != nil {
			t.Fatal(err)
		}
		var e server.ErrorResponse
		decodeStrict(t, body, &e)
		if code != http.StatusInternalServerError || !contains(e.Error, "panicky panicked: index out of range") {
			t.Errorf("%d %q", code, e.Error)
		}
	}
	solveOK(t, ts.URL, request(tsp.Demo11(), "go", "exact", 0))
	if st := s.Stats(); st.Running != 0 || st.Queued != 0 {
		t.Errorf("%+v after the panics", st)
	}
}

// A client that goes away cancels its solve through the request context.
func TestClientGoneCancelsSolve(t *testing.T) {
	g := newGate(true)
	ts, s := start(t, server.Config{Backends: []backends.Backend{{Name: "gate", Solver: g}}, Deadline: time.Hour})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, _, _, err := post(ctx, http.DefaultClient, ts.URL, mustJSON(t, request(tsp.Demo11(), "gate", "exact", 0)))
		done <- err
	}()
	recv(t, g.entered) // the solve runs
	cancel()
	if err := recv(t, g.ctxErr); err != context.Canceled {
		t.Errorf("the solve saw %v, want context.Canceled", err)
	}
	if err := recv(t, done); err == nil {
		t.Error("the canceled request succeeded")
	}
	waitIdle(t, ts.URL, s)
}

// waitIdle polls /healthz until nothing runs or waits.
func waitIdle(t *testing.T, url string, s *server.Server) {
	t.Helper()
	for i := 0; i < 2000; i++ {
		if st := s.Stats(); st.Running == 0 && st.Queued == 0 {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("still busy: %+v", s.Stats())
}

// waitStats polls until pred holds for the server's stats.
func waitStats(t *testing.T, s *server.Server, pred func(server.Stats) bool) {
	t.Helper()
	for i := 0; i < 2000; i++ {
		if pred(s.Stats()) {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("stats never matched: %+v", s.Stats())
}

// One worker and a queue of one: the third request in flight gets 503 with
// Retry-After, and the first two are answered once the worker is free.
func TestQueueFullIs503(t *testing.T) {
	g := newGate(false)
	ts, s := start(t, server.Config{Backends: []backends.Backend{{Name: "gate", Solver: g}}, Workers: 1, Queue: 1, Deadline: time.Hour})
	defer g.Open()
	body := mustJSON(t, request(tsp.Demo11(), "gate", "exact", 0))
	type result struct {
		code int
		body []byte
	}
	results := make(chan result, 2)
	send := func() {
		code, _, b, err := post(context.Background(), guard, ts.URL, body)
		if err != nil {
			t.Error(err)
		}
		results <- result{code, b}
	}
	go send()
	recv(t, g.entered) // the first request holds the only worker
	go send()
	waitStats(t, s, func(st server.Stats) bool { return st.Running == 1 && st.Queued == 1 })
	for i := 0; i < 3; i++ {
		code, h, b, err := post(context.Background(), guard, ts.URL, body)
		if err != nil {
			t.Fatal(err)
		}
		var e server.ErrorResponse
		decodeStrict(t, b, &e)
		if code != http.StatusServiceUnavailable || h.Get("Retry-After") == "" || !contains(e.Error, "queue is full") {
			t.Errorf("over capacity: %d Retry-After=%q %q", code, h.Get("Retry-After"), e.Error)
		}
	}
	g.Open()
	for i := 0; i < 2; i++ {
		r := recv(t, results)
		if r.code != http.StatusOK {
			t.Errorf("admitted request: %d %s", r.code, r.body)
		}
	}
	waitIdle(t, ts.URL, s)
}

// A request that waits for a worker longer than the queue timeout gets 503.
func TestQueueTimeoutIs503(t *testing.T) {
	g := newGate(false)
	ts, s := start(t, server.Config{Backends: []backends.Backend{{Name: "gate", Solver: g}}, Workers: 1, Queue: 1,
		QueueTimeout: 100 * time.Millisecond})
	defer g.Open()
	body := mustJSON(t, request(tsp.Demo11(), "gate", "exact", 0))
	first := make(chan int, 1)
	go func() {
		code, _, _, _ := post(context.Background(), guard, ts.URL, body)
		first <- code
	}()
	recv(t, g.entered) // the gate ignores the deadline: the worker stays busy until Open
	code, h, b, err := post(context.Background(), guard, ts.URL, body)
	if err != nil {
		t.Fatal(err)
	}
	var e server.ErrorResponse
	decodeStrict(t, b, &e)
	if code != http.StatusServiceUnavailable || h.Get("Retry-After") == "" || !contains(e.Error, "no worker was free within 100ms") {
		t.Errorf("queued past the deadline: %d %q", code, e.Error)
	}
	g.Open()
	if c := recv(t, first); c != http.StatusOK {
		t.Errorf("first request: %d", c)
	}
	waitIdle(t, ts.URL, s)
}

func TestDebugHandler(t *testing.T) {
	debug := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "debug "+r.URL.Path) })
	for _, h := range []http.Handler{nil, debug} {
		ts, _ := start(t, server.Config{Debug: h})
		resp, body := get(t, ts.URL+"/debug/pprof/")
		if got := resp.StatusCode == http.StatusOK && string(body) == "debug /debug/pprof/"; got != (h != nil) {
			t.Errorf("debug handler %v: GET /debug/pprof/ answered %d %q", h != nil, resp.StatusCode, body)
		}
	}
}

func TestRequestLog(t *testing.T) {
	var buf bytes.Buffer
	ts, _ := start(t, server.Config{Logger: slog.New(slog.NewJSONHandler(&buf, nil))})
	solveOK(t, ts.URL, request(tsp.Demo11(), "go", "2opt", 0))
	post(context.Background(), http.DefaultClient, ts.URL, []byte(`{"nope":1,"cities":[]}`))
	var recs []map[string]any
	sc := bufio.NewScanner(&buf)
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("log line %q: %v", sc.Text(), err)
		}
		recs = append(recs, m)
	}
	if len(recs) != 2 {
		t.Fatalf("%d log records, want 2", len(recs))
	}
	ok, bad := recs[0], recs[1]
	for k, v := range map[string]any{"msg": "request", "method": "POST", "path": "/api/solve", "status": 200.0,
		"backend": "go", "algorithm": "2opt", "cities": 11.0, "outcome": "heuristic"} {
		if ok[k] != v {
			t.Errorf("log %s = %v, want %v (%v)", k, ok[k], v, ok)
		}
	}
	for _, k := range []string{"ms", "backend_ms", "queue_ms", "remote", "bytes", "length_km"} {
		if _, found := ok[k]; !found {
			t.Errorf("log lacks %s: %v", k, ok)
		}
	}
	if bad["status"] != 400.0 || !contains(bad["error"].(string), "unknown field") {
		t.Errorf("log of a bad request: %v", bad)
	}
}

func TestHTTPServerTimeouts(t *testing.T) {
	s := server.New(server.Config{Deadline: 7 * time.Second, QueueTimeout: 3 * time.Second, Logger: discard})
	srv := s.HTTPServer("127.0.0.1:0")
	if srv.ReadHeaderTimeout <= 0 || srv.ReadTimeout <= 0 || srv.IdleTimeout <= 0 || srv.WriteTimeout <= 10*time.Second {
		t.Errorf("timeouts: header %v read %v write %v idle %v", srv.ReadHeaderTimeout, srv.ReadTimeout, srv.WriteTimeout, srv.IdleTimeout)
	}
	if srv.Handler != s {
		t.Error("handler is not the Server")
	}
}
