package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ffi4go/tsp"
	"github.com/ffi4go/tsp/backends"
	"github.com/ffi4go/tsp/examples/jumper/server"
)

var discard = slog.New(slog.DiscardHandler)

// guard is a client that gives up after a minute: a test that would
// deadlock fails instead (a guard, not a speed check).
var guard = &http.Client{Timeout: time.Minute}

// start serves cfg on loopback for the test. A nil cfg.Backends gets the
// pure-Go backend plus an unavailable one called "off".
func start(t testing.TB, cfg server.Config) (*httptest.Server, *server.Server) {
	t.Helper()
	if cfg.Backends == nil {
		cfg.Backends = []backends.Backend{
			{Name: "go", Solver: tsp.Go()},
			{Name: "off", Err: errOff},
		}
	}
	if cfg.Logger == nil {
		cfg.Logger = discard
	}
	s := server.New(cfg)
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	return ts, s
}

var errOff = errors.New("tsp: backend unavailable: off: switched off for the test")

// allBackends is every backend of the module, available or not.
// allBackends: every backend but the Python ones, which the tests that
// run every backend with every algorithm leave out (their pure-Python
// kernel has two of the five algorithms, and takes seconds where the
// others take milliseconds); python_test.go runs them.
func allBackends() []backends.Backend {
	var out []backends.Backend
	for _, b := range backends.All(backends.Config{}) {
		if !slices.Contains(backends.PythonNames(), b.Name) {
			out = append(out, b)
		}
	}
	return out
}

func available(bs []backends.Backend) []backends.Backend {
	var out []backends.Backend
	for _, b := range bs {
		if b.Solver != nil {
			out = append(out, b)
		}
	}
	return out
}

// cityJSON is a request city with plain coordinates.
type cityJSON struct {
	Name string  `json:"name"`
	Lat  float64 `json:"lat"`
	Lon  float64 `json:"lon"`
}

type solveReq struct {
	Cities    []cityJSON `json:"cities"`
	Backend   string     `json:"backend,omitempty"`
	Algorithm string     `json:"algorithm,omitempty"`
	Start     int        `json:"start"`
}

func request(cities []tsp.City, backend, algorithm string, start int) solveReq {
	r := solveReq{Backend: backend, Algorithm: algorithm, Start: start}
	for _, c := range cities {
		r.Cities = append(r.Cities, cityJSON(c))
	}
	return r
}

func mustJSON(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// post sends body to /api/solve and returns the code, the headers and the body.
func post(ctx context.Context, c *http.Client, url string, body []byte) (int, http.Header, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url+"/api/solve", bytes.NewReader(body))
	if err != nil {
		return 0, nil, nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.Do(req)
	if err != nil {
		return 0, nil, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, b, err
}

// decodeStrict decodes b into v, refusing unknown fields.
func decodeStrict(t testing.TB, b []byte, v any) {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		t.Fatalf("decoding %s: %v", b, err)
	}
}

// solveOK posts r and fails unless the answer is 200 with a valid tour.
func solveOK(t testing.TB, url string, r solveReq) server.SolveResponse {
	t.Helper()
	resp := solveRaw(t, url, mustJSON(t, r))
	checkTour(t, r, resp)
	return resp
}

// checkTour checks that resp.Tour visits every requested city once, from
// the start, and that length_km is the length of that tour.
func checkTour(t testing.TB, r solveReq, resp server.SolveResponse) {
	t.Helper()
	n := len(r.Cities)
	if len(resp.Tour) != n || len(resp.Order) != n {
		t.Fatalf("tour of %d cities and order of %d for %d cities", len(resp.Tour), len(resp.Order), n)
	}
	seen := make([]bool, n)
	cities := make([]tsp.City, n)
	for i, c := range r.Cities {
		cities[i] = tsp.City(c)
	}
	for i, k := range resp.Order {
		if k < 0 || k >= n || seen[k] {
			t.Fatalf("order %v is not a permutation", resp.Order)
		}
		seen[k] = true
		if resp.Tour[i] != cities[k] {
			t.Fatalf("tour[%d] = %+v, want cities[%d] = %+v", i, resp.Tour[i], k, cities[k])
		}
	}
	if resp.Order[0] != r.Start {
		t.Fatalf("tour starts at %d, want %d", resp.Order[0], r.Start)
	}
	m, err := tsp.HaversineMatrix(cities)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := resp.LengthKm, tsp.TourLength(m, resp.Order); got != want {
		t.Fatalf("length_km %v, but the tour is %v km long", got, want)
	}
}

// gate is a Solver that blocks until released (or, with honorCtx, until
// its context ends), so tests control exactly how many solves are running.
type gate struct {
	honorCtx bool
	entered  chan struct{}
	release  chan struct{}
	once     sync.Once
	ctxErr   chan error
}

func newGate(honorCtx bool) *gate {
	return &gate{honorCtx: honorCtx, entered: make(chan struct{}, 100), release: make(chan struct{}), ctxErr: make(chan error, 100)}
}

func (g *gate) Name() string { return "gate" }

func (g *gate) Open() { g.once.Do(func() { close(g.release) }) }

func (g *gate) Solve(ctx context.Context, m *tsp.Matrix, opt tsp.Options) (tsp.Tour, error) {
	g.entered <- struct{}{}
	done := ctx.Done()
	if !g.honorCtx {
		done = nil
	}
	select {
	case <-g.release:
	case <-done:
		g.ctxErr <- ctx.Err()
		return tsp.Tour{}, ctx.Err()
	}
	return tsp.Go().Solve(context.Background(), m, opt)
}

// failing is a Solver whose every solve fails like a broken native kernel.
type failing struct{}

func (failing) Name() string { return "broken" }

func (failing) Solve(context.Context, *tsp.Matrix, tsp.Options) (tsp.Tour, error) {
	return tsp.Tour{}, fmt.Errorf("%w: broken returned status 5", tsp.ErrKernel)
}

// recv receives from ch, failing the test instead of hanging when nothing
// comes for a long time (a guard against deadlock, not a speed check).
func recv[T any](t testing.TB, ch <-chan T) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(time.Minute):
		t.Fatalf("nothing received on %T for a minute", ch)
		panic("unreachable")
	}
}

// panicking is a Solver that panics, like a backend with a bug.
type panicking struct{}

func (panicking) Name() string { return "panicky" }

func (panicking) Solve(context.Context, *tsp.Matrix, tsp.Options) (tsp.Tour, error) {
	panic("index out of range")
}

func contains(s, sub string) bool { return strings.Contains(strings.ToLower(s), strings.ToLower(sub)) }
