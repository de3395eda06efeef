package tsp

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Limits of the city readers, ReadCities and DecodeCitiesJSON. Beyond them
// a reader stops at once with an error; none of them reads the whole input
// into memory first.
const (
	// MaxCities is the most cities the city readers take: 1,048,576, for
	// the coordinate path (SolvePoints, SolveCities' heuristics), which
	// needs no matrix; a matrix of cities takes at most MaxHeuristic
	// (HaversineMatrix, Points.Matrix say so with ErrTooLarge). Beyond it
	// the error wraps ErrTooLarge. (Before issue 21 the limit was
	// MaxHeuristic.)
	MaxCities = 1 << 20
	// MaxCityInputBytes is the most ReadCities reads: 256 MiB, a million
	// cities with names of up to 200 bytes. Beyond it the error wraps
	// ErrTooLarge.
	MaxCityInputBytes = 256 << 20
	// MaxInputBytes is the most ReadCostMatrix reads: 64 MiB, far more than
	// MaxHeuristic rows take. Beyond it the error wraps ErrTooLarge. (It
	// was ReadCities' limit too before issue 21: see MaxCityInputBytes.)
	MaxInputBytes = 64 << 20
	// MaxNameBytes is the longest city name, in bytes of UTF-8.
	MaxNameBytes = 200

	// maxCSVField is the longest CSV field, maxCSVRecord the longest CSV
	// record (one line, or several when a quoted field holds line breaks)
	// or comment line. A row has as many fields as the header, or 3.
	maxCSVField  = 1 << 10
	maxCSVRecord = 4 << 10
	// maxJSONRun is the most bytes of JSON between two structural
	// characters ([ ] { } , :) outside strings: the longest string, number
	// or run of white space, with the white space around it.
	maxJSONRun = 4 << 10
	// maxQuote is how much of a bad value an error message repeats.
	maxQuote = 40
	// maxErrorBytes caps the length of every error message of the readers.
	maxErrorBytes = 400
)

// ReadCities reads a list of cities from r, as JSON or as CSV, validates
// every city and returns them in input order. It is the one city reader of
// the module: the tsp command, the web page and the handler of the
// examples all read cities with it or with DecodeCitiesJSON.
//
// The format is told by the first byte that is not white space, after an
// optional UTF-8 byte order mark: '[' is JSON, anything else CSV. UTF-16
// input (a byte order mark FE FF or FF FE) is refused: save it as UTF-8.
//
// JSON is an array of objects {"name": "paris", "lat": 48.86, "lon": 2.35},
// read as DecodeCitiesJSON reads it: "lat" and "lon" are required numbers,
// "name" an optional string (a city without one gets the empty name), any
// other field, a duplicate field or a value of another kind is an error,
// and so is anything but white space after the array.
// It is read by a hand-written reader of that shape, one allocation a city
// (a million cities in about a second), which hands over to encoding/json's
// token reader, with the same errors, wherever it meets anything else (an
// escape in a string, an error).
//
// CSV is one city a row, fields separated by commas, quoted with double
// quotes where a field holds a comma, a quote or a line break (RFC 4180).
// Blank lines, and lines starting with '#', are skipped (quote a name that
// starts with '#'). The first row is a header when none of its fields is
// a number and one of them names a column: then it names every column, in
// any order and any case, from name (or city), lat (or latitude) and lon
// (or lng, long, longitude); lat and lon are required, name optional, and
// no other column is allowed. Without a header the columns are name, lat,
// lon. Fields are trimmed of surrounding spaces; coordinates are decimal
// numbers.
//
// Every coordinate is checked as HaversineMatrix checks it: finite,
// latitude within [-90, 90] and longitude within [-180, 180] degrees. Every
// name is valid UTF-8 of at most MaxNameBytes bytes.
//
// Limits, enforced while reading: at most MaxCities cities (the error
// comes as soon as city MaxCities+1 starts), at most MaxCityInputBytes of
// input in all (so a reader that never ends is stopped), a CSV record of at
// most 4 KiB, 3 fields and 1 KiB a field, a JSON string, number or run of
// white space of at most 4 KiB. Memory stays within a few times those
// sizes plus the cities read.
//
// Errors: bad input gets an error wrapping ErrInvalidInput and a more
// precise sentinel: ErrSyntax for malformed input, ErrEmpty for a list
// without cities, ErrTooLarge past a limit, ErrNaN, ErrInfinite,
// ErrLatitude or ErrLongitude for a bad coordinate. The message says where:
// the line of a CSV record, the index of a JSON city and the byte offset
// in the input; it quotes at most 40 bytes of the input and is at most a
// few hundred bytes long. An error reading r is returned wrapped as is and
// does not match ErrInvalidInput.
func ReadCities(r io.Reader) ([]City, error) {
	return readCities(r, true)
}

