// Package tsplib reads travelling-salesman instances in the format of
// TSPLIB (G. Reinelt, Universität Heidelberg) into a tsp.Matrix: symmetric
// ones (TYPE: TSP) and asymmetric ones (TYPE: ATSP, EDGE_WEIGHT_TYPE
// EXPLICIT with EDGE_WEIGHT_FORMAT FULL_MATRIX; the diagonal holds a
// placeholder such as 9999 or 100000000, which is read as 0).
//
// Distances follow the document "TSPLIB 95" exactly: every distance is an
// integer, stored as float64. Supported are the edge weight types EUC_2D
// (rounded Euclidean), CEIL_2D (Euclidean rounded up), ATT (pseudo-Euclidean),
// GEO (geographical, coordinates as DDD.MM) and EXPLICIT with the formats
// FULL_MATRIX, UPPER_ROW, LOWER_ROW, UPPER_DIAG_ROW and LOWER_DIAG_ROW (and
// their column-wise twins, which for a symmetric matrix list the same values
// in the same order).
//
// Every error for bad input names the line it was found on and wraps
// ErrFormat (malformed input) or ErrUnsupported (a valid TSPLIB feature this
// package does not read); where one applies it wraps a sentinel error of
// package tsp too (tsp.ErrAsymmetric, tsp.ErrTooLarge, ...).
package tsplib

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/ffi4go/tsp"
	"github.com/ffi4go/tsp/internal/abi"
	"github.com/ffi4go/tsp/internal/kmath"
)

// Sentinel errors: every error Read returns for bad input wraps one of them.
var (
	// ErrFormat: the input is not a well-formed TSPLIB TSP instance.
	ErrFormat = errors.New("tsplib: invalid TSPLIB input")
	// ErrUnsupported: the input uses a problem type, edge weight type,
	// format or section this package does not read.
	ErrUnsupported = errors.New("tsplib: unsupported TSPLIB feature")
)

// Point is one node's coordinates as written in the file.
type Point struct{ X, Y float64 }

// Instance is one TSPLIB instance.
type Instance struct {
	Name    string
	Comment string // the COMMENT lines, joined by "\n"
	Type    string // EDGE_WEIGHT_TYPE as written, e.g. "GEO"
	Problem string // TYPE, upper case: "TSP" or "ATSP" (asymmetric)
	N       int    // DIMENSION
	// Matrix holds the integer distances of TSPLIB 95, as float64.
	Matrix *tsp.Matrix
	// Coords are the NODE_COORD_SECTION in file order; for EXPLICIT
	// instances without one, the DISPLAY_DATA_SECTION, or nil without either.
	Coords []Point
}

// Limits of Read. An input over them is an error wrapping ErrFormat and
// tsp.ErrTooLarge, found while reading: a stream that never ends (a FIFO of
// endless comments, say) is stopped after a bounded amount of it.
const (
	// MaxBytes is the most Read reads of one input: 1 GiB, more than the
	// largest instance it takes (10,000 nodes as a full matrix) needs.
	// Until DIMENSION is known Read reads at most 4 MiB; once it is, at
	// most what DIMENSION can need (4 MiB, 256 bytes a node and 32 bytes a
	// matrix entry beyond what was read), and never more than MaxBytes.
	MaxBytes = 1 << 30
	// MaxComment is the most bytes of COMMENT text an instance may have,
	// all COMMENT lines together; more is an error, not truncated.
	MaxComment = 64 << 10
)

// Limits on what Read reads before and after DIMENSION (see MaxBytes).
const (
	headerBytes  = 4 << 20
	bytesPerNode = 256
	bytesPerCell = 32
)

// limitReader reads at most max bytes from r, then fails with errTooLong.
type limitReader struct {
	r        io.Reader
	n, max   int64
	exceeded bool
}

var errTooLong = errors.New("tsplib: input too long")

func (l *limitReader) Read(b []byte) (int, error) {
	if l.n >= l.max {
		l.exceeded = true
		return 0, errTooLong
	}
	if int64(len(b)) > l.max-l.n {
		b = b[:l.max-l.n]
	}
	k, err := l.r.Read(b)
	l.n += int64(k)
	return k, err
}

const (
	// maxDimension is the largest DIMENSION read: the most tsp.NewMatrix takes.
	maxDimension = tsp.MaxHeuristic
	maxLine      = 1 << 20 // bytes in one header or coordinate line
	maxToken     = 128     // bytes in one edge weight
)

// ReadFile reads the TSPLIB instance in the file at path.
func ReadFile(path string) (*Instance, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("tsplib: %w", err)
	}
	defer f.Close()
	return read(f, path)
}

// Read reads one TSPLIB instance from r. Reading stops at the EOF line, or
// at the end of r if there is none.
func Read(r io.Reader) (*Instance, error) {
	return read(r, "")
}

