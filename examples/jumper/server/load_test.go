package server_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/ffi4go/tsp"
	"github.com/ffi4go/tsp/examples/jumper/server"
)

// loopbackClient keeps enough idle connections for n concurrent clients.
func loopbackClient(n int) *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConns = 2 * n
	tr.MaxIdleConnsPerHost = 2 * n
	return &http.Client{Transport: tr, Timeout: time.Minute}
}

// 50 concurrent demo11 Exact requests, spread over every available backend:
// all succeed with the same optimal tour.
func TestLoadConcurrentExact(t *testing.T) {
	bs := available(allBackends())
	ts, s := start(t, server.Config{Backends: bs})
	const n = 50
	c := loopbackClient(n)
	var wg sync.WaitGroup
	resps := make([]server.SolveResponse, n)
	errs := make([]error, n)
	ready := make(chan struct{})
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := request(tsp.Demo11(), bs[i%len(bs)].Name, "exact", 0)
			<-ready
			code, _, body, err := post(context.Background(), c, ts.URL, mustJSON(t, r))
			if err == nil && code != http.StatusOK {
				err = fmt.Errorf("status %d: %s", code, body)
			}
			if err != nil {
				errs[i] = err
				return
			}
			decodeStrict(t, body, &resps[i])
			checkTour(t, r, resps[i])
		}()
	}
	close(ready)
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("request %d: %v", i, err)
		}
	}
	ref := resps[0]
	if ref.Status != "optimal" || ref.LowerBoundKm != ref.LengthKm {
		t.Fatalf("%+v", ref)
	}
	for i, r := range resps {
		if r.Status != ref.Status || r.LengthKm != ref.LengthKm || !slices.Equal(r.Order, ref.Order) {
			t.Errorf("request %d (%s): %s %v %v, want %s %v %v", i, r.Backend, r.Status, r.LengthKm, r.Order, ref.Status, ref.LengthKm, ref.Order)
		}
	}
	waitIdle(t, ts.URL, s)
}

// A flood past one worker and a queue of one: every answer is either a
// tour (200) or 503 with Retry-After, never anything else.
func TestLoadFloodPastQueue(t *testing.T) {
	ts, s := start(t, server.Config{Workers: 1, Queue: 1, Deadline: 300 * time.Millisecond, QueueTimeout: time.Minute})
	const n = 24
	r := request(tsp.Demo30()[:13], "go", "exhaustive", 0) // 12! orders: about a second, stopped at the deadline
	body := mustJSON(t, r)
	c := loopbackClient(n)
	var (
		wg     sync.WaitGroup
		mu     sync.Mutex
		counts = map[int]int{}
	)
	ready := make(chan struct{})
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-ready
			code, h, b, err := post(context.Background(), c, ts.URL, body)
			if err != nil {
				t.Error(err)
				return
			}
			switch code {
			case http.StatusOK:
				var resp server.SolveResponse
				decodeStrict(t, b, &resp)
				checkTour(t, r, resp)
				if resp.Status != "stopped" && resp.Status != "optimal" {
					t.Errorf("status %q", resp.Status)
				}
			case http.StatusServiceUnavailable:
				var e server.ErrorResponse
				decodeStrict(t, b, &e)
				if h.Get("Retry-After") == "" || e.Error == "" {
					t.Errorf("503 without Retry-After or message: %q", e.Error)
				}
			default:
				t.Errorf("status %d: %s", code, b)
			}
			mu.Lock()
			counts[code]++
			mu.Unlock()
		}()
	}
	close(ready)
	wg.Wait()
	t.Logf("answers: %v", counts)
	if counts[http.StatusOK] == 0 || counts[http.StatusServiceUnavailable] == 0 {
		t.Errorf("want both tours and 503s from %d requests at a capacity of 2: %v", n, counts)
	}
	waitIdle(t, ts.URL, s)
}

// A search past its deadline answers 200 with the best tour so far.
func TestLoadStoppedAtDeadline(t *testing.T) {
	for _, b := range available(allBackends()) {
		t.Run(b.Name, func(t *testing.T) {
			ts, _ := start(t, server.Config{Backends: available(allBackends()), Deadline: 50 * time.Millisecond})
			for _, alg := range []string{"exhaustive", "exact"} {
				cities := tsp.Demo30()[:13]
				if alg == "exact" {
					cities = tsp.RandomCities(tsp.MaxExact, 7) // far beyond 50 ms for branch and bound
				}
				r := request(cities, b.Name, alg, 0)
				got := solveOK(t, ts.URL, r) // checks the tour
				if got.Status != "stopped" || got.Backend != b.Name || got.Algorithm != alg {
					t.Errorf("%s: %+v", alg, got)
				}
				if got.LowerBoundKm < 0 || got.LowerBoundKm > got.LengthKm {
					t.Errorf("%s stopped with lower bound %v and length %v", alg, got.LowerBoundKm, got.LengthKm)
				}
			}
		})
	}
}

// BenchmarkSolveHTTP measures POST /api/solve of demo11 Exact with 8
// concurrent clients on loopback, per available backend. It reports the
// 50th and 99th percentile latency and the throughput.
//
//	go -C examples test ./jumper/server -run '^$' -bench SolveHTTP -benchtime 4000x
func BenchmarkSolveHTTP(b *testing.B) {
	for _, be := range available(allBackends()) {
		b.Run(be.Name, func(b *testing.B) {
			ts, _ := start(b, server.Config{Backends: available(allBackends())})
			const clients = 8
			c := loopbackClient(clients)
			body := mustJSON(b, request(tsp.Demo11(), be.Name, "exact", 0))
			// warm the connections up
			for i := 0; i < clients; i++ {
				if code, _, _, err := post(context.Background(), c, ts.URL, body); err != nil || code != 200 {
					b.Fatal(code, err)
				}
			}
			lat := make([]time.Duration, b.N)
			var next sync.Mutex
			i := 0
			var wg sync.WaitGroup
			b.ResetTimer()
			t0 := time.Now()
			for w := 0; w < clients; w++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for {
						next.Lock()
						k := i
						i++
						next.Unlock()
						if k >= b.N {
							return
						}
						s := time.Now()
						code, _, _, err := post(context.Background(), c, ts.URL, body)
						lat[k] = time.Since(s)
						if err != nil || code != http.StatusOK {
							b.Errorf("request %d: %d %v", k, code, err)
							return
						}
					}
				}()
			}
			wg.Wait()
			elapsed := time.Since(t0)
			b.StopTimer()
			slices.Sort(lat)
			b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(lat[min(len(lat)-1, len(lat)*99/100)].Microseconds())/1000, "p99-ms")
			b.ReportMetric(float64(b.N)/elapsed.Seconds(), "req/s")
		})
	}
}
