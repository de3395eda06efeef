//go:build !cgo

package cppbackend

import "github.com/ffi4go/tsp/kernel"

// SolvePointsForTest: no kernel without cgo (TestPoints skips first).
var SolvePointsForTest kernel.PointsFunc
