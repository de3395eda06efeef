"""A worker of the worker protocol (docs/protocol.md, version 3): one
kernel in a Python process, driven by a parent over standard input and
output, so that a Go program can run the pure-Python kernel or a library
through ctypes or CFFI in a Python process.

    python3 -m tsp_ffi.worker                        # the pure-Python kernel
    python3 -m tsp_ffi.worker --way cython-typed     # compiled by Cython (built on first use)
    pypy3 -m tsp_ffi.worker --way python-jit         # the pure-Python search written for PyPy's JIT
    python3 -m tsp_ffi.worker --way ctypes --library c
    pypy3 -m tsp_ffi.worker --way cffi-abi --library c

It writes a hello, then answers each solve request with one tsp_solve call
of its kernel (the pure-Python one, interpreted or compiled by Cython,
answers TSP_INVALID for the algorithms it does not have: Exact, TwoOpt,
Iterated), a ping at once (even during a
solve), and a cancel by setting the running solve's cancel flag. A solve
request that asks for progress (flag bit 1) gives the kernel a progress
function (the pure kernel's own calls; tsp_solve_progress through a ctypes
or CFFI callback) that sends each call as a G frame: one-way when the
request says so (flag bit 2, version 3: the search goes on at once, and a
stop comes as a cancel frame), else waiting for the parent's g answer,
which may stop the search. Bad bytes
get an error frame and exit status 65 (71 for no memory and internal
errors); end of input cancels a running solve and exits 0.

The hello's kernel id is the library's tsp_kernel_id() (1 C, 2 C++, 3 Go:
libtsp_go.so), KERNEL_PYTHON (16) for the pure-Python kernel (interpreted,
under any interpreter, or compiled unchanged by Cython),
KERNEL_CYTHON_TYPED (17) for its typed Cython version and KERNEL_PYTHON_JIT
(18) for the search written for a JIT (pure_jit.py).
"""

import argparse
import array
import os
import signal
import struct
import sys
import threading
import time

from . import _abi, api, pure
from .errors import TSPError

PROTOCOL_VERSION = 3  # 2: progress frames (G, g); 3: one-way progress frames
MAGIC = b"TSPW"
MAX_CITIES = _abi.MAX_HEURISTIC
KERNEL_PYTHON = 16
KERNEL_CYTHON_TYPED = 17
KERNEL_PYTHON_JIT = 18
MAX_MESSAGE = 1024
# One-way progress frames wait in Worker.pend until the writer thread,
# ticking every WRITER_TICK seconds while a solve runs, or the next frame
# written sends them (in order: every write sends what is pending first);
# past MAX_PENDING bytes the progress call writes them itself. A progress
# call then only builds and queues its frame: writing it in the search's
# thread cost the search 20-1,300 us a call at load 5-6. Only for searches
# that run without the GIL (a library through ctypes or CFFI, the typed
# Cython kernel): a search in Python holds the GIL, so a writer thread
# would take its time from the search anyway (worker-pypy-jit measured
# 1.3-2.4 % with it against 0.2-1.1 % without). The typed Cython kernel
# does not call Python at all: it encodes each frame in C into a Frames
# buffer (pure_typed.pyx) without the GIL, which the writer empties as it
# empties pend (taking the GIL cost that search 6 % at load 5-6).
WRITER_TICK = 0.002
MAX_PENDING = 1 << 20

HELLO_LEN, SOLVE_HEAD_LEN, CANCEL_LEN, PING_LEN, RESULT_HEAD_LEN, ERROR_HEAD_LEN = 21, 41, 9, 13, 49, 17
PROGRESS_HEAD_LEN, ANSWER_LEN = 41, 13
FLAG_CANCELLED, FLAG_PROGRESS, FLAG_ONE_WAY = 1, 2, 4
E_MALFORMED, E_TOO_LARGE, E_BUSY, E_NO_MEMORY, E_INTERNAL = 1, 2, 3, 4, 5
MAX_FRAME = SOLVE_HEAD_LEN + 8 * MAX_CITIES * MAX_CITIES

_LE = sys.byteorder == "little"


class Fatal(Exception):
    """An error frame to write, then exit."""

    def __init__(self, code, message, req=0):
        super().__init__(message)
        self.code, self.message, self.req = code, message, req


