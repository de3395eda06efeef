//go:build cgo

// Package cgocheck checks at compile time that the constants of package abi
// are the macros of native/tsp.h: each line below fails to compile (a
// constant index out of range) when the two disagree. The cgo backends
// import it for that side effect; it has no API. (Without cgo the check
// cannot run here; package loader's TestHeaderAgrees reads tsp.h instead.)
package cgocheck

// #cgo CFLAGS: -I${SRCDIR}/../../../native
// #include "tsp.h"
import "C"

import (
	"github.com/ffi4go/tsp/internal/abi"
	_ "github.com/ffi4go/tsp/native" // recheck when tsp.h changes
)

var (
	_ = [1]int{}[C.TSP_ABI_VERSION-abi.Version]
	_ = [1]int{}[C.TSP_OK-abi.CodeOK]
	_ = [1]int{}[C.TSP_STOPPED-abi.CodeStopped]
	_ = [1]int{}[C.TSP_INVALID-abi.CodeInvalid]
	_ = [1]int{}[C.TSP_TOO_LARGE-abi.CodeTooLarge]
	_ = [1]int{}[C.TSP_NO_MEMORY-abi.CodeNoMemory]
	_ = [1]int{}[C.TSP_INTERNAL-abi.CodeInternal]
	_ = [1]int{}[C.TSP_EXHAUSTIVE-abi.Exhaustive]
	_ = [1]int{}[C.TSP_EXACT-abi.Exact]
	_ = [1]int{}[C.TSP_NEAREST-abi.Nearest]
	_ = [1]int{}[C.TSP_TWOOPT-abi.TwoOpt]
	_ = [1]int{}[C.TSP_ITERATED-abi.Iterated]
	_ = [1]int{}[C.TSP_CHECKED-abi.FlagChecked]
	_ = [1]int{}[C.TSP_DIRECTED-abi.FlagDirected]
	_ = [1]int{}[C.TSP_ALGORITHM_MASK-abi.AlgorithmMask]
	_ = [1]int{}[C.TSP_MAX_EXHAUSTIVE-abi.MaxExhaustive]
	_ = [1]int{}[C.TSP_MAX_EXACT-abi.MaxExact]
	_ = [1]int{}[C.TSP_MAX_HEURISTIC-abi.MaxHeuristic]
	_ = [1]int{}[C.TSP_MAX_TOUR_LENGTH_LOG2-abi.MaxTourLengthLog2]
	_ = [1]int{}[C.TSP_KERNEL_C-abi.KernelC]
	_ = [1]int{}[C.TSP_KERNEL_CPP-abi.KernelCPP]
	_ = [1]int{}[C.TSP_KERNEL_GO-abi.KernelGo]
	_ = [1]int{}[C.TSP_PROGRESS_TOUR-abi.ProgressTour]
	_ = [1]int{}[C.TSP_PROGRESS_BOUND-abi.ProgressBound]
	// ABI 6: the coordinate entry point
	_ = [1]int{}[C.TSP_POINTS_HAVERSINE-abi.PointsHaversine]
	_ = [1]int{}[C.TSP_POINTS_EUC_2D-abi.PointsEuc2D]
	_ = [1]int{}[C.TSP_POINTS_CEIL_2D-abi.PointsCeil2D]
	_ = [1]int{}[C.TSP_POINTS_ATT-abi.PointsAtt]
	_ = [1]int{}[C.TSP_POINTS_GEO-abi.PointsGeo]
	_ = [1]int{}[C.TSP_MAX_POINTS-abi.MaxPoints]
)
