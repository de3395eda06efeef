package proc

import (
	"context"
	"errors"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/ffi4go/tsp"
	"github.com/ffi4go/tsp/internal/difftest"
	"github.com/ffi4go/tsp/kernel"
)

// stoppedAtOnceTour is what the Go kernel returns for m when the context
// has ended before the solve: what an abandoned request must answer.
func stoppedAtOnceTour(t *testing.T, m *tsp.Matrix, opt tsp.Options) tsp.Tour {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	want, err := tsp.Go().Solve(ctx, m, opt)
	if want.Status != tsp.Stopped || !errors.Is(err, context.Canceled) {
		t.Fatalf("go, stopped at once: %v, %v", want.Status, err)
	}
	return want
}

// TestAbandon: a large request whose context ends while it is written is
// abandoned at once (the worker cannot take the rest of it: it never
// reads), and the solve answers as a kernel stopped before it started,
// long before the grace period would have killed the worker; the pool
// replaces the worker it killed.
func TestAbandon(t *testing.T) {
	m := difftest.Haversine(1500, 3) // 18 MB: abandonable, and more than the pipe holds
	for _, opt := range []tsp.Options{{Algorithm: tsp.TwoOpt}, {Algorithm: tsp.Nearest, End: tsp.EndAnywhere}} {
		want := stoppedAtOnceTour(t, m, opt)
		cfg := Config{Name: "worker-deaf", Path: os.Args[0], Args: []string{"worker-deaf"}, Size: 1, Grace: 10 * time.Second}
		p := NewPool(cfg)
		// The cancel comes once the worker is up (a slow start, as under
		// the race detector, is abandoned otherwise), in the write.
		ctx, cancel := context.WithCancel(context.Background())
		var t0 time.Time
		go func() {
			for p.Stats().Started == 0 {
				time.Sleep(time.Millisecond)
			}
			time.Sleep(20 * time.Millisecond)
			t0 = time.Now()
			cancel()
		}()
		got, err := p.Solve(ctx, m, opt)
		took := time.Since(t0)
		if got.Status != tsp.Stopped || !errors.Is(err, context.Canceled) {
			t.Fatalf("%v: %v, %v; want Stopped and the cancel's error", opt, got.Status, err)
		}
		if !slices.Equal(got.Order, want.Order) || got.Length != want.Length || got.LowerBound != want.LowerBound {
			t.Errorf("%v: %v (%v); want the Go kernel's tour when stopped at once, %v (%v)", opt, got.Order[:8], got.Length, want.Order[:8], want.Length)
		}
		if took > 2*time.Second {
			t.Errorf("%v: returned %v after the cancel; want at once, not after the 10 s grace", opt, took)
		}
		// The killed worker is replaced; Close ends the replacement.
		deadline := time.Now().Add(5 * time.Second)
		for p.Stats().Replaced == 0 && time.Now().Before(deadline) {
			time.Sleep(5 * time.Millisecond)
		}
		if s := p.Stats(); s.Replaced != 1 {
			t.Errorf("%v: %+v; want the killed worker replaced", opt, s)
		}
		t.Logf("%v: stopped %v after the cancel", opt, took)
		for _, pid := range p.Pids() { // deaf to the end of its input too
			if pr, err := os.FindProcess(pid); err == nil {
				pr.Kill()
			}
		}
		p.Close()
	}
}

// TestAbandonNotSent: a large request whose context ended before it was
// sent (while the pool started its worker) is not sent at all: the answer
// is the stopped kernel's, and the worker stays in the pool.
func TestAbandonNotSent(t *testing.T) {
	m := difftest.Haversine(1500, 4) // abandonable
	opt := tsp.Options{Algorithm: tsp.Iterated}
	want := stoppedAtOnceTour(t, m, opt)
	for _, cfg := range []Config{goWorker("worker-go"), cWorker(t, "worker-c")} {
		cfg.Size = 1
		p := pool(cfg)
		if _, err := p.Ping(1); err != nil { // started
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		got, err := p.Solve(ctx, m, opt)
		if got.Status != tsp.Stopped || !errors.Is(err, context.Canceled) || !slices.Equal(got.Order, want.Order) || got.Length != want.Length {
			t.Errorf("%s: %v, %v; want the Go kernel's tour when stopped at once", cfg.Name, got.Status, err)
		}
		if s := p.Stats(); s.Started != 1 || s.Replaced != 0 {
			t.Errorf("%s: %+v; want the one worker kept", cfg.Name, s)
		}
	}
}

// TestAbandonReal: the real workers, on a matrix that takes a while to
// send (18 MB, abandonable), stop with a valid tour at a deadline that
// falls in the transfer or soon after, and serve the next solve.
func TestAbandonReal(t *testing.T) {
	m := difftest.Haversine(1500, 5)
	for _, s := range []Solver{pool(goWorker("worker-go")), pool(cWorker(t, "worker-c")), NewExec(cWorker(t, "exec-c"))} {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Millisecond)
		got, err := s.Solve(ctx, m, tsp.Options{Algorithm: tsp.TwoOpt})
		cancel()
		if got.Status != tsp.Stopped || !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("%s: %v, %v; want Stopped", s.Name(), got.Status, err)
		}
		if l := tsp.TourLength(m, got.Order); l != got.Length {
			t.Errorf("%s: length %v, the tour's %v", s.Name(), got.Length, l)
		}
		small := difftest.Haversine(20, 1)
		if got, err := s.Solve(context.Background(), small, tsp.Options{Algorithm: tsp.Exact}); err != nil || got.Status != tsp.Optimal {
			t.Errorf("%s: the next solve: %v, %v", s.Name(), got.Status, err)
		}
	}
}

