/*
 * tsp.c: the C11 kernel behind tsp.h.
 *
 * Step for step like the pure-Go kernel (kernel.go, dfs.go, nearest.go,
 * localsearch.go, exact.go in the module root): the same scans in the same
 * order, the same tie rules, the same floating-point operations with the same
 * association, the same node counting and cancel polling points, so that
 * every backend returns the same tour, length bits, lower bound and node
 * count. The Go code is shaped for Go's compiler (small functions, offsets
 * instead of row slices), so the statements differ where the steps do not.
 * Each function names the Go function it follows.
 *
 * Compiled by cgo through cbackend/tsp_c.c, and into libtsp_c.so by
 * `make libs` and loader.Build.
 *
 * Floating point: no contraction into FMA. ISO C mode (-std=c11, which cgo
 * and the Makefile use) makes GCC default to -ffp-contract=off; the shared
 * library build passes -ffp-contract=off as well; clang honours the pragma.
 *
 * No global state; every allocation is freed on every path; never prints,
 * exits or aborts.
 */
#ifdef __clang__
#pragma STDC FP_CONTRACT OFF
#endif

#include "tsp.h"

#include <float.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>


int32_t tsp_abi_version(void) { return TSP_ABI_VERSION; }

int32_t tsp_kernel_id(void) { return TSP_KERNEL_C; }

int32_t tsp_noop(int32_t x) { return x; }

/* haversine follows haversine in haversine.go. */
static double haversine(double lat1, double lon1, double lat2, double lon2, double r) {
    const double rad = 3.14159265358979323846264338327950288419716939937510582097494459 / 180;
    double p1 = lat1 * rad;
    double p2 = lat2 * rad;
    double dp = (lat2 - lat1) * rad;
    double dl = (lon2 - lon1) * rad;
    double s1 = sin(dp / 2);
    double s2 = sin(dl / 2);
    double h = s1 * s1 + (cos(p1) * cos(p2)) * (s2 * s2);
    if (h > 1) h = 1;
    return 2 * r * asin(sqrt(h));
}

int32_t tsp_haversine(const double *in, double *out) {
    if (!in || !out) return TSP_INVALID;
    *out = haversine(in[0], in[1], in[2], in[3], in[4]);
    return TSP_OK;
}

int32_t tsp_matrix(const double *lat, const double *lon, int32_t n, const double *radius_km, double *out) {
    if (!lat || !lon || !radius_km || !out || n <= 0) return TSP_INVALID;
    if (n > TSP_MAX_HEURISTIC) return TSP_TOO_LARGE;
    double r = *radius_km;
    if (!(r >= 0) || isinf(r)) return TSP_INVALID;
    for (int32_t i = 0; i < n; i++) {
        if (!(lat[i] >= -90 && lat[i] <= 90) || !(lon[i] >= -180 && lon[i] <= 180)) return TSP_INVALID;
    }
    for (int32_t i = 0; i < n; i++) {
        out[(int64_t)i * n + i] = 0;
        for (int32_t j = i + 1; j < n; j++) {
            double v = haversine(lat[i], lon[i], lat[j], lon[j], r);
            out[(int64_t)i * n + j] = v;
            out[(int64_t)j * n + i] = v;
        }
    }
    return TSP_OK;
}

/* ---- shared state (kernelState in kernel.go) ---- */

typedef struct {
    const double *d;
    int32_t n;
    const int32_t *cancel;
    uint64_t nodes;
    bool directed; /* TSP_DIRECTED */
    /* progress: tsp_solve_progress's function and handle (NULL: none);
     * stop is set when it asks to stop; bound is the last bound reported. */
    tsp_progress_fn progress;
    uint64_t handle;
    bool stop;
    double bound;
} kstate;

static bool stop_requested(const kstate *k) {
    if (k->stop) return true;
#ifdef __wasm__
    return k->cancel != NULL && tsp_wasm_cancelled() != 0; /* see tsp.h */
#else
    return k->cancel != NULL && __atomic_load_n(k->cancel, __ATOMIC_RELAXED) != 0;
#endif
}

/* report: one call of the progress function (tsp.h), if any. */
static void report(kstate *k, int32_t event, double length, uint64_t nodes, const int32_t *best) {
    double values[2] = {length, k->bound};
#ifdef __wasm__
    if (tsp_wasm_progress(k->handle, event, values, nodes, best, k->n) != 0) k->stop = true;
#else
    if (k->progress(k->handle, event, values, nodes, best, k->n) != 0) k->stop = true;
#endif
}

/* improved: a shorter best tour of length l (improved in kernel.go). */
static void improved(kstate *k, double l, uint64_t nodes, const int32_t *best) {
    if (k->progress) report(k, TSP_PROGRESS_TOUR, l, nodes, best);
}

/* bounded: the bound b, if above the last one reported (bounded in kernel.go). */
static void bounded(kstate *k, double b, double ub, const int32_t *best) {
    if (!k->progress || !(b > k->bound)) return;
    k->bound = b;
    report(k, TSP_PROGRESS_BOUND, ub, k->nodes, best);
}

static void reverse32(int32_t *a, int32_t len) {
    for (int32_t i = 0, j = len - 1; i < j; i++, j--) {
        int32_t t = a[i];
        a[i] = a[j];
        a[j] = t;
    }
}

static double cycle_length(const kstate *k, const int32_t *order) {
    int32_t n = k->n;
    double s = 0.0;
    for (int32_t i = 1; i < n; i++) s += k->d[order[i - 1] * n + order[i]];
    return s + k->d[order[n - 1] * n + order[0]];
}

/* finish follows kernelState.finish. */
static double finish(const kstate *k, int32_t start, int32_t *order) {
    int32_t n = k->n;
    int32_t p = 0;
    while (order[p] != start) p++;
    if (p != 0) {
        reverse32(order, p);
        reverse32(order + p, n - p);
        reverse32(order, n);
    }
    if (!k->directed && n >= 3 && order[1] > order[n - 1]) reverse32(order + 1, n - 1);
    return cycle_length(k, order);
}

/* checkDistances in kernel.go: also no distance above
 * 2^TSP_MAX_TOUR_LENGTH_LOG2 / n (maxDistance), so that no tour can
 * overflow. Polls the cancel flag before each band of VALID_TILE rows. */
#define VALID_TILE 32
#define CHECK_VALID 0
#define CHECK_INVALID 1
#define CHECK_STOPPED 2

static int check_distances(const kstate *k) {
    const double *d = k->d;
    int32_t n = k->n;
    double lim = ldexp(1.0, TSP_MAX_TOUR_LENGTH_LOG2) / (double)n;
    for (int32_t bi = 0; bi < n; bi += VALID_TILE) {
        if (stop_requested(k)) return CHECK_STOPPED;
        int32_t ie = bi + VALID_TILE < n ? bi + VALID_TILE : n;
        for (int32_t bj = bi; bj < n; bj += VALID_TILE) {
            int32_t je = bj + VALID_TILE < n ? bj + VALID_TILE : n;
            for (int32_t i = bi; i < ie; i++) {
                for (int32_t j = bj == bi ? i : bj; j < je; j++) {
                    double v = d[i * n + j], w = d[j * n + i];
                    if (!(v >= 0) || v > lim || (i == j && v != 0)) return CHECK_INVALID;
                    if (k->directed) {
                        if (!(w >= 0) || w > lim) return CHECK_INVALID;
                    } else if (v != w) {
                        return CHECK_INVALID;
                    }
                }
            }
        }
    }
    return CHECK_VALID;
}

/* ---- Exhaustive (dfs.go) ---- */

typedef struct {
    kstate *k;
    int32_t *p;
    int32_t *best_p;
    double best;
    uint32_t tick;
    bool stopped;
} exsearch;

static void ex_improve(exsearch *e, double t, int32_t k, int32_t a, int32_t b, int32_t c) {
    e->best = t;
    memcpy(e->best_p, e->p, sizeof(int32_t) * (size_t)k);
    e->best_p[k] = a;
    if (k + 1 < e->k->n) e->best_p[k + 1] = b;
    if (k + 2 < e->k->n) e->best_p[k + 2] = c;
    improved(e->k, t, e->k->nodes, e->best_p);
}

/* ex_improve4: an improvement found by ex_four, whose first city stands at
 * k (p[k] in the recursion) and a, b, c after it. */
static void ex_improve4(exsearch *e, double t, int32_t k, int32_t f, int32_t a, int32_t b, int32_t c) {
    e->best = t;
    memcpy(e->best_p, e->p, sizeof(int32_t) * (size_t)k);
    e->best_p[k] = f;
    e->best_p[k + 1] = a;
    e->best_p[k + 2] = b;
    e->best_p[k + 3] = c;
    improved(e->k, t, e->k->nodes, e->best_p);
}

/* ex_three: the last three cities a, b, c after a prefix ending at position
 * k - 1 (case 3 of ex_rec, and each child of case 4): the six orders, in the
 * order of the recursion, given the prefix's length to each (la, lb, lc)
 * and the distances among them and back to the start. f >= 0 is the city
 * at position k - 1 when the caller has not written it into p (case 4). */
static inline void ex_three(exsearch *e, int32_t k, int32_t f, int32_t a, int32_t b, int32_t c, double la, double lb,
                            double lc, double dab, double dac, double dbc, double das, double dbs, double dcs) {
    double t, best = e->best;
#define EX_TRY(x, y, z)                                             \
    if (t < best) {                                                 \
        best = t;                                                   \
        if (f < 0) ex_improve(e, t, k, x, y, z);                    \
        else ex_improve4(e, t, k - 1, f, x, y, z);                  \
    }
    t = ((la + dab) + dbc) + dcs;
    EX_TRY(a, b, c)
    t = ((la + dac) + dbc) + dbs;
    EX_TRY(a, c, b)
    t = ((lb + dab) + dac) + dcs;
    EX_TRY(b, a, c)
    t = ((lb + dbc) + dac) + das;
    EX_TRY(b, c, a)
    t = ((lc + dbc) + dab) + das;
    EX_TRY(c, b, a)
    t = ((lc + dac) + dab) + dbs;
    EX_TRY(c, a, b)
#undef EX_TRY
}

static void ex_rec(exsearch *e, int32_t k, double l) {
    kstate *ks = e->k;
    ks->nodes++;
    int32_t n = ks->n;
    const double *d = ks->d;
    int32_t *p = e->p;
    int32_t prev = p[k - 1];
    int32_t s = p[0];
    int32_t r = n - k;
    if (ks->directed && r >= 2) r = -1; /* directed: the plain recursion (see dfs.go) */
    switch (r) {
    case 0: {
        double t = l + d[prev * n + s];
        if (t < e->best) {
            e->best = t;
            memcpy(e->best_p, p, sizeof(int32_t) * (size_t)n);
            improved(ks, t, ks->nodes, e->best_p);
        }
        break;
    }
    case 1: {
        ks->nodes++;
        int32_t a = p[k];
        double t = (l + d[prev * n + a]) + d[a * n + s];
        if (t < e->best) ex_improve(e, t, k, a, 0, 0);
        break;
    }
    case 2: {
        ks->nodes += 4;
        int32_t a = p[k], b = p[k + 1];
        double dab = d[a * n + b];
        double t = ((l + d[prev * n + a]) + dab) + d[b * n + s];
        if (t < e->best) ex_improve(e, t, k, a, b, 0);
        t = ((l + d[prev * n + b]) + dab) + d[a * n + s];
        if (t < e->best) ex_improve(e, t, k, b, a, 0);
        break;
    }
    case 3: {
        ks->nodes += 15;
        int32_t a = p[k], b = p[k + 1], c = p[k + 2];
        ex_three(e, k, -1, a, b, c, l + d[prev * n + a], l + d[prev * n + b], l + d[prev * n + c], d[a * n + b],
                 d[a * n + c], d[b * n + c], d[a * n + s], d[b * n + s], d[c * n + s]);
        break;
    }
    case 4: {
        /* The default case's loop over the four children (case 3 each),
         * unrolled: the same poll, node counts, sums, comparisons and
         * improvements in the same order, each distance read once. The
         * matrix is symmetric here (directed ones take the default case). */
        e->tick++;
        if ((e->tick & 1023) == 0 && stop_requested(ks)) {
            e->stopped = true;
            return;
        }
        int32_t w = p[k], x = p[k + 1], y = p[k + 2], z = p[k + 3];
        double dwx = d[w * n + x], dwy = d[w * n + y], dwz = d[w * n + z];
        double dxy = d[x * n + y], dxz = d[x * n + z], dyz = d[y * n + z];
        double dws = d[w * n + s], dxs = d[x * n + s], dys = d[y * n + s], dzs = d[z * n + s];
        double l0;
        /* child w: x, y, z */
        l0 = l + d[prev * n + w];
        ks->nodes += 16;
        ex_three(e, k + 1, w, x, y, z, l0 + dwx, l0 + dwy, l0 + dwz, dxy, dxz, dyz, dxs, dys, dzs);
        /* child x: w, y, z */
        l0 = l + d[prev * n + x];
        ks->nodes += 16;
        ex_three(e, k + 1, x, w, y, z, l0 + dwx, l0 + dxy, l0 + dxz, dwy, dwz, dyz, dws, dys, dzs);
        /* child y: x, w, z */
        l0 = l + d[prev * n + y];
        ks->nodes += 16;
        ex_three(e, k + 1, y, x, w, z, l0 + dxy, l0 + dwy, l0 + dyz, dwx, dxz, dwz, dxs, dws, dzs);
        /* child z: x, y, w */
        l0 = l + d[prev * n + z];
        ks->nodes += 16;
        ex_three(e, k + 1, z, x, y, w, l0 + dxz, l0 + dyz, l0 + dwz, dxy, dwx, dwy, dxs, dys, dws);
        break;
    }
    default:
        e->tick++;
        if ((e->tick & 1023) == 0 && stop_requested(ks)) {
            e->stopped = true;
            return;
        }
        for (int32_t i = k; i < n; i++) {
            int32_t t = p[k];
            p[k] = p[i];
            p[i] = t;
            ex_rec(e, k + 1, l + d[prev * n + p[k]]);
            t = p[k];
            p[k] = p[i];
            p[i] = t;
            if (e->stopped) return;
        }
    }
}

static int32_t exhaustive(kstate *k, int32_t start, int32_t *order) {
    int32_t n = k->n;
    int32_t p[TSP_MAX_EXHAUSTIVE], best_p[TSP_MAX_EXHAUSTIVE];
    exsearch e = {k, p, best_p, 0, 0, false};
    p[0] = start;
    int32_t j = 1;
    for (int32_t c = 0; c < n; c++) {
        if (c != start) p[j++] = c;
    }
    memcpy(best_p, p, sizeof(int32_t) * (size_t)n);
    e.best = cycle_length(k, p);
    improved(k, e.best, k->nodes, best_p);
    ex_rec(&e, 1, 0);
    memcpy(order, best_p, sizeof(int32_t) * (size_t)n);
    return e.stopped ? TSP_STOPPED : TSP_OK;
}

/* ---- Nearest and TwoOpt (nearest.go) ---- */

#define NEIGHBOUR_K 10

/* fullTwoOpt results (fullNone, fullApplied, fullStopped) */
#define FULL_NONE 0    /* no move applied */
#define FULL_APPLIED 1 /* some moves applied */
#define FULL_STOPPED 2 /* the cancel flag */

/* nearestInto: the nearest-neighbour tour from start into t. Polls the cancel
 * flag every 64 cities; when it is set, appends the cities not yet visited in
 * index order, so that t is still a tour, and returns false. */
static bool nearest_into(const kstate *k, int32_t start, int32_t *t, bool *used) {
    (void)used;
    int32_t n = k->n;
    const double *d = k->d;
    /* t[0..i-1] the tour so far, t[i..n-1] the cities not yet visited in
     * index order: each step scans only those (no flag to test a city) and
     * takes the first of the least distance, as the scan of all n did */
    t[0] = start;
    for (int32_t j = 0, i = 1; j < n; j++) {
        if (j != start) t[i++] = j;
    }
    int32_t cur = start;
    for (int32_t i = 1; i < n; i++) {
        if ((i & 63) == 0 && stop_requested(k)) return false; /* the rest in index order */
        const double *row = d + (int64_t)cur * n;
        int32_t best = i;
        double bd = row[t[i]];
        for (int32_t r = i + 1; r < n; r++) {
            double dr = row[t[r]];
            if (dr < bd) {
                best = r;
                bd = dr;
            }
        }
        cur = t[best];
        for (int32_t r = best; r > i; r--) t[r] = t[r - 1];
        t[i] = cur;
    }
    return true;
}

/* a neighbour and its distance (lsearch.nbw) */
typedef struct {
    double d;
    int32_t c;
    int32_t pad;
} lsnb;

typedef struct {
    kstate *k;
    int32_t kn;
    int32_t *nb;
    int32_t *t;
    int32_t *pos;
    int32_t *queue;
    bool *in_q;
    int32_t *tmp;
    bool *used;
    double eps;
    int32_t head;
    int32_t count;
    uint64_t moves;
    double gain; /* the sum of the changes of length of the moves applied */
    bool ready;  /* the neighbour lists are built */
    /* journal: (position, old city) of every write to t while journal_on */
    int32_t *journal;
    size_t journal_len, journal_cap;
    bool journal_on;
    bool journal_failed; /* an allocation for the journal failed */
    /* directed (TSP_DIRECTED): no move reverses a stretch of the tour; Or-opt
     * keeps the segment's direction, placed with nb_in as well as nb */
    bool directed;
    int32_t *nb_in; /* nb_in[i*kn+r]: the r-th nearest city into i */
    /* nbw[i*kn+r]: nb[i*kn+r] and its distance from i, together (the matrix
     * path's 2-opt and Or-opt moves, undirected): one bounds check in
     * WebAssembly where the list and the row of d took two */
    lsnb *nbw;
    /* three (Iterated, undirected, n >= ITERATED_MIN_N): the moves are
     * ls_three_opt_move's alone, and no full 2-opt passes */
    bool three;
} lsearch;

static void ls_free(lsearch *ls) {
    free(ls->journal);
    free(ls->nb);
    free(ls->nb_in);
    free(ls->nbw);
    free(ls->t);
    free(ls->pos);
    free(ls->queue);
    free(ls->in_q);
    free(ls->tmp);
    free(ls->used);
}

/* newLocalSearch; returns false when out of memory (ls is then freed). The
 * neighbour lists are built by ls_neighbours, on first use. */
static bool ls_init(lsearch *ls, kstate *k) {
    int32_t n = k->n;
    memset(ls, 0, sizeof *ls);
    ls->k = k;
    ls->kn = n - 1;
    if (ls->kn > NEIGHBOUR_K) ls->kn = NEIGHBOUR_K;
    ls->t = malloc(sizeof(int32_t) * (size_t)n);
    ls->pos = malloc(sizeof(int32_t) * (size_t)n);
    ls->queue = malloc(sizeof(int32_t) * (size_t)n);
    ls->in_q = malloc(sizeof(bool) * (size_t)n);
    ls->tmp = malloc(sizeof(int32_t) * (size_t)n);
    ls->used = malloc(sizeof(bool) * (size_t)n);
    ls->nb = malloc(sizeof(int32_t) * ((size_t)n * (size_t)ls->kn + 1));
    ls->directed = k->directed;
    if (ls->directed) ls->nb_in = malloc(sizeof(int32_t) * ((size_t)n * (size_t)ls->kn + 1));
    if (!ls->directed) ls->nbw = malloc(sizeof(lsnb) * ((size_t)n * (size_t)ls->kn + 1));
    if (!ls->t || !ls->pos || !ls->queue || !ls->in_q || !ls->tmp || !ls->used || !ls->nb ||
        (ls->directed && !ls->nb_in) || (!ls->directed && !ls->nbw)) {
        ls_free(ls);
        return false;
    }
    return true;
}

