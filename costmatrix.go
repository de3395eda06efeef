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
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	m, names, err := decodeCostMatrix(dec, 0)
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
// 4 KiB; memory stays within about twice the matrix read so far.
//
// Errors wrap ErrInvalidInput and a precise sentinel: ErrSyntax for
// malformed input or a field of the wrong kind, ErrEmpty for an empty
// input or matrix, ErrNotSquare for a row of the wrong length or a count
// of rows other than the row length, ErrTooLarge past a limit, and the
// errors of NewMatrix (ErrNegative, ErrDiagonal, ErrInfinite for a number
// beyond float64, ...). Messages give the byte offset. An error reading r
// is returned wrapped as is.
func ReadCostMatrix(r io.Reader) (*Matrix, []string, error) {
	total := &totalLimit{r: r, left: MaxInputBytes}
	br := bufio.NewReader(total)
	var skipped int64
	if b, _ := br.Peek(3); bytes.HasPrefix(b, []byte("\xef\xbb\xbf")) {
		br.Discard(3)
		skipped = 3
	}
	g := &guard{r: br, json: true, off: skipped}
	dec := json.NewDecoder(g)
	dec.UseNumber()
	m, names, err := decodeCostMatrix(dec, skipped)
	if err != nil {
		return nil, nil, err
	}
	if tok, err := dec.Token(); err != io.EOF {
		if err != nil && !isSyntax(err) {
			return nil, nil, readError(err)
		}
		what := "more data"
		if err == nil {
			what = "a JSON " + kindOf(tok)
		}
		return nil, nil, &listError{kind: ErrSyntax, msg: what + " after the cost matrix", at: skipped + dec.InputOffset()}
	}
	return m, names, nil
}

// DecodeCostMatrixJSON reads the next JSON value from dec, which must be a
// cost matrix object, with the rules of ReadCostMatrix, and leaves dec
// after it. Bounding the input (http.MaxBytesReader, say) is the caller's
// job; dec's settings are not changed (numbers are read whether or not it
// uses UseNumber).
func DecodeCostMatrixJSON(dec *json.Decoder) (*Matrix, []string, error) {
	return decodeCostMatrix(dec, 0)
}

func decodeCostMatrix(dec *json.Decoder, base int64) (*Matrix, []string, error) {
	fail := func(kind error, format string, a ...any) error {
		return &listError{kind: kind, msg: fmt.Sprintf(format, a...), at: base + dec.InputOffset()}
	}
	token := func() (json.Token, error) {
		tok, err := dec.Token()
		if err == nil {
			return tok, nil
		}
		var syn *json.SyntaxError
		var typ *json.UnmarshalTypeError // a number beyond float64, without UseNumber
		switch {
		case errors.As(err, &syn):
			return nil, &listError{kind: ErrSyntax, msg: "malformed JSON: " + syn.Error(), at: base + syn.Offset}
		case errors.As(err, &typ):
			return nil, fail(ErrInfinite, "a number beyond float64's range: %s", quote(typ.Value))
		case errors.Is(err, io.ErrUnexpectedEOF), err == io.EOF:
			return nil, fail(ErrSyntax, "the JSON ends early")
		}
		return nil, readError(err)
	}
	tok, err := dec.Token()
	if err == io.EOF {
		return nil, nil, &listError{kind: ErrEmpty, msg: "no cost matrix: the input is empty"}
	}
	if err != nil {
		_, err = token() // the same error, described
		return nil, nil, err
	}
	if tok != json.Delim('{') {
		return nil, nil, fail(ErrSyntax, `want a JSON object {"names": [...], "matrix": [[...]]}, got %s`, describe(tok))
	}
	var names []string
	var d []float64
	n, rows := -1, 0
	seen := map[string]bool{}
	for {
		tok, err := token()
		if err != nil {
			return nil, nil, err
		}
		if tok == json.Delim('}') {
			break
		}
		key, _ := tok.(string)
		switch {
		case key != "names" && key != "matrix":
			return nil, nil, fail(ErrSyntax, `unknown field %s: a cost matrix has "names" and "matrix" (a city list is a JSON array of cities [{"name": …, "lat": …, "lon": …}])`, quote(key))
		case seen[key]:
			return nil, nil, fail(ErrSyntax, "field %q twice", key)
		}
		seen[key] = true
		if tok, err = token(); err != nil {
			return nil, nil, err
		}
		if tok != json.Delim('[') {
			return nil, nil, fail(ErrSyntax, "%q: want an array, got %s", key, describe(tok))
		}
		if key == "names" {
			names = []string{}
			for {
				if tok, err = token(); err != nil {
					return nil, nil, err
				}
				if tok == json.Delim(']') {
					break
				}
				s, ok := tok.(string)
				switch {
				case !ok:
					return nil, nil, fail(ErrSyntax, "name %d: want a string, got %s", len(names), describe(tok))
				case len(s) > MaxNameBytes:
					return nil, nil, fail(ErrSyntax, "name %d of %d bytes, at most %d (MaxNameBytes): %s", len(names), len(s), MaxNameBytes, quote(s))
				case !utf8.ValidString(s):
					return nil, nil, fail(ErrSyntax, "name %d is not valid UTF-8", len(names))
				case len(names) == MaxHeuristic:
					return nil, nil, fail(ErrTooLarge, "more than %d names (MaxHeuristic)", MaxHeuristic)
				}
				names = append(names, s)
			}
			continue
		}
		// "matrix": rows of numbers, the first row setting n.
		for {
			if tok, err = token(); err != nil {
				return nil, nil, err
			}
			if tok == json.Delim(']') {
				break
			}
			if tok != json.Delim('[') {
				return nil, nil, fail(ErrSyntax, "matrix row %d: want an array of numbers, got %s", rows, describe(tok))
			}
			if rows == n {
				return nil, nil, fail(ErrNotSquare, "matrix: more than %d rows, the length of a row", n)
			}
			k := 0
			for {
				if tok, err = token(); err != nil {
					return nil, nil, err
				}
				if tok == json.Delim(']') {
					break
				}
				v, msg, kind := number(tok)
				if kind != nil {
					return nil, nil, fail(kind, "matrix row %d, column %d: %s", rows, k, msg)
				}
				if k == n || k == MaxHeuristic {
					if n < 0 {
						return nil, nil, fail(ErrTooLarge, "matrix row 0: more than %d values (MaxHeuristic)", MaxHeuristic)
					}
					return nil, nil, fail(ErrNotSquare, "matrix row %d: more than %d values, the length of row 0", rows, n)
				}
				d = append(d, v)
				k++
			}
			if n < 0 {
				n = k
			} else if k != n {
				return nil, nil, fail(ErrNotSquare, "matrix row %d: %d values, row 0 has %d", rows, k, n)
			}
			rows++
		}
	}
	switch {
	case !seen["matrix"]:
		return nil, nil, fail(ErrSyntax, `no "matrix" field`)
	case n <= 0:
		return nil, nil, fail(ErrEmpty, "an empty matrix")
	case rows != n:
		return nil, nil, fail(ErrNotSquare, "matrix: %d rows of %d values", rows, n)
	case names != nil && len(names) != n:
		return nil, nil, fail(ErrSyntax, "%d names for %d cities", len(names), n)
	}
	m, err := newMatrixOwned(n, d)
	if err != nil {
		return nil, nil, err
	}
	return m, names, nil
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
