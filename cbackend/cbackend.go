// Package cbackend is the C kernel (native/c/tsp.c, C11) behind the C ABI
// in native/tsp.h, compiled into the Go binary by cgo: backend "cgo-c".
//
// The kernel is written step for step like the pure-Go kernel, with the same
// floating-point operations in the same order and contraction off
// (-ffp-contract=off), so it returns the same tour, length bits, lower bound
// and node count. Go validates the input before the call and makes exactly
// one cgo call per solve.
//
// Without cgo (CGO_ENABLED=0) the package still builds; New then returns an
// error that says so. The same source is also built into a shared library
// for the purego backend purego-c (see package loader).
package cbackend

// Name is the backend's name.
const Name = "cgo-c"
