package proc

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ffi4go/tsp/internal/abi"
	"github.com/ffi4go/tsp/kernel"
)

// EnvFault names the environment variable of the fault-injection switch
// that only workers read (docs/protocol.md, "Fault injection"): crash:SEED
// makes a solve request with that seed crash the worker mid-solve, hang:SEED
// makes the worker never answer it. Tests set it; nothing else does.
const EnvFault = "TSP_WORKER_FAULT"

// fault is a parsed EnvFault.
type fault struct {
	kind string // "", "crash", "hang"
	seed uint64
}

func parseFault(s string) (fault, error) {
	if s == "" {
		return fault{}, nil
	}
	kind, seed, ok := strings.Cut(s, ":")
	v, err := strconv.ParseUint(seed, 10, 64)
	if !ok || err != nil || (kind != "crash" && kind != "hang") {
		return fault{}, fmt.Errorf("proc: %s=%q: want crash:SEED or hang:SEED", EnvFault, s)
	}
	return fault{kind: kind, seed: v}, nil
}

// Serve is a worker: it writes a hello for kernelID (KernelGo for the Go
// kernel), then answers the frames it reads from r on w with the kernel k,
// until r ends (nil) or breaks the protocol. A frame it cannot parse is
// answered with an error frame and ends Serve with that *WorkerError (the
// worker then exits with its ExitCode); a write error ends it too. One
// solve runs at a time, on the goroutine that read it, and cancels, pings
// and progress answers are read while it runs. On Linux, when r is a pipe
// or a socket (a worker's standard input), Serve reads it with blocking
// reads and starts no goroutine for a solve: an epoll instance armed for
// the solve wakes a watching goroutine only if bytes come during it (a
// demo11 round trip then costs the worker one read, two epoll_ctl and one
// write); elsewhere a reader goroutine is started for each solve. Serve answers no
// progress: `tsp worker` is ServeProgress(os.Stdin, os.Stdout, kernel.Go(),
// kernel.GoProgress(), KernelGo).
func Serve(r io.Reader, w io.Writer, k kernel.Func, kernelID int32) error {
	return ServeProgress(r, w, k, nil, kernelID)
}

// ServeProgress is Serve with the kernel's tsp_solve_progress, kp: a solve
// request that asks for progress runs kp and sends each of its calls as a
// progress frame: one-way when the request says so (version 3: the kernel
// goes on at once, and a stop comes as a cancel frame), else waiting for
// the parent's answer (which may ask it to stop) before the kernel goes
// on. With kp nil such a request runs k and sends none.
func ServeProgress(r io.Reader, w io.Writer, k kernel.Func, kp kernel.FuncProgress, kernelID int32) error {
	return ServePoints(r, w, k, kp, nil, kernelID)
}

// ServePoints is ServeProgress with the kernel's tsp_solve_points, kq,
// which answers coordinates requests (protocol version 4, the Q frame),
// without progress on them. With kq nil the worker says version 3 in its
// hello, and its parent asks it for matrices only.
func ServePoints(r io.Reader, w io.Writer, k kernel.Func, kp kernel.FuncProgress, kq kernel.PointsFunc, kernelID int32) error {
	v := uint32(pointsVersion)
	if kq == nil {
		v = pointsVersion - 1
	}
	return serve(r, w, k, kp, kq, nil, kernelID, v)
}

// ServePointsProgress is ServePoints with the kernel's
// tsp_solve_points_progress, kqp, for the coordinates requests that ask for
// progress (protocol version 5: their progress frames as a matrix's). With
// kqp nil it is ServePoints. `tsp worker` and tsp-worker-go are
// ServePointsProgress(os.Stdin, os.Stdout, kernel.Go(),
// kernel.GoProgress(), kernel.GoPoints(), kernel.GoPointsProgress(),
// KernelGo).
func ServePointsProgress(r io.Reader, w io.Writer, k kernel.Func, kp kernel.FuncProgress, kq kernel.PointsFunc,
	kqp kernel.PointsFuncProgress, kernelID int32) error {
	if kqp == nil || kq == nil {
		return ServePoints(r, w, k, kp, kq, kernelID)
	}
	return serve(r, w, k, kp, kq, kqp, kernelID, Version)
}

