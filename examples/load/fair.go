package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/ffi4go/tsp"
	"github.com/ffi4go/tsp/backends"
	"github.com/ffi4go/tsp/examples/handler/tsphttp"
	"github.com/ffi4go/tsp/examples/jumper/server"
)

// The fairness run of issue 14: a fresh in-process server per case (the
// jumper's server.New and tsphttp.Handler, each with its defaults), a
// number of clients sending the most expensive request the API allows in a
// loop, and one probe sending demo11 exact every probeEvery, before, during
// and after the load. Targets: probe p99 ≤ 50 ms and no probe refused
// during the load, RSS ≤ 100 MB, and probes back under 50 ms within 1 s of
// the load's end. Each case's server runs in a child process (this program
// with -fair-serve), so that the RSS measured is the server's alone.
const (
	probeEvery = 20 * time.Millisecond
	probeSlow  = 50 * time.Millisecond // the p99 target, and "normal latency" for the recovery
	rssTarget  = 100 << 20
	recoveryBy = time.Second
)

type fairCase struct {
	target  string // jumper or handler
	kind    string // cpu: exact on the most cities at the longest deadline; body: the largest body and matrix
	clients int
}

type fairResult struct {
	fairCase
	heavyBytes  int
	before      []time.Duration // probe latencies before the load
	during      []time.Duration
	after       []probe // after the load ends, with their start time relative to it
	probeFailed map[string]int
	heavy       map[string]int // answers to the expensive requests
	maxRSS      int64
	recovery    time.Duration
}

type probe struct {
	at, lat time.Duration
}

// runFair runs every case for loadFor each and prints a table; it returns
// an error if a target is missed.
func runFair(loadFor time.Duration, clientCounts []int, retryAfter bool, only string) error {
	fmt.Printf("fairness run: GOMAXPROCS %d, %d CPUs, load %v a case, expensive clients %s Retry-After\n",
		runtime.GOMAXPROCS(0), runtime.NumCPU(), loadFor, map[bool]string{true: "honour", false: "ignore"}[retryAfter])
	var missed []string
	fmt.Printf("%-8s %-4s %7s %9s | %-31s | %-28s | %8s %9s | %s\n", "target", "kind", "clients", "body",
		"probe p50 / p99 / max during", "probe before p50/p99", "max RSS", "recovery", "expensive answers")
	for _, target := range []string{"jumper", "handler"} {
		for _, kind := range []string{"cpu", "body"} {
			for _, c := range clientCounts {
				if only != "" && !strings.Contains(target+" "+kind, only) {
					continue
				}
				r, err := fairRun(fairCase{target, kind, c}, loadFor, retryAfter)
				if err != nil {
					return err
				}
				p50, p99, pmax := pct(r.during, .5), pct(r.during, .99), pct(r.during, 1)
				fmt.Printf("%-8s %-4s %7d %9d | %8s %9s %9s %s | %9s %9s %8s | %6.1f MB %9s | %v\n", target, kind, c, r.heavyBytes,
					msec(p50), msec(p99), msec(pmax), failures(r.probeFailed), msec(pct(r.before, .5)), msec(pct(r.before, .99)), "",
					float64(r.maxRSS)/(1<<20), r.recovery.Round(time.Millisecond), r.heavy)
				name := fmt.Sprintf("%s %s %d clients", target, kind, c)
				if p99 > probeSlow {
					missed = append(missed, fmt.Sprintf("%s: probe p99 %s > 50 ms", name, msec(p99)))
				}
				if len(r.probeFailed) > 0 {
					missed = append(missed, fmt.Sprintf("%s: probes failed %v", name, r.probeFailed))
				}
				if r.maxRSS > rssTarget {
					missed = append(missed, fmt.Sprintf("%s: RSS %.1f MB > 100 MB", name, float64(r.maxRSS)/(1<<20)))
				}
				if r.recovery > recoveryBy {
					missed = append(missed, fmt.Sprintf("%s: recovery %v > 1 s", name, r.recovery))
				}
			}
		}
	}
	if len(missed) > 0 {
		return fmt.Errorf("targets missed:\n  %s", strings.Join(missed, "\n  "))
	}
	fmt.Println("every target met: probe p99 ≤ 50 ms and no probe refused under load, RSS ≤ 100 MB, recovery ≤ 1 s")
	return nil
}

