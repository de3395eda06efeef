package server_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ffi4go/tsp"
	"github.com/ffi4go/tsp/backends"
	"github.com/ffi4go/tsp/examples/jumper/server"
)

// postWith sends body to /api/solve with Content-Type application/json and
// the given headers ("" deletes one) and returns the code, headers and
// error message (empty for a 200).
func postWith(t *testing.T, url string, body []byte, header map[string]string) (int, http.Header, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url+"/api/solve", bytes.NewReader(body))
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
	resp, err := guard.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.Close { // the server closes the connection (net/http takes "Connection: close" out of the headers)
		resp.Header.Set("Connection", "close")
	}
	var e server.ErrorResponse
	if resp.StatusCode != http.StatusOK {
		decodeStrict(t, b, &e)
	}
	return resp.StatusCode, resp.Header, e.Error
}

// Issue 14: the API is strict and refuses what another web page could make
// a visitor's browser send; no message names a Go type or repeats a long
// input.
func TestStrictAPI(t *testing.T) {
	ts, _ := start(t, server.Config{Deadline: 5 * time.Second})
	demo := mustJSON(t, request(tsp.Demo11()[:4], "go", "exact", 0))
	city := `{"name":"a","lat":1,"lon":2}`
	long := strings.Repeat("n", 200_000)
	for _, tc := range []struct {
		name   string
		body   string
		header map[string]string
		code   int
		want   string
	}{
		{"ok", string(demo), nil, 200, ""},
		{"charset", string(demo), map[string]string{"Content-Type": "application/json; charset=utf-8"}, 200, ""},
		{"same origin", string(demo), map[string]string{"Origin": ts.URL, "Sec-Fetch-Site": "same-origin"}, 200, ""},
		{"deadline", `{"cities":[` + city + `],"deadline_ms":5000}`, nil, 200, ""},
		{"text/plain", string(demo), map[string]string{"Content-Type": "text/plain"}, 415, "Content-Type: application/json"},
		{"form", string(demo), map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, 415, "application/json"},
		{"no type", string(demo), map[string]string{"Content-Type": ""}, 415, "application/json"},
		{"cross origin", string(demo), map[string]string{"Origin": "http://evil.example"}, 403, "cross-origin"},
		{"cross site", string(demo), map[string]string{"Sec-Fetch-Site": "cross-site"}, 403, "cross-origin"},
		{"BACKEND", `{"cities":[` + city + `],"BACKEND":"go"}`, nil, 400, `unknown field "BACKEND"`},
		{"Cities", `{"Cities":[` + city + `]}`, nil, 400, `unknown field "Cities"`},
		{"city key case", `{"cities":[{"name":"a","LAT":1,"lon":2}]}`, nil, 400, `unknown field "LAT"`},
		{"duplicate", `{"cities":[` + city + `],"start":0,"start":0}`, nil, 400, `duplicate field "start"`},
		{"deadline too long", `{"cities":[` + city + `],"deadline_ms":5001}`, nil, 400, "deadline_ms 5001 out of range: want 1 to 5000"},
		{"deadline zero", `{"cities":[` + city + `],"deadline_ms":0}`, nil, 400, "deadline_ms must be at least 1"},
		{"deadline fraction", `{"cities":[` + city + `],"deadline_ms":1.5}`, nil, 400, "deadline_ms must be an integer, got the number 1.5"},
		{"old deadline key", `{"cities":[` + city + `],"deadline":5}`, nil, 400, `unknown field "deadline"`},
		{"no lat", `{"cities":[{"name":"a","lon":2}]}`, nil, 400, `city 0: missing "lat"`},
		{"long name", `{"cities":[{"name":"` + long + `","lat":1,"lon":2}]}`, nil, 400, "name of 200000 bytes, at most 200"},
		{"long backend", `{"cities":[` + city + `],"backend":"` + long + `"}`, nil, 400, "unknown backend"},
		{"long key", `{"` + long[:3000] + `":1}`, nil, 400, "unknown field"},
		{"backend number", `{"cities":[` + city + `],"backend":7}`, nil, 400, "backend must be a string, got the number 7"},
		{"start object", `{"cities":[` + city + `],"start":{}}`, nil, 400, "start must be an integer, got an object"},
	} {
		code, _, msg := postWith(t, ts.URL, []byte(tc.body), tc.header)
		if code != tc.code || !strings.Contains(msg, tc.want) {
			t.Errorf("%s: %d %.200q, want %d with %q", tc.name, code, msg, tc.code, tc.want)
		}
		for _, goish := range []string{"server.", "[]", "CityIn", "Go value", "tsp.City", "float64", "int64"} {
			if strings.Contains(msg, goish) {
				t.Errorf("%s: the message names a Go type (%s): %q", tc.name, goish, msg)
			}
		}
		if len(msg) > 500 {
			t.Errorf("%s: a message of %d bytes", tc.name, len(msg))
		}
	}
}

