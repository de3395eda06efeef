"""A worker of the worker protocol (docs/protocol.md of the processes
branch, version 1): one kernel in a Python process, driven by a parent over
standard input and output, so that a Go program can run the pure-Python
kernel or a library through ctypes or CFFI in a Python process.

    python3 -m tsp_ffi.worker                        # the pure-Python kernel
    python3 -m tsp_ffi.worker --way cython-typed     # compiled by Cython (built on first use)
    python3 -m tsp_ffi.worker --way ctypes --library c
    pypy3 -m tsp_ffi.worker --way cffi-abi --library c

It writes a hello, then answers each solve request with one tsp_solve call
of its kernel (the pure-Python one, interpreted or compiled by Cython,
answers TSP_INVALID for the algorithms it does not have: Exact, TwoOpt,
Iterated), a ping at once (even during a
solve), and a cancel by setting the running solve's cancel flag. Bad bytes
get an error frame and exit status 65 (71 for no memory and internal
errors); end of input cancels a running solve and exits 0.

The hello's kernel id is the library's tsp_kernel_id() (1 C, 2 C++, 3 Go:
libtsp_go.so), KERNEL_PYTHON (16) for the pure-Python kernel (interpreted,
under any interpreter, or compiled unchanged by Cython) and
KERNEL_CYTHON_TYPED (17) for its typed Cython version.
"""

import argparse
import array
import os
import signal
import struct
import sys
import threading
import time

from . import _abi, api
from .errors import TSPError

PROTOCOL_VERSION = 1
MAGIC = b"TSPW"
MAX_CITIES = _abi.MAX_HEURISTIC
KERNEL_PYTHON = 16
KERNEL_CYTHON_TYPED = 17
MAX_MESSAGE = 1024

HELLO_LEN, SOLVE_HEAD_LEN, CANCEL_LEN, PING_LEN, RESULT_HEAD_LEN, ERROR_HEAD_LEN = 21, 41, 9, 13, 49, 17
E_MALFORMED, E_TOO_LARGE, E_BUSY, E_NO_MEMORY, E_INTERNAL = 1, 2, 3, 4, 5
MAX_FRAME = SOLVE_HEAD_LEN + 8 * MAX_CITIES * MAX_CITIES

_LE = sys.byteorder == "little"


class Fatal(Exception):
    """An error frame to write, then exit."""

    def __init__(self, code, message, req=0):
        super().__init__(message)
        self.code, self.message, self.req = code, message, req


class Worker:
    def __init__(self, solver, kernel_id, inp, out):
        self.solver = solver  # an api.Solver
        self.kernel_id = kernel_id
        self.inp, self.out = inp, out
        self.wlock = threading.Lock()
        self.mu = threading.Lock()
        self.running = None  # (id, flag, thread)
        self.closing = False  # end of input: write nothing more
        self.fault = os.environ.get("TSP_WORKER_FAULT", "")

    def write(self, body):
        with self.wlock:
            self.out.write(struct.pack("<I", len(body)) + body)
            self.out.flush()

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
                    if self.running is not None and self.running[0] == req:
                        self.running[1].set()
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
        if flags & ~1:
            raise Fatal(E_MALFORMED, "unknown flag bits %#x" % (flags & ~1), req)
        with self.mu:
            if self.running is not None:
                raise Fatal(E_BUSY, "a solve request while request %d runs" % self.running[0], req)
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
        if flags & 1:
            flag.set()
        th = threading.Thread(target=self.run, args=(req, m, n, start, alg, seed, budget, flag), daemon=True)
        with self.mu:
            self.running = (req, flag, th)
        th.start()

    def run(self, req, m, n, start, alg, seed, budget, flag):
        try:
            self.inject(seed)
            k = self.solver._k
            t0 = time.perf_counter_ns()
            if k is None:
                code, order, length, lb, nodes = self.solver._pure.solve(m, n, start, alg, seed, budget, flag)
            else:
                code, order, length, lb, nodes = k.solve(m, n, start, alg, seed, budget, flag)
            ns = time.perf_counter_ns() - t0
            ok = code in (_abi.OK, _abi.STOPPED)
            body = b"R" + struct.pack("<Qii", req, code, n if ok else 0)
            body += struct.pack("<ddQQ", length if ok else 0.0, lb if ok else 0.0, nodes if ok else 0, ns)
            if ok:
                body += struct.pack("<%di" % n, *order)
            with self.mu:
                self.running = None
                if self.closing:
                    return
            self.write(body)
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
            running[1].set()
            running[2].join()
        return 0

    def fail(self, err):
        msg = err.message.encode("utf-8", "replace")[:MAX_MESSAGE].decode("utf-8", "ignore").replace("\n", " ")
        mb = msg.encode()
        try:
            self.write(b"E" + struct.pack("<QII", err.req, err.code, len(mb)) + mb)
        except OSError:
            pass
        os._exit(71 if err.code in (E_NO_MEMORY, E_INTERNAL) else 65)


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
        kid = KERNEL_CYTHON_TYPED if args.way == "cython-typed" else KERNEL_PYTHON
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
