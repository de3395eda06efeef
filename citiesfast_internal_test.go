package tsp

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
	"testing/iotest"
)

// sameCities: the same cities, bit for bit (-0 is not 0).
func sameCities(a, b []City) bool {
	return len(a) == len(b) && (a == nil) == (b == nil) && slices.EqualFunc(a, b, func(x, y City) bool {
		return x.Name == y.Name && math.Float64bits(x.Lat) == math.Float64bits(y.Lat) && math.Float64bits(x.Lon) == math.Float64bits(y.Lon)
	})
}

// checkFastSame fails unless the fast reader and encoding/json's token
// reader give the same cities or the same error for data, through
// ReadCities and through Cities.UnmarshalJSON, read at once and a byte at a
// time.
func checkFastSame(t *testing.T, data []byte) {
	t.Helper()
	slow, errSlow := readCities(bytes.NewReader(data), false)
	for _, r := range []struct {
		name string
		fast func() ([]City, error)
	}{
		{"ReadCities", func() ([]City, error) { return readCities(bytes.NewReader(data), true) }},
		{"ReadCities a byte at a time", func() ([]City, error) { return readCities(iotest.OneByteReader(bytes.NewReader(data)), true) }},
	} {
		fast, errFast := r.fast()
		if fmt.Sprint(errFast) != fmt.Sprint(errSlow) || !sameCities(fast, slow) {
			t.Fatalf("%s of %.200q:\nfast %d cities, %v\nslow %d cities, %v", r.name, data, len(fast), errFast, len(slow), errSlow)
		}
		if errFast != nil && errors.Unwrap(errFast) != errors.Unwrap(errSlow) {
			t.Fatalf("%s of %.200q: fast error wraps %v, slow %v", r.name, data, errors.Unwrap(errFast), errors.Unwrap(errSlow))
		}
	}
	// Cities.UnmarshalJSON reads one array, at the start of its data.
	slowU, errSlowU := decodeCities(json.NewDecoder(bytes.NewReader(data)), 0, " of the list", true)
	for _, rd := range []func() ([]City, error){
		func() ([]City, error) {
			return fastCities(bytes.NewReader(data), 0, " of the list", true, false, false)
		},
		func() ([]City, error) {
			return fastCities(iotest.OneByteReader(bytes.NewReader(data)), 0, " of the list", true, false, false)
		},
	} {
		fastU, errFastU := rd()
		if fmt.Sprint(errFastU) != fmt.Sprint(errSlowU) || !sameCities(fastU, slowU) && !(len(fastU) == 0 && len(slowU) == 0) {
			t.Fatalf("UnmarshalJSON's reading of %.200q:\nfast %d cities, %v\nslow %d cities, %v", data, len(fastU), errFastU, len(slowU), errSlowU)
		}
	}
	// encoding/json, the reference: what the reader accepts, json.Unmarshal
	// accepts with the same cities.
	if errSlow != nil || bytes.HasPrefix(bytes.TrimSpace(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))), []byte("[")) == false {
		return
	}
	var ref []struct {
		Name *string  `json:"name"`
		Lat  *float64 `json:"lat"`
		Lon  *float64 `json:"lon"`
	}
	dec := json.NewDecoder(bytes.NewReader(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&ref); err != nil {
		t.Fatalf("%.200q: read as %d cities, but encoding/json refuses it: %v", data, len(slow), err)
	}
	if len(ref) != len(slow) {
		t.Fatalf("%.200q: %d cities, encoding/json %d", data, len(slow), len(ref))
	}
	for i, c := range ref {
		name := ""
		if c.Name != nil {
			name = *c.Name
		}
		if !sameCities([]City{{name, *c.Lat, *c.Lon}}, slow[i:i+1]) {
			t.Fatalf("%.200q: city %d is %+v, encoding/json reads %q %v %v", data, i, slow[i], name, *c.Lat, *c.Lon)
		}
	}
}

