//go:build !cgo

package cppbackend

import "github.com/ffi4go/tsp"

// Points returns the cgo-cpp coordinate solver: unavailable without cgo.
func Points() (tsp.PointsSolver, error) { return nil, errNoCgo }
