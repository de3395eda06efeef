//go:build !cgo

// Package cgocheck checks at compile time, with cgo, that the constants of
// package abi are the macros of native/tsp.h. Without cgo it is empty.
package cgocheck
