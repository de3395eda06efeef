package tsphttp

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"slices"
	"sync"
	"time"

	"github.com/ffi4go/tsp"
)

// Estimate is the CPU time a solve of n cities with algorithm alg is
// expected to take at most, given its deadline: the distance matrix plus the
// search, the search capped by the deadline. It is deliberately pessimistic
// (about three times what the pure-Go backend measured on a 2-core
// development machine), and it is what the lanes of Lanes are chosen by:
//
//   - the matrix: 100 ns × n² (2,000 cities: 0.4 s; measured 0.26 s)
//   - nearest: 10 ns × n²; 2opt: 100 ns × n² (2,000 cities: measured 0.2 s)
//   - iterated: 2opt plus 25 µs a kick, tsp.DefaultBudget(n) kicks (the
//     handlers set that budget; measured 7–15 µs a kick up to 2,392 cities)
//   - exhaustive: 10 ns × (n−1)! (12 cities: 0.4 s; measured 0.08 s)
//   - exact: 2 ms up to 12 cities, doubling every two cities beyond (16
//     cities: 8 ms, 20: 32 ms, 30: 1 s, 40 and more: the deadline). Branch
//     and bound has no useful bound on its time; this is a pessimistic fit
//     of the worst of five random instances measured (12 cities: 0.08 ms,
//     20: 0.25 ms, 30: 1.7 ms). A client that wants exact on more cities to
//     count as cheap asks for a short deadline.
//
// Auto is estimated as the algorithm it picks for n (tsp.Algorithm.For).
func Estimate(alg tsp.Algorithm, n int, deadline time.Duration) time.Duration {
	n2 := float64(n) * float64(n)
	matrix := time.Duration(100 * n2)
	var search time.Duration
	switch alg.For(n) {
	case tsp.Nearest:
		search = time.Duration(10 * n2)
	case tsp.TwoOpt:
		search = time.Duration(100 * n2)
	case tsp.Iterated:
		search = time.Duration(100*n2) + 25*time.Microsecond*time.Duration(tsp.DefaultBudget(n))
	case tsp.Exhaustive:
		f := 1.0
		for k := 2; k < n; k++ {
			f *= float64(k)
		}
		search = time.Duration(min(10*f, math.MaxInt64/2))
	case tsp.Exact:
		search = deadline
		if f := float64(2*time.Millisecond) * math.Exp2(float64(max(0, n-ExactCheapMax))/2); f < float64(deadline) {
			search = time.Duration(f)
		}
	default:
		search = deadline
	}
	return matrix + min(search, deadline)
}

// EstimateMatrix is Estimate for a matrix of n cities, symmetric or not:
// the library's Exact solves an asymmetric matrix as a symmetric one of 2n
// cities (Jonker and Volgenant's transformation, see the README's "Real
// routes"), so it is priced as 2n cities; the other algorithms search the
// directed tour of the n cities as they are. alg is a concrete algorithm
// (tsp.Algorithm.For(n)).
func EstimateMatrix(alg tsp.Algorithm, n int, symmetric bool, deadline time.Duration) time.Duration {
	if !symmetric && alg == tsp.Exact {
		n *= 2
	}
	return Estimate(alg, n, deadline)
}

// EstimatePoints is Estimate for a city list solved from its coordinates
// (issue 21): no matrix; the k-d tree and Nearest cost about 10 µs a city
// (a million cities: 10 s on a busy 2-vCPU machine), 2opt and iterated
// add their search, and the deadline stops all of it.
func EstimatePoints(alg tsp.Algorithm, n int, deadline time.Duration) time.Duration {
	c := 10 * time.Microsecond * time.Duration(n)
	switch alg.For(n) {
	case tsp.TwoOpt:
		c *= 10
	case tsp.Iterated:
		c = 10*c + 25*time.Microsecond*time.Duration(tsp.DefaultBudget(n))
	}
	return min(c, deadline)
}

// ExactCheapMax is the most cities Estimate prices exact at 2 ms.
const ExactCheapMax = 12

