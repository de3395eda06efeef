// Package native holds the sources of the native kernels and the one C
// header of their ABI, and nothing else: no cgo, no code.
//
//	tsp.h            the C ABI: status codes, size limits, algorithm numbers, functions
//	c/tsp.c          the C11 kernel
//	cpp/tsp.cpp      the C++17 kernel, with tsp_kernel.hpp (its classes),
//	                 tsp_cpp.h (its solver-handle API) and tsp_selftest.h (test hooks)
//	golib/           a Go package of its own, not embedded: the pure-Go kernel
//	                 exported as a C library, libtsp_go.so (TSP_KERNEL_GO)
//	worker/tsp_worker.c  a worker program on the C kernel: the worker
//	                 protocol (docs/protocol.md) on stdin and stdout, for
//	                 package proc; compiled with c/tsp.c and -pthread
//
// Package cbackend compiles c/tsp.c with cgo and package cppbackend
// cpp/tsp.cpp; package loader builds either into a shared library (from
// [Sources], so a binary can build them where no checkout is) and opens it
// with purego. None of those three imports another. The cgo packages import
// this one for its side effect on Go's build cache: Go does not notice a
// change to a C file included from another directory, but it does rebuild a
// package when a package it imports changes, and this package embeds every
// source file.
//
// Compile the C kernel with -std=c11 and the C++ kernel with -std=c++17, both
// with -I on this directory and -ffp-contract=off (no fused multiply-add: the
// kernels must give the pure-Go kernel's bits).
package native

import (
	"embed"
	"io/fs"
)

//go:embed tsp.h c/tsp.c cpp/tsp.cpp cpp/tsp_kernel.hpp cpp/tsp_cpp.h cpp/tsp_selftest.h worker/tsp_worker.c
var sources embed.FS

// Sources returns the kernel sources, with the paths shown in the package
// documentation (tsp.h, c/tsp.c, cpp/tsp.cpp, ...).
func Sources() fs.FS { return sources }

// Source files by kernel: what to compile, and what it includes.
var (
	cFiles   = []string{"c/tsp.c"}
	cppFiles = []string{"cpp/tsp.cpp"}
)

// CFiles returns the C kernel's translation units, as paths in Sources.
func CFiles() []string { return append([]string(nil), cFiles...) }

// CPPFiles returns the C++ kernel's translation units, as paths in Sources.
func CPPFiles() []string { return append([]string(nil), cppFiles...) }

// WorkerCFiles returns the translation units of the C worker program
// (worker/tsp_worker.c and the C kernel), as paths in Sources.
func WorkerCFiles() []string { return []string{"worker/tsp_worker.c", "c/tsp.c"} }
