package tsp_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ffi4go/tsp"
)

func TestReadCities(t *testing.T) {
	ab := []tsp.City{{Name: "a", Lat: 1, Lon: 2}, {Name: "b", Lat: -3.5, Lon: 4}}
	name200 := strings.Repeat("é", 100) // 200 bytes
	for _, tc := range []struct {
		name, in string
		want     []tsp.City
	}{
		{"JSON", `[{"name":"a","lat":1,"lon":2},{"name":"b","lat":-3.5,"lon":4}]`, ab},
		{"JSON field order", `[{"lon":2,"lat":1,"name":"a"},{"lat":-3.5,"name":"b","lon":4}]`, ab},
		{"JSON with BOM and white space", "\ufeff \r\n\t[ {\"name\": \"a\", \"lat\": 1, \"lon\": 2},\n {\"name\": \"b\", \"lat\": -35e-1, \"lon\": 4} ]\n\n", ab},
		{"JSON without names", `[{"lat":1,"lon":2},{"lat":-3.5,"lon":4}]`, []tsp.City{{Lat: 1, Lon: 2}, {Lat: -3.5, Lon: 4}}},
		{"JSON escapes", `[{"name":"a\"b\\c\u00e9\n","lat":1,"lon":2}]`, []tsp.City{{Name: "a\"b\\cé\n", Lat: 1, Lon: 2}}},
		{"JSON limits", `[{"name":"` + name200 + `","lat":-90,"lon":180},{"lat":90,"lon":-180}]`, []tsp.City{{Name: name200, Lat: -90, Lon: 180}, {Lat: 90, Lon: -180}}},
		{"JSON tiny number", `[{"lat":1e-400,"lon":-0}]`, []tsp.City{{}}},
		{"CSV with header", "name,lat,lon\na,1,2\nb,-3.5,4\n", ab},
		{"CSV without header", "a,1,2\nb,-3.5,4", ab},
		{"CSV with CRLF", "name,lat,lon\r\na,1,2\r\nb,-3.5,4\r\n", ab},
		{"CSV with BOM", "\ufeffname,lat,lon\na,1,2\nb,-3.5,4\n", ab},
		{"CSV reordered header", "lat,lon,name\n1,2,a\n-3.5,4,b\n", ab},
		{"CSV long names", "Name, Latitude, Longitude\na,1,2\nb,-3.5,4\n", ab},
		{"CSV upper case, other names", "LON,City,LAT\n2,a,1\n4,b,-3.5\n", ab},
		{"CSV lng", "city,latitude,lng\na,1,2\nb,-3.5,4\n", ab},
		{"CSV no name column", "lat,lon\n1,2\n-3.5,4\n", []tsp.City{{Lat: 1, Lon: 2}, {Lat: -3.5, Lon: 4}}},
		{"CSV quoted names", "name,lat,lon\n\"paris, france\",48.86,2.35\n\"say \"\"hi\"\"\",1,2\n\"two\nlines\",3,4\n",
			[]tsp.City{{Name: "paris, france", Lat: 48.86, Lon: 2.35}, {Name: `say "hi"`, Lat: 1, Lon: 2}, {Name: "two\nlines", Lat: 3, Lon: 4}}},
		{"CSV spaces", "  name , lat , lon \n  a ,  1 , 2  \n b,-3.5,4\n", ab},
		{"CSV comments and blank lines", "# cities\n\nname,lat,lon\n\n# the first\na,1,2\n   \nb,-3.5,4\n\n", ab},
		{"CSV leading blank lines", "\n\n  \na,1,2\nb,-3.5,4\n", ab},
		{"CSV empty names", "name,lat,lon\n,1,2\n\"\",3,4\n", []tsp.City{{Lat: 1, Lon: 2}, {Lat: 3, Lon: 4}}},
		{"CSV city named like a column", "lat,1,2\n", []tsp.City{{Name: "lat", Lat: 1, Lon: 2}}},
		{"CSV exponent", "a,1e1,-2.5E+1\n", []tsp.City{{Name: "a", Lat: 10, Lon: -25}}},
		{"CSV name of 200 bytes", name200 + ",1,2\n", []tsp.City{{Name: name200, Lat: 1, Lon: 2}}},
	} {
		got, err := tsp.ReadCities(strings.NewReader(tc.in))
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("%s: (-want +got)\n%s", tc.name, diff)
		}
	}
}