// LanesConfig configures Lanes. The zero value of every field picks its
// default.
type LanesConfig struct {
	// Workers is how many solves run at once; 0 means GOMAXPROCS, at
	// least 2 so that there is a cheap worker and a heavy one.
	Workers int
	// CheapWorkers of the Workers run only cheap solves; 0 means 1 when
	// Workers ≥ 2, negative means none. Cheap solves also use a free heavy
	// worker; heavy solves never use a cheap one.
	CheapWorkers int
	// CheapCost is the largest Estimate of a cheap solve; 0 means
	// DefaultCheapCost.
	CheapCost time.Duration
	// Queue is how many requests may wait for a worker in each lane (so
	// that expensive requests cannot fill the places of cheap ones); 0 means
	// 64, negative means none.
	Queue int
	// QueueTimeout is the longest a request waits for a worker. A heavy
	// request whose expected wait is longer is refused at once; 0 means
	// 10 s.
	QueueTimeout time.Duration
	// CheapLimit stops a solve of the cheap lane, whose estimate was wrong,
	// so that it cannot hold the lane long (Slot.Deadline); 0 means 1 s.
	CheapLimit time.Duration
}

// DefaultCheapCost is the default of LanesConfig.CheapCost.
const DefaultCheapCost = 10 * time.Millisecond

// Lanes admits solves by their estimated cost and runs at most Workers of
// them at once, in two lanes: a cheap one, for solves estimated at most
// CheapCost, with its own workers, and a heavy one for the rest. A cheap
// solve so never waits behind an expensive one; when a worker frees, a
// waiting cheap solve gets it before a waiting heavy one.
//
// A heavy request is refused at once (a *BusyError) when its expected
// wait, the estimated work left ahead of it divided by the heavy workers,
// exceeds QueueTimeout; the error's RetryAfter says when that work should
// be done. A request that waits longer than QueueTimeout all the same (the
// estimates were wrong) is refused then. Either way the client learns at
// once, or within QueueTimeout, not after a full queue.
type Lanes struct {
	cfg   LanesConfig
	cheap int // cheap workers; the heavy ones are cfg.Workers - cheap

	mu                   sync.Mutex
	freeCheap, freeHeavy int
	queue                []*Slot // waiting, in arrival order
	running              []*Slot
}

// NewLanes returns Lanes for cfg.
func NewLanes(cfg LanesConfig) *Lanes {
	if cfg.Workers <= 0 {
		cfg.Workers = max(2, runtime.GOMAXPROCS(0))
	}
	switch {
	case cfg.CheapWorkers == 0 && cfg.Workers >= 2:
		cfg.CheapWorkers = 1
	case cfg.CheapWorkers < 0:
		cfg.CheapWorkers = 0
	}
	cfg.CheapWorkers = min(cfg.CheapWorkers, cfg.Workers-1) // at least one heavy worker
	if cfg.CheapCost <= 0 {
		cfg.CheapCost = DefaultCheapCost
	}
	switch {
	case cfg.Queue == 0:
		cfg.Queue = 64
	case cfg.Queue < 0:
		cfg.Queue = 0
	}
	if cfg.QueueTimeout <= 0 {
		cfg.QueueTimeout = 10 * time.Second
	}
	if cfg.CheapLimit <= 0 {
		cfg.CheapLimit = time.Second
	}
	return &Lanes{cfg: cfg, cheap: cfg.CheapWorkers, freeCheap: cfg.CheapWorkers, freeHeavy: cfg.Workers - cfg.CheapWorkers}
}

// Config returns the configuration in force, defaults filled in.
func (l *Lanes) Config() LanesConfig { return l.cfg }

// Job describes a solve to Acquire: its estimated cost, and what Stats
// shows of it.
type Job struct {
	Cost      time.Duration // Estimate(…)
	Algorithm string
	Cities    int
	Backend   string
}

// Slot is a worker held by a solve, or a place in the queue.
type Slot struct {
	Job
	Cheap bool // the job is cheap (it may run on a heavy worker all the same)

	l          *Lanes
	onCheap    bool // holds a cheap worker, else a heavy one
	granted    chan struct{}
	arrived    time.Time
	started    time.Time
	queued     bool
	released   bool
	retryAfter time.Duration
}

// BusyDelay is how long a refusal for load (503) is held before it is
// answered, at most its Retry-After: clients that retry at once then send
// a few requests a second each, instead of turning refusals into a CPU load
// of their own.
const BusyDelay = 250 * time.Millisecond