// Cities returns the nodes of a GEO instance as cities named "1".."n", with
// the DDD.MM coordinates (X latitude, Y longitude) converted to decimal
// degrees the way TSPLIB converts them: degrees truncated toward zero, the
// rest minutes. Other edge weight types get an error wrapping ErrUnsupported.
func (in *Instance) Cities() ([]tsp.City, error) {
	if !strings.EqualFold(in.Type, "GEO") {
		return nil, fmt.Errorf("%w: Cities needs EDGE_WEIGHT_TYPE GEO, not %.40q", ErrUnsupported, in.Type)
	}
	cities := make([]tsp.City, len(in.Coords))
	for i, p := range in.Coords {
		c := tsp.City{Name: strconv.Itoa(i + 1), Lat: geoDegrees(p.X), Lon: geoDegrees(p.Y)}
		if err := c.Validate(); err != nil {
			return nil, fmt.Errorf("tsplib: node %d: %w", i+1, err)
		}
		cities[i] = c
	}
	return cities, nil
}

// parseError is the error of a bad input: the line, the kinds it wraps
// (ErrFormat or ErrUnsupported, maybe a tsp sentinel too) and a message.
type parseError struct {
	file  string
	line  int
	kinds []error
	msg   string
}

func (e *parseError) Error() string {
	if e.file != "" {
		return fmt.Sprintf("tsplib: %s: line %d: %s", e.file, e.line, e.msg)
	}
	return fmt.Sprintf("tsplib: line %d: %s", e.line, e.msg)
}

func (e *parseError) Unwrap() []error { return e.kinds }

// parser is the state of one Read.
type parser struct {
	br      *bufio.Reader
	file    string
	line    int  // the line the next byte belongs to
	atStart bool // no byte of line `line` consumed yet
	eof     bool
	tok     []byte
	limit   *limitReader

	in          Instance
	seen        map[string]int // keyword -> line it was given on
	weightType  string         // EDGE_WEIGHT_TYPE, upper case
	format      string         // EDGE_WEIGHT_FORMAT, upper case
	coords      []Point        // NODE_COORD_SECTION
	coordLines  []int          // the line of each coordinate
	display     []Point        // DISPLAY_DATA_SECTION
	weights     []float64      // EDGE_WEIGHT_SECTION, n×n
	weightsLine int
	points      bool // ReadPoints: coordinates only, up to tsp.MaxPoints nodes, no matrix (points.go)
}

func read(r io.Reader, file string) (*Instance, error) {
	return readMode(r, file, false)
}

func readMode(r io.Reader, file string, points bool) (*Instance, error) {
	lr := &limitReader{r: r, max: headerBytes}
	p := &parser{br: bufio.NewReaderSize(lr, 1<<16), file: file, line: 1, atStart: true, seen: map[string]int{}, limit: lr, points: points}
	// A byte order mark: UTF-8's is skipped, UTF-16 is refused in words
	// rather than as an unknown keyword of NUL bytes.
	if head, _ := p.br.Peek(3); len(head) >= 2 {
		switch {
		case len(head) == 3 && string(head) == "\ufeff":
			_, _ = p.br.Discard(3)
		case head[0] == 0xff && head[1] == 0xfe, head[0] == 0xfe && head[1] == 0xff:
			return nil, p.errf(1, ErrUnsupported, nil, "UTF-16 is not supported: save the file as UTF-8 or ASCII")
		}
	}
	if err := p.parse(); err != nil {
		return nil, err
	}
	in := p.in
	return &in, nil
}

// errf builds an error on line for kind (ErrFormat or ErrUnsupported) plus
// any further errors to wrap in extra.
// The message is cut to maxMsg bytes: values are quoted with %.40q, and
// this is the net under any that is not.
func (p *parser) errf(line int, kind error, extra []error, format string, args ...any) error {
	msg := fmt.Sprintf(format, args...)
	if len(msg) > maxMsg {
		cut := maxMsg
		for cut > 0 && !utf8.RuneStart(msg[cut]) {
			cut--
		}
		msg = msg[:cut] + "…"
	}
	return &parseError{file: p.file, line: line, kinds: append([]error{kind}, extra...), msg: msg}
}

// maxMsg is the most bytes of an error message after "tsplib: line N: ".
const maxMsg = 240

// lastLine is the number of the last line of the input read so far.
func (p *parser) lastLine() int {
	if p.atStart && p.line > 1 {
		return p.line - 1
	}
	return p.line
}