func TestReadCitiesErrors(t *testing.T) {
	long := strings.Repeat("x", tsp.MaxNameBytes+1)
	for _, tc := range []struct {
		name, in string
		kind     error
		want     string // in the message
	}{
		{"empty", "", tsp.ErrEmpty, "no cities"},
		{"white space", " \n\t\r\n", tsp.ErrEmpty, "no cities"},
		{"empty JSON", "[]", tsp.ErrEmpty, "no cities"},
		{"header only", "name,lat,lon\n", tsp.ErrEmpty, "no cities"},
		{"comment only", "# nothing\n", tsp.ErrEmpty, "no cities"},
		{"UTF-16 BE", "\xfe\xff\x00[", tsp.ErrSyntax, "UTF-16 is not supported"},
		{"UTF-16 LE", "\xff\xfe[\x00", tsp.ErrSyntax, "UTF-16 is not supported"},
		{"JSON missing lat", `[{"name":"a","lon":2}]`, tsp.ErrSyntax, `city 0: missing "lat"`},
		{"JSON missing lat of the second", `[{"name":"a","lat":1,"lon":2},{"name":"b","lon":2}]`, tsp.ErrSyntax, `city 1: missing "lat", at byte 50`},
		{"JSON missing lon", `[{"name":"a","lat":1}]`, tsp.ErrSyntax, `city 0: missing "lon"`},
		{"JSON empty object", `[{}]`, tsp.ErrSyntax, `city 0: missing "lat"`},
		{"JSON unknown field", `[{"name":"a","lat":1,"lon":2,"alt":3}]`, tsp.ErrSyntax, `city 0: unknown field "alt" (want name, lat, lon)`},
		{"JSON field case", `[{"name":"a","Lat":1,"lon":2}]`, tsp.ErrSyntax, `unknown field "Lat"`},
		{"JSON duplicate field", `[{"lat":1,"lon":2,"lat":3}]`, tsp.ErrSyntax, `duplicate field "lat"`},
		{"JSON string lat", `[{"lat":"1","lon":2}]`, tsp.ErrSyntax, `"lat" must be a number, got the string "1"`},
		{"JSON null lon", `[{"lat":1,"lon":null}]`, tsp.ErrSyntax, `"lon" must be a number, got null`},
		{"JSON array lat", `[{"lat":[1],"lon":2}]`, tsp.ErrSyntax, `"lat" must be a number, got an array`},
		{"JSON number name", `[{"name":1,"lat":1,"lon":2}]`, tsp.ErrSyntax, `"name" must be a string, got the number 1`},
		{"JSON null city", `[null]`, tsp.ErrSyntax, "city 0: want an object"},
		{"JSON nested array", `[[1,2]]`, tsp.ErrSyntax, "city 0: want an object"},
		{"JSON object", `{"name":"a","lat":1,"lon":2}`, tsp.ErrSyntax, "want a JSON array of cities"},
		{"JSON trailing garbage", `[{"lat":1,"lon":2}] x`, tsp.ErrSyntax, "more data after the list of cities"},
		{"JSON huge number for a city", `[1e700]`, tsp.ErrSyntax, `city 0: want an object {"name": …, "lat": …, "lon": …}, got the number 1e700`},
		{"JSON huge number after the list", `[{"lat":1,"lon":2}] 1e700`, tsp.ErrSyntax, "more data after the list of cities"},
		{"JSON trailing array", `[{"lat":1,"lon":2}][]`, tsp.ErrSyntax, "a JSON array after the list of cities"},
		{"JSON truncated", `[{"lat":1,"lon":2},{"lat":`, tsp.ErrSyntax, "city 1: the JSON ends early"},
		{"JSON unclosed", `[{"lat":1,"lon":2}`, tsp.ErrSyntax, "the JSON ends early"},
		{"JSON syntax", `[{"lat":1 "lon":2}]`, tsp.ErrSyntax, "city 0: malformed JSON: invalid character"},
		{"JSON NaN", `[{"lat":NaN,"lon":2}]`, tsp.ErrSyntax, "malformed JSON"},
		{"JSON huge number", `[{"lat":1e400,"lon":2}]`, tsp.ErrInfinite, `city 0: value is infinite: "lat" "1e400" is out of range`},
		{"JSON latitude", `[{"name":"a","lat":90.5,"lon":2}]`, tsp.ErrLatitude, "city 0: latitude outside [-90, 90]: 90.5"},
		{"JSON longitude", `[{"lat":1,"lon":2},{"lat":1,"lon":-180.01}]`, tsp.ErrLongitude, "city 1: longitude outside [-180, 180]: -180.01"},
		{"JSON name too long", `[{"name":"` + long + `","lat":1,"lon":2}]`, tsp.ErrSyntax, "city 0: name of 201 bytes, at most 200"},
		{"CSV NaN", "name,lat,lon\na,1,2\nb,NaN,3\n", tsp.ErrNaN, "line 3: value is NaN: lat"},
		{"CSV Inf", "a,1,-Inf\n", tsp.ErrInfinite, "line 1: value is infinite: lon"},
		{"CSV huge", "name,lat,lon\na,1e999,2\n", tsp.ErrInfinite, `line 2: value is infinite: lat "1e999" is out of range`},
		{"CSV latitude", "name,lat,lon\na,91,2\n", tsp.ErrLatitude, "line 2: latitude outside [-90, 90]: 91"},
		{"CSV longitude", "a,1,-181\n", tsp.ErrLongitude, "line 1: longitude outside [-180, 180]: -181"},
		{"CSV not a number", "name,lat,lon\na,north,2\n", tsp.ErrSyntax, `line 2: lat "north" is not a number`},
		{"CSV hex", "a,0x10,2\n", tsp.ErrSyntax, `lat "0x10" is not a number`},
		{"CSV empty lat", "a,,2\n", tsp.ErrSyntax, "line 1: lat is empty"},
		{"CSV not a header", "x,y,z\n1,2,3\n", tsp.ErrSyntax, `line 1: lat "y" is not a number; a header row must name the columns`},
		{"CSV unknown column", "name,lat,lon,population\na,1,2,3\n", tsp.ErrSyntax, `line 1: the header has an unknown column "population"`},
		{"CSV duplicate column", "lat,lon,latitude\n1,2,3\n", tsp.ErrSyntax, "the header names the lat column twice"},
		{"CSV header without lon", "name,lat\na,1\n", tsp.ErrSyntax, "the header needs a lat and a lon column"},
		{"CSV short row", "name,lat,lon\na,1\n", tsp.ErrSyntax, "line 2: 2 fields, want 3 (the header's name,lat,lon)"},
		{"CSV long row", "lat,lon\n1,2,3\n", tsp.ErrSyntax, "line 2: 3 fields, want 2 (the header's lat,lon)"},
		{"CSV four fields", "a,1,2,3\n", tsp.ErrSyntax, "line 1: 4 fields, want 3"},
		{"CSV quote", "name,lat,lon\n\"a,1,2\n", tsp.ErrSyntax, "line 2: malformed CSV"},
		{"CSV bare quote", "a\"b,1,2\n", tsp.ErrSyntax, "line 1: malformed CSV"},
		{"CSV name too long", "name,lat,lon\n" + long + ",1,2\n", tsp.ErrSyntax, "line 2: name of 201 bytes, at most 200 (MaxNameBytes): \"xxxxxxxx"},
		{"CSV name not UTF-8", "a\xff,1,2\n", tsp.ErrSyntax, "line 1: the name \"a\\xff\" is not UTF-8"},
		{"CSV field too long", "a,1" + strings.Repeat("0", 2000) + ",2\n", tsp.ErrSyntax, "line 1: field 2 is 2001 bytes long, at most 1024"},
		{"CSV line too long", "a,1,2\n" + strings.Repeat(",", 5000) + "\n", tsp.ErrSyntax, "line 2: a CSV record or comment over 4096 bytes"},
		{"CSV comment too long", "#" + strings.Repeat("c", 5000) + "\na,1,2\n", tsp.ErrSyntax, "line 1: a CSV record or comment over 4096 bytes"},
		{"CSV quoted field over many lines", "a,1,2\n\"" + strings.Repeat("b\n", 3000) + "\",1,2\n", tsp.ErrSyntax, "a CSV record or comment over 4096 bytes"},
		{"JSON long string", `[{"name":"` + strings.Repeat("x", 5000) + `","lat":1,"lon":2}]`, tsp.ErrSyntax, "a JSON value or run of white space over 4096 bytes, at byte 4105"},
		{"JSON long white space", "[" + strings.Repeat(" ", 5000) + "]", tsp.ErrSyntax, "a JSON value or run of white space over 4096 bytes"},
		{"JSON long number", `[{"lat":1` + strings.Repeat("0", 5000) + `,"lon":2}]`, tsp.ErrSyntax, "over 4096 bytes"},
	} {
		_, err := tsp.ReadCities(strings.NewReader(tc.in))
		checkReadError(t, tc.name, err, tc.kind, tc.want)
	}
}

