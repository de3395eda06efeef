package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ffi4go/tsp"
	"github.com/ffi4go/tsp/examples/jumper/server"
)

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

// Canceling run's context (what SIGINT and SIGTERM do) lets the solve in
// flight finish and answer, then run returns nil.
func TestGracefulShutdown(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var logs syncBuffer
	addrc := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-addr", "127.0.0.1:0", "-deadline", "300ms", "-lib", t.TempDir(), "-json-logs"},
			&logs, func(a string) { addrc <- a })
	}()
	var url string
	select {
	case a := <-addrc:
		url = "http://" + a
	case err := <-done:
		t.Fatalf("run returned %v before listening; logs:\n%s", err, logs.String())
	}

	stats := func() server.Stats {
		resp, err := http.Get(url + "/healthz")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var s server.Stats
		if err := json.NewDecoder(resp.Body).Decode(&s); err != nil || resp.StatusCode != 200 {
			t.Fatalf("/healthz: %d %v", resp.StatusCode, err)
		}
		return s
	}
	stats()

	// 13 cities exhaustive: about a second of search, stopped at 300 ms.
	req := server.SolveRequest{Algorithm: "exhaustive"}
	req.Cities = tsp.Demo30()[:13]
	body, _ := json.Marshal(req)
	type answer struct {
		code int
		body []byte
		err  error
	}
	answers := make(chan answer, 1)
	go func() {
		resp, err := http.Post(url+"/api/solve", "application/json", bytes.NewReader(body))
		if err != nil {
			answers <- answer{err: err}
			return
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		answers <- answer{resp.StatusCode, b, err}
	}()
	for i := 0; stats().Running == 0; i++ {
		if i == 1000 {
			t.Fatal("the solve never started")
		}
		time.Sleep(2 * time.Millisecond)
	}
	cancel() // as a signal would

	a := <-answers
	if a.err != nil || a.code != http.StatusOK {
		t.Fatalf("the request in flight: %d %v %s", a.code, a.err, a.body)
	}
	var got server.SolveResponse
	if err := json.Unmarshal(a.body, &got); err != nil || got.Status != "stopped" || len(got.Tour) != 13 {
		t.Errorf("the request in flight: %v %+v", err, got)
	}
	if err := <-done; err != nil {
		t.Fatalf("run: %v", err)
	}
	if _, err := http.Get(url + "/healthz"); err == nil {
		t.Error("still serving after shutdown")
	}
	for _, want := range []string{`"msg":"serving"`, `"msg":"shutting down`, `"msg":"stopped"`, `"path":"/api/solve"`} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("logs lack %s:\n%s", want, logs.String())
		}
	}
}

func TestBadArguments(t *testing.T) {
	for _, args := range [][]string{{"-nope"}, {"extra"}, {"-addr", "256.0.0.1:99999"}} {
		var out syncBuffer
		if err := run(context.Background(), args, &out, nil); err == nil {
			t.Errorf("%q: no error", args)
		}
	}
}

// -pprof serves net/http/pprof; without it /debug/pprof/ is not found.
func TestPprofFlag(t *testing.T) {
	for _, on := range []bool{false, true} {
		ctx, cancel := context.WithCancel(context.Background())
		args := []string{"-addr", "127.0.0.1:0", "-lib", t.TempDir()}
		if on {
			args = append(args, "-pprof")
		}
		addrc := make(chan string, 1)
		done := make(chan error, 1)
		var logs syncBuffer
		go func() { done <- run(ctx, args, &logs, func(a string) { addrc <- a }) }()
		var addr string
		select {
		case addr = <-addrc:
		case err := <-done:
			t.Fatalf("run: %v\n%s", err, logs.String())
		}
		resp, err := http.Get("http://" + addr + "/debug/pprof/")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if got := resp.StatusCode == http.StatusOK && bytes.Contains(body, []byte("goroutine")); got != on {
			t.Errorf("-pprof %v: GET /debug/pprof/ answered %d", on, resp.StatusCode)
		}
		cancel()
		if err := <-done; err != nil {
			t.Errorf("run: %v", err)
		}
	}
}

// -pprof is refused on an address that is not loopback.
func TestPprofOnlyOnLoopback(t *testing.T) {
	for _, addr := range []string{":0", "0.0.0.0:0", "[::]:0", "192.0.2.1:0"} {
		var logs syncBuffer
		err := run(context.Background(), []string{"-addr", addr, "-pprof"}, &logs, func(string) { t.Errorf("%s: served", addr) })
		if err == nil || !strings.Contains(err.Error(), "-pprof needs a loopback -addr") {
			t.Errorf("-addr %s -pprof: %v", addr, err)
		}
	}
}
