"""The story measured: Exhaustive on 9, 10 and 11 of the demo cities in pure
Python (under CPython also compiled by Cython, unchanged and typed) and
through ctypes, CFFI ABI mode and CFFI API mode into each library, and the
cost of one empty call each way. Run it under CPython and under PyPy.

    cd python && python3 -m tsp_ffi.bench                # everything, a few minutes
    python3 -m tsp_ffi.bench --rounds 5 --pure-rounds 1  # more rounds of the libraries
    pypy3 -m tsp_ffi.bench --raw                         # also one line per run, to merge

Every variant runs once per round, the rounds interleaved, and the table shows
the median (and the range) of the rounds. Timings are the whole API call
Solver.solve(cities, algorithm="exhaustive"): the matrix (tsp_matrix, or the
Python haversine) and the search.
"""

import argparse
import os
import statistics
import sys
import timeit

from . import LIBRARIES, Solver, _cffi, _cython

# The first eleven cities of the Go module's Demo11 (demo.go).
DEMO11 = [
    ("new york, ny, usa", 40.734838, -73.990810),
    ("portland, me, usa", 43.657727, -70.254636),
    ("seattle, wa, usa", 47.620410, -122.349368),
    ("san francisco, ca, usa", 37.759936, -122.415058),
    ("denver, co, usa", 39.738150, -104.989576),
    ("austin, tx, usa", 30.265857, -97.741833),
    ("montreal, qc, ca", 45.500507, -73.563048),
    ("vancouver, bc, ca", 49.238556, -123.084775),
    ("anchorage, ak, usa", 61.211629, -149.895041),
    ("toronto, on, ca", 43.646736, -79.384238),
    ("berlin, germany", 52.522564, 13.400369),
]


#: The slow ways, which get --pure-rounds: the pure-Python kernel
#: interpreted by CPython or compiled unchanged.
SLOW = ("python", "cython")


def solvers():
    out = [Solver("python"), Solver("python-jit")]
    if sys.implementation.name == "cpython" and _cython.available():
        out += [Solver("cython"), Solver("cython-typed")]
    ways = ["ctypes"] + (["cffi-abi", "cffi-api"] if _cffi.available() else [])
    for way in ways:
        for lib in LIBRARIES:
            out.append(Solver(way, lib))
    return out


def fmt(t):
    if t >= 1:
        return "%.2f s" % t
    if t >= 1e-3:
        return "%.1f ms" % (t * 1e3)
    return "%.0f µs" % (t * 1e6)


def verdict(t):
    if t <= 1:
        return "within 1 s"
    if t <= 10:
        return "misses 1 s, within 10 s"
    return "misses 10 s"


def empty_calls(ss, rounds, number):
    def plain(x):
        return x

    fns = [("python function", plain)] + [(s.name, s._k.noop) for s in ss if s._k is not None]
    times = {name: [] for name, _ in fns}
    for _ in range(rounds):
        for name, f in fns:
            t = timeit.timeit("f(1)", globals={"f": f}, number=number)
            times[name].append(t / number)
    return [(name, statistics.median(v), min(v), max(v)) for name, v in
            ((name, times[name]) for name, _ in fns)]


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python3 -m tsp_ffi.bench", description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="9,10,11", help="numbers of cities (default 9,10,11)")
    ap.add_argument("--rounds", type=int, default=3, help="rounds of the libraries (default 3)")
    ap.add_argument("--pure-rounds", type=int, default=1, help="rounds of pure Python (default 1)")
    ap.add_argument("--calls", type=int, default=300000, help="empty calls per timing (default 300000)")
    ap.add_argument("--raw", action="store_true", help="also print each run: RAW interpreter way n seconds nodes round R")
    args = ap.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]

    ss = solvers()
    print("Python %s, %s; load average %s" % (sys.version.split()[0], sys.executable,
                                              " ".join("%.2f" % x for x in os.getloadavg())))
    print()
    print("Empty call (tsp_noop), median of %d rounds of %d calls:" % (args.rounds, args.calls))
    print()
    print("| way | per call | range |")
    print("| --- | --- | --- |")
    for name, med, lo, hi in empty_calls(ss, args.rounds, args.calls):
        print("| %s | %.0f ns | %.0f–%.0f ns |" % (name, med * 1e9, lo * 1e9, hi * 1e9))
    print()

    for s in ss:  # warm up: the first call builds or loads what it needs
        s.solve(DEMO11[:5], algorithm="exhaustive")
    times = {(s.name, n): [] for s in ss for n in sizes}
    results = {}
    for r in range(max(args.rounds, args.pure_rounds)):
        for n in sizes:
            for s in ss:
                if s.way in SLOW and r >= args.pure_rounds:
                    continue
                if s.way not in SLOW and r >= args.rounds:
                    continue
                res = s.solve(DEMO11[:n], algorithm="exhaustive")
                times[(s.name, n)].append(res.elapsed)
                if args.raw:
                    print("RAW %s %s %d %.6f %d round %d" % (sys.implementation.name, s.name, n, res.elapsed, res.nodes, r), flush=True)
                results[(s.name, n)] = res
    print("Exhaustive, the first n demo cities, the whole call (median of the rounds; load average %s):"
          % " ".join("%.2f" % x for x in os.getloadavg()))
    print()
    print("| way | " + " | ".join("%d cities" % n for n in sizes) + " | verdict at %d cities |" % sizes[-1])
    print("| --- | " + " | ".join("---" for _ in sizes) + " | --- |")
    for s in ss:
        cells = []
        for n in sizes:
            v = times[(s.name, n)]
            cell = fmt(statistics.median(v))
            if len(v) > 1:
                cell += " (%s–%s)" % (fmt(min(v)), fmt(max(v)))
            cells.append(cell)
        last = statistics.median(times[(s.name, sizes[-1])])
        print("| %s | %s | %s |" % (s.name, " | ".join(cells), verdict(last)))
    print()
    for n in sizes:
        ref = results[("python", n)]
        same = all(results[(s.name, n)].order == ref.order and results[(s.name, n)].nodes == ref.nodes for s in ss)
        print("%d cities: %s nodes, %.3f km, %s" % (n, format(ref.nodes, ","), ref.length,
                                                   "the same tour and nodes on every way" if same
                                                   else "DIFFERENT tours or nodes"))


if __name__ == "__main__":
    main()
