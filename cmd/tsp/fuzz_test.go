package main

import (
	"bytes"
	"errors"
	"testing"

	"github.com/ffi4go/tsp"
)

// FuzzLoadStdin: a city list on standard input (read by tsp.ReadCities,
// fuzzed on its own in the root package) never panics the command's
// loader, and gives either an error for bad input or at least one city,
// each with a name, and a valid matrix.
func FuzzLoadStdin(f *testing.F) {
	for _, s := range []string{
		citiesJSON,
		citiesCSV,
		`[]`,
		`[{"name": "a", "lat": 1e400, "lon": 0}]`,
		`[{"lat": 1, "lon": 0}, {"name": "", "lat": 2, "lon": 0}]`,
		`[null, {"lat": 1}]`,
		"\ufeffname,lat,lon\na,NaN,1\n",
		"lon,lat\n180,-90\n-180,90\n",
		"name,lat,lon\n\"a,b\",1,2\n\"unterminated,3,4\n",
		"# only a comment\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := loadProblem("-", bytes.NewReader(data))
		if err != nil {
			if p != nil || !errors.Is(err, tsp.ErrInvalidInput) {
				t.Fatalf("problem %v with error %v", p, err)
			}
			return
		}
		n := p.n()
		if n == 0 || n > tsp.MaxCities || len(p.names) != n || !p.cities {
			t.Fatalf("%d cities, %d names", n, len(p.names))
		}
		for i, name := range p.names {
			if name == "" {
				t.Fatalf("city %d has no name", i)
			}
		}
	})
}