// readLine returns the next line without its line break and its number;
// ok is false at the end of the input.
func (p *parser) readLine() (s string, line int, ok bool, err error) {
	if p.eof {
		return "", 0, false, nil
	}
	line = p.line
	var buf []byte
	for {
		frag, e := p.br.ReadSlice('\n')
		if len(buf)+len(frag) > maxLine {
			return "", 0, false, p.errf(line, ErrFormat, nil, "line longer than %d bytes", maxLine)
		}
		buf = append(buf, frag...)
		if e == nil {
			break
		}
		if e == bufio.ErrBufferFull {
			continue
		}
		if e == io.EOF {
			p.eof = true
			if len(buf) == 0 {
				return "", 0, false, nil
			}
			break
		}
		return "", 0, false, p.readErr(line, e)
	}
	if n := len(buf); n > 0 && buf[n-1] == '\n' {
		buf = buf[:n-1]
		p.line++
		p.atStart = true
	} else {
		p.atStart = false
	}
	return strings.TrimRight(string(buf), "\r"), line, true, nil
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'
}

// token returns the next whitespace-separated token, across lines, and its
// line; io.EOF at the end of the input. The token is valid until the next
// call, and costs no allocation: it is a slice of the reader's buffer when
// it ends inside it, and of p.tok otherwise.
func (p *parser) token() ([]byte, int, error) {
	if p.eof {
		return nil, 0, io.EOF
	}
	// White space, a buffer at a time.
	var buf []byte
	for {
		var err error
		buf, err = p.buffered()
		if err != nil {
			return nil, 0, p.byteErr(err)
		}
		i := 0
		for ; i < len(buf); i++ {
			c := buf[i]
			if c == '\n' {
				p.line++
				p.atStart = true
			} else if isSpace(c) {
				p.atStart = false
			} else {
				break
			}
		}
		_, _ = p.br.Discard(i)
		if i < len(buf) {
			buf = buf[i:]
			break
		}
	}
	p.atStart = false
	line := p.line
	// The token itself: in the buffer if white space ends it there.
	for i := 0; i < len(buf) && i <= maxToken; i++ {
		if c := buf[i]; isSpace(c) || c == '\n' {
			_, _ = p.br.Discard(i)
			return buf[:i], line, nil
		}
	}
	// Otherwise byte by byte into p.tok: across a refill of the buffer,
	// at the end of the input, or too long.
	c, _ := p.br.ReadByte() // the first byte of the token, buffered
	p.tok = append(p.tok[:0], c)
	for {
		c, err := p.br.ReadByte()
		if err == io.EOF {
			p.eof = true
			return p.tok, line, nil
		}
		if err != nil {
			return nil, 0, p.byteErr(err)
		}
		if isSpace(c) || c == '\n' {
			_ = p.br.UnreadByte()
			return p.tok, line, nil
		}
		if len(p.tok) >= maxToken {
			return nil, 0, p.errf(line, ErrFormat, nil, "value longer than %d bytes", maxToken)
		}
		p.tok = append(p.tok, c)
	}
}

// buffered returns the bytes buffered in p.br, reading more if there are
// none; it is empty only with an error.
func (p *parser) buffered() ([]byte, error) {
	if p.br.Buffered() == 0 {
		if _, err := p.br.Peek(1); err != nil {
			return nil, err
		}
	}
	b, _ := p.br.Peek(p.br.Buffered())
	return b, nil
}

func (p *parser) byteErr(err error) error {
	if err == io.EOF {
		p.eof = true
		return io.EOF
	}
	return p.readErr(p.line, err)
}

// readErr is the error of the reader on line: the reader's own, or the
// limit of what Read reads.
func (p *parser) readErr(line int, err error) error {
	if err == errTooLong && p.limit.exceeded {
		what := "before DIMENSION"
		if p.in.N > 0 {
			what = fmt.Sprintf("for DIMENSION %d", p.in.N)
		}
		return p.errf(line, ErrFormat, []error{tsp.ErrTooLarge}, "input larger than %d bytes, the most read %s", p.limit.max, what)
	}
	return &parseError{file: p.file, line: line, kinds: []error{err}, msg: fmt.Sprintf("%.200s", err.Error())}
}

// restOfLine consumes the rest of the current line, which must be blank.
func (p *parser) restOfLine(what string) error {
	for !p.eof {
		c, err := p.br.ReadByte()
		if err != nil {
			return ignoreEOF(p.byteErr(err))
		}
		if c == '\n' {
			p.line++
			p.atStart = true
			return nil
		}
		p.atStart = false
		if !isSpace(c) {
			return p.errf(p.line, ErrFormat, nil, "unexpected %.40q after the last value of %s", c, what)
		}
	}
	return nil
}

func ignoreEOF(err error) error {
	if err == io.EOF {
		return nil
	}
	return err
}

