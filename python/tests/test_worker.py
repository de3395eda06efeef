"""The Python worker (python3 -m tsp_ffi.worker) speaks the worker protocol:
hello, solve, ping, cancel, errors, end of input."""

import array
import os
import random
import struct
import subprocess
import sys
import time
import unittest

from tsp_ffi import _abi, _cffi, _cython, pure, worker
from tests import util

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class Proc:
    def __init__(self, *args, env=None):
        e = dict(os.environ)
        e.update(env or {})
        self.p = subprocess.Popen([sys.executable, "-m", "tsp_ffi.worker"] + list(args), cwd=HERE, env=e,
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)

    def send(self, body):
        self.p.stdin.write(struct.pack("<I", len(body)) + body)
        self.p.stdin.flush()

    def frame(self):
        head = self.p.stdout.read(4)
        if len(head) < 4:
            return None
        (n,) = struct.unpack("<I", head)
        return self.p.stdout.read(n)

    def solve(self, req, m, n, start, alg, flags=0, seed=1, budget=10):
        body = b"S" + struct.pack("<QiiiIQq", req, n, start, alg, flags, seed, budget)
        body += struct.pack("<%dd" % (n * n), *m)
        self.send(body)

    def close(self):
        self.p.stdin.close()
        code = self.p.wait(timeout=30)
        self.p.stdout.close()
        self.p.stderr.close()
        return code


def result(body):
    assert body[:1] == b"R", body[:60]
    req, code, n = struct.unpack("<Qii", body[1:17])
    length, lb, nodes, ns = struct.unpack("<ddQQ", body[17:49])
    order = list(struct.unpack("<%di" % n, body[49:])) if n else None
    return req, code, order, length, lb, nodes