// BusyError is a request refused for load: answer 503 with Retry-After.
type BusyError struct {
	RetryAfter time.Duration // the expected wait, at least a second
	Msg        string
}

func (e *BusyError) Error() string { return e.Msg }

// RetryAfterSeconds is RetryAfter in whole seconds, rounded up, at least 1:
// the value of a Retry-After header.
func (e *BusyError) RetryAfterSeconds() int {
	return max(1, int(math.Ceil(e.RetryAfter.Seconds())))
}

// Acquire waits for a worker for j and returns the slot that holds it;
// call Release when the solve ends. It returns a *BusyError when the
// request is refused for load, or ctx's error when ctx ends first (the
// client went away).
func (l *Lanes) Acquire(ctx context.Context, j Job) (*Slot, error) {
	s := &Slot{Job: j, Cheap: j.Cost <= l.cfg.CheapCost, l: l, granted: make(chan struct{}), arrived: time.Now()}
	l.mu.Lock()
	switch {
	case s.Cheap && l.freeCheap > 0:
		l.start(s, true)
	case l.freeHeavy > 0 && (s.Cheap || !l.heavyWaiting()):
		l.start(s, false)
	case l.waiting(s.Cheap) >= l.cfg.Queue:
		err := &BusyError{RetryAfter: l.expectedWait(s.Cheap), Msg: "server busy: every worker is solving and the queue is full, retry later"}
		l.mu.Unlock()
		return nil, err
	case !s.Cheap && l.expectedWait(false) > l.cfg.QueueTimeout:
		wait := l.expectedWait(false)
		l.mu.Unlock()
		return nil, &BusyError{RetryAfter: wait - l.cfg.QueueTimeout,
			Msg: fmt.Sprintf("server busy: about %s of solving is ahead of this request, more than the queue timeout of %v; retry later",
				wait.Round(time.Second), l.cfg.QueueTimeout)}
	default:
		s.queued = true
		l.queue = append(l.queue, s)
	}
	queued := s.queued
	l.mu.Unlock()
	if !queued {
		return s, nil // a worker was free
	}

	timer := time.NewTimer(l.cfg.QueueTimeout)
	defer timer.Stop()
	select {
	case <-s.granted:
		return s, nil
	case <-ctx.Done():
		if l.leave(s) {
			return nil, ctx.Err()
		}
	case <-timer.C:
		if l.leave(s) {
			return nil, &BusyError{RetryAfter: s.retryAfter, Msg: fmt.Sprintf("server busy: no worker was free within %v, retry later", l.cfg.QueueTimeout)}
		}
	}
	// granted while leaving: run after all
	return s, nil
}

// HeavyFull reports whether an expensive request would be refused now (the
// queue is full, or the work ahead is over the queue timeout), with the
// BusyError it would get. A server uses it to refuse a large body, presumed
// expensive, before reading it.
func (l *Lanes) HeavyFull() *BusyError {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.freeHeavy > 0 {
		return nil
	}
	wait := l.expectedWait(false)
	switch {
	case l.waiting(false) >= l.cfg.Queue:
		return &BusyError{RetryAfter: wait, Msg: "server busy: every worker is solving and the queue is full, retry later"}
	case wait > l.cfg.QueueTimeout:
		return &BusyError{RetryAfter: wait - l.cfg.QueueTimeout,
			Msg: fmt.Sprintf("server busy: about %s of solving is ahead, more than the queue timeout of %v; a body over 8 KiB counts as expensive; retry later",
				wait.Round(time.Second), l.cfg.QueueTimeout)}
	}
	return nil
}

// leave takes s out of the queue; false if it was granted a worker first.
func (l *Lanes) leave(s *Slot) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !s.queued {
		return false
	}
	l.queue = slices.DeleteFunc(l.queue, func(q *Slot) bool { return q == s })
	s.queued = false
	s.retryAfter = l.expectedWait(s.Cheap)
	return true
}

// Deadline is the deadline the solve of s runs with, given the one it asked
// for: at most CheapLimit in the cheap lane.
func (s *Slot) Deadline(d time.Duration) time.Duration {
	if s.Cheap {
		return min(d, s.l.cfg.CheapLimit)
	}
	return d
}

// Waited is how long s waited for its worker.
func (s *Slot) Waited() time.Duration { return s.started.Sub(s.arrived) }

