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

Progress has two ways out. A Python function (pure.exhaustive's) is called
with the GIL at each shorter tour, as pure.py calls it. A Frames object
(the worker's one-way progress, docs/protocol.md) takes the same calls
without the GIL and without Python: each is encoded in C as the protocol's
G frame into a buffer that the worker's writer thread empties (take).
"""

from libc.string cimport memcpy
from libc.stdlib cimport malloc, realloc, free
from cpython.bytes cimport PyBytes_FromStringAndSize
from cpython.pythread cimport (PyThread_type_lock, PyThread_allocate_lock, PyThread_free_lock,
                               PyThread_acquire_lock, PyThread_release_lock, WAIT_LOCK)

import array

from tsp_ffi import _abi, pure

cdef extern from *:
    """
    #include <stdint.h>
    #include <string.h>
    #include <time.h>
    static inline int tsp_flag_load(const int *p) { return __atomic_load_n(p, __ATOMIC_RELAXED); }
    static inline void tsp_flag_store(int *p, int v) { __atomic_store_n(p, v, __ATOMIC_RELAXED); }
    static inline unsigned long long tsp_now_ns(void) {
        struct timespec t;
        clock_gettime(CLOCK_MONOTONIC, &t);
        return (unsigned long long)t.tv_sec * 1000000000ull + (unsigned long long)t.tv_nsec;
    }
    /* Little-endian, whatever the machine's order: the protocol's. */
    static inline void tsp_put32(unsigned char *p, uint32_t v) {
        p[0] = (unsigned char)v; p[1] = (unsigned char)(v >> 8);
        p[2] = (unsigned char)(v >> 16); p[3] = (unsigned char)(v >> 24);
    }
    static inline void tsp_put64(unsigned char *p, uint64_t v) {
        tsp_put32(p, (uint32_t)v); tsp_put32(p + 4, (uint32_t)(v >> 32));
    }
    static inline uint64_t tsp_bits(double d) { uint64_t u; memcpy(&u, &d, 8); return u; }
    /* One progress frame, its u32 length first: 4 + 41 + 4n bytes at p
       (docs/protocol.md, G). */
    static void tsp_put_frame(unsigned char *p, unsigned long long req, int event, int n, double length,
                              double bound, unsigned long long nodes, const int *tour) {
        int i;
        tsp_put32(p, (uint32_t)(41 + 4 * n));
        p[4] = 'G';
        tsp_put64(p + 5, req);
        tsp_put32(p + 13, (uint32_t)event);
        tsp_put32(p + 17, (uint32_t)n);
        tsp_put64(p + 21, tsp_bits(length));
        tsp_put64(p + 29, tsp_bits(bound));
        tsp_put64(p + 37, nodes);
        for (i = 0; i < n; i++)
            tsp_put32(p + 45 + 4 * i, (uint32_t)tour[i]);
    }
    """
    int tsp_flag_load(const int *p) nogil
    void tsp_flag_store(int *p, int v) nogil
    unsigned long long tsp_now_ns() nogil
    void tsp_put_frame(unsigned char *p, unsigned long long req, int event, int n, double length, double bound,
                       unsigned long long nodes, const int *tour) nogil


cdef int PROGRESS_TOUR = _abi.PROGRESS_TOUR


cdef class Flag:
    """A cancel flag: set() from any thread; the search, which runs
    without the GIL, reads it atomically."""

    cdef int value

    def set(self):
        self.value = 1

    def is_set(self):
        return self.value != 0


cdef struct FrameBuf:
    # The frames of one request, queued: buf[0..size-1] under lock.
    unsigned long long req
    int n
    unsigned char *buf
    size_t size
    size_t cap
    size_t limit  # at size >= limit a push calls full (with the GIL)
    PyThread_type_lock lock
    int failed  # set by fail(), read atomically: stop the search
    void *full  # Frames.full, a borrowed reference, or NULL
    bint timed
    unsigned long long ns  # time in push, when timed
    unsigned long long calls


cdef class Frames:
    """The one-way progress of one worker request (docs/protocol.md, the G
    frame): given to exhaustive as its progress, it makes each call of the
    search a frame without the GIL and without a Python call. The frame is
    encoded in C (the bytes _progress_frames of tsp_ffi.worker would
    build: the same frames, in the same order) and appended to a buffer
    that take() empties, with the GIL, for the worker's writer. full(), if
    given, is called with the GIL when a push leaves limit bytes or more
    queued (the worker writes them then, as for its own queue); after
    fail() every push asks the search to stop. timed: count the
    nanoseconds spent in the pushes and their number (stall()).

    Called from Python (frames(event, length, bound, nodes, tour), as a
    progress function of pure.solve), it pushes the same frame."""

    cdef FrameBuf fb
    cdef object full

    def __cinit__(self, unsigned long long req, int n, size_t limit, full=None, bint timed=False):
        if not 1 <= n <= _abi.MAX_HEURISTIC:
            raise ValueError("frames of %d cities: want 1 to %d" % (n, _abi.MAX_HEURISTIC))
        self.fb.req, self.fb.n, self.fb.limit, self.fb.timed = req, n, limit, timed
        self.fb.buf, self.fb.size, self.fb.cap = NULL, 0, 0
        self.fb.failed, self.fb.ns, self.fb.calls = 0, 0, 0
        self.full = full
        self.fb.full = NULL if full is None else <void *>full
        self.fb.lock = PyThread_allocate_lock()
        if self.fb.lock == NULL:
            raise MemoryError()

    def __dealloc__(self):
        free(self.fb.buf)
        if self.fb.lock != NULL:
            PyThread_free_lock(self.fb.lock)

    def take(self):
        """The frames queued, as bytes (empty: none), and none queued."""
        cdef bytes out
        with nogil:
            PyThread_acquire_lock(self.fb.lock, WAIT_LOCK)
        try:
            out = PyBytes_FromStringAndSize(<char *>self.fb.buf, self.fb.size)
            self.fb.size = 0
        finally:
            PyThread_release_lock(self.fb.lock)
        return out

    def fail(self):
        """The frames cannot be written: every push from now on stops the
        search."""
        tsp_flag_store(&self.fb.failed, 1)

    def stall(self):
        """(nanoseconds in the pushes, pushes), when timed."""
        return self.fb.ns, self.fb.calls

    def __call__(self, int event, double length, double bound, unsigned long long nodes, tour):
        cdef const unsigned char[::1] b = tour
        if b.shape[0] != 4 * self.fb.n:
            raise ValueError("a tour of %d bytes, want %d" % (b.shape[0], 4 * self.fb.n))
        cdef int *t = <int *>malloc(4 * self.fb.n + 4)
        if t == NULL:
            raise MemoryError()
        try:
            memcpy(t, &b[0], 4 * self.fb.n)
            return bool(push(&self.fb, event, length, bound, nodes, t))
        finally:
            free(t)


cdef bint push(FrameBuf *f, int event, double length, double bound, unsigned long long nodes,
               const int *tour) nogil:
    # One frame queued: true asks the search to stop (fail(), no memory,
    # full() raised).
    cdef unsigned long long t0 = tsp_now_ns() if f.timed else 0
    cdef size_t need = 4 + 41 + 4 * <size_t>f.n
    cdef size_t cap
    cdef unsigned char *nb
    cdef bint stop = tsp_flag_load(&f.failed) != 0
    cdef bint full = False
    if not stop:
        PyThread_acquire_lock(f.lock, WAIT_LOCK)
        if f.size + need > f.cap:
            cap = 2 * f.cap
            if cap < f.size + need:
                cap = f.size + need
            if cap < 4096:
                cap = 4096
            nb = <unsigned char *>realloc(f.buf, cap)
            if nb == NULL:
                stop = True
            else:
                f.buf, f.cap = nb, cap
        if not stop:
            tsp_put_frame(f.buf + f.size, f.req, event, f.n, length, bound, nodes, tour)
            f.size += need
            full = f.size >= f.limit and f.full != NULL
        PyThread_release_lock(f.lock)
    if full:
        with gil:
            try:
                (<object>f.full)()
            except BaseException:
                stop = True
            if tsp_flag_load(&f.failed):
                stop = True
    if f.timed:
        f.ns += tsp_now_ns() - t0
        f.calls += 1
    return stop


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
    # borrowed reference, or frames (NULL: none), a Frames' buffer;
    # halt: it asked to stop.
    void *progress
    FrameBuf *frames
    bint halt


cdef void report(Search *s, double t, unsigned long long nodes) nogil:
    # A frame queued, without the GIL (a Frames' buffer), or one call of
    # the progress function, with the GIL (pure.exhaustive's:
    # its answer, true, stops the search at the next poll). The caller's
    # function never raises (the API's and the worker's catch everything);
    # if it did, the exception would be printed and the search go on.
    if s.frames != NULL:
        if push(s.frames, PROGRESS_TOUR, t, 0.0, nodes, s.best_p):
            s.halt = True
        return
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
    if s.progress != NULL or s.frames != NULL:
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
            if s.progress != NULL or s.frames != NULL:
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
    tour, the same calls), or a Frames (the same calls as frames, without
    the GIL)."""
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
        s.progress, s.frames, s.halt = NULL, NULL, False
        if isinstance(progress, Frames):
            if (<Frames>progress).fb.n != n:
                raise ValueError("frames of %d cities for a search of %d" % ((<Frames>progress).fb.n, n))
            s.frames = &(<Frames>progress).fb  # progress outlives the search
            report(&s, s.best, 0)
        elif progress is not None:
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