// rawPost opens a connection and sends the head of a POST /api/solve
// declaring length bytes of body, then the first bytes of the body.
func rawPost(t *testing.T, addr string, length int64, first string) net.Conn {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	c.SetDeadline(time.Now().Add(time.Minute)) // a guard against a hang, not a speed check
	fmt.Fprintf(c, "POST /api/solve HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s", addr, length, first)
	return c
}

func rawAnswer(t *testing.T, c net.Conn) (int, http.Header, string) {
	t.Helper()
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var e server.ErrorResponse
	b, _ := io.ReadAll(resp.Body)
	decodeStrict(t, b, &e)
	return resp.StatusCode, resp.Header, e.Error
}

// A declared Content-Length over the limit is refused before the body is
// read (none is sent: reading it would hang); a body that stops coming
// gets 408 with a message that names no address; the log says so.
func TestBodyAdmission(t *testing.T) {
	var logs syncBuffer
	s := server.New(server.Config{Logger: slog.New(slog.NewJSONHandler(&logs, nil))})
	srv := s.HTTPServer("127.0.0.1:0")
	srv.ReadTimeout = 300 * time.Millisecond
	ts := httptest.NewUnstartedServer(s)
	ts.Config = srv
	ts.Start()
	t.Cleanup(ts.Close)
	addr := ts.Listener.Addr().String()

	c := rawPost(t, addr, 10_000_000_000, "")
	if code, _, msg := rawAnswer(t, c); code != http.StatusRequestEntityTooLarge || msg != fmt.Sprintf("request body over %d bytes", server.DefaultMaxBody) {
		t.Errorf("10 GB declared: %d %q", code, msg)
	}
	c = rawPost(t, addr, 1000, `{"cities":[{"name":"a",`)
	code, _, msg := rawAnswer(t, c)
	if code != http.StatusRequestTimeout || msg != "the request body did not arrive in time" {
		t.Errorf("slow body: %d %q", code, msg)
	}
	if l := logs.String(); !strings.Contains(l, `"status":408`) || strings.Contains(l, "i/o timeout") {
		t.Errorf("log: %s", l)
	}
}

// While a large body is read, another large body gets 503 with Retry-After
// before it is read, and a small one is still served.
func TestBodyBudgetAdmission(t *testing.T) {
	ts, s := start(t, server.Config{})
	c := rawPost(t, ts.Listener.Addr().String(), 90_000, `{"cities":[`)
	waitStats(t, s, func(st server.Stats) bool { return st.BodyBytes == 90_000 })
	big := mustJSON(t, request(tsp.RandomCities(400, 3), "go", "2opt", 0)) // over 8 KiB
	code, h, msg := postWith(t, ts.URL, big, nil)
	if code != http.StatusServiceUnavailable || h.Get("Retry-After") == "" || !strings.Contains(msg, "request bodies") {
		t.Errorf("large body past the budget: %d Retry-After=%q %q", code, h.Get("Retry-After"), msg)
	}
	if code, _, msg := postWith(t, ts.URL, mustJSON(t, request(tsp.Demo11(), "go", "exact", 0)), nil); code != http.StatusOK {
		t.Errorf("small body: %d %q", code, msg)
	}
	c.Close()
	waitStats(t, s, func(st server.Stats) bool { return st.BodyBytes == 0 })
}

// heavyGate holds every solve with more than a second to its deadline (the
// heavy ones: the cheap lane stops its solves at the 1 s soft deadline)
// until released, and then answers a nearest-neighbour tour at once.
type heavyGate struct {
	entered chan int
	release chan struct{}
}

