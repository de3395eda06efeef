"""The pure-Python kernel of the original app: exhaustive depth-first search
and nearest neighbour, written as plainly as the original.

It takes the same steps in the same order as the Go kernel (dfs.go,
nearest.go, kernel.go), so that on the same matrix it returns the same tour,
the same length bits and the same node count as every library (a test
checks it): the cities after the start are tried by swapping each into
place and back; a node is every partial path, the root and the complete
tours included; the first shortest tour is kept; every length is summed
leg by leg from the start; the tour is then turned so that
order[1] < order[n-1]. Python's float is the C double and its math module is
the C library's, so the sums and the haversine distances have the C bits.

The Go kernel enumerates the last levels inline for speed; here they are the
plain recursion, which visits and counts the same nodes and adds the same
numbers in the same order (the matrix is symmetric, so d[b][a] is d[a][b]).
Like the Go kernel it polls the cancel flag every 1024th node with at least
four cities still to place (two on a directed matrix).

The matrix is a flat list of n*n floats, row-major, as in tsp_solve.
"""

import array
import math

from . import _abi

MAX_TOUR_LENGTH = math.ldexp(1.0, _abi.MAX_TOUR_LENGTH_LOG2)


def haversine(lat1, lon1, lat2, lon2, r=_abi.EARTH_RADIUS_KM):
    """The great-circle distance in km, operation by operation as in tsp.c."""
    rad = math.pi / 180
    p1 = lat1 * rad
    p2 = lat2 * rad
    dp = (lat2 - lat1) * rad
    dl = (lon2 - lon1) * rad
    s1 = math.sin(dp / 2)
    s2 = math.sin(dl / 2)
    h = s1 * s1 + (math.cos(p1) * math.cos(p2)) * (s2 * s2)
    if h > 1:
        h = 1
    return 2 * r * math.asin(math.sqrt(h))


def matrix(lats, lons, r=_abi.EARTH_RADIUS_KM, cancel=None):
    """tsp_matrix: (code, the n*n haversine matrix, a flat array of
    doubles: 8 bytes a distance, as in C). It polls cancel before each row
    and answers TSP_STOPPED and no matrix when it is set."""
    n = len(lats)
    if n != len(lons) or n < 1:
        return _abi.INVALID, None
    if n > _abi.MAX_HEURISTIC:
        return _abi.TOO_LARGE, None
    if not (r >= 0) or math.isinf(r):
        return _abi.INVALID, None
    for i in range(n):
        if not (-90 <= lats[i] <= 90) or not (-180 <= lons[i] <= 180):
            return _abi.INVALID, None
    d = array.array("d", [0.0]) * (n * n)
    for i in range(n):
        if cancel is not None and cancel.is_set():
            return _abi.STOPPED, None
        for j in range(i + 1, n):
            v = haversine(lats[i], lons[i], lats[j], lons[j], r)
            d[i * n + j] = v
            d[j * n + i] = v
    return _abi.OK, d


class Flag:
    """A cancel flag: set() from any thread; the search polls is_set()."""

    __slots__ = ("value",)

    def __init__(self):
        self.value = 0

    def set(self):
        self.value = 1

    def is_set(self):
        return self.value != 0


def _valid(d, n, directed, cancel):
    """checkDistances: True, False (a bad distance) or None (stopped).
    It polls the flag before each band of 32 rows, as the kernels do."""
    lim = MAX_TOUR_LENGTH / n
    for band in range(0, n, 32):
        if cancel is not None and cancel.is_set():
            return None
        for i in range(band, min(band + 32, n)):
            for j in range(i, n):
                v = d[i * n + j]
                w = d[j * n + i]
                if not (v >= 0) or v > lim or (i == j and v != 0):
                    return False
                if directed:
                    if not (w >= 0) or w > lim:
                        return False
                elif v != w:
                    return False
    return True


def tour_bytes(order):
    """A tour as the progress functions of this package get it: n int32 in
    the machine's order (what tsp_solve_progress's order points to)."""
    return array.array("i", order).tobytes()


def _cycle_length(d, n, order):
    s = 0.0
    for i in range(1, n):
        s += d[order[i - 1] * n + order[i]]
    return s + d[order[n - 1] * n + order[0]]


