/*
 * abitest: the same cases against every library named on the command line
 * (libtsp_c.so, libtsp_cpp.so, libtsp_go.so), which must agree on every
 * status code, tour, length and lower bound bit and node count. Plain C11
 * and POSIX (dlopen, pthreads); native/golib's TestABI builds and runs it.
 *
 *   cc -std=c11 -O2 -Inative native/golib/testdata/abitest.c -o abitest -ldl -lpthread -lm
 *   ./abitest lib/libtsp_c.so lib/libtsp_cpp.so lib/libtsp_go.so
 *
 * It prints, per library, what loading it cost (time, threads, size) and the
 * time of an empty call, then one line per disagreement, and a summary.
 * Exit status 0 when every library agrees with the first, 1 otherwise, 2 on
 * a library that cannot be loaded.
 */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <dlfcn.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "tsp.h"

#define MAXLIB 8

typedef int32_t (*fn_version)(void);
typedef int32_t (*fn_noop)(int32_t);
typedef int32_t (*fn_haversine)(const double *, double *);
typedef int32_t (*fn_matrix)(const double *, const double *, int32_t, const double *, double *);
typedef int32_t (*fn_solve)(const double *, int32_t, int32_t, int32_t, uint64_t, int64_t, const int32_t *, int32_t *,
                            double *, double *, uint64_t *);
typedef int32_t (*fn_solve_progress)(const double *, int32_t, int32_t, int32_t, uint64_t, int64_t, const int32_t *,
                                     tsp_progress_fn, uint64_t, int32_t *, double *, double *, uint64_t *);
typedef int32_t (*fn_solve_points_progress)(const double *, const double *, int32_t, int32_t, const double *, int32_t,
                                            int32_t, uint64_t, int64_t, const int32_t *, tsp_progress_fn, uint64_t,
                                            int32_t *, double *, uint64_t *);

typedef struct {
    const char *path;
    fn_version abi_version, kernel_id;
    fn_noop noop;
    fn_haversine haversine;
    fn_matrix matrix;
    fn_solve solve;
    fn_solve_progress solve_progress;
    fn_solve_points_progress solve_points_progress;
} lib;

static lib libs[MAXLIB];
static int nlib;
static long ncases, nsolves, nfail;

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int threads(void) {
    DIR *d = opendir("/proc/self/task");
    if (!d) return -1;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        if (e->d_name[0] != '.') n++;
    closedir(d);
    return n;
}

static void *sym(void *h, const char *path, const char *name) {
    void *p = dlsym(h, name);
    if (!p) {
        fprintf(stderr, "abitest: %s: no %s\n", path, name);
        exit(2);
    }
    return p;
}

static void load(const char *path) {
    struct stat st;
    if (stat(path, &st) != 0) {
        fprintf(stderr, "abitest: %s: cannot stat\n", path);
        exit(2);
    }
    int before = threads();
    double t0 = now();
    void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    double t1 = now();
    if (!h) {
        fprintf(stderr, "abitest: %s\n", dlerror());
        exit(2);
    }
    lib *l = &libs[nlib++];
    l->path = path;
    l->abi_version = (fn_version)sym(h, path, "tsp_abi_version");
    l->kernel_id = (fn_version)sym(h, path, "tsp_kernel_id");
    l->noop = (fn_noop)sym(h, path, "tsp_noop");
    l->haversine = (fn_haversine)sym(h, path, "tsp_haversine");
    l->matrix = (fn_matrix)sym(h, path, "tsp_matrix");
    l->solve = (fn_solve)sym(h, path, "tsp_solve");
    l->solve_progress = (fn_solve_progress)sym(h, path, "tsp_solve_progress");
    l->solve_points_progress = (fn_solve_points_progress)sym(h, path, "tsp_solve_points_progress");
    double t2 = now();
    int32_t v = l->abi_version(), id = l->kernel_id();
    double t3 = now();
    int after = threads();
    if (v != TSP_ABI_VERSION) {
        fprintf(stderr, "abitest: %s: tsp_abi_version() = %d, want %d\n", path, v, TSP_ABI_VERSION);
        exit(2);
    }
    if (id != TSP_KERNEL_C && id != TSP_KERNEL_CPP && id != TSP_KERNEL_GO) {
        fprintf(stderr, "abitest: %s: tsp_kernel_id() = %d\n", path, id);
        exit(2);
    }
    /* The empty call: the cost of crossing into the library. */
    int32_t acc = 0;
    const int reps = 2000000;
    double t4 = now();
    for (int i = 0; i < reps; i++) acc += l->noop(i & 7);
    double t5 = now();
    if (acc < 0) puts("");
    printf("library %s: kernel %d, %lld bytes, dlopen %.2f ms, first call %.3f ms, threads %d -> %d, empty call %.1f ns\n",
           path, id, (long long)st.st_size, (t1 - t0) * 1e3, (t3 - t2) * 1e3, before, after,
           (t5 - t4) / reps * 1e9);
    (void)t2;
}