class Job:
    """The running solve: its id, cancel flag and thread, and the progress
    frame it waits on (answer: the parent's g, set by the reader)."""

    def __init__(self, req, flag):
        self.req, self.flag, self.thread = req, flag, None
        self.waiting = False  # a G frame is sent and its g not yet read (under Worker.mu)
        self.answered = threading.Event()
        self.stop = 0


class Worker:
    def __init__(self, solver, kernel_id, inp, out):
        self.solver = solver  # an api.Solver
        self.kernel_id = kernel_id
        self.inp, self.out = inp, out
        self.wlock = threading.Lock()
        self.plock = threading.Lock()  # pend and the writer's state
        self.pcv = threading.Condition(self.plock)
        self.pend = bytearray()
        self.ticking = False  # the writer ticks: no need to wake it
        self.solving = False  # a solve with one-way progress runs
        self.writer = None
        self.wfailed = False  # a write failed: the parent is gone
        # the search runs without the GIL: queue one-way frames for the writer
        self.queue_frames = solver._k is not None or solver.way == "cython-typed"
        # the typed Cython kernel's frames class: one-way frames built in C
        self.frames_class = getattr(solver._pure, "Frames", None) if solver.way == "cython-typed" else None
        self.frames = None  # the running solve's Frames (under plock)
        self.mu = threading.Lock()
        self.running = None  # a Job
        self.closing = False  # end of input: write nothing more
        self.fault = os.environ.get("TSP_WORKER_FAULT", "")

    def take_pending(self):
        """The queued frames, and none queued (called under wlock): pend,
        then what the running solve's Frames holds (a solve queues into
        one or the other)."""
        with self.plock:
            pend, self.pend = self.pend, bytearray()
            frames = self.frames
        if frames is not None:
            b = frames.take()
            if b:
                pend += b
        return pend

    def write(self, body):
        """Writes what is pending, then the frame of body."""
        with self.wlock:
            pend = self.take_pending()
            if pend:
                self.out.write(pend)
            self.out.write(struct.pack("<I", len(body)) + body)
            self.out.flush()

    def flush_pending(self):
        with self.wlock:
            pend = self.take_pending()
            if pend:
                try:
                    self.out.write(pend)
                    self.out.flush()
                except (OSError, ValueError):
                    self.wfailed = True
                    with self.plock:
                        if self.frames is not None:
                            self.frames.fail()

    def queue(self, body):
        """Queues a one-way progress frame for the writer thread."""
        with self.plock:
            self.pend += struct.pack("<I", len(body))
            self.pend += body
            self.solving = True
            full = len(self.pend) >= MAX_PENDING
            self.tick()
        if full:
            self.flush_pending()

    def tick(self):
        """Makes the writer tick (under plock): started, or woken for the
        first frame of a solve."""
        if not self.ticking:
            self.ticking = True
            if self.writer is None:
                self.writer = threading.Thread(target=self.write_loop, daemon=True)
                self.writer.start()
            else:
                self.pcv.notify()

    def write_loop(self):
        while True:
            with self.plock:
                while not self.ticking:
                    self.pcv.wait()
            while True:
                self.flush_pending()
                time.sleep(WRITER_TICK)
                with self.plock:
                    if not self.pend and not self.solving:
                        self.ticking = False
                        break

    def read_exact(self, n):
        """n bytes, or None at a clean end of input before the first byte."""
        chunks, got = [], 0
        while got < n:
            b = self.inp.read(min(n - got, 1 << 20))
            if not b:
                if got == 0 and n > 0:
                    return None
                raise Fatal(E_MALFORMED, "a truncated frame: %d of %d bytes" % (got, n))
            chunks.append(b)
            got += len(b)
        return b"".join(chunks)

    def serve(self):
        self.write(b"H" + MAGIC + struct.pack("<Iiii", PROTOCOL_VERSION, _abi.ABI_VERSION, self.kernel_id,
                                              MAX_CITIES))
        while True:
            head = self.read_exact(4)
            if head is None:
                return self.stop_at_eof()
            (length,) = struct.unpack("<I", head)
            if length == 0:
                raise Fatal(E_MALFORMED, "an empty frame")
            if length > MAX_FRAME:
                raise Fatal(E_TOO_LARGE, "a frame of %d bytes, at most %d" % (length, MAX_FRAME))
            t = self.read_exact(1)
            if t is None:
                raise Fatal(E_MALFORMED, "a truncated frame: 0 of %d bytes" % length)
            if t == b"P":
                if length != PING_LEN:
                    raise Fatal(E_MALFORMED, "a ping of %d bytes, want %d" % (length, PING_LEN))
                self.write(b"p" + self.read_exact(PING_LEN - 1))
            elif t == b"C":
                if length != CANCEL_LEN:
                    raise Fatal(E_MALFORMED, "a cancel of %d bytes, want %d" % (length, CANCEL_LEN))
                (req,) = struct.unpack("<Q", self.read_exact(8))
                with self.mu:
                    if self.running is not None and self.running.req == req:
                        self.running.flag.set()
            elif t == b"g":
                if length != ANSWER_LEN:
                    raise Fatal(E_MALFORMED, "a progress answer of %d bytes, want %d" % (length, ANSWER_LEN))
                req, stop = struct.unpack("<Qi", self.read_exact(ANSWER_LEN - 1))
                with self.mu:
                    job = self.running
                    ok = job is not None and job.req == req and job.waiting
                    if ok:
                        job.waiting = False
                        job.stop = stop
                        job.answered.set()
                if not ok:
                    raise Fatal(E_MALFORMED, "an answer to no progress frame of request %d" % req, req)
            elif t == b"S":
                self.solve_request(length)
            else:
                raise Fatal(E_MALFORMED, "unknown frame type %r" % t)

    def solve_request(self, length):
        if length < SOLVE_HEAD_LEN:
            raise Fatal(E_MALFORMED, "a solve request of %d bytes, at least %d" % (length, SOLVE_HEAD_LEN))
        req, n, start, alg, flags, seed, budget = struct.unpack("<QiiiIQq", self.read_exact(SOLVE_HEAD_LEN - 1))
        if not (1 <= n <= MAX_CITIES):
            raise Fatal(E_MALFORMED, "n = %d, want 1 to %d" % (n, MAX_CITIES), req)
        if length != SOLVE_HEAD_LEN + 8 * n * n:
            raise Fatal(E_MALFORMED, "a solve request of %d bytes for n = %d, want %d"
                        % (length, n, SOLVE_HEAD_LEN + 8 * n * n), req)
        known = FLAG_CANCELLED | FLAG_PROGRESS | FLAG_ONE_WAY
        if flags & ~known or flags & (FLAG_PROGRESS | FLAG_ONE_WAY) == FLAG_ONE_WAY:
            raise Fatal(E_MALFORMED, "unknown flag bits %#x" % (flags & ~(FLAG_CANCELLED | FLAG_PROGRESS)), req)
        with self.mu:
            if self.running is not None:
                raise Fatal(E_BUSY, "a solve request while request %d runs" % self.running.req, req)
        try:
            m = array.array("d")
            remaining = 8 * n * n
            while remaining:  # grows as the bytes arrive
                chunk = self.read_exact(min(remaining, 1 << 20))
                if chunk is None:
                    raise Fatal(E_MALFORMED, "a truncated frame", req)
                m.frombytes(chunk)
                remaining -= len(chunk)
        except MemoryError:
            raise Fatal(E_NO_MEMORY, "no memory for %d cities" % n, req) from None
        if not _LE:
            m.byteswap()
        k = self.solver._k
        flag = self.solver._flag() if k is None else k.new_flag()
        if flags & FLAG_CANCELLED:
            flag.set()
        job = Job(req, flag)
        progress = None
        if flags & FLAG_ONE_WAY:
            progress = self.progress_one_way(job, n)
        elif flags & FLAG_PROGRESS:
            progress = self.progress_of(job, n)
        if progress is not None and STALL_FILE and not self.is_frames(progress):
            progress = _stall_timed(progress)  # Frames time themselves
        poll = None if flags & FLAG_CANCELLED else flag  # see run
        job.thread = threading.Thread(target=self.run, args=(req, m, n, start, alg, seed, budget, flag, progress, poll),
                                      daemon=True)
        with self.mu:
            self.running = job
        job.thread.start()

    def progress_of(self, job, n):
        """The progress function of a solve (as pure.solve takes it): each
        call is a G frame, then a wait for the parent's g (non-zero: stop).
        The end of the input or a failed write stops the search; it never
        raises into the kernel."""

        def send(body):
            with self.mu:
                if self.closing:
                    return True
                job.waiting = True
                job.answered.clear()
            self.write(body)
            job.answered.wait()
            return job.stop != 0

        return _progress_frames(job.req, n, send)

    def progress_one_way(self, job, n):
        """The progress function of a one-way request (version 3): each call
        is a G frame, queued for the writer thread (see WRITER_TICK) or,
        for a search in Python, written at once, and
        the search goes on at once; a stop comes as a
        cancel frame, which the reader sets on the job's flag. A failed
        write stops the search."""

        if self.frames_class is not None:
            # Built in C by the typed kernel, queued without the GIL; the
            # writer ticks from the start of the solve (run).
            return self.frames_class(job.req, n, MAX_PENDING, self.flush_pending, bool(STALL_FILE))

        def send(body):
            if not self.queue_frames:
                self.write(body)
                return False
            if self.wfailed:
                return True
            self.queue(body)
            return False

        return _progress_frames(job.req, n, send)

    def is_frames(self, progress):
        return self.frames_class is not None and isinstance(progress, self.frames_class)

    def valid(self, m, n, directed, poll):
        """The kernels' check of a matrix: a worker trusts no bytes on its
        input, and a kernel takes a matrix marked TSP_CHECKED as valid.
        True, False, or None when the flag poll (None: none) stopped it.
        The pure kernel's own check; through a library, a nearest-neighbour
        solve without TSP_CHECKED (the check and O(n^2) more in C, faster
        than the check in Python)."""
        k = self.solver._k
        if k is None:
            return pure._valid(m, n, directed, poll)
        alg = _abi.NEAREST | (_abi.DIRECTED if directed else 0)
        code = k.solve(m, n, 0, alg, 0, 0, poll)[0]
        if code == _abi.STOPPED:
            return None
        return code != _abi.INVALID

    def run(self, req, m, n, start, alg, seed, budget, flag, progress=None, poll=None):
        """Solves one request. A cancel that comes during the check of a
        matrix marked TSP_CHECKED (poll: the flag, None for a request that
        came cancelled) stops the check (since issue 17's twelfth session;
        0.25 s at 1,000 cities in pure Python), and the kernel then runs
        unmarked: its own check, seeing the flag, stops at once, and it
        answers as any kernel stopped before it started. A request that
        came cancelled is checked whole and solved as marked, as the
        other backends solve it."""
        try:
            self.inject(seed)
            k = self.solver._k
            if self.is_frames(progress):
                with self.plock:
                    self.frames = progress
                    self.solving = True
                    self.tick()
            t0 = time.perf_counter_ns()
            ok = True
            if alg & _abi.CHECKED:
                ok = self.valid(m, n, alg & _abi.DIRECTED != 0, poll)
                if ok is None:
                    alg &= ~_abi.CHECKED
            if ok is False:
                code, order, length, lb, nodes = _abi.INVALID, None, 0.0, 0.0, 0
            elif k is None:
                code, order, length, lb, nodes = self.solver._pure.solve(m, n, start, alg, seed, budget, flag,
                                                                         progress=progress)
            else:
                code, order, length, lb, nodes = k.solve(m, n, start, alg, seed, budget, flag, progress=progress)
            ns = time.perf_counter_ns() - t0
            with self.plock:
                self.solving = False  # the writer stops ticking once it has written what is pending
            if STALL_FILE and progress is not None:
                if self.is_frames(progress):
                    _stall[0], _stall[1] = progress.stall()
                _write_stall()
            ok = code in (_abi.OK, _abi.STOPPED)
            body = b"R" + struct.pack("<Qii", req, code, n if ok else 0)
            body += struct.pack("<ddQQ", length if ok else 0.0, lb if ok else 0.0, nodes if ok else 0, ns)
            if ok:
                body += struct.pack("<%di" % n, *order)
            with self.mu:
                self.running = None
                if self.closing:
                    return
            self.write(body)  # after the frames queued
            with self.plock:
                if self.frames is progress:  # not yet the next solve's
                    self.frames = None
        except BaseException as e:  # never a traceback instead of a frame
            self.fail(Fatal(E_INTERNAL, "%s: %s" % (type(e).__name__, e), req))

    def inject(self, seed):
        kind, _, s = self.fault.partition(":")
        if not s or str(seed) != s:
            return
        if kind == "crash":
            os.kill(os.getpid(), signal.SIGSEGV)
        if kind == "hang":
            while True:
                time.sleep(3600)

    def stop_at_eof(self):
        with self.mu:
            running = self.running
            self.closing = True
            if running is not None:
                running.stop = 1  # a progress frame waiting gets no answer now: stop
                running.answered.set()
        if running is not None:
            running.flag.set()
            running.thread.join()
        return 0

    def fail(self, err):
        msg = err.message.encode("utf-8", "replace")[:MAX_MESSAGE].decode("utf-8", "ignore").replace("\n", " ")
        mb = msg.encode()
        try:
            self.write(b"E" + struct.pack("<QII", err.req, err.code, len(mb)) + mb)
        except OSError:
            pass
        os._exit(71 if err.code in (E_NO_MEMORY, E_INTERNAL) else 65)


