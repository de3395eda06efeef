package proc

import (
	"context"
	"errors"
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
	if q.cancelled && q.abandonable() {
		// No worker is needed for the answer, nor the transfer.
		return stoppedAtOnce(q, order, length, lowerBound, nodes)
	}
	res := result{order: order}
	if err := do(ctx, q, &res); errors.Is(err, errAbandoned) {
		return stoppedAtOnce(q, order, length, lowerBound, nodes)
	} else if err != nil {
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

// stoppedAtOnce answers q, whose context ended before the worker had all of
// it (errAbandoned), with what the worker's kernel would have answered to a
// cancel flag set before it started: the Go kernel's answer to one (every
// kernel's, which the differential tests check: the nearest-neighbour tour
// of the first 63 steps completed in index order, bound 0, CodeStopped),
// computed here at once instead of after the transfer of the rest.
func stoppedAtOnce(q *request, order []int32, length, lowerBound *float64, nodes *uint64) int32 {
	one := int32(1)
	if q.pts != nil {
		a := q.pts
		*lowerBound = 0
		return kernel.GoPoints()(a.x, a.y, q.n, a.kind, a.radius, q.start, q.algorithm, q.seed, q.budget, &one, order, length, nodes)
	}
	return kernel.Go()(q.matrix, q.n, q.start, q.algorithm, q.seed, q.budget, &one, order, length, lowerBound, nodes)
}

// Exec runs one worker process per solve: started, asked, and told to end
// when the answer is in (the "shell out" way); the solve returns while the
// process exits, and it is reaped in the background.
type Exec struct {
	cfg Config

	mu     sync.Mutex
	ending int           // workers whose end is being awaited (closeLater)
	ended  chan struct{} // closed when ending falls to 0
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
	if ctx.Err() != nil {
		return errAbandoned // no process for a solve whose context has ended
	}
	w, err := startCtx(ctx, e.cfg, e.add, func(w *worker, err error) {
		if err == nil {
			w.close()
		}
		e.done()
	})
	if err != nil {
		return err
	}
	err = w.solve(ctx, q, res)
	if !w.broken {
		e.closeLater(w)
	}
	return err
}

// closeLater ends w in the background: the solve has its answer, and the
// process's exit (0.2-0.4 ms here: the end of its input, its exit, its
// reaping) need not delay it. The goroutine that waits for every process
// reaps it; Close waits for these ends.
func (e *Exec) closeLater(w *worker) {
	e.add()
	go func() {
		w.close()
		e.done()
	}()
}

// add counts a process whose end Close must wait for (a finished solve's,
// or one still starting for a solve that gave up on it); done uncounts it
// once it has ended.
func (e *Exec) add() {
	e.mu.Lock()
	if e.ending == 0 {
		e.ended = make(chan struct{})
	}
	e.ending++
	e.mu.Unlock()
}

func (e *Exec) done() {
	e.mu.Lock()
	if e.ending--; e.ending == 0 {
		close(e.ended)
	}
	e.mu.Unlock()
}

// startCtx starts a worker for one solve, unless ctx ends first: then the
// solve is abandoned (errAbandoned: it answers as a kernel stopped before
// it started), gave (if not nil) is called at once, and late gets the
// worker (or the error) once the start is over: a deadline does not wait
// for a process to start (2-3 ms for the Go and C workers here, 0.3-0.9 s
// for Python).
func startCtx(ctx context.Context, cfg Config, gave func(), late func(*worker, error)) (*worker, error) {
	if ctx.Done() == nil {
		return start(cfg)
	}
	type started struct {
		w   *worker
		err error
	}
	var mu sync.Mutex
	gone := false
	res := make(chan started, 1)
	go func() {
		w, err := start(cfg)
		mu.Lock()
		defer mu.Unlock()
		if gone {
			late(w, err)
			return
		}
		res <- started{w, err}
	}()
	select {
	case r := <-res:
		return r.w, r.err
	case <-ctx.Done():
		mu.Lock()
		defer mu.Unlock()
		select {
		case r := <-res: // up in time after all
			return r.w, r.err
		default:
			gone = true
			if gave != nil {
				gave() // before late can run: both hold mu
			}
			return nil, errAbandoned
		}
	}
}

// Ping starts a worker, pings it and ends it.
func (e *Exec) Ping(x int32) (int32, error) {
	w, err := start(e.cfg)
	if err != nil {
		return 0, err
	}
	y, err := w.ping(x)
	if !w.broken {
		e.closeLater(w)
	}
	return y, err
}

// Close waits until every process of a solve (or Ping) that returned before
// it has exited and been reaped: an Exec keeps no process between solves,
// but it lets one exit after its solve has returned, and one that a
// deadline left starting is ended once up. The Exec stays usable.
func (e *Exec) Close() error {
	e.mu.Lock()
	var ended chan struct{}
	if e.ending > 0 {
		ended = e.ended
	}
	e.mu.Unlock()
	if ended != nil {
		<-ended
	}
	return nil
}

// Pool keeps up to Size long-lived workers. A solve takes an idle worker,
// or starts one when fewer than Size run, or waits for one (a solve whose
// context ends while it waits answers at once as a kernel stopped before
// it started).
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
	lastFail error         // the last failure to start a worker
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

// get takes a slot and a worker. A solve whose context ends while it waits
// for a slot (every worker busy), for a worker to start, or for a
// replacement is abandoned at once (errAbandoned: it answers as a kernel
// stopped before it started; until issue 17's twelfth session it waited the
// grace period more and failed without a tour), and a worker it was
// starting joins the pool when it is up. A solve whose context has ended
// and that finds an idle worker takes it: a small request goes out
// cancelled, and the worker answers as every kernel does.
func (p *Pool) get(ctx context.Context) (*worker, error) {
	select {
	case p.slots <- struct{}{}:
	default:
		select {
		case p.slots <- struct{}{}:
		case <-ctx.Done():
			return nil, errAbandoned
		}
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
			return p.startFor(ctx)
		}
		// Every worker is busy or starting, yet a slot was free: a
		// replacement is starting. Wait for it.
		ch := p.changed
		p.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			<-p.slots
			return nil, errAbandoned
		}
	}
}

// startFor starts a worker for a solve that holds a slot (p.procs counts
// the worker already). When ctx ends first, the solve gives its slot back
// and is abandoned, and the worker joins the pool once it is up.
func (p *Pool) startFor(ctx context.Context) (*worker, error) {
	w, err := startCtx(ctx, p.cfg, nil, func(w *worker, err error) {
		p.started.Add(1)
		p.join(w, err, false)
	})
	if errors.Is(err, errAbandoned) {
		<-p.slots
		return nil, err
	}
	p.started.Add(1)
	if err != nil {
		p.mu.Lock()
		p.procs--
		p.lastFail = err
		p.notify()
		p.mu.Unlock()
		<-p.slots
		return nil, err
	}
	return w, nil
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
	p.join(w, err, true)
}

// join adds a worker started in the background (p.procs counts it) to the
// idle ones, or records why it failed to start; replacement: it replaces
// one that failed.
func (p *Pool) join(w *worker, err error, replacement bool) {
	p.mu.Lock()
	closed := p.closed
	if err != nil {
		p.procs--
		p.lastFail = err
	} else if closed {
		p.procs--
	} else {
		if replacement {
			p.replaced.Add(1)
		}
		p.idle = append(p.idle, w)
	}
	p.notify()
	p.mu.Unlock()
	if err == nil && closed {
		w.close() // not under p.mu: it waits for the worker's end
	}
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
