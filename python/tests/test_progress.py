"""Progress from every way (Solver.solve(progress=..., progress_interval=...)):
the pure-Python kernel (interpreted, and compiled by Cython both ways)
calls it itself; ctypes, CFFI ABI and CFFI API mode pass a Python callback
into tsp_solve_progress of each library. The same calls everywhere, in
order; the same result with and without; a True answer stops the search;
an exception in the callback never reaches C."""

import random
import re
import struct
import sys
import unittest

import tsp_ffi
from tsp_ffi import _cffi, _cython
from tests import util
from tests.test_api import ways as api_ways


def ways():
    """test_api's ways, and the Cython ones under CPython."""
    out = api_ways()
    if sys.implementation.name == "cpython" and (_cython.available() or util.CI):
        out[1:1] = [("cython", None), ("cython-typed", None)]
    return out


def matrix(n, seed):
    flat = util.points_matrix(random.Random(seed), n, "real")
    return [flat[i * n:(i + 1) * n] for i in range(n)]


def tour_length(m, order):
    s = 0.0
    for i in range(1, len(order)):
        s += m[order[i - 1]][order[i]]
    return s + m[order[-1]][order[0]]


def result_key(r):
    return (r.order, r.length.hex(), r.lower_bound.hex(), r.nodes, r.status)