# TSP_TEST_STALL_FILE (tests only: package proc's BenchmarkProgressPython,
# as for the Go and C workers) names a file where the worker writes, after
# each solve with progress, the time the search spent inside its progress
# calls and their number, as "NANOSECONDS CALLS": what progress costs the
# search, measured from inside the Python function the kernel calls (the
# entry from C through ctypes or CFFI, a few microseconds, is not in it);
# the typed Cython kernel's Frames time the whole call in C themselves.
STALL_FILE = os.environ.get("TSP_TEST_STALL_FILE", "")
_stall = [0, 0]


def _stall_timed(progress):
    def timed(*args):
        t0 = time.perf_counter_ns()
        try:
            return progress(*args)
        finally:
            _stall[0] += time.perf_counter_ns() - t0
            _stall[1] += 1

    return timed


def _write_stall():
    with open(STALL_FILE, "w") as f:
        f.write("%d %d" % (_stall[0], _stall[1]))
    _stall[0] = _stall[1] = 0


def _progress_frames(req, n, send):
    """A progress function (as pure.solve takes it) that makes each call a
    G frame of request req and returns send(frame body): whether to stop.
    Anything that raises stops the search."""
    head = struct.Struct("<QiiddQ")

    def progress(event, length, bound, nodes, tour):
        try:
            if not _LE:
                a = array.array("i", tour)
                a.byteswap()
                tour = a.tobytes()
            return send(b"G" + head.pack(req, event, n, length, bound, nodes) + tour)
        except BaseException:
            return True

    return progress


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python3 -m tsp_ffi.worker", description=__doc__.split("\n\n")[0])
    ap.add_argument("--way", default="python", choices=api.WAYS)
    ap.add_argument("--library", default="c", choices=api.LIBRARIES)
    args = ap.parse_args(argv)
    try:
        solver = api.Solver(args.way, args.library)
    except TSPError as e:  # no library, no Cython, no compiler: said before any hello
        print("tsp_ffi.worker: %s" % e, file=sys.stderr)
        sys.exit(69)  # EX_UNAVAILABLE
    if solver._k is not None:
        kid = solver._k.kernel_id
    else:
        kid = {"cython-typed": KERNEL_CYTHON_TYPED, "python-jit": KERNEL_PYTHON_JIT}.get(args.way, KERNEL_PYTHON)
    w = Worker(solver, kid, sys.stdin.buffer, sys.stdout.buffer)
    sys.stdout = sys.stderr  # nothing but frames on the pipe
    try:
        code = w.serve()
    except Fatal as e:
        w.fail(e)
    except BrokenPipeError:
        os._exit(0)
    except OSError as e:
        print("tsp_ffi.worker: %s" % e, file=sys.stderr)
        os._exit(0)
    sys.exit(code)


if __name__ == "__main__":
    main()
