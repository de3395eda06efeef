package proc

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"unsafe"

	"github.com/ffi4go/tsp/internal/abi"
)

// The protocol's constants (docs/protocol.md).
const (
	// Version is the protocol version this package speaks, in the hello:
	// 2 adds progress (the G and g frames, bit 1 of a solve request's
	// flags); 3 adds one-way progress (bit 2: the worker sends G frames
	// without waiting for a g, and the parent stops the search with a C); 4
	// adds coordinates (the Q frame: points.go); 5 adds progress on
	// coordinates (bits 1 and 2 of a Q frame's flags, as an S frame's). A
	// parent also takes workers of MinVersion, which it never asks for
	// progress (below 2), asks for progress with answers (2), never sends
	// coordinates (below 4), or never asks for progress on coordinates
	// (below 5: the solve runs without the callback, as on a version 1
	// worker for a matrix).
	Version = 5
	// VersionOneWay is the first version with one-way progress frames.
	VersionOneWay = 3
	// MinVersion is the oldest protocol version a parent takes.
	MinVersion = 1
	// Magic opens every hello.
	Magic = "TSPW"
	// MaxCities is the largest n of a solve request.
	MaxCities = abi.MaxHeuristic
	// MaxMessage is the longest message of an error frame, in bytes.
	MaxMessage = 1024
	// MaxFrame is the longest frame body: a solve request of MaxCities.
	MaxFrame = solveHeadLen + 8*MaxCities*MaxCities
)

// Kernel ids in the hello: the ABI's TSP_KERNEL_* (the Go worker says
// TSP_KERNEL_GO, as libtsp_go.so does); python/tsp_ffi/worker.py says 16
// for its pure-Python kernel.
const (
	KernelC   = abi.KernelC
	KernelCPP = abi.KernelCPP
	KernelGo  = abi.KernelGo
)

// Frame types.
const (
	frameHello  = 'H'
	frameSolve  = 'S'
	frameCancel = 'C'
	framePing   = 'P'
	framePong   = 'p'
	frameResult = 'R'
	frameError  = 'E'
	// Version 2: a progress call (worker → parent) and its answer.
	frameProgress       = 'G'
	frameProgressAnswer = 'g'
)

// Body lengths, the type byte included; a solve request adds 8·n², a
// result 4·n, an error its message.
const (
	helloLen      = 21
	solveHeadLen  = 41
	cancelLen     = 9
	pingLen       = 13
	resultHeadLen = 49
	errorHeadLen  = 17
	progressHead  = 41 // a progress frame adds 4·n
	answerLen     = 13
)

// Error codes of an error frame.
const (
	CodeMalformed = 1 // a frame the worker cannot parse
	CodeTooLarge  = 2 // a frame over the largest the worker takes
	CodeBusy      = 3 // a solve request while another runs
	CodeNoMemory  = 4 // the worker could not allocate a request's buffer
	CodeInternal  = 5 // anything else
)

// flagCancelled is bit 0 of a solve request's flags: the kernel's cancel
// flag is set before the call. flagProgress (version 2) is bit 1: the
// worker calls tsp_solve_progress and sends each call as a progress frame,
// waiting for its answer.
const (
	flagCancelled = 1
	flagProgress  = 2
	// flagOneWay (version 3), with flagProgress: the worker sends its
	// progress frames and goes on at once; no g answers them, and a stop
	// comes as a cancel frame.
	flagOneWay = 4
)

// ErrProtocol is wrapped by every error about bytes that break the
// protocol, read by either side.
var ErrProtocol = errors.New("proc: protocol violation")

// WorkerError is an error frame: what a worker said went wrong.
type WorkerError struct {
	ID      uint64 // the request it concerns, 0 for none
	Code    uint32 // CodeMalformed ...
	Message string
}

func (e *WorkerError) Error() string {
	return fmt.Sprintf("worker error %d (%s): %s", e.Code, codeName(e.Code), e.Message)
}