/* nearestList: the kn cities j != i of the least d[base + j*stride] (then
 * the lowest index) into lst, by insertion into a sorted list; returns the
 * largest of those n-1 values. Out of i: base i*n, stride 1; into i: base
 * i, stride n. */
static double nearest_list(const double *d, int32_t *lst, int32_t kn, int32_t n, int32_t i, int32_t base,
                           int32_t stride) {
    int32_t cnt = 0;
    double dmax = 0.0;
    for (int32_t j = 0; j < n; j++) {
        if (j == i) continue;
        double dj = d[base + j * stride];
        if (dj > dmax) dmax = dj;
        if (cnt == kn && dj >= d[base + lst[kn - 1] * stride]) continue;
        int32_t p = cnt;
        if (cnt < kn) {
            cnt++;
        } else {
            p = kn - 1;
        }
        while (p > 0 && d[base + lst[p - 1] * stride] > dj) {
            lst[p] = lst[p - 1];
            p--;
        }
        lst[p] = j;
    }
    return dmax;
}

/* neighbours: builds the neighbour lists and eps, polling the cancel flag
 * every 16 cities; false if it was stopped. */
static bool ls_neighbours(lsearch *ls) {
    const kstate *k = ls->k;
    int32_t n = k->n, kn = ls->kn;
    const double *d = k->d;
    double dmax = 0.0;
    int32_t poll = ls->directed ? 3 : 15; /* the lists into i read columns */
    for (int32_t i = 0; i < n; i++) {
        if ((i & poll) == 0 && stop_requested(k)) return false;
        double m = nearest_list(d, ls->nb + i * kn, kn, n, i, i * n, 1); /* out of i */
        if (m > dmax) dmax = m;
        if (ls->directed) nearest_list(d, ls->nb_in + i * kn, kn, n, i, i, n); /* into i */
        for (int32_t r = 0; !ls->directed && r < kn; r++) {
            lsnb w = {d[i * n + ls->nb[i * kn + r]], ls->nb[i * kn + r], 0};
            ls->nbw[i * kn + r] = w;
        }
    }
    ls->eps = 1e-9 * dmax; /* relative: the same moves at every scale */
    ls->ready = true;
    return true;
}

/* NOINLINE: the hot loops of the local search stay functions of their own.
 * wazero allocates registers a function at a time, poorly under pressure:
 * inlined into their callers, these loops kept their pointers and counters
 * in stack slots, reloaded at every use (a store or two and several loads an
 * iteration); alone, the few values they need stay in registers. */
#if defined(__GNUC__) || defined(__clang__)
#define NOINLINE __attribute__((noinline))
#define ALWAYS_INLINE inline __attribute__((always_inline))
#else
#define NOINLINE
#define ALWAYS_INLINE inline
#endif

/* wrap: position p, one step past either end of 0..n-1, back on the cycle.
 * Written as two selects and no branch: the move searches below take the
 * tour, its positions and n in locals and step with it, so that each of
 * their inner loops is one block in WebAssembly (wazero loads the memory's
 * base and length again at every join) and loads nothing through ls. */
static inline int32_t ls_wrap(int32_t p, int32_t n) {
    p = p == n ? 0 : p;
    return p < 0 ? n - 1 : p;
}

/* wrap3: position p, up to three steps past either end of 0..n-1 (n > 3),
 * back on the cycle */
static inline int32_t ls_wrap3(int32_t p, int32_t n) {
    p = p < 0 ? p + n : p;
    return p >= n ? p - n : p;
}

static int32_t ls_succ(const lsearch *ls, int32_t c) {
    int32_t p = ls->pos[c] + 1;
    if (p == ls->k->n) p = 0;
    return ls->t[p];
}

static int32_t ls_pred(const lsearch *ls, int32_t c) {
    int32_t p = ls->pos[c] - 1;
    if (p < 0) p = ls->k->n - 1;
    return ls->t[p];
}

static void ls_push(lsearch *ls, int32_t c) {
    if (ls->in_q[c]) return;
    ls->in_q[c] = true;
    int32_t n = ls->k->n;
    int32_t i = ls->head + ls->count;
    if (i >= n) i -= n;
    ls->queue[i] = c;
    ls->count++;
}

static int32_t ls_pop(lsearch *ls) {
    int32_t c = ls->queue[ls->head];
    ls->head++;
    if (ls->head == ls->k->n) ls->head = 0;
    ls->count--;
    ls->in_q[c] = false;
    return c;
}

/* journal_add: the write of position i, whose city was c. */
static void ls_journal_add(lsearch *ls, int32_t i, int32_t c) {
    if (ls->journal_len + 2 > ls->journal_cap) {
        size_t cap = ls->journal_cap ? 2 * ls->journal_cap : 1024;
        int32_t *j = realloc(ls->journal, sizeof(int32_t) * cap);
        if (!j) {
            ls->journal_failed = true;
            return;
        }
        ls->journal = j;
        ls->journal_cap = cap;
    }
    ls->journal[ls->journal_len++] = i;
    ls->journal[ls->journal_len++] = c;
}

/* set */
static void ls_set(lsearch *ls, int32_t i, int32_t c) {
    if (ls->journal_on) ls_journal_add(ls, i, ls->t[i]);
    ls->t[i] = c;
    ls->pos[c] = i;
}

/* revert */
static void ls_revert(lsearch *ls) {
    for (size_t k = ls->journal_len; k >= 2; k -= 2) {
        int32_t i = ls->journal[k - 2], c = ls->journal[k - 1];
        ls->t[i] = c;
        ls->pos[c] = i;
    }
    ls->journal_len = 0;
}

static void ls_reverse(lsearch *ls, int32_t a, int32_t b) {
    int32_t n = ls->k->n;
    int32_t i = ls->pos[a], j = ls->pos[b];
    int32_t l = j - i;
    if (l < 0) l += n;
    l++;
    if (2 * l > n) {
        int32_t ni = j + 1, nj = i - 1;
        i = ni;
        j = nj;
        if (i == n) i = 0;
        if (j < 0) j = n - 1;
        l = n - l;
    }
    int32_t *t = ls->t, *pos = ls->pos;
    for (int32_t s = 0; s < l / 2; s++) {
        int32_t ci = t[i], cj = t[j];
        if (ls->journal_on) {
            ls_journal_add(ls, i, ci);
            ls_journal_add(ls, j, cj);
        }
        t[i] = cj;
        t[j] = ci;
        pos[cj] = i;
        pos[ci] = j;
        i++;
        if (i == n) i = 0;
        j--;
        if (j < 0) j = n - 1;
    }
}

/* twoOptMove: the best 2-opt move that gives a a neighbour from its list.
 * dir 0 (step +1): a -> b=succ(a) ... c -> e=succ(c); dir 1 (step -1):
 * e=pred(c) -> c ... b=pred(a) -> a. The candidate skipped when c == b or
 * e == a is left out by the test that keeps the best, not by a branch. */
static bool ls_two_opt_move(lsearch *ls, int32_t a) {
    if (ls->directed) return false; /* it would reverse a stretch */
    int32_t n = ls->k->n, kn = ls->kn;
    const double *d = ls->k->d;
    const int32_t *t = ls->t, *pos = ls->pos;
    const lsnb *nb = ls->nbw + a * kn;
    const double *ra = d + a * n;
    int32_t pa = pos[a];
    double best = -ls->eps;
    int32_t bc = -1, be = -1, bdir = 0;
    for (int32_t dir = 0; dir < 2; dir++) {
        int32_t step = dir == 0 ? 1 : -1;
        int32_t b = t[ls_wrap(pa + step, n)];
        const double *rb = d + b * n;
        double dab = ra[b];
        for (int32_t r = 0; r < kn; r++) {
            int32_t c = nb[r].c; /* the last field first: one bounds check */
            double dac = nb[r].d; /* ra[c] */
            if (dac >= dab) break;
            int32_t e = t[ls_wrap(pos[c] + step, n)];
            if (c == b || e == a) continue;
            double delta = ((dac + rb[e]) - dab) - d[c * n + e];
            if (delta < best && delta >= -DBL_MAX) { /* false for NaN and -Inf */
                best = delta;
                bc = c;
                be = e;
                bdir = dir;
            }
        }
    }
    if (bc < 0) return false;
    int32_t b;
    if (bdir == 0) {
        b = ls_succ(ls, a);
        ls_reverse(ls, b, bc);
    } else {
        b = ls_pred(ls, a);
        ls_reverse(ls, a, be);
    }
    ls->gain += best;
    ls_push(ls, a);
    ls_push(ls, b);
    ls_push(ls, bc);
    ls_push(ls, be);
    return true;
}

static bool ls_in_segment(const lsearch *ls, int32_t c, int32_t s1, int32_t sl) {
    int32_t off = ls->pos[c] - ls->pos[s1];
    if (off < 0) off += ls->k->n;
    return off < sl;
}

/* moveSegment */
static void ls_move_segment(lsearch *ls, int32_t s1, int32_t s2, int32_t sl, int32_t p, int32_t x, int32_t c,
                            int32_t e, int32_t s) {
    (void)p;
    (void)x;
    int32_t n = ls->k->n;
    int32_t seg[3] = {s1, 0, 0};
    if (sl > 1) seg[1] = ls_succ(ls, s1);
    if (sl > 2) seg[2] = ls_succ(ls, seg[1]);
    int32_t u = c, first = s; /* the segment goes right after u, first next to it */
    if (ls_succ(ls, c) != e) {
        u = e;
        first = (s == s1) ? s2 : s1;
    }
    int32_t ps1 = ls->pos[s1], pu = ls->pos[u];
#define LS_MOD(i) ((((i) % n) + n) % n)
    int32_t fwd = LS_MOD(pu - ps1 - sl + 1); /* cities from x to u */
    int32_t bwd = n - sl - fwd;              /* cities from succ(u) to p */
    int32_t base;
    if (fwd <= bwd) {
        for (int32_t i = 0; i < fwd; i++) ls_set(ls, LS_MOD(ps1 + i), ls->t[LS_MOD(ps1 + sl + i)]);
        base = LS_MOD(ps1 + fwd);
    } else {
        for (int32_t i = bwd - 1; i >= 0; i--) ls_set(ls, LS_MOD(pu + 1 + i + sl), ls->t[LS_MOD(pu + 1 + i)]);
        base = LS_MOD(pu + 1);
    }
    for (int32_t q = 0; q < sl; q++) {
        int32_t city = first == s1 ? seg[q] : seg[sl - 1 - q];
        ls_set(ls, LS_MOD(base + q), city);
    }
#undef LS_MOD
}

/* the Or-opt move found: s1..s2 from between p and x to between c and e, s
 * next to c; the cities at the changed edges lose their don't-look bits */
static void ls_or_opt_apply(lsearch *ls, double delta, int32_t s1, int32_t s2, int32_t sl, int32_t p, int32_t x,
                            int32_t c, int32_t e, int32_t s) {
    ls->gain += delta;
    ls_move_segment(ls, s1, s2, sl, p, x, c, e, s);
    ls_push(ls, p);
    ls_push(ls, x);
    ls_push(ls, s1);
    ls_push(ls, s2);
    ls_push(ls, c);
    ls_push(ls, e);
}

static bool ls_or_opt_move(lsearch *ls, int32_t a) {
    int32_t n = ls->k->n, kn = ls->kn;
    const double *d = ls->k->d;
    if (n < 4) return false;
    /* Every segment below, with p and x around it, lies within three steps of
     * a: the cities at positions pa-3 .. pa+3 (m3 .. a .. p3), read once
     * instead of stepping from a again for each segment (3 < n), and kept in
     * scalars, not an array: in WebAssembly an array indexed at run time
     * lives in linear memory, each access bounds-checked. */
    const int32_t *t = ls->t, *pos = ls->pos;
    int32_t pa = pos[a];
#define LS_AT(k) t[ls_wrap3(pa + (k), n)]
    int32_t m3 = LS_AT(-3), m2 = LS_AT(-2), m1 = LS_AT(-1), p1 = LS_AT(1), p2 = LS_AT(2), p3 = LS_AT(3);
#undef LS_AT
    for (int32_t q = 0; q < 5; q++) {
        int32_t sl = (q + 3) / 2;
        if (n < sl + 3) return false;
        /* s1 .. s2 from a on (q even) or up to a (q odd), p before, x after */
        int32_t s1, s2, p, x, ps1;
        if (q % 2 == 0) {
            s1 = a;
            p = m1;
            s2 = sl == 1 ? a : sl == 2 ? p1 : p2;
            x = sl == 1 ? p1 : sl == 2 ? p2 : p3;
            ps1 = pa;
        } else {
            s2 = a;
            x = p1;
            s1 = sl == 2 ? m1 : m2;
            p = sl == 2 ? m2 : m3;
            ps1 = ls_wrap3(pa + 1 - sl, n);
        }
        double gain = (d[p * n + s1] + d[s2 * n + x]) - d[p * n + x];
        if (!(gain > ls->eps && gain <= DBL_MAX)) continue; /* NaN and +Inf are no gain */
        if (ls->directed) {
            /* the segment keeps its direction: c -> s1 ... s2 -> e, e = succ(c);
             * c from the cities nearest into s1, then e from those nearest out of s2 */
            for (int32_t side = 0; side < 2; side++) {
                for (int32_t r = 0; r < kn; r++) {
                    int32_t c, e;
                    double dn;
                    if (side == 0) {
                        c = ls->nb_in[s1 * kn + r];
                        dn = d[c * n + s1];
                        if (dn >= gain) break;
                        e = ls_succ(ls, c);
                    } else {
                        e = ls->nb[s2 * kn + r];
                        dn = d[s2 * n + e];
                        if (dn >= gain) break;
                        c = ls_pred(ls, e);
                    }
                    if (ls_in_segment(ls, c, s1, sl) || ls_in_segment(ls, e, s1, sl)) continue;
                    double delta = side == 0 ? ((dn + d[s2 * n + e]) - d[c * n + e]) - gain
                                             : ((d[c * n + s1] + dn) - d[c * n + e]) - gain;
                    if (delta < -ls->eps && delta >= -DBL_MAX) {
                        ls_or_opt_apply(ls, delta, s1, s2, sl, p, x, c, e, s1);
                        return true;
                    }
                }
            }
            continue;
        }
        /* the rows in locals; a city's place in the segment from its
         * position (e's is c's, one step on) */
        double eps = ls->eps;
        for (int32_t end = 0; end < 2; end++) {
            int32_t s = s1, o = s2;
            if (end == 1) {
                s = s2;
                o = s1;
            }
            const lsnb *nb = ls->nbw + s * kn;
            const double *ro = d + o * n;
            for (int32_t r = 0; r < kn; r++) {
                int32_t c = nb[r].c;
                double dsc = nb[r].d; /* d[s*n + c] */
                if (dsc >= gain) break;
                int32_t pc = pos[c];
                int32_t off = pc - ps1;
                if ((off < 0 ? off + n : off) < sl) continue; /* c in the segment */
                const double *rc = d + c * n;
                for (int32_t side = 0; side < 2; side++) {
                    int32_t pe = ls_wrap(side == 0 ? pc + 1 : pc - 1, n);
                    int32_t e = t[pe];
                    int32_t oe = pe - ps1;
                    double delta = ((dsc + ro[e]) - rc[e]) - gain;
                    /* e in the segment: no move */
                    if ((oe < 0 ? oe + n : oe) >= sl && delta < -eps && delta >= -DBL_MAX) {
                        ls_or_opt_apply(ls, delta, s1, s2, sl, p, x, c, e, s);
                        return true;
                    }
                }
            }
        }
    }
    return false;
}

/* scanEdges: the 2-opt moves that replace the edge (a, b), whose rows of d
 * are ra and rb, and the edge (p[q-1], p[q]) for q = 1 .. len-1 in order,
 * against best (its city c in *bc); returns the best delta. One load of the
 * tour per edge and no test of which edges touch a or b (the caller leaves
 * those out), the shape WebAssembly runtimes compile well. */
NOINLINE static double ls_scan_edges(const double *d, const int32_t *p, int32_t len, const double *ra, const double *rb,
                            int32_t n, double dab, double best, int32_t *bc) {
    if (len < 2) return best;
    int32_t c = p[0], bcl = *bc;
    for (int32_t q = 1; q < len; q++) {
        int32_t e = p[q];
        double delta = ((ra[c] + rb[e]) - dab) - d[c * n + e];
        if (delta < best && delta >= -DBL_MAX) {
            best = delta;
            bcl = c;
        }
        c = e;
    }
    *bc = bcl;
    return best;
}

/* fullTwoOpt: one pass over every pair of edges, polling the cancel flag
 * every 16 cities; FULL_NONE, FULL_APPLIED or FULL_STOPPED. */
static int32_t ls_full_two_opt(lsearch *ls) {
    if (ls->directed || ls->three) return FULL_NONE;
    int32_t n = ls->k->n;
    const double *d = ls->k->d;
    const int32_t *t = ls->t;
    int32_t res = FULL_NONE;
    for (int32_t i = 0; i < n; i++) {
        if ((i & 15) == 0 && stop_requested(ls->k)) return FULL_STOPPED;
        int32_t a = t[i];
        int32_t b = ls_succ(ls, a);
        double dab = d[a * n + b];
        const double *ra = d + a * n, *rb = d + b * n;
        /* The edges at j = i-1, i and i+1 (mod n) touch a or b and are
         * skipped; the rest is scanned in order as up to two runs of
         * consecutive positions, then the edge (t[n-1], t[0]), as in Go. */
        int32_t bc = -1, lo = i == n - 1 ? 1 : 0;
        double best = ls_scan_edges(d, t + lo, i - lo, ra, rb, n, dab, -ls->eps, &bc);
        if (i + 2 < n - 1) best = ls_scan_edges(d, t + i + 2, n - i - 2, ra, rb, n, dab, best, &bc);
        if (i != 0 && i < n - 2) {
            int32_t c = t[n - 1], e = t[0];
            double delta = ((ra[c] + rb[e]) - dab) - d[c * n + e];
            if (delta < best && delta >= -DBL_MAX) bc = c;
        }
        if (bc >= 0) {
            int32_t e = ls_succ(ls, bc);
            ls_reverse(ls, b, bc);
            ls_push(ls, a);
            ls_push(ls, b);
            ls_push(ls, bc);
            ls_push(ls, e);
            ls->moves++;
            res = FULL_APPLIED;
        }
    }
    return res;
}

/* exchange: swaps the stretch of l1 cities from position p with the l2
 * cities after it; of the three stretches of the cycle it moves the
 * neighbouring pair of the fewest cities, through ls->tmp (see
 * localsearch.go) */
static void ls_exchange(lsearch *ls, int32_t p, int32_t l1, int32_t l2) {
    int32_t n = ls->k->n;
    int32_t l3 = n - l1 - l2;
    if (l1 + l2 <= l2 + l3 && l1 + l2 <= l3 + l1) {
    } else if (l2 + l3 <= l3 + l1) { /* the second and the third */
        p += l1;
        int32_t t2 = l2;
        l1 = t2;
        l2 = l3;
    } else { /* the third and the first */
        p += l1 + l2;
        int32_t t1 = l1;
        l1 = l3;
        l2 = t1;
    }
    if (p >= n) p -= n;
    for (int32_t i = 0; i < l1 + l2; i++) {
        int32_t q = p + i;
        if (q >= n) q -= n;
        ls->tmp[i] = ls->t[q];
    }
    for (int32_t i = 0; i < l2; i++) {
        int32_t q = p + i;
        if (q >= n) q -= n;
        ls_set(ls, q, ls->tmp[l1 + i]);
    }
    for (int32_t i = 0; i < l1; i++) {
        int32_t q = p + l2 + i;
        if (q >= n) q -= n;
        ls_set(ls, q, ls->tmp[i]);
    }
}

