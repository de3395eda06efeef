package tsp

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"unicode/utf8"
)

// A cost matrix in JSON (issue 16): what a routing service (OSRM's table,
// Valhalla's matrix, a cache of them) answers, driving times or distances,
// asymmetric where streets are one-way:
//
//	{"names": ["depot", "a", "b"], "matrix": [[0, 7, 9], [6, 0, 4], [8, 5, 0]]}
//
// Row i holds the costs from city i to every city. "matrix" is required,
// "names" optional (one name a row, at most MaxNameBytes bytes each); any
// other field is an error.

// CostMatrix is a matrix of costs with the names of its cities, as JSON
// {"names": [...], "matrix": [[...], ...]}. It decodes (UnmarshalJSON) as
// DecodeCostMatrixJSON reads it, for a field of a request:
//
//	var req struct {
//		Costs tsp.CostMatrix `json:"costs"`
//		End   string         `json:"end"`
//	}
//
// A JSON null leaves it unchanged. Names is nil when the input has none.
type CostMatrix struct {
	Names  []string
	Matrix *Matrix
}

// UnmarshalJSON decodes a cost matrix as DecodeCostMatrixJSON does.
func (c *CostMatrix) UnmarshalJSON(data []byte) error {
	if string(bytes.TrimSpace(data)) == "null" {
		return nil
	}
	m, names, _, err := fastCostMatrixMax(bytes.NewReader(data), 0, false, false, 0)
	if err != nil {
		return err
	}
	c.Names, c.Matrix = names, m
	return nil
}

// MarshalJSON encodes c as {"names": [...], "matrix": [[...]]}.
func (c CostMatrix) MarshalJSON() ([]byte, error) {
	type out struct {
		Names  []string    `json:"names,omitempty"`
		Matrix [][]float64 `json:"matrix"`
	}
	o := out{Names: c.Names}
	if c.Matrix != nil {
		n := c.Matrix.n
		o.Matrix = make([][]float64, n)
		for i := range o.Matrix {
			o.Matrix[i] = c.Matrix.d[i*n : i*n+n]
		}
	}
	return json.Marshal(o)
}

// ReadCostMatrix reads a JSON cost matrix {"names": [...], "matrix":
// [[...]]} from r, all of it: anything but white space after the object is
// an error. An optional UTF-8 byte order mark is skipped. The matrix is
// validated as NewMatrix validates it (finite, non-negative, zero
// diagonal, square, at most MaxHeuristic cities; asymmetric is fine).
//
// Limits, while reading: at most MaxInputBytes of input, MaxHeuristic rows
// and values a row, a JSON string, number or run of white space of at most
// 4 KiB; memory stays within about twice the matrix read so far, and a
// few megabytes (the names, a row's text).
//
// It reads at about 200 ns a value (a fast reader, which hands anything
// unusual to encoding/json's token reader with the same results and
// errors). Errors wrap ErrInvalidInput and a precise sentinel: ErrSyntax for
// malformed input, a field of the wrong kind or a name that is not valid
// UTF-8, ErrEmpty for an empty
// input or matrix, ErrNotSquare for a row of the wrong length or a count
// of rows other than the row length, ErrTooLarge past a limit, and the
// errors of NewMatrix (ErrNegative, ErrDiagonal, ErrInfinite for a number
// beyond float64, ...). Messages give the byte offset. An error reading r
// is returned wrapped as is.
func ReadCostMatrix(r io.Reader) (*Matrix, []string, error) {
	return readCostMatrix(r, true)
}

// readCostMatrix is ReadCostMatrix: by the fast reader (costfast.go), or
// by encoding/json's token reader alone (fast false: what the fast reader
// is tested against).
func readCostMatrix(r io.Reader, fast bool) (*Matrix, []string, error) {
	total := &totalLimit{r: r, left: MaxInputBytes}
	br := bufio.NewReader(total)
	var skipped int64
	if b, _ := br.Peek(3); bytes.HasPrefix(b, []byte("\xef\xbb\xbf")) {
		br.Discard(3)
		skipped = 3
	}
	if fast {
		m, names, _, err := fastCostMatrixMax(br, skipped, true, true, 0)
		return m, names, err
	}
	g := &guard{r: br, json: true, off: skipped}
	dec := json.NewDecoder(g)
	dec.UseNumber()
	m, names, err := decodeCostMatrix(dec, skipped, 0)
	if err != nil {
		return nil, nil, err
	}
	if err := afterCostMatrix(dec, skipped); err != nil {
		return nil, nil, err
	}
	return m, names, nil
}

