/*
 * tsp_cpp.h: what the C++ kernel (native/cpp/tsp.cpp) exports beyond the
 * common C ABI of native/tsp.h (github.com/ffi4go/tsp).
 *
 * The same rules as tsp.h: integers and pointers only, outputs through
 * pointers, a status code as the result, no exception ever crosses the
 * boundary (std::bad_alloc becomes TSP_NO_MEMORY, anything else
 * TSP_INTERNAL), nothing is printed, nothing aborts.
 *
 * A solver handle owns the work buffers of the kernel, so that a long-lived
 * caller that solves again and again reuses them instead of allocating them
 * anew for every solve. A handle holds no pointer the caller gave it once a
 * call returns. One handle runs one solve at a time: the caller serialises
 * the calls on a handle (different handles may solve concurrently).
 */
#ifndef TSP_CPP_H
#define TSP_CPP_H

#include <stdint.h>

#include "tsp.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Creates a solver handle into *out. TSP_INVALID if out is NULL,
 * TSP_NO_MEMORY if it cannot be allocated (then *out is NULL). */
int32_t tsp_solver_new(void **out);

/* tsp_solve on the handle h, with its buffers: the same arguments, checks,
 * results and status codes. TSP_INVALID if h is NULL. */
int32_t tsp_solver_solve(void *h, const double *dist, int32_t n, int32_t start,
                         int32_t algorithm, uint64_t seed, int64_t budget,
                         const int32_t *cancel, int32_t *order,
                         double *length, double *lower_bound, uint64_t *nodes);

/* tsp_solve_progress (tsp.h, ABI 6) on the handle h: tsp_solver_solve
 * with a progress function and its handle. */
int32_t tsp_solver_solve_progress(void *h, const double *dist, int32_t n, int32_t start,
                                  int32_t algorithm, uint64_t seed, int64_t budget,
                                  const int32_t *cancel, tsp_progress_fn progress,
                                  uint64_t handle, int32_t *order, double *length,
                                  double *lower_bound, uint64_t *nodes);

/* Frees the handle h and its buffers. h must come from tsp_solver_new and
 * not have been freed; NULL is allowed and does nothing. Returns TSP_OK. */
int32_t tsp_solver_free(void *h);

#ifdef __cplusplus
}
#endif

#endif /* TSP_CPP_H */