/* orThreeMove: the directed search's segment exchange (or-3opt): a -> x
 * for x among the cities nearest out of a, e -> b for e among those nearest
 * into b = succ(a), c -> f; a b..c x..e f becomes a x..e b..c f. The first
 * move that gains; false at once for an undirected tour. */
static bool ls_or_three_move(lsearch *ls, int32_t a) {
    if (!ls->directed) return false;
    int32_t n = ls->k->n, kn = ls->kn;
    const double *d = ls->k->d;
    double eps = ls->eps;
    int32_t pb = ls->pos[a] + 1;
    if (pb == n) pb = 0;
    int32_t b = ls->t[pb];
    double dab = d[a * n + b];
    for (int32_t r = 0; r < kn; r++) {
        int32_t x = ls->nb[a * kn + r];
        double g1 = dab - d[a * n + x];
        if (!(g1 > eps)) break;
        if (x == b) continue;
        int32_t px = ls->pos[x];
        int32_t pc = px - 1;
        if (pc < 0) pc = n - 1;
        int32_t c = ls->t[pc];
        int32_t l1 = px - pb; /* cities from b to c */
        if (l1 < 0) l1 += n;
        double g2 = g1 + d[c * n + x];
        for (int32_t q = 0; q < kn; q++) {
            int32_t e = ls->nb_in[b * kn + q];
            double g = g2 - d[e * n + b];
            if (!(g > eps)) break;
            int32_t pe = ls->pos[e];
            int32_t l2 = pe - px; /* cities from x to e, less one */
            if (l2 < 0) l2 += n;
            l2++;
            if (e == a || l2 > n - l1 - 1) continue; /* e must lie on x..pred(a) */
            int32_t pf = pe + 1;
            if (pf == n) pf = 0;
            int32_t f = ls->t[pf];
            double delta = (d[c * n + f] - d[e * n + f]) - g;
            if (delta < -eps && delta >= -DBL_MAX) {
                ls->gain += delta;
                ls_exchange(ls, pb, l1, l2);
                ls_push(ls, a);
                ls_push(ls, b);
                ls_push(ls, c);
                ls_push(ls, x);
                ls_push(ls, e);
                ls_push(ls, f);
                return true;
            }
        }
    }
    return false;
}

/* ---- the sequential 3-opt move of Iterated (threeopt.go) ---- */

/* step: the city after c in the orientation fwd (succ), or before it */
static int32_t ls_step(const lsearch *ls, int32_t c, bool fwd) { return fwd ? ls_succ(ls, c) : ls_pred(ls, c); }

/* offset: how many steps x lies after s in the orientation fwd */
static int32_t ls_offset(const lsearch *ls, int32_t s, int32_t x, bool fwd) {
    int32_t o = ls->pos[x] - ls->pos[s];
    if (!fwd) o = -o;
    if (o < 0) o += ls->k->n;
    return o;
}

/* move2: the 2-opt move that removes (a, b) and (c, e), adds (b, c) and
 * (e, a) */
static void ls_move2(lsearch *ls, int32_t a, int32_t b, int32_t c, int32_t e) {
    (void)c; /* the move is named by its four cities; the reversal needs three */
    if (ls_succ(ls, a) == b) {
        ls_reverse(ls, b, e);
    } else {
        ls_reverse(ls, e, b);
    }
}

/* threeDone */
static void ls_three_done(lsearch *ls, double delta, int32_t t1, int32_t t2, int32_t t3, int32_t t4, int32_t t5,
                          int32_t t6) {
    ls->gain += delta;
    ls_push(ls, t1);
    ls_push(ls, t2);
    ls_push(ls, t3);
    ls_push(ls, t4);
    ls_push(ls, t5);
    ls_push(ls, t6);
}

/* threeOptMove: the first sequential 3-opt move from t1 that gains (see
 * threeopt.go) */
static bool ls_three_opt_move(lsearch *ls, int32_t t1) {
    int32_t n = ls->k->n, kn = ls->kn;
    const double *d = ls->k->d;
    const int32_t *nb = ls->nb;
    double eps = ls->eps;
    for (int32_t dir = 0; dir < 2; dir++) {
        bool fwd = dir == 0;
        int32_t t2 = ls_step(ls, t1, fwd);
        double d12 = d[t1 * n + t2];
        int32_t t2n = ls_step(ls, t2, fwd);
        for (int32_t r = t2 * kn, end = t2 * kn + kn; r < end; r++) {
            int32_t t3 = nb[r];
            double g1 = d12 - d[t2 * n + t3];
            if (!(g1 > eps)) break;
            if (t3 == t1 || t3 == t2n) continue;
            for (int32_t alt = 0; alt < 2; alt++) {
                bool after = alt == 1; /* t4 after t3 */
                int32_t t4 = ls_step(ls, t3, after == fwd);
                double g2b = g1 + d[t3 * n + t4];
                if (!after) {
                    double delta = d[t4 * n + t1] - g2b;
                    if (delta < -eps && delta >= -DBL_MAX) {
                        ls_move2(ls, t1, t2, t3, t4);
                        ls_three_done(ls, delta, t1, t2, t3, t4, t4, t4);
                        return true;
                    }
                }
                int32_t o3 = ls_offset(ls, t2, t3, fwd); /* the stretch t2..t3 */
                int32_t o4 = ls_offset(ls, t2, t4, fwd);
                for (int32_t q = t4 * kn, qe = t4 * kn + kn; q < qe; q++) {
                    int32_t t5 = nb[q];
                    double g2 = g2b - d[t4 * n + t5];
                    if (!(g2 > eps)) break;
                    if (t5 == t1 || t5 == t3) continue;
                    int32_t o5 = ls_offset(ls, t2, t5, fwd);
                    if (!after) {
                        /* after the first 2-opt move: t1 t4..t2 t3..; t6
                         * comes before t5 in it */
                        int32_t t6 = ls_step(ls, t5, (o5 <= o4) == fwd);
                        if (t6 == t4) continue;
                        double delta = (d[t6 * n + t1] - d[t5 * n + t6]) - g2;
                        if (delta < -eps && delta >= -DBL_MAX) {
                            ls_move2(ls, t1, t2, t3, t4);
                            ls_move2(ls, t1, t4, t5, t6);
                            ls_three_done(ls, delta, t1, t2, t3, t4, t5, t6);
                            return true;
                        }
                        continue;
                    }
                    if (o5 > o3) continue; /* t5 must lie on t2..t3 */
                    int32_t t6 = ls_step(ls, t5, fwd); /* the exchange */
                    double delta = (d[t6 * n + t1] - d[t5 * n + t6]) - g2;
                    if (delta < -eps && delta >= -DBL_MAX) {
                        if (fwd) {
                            ls_exchange(ls, ls->pos[t2], o5 + 1, o3 - o5);
                        } else {
                            ls_exchange(ls, ls->pos[t3], o3 - o5, o5 + 1);
                        }
                        ls_three_done(ls, delta, t1, t2, t3, t4, t5, t6);
                        return true;
                    }
                    if (t5 == t2) continue;
                    t6 = ls_step(ls, t5, !fwd); /* both reversed */
                    delta = (d[t6 * n + t1] - d[t5 * n + t6]) - g2;
                    if (delta < -eps && delta >= -DBL_MAX) {
                        ls_move2(ls, t1, t2, t5, t6);
                        ls_move2(ls, t2, t5, t4, t3);
                        ls_three_done(ls, delta, t1, t2, t3, t4, t5, t6);
                        return true;
                    }
                }
            }
        }
    }
    return false;
}

/* improve: 2-opt, Or-opt, the segment exchange (directed); the 3-opt move
 * alone when ls->three */
static bool ls_improve(lsearch *ls, int32_t a) {
    if (ls->three) return ls_three_opt_move(ls, a);
    return ls_two_opt_move(ls, a) || ls_or_opt_move(ls, a) || ls_or_three_move(ls, a);
}

/* run: rounds of the queue until a round and a full pass apply nothing;
 * false if stopped. */
static bool ls_run(lsearch *ls) {
    int32_t n = ls->k->n;
    for (int32_t i = 0; i < n; i++) {
        ls->pos[ls->t[i]] = i;
        ls->in_q[i] = false;
    }
    if (n < 4) return true;
    uint32_t polls = 0;
    for (;;) {
        ls->head = 0;
        ls->count = 0;
        for (int32_t i = 0; i < n; i++) ls->in_q[i] = false;
        for (int32_t i = 0; i < n; i++) ls_push(ls, ls->t[i]);
        uint64_t before = ls->moves;
        while (ls->count > 0) {
            polls++;
            if ((polls & 255) == 0 && stop_requested(ls->k)) return false;
            int32_t a = ls_pop(ls);
            if (ls_improve(ls, a)) {
                ls->moves++;
                ls_push(ls, a);
            }
        }
        if (ls->moves != before) continue;
        switch (ls_full_two_opt(ls)) {
        case FULL_NONE:
            return true;
        case FULL_STOPPED:
            return false;
        }
    }
}

/* twoOptFrom: the nearest-neighbour tour from start in ls->t, improved,
 * building the neighbour lists first if needed; false if stopped (ls->t is
 * a tour either way). */
static bool ls_two_opt_from(lsearch *ls, int32_t start) {
    if (!nearest_into(ls->k, start, ls->t, ls->used)) return false;
    if (!ls->ready && !ls_neighbours(ls)) return false;
    return ls_run(ls);
}

static int32_t two_opt(kstate *k, int32_t start, int32_t *order) {
    lsearch ls;
    if (!ls_init(&ls, k)) return TSP_NO_MEMORY;
    bool ok = ls_two_opt_from(&ls, start);
    memcpy(order, ls.t, sizeof(int32_t) * (size_t)k->n);
    k->nodes = ls.moves;
    ls_free(&ls);
    return ok ? TSP_OK : TSP_STOPPED;
}

/* ---- Iterated (iterated.go) ---- */

#define KICK_MAX_LEN 100
#define KICK_MAX_LEN3 200 /* under the 3-opt move */
#define ITERATED_MIN_N 8