func (g *heavyGate) Name() string { return "heavygate" }

func (g *heavyGate) Solve(ctx context.Context, m *tsp.Matrix, opt tsp.Options) (tsp.Tour, error) {
	if d, ok := ctx.Deadline(); ok && time.Until(d) > time.Second {
		g.entered <- m.N()
		select {
		case <-g.release:
		case <-ctx.Done():
			return tsp.Tour{}, ctx.Err()
		}
		opt.Algorithm = tsp.Nearest // released: answer at once
	}
	return tsp.Go().Solve(ctx, m, opt)
}

// Two expensive requests (100 s of exact each) take the heavy worker and
// the queue; cheap requests are answered all along; a third expensive one,
// 200 s of work behind with a queue timeout of 150 s, gets 503 at once with
// Retry-After 50; /healthz shows them.
func TestCheapNeverWaitsBehindExpensive(t *testing.T) {
	g := &heavyGate{entered: make(chan int, 8), release: make(chan struct{})}
	ts, s := start(t, server.Config{Backends: []backends.Backend{{Name: "go", Solver: g}}, Workers: 2,
		Deadline: 100 * time.Second, QueueTimeout: 150 * time.Second})
	heavy := mustJSON(t, request(tsp.RandomCities(tsp.MaxExact, 4), "go", "exact", 0))
	codes := make(chan int, 2)
	for range 2 {
		go func() {
			code, _, _ := postWith(t, ts.URL, heavy, nil)
			codes <- code
		}()
	}
	waitStats(t, s, func(st server.Stats) bool { return st.Running == 1 && st.QueuedHeavy == 1 })
	for range 5 {
		if code, _, msg := postWith(t, ts.URL, mustJSON(t, request(tsp.Demo11(), "go", "exact", 0)), nil); code != http.StatusOK {
			t.Errorf("cheap request: %d %q", code, msg)
		}
	}
	code, h, msg := postWith(t, ts.URL, heavy, nil)
	if ra := h.Get("Retry-After"); code != http.StatusServiceUnavailable || (ra != "50" && ra != "51") || !strings.Contains(msg, "queue timeout") {
		t.Errorf("third expensive request: %d Retry-After=%q %q", code, ra, msg)
	}
	// Its body, over 8 KiB, was presumed expensive and refused unread: the
	// connection is closed rather than drained. A small expensive body is
	// read, estimated and refused all the same.
	if !strings.Contains(msg, "a body over 8 KiB counts as expensive") || h.Get("Connection") != "close" {
		t.Errorf("large body while the heavy lane is full: Connection=%q %q", h.Get("Connection"), msg)
	}
	code, h, msg = postWith(t, ts.URL, mustJSON(t, request(tsp.Demo30()[:13], "go", "exhaustive", 0)), nil)
	if code != http.StatusServiceUnavailable || h.Get("Connection") == "close" || strings.Contains(msg, "8 KiB") || !strings.Contains(msg, "queue timeout") {
		t.Errorf("13 cities exhaustive while the heavy lane is full: %d Connection=%q %q", code, h.Get("Connection"), msg)
	}
	// A client may make the same request cheap by asking for a short deadline.
	short := request(tsp.RandomCities(20, 5), "go", "exact", 0)
	b, _ := json.Marshal(struct {
		solveReq
		DeadlineMs int `json:"deadline_ms"`
	}{short, 5})
	if code, _, msg := postWith(t, ts.URL, b, nil); code != http.StatusOK {
		t.Errorf("exact on 20 cities with a 5 ms deadline: %d %q", code, msg)
	}

	_, body := get(t, ts.URL+"/healthz")
	var st server.Stats
	decodeStrict(t, body, &st)
	if st.Running != 1 || st.QueuedHeavy != 1 || st.HeavyWaitMs < 190_000 || len(st.Solves) != 2 ||
		st.Solves[0].Lane != "heavy" || st.Solves[0].Cities != tsp.MaxExact || st.Solves[0].Backend != "go" || st.Solves[1].State != "queued" {
		t.Errorf("healthz: %s", body)
	}
	close(g.release)
	for range 2 {
		if c := recv(t, codes); c != http.StatusOK {
			t.Errorf("admitted expensive request: %d", c)
		}
	}
	waitIdle(t, ts.URL, s)
}