// checkReadError: err wraps kind and ErrInvalidInput, and its message
// contains want, is short and names no Go type.
func checkReadError(t *testing.T, name string, err, kind error, want string) {
	t.Helper()
	if err == nil {
		t.Errorf("%s: no error", name)
		return
	}
	msg := err.Error()
	if !errors.Is(err, kind) || !errors.Is(err, tsp.ErrInvalidInput) {
		t.Errorf("%s: %q does not wrap %v and ErrInvalidInput", name, msg, kind)
	}
	if !strings.Contains(msg, want) {
		t.Errorf("%s: %q lacks %q", name, msg, want)
	}
	if len(msg) > 400 {
		t.Errorf("%s: message of %d bytes", name, len(msg))
	}
	for _, bad := range []string{"Go value", "Go type", "jsonCity", "float64", "tsp.City", "[]"} {
		if strings.Contains(msg, bad) && !strings.Contains(want, bad) {
			t.Errorf("%s: %q names %q", name, msg, bad)
		}
	}
}

// cityRows repeats a CSV row or JSON object n times.
func cityList(n int, json bool) string {
	var b strings.Builder
	if json {
		b.WriteString("[")
		for i := range n {
			if i > 0 {
				b.WriteString(",")
			}
			fmt.Fprintf(&b, `{"name":"c%d","lat":%d,"lon":%d}`, i, i%90, i%180)
		}
		b.WriteString("]")
		return b.String()
	}
	b.WriteString("name,lat,lon\n")
	for i := range n {
		fmt.Fprintf(&b, "c%d,%d,%d\n", i, i%90, i%180)
	}
	return b.String()
}