var fastSeeds = []string{
	`[{"name":"a","lat":1,"lon":2},{"name":"b","lat":3,"lon":4}]`,
	"\ufeff [ {\"lon\" : -0 , \"lat\":0.5e-3,\"name\":\"z\u00fcrich\"}\n,\t{\"lat\":-90,\"lon\":180} ]\r\n ",
	`[{"name":"a\"b","lat":1,"lon":2}]`,
	`[{"name":"a","lat":1,"lon":2},{"name":"\u00e9","lat":1,"lon":2}]`,
	`[{"name":"a","lat":1,"lon":2},{"name":"b","lat":1,"lon":2,"alt":3}]`,
	`[{"name":"a","lat":1,"lon":2},{"name":"b","lat":1,"lat":2}]`,
	`[{"name":"a","lat":1,"lon":2},]`,
	`[{"name":"a","lat":1,"lon":2}] x`,
	`[{"name":"a","lat":1,"lon":2}][]`,
	`[{"name":"a","lat":1,"lon":2},{"name":null,"lat":1,"lon":2}]`,
	`[{"name":"a","lat":1,"lon":2},{"lat":1e400,"lon":2}]`,
	`[{"lat":1,"lon":2},{"lat":1.,"lon":2}]`,
	`[{"lat":1,"lon":2},{"lat":.5,"lon":2}]`,
	`[{"lat":1,"lon":2},{"lat":01,"lon":2}]`,
	`[{"lat":1,"lon":2},{"lat":1e,"lon":2}]`,
	`[{"lat":1,"lon":2},{"lat":-,"lon":2}]`,
	`[{"lat":1,"lon":2},{"lat":1E+2,"lon":2}]`,
	`[{"lat":1,"lon":2},{"lat":91,"lon":2}]`,
	`[{"lat":1,"lon":2},{"lat":1}]`,
	`[{"lat":1,"lon":2},{}]`,
	`[{"lat":1,"lon":2},{"lat":1,"lon":2}`,
	`[{"lat":1,"lon":2},{"lat":1,"lon":2`,
	`[{"lat":1,"lon":2},{"lat":1,"lon":2},`,
	`[{"lat":1,"lon":2},[]]`,
	`[{"lat":1,"lon":2}, 3]`,
	`[{"lat":1,"lon":2},{"lat":1,"lon":2}}`,
	`[{"lat":1,"lon":2},{"lat":1, "lon":2, }]`,
	`[{"lat":1,"lon":2},{"name":"` + strings.Repeat("x", 201) + `","lat":1,"lon":2}]`,
	`[{"lat":1,"lon":2},{"name":"` + strings.Repeat("x", 5000) + `","lat":1,"lon":2}]`,
	`[{"lat":1,"lon":2},{"name":"a` + "\xff" + `","lat":1,"lon":2}]`,
	`[{"lat":1,"lon":2},{"name":"a` + "\x01" + `","lat":1,"lon":2}]`,
	`[{"lat":1,"lon":2}` + strings.Repeat(" ", 5000) + `]`,
	`[]`,
	`[ ]`,
	`[`,
	`[{"lat":1,"lon":2},{"lat":1,"lon":2}]` + strings.Repeat("\n", 100),
}

// The fast reader gives the cities or the error of encoding/json's token
// reader, wherever the error is (the first city, the 3,001st after two
// refills of its buffer), read at once and a byte at a time.
func TestReadCitiesFastSame(t *testing.T) {
	for _, s := range fastSeeds {
		checkFastSame(t, []byte(s))
	}
	var b strings.Builder
	b.WriteString("[")
	for i := range 3000 {
		fmt.Fprintf(&b, `{"name":"c%d","lat":%g,"lon":%g},`+"\n", i, float64(i%180)-89.5, float64(i%360)-179.5)
	}
	head := b.String()
	for _, tail := range []string{
		`{"name":"last","lat":1,"lon":2}]`,
		`{"name":"last","lat":100,"lon":2}]`,
		`{"name":"last","lat":1,"lon":2},]`,
		`{"name":"l\u00e4st","lat":1,"lon":2}]`,
		`{"name":"last","lat":1,"lon":2}] {}`,
		`{"name":"last","lat":1,"lon":2`,
	} {
		checkFastSame(t, []byte(head+tail))
	}
	// A million cities: the count limit, from the fast reader's count.
	if !testing.Short() {
		var big bytes.Buffer
		big.WriteString("[")
		for range MaxCities {
			big.WriteString(`{"lat":1,"lon":2},`)
		}
		big.WriteString(`{"lat":1,"lon":2}]`)
		_, err := ReadCities(bytes.NewReader(big.Bytes()))
		want := fmt.Sprintf("tsp: more than %d cities (MaxCities) in the list, at byte %d", MaxCities, 2+18*MaxCities) // after the "{" of the city too many, as encoding/json counts
		if err == nil || err.Error() != want || !errors.Is(err, ErrTooLarge) {
			t.Errorf("%d cities: %v, want %q", MaxCities+1, err, want)
		}
	}
}

func FuzzReadCitiesFast(f *testing.F) {
	for _, s := range fastSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkFastSame(t, data)
	})
}

// citiesJSON is n random cities as the page and the command write them.
func citiesJSON(n int) []byte {
	b, err := json.Marshal(RandomCities(n, 1))
	if err != nil {
		panic(err)
	}
	return b
}

// BenchmarkReadCities reads random cities in JSON (the fast reader, and
// encoding/json's token reader before it, "json-tokens") and in CSV; -short
// (make test's smoke run) reads 1,000 only.
func BenchmarkReadCities(b *testing.B) {
	sizes := []int{1000, 100_000, 1_000_000}
	if testing.Short() {
		sizes = sizes[:1]
	}
	for _, n := range sizes {
		data := citiesJSON(n)
		var csv bytes.Buffer
		for _, c := range RandomCities(n, 1) {
			fmt.Fprintf(&csv, "%s,%v,%v\n", c.Name, c.Lat, c.Lon)
		}
		for _, v := range []struct {
			name string
			data []byte
			fast bool
		}{{"json", data, true}, {"json-tokens", data, false}, {"csv", csv.Bytes(), true}} {
			if v.name == "json-tokens" && n > 100_000 {
				continue // 13 s a read
			}
			b.Run(fmt.Sprintf("%s/%d", v.name, n), func(b *testing.B) {
				b.SetBytes(int64(len(v.data)))
				b.ReportAllocs()
				for b.Loop() {
					cs, err := readCities(bytes.NewReader(v.data), v.fast)
					if err != nil || len(cs) != n {
						b.Fatal(len(cs), err)
					}
				}
			})
		}
	}
}