// TestWorkerCheckStops: the worker's check of a matrix marked TSP_CHECKED
// stops at a cancel that comes during it (the kernel then runs unmarked,
// and its own check stops at once), but not at one the request came with
// (checked whole and solved as marked, as every other backend solves it);
// an invalid matrix is refused either way.
func TestWorkerCheckStops(t *testing.T) {
	m := difftest.Haversine(300, 6)
	d := append([]float64(nil), kernel.Data(m)...)
	alg := kernel.AlgTwoOpt | kernel.FlagChecked
	s := &server{}
	for _, c := range []struct {
		sent, late bool
		want       int32
	}{{false, false, alg}, {false, true, kernel.AlgTwoOpt}, {true, false, alg}, {true, true, alg}} {
		q := &request{n: 300, algorithm: alg, matrix: d, cancelled: c.sent}
		j := &job{cancel: new(int32)}
		if c.sent || c.late {
			*j.cancel = 1
		}
		if got := s.check(q, j); got != c.want {
			t.Errorf("sent cancelled %v, cancelled after %v: %#x, want %#x", c.sent, c.late, got, c.want)
		}
	}
	d[5*300+7] = -1
	if got := s.check(&request{n: 300, algorithm: alg, matrix: d}, &job{cancel: new(int32)}); got != -1 {
		t.Errorf("an invalid matrix: %#x, want -1", got)
	}
}

// TestAbandonStart: a solve whose deadline passes while its worker starts
// answers at the deadline as a kernel stopped before it started, and the
// worker joins the pool when it is up: the next solve uses it.
func TestAbandonStart(t *testing.T) {
	cfg := goWorker("worker-slow")
	cfg.Args, cfg.Size = []string{"worker-slow"}, 1
	p := pool(cfg)
	m := difftest.Haversine(60, 7) // a small request: the start is what waits
	opt := tsp.Options{Algorithm: tsp.Exact}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	t0 := time.Now()
	got, err := p.Solve(ctx, m, opt)
	took := time.Since(t0)
	want := stoppedAtOnceTour(t, m, opt)
	if got.Status != tsp.Stopped || !errors.Is(err, context.DeadlineExceeded) || !slices.Equal(got.Order, want.Order) || got.Length != want.Length {
		t.Fatalf("%v, %v; want the Go kernel's tour when stopped at once", got.Status, err)
	}
	if took > 250*time.Millisecond {
		t.Errorf("answered after %v; want at the 20 ms deadline, before the worker's 300 ms start", took)
	}
	if !p.waitIdle(1, 10*time.Second) {
		t.Fatal("the worker never joined the pool")
	}
	if got, err := p.Solve(context.Background(), m, opt); err != nil || got.Status != tsp.Optimal {
		t.Fatalf("the next solve: %v, %v", got.Status, err)
	}
	if s := p.Stats(); s.Started != 1 || s.Replaced != 0 {
		t.Errorf("%+v: want the one worker, started once", s)
	}
}

// TestAbandonStartExec: an exec backend whose deadline passes while its
// worker starts answers at the deadline; the worker is ended once up.
func TestAbandonStartExec(t *testing.T) {
	cfg := goWorker("exec-slow")
	cfg.Args = []string{"worker-slow"}
	e := NewExec(cfg)
	m := difftest.Haversine(60, 8)
	opt := tsp.Options{Algorithm: tsp.TwoOpt}
	want := stoppedAtOnceTour(t, m, opt)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	t0 := time.Now()
	got, err := e.Solve(ctx, m, opt)
	took := time.Since(t0)
	if got.Status != tsp.Stopped || !errors.Is(err, context.DeadlineExceeded) || !slices.Equal(got.Order, want.Order) || got.Length != want.Length {
		t.Fatalf("%v, %v; want the Go kernel's tour when stopped at once", got.Status, err)
	}
	if took > 250*time.Millisecond {
		t.Errorf("answered after %v; want at the 20 ms deadline, before the worker's 300 ms start", took)
	}
	// Close waits for the worker, ended once up and reaped (TestMain
	// checks that no child is left at the end).
	e.Close()
	if took := time.Since(t0); took < 300*time.Millisecond {
		t.Errorf("Close returned %v after the solve began, before the worker's 300 ms start", took)
	}
}