// splitKeyword splits a specification line into its keyword and value:
// "KEY: value", "KEY : value", "KEY:value" and "KEY value" all give KEY and
// value.
func splitKeyword(s string) (key, value string) {
	s = strings.TrimSpace(s)
	i := strings.IndexFunc(s, func(r rune) bool { return r == ':' || r == ' ' || r == '\t' })
	if i < 0 {
		return s, ""
	}
	key, value = s[:i], strings.TrimSpace(s[i:])
	value = strings.TrimSpace(strings.TrimPrefix(value, ":"))
	return key, value
}

var supportedTypes = map[string]bool{"EXPLICIT": true, "EUC_2D": true, "CEIL_2D": true, "ATT": true, "GEO": true}

// weightFormats maps each supported EDGE_WEIGHT_FORMAT to the row-wise one
// listing the same values in the same order for a symmetric matrix.
var weightFormats = map[string]string{
	"FULL_MATRIX":    "FULL_MATRIX",
	"UPPER_ROW":      "UPPER_ROW",
	"LOWER_ROW":      "LOWER_ROW",
	"UPPER_DIAG_ROW": "UPPER_DIAG_ROW",
	"LOWER_DIAG_ROW": "LOWER_DIAG_ROW",
	"UPPER_COL":      "LOWER_ROW",
	"LOWER_COL":      "UPPER_ROW",
	"UPPER_DIAG_COL": "LOWER_DIAG_ROW",
	"LOWER_DIAG_COL": "UPPER_DIAG_ROW",
}

func (p *parser) parse() error {
	var comments []string
	commentBytes := 0 // of the comments joined by "\n", plus one
	after := ""       // the section just read, for a better message on excess data
	for {
		s, line, ok, err := p.readLine()
		if err != nil {
			return err
		}
		if !ok {
			break
		}
		if strings.TrimSpace(s) == "" {
			continue
		}
		key, value := splitKeyword(s)
		ukey := strings.ToUpper(key)
		if prev, dup := p.seen[ukey]; dup && ukey != "COMMENT" {
			return p.errf(line, ErrFormat, nil, "%s given again (first on line %d)", key, prev)
		}
		p.seen[ukey] = line
		isSection := strings.HasSuffix(ukey, "_SECTION")
		if isSection && value != "" {
			return p.errf(line, ErrFormat, nil, "unexpected %.40q after %s", value, key)
		}
		switch ukey {
		case "EOF":
			if value != "" {
				return p.errf(line, ErrFormat, nil, "unexpected %.40q after EOF", value)
			}
			return p.finish(comments)
		case "NAME":
			p.in.Name = value
		case "COMMENT":
			commentBytes += len(value) + 1
			if commentBytes > MaxComment+1 {
				return p.errf(line, ErrFormat, []error{tsp.ErrTooLarge}, "COMMENT lines longer than %d bytes in total", MaxComment)
			}
			comments = append(comments, value)
		case "TYPE":
			t := strings.ToUpper(value)
			if t == "" {
				return p.errf(line, ErrFormat, nil, "TYPE without a value")
			}
			if t != "TSP" && t != "ATSP" {
				return p.errf(line, ErrUnsupported, nil, "TYPE %.40q: only TSP and ATSP instances are supported", value)
			}
			p.in.Problem = t
		case "DIMENSION":
			n, err := strconv.Atoi(value)
			switch {
			case err != nil && errors.Is(err, strconv.ErrRange) && !strings.HasPrefix(value, "-"):
				return p.errf(line, ErrUnsupported, []error{tsp.ErrTooLarge}, "DIMENSION %.40q: at most %d nodes are supported", value, p.maxDim())
			case err != nil:
				return p.errf(line, ErrFormat, nil, "DIMENSION %.40q is not an integer", value)
			case n < 1:
				return p.errf(line, ErrFormat, nil, "DIMENSION %d: must be at least 1", n)
			case n > p.maxDim():
				return p.errf(line, ErrUnsupported, []error{tsp.ErrTooLarge}, "DIMENSION %d: at most %d nodes are supported", n, p.maxDim())
			}
			p.in.N = n
			nn := int64(n)
			if p.points { // no matrix to read
				p.limit.max = min(MaxBytes, p.limit.n+headerBytes+bytesPerNode*nn)
			} else {
				p.limit.max = min(MaxBytes, p.limit.n+headerBytes+bytesPerNode*nn+bytesPerCell*nn*nn)
			}
		case "CAPACITY":
			// a vehicle routing field; meaningless for TSP, harmless
		case "EDGE_WEIGHT_TYPE":
			t := strings.ToUpper(value)
			if t == "" {
				return p.errf(line, ErrFormat, nil, "EDGE_WEIGHT_TYPE without a value")
			}
			if !supportedTypes[t] {
				return p.errf(line, ErrUnsupported, nil, "EDGE_WEIGHT_TYPE %.40q is not supported (only EUC_2D, CEIL_2D, ATT, GEO and EXPLICIT)", value)
			}
			if p.points && t == "EXPLICIT" {
				return p.errf(line, ErrUnsupported, nil, "EDGE_WEIGHT_TYPE EXPLICIT: ReadPoints takes coordinates (EUC_2D, CEIL_2D, ATT, GEO); read a matrix with Read")
			}
			p.in.Type, p.weightType = value, t
		case "EDGE_WEIGHT_FORMAT":
			f := strings.ToUpper(value)
			if f == "" {
				return p.errf(line, ErrFormat, nil, "EDGE_WEIGHT_FORMAT without a value")
			}
			if f != "FUNCTION" && weightFormats[f] == "" {
				return p.errf(line, ErrUnsupported, nil, "EDGE_WEIGHT_FORMAT %.40q is not supported", value)
			}
			p.format = f
		case "NODE_COORD_TYPE":
			switch strings.ToUpper(value) {
			case "TWOD_COORDS", "NO_COORDS":
			case "THREED_COORDS":
				return p.errf(line, ErrUnsupported, nil, "NODE_COORD_TYPE %.40q is not supported", value)
			default:
				return p.errf(line, ErrFormat, nil, "unknown NODE_COORD_TYPE %.40q", value)
			}
		case "DISPLAY_DATA_TYPE":
			switch strings.ToUpper(value) {
			case "COORD_DISPLAY", "TWOD_DISPLAY", "NO_DISPLAY":
			default:
				return p.errf(line, ErrFormat, nil, "unknown DISPLAY_DATA_TYPE %.40q", value)
			}
		case "NODE_COORD_SECTION":
			if err := p.needDimension(line, key); err != nil {
				return err
			}
			p.coords, p.coordLines, err = p.readCoords(key)
			if err != nil {
				return err
			}
		case "DISPLAY_DATA_SECTION":
			if err := p.needDimension(line, key); err != nil {
				return err
			}
			p.display, _, err = p.readCoords(key)
			if err != nil {
				return err
			}
		case "EDGE_WEIGHT_SECTION":
			if err := p.readWeights(line); err != nil {
				return err
			}
		case "EDGE_DATA_FORMAT", "EDGE_DATA_SECTION", "FIXED_EDGES_SECTION", "DEPOT_SECTION", "DEMAND_SECTION", "TOUR_SECTION":
			return p.errf(line, ErrUnsupported, nil, "%s is not supported", key)
		default:
			if looksNumeric(key) {
				msg := "unexpected data %.40q outside a section"
				if after != "" {
					msg += fmt.Sprintf(" (more values in %s than DIMENSION %d gives?)", after, p.in.N)
				}
				return p.errf(line, ErrFormat, nil, msg, strings.TrimSpace(s))
			}
			return p.errf(line, ErrFormat, nil, "unknown keyword %.40q", key)
		}
		after = ""
		if isSection {
			after = key
		}
	}
	return p.finish(comments)
}

