package proc

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"strings"
	"sync"
	"time"

	"github.com/ffi4go/tsp"
	"github.com/ffi4go/tsp/internal/abi"
)

// Config says how to run a worker and how long to wait for it.
type Config struct {
	// Name is the backend's name ("worker-go", "exec-c", ...).
	Name string
	// Path is the worker program; Args its arguments (["worker"] for the
	// tsp command).
	Path string
	Args []string
	// Env is added to the worker's environment, which is otherwise this
	// process's.
	Env []string
	// Size is the largest number of workers a pool runs at once; 0 means
	// max(2, GOMAXPROCS), as the web example's handler sizes its workers.
	// NewExec ignores it: it starts one process per solve, as many at once
	// as solves are running.
	Size int
	// Grace is how long a worker may take to answer once its solve's
	// context has ended and a cancel was sent; then it is killed. 0 means
	// DefaultGrace. A solve whose matrix is over 16 MiB gets a second more
	// for each whole 64 MiB of it: the worker reads and checks the whole
	// matrix before its search can see the cancel (5,000 cities, 200 MB,
	// get 2 s more; 10,000 cities 11 s).
	Grace time.Duration
	// StartTimeout bounds the wait for a new worker's hello; 0 means
	// DefaultStartTimeout.
	StartTimeout time.Duration
	// Spin is how long a solve (or a ping) may poll the worker's pipe for
	// the answer before its goroutine sleeps until the answer comes.
	// Sleeping costs the answer a wake-up of this process: 20-40 µs in a
	// virtual machine whose CPUs are idle, where polling took the overhead
	// of pooled demo11 solves sent back to back from 73-90 µs to 24-35 (the
	// C worker). Polling takes a CPU for up to that long a solve, and on a
	// machine whose CPUs are all busy that CPU is the worker's: the same
	// overhead went from 42-87 µs to 138-158. So 0 (the default) polls for
	// DefaultSpin only while the CPUs are calm: on Linux, while tasks
	// waited for a CPU less than calmPressure percent of the last ten
	// seconds (/proc/pressure/cpu, read at most every 250 ms); never
	// elsewhere. A positive Spin always allows that long, a negative one
	// never polls. Either way a request is polled for only within
	// spinRecent of its worker's last answer, which took at most twice the
	// polling time: a worker that has gone to sleep wakes first, and long
	// solves cost no polling. Unix only ("Shelling out" in the README).
	Spin time.Duration
	// ProgressWait makes a worker of version 3 or later wait for an answer to each
	// progress frame, as version 2 does, so that a stop from the callback
	// lands at the same step of the search as in-process. By default
	// (false) progress frames are one-way: the worker's kernel never waits
	// for the parent, and a stop travels as a cancel frame, landing a
	// little later, as a deadline does.
	ProgressWait bool
}

// Defaults of Config.
const (
	DefaultGrace        = 2 * time.Second
	DefaultStartTimeout = 10 * time.Second
	DefaultSpin         = 100 * time.Microsecond
)

// EnvWorkerSpin names the environment variable (for Config.Env) that sets
// how long the C worker, tsp-worker-c, polls its input for the next
// request after an answer, in nanoseconds, before it sleeps in read: 0
// never. Unset, it polls for up to 50 µs, and only when the request before
// came within 1 ms of the answer before it and the CPUs are calm (as
// Config.Spin's default decides). The Go worker has no such setting: its
// runtime looks for work a little before its threads sleep.
const EnvWorkerSpin = "TSP_WORKER_SPIN_NS"

// Config.Spin's default polls while the CPU pressure (Linux's "some
// avg10", a percentage) is under calmPressure, read at most every
// pressureEvery.
const (
	calmPressure  = 25.0
	pressureEvery = 250 * time.Millisecond
)

// spin is how long the next answer may be polled for (Config.Spin).
func (c Config) spin() time.Duration {
	switch {
	case c.Spin > 0:
		return c.Spin
	case c.Spin < 0 || !cpusCalm():
		return 0
	}
	return DefaultSpin
}

func (c Config) grace() time.Duration {
	if c.Grace > 0 {
		return c.Grace
	}
	return DefaultGrace
}

// graceFor is the grace period of a solve of q (Config.Grace).
func (c Config) graceFor(q *request) time.Duration {
	g := c.grace()
	if b := int64(len(q.matrix)) * 8; b > 16<<20 {
		g += time.Duration(b>>26) * time.Second
	}
	return g
}

