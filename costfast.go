package tsp

import (
	"encoding/json"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The fast cost matrix reader (ReadCostMatrix, CostMatrix.UnmarshalJSON).
// encoding/json's token reader, which decodeCostMatrix uses, allocates for
// every token: about 1 µs a value, seconds for a matrix of 2,000 cities.
// This reader takes the object {"names": [...], "matrix": [[...], ...]}
// byte by byte (fields in either order, strings with or without escapes,
// numbers of JSON's grammar parsed by strconv.ParseFloat as encoding/json
// parses them), with every limit of decodeCostMatrix checked as it reads.
// Anything else (an error, a number beyond float64) and the reading goes on
// with decodeCostMatrix from the start of the unit where it stopped (a
// field of the object, a row of the matrix, or what follows the object),
// with what was read before it, behind a made-up prefix that puts
// encoding/json's decoder in the state it would have had there; its white
// space makes the byte counts those of reading the whole input (see
// citiesfast.go), so every error has the message and the offset it had
// (FuzzReadCostMatrixFast compares them).
//
// One difference, on purpose: a name that is not valid UTF-8 is refused
// ("name 3 is not valid UTF-8"). encoding/json replaces each bad byte with
// U+FFFD, so decodeCostMatrix's check of it never fired; the fast reader
// sees the bytes. Every name of an accepted matrix is read by the fast
// reader.

// costMaxRowBytes: a row whose text is longer is read the slow way, so that
// the bytes the fast reader keeps for a restart (those of the row) stay
// small beside the matrix; the names, kept whole, are at most MaxHeuristic
// names of MaxNameBytes.
const costMaxRowBytes = 1 << 20

// Where decodeCostMatrix takes over from the fast reader.
const (
	costStart  = iota // before the object: decodeCostMatrix from the start
	costFields        // after the object's '{' or after a field
	costRows          // in "matrix", after its '[' or after a row
	costAfter         // after the object's '}': only white space may follow
)

// fastCostMatrix reads a cost matrix at the start of r (input offset
// base), as decodeCostMatrix would; trailing: then checks that nothing but
// white space follows (ReadCostMatrix); guarded: with ReadCostMatrix's
// guard on the length of runs between structural characters.
// max: at most this many cities (0: MaxHeuristic). used is how many bytes
// of r the matrix took, from base (white space before it included).
func fastCostMatrixMax(r io.Reader, base int64, trailing, guarded bool, max int) (m *Matrix, names []string, used int64, err error) {
	f := &fastReader{r: r, buf: make([]byte, 64<<10), off: base, limitRuns: guarded, runStart: base}
	c := &costDecoder{n: -1, seen: map[string]bool{}, max: max}
	where, m, err := f.costMatrix(c, trailing)
	if err != nil {
		return nil, nil, 0, err
	}
	if where < 0 {
		return m, c.names, f.off + int64(f.i) - base, nil
	}
	// The slow way, from the unit where the fast one stopped.
	var rest io.Reader = io.MultiReader(strings.NewReader(string(f.buf[f.unit:f.n])), errReader{f.r, f.err})
	unitOff := f.off + int64(f.unit)
	if guarded {
		rest = &guard{r: rest, json: true, off: unitOff}
	}
	// The prefix: open, white space, then the rest of it; its strings and
	// numbers count scalar bytes (see citiesfast.go).
	var open, tail string
	var scalar, tokens int
	switch {
	case where == costFields && len(c.seen) == 0:
		open, tokens = "{", 1
	case where == costFields: // a string value: a number would run on into what follows ("0" and ".")
		open, tail, scalar, tokens = "{", `"x":""`, 5, 3
	case where == costRows && c.rows == 0:
		open, tail, scalar, tokens = "{", `"x":[`, 3, 3
	case where == costRows:
		open, tail, scalar, tokens = "{", `"x":[[]`, 3, 5
	case where == costAfter:
		open, tokens = "{}", 2
	}
	var pad int64
	if where != costStart {
		uncounted := unitOff - base - f.scalar
		pad = uncounted - int64(len(open)+len(tail)-scalar)
	}
	// The white space goes first, so that the prefix's last token ends at
	// the unit, as the input's did (an error at the end of the input is
	// reported at the end of the last token: " {" ends early at byte 2).
	dec := json.NewDecoder(io.MultiReader(io.LimitReader(spaces{}, pad), strings.NewReader(open), strings.NewReader(tail), rest))
	dec.UseNumber()
	c.dec, c.base = dec, unitOff-int64(len(open)+len(tail))-pad
	for range tokens {
		if _, err := dec.Token(); err != nil {
			return nil, nil, 0, readError(err) // cannot happen: the prefix is valid JSON
		}
	}
	switch where {
	case costStart:
		m, c.names, err = decodeCostMatrix(dec, c.base, max)
	case costFields, costRows:
		m, c.names, err = c.fields(where == costRows)
	}
	if err != nil {
		return nil, nil, 0, err
	}
	used = c.base + dec.InputOffset() - base
	if trailing {
		if err := afterCostMatrix(dec, c.base); err != nil {
			return nil, nil, 0, err
		}
	}
	return m, c.names, used, nil
}

// costMatrix reads the cost matrix into c. It returns where decodeCostMatrix
// must go on from f.unit (c then holds what was read before it), or -1 and
// the matrix or an error of the fast reader's own.
func (f *fastReader) costMatrix(c *costDecoder, trailing bool) (int, *Matrix, error) {
	if b, ok := f.space(); !ok || b != '{' {
		return costStart, nil, nil
	}
	if !f.structural() {
		return costStart, nil, nil
	}
	f.unit = f.i
	for {
		b, ok := f.space()
		if !ok {
			return costFields, nil, nil
		}
		if b == '}' {
			if len(c.seen) == 0 || !c.seen["matrix"] || c.n <= 0 || c.rows != c.n || (c.names != nil && len(c.names) != c.n) {
				return costFields, nil, nil // decodeCostMatrix says what is missing
			}
			if !f.structural() {
				return costFields, nil, nil
			}
			break
		}
		if len(c.seen) > 0 {
			if b != ',' || !f.structural() {
				return costFields, nil, nil
			}
			if b, ok = f.space(); !ok {
				return costFields, nil, nil
			}
		}
		if b != '"' {
			return costFields, nil, nil
		}
		key, n, _, ok := f.jsonString()
		if !ok {
			return costFields, nil, nil
		}
		if key != "names" && key != "matrix" || c.seen[key] {
			return costFields, nil, nil
		}
		if b, ok = f.space(); !ok || b != ':' || !f.structural() {
			return costFields, nil, nil
		}
		if b, ok = f.space(); !ok || b != '[' || !f.structural() {
			return costFields, nil, nil
		}
		scalar := int64(n)
		if key == "names" {
			names, k, err := f.costNames(c.limit())
			if err != nil {
				return -1, nil, err
			}
			if k < 0 {
				return costFields, nil, nil
			}
			c.names = names
			c.seen[key] = true
			f.scalar += scalar + int64(k)
			f.unit = f.i
			continue
		}
		c.seen[key] = true
		f.scalar += scalar
		f.unit = f.i
		if !f.costRows(c) {
			return costRows, nil, nil
		}
		f.unit = f.i
	}
	m, err := newMatrixOwned(c.n, c.d)
	if err != nil {
		return -1, nil, err
	}
	if trailing {
		f.unit = f.i
		if _, ok := f.space(); ok || f.err != io.EOF || f.longRun(f.off+int64(f.n)) {
			return costAfter, m, nil // more data, a read error or a long run: the slow way says which
		}
	}
	return -1, m, nil
}

// costNames reads the names after their '[', through the ']': the names
// and the scalar bytes read, or -1 to read them the slow way, or an
// error: a name that is not valid UTF-8, at decodeCostMatrix's offset (after
// the name).
func (f *fastReader) costNames(limit int) ([]string, int, error) {
	names := []string{}
	scalar := 0
	for {
		b, ok := f.space()
		if !ok {
			return nil, -1, nil
		}
		if b == ']' && len(names) == 0 {
			break
		}
		if len(names) > 0 {
			if b == ']' {
				break
			}
			if b != ',' || !f.structural() {
				return nil, -1, nil
			}
			if b, ok = f.space(); !ok {
				return nil, -1, nil
			}
		}
		if b != '"' {
			return nil, -1, nil
		}
		start := f.off + int64(f.i)
		s, n, valid, ok := f.jsonString()
		if !ok || len(s) > MaxNameBytes {
			return nil, -1, nil
		}
		if !valid {
			return nil, 0, &listError{kind: ErrSyntax, msg: "name " + strconv.Itoa(len(names)) + " is not valid UTF-8", at: start + int64(n)}
		}
		if len(names) == limit {
			return nil, -1, nil
		}
		names = append(names, s)
		scalar += n
	}
	if !f.structural() {
		return nil, -1, nil
	}
	return names, scalar, nil
}

// costRows reads the rows of "matrix" into c after its '[', through its
// ']'; false: read on the slow way from f.unit (c holds the rows before).
func (f *fastReader) costRows(c *costDecoder) bool {
	for {
		b, ok := f.space()
		if !ok {
			return false
		}
		if b == ']' {
			return f.structural()
		}
		if c.rows > 0 {
			if b != ',' || !f.structural() {
				return false
			}
			if b, ok = f.space(); !ok {
				return false
			}
		}
		if b != '[' || c.rows == c.n || !f.structural() {
			return false
		}
		k, scalar := 0, 0
		keep := len(c.d)
		for {
			b, ok := f.space()
			if !ok {
				c.d = c.d[:keep]
				return false
			}
			if b == ']' && k > 0 {
				break
			}
			if k > 0 {
				if b != ',' || !f.structural() {
					c.d = c.d[:keep]
					return false
				}
				if _, ok = f.space(); !ok {
					c.d = c.d[:keep]
					return false
				}
			}
			v, l, ok := f.number()
			if !ok || k == c.n || k == c.limit() {
				c.d = c.d[:keep]
				return false
			}
			c.d = append(c.d, v)
			scalar += l
			k++
			if f.i-f.unit > costMaxRowBytes {
				c.d = c.d[:keep] // the rest of a long row the slow way, which keeps no bytes
				return false
			}
		}
		if (c.n >= 0 && k != c.n) || !f.structural() {
			c.d = c.d[:keep]
			return false
		}
		c.n = k
		c.rows++
		f.scalar += int64(scalar)
		f.unit = f.i
	}
}

// jsonString reads a JSON string at its '"' as encoding/json reads it
// (escapes decoded by encoding/json itself): the string, its length in the
// input with its quotes, whether its bytes are valid UTF-8 (encoding/json
// would have replaced the bad ones), and false for what is not a string
// (a control character, a bad escape, the end of the input).
func (f *fastReader) jsonString() (string, int, bool, bool) {
	start := f.i
	f.i++ // '"'
	ascii, esc := true, false
	for {
		for f.i < f.n {
			c := f.buf[f.i]
			switch {
			case c == '"':
				f.i++
				raw := f.buf[start:f.i]
				valid := ascii || utf8.Valid(raw)
				if !esc {
					return string(raw[1 : len(raw)-1]), len(raw), valid, true
				}
				var s string
				if json.Unmarshal(raw, &s) != nil {
					return "", 0, false, false
				}
				return s, len(raw), valid, true
			case c == '\\':
				if f.i+1 >= f.n {
					goto more // the escaped byte is not read yet
				}
				esc = true
				if f.buf[f.i+1] >= 0x80 {
					ascii = false
				}
				f.i += 2
				continue
			case c < 0x20:
				return "", 0, false, false
			case c >= 0x80:
				ascii = false
			}
			f.i++
		}
	more:
		shift, ok := f.more()
		start -= shift
		if !ok {
			return "", 0, false, false
		}
	}
}
