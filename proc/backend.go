package proc

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ffi4go/tsp"
	"github.com/ffi4go/tsp/internal/abi"
	"github.com/ffi4go/tsp/kernel"
)

// Solver is a tsp.Solver that runs the kernel in worker processes: an
// Exec or a Pool.
type Solver interface {
	tsp.Solver
	// Ping makes an empty round trip to a worker: the cost of the boundary.
	Ping(x int32) (int32, error)
	// Close ends the workers it keeps (a Pool's); solves after Close fail.
	Close() error
}

// call is one round trip of a request on some worker.
type call func(ctx context.Context, q *request, res *result) error

// solve is Solve for both kinds: kernel.NewSolver around one round trip, so
// that the wrapper every backend uses validates, transforms routes, merges
// duplicates and checks the answer. A failed round trip (the worker died,
// was killed, broke the protocol) fails the solve with its own error,
// wrapping tsp.ErrKernel and ErrWorker.
func solve(ctx context.Context, name string, do call, m *tsp.Matrix, opt tsp.Options) (tsp.Tour, error) {
	var failed error
	k := func(dist []float64, n, start, algorithm int32, seed uint64, budget int64,
		cancel *int32, progress abi.ProgressFunc, order []int32, length, lowerBound *float64, nodes *uint64) int32 {
		q := request{n: n, start: start, algorithm: algorithm, seed: seed, budget: budget,
			cancelled: cancel != nil && atomic.LoadInt32(cancel) != 0, matrix: dist[:int(n)*int(n)], progress: progress}
		return roundTrip(ctx, do, &q, order, length, lowerBound, nodes, &failed)
	}
	plain := func(dist []float64, n, start, algorithm int32, seed uint64, budget int64,
		cancel *int32, order []int32, length, lowerBound *float64, nodes *uint64) int32 {
		return k(dist, n, start, algorithm, seed, budget, cancel, nil, order, length, lowerBound, nodes)
	}
	t, err := kernel.NewSolverProgress(name, plain, k).Solve(ctx, m, opt)
	if failed != nil {
		return tsp.Tour{}, fmt.Errorf("%w: %s: %w", tsp.ErrKernel, name, failed)
	}
	return t, err
}

// roundTrip runs q on do and hands its result over as a kernel call does:
// the status, the order into order, the length, bound and node count. A
// failed round trip or a result of the wrong size sets *failed and is
// TSP_INTERNAL.
func roundTrip(ctx context.Context, do call, q *request, order []int32, length, lowerBound *float64, nodes *uint64, failed *error) int32 {
	res := result{order: order}
	if err := do(ctx, q, &res); err != nil {
		*failed = err
		return abi.CodeInternal
	}
	if len(res.order) > 0 && &res.order[0] != &order[0] {
		copy(order, res.order)
	}
	*length, *lowerBound, *nodes = res.length, res.lowerBound, res.nodes
	if (res.status == abi.CodeOK || res.status == abi.CodeStopped) && len(res.order) != int(q.n) {
		*failed = fmt.Errorf("%w: a result of %d cities for %d", ErrProtocol, len(res.order), q.n)
		return abi.CodeInternal
	}
	return res.status
}

// Exec runs one worker process per solve: started, asked, and reaped when
// the answer is in (the "shell out" way).
type Exec struct {
	cfg Config
}

// NewExec returns the Solver that starts cfg's program for every solve.
func NewExec(cfg Config) *Exec { return &Exec{cfg: cfg} }

// Name is cfg.Name.
func (e *Exec) Name() string { return e.cfg.Name }

// Solve starts a worker, solves, and ends the worker.
func (e *Exec) Solve(ctx context.Context, m *tsp.Matrix, opt tsp.Options) (tsp.Tour, error) {
	return solve(ctx, e.cfg.Name, e.call, m, opt)
}

func (e *Exec) call(ctx context.Context, q *request, res *result) error {
	w, err := start(e.cfg)
	if err != nil {
		return err
	}
	err = w.solve(ctx, q, res)
	if !w.broken {
		w.close()
	}
	return err
}

// Ping starts a worker, pings it and ends it.
func (e *Exec) Ping(x int32) (int32, error) {
	w, err := start(e.cfg)
	if err != nil {
		return 0, err
	}
	y, err := w.ping(x)
	if !w.broken {
		w.close()
	}
	return y, err
}

// Close does nothing: an Exec keeps no process between solves.
func (e *Exec) Close() error { return nil }

// Pool keeps up to Size long-lived workers. A solve takes an idle worker,
// or starts one when fewer than Size run, or waits for one (a solve whose
// context ends while it waits gets the grace period more; then it gives up
// with an error wrapping the context's and no tour).
// A worker that fails (dies, is killed after its grace, breaks the
// protocol) is replaced in the background.
type Pool struct {
	cfg   Config
	slots chan struct{} // one token per solve holding a worker

	mu       sync.Mutex
	idle     []*worker
	procs    int // running or starting workers
	closed   bool
	changed  chan struct{} // closed when idle or procs change
	replaced atomic.Int64  // workers replaced after a failure
	started  atomic.Int64  // workers started
	lastFail error         // the last failure to start a replacement
}

// NewPool returns a Pool of cfg's program. No process starts before the
// first solve.
func NewPool(cfg Config) *Pool {
	if cfg.Size <= 0 {
		cfg.Size = max(2, runtime.GOMAXPROCS(0))
	}
	return &Pool{cfg: cfg, slots: make(chan struct{}, cfg.Size), changed: make(chan struct{})}
}

// Name is cfg.Name.
func (p *Pool) Name() string { return p.cfg.Name }

// Size is the largest number of workers the pool runs.
func (p *Pool) Size() int { return p.cfg.Size }

