"""One progress callback from C into Python, each way: what a kernel pays
at each progress call when a Python function listens (Solver.solve's
progress=). A small C function (the one of the Go module's
loader/testdata/callback.c, compiled here with cc into build_dir()) calls a
tsp_progress_fn k times in one call, as a kernel calls its progress
function; each way passes its own callback and handle, as a solve does:

    ctypes      the one CFUNCTYPE trampoline, the handle looked up in a dict
    cffi-abi    the one ffi.callback, the handle a ffi.new_handle
    cffi-api    the extern "Python" function of the API-mode module (built
                against libtsp_c.so), the handle a ffi.new_handle

each into a function that returns False, with a tour of 100 cities (which
each call copies into a bytes object), and then the same with the API's
whole path (tsp_ffi.progress.Sink: a Progress made and the caller's
function called, the order left unread; every call here reports the same
length, which the Sink would keep as no shorter, so its last length is
forgotten before each). Median of --rounds rounds of k calls, interleaved.

    cd python && python3 -m tsp_ffi.bench_callback
    pypy3 -m tsp_ffi.bench_callback
"""

import argparse
import ctypes
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

from . import _cffi, _ctypes
from .progress import Sink

SOURCE = r"""
#include <stdint.h>
typedef int32_t (*progress_fn)(uint64_t, int32_t, const double *, uint64_t, const int32_t *, int32_t);
int64_t call_progress_n(progress_fn f, uint64_t handle, int64_t k, const int32_t *order, int32_t n) {
    double v[2] = {1, 0};
    int64_t s = 0;
    for (int64_t i = 0; i < k; i++) s += f(handle, 1, v, (uint64_t)i, order, n);
    return s;
}
"""


def build():
    """The shared library of SOURCE, compiled once into build_dir()."""
    out = os.path.join(_cffi.build_dir(), "callback")
    so = os.path.join(out, "libcallback.so")
    if os.path.isfile(so):
        return so
    os.makedirs(out, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix=".build-", dir=out)
    try:
        c = os.path.join(tmp, "callback.c")
        with open(c, "w") as f:
            f.write(SOURCE)
        built = os.path.join(tmp, "libcallback.so")
        subprocess.run([os.environ.get("CC") or "cc", "-shared", "-fPIC", "-O2", c, "-o", built], check=True)
        os.replace(built, so)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return so


def nothing(event, length, bound, nodes, tour):
    return False


class FreshSink(Sink):
    """A Sink that takes every call as a shorter tour."""

    def __call__(self, event, length, bound, nodes, tour):
        self.length = float("inf")
        return Sink.__call__(self, event, length, bound, nodes, tour)


def ways(so, n):
    """(name, run(k)) for each way that is available here."""
    out = []
    cl = ctypes.CDLL(so)
    call = cl.call_progress_n
    call.restype = ctypes.c_int64
    call.argtypes = [_ctypes.PROGRESS_FN, ctypes.c_uint64, ctypes.c_int64, ctypes.POINTER(ctypes.c_int32),
                     ctypes.c_int32]
    order = (ctypes.c_int32 * n)(*range(n))

    def ctypes_way(fn):
        def run(k):
            with _ctypes._handles_lock:
                h = next(_ctypes._handle_ids)
                _ctypes._handles[h] = fn
            try:
                call(_ctypes._trampoline, h, k, order, n)
            finally:
                del _ctypes._handles[h]
        return run

    def sink():
        return FreshSink(lambda p: False, 0, "exhaustive", 0, False, None, time.perf_counter())

    out.append(("ctypes", ctypes_way(nothing)))
    out.append(("ctypes, API path", lambda k: ctypes_way(sink())(k)))
    if _cffi.available():
        for way in ("cffi-abi", "cffi-api"):
            try:
                lib = (_cffi.ABILibrary if way == "cffi-abi" else _cffi.APILibrary)("c")
            except Exception as e:  # no libtsp_c.so, no compiler: say so, measure the rest
                print("%s: unavailable: %s" % (way, e), file=sys.stderr)
                continue
            ffi = _cffi._abi_ffi if _cffi._abi_ffi is not None else _cffi.cffi.FFI()
            cf = _cffi.cffi.FFI()
            cf.cdef("typedef int32_t (*progress_fn)(uint64_t, int32_t, const double *, uint64_t, const int32_t *, "
                    "int32_t); int64_t call_progress_n(progress_fn, uint64_t, int64_t, const int32_t *, int32_t);")
            cc = cf.dlopen(so)
            fp = cf.cast("progress_fn", int(lib.ffi.cast("uintptr_t", lib._progress_fn)))
            corder = cf.new("int32_t[]", list(range(n)))
            del ffi

            def cffi_way(fn, lib=lib, cc=cc, fp=fp, corder=corder):
                def run(k):
                    h = lib.ffi.new_handle(fn)
                    cc.call_progress_n(fp, int(lib.ffi.cast("uintptr_t", h)), k, corder, n)
                return run

            out.append((way, cffi_way(nothing)))
            out.append((way + ", API path", lambda k, w=cffi_way: w(sink())(k)))
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python3 -m tsp_ffi.bench_callback", description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--calls", type=int, default=100000, help="callbacks a round")
    ap.add_argument("-n", type=int, default=100, help="cities in the tour passed")
    args = ap.parse_args(argv)
    so = build()
    ws = ways(so, args.n)
    # For scale: the same function called from Python.
    tour = bytes(4 * args.n)

    def plain(k):
        for i in range(k):
            nothing(1, 1.0, 0.0, i, tour)
    ws.insert(0, ("a Python call (for scale)", plain))
    for _, run in ws:  # warm up (PyPy's JIT, the first callback's setup)
        run(min(args.calls, 10000))
    times = {name: [] for name, _ in ws}
    for _ in range(args.rounds):
        for name, run in ws:
            t0 = time.perf_counter()
            run(args.calls)
            times[name].append((time.perf_counter() - t0) / args.calls)
    try:
        load = "load average %.1f" % os.getloadavg()[0]
    except OSError:
        load = "load average unknown"
    print("%s %s, %d calls a round, median of %d rounds (range), a tour of %d cities; %s" % (
        sys.implementation.name, sys.version.split()[0], args.calls, args.rounds, args.n, load))
    for name, _ in ws:
        t = sorted(times[name])
        print("  %-26s %7.0f ns  (%.0f-%.0f)" % (name, statistics.median(t) * 1e9, t[0] * 1e9, t[-1] * 1e9))


if __name__ == "__main__":
    main()
