"""Progress of a search: what Solver.solve(progress=...) calls.

The kernels call a progress function at each shorter tour (and, Exact, at
each higher bound): the pure-Python kernel directly, the libraries through
tsp_solve_progress (native/tsp.h) and one callback of each way into Python
(a ctypes CFUNCTYPE, a CFFI ffi.callback in ABI mode, an extern "Python"
function in API mode), which finds the solve's function by a handle. The
calls are the same on every way, at the same steps of the search, with the
same numbers. Sink turns them into calls of the caller's function with a
Progress, bounds their rate, and keeps an exception from ever reaching C.
"""

import array
import math
import time

from . import _abi

_EVENTS = {_abi.PROGRESS_TOUR: "tour", _abi.PROGRESS_BOUND: "bound"}


class Progress:
    """One report of a search in progress.

    length: the length of the best tour so far, as the kernel summed it
    (never rises from one report to the next; the sum along order, which
    Result.length is, can differ in the last bit); lower_bound: the best proven bound so far (Exact; 0 until one is
    proven; never falls); nodes: search nodes (improving moves) so far;
    elapsed: seconds since solve was called; event: "tour" (a shorter tour)
    or "bound" (a higher bound); algorithm: the algorithm's name; order: the
    best tour so far, in Result.order's form (from start; turned so that
    order[1] < order[-1] unless directed), made when first read (O(n); the
    report itself copies the kernel's tour as bytes only), a new list each
    time; names:
    the cities' names in that order (None for a matrix); gap: how far the
    tour may be from the optimum, (length - lower_bound) / length.
    """

    __slots__ = ("length", "lower_bound", "nodes", "elapsed", "event", "algorithm", "_tour", "_start", "_directed",
                 "_order", "_names")

    def __init__(self, length, lower_bound, nodes, elapsed, event, algorithm, tour, start, directed, names):
        self.length, self.lower_bound, self.nodes, self.elapsed = length, lower_bound, nodes, elapsed
        self.event, self.algorithm = event, algorithm
        self._tour, self._start, self._directed, self._names = tour, start, directed, names
        self._order = None

    @property
    def order(self):
        if self._order is None:
            self._order = canonical(array.array("i", self._tour).tolist(), self._start, self._directed)
        return list(self._order)

    @property
    def names(self):
        if self._names is None:
            return None
        return [self._names[i] for i in self.order]

    @property
    def gap(self):
        """(length - lower_bound) / length: 1 without a bound, 0 for a
        zero-length tour."""
        if not (self.length > 0):
            return 0.0
        return max(0.0, (self.length - self.lower_bound) / self.length)

    def __repr__(self):
        return "Progress(length=%r, lower_bound=%r, nodes=%d, elapsed=%.6f, event=%r, algorithm=%r)" % (
            self.length, self.lower_bound, self.nodes, self.elapsed, self.event, self.algorithm)


def canonical(cycle, start, directed):
    """The kernel's cycle as tsp_solve's order: rotated to start and,
    unless directed, turned so that order[1] < order[n-1]."""
    n = len(cycle)
    s = cycle.index(start) if start in cycle else 0
    out = cycle[s:] + cycle[:s]
    if not directed and n >= 3 and out[1] > out[n - 1]:
        out[1:] = out[:0:-1]
    return out


class Sink:
    """The progress function of one solve (as pure.solve takes it), around
    the caller's fn(Progress) -> bool. A call costs O(1) in Python: the
    kernel's numbers as they are (its lengths strictly fall, its bounds
    strictly rise) and its tour as bytes, turned into an order only when
    the caller reads it. At most one call every interval
    seconds (the first always; later ones that come sooner are skipped,
    and the next one after it reports the state then), a true answer
    stops the search, and an exception in fn is caught, stops the search
    and is kept in error for the caller to raise: it never reaches C.
    Once stopped, fn is not called again."""

    def __init__(self, fn, interval, algorithm, start, directed, names, t0):
        if not callable(fn):
            raise TypeError("progress must be callable, not %s" % type(fn).__name__)
        self.fn, self.interval, self.algorithm = fn, interval or 0.0, algorithm
        self.start, self.directed, self.names, self.t0 = start, directed, names, t0
        self.calls = 0
        self.last = 0.0
        self.length, self.lower = math.inf, 0.0
        self.stopped = False
        self.error = None

    def __call__(self, event, length, bound, nodes, tour):
        if self.stopped or self.error is not None:
            return True
        now = time.perf_counter()
        if self.interval > 0 and self.calls > 0 and now - self.last < self.interval:
            return False
        try:
            lb = min(max(bound, self.lower), length, self.length)  # never down, never above a tour
            self.length, self.lower = min(length, self.length), lb
            self.calls += 1
            self.last = now
            p = Progress(self.length, self.lower, nodes, now - self.t0, _EVENTS.get(event, str(event)),
                         self.algorithm, tour, self.start, self.directed, self.names)
            if self.fn(p):
                self.stopped = True
                return True
            return False
        except BaseException as e:  # never into C: stop, and raise it after the call
            self.error = e
            return True