// readCities is ReadCities; fast: JSON is read by fastCities, else by
// encoding/json's token reader alone (the tests compare them).
func readCities(r io.Reader, fast bool) ([]City, error) {
	total := &totalLimit{r: r, left: MaxCityInputBytes, name: "MaxCityInputBytes"}
	br := bufio.NewReader(total)
	var skipped int64 // bytes before the list: the byte order mark, white space
	lines := 0        // line breaks among them
	if b, _ := br.Peek(3); bytes.HasPrefix(b, []byte("\xef\xbb\xbf")) {
		br.Discard(3)
		skipped = 3
	} else if bytes.HasPrefix(b, []byte("\xfe\xff")) || bytes.HasPrefix(b, []byte("\xff\xfe")) {
		return nil, &listError{kind: ErrSyntax, msg: "UTF-16 is not supported: save the city list as UTF-8"}
	}
	var first byte
	for found := false; !found; { // skip white space a buffer at a time
		if _, err := br.Peek(1); err == io.EOF {
			return nil, &listError{kind: ErrEmpty, msg: "no cities: the input is empty"}
		} else if err != nil {
			return nil, readError(err)
		}
		buf, _ := br.Peek(br.Buffered())
		i := 0
		for ; i < len(buf); i++ {
			c := buf[i]
			if c != ' ' && c != '\t' && c != '\r' && c != '\n' {
				first, found = c, true
				break
			}
			if c == '\n' {
				lines++
			}
		}
		br.Discard(i)
		skipped += int64(i)
	}
	if first == '{' {
		return nil, &listError{kind: ErrSyntax, at: skipped, msg: `a JSON object: want a JSON array of cities [{"name": …, "lat": …, "lon": …}] or CSV rows name,lat,lon`}
	}
	if first == '[' {
		if fast {
			// The fast reader keeps to the guard's limits itself, and puts a
			// guard where it hands over to encoding/json.
			return fastCities(br, skipped, "", false, true, true)
		}
		g := &guard{r: br, json: true, off: skipped}
		dec := json.NewDecoder(g)
		cs, err := decodeCities(dec, skipped, "", false)
		if err != nil {
			return nil, err
		}
		if err := afterList(dec, skipped); err != nil {
			return nil, err
		}
		return cs, nil
	}
	g := &guard{r: br, off: skipped, line: lines + 1, lineStart: true}
	return readCSV(g, lines)
}

// afterList checks that dec has nothing but white space after the list of
// cities it read; base is added to its byte offsets.
func afterList(dec *json.Decoder, base int64) error {
	tok, err := dec.Token()
	if err == io.EOF {
		return nil
	}
	if err != nil && !isSyntax(err) {
		return readError(err)
	}
	what := "more data"
	if err == nil {
		what = "a JSON " + kindOf(tok)
	}
	return &listError{kind: ErrSyntax, msg: what + " after the list of cities", at: base + dec.InputOffset()}
}

// DecodeCitiesJSON reads the next JSON value from dec, which must be an
// array of cities, with the rules and limits of ReadCities for JSON: lat
// and lon required, name optional, nothing else, at most MaxCities
// cities, every coordinate valid. It reads token by token, one city at a
// time, so the count limit stops a long list early; bounding the size of
// the input (http.MaxBytesReader, say) is the caller's job. It leaves dec
// after the array, so that the caller can check for more data, and does not
// change dec's settings. Byte offsets in errors are dec.InputOffset()
// values; errors wrap ErrInvalidInput, except a read error of dec's reader
// (an *http.MaxBytesError, say), which is returned wrapped as is.
//
// Use it where the city list is the whole body, or a part of a larger JSON
// document that you decode token by token; in a struct decoded by
// json.Unmarshal, use the type Cities.
func DecodeCitiesJSON(dec *json.Decoder) ([]City, error) {
	return decodeCities(dec, 0, "", false)
}