// ExitCode is the status a worker exits with after sending e: 65
// (EX_DATAERR) for bad input, 71 (EX_OSERR) for no memory or an internal
// error.
func (e *WorkerError) ExitCode() int {
	if e.Code == CodeNoMemory || e.Code == CodeInternal {
		return 71
	}
	return 65
}

func codeName(c uint32) string {
	switch c {
	case CodeMalformed:
		return "malformed"
	case CodeTooLarge:
		return "too large"
	case CodeBusy:
		return "busy"
	case CodeNoMemory:
		return "no memory"
	case CodeInternal:
		return "internal"
	}
	return "unknown"
}

// Hello is what a worker says first.
type Hello struct {
	Version   uint32 // the protocol version
	ABI       int32  // the kernel's TSP_ABI_VERSION
	Kernel    int32  // KernelGo, KernelC, KernelCPP, ...
	MaxCities uint32 // the largest n it takes
}

// request is one solve request: the arguments of one tsp_solve call.
type request struct {
	id        uint64
	n, start  int32
	algorithm int32
	cancelled bool
	seed      uint64
	budget    int64
	matrix    []float64 // n*n, row-major
	// progress (version 2): the parent's function for the worker's
	// progress frames (nil: none); on the worker's side, whether the
	// request asked for them.
	progress     abi.ProgressFunc
	wantProgress bool
	// pts (version 4): a coordinates request (a Q frame, tsp_solve_points)
	// instead of a matrix; nil for a matrix.
	pts *pointsArgs
	// oneWay (version 3): progress frames are not answered (flagOneWay).
	oneWay bool
}

// progress is one progress frame: one call of the kernel's progress
// function, forwarded.
type progress struct {
	id            uint64
	event         int32
	length, bound float64
	nodes         uint64
	order         []int32
}

// result is one result frame.
type result struct {
	id         uint64
	status     int32
	order      []int32 // n entries on TSP_OK and TSP_STOPPED, else none
	length     float64
	lowerBound float64
	nodes      uint64
	solveNS    uint64
}

var littleEndian = binary.NativeEndian.Uint16([]byte{1, 0}) == 1

var le = binary.LittleEndian

// readHead reads a frame's length and type.
func readHead(r io.Reader, buf *[5]byte) (typ byte, n uint32, err error) {
	if _, err := io.ReadFull(r, buf[:]); err != nil {
		if err == io.ErrUnexpectedEOF {
			return 0, 0, fmt.Errorf("%w: a frame cut short in its length", ErrProtocol)
		}
		return 0, 0, err // io.EOF between frames: the end of the stream
	}
	n = le.Uint32(buf[:4])
	if n == 0 {
		return 0, 0, fmt.Errorf("%w: an empty frame", ErrProtocol)
	}
	return buf[4], n, nil
}

// readBody reads the rest of a frame of length n whose type byte is read.
func readBody(r io.Reader, n uint32, dst []byte) error {
	if uint32(len(dst)) != n-1 {
		return fmt.Errorf("%w: internal length mismatch", ErrProtocol)
	}
	if _, err := io.ReadFull(r, dst); err != nil {
		return cut(err)
	}
	return nil
}

// cut turns the end of the stream inside a frame into a protocol error.
func cut(err error) error {
	if err == nil {
		return nil
	}
	if err == io.EOF || err == io.ErrUnexpectedEOF {
		return fmt.Errorf("%w: a frame cut short", ErrProtocol)
	}
	return err
}

// floatBytes returns the bytes of f, which is little-endian float64 data
// on a little-endian machine.
func floatBytes(f []float64) []byte {
	if len(f) == 0 {
		return nil
	}
	return unsafe.Slice((*byte)(unsafe.Pointer(&f[0])), 8*len(f))
}

