"""The Pythonic API: cities or a matrix in, a Result out."""

import math
import threading
import time
from dataclasses import dataclass, field
from typing import List, Optional

from . import _abi, _cffi, _ctypes, _cython, pure, pure_jit
from .errors import InvalidInput, KernelError, ProgressError, TooLarge, for_code
from .progress import Progress, Sink

#: The ways into a kernel: the pure-Python kernel, as it is and compiled by
#: Cython unchanged and typed, and three ways into a shared library.
WAYS = ("python", "python-jit", "cython", "cython-typed", "ctypes", "cffi-abi", "cffi-api")
#: The ways that run the pure-Python kernel (exhaustive and nearest only).
PURE_WAYS = ("python", "python-jit", "cython", "cython-typed")
#: The libraries: the C, C++ and Go kernels behind tsp.h.
LIBRARIES = ("c", "cpp", "go")


@dataclass
class Result:
    """A solved tour.

    order: the city indices from start, every city once (a round trip:
    back to order[0] at the end); names: the cities' names in that order
    (None for a matrix without names); length: the tour's length in km (or
    the matrix's unit); lower_bound: what is proven (the length when
    optimal, else 0); nodes: search nodes (Exhaustive, Exact) or improving
    moves; status: "optimal", "heuristic", or "stopped" (the deadline ended
    the search: the best tour found so far); elapsed: seconds of the call
    into the kernel (matrix included for cities).
    """

    order: List[int]
    length: float
    lower_bound: float
    nodes: int
    status: str
    algorithm: str
    way: str
    library: Optional[str]
    elapsed: float
    names: Optional[List[str]] = field(default=None)

    @property
    def stopped(self):
        """The deadline stopped the search; the tour is the best so far."""
        return self.status == "stopped"