func failures(m map[string]int) string {
	if len(m) == 0 {
		return "ok"
	}
	n := 0
	for _, v := range m {
		n += v
	}
	return fmt.Sprintf("%d FAILED", n)
}

func pct(lats []time.Duration, q float64) time.Duration {
	if len(lats) == 0 {
		return 0
	}
	s := slices.Clone(lats)
	slices.Sort(s)
	return s[min(len(s)-1, int(q*float64(len(s))))]
}

// serveFair serves target with its defaults on 127.0.0.1 in this process,
// prints the address and serves until stdin closes: the server side of a
// case, in a process of its own so that its RSS is its own.
func serveFair(target string) error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	var srv *http.Server
	switch target {
	case "jumper":
		s := server.New(server.Config{Backends: []backends.Backend{{Name: "go", Solver: tsp.Go()}}, Logger: slog.New(slog.DiscardHandler)})
		srv = s.HTTPServer(ln.Addr().String())
		debug.SetMemoryLimit(s.MemoryLimit()) // as the jumper command does
	case "handler": // as examples/handler serves it
		mux := http.NewServeMux()
		mux.Handle("POST /tour", &tsphttp.Handler{})
		srv = &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 10 * time.Second, WriteTimeout: 25 * time.Second}
	default:
		return fmt.Errorf("-fair-serve: unknown target %q", target)
	}
	go srv.Serve(ln)
	fmt.Println(ln.Addr().String())
	io.Copy(io.Discard, os.Stdin)
	return srv.Close()
}

// fairServer starts the case's server in a child process (this program
// with -fair-serve) and returns the URLs and bodies of the probe and of the
// expensive request, the child's pid and how to stop it.
func fairServer(fc fairCase) (probeURL string, probe, heavy []byte, heavyURL string, pid int, stop func(), err error) {
	exe, err := os.Executable()
	if err != nil {
		return
	}
	cmd := exec.Command(exe, "-fair-serve", fc.target)
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return
	}
	if err = cmd.Start(); err != nil {
		return
	}
	stop = func() {
		stdin.Close()
		cmd.Wait()
	}
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		stop()
		return "", nil, nil, "", 0, nil, fmt.Errorf("the server process: %v", err)
	}
	base := "http://" + strings.TrimSpace(line)
	switch fc.target {
	case "jumper":
		probeURL, heavyURL = base+"/api/solve", base+"/api/solve"
		probe, _ = json.Marshal(server.SolveRequest{Cities: tsp.Demo11(), Backend: "go", Algorithm: "exact"})
		if fc.kind == "cpu" { // exact on the most cities exact takes, at the server's deadline
			heavy, _ = json.Marshal(server.SolveRequest{Cities: tsp.RandomCities(tsp.MaxExact, 1), Backend: "go", Algorithm: "exact"})
		} else { // the most cities, in the largest body
			heavy, _ = json.Marshal(server.SolveRequest{Cities: padded(server.DefaultMaxPointsCities, server.DefaultMaxBody, 45), Backend: "go", Algorithm: "2opt"})
		}
	case "handler":
		probeURL = base + "/tour?algorithm=exact"
		probe, _ = json.Marshal(tsp.Demo11())
		if fc.kind == "cpu" {
			heavy, _ = json.Marshal(tsp.RandomCities(tsp.MaxExact, 1))
			heavyURL = base + "/tour?algorithm=exact"
		} else {
			n := tsphttp.DefaultMaxPointsCities // its largest body: a city list on the coordinate path
			heavy, _ = json.Marshal(padded(n, tsphttp.BytesPerCity*n, 0))
			heavyURL = base + "/tour?algorithm=2opt"
		}
	}
	return probeURL, probe, heavy, heavyURL, cmd.Process.Pid, stop, nil
}

// padded is n random cities whose names make the JSON body about size
// bytes (less the wrapping of extra bytes).
func padded(n, size, extra int) []tsp.City {
	cs := tsp.RandomCities(n, 2)
	b, _ := json.Marshal(cs)
	per := (size - extra - len(b) - 2) / n
	for i := range cs {
		name := cs[i].Name + strings.Repeat("x", max(0, per))
		cs[i].Name = name[:min(len(name), tsp.MaxNameBytes)]
	}
	return cs
}