// readFloats reads count little-endian float64 values. It allocates the
// whole slice only once the first MiB has arrived, so a frame that claims
// a large matrix and stops costs what it sent, not what it claimed, and a
// real one is allocated once, not grown.
func readFloats(r io.Reader, count int) ([]float64, error) {
	const first = 1 << 17 // values: 1 MiB
	f := make([]float64, min(count, first))
	if err := readFloatsInto(r, f); err != nil {
		return nil, err
	}
	if count > len(f) {
		all := make([]float64, count)
		copy(all, f)
		if err := readFloatsInto(r, all[len(f):]); err != nil {
			return nil, err
		}
		f = all
	}
	return f, nil
}

func readFloatsInto(r io.Reader, dst []float64) error {
	if littleEndian {
		_, err := io.ReadFull(r, floatBytes(dst))
		return cut(err)
	}
	tmp := make([]byte, 8*min(len(dst), 1<<16))
	for len(dst) > 0 {
		k := min(len(dst), 1<<16)
		if _, err := io.ReadFull(r, tmp[:8*k]); err != nil {
			return cut(err)
		}
		for i := range dst[:k] {
			dst[i] = math.Float64frombits(le.Uint64(tmp[8*i:]))
		}
		dst = dst[k:]
	}
	return nil
}

// writeFloats writes f as little-endian float64 values.
func writeFloats(w io.Writer, f []float64) error {
	if littleEndian {
		_, err := w.Write(floatBytes(f))
		return err
	}
	buf := make([]byte, 0, 8*min(len(f), 1<<16))
	for len(f) > 0 {
		k := min(len(f), 1<<16)
		buf = buf[:0]
		for _, v := range f[:k] {
			buf = le.AppendUint64(buf, math.Float64bits(v))
		}
		if _, err := w.Write(buf); err != nil {
			return err
		}
		f = f[k:]
	}
	return nil
}

// appendHello appends a hello frame.
func appendHello(b []byte, h Hello) []byte {
	b = le.AppendUint32(b, helloLen)
	b = append(b, frameHello)
	b = append(b, Magic...)
	b = le.AppendUint32(b, h.Version)
	b = le.AppendUint32(b, uint32(h.ABI))
	b = le.AppendUint32(b, uint32(h.Kernel))
	return le.AppendUint32(b, h.MaxCities)
}

// parseHello parses the body of a hello after its type byte.
func parseHello(b []byte) (Hello, error) {
	if len(b) != helloLen-1 || string(b[:4]) != Magic {
		return Hello{}, fmt.Errorf("%w: not a tsp worker (no %s hello)", ErrProtocol, Magic)
	}
	return Hello{Version: le.Uint32(b[4:]), ABI: int32(le.Uint32(b[8:])), Kernel: int32(le.Uint32(b[12:])),
		MaxCities: le.Uint32(b[16:])}, nil
}

// appendSolveHead appends a solve request's length and fixed fields; the
// matrix follows.
func appendSolveHead(b []byte, q *request) []byte {
	nn := uint64(q.n) * uint64(q.n)
	return appendRequestHead(b, frameSolve, solveHeadLen+8*nn, q)
}

// appendRequestHead appends the fields a solve (S) and a points (Q)
// request share: length, type, id, n, start, algorithm, flags, seed and
// budget.
func appendRequestHead(b []byte, typ byte, length uint64, q *request) []byte {
	b = le.AppendUint32(b, uint32(length))
	b = append(b, typ)
	b = le.AppendUint64(b, q.id)
	b = le.AppendUint32(b, uint32(q.n))
	b = le.AppendUint32(b, uint32(q.start))
	b = le.AppendUint32(b, uint32(q.algorithm))
	var flags uint32
	if q.cancelled {
		flags |= flagCancelled
	}
	if q.progress != nil {
		flags |= flagProgress
		if q.oneWay {
			flags |= flagOneWay
		}
	}
	b = le.AppendUint32(b, flags)
	b = le.AppendUint64(b, q.seed)
	return le.AppendUint64(b, uint64(q.budget))
}

