// Package cppbackend is the C++ kernel (native/cpp/tsp.cpp, C++17) behind
// the C ABI in native/tsp.h, compiled into the Go binary by cgo: backend
// "cgo-cpp".
//
// The kernel is written the way a C++ team would write it (namespace tsp, a
// Solver class owning std::vector buffers, RAII, no raw new or delete), but
// step for step like the pure-Go kernel: the same scans in the same order, tie
// rules, floating-point operations in the same order, constants, node
// counting and cancel polling points. It therefore returns the same tour,
// the same length and lower-bound bits and the same node count as tsp.Go().
// Floating-point contraction (fused multiply-add) is switched off inside
// tsp.cpp by pragma, because g++ contracts by default in C++ mode and cgo
// does not allow -ffp-contract=off among #cgo flags.
//
// New returns a Solver that makes exactly one cgo call per solve and lets
// the kernel allocate its buffers for that solve. NewHandle returns a Handle
// that owns a native solver (tsp_solver_new in native/cpp/tsp_cpp.h) whose buffers are
// kept and reused from one solve to the next.
//
// No C++ exception crosses into Go: every entry point catches them,
// std::bad_alloc as TSP_NO_MEMORY (tsp.ErrOutOfMemory) and anything else as
// TSP_INTERNAL (tsp.ErrKernel).
//
// # Building
//
// cgo compiles tsp.cpp with g++ -std=c++17 -O2 and the Go toolchain links the
// binary with g++, which links libstdc++ dynamically (the binary then needs
// libstdc++.so.6 and libgcc_s.so.1 at run time). To link them statically,
// so that the binary only needs libc and libm:
//
//	go build -ldflags '-extldflags "-static-libstdc++ -static-libgcc"' ./...
//
// (checked with g++ 12: ldd on a test binary built that way lists only
// libc, libm and the dynamic loader, and its tests pass, the exception
// tests included).
//
// Without cgo (CGO_ENABLED=0) the package still builds; New and NewHandle
// then return an error wrapping tsp.ErrUnavailable that says so. The same
// source also builds the shared library libtsp_cpp.so of the purego-cpp
// backend (see package loader).
package cppbackend

import (
	"fmt"

	"github.com/ffi4go/tsp"
)

// Name is the backend's name.
const Name = "cgo-cpp"

// ErrClosed is what a Handle returns once it is closed. It wraps
// tsp.ErrUnavailable.
var ErrClosed = fmt.Errorf("%w: %s: handle is closed", tsp.ErrUnavailable, Name)