class Solver:
    """One way into one kernel: Solver("cffi-api", "go"), Solver("python").
    Opening checks the library's ABI version and kernel id. A Solver is safe
    to use from several threads."""

    def __init__(self, way="cffi-api", library="c", path=None):
        if way not in WAYS:
            raise InvalidInput("unknown way %r: want one of %s" % (way, ", ".join(WAYS)))
        self.way = way
        if way in PURE_WAYS:
            self.library = None
            self._k = None
            # The kernel module and its cancel flag: pure.py interpreted or
            # compiled unchanged (whose flag stays the interpreted
            # pure.Flag: polling it enters the interpreter, which lets
            # other threads take the GIL), or the typed module's C flag.
            # python-jit: pure_jit.py, the pure-Python search written for
            # PyPy's JIT (the same steps).
            self._pure = {"python": pure, "python-jit": pure_jit}.get(way) or _cython.load(way)
            self._flag = self._pure.Flag if way == "cython-typed" else pure.Flag
            return
        if library not in LIBRARIES:
            raise InvalidInput("unknown library %r: want one of %s" % (library, ", ".join(LIBRARIES)))
        self.library = library
        cls = {"ctypes": _ctypes.Library, "cffi-abi": _cffi.ABILibrary, "cffi-api": _cffi.APILibrary}[way]
        self._k = cls(library, path)

    def __repr__(self):
        return "Solver(%r, %r)" % (self.way, self.library)

    @property
    def name(self):
        return self.way if self.library is None else "%s/%s" % (self.way, self.library)

    def noop(self, x):
        """The empty call tsp_noop (a Python function for "python")."""
        return x if self._k is None else self._k.noop(x)

    def solve(self, data, algorithm="exhaustive", start=0, deadline=None, directed=False, seed=1, budget=None,
              progress=None, progress_interval=0.0):
        """Solve a round trip.

        data: a list of (name, lat, lon) cities (degrees), or an n×n matrix
        (a list of n rows of n numbers: finite, non-negative, zero diagonal,
        symmetric unless directed). algorithm: "exhaustive" (every order,
        at most 13 cities), "exact", "nearest", "2opt" or "iterated" (the
        pure-Python kernel has exhaustive and nearest). deadline: seconds;
        when they run out, a thread sets the cancel flag that the kernel
        polls, and the result has status "stopped" with the best tour so
        far. directed: the matrix may be asymmetric (exhaustive and nearest
        only). seed, budget: Iterated's random seed and number of kicks (by
        default 10 a city).

        progress: a function called with a Progress (tsp_ffi.progress) each
        time the best tour gets shorter or, with exact, the proven bound
        rises: the same calls on every way, at the same steps of the search
        (exhaustive: each shorter tour; exact: also each higher bound;
        iterated: its first local optimum and each shorter tour; nearest
        and 2opt never call it). It runs on the solving thread, inside the
        kernel's call. Returning True stops the search as a deadline does:
        the result has status "stopped" and the best tour so far.
        progress_interval: seconds; calls that come sooner than it after
        the last one are skipped (0: every improvement). An exception in
        progress never reaches C: it stops the search, and solve raises
        ProgressError from it (its result attribute is the stopped Result).

        Errors raise TSPError subclasses naming the status code:
        InvalidInput (TSP_INVALID), TooLarge (TSP_TOO_LARGE), OutOfMemory,
        KernelError; a library that cannot be used raises LibraryError.
        """
        if algorithm not in _abi.ALGORITHMS:
            raise InvalidInput("unknown algorithm %r: want one of %s" % (algorithm, ", ".join(_abi.ALGORITHMS)))
        alg = _abi.ALGORITHMS[algorithm]
        if self._k is None and alg not in (_abi.EXHAUSTIVE, _abi.NEAREST):
            raise InvalidInput("the pure-Python kernel (%s) has exhaustive and nearest only, not %r"
                               % (self.way, algorithm))
        if deadline is not None and not (deadline >= 0 and math.isfinite(deadline)):
            raise InvalidInput("deadline must be a finite number of seconds >= 0, not %r" % (deadline,))
        if progress is not None and not callable(progress):
            raise InvalidInput("progress must be a function taking a Progress, not %s" % type(progress).__name__)
        if not isinstance(progress_interval, (int, float)) or not (progress_interval >= 0
                                                                   and math.isfinite(progress_interval)):
            raise InvalidInput("progress_interval must be a finite number of seconds >= 0, not %r"
                               % (progress_interval,))
        names, cities, flat, n = _read(data)
        if not isinstance(start, int) or not (0 <= start < n):
            raise InvalidInput("start %r out of range for %d cities" % (start, n))
        if budget is None:
            budget = 10 * n
        if alg == _abi.ITERATED and budget <= 0 and deadline is None:
            raise InvalidInput("iterated without a budget runs until a deadline: give one of them")
        if n > _abi.max_cities(alg):  # before any matrix is made
            raise TooLarge("%d cities, %s takes at most %d" % (n, algorithm, _abi.max_cities(alg)))
        flags = alg | (_abi.DIRECTED if directed else 0)

        k = self._k
        flag = self._flag() if k is None else k.new_flag()
        timer = None
        t0 = time.perf_counter()
        sink = None
        if progress is not None:
            sink = Sink(progress, progress_interval, algorithm, start, directed, names, t0)
        if deadline is not None:
            timer = threading.Timer(deadline, flag.set)
            timer.daemon = True
            timer.start()
        try:
            if cities is not None:
                lats = [c[1] for c in cities]
                lons = [c[2] for c in cities]
                code, m = pure.matrix(lats, lons, cancel=flag) if k is None else k.matrix(lats, lons)
                if code == _abi.STOPPED:  # the deadline came first: the cities in index order
                    return _stopped_cities(self, cities, start, algorithm, time.perf_counter() - t0)
                if code != _abi.OK:
                    raise for_code(code, _matrix_error(cities, code))
            else:
                m = flat if k is None else k.matrix_from_flat(flat)
            if k is None:
                code, order, length, lb, nodes = self._pure.solve(m, n, start, flags, seed, budget, flag,
                                                                  progress=sink)
            else:
                code, order, length, lb, nodes = k.solve(m, n, start, flags, seed, budget,
                                                         flag if deadline is not None else None, progress=sink)
        finally:
            if timer is not None:
                timer.cancel()
        elapsed = time.perf_counter() - t0
        if code not in (_abi.OK, _abi.STOPPED):
            raise for_code(code, "%s refused %d cities with %s from %d" % (self.name, n, algorithm, start))
        if len(order) != n or order[0] != start or sorted(order) != list(range(n)):
            raise KernelError("%s returned %r, not a tour of %d cities from %d" % (self.name, order, n, start))
        if code == _abi.STOPPED:
            status = "stopped"
        elif alg in (_abi.EXHAUSTIVE, _abi.EXACT):
            status = "optimal"
        else:
            status = "heuristic"
        res = Result(order=order, length=length, lower_bound=lb, nodes=nodes, status=status,
                     algorithm=algorithm, way=self.way, library=self.library, elapsed=elapsed,
                     names=None if names is None else [names[i] for i in order])
        if sink is not None and sink.error is not None:
            err = ProgressError("the progress function raised %s: %s; the search stopped"
                                % (type(sink.error).__name__, sink.error))
            err.result = res
            raise err from sink.error
        return res


