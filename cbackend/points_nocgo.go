//go:build !cgo

package cbackend

import "github.com/ffi4go/tsp"

// Points returns the cgo-c coordinate solver: unavailable without cgo.
func Points() (tsp.PointsSolver, error) { return nil, errNoCgo }