/* splitmix64: the cases are the same on every run. */
static uint64_t rng_state = 0x9e3779b97f4a7c15u;
static uint64_t next(void) {
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}
static int below(int n) { return (int)(next() % (uint64_t)n); }

typedef struct {
    int32_t code;
    int32_t *order;
    double length, lb;
    uint64_t nodes;
} result;

/* solve_all runs one case on every library and compares with the first. */
static void solve_all(const char *what, const double *d, int32_t n, int32_t start, int32_t alg, uint64_t seed,
                      int64_t budget, const int32_t *cancel) {
    ncases++;
    int32_t m = n > 0 && n <= 64 ? n : 1;
    result r[MAXLIB];
    for (int i = 0; i < nlib; i++) {
        r[i].order = calloc((size_t)m, sizeof(int32_t));
        r[i].length = r[i].lb = -1;
        r[i].nodes = 12345;
        r[i].code = libs[i].solve(d, n, start, alg, seed, budget, cancel, r[i].order, &r[i].length, &r[i].lb,
                                  &r[i].nodes);
        nsolves++;
    }
    for (int i = 1; i < nlib; i++) {
        int bad = r[i].code != r[0].code;
        if (!bad && (r[0].code == TSP_OK || r[0].code == TSP_STOPPED)) {
            bad = memcmp(r[i].order, r[0].order, sizeof(int32_t) * (size_t)n) != 0 ||
                  memcmp(&r[i].length, &r[0].length, sizeof(double)) != 0 ||
                  memcmp(&r[i].lb, &r[0].lb, sizeof(double)) != 0 || r[i].nodes != r[0].nodes;
        }
        if (bad) {
            nfail++;
            printf("DIFFER %s n=%d start=%d alg=%#x seed=%llu budget=%lld: %s: code %d length %a lb %a nodes %llu; "
                   "%s: code %d length %a lb %a nodes %llu\n",
                   what, n, start, alg, (unsigned long long)seed, (long long)budget, libs[0].path, r[0].code,
                   r[0].length, r[0].lb, (unsigned long long)r[0].nodes, libs[i].path, r[i].code, r[i].length, r[i].lb,
                   (unsigned long long)r[i].nodes);
        }
    }
    for (int i = 0; i < nlib; i++) free(r[i].order);
}

/* Matrices. kind 0: integer distances of points on a grid (many ties);
 * 1: real distances of random points; 2: haversine of random cities, by the
 * first library's tsp_matrix; 3: asymmetric integers; 4: like 0 with
 * duplicate cities (distance 0 between them). */
static void make_matrix(int kind, double *d, int32_t n) {
    double x[64], y[64];
    for (int i = 0; i < n; i++) {
        x[i] = below(kind == 1 ? 1000000 : 20) / (kind == 1 ? 1000.0 : 1.0);
        y[i] = below(kind == 1 ? 1000000 : 20) / (kind == 1 ? 1000.0 : 1.0);
        if (kind == 4 && i > 0 && below(3) == 0) {
            int j = below(i);
            x[i] = x[j];
            y[i] = y[j];
        }
    }
    if (kind == 2) {
        double lat[64], lon[64], r = 6372.8;
        for (int i = 0; i < n; i++) {
            lat[i] = below(180001) / 1000.0 - 90;
            lon[i] = below(360001) / 1000.0 - 180;
        }
        if (libs[0].matrix(lat, lon, n, &r, d) != TSP_OK) {
            puts("tsp_matrix failed");
            exit(1);
        }
        return;
    }
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) {
            double dx = x[i] - x[j], dy = y[i] - y[j];
            double v = sqrt(dx * dx + dy * dy);
            if (kind != 1) v = floor(v + 0.5);
            if (kind == 3 && i != j) v = 1 + below(100);
            d[i * n + j] = v;
        }
    if (kind != 3)
        for (int i = 0; i < n; i++)
            for (int j = 0; j < i; j++) d[i * n + j] = d[j * n + i];
}