class TestWorker(unittest.TestCase):
    def variants(self):
        out = [(("--way", "python"), worker.KERNEL_PYTHON), (("--way", "python-jit"), worker.KERNEL_PYTHON_JIT)]
        if sys.implementation.name == "cpython":  # Cython builds CPython modules
            util.need_cython()
            out += [(("--way", "cython"), worker.KERNEL_PYTHON), (("--way", "cython-typed"), worker.KERNEL_CYTHON_TYPED)]
        util.need_libs()
        for lib in _abi.FILES:
            out.append((("--way", "ctypes", "--library", lib), _abi.KERNELS[lib]))
        if _cffi.available() or util.CI:
            out.append((("--way", "cffi-api", "--library", "go"), _abi.KERNEL_GO))
        return out

    def test_hello_solve_ping(self):
        flat = util.points_matrix(__import__("random").Random(2), 8, "real")
        want = pure.solve(flat, 8, 2, _abi.EXHAUSTIVE)
        for args, kid in self.variants():
            with self.subTest(args):
                w = Proc(*args)
                hello = w.frame()
                self.assertEqual(hello[:5], b"H" + worker.MAGIC)
                self.assertEqual(struct.unpack("<Iiii", hello[5:]), (3, _abi.ABI_VERSION, kid, 10000))
                w.send(b"P" + struct.pack("<Qi", 77, -5))
                self.assertEqual(w.frame(), b"p" + struct.pack("<Qi", 77, -5))
                w.solve(5, flat, 8, 2, _abi.EXHAUSTIVE)
                req, code, order, length, lb, nodes = result(w.frame())
                self.assertEqual((req, code, order, length.hex(), lb.hex(), nodes),
                                 (5, want[0], want[1], want[2].hex(), want[3].hex(), want[4]))
                # The kernel's own refusal is a result, not an error.
                w.solve(6, [0.0, 1.0, 2.0, 0.0], 2, 0, _abi.EXHAUSTIVE)
                self.assertEqual(result(w.frame())[:3], (6, _abi.INVALID, None))
                # TSP_CHECKED from the pipe is not trusted: the kernel checks.
                nan = float("nan")
                w.solve(8, [0.0, nan, -1.0, 1.0, 0.0, 2.0, 3.0, 1.0, 0.0], 3, 0, _abi.NEAREST | _abi.CHECKED)
                self.assertEqual(result(w.frame())[:3], (8, _abi.INVALID, None))
                # Cancelled already: the nearest tour so far, TSP_STOPPED.
                w.solve(7, flat, 8, 0, _abi.EXHAUSTIVE, flags=1)
                self.assertEqual(result(w.frame())[1], _abi.STOPPED)
                self.assertEqual(w.close(), 0)

    def test_cancel(self):
        # Thirteen cities: seconds in C, hours in Python; a ping is answered
        # during the solve, a cancel stops it within a fraction of a second.
        n = 13
        flat = util.points_matrix(__import__("random").Random(4), n, "real")
        for args, _ in self.variants():
            with self.subTest(args):
                w = Proc(*args)
                w.frame()
                w.solve(1, flat, n, 0, _abi.EXHAUSTIVE)
                time.sleep(0.05)
                w.send(b"C" + struct.pack("<Q", 999))  # another id: ignored
                w.send(b"P" + struct.pack("<Qi", 2, 3))
                self.assertEqual(w.frame()[:1], b"p")
                t0 = time.perf_counter()
                w.send(b"C" + struct.pack("<Q", 1))
                req, code, order, length, lb, nodes = result(w.frame())
                self.assertLess(time.perf_counter() - t0, 1.0)
                self.assertEqual((req, code), (1, _abi.STOPPED))
                self.assertEqual(sorted(order), list(range(n)))
                self.assertEqual(w.close(), 0)

    def test_bad_frames(self):
        bad = [
            (b"X", worker.E_MALFORMED),
            (b"P" + b"\0" * 5, worker.E_MALFORMED),
            (b"S" + struct.pack("<QiiiIQq", 1, 0, 0, 0, 0, 0, 0), worker.E_MALFORMED),  # n = 0
            (b"S" + struct.pack("<QiiiIQq", 1, 2, 0, 0, 0, 0, 0) + b"\0" * 8, worker.E_MALFORMED),  # short
            (b"S" + struct.pack("<QiiiIQq", 1, 1, 0, 0, 8, 0, 0) + b"\0" * 8, worker.E_MALFORMED),  # flag bit
            (b"S" + struct.pack("<QiiiIQq", 1, 1, 0, 0, 4, 0, 0) + b"\0" * 8, worker.E_MALFORMED),  # one-way alone
            (b"g" + struct.pack("<Qi", 1, 0), worker.E_MALFORMED),  # an answer to no progress frame
            (b"g" + struct.pack("<Q", 1), worker.E_MALFORMED),  # short
        ]
        for body, code in bad:
            with self.subTest(body[:12]):
                w = Proc()
                w.frame()
                w.send(body)
                e = w.frame()
                self.assertEqual(e[:1], b"E")
                req, got, m = struct.unpack("<QII", e[1:17])
                self.assertEqual(got, code)
                self.assertEqual(len(e), 17 + m)
                self.assertEqual(w.close(), 65)
        # A length over the largest frame: refused before anything is allocated.
        w = Proc()
        w.frame()
        w.p.stdin.write(struct.pack("<I", worker.MAX_FRAME + 1))
        w.p.stdin.flush()
        e = w.frame()
        self.assertEqual(struct.unpack("<QII", e[1:17])[1], worker.E_TOO_LARGE)
        self.assertEqual(w.close(), 65)
        # A second solve while one runs: busy.
        w = Proc()
        w.frame()
        flat = util.points_matrix(__import__("random").Random(4), 13, "real")
        w.solve(1, flat, 13, 0, _abi.EXHAUSTIVE)
        w.solve(2, flat, 13, 0, _abi.EXHAUSTIVE)
        e = w.frame()
        self.assertEqual(struct.unpack("<QII", e[1:17])[:2], (2, worker.E_BUSY))
        self.assertEqual(w.close(), 65)

    def test_random_bytes(self):
        # Random frames, well framed or not: the worker answers with frames
        # (pong, result, error), exits 0 or 65, and never with a traceback.
        rng = random.Random(11)
        for i in range(12):
            w = Proc()
            w.frame()
            data = b""
            for _ in range(rng.randrange(1, 4)):
                body = bytes([rng.choice(b"SCPpRXgG")]) + bytes(rng.randrange(256) for _ in range(rng.randrange(0, 60)))
                if rng.random() < 0.3 and body[:1] == b"S":  # a plausible solve header, n = 1 or 2
                    n = rng.randrange(1, 3)
                    body = b"S" + struct.pack("<QiiiIQq", i, n, rng.randrange(-1, 3), rng.randrange(-1, 0x300),
                                              rng.randrange(4), 1, 1) + bytes(8 * n * n)
                length = len(body) if rng.random() < 0.8 else rng.randrange(0, 100)
                data += struct.pack("<I", length) + body
            try:
                w.p.stdin.write(data)
                w.p.stdin.close()
            except BrokenPipeError:
                pass
            frames = []
            while True:
                f = w.frame()
                if f is None:
                    break
                frames.append(f)
            code = w.p.wait(timeout=30)
            err = w.p.stderr.read()
            w.p.stdout.close()
            w.p.stderr.close()
            self.assertIn(code, (0, 65), (data, frames, err))
            self.assertNotIn(b"Traceback", err)
            for f in frames:
                self.assertIn(f[:1], (b"p", b"R", b"E", b"G"), f)
            if code == 65:
                self.assertEqual(frames[-1][:1], b"E")

    def test_eof_stops_a_solve(self):
        flat = util.points_matrix(__import__("random").Random(4), 13, "real")
        w = Proc()
        w.frame()
        w.solve(1, flat, 13, 0, _abi.EXHAUSTIVE)
        time.sleep(0.05)
        t0 = time.perf_counter()
        self.assertEqual(w.close(), 0)
        self.assertLess(time.perf_counter() - t0, 2.0)