// serveVersion is ServeProgress saying protocol version v in its hello
// (the tests run older workers with it).
func serveVersion(r io.Reader, w io.Writer, k kernel.Func, kp kernel.FuncProgress, kernelID int32, v uint32) error {
	return serve(r, w, k, kp, nil, nil, kernelID, v)
}

// serve runs a worker that says version v in its hello.
func serve(r io.Reader, w io.Writer, k kernel.Func, kp kernel.FuncProgress, kq kernel.PointsFunc, kqp kernel.PointsFuncProgress,
	kernelID int32, v uint32) error {
	flt, err := parseFault(os.Getenv(EnvFault))
	if err != nil {
		return err
	}
	s := &server{w: w, k: k, kp: kp, kq: kq, kqp: kqp, fault: flt, quit: make(chan struct{}), kick: make(chan struct{}, 1)}
	if err := s.write(appendHello(nil, Hello{Version: v, ABI: abi.Version, Kernel: kernelID, MaxCities: MaxCities})); err != nil {
		return err
	}
	var in io.Reader
	if s.wt = newWatch(r); s.wt != nil {
		in = s.wt
		defer s.wt.end()
	} else {
		in = pollable(r)
	}
	br := bufio.NewReaderSize(in, 1<<16)
	done := make(chan error, 1)
	s.read(br, done)
	return <-done
}

// read reads and answers frames until the input ends or breaks the
// protocol, and then sends Serve's result to done. A solve runs on this
// goroutine: it starts at once, on the thread (and the caches) that read
// its matrix. Starting the solve on a new goroutine instead made the Go
// runtime wake a second thread for it, and a round trip 10-20 us slower.
// Meanwhile cancels and pings are read by another goroutine: with a watch
// (Linux, a pipe), one that the watch's epoll wakes when bytes come during
// the solve, and that then reads on, this one returning after its solve;
// a solve that ended without such bytes reads on here. Otherwise (and for
// a solve that asks for progress, whose answers come while it runs) the
// reading is handed over to a new goroutine at once, which costs a thread
// woken for every request.
func (s *server) read(br *bufio.Reader, done chan<- error) {
	for {
		f, err := readWorkerFrame(br, MaxCities)
		if err != nil {
			s.stop()
			var we *WorkerError
			if errors.As(err, &we) {
				s.write(appendError(nil, we))
				done <- we
				return
			}
			if err == io.EOF {
				done <- nil
				return
			}
			done <- err
			return
		}
		switch f.typ {
		case framePing:
			if err := s.write(appendPing(nil, framePong, f.id, f.x)); err != nil {
				s.stop()
				done <- err
				return
			}
		case frameCancel:
			s.mu.Lock()
			if s.cur != nil && s.cur.id == f.id {
				atomic.StoreInt32(s.cur.cancel, 1)
			}
			s.mu.Unlock()
		case frameProgressAnswer:
			s.mu.Lock()
			cur := s.cur
			s.mu.Unlock()
			ok := cur != nil && cur.id == f.id && cur.waiting.CompareAndSwap(true, false) // a progress frame waits for it
			if ok {
				cur.answer <- f.x
			}
			if !ok {
				we := &WorkerError{ID: f.id, Code: CodeMalformed, Message: fmt.Sprintf("an answer to no progress frame of request %d", f.id)}
				s.stop()
				s.write(appendError(nil, we))
				done <- we
				return
			}
		case frameSolve, frameSolvePoints:
			if f.typ == frameSolvePoints && s.kq == nil {
				we := &WorkerError{ID: f.id, Code: CodeMalformed, Message: fmt.Sprintf("points request %d: this worker solves matrices only (protocol version %d)", f.id, pointsVersion-1)}
				s.stop()
				s.write(appendError(nil, we))
				done <- we
				return
			}
			s.mu.Lock()
			cur := s.cur
			s.mu.Unlock()
			if cur != nil {
				we := &WorkerError{ID: f.id, Code: CodeBusy, Message: fmt.Sprintf("solve request %d while request %d runs", f.id, cur.id)}
				s.stop()
				s.write(appendError(nil, we))
				done <- we
				return
			}
			j := s.start(f.req)
			if f.req.wantProgress || startP.Load() {
				// Its frames (one-way: on the writer goroutine) and a stop
				// from the callback travel while it runs: two Ps at once.
				// A worker started on one P (GoExecEnv) takes its second P
				// here, for every solve, so that a cancel is read at once.
				s.raise(nil)
			}
			if s.wt == nil || f.req.wantProgress || br.Buffered() > 0 {
				// Buffered bytes (a cancel that came with the request)
				// never wake the watch: read them now.
				go s.readDuring(br, done, j)
				s.solve(f.req, j)
				return
			}
			j.gen = s.wt.arm(s, br, done, j)
			if s.solve(f.req, j); !j.readOn {
				return // a watcher reads on
			}
		}
		if s.failed.Load() {
			s.stop()
			done <- s.werr
			return
		}
	}
}