static uint64_t splitmix64(uint64_t *s) {
    *s += 0x9e3779b97f4a7c15ULL;
    uint64_t z = *s;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static int32_t rng_below(uint64_t *s, int32_t m) { return (int32_t)(splitmix64(s) % (uint64_t)m); }

static int32_t ls_at(const lsearch *ls, int32_t p, int32_t i) {
    int32_t n = ls->k->n;
    i += p;
    if (i >= n) i -= n;
    return ls->t[i];
}

/* doubleBridge */
static double ls_double_bridge(lsearch *ls, int32_t p, int32_t l1, int32_t l2) {
    int32_t n = ls->k->n;
    const double *d = ls->k->d;
    int32_t *tmp = ls->tmp;
    int32_t a = ls_at(ls, p, 0), b1 = ls_at(ls, p, 1), bl = ls_at(ls, p, l1);
    int32_t c1 = ls_at(ls, p, l1 + 1), cl = ls_at(ls, p, l1 + l2), dd = ls_at(ls, p, l1 + l2 + 1);
    double delta = ((d[a * n + c1] + d[cl * n + b1]) + d[bl * n + dd]) - ((d[a * n + b1] + d[bl * n + c1]) + d[cl * n + dd]);
    for (int32_t i = 0; i < l1 + l2; i++) tmp[i] = ls_at(ls, p, 1 + i);
    int32_t w = p + 1;
    const int32_t ranges[2][2] = {{l1, l1 + l2}, {0, l1}}; /* C, then B */
    for (int32_t r = 0; r < 2; r++) {
        for (int32_t j = ranges[r][0]; j < ranges[r][1]; j++) {
            if (w >= n) w -= n;
            ls_set(ls, w, tmp[j]);
            w++;
        }
    }
    ls_push(ls, a);
    ls_push(ls, b1);
    ls_push(ls, bl);
    ls_push(ls, c1);
    ls_push(ls, cl);
    ls_push(ls, dd);
    return delta;
}

/* drain */
static bool ls_drain(lsearch *ls, uint32_t *polls) {
    while (ls->count > 0) {
        (*polls)++;
        if ((*polls & 255) == 0 && stop_requested(ls->k)) return false;
        int32_t a = ls_pop(ls);
        if (ls_improve(ls, a)) {
            ls->moves++;
            ls_push(ls, a);
        }
    }
    return true;
}

/* kicks */
static int32_t ls_kicks(lsearch *ls, uint64_t seed, int64_t budget, int32_t *best) {
    int32_t n = ls->k->n;
    double best_len = cycle_length(ls->k, ls->t);
    double cur = best_len;
    uint64_t rng = seed;
    int32_t max_len = (n - 2) / 2;
    int32_t kick_max = ls->three ? KICK_MAX_LEN3 : KICK_MAX_LEN;
    if (max_len > kick_max) max_len = kick_max;
    uint32_t polls = 0;
    ls->journal_on = true;
    int32_t code = TSP_OK;
    for (int64_t kick = 0; budget <= 0 || kick < budget; kick++) {
        if (stop_requested(ls->k)) {
            code = TSP_STOPPED;
            break;
        }
        int32_t p = rng_below(&rng, n);
        int32_t l1 = 1 + rng_below(&rng, max_len);
        int32_t l2 = 1 + rng_below(&rng, max_len);
        cur += ls_double_bridge(ls, p, l1, l2);
        ls->gain = 0;
        if (!ls_drain(ls, &polls)) {
            ls_revert(ls);
            code = TSP_STOPPED;
            break;
        }
        if (ls->journal_failed) {
            code = TSP_NO_MEMORY;
            break;
        }
        cur += ls->gain;
        double diff = cur - best_len;
        if (diff <= 0 && diff >= -DBL_MAX) { /* no longer: keep it */
            ls->journal_len = 0;
            best_len = cur;
            if (diff < 0) improved(ls->k, cur, ls->moves, ls->t);
        } else {
            ls_revert(ls);
            cur = best_len;
        }
    }
    ls->journal_on = false;
    memcpy(best, ls->t, sizeof(int32_t) * (size_t)n);
    return code;
}

static int32_t iterated(kstate *k, int32_t start, uint64_t seed, int64_t budget, int32_t *order) {
    lsearch ls;
    if (!ls_init(&ls, k)) return TSP_NO_MEMORY;
    ls.three = !k->directed && k->n >= ITERATED_MIN_N;
    bool ok = ls_two_opt_from(&ls, start);
    int32_t code;
    if (!ok || k->n < ITERATED_MIN_N) {
        memcpy(order, ls.t, sizeof(int32_t) * (size_t)k->n);
        code = ok ? TSP_OK : TSP_STOPPED;
    } else {
        if (k->progress) improved(k, cycle_length(k, ls.t), ls.moves, ls.t);
        code = ls_kicks(&ls, seed, budget, order);
    }
    k->nodes = ls.moves;
    ls_free(&ls);
    return code;
}

/* ---- Exact (exact.go) ---- */

#define EDGE_FREE 0
#define EDGE_IN 1
#define EDGE_OUT (-1)

#define ASCENT_OPEN 0
#define ASCENT_CLOSED 1
#define ASCENT_STOPPED 2
#define ROOT_LAMBDA 2.0
#define CHILD_LAMBDA 2.0
#define MIN_LAMBDA 1e-4
#define HK_MAX_INTEGRAL_UB 1e8
#define HK_TOLERANCE 1e-9           /* relative to the upper bound */
#define HK_MIN_TOLERANCE 0x1p-1074 /* the smallest positive double */
#define HK_ROOT_ITERATIONS 900
#define HK_ROOT_PER_CITY 12
#define HK_CHILD_ITERS 90
#define HK_CHILD_PERIOD 6
#define HK_TIGHTEN_ROUNDS 3
#define HK_KICKS_PER_CITY 20 /* the kicks of the iterated search after the root */
#define HK_KICK_SEED 1

typedef struct {
    int32_t mark;
    double bound;
    int32_t v, a, b;
    int32_t next;
    int32_t nch;
    /* e_from, e_to: the node's edges that were not excluded when it was
     * pushed, f_ed[e_from:e_to] (none when its 1-tree was not sparse) */
    size_t e_from, e_to;
    bool e_ok;
} hkframe;

/* hkPair (exact.go): an edge (i, j), 0 < i < j. */
typedef struct {
    int32_t i, j;
} hkpair;

/* hkEdge (exact.go): an edge of the sparse 1-tree, and in b_edge its
 * place in k_ed. */
typedef struct {
    double d;
    int32_t i, j;
    bool in;
    int32_t id;
} hkedge;

/* hkKey (exact.go): a bundle as hk_contract sorts it, with its lightest
 * edge's place in k_ed (rep) for the order among equal weights. */
typedef struct {
    double w;
    int32_t rep;
    int32_t b;
    uint16_t ci, cj; /* n <= TSP_MAX_EXACT */
} hkkey;

/* hkSet (exact.go): kruskal's state of one component. */
typedef struct {
    int32_t lab, head, next, size;
} hkset;

/* hkVertex (exact.go): Prim's state of one city, its four fields
   together, as in Go: in WebAssembly one bounds check covers them. */
typedef struct {
    double key;     /* the weight of the edge (parent, v) */
    int32_t parent; /* -1 while v has no edge to the tree */
    bool forced;    /* the edge (parent, v) is included */
    bool done;      /* v is in the tree */
} hkvx;

typedef struct {
    kstate *k;
    int32_t n;
    const double *d;
    int8_t *state;
    int32_t *inc;
    int32_t *in_deg;
    int32_t *avail;
    int32_t *undo;
    size_t undo_len, undo_cap;

    double *pi;
    double *best_pi;
    double *pi_stack;
    size_t pi_stack_frames; /* capacity in frames */
    hkframe *frames;
    size_t frames_len, frames_cap;

    hkvx *vx; /* Prim's state of each city */
    int32_t *prim;
    int32_t *deg;
    int32_t s1, s2;
    double w1, w2;
    double tree_l;
    double *mx;
    int32_t *adj;
    int32_t *cyc;
    int32_t period;
    /* the sparse 1-tree (Kruskal; buildAdj in exact.go) */
    hkedge *k_ed; /* free edges (0 < i < j), in index order */
    size_t k_e_len;
    hkedge *k_f; /* included edges (0 < i < j) */
    size_t k_f_len;
    /* contract (exact.go): components and bundles */
    hkedge *k_ft; /* the included edges kruskal takes */
    size_t k_ft_len;
    int32_t *f_deg, *comp;
    int32_t n_comp;
    int32_t *b_start; /* bundle b's edges: b_edge[b_start[b]..b_start[b+1]) */
    hkedge *b_edge;
    int32_t n_single; /* bundles 0..n_single-1 have one edge */
    size_t n_bundles;
    double *b_w;    /* each bundle's weight: its lightest edge's */
    int32_t *b_rep; /* and that edge */
    int32_t *pair_b, *b_of, *b_ren, *b_tmp;
    hkpair *b_comp;
    hkkey *b_keys;
    double *kw;   /* kruskal's keys, sorted: the weight, */
    uint64_t *km; /* and the bundle (hkKey.meta) */
    int32_t *mv;
    hkset *sets;
    int32_t *t_ids; /* the free edges kruskal took, in order */
    size_t t_len;
    hkpair *f_ed; /* the frames' edge lists (hkframe.e_from), stacked */
    size_t f_ed_len, f_ed_cap;
    hkpair *scr; /* scratch of hk_tighten: the edges of k_f and k_ed */
    size_t scr_len, scr_cap;
    const hkpair *src; /* the edges hk_build_adj reads when src_ok, else all n² states */
    size_t src_len;
    bool src_ok;
    int32_t *uf;
    hkedge *tree; /* the tree's edges, in the order taken */
    size_t tree_len;
    int32_t *t_start, *t_nb, *t_fill; /* the tree's adjacency */
    int32_t *depth;
    double *cover;
    double wn; /* the cheapest free edge of city 0 besides s1, s2 (hk_compute_cover) */
    bool sparse;
    bool paired; /* more than half the cities had an included edge after the root (hk_branch_city) */
    double *rs;  /* scratch of hk_branch_city: a city's rises, sorted */
    double ub;
    double lim;
    bool integer;
    int32_t *best;
    bool oom; /* an allocation failed */
} heldkarp;

static void hk_free(heldkarp *h) {
    free(h->state);
    free(h->inc);
    free(h->in_deg);
    free(h->avail);
    free(h->undo);
    free(h->pi);
    free(h->best_pi);
    free(h->pi_stack);
    free(h->frames);
    free(h->vx);
    free(h->prim);
    free(h->deg);
    free(h->mx);
    free(h->adj);
    free(h->cyc);
    free(h->best);
    free(h->k_ed);
    free(h->k_f);
    free(h->k_ft);
    free(h->f_deg);
    free(h->comp);
    free(h->b_start);
    free(h->b_edge);
    free(h->b_w);
    free(h->b_rep);
    free(h->pair_b);
    free(h->b_of);
    free(h->b_ren);
    free(h->b_tmp);
    free(h->b_comp);
    free(h->b_keys);
    free(h->kw);
    free(h->km);
    free(h->mv);
    free(h->sets);
    free(h->t_ids);
    free(h->f_ed);
    free(h->scr);
    free(h->uf);
    free(h->tree);
    free(h->t_start);
    free(h->t_nb);
    free(h->t_fill);
    free(h->depth);
    free(h->cover);
    free(h->rs);
}

/* newHeldKarp; false when out of memory. */
static bool hk_init(heldkarp *h, kstate *k) {
    int32_t n = k->n;
    size_t nn = (size_t)n * (size_t)n;
    memset(h, 0, sizeof *h);
    h->k = k;
    h->n = n;
    h->d = k->d;
    h->state = calloc(nn, sizeof(int8_t));
    h->inc = calloc(2 * (size_t)n, sizeof(int32_t));
    h->in_deg = calloc((size_t)n, sizeof(int32_t));
    h->avail = calloc((size_t)n, sizeof(int32_t));
    h->pi = calloc((size_t)n, sizeof(double));
    h->best_pi = calloc((size_t)n, sizeof(double));
    h->vx = calloc((size_t)n, sizeof(hkvx));
    h->prim = calloc((size_t)n, sizeof(int32_t));
    h->deg = calloc((size_t)n, sizeof(int32_t));
    h->mx = calloc(nn, sizeof(double));
    h->adj = calloc(2 * (size_t)n, sizeof(int32_t));
    h->cyc = calloc((size_t)n, sizeof(int32_t));
    h->best = calloc((size_t)n, sizeof(int32_t));
    size_t ne = nn / 2 + 1; /* at most this many free edges, or bundles */
    h->k_ed = calloc(ne, sizeof(hkedge));
    h->k_f = calloc((size_t)n, sizeof(hkedge));
    h->k_ft = calloc((size_t)n, sizeof(hkedge));
    h->f_deg = calloc((size_t)n, sizeof(int32_t));
    h->comp = calloc((size_t)n, sizeof(int32_t));
    h->b_start = calloc(ne + 1, sizeof(int32_t));
    h->b_edge = calloc(ne, sizeof(hkedge));
    h->b_w = calloc(ne, sizeof(double));
    h->b_rep = calloc(ne, sizeof(int32_t));
    h->pair_b = malloc(nn * sizeof(int32_t));
    h->b_of = calloc(ne, sizeof(int32_t));
    h->b_ren = calloc(ne, sizeof(int32_t));
    h->b_tmp = calloc(ne + 1, sizeof(int32_t));
    h->b_comp = calloc(ne, sizeof(hkpair));
    h->b_keys = calloc(ne, sizeof(hkkey));
    h->kw = calloc(ne, sizeof(double));
    h->km = calloc(ne, sizeof(uint64_t));
    h->mv = calloc(ne, sizeof(int32_t));
    h->sets = calloc((size_t)n, sizeof(hkset));
    h->t_ids = calloc((size_t)n, sizeof(int32_t));
    h->uf = calloc((size_t)n, sizeof(int32_t));
    h->tree = calloc((size_t)n, sizeof(hkedge));
    h->t_start = calloc((size_t)n + 1, sizeof(int32_t));
    h->t_nb = calloc(2 * (size_t)n, sizeof(int32_t));
    h->t_fill = calloc((size_t)n, sizeof(int32_t));
    h->depth = calloc((size_t)n, sizeof(int32_t));
    h->cover = calloc((size_t)n, sizeof(double));
    h->rs = calloc((size_t)n, sizeof(double));
    if (!h->state || !h->inc || !h->in_deg || !h->avail || !h->pi || !h->best_pi || !h->vx || !h->prim || !h->deg || !h->mx || !h->adj || !h->cyc || !h->best || !h->k_ed ||
        !h->k_f || !h->uf || !h->tree || !h->t_start || !h->t_nb || !h->t_fill || !h->depth || !h->cover || !h->rs || !h->k_ft || !h->f_deg || !h->comp ||
        !h->b_start || !h->b_edge || !h->b_w || !h->b_rep || !h->pair_b || !h->b_of || !h->b_ren || !h->b_tmp || !h->b_comp || !h->b_keys || !h->kw || !h->km ||
        !h->mv || !h->sets || !h->t_ids) {
        hk_free(h);
        return false;
    }
    for (size_t i = 0; i < nn; i++) h->pair_b[i] = -1;
    for (int32_t i = 0; i < n; i++) h->avail[i] = n - 1;
    h->integer = true;
    for (size_t i = 0; i < nn; i++) {
        double v = h->d[i];
        if (!(v < 1e15 && v == (double)(int64_t)v)) {
            h->integer = false;
            break;
        }
    }
    h->period = n;
    if (h->period < 5) h->period = 5;
    return true;
}

static void hk_set_ub(heldkarp *h, double v) {
    h->ub = v;
    double tol = HK_TOLERANCE * v;
    if (!(tol >= HK_MIN_TOLERANCE)) tol = HK_MIN_TOLERANCE; /* v = 0, or 1e-9*v underflows */
    if (h->integer && v < HK_MAX_INTEGRAL_UB) {
        h->lim = (v - 1) + tol;
    } else {
        h->lim = v - tol;
    }
}

static void hk_set(heldkarp *h, int32_t i, int32_t j, int8_t s) {
    int32_t n = h->n;
    h->state[i * n + j] = s;
    h->state[j * n + i] = s;
    if (h->undo_len == h->undo_cap) {
        size_t cap = h->undo_cap ? 2 * h->undo_cap : 1024;
        int32_t *u = realloc(h->undo, cap * sizeof(int32_t));
        if (!u) {
            /* Keep the state consistent: revert and flag; the caller sees
             * the edge as free, and the search ends with TSP_NO_MEMORY. */
            h->state[i * n + j] = EDGE_FREE;
            h->state[j * n + i] = EDGE_FREE;
            h->oom = true;
            return;
        }
        h->undo = u;
        h->undo_cap = cap;
    }
    h->undo[h->undo_len++] = i < j ? i * n + j : j * n + i;
}

static void hk_undo_to(heldkarp *h, int32_t mark) {
    int32_t n = h->n;
    while ((int32_t)h->undo_len > mark) {
        int32_t e = h->undo[--h->undo_len];
        int32_t i = e / n, j = e % n;
        if (h->state[e] == EDGE_IN) {
            h->in_deg[i]--;
            h->in_deg[j]--;
        } else {
            h->avail[i]++;
            h->avail[j]++;
        }
        h->state[e] = EDGE_FREE;
        h->state[j * n + i] = EDGE_FREE;
    }
}

static bool hk_exclude(heldkarp *h, int32_t i, int32_t j) {
    switch (h->state[i * h->n + j]) {
    case EDGE_OUT:
        return true;
    case EDGE_IN:
        return false;
    }
    hk_set(h, i, j, EDGE_OUT);
    if (h->oom) return false;
    h->avail[i]--;
    h->avail[j]--;
    return h->avail[i] >= 2 && h->avail[j] >= 2;
}

/* walk: returns the end; *cnt the count; *cycle whether it came back. */
static int32_t hk_walk(const heldkarp *h, int32_t s, int32_t from, int32_t *cnt, bool *cycle) {
    int32_t prev = from, cur = s;
    *cnt = 1;
    for (;;) {
        int32_t nx = -1;
        for (int32_t t = 0; t < h->in_deg[cur]; t++) {
            int32_t y = h->inc[2 * cur + t];
            if (y != prev) nx = y;
        }
        if (nx < 0) {
            *cycle = false;
            return cur;
        }
        if (nx == from) {
            *cnt += 1;
            *cycle = true;
            return cur;
        }
        prev = cur;
        cur = nx;
        (*cnt)++;
        if (*cnt > h->n) {
            *cycle = true;
            return cur;
        }
    }
}

static bool hk_include(heldkarp *h, int32_t i, int32_t j) {
    int32_t n = h->n;
    switch (h->state[i * n + j]) {
    case EDGE_IN:
        return true;
    case EDGE_OUT:
        return false;
    }
    if (h->in_deg[i] == 2 || h->in_deg[j] == 2) return false;
    hk_set(h, i, j, EDGE_IN);
    if (h->oom) return false;
    h->inc[2 * i + h->in_deg[i]] = j;
    h->in_deg[i]++;
    h->inc[2 * j + h->in_deg[j]] = i;
    h->in_deg[j]++;
    int32_t ca, cb;
    bool cycle;
    int32_t ea = hk_walk(h, i, j, &ca, &cycle);
    if (cycle) return ca == n;
    int32_t eb = hk_walk(h, j, i, &cb, &cycle);
    if (ca + cb < n && ca + cb > 2 && !hk_exclude(h, ea, eb)) return false;
    int32_t vs[2] = {i, j};
    for (int q = 0; q < 2; q++) {
        int32_t v = vs[q];
        if (h->in_deg[v] == 2) {
            for (int32_t u = 0; u < n; u++) {
                if (u != v && h->state[v * n + u] == EDGE_FREE && !hk_exclude(h, v, u)) return false;
            }
        }
    }
    return true;
}

/* hk_list_edge puts edge (i, j) of state st and distance d in k_f
   (included) or k_ed (free); an excluded edge nowhere. */
static void hk_list_edge(heldkarp *h, int32_t i, int32_t j, int8_t st, double d) {
    if (st == EDGE_IN) {
        hkedge e = {d, i, j, true, 0};
        h->k_f[h->k_f_len++] = e;
    } else if (st == EDGE_FREE) {
        hkedge e = {d, i, j, false, 0};
        h->k_ed[h->k_e_len++] = e;
    }
}

static void hk_contract(heldkarp *h);

/* buildAdj (exact.go): the edges between cities 1..n-1 that are not
   excluded (included ones in k_f, free ones in k_ed), and the
   choice of the sparse 1-tree when they are fewer than a quarter of all;
   from h->src (a parent's list, or hk_tighten's) when h->src_ok. */
static void hk_build_adj(heldkarp *h) {
    int32_t n = h->n;
    int32_t m = 0;
    for (int32_t i = 1; i < n; i++) m += h->avail[i];
    h->sparse = m <= (n - 1) * (n - 1) / 4;
    const hkpair *src = h->src;
    size_t src_len = h->src_len;
    bool src_ok = h->src_ok;
    h->src = NULL;
    h->src_len = 0;
    h->src_ok = false;
    if (!h->sparse) return;
    h->k_e_len = 0;
    h->k_f_len = 0;
    if (src_ok) {
        /* every edge that is not excluded is in src, in index order: the
         * states only moved from free since src was taken */
        for (size_t q = 0; q < src_len; q++) {
            size_t x = (size_t)src[q].i * (size_t)n + (size_t)src[q].j;
            hk_list_edge(h, src[q].i, src[q].j, h->state[x], h->d[x]);
        }
    } else {
        for (int32_t i = 1; i < n; i++) {
            const int8_t *row = h->state + (size_t)i * (size_t)n;
            const double *drow = h->d + (size_t)i * (size_t)n;
            for (int32_t j = i + 1; j < n; j++) hk_list_edge(h, i, j, row[j], drow[j]);
        }
    }
    hk_contract(h);
}

/* mergeEdges (exact.go): appends to (*dst)[*len:] the edges of k_f and k_ed
 * (each in index order) that are not excluded, in index order, growing
 * *dst; false when out of memory. */
static bool hk_merge_edges(heldkarp *h, hkpair **dst, size_t *len, size_t *cap) {
    size_t need = *len + h->k_f_len + h->k_e_len;
    if (need > *cap) {
        size_t c = *cap ? 2 * *cap : 256;
        while (c < need) c *= 2;
        hkpair *p = realloc(*dst, c * sizeof(hkpair));
        if (!p) {
            h->oom = true;
            return false;
        }
        *dst = p;
        *cap = c;
    }
    size_t n = (size_t)h->n, a = 0, b = 0, l = *len;
    const hkedge *f = h->k_f, *e = h->k_ed;
    while (a < h->k_f_len || b < h->k_e_len) {
        const hkedge *x;
        if (b == h->k_e_len || (a < h->k_f_len && (f[a].i < e[b].i || (f[a].i == e[b].i && f[a].j < e[b].j)))) {
            x = &f[a++];
        } else {
            x = &e[b++];
        }
        if (h->state[(size_t)x->i * n + (size_t)x->j] != EDGE_OUT) {
            hkpair p = {x->i, x->j};
            (*dst)[l++] = p;
        }
    }
    *len = l;
    return true;
}

/* hk_add_city adds city v, Prim's cnt-th, to the tree. */
static void hk_add_city(heldkarp *h, int32_t cnt, int32_t v, double *sum) {
    h->vx[v].done = true;
    h->prim[cnt] = v;
    *sum += h->vx[v].key;
    h->deg[v]++;
    h->deg[h->vx[v].parent]++;
}

static int32_t uf_find(int32_t *uf, int32_t x) {
    while (uf[x] != x) {
        uf[x] = uf[uf[x]];
        x = uf[x];
    }
    return x;
}

/* contract (exact.go): the components that the included edges make of
   cities 1..n-1 (kruskal takes those edges first: k_ft), and the bundles of
   free edges between two components, those of one edge first; kruskal's
   keys, one per bundle, sorted under the current penalties. */
static int hk_key_cmp(const void *pa, const void *pb) {
    const hkkey *a = pa, *b = pb;
    if (a->w < b->w) return -1;
    if (a->w > b->w) return 1;
    return (a->rep > b->rep) - (a->rep < b->rep);
}

static void hk_weigh(const hkedge *be, const int32_t *bs, int32_t ns, size_t nb, const double *pi, double *bw, int32_t *br);

static void hk_contract(heldkarp *h) {
    int32_t n = h->n;
    int32_t *uf = h->uf, *fd = h->f_deg, *comp = h->comp;
    for (int32_t i = 0; i < n; i++) {
        uf[i] = i;
        fd[i] = 0;
        comp[i] = -1;
    }
    h->k_ft_len = 0;
    for (size_t q = 0; q < h->k_f_len; q++) {
        const hkedge *x = &h->k_f[q];
        int32_t ri = uf_find(uf, x->i), rj = uf_find(uf, x->j);
        if (ri == rj) continue; /* never: included edges form paths */
        uf[ri] = rj;
        fd[x->i]++;
        fd[x->j]++;
        h->k_ft[h->k_ft_len++] = *x;
    }
    int32_t c = 0;
    for (int32_t i = 1; i < n; i++) {
        int32_t r = uf_find(uf, i);
        if (comp[r] < 0) comp[r] = c++;
        comp[i] = comp[r];
    }
    h->n_comp = c;
    /* bundles, numbered first by their lowest edge: pair_b[a*c+b] for the
     * components a < b, and each bundle's size in b_start */
    int32_t *pb = h->pair_b, *bs = h->b_start, *b_of = h->b_of, *ren = h->b_ren, *start = h->b_tmp;
    hkpair *cc = h->b_comp;
    const hkedge *ed = h->k_ed;
    size_t ne = h->k_e_len, nb = 0;
    for (size_t k = 0; k < ne; k++) {
        int32_t a = comp[ed[k].i], b = comp[ed[k].j];
        if (a == b) {
            b_of[k] = -1;
            continue;
        }
        if (a > b) {
            int32_t t = a;
            a = b;
            b = t;
        }
        int32_t x = pb[a * c + b];
        if (x < 0) {
            x = (int32_t)nb++;
            pb[a * c + b] = x;
            bs[x] = 0;
            cc[x].i = a;
            cc[x].j = b;
        }
        bs[x]++;
        b_of[k] = x;
    }
    for (size_t x = 0; x < nb; x++) pb[cc[x].i * c + cc[x].j] = -1;
    /* renumber: bundles of one edge first, each group in its order */
    int32_t ns = 0;
    for (size_t x = 0; x < nb; x++) ns += bs[x] == 1;
    int32_t i1 = 0, i2 = ns;
    for (size_t x = 0; x < nb; x++) ren[x] = bs[x] == 1 ? i1++ : i2++;
    h->n_single = ns;
    for (size_t x = 0; x <= nb; x++) start[x] = 0;
    for (size_t x = 0; x < nb; x++) start[ren[x] + 1] = bs[x];
    for (size_t x = 1; x <= nb; x++) start[x] += start[x - 1];
    memcpy(bs, start, (nb + 1) * sizeof *bs);
    hkedge *be = h->b_edge;
    for (size_t k = 0; k < ne; k++) {
        int32_t x = b_of[k];
        if (x < 0) continue;
        hkedge e = ed[k];
        e.id = (int32_t)k;
        be[start[ren[x]]++] = e;
    }
    h->n_bundles = nb;
    for (int32_t b = 0; b < ns; b++) h->b_rep[b] = be[b].id; /* a bundle of one edge: always that edge */
    hk_weigh(be, bs, ns, nb, h->pi, h->b_w, h->b_rep);
    hkkey *keys = h->b_keys;
    for (size_t x = 0; x < nb; x++) {
        int32_t y = ren[x];
        hkkey key = {h->b_w[y], h->b_rep[y], y, (uint16_t)cc[x].i, (uint16_t)cc[x].j};
        keys[y] = key;
    }
    if (nb > 1) qsort(keys, nb, sizeof *keys, hk_key_cmp);
    for (size_t k = 0; k < nb; k++) {
        h->kw[k] = keys[k].w;
        h->km[k] = (uint64_t)(uint32_t)keys[k].b | (uint64_t)keys[k].ci << 32 | (uint64_t)keys[k].cj << 48;
    }
}

/* weigh (exact.go): each bundle's weight under the penalties, its
   lightest edge's (the lowest index among equal weights), and for a bundle
   of more than one edge that edge's place in k_ed. */
static void hk_weigh(const hkedge *be, const int32_t *bs, int32_t ns, size_t nb, const double *pi, double *bw, int32_t *br) {
    for (int32_t b = 0; b < ns; b++) {
        const hkedge *e = &be[b];
        bw[b] = (e->d + pi[e->i]) + pi[e->j];
    }
    for (size_t b = (size_t)ns; b < nb; b++) {
        int32_t s = bs[b], t = bs[b + 1];
        const hkedge *e = &be[s];
        int32_t r = e->id;
        double v = (e->d + pi[e->i]) + pi[e->j];
        for (int32_t q = s + 1; q < t; q++) { /* in index order: ties keep the first */
            e = &be[q];
            double x = (e->d + pi[e->i]) + pi[e->j];
            if (x < v) {
                r = e->id;
                v = x;
            }
        }
        bw[b] = v;
        br[b] = r;
    }
}

/* sortKeys (exact.go): the keys weighed by their bundles and sorted by
   weight, then by the lightest edge's index, by insertion of only the keys
   below the largest key before them (listed without branches). */
static void hk_sort_keys(double *kw, uint64_t *km, size_t len, const double *bw, const int32_t *br, int32_t *mv) {
    size_t m = 0;
    int64_t hi = INT64_MIN; /* the largest key so far, as an ordered integer */
    for (size_t k = 0; k < len; k++) {
        double w = bw[(uint32_t)km[k]];
        kw[k] = w;
        int64_t x; /* w's bits as an integer in w's order (-0 and +0 the same) */
        memcpy(&x, &w, sizeof x);
        x ^= (int64_t)((uint64_t)(x >> 63) & (uint64_t)INT64_MAX);
        x -= x >> 63;
        mv[m] = (int32_t)k;
        m += x <= hi; /* a tie may move too, by its index */
        hi = x > hi ? x : hi;
    }
    for (size_t t = 0; t < m; t++) {
        size_t k = (size_t)mv[t], q = k;
        double xw = kw[k];
        uint64_t xm = km[k];
        int32_t xr = br[(uint32_t)xm];
        for (; q > 0; q--) {
            double yw = kw[q - 1];
            if (!(yw > xw || (yw == xw && br[(uint32_t)km[q - 1]] > xr))) break;
            kw[q] = yw;
            km[q] = km[q - 1];
        }
        kw[q] = xw;
        km[q] = xm;
    }
}

/* joinKeys (exact.go): kruskal's scan of the sorted keys; a key's bundle
   joins its two components unless they carry the same label, the smaller
   set taking the larger one's label. Returns the edges written to tl. */
static size_t hk_join_keys(const double *kw, const uint64_t *km, size_t len, const int32_t *br, hkset *sets, int32_t *tl, size_t need, double *sum) {
    size_t t = 0;
    double s = *sum;
    for (size_t k = 0; k < len && t < need; k++) {
        uint64_t x = km[k];
        int32_t la = sets[(uint16_t)(x >> 32)].lab, lb = sets[x >> 48].lab;
        if (la == lb) continue;
        if (sets[la].size < sets[lb].size) {
            int32_t u = la;
            la = lb;
            lb = u;
        }
        int32_t m = sets[lb].head;
        for (;;) {
            sets[m].lab = la;
            if (sets[m].next < 0) break;
            m = sets[m].next;
        }
        sets[m].next = sets[la].head;
        sets[la].head = sets[lb].head;
        sets[la].size += sets[lb].size;
        s += kw[k];
        tl[t++] = br[(uint32_t)x];
    }
    *sum = s;
    return t;
}

/* kruskal (exact.go): the spanning tree of cities 1..n-1 over the edges of
   hk_build_adj: the included edges, in index order, then the free ones by
   weight (then index), each taken unless it closes a cycle, run on
   hk_contract's components and bundles (the same edges in the same order,
   the same sum); degrees, and the free edges taken in t_ids. */
static bool hk_kruskal(heldkarp *h, double *sum_out) {
    int32_t n = h->n;
    const double *pi = h->pi;
    int32_t *deg = h->deg;
    memcpy(deg, h->f_deg, (size_t)n * sizeof *deg);
    hk_weigh(h->b_edge, h->b_start, h->n_single, h->n_bundles, pi, h->b_w, h->b_rep);
    hk_sort_keys(h->kw, h->km, h->n_bundles, h->b_w, h->b_rep, h->mv);
    int32_t c = h->n_comp;
    for (int32_t i = 0; i < c; i++) {
        hkset x = {i, i, -1, 1};
        h->sets[i] = x;
    }
    double sum = 0.0;
    for (size_t q = 0; q < h->k_ft_len; q++) {
        const hkedge *x = &h->k_ft[q];
        sum += (x->d + pi[x->i]) + pi[x->j];
    }
    size_t need = (size_t)(c - 1);
    size_t t = hk_join_keys(h->kw, h->km, h->n_bundles, h->b_rep, h->sets, h->t_ids, need, &sum);
    for (size_t q = 0; q < t; q++) {
        const hkedge *e = &h->k_ed[h->t_ids[q]];
        deg[e->i]++;
        deg[e->j]++;
    }
    h->t_len = t;
    *sum_out = sum;
    return t == need;
}

/* rootTree (exact.go): kruskal's tree rooted at city 1, breadth first. */
/* hk_clear_prim: Prim's state before a tree, city 1 in it. */
static void hk_clear_prim(heldkarp *h) {
    for (int32_t v = 0; v < h->n; v++) {
        h->vx[v].key = INFINITY;
        h->vx[v].forced = false;
        h->vx[v].parent = -1;
        h->vx[v].done = false;
    }
    h->vx[1].done = true;
    h->prim[0] = 1;
}

static void hk_root_tree(heldkarp *h) {
    int32_t n = h->n;
    const double *pi = h->pi;
    size_t tl = 0; /* the tree's edges, in the order kruskal took them */
    for (size_t q = 0; q < h->k_ft_len; q++) h->tree[tl++] = h->k_ft[q];
    for (size_t q = 0; q < h->t_len; q++) h->tree[tl++] = h->k_ed[h->t_ids[q]];
    h->tree_len = tl;
    hk_clear_prim(h);
    int32_t *ts = h->t_start, *tn = h->t_nb, *fill = h->t_fill;
    for (int32_t i = 0; i <= n; i++) ts[i] = 0;
    for (size_t k = 0; k < h->tree_len; k++) {
        ts[h->tree[k].i + 1]++;
        ts[h->tree[k].j + 1]++;
    }
    for (int32_t i = 1; i <= n; i++) ts[i] += ts[i - 1];
    memcpy(fill, ts, sizeof(int32_t) * (size_t)n);
    for (size_t k = 0; k < h->tree_len; k++) {
        const hkedge *x = &h->tree[k];
        tn[fill[x->i]++] = (int32_t)k;
        tn[fill[x->j]++] = (int32_t)k;
    }
    int32_t cnt = 1;
    for (int32_t q = 0; q < cnt; q++) {
        int32_t v = h->prim[q];
        for (int32_t t = ts[v]; t < ts[v + 1]; t++) {
            const hkedge *x = &h->tree[tn[t]];
            int32_t u = x->i == v ? x->j : x->i;
            if (h->vx[u].done) continue;
            h->vx[u].key = (x->d + pi[x->i]) + pi[x->j];
            h->vx[u].parent = v;
            h->vx[u].forced = x->in;
            h->vx[u].done = true;
            h->prim[cnt++] = u;
        }
    }
}

static bool hk_one_tree(heldkarp *h, bool root) {
    int32_t n = h->n;
    const double *d = h->d;
    const double *pi = h->pi;
    const int8_t *st = h->state;
    for (int32_t v = 0; v < n; v++) h->deg[v] = 0;
    double sum = 0.0;
    int32_t last = 1;
    if (h->sparse) { /* Prim's state is hk_root_tree's to set */
        if (!hk_kruskal(h, &sum)) return false;
        if (root) hk_root_tree(h);
    } else {
        hk_clear_prim(h);
    }
    for (int32_t cnt = 1; cnt < n - 1 && !h->sparse; cnt++) {
        int32_t row = last * n;
        double pl = pi[last];
        int32_t best = -1;
        hkvx *vx = h->vx;
        for (int32_t u = 1; u < n; u++) {
            hkvx *x = &vx[u];
            if (x->done) continue; /* the last field first: one bounds check in WebAssembly */
            int8_t s = st[row + u];
            if (s != EDGE_OUT) {
                double w = (d[row + u] + pl) + pi[u];
                bool f = s == EDGE_IN;
                if ((f && !x->forced) || (f == x->forced && w < x->key)) {
                    x->key = w;
                    x->forced = f;
                    x->parent = last;
                }
            }
            if (x->parent >= 0 &&
                (best < 0 || (x->forced && !vx[best].forced) ||
                 (x->forced == vx[best].forced && x->key < vx[best].key))) {
                best = u;
            }
        }
        if (best < 0) return false;
        hk_add_city(h, cnt, best, &sum);
        last = best;
    }
    int32_t s1 = -1, s2 = -1, c1 = -1, c2 = -1;
    double w1 = 0, w2 = 0, wc1 = 0, wc2 = 0;
    for (int32_t u = 1; u < n; u++) {
        int8_t s = st[u];
        if (s == EDGE_OUT) continue;
        double w = (d[u] + pi[0]) + pi[u];
        if (s == EDGE_IN) {
            if (s1 < 0) {
                s1 = u;
                w1 = w;
            } else {
                s2 = u;
                w2 = w;
            }
            continue;
        }
        if (c1 < 0 || w < wc1) {
            c2 = c1;
            wc2 = wc1;
            c1 = u;
            wc1 = w;
        } else if (c2 < 0 || w < wc2) {
            c2 = u;
            wc2 = w;
        }
    }
    if (s1 < 0) {
        s1 = c1;
        w1 = wc1;
        s2 = c2;
        w2 = wc2;
    } else if (s2 < 0) {
        s2 = c1;
        w2 = wc1;
    }
    if (s1 < 0 || s2 < 0) return false;
    h->s1 = s1;
    h->s2 = s2;
    h->w1 = w1;
    h->w2 = w2;
    h->deg[0] = 2;
    h->deg[s1]++;
    h->deg[s2]++;
    double psum = 0.0;
    for (int32_t i = 0; i < n; i++) psum += pi[i];
    h->tree_l = ((sum + w1) + w2) - 2 * psum;
    return true;
}

static void hk_tour_from_tree(heldkarp *h) {
    int32_t n = h->n;
    int32_t *adj = h->adj;
    for (int32_t i = 0; i < 2 * n; i++) adj[i] = -1;
#define LINK(a, b)                                                                                                     \
    do {                                                                                                               \
        if (adj[2 * (a)] < 0)                                                                                          \
            adj[2 * (a)] = (b);                                                                                        \
        else                                                                                                           \
            adj[2 * (a) + 1] = (b);                                                                                    \
    } while (0)
    for (int32_t v = 1; v < n; v++) {
        int32_t p = h->vx[v].parent;
        if (p >= 0) {
            LINK(v, p);
            LINK(p, v);
        }
    }
    LINK(0, h->s1);
    LINK(h->s1, 0);
    LINK(0, h->s2);
    LINK(h->s2, 0);
#undef LINK
    int32_t prev = -1, cur = 0;
    for (int32_t i = 0; i < n; i++) {
        h->cyc[i] = cur;
        int32_t nx = adj[2 * cur];
        if (nx == prev) nx = adj[2 * cur + 1];
        prev = cur;
        cur = nx;
    }
    double l = cycle_length(h->k, h->cyc);
    if (l < h->ub) {
        hk_set_ub(h, l);
        memcpy(h->best, h->cyc, sizeof(int32_t) * (size_t)n);
        improved(h->k, l, h->k->nodes, h->best);
    }
}

/* openBound (exact.go): after a subtree ends, the smallest bound of the
 * frames with children left, or the best length. */
static void hk_open_bound(heldkarp *h) {
    double lb = h->ub;
    for (size_t i = 0; i < h->frames_len; i++) {
        const hkframe *g = &h->frames[i];
        if (g->next < g->nch && g->bound < lb) lb = g->bound;
    }
    bounded(h->k, lb, h->ub, h->best);
}

/* ascent: returns the result code, *bound the bound. */
static int32_t hk_ascent(heldkarp *h, int32_t iters, double lambda, int32_t period, double *bound) {
    int32_t n = h->n;
    hk_build_adj(h);
    double best_l = -INFINITY;
    int32_t since = 0;
    for (int32_t it = 0; it < iters; it++) {
        if (stop_requested(h->k)) {
            *bound = best_l;
            return ASCENT_STOPPED;
        }
        if (!hk_one_tree(h, false)) {
            *bound = best_l;
            return ASCENT_CLOSED;
        }
        double L = h->tree_l;
        if (!(L >= -DBL_MAX && L <= DBL_MAX)) break; /* an overflow (check_distances prevents it) */
        if (L > best_l) {
            best_l = L;
            memcpy(h->best_pi, h->pi, sizeof(double) * (size_t)n);
            since = 0;
        } else {
            since++;
            if (since >= period) {
                lambda *= 0.5;
                since = 0;
            }
        }
        int32_t norm = 0;
        for (int32_t i = 0; i < n; i++) {
            int32_t g = h->deg[i] - 2;
            norm += g * g;
        }
        if (norm == 0) {
            if (h->sparse) hk_root_tree(h);
            hk_tour_from_tree(h);
            *bound = L;
            return ASCENT_CLOSED;
        }
        if (best_l > h->lim) {
            *bound = best_l;
            return ASCENT_CLOSED;
        }
        if (lambda < MIN_LAMBDA) break;
        double t = lambda * (h->ub - L) / (double)norm;
        for (int32_t i = 0; i < n; i++) {
            int32_t g = h->deg[i] - 2;
            if (g != 0) h->pi[i] += t * (double)g;
        }
    }
    memcpy(h->pi, h->best_pi, sizeof(double) * (size_t)n);
    hk_one_tree(h, true);
    *bound = best_l;
    return ASCENT_OPEN;
}

/* eliminateSparse (exact.go): the edges between cities 1..n-1 of the
   sparse 1-tree, each against the heaviest free tree edge on its tree path,
   walking up from both ends. */
static bool hk_eliminate_sparse(heldkarp *h) {
    int32_t n = h->n;
    const double *pi = h->pi;
    const int8_t *st = h->state;
    double L = h->tree_l;
    int32_t *depth = h->depth;
    depth[1] = 0;
    for (int32_t c = 1; c < n - 1; c++) {
        int32_t v = h->prim[c];
        depth[v] = depth[h->vx[v].parent] + 1;
    }
    for (size_t k = 0; k < h->k_e_len; k++) {
        const hkedge *e = &h->k_ed[k];
        int32_t i = e->i, j = e->j;
        if (st[i * n + j] != EDGE_FREE || h->vx[i].parent == j || h->vx[j].parent == i) continue;
        double m = -INFINITY;
        int32_t a = i, b = j;
        while (a != b) {
            if (depth[a] < depth[b]) {
                int32_t t = a;
                a = b;
                b = t;
            }
            int32_t p = h->vx[a].parent;
            if (st[p * n + a] == EDGE_FREE && h->vx[a].key > m) m = h->vx[a].key;
            a = p;
        }
        if (m == -INFINITY) continue;
        double w = (e->d + pi[i]) + pi[j];
        if ((L + w) - m > h->lim && !hk_exclude(h, i, j)) return false;
    }
    return true;
}

static bool hk_eliminate(heldkarp *h) {
    int32_t n = h->n;
    const double *d = h->d;
    const double *pi = h->pi;
    int8_t *st = h->state;
    double *mx = h->mx;
    double L = h->tree_l;
    if (h->sparse) {
        if (!hk_eliminate_sparse(h)) return false;
    } else {
        for (int32_t c = 1; c < n - 1; c++) {
            int32_t v = h->prim[c];
            int32_t p = h->vx[v].parent;
            double ew = -INFINITY;
            if (st[p * n + v] == EDGE_FREE) ew = h->vx[v].key;
            for (int32_t q = 0; q < c; q++) {
                int32_t u = h->prim[q];
                double m = ew;
                if (u != p) {
                    m = mx[p * n + u];
                    if (ew > m) m = ew;
                }
                mx[v * n + u] = m;
                mx[u * n + v] = m;
            }
        }
        for (int32_t i = 1; i < n; i++) {
            for (int32_t j = i + 1; j < n; j++) {
                if (st[i * n + j] != EDGE_FREE || h->vx[i].parent == j || h->vx[j].parent == i) continue;
                double m = mx[i * n + j];
                if (m == -INFINITY) continue;
                double w = (d[i * n + j] + pi[i]) + pi[j];
                if ((L + w) - m > h->lim && !hk_exclude(h, i, j)) return false;
            }
        }
    }
    double ws = -INFINITY;
    if (st[h->s1] == EDGE_FREE) ws = h->w1;
    if (st[h->s2] == EDGE_FREE && h->w2 > ws) ws = h->w2;
    if (ws == -INFINITY) return true;
    for (int32_t j = 1; j < n; j++) {
        if (j == h->s1 || j == h->s2 || st[j] != EDGE_FREE) continue;
        double w = (d[j] + pi[0]) + pi[j];
        if ((L + w) - ws > h->lim && !hk_exclude(h, 0, j)) return false;
    }
    return true;
}

/* cover (forceEdges in exact.go): the free non-tree edge (i,j) may replace
   every tree edge on its tree path. */
static void hk_cover(heldkarp *h, int32_t i, int32_t j) {
    int32_t n = h->n;
    if (h->state[i * n + j] != EDGE_FREE || h->vx[i].parent == j || h->vx[j].parent == i) return;
    double w = (h->d[i * n + j] + h->pi[i]) + h->pi[j];
    int32_t a = i, b = j;
    while (a != b) {
        if (h->depth[a] < h->depth[b]) {
            int32_t t = a;
            a = b;
            b = t;
        }
        if (w < h->cover[a]) h->cover[a] = w;
        a = h->vx[a].parent;
    }
}

/* forceEdges (exact.go): false when an inclusion is infeasible; *changed
   whether a state changed. */
/* cheapestAtZero (exact.go): the cheapest free edge of city 0 besides s1
   and s2, +INFINITY when there is none. */
static double hk_cheapest_at_zero(const heldkarp *h) {
    int32_t n = h->n;
    const double *d = h->d;
    const double *pi = h->pi;
    const int8_t *st = h->state;
    double wn = INFINITY;
    for (int32_t u = 1; u < n; u++) {
        if (u == h->s1 || u == h->s2 || st[u] != EDGE_FREE) continue;
        double w = (d[u] + pi[0]) + pi[u];
        if (w < wn) wn = w;
    }
    return wn;
}

/* computeCover (exact.go): cover[v] for the current tree, and wn. */
static void hk_compute_cover(heldkarp *h) {
    int32_t n = h->n;
    h->depth[1] = 0;
    h->cover[1] = INFINITY;
    for (int32_t c = 1; c < n - 1; c++) {
        int32_t v = h->prim[c];
        h->depth[v] = h->depth[h->vx[v].parent] + 1;
        h->cover[v] = INFINITY;
    }
    if (h->sparse) {
        for (size_t k = 0; k < h->k_e_len; k++) hk_cover(h, h->k_ed[k].i, h->k_ed[k].j);
    } else {
        for (int32_t i = 1; i < n; i++) {
            for (int32_t j = i + 1; j < n; j++) hk_cover(h, i, j);
        }
    }
    double wn = hk_cheapest_at_zero(h);
    h->wn = wn;
}

/* rise (exact.go): what excluding the free tree edge (v,u) alone would add
   to the 1-tree; hk_compute_cover must have run on this tree. */
static double hk_rise(const heldkarp *h, int32_t v, int32_t u) {
    if (v == 0 || u == 0) {
        int32_t s = v + u;
        if (s == h->s1) return h->wn - h->w1;
        return h->wn - h->w2;
    }
    if (h->vx[v].parent == u) return h->cover[v] - h->vx[v].key;
    return h->cover[u] - h->vx[u].key;
}

static bool hk_force_edges(heldkarp *h, bool *changed) {
    int32_t n = h->n;
    const int8_t *st = h->state;
    *changed = false;
    hk_compute_cover(h);
    double L = h->tree_l;
    for (int32_t c = 1; c < n - 1; c++) {
        int32_t v = h->prim[c];
        int32_t p = h->vx[v].parent;
        if (st[p * n + v] != EDGE_FREE) continue;
        if ((L + h->cover[v]) - h->vx[v].key > h->lim) {
            *changed = true;
            if (!hk_include(h, v, p)) return false;
        }
    }
    double wn = hk_cheapest_at_zero(h);
    int32_t ss[2] = {h->s1, h->s2};
    double ws[2] = {h->w1, h->w2};
    for (int t = 0; t < 2; t++) {
        if (st[ss[t]] == EDGE_FREE && (L + wn) - ws[t] > h->lim) {
            *changed = true;
            if (!hk_include(h, 0, ss[t])) return false;
        }
    }
    for (int32_t i = 0; i < n; i++) {
        if (h->avail[i] != 2 || h->in_deg[i] == 2) continue;
        for (int32_t u = 0; u < n; u++) {
            if (u != i && st[i * n + u] == EDGE_FREE) {
                *changed = true;
                if (!hk_include(h, i, u)) return false;
            }
        }
    }
    return true;
}

/* tighten (exact.go): false when the node is closed (infeasible, pruned,
   solved by a tour, or out of memory: h->oom). */
static bool hk_tighten(heldkarp *h, double *bound) {
    for (int round = 0; round < HK_TIGHTEN_ROUNDS; round++) {
        bool changed;
        if (!hk_force_edges(h, &changed)) return false;
        if (!changed) return true;
        if (h->sparse) {
            h->scr_len = 0;
            if (!hk_merge_edges(h, &h->scr, &h->scr_len, &h->scr_cap)) return false;
            h->src = h->scr;
            h->src_len = h->scr_len;
            h->src_ok = true;
        }
        hk_build_adj(h);
        if (!hk_one_tree(h, true)) return false;
        if (h->tree_l > *bound) *bound = h->tree_l;
        if (*bound > h->lim) return false;
        int32_t norm = 0;
        for (int32_t i = 0; i < h->n; i++) {
            int32_t g = h->deg[i] - 2;
            norm += g * g;
        }
        if (norm == 0) {
            hk_tour_from_tree(h);
            return false;
        }
        if (!hk_eliminate(h)) return false;
    }
    return true;
}

static bool hk_tree_edge(const heldkarp *h, int32_t v, int32_t u) {
    if (v == 0) return u == h->s1 || u == h->s2;
    if (u == 0) return v == h->s1 || v == h->s2;
    return h->vx[v].parent == u || h->vx[u].parent == v;
}

/* pushFrame; false when out of memory. */
/* branchCity (exact.go): the city to branch on, the one whose children
   the rises predict to survive least. */
static int32_t hk_branch_city(const heldkarp *h) {
    int32_t n = h->n;
    double gap = h->lim - h->tree_l;
    int32_t best = -1;
    double best_score = 0, best_min = 0;
    double *rs = h->rs;
    for (int32_t v = 0; v < n; v++) {
        if (h->deg[v] <= 2) continue;
        int32_t m = 0;
        for (int32_t u = 0; u < n; u++) {
            if (u == v || h->state[v * n + u] != EDGE_FREE || !hk_tree_edge(h, v, u)) continue;
            double r = hk_rise(h, v, u);
            int32_t q = m;
            while (q > 0 && rs[q - 1] > r) {
                rs[q] = rs[q - 1];
                q--;
            }
            rs[q] = r;
            m++;
        }
        if (m == 0) continue;
        double est[3];
        int32_t k = 0;
        est[k++] = rs[0];
        if (h->in_deg[v] == 0) {
            est[k] = INFINITY;
            if (m > 1) est[k] = rs[1];
            k++;
        }
        est[k] = INFINITY;
        if (m > k) est[k] = rs[m - 1];
        k++;
        double score = 0;
        for (int32_t i = 0; i < k; i++) {
            double e = est[i];
            if (!(e <= gap)) continue;
            if (h->paired || !(gap > 0)) {
                score += 1;
            } else {
                score += 1 - e / gap;
            }
        }
        if (best < 0 || score < best_score || (score == best_score && rs[0] > best_min)) {
            best = v;
            best_score = score;
            best_min = rs[0];
        }
    }
    if (best < 0) {
        best = 0;
        for (int32_t i = 1; i < n; i++) {
            if (h->deg[i] > h->deg[best]) best = i;
        }
    }
    return best;
}

static bool hk_push_frame(heldkarp *h, double bound) {
    int32_t n = h->n;
    hk_compute_cover(h);
    int32_t v = hk_branch_city(h);
    int32_t a = -1, b = -1;
    double ra = 0, rb = 0;
    for (int32_t u = 0; u < n; u++) {
        if (u == v || h->state[v * n + u] != EDGE_FREE || !hk_tree_edge(h, v, u)) continue;
        double r = hk_rise(h, v, u);
        if (a < 0 || r < ra) {
            b = a;
            rb = ra;
            a = u;
            ra = r;
        } else if (b < 0 || r < rb) {
            b = u;
            rb = r;
        }
    }
    int32_t nch = 3;
    if (h->in_deg[v] > 0) nch = 2;
    size_t top = h->frames_len;
    if (top == h->frames_cap) {
        size_t cap = h->frames_cap ? 2 * h->frames_cap : 64;
        hkframe *f = realloc(h->frames, cap * sizeof(hkframe));
        if (!f) return false;
        h->frames = f;
        h->frames_cap = cap;
    }
    if (top + 1 > h->pi_stack_frames) {
        size_t cap = h->pi_stack_frames ? 2 * h->pi_stack_frames : 64;
        double *p = realloc(h->pi_stack, cap * (size_t)n * sizeof(double));
        if (!p) return false;
        h->pi_stack = p;
        h->pi_stack_frames = cap;
    }
    memcpy(h->pi_stack + top * (size_t)n, h->pi, sizeof(double) * (size_t)n);
    size_t e_from = h->f_ed_len;
    if (h->sparse && !hk_merge_edges(h, &h->f_ed, &h->f_ed_len, &h->f_ed_cap)) return false;
    hkframe fr = {(int32_t)h->undo_len, bound, v, a, b, 0, nch, e_from, h->f_ed_len, h->sparse};
    h->frames[top] = fr;
    h->frames_len = top + 1;
    return true;
}

static bool hk_apply_child(heldkarp *h, const hkframe *f, int32_t c) {
    if (c == 0 && f->nch == 3) return hk_include(h, f->v, f->a) && hk_include(h, f->v, f->b);
    if (c == 1 && f->nch == 3) return hk_include(h, f->v, f->a) && hk_exclude(h, f->v, f->b);
    if (c == 0) return hk_include(h, f->v, f->a);
    return hk_exclude(h, f->v, f->a);
}

static int32_t hk_search(heldkarp *h, double *lower_bound) {
    int32_t n = h->n;
    while (h->frames_len > 0) {
        size_t top = h->frames_len - 1;
        hkframe *f = &h->frames[top];
        hk_undo_to(h, f->mark);
        if (f->next >= f->nch || f->bound > h->lim) {
            h->f_ed_len = f->e_from;
            h->frames_len = top;
            if (h->k->progress) hk_open_bound(h);
            continue;
        }
        int32_t c = f->next;
        f->next++;
        double parent_bound = f->bound;
        memcpy(h->pi, h->pi_stack + top * (size_t)n, sizeof(double) * (size_t)n);
        if (!hk_apply_child(h, f, c)) {
            if (h->oom) return TSP_NO_MEMORY;
            continue;
        }
        h->src = f->e_ok ? h->f_ed + f->e_from : NULL;
        h->src_len = f->e_to - f->e_from;
        h->src_ok = f->e_ok;
        h->k->nodes++;
        double b;
        int32_t res = hk_ascent(h, HK_CHILD_ITERS, CHILD_LAMBDA, HK_CHILD_PERIOD, &b);
        if (res == ASCENT_STOPPED) {
            double lb = h->ub;
            for (size_t i = 0; i <= top; i++) {
                const hkframe *g = &h->frames[i];
                if ((g->next < g->nch || i == top) && g->bound < lb) lb = g->bound;
            }
            *lower_bound = lb;
            return TSP_STOPPED;
        }
        if (res == ASCENT_CLOSED) continue;
        if (b < parent_bound) b = parent_bound;
        if (b > h->lim) continue;
        if (!hk_eliminate(h) || !hk_tighten(h, &b)) {
            if (h->oom) return TSP_NO_MEMORY;
            continue;
        }
        if (!hk_push_frame(h, b)) return TSP_NO_MEMORY;
    }
    return TSP_OK;
}

/* kick (exact.go): the iterated search's kicks improve the upper bound once
   the root has not closed, without reporting their own progress; TSP_OK,
   TSP_STOPPED (its best tour is still taken) or TSP_NO_MEMORY. */
static int32_t hk_kick(heldkarp *h, int32_t start) {
    kstate *k = h->k;
    int32_t n = h->n;
    lsearch ls;
    if (!ls_init(&ls, k)) return TSP_NO_MEMORY;
    tsp_progress_fn p = k->progress;
    k->progress = NULL;
    ls.three = !k->directed && n >= ITERATED_MIN_N;
    bool ok = ls_two_opt_from(&ls, start);
    int32_t code = TSP_STOPPED;
    if (ok) {
        code = ls_kicks(&ls, HK_KICK_SEED, (int64_t)HK_KICKS_PER_CITY * (int64_t)n, h->cyc);
    } else {
        memcpy(h->cyc, ls.t, sizeof(int32_t) * (size_t)n);
    }
    k->progress = p;
    ls_free(&ls);
    if (code == TSP_NO_MEMORY) return code;
    double l = cycle_length(k, h->cyc);
    if (l < h->ub) {
        hk_set_ub(h, l);
        memcpy(h->best, h->cyc, sizeof(int32_t) * (size_t)n);
        improved(k, l, k->nodes, h->best);
    }
    return code;
}

static int32_t hk_solve(heldkarp *h, int32_t start, double *lower_bound) {
    int32_t n = h->n;
    kstate *k = h->k;
    lsearch ls;
    if (!ls_init(&ls, k)) return TSP_NO_MEMORY;
    bool stopped = false;
    for (int32_t i = 0; i < n; i++) {
        int32_t s = start + i;
        if (s >= n) s -= n;
        bool ok = ls_two_opt_from(&ls, s);
        double l = cycle_length(k, ls.t);
        if (i == 0 || l < h->ub) {
            hk_set_ub(h, l);
            memcpy(h->best, ls.t, sizeof(int32_t) * (size_t)n);
            improved(k, l, k->nodes, h->best);
        }
        if (!ok) {
            stopped = true;
            break;
        }
    }
    ls_free(&ls);
    if (stopped) {
        *lower_bound = 0;
        return TSP_STOPPED;
    }
    k->nodes = 1;
    int32_t iters = HK_ROOT_ITERATIONS + HK_ROOT_PER_CITY * n;
    double bound;
    int32_t res = hk_ascent(h, iters, ROOT_LAMBDA, h->period, &bound);
    if (res == ASCENT_STOPPED) {
        if (bound > 0) *lower_bound = bound;
        return TSP_STOPPED;
    }
    bounded(k, bound < h->ub ? bound : h->ub, h->ub, h->best);
    if (res == ASCENT_CLOSED) return TSP_OK;
    if (!hk_eliminate(h) || !hk_tighten(h, &bound)) return h->oom ? TSP_NO_MEMORY : TSP_OK;
    if (n >= ITERATED_MIN_N) {
        int32_t code = hk_kick(h, start);
        if (code == TSP_NO_MEMORY) return code;
        if (code == TSP_STOPPED) {
            if (bound > 0) *lower_bound = bound;
            return TSP_STOPPED;
        }
    }
    int32_t paired = 0;
    for (int32_t i = 0; i < n; i++) {
        if (h->in_deg[i] > 0) paired++;
    }
    h->paired = 2 * paired > n;
    if (!hk_push_frame(h, bound)) return TSP_NO_MEMORY;
    return hk_search(h, lower_bound);
}

static int32_t exact(kstate *k, int32_t start, int32_t *order, double *lower_bound) {
    int32_t n = k->n;
    if (n <= 3) {
        for (int32_t i = 0; i < n; i++) order[i] = i;
        k->nodes = 1;
        return TSP_OK;
    }
    heldkarp h;
    if (!hk_init(&h, k)) return TSP_NO_MEMORY;
    int32_t code = hk_solve(&h, start, lower_bound);
    memcpy(order, h.best, sizeof(int32_t) * (size_t)n);
    hk_free(&h);
    return code;
}

/* ---- the entry point (GoKernel in kernel.go) ---- */

int32_t tsp_solve(const double *dist, int32_t n, int32_t start, int32_t algorithm, uint64_t seed, int64_t budget,
                  const int32_t *cancel, int32_t *order, double *length, double *lower_bound, uint64_t *nodes) {
    return tsp_solve_progress(dist, n, start, algorithm, seed, budget, cancel, NULL, 0, order, length, lower_bound,
                              nodes);
}

int32_t tsp_solve_progress(const double *dist, int32_t n, int32_t start, int32_t algorithm, uint64_t seed,
                           int64_t budget, const int32_t *cancel, tsp_progress_fn progress, uint64_t handle,
                           int32_t *order, double *length, double *lower_bound, uint64_t *nodes) {
    if (!dist || !order || !length || !lower_bound || !nodes) return TSP_INVALID;
    if (n <= 0 || start < 0 || start >= n) return TSP_INVALID;
    bool checked = (algorithm & TSP_CHECKED) != 0;
    bool directed = (algorithm & TSP_DIRECTED) != 0;
    if ((algorithm & ~(TSP_ALGORITHM_MASK | TSP_CHECKED | TSP_DIRECTED)) != 0) return TSP_INVALID;
    algorithm &= TSP_ALGORITHM_MASK;
    if (algorithm < TSP_EXHAUSTIVE || algorithm > TSP_ITERATED) return TSP_INVALID;
    if (algorithm == TSP_ITERATED && budget <= 0 && !cancel) return TSP_INVALID; /* it would never end */
    if (directed && algorithm == TSP_EXACT) return TSP_INVALID;
    int32_t max = algorithm == TSP_EXHAUSTIVE ? TSP_MAX_EXHAUSTIVE : algorithm == TSP_EXACT ? TSP_MAX_EXACT : TSP_MAX_HEURISTIC;
    if (n > max) return TSP_TOO_LARGE;
    kstate k = {dist, n, cancel, 0, directed, progress, handle, false, 0};
    double lb = 0;
    int32_t code = TSP_OK;
    int check = checked ? CHECK_VALID : check_distances(&k);
    if (check == CHECK_INVALID) return TSP_INVALID;
    if (check == CHECK_STOPPED) algorithm = TSP_NEAREST; /* stopped: the nearest-neighbour tour so far */
    switch (algorithm) {
    case TSP_EXHAUSTIVE:
        code = exhaustive(&k, start, order);
        break;
    case TSP_EXACT:
        code = exact(&k, start, order, &lb);
        break;
    case TSP_NEAREST: {
        bool *used = malloc(sizeof(bool) * (size_t)n);
        if (!used) return TSP_NO_MEMORY;
        code = nearest_into(&k, start, order, used) ? TSP_OK : TSP_STOPPED;
        free(used);
        break;
    }
    case TSP_TWOOPT:
        code = two_opt(&k, start, order);
        break;
    case TSP_ITERATED:
        code = iterated(&k, start, seed, budget, order);
        break;
    }
    if (code != TSP_OK && code != TSP_STOPPED) return code;
    if (check == CHECK_STOPPED) code = TSP_STOPPED;
    *length = finish(&k, start, order);
    if ((algorithm == TSP_EXHAUSTIVE || algorithm == TSP_EXACT) && code == TSP_OK) lb = *length;
    if (lb > *length) lb = *length;
    *lower_bound = lb;
    *nodes = k.nodes;
    return code;
}

/* ==== Coordinates: tsp_solve_points (ABI 6, issue 21) ====
 *
 * Follows pointkernel.go, kdtree.go, pointsearch.go and internal/kmath in
 * the module root, step by step. The tour helpers of the matrix search
 * (ls_succ, ls_push, ls_reverse, ls_move_segment, ls_set, ls_revert, ...)
 * serve here too: an lsearch whose kstate has no matrix. */

/* ---- internal/kmath: Go's math.Sin, Cos, Asin, Acos, operation by operation ---- */

#define KM_PI4A 7.85398125648498535156e-1
#define KM_PI4B 3.77489470793079817668e-8
#define KM_PI4C 2.69515142907905952645e-15
#define KM_4_OVER_PI 0x1.45f306dc9c883p+00
#define KM_PI_2 0x1.921fb54442d18p+00
#define KM_PI_4 0x1.921fb54442d18p-01
#define KM_MOREBITS 6.123233995736765886130e-17
#define KM_TAN3PIO8 2.41421356237309504880

static const double km_sin[6] = {1.58962301576546568060e-10, -2.50507477628578072866e-8, 2.75573136213857245213e-6,
                                 -1.98412698295895385996e-4, 8.33333333332211858878e-3,  -1.66666666666666307295e-1};
static const double km_cos[6] = {-1.13585365213876817300e-11, 2.08757008419747316778e-9, -2.75573141792967388112e-7,
                                 2.48015872888517045348e-5,   -1.38888888888730564116e-3, 4.16666666666665929218e-2};

static uint64_t km_reduce(double x, double *z) {
    /* signed conversions: the same values for 0 <= x < 2^29 (kmath.MaxTrig),
     * and far cheaper in WebAssembly than the unsigned ones */
    int64_t j = (int64_t)(x * KM_4_OVER_PI);
    double y = (double)j;
    if (j & 1) {
        j++;
        y++;
    }
    j &= 7;
    *z = ((x - y * KM_PI4A) - y * KM_PI4B) - y * KM_PI4C;
    return (uint64_t)j;
}

static double km_poly_sin(double z, double zz) {
    double p = ((((km_sin[0] * zz) + km_sin[1]) * zz + km_sin[2]) * zz + km_sin[3]) * zz;
    p = (p + km_sin[4]) * zz + km_sin[5];
    return z + (z * zz) * p;
}

static double km_poly_cos(double zz) {
    double p = ((((km_cos[0] * zz) + km_cos[1]) * zz + km_cos[2]) * zz + km_cos[3]) * zz;
    p = (p + km_cos[4]) * zz + km_cos[5];
    return (1.0 - 0.5 * zz) + (zz * zz) * p;
}

ALWAYS_INLINE static double km_sin_(double x) {
    if (x == 0 || x != x) return x;
    bool sign = false;
    if (x < 0) {
        x = -x;
        sign = true;
    }
    double z;
    uint64_t j = km_reduce(x, &z);
    if (j > 3) {
        sign = !sign;
        j -= 4;
    }
    double zz = z * z;
    double y = (j == 1 || j == 2) ? km_poly_cos(zz) : km_poly_sin(z, zz);
    return sign ? -y : y;
}

static double km_cos_(double x) {
    if (x != x) return x;
    bool sign = false;
    if (x < 0) x = -x;
    double z;
    uint64_t j = km_reduce(x, &z);
    if (j > 3) {
        j -= 4;
        sign = !sign;
    }
    if (j > 1) sign = !sign;
    double zz = z * z;
    double y = (j == 1 || j == 2) ? km_poly_sin(z, zz) : km_poly_cos(zz);
    return sign ? -y : y;
}

ALWAYS_INLINE static double km_xatan(double x) {
    const double P0 = -8.750608600031904122785e-01, P1 = -1.615753718733365076637e+01,
                 P2 = -7.500855792314704667340e+01, P3 = -1.228866684490136173410e+02,
                 P4 = -6.485021904942025371773e+01, Q0 = +2.485846490142306297962e+01,
                 Q1 = +1.650270098316988542046e+02, Q2 = +4.328810604912902668951e+02,
                 Q3 = +4.853903996359136964868e+02, Q4 = +1.945506571482613964425e+02;
    double z = x * x;
    double num = (P0 * z + P1) * z;
    num = (num + P2) * z + P3;
    num = num * z + P4;
    double den = (z + Q0) * z;
    den = (den + Q1) * z + Q2;
    den = (den * z + Q3) * z + Q4;
    z = (z * num) / den;
    return x * z + x;
}

ALWAYS_INLINE static double km_satan(double x) {
    if (x <= 0.66) return km_xatan(x);
    if (x > KM_TAN3PIO8) return (KM_PI_2 - km_xatan(1 / x)) + KM_MOREBITS;
    return (KM_PI_4 + km_xatan((x - 1) / (x + 1))) + 0.5 * KM_MOREBITS;
}

ALWAYS_INLINE static double km_asin(double x) {
    if (x == 0) return x;
    bool sign = false;
    if (x < 0) {
        x = -x;
        sign = true;
    }
    if (!(x <= 1)) return NAN;
    double temp = sqrt(1 - x * x);
    if (x > 0.7) {
        temp = KM_PI_2 - km_satan(temp / x);
    } else {
        temp = km_satan(x / temp);
    }
    return sign ? -temp : temp;
}

static double km_acos(double x) { return KM_PI_2 - km_asin(x); }

/* ---- pointSet (pointkernel.go) ---- */

#define PT_DEG_TO_RAD 0x1.1df46a2529d39p-06 /* math.Pi / 180 as Go folds it */
#define PT_MAX_PLANAR 1e150
#define PT_MAX_GEO 1e4
#define PT_GEO_PI 3.141592
#define PT_GEO_RRR 6378.388

/* The points' values, three a city in one array (v[3i], v[3i+1], v[3i+2]:
 * a, b and, for haversine, the cosine of the latitude): a distance reads
 * each city's three through one address, which wazero checks against the
 * memory's bounds once, the last first (three arrays took three checks). */
typedef struct {
    int32_t kind, n;
    double *v;
    double r;
} pset;

#define PA(p, i) ((p)->v[3 * (int64_t)(i)])
#define PB(p, i) ((p)->v[3 * (int64_t)(i) + 1])
#define PC(p, i) ((p)->v[3 * (int64_t)(i) + 2])

static void pset_free(pset *p) { free(p->v); }

static double pt_geo_rad(double v) {
    double deg = trunc(v);
    double m = v - deg;
    return PT_GEO_PI * (deg + 5.0 * m / 3.0) / 180.0;
}

/* newPointSet: TSP_OK, TSP_INVALID or TSP_NO_MEMORY */
static int32_t pset_init(pset *p, const double *x, const double *y, int32_t n, int32_t kind, const double *radius) {
    memset(p, 0, sizeof *p);
    p->kind = kind;
    p->n = n;
    double lim = (0x1p1014 / (double)n) / 4;
    if (kind < TSP_POINTS_HAVERSINE || kind > TSP_POINTS_GEO) return TSP_INVALID;
    if (kind == TSP_POINTS_HAVERSINE && (!radius || !(*radius >= 0) || *radius > lim)) return TSP_INVALID;
    p->v = malloc(sizeof(double) * 3 * (size_t)n);
    if (!p->v) {
        pset_free(p);
        return TSP_NO_MEMORY;
    }
    if (kind != TSP_POINTS_HAVERSINE && kind != TSP_POINTS_GEO && lim > PT_MAX_PLANAR) lim = PT_MAX_PLANAR;
    for (int32_t i = 0; i < n; i++) {
        double u = x[i], v = y[i];
        bool ok;
        if (kind == TSP_POINTS_HAVERSINE) {
            ok = u >= -90 && u <= 90 && v >= -180 && v <= 180;
        } else if (kind == TSP_POINTS_GEO) {
            ok = fabs(u) <= PT_MAX_GEO && fabs(v) <= PT_MAX_GEO;
        } else {
            ok = fabs(u) <= lim && fabs(v) <= lim;
        }
        if (!ok) {
            pset_free(p);
            return TSP_INVALID;
        }
        PC(p, i) = 0;
        if (kind == TSP_POINTS_HAVERSINE) {
            PA(p, i) = u;
            PB(p, i) = v;
            PC(p, i) = km_cos_(u * PT_DEG_TO_RAD);
        } else if (kind == TSP_POINTS_GEO) {
            PA(p, i) = pt_geo_rad(u);
            PB(p, i) = pt_geo_rad(v);
        } else {
            PA(p, i) = u;
            PB(p, i) = v;
        }
    }
    if (kind == TSP_POINTS_HAVERSINE) p->r = *radius;
    return TSP_OK;
}

/* permuted: q gets p's points in the order perm; false when out of memory */
static bool pset_permuted(const pset *p, const int32_t *perm, pset *q) {
    int32_t n = p->n;
    memset(q, 0, sizeof *q);
    q->kind = p->kind;
    q->n = n;
    q->r = p->r;
    q->v = malloc(sizeof(double) * 3 * (size_t)n);
    if (!q->v) return false;
    for (int32_t k = 0; k < n; k++) {
        int32_t c = perm[k];
        PA(q, k) = PA(p, c);
        PB(q, k) = PB(p, c);
        PC(q, k) = PC(p, c);
    }
    return true;
}

static double pt_planar(const pset *p, double xd, double yd) {
    if (p->kind == TSP_POINTS_EUC_2D) return floor(sqrt(xd * xd + yd * yd) + 0.5);
    if (p->kind == TSP_POINTS_CEIL_2D) return ceil(sqrt(xd * xd + yd * yd));
    double r = sqrt((xd * xd + yd * yd) / 10.0); /* ATT */
    double t = floor(r + 0.5);
    return t < r ? t + 1 : t;
}

static double pt_dist(const pset *p, int32_t i, int32_t j) {
    if (i == j) return 0;
    const double *vi = p->v + 3 * (int64_t)i, *vj = p->v + 3 * (int64_t)j;
    if (p->kind == TSP_POINTS_HAVERSINE) {
        double ci = vi[2], cj = vj[2]; /* the last value first: one check a city */
        double s1 = km_sin_((vj[0] - vi[0]) * PT_DEG_TO_RAD / 2);
        double s2 = km_sin_((vj[1] - vi[1]) * PT_DEG_TO_RAD / 2);
        double h = s1 * s1 + (ci * cj) * (s2 * s2);
        if (h > 1) h = 1;
        return 2 * p->r * km_asin(sqrt(h));
    }
    if (p->kind == TSP_POINTS_GEO) {
        double q1 = km_cos_(vi[1] - vj[1]);
        double q2 = km_cos_(vi[0] - vj[0]);
        double q3 = km_cos_(vi[0] + vj[0]);
        double a = 0.5 * ((1.0 + q1) * q2 - (1.0 - q1) * q3);
        if (a < -1) a = -1;
        if (a > 1) a = 1;
        return trunc(PT_GEO_RRR * km_acos(a) + 1.0);
    }
    return pt_planar(p, vi[0] - vj[0], vi[1] - vj[1]);
}

static double pt_dmax(const pset *p) {
    if (p->kind == TSP_POINTS_HAVERSINE) return 4 * p->r;
    if (p->kind == TSP_POINTS_GEO) return 4 * PT_GEO_RRR;
    double x0 = PA(p, 0), x1 = PA(p, 0), y0 = PB(p, 0), y1 = PB(p, 0);
    for (int32_t i = 1; i < p->n; i++) {
        if (PA(p, i) < x0) x0 = PA(p, i);
        if (PA(p, i) > x1) x1 = PA(p, i);
        if (PB(p, i) < y0) y0 = PB(p, i);
        if (PB(p, i) > y1) y1 = PB(p, i);
    }
    return pt_planar(p, x1 - x0, y1 - y0);
}

static double pt_cycle_length(const pset *p, const int32_t *order) {
    int32_t n = p->n;
    double s = 0.0;
    for (int32_t i = 1; i < n; i++) s += pt_dist(p, order[i - 1], order[i]);
    return s + pt_dist(p, order[n - 1], order[0]);
}

/* ---- kdTree (kdtree.go) ---- */

#define KD_LEAF 8

typedef struct {
    const pset *p;
    int32_t dim;
    double *u;
    int32_t *idx, *nl, *nr, *cnt, *leaf_of;
    double *box;
    bool *used;
    /* orig[k]: the input index of point k (leaf order, kdTree.renumber);
     * inv its inverse. Owned by the caller of kd_init, not freed by kd_free. */
    int32_t *orig, *inv;
    int32_t q, best, found, kn;
    double best_d;
    int32_t *lst;
    double *ld;
} kdtree;

static void kd_free(kdtree *t) {
    free(t->u);
    free(t->idx);
    free(t->nl);
    free(t->nr);
    free(t->cnt);
    free(t->leaf_of);
    free(t->box);
    free(t->used);
    memset(t, 0, sizeof *t);
}

static void kd_select(kdtree *t, int32_t lo, int32_t hi, int32_t m, int32_t ax) {
    int32_t dim = t->dim, *idx = t->idx;
    const double *u = t->u;
    while (lo < hi) {
        double x = u[(int64_t)idx[m] * dim + ax];
        int32_t i = lo, j = hi;
        while (i <= j) {
            while (u[(int64_t)idx[i] * dim + ax] < x) i++;
            while (x < u[(int64_t)idx[j] * dim + ax]) j--;
            if (i <= j) {
                int32_t s = idx[i];
                idx[i] = idx[j];
                idx[j] = s;
                i++;
                j--;
            }
        }
        if (j < m) lo = i;
        if (m < i) hi = j;
    }
}

/* KD_POLL: the build polls the cancel flag every KD_POLL points and at
 * every node of KD_POLL points or more (kdPoll in kdtree.go) */
#define KD_POLL 4096

/* kd_build: false when the cancel flag stopped it */
static bool kd_build(kdtree *t, const kstate *k, int32_t node, int32_t l, int32_t r) {
    int32_t dim = t->dim;
    t->nl[node] = l;
    t->nr[node] = r;
    t->cnt[node] = r - l;
    double *b = t->box + (int64_t)node * 2 * dim;
    /* the box in locals, one loop for each dimension: the same values as
     * kdTree.build's, without a store a point (slow in WebAssembly) */
    const double *u = t->u;
    const int32_t *idx = t->idx;
    if (dim == 2) {
        const double *v = u + (int64_t)idx[l] * 2;
        double x0 = v[0], x1 = v[0], y0 = v[1], y1 = v[1];
        for (int32_t i = l + 1; i < r; i++) {
            v = u + (int64_t)idx[i] * 2;
            if (v[0] < x0) x0 = v[0];
            if (v[0] > x1) x1 = v[0];
            if (v[1] < y0) y0 = v[1];
            if (v[1] > y1) y1 = v[1];
        }
        b[0] = x0, b[1] = y0, b[2] = x1, b[3] = y1;
    } else {
        const double *v = u + (int64_t)idx[l] * 3;
        double x0 = v[0], x1 = v[0], y0 = v[1], y1 = v[1], z0 = v[2], z1 = v[2];
        for (int32_t i = l + 1; i < r; i++) {
            v = u + (int64_t)idx[i] * 3;
            if (v[0] < x0) x0 = v[0];
            if (v[0] > x1) x1 = v[0];
            if (v[1] < y0) y0 = v[1];
            if (v[1] > y1) y1 = v[1];
            if (v[2] < z0) z0 = v[2];
            if (v[2] > z1) z1 = v[2];
        }
        b[0] = x0, b[1] = y0, b[2] = z0, b[3] = x1, b[4] = y1, b[5] = z1;
    }
    if (r - l <= KD_LEAF) {
        for (int32_t i = l; i < r; i++) t->leaf_of[t->idx[i]] = node;
        return true;
    }
    if (r - l >= KD_POLL && stop_requested(k)) return false;
    int32_t ax = 0;
    for (int32_t k = 1; k < dim; k++) {
        if (b[dim + k] - b[k] > b[dim + ax] - b[ax]) ax = k;
    }
    int32_t m = (l + r) / 2;
    kd_select(t, l, r - 1, m, ax);
    return kd_build(t, k, 2 * node, l, m) && kd_build(t, k, 2 * node + 1, m, r);
}

/* kd_init: TSP_OK, TSP_STOPPED (the cancel flag, polled as kdtree.go
 * does; nothing left allocated) or TSP_NO_MEMORY */
static int32_t kd_init(kdtree *t, const pset *p, const kstate *k) {
    int32_t n = p->n;
    memset(t, 0, sizeof *t);
    t->p = p;
    t->dim = (p->kind == TSP_POINTS_HAVERSINE || p->kind == TSP_POINTS_GEO) ? 3 : 2;
    int32_t dim = t->dim, depth = 0;
    for (int32_t s = n; s > KD_LEAF; s = (s + 1) / 2) depth++;
    int32_t nodes = 2 << depth;
    t->u = malloc(sizeof(double) * (size_t)n * (size_t)dim);
    t->idx = malloc(sizeof(int32_t) * (size_t)n);
    t->nl = malloc(sizeof(int32_t) * (size_t)nodes);
    t->nr = malloc(sizeof(int32_t) * (size_t)nodes);
    t->cnt = malloc(sizeof(int32_t) * (size_t)nodes);
    t->box = malloc(sizeof(double) * (size_t)nodes * 2 * (size_t)dim);
    t->leaf_of = malloc(sizeof(int32_t) * (size_t)n);
    t->used = calloc((size_t)n, sizeof(bool));
    if (!t->u || !t->idx || !t->nl || !t->nr || !t->cnt || !t->box || !t->leaf_of || !t->used) {
        kd_free(t);
        return TSP_NO_MEMORY;
    }
    for (int32_t i = 0; i < n; i++) {
        if ((i & (KD_POLL - 1)) == 0 && stop_requested(k)) {
            kd_free(t);
            return TSP_STOPPED;
        }
        double *u = t->u + (int64_t)i * dim;
        if (p->kind == TSP_POINTS_HAVERSINE) {
            double phi = PA(p, i) * PT_DEG_TO_RAD, lam = PB(p, i) * PT_DEG_TO_RAD;
            u[0] = km_cos_(phi) * km_cos_(lam);
            u[1] = km_cos_(phi) * km_sin_(lam);
            u[2] = km_sin_(phi);
        } else if (p->kind == TSP_POINTS_GEO) {
            u[0] = km_cos_(PA(p, i)) * km_cos_(PB(p, i));
            u[1] = km_cos_(PA(p, i)) * km_sin_(PB(p, i));
            u[2] = km_sin_(PA(p, i));
        } else {
            u[0] = PA(p, i);
            u[1] = PB(p, i);
        }
        t->idx[i] = i;
    }
    if (!kd_build(t, k, 1, 0, n)) {
        kd_free(t);
        return TSP_STOPPED;
    }
    /* renumber: points in leaf order */
    t->orig = malloc(sizeof(int32_t) * (size_t)n);
    t->inv = malloc(sizeof(int32_t) * (size_t)n);
    double *u = malloc(sizeof(double) * (size_t)n * (size_t)dim);
    int32_t *leaf = malloc(sizeof(int32_t) * (size_t)n);
    if (!t->orig || !t->inv || !u || !leaf) {
        free(t->orig);
        free(t->inv);
        free(u);
        free(leaf);
        kd_free(t);
        return TSP_NO_MEMORY;
    }
    for (int32_t k = 0; k < n; k++) {
        int32_t c = t->idx[k];
        t->orig[k] = c;
        t->inv[c] = k;
        for (int32_t j = 0; j < dim; j++) u[(int64_t)k * dim + j] = t->u[(int64_t)c * dim + j];
        leaf[k] = t->leaf_of[c];
    }
    for (int32_t k = 0; k < n; k++) t->idx[k] = k;
    free(t->u);
    free(t->leaf_of);
    t->u = u;
    t->leaf_of = leaf;
    return TSP_OK;
}

static double kd_gap(double v, double lo, double hi) {
    if (v < lo) return lo - v;
    if (v > hi) return v - hi;
    return 0;
}

/* kd_bound: node's box against the query point, whose coordinates q (dim
 * of them) the search reads once. The box's values are read into locals,
 * the last first: in WebAssembly one bounds check covers them all. */
ALWAYS_INLINE static double kd_bound(const kdtree *t, int32_t node, const double *q) {
    int32_t dim = t->dim;
    const double *b = t->box + (int64_t)node * 2 * dim;
    if (dim == 2) {
        double b3 = b[3], b2 = b[2], b1 = b[1], b0 = b[0];
        return pt_planar(t->p, kd_gap(q[0], b0, b2), kd_gap(q[1], b1, b3));
    }
    double b5 = b[5], b4 = b[4], b3 = b[3], b2 = b[2], b1 = b[1], b0 = b[0];
    double g0 = kd_gap(q[0], b0, b3), g1 = kd_gap(q[1], b1, b4), g2 = kd_gap(q[2], b2, b5);
    double s = 0.0;
    s += g0 * g0;
    s += g1 * g1;
    s += g2 * g2;
    double c = sqrt(s) * (1 - 1e-12) - 4e-15;
    if (c <= 0) return 0;
    double a = c; /* the chord, never longer than the arc it spans */
    double v = t->p->kind == TSP_POINTS_GEO ? PT_GEO_RRR * (a - 1e-7) - 1e-3 : t->p->r * (a * (1 - 1e-12) - 1e-7);
    return v > 0 ? v : 0;
}

/* KD_STACK: the most pending subtrees of a search, one a level; a tree of
 * TSP_MAX_POINTS points in leaves of KD_LEAF has 22 levels. */
#define KD_STACK 64

/* KD_PUSH_FAR: of the children l and r, bounds bl and br, keeps the
 * nearer in l, bl and pushes the farther (the right one on a tie) with its
 * bound (a macro: a function taking their addresses cost wasm-c 1.5 % more
 * instructions) */
#define KD_PUSH_FAR(l, r, bl, br)                                                                                      \
    do {                                                                                                               \
        if (br < bl) {                                                                                                 \
            int32_t s_ = l;                                                                                            \
            l = r;                                                                                                     \
            r = s_;                                                                                                    \
            double b_ = bl;                                                                                            \
            bl = br;                                                                                                   \
            br = b_;                                                                                                   \
        }                                                                                                              \
        sn[sp] = r;                                                                                                    \
        sb[sp] = br;                                                                                                   \
        sp++;                                                                                                          \
    } while (0)

/* searchNearest (kdtree.go) without recursion: the nearer child first, the
 * other kept on a stack with its bound and taken when the nearer one's
 * subtree is done, if the bound still admits it (the order and the tests
 * of the recursion, so the same result). In WebAssembly a call costs a
 * frame, its stack check and the memory's base reloaded after it; the
 * bound is inlined for the same reason. */
static void kd_search_nearest(kdtree *t, int32_t node) {
    int32_t sn[KD_STACK];
    double sb[KD_STACK];
    int32_t sp = 0;
    const int32_t *cnt = t->cnt;
    /* the query point's coordinates, read once, the last first */
    const double *qu = t->u + (int64_t)t->q * t->dim;
    double q[3] = {0, 0, 0};
    if (t->dim == 3) q[2] = qu[2];
    q[1] = qu[1];
    q[0] = qu[0];
    for (;;) {
        if (cnt[node] > 0) {
            int32_t lo = t->nl[node], hi = t->nr[node];
            if (hi - lo <= KD_LEAF) {
                /* the best in locals while scanning the leaf (stores through t
                 * would make every load of t's arrays again) */
                const int32_t *idx = t->idx, *orig = t->orig;
                const bool *used = t->used;
                const pset *p = t->p;
                int32_t q = t->q, best = t->best;
                double best_d = t->best_d;
                for (int32_t i = lo; i < hi; i++) {
                    int32_t c = idx[i];
                    if (used[c]) continue;
                    double d = pt_dist(p, q, c);
                    if (best < 0 || d < best_d || (d == best_d && orig[c] < orig[best])) {
                        best = c;
                        best_d = d;
                    }
                }
                t->best = best;
                t->best_d = best_d;
            } else {
                int32_t l = 2 * node, r = 2 * node + 1;
                double bl = INFINITY, br = INFINITY;
                if (cnt[l] > 0) bl = kd_bound(t, l, q);
                if (cnt[r] > 0) br = kd_bound(t, r, q);
                KD_PUSH_FAR(l, r, bl, br);
                if (cnt[l] > 0 && (t->best < 0 || bl <= t->best_d)) {
                    node = l;
                    continue;
                }
            }
        }
        /* the next pending subtree whose bound still admits it */
        for (;;) {
            if (sp == 0) return;
            sp--;
            if (cnt[sn[sp]] > 0 && (t->best < 0 || sb[sp] <= t->best_d)) break;
        }
        node = sn[sp];
    }
}

static int32_t kd_nearest(kdtree *t, int32_t q) {
    t->q = q;
    t->best = -1;
    t->best_d = 0;
    kd_search_nearest(t, 1);
    return t->best;
}

static void kd_visit(kdtree *t, int32_t c) {
    t->used[c] = true;
    for (int32_t node = t->leaf_of[c]; node >= 1; node >>= 1) t->cnt[node]--;
}

static void kd_insert(kdtree *t, int32_t c, double d) {
    int32_t kn = t->kn, *lst = t->lst;
    double *ld = t->ld;
    if (t->found == kn && (d > ld[kn - 1] || (d == ld[kn - 1] && t->orig[c] > t->orig[lst[kn - 1]]))) return;
    int32_t p = t->found;
    if (t->found < kn) {
        t->found++;
    } else {
        p = kn - 1;
    }
    while (p > 0 && (ld[p - 1] > d || (ld[p - 1] == d && t->orig[lst[p - 1]] > t->orig[c]))) {
        lst[p] = lst[p - 1];
        ld[p] = ld[p - 1];
        p--;
    }
    lst[p] = c;
    ld[p] = d;
}

/* searchK (kdtree.go) without recursion, as kd_search_nearest */
static void kd_search_k(kdtree *t, int32_t node) {
    int32_t sn[KD_STACK];
    double sb[KD_STACK];
    int32_t sp = 0;
    int32_t kn = t->kn;
    const double *qu = t->u + (int64_t)t->q * t->dim;
    double q[3] = {0, 0, 0};
    if (t->dim == 3) q[2] = qu[2];
    q[1] = qu[1];
    q[0] = qu[0];
    for (;;) {
        if (t->nr[node] - t->nl[node] <= KD_LEAF) {
            for (int32_t i = t->nl[node]; i < t->nr[node]; i++) {
                int32_t c = t->idx[i];
                if (c != t->q) kd_insert(t, c, pt_dist(t->p, t->q, c));
            }
        } else {
            int32_t l = 2 * node, r = 2 * node + 1;
            double bl = kd_bound(t, l, q), br = kd_bound(t, r, q);
            KD_PUSH_FAR(l, r, bl, br);
            if (t->found < kn || bl <= t->ld[kn - 1]) {
                node = l;
                continue;
            }
        }
        for (;;) {
            if (sp == 0) return;
            sp--;
            if (t->found < kn || sb[sp] <= t->ld[kn - 1]) break;
        }
        node = sn[sp];
    }
}

static void kd_neighbours(kdtree *t, int32_t q, int32_t *lst, double *ld, int32_t kn) {
    t->q = q;
    t->lst = lst;
    t->ld = ld;
    t->kn = kn;
    t->found = 0;
    kd_search_k(t, 1);
}

/* ---- pointSearch (pointsearch.go) ---- */

typedef struct {
    lsearch ls; /* the tour helpers; ls.k has no matrix */
    const pset *p;
    kdtree *tr;
    double *nbd; /* nbd[i*kn+r]: the distance from i to nb[i*kn+r], as the k-d tree computed it */
    /* progress (pointSearch in pointsearch.go; ls.k->progress NULL: none) */
    const int32_t *orig;
    int32_t *prog;
    double base, last_len;
    uint64_t last_moves, pops;
} psearch;

#define POINTS_RUN_REPORT 2   /* pointsRunReport */
#define POINTS_KICK_REPORT 16 /* pointsKickReport */

/* ps_report: the tour, of length l, in the input's numbering, if l is below
 * the last length reported (pointSearch.report) */
static void ps_report(psearch *s, double l) {
    lsearch *ls = &s->ls;
    if (!(l < s->last_len)) return;
    s->last_len = l;
    s->last_moves = ls->moves;
    int32_t n = s->p->n;
    for (int32_t i = 0; i < n; i++) s->prog[i] = s->orig[ls->t[i]];
    improved(ls->k, l, ls->moves, s->prog);
}

static void ps_free(psearch *s) {
    lsearch *ls = &s->ls;
    free(ls->journal);
    free(ls->nb);
    free(ls->t);
    free(ls->pos);
    free(ls->queue);
    free(ls->in_q);
    free(ls->tmp);
    free(s->nbd);
    free(s->prog);
}

static bool ps_nearest_into(psearch *s, int32_t start) {
    lsearch *ls = &s->ls;
    int32_t n = s->p->n, *t = ls->t;
    kdtree *tr = s->tr;
    t[0] = start;
    kd_visit(tr, start);
    int32_t cur = start;
    for (int32_t i = 1; i < n; i++) {
        if ((i & 63) == 0 && stop_requested(ls->k)) {
            for (int32_t j = 0; j < n; j++) { /* in the input's index order */
                if (!tr->used[tr->inv[j]]) t[i++] = tr->inv[j];
            }
            return false;
        }
        cur = kd_nearest(tr, cur);
        t[i] = cur;
        kd_visit(tr, cur);
    }
    return true;
}

/* neighbours: TSP_OK, TSP_STOPPED or TSP_NO_MEMORY */
static int32_t ps_neighbours(psearch *s) {
    lsearch *ls = &s->ls;
    int32_t n = s->p->n;
    ls->kn = n - 1 < NEIGHBOUR_K ? n - 1 : NEIGHBOUR_K;
    ls->nb = malloc(sizeof(int32_t) * ((size_t)n * (size_t)ls->kn + 1));
    s->nbd = malloc(sizeof(double) * ((size_t)n * (size_t)ls->kn + 1));
    if (!ls->nb || !s->nbd) return TSP_NO_MEMORY;
    for (int32_t i = 0; i < n && ls->kn > 0; i++) {
        if ((i & 255) == 0 && stop_requested(ls->k)) return TSP_STOPPED;
        kd_neighbours(s->tr, i, ls->nb + (int64_t)i * ls->kn, s->nbd + (int64_t)i * ls->kn, ls->kn);
    }
    ls->eps = 1e-9 * pt_dmax(s->p);
    ls->queue = malloc(sizeof(int32_t) * (size_t)n);
    ls->in_q = calloc((size_t)n, sizeof(bool));
    ls->tmp = malloc(sizeof(int32_t) * (size_t)n);
    if (!ls->queue || !ls->in_q || !ls->tmp) return TSP_NO_MEMORY;
    return TSP_OK;
}

/* twoOptMove and twoOptBest */
static bool ps_two_opt_move(psearch *s, int32_t a) {
    lsearch *ls = &s->ls;
    const pset *p = s->p;
    int32_t kn = ls->kn;
    const int32_t *nb = ls->nb + (int64_t)a * kn;
    const double *nbd = s->nbd + (int64_t)a * kn;
    double best = -ls->eps;
    int32_t bc = -1, be = -1, bdir = 0;
    for (int32_t dir = 0; dir < 2; dir++) {
        int32_t b = dir == 0 ? ls_succ(ls, a) : ls_pred(ls, a);
        double dab = pt_dist(p, a, b);
        for (int32_t r = 0; r < kn; r++) {
            int32_t c = nb[r];
            double dac = nbd[r]; /* pt_dist(p, a, c) */
            if (dac >= dab) break;
            int32_t e = dir == 0 ? ls_succ(ls, c) : ls_pred(ls, c);
            if (c == b || e == a) continue;
            double delta = ((dac + pt_dist(p, b, e)) - dab) - pt_dist(p, c, e);
            if (delta < best && delta >= -DBL_MAX) {
                best = delta;
                bc = c;
                be = e;
                bdir = dir;
            }
        }
    }
    if (bc < 0) return false;
    int32_t b;
    if (bdir == 0) {
        b = ls_succ(ls, a);
        ls_reverse(ls, b, bc);
    } else {
        b = ls_pred(ls, a);
        ls_reverse(ls, a, be);
    }
    ls->gain += best;
    ls_push(ls, a);
    ls_push(ls, b);
    ls_push(ls, bc);
    ls_push(ls, be);
    return true;
}

/* orOptMove, orOptScan and orOptPlace */
static bool ps_or_opt_move(psearch *s, int32_t a) {
    lsearch *ls = &s->ls;
    const pset *p = s->p;
    int32_t n = p->n, kn = ls->kn;
    for (int32_t q = 0; q < 5; q++) {
        int32_t sl = (q + 3) / 2;
        if (n < sl + 3) return false;
        int32_t s1 = a, s2 = a;
        if (q % 2 == 0) {
            for (int32_t i = 1; i < sl; i++) s2 = ls_succ(ls, s2);
        } else {
            for (int32_t i = 1; i < sl; i++) s1 = ls_pred(ls, s1);
        }
        int32_t pr = ls_pred(ls, s1);
        int32_t x = ls_succ(ls, s2);
        double gain = (pt_dist(p, pr, s1) + pt_dist(p, s2, x)) - pt_dist(p, pr, x);
        if (!(gain > ls->eps && gain <= DBL_MAX)) continue;
        for (int32_t end = 0; end < 2; end++) {
            int32_t sv = end == 0 ? s1 : s2, o = end == 0 ? s2 : s1;
            for (int32_t r = 0; r < kn; r++) {
                int32_t c = ls->nb[(int64_t)sv * kn + r];
                double dsc = s->nbd[(int64_t)sv * kn + r]; /* pt_dist(p, sv, c) */
                if (dsc >= gain) break;
                if (ls_in_segment(ls, c, s1, sl)) continue;
                for (int32_t side = 0; side < 2; side++) {
                    int32_t e = side == 0 ? ls_succ(ls, c) : ls_pred(ls, c);
                    if (ls_in_segment(ls, e, s1, sl)) continue;
                    double delta = ((dsc + pt_dist(p, o, e)) - pt_dist(p, c, e)) - gain;
                    if (delta < -ls->eps && delta >= -DBL_MAX) {
                        ls_or_opt_apply(ls, delta, s1, s2, sl, pr, x, c, e, sv);
                        return true;
                    }
                }
            }
        }
    }
    return false;
}

static bool ps_drain(psearch *s, uint32_t *polls) {
    lsearch *ls = &s->ls;
    while (ls->count > 0) {
        (*polls)++;
        if ((*polls & 255) == 0 && stop_requested(ls->k)) return false;
        int32_t a = ls_pop(ls);
        if (ps_two_opt_move(s, a) || ps_or_opt_move(s, a)) {
            ls->moves++;
            ls_push(ls, a);
        }
        if (ls->k->progress && !ls->journal_on) {
            /* the first local search: a call every n/POINTS_RUN_REPORT cities taken */
            if (POINTS_RUN_REPORT * ++s->pops >= (uint64_t)s->p->n && ls->moves != s->last_moves) {
                s->pops = 0;
                ps_report(s, s->base + ls->gain);
            }
        }
    }
    return true;
}

/* run */
static bool ps_run(psearch *s) {
    lsearch *ls = &s->ls;
    int32_t n = s->p->n;
    for (int32_t i = 0; i < n; i++) ls->pos[ls->t[i]] = i;
    if (n < 4) return true;
    uint32_t polls = 0;
    for (;;) {
        ls->head = 0;
        ls->count = 0;
        for (int32_t i = 0; i < n; i++) ls->in_q[i] = false;
        for (int32_t i = 0; i < n; i++) ls_push(ls, ls->t[i]);
        uint64_t before = ls->moves;
        if (!ps_drain(s, &polls)) return false;
        if (ls->moves == before) return true;
    }
}

/* doubleBridge */
static double ps_double_bridge(psearch *s, int32_t q, int32_t l1, int32_t l2) {
    lsearch *ls = &s->ls;
    const pset *p = s->p;
    int32_t n = p->n, *tmp = ls->tmp;
    int32_t a = ls_at(ls, q, 0), b1 = ls_at(ls, q, 1), bl = ls_at(ls, q, l1);
    int32_t c1 = ls_at(ls, q, l1 + 1), cl = ls_at(ls, q, l1 + l2), dd = ls_at(ls, q, l1 + l2 + 1);
    double delta = ((pt_dist(p, a, c1) + pt_dist(p, cl, b1)) + pt_dist(p, bl, dd)) -
                   ((pt_dist(p, a, b1) + pt_dist(p, bl, c1)) + pt_dist(p, cl, dd));
    for (int32_t i = 0; i < l1 + l2; i++) tmp[i] = ls_at(ls, q, 1 + i);
    int32_t w = q + 1;
    const int32_t ranges[2][2] = {{l1, l1 + l2}, {0, l1}};
    for (int32_t r = 0; r < 2; r++) {
        for (int32_t j = ranges[r][0]; j < ranges[r][1]; j++) {
            if (w >= n) w -= n;
            ls_set(ls, w, tmp[j]);
            w++;
        }
    }
    ls_push(ls, a);
    ls_push(ls, b1);
    ls_push(ls, bl);
    ls_push(ls, c1);
    ls_push(ls, cl);
    ls_push(ls, dd);
    return delta;
}

/* kicks */
static int32_t ps_kicks(psearch *s, uint64_t seed, int64_t budget) {
    lsearch *ls = &s->ls;
    int32_t n = s->p->n;
    double best_len = pt_cycle_length(s->p, ls->t);
    double cur = best_len;
    uint64_t rng = seed;
    int32_t max_len = (n - 2) / 2;
    if (max_len > KICK_MAX_LEN) max_len = KICK_MAX_LEN;
    uint32_t polls = 0;
    ls->journal_on = true;
    int32_t code = TSP_OK;
    int32_t step = n / POINTS_KICK_REPORT, since = 0; /* progress: at most a call every step kicks */
    if (step < 1) step = 1;
    for (int64_t kick = 0; budget <= 0 || kick < budget; kick++) {
        if (stop_requested(ls->k)) {
            code = TSP_STOPPED;
            break;
        }
        int32_t q = rng_below(&rng, n);
        int32_t l1 = 1 + rng_below(&rng, max_len);
        int32_t l2 = 1 + rng_below(&rng, max_len);
        cur += ps_double_bridge(s, q, l1, l2);
        ls->gain = 0;
        if (!ps_drain(s, &polls)) {
            ls_revert(ls);
            code = TSP_STOPPED;
            break;
        }
        if (ls->journal_failed) {
            code = TSP_NO_MEMORY;
            break;
        }
        cur += ls->gain;
        since++;
        double diff = cur - best_len;
        if (diff <= 0 && diff >= -DBL_MAX) {
            ls->journal_len = 0;
            best_len = cur;
            if (diff < 0 && ls->k->progress && since >= step) {
                since = 0;
                ps_report(s, cur);
            }
        } else {
            ls_revert(ls);
            cur = best_len;
        }
    }
    ls->journal_on = false;
    return code;
}

/* the search after the points were checked: TSP_OK, TSP_STOPPED or
 * TSP_NO_MEMORY, the tour in s->ls.t */
static int32_t ps_solve(psearch *s, int32_t start, int32_t algorithm, uint64_t seed, int64_t budget) {
    if (!ps_nearest_into(s, start)) return TSP_STOPPED;
    bool progress = s->ls.k->progress != NULL;
    if (progress) { /* the first tour */
        s->base = pt_cycle_length(s->p, s->ls.t);
        ps_report(s, s->base);
    }
    if (algorithm == TSP_NEAREST) return TSP_OK;
    int32_t code = ps_neighbours(s);
    kd_free(s->tr); /* no longer needed */
    if (code != TSP_OK) return code;
    if (!ps_run(s)) return TSP_STOPPED;
    if (progress && s->ls.moves != s->last_moves) ps_report(s, pt_cycle_length(s->p, s->ls.t)); /* the local optimum */
    if (algorithm == TSP_ITERATED && s->p->n >= ITERATED_MIN_N) return ps_kicks(s, seed, budget);
    return TSP_OK;
}

/* ---- the entry point (goPointsKernel in pointkernel.go) ---- */

int32_t tsp_solve_points(const double *x, const double *y, int32_t n, int32_t kind, const double *radius,
                         int32_t start, int32_t algorithm, uint64_t seed, int64_t budget, const int32_t *cancel,
                         int32_t *order, double *length, uint64_t *nodes) {
    return tsp_solve_points_progress(x, y, n, kind, radius, start, algorithm, seed, budget, cancel, NULL, 0, order,
                                     length, nodes);
}

int32_t tsp_solve_points_progress(const double *x, const double *y, int32_t n, int32_t kind, const double *radius,
                                  int32_t start, int32_t algorithm, uint64_t seed, int64_t budget,
                                  const int32_t *cancel, tsp_progress_fn progress, uint64_t handle, int32_t *order,
                                  double *length, uint64_t *nodes) {
    if (!x || !y || !order || !length || !nodes) return TSP_INVALID;
    if (n <= 0 || start < 0 || start >= n) return TSP_INVALID;
    if (algorithm != TSP_NEAREST && algorithm != TSP_TWOOPT && algorithm != TSP_ITERATED) return TSP_INVALID;
    if (algorithm == TSP_ITERATED && budget <= 0 && !cancel) return TSP_INVALID; /* it would never end */
    if (n > TSP_MAX_POINTS) return TSP_TOO_LARGE;
    pset p;
    int32_t code = pset_init(&p, x, y, n, kind, radius);
    if (code != TSP_OK) return code;
    kstate k = {NULL, n, cancel, 0, false, progress, handle, false, 0};
    kdtree tr;
    psearch s;
    pset q; /* p in the tree's numbering: what the search runs on */
    memset(&s, 0, sizeof s);
    memset(&q, 0, sizeof q);
    s.ls.k = &k;
    s.p = &q;
    s.tr = &tr;
    s.ls.t = malloc(sizeof(int32_t) * (size_t)n);
    s.ls.pos = malloc(sizeof(int32_t) * (size_t)n);
    if (progress) s.prog = malloc(sizeof(int32_t) * (size_t)n);
    if (!s.ls.t || !s.ls.pos || (progress && !s.prog)) {
        ps_free(&s);
        pset_free(&p);
        return TSP_NO_MEMORY;
    }
    code = kd_init(&tr, &p, &k);
    if (code != TSP_OK) {
        if (code == TSP_STOPPED) {
            /* stopped while the tree was built, before any tour: the
             * cities in index order from start (stoppedOrder) */
            for (int32_t i = 0; i < n; i++) order[i] = (int32_t)(((int64_t)start + i) % n);
            if (n >= 3 && order[1] > order[n - 1]) reverse32(order + 1, n - 1);
            *length = pt_cycle_length(&p, order);
            *nodes = 0;
        }
        ps_free(&s);
        pset_free(&p);
        return code;
    }
    int32_t *orig = tr.orig, *inv = tr.inv;
    s.orig = orig;
    s.last_len = INFINITY;
    if (!pset_permuted(&p, orig, &q)) {
        kd_free(&tr);
        free(orig);
        free(inv);
        ps_free(&s);
        pset_free(&p);
        return TSP_NO_MEMORY;
    }
    tr.p = &q;
    code = ps_solve(&s, inv[start], algorithm, seed, budget);
    kd_free(&tr); /* a second kd_free does nothing */
    if (code == TSP_OK || code == TSP_STOPPED) {
        /* pointsFinish: rotated, turned and summed in the tree's numbering
         * (the same bits as in the input's, in a fraction of the time) */
        int32_t *t = s.ls.t, r = 0, st = inv[start];
        while (t[r] != st) r++;
        if (r != 0) {
            reverse32(t, r);
            reverse32(t + r, n - r);
            reverse32(t, n);
        }
        if (n >= 3 && orig[t[1]] > orig[t[n - 1]]) reverse32(t + 1, n - 1);
        *length = pt_cycle_length(&q, t);
        for (int32_t i = 0; i < n; i++) order[i] = orig[t[i]];
        *nodes = s.ls.moves;
    }
    free(orig);
    free(inv);
    ps_free(&s);
    pset_free(&q);
    pset_free(&p);
    return code;
}
