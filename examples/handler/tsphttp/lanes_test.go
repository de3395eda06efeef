package tsphttp_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/ffi4go/tsp"
	"github.com/ffi4go/tsp/examples/handler/tsphttp"
)

func TestEstimate(t *testing.T) {
	const d = 10 * time.Second
	cheap := tsphttp.DefaultCheapCost
	for _, tc := range []struct {
		name  string
		alg   tsp.Algorithm
		n     int
		dl    time.Duration
		cheap bool
		least time.Duration // the estimate is at least this
	}{
		{"demo11 exact", tsp.Exact, 11, d, true, 0},
		{"demo11 auto", tsp.Auto, 11, d, true, 0},
		{"exact 12", tsp.Exact, 12, d, true, 0},
		{"exact 16", tsp.Exact, 16, d, true, 0},
		{"exact 20", tsp.Exact, 20, d, false, 30 * time.Millisecond},
		{"exact 40 runs to its deadline", tsp.Exact, 40, d, false, d},
		{"exact 250", tsp.Exact, 250, d, false, d},
		{"exact 250 with a short deadline", tsp.Exact, 250, 5 * time.Millisecond, false, 5 * time.Millisecond},
		{"exact 30 with a short deadline", tsp.Exact, 30, time.Millisecond, true, time.Millisecond},
		{"auto 30 is exact", tsp.Auto, 30, d, false, time.Second},
		{"exhaustive 10", tsp.Exhaustive, 10, d, true, 0},
		{"exhaustive 12", tsp.Exhaustive, 12, d, false, 100 * time.Millisecond},
		{"exhaustive 13, capped by the deadline", tsp.Exhaustive, 13, time.Second, false, time.Second},
		{"nearest 100", tsp.Nearest, 100, d, true, 0},
		{"2opt 2000", tsp.TwoOpt, 2000, d, false, 300 * time.Millisecond},
		{"auto 2000 is 2opt", tsp.Auto, 2000, d, false, 300 * time.Millisecond},
	} {
		got := tsphttp.Estimate(tc.alg, tc.n, tc.dl)
		if (got <= cheap) != tc.cheap || got < tc.least || got > tc.dl+time.Second {
			t.Errorf("%s: %v (cheap %v, want cheap %v, at least %v)", tc.name, got, got <= cheap, tc.cheap, tc.least)
		}
	}
}

var (
	cheapJob = tsphttp.Job{Cost: time.Millisecond, Algorithm: "exact", Cities: 11}
	heavyJob = tsphttp.Job{Cost: 10 * time.Second, Algorithm: "exact", Cities: 250}
)