// readDuring is the reader started for the solve j: read, after raising
// GOMAXPROCS for the rest of the solve when the worker runs on one P (see
// SingleP) and j still runs.
func (s *server) readDuring(br *bufio.Reader, done chan<- error, j *job) {
	handovers.Add(1)
	s.raise(j)
	s.read(br, done)
}

// handovers counts the readers started during a solve (readDuring), in
// this process: the tests check that a watched worker starts none for a
// solve that no bytes follow.
var handovers atomic.Int64

// raise raises GOMAXPROCS for the rest of the running solve, when SingleP
// put the worker on one P: for the job j if it still runs, or, with j nil,
// for the solve about to start.
func (s *server) raise(j *job) {
	p := singleP.Load()
	if p < 2 {
		return
	}
	s.procMu.Lock()
	defer s.procMu.Unlock()
	if j != nil {
		s.mu.Lock()
		running := s.cur == j
		s.mu.Unlock()
		if !running {
			return
		}
	}
	if !s.raised {
		runtime.GOMAXPROCS(int(p))
		s.raised = true
	}
}

// lower undoes readDuring's raise, once the solve has written its result.
func (s *server) lower() {
	s.procMu.Lock()
	if s.raised && !startP.Load() {
		runtime.GOMAXPROCS(1)
		s.raised = false
	}
	s.procMu.Unlock()
}

// singleP is the GOMAXPROCS a long solve raises to when SingleP made this
// worker run on one P; 0 otherwise.
var singleP atomic.Int32

// startP: SingleP's start-only mode (EnvSingleP=start, GoExecEnv): the
// worker started on one P raises GOMAXPROCS at its first solve and keeps
// it raised.
var startP atomic.Bool

// EnvSingleP, set to "1" in a Go worker's environment, opts the worker in
// to SingleP's one-P mode (GoWorkerEnv sets it); set to "start", to its
// start-only mode (GoExecEnv). Without it SingleP does nothing: a worker
// runs with GOMAXPROCS as usual.
const EnvSingleP = "TSP_WORKER_SINGLE_P"

// GoWorkerEnv is what a parent adds to a Go worker's environment (the Env
// of its Config) to opt it in to SingleP's mode: EnvSingleP, and
// GOMAXPROCS=1, which spares the child the threads the runtime starts for
// its other Ps (0.35 ms of CPU of a 2.4-2.8 ms start here) and SingleP a
// stop-the-world at start. It is nil when this process has $GOMAXPROCS
// set: the worker inherits it and keeps it. Exporting
// TSP_WORKER_SINGLE_P=1 in the parent's environment opts in its Go workers
// too (they then set GOMAXPROCS to 1 themselves).
func GoWorkerEnv() []string {
	if os.Getenv("GOMAXPROCS") != "" {
		return nil
	}
	return []string{"GOMAXPROCS=1", EnvSingleP + "=1"}
}