// Release gives the worker back. It is safe to call twice.
func (s *Slot) Release() {
	l := s.l
	l.mu.Lock()
	defer l.mu.Unlock()
	if s.released {
		return
	}
	s.released = true
	l.running = slices.DeleteFunc(l.running, func(r *Slot) bool { return r == s })
	if s.onCheap {
		l.freeCheap++
	} else {
		l.freeHeavy++
	}
	l.dispatch()
}

// dispatch hands free workers to waiting requests: a cheap worker to the
// first cheap request, a heavy worker to the first cheap request, else to
// the first heavy one. Called with l.mu held.
func (l *Lanes) dispatch() {
	for {
		i := slices.IndexFunc(l.queue, func(s *Slot) bool { return s.Cheap })
		switch {
		case i >= 0 && l.freeCheap > 0:
			l.grant(i, true)
		case i >= 0 && l.freeHeavy > 0:
			l.grant(i, false)
		case len(l.queue) > 0 && l.freeHeavy > 0:
			l.grant(0, false) // no cheap request waits: the first is heavy
		default:
			return
		}
	}
}

func (l *Lanes) grant(i int, cheap bool) {
	s := l.queue[i]
	l.queue = slices.Delete(l.queue, i, i+1)
	s.queued = false
	l.start(s, cheap)
	close(s.granted)
}

func (l *Lanes) start(s *Slot, cheap bool) {
	s.onCheap, s.started = cheap, time.Now()
	if cheap {
		l.freeCheap--
	} else {
		l.freeHeavy--
	}
	l.running = append(l.running, s)
}

// waiting counts the requests of a lane in the queue.
func (l *Lanes) waiting(cheap bool) int {
	n := 0
	for _, s := range l.queue {
		if s.Cheap == cheap {
			n++
		}
	}
	return n
}

func (l *Lanes) heavyWaiting() bool {
	return slices.ContainsFunc(l.queue, func(s *Slot) bool { return !s.Cheap })
}

// expectedWait is how long a new request of the lane is expected to wait:
// the estimated work left on the workers it may use and in the queue
// ahead of it, divided by those workers. Called with l.mu held.
func (l *Lanes) expectedWait(cheap bool) time.Duration {
	now := time.Now()
	var work time.Duration
	workers := l.cfg.Workers - l.cheap
	for _, s := range l.running {
		if !s.onCheap || cheap {
			work += max(0, s.Cost-now.Sub(s.started))
		}
	}
	for _, s := range l.queue {
		if s.Cheap || !cheap { // a cheap request waits only behind cheap ones
			work += s.Cost
		}
	}
	if cheap {
		workers = l.cfg.Workers
	}
	return work / time.Duration(max(1, workers))
}

// LaneStats is what Stats reports.
type LaneStats struct {
	Workers      int          `json:"workers"`
	CheapWorkers int          `json:"cheap_workers"`
	Running      int          `json:"running"`
	Queued       int          `json:"queued"`
	QueuedCheap  int          `json:"queued_cheap"`
	QueuedHeavy  int          `json:"queued_heavy"`
	HeavyWaitMs  float64      `json:"heavy_wait_ms"` // expected wait of a new heavy request
	Solves       []SolveStats `json:"solves"`        // running, then queued
}

// SolveStats is one running or queued solve in LaneStats.
type SolveStats struct {
	State      string  `json:"state"` // running or queued
	Lane       string  `json:"lane"`  // cheap or heavy
	Worker     string  `json:"worker,omitempty"`
	Algorithm  string  `json:"algorithm"`
	Cities     int     `json:"cities"`
	Backend    string  `json:"backend,omitempty"`
	EstimateMs float64 `json:"estimate_ms"`
	ElapsedMs  float64 `json:"elapsed_ms"` // running: since it started; queued: since it arrived
}