// appendID appends a frame of one id: cancel.
func appendCancel(b []byte, id uint64) []byte {
	b = le.AppendUint32(b, cancelLen)
	b = append(b, frameCancel)
	return le.AppendUint64(b, id)
}

// appendPing appends a ping (typ framePing) or pong (framePong).
func appendPing(b []byte, typ byte, id uint64, x int32) []byte {
	b = le.AppendUint32(b, pingLen)
	b = append(b, typ)
	b = le.AppendUint64(b, id)
	return le.AppendUint32(b, uint32(x))
}

// appendProgress appends a progress frame.
func appendProgress(b []byte, g *progress) []byte {
	b = le.AppendUint32(b, uint32(progressHead+4*len(g.order)))
	b = append(b, frameProgress)
	b = le.AppendUint64(b, g.id)
	b = le.AppendUint32(b, uint32(g.event))
	b = le.AppendUint32(b, uint32(len(g.order)))
	b = le.AppendUint64(b, math.Float64bits(g.length))
	b = le.AppendUint64(b, math.Float64bits(g.bound))
	b = le.AppendUint64(b, g.nodes)
	for _, c := range g.order {
		b = le.AppendUint32(b, uint32(c))
	}
	return b
}

// appendAnswer appends a progress frame's answer: stop non-zero asks the
// kernel to stop.
func appendAnswer(b []byte, id uint64, stop int32) []byte {
	b = le.AppendUint32(b, answerLen)
	b = append(b, frameProgressAnswer)
	b = le.AppendUint64(b, id)
	return le.AppendUint32(b, uint32(stop))
}

// appendResult appends a result frame.
func appendResult(b []byte, r *result) []byte {
	b = le.AppendUint32(b, uint32(resultHeadLen+4*len(r.order)))
	b = append(b, frameResult)
	b = le.AppendUint64(b, r.id)
	b = le.AppendUint32(b, uint32(r.status))
	b = le.AppendUint32(b, uint32(len(r.order)))
	b = le.AppendUint64(b, math.Float64bits(r.length))
	b = le.AppendUint64(b, math.Float64bits(r.lowerBound))
	b = le.AppendUint64(b, r.nodes)
	b = le.AppendUint64(b, r.solveNS)
	for _, c := range r.order {
		b = le.AppendUint32(b, uint32(c))
	}
	return b
}

// appendError appends an error frame; the message is cut to MaxMessage
// bytes.
func appendError(b []byte, e *WorkerError) []byte {
	msg := e.Message
	if len(msg) > MaxMessage {
		msg = msg[:MaxMessage]
	}
	b = le.AppendUint32(b, uint32(errorHeadLen+len(msg)))
	b = append(b, frameError)
	b = le.AppendUint64(b, e.ID)
	b = le.AppendUint32(b, e.Code)
	b = le.AppendUint32(b, uint32(len(msg)))
	return append(b, msg...)
}

// parseError parses the body of an error frame after its type byte.
func parseError(b []byte) (*WorkerError, error) {
	if len(b) < errorHeadLen-1 || int(le.Uint32(b[12:])) != len(b)-(errorHeadLen-1) {
		return nil, fmt.Errorf("%w: an error frame of %d bytes", ErrProtocol, len(b)+1)
	}
	return &WorkerError{ID: le.Uint64(b), Code: le.Uint32(b[8:]), Message: string(b[errorHeadLen-1:])}, nil
}

// Worker side.

// workerFrame is one frame a worker reads: a solve request, a cancel or a
// ping.
type workerFrame struct {
	typ byte
	id  uint64
	x   int32    // ping
	req *request // solve
}

