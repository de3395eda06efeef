// Command load measures POST /api/solve of the jumper server: a fixed
// number of requests from a fixed number of concurrent clients, then the
// latency percentiles and the throughput.
//
//	go -C examples run ./load                          # in-process server on 127.0.0.1, demo11 exact, 8 clients
//	go -C examples run ./load -backend cgo-c -n 20000
//	go -C examples run ./load -url http://127.0.0.1:8080   # a jumper you started
//	go -C examples run ./load -fair                        # issue 14: cheap requests under expensive load
//
// -fair starts a fresh in-process server per case, the jumper's and
// tsphttp.Handler's with their defaults, and has 2 and then 64 clients send
// the most expensive request the API allows (exact on 250 cities at the
// full deadline; the largest body of the most cities, 2opt) while a probe
// sends demo11 exact every 20 ms. It fails unless, in every case, the
// probe's p99 is at most 50 ms with no probe refused, the process's RSS
// stays at most 100 MB and probes are back under 50 ms within 1 s of the
// load's end. About 40 s in all with -fair-for 3s.
//
// The run is bounded: it stops after -n requests or after -max, whichever
// comes first.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ffi4go/tsp"
	"github.com/ffi4go/tsp/backends"
	"github.com/ffi4go/tsp/examples/jumper/server"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "load:", err)
		os.Exit(1)
	}
}

type result struct {
	lat  time.Duration
	code int
	err  error
}

func run() error {
	url := flag.String("url", "", "jumper to load; empty: start one in this process on 127.0.0.1")
	clients := flag.Int("c", 8, "concurrent clients")
	n := flag.Int("n", 5000, "requests in all")
	warm := flag.Int("warmup", 200, "requests sent first and not measured")
	maxDur := flag.Duration("max", time.Minute, "stop after this long in any case")
	backend := flag.String("backend", "go", "backend")
	algorithm := flag.String("algorithm", "exact", "algorithm")
	cities := flag.Int("cities", 11, "the first N demo cities (at most 30)")
	lib := flag.String("lib", "", "directory of the purego libraries (in-process server only)")
	fair := flag.Bool("fair", false, "run the fairness cases of issue 14 instead (in-process servers)")
	fairFor := flag.Duration("fair-for", 3*time.Second, "with -fair: how long the load of each case lasts")
	fairClients := flag.String("fair-clients", "2,64", "with -fair: the numbers of expensive clients")
	honour := flag.Bool("retry-after", false, "with -fair: expensive clients wait as Retry-After says (default: they retry at once)")
	fairOnly := flag.String("fair-only", "", "with -fair: only the cases whose \"target kind\" contains this, such as \"jumper body\"")
	fairServe := flag.String("fair-serve", "", "serve jumper or handler on loopback until stdin closes (the server process of -fair)")
	flag.Parse()
	if *fairServe != "" {
		return serveFair(*fairServe)
	}
	if *fair {
		var counts []int
		for _, f := range strings.Split(*fairClients, ",") {
			c, err := strconv.Atoi(strings.TrimSpace(f))
			if err != nil || c < 1 || c > 256 {
				return fmt.Errorf("-fair-clients: want numbers from 1 to 256, got %q", f)
			}
			counts = append(counts, c)
		}
		if *fairFor <= 0 || *fairFor > time.Minute {
			return errors.New("-fair-for: want a duration up to 1m")
		}
		return runFair(*fairFor, counts, *honour, *fairOnly)
	}
	if *clients < 1 || *n < 1 || *cities < 1 || *cities > 30 {
		return errors.New("want -c ≥ 1, -n ≥ 1 and 1 ≤ -cities ≤ 30")
	}

	if *url == "" {
		s := server.New(server.Config{
			Backends: backends.All(backends.Config{LibDir: *lib}),
			Logger:   slog.New(slog.DiscardHandler),
		})
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return err
		}
		srv := s.HTTPServer(ln.Addr().String())
		go srv.Serve(ln)
		defer srv.Close()
		*url = "http://" + ln.Addr().String()
		cfg := s.Config()
		fmt.Printf("server     in process at %s: %d workers, queue %d (GOMAXPROCS %d)\n", *url, cfg.Workers, cfg.Queue, runtime.GOMAXPROCS(0))
	} else {
		fmt.Printf("server     %s\n", *url)
	}

	req := server.SolveRequest{Backend: *backend, Algorithm: *algorithm}
	req.Cities = tsp.Demo30()[:*cities]
	body, err := json.Marshal(req)
	if err != nil {
		return err
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConns, tr.MaxIdleConnsPerHost = 2**clients, 2**clients
	client := &http.Client{Transport: tr, Timeout: 30 * time.Second}

	// One request first: a clear error beats thousands of failures.
	if r := send(context.Background(), client, *url, body); r.err != nil || r.code != http.StatusOK {
		return fmt.Errorf("first request: %v", describe(r))
	}
	ctx, cancel := context.WithTimeout(context.Background(), *maxDur)
	defer cancel()
	fire(ctx, client, *url, body, *clients, *warm)

	fmt.Printf("request    POST /api/solve %s %s, %d demo cities (%d bytes)\n", *backend, *algorithm, *cities, len(body))
	fmt.Printf("load       %d requests, %d concurrent clients, after %d warm-up\n", *n, *clients, *warm)
	t0 := time.Now()
	results := fire(ctx, client, *url, body, *clients, *n)
	elapsed := time.Since(t0)

	var lats []time.Duration
	codes := map[string]int{}
	for _, r := range results {
		if r.err == nil && r.code == http.StatusOK {
			lats = append(lats, r.lat)
		} else {
			codes[describe(r)]++
		}
	}
	if len(results) < *n {
		fmt.Printf("stopped    after %v (-max): %d of %d requests sent\n", *maxDur, len(results), *n)
	}
	fmt.Printf("ok         %d of %d\n", len(lats), len(results))
	keys := make([]string, 0, len(codes))
	for k := range codes {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Printf("failed     %d × %s\n", codes[k], k)
	}
	if len(lats) == 0 {
		return errors.New("no request succeeded")
	}
	slices.Sort(lats)
	p := func(q float64) time.Duration { return lats[min(len(lats)-1, int(q*float64(len(lats))))] }
	fmt.Printf("latency    p50 %s   p90 %s   p99 %s   max %s\n", msec(p(.50)), msec(p(.90)), msec(p(.99)), msec(lats[len(lats)-1]))
	fmt.Printf("throughput %.0f requests/s over %s\n", float64(len(results))/elapsed.Seconds(), elapsed.Round(time.Millisecond))
	if len(codes) > 0 {
		return fmt.Errorf("%d requests failed", len(results)-len(lats))
	}
	return nil
}