// Cities is a list of cities that decodes from JSON as DecodeCitiesJSON
// reads it: strictly, with the same checks, limits and error messages
// (their byte offsets count from the start of the array). Use it for a
// field of a request decoded with json.Unmarshal or json.Decoder.Decode:
//
//	var req struct {
//		Cities    tsp.Cities    `json:"cities"`
//		Algorithm tsp.Algorithm `json:"algorithm"`
//	}
//
// It is read as ReadCities reads JSON, fast; DecodeCitiesJSON, which reads
// token by token from a json.Decoder, takes about 100 times longer.
//
// Unlike DecodeCitiesJSON it accepts an empty array (an empty list), and a
// JSON null leaves the list unchanged (nil for a new one), as encoding/json
// does for a slice: whether a request needs cities is the caller's check.
// It encodes to JSON like []City.
type Cities []City

// UnmarshalJSON decodes a JSON array of cities as DecodeCitiesJSON does.
func (cs *Cities) UnmarshalJSON(data []byte) error {
	if string(bytes.TrimSpace(data)) == "null" {
		return nil
	}
	list, err := fastCities(bytes.NewReader(data), 0, " of the list", true, false, false)
	if err != nil {
		return err
	}
	*cs = list
	return nil
}

// decodeCities reads one JSON array of cities from dec. base is added to
// byte offsets, atSuffix follows them in messages ("at byte 12 of the list");
// allowEmpty accepts an empty array.
func decodeCities(dec *json.Decoder, base int64, atSuffix string, allowEmpty bool) ([]City, error) {
	return decodeCitiesFrom(dec, base, atSuffix, allowEmpty, nil)
}