// readWorkerFrame reads the next frame a worker gets. io.EOF means the
// stream ended between frames; any other error is a *WorkerError to send
// back (its Code says which) or a read error.
func readWorkerFrame(r *bufio.Reader, maxN int) (workerFrame, error) {
	var head [5]byte
	typ, n, err := readHead(r, &head)
	if err != nil {
		if errors.Is(err, ErrProtocol) {
			return workerFrame{}, &WorkerError{Code: CodeMalformed, Message: err.Error()}
		}
		return workerFrame{}, err
	}
	bad := func(format string, a ...any) (workerFrame, error) {
		return workerFrame{}, &WorkerError{Code: CodeMalformed, Message: fmt.Sprintf(format, a...)}
	}
	if n > MaxFrame {
		return workerFrame{}, &WorkerError{Code: CodeTooLarge, Message: fmt.Sprintf("a frame of %d bytes, over the limit of %d", n, MaxFrame)}
	}
	var body [solveHeadLen - 1]byte
	switch typ {
	case frameCancel, framePing, frameProgressAnswer:
		want := uint32(cancelLen)
		if typ != frameCancel {
			want = pingLen // = answerLen
		}
		if n != want {
			return bad("a %q frame of %d bytes, want %d", typ, n, want)
		}
		if err := readBody(r, n, body[:n-1]); err != nil {
			return bad("%v", err)
		}
		f := workerFrame{typ: typ, id: le.Uint64(body[:])}
		if typ != frameCancel {
			f.x = int32(le.Uint32(body[8:])) // the ping's x, the answer's stop
		}
		return f, nil
	case frameSolvePoints:
		return readPointsRequest(r, n)
	case frameSolve:
		if n < solveHeadLen {
			return bad("a solve request of %d bytes, shorter than its %d-byte head", n, solveHeadLen)
		}
		if err := readBody(r, solveHeadLen, body[:]); err != nil {
			return bad("%v", err)
		}
		q := &request{id: le.Uint64(body[0:]), n: int32(le.Uint32(body[8:])), start: int32(le.Uint32(body[12:])),
			algorithm: int32(le.Uint32(body[16:])), seed: le.Uint64(body[24:]), budget: int64(le.Uint64(body[32:]))}
		flags := le.Uint32(body[20:])
		if flags&^(flagCancelled|flagProgress|flagOneWay) != 0 || flags&(flagProgress|flagOneWay) == flagOneWay {
			return bad("solve request %d: unknown or lone flag bits %#x", q.id, flags&^(flagCancelled|flagProgress))
		}
		q.cancelled = flags&flagCancelled != 0
		q.wantProgress = flags&flagProgress != 0
		q.oneWay = flags&flagOneWay != 0
		if q.n < 1 || int(q.n) > maxN {
			return workerFrame{}, &WorkerError{ID: q.id, Code: CodeTooLarge,
				Message: fmt.Sprintf("solve request %d: n = %d, want 1 to %d", q.id, q.n, maxN)}
		}
		nn := uint64(q.n) * uint64(q.n)
		if uint64(n) != solveHeadLen+8*nn {
			return bad("solve request %d: %d bytes, want %d for n = %d", q.id, n, solveHeadLen+8*nn, q.n)
		}
		q.matrix, err = readFloats(r, int(nn))
		if err != nil {
			return bad("solve request %d: %v", q.id, err)
		}
		return workerFrame{typ: typ, id: q.id, req: q}, nil
	}
	return bad("unknown frame type %q (%d bytes)", typ, n)
}

// Parent side.

// parentFrame is one frame the parent reads: a hello, a result, a pong or
// an error.
type parentFrame struct {
	typ   byte
	id    uint64
	x     int32
	hello Hello
	res   result
	err   *WorkerError
	prog  progress
}