// GoExecEnv is what a parent adds to the environment of a Go worker it
// starts for one solve (the exec-go backend does): GOMAXPROCS=1 and
// EnvSingleP=start. The runtime then starts on one P, without the threads
// it starts for a second P (the worker's start, exec to exit, took 32
// fewer page faults and about 0.2 ms less CPU here: README, "Shelling
// out"), and SingleP raises GOMAXPROCS to 2 when the first solve starts
// and keeps it there: a solve runs as with the default two Ps, and a
// cancel is read at once (unlike GoWorkerEnv's mode, which raises only for
// long solves). It is nil when this process has $GOMAXPROCS set: the
// worker inherits it and keeps it.
func GoExecEnv() []string {
	if os.Getenv("GOMAXPROCS") != "" {
		return nil
	}
	return []string{"GOMAXPROCS=1", EnvSingleP + "=start"}
}

// SingleP makes this process a worker on one P when its environment opts
// in (EnvSingleP=1; else it does nothing): it runs with GOMAXPROCS 1, and
// Serve raises it to 2 for a solve that asks for progress (from its
// start) or runs long enough to be preempted (10 ms, from then on), and
// sets it back to 1 once the solve's result is written. A worker program
// calls it before Serve (tsp-worker-go and `tsp worker` do). With
// $GOMAXPROCS set to anything but 1 it does nothing.
//
// Why: Serve used to read its input on a second goroutine started for
// each solve, so that a cancel is read at once. With two Ps, starting that
// goroutine woke a second thread for every request (and the runtime's idle
// thread spun looking for work): on a busy 2-core machine that was a third
// of the round trip of a short solve (demo11 Exact: 66 us of overhead,
// median of five rounds at load 4, against 42 us on one P). With one P the
// new reader waits in the P's queue and costs nothing while the solve is
// short; when the runtime preempts a long solve, the reader runs and
// raises GOMAXPROCS (a stop-the-world of microseconds), so that later
// cancels are read at once. Since issue 17's tenth session a worker on
// Linux whose input is a pipe starts no reader for a solve at all (see
// Serve), so the default, two Ps, is as fast, and SingleP matters only
// where Serve starts readers (other systems, inputs that are not pipes)
// or for the child's start (GoWorkerEnv's GOMAXPROCS=1).
//
// Why it is not the default: a cancel that comes in the first 10 ms of a
// solve without progress waits for that preemption, which the runtime's
// monitor makes at 10-20 ms, later on a busy machine: the deadline
// overrun of Exact and Iterated on 250 cities with a 1 ms deadline went
// from a median of 2-7 ms to 15-23 ms, and its worst from 7-27 ms to 33-175
// ms at load 6-8, past the 50 ms the backends promise (README, "Shelling
// out").
//
// With EnvSingleP=start and GOMAXPROCS=1 (GoExecEnv) it is the start-only
// mode instead: the worker started on one P and raises GOMAXPROCS to 2 when
// its first solve starts, for good.
func SingleP() {
	mode := os.Getenv(EnvSingleP)
	if runtime.NumCPU() < 2 || (mode != "1" && mode != "start") {
		return
	}
	switch os.Getenv("GOMAXPROCS") {
	case "1": // started on one P by its parent (GoWorkerEnv, GoExecEnv)
	case "":
		if mode == "start" {
			return // started on all Ps: nothing left to spare
		}
		runtime.GOMAXPROCS(1)
	default:
		return
	}
	singleP.Store(2)
	startP.Store(mode == "start")
}

type server struct {
	procMu sync.Mutex // readDuring's raise and lower
	raised bool       // GOMAXPROCS is raised for the running solve

	w     io.Writer
	wmu   sync.Mutex
	k     kernel.Func
	kp    kernel.FuncProgress       // nil: no progress
	kq    kernel.PointsFunc         // nil: no coordinates
	kqp   kernel.PointsFuncProgress // nil: no progress on coordinates
	fault fault

	mu      sync.Mutex
	cur     *job           // the running solve, nil when none
	running sync.WaitGroup // the solve, until its result is written
	quit    chan struct{}  // closed when Serve ends

	failed atomic.Bool // a write failed: the parent is gone
	werr   error

	wt *watch // nil: no watch; every solve starts a reader

	// One-way progress frames wait in pending until the writing goroutine
	// (writeLoop, woken by kick) or the next write sends them: a progress
	// call only copies its frame, and the search goes on while the frame
	// travels (a write to the pipe took 28-43 us of the search's time a
	// call). Every write sends what is pending before its own frame, and
	// only a write swaps pending out (holding wmu), so the frames keep
	// their order.
	pmu     sync.Mutex
	pending []byte
	spare   []byte
	kick    chan struct{} // capacity 1
	// writer starts writeLoop at the first one-way progress frame: not at
	// the start, where a goroutine ready to run when the reading one
	// blocks made the runtime start a thread for it (issue 17: a spawn
	// costs less).
	writer sync.Once
}

