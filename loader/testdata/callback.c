/*
 * callback.c: for loader's BenchmarkCallback: calls a tsp_progress_fn k
 * times, as a kernel calls its progress function, and returns the sum of
 * its answers.
 */
#include <stdint.h>

typedef int32_t (*progress_fn)(uint64_t handle, int32_t event, const double *values, uint64_t nodes,
                               const int32_t *order, int32_t n);

int64_t call_progress_n(progress_fn f, uint64_t handle, int64_t k, const int32_t *order, int32_t n) {
    double v[2] = {1, 0};
    int64_t s = 0;
    for (int64_t i = 0; i < k; i++) s += f(handle, 1, v, (uint64_t)i, order, n);
    return s;
}