func (c Config) startTimeout() time.Duration {
	if c.StartTimeout > 0 {
		return c.StartTimeout
	}
	return DefaultStartTimeout
}

// ErrWorker is wrapped by every error about a worker process: it would not
// start, it died, it was killed, it broke the protocol.
var ErrWorker = errors.New("proc: worker failed")

// worker is one worker process and the parent's ends of its pipes.
type worker struct {
	cfg Config
	cmd *exec.Cmd
	in  *os.File // its standard input
	out *os.File // its standard output
	sr  *spinReader
	br  *bufio.Reader // on sr
	// Polling for answers (Config.Spin, armSpin): spun is the polling
	// time allowed for the last answer, which came at lastAnswer; slow
	// means that it took over twice spun.
	slow       bool
	spun       time.Duration
	lastAnswer time.Time
	stderr     *tail
	hello      Hello
	nextID     uint64
	wbuf       []byte

	wmu    sync.Mutex // serialises writes to in
	exited chan struct{}
	err    error // how it exited, once exited is closed
	broken bool  // killed, exited or out of step: never use it again
	killed bool  // by us
	// grace is the current solve's grace period (Config.graceFor), set
	// before its cancel can be sent; 0 outside a solve.
	grace time.Duration
}

// graceNow is the grace period of the solve in flight, or Config's.
func (w *worker) graceNow() time.Duration {
	if w.grace > 0 {
		return w.grace
	}
	return w.cfg.grace()
}

// start starts a worker and reads its hello.
func start(cfg Config) (*worker, error) {
	inR, inW, err := os.Pipe()
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrWorker, err)
	}
	outR, outW, err := os.Pipe()
	if err != nil {
		inR.Close()
		inW.Close()
		return nil, fmt.Errorf("%w: %v", ErrWorker, err)
	}
	growPipe(inW)
	growPipe(outR)
	w := &worker{cfg: cfg, in: inW, out: outR, stderr: &tail{}, exited: make(chan struct{})}
	w.cmd = exec.Command(cfg.Path, cfg.Args...)
	w.cmd.Stdin, w.cmd.Stdout, w.cmd.Stderr = inR, outW, w.stderr
	if len(cfg.Env) > 0 {
		w.cmd.Env = append(os.Environ(), cfg.Env...)
	}
	err = w.cmd.Start()
	inR.Close()
	outW.Close()
	if err != nil {
		inW.Close()
		outR.Close()
		return nil, fmt.Errorf("%w: starting %s: %v", ErrWorker, cfg.Path, err)
	}
	go func() {
		w.err = w.cmd.Wait()
		close(w.exited)
	}()
	w.sr = newSpinReader(w.out)
	w.br = bufio.NewReaderSize(w.sr, 4096)
	w.out.SetReadDeadline(time.Now().Add(cfg.startTimeout()))
	f, err := readParentFrame(w.br, 0, nil)
	w.out.SetReadDeadline(time.Time{})
	if err == io.EOF {
		err = errors.New("it ended its output before a hello: not a tsp worker")
		// A worker that exits 69 (EX_UNAVAILABLE) before its hello says
		// that what it needs is missing here (a Python worker without
		// Cython): the backend is unavailable, not broken.
		select {
		case <-w.exited:
			var ee *exec.ExitError
			if errors.As(w.err, &ee) && ee.ExitCode() == exitUnavailable {
				err = fmt.Errorf("%w: it exited %d (EX_UNAVAILABLE) before its hello", tsp.ErrUnavailable, exitUnavailable)
			}
		case <-time.After(time.Second):
		}
	}
	if err == nil && f.typ != frameHello {
		err = fmt.Errorf("%w: its first frame is %q, not a hello", ErrProtocol, f.typ)
	}
	if err == nil {
		switch h := f.hello; {
		case h.Version < MinVersion || h.Version > Version:
			err = fmt.Errorf("%w: it speaks protocol version %d, this program %d to %d", ErrProtocol, h.Version, MinVersion, Version)
		case h.ABI != abi.Version:
			err = fmt.Errorf("%w: its kernel has ABI version %d, this program %d", ErrProtocol, h.ABI, abi.Version)
		case h.MaxCities < 1 || h.MaxCities > MaxCities:
			err = fmt.Errorf("%w: it takes up to %d cities, want 1 to %d", ErrProtocol, h.MaxCities, MaxCities)
		}
		w.hello = f.hello
	}
	if err != nil {
		return nil, w.fail("starting "+cfg.Path, err)
	}
	return w, nil
}

