// Package tsp finds the shortest round trip through a list of cities (the
// travelling salesman problem) inside a deadline, or the shortest route
// from a city to another or to anywhere ([Options].End), with symmetric
// distances or asymmetric costs such as a routing service's driving times
// ([ReadCostMatrix], [CostMatrix]).
//
//	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
//	defer cancel()
//	tour, err := tsp.SolveCities(ctx, tsp.Demo11(), tsp.Options{})
//	// tour.Order: the cities from Start; tour.Length in km; tour.Status:
//	// Optimal, Heuristic, or Stopped with the best tour found by the deadline.
//
// The zero [Options] solve any valid input: [Auto] proves the optimum with
// [Exact] for up to [AutoExactMax] distinct places and runs [Iterated] beyond, which
// keeps improving its tour until the context's deadline (or, without one,
// [DefaultBudget] kicks; [Options] Seed and Budget set them). Bad input
// gets an error wrapping [ErrInvalidInput] and a more precise sentinel, never
// a panic: NaN, infinite, negative or non-zero-diagonal distances,
// distances so large that a tour could overflow (above [MaxTourLength]/n:
// [ErrOverflow]), coordinates out of range, no cities, a start or an end out
// of range ([ErrEnd]). When the context ends, Solve returns the best tour so far with
// Status Stopped and an error wrapping ctx.Err(). [ReadCities] reads a city
// list (JSON or CSV) strictly and within limits; [Cities] decodes one inside
// a request body.
//
// [Options].Progress is called during a long search each time the route
// gets shorter or the proven bound rises ([Progress]), on every backend,
// at a rate the caller bounds; returning true stops the search like a
// deadline ([ErrProgressStop]), and a panic in it is recovered
// ([ErrProgressPanic]). It never changes the search's result.
//
// A [Solver] is one implementation of the kernel. [Go] is this package's;
// the same kernel in C and C++, through cgo and purego, is in packages
// cbackend, cppbackend and loader, and package backends lists them all. All
// return the same Tour for the same input, bit for bit. Package kernel is for
// authors of further backends.
//
// Points on a map need no matrix: [SolvePoints] solves [Points] (latitude
// and longitude, or TSPLIB's planar and GEO coordinates) with Nearest,
// TwoOpt and Iterated, computing each distance when it needs it, with a
// k-d tree for the nearest cities: O(n·k) memory, up to [MaxPoints] cities.
// [SolveCities] takes that path for round trips with a heuristic. Every
// backend has it ([PointsSolver]; backends.Points), the process backends
// too. [ReadCities] takes up to [MaxCities] cities for it; a matrix takes
// at most [MaxHeuristic]. The coordinate path calls Options.Progress too
// (ABI 7), on every backend.
package tsp