// maxPending bounds the one-way frames waiting to be written: past it, the
// progress call writes them itself (a parent that reads slowly slows the
// search instead of growing the worker's memory).
const maxPending = 1 << 20

// write sends what is pending and then b, in one write.
func (s *server) write(b []byte) error {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	s.pmu.Lock()
	out := s.pending
	s.pending = s.spare[:0]
	s.pmu.Unlock()
	if len(b) > 0 {
		out = append(out, b...)
	}
	var err error
	if len(out) > 0 {
		_, err = s.w.Write(out)
	}
	s.pmu.Lock()
	s.spare = out[:0]
	s.pmu.Unlock()
	if err != nil && !s.failed.Load() {
		s.werr = err
		s.failed.Store(true)
	}
	return err
}

// writeLoop sends the pending progress frames each time a progress call
// kicks it, until Serve ends.
func (s *server) writeLoop() {
	for {
		select {
		case <-s.kick:
			s.write(nil)
		case <-s.quit:
			return
		}
	}
}

// job is a running solve.
type job struct {
	id     uint64
	cancel *int32
	// answer takes the parent's answer to the progress frame the solve
	// waits on (buffered: the reader never blocks).
	answer  chan int32
	waiting atomic.Bool // a progress frame is sent and not yet answered
	// gen is the watch's generation of the solve (0: not watched), and
	// readOn whether its solver reads on after it (the watch saw no bytes
	// during it).
	gen    uint64
	readOn bool
}

// start makes q the running solve.
func (s *server) start(q *request) *job {
	j := &job{id: q.id, cancel: new(int32), answer: make(chan int32, 1)}
	if q.cancelled {
		*j.cancel = 1
	}
	s.mu.Lock()
	s.cur = j
	s.mu.Unlock()
	s.running.Add(1)
	return j
}

// check checks q's matrix when it is marked TSP_CHECKED: a worker trusts
// no bytes on its input, and a kernel takes a matrix so marked as valid
// (garbage made the Go kernel index out of range). It returns the
// algorithm argument to solve with, or -1 for an invalid matrix. A cancel
// that comes during the check stops it (since issue 17's twelfth session;
// it waited for all n² values, 0.1-0.2 s at 10,000 cities), and the kernel
// then runs unmarked: its own check, seeing the flag, stops at once, and it
// answers as any kernel stopped before it started. A request sent already
// cancelled is checked whole and solved as marked, as the other backends
// solve it.
func (s *server) check(q *request, j *job) int32 {
	alg := q.algorithm
	if alg&abi.FlagChecked == 0 {
		return alg
	}
	var poll *int32
	if !q.cancelled {
		poll = j.cancel
	}
	switch abi.GoCheck(q.matrix, q.n, alg&abi.FlagDirected != 0, poll) {
	case abi.CodeOK:
		return alg
	case abi.CodeStopped:
		return alg &^ abi.FlagChecked
	}
	return -1
}