func TestReadCitiesCount(t *testing.T) {
	for _, isJSON := range []bool{true, false} {
		if testing.Short() {
			continue // a million cities: seconds, more under the race detector (test-unit runs it)
		}
		const last = tsp.MaxCities - 1
		cs, err := tsp.ReadCities(strings.NewReader(cityList(tsp.MaxCities, isJSON)))
		if err != nil || len(cs) != tsp.MaxCities || cs[last] != (tsp.City{Name: fmt.Sprint("c", last), Lat: last % 90, Lon: last % 180}) {
			t.Errorf("json %v: %d cities, %v", isJSON, len(cs), err)
		}
		_, err = tsp.ReadCities(strings.NewReader(cityList(tsp.MaxCities+1, isJSON)))
		want := "line 1048578: more than 1048576 cities (MaxCities) in the list"
		if isJSON {
			want = "more than 1048576 cities (MaxCities) in the list, at byte"
		}
		checkReadError(t, fmt.Sprintf("json %v", isJSON), err, tsp.ErrTooLarge, want)
	}
}

// endless repeats unit forever, and counts the bytes read.
type endless struct {
	unit []byte
	pos  int
	n    int64
}

func (e *endless) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		k := copy(p[n:], e.unit[e.pos:])
		n += k
		e.pos = (e.pos + k) % len(e.unit)
	}
	e.n += int64(n)
	return n, nil
}

