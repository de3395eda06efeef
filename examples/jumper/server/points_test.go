package server_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"math"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ffi4go/tsp"
	"github.com/ffi4go/tsp/backends"
	"github.com/ffi4go/tsp/examples/jumper/server"
)

// readStream reads a streamed answer to its end: how many progress lines
// came, and the result.
func readStream(t *testing.T, ctx context.Context, url string, body any) (progress int, result server.SolveResponse) {
	t.Helper()
	resp := openStream(t, ctx, url, body)
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(nil, 1<<26)
	for sc.Scan() {
		var l server.StreamLine
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatalf("line %.80q: %v", sc.Text(), err)
		}
		switch {
		case l.Progress != nil:
			progress++
		case l.Result != nil:
			return progress, *l.Result
		default:
			t.Fatalf("stream error %d: %s", l.Status, l.Error)
		}
	}
	t.Fatalf("the stream ended without a result: %v", sc.Err())
	return
}

// wantPoints checks that res is tsp.SolvePoints' tour of cities with opt.
func wantPoints(t *testing.T, cities []tsp.City, opt tsp.Options, res server.SolveResponse) {
	t.Helper()
	want, err := tsp.SolvePoints(context.Background(), tsp.CityPoints(cities), opt)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Coordinates || res.LengthKm != want.Length || res.Nodes != want.Nodes || !equalInts(res.Order, want.Order) {
		t.Fatalf("coordinates %v, length %v, nodes %d; want SolvePoints' %v, %d", res.Coordinates, res.LengthKm, res.Nodes, want.Length, want.Nodes)
	}
	if len(res.Tour) != len(cities) || len(res.Legs) != len(cities) {
		t.Fatalf("%d stops and %d legs for %d cities", len(res.Tour), len(res.Legs), len(cities))
	}
	sum := 0.0
	for i, l := range res.Legs {
		if i < len(res.Order) && res.Tour[i] != cities[res.Order[i]] {
			t.Fatalf("stop %d is %+v, want city %d", i, res.Tour[i], res.Order[i])
		}
		sum += l
	}
	if math.Abs(sum-res.LengthKm) > 1e-6*res.LengthKm {
		t.Errorf("the legs add up to %v, the length is %v", sum, res.LengthKm)
	}
}

// bigPoints is the coordinate path's limit the big tests set: 100,000
// cities (the default is 20,000: DefaultMaxPointsCities).
const bigPoints = 100_000

// TestPointsBig: 100,000 cities, the limit of the coordinate path set,
// solved with nearest: SolvePoints' tour; one more is refused with 422.
func TestPointsBig(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: 100,000 cities")
	}
	ts, _ := start(t, server.Config{MaxPointsCities: bigPoints})
	cities := tsp.RandomCities(bigPoints, 5)
	r := request(cities, "go", "nearest", 17)
	res := solveRaw(t, ts.URL, mustJSON(t, r))
	wantPoints(t, cities, tsp.Options{Algorithm: tsp.Nearest, Start: 17}, res)
	t.Logf("%d cities, nearest: backend %.0f ms, request %.0f ms", len(cities), res.BackendMs, res.TotalMs)

	r = request(append(cities, cities[0]), "go", "nearest", 0)
	code, _, body, err := post(context.Background(), http.DefaultClient, ts.URL, mustJSON(t, r))
	if err != nil {
		t.Fatal(err)
	}
	if code != http.StatusUnprocessableEntity || !strings.Contains(string(body), "too many cities for nearest: 100001, at most 100000") {
		t.Errorf("100,001 cities: %d %s", code, body)
	}
}

// TestPointsStream: a streamed list takes the coordinate path at every
// size, and sends progress lines (ABI 7: SolvePoints calls Progress), then
// SolvePoints' answer.
func TestPointsStream(t *testing.T) {
	ts, _ := start(t, server.Config{MaxCities: 200})
	small := tsp.RandomCities(200, 3)
	n, res := readStream(t, context.Background(), ts.URL, streamReq{solveReq: request(small, "go", "iterated", 0), DeadlineMs: 9000})
	if n == 0 || !res.Coordinates || res.Status != "heuristic" {
		t.Errorf("200 cities streamed: %d progress lines, coordinates %v, status %s; want progress on the coordinate path", n, res.Coordinates, res.Status)
	}
	wantPoints(t, small, tsp.Options{Algorithm: tsp.Iterated, Budget: tsp.DefaultBudget(len(small))}, res)

	big := tsp.RandomCities(3000, 3)
	n, res = readStream(t, context.Background(), ts.URL, streamReq{solveReq: request(big, "go", "2opt", 5), DeadlineMs: 9000})
	if n == 0 || !res.Coordinates {
		t.Errorf("3,000 cities streamed: %d progress lines, coordinates %v; want progress on the coordinate path", n, res.Coordinates)
	}
	wantPoints(t, big, tsp.Options{Algorithm: tsp.TwoOpt, Start: 5}, res)
}