// exitUnavailable is EX_UNAVAILABLE of sysexits.h: a worker exits with it,
// before its hello, when something it needs is missing.
const exitUnavailable = 69

// fail kills w (if it still runs), waits for it, and returns err with what
// is known of its end.
func (w *worker) fail(what string, err error) error {
	w.kill()
	extra := ""
	if w.err != nil && !w.killed {
		extra += fmt.Sprintf("; its end: %v", w.err)
	}
	if s := w.stderr.firstLine(200); s != "" {
		extra += "; its stderr: " + s
	}
	return fmt.Errorf("%w: %s: %w%s", ErrWorker, what, err, extra)
}

// kill ends w at once and waits for it.
func (w *worker) kill() {
	select {
	case <-w.exited:
	default:
		// Died already, or about to: give a process that crashed a moment
		// to be reaped so that its own signal is reported, not ours.
		select {
		case <-w.exited:
		case <-time.After(time.Millisecond):
			w.killed = true
			w.cmd.Process.Kill()
			<-w.exited
		}
	}
	w.broken = true
	w.in.Close()
	w.out.Close()
}

// abandon kills w without waiting for its end, which takes a process that
// has read hundreds of MB of a matrix 10-20 ms here (the goroutine that
// waits for it reaps it).
func (w *worker) abandon() {
	w.killed = true
	w.cmd.Process.Kill()
	w.broken = true
	w.in.Close()
	w.out.Close()
}

// close ends w politely: the end of its input makes it exit. It is killed
// when it does not exit within its grace.
func (w *worker) close() {
	w.in.Close()
	select {
	case <-w.exited:
	case <-time.After(w.cfg.grace()):
		w.cmd.Process.Kill()
		<-w.exited
	}
	w.broken = true
	w.out.Close()
}

// ping sends an empty request and waits for its answer.
func (w *worker) ping(x int32) (int32, error) {
	w.nextID++
	id := w.nextID
	w.wbuf = appendPing(w.wbuf[:0], framePing, id, x)
	if _, err := w.in.Write(w.wbuf); err != nil {
		return 0, w.fail("sending a ping", err)
	}
	t0 := w.armSpin()
	f, err := readParentFrame(w.br, 0, nil)
	w.answered(t0)
	if err == nil && (f.typ != framePong || f.id != id) {
		err = fmt.Errorf("%w: a %q frame for %d in answer to ping %d", ErrProtocol, f.typ, f.id, id)
	}
	if err != nil {
		return 0, w.fail("waiting for a pong", err)
	}
	return f.x, nil
}

