// Package tsp finds round trips: visit every city once and come home by the
// shortest way (the travelling salesman problem), inside a deadline.
//
// # Quick start
//
//	ctx, cancel := context.WithTimeout(ctx, time.Second)
//	defer cancel()
//	tour, err := tsp.SolveCities(ctx, tsp.Demo11(), tsp.Options{Algorithm: tsp.Exact})
//	// tour.Order: the cities in order from Start; tour.Length in km;
//	// tour.Status: Optimal, Heuristic, or Stopped with the best tour so far.
//
// # The contract
//
// A [Solver] is one implementation of one kernel: haversine distances and
// four searches. Every implementation runs the same algorithms in the same
// order, so given the same [Matrix] and [Options] it returns the same
// [Tour]: the same Order, the same Length bits, the same LowerBound and the
// same Nodes. The pure-Go kernel ([Go], this package) is the reference; the
// C and C++ kernels reached through cgo (packages cbackend and cppbackend)
// and through purego (package loader) are tested against it instance by
// instance. Package backends lists them all.
//
// Every Solver validates its input and returns an error wrapping one of the
// sentinel errors (ErrEmpty, ErrStart, ErrTooLarge, …) for bad input, never
// a panic; every such sentinel also matches [ErrInvalidInput], so one
// errors.Is tells bad input from a failing backend. Matrices are validated
// when they are built: square, finite, non-negative, zero diagonal and
// symmetric.
//
// # Reading cities
//
// [ReadCities] reads a city list, JSON or CSV, strictly and with limits on
// its size; [DecodeCitiesJSON] and the type [Cities] read the same JSON
// inside a larger document, such as a request body. The command line and
// the web examples read cities with them. [Algorithm] and [Status] encode
// as their names ("exact", "optimal") in JSON and other text formats.
//
// # Algorithms and their limits
//
//   - [Exhaustive]: every order by depth-first search, at most 13 cities
//     (12! orders, seconds). The reference a user can check by hand.
//   - [Exact]: branch and bound on the Held–Karp bound (1-trees with
//     subgradient ascent, reduced-cost edge elimination), started from the
//     best TwoOpt tour. Proves optimality; at most 250 cities, and the
//     context bounds the time. Dozens of cities take milliseconds.
//   - [Nearest]: nearest neighbour from Start, at most 10,000 cities.
//   - [TwoOpt]: Nearest improved by 2-opt and Or-opt moves until none
//     improves; a few percent above optimal; at most 10,000 cities.
//
// # Deadlines
//
// Every algorithm polls a cancel flag that the context sets (through
// context.AfterFunc), often enough to stop within a few milliseconds. When
// the context ends, Solve returns the best tour found so far with Status
// Stopped and an error wrapping ctx.Err(); for Exact, LowerBound then says
// how far from optimal that tour can be. There is always a tour.
package tsp
