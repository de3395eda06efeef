package tsp_test

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/ffi4go/tsp"
)

// Read a city list (CSV here, JSON the same way) and solve it.
func ExampleReadCities() {
	const list = `name,lat,lon
paris,48.86,2.35
berlin,52.52,13.40
"london, uk",51.51,-0.13
rome,41.90,12.50
`
	cities, err := tsp.ReadCities(strings.NewReader(list))
	if err != nil {
		fmt.Println(err)
		return
	}
	tour, err := tsp.SolveCities(context.Background(), cities, tsp.Options{Algorithm: tsp.Exact})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, i := range tour.Order {
		fmt.Println(cities[i].Name)
	}
	fmt.Printf("%.0f km, %s\n", tour.Length, tour.Status)

	// Bad input: the error says where, and matches ErrInvalidInput.
	_, err = tsp.ReadCities(strings.NewReader(`[{"name": "a", "lat": 1, "lon": 2}, {"name": "b", "lon": 2}]`))
	fmt.Println(err)
	fmt.Println(errors.Is(err, tsp.ErrInvalidInput))
	// Output:
	// paris
	// london, uk
	// berlin
	// rome
	// 3565 km, optimal
	// tsp: city 1: missing "lat", at byte 59
	// true
}