// solve sends q and reads its result into res (res.order must have room for
// q.n cities). When ctx ends first, it sends a cancel and waits for the
// result at most the grace period; then it kills the worker. When ctx ends
// before a large request (abandonValues) is all written, it returns errAbandoned, the
// worker killed (or, when nothing was sent, kept). Any other error leaves
// the worker broken (killed).
func (w *worker) solve(ctx context.Context, q *request, res *result) error {
	w.nextID++
	q.id = w.nextID
	grace := w.cfg.graceFor(q)
	w.grace = grace
	defer func() { w.grace = 0 }()
	// The context's end sends a cancel once the request is written. While a
	// large request (abandonValues) is being written, it abandons the
	// request instead: the
	// write stops (its deadline is now), the worker is killed, since its
	// input ends inside a frame, and the solve answers as a kernel
	// stopped before it started (errAbandoned): at 10,000 cities the rest
	// of the matrix took seconds to send, which the deadline waited for.
	var mu sync.Mutex
	written, cancelled := false, ctx.Err() != nil
	fdone := make(chan struct{})
	stop := context.AfterFunc(ctx, func() {
		defer close(fdone)
		mu.Lock()
		cancelled = true
		send := written
		mu.Unlock()
		switch {
		case send:
			w.sendCancel(q.id)
		case q.abandonable():
			w.in.SetWriteDeadline(time.Now()) // abandoned
		default:
			// A smaller request goes out whole, cancelled or not; each
			// chunk within the grace period.
			w.in.SetWriteDeadline(time.Now().Add(grace))
		}
	})
	defer func() {
		if !stop() {
			<-fdone
			if !w.broken {
				w.out.SetReadDeadline(time.Time{})
				w.in.SetWriteDeadline(time.Time{})
			}
		}
	}()
	mu.Lock()
	q.cancelled = cancelled
	mu.Unlock()
	if w.hello.Version < 2 {
		q.progress = nil // a version 1 worker has no progress frames
	}
	if q.pts != nil && w.hello.Version < pointsVersion {
		return errNoPoints(w.hello.Version) // not sent: the worker stays usable
	}
	if q.pts != nil && w.hello.Version < pointsProgressVersion {
		q.progress = nil // a version 4 worker has no progress on coordinates
	}
	q.oneWay = q.progress != nil && w.hello.Version >= VersionOneWay && !w.cfg.ProgressWait
	if q.cancelled && q.abandonable() {
		return errAbandoned // not sent: the worker stays usable
	}
	isCancelled := func() bool {
		mu.Lock()
		defer mu.Unlock()
		return cancelled
	}
	err := w.writeRequest(q, isCancelled)
	if err != nil && (errors.Is(err, errAbandoned) || errors.Is(err, os.ErrDeadlineExceeded) && q.abandonable() && isCancelled()) {
		w.abandon()
		return errAbandoned
	}
	if err != nil {
		return w.fail("sending the request", w.why(ctx, err))
	}
	mu.Lock()
	written = true
	late := cancelled && !q.cancelled // the context ended while the request was written
	mu.Unlock()
	if late {
		w.sendCancel(q.id)
	} else if q.cancelled {
		// The request went out already cancelled (the context ended while
		// the pool started this worker): no cancel frame follows, but the
		// worker has its grace period to answer all the same.
		w.out.SetReadDeadline(time.Now().Add(grace))
	}
	var t0 time.Time
	if !late && !q.cancelled {
		t0 = w.armSpin()
	}
	f, err := readParentFrame(w.br, int(q.n), res.order)
	w.answered(t0)
	stopSent := false
	for err == nil && f.typ == frameProgress && q.progress != nil && f.id == q.id && len(f.prog.order) == int(q.n) {
		stop := int32(0)
		if !stopSent {
			stop = q.progress(f.prog.event, f.prog.length, f.prog.bound, f.prog.nodes, f.prog.order)
		}
		if q.oneWay {
			// Version 3: the worker went on; a stop is a cancel frame,
			// sent once, and the frames already on their way are read
			// without a call.
			if stop != 0 && !stopSent {
				stopSent = true
				w.sendCancel(q.id)
			}
		} else {
			// The worker waits for the answer: say whether to stop.
			w.wmu.Lock()
			_, err = w.in.Write(appendAnswer(nil, q.id, stop))
			w.wmu.Unlock()
			if err != nil {
				return w.fail("answering a progress frame", w.why(ctx, err))
			}
		}
		f, err = readParentFrame(w.br, int(q.n), res.order)
	}
	if stopSent && err == nil {
		// The answer came within the grace period of the callback's
		// cancel: clear its deadlines, or the worker's next request (in a
		// pool) fails once they pass.
		w.out.SetReadDeadline(time.Time{})
		w.in.SetWriteDeadline(time.Time{})
	}
	switch {
	case err != nil:
		return w.fail("waiting for the result", w.why(ctx, err))
	case f.typ == frameError:
		return w.fail("solving", f.err)
	case f.typ != frameResult || f.id != q.id:
		return w.fail("waiting for the result", fmt.Errorf("%w: a %q frame for request %d, want the result of %d", ErrProtocol, f.typ, f.id, q.id))
	}
	*res = f.res
	return nil
}

// armSpin lets the read of the answer to a request just written poll the
// pipe (Config.Spin), unless the worker's last answer was slow or came
// more than spinRecent ago, and returns the time to give answered (zero
// when Config.Spin rules polling out).
func (w *worker) armSpin() time.Time {
	d := w.cfg.spin()
	if d <= 0 {
		return time.Time{}
	}
	now := time.Now()
	if !w.slow && now.Sub(w.lastAnswer) <= spinRecent {
		w.sr.arm(d)
	}
	w.spun = d
	return now
}

// spinRecent: a request that comes longer than this after the worker's
// last answer is not polled for. The worker has gone to sleep by then, and
// its own wake-up comes before its answer: polling gained nothing on
// solves 2 ms apart (BenchmarkOverheadAlone) and cost some 10 µs.
const spinRecent = time.Millisecond

// answered notes when the answer to a request written at t0 came and how
// long it took (nothing when t0 is zero).
func (w *worker) answered(t0 time.Time) {
	if !t0.IsZero() {
		w.lastAnswer = time.Now()
		w.slow = w.lastAnswer.Sub(t0) > 2*w.spun
	}
}