def exhaustive(d, n, start, cancel=None, directed=False, progress=None):
    """Every order of the cities after start: (order, stopped, nodes).

    progress, if given, is called at each shorter complete tour, as the
    kernels' progress function (tsp.h, tsp_solve_progress) is: with the
    event (TSP_PROGRESS_TOUR), the length, the bound (0: none), the nodes
    as the kernels count them at that call, and the tour (a list, valid
    during the call); a true answer stops the search at the next poll of
    the cancel flag, as the cancel flag does."""
    p = [start] + [c for c in range(n) if c != start]
    best = _cycle_length(d, n, p)  # the first complete tour; ties keep it
    best_p = p[:]
    nodes = 0
    tick = 0
    stopped = False
    halt = False  # progress asked to stop
    # The Go and C kernels try the last places inline, counting a whole
    # subtree's nodes before its tours: 16 below a node with three cities
    # to place (4 with two, at the root of 3 cities). A report gives their
    # count: that of the end of the subtree of three (found from the node
    # with four to place above it, saved in quad) or of the root.
    quad, quad_nodes = None, 0
    root_span = 0 if directed or n < 3 else (5 if n == 3 else 16)

    def report(t):
        nonlocal halt
        at = nodes
        if not directed and n >= 3:
            at = root_span if n <= 4 else quad_nodes + 16 * (quad.index(p[n - 4]) + 1)
        if progress(_abi.PROGRESS_TOUR, t, 0.0, at, tour_bytes(best_p)):
            halt = True

    def visit(k, length):
        # The node p[0..k-1], a path of this length.
        nonlocal best, best_p, nodes, tick, stopped, quad, quad_nodes
        nodes += 1
        prev = p[k - 1]
        if k == n:
            t = length + d[prev * n + start]
            if t < best:
                best = t
                best_p = p[:]
                if progress is not None:
                    report(t)
            return
        left = n - k
        if left >= 4 or (directed and left >= 2):
            tick += 1
            if tick % 1024 == 0 and (halt or cancel is not None and cancel.is_set()):
                stopped = True
                return
            if left == 4 and progress is not None:
                quad, quad_nodes = p[k:], nodes
        for i in range(k, n):
            p[k], p[i] = p[i], p[k]
            visit(k + 1, length + d[prev * n + p[k]])
            p[k], p[i] = p[i], p[k]
            if stopped:
                return

    if progress is not None and progress(_abi.PROGRESS_TOUR, best, 0.0, 0, tour_bytes(best_p)):
        halt = True
    visit(1, 0.0)
    return best_p, stopped, nodes


def nearest(d, n, start, cancel=None):
    """The nearest-neighbour tour from start, ties to the lowest index:
    (order, stopped). Stopped (polled every 64 cities), the cities not yet
    visited follow in index order."""
    order = [start]
    used = [False] * n
    used[start] = True
    cur = start
    for i in range(1, n):
        if i % 64 == 0 and cancel is not None and cancel.is_set():
            order += [j for j in range(n) if not used[j]]
            return order, True
        best = -1
        bd = 0.0
        for j in range(n):
            if not used[j] and (best < 0 or d[cur * n + j] < bd):
                best = j
                bd = d[cur * n + j]
        order.append(best)
        used[best] = True
        cur = best
    return order, False


def solve(d, n, start, algorithm, seed=0, budget=0, cancel=None, progress=None):
    """tsp_solve in Python: (code, order, length, lower_bound, nodes), with
    the checks and status codes of the kernels. Only Exhaustive and Nearest
    are written in Python; the others give TSP_INVALID. progress: as
    tsp_solve_progress's function (see exhaustive), or None."""
    del seed, budget  # Iterated's; not written in Python
    return search(d, n, start, algorithm, cancel, exhaustive, nearest, list, progress)  # a list reads faster


def search(d, n, start, algorithm, cancel, exhaustive, nearest, small, progress=None):
    """solve with the searches given, exhaustive(small(d[:n*n]), n, start,
    cancel, directed, progress) and nearest(d, n, start, cancel): the
    checks, the finish and the codes that the typed Cython kernel shares."""
    if n <= 0 or not (0 <= start < n) or len(d) < n * n:
        return _abi.INVALID, None, 0.0, 0.0, 0
    checked = algorithm & _abi.CHECKED != 0
    directed = algorithm & _abi.DIRECTED != 0
    if algorithm & ~(_abi.ALGORITHM_MASK | _abi.CHECKED | _abi.DIRECTED):
        return _abi.INVALID, None, 0.0, 0.0, 0
    algorithm &= _abi.ALGORITHM_MASK
    if algorithm not in (_abi.EXHAUSTIVE, _abi.NEAREST):
        return _abi.INVALID, None, 0.0, 0.0, 0
    if n > _abi.max_cities(algorithm):
        return _abi.TOO_LARGE, None, 0.0, 0.0, 0
    ok = True if checked else _valid(d, n, directed, cancel)
    if ok is False:
        return _abi.INVALID, None, 0.0, 0.0, 0
    nodes = 0
    if ok is None:  # stopped during the check: the nearest-neighbour tour so far
        algorithm = _abi.NEAREST
    if algorithm == _abi.EXHAUSTIVE:
        order, stopped, nodes = exhaustive(small(d[:n * n]), n, start, cancel, directed, progress)
    else:
        order, stopped = nearest(d, n, start, cancel)
    if ok is None:
        stopped = True
    # finish: start first (it is), turned so that order[1] < order[n-1].
    if not directed and n >= 3 and order[1] > order[n - 1]:
        order[1:] = order[:0:-1]
    length = _cycle_length(d, n, order)
    lb = length if algorithm == _abi.EXHAUSTIVE and not stopped else 0.0
    return (_abi.STOPPED if stopped else _abi.OK), order, length, lb, nodes
