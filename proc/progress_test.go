package proc

import (
	"context"
	"os"
	"slices"
	"testing"

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
		NewExec(goWorker("exec-go")), NewExec(cWorker(t, "exec-c")),
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
	difftest.ProgressStopLate(t, difftest.ProgressCases(), pool(goWorker("worker-go")), pool(cWorker(t, "worker-c")))
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