// afterCostMatrix checks that dec, whose first byte is at input offset
// base, has nothing but white space left.
func afterCostMatrix(dec *json.Decoder, base int64) error {
	if tok, err := dec.Token(); err != io.EOF {
		if err != nil && !isSyntax(err) {
			return readError(err)
		}
		what := "more data"
		if err == nil {
			what = "a JSON " + kindOf(tok)
		}
		return &listError{kind: ErrSyntax, msg: what + " after the cost matrix", at: base + dec.InputOffset()}
	}
	return nil
}

// DecodeCostMatrix reads the cost matrix at the start of data (after white
// space) as ReadCostMatrix reads it, by the same fast reader, with at most
// maxCities cities (0 or more than MaxHeuristic: MaxHeuristic): more names,
// or a row 0 of more values, is an error wrapping ErrTooLarge as soon as
// it is read, before memory the size of the matrix is taken. It returns
// the bytes after the object, for the caller to check (a server's body:
// only white space, say); data's size is the caller's to bound. Error
// offsets count from data[0].
func DecodeCostMatrix(data []byte, maxCities int) (m *Matrix, names []string, rest []byte, err error) {
	if maxCities <= 0 || maxCities > MaxHeuristic {
		maxCities = 0
	}
	m, names, used, err := fastCostMatrixMax(bytes.NewReader(data), 0, false, false, maxCities)
	if err != nil {
		return nil, nil, nil, err
	}
	return m, names, data[used:], nil
}

// DecodeCostMatrixJSON reads the next JSON value from dec, which must be a
// cost matrix object, with the rules of ReadCostMatrix, and leaves dec
// after it. Bounding the input (http.MaxBytesReader, say) is the caller's
// job; dec's settings are not changed (numbers are read whether or not it
// uses UseNumber).
func DecodeCostMatrixJSON(dec *json.Decoder) (*Matrix, []string, error) {
	return decodeCostMatrix(dec, 0, 0)
}

func decodeCostMatrix(dec *json.Decoder, base int64, max int) (*Matrix, []string, error) {
	c := &costDecoder{dec: dec, base: base, n: -1, seen: map[string]bool{}, max: max}
	tok, err := dec.Token()
	if err == io.EOF {
		return nil, nil, &listError{kind: ErrEmpty, msg: "no cost matrix: the input is empty"}
	}
	if err != nil {
		_, err = c.token() // the same error, described
		return nil, nil, err
	}
	if tok != json.Delim('{') {
		return nil, nil, c.fail(ErrSyntax, `want a JSON object {"names": [...], "matrix": [[...]]}, got %s`, describe(tok))
	}
	return c.fields(false)
}

// costDecoder is the state of decodeCostMatrix: what is read so far, so
// that the fast reader (costfast.go) can hand over to it anywhere between
// two fields of the object or two rows of the matrix.
type costDecoder struct {
	dec     *json.Decoder
	base    int64 // the input offset of dec's first byte
	names   []string
	d       []float64
	n, rows int // n: the length of row 0, -1 before it
	seen    map[string]bool
	max     int // at most this many cities; 0: MaxHeuristic
}

func (c *costDecoder) limit() int {
	if c.max > 0 {
		return c.max
	}
	return MaxHeuristic
}

func (c *costDecoder) limitName() string {
	if c.max > 0 {
		return "the limit"
	}
	return "MaxHeuristic"
}

func (c *costDecoder) fail(kind error, format string, a ...any) error {
	return &listError{kind: kind, msg: fmt.Sprintf(format, a...), at: c.base + c.dec.InputOffset()}
}

func (c *costDecoder) token() (json.Token, error) {
	tok, err := c.dec.Token()
	if err == nil {
		return tok, nil
	}
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError // a number beyond float64, without UseNumber
	switch {
	case errors.As(err, &syn):
		return nil, &listError{kind: ErrSyntax, msg: "malformed JSON: " + syn.Error(), at: c.base + syn.Offset}
	case errors.As(err, &typ):
		return nil, c.fail(ErrInfinite, "a number beyond float64's range: %s", quote(typ.Value))
	case errors.Is(err, io.ErrUnexpectedEOF), err == io.EOF:
		return nil, c.fail(ErrSyntax, "the JSON ends early")
	}
	return nil, readError(err)
}