// TestReadCitiesEndless: readers that never end are stopped, by the count
// of cities, the record and token limits or the size limit, in bounded
// memory and time.
func TestReadCitiesEndless(t *testing.T) {
	for _, tc := range []struct {
		name, prefix, unit string
		kind               error
		want               string
		maxRead            int64
	}{
		{"JSON cities", "[", `{"lat":1,"lon":2},`, tsp.ErrTooLarge, "more than 1048576 cities", 20 << 20},
		{"CSV cities", "name,lat,lon\n", "a,1,2\n", tsp.ErrTooLarge, "more than 1048576 cities", 8 << 20},
		{"JSON white space", "[", " ", tsp.ErrSyntax, "over 4096 bytes", 1 << 20},
		{"JSON string", `[{"name":"`, "x", tsp.ErrSyntax, "over 4096 bytes", 1 << 20},
		{"comma flood", "", ",", tsp.ErrSyntax, "line 1: a CSV record or comment over 4096 bytes", 1 << 20},
		{"one long quoted field", "\"", "x\n", tsp.ErrSyntax, "over 4096 bytes", 1 << 20},
		{"blank lines", "", strings.Repeat(" ", 4000) + "\n", tsp.ErrTooLarge, "the input is over 256 MiB (MaxCityInputBytes)", tsp.MaxCityInputBytes + 1<<20},
		{"comments", "name,lat,lon\n", "#" + strings.Repeat(".", 4000) + "\n", tsp.ErrTooLarge, "the input is over 256 MiB", tsp.MaxCityInputBytes + 1<<20},
		{"leading white space", "", "\n", tsp.ErrTooLarge, "the input is over 256 MiB", tsp.MaxCityInputBytes + 1<<20},
	} {
		if testing.Short() && tc.maxRead > 1<<20 {
			continue // up to 256 MiB each: slow under the race detector (make test-race uses -short)
		}
		src := &endless{unit: []byte(tc.unit)}
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		start := time.Now()
		_, err := tsp.ReadCities(io.MultiReader(strings.NewReader(tc.prefix), src))
		elapsed := time.Since(start)
		runtime.ReadMemStats(&after)
		checkReadError(t, tc.name, err, tc.kind, tc.want)
		if src.n > tc.maxRead {
			t.Errorf("%s: read %d bytes", tc.name, src.n)
		}
		// Live memory: buffers, and the cities read: a million of 40 bytes
		// (and a slice grown by doubling) where the count is the limit.
		maxHeap, maxAlloc := int64(4<<20), uint64(16<<20)
		if strings.Contains(tc.want, "cities") {
			maxHeap, maxAlloc = 160<<20, 1<<30 // encoding/json's tokens allocate 650 bytes a city
		}
		if grew := int64(after.HeapInuse) - int64(before.HeapInuse); grew > maxHeap {
			t.Errorf("%s: heap grew by %d bytes", tc.name, grew)
		}
		if alloc := after.TotalAlloc - before.TotalAlloc; alloc > maxAlloc {
			t.Errorf("%s: allocated %d bytes", tc.name, alloc)
		}
		t.Logf("%s: read %d bytes in %v, allocated %d", tc.name, src.n, elapsed, after.TotalAlloc-before.TotalAlloc)
	}
}