func (p *parser) needDimension(line int, key string) error {
	if p.in.N == 0 {
		return p.errf(line, ErrFormat, nil, "%s before DIMENSION", key)
	}
	return nil
}

// readCoords reads the N lines "id x y" of a coordinate section, ids 1..N in
// order, blank lines skipped.
func (p *parser) readCoords(section string) ([]Point, []int, error) {
	n := p.in.N
	pts := make([]Point, 0, min(n, 1024))
	lines := make([]int, 0, min(n, 1024))
	for len(pts) < n {
		s, line, ok, err := p.readLine()
		if err != nil {
			return nil, nil, err
		}
		if !ok {
			return nil, nil, p.errf(p.lastLine(), ErrFormat, nil, "end of input after %d of the %d nodes of %s", len(pts), n, section)
		}
		f := strings.Fields(s)
		if len(f) == 0 {
			continue
		}
		id, err := strconv.Atoi(f[0])
		if err != nil {
			return nil, nil, p.errf(line, ErrFormat, nil, "%s ended after %d of %d nodes: %.40q is not a node number", section, len(pts), n, f[0])
		}
		if id != len(pts)+1 {
			return nil, nil, p.errf(line, ErrFormat, nil, "%s: node %d where node %d was expected (nodes must be numbered 1..%d in order)", section, id, len(pts)+1, n)
		}
		if len(f) != 3 {
			return nil, nil, p.errf(line, ErrFormat, nil, "%s: node %d has %d values, want 3 (number, x, y)", section, id, len(f))
		}
		var xy [2]float64
		for k := range xy {
			v, err := parseNumber(f[1+k])
			if err != nil {
				return nil, nil, p.errf(line, ErrFormat, nil, "%s: node %d: coordinate %.40q: %v", section, id, f[1+k], err)
			}
			xy[k] = v
		}
		pts = append(pts, Point{X: xy[0], Y: xy[1]})
		lines = append(lines, line)
	}
	return pts, lines, nil
}

