//go:build cgo

package cbackend

// SolvePointsForTest is the raw tsp_solve_points call, for
// difftest.PointsFuncChecks.
var SolvePointsForTest = solvePoints
