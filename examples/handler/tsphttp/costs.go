package tsphttp

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"unicode/utf8"

	"github.com/ffi4go/tsp"
)

// Costs is a cost matrix read from a request: what a routing service
// (OSRM's table, Valhalla's matrix, a cache of them) answers, driving
// seconds or metres, asymmetric where streets are one-way.
type Costs struct {
	Names  []string    // one a city, or nil when the request has none
	Matrix *tsp.Matrix // validated by tsp.NewMatrix
}

// BytesPerCost is what MaxMatrixBytes allows a value of the matrix by
// default: a cost such as 12345.678901 with its comma and some white space.
const BytesPerCost = 16

// DecodeCosts reads the next JSON value from dec, which must be a cost
// matrix {"names": [...], "matrix": [[...], ...]}, and leaves dec after it.
// Row i holds the costs from city i to every city; "matrix" is required,
// "names" optional (one a row, each a string of at most tsp.MaxNameBytes
// bytes of UTF-8); any other key, a key given twice, keys in another case,
// and values of the wrong kind are errors.
//
// Limits are enforced while reading, before any memory the size of the
// matrix is taken: more than maxCities names, or a first row of more than
// maxCities values, stop the reading at once with an error wrapping
// tsp.ErrTooLarge; the room for the n² values is allocated once the first
// row has set n ≤ maxCities. Every value is checked where it is read: a
// number (JSON has no NaN), finite as a float64 (else tsp.ErrInfinite), not
// negative (tsp.ErrNegative), zero on the diagonal (tsp.ErrDiagonal); a row
// of another length than the first, or a count of rows other than n, is
// tsp.ErrNotSquare. Then tsp.NewMatrix checks the rest (tsp.ErrOverflow).
//
// Every error about the content wraps tsp.ErrInvalidInput and names the row
// and column; an error of dec's reader (a body over its limit, a broken
// connection) is returned as is (IsReadError). Bounding the bytes read is
// the caller's job (http.MaxBytesReader). dec should use UseNumber, so
// that a number beyond float64 is reported as such.
func DecodeCosts(dec *json.Decoder, maxCities int) (Costs, error) {
	var c Costs
	at := func() string { return " (byte " + strconv.FormatInt(dec.InputOffset(), 10) + ")" }
	bad := func(kind error, format string, a ...any) error {
		return fmt.Errorf("%w: "+format+"%s", append([]any{kind}, append(a, at())...)...)
	}
	token := func() (json.Token, error) {
		tok, err := dec.Token()
		var syn *json.SyntaxError
		switch {
		case err == nil:
			return tok, nil
		case errors.As(err, &syn):
			return nil, fmt.Errorf("%w: malformed JSON at byte %d: %s", tsp.ErrSyntax, syn.Offset, syn.Error())
		case err == io.EOF, errors.Is(err, io.ErrUnexpectedEOF):
			return nil, bad(tsp.ErrSyntax, "the JSON ends early")
		case IsReadError(err):
			return nil, err
		}
		return nil, bad(tsp.ErrSyntax, "malformed JSON") // a number beyond float64 without UseNumber
	}
	tok, err := token()
	if err != nil {
		return c, err
	}
	if tok != json.Delim('{') {
		return c, bad(tsp.ErrSyntax, `want a cost matrix {"names": [...], "matrix": [[...]]}, got %s`, DescribeToken(tok))
	}
	var d []float64
	n, rows := -1, 0
	seen := map[string]bool{}
	for {
		if tok, err = token(); err != nil {
			return c, err
		}
		if tok == json.Delim('}') {
			break
		}
		key, _ := tok.(string) // the decoder allows only strings here
		switch {
		case key != "names" && key != "matrix":
			return c, bad(tsp.ErrSyntax, `unknown field %.40q: a cost matrix is {"names": [...], "matrix": [[...]]} (keys are case-sensitive), a city list a JSON array [{"name": …, "lat": …, "lon": …}]`, key)
		case seen[key]:
			return c, bad(tsp.ErrSyntax, "field %q given twice", key)
		}
		seen[key] = true
		if tok, err = token(); err != nil {
			return c, err
		}
		if tok != json.Delim('[') {
			return c, bad(tsp.ErrSyntax, "%q: want an array, got %s", key, DescribeToken(tok))
		}
		if key == "names" {
			c.Names = []string{}
			for {
				if tok, err = token(); err != nil {
					return c, err
				}
				if tok == json.Delim(']') {
					break
				}
				s, ok := tok.(string)
				switch {
				case !ok:
					return c, bad(tsp.ErrSyntax, "name %d: want a string, got %s", len(c.Names), DescribeToken(tok))
				case len(c.Names) == maxCities:
					return c, bad(tsp.ErrTooLarge, "more than %d names: this server takes at most %d cities in a cost matrix", maxCities, maxCities)
				case len(s) > tsp.MaxNameBytes:
					return c, bad(tsp.ErrSyntax, "name %d is %d bytes long, at most %d", len(c.Names), len(s), tsp.MaxNameBytes)
				case !utf8.ValidString(s):
					return c, bad(tsp.ErrSyntax, "name %d is not valid UTF-8", len(c.Names))
				}
				c.Names = append(c.Names, s)
			}
			continue
		}
		for { // the rows
			if tok, err = token(); err != nil {
				return c, err
			}
			if tok == json.Delim(']') {
				break
			}
			if tok != json.Delim('[') {
				return c, bad(tsp.ErrSyntax, "matrix row %d: want an array of numbers, got %s", rows, DescribeToken(tok))
			}
			if rows == n {
				return c, bad(tsp.ErrNotSquare, "matrix: more than %d rows, the length of row 0", n)
			}
			k := 0
			for {
				if tok, err = token(); err != nil {
					return c, err
				}
				if tok == json.Delim(']') {
					break
				}
				switch {
				case n < 0 && k == maxCities:
					return c, bad(tsp.ErrTooLarge, "matrix row 0 has more than %d values: this server takes at most %d cities in a cost matrix", maxCities, maxCities)
				case n >= 0 && k == n:
					return c, bad(tsp.ErrNotSquare, "matrix row %d has more than %d values, the length of row 0", rows, n)
				}
				v, msg, kind := cost(tok)
				if kind != nil {
					return c, bad(kind, "matrix row %d, column %d: %s", rows, k, msg)
				}
				switch {
				case v < 0:
					return c, bad(tsp.ErrNegative, "matrix row %d, column %d: %v, want a cost ≥ 0", rows, k, v)
				case k == rows && v != 0:
					return c, bad(tsp.ErrDiagonal, "matrix row %d, column %d: %v, want 0 (the cost from a city to itself)", rows, k, v)
				}
				d = append(d, v)
				k++
			}
			switch {
			case n < 0:
				n = k
				// n is admitted: room for the whole matrix at once.
				d = append(make([]float64, 0, n*n), d...)
			case k != n:
				return c, bad(tsp.ErrNotSquare, "matrix row %d has %d values, row 0 has %d", rows, k, n)
			}
			rows++
		}
	}
	switch {
	case !seen["matrix"]:
		return c, bad(tsp.ErrSyntax, `no "matrix" field: want {"names": [...], "matrix": [[...]]}`)
	case n <= 0:
		return c, bad(tsp.ErrEmpty, "the matrix is empty")
	case rows != n:
		return c, bad(tsp.ErrNotSquare, "matrix: %d rows of %d values, want %d rows", rows, n, n)
	case c.Names != nil && len(c.Names) != n:
		return c, bad(tsp.ErrSyntax, "%d names for a matrix of %d cities", len(c.Names), n)
	}
	m, err := tsp.NewMatrix(n, d)
	if err != nil {
		return c, err
	}
	c.Matrix = m
	return c, nil
}

// cost is the float64 of a JSON number token, or the sentinel of what is
// wrong with it and a message.
func cost(tok json.Token) (float64, string, error) {
	switch v := tok.(type) {
	case float64:
		return v, "", nil
	case json.Number:
		f, err := strconv.ParseFloat(string(v), 64)
		if err != nil || math.IsInf(f, 0) {
			return 0, fmt.Sprintf("%.40s is beyond float64's range", v), tsp.ErrInfinite
		}
		return f, "", nil
	}
	return 0, "want a number, got " + DescribeToken(tok), tsp.ErrSyntax
}

// DescribeToken names a JSON token for a message, with at most 40 bytes of
// a string or number.
func DescribeToken(tok json.Token) string {
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
		return fmt.Sprintf("the string %.40q", v)
	case json.Number:
		return fmt.Sprintf("the number %.40s", v)
	case float64:
		return fmt.Sprintf("the number %v", v)
	case bool:
		return fmt.Sprintf("%v", v)
	case nil:
		return "null"
	}
	return "another value"
}