// looksNumeric reports whether s starts like a number.
func looksNumeric(s string) bool {
	return s != "" && (s[0] >= '0' && s[0] <= '9' || s[0] == '-' || s[0] == '+' || s[0] == '.')
}

// parseNumber parses a finite decimal number: an optional sign, digits with
// at most one decimal point, and an optional exponent. Go's other syntaxes
// (hexadecimal, underscores, Inf, NaN) are refused.
func parseNumber(s string) (float64, error) {
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	digits, dot := 0, false
	for ; i < len(s); i++ {
		c := s[i]
		if c >= '0' && c <= '9' {
			digits++
		} else if c == '.' && !dot {
			dot = true
		} else {
			break
		}
	}
	if digits == 0 {
		return 0, errors.New("not a number")
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		exp := 0
		for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
			exp++
		}
		if exp == 0 {
			return 0, errors.New("not a number")
		}
	}
	if i != len(s) {
		return 0, errors.New("not a number")
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
		return 0, errors.New("out of range")
	}
	return v, nil
}

// stageValues is how many values of an EDGE_WEIGHT_SECTION readWeights
// holds before it allocates the n×n matrix: a large DIMENSION with few
// values costs little, and a real one pays 512 KiB beyond its matrix.
const stageValues = 1 << 16

// readWeights reads the EDGE_WEIGHT_SECTION that starts after line, as many
// values as DIMENSION and EDGE_WEIGHT_FORMAT give, wrapped across lines any
// way, into p.weights (n×n, both triangles set). The first stageValues
// values go into a small slice, so that a large DIMENSION with few values
// costs little; from then on every value is parsed straight into the n×n
// slice the Matrix will own, with no allocation per value.
func (p *parser) readWeights(line int) error {
	const sec = "EDGE_WEIGHT_SECTION"
	if err := p.needDimension(line, sec); err != nil {
		return err
	}
	switch p.weightType {
	case "":
		return p.errf(line, ErrFormat, nil, "%s before EDGE_WEIGHT_TYPE", sec)
	case "EXPLICIT":
	default:
		return p.errf(line, ErrFormat, nil, "%s with EDGE_WEIGHT_TYPE %s (want EXPLICIT)", sec, p.in.Type)
	}
	format := weightFormats[p.format]
	if format == "" {
		if p.format == "" {
			return p.errf(line, ErrFormat, nil, "%s before EDGE_WEIGHT_FORMAT", sec)
		}
		return p.errf(line, ErrFormat, nil, "%s with EDGE_WEIGHT_FORMAT %s", sec, p.format)
	}
	n := p.in.N
	atsp := p.in.Problem == "ATSP"
	if atsp && format != "FULL_MATRIX" {
		return p.errf(line, ErrUnsupported, nil, "%s: EDGE_WEIGHT_FORMAT %s with TYPE ATSP (want FULL_MATRIX)", sec, p.format)
	}
	var count int
	switch format {
	case "FULL_MATRIX":
		count = n * n
	case "UPPER_ROW", "LOWER_ROW":
		count = n * (n - 1) / 2
	default:
		count = n * (n + 1) / 2
	}
	full := format == "FULL_MATRIX"
	c := newCells(n, format)
	var d []float64 // n×n, once allocated
	stage := make([]float64, 0, min(count, stageValues))
	// place moves the staged values into d, allocated now.
	place := func() {
		d = make([]float64, n*n)
		s := newCells(n, format)
		for _, v := range stage {
			d[s.i*n+s.j] = v
			if !full { // a FULL_MATRIX sets (j, i) itself
				d[s.j*n+s.i] = v
			}
			s.next()
		}
		stage = nil
	}
	for k := 0; k < count; k++ {
		tok, tline, err := p.token()
		if err == io.EOF {
			return p.errf(p.lastLine(), ErrFormat, nil, "end of input after %d of the %d values of %s (%s, DIMENSION %d)", k, count, sec, p.format, n)
		}
		if err != nil {
			return err
		}
		i, j := c.i, c.j
		v, err := parseWeight(tok)
		if err != nil {
			if !looksNumeric(string(tok)) {
				return p.errf(tline, ErrFormat, nil, "%s ended after %d of its %d values (%s, DIMENSION %d) at %.40q", sec, k, count, p.format, n, tok)
			}
			return p.errf(tline, ErrFormat, nil, "%s: weight %.40q (row %d, column %d): %v", sec, tok, i+1, j+1, err)
		}
		switch {
		case atsp && i == j:
			v = 0 // the placeholder of the diagonal, 9999 or so: never used by a tour
		case v < 0:
			return p.errf(tline, ErrFormat, []error{tsp.ErrNegative}, "%s: negative weight %g (row %d, column %d)", sec, v, i+1, j+1)
		case i == j && v != 0:
			return p.errf(tline, ErrFormat, []error{tsp.ErrDiagonal}, "%s: weight %g on the diagonal (row %d, column %d), want 0", sec, v, i+1, j+1)
		case full && j < i && !atsp:
			// (j, i) came earlier: row j of a FULL_MATRIX
			w := 0.0
			if d != nil {
				w = d[j*n+i]
			} else {
				w = stage[j*n+i]
			}
			if v != w {
				return p.errf(tline, ErrFormat, []error{tsp.ErrAsymmetric}, "%s: asymmetric matrix: row %d, column %d is %g but row %d, column %d is %g; an asymmetric instance needs TYPE: ATSP",
					sec, i+1, j+1, v, j+1, i+1, w)
			}
		}
		if d == nil && len(stage) == cap(stage) {
			place()
		}
		if d != nil {
			d[i*n+j] = v
			if !full { // a FULL_MATRIX sets (j, i) itself, checked equal above
				d[j*n+i] = v
			}
		} else {
			stage = append(stage, v)
		}
		c.next()
	}
	if err := p.restOfLine(sec); err != nil {
		return err
	}
	if d == nil {
		place()
	}
	p.weights = d
	p.weightsLine = line
	return nil
}

