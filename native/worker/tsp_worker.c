/*
 * tsp_worker.c: a worker process on the C kernel (github.com/ffi4go/tsp).
 *
 * It speaks the worker protocol of docs/protocol.md on its standard input
 * and output: a hello, then one solve request at a time answered by
 * tsp_solve_progress of native/c/tsp.c (linked in), cancels, pings and
 * progress answers read while a solve runs, errors as data. Build it with the C kernel:
 *
 *   cc -std=c11 -O2 -ffp-contract=off -pthread -Inative \
 *      native/worker/tsp_worker.c native/c/tsp.c -o tsp-worker-c -lm
 *
 * (`make libs` and loader.BuildWorker do). It exits 0 at the end of its
 * input, 65 after an error frame about bad bytes, 71 after one about memory
 * or an internal error. TSP_WORKER_FAULT=crash:SEED or hang:SEED makes it
 * crash on, or never answer, a solve request with that seed: a test switch.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <inttypes.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#ifdef __linux__
#include <sys/epoll.h>
#endif

#include "tsp.h"

#define PROTO_VERSION 5u /* 2: progress frames (G, g); 3: one-way progress frames; 4: coordinates (Q); 5: progress on Q */
#define MAX_N TSP_MAX_HEURISTIC
#define MAX_POINTS TSP_MAX_POINTS
#define POINTS_HEAD_LEN 53u
#define HELLO_LEN 21u
#define SOLVE_HEAD_LEN 41u
#define CANCEL_LEN 9u
#define PING_LEN 13u
#define RESULT_HEAD_LEN 49u
#define ERROR_HEAD_LEN 17u
#define PROGRESS_HEAD_LEN 41u
#define ANSWER_LEN 13u
#define FLAG_CANCELLED 1u
#define FLAG_PROGRESS 2u
#define FLAG_ONE_WAY 4u /* version 3: progress frames without answers */
#define MAX_MESSAGE 1024u
#define MAX_FRAME (SOLVE_HEAD_LEN + 8ull * MAX_N * MAX_N)

enum { E_MALFORMED = 1, E_TOO_LARGE = 2, E_BUSY = 3, E_NO_MEMORY = 4, E_INTERNAL = 5 };

/* Little-endian encoding, whatever the host. */
static uint32_t get32(const unsigned char *b) {
    return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}
static uint64_t get64(const unsigned char *b) { return (uint64_t)get32(b) | (uint64_t)get32(b + 4) << 32; }
static void put32(unsigned char *b, uint32_t v) {
    b[0] = (unsigned char)v;
    b[1] = (unsigned char)(v >> 8);
    b[2] = (unsigned char)(v >> 16);
    b[3] = (unsigned char)(v >> 24);
}
static void put64(unsigned char *b, uint64_t v) {
    put32(b, (uint32_t)v);
    put32(b + 4, (uint32_t)(v >> 32));
}
static int host_le(void) {
    const uint16_t one = 1;
    return *(const unsigned char *)&one == 1;
}

/* Output: every frame is written whole under out_mu. A write error means
 * the parent is gone: exit. */
static pthread_mutex_t out_mu = PTHREAD_MUTEX_INITIALIZER;