// fire sends n requests from c clients and returns their results.
func fire(ctx context.Context, client *http.Client, url string, body []byte, c, n int) []result {
	var next atomic.Int64
	results := make([]result, n)
	var wg sync.WaitGroup
	for range c {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				k := int(next.Add(1)) - 1
				if k >= n {
					return
				}
				results[k] = send(ctx, client, url, body)
			}
		}()
	}
	wg.Wait()
	out := results[:min(int(next.Load()), n)]
	if ctx.Err() != nil { // -max cut the run short: drop the requests it interrupted
		out = slices.DeleteFunc(out, func(r result) bool { return errors.Is(r.err, ctx.Err()) })
	}
	return out
}

func send(ctx context.Context, client *http.Client, url string, body []byte) result {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url+"/api/solve", bytes.NewReader(body))
	if err != nil {
		return result{err: err}
	}
	req.Header.Set("Content-Type", "application/json")
	t0 := time.Now()
	resp, err := client.Do(req)
	if err != nil {
		return result{err: err, lat: time.Since(t0)}
	}
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	r := result{lat: time.Since(t0), code: resp.StatusCode, err: err}
	if err == nil && resp.StatusCode != http.StatusOK {
		var e server.ErrorResponse
		json.Unmarshal(b, &e)
		r.err = fmt.Errorf("%s", e.Error)
	}
	return r
}

func describe(r result) string {
	if r.code != 0 {
		return fmt.Sprintf("HTTP %d: %v", r.code, r.err)
	}
	return r.err.Error()
}

func msec(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d.Microseconds())/1000) }