func acquire(t *testing.T, l *tsphttp.Lanes, j tsphttp.Job) *tsphttp.Slot {
	t.Helper()
	s, err := l.Acquire(context.Background(), j)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// acquireAsync queues j and returns where its slot will come.
func acquireAsync(l *tsphttp.Lanes, j tsphttp.Job) <-chan *tsphttp.Slot {
	ch := make(chan *tsphttp.Slot, 1)
	go func() {
		s, err := l.Acquire(context.Background(), j)
		if err != nil {
			s = nil
		}
		ch <- s
	}()
	return ch
}

func waitLanes(t *testing.T, l *tsphttp.Lanes, pred func(tsphttp.LaneStats) bool) {
	t.Helper()
	for i := 0; i < 6000; i++ {
		if pred(l.Stats()) {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("lanes never matched: %+v", l.Stats())
}

// A cheap solve never waits behind heavy ones: it has a worker of its own.
func TestLanesCheapWorker(t *testing.T) {
	l := tsphttp.NewLanes(tsphttp.LanesConfig{Workers: 2, QueueTimeout: time.Minute})
	h := acquire(t, l, heavyJob)
	queued := acquireAsync(l, tsphttp.Job{Cost: time.Second}) // waits: a second of work ahead is within the timeout
	waitLanes(t, l, func(s tsphttp.LaneStats) bool { return s.QueuedHeavy == 1 })
	for range 3 {
		c := acquire(t, l, cheapJob)
		if !c.Cheap {
			t.Error("a 1 ms job is not cheap")
		}
		if d := c.Deadline(10 * time.Second); d != time.Second {
			t.Errorf("cheap lane deadline %v, want the 1 s CheapLimit", d)
		}
		c.Release()
	}
	if d := h.Deadline(10 * time.Second); d != 10*time.Second {
		t.Errorf("heavy deadline %v", d)
	}
	h.Release()
	q := recv(t, queued)
	if q == nil {
		t.Fatal("the queued heavy job was refused")
	}
	q.Release()
	q.Release() // twice is harmless
	if s := l.Stats(); s.Running != 0 || s.Queued != 0 || len(s.Solves) != 0 {
		t.Errorf("%+v", s)
	}
}

// A heavy request whose expected wait is over the queue timeout is refused
// at once, with a Retry-After of the work ahead beyond the timeout.
func TestLanesHeavyRefusedByExpectedWait(t *testing.T) {
	l := tsphttp.NewLanes(tsphttp.LanesConfig{Workers: 2, QueueTimeout: 10 * time.Second})
	h := acquire(t, l, heavyJob)
	defer h.Release()
	second := acquireAsync(l, heavyJob) // 10 s ahead: within the timeout, waits
	waitLanes(t, l, func(s tsphttp.LaneStats) bool { return s.QueuedHeavy == 1 })
	_, err := l.Acquire(context.Background(), heavyJob) // 20 s ahead
	var busy *tsphttp.BusyError
	if !errors.As(err, &busy) {
		t.Fatalf("third heavy job: %v, want a BusyError", err)
	}
	if s := busy.RetryAfterSeconds(); s < 9 || s > 10 {
		t.Errorf("Retry-After %d s, want about 10 (20 s of work ahead, 10 s timeout): %v", s, busy)
	}
	st := l.Stats()
	if st.Running != 1 || st.QueuedHeavy != 1 || st.HeavyWaitMs < 19000 || len(st.Solves) != 2 ||
		st.Solves[0].State != "running" || st.Solves[0].Lane != "heavy" || st.Solves[0].Cities != 250 || st.Solves[1].State != "queued" {
		t.Errorf("stats %+v", st)
	}
	h.Release()
	s := recv(t, second)
	if s == nil {
		t.Fatal("the second heavy job was refused")
	}
	s.Release()
}

// When a worker frees, a waiting cheap job gets it before a waiting heavy
// one that came first; with one worker there is no cheap lane of its own.
func TestLanesCheapFirst(t *testing.T) {
	l := tsphttp.NewLanes(tsphttp.LanesConfig{Workers: 1, QueueTimeout: time.Minute})
	if c := l.Config(); c.CheapWorkers != 0 {
		t.Fatalf("one worker, %d cheap workers", c.CheapWorkers)
	}
	h := acquire(t, l, tsphttp.Job{Cost: time.Second})
	heavy := acquireAsync(l, tsphttp.Job{Cost: time.Second})
	waitLanes(t, l, func(s tsphttp.LaneStats) bool { return s.QueuedHeavy == 1 })
	cheap := acquireAsync(l, cheapJob)
	waitLanes(t, l, func(s tsphttp.LaneStats) bool { return s.QueuedCheap == 1 })
	h.Release()
	c := recv(t, cheap)
	if c == nil {
		t.Fatal("cheap job refused")
	}
	if st := l.Stats(); st.Running != 1 || st.QueuedHeavy != 1 {
		t.Errorf("the heavy job ran before the cheap one: %+v", st)
	}
	c.Release()
	recv(t, heavy).Release()
}

// A full queue refuses; a client that goes away leaves the queue; a job
// waiting past the queue timeout is refused.
func TestLanesQueueLimits(t *testing.T) {
	l := tsphttp.NewLanes(tsphttp.LanesConfig{Workers: 2, Queue: 1, QueueTimeout: time.Minute})
	h := acquire(t, l, heavyJob)
	c := acquire(t, l, cheapJob)
	ctx, cancel := context.WithCancel(context.Background())
	gone := make(chan error, 1)
	go func() {
		_, err := l.Acquire(ctx, cheapJob)
		gone <- err
	}()
	waitLanes(t, l, func(s tsphttp.LaneStats) bool { return s.Queued == 1 })
	var busy *tsphttp.BusyError
	if _, err := l.Acquire(context.Background(), cheapJob); !errors.As(err, &busy) || busy.RetryAfterSeconds() < 1 {
		t.Errorf("queue full: %v", err)
	}
	cancel()
	if err := recv(t, gone); err != context.Canceled {
		t.Errorf("canceled wait: %v", err)
	}
	waitLanes(t, l, func(s tsphttp.LaneStats) bool { return s.Queued == 0 })
	c.Release()
	h.Release()
	waitLanes(t, l, func(s tsphttp.LaneStats) bool { return s.Running == 0 })

	// expensive requests cannot take the places of cheap ones: each lane
	// has its own Queue places
	l = tsphttp.NewLanes(tsphttp.LanesConfig{Workers: 2, Queue: 1, QueueTimeout: time.Minute})
	h = acquire(t, l, tsphttp.Job{Cost: time.Second})
	c = acquire(t, l, cheapJob)
	hq := acquireAsync(l, tsphttp.Job{Cost: time.Second})
	waitLanes(t, l, func(s tsphttp.LaneStats) bool { return s.QueuedHeavy == 1 })
	if _, err := l.Acquire(context.Background(), tsphttp.Job{Cost: time.Second}); !errors.As(err, &busy) {
		t.Errorf("second queued expensive request: %v", err)
	}
	cq := acquireAsync(l, cheapJob) // the cheap lane's place is free
	waitLanes(t, l, func(s tsphttp.LaneStats) bool { return s.QueuedCheap == 1 })
	c.Release()
	recv(t, cq).Release()
	h.Release()
	recv(t, hq).Release()

	l = tsphttp.NewLanes(tsphttp.LanesConfig{Workers: 1, QueueTimeout: 50 * time.Millisecond})
	h = acquire(t, l, cheapJob)
	defer h.Release()
	if _, err := l.Acquire(context.Background(), cheapJob); !errors.As(err, &busy) || !contains(busy.Msg, "no worker was free within 50ms") {
		t.Errorf("past the queue timeout: %v", err)
	}
}

func TestBodyBudget(t *testing.T) {
	b := tsphttp.BodyBudget{Wait: 10 * time.Millisecond, Waiting: 1} // one large body at a time, 1 MiB of small ones
	ctx := context.Background()
	r1, ok1 := b.Reserve(ctx, 60<<10)
	_, ok2 := b.Reserve(ctx, 9<<10) // waits 10 ms, then is refused
	if !ok1 || ok2 {
		t.Fatalf("two large bodies at once: %v %v", ok1, ok2)
	}
	var smalls []func()
	for range 128 { // small bodies have their own allowance
		r, ok := b.Reserve(ctx, 8<<10)
		if !ok {
			t.Fatalf("small body %d refused", len(smalls))
		}
		smalls = append(smalls, r)
	}
	if _, ok := b.Reserve(ctx, 1); ok {
		t.Error("a small body past 1 MiB of them")
	}
	if b.InFlight() != 60<<10+1<<20 {
		t.Errorf("in flight %d", b.InFlight())
	}
	r1()
	r1() // twice is harmless
	for _, r := range smalls {
		r()
	}
	if b.InFlight() != 0 {
		t.Errorf("%d bytes left", b.InFlight())
	}
	r2, ok := b.Reserve(ctx, 1<<30)
	if !ok {
		t.Fatal("a large body refused once the budget is free")
	}
	// a waiting large body gets its turn when the one being read is done
	b = tsphttp.BodyBudget{Wait: time.Minute, Waiting: 1}
	r2, _ = b.Reserve(ctx, 9<<10)
	got := make(chan bool, 1)
	go func() {
		_, ok := b.Reserve(ctx, 9<<10)
		got <- ok
	}()
	for b.InFlight() != 9<<10 { // the first holds; let the second wait a little
		time.Sleep(time.Millisecond)
	}
	time.Sleep(10 * time.Millisecond)
	if _, ok := b.Reserve(ctx, 9<<10); ok { // a third: no room to wait
		t.Error("a third large body admitted with one reading and one waiting")
	}
	r2()
	if !recv(t, got) {
		t.Error("the waiting large body was refused")
	}
}

func recv[T any](t *testing.T, ch <-chan T) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(time.Minute): // a guard against deadlock, not a speed check
		t.Fatal("nothing came for a minute")
		panic("unreachable")
	}
}
