/*
 * fake.c: a library with the symbols of tsp.h that is not a real kernel, for
 * the loader's error tests. Macros pick the flaw:
 *   FAKE_ABI      what tsp_abi_version returns (default FAKE_ABI_DEFAULT,
 *                 which the test sets to the version it needs)
 *   FAKE_KERNEL   what tsp_kernel_id returns (default 1, TSP_KERNEL_C)
 *   FAKE_NO_SOLVE leave tsp_solve and tsp_solve_progress out
 */
#include <stdint.h>

#ifndef FAKE_ABI
#define FAKE_ABI FAKE_ABI_DEFAULT
#endif
#ifndef FAKE_KERNEL
#define FAKE_KERNEL 1
#endif

int32_t tsp_abi_version(void) { return FAKE_ABI; }
int32_t tsp_kernel_id(void) { return FAKE_KERNEL; }
int32_t tsp_noop(int32_t x) { return x; }
int32_t tsp_haversine(const double *in, double *out) { *out = in[0]; return 0; }
int32_t tsp_matrix(const double *lat, const double *lon, int32_t n, const double *r, double *out) {
    (void)lat; (void)lon; (void)n; (void)r; (void)out;
    return 5;
}
#ifndef FAKE_NO_SOLVE
int32_t tsp_solve(const double *dist, int32_t n, int32_t start, int32_t algorithm,
                  const int32_t *cancel, int32_t *order, double *length,
                  double *lower_bound, uint64_t *nodes) {
    (void)dist; (void)n; (void)start; (void)algorithm; (void)cancel; (void)order;
    (void)length; (void)lower_bound; (void)nodes;
    return 5;
}
int32_t tsp_solve_progress(const double *dist, int32_t n, int32_t start, int32_t algorithm,
                           uint64_t seed, int64_t budget, const int32_t *cancel, void *progress,
                           uint64_t handle, int32_t *order, double *length, double *lower_bound,
                           uint64_t *nodes) {
    (void)dist; (void)n; (void)start; (void)algorithm; (void)seed; (void)budget; (void)cancel;
    (void)progress; (void)handle; (void)order; (void)length; (void)lower_bound; (void)nodes;
    return 5;
}
#endif