class TestProgress(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        util.need_libs()
        if util.CI:
            util.need_cffi()

    def record(self, way, lib, m, **kw):
        """The events of one solve, checked for order: lengths never rise,
        bounds never fall, one of them improves at each call, nodes and
        elapsed never go back, every order is a tour from start of that
        length (as the kernel summed it: to within an ulp or two of the
        sum along the order)."""
        evs = []
        start = kw.get("start", 0)

        def on(p):
            if evs:
                last = evs[-1]
                self.assertLessEqual(p.length, last.length)
                self.assertGreaterEqual(p.lower_bound, last.lower_bound)
                self.assertTrue(p.length < last.length or p.lower_bound > last.lower_bound)
                self.assertGreaterEqual(p.nodes, last.nodes)
                self.assertGreaterEqual(p.elapsed, last.elapsed)
            self.assertLessEqual(p.lower_bound, p.length)
            self.assertIn(p.event, ("tour", "bound"))
            order = p.order
            self.assertEqual(order[0], start)
            self.assertEqual(sorted(order), list(range(len(m))))
            self.assertAlmostEqual(tour_length(m, order), p.length, delta=1e-12 * p.length)
            self.assertTrue(0 <= p.gap <= 1)
            evs.append(p)
            return False

        r = tsp_ffi.solve(m, way=way, library=lib, progress=on, **kw)
        return r, [(p.length.hex(), p.lower_bound.hex(), p.nodes, p.order, p.event) for p in evs]

    def test_same_events_everywhere(self):
        # Exhaustive on 9 cities from city 2: every way (the pure kernel
        # included) makes the same calls as the C library, and returns the
        # result it returns without a callback.
        m = matrix(9, 1)
        ref = None
        for way, lib in ways():
            with self.subTest(way=way, library=lib):
                plain = tsp_ffi.solve(m, way=way, library=lib, start=2)
                r, evs = self.record(way, lib, m, start=2)
                self.assertEqual(result_key(r), result_key(plain))
                self.assertGreater(len(evs), 3)
                self.assertAlmostEqual(float.fromhex(evs[-1][0]), r.length, delta=1e-12 * r.length)
                self.assertEqual(evs[-1][3], r.order)
                if ref is None:
                    ref = evs
                self.assertEqual(evs, ref)

    def test_exact_and_iterated(self):
        # The library ways: Exact reports tours and bounds, Iterated its
        # tours; the same on the three libraries and the three ways.
        for alg, n, kw in (("exact", 16, {}), ("iterated", 60, {"seed": 3, "budget": 200})):
            m = matrix(n, 2)
            ref = None
            for way, lib in ways():
                if lib is None:
                    continue
                with self.subTest(algorithm=alg, way=way, library=lib):
                    plain = tsp_ffi.solve(m, way=way, library=lib, algorithm=alg, **kw)
                    r, evs = self.record(way, lib, m, algorithm=alg, **kw)
                    self.assertEqual(result_key(r), result_key(plain))
                    self.assertGreaterEqual(len(evs), 2)
                    if alg == "exact":
                        self.assertIn("bound", [e[4] for e in evs])
                    if ref is None:
                        ref = (evs, result_key(r))
                    self.assertEqual((evs, result_key(r)), ref)

    def test_stop_and_exception(self):
        # True at the second call stops the search at the same step on
        # every way (the next poll of the cancel flag); an exception at the
        # second call stops it at the same step and is raised as
        # ProgressError from it, with the stopped result. Neither is called
        # again.
        m = matrix(10, 4)
        ref = None
        for way, lib in ways():
            with self.subTest(way=way, library=lib):
                calls = []

                def stop(p):
                    calls.append(p)
                    return len(calls) == 2

                r = tsp_ffi.solve(m, way=way, library=lib, progress=stop)
                self.assertEqual(len(calls), 2)
                self.assertEqual(r.status, "stopped")
                self.assertTrue(r.stopped)
                calls.clear()

                def boom(p):
                    calls.append(p)
                    if len(calls) == 2:
                        raise ZeroDivisionError("boom in the callback")
                    return False

                with self.assertRaises(tsp_ffi.ProgressError) as cm:
                    tsp_ffi.solve(m, way=way, library=lib, progress=boom)
                self.assertEqual(len(calls), 2)
                self.assertIsInstance(cm.exception.__cause__, ZeroDivisionError)
                self.assertIn("boom in the callback", str(cm.exception))
                self.assertEqual(result_key(cm.exception.result), result_key(r))
                if ref is None:
                    ref = result_key(r)
                self.assertEqual(result_key(r), ref)

    def test_interval_and_bad_arguments(self):
        m = matrix(9, 1)
        for way, lib in (("python", None), ("ctypes", "c")):
            calls = []
            r = tsp_ffi.solve(m, way=way, library=lib, progress=calls.append, progress_interval=3600)
            self.assertEqual(len(calls), 1)  # the first call only
            self.assertEqual(r.status, "optimal")
            with self.assertRaises(tsp_ffi.InvalidInput):
                tsp_ffi.solve(m, way=way, library=lib, progress=42)
            for bad in (-1, float("nan"), float("inf"), "1"):
                with self.assertRaises(tsp_ffi.InvalidInput):
                    tsp_ffi.solve(m, way=way, library=lib, progress=calls.append, progress_interval=bad)

    def test_cities_names(self):
        # With cities, a Progress names them; with a deadline too.
        cities = [("a", 40.7, -74.0), ("b", 45.5, -122.7), ("c", 45.5, -73.6), ("d", 43.7, -79.4),
                  ("e", 30.3, -97.7), ("f", 39.7, -105.0), ("g", 37.8, -122.4)]
        for way, lib in (("python", None), ("cffi-api", "go")):
            if way == "cffi-api" and not _cffi.available() and not util.CI:
                continue
            seen = []
            r = tsp_ffi.solve(cities, way=way, library=lib, deadline=10, progress=seen.append)
            self.assertEqual(seen[-1].names, r.names)
            self.assertEqual(seen[-1].algorithm, "exhaustive")



class TestBenchCallback(unittest.TestCase):
    def test_runs(self):
        # python3 -m tsp_ffi.bench_callback, briefly: a line for each way.
        import contextlib
        import io
        from tsp_ffi import bench_callback
        util.need_libs()
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            bench_callback.main(["--rounds", "1", "--calls", "200"])
        text = out.getvalue()
        want = ["ctypes", "ctypes, API path"]
        if _cffi.available() or util.CI:
            want += ["cffi-abi", "cffi-abi, API path", "cffi-api", "cffi-api, API path"]
        for name in want:
            self.assertRegex(text, r"\n  %s +\d+ ns" % name.replace("(", r"\("))


if __name__ == "__main__":
    unittest.main()


class TestTypedFrames(unittest.TestCase):
    """The typed Cython kernel's Frames (pure_typed.pyx): the worker's
    one-way progress frames built in C without the GIL, byte for byte the
    frames the worker builds in Python (worker._progress_frames) from the
    pure kernel's calls; full() when the queue is long, fail() and a
    raising full() stop the search."""

    @classmethod
    def setUpClass(cls):
        if sys.implementation.name != "cpython":
            raise unittest.SkipTest("Cython builds CPython modules")
        util.need_cython()
        cls.typed = _cython.load("cython-typed")

    def want(self, req, flat, n, start, alg):
        from tsp_ffi import pure, worker
        got = []
        fn = worker._progress_frames(req, n, lambda body: got.append(struct.pack("<I", len(body)) + body))
        res = pure.solve(flat, n, start, alg, cancel=pure.Flag(), progress=fn)
        return b"".join(got), res

    def test_same_bytes(self):
        from tsp_ffi import _abi
        for name, flat, n, start, directed in util.cases(11, (1, 2, 3, 4, 5, 7, 9)):
            with self.subTest(name):
                alg = _abi.EXHAUSTIVE | (_abi.DIRECTED if directed else 0)
                want, want_res = self.want(2**63 + 5, flat, n, start, alg)
                self.assertTrue(want)
                f = self.typed.Frames(2**63 + 5, n, 1 << 20)
                res = self.typed.solve(flat, n, start, alg, progress=f)
                self.assertEqual(f.take(), want)
                self.assertEqual(res, want_res)
                self.assertEqual(f.take(), b"")
                # Called from Python (pure's search): the same frames.
                f = self.typed.Frames(2**63 + 5, n, 1 << 20, None, True)
                from tsp_ffi import pure
                pure.solve(flat, n, start, alg, cancel=pure.Flag(), progress=f)
                self.assertEqual(f.take(), want)
                self.assertEqual(f.stall()[1], want.count(b"G" + struct.pack("<Q", 2**63 + 5)))

    def test_full_fail_raise(self):
        from tsp_ffi import _abi
        n = 9
        flat = util.points_matrix(random.Random(5), n, "real")
        want, want_res = self.want(7, flat, n, 0, _abi.EXHAUSTIVE)
        frame = 4 + 41 + 4 * n
        self.assertGreater(len(want), 4 * frame)
        # A limit of two frames: full() takes them as they come, in order.
        out = []

        def full():
            out.append(f.take())

        f = self.typed.Frames(7, n, 2 * frame, full)
        res = self.typed.solve(flat, n, 0, _abi.EXHAUSTIVE, progress=f)
        out.append(f.take())
        self.assertEqual(b"".join(out), want)
        self.assertEqual(res, want_res)
        self.assertEqual(max(len(b) for b in out), 2 * frame)
        # fail() in full(): the search stops at its next poll, stopped, a tour.
        for how in ("fail", "raise"):
            with self.subTest(how):
                def stop():
                    if how == "fail":
                        f.fail()
                    else:
                        raise OSError("the pipe is gone")

                f = self.typed.Frames(7, n, frame, stop)
                res = self.typed.solve(flat, n, 0, _abi.EXHAUSTIVE, progress=f)
                self.assertEqual(res[0], _abi.STOPPED)
                self.assertLess(res[4], want_res[4])
                self.assertEqual(sorted(res[1]), list(range(n)))
        # Frames of another n: a clear error, no frame.
        f = self.typed.Frames(7, n + 1, 1 << 20)
        with self.assertRaises(ValueError):
            self.typed.solve(flat, n, 0, _abi.EXHAUSTIVE, progress=f)
        with self.assertRaises(ValueError):
            f(1, 1.0, 0.0, 0, b"\0" * 4 * n)
        self.assertEqual(f.take(), b"")
        for bad in (0, -1, _abi.MAX_HEURISTIC + 1):
            with self.assertRaises(ValueError):
                self.typed.Frames(7, bad, 1 << 20)

    def test_bench_frames_runs(self):
        # python3 -m tsp_ffi.bench_frames, briefly: a line a round, the
        # same frames both ways.
        import io
        from tsp_ffi import bench_frames
        out = io.StringIO()
        bench_frames.main(["--rounds", "2", "--solves", "3", "--cities", "7"], out=out)
        lines = out.getvalue().splitlines()
        self.assertEqual(len(lines), 2, lines)
        for line in lines:
            m = re.search(r"Frames [-+][\d.]+ %, Python function [-+][\d.]+ %; (\d+) and (\d+) frames a solve$", line)
            self.assertTrue(m, line)
            self.assertEqual(m.group(1), m.group(2))
            self.assertGreater(int(m.group(1)), 0)
