package proc

import (
	"context"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/ffi4go/tsp"
	"github.com/ffi4go/tsp/internal/difftest"
)

// TestProgress: progress frames bring the worker kernel's progress calls
// to the parent's callback, in order, with the Go kernel's events, on the
// Go and the C worker, pooled and one process per solve, one-way (protocol
// version 3, the default) and each waiting for its answer (a version 2
// worker, and Config.ProgressWait); the result is the same with and
// without a callback.
func TestProgress(t *testing.T) {
	difftest.ProgressSame(t, pool(goWorker("worker-go")), pool(cWorker(t, "worker-c")),
		NewExec(goExec("exec-go")), NewExec(cWorker(t, "exec-c")),
		pool(goWorkerV2("worker-go-v2")), pool(progressWait(cWorker(t, "worker-c-wait"))))
}

// goWorkerV2 is the Go worker speaking protocol version 2.
func goWorkerV2(name string) Config {
	c := goWorker(name)
	c.Args = []string{"worker-v2"}
	return c
}

func progressWait(c Config) Config {
	c.ProgressWait = true
	return c
}

// TestProgressStop: where the worker waits for each answer (version 2, or
// version 3 with Config.ProgressWait), a callback that returns true, or
// panics, stops the worker's kernel at the Go kernel's step; with one-way
// frames (the default) the stop is a cancel frame and lands a little
// later, as a deadline does.
func TestProgressStop(t *testing.T) {
	difftest.ProgressStop(t, pool(goWorkerV2("worker-go-v2")), pool(progressWait(goWorker("worker-go-wait"))),
		pool(progressWait(cWorker(t, "worker-c-wait"))))
	difftest.ProgressStopLate(t, difftest.ProgressCases(), pool(goWorker("worker-go")), pool(cWorker(t, "worker-c")),
		pool(singlePConfig(goWorker("worker-go-1p"))))
}

// TestProgressVersion1: a worker that speaks protocol version 1 (the Go
// worker with a hello of version 1, as workers without progress frames
// say) still serves a parent of version 2: the parent never asks it for
// progress, so a solve with a callback gets the same tour and no calls.
func TestProgressVersion1(t *testing.T) {
	s := NewExec(Config{Name: "exec-v1", Path: os.Args[0], Args: []string{"worker-v1"}, Grace: testGrace()})
	m := difftest.Haversine(8, 3)
	opt := tsp.Options{Algorithm: tsp.Exhaustive}
	want, err := tsp.Go().Solve(context.Background(), m, opt)
	if err != nil {
		t.Fatal(err)
	}
	calls := 0
	opt.Progress = func(tsp.Progress) bool { calls++; return false }
	got, err := s.Solve(context.Background(), m, opt)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got.Order, want.Order) || got.Length != want.Length || got.Nodes != want.Nodes || calls != 0 {
		t.Errorf("version 1 worker: %+v after %d calls, want %+v after none", got, calls, want)
	}
}

// TestProgressLive: one-way progress frames leave the worker while its
// search runs, not with its result: the Go worker, also on one P until a
// solve asks for progress (SingleP), and the C worker, whose
// writer thread ticks every 2 ms instead of being woken for each frame.
// Iterated on 1,000 cities runs until a deadline of 1 s; it improves its
// tour dozens of times in its first 100 ms (on an idle machine), so at
// least two calls must reach the callback within half of the second.
func TestProgressLive(t *testing.T) {
	m := difftest.Haversine(1000, 2)
	for _, s := range []tsp.Solver{pool(goWorker("worker-go")), pool(singlePConfig(goWorker("worker-go-1p"))), pool(cWorker(t, "worker-c"))} {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		t0 := time.Now()
		var at []time.Duration
		opt := tsp.Options{Algorithm: tsp.Iterated, Seed: 1, Progress: func(tsp.Progress) bool {
			at = append(at, time.Since(t0))
			return false
		}}
		tour, err := s.Solve(ctx, m, opt)
		took := time.Since(t0)
		cancel()
		if err == nil || tour.Status != tsp.Stopped {
			t.Errorf("%s: status %v, error %v; want stopped by the deadline", s.Name(), tour.Status, err)
		}
		if len(at) < 2 || at[1] > 500*time.Millisecond {
			t.Errorf("%s: calls at %v, the result at %v: the frames did not leave while the search ran", s.Name(), at, took)
		}
	}
}

// TestSingleP: a Go worker opted in to SingleP's mode (one P until a solve
// asks for progress or runs 10 ms) answers as the Go kernel does, and a
// deadline still stops a long search (the cancel is read once the runtime
// preempts the solve, and GOMAXPROCS is raised for the rest of it), and
// the pool's worker answers the next request.
func TestSingleP(t *testing.T) {
	p := pool(singlePConfig(goWorker("worker-go-1p")))
	m := difftest.Haversine(12, 4)
	opt := tsp.Options{Algorithm: tsp.Exact}
	want, err := tsp.Go().Solve(context.Background(), m, opt)
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		got, err := p.Solve(context.Background(), m, opt)
		if err != nil || !slices.Equal(got.Order, want.Order) || got.Length != want.Length || got.Nodes != want.Nodes {
			t.Fatalf("%+v, %v; want %+v", got, err, want)
		}
	}
	big := difftest.Haversine(500, 4)
	for _, d := range []time.Duration{time.Millisecond, 30 * time.Millisecond} {
		ctx, cancel := context.WithTimeout(context.Background(), d)
		t0 := time.Now()
		tour, err := p.Solve(ctx, big, tsp.Options{Algorithm: tsp.Iterated, Seed: 1})
		took := time.Since(t0)
		cancel()
		if err == nil || tour.Status != tsp.Stopped || took > 5*time.Second {
			t.Errorf("deadline %v: status %v, error %v after %v; want stopped", d, tour.Status, err, took)
		}
	}
	if got, err := p.Solve(context.Background(), m, opt); err != nil || got.Length != want.Length {
		t.Errorf("after the stops: %+v, %v", got, err)
	}
}