// readParentFrame reads the next frame from a worker. maxN is the n of the
// pending request (a result may hold no more); order, when it has room,
// receives the result's order.
func readParentFrame(r io.Reader, maxN int, order []int32) (parentFrame, error) {
	var head [5]byte
	typ, n, err := readHead(r, &head)
	if err != nil {
		return parentFrame{}, err
	}
	var body [resultHeadLen + MaxMessage]byte
	small := func(want uint32) error {
		if n != want {
			return fmt.Errorf("%w: a %q frame of %d bytes, want %d", ErrProtocol, typ, n, want)
		}
		return readBody(r, n, body[:n-1])
	}
	f := parentFrame{typ: typ}
	switch typ {
	case frameHello:
		if err := small(helloLen); err != nil {
			return f, err
		}
		f.hello, err = parseHello(body[:helloLen-1])
		return f, err
	case framePong:
		if err := small(pingLen); err != nil {
			return f, err
		}
		f.id, f.x = le.Uint64(body[:]), int32(le.Uint32(body[8:]))
		return f, nil
	case frameError:
		if n < errorHeadLen || n > errorHeadLen+MaxMessage {
			return f, fmt.Errorf("%w: an error frame of %d bytes", ErrProtocol, n)
		}
		if err := readBody(r, n, body[:n-1]); err != nil {
			return f, err
		}
		f.err, err = parseError(body[:n-1])
		if err == nil {
			f.id = f.err.ID
		}
		return f, err
	case frameProgress:
		if n < progressHead || (n-progressHead)%4 != 0 || int(n-progressHead)/4 > maxN {
			return f, fmt.Errorf("%w: a progress frame of %d bytes (at most %d cities were asked for)", ErrProtocol, n, maxN)
		}
		if err := readBody(r, progressHead, body[:progressHead-1]); err != nil {
			return f, err
		}
		b := body[:]
		f.id = le.Uint64(b)
		f.prog = progress{id: f.id, event: int32(le.Uint32(b[8:])), length: math.Float64frombits(le.Uint64(b[16:])),
			bound: math.Float64frombits(le.Uint64(b[24:])), nodes: le.Uint64(b[32:])}
		cnt := int(int32(le.Uint32(b[12:])))
		if cnt < 0 || uint32(cnt) != (n-progressHead)/4 {
			return f, fmt.Errorf("%w: a progress frame of %d cities in %d bytes", ErrProtocol, cnt, n)
		}
		raw := make([]byte, 4*cnt)
		if _, err := io.ReadFull(r, raw); err != nil {
			return f, cut(err)
		}
		f.prog.order = make([]int32, cnt)
		for i := range f.prog.order {
			f.prog.order[i] = int32(le.Uint32(raw[4*i:]))
		}
		return f, nil
	case frameResult:
		if n < resultHeadLen || (n-resultHeadLen)%4 != 0 || int(n-resultHeadLen)/4 > maxN {
			return f, fmt.Errorf("%w: a result of %d bytes (at most %d cities were asked for)", ErrProtocol, n, maxN)
		}
		if err := readBody(r, resultHeadLen, body[:resultHeadLen-1]); err != nil {
			return f, err
		}
		b := body[:]
		f.id = le.Uint64(b)
		f.res = result{id: f.id, status: int32(le.Uint32(b[8:])), length: math.Float64frombits(le.Uint64(b[16:])),
			lowerBound: math.Float64frombits(le.Uint64(b[24:])), nodes: le.Uint64(b[32:]), solveNS: le.Uint64(b[40:])}
		cnt := int(int32(le.Uint32(b[12:])))
		if cnt < 0 || uint32(cnt) != (n-resultHeadLen)/4 {
			return f, fmt.Errorf("%w: a result of %d cities in %d bytes", ErrProtocol, cnt, n)
		}
		if cnt > len(order) {
			order = make([]int32, cnt)
		}
		f.res.order = order[:cnt]
		if cnt > 0 {
			raw := make([]byte, 4*cnt)
			if _, err := io.ReadFull(r, raw); err != nil {
				return f, cut(err)
			}
			for i := range f.res.order {
				f.res.order[i] = int32(le.Uint32(raw[4*i:]))
			}
		}
		return f, nil
	}
	return f, fmt.Errorf("%w: unknown frame type %q (%d bytes) from the worker", ErrProtocol, typ, n)
}
