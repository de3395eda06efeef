package kernel

import (
	"github.com/ffi4go/tsp"
	"github.com/ffi4go/tsp/internal/abi"
)

// PointsFunc is the shape of one call to tsp_solve_points (ABI 6): see
// abi.PointsFunc and native/tsp.h.
type PointsFunc = abi.PointsFunc

// The point kinds of tsp_solve_points: TSP_POINTS_* in tsp.h.
const (
	PointsHaversine = abi.PointsHaversine
	PointsEuc2D     = abi.PointsEuc2D
	PointsCeil2D    = abi.PointsCeil2D
	PointsAtt       = abi.PointsAtt
	PointsGeo       = abi.PointsGeo
	MaxPoints       = abi.MaxPoints
)

// NewPointsSolver returns the PointsSolver named name that runs k once per
// solve, with the checks of tsp.SolvePoints around it.
func NewPointsSolver(name string, k PointsFunc) tsp.PointsSolver {
	return abi.NewPointsSolver(name, k).(tsp.PointsSolver)
}

// GoPoints returns the pure-Go tsp_solve_points as a PointsFunc.
func GoPoints() PointsFunc { return abi.GoPointsKernel }

// PointsFuncProgress is the shape of one call to tsp_solve_points_progress
// (ABI 7): PointsFunc with a progress function (nil: none). See
// abi.PointsFuncProgress and native/tsp.h.
type PointsFuncProgress = abi.PointsFuncProgress

// NewPointsSolverProgress is NewPointsSolver for a kernel that also has
// tsp_solve_points_progress: solves with Options.Progress set run kp, the
// others k. (A PointsSolver from NewPointsSolver refuses Options.Progress
// with tsp.ErrPointsProgress.)
func NewPointsSolverProgress(name string, k PointsFunc, kp PointsFuncProgress) tsp.PointsSolver {
	return abi.NewPointsSolverProgress(name, k, kp).(tsp.PointsSolver)
}

// GoPointsProgress returns the pure-Go tsp_solve_points_progress.
func GoPointsProgress() PointsFuncProgress { return abi.GoPointsKernelProgress }
