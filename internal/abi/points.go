package abi

// The coordinate entry point of ABI 6 (issue 21): tsp_solve_points.

// Point kinds: TSP_POINTS_* in tsp.h, the kind argument of
// tsp_solve_points. They never change.
const (
	PointsHaversine int32 = 1 // x latitude, y longitude in degrees; *radius the sphere's radius
	PointsEuc2D     int32 = 2 // TSPLIB 95 EUC_2D: nint(sqrt(dx² + dy²))
	PointsCeil2D    int32 = 3 // TSPLIB 95 CEIL_2D: ceil(sqrt(dx² + dy²))
	PointsAtt       int32 = 4 // TSPLIB 95 ATT (pseudo-Euclidean)
	PointsGeo       int32 = 5 // TSPLIB 95 GEO: x latitude, y longitude as DDD.MM
)

// MaxPoints is TSP_MAX_POINTS: the most cities tsp_solve_points takes
// (TSP_TOO_LARGE above). The kernel's memory is about 150 bytes a city.
const MaxPoints = 1 << 24

// PointsFunc is the shape of one call to tsp_solve_points: n cities at
// (x[i], y[i]) of the given kind, radius for PointsHaversine (ignored
// otherwise), start, algorithm (Nearest, TwoOpt or Iterated, no flags),
// the seed and budget of Iterated, the cancel flag, and the outputs order
// (n entries), length and nodes.
type PointsFunc func(x, y []float64, n, kind int32, radius float64, start, algorithm int32, seed uint64, budget int64,
	cancel *int32, order []int32, length *float64, nodes *uint64) int32

// Hooks of the coordinate path, set by package tsp like those of abi.go:
// NewPointsSolver wraps a PointsFunc into a tsp.PointsSolver;
// GoPointsKernel is the pure-Go tsp_solve_points.
var (
	NewPointsSolver func(name string, k PointsFunc) any
	GoPointsKernel  PointsFunc
)

// PointsFuncProgress is the shape of one call to tsp_solve_points_progress
// (ABI 7): PointsFunc with a progress function (nil: none, and then exactly
// PointsFunc). See tsp.h for when the kernels call it.
type PointsFuncProgress func(x, y []float64, n, kind int32, radius float64, start, algorithm int32, seed uint64, budget int64,
	cancel *int32, progress ProgressFunc, order []int32, length *float64, nodes *uint64) int32

// NewPointsSolverProgress is NewPointsSolver for a backend that also has
// tsp_solve_points_progress: k runs solves without a callback, kp those
// with one. GoPointsKernelProgress is the pure-Go
// tsp_solve_points_progress.
var (
	NewPointsSolverProgress func(name string, k PointsFunc, kp PointsFuncProgress) any
	GoPointsKernelProgress  PointsFuncProgress
)
