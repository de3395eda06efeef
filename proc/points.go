package proc

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"math"
	"sync/atomic"
	"time"

	"github.com/ffi4go/tsp"
	"github.com/ffi4go/tsp/internal/abi"
	"github.com/ffi4go/tsp/kernel"
)

// Coordinates (protocol version 4, issue 21): a Q frame carries the
// arguments of one tsp_solve_points call, the points instead of a matrix,
// and its answer is an R frame as for a matrix (lower bound 0). See
// docs/protocol.md, "Q solve points".

// pointsVersion is the first protocol version with the Q frame, and
// pointsProgressVersion the first with progress on it (flags as S's).
const (
	pointsVersion         = 4
	pointsProgressVersion = 5
)

// frameSolvePoints is the coordinates request.
const frameSolvePoints = 'Q'

// pointsHeadLen is a points request's length without its coordinates
// (16·n bytes follow: x, then y).
const pointsHeadLen = 53

// MaxPoints is the largest n of a points request (TSP_MAX_POINTS): its
// frame is at most 53 + 16·MaxPoints bytes (268 MB), under MaxFrame.
const MaxPoints = abi.MaxPoints

// pointsArgs are what a points request adds to a request.
type pointsArgs struct {
	kind   int32
	radius float64
	x, y   []float64
}

// errNoPoints: the worker speaks a protocol without coordinates.
func errNoPoints(version uint32) error {
	return fmt.Errorf("%w: the worker speaks protocol version %d, without coordinates (version %d)", tsp.ErrUnavailable, version, pointsVersion)
}

// appendPointsHead appends a points request's length and fixed fields; x
// and y follow.
func appendPointsHead(b []byte, q *request) []byte {
	b = appendRequestHead(b, frameSolvePoints, pointsHeadLen+16*uint64(q.n), q)
	b = le.AppendUint32(b, uint32(q.pts.kind))
	return le.AppendUint64(b, math.Float64bits(q.pts.radius))
}

// writePoints writes the points request q: its head, then x and y in
// chunks; once cancelled() is true, as writeRequest does. w.wmu is held.
func (w *worker) writePoints(q *request, cancelled func() bool) error {
	w.wbuf = appendPointsHead(w.wbuf[:0], q)
	if _, err := w.in.Write(w.wbuf); err != nil {
		return err
	}
	const chunk = 1 << 19 // values: 4 MiB
	for _, f := range [2][]float64{q.pts.x[:q.n], q.pts.y[:q.n]} {
		for m := f; len(m) > 0; m = m[min(chunk, len(m)):] {
			if cancelled() {
				if q.abandonable() {
					return errAbandoned
				}
				w.in.SetWriteDeadline(time.Now().Add(w.cfg.grace()))
			}
			if err := writeFloats(w.in, m[:min(chunk, len(m))]); err != nil {
				return err
			}
		}
	}
	return nil
}