// cells walks the cells (i, j) of an n×n matrix in the order of a row-wise
// EDGE_WEIGHT_FORMAT.
type cells struct {
	n, i, j int
	format  string
}

func newCells(n int, format string) cells {
	c := cells{n: n, format: format}
	switch format {
	case "UPPER_ROW":
		c.j = 1
	case "LOWER_ROW":
		c.i = 1
	}
	return c
}

func (c *cells) next() {
	c.j++
	switch c.format {
	case "FULL_MATRIX":
		if c.j == c.n {
			c.i, c.j = c.i+1, 0
		}
	case "UPPER_ROW", "UPPER_DIAG_ROW":
		if c.j == c.n {
			c.i++
			c.j = c.i
			if c.format == "UPPER_ROW" {
				c.j++
			}
		}
	case "LOWER_ROW":
		if c.j == c.i {
			c.i, c.j = c.i+1, 0
		}
	case "LOWER_DIAG_ROW":
		if c.j > c.i {
			c.i, c.j = c.i+1, 0
		}
	}
}

// parseWeight parses one edge weight as parseNumber does, without an
// allocation for the usual case of at most 15 decimal digits, which a
// float64 holds exactly.
func parseWeight(tok []byte) (float64, error) {
	if len(tok) > 0 && len(tok) <= 15 {
		var u int64
		i := 0
		for ; i < len(tok); i++ {
			c := tok[i]
			if c < '0' || c > '9' {
				break
			}
			u = u*10 + int64(c-'0')
		}
		if i == len(tok) {
			return float64(u), nil
		}
	}
	return parseNumber(string(tok))
}

// finish checks that the instance is complete and builds its matrix.
func (p *parser) finish(comments []string) error {
	end := p.lastLine()
	p.in.Comment = strings.Join(comments, "\n")
	if p.in.Problem == "" {
		p.in.Problem = "TSP"
	}
	n := p.in.N
	if n == 0 {
		return p.errf(end, ErrFormat, nil, "end of input without DIMENSION")
	}
	if p.weightType == "" {
		return p.errf(end, ErrFormat, nil, "end of input without EDGE_WEIGHT_TYPE")
	}
	var d []float64
	if p.points {
		return p.finishPoints() // points.go
	}
	if p.weightType == "EXPLICIT" {
		if p.weights == nil {
			return p.errf(end, ErrFormat, nil, "end of input without EDGE_WEIGHT_SECTION")
		}
		d = p.weights
		p.in.Coords = p.coords
		if p.in.Coords == nil {
			p.in.Coords = p.display
		}
	} else {
		if p.coords == nil {
			return p.errf(end, ErrFormat, nil, "end of input without NODE_COORD_SECTION (EDGE_WEIGHT_TYPE %s)", p.in.Type)
		}
		if line, ok := p.seen["EDGE_WEIGHT_SECTION"]; ok {
			return p.errf(line, ErrFormat, nil, "EDGE_WEIGHT_SECTION with EDGE_WEIGHT_TYPE %s (want EXPLICIT)", p.in.Type)
		}
		d = distances(p.weightType, p.coords)
		if d == nil {
			return p.errf(p.seen["EDGE_WEIGHT_TYPE"], ErrUnsupported, nil, "EDGE_WEIGHT_TYPE %s is not supported", p.in.Type)
		}
		for i := 0; i < n; i++ {
			for j := i + 1; j < n; j++ {
				if v := d[i*n+j]; math.IsInf(v, 0) || math.IsNaN(v) {
					return p.errf(p.coordLines[j], ErrFormat, []error{tsp.ErrInfinite}, "the %s distance between nodes %d and %d overflows: coordinates too large", p.in.Type, i+1, j+1)
				}
			}
		}
		p.in.Coords = p.coords
	}
	// The Matrix takes d over without a copy: d was built for it alone.
	// Its validation is kept for the one check the parser does not make,
	// the overflow limit tsp.MaxTourLength/n; it costs little beside the
	// parsing.
	m, err := newMatrixOwned(n, d)
	if err != nil { // distances too large for a tour (tsp.ErrOverflow); every other check was made above
		line := end
		if p.weightsLine != 0 {
			line = p.weightsLine
		}
		return p.errf(line, ErrFormat, []error{err}, "invalid distances: %v", err)
	}
	p.in.Matrix = m
	return nil
}