// solve runs q, the job j, and writes its result.
func (s *server) solve(q *request, j *job) {
	defer s.running.Done()
	res := result{id: q.id, order: make([]int32, q.n)}
	if s.fault.kind != "" && s.fault.seed == q.seed {
		if s.fault.kind == "crash" {
			panic(fmt.Sprintf("proc: %s=crash:%d: the injected crash", EnvFault, q.seed))
		}
		<-s.quit // hang: never answer, until the input ends
		return
	}
	t0 := time.Now()
	if q.pts != nil && q.wantProgress && s.kqp != nil {
		a := q.pts
		res.status = s.kqp(a.x, a.y, q.n, a.kind, a.radius, q.start, q.algorithm, q.seed, q.budget, j.cancel,
			s.progressFor(q, j), res.order, &res.length, &res.nodes)
		q.pts = nil
	} else if q.pts != nil {
		a := q.pts
		res.status = s.kq(a.x, a.y, q.n, a.kind, a.radius, q.start, q.algorithm, q.seed, q.budget, j.cancel, res.order,
			&res.length, &res.nodes)
		q.pts = nil
	} else if alg := s.check(q, j); alg < 0 {
		res.status = abi.CodeInvalid
	} else {
		if q.wantProgress && s.kp != nil {
			res.status = s.kp(q.matrix, q.n, q.start, alg, q.seed, q.budget, j.cancel, s.progressFor(q, j), res.order,
				&res.length, &res.lowerBound, &res.nodes)
		} else {
			res.status = s.k(q.matrix, q.n, q.start, alg, q.seed, q.budget, j.cancel, res.order,
				&res.length, &res.lowerBound, &res.nodes)
		}
	}
	res.solveNS = uint64(time.Since(t0))
	if res.status != abi.CodeOK && res.status != abi.CodeStopped {
		res.order = nil
	}
	q.matrix = nil
	s.mu.Lock()
	s.cur = nil
	s.mu.Unlock()
	if j.gen != 0 {
		// Before the result: the parent's next request must find the
		// watch disarmed, or it would wake a watcher.
		j.readOn = s.wt.disarm(j.gen)
	}
	s.write(appendResult(nil, &res))
	s.lower()
}

// progressFor is the progress function of request q, the job j: one-way
// or waiting for answers, as q asked.
func (s *server) progressFor(q *request, j *job) kernel.ProgressFunc {
	if q.oneWay {
		return s.progressOneWay(j)
	}
	return s.progressOf(j)
}

// progressOf is the progress function of job j: each call is a progress
// frame, then a wait for its answer (non-zero: stop), which the reading
// goroutine hands over. The end of the input or a failed write stops the
// search.
func (s *server) progressOf(j *job) kernel.ProgressFunc {
	var buf []byte
	return func(event int32, length, bound float64, nodes uint64, order []int32) int32 {
		buf = appendProgress(buf[:0], &progress{id: j.id, event: event, length: length, bound: bound, nodes: nodes, order: order})
		j.waiting.Store(true)
		if s.write(buf) != nil {
			return 1
		}
		select {
		case v := <-j.answer:
			return v
		case <-s.quit:
			return 1
		}
	}
}

// progressOneWay is the progress function of job j for a one-way request
// (version 3): each call is a progress frame, and the kernel goes on at
// once; a stop comes as a cancel frame, which the reading goroutine sets
// on j's cancel flag. The frame is queued for writeLoop (see pending). A
// failed write (the parent is gone) stops the search at the next call.
func (s *server) progressOneWay(j *job) kernel.ProgressFunc {
	return func(event int32, length, bound float64, nodes uint64, order []int32) int32 {
		if s.failed.Load() {
			return 1
		}
		s.pmu.Lock()
		s.pending = appendProgress(s.pending, &progress{id: j.id, event: event, length: length, bound: bound, nodes: nodes, order: order})
		full := len(s.pending) >= maxPending
		s.pmu.Unlock()
		if full {
			if s.write(nil) != nil {
				return 1
			}
			return 0
		}
		s.writer.Do(func() { go s.writeLoop() }) // until s.stop closes quit
		select {
		case s.kick <- struct{}{}:
		default: // the writer is kicked already
		}
		return 0
	}
}

// stop cancels a running solve and waits until it has written its result
// (the result of a solve that was cleared from cur but is still writing,
// too).
func (s *server) stop() {
	close(s.quit)
	s.mu.Lock()
	j := s.cur
	if j != nil {
		atomic.StoreInt32(j.cancel, 1)
	}
	s.mu.Unlock()
	s.running.Wait()
}