// readPointsRequest reads a points request of length n whose type byte is
// read: the worker's side.
func readPointsRequest(r *bufio.Reader, n uint32) (workerFrame, error) {
	bad := func(format string, a ...any) (workerFrame, error) {
		return workerFrame{}, &WorkerError{Code: CodeMalformed, Message: fmt.Sprintf(format, a...)}
	}
	if n < pointsHeadLen {
		return bad("a points request of %d bytes, shorter than its %d-byte head", n, pointsHeadLen)
	}
	var body [pointsHeadLen - 1]byte
	if err := readBody(r, pointsHeadLen, body[:]); err != nil {
		return bad("%v", err)
	}
	q := &request{id: le.Uint64(body[0:]), n: int32(le.Uint32(body[8:])), start: int32(le.Uint32(body[12:])),
		algorithm: int32(le.Uint32(body[16:])), seed: le.Uint64(body[24:]), budget: int64(le.Uint64(body[32:])),
		pts: &pointsArgs{kind: int32(le.Uint32(body[40:])), radius: math.Float64frombits(le.Uint64(body[44:]))}}
	flags := le.Uint32(body[20:])
	if flags&^(flagCancelled|flagProgress|flagOneWay) != 0 || flags&(flagProgress|flagOneWay) == flagOneWay {
		return bad("points request %d: unknown or lone flag bits %#x", q.id, flags&^flagCancelled)
	}
	q.cancelled = flags&flagCancelled != 0
	q.wantProgress = flags&flagProgress != 0
	q.oneWay = flags&flagOneWay != 0
	if q.n < 1 || q.n > MaxPoints {
		return workerFrame{}, &WorkerError{ID: q.id, Code: CodeTooLarge,
			Message: fmt.Sprintf("points request %d: n = %d, want 1 to %d", q.id, q.n, MaxPoints)}
	}
	if uint64(n) != pointsHeadLen+16*uint64(q.n) {
		return bad("points request %d: %d bytes, want %d for n = %d", q.id, n, pointsHeadLen+16*uint64(q.n), q.n)
	}
	xy, err := readFloats(r, 2*int(q.n))
	if err != nil {
		return bad("points request %d: %v", q.id, err)
	}
	q.pts.x, q.pts.y = xy[:q.n], xy[q.n:]
	return workerFrame{typ: frameSolvePoints, id: q.id, req: q}, nil
}

// solvePoints is SolvePoints for both kinds: abi's wrapper (the checks
// every coordinate backend gets) around one round trip of a points
// request. A failed round trip fails the solve with its own error, wrapping
// tsp.ErrKernel and ErrWorker, or tsp.ErrUnavailable for a worker without
// coordinates.
func solvePoints(ctx context.Context, name string, do call, p *tsp.Points, opt tsp.Options) (tsp.Tour, error) {
	var failed error
	kp := func(x, y []float64, n, kind int32, radius float64, start, algorithm int32, seed uint64, budget int64,
		cancel *int32, progress kernel.ProgressFunc, order []int32, length *float64, nodes *uint64) int32 {
		q := request{n: n, start: start, algorithm: algorithm, seed: seed, budget: budget,
			cancelled: cancel != nil && atomic.LoadInt32(cancel) != 0, pts: &pointsArgs{kind: kind, radius: radius, x: x, y: y},
			progress: progress}
		var lb float64
		return roundTrip(ctx, do, &q, order, length, &lb, nodes, &failed)
	}
	k := func(x, y []float64, n, kind int32, radius float64, start, algorithm int32, seed uint64, budget int64,
		cancel *int32, order []int32, length *float64, nodes *uint64) int32 {
		return kp(x, y, n, kind, radius, start, algorithm, seed, budget, cancel, nil, order, length, nodes)
	}
	t, err := kernel.NewPointsSolverProgress(name, k, kp).SolvePoints(ctx, p, opt)
	if failed != nil {
		if errors.Is(failed, tsp.ErrUnavailable) {
			return tsp.Tour{}, fmt.Errorf("%s: %w", name, failed)
		}
		return tsp.Tour{}, fmt.Errorf("%w: %s: %w", tsp.ErrKernel, name, failed)
	}
	return t, err
}

// pointsSolver is the tsp.PointsSolver of an Exec or a Pool.
type pointsSolver struct {
	name string
	do   call
}

func (s pointsSolver) Name() string { return s.name }

func (s pointsSolver) SolvePoints(ctx context.Context, p *tsp.Points, opt tsp.Options) (tsp.Tour, error) {
	return solvePoints(ctx, s.name, s.do, p, opt)
}

// Points returns the coordinate solver of e: each solve starts a worker
// and sends it a points request (protocol version 4; with
// Options.Progress, version 5: progress frames as for a matrix). A worker
// of a version below 4 is not asked: the solve fails with an error
// wrapping tsp.ErrUnavailable; a version 4 worker solves without calling
// Options.Progress.
func (e *Exec) Points() tsp.PointsSolver { return pointsSolver{e.cfg.Name, e.call} }

// Points returns the coordinate solver of p, on the pool's workers.
func (p *Pool) Points() tsp.PointsSolver { return pointsSolver{p.cfg.Name, p.call} }