// TestPointsDeadline: a huge solve is priced as its deadline, runs in the
// heavy lane and stops at its deadline with its best tour; a cheap request
// meanwhile is answered at once in the cheap lane.
func TestPointsDeadline(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: 100,000 cities")
	}
	ts, _ := start(t, server.Config{Workers: 2, MaxPointsCities: bigPoints})
	cities := tsp.RandomCities(bigPoints, 9)
	body := mustJSON(t, struct {
		solveReq
		DeadlineMs int64 `json:"deadline_ms"`
	}{request(cities, "go", "iterated", 0), 2500})
	type answer struct {
		code int
		body []byte
		err  error
		at   time.Time
	}
	done := make(chan answer, 1)
	go func() {
		code, _, b, err := post(context.Background(), http.DefaultClient, ts.URL, body)
		done <- answer{code, b, err, time.Now()}
	}()
	// Wait until it runs.
	for deadline := time.Now().Add(30 * time.Second); ; {
		_, b := get(t, ts.URL+"/healthz")
		var st server.Stats
		if err := json.Unmarshal(b, &st); err != nil {
			t.Fatal(err)
		}
		if st.Running == 1 && len(st.Solves) == 1 {
			s := st.Solves[0]
			if s.Lane != "heavy" || s.Cities != len(cities) || s.EstimateMs != 2500 {
				t.Errorf("the huge solve: %+v, want the heavy lane and an estimate of its deadline", s)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the huge solve did not start: %+v", st)
		}
		time.Sleep(20 * time.Millisecond)
	}
	cheap := solveOK(t, ts.URL, request(tsp.Demo11(), "go", "exact", 0))
	cheapAt := time.Now()
	if cheap.Status != "optimal" || cheap.QueueMs > 100 {
		t.Errorf("the cheap request beside the huge one: %s, queued %.1f ms", cheap.Status, cheap.QueueMs)
	}
	a := <-done
	if a.err != nil || a.code != http.StatusOK {
		t.Fatalf("the huge solve: %d %v %.200s", a.code, a.err, a.body)
	}
	if !a.at.After(cheapAt) {
		t.Error("the cheap request was answered after the huge one")
	}
	var res server.SolveResponse
	if err := json.Unmarshal(a.body, &res); err != nil {
		t.Fatal(err)
	}
	if res.Status != "stopped" || !res.Coordinates || len(res.Order) != len(cities) {
		t.Fatalf("the huge solve: %s, coordinates %v, %d stops", res.Status, res.Coordinates, len(res.Order))
	}
	// The deadline holds: 2.5 s, plus the time to sum and check the tour.
	if res.BackendMs > 2500+1500 {
		t.Errorf("backend %.0f ms for a deadline of 2,500 ms", res.BackendMs)
	}
	t.Logf("100,000 cities, iterated, deadline 2.5 s: backend %.0f ms, request %.0f ms; the cheap request %.1f ms", res.BackendMs, res.TotalMs, cheap.TotalMs)
}

// TestPointsMatrixOnly: a backend without a coordinate solver takes the
// matrix path, with its limit, and says so.
func TestPointsMatrixOnly(t *testing.T) {
	bs := []backends.Backend{{Name: "go", Solver: tsp.Go()}, {Name: "matrix-only", Solver: tsp.Go()}}
	ts, _ := start(t, server.Config{Backends: bs, MaxCities: 20})
	_, body := get(t, ts.URL+"/api/backends")
	var info server.BackendsResponse
	decodeStrict(t, body, &info)
	if !info.Backends[0].Points || info.Backends[1].Points {
		t.Errorf("points %v %v, want go only", info.Backends[0].Points, info.Backends[1].Points)
	}
	cities := tsp.RandomCities(21, 1)
	code, _, b, err := post(context.Background(), http.DefaultClient, ts.URL, mustJSON(t, request(cities, "matrix-only", "2opt", 0)))
	if err != nil {
		t.Fatal(err)
	}
	if code != http.StatusUnprocessableEntity || !bytes.Contains(b, []byte("at most 20 (matrix-only solves distance matrices only")) {
		t.Errorf("21 cities on a matrix-only backend: %d %s", code, b)
	}
	res := solveOK(t, ts.URL, request(cities[:20], "matrix-only", "2opt", 0))
	if res.Coordinates {
		t.Error("a matrix-only backend answered from coordinates")
	}
}
