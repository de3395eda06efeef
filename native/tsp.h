/*
 * tsp.h: the C ABI of the tsp kernels (github.com/ffi4go/tsp).
 *
 * The single description of the ABI: status codes, size limits, algorithm
 * numbers and functions. The C kernel (native/c/tsp.c) and the C++ kernel
 * (native/cpp/tsp.cpp) both implement it, cgo compiles against it (packages
 * cbackend and cppbackend check their Go constants against these macros at
 * compile time), and the purego loader calls the same symbols in a shared
 * library (its tests read this file to check the loader's constants).
 *
 * Rules of the boundary:
 *  - Arguments are integers and pointers only (so purego.SyscallN can pass
 *    them in integer registers); every output goes through a pointer; every
 *    function returns a status code.
 *  - The kernel never keeps a pointer it was given after it returns, keeps no
 *    global state, frees what it allocates on every path, and is safe to
 *    call from many threads at once. It never prints, exits or aborts.
 *  - cancel points to a flag the caller may set to non-zero at any time
 *    from another thread; the kernel reads it atomically and stops within a
 *    few milliseconds, returning TSP_STOPPED with the best tour found so far
 *    in the outputs. cancel may be NULL.
 */
#ifndef TSP_H
#define TSP_H

#include <stdint.h>

/*
 * Symbol names. A shared library exports the plain tsp_* names, which the
 * purego loader looks up. A Go binary that compiles both kernels in with cgo
 * would get every name twice, so there each kernel is compiled with its own
 * prefix: cbackend defines TSP_CGO_C (names tsp_c_*), cppbackend TSP_CGO_CPP
 * (names tsp_cpp_*), for its C files and its Go preamble alike. Code calls
 * the plain names either way.
 */
#if defined(TSP_CGO_C)
#define TSP_SYM(name) tsp_c_##name
#elif defined(TSP_CGO_CPP)
#define TSP_SYM(name) tsp_cpp_##name
#elif defined(TSP_CGO_GO)
#define TSP_SYM(name) tsp_go_##name /* native/golib, which exports the plain names from Go */
#else
#define TSP_SYM(name) tsp_##name
#endif
#define tsp_abi_version TSP_SYM(abi_version)
#define tsp_kernel_id TSP_SYM(kernel_id)
#define tsp_noop TSP_SYM(noop)
#define tsp_haversine TSP_SYM(haversine)
#define tsp_matrix TSP_SYM(matrix)
#define tsp_solve TSP_SYM(solve)
#define tsp_solve_progress TSP_SYM(solve_progress)
#define tsp_solve_points TSP_SYM(solve_points)
#define tsp_solve_points_progress TSP_SYM(solve_points_progress)