// sendCancel sends a cancel for id and gives the worker its grace period
// to answer.
func (w *worker) sendCancel(id uint64) {
	d := time.Now().Add(w.graceNow())
	w.out.SetReadDeadline(d)
	w.in.SetWriteDeadline(d)
	w.wmu.Lock()
	w.in.Write(appendCancel(nil, id)) // an error shows in the read
	w.wmu.Unlock()
}

// why explains a failed read or write: the grace period ran out, or the
// worker is gone.
func (w *worker) why(ctx context.Context, err error) error {
	if errors.Is(err, os.ErrDeadlineExceeded) {
		return fmt.Errorf("no answer within %v of the cancel (%w); killed it", w.graceNow(), context.Cause(ctx))
	}
	if err.Error() == "EOF" || errors.Is(err, os.ErrClosed) || strings.Contains(err.Error(), "broken pipe") {
		select {
		case <-w.exited:
		case <-time.After(w.cfg.grace()):
		}
		if w.err != nil {
			return errors.New("the worker died")
		}
		return fmt.Errorf("the worker closed its output (%v)", err)
	}
	return err
}

// errAbandoned: the solve's context ended before its request was all
// written; the request was not sent, or the worker was killed mid-frame.
var errAbandoned = errors.New("proc: the request was abandoned at the deadline")

// smallValues is the most float64 values a request sends in one write (a
// matrix of 128 cities; 128 KiB, within the pipe's buffer); larger ones go
// in chunks.
const smallValues = 1 << 14

// abandonValues: a request of more float64 values than this (16 MiB: a
// matrix of more than 1,448 cities, more than a million points) is
// abandoned when its context ends before it is all written. A smaller one
// is written whole, in some 5-15 ms here, and the worker answers its
// cancel: killing it would cost more (a Python worker takes 0.3-0.9 s of
// CPU to start again, and a deadline of 1 ms cut a 250-city request).
const abandonValues = 1 << 21

// values is how many float64 values q sends.
func (q *request) values() int {
	if q.pts != nil {
		return 2 * int(q.n)
	}
	return len(q.matrix)
}

// abandonable reports whether q is abandoned at its deadline (abandonValues).
func (q *request) abandonable() bool { return q.values() > abandonValues }

// writeRequest writes q: one write for a small matrix, else the head and
// then the matrix's own bytes in chunks; once cancelled() is true, an
// abandonable request stops before the next chunk with errAbandoned (the
// frame is cut: the caller kills the worker), and each chunk of another
// must be taken within the grace period.
func (w *worker) writeRequest(q *request, cancelled func() bool) error {
	w.wmu.Lock()
	defer w.wmu.Unlock()
	if q.pts != nil {
		return w.writePoints(q, cancelled)
	}
	w.wbuf = appendSolveHead(w.wbuf[:0], q)
	if q.values() <= smallValues {
		for _, v := range q.matrix {
			w.wbuf = le.AppendUint64(w.wbuf, math.Float64bits(v))
		}
		_, err := w.in.Write(w.wbuf)
		return err
	}
	if _, err := w.in.Write(w.wbuf); err != nil {
		return err
	}
	const chunk = 1 << 19 // values: 4 MiB
	for m := q.matrix; len(m) > 0; m = m[min(chunk, len(m)):] {
		if cancelled() {
			if q.abandonable() {
				return errAbandoned
			}
			w.in.SetWriteDeadline(time.Now().Add(w.cfg.grace()))
		}
		if err := writeFloats(w.in, m[:min(chunk, len(m))]); err != nil {
			return err
		}
	}
	return nil
}

// tail keeps the last 4 KiB written to it: a worker's stderr.
type tail struct {
	mu  sync.Mutex
	buf []byte
}

func (t *tail) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf = append(t.buf, p...)
	if len(t.buf) > 4096 {
		t.buf = append(t.buf[:0], t.buf[len(t.buf)-4096:]...)
	}
	return len(p), nil
}

// firstLine is the first non-empty line kept, at most max bytes, valid
// UTF-8 and without control characters.
func (t *tail) firstLine(max int) string {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, l := range strings.Split(string(t.buf), "\n") {
		l = strings.Join(strings.Fields(l), " ")
		if l == "" {
			continue
		}
		if len(l) > max {
			l = l[:max] + "…"
		}
		return strings.Map(func(r rune) rune {
			if r < ' ' || r == 0x7f {
				return ' '
			}
			return r
		}, strings.ToValidUTF8(l, "?"))
	}
	return ""
}