// A 64 MiB file of commas fails at once.
func TestReadCitiesCommaFlood(t *testing.T) {
	data := bytes.Repeat([]byte(","), 64<<20)
	r := bytes.NewReader(data)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := tsp.ReadCities(r)
	runtime.ReadMemStats(&after)
	checkReadError(t, "commas", err, tsp.ErrSyntax, "over 4096 bytes")
	if read := int64(len(data)) - int64(r.Len()); read > 1<<20 {
		t.Errorf("read %d bytes", read)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 1<<20 {
		t.Errorf("allocated %d bytes", alloc)
	}
}

type failingReader struct{ err error }

func (f failingReader) Read([]byte) (int, error) { return 0, f.err }

var errDisk = errors.New("disk on fire")

func TestReadCitiesReadError(t *testing.T) {
	for _, r := range []io.Reader{
		failingReader{errDisk},
		io.MultiReader(strings.NewReader(`[{"lat":1,"lon":2},`), failingReader{errDisk}),
		io.MultiReader(strings.NewReader("a,1,2\n"), failingReader{errDisk}),
	} {
		_, err := tsp.ReadCities(r)
		if !errors.Is(err, errDisk) || errors.Is(err, tsp.ErrInvalidInput) {
			t.Errorf("%v: want errDisk, not invalid input", err)
		}
	}
}

func TestDecodeCitiesJSON(t *testing.T) {
	// The list inside a larger document, decoded token by token.
	dec := json.NewDecoder(strings.NewReader(`{"algorithm": "exact", "cities": [{"name": "a", "lat": 1, "lon": 2}], "start": 0}`))
	dec.UseNumber() // the caller's settings are honoured
	var cs []tsp.City
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if tok == "cities" {
			if cs, err = tsp.DecodeCitiesJSON(dec); err != nil {
				t.Fatal(err)
			}
		}
	}
	if diff := cmp.Diff([]tsp.City{{Name: "a", Lat: 1, Lon: 2}}, cs); diff != "" {
		t.Error(diff)
	}
	for _, tc := range []struct {
		in   string
		kind error
		want string
	}{
		{`{"a": 1}`, tsp.ErrSyntax, "want a JSON array of cities [{"},
		{`"cities"`, tsp.ErrSyntax, `got the string "cities"`},
		{`1e999`, tsp.ErrSyntax, `want a JSON array of cities [{"name": …, "lat": …, "lon": …}], got the number 1e999`},
		{``, tsp.ErrEmpty, "no cities"},
		{`[{"lat": 1e999, "lon": 2}]`, tsp.ErrInfinite, `"lat" "1e999" is out of range`},
		{`[{"name": "a", "lon": 2}]`, tsp.ErrSyntax, `city 0: missing "lat"`},
	} {
		for _, useNumber := range []bool{false, true} {
			dec := json.NewDecoder(strings.NewReader(tc.in))
			if useNumber {
				dec.UseNumber()
			}
			_, err := tsp.DecodeCitiesJSON(dec)
			checkReadError(t, tc.in, err, tc.kind, tc.want)
		}
	}
}

