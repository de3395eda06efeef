"""Same work everywhere: the pure-Python kernel (interpreted, written for
a JIT (pure_jit.py), and under
CPython compiled by Cython unchanged and typed) and every library through
every way (ctypes, CFFI ABI, CFFI API) return the same status, tour, length
and bound bits and node count as the Go kernel (libtsp_go.so) on the same
matrix."""

import unittest

import sys

from tsp_ffi import _abi, _cffi, _ctypes, _cython, pure, pure_jit
from tests import util

ALL = [_abi.EXHAUSTIVE, _abi.EXACT, _abi.NEAREST, _abi.TWOOPT, _abi.ITERATED]


def bits(result):
    """A solve's result with the floats as their bits (hex), to compare exactly."""
    code, order, length, lb, nodes = result
    if code not in (_abi.OK, _abi.STOPPED):
        return (code,)
    return code, list(order), float(length).hex(), float(lb).hex(), nodes


class TestSame(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        util.need_libs()
        cls.go = _ctypes.Library("go")
        cls.ways = []
        for k in _abi.FILES:
            cls.ways.append(("ctypes/" + k, _ctypes.Library(k)))
        if _cffi.available() or util.CI:
            util.need_cffi()
            for k in _abi.FILES:
                cls.ways.append(("cffi-abi/" + k, _cffi.ABILibrary(k)))
                cls.ways.append(("cffi-api/" + k, _cffi.APILibrary(k)))
        # The pure kernels: (name, module, its cancel flag).
        cls.pure = [("pure Python", pure, pure.Flag), ("pure Python for a JIT", pure_jit, pure.Flag)]
        if sys.implementation.name == "cpython":  # Cython builds CPython modules; PyPy runs pure.py itself
            util.need_cython()
            cy, typed = _cython.load("cython"), _cython.load("cython-typed")
            cls.pure += [("Cython unchanged", cy, pure.Flag), ("Cython typed", typed, typed.Flag)]

    def run_all(self, flat, n, start, alg, cancelled=False, seed=7, budget=20):
        go_flag = self.go.new_flag() if cancelled else None
        if go_flag:
            go_flag.set()
        want = bits(self.go.solve(self.go.matrix_from_flat(flat), n, start, alg, seed, budget, go_flag))
        for name, lib in self.ways:
            flag = lib.new_flag() if cancelled else None
            if flag:
                flag.set()
            got = bits(lib.solve(lib.matrix_from_flat(flat), n, start, alg, seed, budget, flag))
            self.assertEqual(got, want, "%s, alg %#x, cancelled %s" % (name, alg, cancelled))
        for name, mod, new_flag in self.pure:
            flag = new_flag() if cancelled else None
            if flag:
                flag.set()
            got = bits(mod.solve(list(flat), n, start, alg, seed, budget, flag))
            if alg & _abi.ALGORITHM_MASK not in (_abi.EXHAUSTIVE, _abi.NEAREST):
                self.assertEqual(got, (_abi.INVALID,), "%s has no algorithm %#x" % (name, alg))
                continue
            self.assertEqual(got, want, "%s, alg %#x, cancelled %s" % (name, alg, cancelled))
        return want

    def test_libraries_and_pure_python(self):
        solved = 0
        for name, flat, n, start, directed in util.cases(18, list(range(1, 9)) + [9]):
            with self.subTest(name, start=start):
                for alg in ALL:
                    if alg == _abi.EXHAUSTIVE and n == 9 and name.startswith(("int", "dup")):
                        continue  # nine cities cost the pure kernel 0.2 s a solve: two kinds are enough
                    flags = [_abi.DIRECTED, _abi.DIRECTED | _abi.CHECKED] if directed else [0, _abi.CHECKED]
                    for f in flags:
                        r = self.run_all(flat, n, start, alg | f)
                        solved += r[0] == _abi.OK
                    self.run_all(flat, n, start, alg | flags[0], cancelled=True)
        self.assertGreater(solved, 250)

    def test_exhaustive_nodes(self):
        # 1 + (n-1) + (n-1)(n-2) + ... + (n-1)! + (n-1)!: the nodes of dfs.go
        # (the last two terms: the paths missing one city, and the tours).
        flat = util.points_matrix(__import__("random").Random(3), 8, "real")
        r = self.run_all(flat, 8, 0, _abi.EXHAUSTIVE)
        want, term = 1, 1
        for k in range(7, 0, -1):
            term *= k
            want += term
        self.assertEqual(r[4], want)
        self.assertEqual(r[4], 13700)

    def test_bad_input(self):
        nan = float("nan")
        bad = [
            ("asymmetric", [0.0, 1.0, 2.0, 0.0], 2, 0, _abi.EXHAUSTIVE),
            ("negative", [0.0, -1.0, -1.0, 0.0], 2, 0, _abi.NEAREST),
            ("NaN", [0.0, nan, nan, 0.0], 2, 0, _abi.EXHAUSTIVE),
            ("diagonal", [1.0, 1.0, 1.0, 0.0], 2, 0, _abi.NEAREST | _abi.DIRECTED),
            ("start", [0.0, 1.0, 1.0, 0.0], 2, 2, _abi.EXHAUSTIVE),
            ("flag", [0.0, 1.0, 1.0, 0.0], 2, 0, 0x400),
            ("too large", [0.0] * 196, 14, 0, _abi.EXHAUSTIVE),
            ("huge", [0.0, 1e308, 1e308, 0.0], 2, 0, _abi.EXHAUSTIVE),
        ]
        for name, flat, n, start, alg in bad:
            with self.subTest(name):
                want = _abi.TOO_LARGE if name == "too large" else _abi.INVALID
                self.assertEqual(self.run_all(flat, n, start, alg), (want,))


if __name__ == "__main__":
    unittest.main()
