package tsp_test

import (
	"context"
	"fmt"
	"time"

	"github.com/ffi4go/tsp"
)

// The best round trip through the 11 demo cities, proven optimal.
func Example() {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	cities := tsp.Demo11()
	tour, err := tsp.SolveCities(ctx, cities, tsp.Options{Algorithm: tsp.Exact})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%s, %.0f km\n", tour.Status, tour.Length)
	for _, i := range tour.Order {
		fmt.Println(cities[i].Name)
	}
	// Output:
	// optimal, 22999 km
	// new york, ny, usa
	// portland, me, usa
	// montreal, qc, ca
	// berlin, germany
	// anchorage, ak, usa
	// vancouver, bc, ca
	// seattle, wa, usa
	// san francisco, ca, usa
	// denver, co, usa
	// austin, tx, usa
	// toronto, on, ca
}

// Exhaustive tries every order: the job the original Python app did in 20 s.
func ExampleSolve_exhaustive() {
	m, _ := tsp.HaversineMatrix(tsp.Demo11())
	tour, _ := tsp.Solve(context.Background(), m, tsp.Options{Algorithm: tsp.Exhaustive})
	fmt.Printf("%s, %.0f km, %d nodes\n", tour.Status, tour.Length, tour.Nodes)
	// Output: optimal, 22999 km, 9864101 nodes
}

// A deadline stops the search and still answers with the best tour found.
func ExampleSolve_deadline() {
	m, _ := tsp.HaversineMatrix(tsp.RandomCities(13, 1))
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	tour, err := tsp.Solve(ctx, m, tsp.Options{Algorithm: tsp.Exhaustive})
	fmt.Println(tour.Status, len(tour.Order), err != nil)
	// Output: stopped 13 true
}

// A matrix of your own distances: here four points on a line.
func ExampleNewMatrixRows() {
	m, err := tsp.NewMatrixRows([][]float64{
		{0, 1, 2, 3},
		{1, 0, 1, 2},
		{2, 1, 0, 1},
		{3, 2, 1, 0},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	tour, _ := tsp.Solve(context.Background(), m, tsp.Options{Algorithm: tsp.Exact, Start: 2})
	fmt.Println(tour.Order, tour.Length)
	// Output: [2 1 0 3] 6
}

// Bad input gets an error that wraps a sentinel.
func ExampleHaversineMatrix_error() {
	_, err := tsp.HaversineMatrix([]tsp.City{{Name: "nowhere", Lat: 123, Lon: 0}})
	fmt.Println(err)
	// Output: tsp: latitude outside [-90, 90]: city "nowhere" has latitude 123
}