func fairRun(fc fairCase, loadFor time.Duration, retryAfter bool) (*fairResult, error) {
	url, probeBody, heavy, heavyURL, pid, stop, err := fairServer(fc)
	if err != nil {
		return nil, err
	}
	defer stop()
	r := &fairResult{fairCase: fc, heavyBytes: len(heavy), probeFailed: map[string]int{}, heavy: map[string]int{}}
	probeClient := &http.Client{Timeout: 30 * time.Second}
	send := func(ctx context.Context, c *http.Client, url string, body []byte) (int, time.Duration, http.Header, error) {
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		t0 := time.Now()
		resp, err := c.Do(req)
		if err != nil {
			return 0, time.Since(t0), nil, err
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp.StatusCode, time.Since(t0), resp.Header, nil
	}
	probeOnce := func() (time.Duration, string) {
		code, lat, _, err := send(context.Background(), probeClient, url, probeBody)
		switch {
		case err != nil:
			return lat, err.Error()
		case code != http.StatusOK:
			return lat, "HTTP " + strconv.Itoa(code)
		}
		return lat, ""
	}
	for range 50 { // normal latency, the server idle
		lat, f := probeOnce()
		if f != "" {
			return nil, fmt.Errorf("%v: probe before the load: %s", fc, f)
		}
		r.before = append(r.before, lat)
		time.Sleep(probeEvery / 4)
	}

	// RSS sampler
	var rssMu sync.Mutex
	rssStop := make(chan struct{})
	rssDone := make(chan struct{})
	go func() {
		defer close(rssDone)
		tick := time.NewTicker(10 * time.Millisecond)
		defer tick.Stop()
		for {
			if v := rss(pid); v > 0 {
				rssMu.Lock()
				r.maxRSS = max(r.maxRSS, v)
				rssMu.Unlock()
			}
			select {
			case <-rssStop:
				return
			case <-tick.C:
			}
		}
	}()

	// the expensive clients
	ctx, cancel := context.WithCancel(context.Background())
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = fc.clients
	heavyClient := &http.Client{Transport: tr}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for range fc.clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				code, _, h, err := send(ctx, heavyClient, heavyURL, heavy)
				key := strconv.Itoa(code)
				if err != nil {
					if ctx.Err() != nil {
						key = "cut at the end"
					} else {
						key = "error"
					}
				}
				mu.Lock()
				r.heavy[key]++
				mu.Unlock()
				if code == http.StatusServiceUnavailable && retryAfter {
					s, _ := strconv.Atoi(h.Get("Retry-After"))
					select {
					case <-ctx.Done():
					case <-time.After(time.Duration(max(s, 1)) * time.Second):
					}
				}
			}
		}()
	}
	time.Sleep(200 * time.Millisecond) // let the load build up
	for end := time.Now().Add(loadFor); time.Now().Before(end); {
		lat, f := probeOnce()
		if f != "" {
			r.probeFailed[f]++
		} else {
			r.during = append(r.during, lat)
		}
		time.Sleep(max(0, probeEvery-lat))
	}
	cancel()
	ended := time.Now()
	for time.Since(ended) < recoveryBy+500*time.Millisecond {
		at := time.Since(ended)
		lat, f := probeOnce()
		if f != "" {
			lat = time.Hour // a refused probe is not normal
		}
		r.after = append(r.after, probe{at, lat})
		time.Sleep(max(0, probeEvery-lat))
	}
	wg.Wait()
	close(rssStop)
	<-rssDone
	for _, p := range r.after { // recovered once every later probe is normal
		if p.lat > probeSlow {
			r.recovery = p.at + p.lat
		}
	}
	heavyClient.CloseIdleConnections()
	return r, nil
}

// rss is the resident set size of process pid in bytes, 0 if unknown
// (not Linux).
func rss(pid int) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmRSS:" {
			kb, _ := strconv.ParseInt(f[1], 10, 64)
			return kb << 10
		}
	}
	return 0
}
