package loader

// pointsSymbols are the functions of tsp.h that Open does not look up but
// Library.Points does when asked: the coordinate entry points of ABI 6
// and ABI 7 (with progress).
var pointsSymbols = [...]string{"tsp_solve_points", "tsp_solve_points_progress"}
