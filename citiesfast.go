package tsp

import (
	"bytes"
	"encoding/json"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The fast JSON city reader (issue 21). encoding/json's token reader, which
// decodeCities uses, allocates for every token and takes about 13 s for a
// million cities; this reader takes the common shape of a city list,
//
//	[{"name": "paris", "lat": 48.86, "lon": 2.35}, ...]
//
// keys in any order, name optional, at about 100 ns a city. It accepts only
// what decodeCities accepts, and gives the same cities: keys spelled
// exactly and without escapes, a name without escapes in valid UTF-8 (what
// encoding/json returns as it is), numbers of JSON's grammar parsed by
// strconv.ParseFloat as encoding/json parses them, coordinates valid, at
// most MaxCities. Anything else, an error or a rarer form such as an escape
// in a name, and the reading goes on with decodeCities from the start of
// the city where it stopped: the cities read so far are kept, and the
// bytes from that city on are given to encoding/json behind a made-up
// prefix ("[", white space and a city) that puts its decoder in the state
// it would have had there, so that every error has the message, the city
// index and the byte offset of decodeCities reading the whole input
// (FuzzReadCitiesFast compares them).
//
// Offsets: encoding/json gives most errors at its InputOffset, but a syntax
// error inside a string, number or literal at the count of the bytes of the
// strings, numbers and literals it has read (white space and the
// characters [ ] { } , : are not counted). The prefix so has as many bytes
// that are not counted as the input before the point of the restart: its
// white space makes up the difference.

// The prefix: fastOpen, white space, fastCity (whose 12 bytes of strings
// and numbers count, its 5 other bytes not); fastCity takes the place of
// the last city read fast, which is put back afterwards.
const (
	fastOpen       = "["
	fastCity       = `{"lat":0,"lon":0}`
	fastCityScalar = 12
)

// fastCities reads the JSON array of cities at the start of r (its '['
// at input offset base) as decodeCities(…, base, atSuffix, allowEmpty)
// would, and then, when trailing is set, checks that nothing but white
// space follows, as ReadCities does.
func fastCities(r io.Reader, base int64, atSuffix string, allowEmpty, trailing, guarded bool) ([]City, error) {
	f := &fastReader{r: r, buf: make([]byte, 64<<10), off: base, limitRuns: guarded, runStart: base}
	cs, ok := f.cities(trailing)
	if ok {
		return cs, nil
	}
	// The slow way, from the start of the unit where the fast one stopped:
	// the '[' for the first city, else the byte after the last city read.
	var rest io.Reader = io.MultiReader(bytes.NewReader(f.buf[f.unit:f.n]), errReader{f.r, f.err})
	unitOff := f.off + int64(f.unit)
	if guarded {
		// The guard of ReadCities, from the restart: a unit starts right
		// after a structural character (or at the '['), where its run is 0.
		rest = &guard{r: rest, json: true, off: unitOff}
	}
	var dec *json.Decoder
	var prev City
	prefixed := len(cs) > 0
	if !prefixed {
		// The white space before the '[' is given back as spaces: a syntax
		// error's offset counts from where the decoder began (" [A" has
		// 'A' at byte 1, as decodeCities reading the whole input says).
		pad := unitOff - base
		dec = json.NewDecoder(io.MultiReader(io.LimitReader(spaces{}, pad), rest))
		unitOff = base
	} else {
		// The prefix's city is read into cs[len-1]; it is put back below.
		prev = cs[len(cs)-1]
		cs = cs[:len(cs)-1]
		uncounted := unitOff - base - f.scalar // in the input before the restart
		pad := uncounted - int64(len(fastOpen)+len(fastCity)-fastCityScalar)
		dec = json.NewDecoder(io.MultiReader(strings.NewReader(fastOpen), io.LimitReader(spaces{}, pad), strings.NewReader(fastCity), rest))
		unitOff -= int64(len(fastOpen)+len(fastCity)) + pad
	}
	out, err := decodeCitiesFrom(dec, unitOff, atSuffix, allowEmpty, cs)
	if err != nil {
		return nil, err
	}
	if prefixed {
		out[len(cs)] = prev
	}
	if trailing {
		if err := afterList(dec, unitOff); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// spaces reads as endless spaces.
type spaces struct{}

func (spaces) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = ' '
	}
	return len(p), nil
}

// errReader reads r, or returns err if it is set (the error that stopped
// the fast reader, which must come again where it came).
type errReader struct {
	r   io.Reader
	err error
}

func (e errReader) Read(p []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	return e.r.Read(p)
}

// fastReader is the state of the fast reader: buf[i:n] is what is read and
// not yet parsed, buf[0] is at input offset off, and buf[unit:] is kept
// for the slow reader: the bytes from the start of the current city.
type fastReader struct {
	r      io.Reader
	buf    []byte
	i, n   int
	unit   int
	off    int64
	err    error // the error that ended the input (io.EOF at its end)
	scalar int64 // bytes of the strings and numbers of the cities read
	// limitRuns: refuse (read the slow way) a run of bytes between the
	// characters [ ] { } , : outside strings over maxJSONRun, where
	// ReadCities' guard would stop; runStart is where the run began.
	limitRuns bool
	runStart  int64
}

// more reads more input after buf[:n], dropping what is before unit. It
// returns how far the bytes moved to the left, and false at the end of the
// input or on an error (f.err).
func (f *fastReader) more() (int, bool) {
	if f.err != nil || f.longRun(f.off+int64(f.n)) {
		// A run over the guard's limit: stop reading here, so that an
		// endless run takes no memory; the guard of the slow way stops it.
		return 0, false
	}
	shift := f.unit
	if shift > 0 {
		copy(f.buf, f.buf[shift:f.n])
		f.n -= shift
		f.i -= shift
		f.unit = 0
		f.off += int64(shift)
	}
	if f.n == len(f.buf) {
		f.buf = append(f.buf, make([]byte, len(f.buf))...)
	}
	for {
		k, err := f.r.Read(f.buf[f.n:])
		f.n += k
		if err != nil {
			f.err = err
		}
		if k > 0 {
			return shift, true
		}
		if err != nil {
			return shift, false
		}
	}
}

// structural consumes the character [ ] { } , or : at f.i; false if the
// run of bytes before it, since the last such character, is longer than
// ReadCities' guard allows (maxJSONRun), when f.limitRuns.
func (f *fastReader) structural() bool {
	pos := f.off + int64(f.i)
	if f.longRun(pos) {
		return false
	}
	f.i++
	f.runStart = pos + 1
	return true
}

// longRun: the bytes from the end of the last structural character to
// input offset pos are over maxJSONRun, when f.limitRuns.
func (f *fastReader) longRun(pos int64) bool {
	return f.limitRuns && pos-f.runStart > maxJSONRun
}

// space skips JSON white space and returns the next byte, false at the end
// of the input.
func (f *fastReader) space() (byte, bool) {
	for {
		for f.i < f.n {
			switch c := f.buf[f.i]; c {
			case ' ', '\t', '\n', '\r':
				f.i++
			default:
				return c, true
			}
		}
		if _, ok := f.more(); !ok {
			return 0, false
		}
	}
}

// cities reads the list. ok false: read the rest the slow way, from unit;
// cs holds the cities read before it.
func (f *fastReader) cities(trailing bool) (cs []City, ok bool) {
	if c, ok := f.space(); !ok || c != '[' {
		return nil, false
	}
	f.unit = f.i // the first unit starts at the '['
	if !f.structural() {
		return nil, false
	}
	c, ok := f.space()
	if !ok || c != '{' {
		return nil, false // an empty list, or an error: the slow way says which
	}
	for {
		if len(cs) == MaxCities {
			return cs, false
		}
		city, ok := f.city()
		if !ok {
			return cs, false
		}
		cs = append(cs, city)
		f.unit = f.i // after the '}'
		c, ok := f.space()
		if !ok || !f.structural() {
			return cs, false
		}
		if c == ']' {
			break
		}
		if c != ',' {
			return cs, false
		}
		if c, ok := f.space(); !ok || c != '{' {
			return cs, false
		}
	}
	if trailing {
		if _, ok := f.space(); ok || f.err != io.EOF || f.longRun(f.off+int64(f.n)) {
			return cs, false // more data, a read error or a long run: the slow way says which
		}
	}
	return cs, true
}

// city reads one city, at its '{', through its '}'.
func (f *fastReader) city() (City, bool) {
	var c City
	var haveName, haveLat, haveLon bool
	scalar := 0
	if !f.structural() { // '{'
		return c, false
	}
	for first := true; ; first = false {
		b, ok := f.space()
		if !ok {
			return c, false
		}
		if b == '}' && !first {
			if !f.structural() {
				return c, false
			}
			break
		}
		if !first {
			if b != ',' || !f.structural() {
				return c, false
			}
			if b, ok = f.space(); !ok {
				return c, false
			}
		}
		if b != '"' {
			return c, false
		}
		k, ok := f.str()
		if !ok {
			return c, false
		}
		scalar += len(k) + 2
		key := string(k) // no allocation for these: the bytes move on the next read
		if key != "name" && key != "lat" && key != "lon" {
			return c, false
		}
		if b, ok = f.space(); !ok || b != ':' || !f.structural() {
			return c, false
		}
		if b, ok = f.space(); !ok {
			return c, false
		}
		switch {
		case key == "name" && !haveName && b == '"':
			haveName = true
			s, ok := f.str()
			if !ok || len(s) > MaxNameBytes {
				return c, false
			}
			c.Name = string(s)
			scalar += len(s) + 2
		case key == "lat" && !haveLat:
			haveLat = true
			var k int
			if c.Lat, k, ok = f.number(); !ok {
				return c, false
			}
			scalar += k
		case key == "lon" && !haveLon:
			haveLon = true
			var k int
			if c.Lon, k, ok = f.number(); !ok {
				return c, false
			}
			scalar += k
		default:
			return c, false
		}
	}
	if !haveLat || !haveLon {
		return c, false
	}
	if _, kind := checkCoords(c); kind != nil {
		return c, false
	}
	f.scalar += int64(scalar)
	return c, true
}

// str reads a string at its '"': its bytes when it has no escape, no
// control character and is valid UTF-8 (encoding/json returns those as
// they are), else false. The bytes are valid until the next read.
func (f *fastReader) str() ([]byte, bool) {
	f.i++ // '"'
	start, ascii := f.i, true
	for {
		for f.i < f.n {
			c := f.buf[f.i]
			switch {
			case c == '"':
				s := f.buf[start:f.i]
				f.i++
				if !ascii && !utf8.Valid(s) {
					return nil, false
				}
				return s, true
			case c == '\\' || c < 0x20:
				return nil, false
			case c >= 0x80:
				ascii = false
			}
			f.i++
		}
		shift, ok := f.more()
		start -= shift
		if !ok {
			return nil, false
		}
	}
}

// number reads a JSON number, which must end at white space, ',', '}' or ']',
// and parses it as encoding/json does (strconv.ParseFloat); its length in
// bytes; false for anything else or a number out of float64's range.
func (f *fastReader) number() (float64, int, bool) {
	start := f.i
	// The grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?, as a
	// small state machine over the bytes.
	const (
		sBegin = iota // before the optional minus
		sInt0         // after the minus: a digit must follow
		sZero         // after a leading 0
		sInt          // in the integer digits
		sDot          // after '.': a digit must follow
		sFrac         // in the fraction
		sE            // after 'e': a sign or a digit
		sESign        // after the exponent's sign: a digit
		sExp          // in the exponent
	)
	st := sBegin
	for {
		for f.i < f.n {
			c := f.buf[f.i]
			digit := '0' <= c && c <= '9'
			switch st {
			case sBegin, sInt0:
				switch {
				case c == '-' && st == sBegin:
					st = sInt0
				case c == '0':
					st = sZero
				case digit:
					st = sInt
				default:
					return 0, 0, false
				}
			case sZero, sInt, sFrac, sExp:
				switch {
				case digit && st != sZero:
				case c == '.' && (st == sZero || st == sInt):
					st = sDot
				case (c == 'e' || c == 'E') && st != sExp:
					st = sE
				case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ',' || c == '}' || c == ']':
					v, err := strconv.ParseFloat(string(f.buf[start:f.i]), 64)
					return v, f.i - start, err == nil
				default:
					return 0, 0, false
				}
			case sDot:
				if !digit {
					return 0, 0, false
				}
				st = sFrac
			case sE:
				switch {
				case c == '+' || c == '-':
					st = sESign
				case digit:
					st = sExp
				default:
					return 0, 0, false
				}
			case sESign:
				if !digit {
					return 0, 0, false
				}
				st = sExp
			}
			f.i++
		}
		shift, ok := f.more()
		start -= shift
		if !ok {
			return 0, 0, false
		}
	}
}