// decodeCitiesFrom is decodeCities appending to cs, the cities before the
// array's first in dec, which count in the city indices and MaxCities
// (fastCities, which read them, gives it the rest).
func decodeCitiesFrom(dec *json.Decoder, base int64, atSuffix string, allowEmpty bool, cs []City) ([]City, error) {
	fail := func(city int, kind error, format string, a ...any) error {
		return &listError{city: city + 1, kind: kind, msg: fmt.Sprintf(format, a...), at: base + dec.InputOffset(), atSuffix: atSuffix}
	}
	// tokenErr turns an error of dec.Token into the error to return.
	tokenErr := func(city int, err error) error {
		var syn *json.SyntaxError
		switch {
		case errors.As(err, &syn):
			return &listError{city: city + 1, kind: ErrSyntax, msg: "malformed JSON: " + syn.Error(), at: base + syn.Offset, atSuffix: atSuffix}
		case errors.Is(err, io.ErrUnexpectedEOF):
			return fail(city, ErrSyntax, "the JSON ends early")
		case err == io.EOF && city < 0:
			return &listError{kind: ErrEmpty, msg: "no cities: the input is empty"}
		case err == io.EOF:
			return fail(city, ErrSyntax, "the JSON ends early")
		}
		var typ *json.UnmarshalTypeError
		if errors.As(err, &typ) { // a number out of float64's range where a city or the list belongs
			want := `an object {"name": …, "lat": …, "lon": …}`
			if city < 0 {
				want = `a JSON array of cities [{"name": …, "lat": …, "lon": …}]`
			}
			num := strings.TrimPrefix(typ.Value, "number ")
			if len(num) > maxQuote {
				num = num[:maxQuote] + "…"
			}
			return fail(city, ErrSyntax, "want %s, got the number %s", want, num)
		}
		return readError(err)
	}

	tok, err := dec.Token()
	if err != nil {
		return nil, tokenErr(-1, err)
	}
	if tok != json.Delim('[') {
		return nil, fail(-1, ErrSyntax, `want a JSON array of cities [{"name": …, "lat": …, "lon": …}], got %s`, describe(tok))
	}
	for {
		i := len(cs)
		tok, err := dec.Token()
		if err != nil {
			return nil, tokenErr(i, err)
		}
		if tok == json.Delim(']') {
			break
		}
		if i == MaxCities {
			return nil, &listError{kind: ErrTooLarge, msg: fmt.Sprintf("more than %d cities (MaxCities) in the list", MaxCities), at: base + dec.InputOffset(), atSuffix: atSuffix}
		}
		if tok != json.Delim('{') {
			return nil, fail(i, ErrSyntax, `want an object {"name": …, "lat": …, "lon": …}, got %s`, describe(tok))
		}
		var c City
		var haveName, haveLat, haveLon bool
		for {
			key, err := dec.Token()
			if err != nil {
				return nil, tokenErr(i, err)
			}
			if key == json.Delim('}') {
				break
			}
			k, _ := key.(string) // the decoder allows only strings here
			var seen *bool
			switch k {
			case "name":
				seen = &haveName
			case "lat":
				seen = &haveLat
			case "lon":
				seen = &haveLon
			default:
				return nil, fail(i, ErrSyntax, "unknown field %s (want name, lat, lon)", quote(k))
			}
			if *seen {
				return nil, fail(i, ErrSyntax, "duplicate field %q", k)
			}
			*seen = true
			v, err := dec.Token()
			var typ *json.UnmarshalTypeError
			if errors.As(err, &typ) { // a number out of float64's range, such as 1e400
				return nil, fail(i, ErrInfinite, "value is infinite: %q %s is out of range", k, quote(strings.TrimPrefix(typ.Value, "number ")))
			}
			if err != nil {
				return nil, tokenErr(i, err)
			}
			if k == "name" {
				s, ok := v.(string)
				if !ok {
					return nil, fail(i, ErrSyntax, `"name" must be a string, got %s`, describe(v))
				}
				if len(s) > MaxNameBytes {
					return nil, fail(i, ErrSyntax, "name of %d bytes, at most %d (MaxNameBytes): %s", len(s), MaxNameBytes, quote(s))
				}
				c.Name = s
				continue
			}
			var f float64
			switch v := v.(type) {
			case float64:
				f = v
			case json.Number: // the caller's decoder has UseNumber
				if f, err = strconv.ParseFloat(string(v), 64); err != nil {
					return nil, fail(i, ErrInfinite, "value is infinite: %q %s is out of range", k, quote(string(v)))
				}
			default:
				return nil, fail(i, ErrSyntax, "%q must be a number, got %s", k, describe(v))
			}
			if k == "lat" {
				c.Lat = f
			} else {
				c.Lon = f
			}
		}
		if !haveLat || !haveLon {
			missing := "lat"
			if haveLat {
				missing = "lon"
			}
			return nil, fail(i, ErrSyntax, "missing %q", missing)
		}
		if msg, kind := checkCoords(c); kind != nil {
			return nil, fail(i, kind, "%s", msg)
		}
		cs = append(cs, c)
	}
	if len(cs) == 0 && !allowEmpty {
		return nil, fail(-1, ErrEmpty, "no cities: the list is empty")
	}
	if cs == nil {
		cs = []City{}
	}
	return cs, nil
}

// describe names the kind of a JSON token for a message, with its value
// for scalars.
func describe(tok json.Token) string {
	switch v := tok.(type) {
	case json.Delim:
		switch v {
		case '[':
			return "an array"
		case '{':
			return "an object"
		}
		return fmt.Sprintf("%q", string(v))
	case string:
		return "the string " + quote(v)
	case float64, json.Number:
		return fmt.Sprintf("the number %v", v)
	case bool:
		return fmt.Sprintf("%v", v)
	case nil:
		return "null"
	}
	return "something else"
}

// kindOf names the kind of a JSON token, without its value.
func kindOf(tok json.Token) string {
	switch v := tok.(type) {
	case json.Delim:
		if v == '[' {
			return "array"
		}
		return "object"
	case string:
		return "string"
	case float64, json.Number:
		return "number"
	case bool:
		return "boolean"
	}
	return "null"
}

// checkCoords is City.Validate with a message for the readers: the
// sentinel it matches and what is wrong, without the city's name.
func checkCoords(c City) (msg string, kind error) {
	for _, v := range [2]struct {
		name string
		v    float64
	}{{"lat", c.Lat}, {"lon", c.Lon}} {
		if math.IsNaN(v.v) {
			return "value is NaN: " + v.name, ErrNaN
		}
		if math.IsInf(v.v, 0) {
			return "value is infinite: " + v.name, ErrInfinite
		}
	}
	if c.Lat < -90 || c.Lat > 90 {
		return fmt.Sprintf("latitude outside [-90, 90]: %g", c.Lat), ErrLatitude
	}
	if c.Lon < -180 || c.Lon > 180 {
		return fmt.Sprintf("longitude outside [-180, 180]: %g", c.Lon), ErrLongitude
	}
	return "", nil
}