// A request whose client left before the answer is logged as such, not as
// status 200 with 0 bytes.
func TestClientGoneIsLogged(t *testing.T) {
	var logs syncBuffer
	g := newGate(true)
	ts, s := start(t, server.Config{Backends: []backends.Backend{{Name: "gate", Solver: g}}, Logger: slog.New(slog.NewJSONHandler(&logs, nil))})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, _, _, err := post(ctx, http.DefaultClient, ts.URL, mustJSON(t, request(tsp.Demo11(), "gate", "exact", 0)))
		done <- err
	}()
	recv(t, g.entered)
	cancel()
	recv(t, done)
	waitIdle(t, ts.URL, s)
	for i := 0; !strings.Contains(logs.String(), `"msg":"request"`); i++ { // the record follows the handler's return
		if i > 6000 {
			t.Fatal("no request logged")
		}
		time.Sleep(5 * time.Millisecond)
	}
	var rec map[string]any
	if err := json.Unmarshal([]byte(strings.TrimSpace(logs.String())), &rec); err != nil {
		t.Fatalf("%v: %s", err, logs.String())
	}
	if rec["status"] != float64(server.StatusClientGone) || rec["outcome"] != "client gone" {
		t.Errorf("log of a request whose client left: %v", rec)
	}
}

// /api/backends and error answers show no directory of the server.
func TestNoServerPaths(t *testing.T) {
	errLib := errors.New("tsp: backend unavailable: shared library not found: libtsp_c.so in [/home/me/secret/lib /usr/lib] (build them)")
	ts, _ := start(t, server.Config{Backends: []backends.Backend{
		{Name: "go", Solver: tsp.Go()},
		{Name: "purego-c", Solver: tsp.Go(), Where: "/home/me/secret/lib/libtsp_c.so"},
		{Name: "purego-cpp", Err: errLib},
	}})
	_, body := get(t, ts.URL+"/api/backends")
	if bytes.Contains(body, []byte("/home")) || bytes.Contains(body, []byte("/usr")) {
		t.Errorf("/api/backends shows paths: %s", body)
	}
	var got server.BackendsResponse
	decodeStrict(t, body, &got)
	if got.Backends[1].Where != "libtsp_c.so" || !strings.Contains(got.Backends[2].Error, "libtsp_c.so in […/lib …/lib]") {
		t.Errorf("backends: %+v", got.Backends)
	}
	_, _, msg := postWith(t, ts.URL, mustJSON(t, request(tsp.Demo11(), "purego-cpp", "exact", 0)), nil)
	if strings.Contains(msg, "/home") || !strings.Contains(msg, "unavailable") {
		t.Errorf("solve on the unavailable backend: %q", msg)
	}
	if got := server.HidePaths("see ./cmd/tsp, C:\\Users\\me\\lib\\x.dll and (/a/b/c)"); got != "see ./cmd/tsp, …/x.dll and (…/c)" {
		t.Errorf("HidePaths: %q", got)
	}
}

// syncBuffer is a bytes.Buffer safe for the logger and the test at once.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// The jumper command's soft memory limit: per heavy worker the larger of two
// matrices of MaxCities and PointsBytesPerCity × MaxPointsCities, plus
// MaxBody and 24 MiB.
func TestMemoryLimit(t *testing.T) {
	for _, tc := range []struct {
		cfg  server.Config
		want int64
	}{
		{server.Config{Workers: 2}, 2*2000*2000*8 + server.DefaultMaxBody + 24<<20}, // the matrices weigh more
		{server.Config{Workers: 3, MaxCities: 1000}, 2*2*1000*1000*8 + server.DefaultMaxBody + 24<<20},
		{server.Config{Workers: 3, MaxCities: 1000, MaxPointsCities: 100_000}, 2*512*100_000 + 128*100_000 + 24<<20}, // the body follows
		{server.Config{Workers: 3, MaxCities: 5000, MaxPointsCities: 1000, MaxBody: 1 << 20}, 2*2*5000*5000*8 + 1<<20 + 24<<20},
	} {
		tc.cfg.Logger = discard
		if got := server.New(tc.cfg).MemoryLimit(); got != tc.want {
			t.Errorf("%+v: %d, want %d", tc.cfg, got, tc.want)
		}
	}
}
