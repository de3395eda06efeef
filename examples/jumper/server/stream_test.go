package server_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/ffi4go/tsp"
	"github.com/ffi4go/tsp/examples/jumper/server"
	"github.com/ffi4go/tsp/internal/difftest"
)

type streamReq struct {
	solveReq
	DeadlineMs int64 `json:"deadline_ms"`
}

// openStream posts body (JSON) to /api/solve?stream=1 and returns the
// response, a stream.
func openStream(t *testing.T, ctx context.Context, url string, body any) *http.Response {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url+"/api/solve?stream=1", bytes.NewReader(mustJSON(t, body)))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := guard.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/x-ndjson" {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("stream: %d %s: %s", resp.StatusCode, resp.Header.Get("Content-Type"), b)
	}
	return resp
}

// TestSolveStream: a streamed solve sends progress lines, each a route from
// the start no longer than the one before, with a bound no lower and its
// gap, then the result, no longer than the last progress.
func TestSolveStream(t *testing.T) {
	ts, _ := start(t, server.Config{})
	cities := tsp.RandomCities(1000, 7)
	r := streamReq{solveReq: request(cities, "go", "iterated", 3), DeadlineMs: 9000}
	resp := openStream(t, context.Background(), ts.URL, r)
	defer resp.Body.Close()
	var progress []server.StreamProgress
	var result *server.SolveResponse
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(nil, 1<<22)
	for sc.Scan() {
		var l server.StreamLine
		dec := json.NewDecoder(bytes.NewReader(sc.Bytes()))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&l); err != nil {
			t.Fatalf("line %q: %v", sc.Text(), err)
		}
		switch {
		case l.Progress != nil:
			if result != nil {
				t.Fatal("progress after the result")
			}
			p := *l.Progress
			if len(p.Order) != len(cities) || p.Order[0] != 3 {
				t.Fatalf("progress order %v", p.Order)
			}
			if n := len(progress); n > 0 && (p.Length > progress[n-1].Length || p.LowerBound < progress[n-1].LowerBound) {
				t.Errorf("progress %+v after %+v", p, progress[n-1])
			}
			if p.Gap < 0 || p.Gap > 1 {
				t.Errorf("gap %v", p.Gap)
			}
			progress = append(progress, p)
		case l.Result != nil:
			result = l.Result
		default:
			t.Fatalf("line %q", sc.Text())
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if result == nil || len(progress) < 1 {
		t.Fatalf("%d progress lines, result %v", len(progress), result != nil)
	}
	checkTour(t, r.solveReq, *result)
	// On the coordinate path a progress length is the kernel's tracked
	// sum (tsp.Progress.Length), which may differ from the route's length
	// in its last bits.
	if last := progress[len(progress)-1]; result.Length > last.Length &&
		!(result.Coordinates && result.Length-last.Length <= 1e-9*last.Length) {
		t.Errorf("result %v longer than the last progress %v", result.Length, last.Length)
	}
}

// TestSolveStreamCancel: closing a stream stops the search. The search is
// Exact on the 1–2 TSP of a flower snark (difftest.HardExact), which runs
// for hours: the solve releases its worker long before its 9 s deadline
// only because the client left.
func TestSolveStreamCancel(t *testing.T) {
	ts, s := start(t, server.Config{})
	m := difftest.HardExact()
	rows := make([][]float64, m.N())
	for i := range rows {
		rows[i] = make([]float64, m.N())
		for j := range rows[i] {
			rows[i][j] = m.At(i, j)
		}
	}
	body := map[string]any{"costs": map[string]any{"matrix": rows}, "backend": "go", "algorithm": "exact", "deadline_ms": 9000}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	resp := openStream(t, ctx, ts.URL, body)
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(nil, 1<<22)
	if !sc.Scan() {
		t.Fatalf("no first line: %v", sc.Err())
	}
	if s.Stats().Running != 1 {
		t.Fatalf("running %d solves, want 1", s.Stats().Running)
	}
	t0 := time.Now()
	cancel()
	resp.Body.Close()
	for s.Stats().Running != 0 {
		if time.Since(t0) > 5*time.Second { // a guard: the deadline is 9 s
			t.Fatal("the search still runs 5 s after the client left")
		}
		time.Sleep(10 * time.Millisecond)
	}
}