if __name__ == "__main__":
    unittest.main()

def progress_frame(body):
    """(id, event, n, length, bound, nodes, tour) of a G frame."""
    assert body[:1] == b"G", body[:60]
    req, event, n, length, bound, nodes = struct.unpack("<QiiddQ", body[1:41])
    assert len(body) == 41 + 4 * n, (len(body), n)
    return req, event, n, length, bound, nodes, list(struct.unpack("<%di" % n, body[41:]))


class TestWorkerProgress(unittest.TestCase):
    """Protocol version 2: a solve request with flag bit 1 gets a G frame
    for each progress call of the kernel, each waiting for its g answer;
    the calls are the pure kernel's (the same as the Go kernel's: package
    backends' TestPythonProgress), a non-zero answer stops the search."""

    def reference(self, flat, n, start, stop_at=0):
        evs = []

        def record(event, length, bound, nodes, tour):
            evs.append((event, length.hex(), bound.hex(), nodes, list(array.array("i", tour))))
            return len(evs) == stop_at

        return pure.solve(flat, n, start, _abi.EXHAUSTIVE, cancel=pure.Flag(), progress=record), evs

    def run_solve(self, w, req, flat, n, start, stop_at=0):
        w.solve(req, flat, n, start, _abi.EXHAUSTIVE, flags=worker.FLAG_PROGRESS)
        evs = []
        while True:
            f = w.frame()
            if f[:1] != b"G":
                return result(f), evs
            got, event, cnt, length, bound, nodes, tour = progress_frame(f)
            self.assertEqual((got, cnt), (req, n))
            evs.append((event, length.hex(), bound.hex(), nodes, tour))
            w.send(b"g" + struct.pack("<Qi", req, 1 if len(evs) == stop_at else 0))

    def test_progress(self):
        n = 8
        flat = util.points_matrix(random.Random(2), n, "real")
        want, want_evs = self.reference(flat, n, 2)
        # Nine cities for the stop: the search polls every 1024th node with
        # four or more cities to place, twice in all on nine.
        flat9 = util.points_matrix(random.Random(3), 9, "real")
        stopped, stopped_evs = self.reference(flat9, 9, 1, stop_at=2)
        self.assertGreater(len(want_evs), 3)
        self.assertEqual(stopped[0], _abi.STOPPED)
        for args, _ in TestWorker.variants(self):
            with self.subTest(args):
                w = Proc(*args)
                w.frame()
                res, evs = self.run_solve(w, 9, flat, n, 2)
                self.assertEqual(evs, want_evs)
                self.assertEqual(res, (9, want[0], want[1], want[2], want[3], want[4]))
                # A stop in the second answer: the search stops where pure's does.
                res, evs = self.run_solve(w, 10, flat9, 9, 1, stop_at=2)
                self.assertEqual(evs, stopped_evs)
                self.assertEqual(res, (10, stopped[0], stopped[1], stopped[2], stopped[3], stopped[4]))
                # Without the flag, no G frame.
                w.solve(11, flat, n, 2, _abi.EXHAUSTIVE)
                self.assertEqual(result(w.frame())[:3], (11, want[0], want[1]))
                self.assertEqual(w.close(), 0)

    def test_one_way(self):
        # Version 3: with flag bit 2 too, the G frames come without waiting
        # for answers (the same calls), and a stop is a cancel frame.
        n = 8
        flat = util.points_matrix(random.Random(2), n, "real")
        want, want_evs = self.reference(flat, n, 2)
        big = util.points_matrix(random.Random(4), 13, "real")
        for args, _ in TestWorker.variants(self):
            with self.subTest(args):
                w = Proc(*args)
                w.frame()
                w.solve(3, flat, n, 2, _abi.EXHAUSTIVE, flags=worker.FLAG_PROGRESS | worker.FLAG_ONE_WAY)
                evs = []
                f = w.frame()
                while f[:1] == b"G":
                    req, event, cnt, length, bound, nodes, tour = progress_frame(f)
                    evs.append((event, length.hex(), bound.hex(), nodes, tour))
                    f = w.frame()
                self.assertEqual(evs, want_evs)
                self.assertEqual(result(f), (3, want[0], want[1], want[2], want[3], want[4]))
                # A cancel after the first progress frame: stopped, a tour.
                w.solve(4, big, 13, 0, _abi.EXHAUSTIVE, flags=worker.FLAG_PROGRESS | worker.FLAG_ONE_WAY)
                self.assertEqual(w.frame()[:1], b"G")
                w.send(b"C" + struct.pack("<Q", 4))
                f = w.frame()
                while f[:1] == b"G":
                    f = w.frame()
                req, code, order, length, lb, nodes = result(f)
                self.assertEqual((req, code), (4, _abi.STOPPED))
                self.assertEqual(sorted(order), list(range(13)))
                self.assertEqual(w.close(), 0)

    def test_typed_frames_are_pure_frames(self):
        # The typed Cython worker builds its one-way frames in C (Frames,
        # pure_typed.pyx), the pure worker in Python (_progress_frames):
        # byte for byte the same frames, in the same order, none dropped,
        # then the same result, on every shape the node counts depend on
        # (3 and 4 cities, the last three inline, directed), and so when
        # they wait for answers.
        if sys.implementation.name != "cpython":
            self.skipTest("Cython builds CPython modules")
        util.need_cython()
        cases = util.cases(7, (1, 2, 3, 4, 5, 8))
        cases.append(("real n=9", util.points_matrix(random.Random(8), 9, "real"), 9, 4, False))

        def frames(w, flags):
            out = []
            for i, (name, flat, n, start, directed) in enumerate(cases):
                alg = _abi.EXHAUSTIVE | (_abi.DIRECTED if directed else 0)
                w.solve(100 + i, flat, n, start, alg, flags=flags)
                got = []
                f = w.frame()
                while f[:1] == b"G":
                    got.append(f)
                    if not flags & worker.FLAG_ONE_WAY:
                        w.send(b"g" + struct.pack("<Qi", 100 + i, 0))
                    f = w.frame()
                res = result(f)
                out.append((name, got, res[:3] + res[4:]))  # not the time
            return out

        for flags in (worker.FLAG_PROGRESS | worker.FLAG_ONE_WAY, worker.FLAG_PROGRESS):
            with self.subTest(flags=flags):
                pure_w, typed_w = Proc("--way", "python"), Proc("--way", "cython-typed")
                pure_w.frame()
                typed_w.frame()
                want, got = frames(pure_w, flags), frames(typed_w, flags)
                self.assertEqual(pure_w.close(), 0)
                self.assertEqual(typed_w.close(), 0)
                self.assertGreater(sum(len(f) for _, f, _ in want), 3 * len(cases))
                for (name, wf, wr), (_, gf, gr) in zip(want, got):
                    self.assertEqual(gf, wf, name)
                    self.assertEqual(gr, wr, name)

    def test_typed_frames_with_pings(self):
        # Pings answered while the typed worker's search queues its frames
        # in C: each answer writes what is queued first, so the G frames
        # still come all of them, in order, before the result.
        if sys.implementation.name != "cpython":
            self.skipTest("Cython builds CPython modules")
        util.need_cython()
        n = 12
        flat = util.points_matrix(random.Random(9), n, "real")
        typed = _cython.load("cython-typed")
        want = []
        fn = worker._progress_frames(5, n, lambda body: want.append(body))
        want_res = typed.solve(flat, n, 0, _abi.EXHAUSTIVE, progress=fn)
        w = Proc("--way", "cython-typed")
        w.frame()
        w.solve(5, flat, n, 0, _abi.EXHAUSTIVE, flags=worker.FLAG_PROGRESS | worker.FLAG_ONE_WAY)
        for i in range(20):
            w.send(b"P" + struct.pack("<Q", i) + b"ping")
            time.sleep(0.005)
        got, pongs = [], []
        f = w.frame()
        while f[:1] != b"R":
            if f[:1] == b"p":
                pongs.append(struct.unpack("<Q", f[1:9])[0])
            else:
                got.append(f)
            f = w.frame()
        self.assertEqual(got, want)
        self.assertGreater(len(want), 3)
        self.assertEqual(result(f), (5, want_res[0], want_res[1], want_res[2], want_res[3], want_res[4]))
        while len(pongs) < 20:
            pongs.append(struct.unpack("<Q", w.frame()[1:9])[0])
        self.assertEqual(pongs, list(range(20)))
        self.assertEqual(w.close(), 0)

    def test_eof_while_waiting(self):
        # The end of the input while a progress frame waits stops the
        # search: the worker exits 0 at once.
        flat = util.points_matrix(random.Random(4), 13, "real")
        w = Proc()
        w.frame()
        w.solve(1, flat, 13, 0, _abi.EXHAUSTIVE, flags=worker.FLAG_PROGRESS)
        self.assertEqual(w.frame()[:1], b"G")
        t0 = time.perf_counter()
        self.assertEqual(w.close(), 0)
        self.assertLess(time.perf_counter() - t0, 2.0)
