package tsp

import (
	"fmt"
	"math"
	"time"
)

// Progress is one report of a search in progress, the argument of
// Options.Progress. Each report has a shorter route than the one before
// it, or a higher lower bound, or both; Length never rises and LowerBound
// never falls from one report to the next.
//
// Where the algorithms report: Exhaustive at each shorter complete tour;
// Exact at each shorter first tour (TwoOpt from each start), each shorter
// tour read off a Held–Karp 1-tree, after the root's bound, and whenever
// finishing a subtree raises the smallest bound of the subtrees still open;
// Iterated after its first local optimum and at each kick that shortens the
// route. TwoOpt and Nearest, which take one short pass, never report, nor
// does Iterated below 8 cities (it is then TwoOpt). On the coordinate path
// (SolvePoints, where a pass can take minutes at a million cities) every
// algorithm reports its nearest-neighbour tour, TwoOpt and Iterated their
// first local search every n improving moves and at its end, and Iterated
// a shorter route after n/16 kicks or more since the last report (each
// report costs O(n) there: the kernel maps its tour to the input's
// numbering).
type Progress struct {
	// Length is the length of the best route so far, on the input matrix,
	// summed as Tour.Length is. On the coordinate path (SolvePoints) it is
	// the kernel's own tracked length of that route (its first tour
	// summed, plus the change of each move and kick since), which can
	// differ from PointsLength of the route in its last bits.
	Length float64
	// LowerBound is the best proven lower bound so far (Exact), 0 when
	// none is known yet.
	LowerBound float64
	// Nodes counts the search nodes (improving moves) so far, as
	// Tour.Nodes does.
	Nodes uint64
	// Elapsed is the time since Solve was called.
	Elapsed time.Duration
	// Order is the best route so far, in Tour.Order's form, when
	// Options.ProgressOrder is set (nil otherwise). It is the callback's to
	// keep.
	Order []int
	// Algorithm is the algorithm running (never Auto).
	Algorithm Algorithm
}

// Gap is (Length − LowerBound) / Length: how far the best route may be
// from the optimum, as a fraction; 1 when there is no bound, 0 for a
// zero-length route.
func (p Progress) Gap() float64 {
	if !(p.Length > 0) {
		return 0
	}
	return max(0, (p.Length-p.LowerBound)/p.Length)
}

// progressSink turns the kernel's progress calls (abi.ProgressFunc) into
// calls of Options.Progress for one Solve: it maps the kernel's tour to the
// caller's route (rotated, turned, duplicates expanded, a route's
// transformation undone), skips what does not improve on the caller's
// measure, bounds the rate, and recovers a panic. A nil *progressSink is
// no progress.
type progressSink struct {
	fn        func(Progress) bool
	every     time.Duration
	wantOrder bool
	alg       Algorithm
	start     time.Time
	last      time.Time

	// kernelStart and directed: how the kernel's tour is made canonical
	// (its start, TSP_DIRECTED), set by solve before the call.
	kernelStart int32
	directed    bool
	// back maps the canonical kernel tour to the caller's route and its
	// length; bound maps the kernel's bound (nil: as it is).
	back  func(order []int) ([]int, float64)
	bound func(float64) float64

	buf           []int // canonical's buffer when the order is not kept
	calls         int
	length, lower float64 // last reported; length +Inf before the first
	stopped       bool    // the callback returned true
	panicked      bool
	panicValue    any
}

func newProgressSink(opt Options, alg Algorithm) *progressSink {
	if opt.Progress == nil {
		return nil
	}
	return &progressSink{fn: opt.Progress, every: opt.ProgressInterval, wantOrder: opt.ProgressOrder,
		alg: alg, start: time.Now(), length: math.Inf(1)}
}

// setBack sets how the kernel's tours and bounds map to the caller's.
func (p *progressSink) setBack(back func([]int) ([]int, float64), bound func(float64) float64) {
	if p != nil {
		p.back, p.bound = back, bound
	}
}

// report is the abi.ProgressFunc the kernel calls. It never panics.
func (p *progressSink) report(event int32, length, bound float64, nodes uint64, order []int32) (stop int32) {
	if p.stopped || p.panicked {
		return 1
	}
	now := time.Now()
	if p.every > 0 && p.calls > 0 && now.Sub(p.last) < p.every {
		return 0
	}
	defer func() {
		if e := recover(); e != nil {
			p.panicked, p.panicValue = true, e
			stop = 1
		}
	}()
	var route []int
	var l float64
	if p.back != nil {
		route, l = p.back(p.canonical(order))
	} else {
		// the coordinate path (SolvePoints): the kernel's length as it is
		// (summing a route again costs O(n) a call, at a million cities
		// 0.1-0.3 s), the route only when the caller keeps it
		l = length
		if p.wantOrder {
			route = p.canonical(order)
		}
	}
	lb := bound
	if p.bound != nil {
		lb = p.bound(lb)
	}
	lb = min(max(lb, p.lower), l, p.length) // never down, never above a route
	if !(l < p.length) && !(lb > p.lower) {
		return 0 // no better on the caller's measure (a route, merged duplicates)
	}
	p.length, p.lower = min(l, p.length), lb
	p.calls++
	p.last = now
	pr := Progress{Length: p.length, LowerBound: p.lower, Nodes: nodes, Elapsed: now.Sub(p.start), Algorithm: p.alg}
	if p.wantOrder {
		pr.Order = route
	}
	if p.fn(pr) {
		p.stopped = true
		return 1
	}
	return 0
}

// canonical copies the kernel's cycle into Tour.Order's form: rotated to
// the kernel's start and, unless directed, turned so that order[1] <
// order[n-1] (what the kernels' finish does). The copy is new when the
// caller keeps it (ProgressOrder), else a buffer reused from call to call.
func (p *progressSink) canonical(order []int32) []int {
	n := len(order)
	out := p.buf
	if p.wantOrder || cap(out) < n {
		out = make([]int, n)
		if !p.wantOrder {
			p.buf = out
		}
	}
	out = out[:n]
	s := 0
	for s < n && order[s] != p.kernelStart {
		s++
	}
	if s == n {
		s = 0
	}
	for i, c := range order[s:] {
		out[i] = int(c)
	}
	for i, c := range order[:s] {
		out[n-s+i] = int(c)
	}
	if !p.directed && n >= 3 && out[1] > out[n-1] {
		for i, j := 1, n-1; i < j; i, j = i+1, j-1 {
			out[i], out[j] = out[j], out[i]
		}
	}
	return out
}

// err is the error of a search the callback stopped or panicked in; nil
// for none (and for a nil sink).
func (p *progressSink) err() error {
	switch {
	case p == nil:
		return nil
	case p.panicked:
		return fmt.Errorf("%w: %v", ErrProgressPanic, p.panicValue)
	case p.stopped:
		return fmt.Errorf("tsp: %s search stopped, returning the best tour found: %w", p.alg, ErrProgressStop)
	}
	return nil
}