// column roles in a CSV header.
const (
	colName = iota
	colLat
	colLon
)

var columnNames = map[string]int{
	"name": colName, "city": colName,
	"lat": colLat, "latitude": colLat,
	"lon": colLon, "lng": colLon, "long": colLon, "longitude": colLon,
}

// readCSV reads the CSV city list from g; lines is the number of line
// breaks before it.
func readCSV(g *guard, lines int) ([]City, error) {
	r := csv.NewReader(g)
	r.Comment = '#'
	r.FieldsPerRecord = -1
	r.TrimLeadingSpace = true
	r.ReuseRecord = true
	cols := [3]int{0, 1, 2} // the field of name, lat, lon; -1: none
	nfields := 3
	header := ""
	var cs []City
	for first := true; ; {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, &listError{line: pe.Line + lines, kind: ErrSyntax, msg: "malformed CSV: " + pe.Err.Error()}
			}
			return nil, readError(err)
		}
		line, _ := r.FieldPos(0)
		line += lines
		fail := func(kind error, format string, a ...any) error {
			return &listError{line: line, kind: kind, msg: fmt.Sprintf(format, a...)}
		}
		// hint: the first row was read as a city; maybe it is a header.
		hint := ""
		if first && header == "" {
			hint = "; a header row must name the columns, such as name,lat,lon"
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue // a line of white space
		}
		for i, f := range rec {
			if len(f) > maxCSVField {
				return nil, fail(ErrSyntax, "field %d is %d bytes long, at most %d", i+1, len(f), maxCSVField)
			}
		}
		if first {
			first = false
			if h, err := parseHeader(rec); err != nil {
				return nil, &listError{line: line, kind: ErrSyntax, msg: err.Error()}
			} else if h != nil {
				cols, nfields = *h, len(rec)
				header = strings.Join(trimAll(rec), ",")
				continue
			}
		}
		if len(rec) != nfields {
			return nil, fail(ErrSyntax, "%d fields, want %d (%s)%s", len(rec), nfields, columnsText(header), hint)
		}
		if len(cs) == MaxCities {
			return nil, fail(ErrTooLarge, "more than %d cities (MaxCities) in the list", MaxCities)
		}
		var c City
		if cols[colName] >= 0 {
			name := strings.TrimSpace(rec[cols[colName]])
			if len(name) > MaxNameBytes {
				return nil, fail(ErrSyntax, "name of %d bytes, at most %d (MaxNameBytes): %s", len(name), MaxNameBytes, quote(name))
			}
			if !utf8.ValidString(name) {
				return nil, fail(ErrSyntax, "the name %s is not UTF-8", quote(name))
			}
			c.Name = strings.Clone(name) // not the whole line's string
		}
		for _, k := range [2]int{colLat, colLon} {
			v, kind, msg := parseCoord(rec[cols[k]], [...]string{colLat: "lat", colLon: "lon"}[k])
			if kind == ErrSyntax {
				msg += hint
			}
			if kind != nil {
				return nil, fail(kind, "%s", msg)
			}
			if k == colLat {
				c.Lat = v
			} else {
				c.Lon = v
			}
		}
		if msg, kind := checkCoords(c); kind != nil {
			return nil, fail(kind, "%s", msg)
		}
		cs = append(cs, c)
	}
	if len(cs) == 0 {
		msg := "no cities: the input has no rows"
		if header != "" {
			msg = "no cities: the input has a header and no rows"
		}
		return nil, &listError{kind: ErrEmpty, msg: msg}
	}
	return cs, nil
}

func trimAll(rec []string) []string {
	out := make([]string, len(rec))
	for i, f := range rec {
		out[i] = strings.ToLower(strings.TrimSpace(f))
	}
	return out
}

func columnsText(header string) string {
	if header == "" {
		return "name,lat,lon"
	}
	return "the header's " + header
}