func TestCitiesUnmarshalJSON(t *testing.T) {
	type request struct {
		Cities    tsp.Cities    `json:"cities"`
		Algorithm tsp.Algorithm `json:"algorithm"`
	}
	var req request
	if err := json.Unmarshal([]byte(`{"cities": [{"name": "a", "lat": 1, "lon": 2}, {"lat": 3, "lon": 4}], "algorithm": "2opt"}`), &req); err != nil {
		t.Fatal(err)
	}
	want := request{Cities: tsp.Cities{{Name: "a", Lat: 1, Lon: 2}, {Lat: 3, Lon: 4}}, Algorithm: tsp.TwoOpt}
	if diff := cmp.Diff(want, req); diff != "" {
		t.Error(diff)
	}
	// Encoding is that of []City.
	if b, err := json.Marshal(req.Cities); err != nil || string(b) != `[{"name":"a","lat":1,"lon":2},{"name":"","lat":3,"lon":4}]` {
		t.Errorf("%s %v", b, err)
	}
	req = request{}
	if err := json.Unmarshal([]byte(`{"cities": null}`), &req); err != nil || req.Cities != nil {
		t.Errorf("null: %v %v", req.Cities, err)
	}
	if err := json.Unmarshal([]byte(`{"cities": []}`), &req); err != nil || req.Cities == nil || len(req.Cities) != 0 {
		t.Errorf("[]: %#v %v", req.Cities, err)
	}
	for _, tc := range []struct {
		in   string
		kind error
		want string
	}{
		{`{"cities": [{"name": "a", "lon": 2}]}`, tsp.ErrSyntax, `city 0: missing "lat", at byte 24 of the list`},
		{`{"cities": [{"lat": 1, "lon": 2, "alt": 3}]}`, tsp.ErrSyntax, `city 0: unknown field "alt"`},
		{`{"cities": [{"lat": 1, "lon": 2}, {"lat": 1, "lon": 200}]}`, tsp.ErrLongitude, "city 1: longitude outside [-180, 180]: 200"},
		{`{"cities": [{"lat": "north", "lon": 2}]}`, tsp.ErrSyntax, `city 0: "lat" must be a number, got the string "north"`},
		{`{"cities": {}}`, tsp.ErrSyntax, "want a JSON array of cities"},
		{`{"cities": 3}`, tsp.ErrSyntax, "got the number 3"},
	} {
		err := json.Unmarshal([]byte(tc.in), &req)
		checkReadError(t, tc.in, err, tc.kind, tc.want)
	}
	// Through a json.Decoder as servers use it.
	dec := json.NewDecoder(strings.NewReader(`{"cities": [{"lat": 100, "lon": 2}]}`))
	dec.DisallowUnknownFields()
	checkReadError(t, "decoder", dec.Decode(&req), tsp.ErrLatitude, "city 0: latitude outside [-90, 90]: 100")
}

func FuzzReadCities(f *testing.F) {
	for _, s := range []string{
		`[{"name":"a","lat":1,"lon":2},{"name":"b","lat":3,"lon":4}]`,
		"name,lat,lon\na,1,2\nb,3,4\n",
		"\ufeffLon, Lat ,Name\r\n-74.0,40.7,a\r\n",
		"a,1,2\n\"b, c\",3,4\n",
		`[]`,
		`[{"lat": 1e400, "lon": 0}]`,
		`[{"name": "a", "lat": 91, "lon": 0}]`,
		`[null, {"lat": 1}]`,
		`[{"name":"\ud800","lat":1,"lon":2}]`,
		"\ufeffname,lat,lon\na,NaN,1\n",
		"lon,lat\n180,-90\n-180,90\n",
		"name,lat,lon\n\"a,b\",1,2\n\"unterminated,3,4\n",
		"name,lat,lon\na,0x1p-2,1_0\n",
		"# only a comment\n",
		"\xff\xfe[\x00",
		"a\xff,1,2\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		cs, err := tsp.ReadCities(bytes.NewReader(data))
		if err != nil {
			if cs != nil {
				t.Fatalf("cities %v with error %v", cs, err)
			}
			if msg := err.Error(); len(msg) > 400 || !errors.Is(err, tsp.ErrInvalidInput) {
				t.Fatalf("error %q (%d bytes)", msg, len(msg))
			}
			return
		}
		if len(cs) == 0 || len(cs) > tsp.MaxHeuristic {
			t.Fatalf("%d cities without an error", len(cs))
		}
		for i, c := range cs {
			if err := c.Validate(); err != nil {
				t.Fatalf("city %d invalid without an error: %v", i, err)
			}
			if len(c.Name) > tsp.MaxNameBytes {
				t.Fatalf("city %d: name of %d bytes", i, len(c.Name))
			}
		}
		b, err := json.Marshal(cs)
		if err != nil {
			t.Fatal(err)
		}
		back, err := tsp.ReadCities(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("re-reading %s: %v", b, err)
		}
		if diff := cmp.Diff(cs, back); diff != "" {
			t.Fatalf("JSON round trip (-read +re-read):\n%s", diff)
		}
	})
}
