package loader

// pointsSymbols are the functions of tsp.h that Open does not look up but
// Library.Points does when asked: the coordinate entry point of ABI 6.
var pointsSymbols = [...]string{"tsp_solve_points"}
