"""The Pythonic API: cities or a matrix in, a Result out, errors as
exceptions naming the status code, cancellation by a deadline."""

import os
import tempfile
import time
import unittest

import tsp_ffi
from tsp_ffi import _abi, _cffi
from tests import util

CITIES = [("new york", 40.71, -74.01), ("portland", 45.52, -122.68), ("montreal", 45.50, -73.57),
          ("toronto", 43.65, -79.38), ("austin", 30.27, -97.74), ("denver", 39.74, -104.99),
          ("san francisco", 37.77, -122.42), ("seattle", 47.61, -122.33), ("vancouver", 49.28, -123.12),
          ("anchorage", 61.22, -149.90), ("berlin", 52.52, 13.40)]


def ways():
    out = [("python", None), ("python-jit", None)]
    for way in ("ctypes", "cffi-abi", "cffi-api"):
        if way != "ctypes" and not _cffi.available() and not util.CI:
            continue
        for lib in tsp_ffi.LIBRARIES:
            out.append((way, lib))
    return out


class TestAPI(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        util.need_libs()
        if util.CI:
            util.need_cffi()

    def test_cities(self):
        # Eight cities, every way: the same optimal tour; the C, C++ and
        # pure-Python matrices are the C library's haversine bits, Go's
        # differ from them by at most an ulp or two (Go's math package).
        results = {}
        for way, lib in ways():
            r = tsp_ffi.solve(CITIES[:8], way=way, library=lib)
            results[(way, lib)] = r
            self.assertEqual(r.status, "optimal")
            self.assertFalse(r.stopped)
            self.assertEqual(r.order[0], 0)
            self.assertEqual(sorted(r.order), list(range(8)))
            self.assertEqual(r.names, [CITIES[i][0] for i in r.order])
            self.assertEqual(r.lower_bound, r.length)
            self.assertEqual(r.nodes, 13700)
        ref = results[("python", None)]
        for (way, lib), r in results.items():
            self.assertEqual(r.order, ref.order, (way, lib))
            if lib == "go":
                self.assertAlmostEqual(r.length, ref.length, delta=1e-9 * ref.length)
            else:
                self.assertEqual(r.length.hex(), ref.length.hex(), (way, lib))

    def test_matrix_every_algorithm(self):
        flat = util.points_matrix(__import__("random").Random(5), 12, "real")
        m = util.rows(flat, 12)
        for alg in ("exact", "nearest", "2opt", "iterated"):
            want = None
            for way, lib in ways():
                if way in tsp_ffi.api.PURE_WAYS and alg not in ("exhaustive", "nearest"):
                    with self.assertRaises(tsp_ffi.InvalidInput):
                        tsp_ffi.solve(m, way=way, algorithm=alg)
                    continue
                r = tsp_ffi.solve(m, way=way, library=lib, algorithm=alg, start=3, seed=9, budget=50)
                got = (r.order, r.length.hex(), r.lower_bound.hex(), r.nodes, r.status)
                want = want or got
                self.assertEqual(got, want, (alg, way, lib))
                self.assertIsNone(r.names)
                self.assertEqual(r.order[0], 3)

    def test_directed(self):
        m = [[0, 1, 9, 9], [9, 0, 1, 9], [9, 9, 0, 1], [1, 9, 9, 0]]
        for way, lib in ways():
            r = tsp_ffi.solve(m, way=way, library=lib, directed=True)
            self.assertEqual(r.order, [0, 1, 2, 3])
            self.assertEqual(r.length, 4)
            with self.assertRaises(tsp_ffi.InvalidInput) as cm:
                tsp_ffi.solve(m, way=way, library=lib)  # asymmetric, not directed
            self.assertEqual(cm.exception.code, _abi.INVALID)

    def test_errors_name_the_code(self):
        for way, lib in ways():
            with self.subTest(way=way, lib=lib):
                with self.assertRaises(tsp_ffi.TooLarge) as cm:
                    tsp_ffi.solve([("c%d" % i, i, i) for i in range(14)], way=way, library=lib)
                self.assertEqual(cm.exception.code, 3)
                self.assertIn("TSP_TOO_LARGE (3)", str(cm.exception))
                with self.assertRaises(tsp_ffi.InvalidInput) as cm:
                    tsp_ffi.solve([("a", 91, 0), ("b", 0, 0)], way=way, library=lib)
                self.assertIn("TSP_INVALID (2)", str(cm.exception))
                self.assertIn("'a'", str(cm.exception))
                for bad in ([[0, 1], [1]], [[0, -1], [-1, 0]], [[0, "x"], [1, 0]], [], 5, [[float("nan")]]):
                    with self.assertRaises(tsp_ffi.InvalidInput, msg=repr(bad)):
                        tsp_ffi.solve(bad, way=way, library=lib)
                with self.assertRaises(tsp_ffi.InvalidInput):
                    tsp_ffi.solve(CITIES[:3], way=way, library=lib, start=3)
                with self.assertRaises(tsp_ffi.InvalidInput):
                    tsp_ffi.solve(CITIES[:3], way=way, library=lib, deadline=float("nan"))
                # Iterated without a budget runs until the deadline; without one it is refused.
                if way not in tsp_ffi.api.PURE_WAYS:
                    with self.assertRaises(tsp_ffi.InvalidInput):
                        tsp_ffi.solve(CITIES, way=way, library=lib, algorithm="iterated", budget=0)
        with self.assertRaises(tsp_ffi.InvalidInput):
            tsp_ffi.Solver("rust")
        with self.assertRaises(tsp_ffi.InvalidInput):
            tsp_ffi.Solver("ctypes", "java")
        with self.assertRaises(tsp_ffi.InvalidInput):
            tsp_ffi.solve(CITIES[:3], algorithm="annealing")

    def test_library_errors(self):
        with tempfile.TemporaryDirectory() as d:
            missing = os.path.join(d, "libtsp_c.so")
            with self.assertRaises(tsp_ffi.LibraryError) as cm:
                tsp_ffi.Solver("ctypes", "c", path=missing)
            self.assertIn("libtsp_c.so", str(cm.exception))
            notlib = os.path.join(d, "libtsp_x.so")
            with open(notlib, "w") as f:
                f.write("not a library")
            for way in ("ctypes", "cffi-abi"):
                if way == "cffi-abi" and not _cffi.available():
                    continue
                with self.assertRaises(tsp_ffi.LibraryError):
                    tsp_ffi.Solver(way, "c", path=notlib)
            # The C library opened as "go": the kernel id says otherwise.
            from tsp_ffi import _libs
            with self.assertRaises(tsp_ffi.LibraryError) as cm:
                tsp_ffi.Solver("ctypes", "go", path=_libs.find("c"))
            self.assertIn("tsp_kernel_id() is 1, want 3", str(cm.exception))

    def test_deadline(self):
        # Thirteen cities take seconds in C and hours in Python: the deadline
        # stops every way within a fraction of a second, with a tour.
        cities = [("c%d" % i, (i * 7) % 13, (i * 5) % 11) for i in range(13)]
        for way, lib in ways():
            with self.subTest(way=way, lib=lib):
                t0 = time.perf_counter()
                r = tsp_ffi.solve(cities, way=way, library=lib, deadline=0.05)
                took = time.perf_counter() - t0
                self.assertEqual(r.status, "stopped")
                self.assertTrue(r.stopped)
                self.assertEqual(sorted(r.order), list(range(13)))
                self.assertGreater(r.nodes, 0)
                self.assertEqual(r.lower_bound, 0)
                self.assertLess(took, 1.0)
        for way, lib in ways()[2:]:  # not the pure-Python ones: no Iterated
            r = tsp_ffi.solve(cities, way=way, library=lib, algorithm="iterated",
                              budget=0, deadline=0.05)
            self.assertEqual(r.status, "stopped")

    def test_deadline_before_the_matrix(self):
        # 3,000 cities: the pure-Python matrix alone takes seconds. The
        # deadline ends it (polled every row) and the answer is the cities
        # in index order from start, stopped, as Go's SolveCities answers.
        cities = [("c%d" % i, (i * 7919) % 180 - 90, (i * 104729) % 360 - 180) for i in range(3000)]
        t0 = time.perf_counter()
        r = tsp_ffi.solve(cities, way="python", algorithm="nearest", start=5, deadline=0.02)
        self.assertLess(time.perf_counter() - t0, 1.0)
        self.assertEqual(r.status, "stopped")
        self.assertEqual(r.order[:3], [5, 4, 3])  # turned: order[1] < order[n-1]
        self.assertEqual(sorted(r.order), list(range(3000)))
        self.assertGreater(r.length, 0)
        self.assertEqual(r.nodes, 0)

    def test_too_large_before_any_matrix(self):
        # 10,001 cities, or 14 for Exhaustive: refused before an n×n matrix
        # is allocated (800 MB at 10,000).
        many = [("c", 0.0, 0.0)] * 10001
        for way, lib in ways():
            with self.assertRaises(tsp_ffi.TooLarge) as cm:
                tsp_ffi.solve(many, way=way, library=lib, algorithm="nearest")
            self.assertIn("TSP_TOO_LARGE (3)", str(cm.exception))

    def test_three_libraries_in_one_process(self):
        # Each API-mode module is linked with its own library, and the
        # three export the same names: each must still reach its own.
        if not _cffi.available() and not util.CI:
            self.skipTest("no CFFI")
        ids = {}
        for way in ("ctypes", "cffi-abi", "cffi-api"):
            for lib in tsp_ffi.LIBRARIES:
                s = tsp_ffi.Solver(way, lib)
                ids[(way, lib)] = s._k.kernel_id
                self.assertEqual(s.noop(41), 41)
        for (way, lib), kid in ids.items():
            self.assertEqual(kid, _abi.KERNELS[lib], (way, lib))


if __name__ == "__main__":
    unittest.main()
