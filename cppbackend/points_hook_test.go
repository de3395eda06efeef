//go:build cgo

package cppbackend

// SolvePointsForTest is the raw tsp_solve_points call, for
// difftest.PointsFuncChecks.
var SolvePointsForTest = solvePoints
