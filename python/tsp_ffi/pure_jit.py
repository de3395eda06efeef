"""The pure-Python kernel written for a tracing JIT (PyPy): Exhaustive as
the Go kernel (dfs.go) writes it, in plain Python.

pure.py is the original app's search, as plainly as the original: a
closure that recurses once per node and keeps its state in cells. PyPy's
JIT compiles loops well and a deep recursion of small calls badly, so that
search runs only 3x faster under PyPy than under CPython. This module is
what a Python programmer would write for PyPy instead, as pure_typed.pyx is
what one would write for Cython: no closure, the state in one small list,
and the last four places enumerated inline, as the Go and C kernels do:
four children of three cities each, every distance among them read once.

It takes the same steps as every kernel (the same nodes counted, the same
sums in the same order, the same first shortest tour, the cancel flag
polled at the same nodes, the same progress calls with the same node
counts), so it returns the Go kernel's tour, length bits and node count.
Below five cities and on a directed matrix it is pure.py's search (the Go
kernel's plain recursion there too). Nearest and the checks are pure.py's.
"""

from . import _abi, pure

Flag = pure.Flag

# The indices of the search's state list.
_BEST, _NODES, _TICK, _BEST_P, _STOPPED, _CANCEL, _PROGRESS, _HALT = range(8)


def exhaustive(d, n, start, cancel=None, directed=False, progress=None):
    """Every order of the cities after start: (order, stopped, nodes), as
    pure.exhaustive."""
    if directed or n < 5:
        return pure.exhaustive(d, n, start, cancel, directed, progress)
    p = [start] + [c for c in range(n) if c != start]
    best = pure._cycle_length(d, n, p)  # the first complete tour; ties keep it
    st = [best, 0, 0, p[:], False, cancel, progress, False]
    if progress is not None and progress(_abi.PROGRESS_TOUR, best, 0.0, 0, pure.tour_bytes(p)):
        st[_HALT] = True
    _rec(d, n, p, 1, 0.0, st)
    return st[_BEST_P], st[_STOPPED], st[_NODES]


def _improve(st, p, k, t, w, a, b, c):
    # The tour p[0..k-1] w a b c, of length t, is the best so far.
    st[_BEST] = t
    bp = p[:k]
    bp.append(w)
    bp.append(a)
    bp.append(b)
    bp.append(c)
    st[_BEST_P] = bp
    progress = st[_PROGRESS]
    if progress is not None and progress(_abi.PROGRESS_TOUR, t, 0.0, st[_NODES], pure.tour_bytes(bp)):
        st[_HALT] = True


def _six(st, p, k, w, a, b, c, la, lb, lc, dab, dac, dbc, das, dbs, dcs):
    # The six orders of a, b, c after p[0..k-1] w, in the order of the
    # swap-based recursion: abc acb bac bca cba cab. la, lb, lc: the path
    # lengths to a, b, c right after w; das, dbs, dcs: back to the start.
    best = st[_BEST]
    t = ((la + dab) + dbc) + dcs
    if t < best:
        best = t
        _improve(st, p, k, t, w, a, b, c)
    t = ((la + dac) + dbc) + dbs
    if t < best:
        best = t
        _improve(st, p, k, t, w, a, c, b)
    t = ((lb + dab) + dac) + dcs
    if t < best:
        best = t
        _improve(st, p, k, t, w, b, a, c)
    t = ((lb + dbc) + dac) + das
    if t < best:
        best = t
        _improve(st, p, k, t, w, b, c, a)
    t = ((lc + dbc) + dab) + das
    if t < best:
        best = t
        _improve(st, p, k, t, w, c, b, a)
    t = ((lc + dac) + dab) + dbs
    if t < best:
        _improve(st, p, k, t, w, c, a, b)


def _rec(d, n, p, k, length, st):
    # The node p[0..k-1], a path of this length, with at least four cities
    # still to place (n >= 5 and k <= n - 4).
    st[_NODES] += 1
    st[_TICK] += 1
    if st[_TICK] % 1024 == 0:
        cancel = st[_CANCEL]
        if st[_HALT] or (cancel is not None and cancel.is_set()):
            st[_STOPPED] = True
            return
    prev = p[k - 1]
    pn = prev * n
    if n - k > 4:
        for i in range(k, n):
            p[k], p[i] = p[i], p[k]
            _rec(d, n, p, k + 1, length + d[pn + p[k]], st)
            p[k], p[i] = p[i], p[k]
            if st[_STOPPED]:
                return
        return
    # Four cities w x y z to place: each takes place k in the order of the
    # swaps, leaving (x y z), (w y z), (x w z) and (x y w). The matrix is
    # symmetric and every sum starts from +0 and adds non-negative values,
    # so reading d[a*n+b] for d[b*n+a] gives the same bits.
    s = p[0]
    w = p[k]
    x = p[k + 1]
    y = p[k + 2]
    z = p[k + 3]
    wn = w * n
    xn = x * n
    yn = y * n
    dwx = d[wn + x]
    dwy = d[wn + y]
    dwz = d[wn + z]
    dxy = d[xn + y]
    dxz = d[xn + z]
    dyz = d[yn + z]
    dws = d[wn + s]
    dxs = d[xn + s]
    dys = d[yn + s]
    dzs = d[z * n + s]
    # Each child counts itself and its 15 nodes before its tours, as the
    # recursion does.
    st[_NODES] += 16
    l0 = length + d[pn + w]
    _six(st, p, k, w, x, y, z, l0 + dwx, l0 + dwy, l0 + dwz, dxy, dxz, dyz, dxs, dys, dzs)
    st[_NODES] += 16
    l0 = length + d[pn + x]
    _six(st, p, k, x, w, y, z, l0 + dwx, l0 + dxy, l0 + dxz, dwy, dwz, dyz, dws, dys, dzs)
    st[_NODES] += 16
    l0 = length + d[pn + y]
    _six(st, p, k, y, x, w, z, l0 + dxy, l0 + dwy, l0 + dyz, dwx, dxz, dwz, dxs, dws, dzs)
    st[_NODES] += 16
    l0 = length + d[pn + z]
    _six(st, p, k, z, x, y, w, l0 + dxz, l0 + dyz, l0 + dwz, dxy, dwx, dwy, dxs, dys, dws)


def solve(d, n, start, algorithm, seed=0, budget=0, cancel=None, progress=None):
    """tsp_solve in Python, as pure.solve, with this module's Exhaustive."""
    del seed, budget  # Iterated's; not written in Python
    return pure.search(d, n, start, algorithm, cancel, exhaustive, pure.nearest, list, progress)