static void *set_later(void *p) {
    struct timespec ts = {0, 30 * 1000 * 1000};
    nanosleep(&ts, NULL);
    __atomic_store_n((int32_t *)p, 1, __ATOMIC_RELAXED);
    return NULL;
}

static void cases(void) {
    static double d[64 * 64];
    char what[64];
    for (int round = 0; round < 6; round++) {
        for (int32_t n = 1; n <= 12; n++) {
            for (int kind = 0; kind < 5; kind++) {
                make_matrix(kind, d, n);
                snprintf(what, sizeof what, "kind%d", kind);
                int32_t start = below(n);
                for (int32_t alg = TSP_EXHAUSTIVE; alg <= TSP_ITERATED; alg++) {
                    /* Exhaustive past 9 cities takes seconds: 10 once, no more. */
                    if (alg == TSP_EXHAUSTIVE && (n > 10 || (n == 10 && round > 0))) continue;
                    uint64_t seed = next();
                    int64_t budget = 1 + below(40);
                    int32_t flags[] = {0, TSP_CHECKED, TSP_DIRECTED, TSP_DIRECTED | TSP_CHECKED};
                    for (int f = 0; f < 4; f++) {
                        if (kind == 3 && (flags[f] & TSP_CHECKED) && !(flags[f] & TSP_DIRECTED)) continue;
                        if (alg == TSP_EXHAUSTIVE && n == 10 && f > 0) continue;
                        solve_all(what, d, n, start, alg | flags[f], seed, budget, NULL);
                    }
                    int32_t cancelled = 1; /* set before the call: the nearest tour, TSP_STOPPED */
                    solve_all(what, d, n, start, alg | (kind == 3 ? TSP_DIRECTED : 0), seed, budget, &cancelled);
                }
            }
        }
    }
    /* Bad input: every library answers the same code. */
    make_matrix(0, d, 5);
    solve_all("n=0", d, 0, 0, TSP_EXHAUSTIVE, 0, 0, NULL);
    solve_all("n<0", d, -3, 0, TSP_EXHAUSTIVE, 0, 0, NULL);
    solve_all("start=n", d, 5, 5, TSP_EXHAUSTIVE, 0, 0, NULL);
    solve_all("start<0", d, 5, -1, TSP_NEAREST, 0, 0, NULL);
    solve_all("alg 5", d, 5, 0, 5, 0, 0, NULL);
    solve_all("alg 0xff", d, 5, 0, 0xff, 0, 0, NULL);
    solve_all("flag 0x400", d, 5, 0, 0x400, 0, 0, NULL);
    solve_all("directed exact", d, 5, 0, TSP_EXACT | TSP_DIRECTED, 0, 0, NULL);
    solve_all("iterated forever", d, 5, 0, TSP_ITERATED, 0, 0, NULL);
    solve_all("n>max exhaustive", d, TSP_MAX_EXHAUSTIVE + 1, 0, TSP_EXHAUSTIVE, 0, 0, NULL);
    solve_all("n>max exact", d, TSP_MAX_EXACT + 1, 0, TSP_EXACT, 0, 0, NULL);
    solve_all("n>max nearest", d, TSP_MAX_HEURISTIC + 1, 0, TSP_NEAREST, 0, 0, NULL);
    solve_all("n=INT32_MAX", d, INT32_MAX, 0, TSP_TWOOPT, 0, 0, NULL);
    solve_all("NULL dist", NULL, 5, 0, TSP_EXHAUSTIVE, 0, 0, NULL);
    static const double bad[][4] = {{0, NAN, NAN, 0}, {0, -1, -1, 0}, {0, 1, 2, 0}, {1, 1, 1, 0}, {0, INFINITY, INFINITY, 0}};
    for (int i = 0; i < 5; i++) {
        snprintf(what, sizeof what, "bad matrix %d", i);
        solve_all(what, bad[i], 2, 0, TSP_EXHAUSTIVE, 0, 0, NULL);
        solve_all(what, bad[i], 2, 0, TSP_NEAREST | TSP_DIRECTED, 0, 0, NULL);
    }
    /* NULL outputs, on each library by hand. */
    for (int i = 0; i < nlib; i++) {
        double len, lb;
        uint64_t nodes;
        int32_t order[5];
        ncases++;
        if (libs[i].solve(d, 5, 0, TSP_NEAREST, 0, 0, NULL, NULL, &len, &lb, &nodes) != TSP_INVALID ||
            libs[i].solve(d, 5, 0, TSP_NEAREST, 0, 0, NULL, order, NULL, &lb, &nodes) != TSP_INVALID ||
            libs[i].solve(d, 5, 0, TSP_NEAREST, 0, 0, NULL, order, &len, &lb, NULL) != TSP_INVALID) {
            nfail++;
            printf("DIFFER %s: a NULL output is not TSP_INVALID\n", libs[i].path);
        }
    }
    /* Cancellation from another thread: Iterated without a budget runs until
     * the flag is set 30 ms later, then answers TSP_STOPPED with a tour. */
    make_matrix(1, d, 60);
    for (int i = 0; i < nlib; i++) {
        int32_t flag = 0, order[60];
        double len, lb;
        uint64_t nodes;
        pthread_t th;
        ncases++;
        pthread_create(&th, NULL, set_later, &flag);
        double t0 = now();
        int32_t code = libs[i].solve(d, 60, 0, TSP_ITERATED, 7, 0, &flag, order, &len, &lb, &nodes);
        double t1 = now();
        pthread_join(th, NULL);
        if (code != TSP_STOPPED || order[0] != 0 || !(len > 0)) {
            nfail++;
            printf("DIFFER %s: cancelled Iterated: code %d length %g\n", libs[i].path, code, len);
        }
        printf("cancel %s: stopped %.1f ms after the call began (flag set at 30 ms)\n", libs[i].path, (t1 - t0) * 1e3);
    }
    /* The small calls: status codes agree; haversine values within 1e-12
     * (the Go library computes sin and cos with Go's math package, not libm). */
    {
        double lat[3] = {48.86, 52.52, 91}, lon[3] = {2.35, 13.40, 0}, r = 6372.8, nr = NAN, out[9], ref[9];
        for (int i = 0; i < nlib; i++) {
            ncases++;
            int32_t c1 = libs[i].matrix(lat, lon, 2, &r, out), c2 = libs[i].matrix(lat, lon, 3, &r, ref),
                    c3 = libs[i].matrix(lat, lon, 2, &nr, ref), c4 = libs[i].matrix(NULL, lon, 2, &r, ref),
                    c5 = libs[i].matrix(lat, lon, TSP_MAX_HEURISTIC + 1, &r, ref);
            double in[5] = {lat[0], lon[0], lat[1], lon[1], r}, h = -1;
            int32_t c6 = libs[i].haversine(in, &h), c7 = libs[i].haversine(NULL, &h);
            double want = 877.33775758912213; /* paris-berlin on this sphere */
            if (c1 != TSP_OK || c2 != TSP_INVALID || c3 != TSP_INVALID || c4 != TSP_INVALID || c5 != TSP_TOO_LARGE ||
                c6 != TSP_OK || c7 != TSP_INVALID || fabs(out[1] - want) > 1e-9 || out[1] != out[2] || out[0] != 0 ||
                fabs(h - out[1]) > 1e-12 * want) {
                nfail++;
                printf("DIFFER %s: tsp_matrix/tsp_haversine: codes %d %d %d %d %d %d %d, d = %.17g, h = %.17g\n",
                       libs[i].path, c1, c2, c3, c4, c5, c6, c7, out[1], h);
            }
        }
    }
}