#ifdef __cplusplus
extern "C" {
#endif

#define TSP_ABI_VERSION 7

/* Status codes. Every kernel answers the same code for the same input. */
#define TSP_OK 0          /* finished */
#define TSP_STOPPED 1     /* the cancel flag stopped the search; outputs hold the best tour so far */
#define TSP_INVALID 2     /* invalid input: n < 1, start out of range, NULL pointer, bad distance */
#define TSP_TOO_LARGE 3   /* n over the algorithm's limit (TSP_MAX_*) */
#define TSP_NO_MEMORY 4   /* an allocation failed */
#define TSP_INTERNAL 5    /* anything else, such as a C++ exception caught at the boundary */

/* Algorithms. The numbers never change. */
#define TSP_EXHAUSTIVE 0  /* every order, n <= TSP_MAX_EXHAUSTIVE */
#define TSP_EXACT 1       /* Held-Karp branch and bound, n <= TSP_MAX_EXACT */
#define TSP_NEAREST 2     /* nearest neighbour, n <= TSP_MAX_HEURISTIC */
#define TSP_TWOOPT 3      /* nearest neighbour + 2-opt + Or-opt, n <= TSP_MAX_HEURISTIC */
#define TSP_ITERATED 4    /* TSP_TWOOPT, then kicks until the budget or the cancel flag, n <= TSP_MAX_HEURISTIC */

/* Flags, ORed into tsp_solve's algorithm argument.
 * TSP_CHECKED: the caller has already checked the matrix as tsp_solve would
 * (finite, non-negative, symmetric, zero diagonal, no distance above the
 * limit below), so the kernel skips its own O(n^2) check: 0.1-0.5 s at
 * TSP_MAX_HEURISTIC cities. A matrix that breaks the promise gives
 * undefined results. The Go wrapper passes it for its own matrices, which
 * are checked when they are made and never change. */
#define TSP_CHECKED 0x100
/* TSP_DIRECTED: the matrix may be asymmetric (dist[i*n+j] is the cost from
 * i to j; still finite, non-negative, zero diagonal, within the limit) and
 * the tour is directed: order[0] -> order[1] -> ... -> order[n-1] ->
 * order[0], never turned around (no order[1] < order[n-1] rule).
 * TSP_EXHAUSTIVE, TSP_NEAREST, TSP_TWOOPT and TSP_ITERATED take it (the
 * local searches then make no move that reverses a stretch of the tour:
 * no 2-opt; Or-opt keeps a segment's direction, and a segment exchange
 * (or-3opt) swaps two neighbouring stretches; ABI 5); TSP_EXACT
 * answers TSP_INVALID. The Go wrapper uses it for asymmetric costs and for
 * routes that do not return to the start (ABI 3, issue 16). */
#define TSP_DIRECTED 0x200
#define TSP_ALGORITHM_MASK 0xff

/* Size limits: the largest n each algorithm accepts (TSP_TOO_LARGE above). */
#define TSP_MAX_EXHAUSTIVE 13    /* 12! orders: seconds */
#define TSP_MAX_EXACT 250        /* the Held-Karp bound costs O(n^2) a search node */
#define TSP_MAX_HEURISTIC 10000  /* the matrix alone is n*n*8 bytes: 800 MB */

/* Distance limit: tsp_solve returns TSP_INVALID for a matrix of n cities
 * with a distance above 2^TSP_MAX_TOUR_LENGTH_LOG2 / n, so that no tour is
 * longer than 2^1014 (about DBL_MAX / 1024) and no sum, gain or bound of
 * the search can overflow (MaxTourLength in tsp.go). */
#define TSP_MAX_TOUR_LENGTH_LOG2 1014

/* Kernel ids, from tsp_kernel_id. */
#define TSP_KERNEL_C 1
#define TSP_KERNEL_CPP 2
#define TSP_KERNEL_GO 3   /* libtsp_go.so: the pure-Go kernel, go build -buildmode=c-shared (native/golib) */

/* TSP_ABI_VERSION of the library. */
int32_t tsp_abi_version(void);

/* Which kernel this is: TSP_KERNEL_C, TSP_KERNEL_CPP or TSP_KERNEL_GO. */
int32_t tsp_kernel_id(void);

/* Does nothing and returns x: the cost of crossing the boundary. */
int32_t tsp_noop(int32_t x);

/* One great-circle distance in km: in = {lat1, lon1, lat2, lon2, radius_km}
 * in degrees, *out the distance. No validation: the cost of one small call. */
int32_t tsp_haversine(const double *in, double *out);

/* The n x n haversine matrix, row-major, into out (n*n doubles), of the
 * cities at lat[i], lon[i] (degrees) on a sphere of *radius_km. NULL
 * pointers, n < 1, a negative or non-finite radius and NaN, infinite or
 * out-of-range coordinates give TSP_INVALID; n > TSP_MAX_HEURISTIC gives
 * TSP_TOO_LARGE. */
int32_t tsp_matrix(const double *lat, const double *lon, int32_t n,
                   const double *radius_km, double *out);

/* Solves the n x n matrix dist (row-major; finite, non-negative, symmetric,
 * zero diagonal, else TSP_INVALID) from start with algorithm (ORed with
 * TSP_CHECKED to skip the matrix check, with TSP_DIRECTED for a directed
 * tour of a possibly asymmetric matrix). seed and budget are for
 * TSP_ITERATED (the others ignore them): seed starts its random stream,
 * budget is the number of kicks, and budget <= 0 means no limit (it then
 * runs until the cancel flag is set; TSP_INVALID when cancel is NULL). The
 * check polls the cancel flag: a
 * stop during it (or during any search) returns TSP_STOPPED with the
 * nearest-neighbour tour built so far, completed in index order. On TSP_OK and
 * TSP_STOPPED it writes the tour into order (n entries; order[0] == start,
 * order[1] < order[n-1] when n >= 3 and not TSP_DIRECTED), its length, the proven lower bound
 * (the length when optimal, 0 where the algorithm proves nothing) and the
 * number of search nodes (improving moves for the local searches). */
int32_t tsp_solve(const double *dist, int32_t n, int32_t start, int32_t algorithm,
                  uint64_t seed, int64_t budget, const int32_t *cancel, int32_t *order,
                  double *length, double *lower_bound, uint64_t *nodes);

/* Progress (ABI 6, issue 20). tsp_solve_progress is tsp_solve with a
 * progress function the kernel calls, on the solving thread, each time the
 * best tour gets shorter (event TSP_PROGRESS_TOUR) or the proven lower bound
 * rises (TSP_PROGRESS_BOUND, Exact only), with:
 *   handle  the caller's value, passed through untouched (an opaque handle
 *           to the caller's object: Go passes a runtime/cgo.Handle);
 *   values  {best length, best bound so far (0: none yet)}, valid during
 *           the call only;
 *   nodes   the search nodes (improving moves) so far;
 *   order   the best tour as the kernel holds it: n entries, a cycle not yet
 *           rotated to start or turned (the caller does what tsp_solve's
 *           outputs get); kernel memory, valid during the call only;
 *   n       the number of cities.
 * Where: Exhaustive at each shorter complete tour; Exact at each shorter
 * first tour (TwoOpt from each start), each shorter tour read off a 1-tree,
 * after the root's ascent (bound) and whenever finishing a subtree raises
 * the smallest bound of the open subtrees (bound); Iterated after the first
 * local optimum and at each kick that shortens the best tour; TwoOpt and
 * Nearest never. Lengths strictly decrease, bounds strictly increase.
 * The calls never change the search's steps: every kernel makes the same
 * calls with the same numbers. A non-zero return value asks the search to
 * stop, exactly like the cancel flag (TSP_STOPPED at the next poll, with
 * the best tour so far). The function must not call back into the kernel
 * for this solve, nor unwind (no longjmp, no C++ exception). progress NULL
 * means none: tsp_solve(...) is tsp_solve_progress(..., NULL, 0, ...).
 * Arguments are integers and pointers only, so that purego.NewCallback can
 * make one. */
#define TSP_PROGRESS_TOUR 1
#define TSP_PROGRESS_BOUND 2
typedef int32_t (*tsp_progress_fn)(uint64_t handle, int32_t event, const double *values, uint64_t nodes,
                                   const int32_t *order, int32_t n);

int32_t tsp_solve_progress(const double *dist, int32_t n, int32_t start, int32_t algorithm,
                           uint64_t seed, int64_t budget, const int32_t *cancel,
                           tsp_progress_fn progress, uint64_t handle, int32_t *order,
                           double *length, double *lower_bound, uint64_t *nodes);
/* ---- Coordinates (ABI 6, issue 21) ----
 * tsp_solve_points takes the cities' coordinates instead of a matrix and
 * computes each distance when it needs it: memory O(n*k) for k = 10
 * neighbours a city, n up to TSP_MAX_POINTS. The kind says how: */
#define TSP_POINTS_HAVERSINE 1 /* x latitude, y longitude in degrees; *radius the sphere's radius */
#define TSP_POINTS_EUC_2D 2    /* TSPLIB 95 EUC_2D: nint(sqrt(dx*dx + dy*dy)) */
#define TSP_POINTS_CEIL_2D 3   /* TSPLIB 95 CEIL_2D: ceil(sqrt(dx*dx + dy*dy)) */
#define TSP_POINTS_ATT 4       /* TSPLIB 95 ATT (pseudo-Euclidean) */
#define TSP_POINTS_GEO 5       /* TSPLIB 95 GEO: x latitude, y longitude as DDD.MM */
#define TSP_MAX_POINTS 16777216

/* Solves the n cities at (x[i], y[i]) of the given kind from start with
 * TSP_NEAREST, TSP_TWOOPT or TSP_ITERATED (no flags; others give
 * TSP_INVALID). The distances have the bits of the matrix the Go module
 * builds for the same input (HaversineMatrix; package tsplib): the kernels
 * carry Go's sine, cosine and arcsine (internal/kmath), not the C
 * library's. Nearest takes the same tour as tsp_solve on that matrix; the
 * nearest cities and the neighbour lists come from a k-d tree (O(n log n)
 * in all), and TSP_TWOOPT is tsp_solve's local search without its full
 * 2-opt passes (O(n^2) each). Invalid: NULL x, y or outputs, n < 1, start
 * out of range, an unknown kind, NaN or infinite coordinates, latitude
 * outside [-90, 90] or longitude outside [-180, 180] (haversine), a NULL,
 * negative, NaN or too large radius (above 2^TSP_MAX_TOUR_LENGTH_LOG2 /
 * (4n)), |x| or |y| above 1e4 (GEO) or above min(1e150,
 * 2^TSP_MAX_TOUR_LENGTH_LOG2 / (4n)) (planar); TSP_ITERATED with budget
 * <= 0 and no cancel flag. seed, budget, cancel, order, length and nodes
 * are those of tsp_solve (no lower bound: it would be 0). */
int32_t tsp_solve_points(const double *x, const double *y, int32_t n, int32_t kind, const double *radius,
                         int32_t start, int32_t algorithm, uint64_t seed, int64_t budget, const int32_t *cancel,
                         int32_t *order, double *length, uint64_t *nodes);

/* Progress on the coordinate path (ABI 7). tsp_solve_points_progress is
 * tsp_solve_points with tsp_solve_progress's progress function and handle
 * (the same tsp_progress_fn, the same rules: called on the solving thread,
 * a non-zero return stops the search like the cancel flag, NULL means none:
 * tsp_solve_points(...) is tsp_solve_points_progress(..., NULL, 0, ...)).
 * Every call is TSP_PROGRESS_TOUR, with values {length, 0}, the nodes
 * (improving moves) so far, and order the tour in the input's numbering
 * (a cycle not yet rotated to start or turned; kernel memory, valid during
 * the call only). A call costs the kernel O(n) (the tour mapped from the
 * k-d tree's numbering), so the kernels call at these steps only, each
 * when its length is below the last one reported (lengths strictly
 * decrease):
 *  - every algorithm: Nearest's tour, once complete (length: its sum from
 *    order[0]; nodes 0);
 *  - TSP_TWOOPT and TSP_ITERATED, the first local search: after a city is
 *    taken from its queue, when n/2 cities (rounded up) have been taken
 *    since the last call (or since it started) and a move was applied
 *    since the last call (length: the last sum plus the
 *    change of each move since, in order), and at its end when a move was
 *    applied since the last call (length: the tour summed from order[0]);
 *  - TSP_ITERATED: at a kick that shortens the best tour, when n/16 kicks
 *    or more (at least 1) have passed since the last call at a kick
 *    (length: the tracked length of the kicks, as tsp_solve's Iterated).
 * Every kernel makes the same calls with the same numbers. A stop from the
 * function, or the cancel flag, during the k-d tree's build (which polls
 * every 4,096 points and at every node of 4,096 points or more: a second
 * at a million cities otherwise) returns TSP_STOPPED with the cities in
 * index order: the cycle 0, 1, ..., n-1 rotated to start and turned so
 * that order[1] < order[n-1] (what the Go module's SolveCities returns
 * when stopped before its matrix exists). */
int32_t tsp_solve_points_progress(const double *x, const double *y, int32_t n, int32_t kind, const double *radius,
                                  int32_t start, int32_t algorithm, uint64_t seed, int64_t budget,
                                  const int32_t *cancel, tsp_progress_fn progress, uint64_t handle, int32_t *order,
                                  double *length, uint64_t *nodes);

#ifdef __wasm__
/* WebAssembly only (the wasm-c and wasm-cpp backends, package wasmbackend):
 * the kernels poll the host instead of reading *cancel. Go cannot write a
 * flag into a module's linear memory while the module runs without a data
 * race, and WebAssembly code is not preemptible, so the poll is a call out
 * to the host, which reads the solve's flag itself (and where the Go
 * scheduler can preempt the solving goroutine). cancel still says whether
 * to poll at all (NULL: never). Imported from module "tsp" as "cancelled";
 * non-zero means stop. Native builds never see this. */
__attribute__((import_module("tsp"), import_name("cancelled"))) int32_t tsp_wasm_cancelled(void);
/* WebAssembly only: a module cannot call a host function through a pointer,
 * so the kernels call this import instead of progress (any non-NULL value
 * of progress turns the calls on) with the same arguments; the host finds
 * the solve's callback by handle. Imported from module "tsp" as "progress". */
__attribute__((import_module("tsp"), import_name("progress"))) int32_t tsp_wasm_progress(
    uint64_t handle, int32_t event, const double *values, uint64_t nodes, const int32_t *order, int32_t n);
#endif

#ifdef __cplusplus
}
#endif

#endif /* TSP_H */