// Stats returns what runs and waits right now.
func (l *Lanes) Stats() LaneStats {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := time.Now()
	st := LaneStats{Workers: l.cfg.Workers, CheapWorkers: l.cheap, Running: len(l.running), Queued: len(l.queue),
		HeavyWaitMs: msec(l.expectedWait(false)), Solves: []SolveStats{}}
	lane := func(cheap bool) string {
		if cheap {
			return "cheap"
		}
		return "heavy"
	}
	for _, s := range l.running {
		st.Solves = append(st.Solves, SolveStats{State: "running", Lane: lane(s.Cheap), Worker: lane(s.onCheap), Algorithm: s.Algorithm,
			Cities: s.Cities, Backend: s.Backend, EstimateMs: msec(s.Cost), ElapsedMs: msec(now.Sub(s.started))})
	}
	for _, s := range l.queue {
		if s.Cheap {
			st.QueuedCheap++
		} else {
			st.QueuedHeavy++
		}
		st.Solves = append(st.Solves, SolveStats{State: "queued", Lane: lane(s.Cheap), Algorithm: s.Algorithm,
			Cities: s.Cities, Backend: s.Backend, EstimateMs: msec(s.Cost), ElapsedMs: msec(now.Sub(s.arrived))})
	}
	return st
}

func msec(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// BodyBudget admits request bodies before they are read: a request
// reserves its declared Content-Length (or the largest body allowed, when
// it declares none), and gives it back once its body is decoded. Decoding
// costs CPU in proportion to the size (the library's JSON city reader takes
// about 130 ns a byte: 2 ms for 250 cities, 17 ms for 2,000), so large
// bodies are read a few at a time, Large of them; a large body beyond that
// waits, unread, up to Wait, Waiting of them at most, and is refused past
// either. Small bodies, of at most Small bytes, draw on an allowance of
// their own of SmallTotal bytes and never wait, so that large bodies cannot
// keep a cheap request out. The zero value is ready to use.
type BodyBudget struct {
	Small      int64         // the largest small body; 0: 8 KiB (about 60 cities)
	SmallTotal int64         // bytes of small bodies read at once; 0: 1 MiB
	Large      int           // large bodies read at once; 0: 1
	Wait       time.Duration // longest wait of a large body; 0: 1 s
	Waiting    int           // large bodies that may wait; 0: 8

	once    sync.Once
	sem     chan struct{} // a token per large body being read
	mu      sync.Mutex
	small   int64 // bytes of small bodies reserved now
	large   int64 // bytes of large bodies reserved now
	waiting int
}

func (b *BodyBudget) init() {
	if b.Small <= 0 {
		b.Small = 8 << 10
	}
	if b.SmallTotal <= 0 {
		b.SmallTotal = 1 << 20
	}
	if b.Large <= 0 {
		b.Large = 1
	}
	if b.Wait <= 0 {
		b.Wait = time.Second
	}
	if b.Waiting <= 0 {
		b.Waiting = 8
	}
	b.sem = make(chan struct{}, b.Large)
}

// IsSmall reports whether a body of n bytes is small.
func (b *BodyBudget) IsSmall(n int64) bool {
	b.once.Do(b.init)
	return n <= b.Small
}

// Reserve reserves n bytes, waiting as described; ok is false when the
// body is refused (or ctx ended first). Call release (safe to call twice)
// once the body is decoded.
func (b *BodyBudget) Reserve(ctx context.Context, n int64) (release func(), ok bool) {
	b.once.Do(b.init)
	var once sync.Once
	if n <= b.Small {
		b.mu.Lock()
		defer b.mu.Unlock()
		if b.small+n > b.SmallTotal {
			return func() {}, false
		}
		b.small += n
		return func() {
			once.Do(func() {
				b.mu.Lock()
				b.small -= n
				b.mu.Unlock()
			})
		}, true
	}
	select {
	case b.sem <- struct{}{}:
	default:
		b.mu.Lock()
		if b.waiting >= b.Waiting {
			b.mu.Unlock()
			return func() {}, false
		}
		b.waiting++
		b.mu.Unlock()
		timer := time.NewTimer(b.Wait)
		select {
		case b.sem <- struct{}{}:
			ok = true
		case <-timer.C:
		case <-ctx.Done():
		}
		timer.Stop()
		b.mu.Lock()
		b.waiting--
		b.mu.Unlock()
		if !ok {
			return func() {}, false
		}
	}
	b.mu.Lock()
	b.large += n
	b.mu.Unlock()
	return func() {
		once.Do(func() {
			b.mu.Lock()
			b.large -= n
			b.mu.Unlock()
			<-b.sem
		})
	}, true
}

// InFlight returns the bytes reserved now, small and large bodies together.
func (b *BodyBudget) InFlight() int64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.large + b.small
}
