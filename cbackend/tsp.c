//go:build cgo

/* placeholder: the C kernel is being written */
#include "tsp.h"
int32_t tsp_abi_version(void) { return TSP_ABI_VERSION; }
int32_t tsp_kernel_id(void) { return TSP_KERNEL_C; }
int32_t tsp_noop(int32_t x) { return x; }
int32_t tsp_haversine(const double *in, double *out) { (void)in; *out = 0; return TSP_OK; }
int32_t tsp_matrix(const double *lat, const double *lon, int32_t n, const double *r, double *out) { (void)lat; (void)lon; (void)n; (void)r; (void)out; return TSP_INTERNAL; }
int32_t tsp_solve(const double *dist, int32_t n, int32_t start, int32_t algorithm, const int32_t *cancel, int32_t *order, double *length, double *lower_bound, uint64_t *nodes) { (void)dist; (void)n; (void)start; (void)algorithm; (void)cancel; (void)order; (void)length; (void)lower_bound; (void)nodes; return TSP_INTERNAL; }
