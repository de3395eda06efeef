# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True, initializedcheck=False
"""The pure-Python kernel (pure.py) rewritten with C types, as a reader
would write it to make it fast in Cython: the matrix a typed memoryview of
doubles, the search a cdef function on C ints and doubles that runs without
the GIL, the cancel flag a C int read atomically.

It takes the same steps in the same order as pure.py (and so as the Go
kernel): the same swaps, the same node count, the same sums leg by leg in
doubles, the first shortest tour kept, the flag polled every 1024th node
with four or more cities to place. Like the Go kernel (dfs.go) and unlike
pure.py, it tries the six orders of the last three cities inline, without
a call per node; it counts and adds the same. Doubles, not the original's single
precision (sinf/cosf, float): a float sum rounds differently and could
change which of two close tours is the shortest, and every backend must
return the Go kernel's tour and length bits.

Built by tsp_ffi._cython (the "cython-typed" way); the checks, the finish
and the status codes are pure.py's.
"""

from libc.string cimport memcpy
from libc.stdlib cimport malloc, free
from cpython.bytes cimport PyBytes_FromStringAndSize

import array

from tsp_ffi import _abi, pure

cdef extern from *:
    """
    static inline int tsp_flag_load(const int *p) { return __atomic_load_n(p, __ATOMIC_RELAXED); }
    """
    int tsp_flag_load(const int *p) nogil


cdef class Flag:
    """A cancel flag: set() from any thread; the search, which runs
    without the GIL, reads it atomically."""

    cdef int value

    def set(self):
        self.value = 1

    def is_set(self):
        return self.value != 0


cdef struct Search:
    const double *d
    int n
    int start
    bint directed
    int *p
    int *best_p
    double best
    unsigned long long nodes
    unsigned long long tick
    bint stopped
    const int *cancel
    # progress: pure.exhaustive's progress function (NULL: none), a
    # borrowed reference; halt: it asked to stop.
    void *progress
    bint halt


cdef void report(Search *s, double t, unsigned long long nodes) nogil:
    # One call of the progress function, with the GIL (pure.exhaustive's:
    # its answer, true, stops the search at the next poll). The caller's
    # function never raises (the API's and the worker's catch everything);
    # if it did, the exception would be printed and the search go on.
    with gil:
        tour = PyBytes_FromStringAndSize(<char *>s.best_p, s.n * sizeof(int))
        if (<object>s.progress)(_abi.PROGRESS_TOUR, t, 0.0, nodes, tour):
            s.halt = True


cdef inline void offer(Search *s, double t, int k, int a, int b, int c) nogil:
    # The tour p[0..k-1] a b c, of length t, is the best so far if shorter.
    if not t < s.best:
        return
    s.best = t
    memcpy(s.best_p, s.p, k * sizeof(int))
    s.best_p[k] = a
    s.best_p[k + 1] = b
    s.best_p[k + 2] = c
    if s.progress != NULL:
        report(s, t, s.nodes)  # after the 15 nodes of the subtree, as C counts


cdef void visit(Search *s, int k, double length) nogil:
    # The node p[0..k-1], a path of this length.
    cdef int n = s.n
    cdef int prev = s.p[k - 1]
    cdef int i, t, left, a, b, c
    cdef double total, dab, dac, dbc, das, dbs, dcs, la, lb, lc
    cdef const double *d = s.d
    s.nodes += 1
    if k == n:
        total = length + d[prev * n + s.start]
        if total < s.best:
            s.best = total
            memcpy(s.best_p, s.p, n * sizeof(int))
            if s.progress != NULL:
                # At the root of 3 cities the kernels count its 4 nodes
                # below first; elsewhere the recursion counts as they do.
                report(s, total, 5 if n == 3 and not s.directed else s.nodes)
        return
    left = n - k
    if left == 3 and not s.directed:
        # The last three places inline, as the Go kernel does (dfs.go): the
        # 15 nodes below this one counted, the six orders tried in the
        # order of the swaps (abc acb bac bca cba cab), each length summed
        # leg by leg as the recursion sums it. The matrix is symmetric, so
        # d[a][b] serves for d[b][a].
        s.nodes += 15
        a, b, c = s.p[k], s.p[k + 1], s.p[k + 2]
        dab, dac, dbc = d[a * n + b], d[a * n + c], d[b * n + c]
        das, dbs, dcs = d[a * n + s.start], d[b * n + s.start], d[c * n + s.start]
        la = length + d[prev * n + a]
        lb = length + d[prev * n + b]
        lc = length + d[prev * n + c]
        offer(s, ((la + dab) + dbc) + dcs, k, a, b, c)
        offer(s, ((la + dac) + dbc) + dbs, k, a, c, b)
        offer(s, ((lb + dab) + dac) + dcs, k, b, a, c)
        offer(s, ((lb + dbc) + dac) + das, k, b, c, a)
        offer(s, ((lc + dbc) + dab) + das, k, c, b, a)
        offer(s, ((lc + dac) + dab) + dbs, k, c, a, b)
        return
    if left >= 4 or (s.directed and left >= 2):
        s.tick += 1
        if s.tick % 1024 == 0 and (s.halt or tsp_flag_load(s.cancel)):
            s.stopped = True
            return
    for i in range(k, n):
        t = s.p[k]
        s.p[k] = s.p[i]
        s.p[i] = t
        visit(s, k + 1, length + d[prev * n + s.p[k]])
        t = s.p[k]
        s.p[k] = s.p[i]
        s.p[i] = t
        if s.stopped:
            return