/* Progress (ABI 6): every library calls back with the same events (a hash
 * of each call's event, length and bound bits, nodes and tour), and a
 * callback that asks to stop at its second call stops them at the same
 * step. The handle is a pointer to the recorder, as C code passes one. */
typedef struct {
    uint64_t hash;
    int calls, stop_at;
} recorder;

static int32_t record(uint64_t handle, int32_t event, const double *values, uint64_t nodes, const int32_t *order,
                      int32_t n) {
    recorder *r = (recorder *)(uintptr_t)handle;
    uint64_t v[5] = {(uint64_t)event, 0, 0, nodes, (uint64_t)n};
    memcpy(&v[1], &values[0], 8);
    memcpy(&v[2], &values[1], 8);
    for (int i = 0; i < 5; i++) r->hash = (r->hash ^ v[i]) * 0x100000001b3u;
    for (int32_t i = 0; i < n; i++) r->hash = (r->hash ^ (uint32_t)order[i]) * 0x100000001b3u;
    r->calls++;
    return r->stop_at > 0 && r->calls >= r->stop_at;
}

static void progress_cases(void) {
    static double d[64 * 64];
    const int32_t algs[3][2] = {{TSP_EXHAUSTIVE, 9}, {TSP_EXACT, 40}, {TSP_ITERATED, 60}};
    for (int a = 0; a < 3; a++) {
        for (int stop = 0; stop <= 2; stop += 2) {
            int32_t n = algs[a][1];
            make_matrix(1, d, n);
            recorder rec[MAXLIB];
            result r[MAXLIB];
            for (int i = 0; i < nlib; i++) {
                ncases++;
                rec[i] = (recorder){0xcbf29ce484222325u, 0, stop};
                r[i].order = calloc((size_t)n, sizeof(int32_t));
                r[i].code = libs[i].solve_progress(d, n, 1, algs[a][0], 7, 300, NULL, record, (uint64_t)(uintptr_t)&rec[i],
                                                   r[i].order, &r[i].length, &r[i].lb, &r[i].nodes);
                nsolves++;
            }
            for (int i = 0; i < nlib; i++) {
                int bad = rec[i].calls < 2 ||
                          (i > 0 && (rec[i].hash != rec[0].hash || rec[i].calls != rec[0].calls ||
                                     r[i].code != r[0].code || r[i].nodes != r[0].nodes ||
                                     memcmp(r[i].order, r[0].order, sizeof(int32_t) * (size_t)n) != 0 ||
                                     memcmp(&r[i].length, &r[0].length, sizeof(double)) != 0));
                if (bad) {
                    nfail++;
                    printf("DIFFER progress alg %d n=%d stop %d: %s: code %d, %d calls, hash %016llx, nodes %llu\n",
                           algs[a][0], n, stop, libs[i].path, r[i].code, rec[i].calls,
                           (unsigned long long)rec[i].hash, (unsigned long long)r[i].nodes);
                }
            }
            for (int i = 0; i < nlib; i++) free(r[i].order);
        }
    }
}