// parseHeader returns the columns of rec if it is a header row, nil if it
// is a city, and an error if it looks like a header but is not a valid one.
func parseHeader(rec []string) (*[3]int, error) {
	named := false
	for _, f := range rec {
		f = strings.ToLower(strings.TrimSpace(f))
		if _, ok := columnNames[f]; ok {
			named = true
		}
		if _, kind, _ := parseCoord(f, ""); kind == nil || kind == ErrNaN || kind == ErrInfinite {
			return nil, nil // a number: a city
		}
	}
	if !named {
		return nil, nil // a city, or a malformed one: the row's check says
	}
	cols := [3]int{-1, -1, -1}
	for i, f := range rec {
		f = strings.ToLower(strings.TrimSpace(f))
		k, ok := columnNames[f]
		if !ok {
			return nil, fmt.Errorf("the header has an unknown column %s (want name, lat, lon; or city, latitude, longitude, lng, long)", quote(f))
		}
		if cols[k] >= 0 {
			return nil, fmt.Errorf("the header names the %s column twice", [...]string{"name", "lat", "lon"}[k])
		}
		cols[k] = i
	}
	if cols[colLat] < 0 || cols[colLon] < 0 {
		return nil, errors.New("the header needs a lat and a lon column")
	}
	return &cols, nil
}

// parseCoord parses a CSV coordinate field named name. kind is nil when v
// is a number (possibly out of range: the caller checks); otherwise kind
// and msg say what is wrong.
func parseCoord(s, name string) (v float64, kind error, msg string) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, ErrSyntax, name + " is empty"
	}
	if !numberBytes(s) { // "nan" and "inf" have other letters than e
		switch strings.ToLower(strings.TrimLeft(s, "+-")) {
		case "nan":
			return 0, ErrNaN, "value is NaN: " + name
		case "inf", "infinity":
			return 0, ErrInfinite, "value is infinite: " + name
		}
		return 0, ErrSyntax, fmt.Sprintf("%s %s is not a number", name, quote(s))
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		if errors.Is(err, strconv.ErrRange) && !math.IsInf(v, 0) {
			return v, nil, "" // too small: 0
		}
		if errors.Is(err, strconv.ErrRange) {
			return 0, ErrInfinite, fmt.Sprintf("value is infinite: %s %s is out of range", name, quote(s))
		}
		return 0, ErrSyntax, fmt.Sprintf("%s %s is not a number", name, quote(s))
	}
	return v, nil, ""
}

// numberBytes: every byte of s is one of 0123456789.eE+- (what
// strings.Trim(s, "0123456789.eE+-") == "" says, without its set to make
// for every field).
func numberBytes(s string) bool {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case '0' <= c && c <= '9', c == '.', c == 'e', c == 'E', c == '+', c == '-':
		default:
			return false
		}
	}
	return true
}

// listError is an error in a city list: where it is, the sentinel it wraps
// and what is wrong.
type listError struct {
	line     int   // CSV line, from 1; 0: none
	city     int   // JSON city index + 1; 0: none
	at       int64 // byte offset in the input; 0: none
	atSuffix string
	kind     error
	msg      string
}

func (e *listError) Error() string {
	var b strings.Builder
	b.WriteString("tsp: ")
	if e.line > 0 {
		fmt.Fprintf(&b, "line %d: ", e.line)
	}
	if e.city > 0 && e.line == 0 {
		fmt.Fprintf(&b, "city %d: ", e.city-1)
	}
	b.WriteString(e.msg)
	if e.at > 0 {
		fmt.Fprintf(&b, ", at byte %d%s", e.at, e.atSuffix)
	}
	s := b.String()
	if len(s) > maxErrorBytes {
		s = strings.ToValidUTF8(s[:maxErrorBytes-3], "") + "…"
	}
	return s
}

func (e *listError) Unwrap() error { return e.kind }

func asListError(err error) *listError {
	var le *listError
	if errors.As(err, &le) {
		return le
	}
	return nil
}

// isSyntax: err is an error of the JSON text (not of reading it).
func isSyntax(err error) bool {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError // a number out of float64's range
	return errors.As(err, &syn) || errors.As(err, &typ) || errors.Is(err, io.ErrUnexpectedEOF)
}

// readError is the error to return for err, an error of the input: the
// limits' own errors as they are, anything else wrapped.
func readError(err error) error {
	if le := asListError(err); le != nil {
		return le
	}
	return fmt.Errorf("tsp: reading the city list: %w", err)
}

