package tsp_test

import (
	"context"
	"fmt"
	"strings"
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

// A courier's day: driving minutes between a depot and four stops, as a
// routing service's table answers them (row i: from stop i; one-way streets
// make them asymmetric), solved three ways: back to the depot, ending
// anywhere, and ending at the last stop, "home".
func ExampleSolve_routes() {
	body := `{"names": ["depot", "bakery", "school", "market", "home"],
	 "matrix": [[0, 12, 19, 9, 14],
	            [14, 0, 8, 11, 20],
	            [22, 6, 0, 13, 21],
	            [8, 10, 16, 0, 7],
	            [15, 22, 23, 6, 0]]}`
	m, names, err := tsp.ReadCostMatrix(strings.NewReader(body))
	if err != nil {
		fmt.Println(err) // errors.Is(err, tsp.ErrInvalidInput): a 400 for a handler
		return
	}
	ctx := context.Background()
	for _, end := range []tsp.End{tsp.ReturnToStart, tsp.EndAnywhere, tsp.EndAt(4)} {
		tour, err := tsp.Solve(ctx, m, tsp.Options{Start: 0, End: end})
		if err != nil {
			fmt.Println(err)
			return
		}
		route := make([]string, len(tour.Order))
		for i, c := range tour.Order {
			route[i] = names[c]
		}
		fmt.Printf("end %s: %s, %v min, %s\n", end, strings.Join(route, " → "), tour.Length, tour.Status)
	}
	// Output:
	// end start: depot → bakery → school → market → home, 55 min, optimal
	// end any: depot → home → market → bakery → school, 38 min, optimal
	// end city 4: depot → bakery → school → market → home, 40 min, optimal
}