/* Progress on the coordinate path (ABI 7): the same events from every
 * library on 2,000 random planar points with TwoOpt and Iterated, and a
 * stop at the second call at the same step. */
static void points_progress_cases(void) {
    enum { N = 2000 };
    static double x[N], y[N];
    for (int i = 0; i < N; i++) {
        x[i] = below(1000000) / 1000.0;
        y[i] = below(1000000) / 1000.0;
    }
    const double radius = 0;
    const int32_t algs[2] = {TSP_TWOOPT, TSP_ITERATED};
    for (int a = 0; a < 2; a++) {
        for (int stop = 0; stop <= 2; stop += 2) {
            recorder rec[MAXLIB];
            result r[MAXLIB];
            for (int i = 0; i < nlib; i++) {
                ncases++;
                rec[i] = (recorder){0xcbf29ce484222325u, 0, stop};
                r[i].order = calloc(N, sizeof(int32_t));
                r[i].code = libs[i].solve_points_progress(x, y, N, TSP_POINTS_EUC_2D, &radius, 3, algs[a], 5, 2000, NULL,
                                                          record, (uint64_t)(uintptr_t)&rec[i], r[i].order,
                                                          &r[i].length, &r[i].nodes);
                nsolves++;
            }
            for (int i = 0; i < nlib; i++) {
                int bad = rec[i].calls < 2 || (stop && r[i].code != TSP_STOPPED) ||
                          (i > 0 && (rec[i].hash != rec[0].hash || rec[i].calls != rec[0].calls ||
                                     r[i].code != r[0].code || r[i].nodes != r[0].nodes ||
                                     memcmp(r[i].order, r[0].order, sizeof(int32_t) * N) != 0 ||
                                     memcmp(&r[i].length, &r[0].length, sizeof(double)) != 0));
                if (bad) {
                    nfail++;
                    printf("DIFFER points progress alg %d stop %d: %s: code %d, %d calls, hash %016llx, nodes %llu\n",
                           algs[a], stop, libs[i].path, r[i].code, rec[i].calls, (unsigned long long)rec[i].hash,
                           (unsigned long long)r[i].nodes);
                }
            }
            for (int i = 0; i < nlib; i++) free(r[i].order);
        }
    }
}

int main(int argc, char **argv) {
    if (argc < 2 || argc > MAXLIB + 1) {
        fprintf(stderr, "usage: abitest LIBRARY...  (up to %d)\n", MAXLIB);
        return 2;
    }
    for (int i = 1; i < argc; i++) load(argv[i]);
    double t0 = now();
    cases();
    progress_cases();
    points_progress_cases();
    printf("abitest: %ld cases, %ld solves on %d libraries in %.1f s: %s\n", ncases, nsolves, nlib, now() - t0,
           nfail ? "DIFFERENCES" : "all agree");
    return nfail ? 1 : 0;
}