// Solve solves on one of the pool's workers.
func (p *Pool) Solve(ctx context.Context, m *tsp.Matrix, opt tsp.Options) (tsp.Tour, error) {
	return solve(ctx, p.cfg.Name, p.call, m, opt)
}

// ErrClosed: the pool was closed.
var ErrClosed = fmt.Errorf("%w: the pool is closed", ErrWorker)

func (p *Pool) call(ctx context.Context, q *request, res *result) error {
	w, err := p.get(ctx)
	if err != nil {
		return err
	}
	err = w.solve(ctx, q, res)
	p.put(w)
	return err
}

// Ping pings one of the pool's workers.
func (p *Pool) Ping(x int32) (int32, error) {
	w, err := p.get(context.Background())
	if err != nil {
		return 0, err
	}
	y, err := w.ping(x)
	p.put(w)
	return y, err
}

// get takes a slot and a worker. A solve whose context has ended still
// gets a worker (its kernel then stops at once and returns the tour every
// backend returns for a stopped search), but it waits for a busy pool at
// most the grace period after its context ended; then it gives up with an
// error wrapping the context's and no tour.
func (p *Pool) get(ctx context.Context) (*worker, error) {
	var expired <-chan time.Time // set once ctx has ended
	wait := func(ch <-chan struct{}, send bool) error {
		for {
			done := ctx.Done()
			if expired != nil {
				done = nil
			}
			if send {
				select {
				case p.slots <- struct{}{}:
					return nil
				case <-done:
				case <-expired:
					return fmt.Errorf("%w: all %d workers busy: %w", ErrWorker, p.cfg.Size, context.Cause(ctx))
				}
			} else {
				select {
				case <-ch:
					return nil
				case <-done:
				case <-expired:
					return fmt.Errorf("%w: waiting for a worker to start: %w", ErrWorker, context.Cause(ctx))
				}
			}
			t := time.NewTimer(p.cfg.grace())
			defer t.Stop()
			expired = t.C
		}
	}
	if err := wait(nil, true); err != nil {
		return nil, err
	}
	for {
		p.mu.Lock()
		if p.closed {
			p.mu.Unlock()
			<-p.slots
			return nil, ErrClosed
		}
		if n := len(p.idle); n > 0 {
			w := p.idle[n-1]
			p.idle = p.idle[:n-1]
			p.mu.Unlock()
			return w, nil
		}
		if p.procs < p.cfg.Size {
			p.procs++
			p.mu.Unlock()
			w, err := start(p.cfg)
			p.started.Add(1)
			if err != nil {
				p.mu.Lock()
				p.procs--
				p.notify()
				p.mu.Unlock()
				<-p.slots
				return nil, err
			}
			return w, nil
		}
		// Every worker is busy or starting, yet a slot was free: a
		// replacement is starting. Wait for it.
		ch := p.changed
		p.mu.Unlock()
		if err := wait(ch, false); err != nil {
			<-p.slots
			return nil, err
		}
	}
}

// notify wakes the solves waiting for a change; p.mu is held.
func (p *Pool) notify() {
	close(p.changed)
	p.changed = make(chan struct{})
}

// put returns w to the pool, or replaces it when it failed.
func (p *Pool) put(w *worker) {
	p.mu.Lock()
	switch {
	case w.broken:
		p.procs--
		if !p.closed {
			p.procs++ // the replacement
			go p.replace()
		}
	case p.closed:
		p.procs--
		defer w.close()
	default:
		p.idle = append(p.idle, w)
	}
	p.notify()
	p.mu.Unlock()
	<-p.slots
}

// replace starts a worker in place of one that failed.
func (p *Pool) replace() {
	w, err := start(p.cfg)
	p.started.Add(1)
	p.mu.Lock()
	defer p.mu.Unlock()
	if err != nil {
		p.procs--
		p.lastFail = err
	} else if p.closed {
		p.procs--
		defer w.close()
	} else {
		p.replaced.Add(1)
		p.idle = append(p.idle, w)
	}
	p.notify()
}

// PoolStats counts a pool's workers.
type PoolStats struct {
	Size     int   // the largest number of workers
	Idle     int   // idle workers
	Procs    int   // running or starting workers
	Started  int64 // workers started, replacements included
	Replaced int64 // workers started in place of one that failed
}

// Stats returns the pool's counts now.
func (p *Pool) Stats() PoolStats {
	p.mu.Lock()
	defer p.mu.Unlock()
	return PoolStats{Size: p.cfg.Size, Idle: len(p.idle), Procs: p.procs, Started: p.started.Load(), Replaced: p.replaced.Load()}
}

// Pids returns the process ids of the idle workers.
func (p *Pool) Pids() []int {
	p.mu.Lock()
	defer p.mu.Unlock()
	var pids []int
	for _, w := range p.idle {
		pids = append(pids, w.cmd.Process.Pid)
	}
	return pids
}

// Close ends the idle workers and makes later solves fail; a worker busy
// with a solve ends when its solve does. It waits for the idle ones to
// exit (each at most its grace, then killed).
func (p *Pool) Close() error {
	p.mu.Lock()
	p.closed = true
	idle := p.idle
	p.idle = nil
	p.procs -= len(idle)
	p.notify()
	p.mu.Unlock()
	for _, w := range idle {
		w.close()
	}
	return nil
}

// waitIdle waits until the pool has n idle workers or the timeout passes;
// tests use it.
func (p *Pool) waitIdle(n int, timeout time.Duration) bool {
	deadline := time.After(timeout)
	for {
		p.mu.Lock()
		ok, ch := len(p.idle) >= n, p.changed
		p.mu.Unlock()
		if ok {
			return true
		}
		select {
		case <-ch:
		case <-deadline:
			return false
		}
	}
}
