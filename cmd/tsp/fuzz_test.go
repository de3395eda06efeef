package main

import (
	"testing"

	"github.com/ffi4go/tsp"
)

// FuzzParseCities: the JSON and CSV parsers never panic, and return either
// an error or at least one valid city whose matrix can be built.
func FuzzParseCities(f *testing.F) {
	for _, s := range []string{
		citiesJSON,
		citiesCSV,
		`[]`,
		`[{"name": "a", "lat": 1e400, "lon": 0}]`,
		`[{"name": "a", "lat": 91, "lon": 0}]`,
		`[null, {"lat": 1}]`,
		"\ufeffname,lat,lon\na,NaN,1\n",
		"lon,lat\n180,-90\n-180,90\n",
		"name,lat,lon\n\"a,b\",1,2\n\"unterminated,3,4\n",
		"name,lat,lon\na,0x1p-2,1_0\n",
		"# only a comment\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, format := range []cityFormat{formatJSON, formatCSV, formatAuto} {
			cs, err := parseCities(data, format)
			if err != nil {
				if cs != nil {
					t.Fatalf("format %d: cities %v with error %v", format, cs, err)
				}
				continue
			}
			if len(cs) == 0 || len(cs) > tsp.MaxHeuristic {
				t.Fatalf("format %d: %d cities without an error", format, len(cs))
			}
			for i, c := range cs {
				if err := c.Validate(); err != nil {
					t.Fatalf("format %d: city %d invalid without an error: %v", format, i, err)
				}
				if c.Name == "" {
					t.Fatalf("format %d: city %d has no name", format, i)
				}
			}
			if len(cs) <= 200 {
				if _, err := tsp.HaversineMatrix(cs); err != nil {
					t.Fatalf("format %d: matrix: %v", format, err)
				}
			}
		}
	})
}
