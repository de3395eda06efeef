/*
 * tsp_selftest.h: test hooks of the C++ kernel (github.com/ffi4go/tsp).
 *
 * Not part of the ABI: only the tests use these functions (cppbackend's
 * through cgo, loader's through purego, native's by reading the assembly).
 * They are defined in tsp.cpp, so that they are compiled exactly like the
 * kernel, and exported by the shared library beside the ABI's functions.
 */
#ifndef TSP_SELFTEST_H
#define TSP_SELFTEST_H

#include <stdint.h>

#include "tsp.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Test hook: throws inside the same exception guard every entry point uses
 * and returns what the guard made of it. kind 1 throws std::bad_alloc
 * (TSP_NO_MEMORY), 2 std::runtime_error (TSP_INTERNAL), 3 an int
 * (TSP_INTERNAL); 0 throws nothing (TSP_OK); anything else is TSP_INVALID. */
int32_t tsp_cpp_selftest_throw(int32_t kind);

/* Test hook: *out = in[0]*in[1] + in[2], compiled like the kernel. Equal to
 * the product rounded, then the sum rounded, unless floating-point
 * contraction (a fused multiply-add) was left on, which would break the
 * kernel's bit-for-bit agreement with Go. TSP_INVALID for NULL pointers. */
int32_t tsp_cpp_selftest_fp(const double *in, double *out);

#ifdef __cplusplus
}
#endif

#endif /* TSP_SELFTEST_H */
