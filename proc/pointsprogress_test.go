package proc

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/ffi4go/tsp"
	"github.com/ffi4go/tsp/internal/difftest"
)

// TestPointsProgress: progress frames on coordinates requests (protocol
// version 5) bring the worker kernel's progress calls on points to the
// parent's callback with the Go kernel's events, on the Go and the C
// worker, pooled and one process per solve, one-way and waiting for
// answers; a stop or a panic in the callback stops a waiting worker at the
// Go kernel's step and a one-way one a little later; a deadline during a
// large input's set-up is seen at once.
func TestPointsProgress(t *testing.T) {
	short := testing.Short()
	goPool, cPool := pool(goWorker("worker-go")), pool(cWorker(t, "worker-c"))
	goWait, cWait := pool(progressWait(goWorker("worker-go-wait"))), pool(progressWait(cWorker(t, "worker-c-wait")))
	same := []tsp.PointsSolver{goPool.Points(), cPool.Points(), goWait.Points(), cWait.Points(),
		NewExec(goExec("exec-go")).Points(), NewExec(cWorker(t, "exec-c")).Points()}
	if raceEnabled {
		// the race detector slows the Go worker (this binary) tenfold: the
		// events on two pools, a stop on the C worker
		difftest.PointsProgressSame(t, short, goPool.Points(), cPool.Points())
		difftest.PointsProgressStop(t, short, cWait.Points())
		return
	}
	difftest.PointsProgressSame(t, short, same...)
	difftest.PointsProgressStop(t, short, goWait.Points(), cWait.Points())
	difftest.PointsProgressStopLate(t, short, goPool.Points(), cPool.Points())
	if !short {
		// the deadline after the request's 16 MB are written
		for _, s := range []tsp.PointsSolver{goPool.Points(), cPool.Points()} {
			difftest.PointsSetupCancel(t, s, 1_000_000, 300*time.Millisecond, 1500*time.Millisecond)
		}
	}
}

// TestPointsProgressVersion4: a worker of protocol version 4 (coordinates
// without progress on them) is never asked for progress on points: a
// solve with a callback gets the same tour and no calls.
func TestPointsProgressVersion4(t *testing.T) {
	c := goWorker("worker-go-v4")
	c.Args = []string{"worker-v4"}
	s := pool(c).Points()
	p := difftest.PointsProgressCases(true)[0]
	want, err := tsp.GoPoints().SolvePoints(context.Background(), p.P, p.Opt)
	if err != nil {
		t.Fatal(err)
	}
	calls := 0
	opt := p.Opt
	opt.Progress = func(tsp.Progress) bool { calls++; return false }
	got, err := s.SolvePoints(context.Background(), p.P, opt)
	if err != nil || got.Length != want.Length || calls != 0 {
		t.Errorf("version 4 worker: %v, length %v (go %v), %d calls", err, got.Length, want.Length, calls)
	}
}

// TestProgressStopThenIdle: after a callback stopped a one-way solve (a
// cancel frame with its grace period), the pooled worker still takes its
// next request once that period has passed (its deadlines were left set
// and failed that request at once).
func TestProgressStopThenIdle(t *testing.T) {
	for _, c := range []Config{goWorker("worker-go-idle"), cWorker(t, "worker-c-idle")} {
		c.Grace = 200 * time.Millisecond
		s := pool(c)
		p := difftest.PointsProgressCases(true)[0]
		opt := p.Opt
		calls := 0
		opt.Progress = func(tsp.Progress) bool { calls++; return calls == 2 }
		if _, err := s.Points().SolvePoints(context.Background(), p.P, opt); calls < 2 || err != nil && !errors.Is(err, tsp.ErrProgressStop) {
			t.Fatalf("%s: %d calls, %v", c.Name, calls, err)
		}
		time.Sleep(3 * c.Grace)
		if _, err := s.Points().SolvePoints(context.Background(), p.P, p.Opt); err != nil {
			t.Errorf("%s: the next solve after the grace period: %v", c.Name, err)
		}
	}
}
