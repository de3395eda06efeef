package tsphttp_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/ffi4go/tsp"
	"github.com/ffi4go/tsp/examples/handler/tsphttp"
)

// FastCities reads what tsp.DecodeCitiesJSON reads, and declines (ok
// false) whatever it would refuse or read otherwise, so that the caller's
// second reading gives the library's error.
func TestFastCities(t *testing.T) {
	for _, tc := range []struct {
		in string
		ok bool
	}{
		{`[{"name":"a","lat":1,"lon":2},{"lat":-3.5e1,"lon":180,"name":"b\u00e9"}] tail`, true},
		{`[{"name":"a\"","lat":1,"lon":2}]`, true}, // an escape: read by the token reader behind the fast one
		{`[]`, false},
		{`null`, false},
		{`[{"name":"a","lat":91,"lon":2}]`, false},
		{`[{"name":"a","lat":1}]`, false},
		{`[{"name":"a","lat":1,"lon":2}`, false},
		{`{"name":"a"}`, false},
		{` [{"name":"a]}","lat":1,"lon":2}]`, true},
		{`[{"name":"a\"]","lat":1,"lon":2}]`, true},
	} {
		got, rest, ok := tsphttp.FastCities([]byte(tc.in))
		if ok && string(rest) != tc.in[len(tc.in)-len(rest):] {
			t.Errorf("%s: rest %q", tc.in, rest)
		}
		want, err := tsp.DecodeCitiesJSON(json.NewDecoder(strings.NewReader(tc.in)))
		if ok != tc.ok || ok && (err != nil || len(got) != len(want)) {
			t.Fatalf("%s: ok %v, %v; DecodeCitiesJSON %v, %v", tc.in, ok, got, want, err)
		}
		for i := range got {
			if got[i] != want[i] {
				t.Errorf("%s: city %d %+v, want %+v", tc.in, i, got[i], want[i])
			}
		}
	}
}