static void write_all(const unsigned char *p, size_t n) {
    while (n > 0) {
        ssize_t k = write(1, p, n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            _exit(0);
        p += k;
        n -= (size_t)k;
    }
}

/* One-way progress frames (version 3) wait in pend until the writer
 * thread, or the next frame written, sends them: a progress call only
 * copies its frame and the search goes on while it travels (a write to
 * the pipe in the search's thread cost it tens of microseconds a call).
 * Every frame written under out_mu sends what is pending first
 * (flush_pending), so the frames keep their order. The writer thread
 * starts with the first such frame; past MAX_PENDING bytes the progress
 * call writes them itself (a parent that reads slowly slows the search
 * instead of growing the worker).
 *
 * The writer is not woken for each frame: waking it (pthread_cond_signal,
 * a futex call, after which the woken writer could take the search's CPU)
 * cost the search 30-100 us a call on a busy machine. The first frame of
 * a solve wakes it; from then on it ticks, every WRITER_TICK_NS, writing
 * what is pending, until a tick finds the solve over and nothing pending.
 * So a frame waits at most a tick (2 ms) before it is written, and a
 * progress call makes no system call but the first of its solve. */
#define MAX_PENDING (1u << 20)
#define WRITER_TICK_NS 2000000L
static pthread_mutex_t pend_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t pend_cv = PTHREAD_COND_INITIALIZER;
static unsigned char *pend, *spare; /* spare: the last buffer written, for reuse */
static size_t pend_len, pend_cap, spare_cap;
static int writer_started;
static int writer_ticking; /* the writer ticks: progress calls need not wake it */
static int one_way_solving; /* a solve with one-way progress runs */
static int writer_failed;   /* the solving thread's (main's) only: it writes its frames itself */

/* flush_pending writes the pending frames; out_mu is held. */
static void flush_pending(void) {
    pthread_mutex_lock(&pend_mu);
    unsigned char *p = pend;
    size_t n = pend_len, c = pend_cap;
    pend = spare;
    pend_cap = spare_cap;
    pend_len = 0;
    spare = NULL;
    spare_cap = 0;
    pthread_mutex_unlock(&pend_mu);
    if (n > 0)
        write_all(p, n);
    pthread_mutex_lock(&pend_mu);
    if (spare == NULL && c <= MAX_PENDING) {
        spare = p;
        spare_cap = c;
        p = NULL;
    }
    pthread_mutex_unlock(&pend_mu);
    free(p);
}

/* send_frame writes the pending frames and then b, as one frame sequence. */
static void send_frame(const unsigned char *b, size_t n) {
    pthread_mutex_lock(&out_mu);
    flush_pending();
    write_all(b, n);
    pthread_mutex_unlock(&out_mu);
}

static void *writer(void *arg) {
    (void)arg;
    const struct timespec tick = {0, WRITER_TICK_NS};
    for (;;) {
        pthread_mutex_lock(&pend_mu);
        while (!writer_ticking)
            pthread_cond_wait(&pend_cv, &pend_mu);
        pthread_mutex_unlock(&pend_mu);
        for (;;) {
            pthread_mutex_lock(&out_mu);
            flush_pending();
            pthread_mutex_unlock(&out_mu);
            nanosleep(&tick, NULL);
            pthread_mutex_lock(&pend_mu);
            int idle = pend_len == 0 && !one_way_solving;
            if (idle)
                writer_ticking = 0;
            pthread_mutex_unlock(&pend_mu);
            if (idle)
                break;
        }
    }
    return NULL;
}

/* pend_reserve returns room for n more bytes at the end of pend (pend_mu
 * held), NULL without memory. */
static unsigned char *pend_reserve(size_t n) {
    if (pend_len + n > pend_cap) {
        size_t c = pend_cap ? 2 * pend_cap : 4096;
        while (c < pend_len + n)
            c *= 2;
        unsigned char *q = realloc(pend, c);
        if (q == NULL)
            return NULL;
        pend = q;
        pend_cap = c;
    }
    return pend + pend_len;
}

/* Input: 0 on success, 1 at the end of the stream before any byte, -1 when
 * it ends inside (a cut frame) or fails. */
static int read_all(unsigned char *p, size_t n) {
    size_t got = 0;
    while (got < n) {
        ssize_t k = read(0, p + got, n - got);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return got == 0 ? 1 : -1;
        got += (size_t)k;
    }
    return 0;
}

/* The one solve at a time, read by main (hand_over) and solved by main
 * (run_job). */
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int job_running, quitting;
static uint64_t job_id, job_seed;
static int32_t job_n, job_start, job_alg;
static int64_t job_budget;
static double *job_matrix;
static int32_t job_cancel;
static int job_sent_cancelled;    /* the request came with its cancel flag set */
static int job_progress;          /* the request asked for progress frames */
static int job_one_way;           /* ... without answers (a stop comes as a cancel) */
static int job_points;            /* a coordinates request (Q): job_matrix is x then y */
static int32_t job_kind;
static double job_radius;
static int answer_waiting;        /* a progress frame waits for its answer */
static int answer_ready;          /* the answer came */
static int32_t answer_stop;       /* its value */

/* Fault injection (tests only). */
static int fault_kind; /* 0 none, 1 crash, 2 hang */
static uint64_t fault_seed;

static void send_error(uint64_t id, uint32_t code, const char *msg) {
    size_t m = strlen(msg);
    if (m > MAX_MESSAGE)
        m = MAX_MESSAGE;
    unsigned char b[4 + ERROR_HEAD_LEN + MAX_MESSAGE];
    put32(b, (uint32_t)(ERROR_HEAD_LEN + m));
    b[4] = 'E';
    put64(b + 5, id);
    put32(b + 13, code);
    put32(b + 17, (uint32_t)m);
    memcpy(b + 21, msg, m);
    write_all(b, 4 + ERROR_HEAD_LEN + m);
}

/* An error frame, then the end: the stream cannot be trusted after it.
 * out_mu stays locked until the exit, so that the error frame is the last
 * one: a solve finishing meanwhile writes nothing after it. */
static void fail(uint64_t id, uint32_t code, const char *msg) {
    pthread_mutex_lock(&out_mu);
    flush_pending();
    send_error(id, code, msg);
    fprintf(stderr, "tsp-worker-c: %s\n", msg);
    _exit(code == E_NO_MEMORY || code == E_INTERNAL ? 71 : 65);
}

static uint64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Who reads the input. Between solves the main thread reads it; while a
 * solve runs on the main thread, the watcher thread reads what may come
 * meanwhile (cancels, progress answers, pings). Whoever reads a frame
 * holds rd_mu, and solving, changed under rd_mu, says whose turn it is:
 * the watcher reads only while it is set and the input has bytes, so it
 * never blocks in a read that main needs. The watcher sleeps until the
 * input is readable during a solve: on Linux in epoll_wait, on a one-shot
 * registration that main arms when a solve starts (a system call; the
 * watcher is not woken), elsewhere (or when the input cannot be polled so,
 * or with TSP_WORKER_WATCH=poll, a test switch) on a condition variable,
 * then poll() with a pipe that main writes when the solve ends.
 *
 * Until issue 17's fourteenth session main read every frame and a solver
 * thread solved: each request woke two threads of the worker, and on a
 * virtual machine whose CPUs are idle each wake-up costs tens of
 * microseconds. Now a request wakes one thread, which solves and answers
 * it and then polls its input (spin_for_input) as the Go worker's runtime
 * does before it sleeps. */
static pthread_mutex_t rd_mu = PTHREAD_MUTEX_INITIALIZER;
static int solving;
static pthread_cond_t watch_cv = PTHREAD_COND_INITIALIZER;
static int watch_on;       /* the poll way: armed (under mu) */
static int wake_pipe[2] = {-1, -1};
static int ep_fd = -1;     /* the epoll way, when >= 0 */

static int watch_init(void) {
    const char *w = getenv("TSP_WORKER_WATCH");
#ifdef __linux__
    if (w == NULL || strcmp(w, "poll") != 0) {
        ep_fd = epoll_create1(EPOLL_CLOEXEC);
        if (ep_fd >= 0) {
            struct epoll_event ev;
            memset(&ev, 0, sizeof ev);
            ev.events = EPOLLONESHOT; /* disarmed */
            if (epoll_ctl(ep_fd, EPOLL_CTL_ADD, 0, &ev) == 0)
                return 0;
            close(ep_fd); /* a regular file on the input: EPERM */
            ep_fd = -1;
        }
    }
#else
    (void)w;
#endif
    if (pipe(wake_pipe) != 0)
        return -1;
    fcntl(wake_pipe[0], F_SETFL, fcntl(wake_pipe[0], F_GETFL) | O_NONBLOCK);
    fcntl(wake_pipe[0], F_SETFD, FD_CLOEXEC);
    fcntl(wake_pipe[1], F_SETFD, FD_CLOEXEC);
    return 0;
}

/* watch_arm lets the watcher read (on) or stops it; rd_mu is held. */
static void watch_arm(int on) {
#ifdef __linux__
    if (ep_fd >= 0) {
        struct epoll_event ev;
        memset(&ev, 0, sizeof ev);
        ev.events = EPOLLONESHOT | (on ? EPOLLIN : 0);
        if (epoll_ctl(ep_fd, EPOLL_CTL_MOD, 0, &ev) != 0)
            fail(0, E_INTERNAL, "epoll_ctl on the input failed");
        return;
    }
#endif
    pthread_mutex_lock(&mu);
    watch_on = on;
    if (on)
        pthread_cond_signal(&watch_cv);
    pthread_mutex_unlock(&mu);
    if (!on) {
        ssize_t k = write(wake_pipe[1], "x", 1);
        (void)k; /* a full pipe wakes the watcher all the same */
    }
}

/* watch_wait returns when the input may be readable during a solve. */
static void watch_wait(void) {
#ifdef __linux__
    if (ep_fd >= 0) {
        struct epoll_event ev;
        while (epoll_wait(ep_fd, &ev, 1, -1) < 0 && errno == EINTR) {
        }
        return;
    }
#endif
    for (;;) {
        pthread_mutex_lock(&mu);
        while (!watch_on)
            pthread_cond_wait(&watch_cv, &mu);
        pthread_mutex_unlock(&mu);
        struct pollfd p[2] = {{0, POLLIN, 0}, {wake_pipe[0], POLLIN, 0}};
        if (poll(p, 2, -1) < 0)
            continue;
        if (p[1].revents) {
            char b[64];
            while (read(wake_pipe[0], b, sizeof b) > 0) {
            }
        }
        if (p[0].revents)
            return;
    }
}

/* input_ready: the input has bytes (or its end) to read now. */
static int input_ready(void) {
    struct pollfd p = {0, POLLIN, 0};
    return poll(&p, 1, 0) > 0;
}

/* Spinning: after an answer, main polls its input for up to spin_ns before
 * it sleeps in read, when the request before came within SPIN_RECENT_NS of
 * the answer before it (a client sending back to back) and the CPUs are
 * calm (Linux's /proc/pressure/cpu "some avg10" under CALM_PRESSURE
 * percent, read at most every 250 ms; never where it is missing), as the
 * parent's Config.Spin does. TSP_WORKER_SPIN_NS sets spin_ns and drops the
 * pressure test (0: never). */
#define SPIN_DEFAULT_NS 50000u
#define SPIN_MAX_NS 10000000u
#define SPIN_RECENT_NS 1000000u
#define CALM_PRESSURE 25.0
static uint64_t spin_ns = SPIN_DEFAULT_NS;
static int spin_forced;
static uint64_t last_answer_ns;
static int client_quick;

static int cpus_calm(void) {
    static uint64_t at;
    static int calm;
    uint64_t t = now_ns();
    if (at != 0 && t - at < 250000000u)
        return calm;
    at = t;
    calm = 0;
    int fd = open("/proc/pressure/cpu", O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    char buf[256];
    ssize_t k = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (k <= 0)
        return 0;
    buf[k] = 0;
    const char *p = strstr(buf, "some avg10=");
    if (p == NULL)
        return 0;
    char *end = NULL;
    double v = strtod(p + 11, &end);
    calm = end != p + 11 && v >= 0 && v < CALM_PRESSURE;
    return calm;
}

static void spin_for_input(void) {
    if (!client_quick || spin_ns == 0 || (!spin_forced && !cpus_calm()))
        return;
    uint64_t t0 = now_ns();
    struct pollfd p = {0, POLLIN, 0};
    do {
        if (poll(&p, 1, 0) != 0)
            return;
    } while (now_ns() - t0 < spin_ns);
}

/* progress: the kernel's progress function (tsp.h) when the request asked
 * for it: a G frame, then a wait for the parent's g (read by the
 * watcher); the end of the input stops the search. A one-way request
 * (version 3) does not wait: the kernel goes on at once (its frame joins
 * pend, for the writer thread), and a stop comes as a cancel frame, which
 * the watcher sets on job_cancel. handle is the request's id. */
static int32_t progress_frame(uint64_t handle, int32_t event, const double *values, uint64_t nodes,
                              const int32_t *order, int32_t n) {
    size_t len = PROGRESS_HEAD_LEN + 4u * (size_t)n;
    unsigned char *b;
    if (job_one_way) {
        pthread_mutex_lock(&pend_mu);
        b = pend_reserve(4 + len);
        if (b == NULL) {
            pthread_mutex_unlock(&pend_mu);
            return 1; /* no memory for a frame: stop with the best tour so far */
        }
    } else if ((b = malloc(4 + len)) == NULL) {
        return 1;
    }
    uint64_t lbits, bbits;
    memcpy(&lbits, &values[0], 8);
    memcpy(&bbits, &values[1], 8);
    put32(b, (uint32_t)len);
    b[4] = 'G';
    put64(b + 5, handle);
    put32(b + 13, (uint32_t)event);
    put32(b + 17, (uint32_t)n);
    put64(b + 21, lbits);
    put64(b + 29, bbits);
    put64(b + 37, nodes);
    for (int32_t i = 0; i < n; i++)
        put32(b + 45 + 4 * (size_t)i, (uint32_t)order[i]);
    if (job_one_way) {
        pend_len += 4 + len;
        int start = !writer_started;
        int now = pend_len >= MAX_PENDING || writer_failed;
        writer_started = 1;
        one_way_solving = 1;
        if (!writer_ticking) {
            writer_ticking = 1;
            pthread_cond_signal(&pend_cv); /* the first frame of the solve: wake the writer */
        }
        pthread_mutex_unlock(&pend_mu);
        if (start) {
            pthread_t th;
            if (pthread_create(&th, NULL, writer, NULL) != 0)
                writer_failed = now = 1; /* no writer: this thread writes */
            else
                pthread_detach(th);
        }
        if (now) {
            pthread_mutex_lock(&out_mu);
            flush_pending();
            pthread_mutex_unlock(&out_mu);
        }
        return 0;
    }
    pthread_mutex_lock(&mu);
    answer_waiting = 1;
    answer_ready = 0;
    pthread_mutex_unlock(&mu);
    send_frame(b, 4 + len);
    free(b);
    pthread_mutex_lock(&mu);
    while (!answer_ready && !quitting)
        pthread_cond_wait(&cv, &mu);
    int32_t stop = answer_ready ? answer_stop : 1;
    answer_waiting = 0;
    answer_ready = 0;
    pthread_mutex_unlock(&mu);
    return stop;
}

/* TSP_TEST_STALL_FILE (tests only: proc's BenchmarkProgressWait) names a
 * file where the worker writes, after each solve with progress, the time
 * the kernel spent inside its progress calls and their number, as
 * "NANOSECONDS CALLS": what progress costs the search, measured from the
 * kernel's side. */
static const char *stall_file;
static uint64_t stall_ns, stall_calls;

static int32_t progress(uint64_t handle, int32_t event, const double *values, uint64_t nodes, const int32_t *order,
                        int32_t n) {
    if (stall_file == NULL)
        return progress_frame(handle, event, values, nodes, order, n);
    uint64_t t0 = now_ns();
    int32_t r = progress_frame(handle, event, values, nodes, order, n);
    stall_ns += now_ns() - t0;
    stall_calls++;
    return r;
}

static void write_stall(void) {
    FILE *f = fopen(stall_file, "w");
    if (f != NULL) {
        fprintf(f, "%" PRIu64 " %" PRIu64, stall_ns, stall_calls);
        fclose(f);
    }
    stall_ns = stall_calls = 0;
}


/* check_matrix: the kernels' check of a matrix (tsp_solve without
 * TSP_CHECKED; check_distances of tsp.c). A worker trusts no bytes on its
 * input: it checks a matrix marked TSP_CHECKED itself, since a kernel takes
 * one so marked as valid. 1: valid, 0: invalid, -1: the flag poll (NULL:
 * none) stopped it; it is read once per band of CHECK_TILE rows. The
 * matrix is read in tiles of CHECK_TILE × CHECK_TILE, the upper triangle
 * beside its mirror (as the Go kernel's checkDistances does): row by row,
 * the mirror's column cost a cache line per value, 0.62-0.74 s at 10,000
 * cities here against 0.41-0.44 s in tiles. */
#define CHECK_TILE 32
static int check_matrix(const double *d, int32_t n, int directed, const int32_t *poll) {
    double lim = ldexp(1.0, TSP_MAX_TOUR_LENGTH_LOG2) / (double)n;
    for (int32_t bi = 0; bi < n; bi += CHECK_TILE) {
        if (poll != NULL && __atomic_load_n(poll, __ATOMIC_RELAXED) != 0) return -1;
        int32_t ie = bi + CHECK_TILE < n ? bi + CHECK_TILE : n;
        for (int32_t bj = bi; bj < n; bj += CHECK_TILE) {
            int32_t je = bj + CHECK_TILE < n ? bj + CHECK_TILE : n;
            for (int32_t i = bi; i < ie; i++) {
                for (int32_t j = bj == bi ? i : bj; j < je; j++) {
                    double v = d[(size_t)i * (size_t)n + (size_t)j], w = d[(size_t)j * (size_t)n + (size_t)i];
                    if (!(v >= 0) || v > lim || (i == j && v != 0)) return 0;
                    if (directed ? !(w >= 0) || w > lim : v != w) return 0;
                }
            }
        }
    }
    return 1;
}

static double *read_doubles(uint64_t id, size_t count, const char *what);

/* Reads count little-endian doubles. The whole buffer is allocated only
 * once the first MiB has arrived: a frame that claims a large matrix and
 * stops costs what it sent, and a real one is allocated once. */
static double *read_matrix(uint64_t id, size_t count) {
    return read_doubles(id, count, "matrix");
}

static double *read_doubles(uint64_t id, size_t count, const char *what) {
    size_t first = count < 131072 ? count : 131072;
    double *d = malloc(first * sizeof(double));
    char msg[160];
    if (d == NULL)
        fail(id, E_NO_MEMORY, what[0] == 'm' ? "no memory for the matrix" : "no memory for the coordinates");
    int r = read_all((unsigned char *)d, first * sizeof(double));
    if (r == 0 && count > first) {
        double *all = malloc(count * sizeof(double));
        if (all == NULL) {
            free(d);
            fail(id, E_NO_MEMORY, what[0] == 'm' ? "no memory for the matrix" : "no memory for the coordinates");
        }
        memcpy(all, d, first * sizeof(double));
        free(d);
        d = all;
        r = read_all((unsigned char *)(d + first), (count - first) * sizeof(double));
    }
    if (r != 0) {
        free(d);
        snprintf(msg, sizeof msg, "solve request %" PRIu64 ": a frame cut short in its %s", id, what);
        fail(id, E_MALFORMED, msg);
    }
    if (!host_le()) {
        unsigned char *b = (unsigned char *)d;
        for (size_t i = 0; i < count; i++) {
            uint64_t v = get64(b + 8 * i);
            memcpy(b + 8 * i, &v, 8);
        }
    }
    return d;
}

/* run_job solves the job hand_over set, on the main thread, while the
 * watcher reads the input, and answers. */
static void run_job(void) {
    {
        pthread_mutex_lock(&mu);
        uint64_t id = job_id;
        int32_t n = job_n;
        double *d = job_matrix;
        pthread_mutex_unlock(&mu);

        if (fault_kind && job_seed == fault_seed) {
            if (fault_kind == 1) {
                fprintf(stderr, "tsp-worker-c: TSP_WORKER_FAULT=crash:%" PRIu64 ": the injected crash\n", fault_seed);
                *(volatile int *)(uintptr_t)0 = 1; /* SIGSEGV, as a bug in native code would */
                abort();
            }
            for (;;)
                pause(); /* hang: never answer */
        }
        size_t rlen = RESULT_HEAD_LEN + 4u * (size_t)n;
        unsigned char *out = malloc(4 + rlen);
        int32_t *order = malloc(sizeof(int32_t) * (size_t)n);
        double length = 0, lb = 0;
        uint64_t nodes = 0;
        int32_t st = TSP_NO_MEMORY;
        uint64_t t0 = now_ns(), took = 0;
        if (out == NULL || order == NULL) {
            free(out);
            free(order);
            fail(id, E_NO_MEMORY, "no memory for a result");
        }
        /* A cancel that comes during the check stops it (since issue 17's
         * twelfth session; it waited for all n² values), and the kernel
         * then runs unmarked: its own check, seeing the flag, stops at
         * once, and it answers as any kernel stopped before it started. A
         * request sent already cancelled is checked whole and solved as
         * marked, as the other backends solve it. */
        int32_t alg = job_alg;
        int valid = 1;
        if (!job_points && (alg & TSP_CHECKED)) {
            valid = check_matrix(d, n, (alg & TSP_DIRECTED) != 0, job_sent_cancelled ? NULL : &job_cancel);
            if (valid < 0)
                alg &= ~(int32_t)TSP_CHECKED;
        }
        if (valid == 0) {
            st = TSP_INVALID;
        } else if (job_points) {
            double radius = job_radius;
            st = tsp_solve_points_progress(d, d + n, n, job_kind, &radius, job_start, job_alg, job_seed, job_budget,
                                           &job_cancel, job_progress ? progress : NULL, id, order, &length, &nodes);
        } else {
            st = tsp_solve_progress(d, n, job_start, alg, job_seed, job_budget, &job_cancel,
                                    job_progress ? progress : NULL, id, order, &length, &lb, &nodes);
        }
        took = now_ns() - t0;
        pthread_mutex_lock(&pend_mu);
        one_way_solving = 0; /* the writer stops ticking once it has written what is pending */
        pthread_mutex_unlock(&pend_mu);
        if (stall_file != NULL && job_progress)
            write_stall();
        free(d);
        int32_t cnt = (st == TSP_OK || st == TSP_STOPPED) ? n : 0;
        rlen = RESULT_HEAD_LEN + 4u * (size_t)cnt;
        uint64_t lbits, bbits;
        memcpy(&lbits, &length, 8);
        memcpy(&bbits, &lb, 8);
        put32(out, (uint32_t)rlen);
        out[4] = 'R';
        put64(out + 5, id);
        put32(out + 13, (uint32_t)st);
        put32(out + 17, (uint32_t)cnt);
        put64(out + 21, lbits);
        put64(out + 29, bbits);
        put64(out + 37, nodes);
        put64(out + 45, took);
        for (int32_t i = 0; i < cnt; i++)
            put32(out + 53 + 4 * (size_t)i, (uint32_t)order[i]);
        free(order);

        /* The input is main's again before the answer leaves: the
         * parent's next request may follow it at once. */
        pthread_mutex_lock(&rd_mu);
        solving = 0;
        watch_arm(0);
        pthread_mutex_unlock(&rd_mu);
        pthread_mutex_lock(&mu);
        job_running = 0;
        job_matrix = NULL;
        pthread_cond_broadcast(&cv);
        pthread_mutex_unlock(&mu);
        send_frame(out, 4 + rlen);
        last_answer_ns = now_ns();
        free(out);
    }
}


/* fail_if_busy: a request (what: "solve" or "points") while another runs
 * is an error. */
static void fail_if_busy(uint64_t id, const char *what) {
    char msg[200];
    pthread_mutex_lock(&mu);
    int busy = job_running;
    uint64_t cur = job_id;
    pthread_mutex_unlock(&mu);
    if (busy) {
        snprintf(msg, sizeof msg, "%s request %" PRIu64 " while request %" PRIu64 " runs", what, id, cur);
        fail(id, E_BUSY, msg);
    }
}

/* hand_over makes the request whose head (after its type byte) is b, and
 * whose matrix or coordinates are d, the job of run_job, and gives the
 * input to the watcher (rd_mu held). */
static void hand_over(const unsigned char *b, double *d, int points) {
    uint32_t flags = get32(b + 20);
    pthread_mutex_lock(&mu);
    job_id = get64(b);
    job_n = (int32_t)get32(b + 8);
    job_start = (int32_t)get32(b + 12);
    job_alg = (int32_t)get32(b + 16);
    job_seed = get64(b + 24);
    job_budget = (int64_t)get64(b + 32);
    job_matrix = d;
    job_points = points;
    if (points) {
        uint64_t rbits = get64(b + 44);
        job_kind = (int32_t)get32(b + 40);
        memcpy(&job_radius, &rbits, 8);
    }
    __atomic_store_n(&job_cancel, (int32_t)(flags & FLAG_CANCELLED), __ATOMIC_SEQ_CST);
    job_sent_cancelled = (flags & FLAG_CANCELLED) != 0;
    job_progress = (flags & FLAG_PROGRESS) != 0;
    job_one_way = (flags & FLAG_ONE_WAY) != 0;
    job_running = 1;
    pthread_mutex_unlock(&mu);
    solving = 1;
    watch_arm(1);
}

/* read_request_head reads the rest of the head of a request (what:
 * "solve" or "points") whose length len and type are in h, and checks its
 * flags and n (1 to max), which it returns. */
static int32_t read_request_head(unsigned char *h, uint32_t len, uint32_t head_len, const char *what, int32_t max) {
    char msg[200];
    if (len < head_len) {
        snprintf(msg, sizeof msg, "a %s request of %" PRIu32 " bytes, shorter than its %" PRIu32 "-byte head", what, len,
                 head_len);
        fail(0, E_MALFORMED, msg);
    }
    if (read_all(h + 5, head_len - 1) != 0) {
        snprintf(msg, sizeof msg, "a frame cut short in a %s request's head", what);
        fail(0, E_MALFORMED, msg);
    }
    const unsigned char *b = h + 5;
    uint64_t id = get64(b);
    int32_t n = (int32_t)get32(b + 8);
    uint32_t flags = get32(b + 20);
    if ((flags & ~(FLAG_CANCELLED | FLAG_PROGRESS | FLAG_ONE_WAY)) ||
        (flags & (FLAG_PROGRESS | FLAG_ONE_WAY)) == FLAG_ONE_WAY) {
        snprintf(msg, sizeof msg, "%s request %" PRIu64 ": unknown flag bits 0x%" PRIx32, what, id,
                 flags & ~(FLAG_CANCELLED | FLAG_PROGRESS | FLAG_ONE_WAY));
        fail(id, E_MALFORMED, msg);
    }
    if (n < 1 || n > max) {
        snprintf(msg, sizeof msg, "%s request %" PRIu64 ": n = %" PRId32 ", want 1 to %" PRId32, what, id, n, max);
        fail(id, E_TOO_LARGE, msg);
    }
    return n;
}

/* read_points_request reads a coordinates request (Q, protocol version 4;
 * with the progress flags of S, version 5) whose length len and type are
 * in h, and hands it over (hand_over). */
static void read_points_request(unsigned char *h, uint32_t len) {
    char msg[200];
    int32_t n = read_request_head(h, len, POINTS_HEAD_LEN, "points", MAX_POINTS);
    const unsigned char *b = h + 5;
    uint64_t id = get64(b);
    if ((uint64_t)len != POINTS_HEAD_LEN + 16 * (uint64_t)n) {
        snprintf(msg, sizeof msg, "points request %" PRIu64 ": %" PRIu32 " bytes, want %llu for n = %" PRId32, id, len,
                 (unsigned long long)(POINTS_HEAD_LEN + 16 * (uint64_t)n), n);
        fail(id, E_MALFORMED, msg);
    }
    fail_if_busy(id, "points");
    double *d = read_doubles(id, 2 * (size_t)n, "coordinates");
    hand_over(b, d, 1);
}

/* read_frame reads one frame and acts on it; rd_mu is held. A request is
 * handed over (2) when main reads it between solves; during one (the
 * watcher) it is an error (fail_if_busy). 1 at the end of the input, 0
 * otherwise. */
static int read_frame(void) {
    char msg[200];
    unsigned char h[4 + POINTS_HEAD_LEN];
    int r = read_all(h, 5);
    if (r == 1)
        return 1; /* the end of the input */
    if (r < 0)
        fail(0, E_MALFORMED, "a frame cut short in its length");
    uint32_t len = get32(h);
    unsigned char typ = h[4];
    if (len == 0)
        fail(0, E_MALFORMED, "an empty frame");
    if ((uint64_t)len > MAX_FRAME) {
        snprintf(msg, sizeof msg, "a frame of %" PRIu32 " bytes, over the limit of %llu", len, (unsigned long long)MAX_FRAME);
        fail(0, E_TOO_LARGE, msg);
    }
    if (typ == 'P' || typ == 'C' || typ == 'g') {
        uint32_t want = typ == 'C' ? CANCEL_LEN : typ == 'P' ? PING_LEN : ANSWER_LEN;
        if (len != want) {
            snprintf(msg, sizeof msg, "a '%c' frame of %" PRIu32 " bytes, want %" PRIu32, typ, len, want);
            fail(0, E_MALFORMED, msg);
        }
        if (read_all(h + 5, len - 1) != 0)
            fail(0, E_MALFORMED, "a frame cut short");
        uint64_t id = get64(h + 5);
        if (typ == 'g') {
            pthread_mutex_lock(&mu);
            int ok = job_running && job_id == id && answer_waiting && !answer_ready;
            if (ok) {
                answer_stop = (int32_t)get32(h + 13);
                answer_ready = 1;
                pthread_cond_broadcast(&cv);
            }
            pthread_mutex_unlock(&mu);
            if (!ok) {
                snprintf(msg, sizeof msg, "an answer to no progress frame of request %" PRIu64, id);
                fail(id, E_MALFORMED, msg);
            }
        } else if (typ == 'C') {
            pthread_mutex_lock(&mu);
            if (job_running && job_id == id)
                __atomic_store_n(&job_cancel, 1, __ATOMIC_SEQ_CST);
            pthread_mutex_unlock(&mu);
        } else {
            unsigned char p[4 + PING_LEN];
            put32(p, PING_LEN);
            p[4] = 'p';
            memcpy(p + 5, h + 5, 12);
            send_frame(p, sizeof p);
        }
        return 0;
    }
    if (typ == 'Q') {
        read_points_request(h, len);
        return 2;
    }
    if (typ != 'S') {
        snprintf(msg, sizeof msg, "unknown frame type 0x%02x (%" PRIu32 " bytes)", typ, len);
        fail(0, E_MALFORMED, msg);
    }
    int32_t n = read_request_head(h, len, SOLVE_HEAD_LEN, "solve", MAX_N);
    const unsigned char *b = h + 5;
    uint64_t id = get64(b);
    uint64_t nn = (uint64_t)n * (uint64_t)n;
    if ((uint64_t)len != SOLVE_HEAD_LEN + 8 * nn) {
        snprintf(msg, sizeof msg, "solve request %" PRIu64 ": %" PRIu32 " bytes, want %llu for n = %" PRId32, id, len,
                 (unsigned long long)(SOLVE_HEAD_LEN + 8 * nn), n);
        fail(id, E_MALFORMED, msg);
    }
    fail_if_busy(id, "solve");
    double *d = read_matrix(id, (size_t)nn);
    hand_over(b, d, 0);
    return 2;
}

/* watcher reads the input while main solves (see rd_mu). At the end of
 * the input it stops the solve, as main would between solves, and
 * quits: main answers and then finds the end itself. */
static void *watcher(void *arg) {
    (void)arg;
    for (;;) {
        watch_wait();
        pthread_mutex_lock(&rd_mu);
        int end = solving && input_ready() && read_frame() == 1;
        if (end) {
            pthread_mutex_unlock(&rd_mu);
            if (fault_kind == 2)
                _exit(0); /* main hangs, as asked: nothing will answer */
            pthread_mutex_lock(&mu);
            __atomic_store_n(&job_cancel, 1, __ATOMIC_SEQ_CST);
            quitting = 1;
            pthread_cond_broadcast(&cv);
            pthread_mutex_unlock(&mu);
            return NULL;
        }
        if (solving)
            watch_arm(1);
        pthread_mutex_unlock(&rd_mu);
    }
}

int main(void) {
    signal(SIGPIPE, SIG_IGN);
    stall_file = getenv("TSP_TEST_STALL_FILE");
    if (stall_file != NULL && *stall_file == '\0')
        stall_file = NULL;
    const char *f = getenv("TSP_WORKER_FAULT");
    if (f != NULL && *f != '\0') {
        char *end = NULL;
        if (strncmp(f, "crash:", 6) == 0)
            fault_kind = 1, fault_seed = strtoull(f + 6, &end, 10);
        else if (strncmp(f, "hang:", 5) == 0)
            fault_kind = 2, fault_seed = strtoull(f + 5, &end, 10);
        if (fault_kind == 0 || end == NULL || *end != '\0') {
            fprintf(stderr, "tsp-worker-c: TSP_WORKER_FAULT=%s: want crash:SEED or hang:SEED\n", f);
            return 64;
        }
    }
    const char *sp = getenv("TSP_WORKER_SPIN_NS");
    if (sp != NULL && *sp != '\0') {
        char *end = NULL;
        long long v = strtoll(sp, &end, 10);
        if (end == NULL || *end != '\0') {
            fprintf(stderr, "tsp-worker-c: TSP_WORKER_SPIN_NS=%s: want nanoseconds\n", sp);
            return 64;
        }
        spin_forced = 1;
        spin_ns = v <= 0 ? 0 : v > (long long)SPIN_MAX_NS ? SPIN_MAX_NS : (uint64_t)v;
    }
    pthread_t th;
    if (watch_init() != 0 || pthread_create(&th, NULL, watcher, NULL) != 0) {
        fprintf(stderr, "tsp-worker-c: cannot start the watcher thread\n");
        return 71;
    }
    pthread_detach(th); /* it ends at the end of the input, or with the process */
    unsigned char hello[4 + HELLO_LEN];
    put32(hello, HELLO_LEN);
    hello[4] = 'H';
    memcpy(hello + 5, "TSPW", 4);
    put32(hello + 9, PROTO_VERSION);
    put32(hello + 13, (uint32_t)tsp_abi_version());
    put32(hello + 17, (uint32_t)tsp_kernel_id());
    put32(hello + 21, MAX_N);
    send_frame(hello, sizeof hello);

    for (;;) {
        spin_for_input();
        pthread_mutex_lock(&rd_mu);
        int r = read_frame();
        pthread_mutex_unlock(&rd_mu);
        if (r == 1)
            break;
        if (last_answer_ns != 0)
            client_quick = now_ns() - last_answer_ns < SPIN_RECENT_NS;
        if (r == 2)
            run_job();
        pthread_mutex_lock(&mu);
        int q = quitting;
        pthread_mutex_unlock(&mu);
        if (q)
            break;
    }
    return 0;
}