cdef double cycle_length(const double *d, int n, const int *order) nogil:
    cdef double s = 0.0
    cdef int i
    for i in range(1, n):
        s += d[order[i - 1] * n + order[i]]
    return s + d[order[n - 1] * n + order[0]]


def exhaustive(const double[::1] d, int n, int start, Flag cancel, bint directed=False, progress=None):
    """Every order of the cities after start: (order, stopped, nodes).
    progress: as pure.exhaustive's (called with the GIL at each shorter
    tour, the same calls)."""
    cdef Search s
    cdef int i, c = 1
    cdef int *buf = <int *>malloc(2 * n * sizeof(int))
    if buf == NULL:
        raise MemoryError()
    try:
        s.d, s.n, s.start, s.directed = &d[0], n, start, directed
        s.p, s.best_p = buf, buf + n
        s.p[0] = start
        for i in range(n):
            if i != start:
                s.p[c] = i
                c += 1
        s.best = cycle_length(s.d, n, s.p)  # the first complete tour; ties keep it
        memcpy(s.best_p, s.p, n * sizeof(int))
        s.nodes, s.tick, s.stopped, s.cancel = 0, 0, False, &cancel.value
        s.progress, s.halt = NULL, False
        if progress is not None:
            s.progress = <void *>progress  # borrowed: progress outlives the search
            report(&s, s.best, 0)
        with nogil:
            visit(&s, 1, 0.0)
        return [s.best_p[i] for i in range(n)], bool(s.stopped), s.nodes
    finally:
        free(buf)


def nearest(d, int n, int start, Flag cancel):
    """The nearest-neighbour tour from start, ties to the lowest index:
    (order, stopped), as pure.nearest."""
    cdef const double[::1] m = _doubles(d)
    cdef int i, j, best, cur = start
    cdef double bd
    cdef bint stopped = False
    cdef int *order = <int *>malloc(n * sizeof(int))
    cdef char *used = <char *>malloc(n)
    if order == NULL or used == NULL:
        free(order)
        free(used)
        raise MemoryError()
    try:
        with nogil:
            for j in range(n):
                used[j] = 0
            order[0] = start
            used[start] = 1
            i = 1
            while i < n:
                if i % 64 == 0 and tsp_flag_load(&cancel.value):
                    stopped = True
                    for j in range(n):
                        if not used[j]:
                            order[i] = j
                            i += 1
                    break
                best = -1
                bd = 0.0
                for j in range(n):
                    if not used[j] and (best < 0 or m[cur * n + j] < bd):
                        best = j
                        bd = m[cur * n + j]
                order[i] = best
                used[best] = 1
                cur = best
                i += 1
        return [order[i] for i in range(n)], bool(stopped)
    finally:
        free(order)
        free(used)


def solve(d, n, start, algorithm, seed=0, budget=0, cancel=None, progress=None):
    """tsp_solve: (code, order, length, lower_bound, nodes), with pure.py's
    checks, finish and codes (pure.search) around the typed searches.
    cancel is a Flag of this module (None: never cancelled); progress as
    pure.solve's."""
    del seed, budget
    return pure.search(d, n, start, algorithm, Flag() if cancel is None else cancel, exhaustive, nearest, _doubles,
                       progress)


def _doubles(d):
    return d if isinstance(d, array.array) and d.typecode == "d" else array.array("d", d)