// fields reads the object's fields after its '{' or after a field, through
// its '}', and makes the matrix; inMatrix: first the rest of the matrix,
// after its '[' or after a row.
func (c *costDecoder) fields(inMatrix bool) (*Matrix, []string, error) {
	if inMatrix {
		if err := c.matrixRows(); err != nil {
			return nil, nil, err
		}
	}
	for {
		tok, err := c.token()
		if err != nil {
			return nil, nil, err
		}
		if tok == json.Delim('}') {
			break
		}
		key, _ := tok.(string)
		switch {
		case key != "names" && key != "matrix":
			return nil, nil, c.fail(ErrSyntax, `unknown field %s: a cost matrix has "names" and "matrix" (a city list is a JSON array of cities [{"name": …, "lat": …, "lon": …}])`, quote(key))
		case c.seen[key]:
			return nil, nil, c.fail(ErrSyntax, "field %q twice", key)
		}
		c.seen[key] = true
		if tok, err = c.token(); err != nil {
			return nil, nil, err
		}
		if tok != json.Delim('[') {
			return nil, nil, c.fail(ErrSyntax, "%q: want an array, got %s", key, describe(tok))
		}
		if key == "names" {
			c.names = []string{}
			for {
				if tok, err = c.token(); err != nil {
					return nil, nil, err
				}
				if tok == json.Delim(']') {
					break
				}
				s, ok := tok.(string)
				switch {
				case !ok:
					return nil, nil, c.fail(ErrSyntax, "name %d: want a string, got %s", len(c.names), describe(tok))
				case len(s) > MaxNameBytes:
					return nil, nil, c.fail(ErrSyntax, "name %d of %d bytes, at most %d (MaxNameBytes): %s", len(c.names), len(s), MaxNameBytes, quote(s))
				case !utf8.ValidString(s): // encoding/json has replaced bad bytes; the fast reader sees them
					return nil, nil, c.fail(ErrSyntax, "name %d is not valid UTF-8", len(c.names))
				case len(c.names) == c.limit():
					return nil, nil, c.fail(ErrTooLarge, "more than %d names (%s)", c.limit(), c.limitName())
				}
				c.names = append(c.names, s)
			}
			continue
		}
		if err := c.matrixRows(); err != nil {
			return nil, nil, err
		}
	}
	return c.finish()
}

// matrixRows reads "matrix"'s rows of numbers, the first row setting n,
// after its '[' or after a row, through its ']'.
func (c *costDecoder) matrixRows() error {
	for {
		tok, err := c.token()
		if err != nil {
			return err
		}
		if tok == json.Delim(']') {
			return nil
		}
		if tok != json.Delim('[') {
			return c.fail(ErrSyntax, "matrix row %d: want an array of numbers, got %s", c.rows, describe(tok))
		}
		if c.rows == c.n {
			return c.fail(ErrNotSquare, "matrix: more than %d rows, the length of a row", c.n)
		}
		k := 0
		for {
			if tok, err = c.token(); err != nil {
				return err
			}
			if tok == json.Delim(']') {
				break
			}
			v, msg, kind := number(tok)
			if kind != nil {
				return c.fail(kind, "matrix row %d, column %d: %s", c.rows, k, msg)
			}
			if k == c.n || k == c.limit() {
				if c.n < 0 {
					return c.fail(ErrTooLarge, "matrix row 0: more than %d values (%s)", c.limit(), c.limitName())
				}
				return c.fail(ErrNotSquare, "matrix row %d: more than %d values, the length of row 0", c.rows, c.n)
			}
			c.d = append(c.d, v)
			k++
		}
		if c.n < 0 {
			c.n = k
		} else if k != c.n {
			return c.fail(ErrNotSquare, "matrix row %d: %d values, row 0 has %d", c.rows, k, c.n)
		}
		c.rows++
	}
}

// finish checks what was read, after the object's '}', and makes the matrix.
func (c *costDecoder) finish() (*Matrix, []string, error) {
	switch {
	case !c.seen["matrix"]:
		return nil, nil, c.fail(ErrSyntax, `no "matrix" field`)
	case c.n <= 0:
		return nil, nil, c.fail(ErrEmpty, "an empty matrix")
	case c.rows != c.n:
		return nil, nil, c.fail(ErrNotSquare, "matrix: %d rows of %d values", c.rows, c.n)
	case c.names != nil && len(c.names) != c.n:
		return nil, nil, c.fail(ErrSyntax, "%d names for %d cities", len(c.names), c.n)
	}
	m, err := newMatrixOwned(c.n, c.d)
	if err != nil {
		return nil, nil, err
	}
	return m, c.names, nil
}

// number is the float64 of a JSON number token (json.Number or float64),
// or the sentinel of what is wrong (ErrSyntax: not a number, ErrInfinite:
// out of range) and a message.
func number(tok json.Token) (float64, string, error) {
	switch v := tok.(type) {
	case float64:
		return v, "", nil
	case json.Number:
		f, err := strconv.ParseFloat(string(v), 64)
		if err != nil || math.IsInf(f, 0) {
			return 0, quote(string(v)) + " is beyond float64's range", ErrInfinite
		}
		return f, "", nil
	}
	return 0, "want a number, got " + describe(tok), ErrSyntax
}