def _read(data):
    """(names, cities, flat matrix, n) from a list of cities or a matrix."""
    try:
        rows = list(data)
    except TypeError:
        raise InvalidInput("want a list of (name, lat, lon) or an n×n matrix, not %s" % type(data).__name__) from None
    n = len(rows)
    if n == 0:
        raise InvalidInput("no cities")
    if n > _abi.MAX_HEURISTIC:
        raise TooLarge("%d cities, at most %d" % (n, _abi.MAX_HEURISTIC))
    if all(isinstance(r, (tuple, list)) and len(r) == 3 and isinstance(r[0], str) for r in rows):
        cities = []
        for i, (name, lat, lon) in enumerate(rows):
            try:
                cities.append((name, float(lat), float(lon)))
            except (TypeError, ValueError):
                raise InvalidInput("city %d (%r): lat and lon must be numbers" % (i, name)) from None
        return [c[0] for c in cities], cities, None, n
    flat = []
    for i, r in enumerate(rows):
        try:
            r = [float(v) for v in r]
        except (TypeError, ValueError):
            raise InvalidInput("row %d: want %d numbers" % (i, n)) from None
        if len(r) != n:
            raise InvalidInput("row %d has %d numbers, want %d (an n×n matrix)" % (i, len(r), n))
        flat.extend(r)
    return None, None, flat, n


def _stopped_cities(solver, cities, start, algorithm, elapsed):
    """The answer when the deadline ends before the matrix is made (the
    pure-Python way, thousands of cities): the cities in index order from
    start, turned so that order[1] < order[n-1], status "stopped", as the
    Go module's SolveCities answers."""
    n = len(cities)
    order = [(start + i) % n for i in range(n)]
    if n >= 3 and order[1] > order[n - 1]:
        order[1:] = order[:0:-1]
    leg = lambda a, b: pure.haversine(cities[min(a, b)][1], cities[min(a, b)][2],  # noqa: E731
                                      cities[max(a, b)][1], cities[max(a, b)][2])
    length = 0.0
    for i in range(1, n):
        length += leg(order[i - 1], order[i])
    length += leg(order[n - 1], order[0])
    return Result(order=order, length=length, lower_bound=0.0, nodes=0, status="stopped", algorithm=algorithm,
                  way=solver.way, library=solver.library, elapsed=elapsed, names=[cities[i][0] for i in order])


def _matrix_error(cities, code):
    if code == _abi.TOO_LARGE:
        return "%d cities, at most %d" % (len(cities), _abi.MAX_HEURISTIC)
    for name, lat, lon in cities:
        if not (-90 <= lat <= 90) or not (-180 <= lon <= 180):
            return "city %r: latitude %r, longitude %r out of range" % (name, lat, lon)
    return "bad cities"


_solvers = {}
_solvers_lock = threading.Lock()


def solve(data, way="cffi-api", library="c", **kw):
    """Solver(way, library).solve(data, **kw), with the Solver kept for the
    next call. See Solver.solve."""
    key = (way, None if way in PURE_WAYS else library)
    with _solvers_lock:
        s = _solvers.get(key)
        if s is None:
            s = _solvers[key] = Solver(way, library)
    return s.solve(data, **kw)