// quote quotes s for a message, at most maxQuote bytes of it.
func quote(s string) string {
	if len(s) > maxQuote {
		return strconv.Quote(strings.ToValidUTF8(s[:maxQuote], "")) + "…"
	}
	return strconv.Quote(s)
}

// totalLimit passes on at most left bytes of r, then fails; name is the
// limit's constant, MaxInputBytes when empty.
type totalLimit struct {
	r    io.Reader
	left int64
	err  error
	name string
}

func (t *totalLimit) Read(p []byte) (int, error) {
	if t.err != nil {
		return 0, t.err
	}
	if int64(len(p)) > t.left+1 {
		p = p[:t.left+1]
	}
	n, err := t.r.Read(p)
	if int64(n) > t.left {
		name, limit := t.name, MaxInputBytes
		if name == "MaxCityInputBytes" {
			limit = MaxCityInputBytes
		}
		if name == "" {
			name = "MaxInputBytes"
		}
		t.err = &listError{kind: ErrTooLarge, msg: fmt.Sprintf("the input is over %d MiB (%s)", limit>>20, name)}
		return int(t.left), t.err
	}
	t.left -= int64(n)
	return n, err
}

// guard watches the bytes a decoder reads and stops the input at the first
// CSV record or JSON token over its limit, so that the decoder never
// buffers more than that: encoding/csv keeps a whole record, and
// encoding/json a whole token, and a run of white space, in memory.
type guard struct {
	r    io.Reader
	json bool
	off  int64 // offset of the next byte in the whole input
	run  int   // bytes since the last record or token boundary
	err  error

	inString, escaped bool // JSON

	line                         int // CSV: line of the next byte, from 1
	inQuotes, lineStart, comment bool
}

func (g *guard) Read(p []byte) (int, error) {
	if g.err != nil {
		return 0, g.err
	}
	n, err := g.r.Read(p)
	var bad int
	if g.json {
		bad = g.jsonBytes(p[:n])
	} else {
		bad = g.csvBytes(p[:n])
	}
	if bad >= 0 {
		if g.json {
			g.err = &listError{kind: ErrSyntax, at: g.off + int64(bad), msg: fmt.Sprintf("a JSON value or run of white space over %d bytes", maxJSONRun)}
		} else {
			g.err = &listError{line: g.line, kind: ErrSyntax, msg: fmt.Sprintf("a CSV record or comment over %d bytes", maxCSVRecord)}
		}
		return bad, g.err
	}
	g.off += int64(n)
	return n, err
}

// jsonBytes follows b and returns the index of the first byte that makes
// a run too long, or -1. The state lives in locals in the loop.
func (g *guard) jsonBytes(b []byte) int {
	run, inString, escaped := g.run, g.inString, g.escaped
	defer func() { g.run, g.inString, g.escaped = run, inString, escaped }()
	for i, c := range b {
		switch {
		case inString:
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			}
		case c == '"':
			inString = true
		case c == '[' || c == ']' || c == '{' || c == '}' || c == ',' || c == ':':
			run = 0
			continue
		}
		run++
		if run > maxJSONRun {
			return i
		}
	}
	return -1
}

// csvBytes follows b and returns the index of the first byte that makes a
// record or comment too long, or -1.
func (g *guard) csvBytes(b []byte) int {
	run, line, inQuotes, lineStart, comment := g.run, g.line, g.inQuotes, g.lineStart, g.comment
	defer func() { g.run, g.line, g.inQuotes, g.lineStart, g.comment = run, line, inQuotes, lineStart, comment }()
	for i := 0; i < len(b); i++ {
		c := b[i]
		if !lineStart && c != '"' && c != '\n' {
			// Inside a line, up to its next '"' or '\n': the run only grows.
			j := i + 1
			for j < len(b) && b[j] != '"' && b[j] != '\n' {
				j++
			}
			if run+(j-i) > maxCSVRecord {
				return i + maxCSVRecord - run
			}
			run += j - i
			i = j - 1
			continue
		}
		if lineStart && !inQuotes && c == '#' {
			comment = true
		}
		lineStart = false
		if c == '"' && !comment {
			inQuotes = !inQuotes
		}
		if c == '\n' {
			line++
			lineStart = true
			if comment || !inQuotes {
				comment = false
				run = 0
				continue
			}
		}
		run++
		if run > maxCSVRecord {
			return i
		}
	}
	return -1
}