// newMatrixOwned is tsp.NewMatrix without its copy of d, which the Matrix
// owns from then on (abi.NewMatrixOwned, set by package tsp).
func newMatrixOwned(n int, d []float64) (*tsp.Matrix, error) {
	m, err := abi.NewMatrixOwned(n, d)
	if err != nil {
		return nil, err
	}
	return m.(*tsp.Matrix), nil
}

// distances returns the n×n TSPLIB 95 distances of a coordinate type.
// Every product is wrapped in float64() so that no platform fuses it into a
// multiply-add: the results are those of the C reference code.
func distances(weightType string, pts []Point) []float64 {
	n := len(pts)
	d := make([]float64, n*n)
	var dist func(i, j int) float64
	switch weightType {
	case "EUC_2D":
		dist = func(i, j int) float64 { return nint(euclid(pts[i], pts[j])) }
	case "CEIL_2D":
		dist = func(i, j int) float64 { return math.Ceil(euclid(pts[i], pts[j])) }
	case "ATT":
		dist = func(i, j int) float64 {
			xd, yd := pts[i].X-pts[j].X, pts[i].Y-pts[j].Y
			r := math.Sqrt((float64(xd*xd) + float64(yd*yd)) / 10.0)
			t := nint(r)
			if t < r {
				return t + 1
			}
			return t
		}
	case "GEO":
		lat, lon := make([]float64, n), make([]float64, n)
		for i, pt := range pts {
			lat[i], lon[i] = geoRadians(pt.X), geoRadians(pt.Y)
		}
		dist = func(i, j int) float64 { return geoDistance(lat[i], lon[i], lat[j], lon[j]) }
	default:
		return nil // not reached: the parser accepts no other type
	}
	for i := 0; i < n; i++ {
		for j := i + 1; j < n; j++ {
			v := dist(i, j)
			d[i*n+j] = v
			d[j*n+i] = v
		}
	}
	return d
}

func euclid(a, b Point) float64 {
	xd, yd := a.X-b.X, a.Y-b.Y
	return math.Sqrt(float64(xd*xd) + float64(yd*yd))
}

// nint is TSPLIB's nint for x ≥ 0: (int)(x + 0.5).
func nint(x float64) float64 { return math.Floor(x + 0.5) }

// TSPLIB 95's constants for GEO, PI as the reference code writes it.
const (
	geoPI  = 3.141592
	geoRRR = 6378.388
)

// geoRadians converts a DDD.MM coordinate to radians as TSPLIB does:
// deg = int(x), truncated toward zero; min = x - deg.
func geoRadians(x float64) float64 {
	deg := math.Trunc(x)
	m := x - deg
	return geoPI * (deg + 5.0*m/3.0) / 180.0
}

// geoDegrees converts a DDD.MM coordinate to decimal degrees the same way.
func geoDegrees(x float64) float64 {
	deg := math.Trunc(x)
	m := x - deg
	return deg + 5.0*m/3.0
}

// geoDistance is TSPLIB 95's GEO distance between two nodes in radians:
// int(RRR * acos(0.5*((1+q1)*q2 - (1-q1)*q3)) + 1). Two nodes at the same
// place are 1 apart. The argument of acos is clamped to [-1, 1] against
// rounding, where the C code would get NaN.
func geoDistance(lat1, lon1, lat2, lon2 float64) float64 {
	q1 := kmath.Cos(lon1 - lon2) // math's, as the coordinate kernels carry it (issue 21)
	q2 := kmath.Cos(lat1 - lat2)
	q3 := kmath.Cos(lat1 + lat2)
	a := 0.5 * (float64((1.0+q1)*q2) - float64((1.0-q1)*q3))
	a = max(-1, min(1, a))
	return math.Trunc(float64(geoRRR*kmath.Acos(a)) + 1.0)
}
