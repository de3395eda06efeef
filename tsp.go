package tsp

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sync/atomic"
	"time"

	"github.com/ffi4go/tsp/internal/abi"
)

// Algorithm selects the search a Solver runs. The zero value is Auto.
type Algorithm int32

const (
	// Auto chooses by size: Exact up to AutoExactMax cities (a proven optimum,
	// typically within milliseconds), Iterated beyond. It counts distinct
	// places: 40 stops at 13 addresses (duplicate cities, merged before the
	// search) get Exact. Tour.Algorithm says which ran.
	Auto Algorithm = iota
	// Exhaustive tries every order by plain depth-first search and keeps the
	// best: the reference users compare against. At most MaxExhaustive cities.
	Exhaustive
	// Exact is depth-first branch and bound with the Held–Karp lower bound.
	// It proves optimality. At most MaxExact cities; the context bounds time.
	Exact
	// Nearest is the nearest-neighbour tour from Start, ties to the lowest index.
	Nearest
	// TwoOpt is Nearest improved by 2-opt and Or-opt moves until none improves.
	TwoOpt
	// Iterated is Nearest improved by sequential 3-opt moves over the
	// neighbour lists (Lin–Kernighan to depth three: 2-opt, segment
	// exchange and reversal moves), then kicks (a double bridge local to a
	// stretch of the tour, re-optimised around it by the same moves) that
	// keep every improvement, until Options.Budget kicks are spent or the
	// context ends: it uses the whole deadline. Options.Seed chooses the
	// kicks; the same matrix, seed and budget give the same tour on every
	// backend. On an asymmetric matrix it runs the directed search (Or-opt
	// and segment exchanges that keep the direction of travel).
	Iterated
)

// Size limits of each algorithm, in distinct places: duplicate cities (equal
// rows, distance zero between them) are merged before the search and count
// once, where merging them keeps the optimum (see Solver). A larger input
// gets ErrTooLarge.
const (
	MaxExhaustive = abi.MaxExhaustive // 12! orders ≈ 1.3e9 search nodes, a few seconds
	MaxExact      = abi.MaxExact      // the Held–Karp bound costs O(n²) a search node
	MaxHeuristic  = abi.MaxHeuristic  // the matrix alone is n²·8 bytes: 800 MB at the limit
	AutoExactMax  = 30                // the largest input Auto gives to Exact
)

// Algorithms returns every algorithm but Auto, in order.
func Algorithms() []Algorithm { return []Algorithm{Exhaustive, Exact, Nearest, TwoOpt, Iterated} }

// String returns the name the command line and JSON use.
func (a Algorithm) String() string {
	switch a {
	case Auto:
		return "auto"
	case Exhaustive:
		return "exhaustive"
	case Exact:
		return "exact"
	case Nearest:
		return "nearest"
	case TwoOpt:
		return "2opt"
	case Iterated:
		return "iterated"
	}
	return fmt.Sprintf("Algorithm(%d)", int32(a))
}

// ParseAlgorithm is the inverse of Algorithm.String; it also accepts "twoopt".
func ParseAlgorithm(s string) (Algorithm, error) {
	switch s {
	case "auto":
		return Auto, nil
	case "exhaustive":
		return Exhaustive, nil
	case "exact":
		return Exact, nil
	case "nearest":
		return Nearest, nil
	case "2opt", "twoopt":
		return TwoOpt, nil
	case "iterated":
		return Iterated, nil
	}
	return 0, fmt.Errorf("%w: %.40q (want auto, exhaustive, exact, nearest, 2opt or iterated)", ErrAlgorithm, s)
}

// MaxCities is the largest input the algorithm accepts (0 for an unknown
// one), counted in distinct places: duplicate cities merged count once
// (Options.Validate says whether a matrix fits).
func (a Algorithm) MaxCities() int {
	if a == Auto {
		return MaxHeuristic
	}
	return abi.MaxCities(a.number())
}

// For reports the algorithm a runs on n distinct places: Auto's choice, a
// itself otherwise.
func (a Algorithm) For(n int) Algorithm {
	if a != Auto {
		return a
	}
	if n <= AutoExactMax {
		return Exact
	}
	return Iterated
}

// number is the ABI number of a concrete algorithm (TSP_EXHAUSTIVE ...), -1
// for Auto and unknown values.
func (a Algorithm) number() int32 {
	switch a {
	case Exhaustive:
		return abi.Exhaustive
	case Exact:
		return abi.Exact
	case Nearest:
		return abi.Nearest
	case TwoOpt:
		return abi.TwoOpt
	case Iterated:
		return abi.Iterated
	}
	return -1
}

// Status says what a Tour is.
type Status int

const (
	// Heuristic: a good tour with no proof of optimality.
	Heuristic Status = iota
	// Optimal: proven shortest (Exhaustive or Exact ran to the end).
	Optimal
	// Stopped: the context ended the search; the tour is the best found so far.
	Stopped
)

func (s Status) String() string {
	switch s {
	case Heuristic:
		return "heuristic"
	case Optimal:
		return "optimal"
	case Stopped:
		return "stopped"
	}
	return fmt.Sprintf("Status(%d)", int(s))
}

// Options configure one Solve. The zero value solves any valid input: Auto,
// a round trip from city 0 back to it.
type Options struct {
	Start     int       // index of the city the route starts at
	Algorithm Algorithm // Auto by default (the zero value)
	// Seed chooses Iterated's kicks (every value, 0 included, is a seed).
	Seed uint64
	// Budget is the number of Iterated's kicks. 0 means: until the
	// context's deadline when it has one, else DefaultBudget(n). A budget
	// that runs out gives status Heuristic; a deadline, Stopped.
	Budget int64
	// End is where the route ends: back at Start (the zero value,
	// ReturnToStart), at a given city (EndAt), or anywhere (EndAnywhere: an
	// open path). See End.
	End End

	// Progress, when set, is called during the search, on the solving
	// goroutine or thread, each time the best route gets shorter or the
	// proven lower bound rises (see Progress for where each algorithm
	// reports). Returning true stops the search like a deadline: Solve
	// returns the best route so far, status Stopped, with an error wrapping
	// ErrProgressStop (a search that ends before its next poll of the
	// stop request returns as it would have, with no error). A panic in it is recovered and stops the search
	// likewise (ErrProgressPanic); it never crosses into native code.
	// Progress never changes the search: with or without it, every backend
	// returns the same tour. It must not block for long: the search waits.
	Progress func(Progress) bool
	// ProgressInterval is the least time between two calls of Progress:
	// improvements that come sooner are skipped (the next one after it
	// reports the state then). 0 reports every improvement.
	ProgressInterval time.Duration
	// ProgressOrder asks for Progress.Order, the route itself (an O(n) copy
	// a call).
	ProgressOrder bool
}

// DefaultBudget is the number of kicks Iterated makes on n cities when
// Options.Budget is 0 and the context has no deadline: 10 per city, at
// least 1,000 (about 0.1 s for 1,000 cities in pure Go; see the README).
func DefaultBudget(n int) int64 { return max(1000, 10*int64(n)) }

// Tour is a route: a round trip, or a path when Options.End is not
// ReturnToStart.
type Tour struct {
	// Order lists every city once, Order[0] == Start. For a round trip the
	// way home from the last city back to Start is implied; for a
	// symmetric matrix and n ≥ 3 the direction is the one where Order[1] <
	// Order[n-1], so every backend returns the same sequence (an asymmetric
	// round trip keeps its direction of travel). For a path
	// (Options.End set) Order lists the route from Start to its end: the
	// last city is the end, EndAt's city when given.
	Order []int
	// Length is the length of the route in the matrix's unit (km for
	// HaversineMatrix): summed in Order from Start and back to it for a
	// round trip (TourLength), with no closing leg for a path (PathLength).
	Length float64
	// Status says whether Length is proven optimal, heuristic or stopped.
	Status Status
	// LowerBound is a proven lower bound on the optimal length: equal to
	// Length when Status is Optimal, the best bound proven when an Exact
	// search stopped, and 0 where an algorithm proves nothing.
	LowerBound float64
	// Nodes counts the search nodes visited (Exhaustive and Exact) or the
	// improving moves applied (TwoOpt, Iterated; 0 for Nearest). The same work gives
	// the same count in every backend.
	Nodes uint64
	// Algorithm is the algorithm that produced the tour (never Auto).
	Algorithm Algorithm
}

// Solver is one implementation of the kernel. Every implementation runs the
// same algorithms in the same order: given the same matrix and options they
// return the same Order, the same Length bits, the same LowerBound and the
// same Nodes.
//
// When ctx ends during a search, Solve returns the best tour found so far
// with Status Stopped and an error wrapping ctx.Err(). Bad input gets an
// error wrapping one of the sentinel errors and a zero Tour.
// A Solver is safe for concurrent use.
//
// Duplicate cities, whose rows are equal (so their distance is zero), are
// merged before the kernel runs, in the wrapper every backend uses: the
// kernel searches one representative of each group (the lowest index, or
// Start in Start's group), and the other cities of the group follow it
// directly in Order, in index order, before the canonical direction is
// chosen. Length is then summed over the whole Order (TourLength), Nodes
// counts the reduced search, and LowerBound is the reduced search's bound
// (Length when Optimal). For Exhaustive and Exact a group is merged only
// when no tour gets shorter by passing through it between two other
// places (d[a][b] ≤ d[a][r] + d[r][b] for all a, b: true of any metric, so
// of haversine matrices), which keeps their proofs valid for the input; the
// heuristics merge every group. A matrix with no zero off the diagonal costs
// nothing extra.
type Solver interface {
	Name() string
	Solve(ctx context.Context, m *Matrix, opt Options) (Tour, error)
}

// newKernelSolver wraps one kernel call into a Solver named name: it
// validates the options, runs k once with a cancel flag that the context
// sets, checks what k returned and converts it into a Tour. Every backend of
// this module uses it (package kernel exports it), the pure-Go one included,
// so all behave alike at the edges.
func newKernelSolver(name string, k abi.Func) Solver {
	return &kernelSolver{name: name, k: k}
}

type kernelSolver struct {
	name string
	k    abi.Func
	kp   abi.FuncProgress // tsp_solve_progress; nil: the backend has none
}

func (s *kernelSolver) Name() string { return s.name }

// cancelFlag lives on the heap for the whole call: native code reads it while
// Go's context.AfterFunc writes it.
type cancelFlag struct{ v int32 }

func (s *kernelSolver) Solve(ctx context.Context, m *Matrix, opt Options) (Tour, error) {
	if err := opt.Validate(m); err != nil {
		return Tour{}, err
	}
	alg := m.algorithmFor(opt.Algorithm, opt.End.endIndex())
	opt.Algorithm = alg
	if opt.Budget == 0 {
		if _, ok := ctx.Deadline(); !ok {
			opt.Budget = DefaultBudget(m.n)
		}
	}
	ps := newProgressSink(opt, alg)
	if m.asym || !opt.End.Closed() {
		return s.solveRoute(ctx, m, opt, alg, ps) // routes.go
	}
	red, err := m.reduce(ctx, alg, opt.Start, -1)
	if err != nil {
		// ctx ended while the duplicates merged: the stopped tour of the
		// input, as a kernel stopped at once gives it.
		return s.stoppedAtOnce(ctx, m, opt)
	}
	if red != nil {
		// Duplicate cities: the kernel solves the distinct places.
		ropt := opt
		ropt.Start = red.start
		if ps != nil { // no closure to allocate without progress
			ps.setBack(func(o []int) ([]int, float64) {
				t := red.expand(m, Tour{Order: o}, false)
				return t.Order, t.Length
			}, nil)
		}
		t, err := s.solve(ctx, red.m, ropt, 0, ps)
		if t.Order == nil {
			return t, err
		}
		return red.expand(m, t, t.Status == Optimal), err
	}
	if ps != nil {
		ps.setBack(func(o []int) ([]int, float64) { return o, TourLength(m, o) }, nil)
	}
	return s.solve(ctx, m, opt, 0, ps)
}

// stoppedAtOnce is what Solve returns when ctx ends before the kernel is
// called: the kernel's answer to a cancel flag set before it starts (the
// nearest-neighbour tour of its first 63 steps, completed in index order:
// see tsp_solve), from Nearest, which takes any number of cities, labelled
// with opt.Algorithm.
func (s *kernelSolver) stoppedAtOnce(ctx context.Context, m *Matrix, opt Options) (Tour, error) {
	alg := opt.Algorithm
	opt.Algorithm = Nearest
	t, err := s.solve(ctx, m, opt, 0, nil)
	if t.Order != nil {
		t.Algorithm = alg
		err = fmt.Errorf("tsp: %s search stopped, returning the best tour found: %w", alg, ctx.Err())
	}
	return t, err
}

// solve makes the one kernel call of Solve on m, with no duplicates to
// merge, with opt.Algorithm concrete (not Auto) and flags (abi.FlagDirected
// or 0) ORed into it.
// ps, when not nil, receives the kernel's progress (see progress.go).
func (s *kernelSolver) solve(ctx context.Context, m *Matrix, opt Options, flags int32, ps *progressSink) (Tour, error) {
	n := m.n
	alg := opt.Algorithm
	flag := new(cancelFlag)
	if ctx.Err() != nil {
		flag.v = 1
	}
	stop := context.AfterFunc(ctx, func() { atomic.StoreInt32(&flag.v, 1) })
	order := make([]int32, n)
	var length, lb float64
	var nodes uint64
	var code int32
	if ps != nil && s.kp != nil {
		ps.kernelStart, ps.directed = int32(opt.Start), flags&abi.FlagDirected != 0
		code = s.kp(m.d, int32(n), int32(opt.Start), alg.number()|abi.FlagChecked|flags, opt.Seed, opt.Budget,
			&flag.v, ps.report, order, &length, &lb, &nodes)
	} else {
		code = s.k(m.d, int32(n), int32(opt.Start), alg.number()|abi.FlagChecked|flags, opt.Seed, opt.Budget,
			&flag.v, order, &length, &lb, &nodes)
	}
	stop()
	switch code {
	case abi.CodeOK, abi.CodeStopped:
	case abi.CodeTooLarge:
		return Tour{}, fmt.Errorf("%w: %s refused %d cities", ErrTooLarge, s.name, n)
	case abi.CodeNoMemory:
		return Tour{}, fmt.Errorf("%w (%s, %d cities)", ErrOutOfMemory, s.name, n)
	case abi.CodeInvalid:
		return Tour{}, fmt.Errorf("%w: %s rejected the input as invalid", ErrKernel, s.name)
	default:
		return Tour{}, fmt.Errorf("%w: %s returned status %d", ErrKernel, s.name, code)
	}
	t := Tour{Order: make([]int, n), Length: length, LowerBound: lb, Nodes: nodes, Algorithm: alg}
	seen := make([]bool, n)
	for i, c := range order {
		if c < 0 || int(c) >= n || seen[c] {
			return Tour{}, fmt.Errorf("%w: %s returned an order that is not a permutation", ErrKernel, s.name)
		}
		seen[c] = true
		t.Order[i] = int(c)
	}
	if t.Order[0] != opt.Start {
		return Tour{}, fmt.Errorf("%w: %s returned a tour that does not begin at start", ErrKernel, s.name)
	}
	if err := checkReport(s.name, m, t); err != nil {
		return Tour{}, err
	}
	switch {
	case code == abi.CodeStopped:
		t.Status = Stopped
		err := ctx.Err()
		if perr := ps.err(); perr != nil && (err == nil || ps.panicked) {
			err = perr // the progress callback stopped it (or panicked)
		}
		if err == nil { // the flag is only set from ctx, but never report success for a stopped search
			err = context.Canceled
		}
		return t, fmt.Errorf("tsp: %s search stopped, returning the best tour found: %w", alg, err)
	case alg == Exhaustive || alg == Exact:
		t.Status = Optimal
	default:
		t.Status = Heuristic
	}
	if ps != nil && ps.panicked { // at the last report, with no poll after it
		return t, ps.err()
	}
	return t, nil
}

// checkReport checks the numbers a kernel reported for the tour t, whose
// Order is already known to be a permutation from Start: Length must be the
// length of Order recomputed in Go, summed the one way every kernel sums it
// (TourLength), in every bit, and LowerBound a number in [0, Length]. A
// kernel that reports anything else is broken, and its tour is not returned.
func checkReport(name string, m *Matrix, t Tour) error {
	if want := TourLength(m, t.Order); math.Float64bits(t.Length) != math.Float64bits(want) {
		return fmt.Errorf("%w: %s reported length %v for a tour of length %v", ErrKernel, name, t.Length, want)
	}
	if lb := t.LowerBound; math.IsNaN(lb) || lb < 0 || lb > t.Length {
		return fmt.Errorf("%w: %s reported lower bound %v, outside [0, %v] (the tour's length)", ErrKernel, name, lb, t.Length)
	}
	return nil
}

// Validate reports whether o can be solved on m: the matrix is set, the
// algorithm is known, the start and the end are in range (an end equal to
// the start only for a single city), and the size within the algorithm's
// limit, counting the cities left after merging duplicates (see Solver):
// 40 stops on 13 distinct places fit Exhaustive. An asymmetric matrix or a
// route that does not return to Start may take fewer (see End and
// MaxCitiesFor). Every Solver checks this before it solves.
func (o Options) Validate(m *Matrix) error {
	if m == nil {
		return ErrNilMatrix
	}
	if m.n == 0 {
		return ErrEmpty
	}
	max := o.Algorithm.MaxCities()
	if max == 0 {
		return fmt.Errorf("%w: %d", ErrAlgorithm, int32(o.Algorithm))
	}
	if o.Start < 0 || o.Start >= m.n {
		return fmt.Errorf("%w: %d with %d cities", ErrStart, o.Start, m.n)
	}
	if o.Budget < 0 {
		return fmt.Errorf("%w: %d", ErrBudget, o.Budget)
	}
	if err := o.End.validate(m.n, o.Start); err != nil {
		return err
	}
	if m.asym || !o.End.Closed() {
		return o.validateRoute(m) // routes.go
	}
	if m.n > max {
		if k := m.reducedN(m.algorithmFor(o.Algorithm, -1), -1); k > max {
			if k < m.n {
				return fmt.Errorf("%w: %s takes at most %d cities, got %d (%d after merging duplicates)", ErrTooLarge, o.Algorithm, max, m.n, k)
			}
			return fmt.Errorf("%w: %s takes at most %d cities, got %d", ErrTooLarge, o.Algorithm, max, m.n)
		}
	}
	return nil
}

// goSolver is the pure-Go backend.
var goSolver = &kernelSolver{name: "go", k: goKernel, kp: goKernelProgress}

// Go returns the pure-Go backend, named "go": the reference every other
// backend is tested against. It is safe for concurrent use.
func Go() Solver { return goSolver }

// Solve solves m with the pure-Go backend.
func Solve(ctx context.Context, m *Matrix, opt Options) (Tour, error) {
	return goSolver.Solve(ctx, m, opt)
}

// SolveCities solves cities with the pure-Go backend. Round trips with
// Nearest, TwoOpt or Iterated (Auto's choice above AutoExactMax cities) go
// the coordinate path (SolvePoints of CityPoints(cities): no matrix, up to
// MaxPoints cities, the same distances); everything else builds the
// haversine matrix of cities and solves it, as below.
//
// Building the matrix takes O(n²) time (about a second at 10,000 cities)
// and is bounded by ctx like the search: when ctx ends first, SolveCities
// returns the cities in index order from Start (status Stopped), its length
// summed from the haversine distances. Its allocation (800 MB at 10,000
// cities), which the runtime cannot interrupt, runs on a goroutine of its
// own that ctx does not wait for (at most one such allocation is in flight;
// the next waits for it, or for its own ctx). What the matrix would be
// refused for (Exact or Exhaustive on too many cities, a bad Start or End)
// is refused before it is built whenever no two cities can be duplicates.
func SolveCities(ctx context.Context, cities []City, opt Options) (Tour, error) {
	if usePoints(len(cities), opt) {
		return solveCitiesPoints(ctx, cities, opt) // points.go: no matrix (issue 21)
	}
	if err := refusedCities(cities, opt); err != nil {
		return Tour{}, err // before the matrix: Exact on 10,000 cities, a bad Start
	}
	m, err := haversineMatrix(ctx, cities)
	if err == errStoppedEarly {
		return stoppedCities(ctx, cities, opt)
	}
	if err != nil {
		return Tour{}, err
	}
	return goSolver.Solve(ctx, m, opt)
}

func init() {
	abi.NewSolver = func(name string, k abi.Func) any { return newKernelSolver(name, k) }
	abi.MatrixData = func(m any) []float64 { return m.(*Matrix).d }
	abi.NewMatrixOwned = func(n int, d []float64) (any, error) {
		m, err := newMatrixOwned(n, d)
		if err != nil {
			return nil, err // not a typed nil in the interface
		}
		return m, nil
	}
	abi.GoKernel = goKernel
	abi.GoCheck = func(d []float64, n int32, directed bool, cancel *int32) int32 {
		k := kernelState{d: d, n: n, directed: directed, cancel: cancel}
		switch k.checkDistances() {
		case checkValid:
			return abi.CodeOK
		case checkStopped:
			return abi.CodeStopped
		}
		return abi.CodeInvalid
	}
	abi.GoKernelProgress = goKernelProgress
	abi.NewSolverProgress = func(name string, k abi.Func, kp abi.FuncProgress) any {
		return &kernelSolver{name: name, k: k, kp: kp}
	}
}

// TourLength sums the distances along order from order[0] and back to it, in
// that order: the one way every backend computes Tour.Length.
func TourLength(m *Matrix, order []int) float64 {
	n := m.n
	if len(order) == 0 {
		return 0
	}
	s := 0.0
	for i := 1; i < len(order); i++ {
		s += m.d[order[i-1]*n+order[i]]
	}
	return s + m.d[order[len(order)-1]*n+order[0]]
}

// MaxTourLength bounds the length of any tour: a matrix of n cities is
// refused (ErrOverflow) when a distance exceeds MaxTourLength/n, in
// NewMatrix and in every kernel. It is 2^1014, about math.MaxFloat64/1024
// (1.8e305), so that nothing a search computes can overflow:
//
//   - a tour, a partial path or any sum of at most n distances is at most
//     MaxTourLength (rounding adds a relative n·2⁻⁵³ at most);
//   - a 2-opt or Or-opt gain adds and subtracts four distances: at most
//     4·MaxTourLength/n;
//   - a Held–Karp bound sums n edge weights d[i][j] + pi[i] + pi[j] and
//     subtracts 2·Σpi: with penalties |pi| ≤ P it is at most
//     MaxTourLength + 4n·P, finite for every P up to about 128 times the
//     largest distance. Subgradient steps are λ(UB − L)/Σ(deg−2)² with
//     λ ≤ 2, and the penalties stay of the order of the distances; an
//     ascent whose 1-tree still overflows ends without a bound.
//
// Before this limit a matrix with distances near math.MaxFloat64 made
// every tour +Inf, and the local search compared infinities forever.
const MaxTourLength = 0x1p1014 // 2^abi.MaxTourLengthLog2; TestMaxTourLength checks it

// Matrix holds n×n distances row-major in one slice, so native code gets one
// pointer: d[i][j] is the cost from i to j. A Matrix from a constructor is
// valid: square, finite, non-negative, zero diagonal, no distance above
// MaxTourLength/n. It may be asymmetric (d[i][j] != d[j][i]: one-way
// streets, driving times from a routing service); every algorithm solves
// it (see End for how). It is immutable.
type Matrix struct {
	n int
	d []float64

	asym bool    // some d[i][j] != d[j][i]
	max  float64 // the largest distance (an upper bound of it in a reduced matrix)

	dup *dupGroups // nil when no two rows are equal; found by the constructor
}

// NewMatrix validates an n×n row-major slice and wraps a copy of it.
func NewMatrix(n int, data []float64) (*Matrix, error) {
	if n <= 0 {
		return nil, ErrEmpty
	}
	if n > MaxHeuristic {
		return nil, fmt.Errorf("%w: %d cities, at most %d", ErrTooLarge, n, MaxHeuristic)
	}
	if len(data) != n*n {
		return nil, fmt.Errorf("%w: %d values for n=%d", ErrMatrixLength, len(data), n)
	}
	d := make([]float64, n*n)
	copy(d, data)
	return newMatrixOwned(n, d)
}

// newMatrixOwned validates an n×n row-major slice in place and wraps it
// without a copy: the Matrix owns d from then on, so the caller must keep
// no reference to it. NewMatrix calls it with its copy; package tsplib,
// which builds a matrix's slice for it alone, calls it through
// abi.NewMatrixOwned to spare a second n²·8 bytes (800 MB at 10,000
// cities).
func newMatrixOwned(n int, d []float64) (*Matrix, error) {
	if n <= 0 {
		return nil, ErrEmpty
	}
	if n > MaxHeuristic {
		return nil, fmt.Errorf("%w: %d cities, at most %d", ErrTooLarge, n, MaxHeuristic)
	}
	if len(d) != n*n {
		return nil, fmt.Errorf("%w: %d values for n=%d", ErrMatrixLength, len(d), n)
	}
	m := &Matrix{n: n, d: d}
	if err := m.validate(); err != nil {
		return nil, err
	}
	m.dup = findDuplicates(n, d, !m.asym)
	return m, nil
}

// NewMatrixRows validates rows (each of len(rows) values) and copies them.
func NewMatrixRows(rows [][]float64) (*Matrix, error) {
	n := len(rows)
	if n == 0 {
		return nil, ErrEmpty
	}
	if n > MaxHeuristic {
		return nil, fmt.Errorf("%w: %d cities, at most %d", ErrTooLarge, n, MaxHeuristic)
	}
	d := make([]float64, 0, n*n)
	for i, r := range rows {
		if len(r) != n {
			return nil, fmt.Errorf("%w: row %d has %d values, want %d", ErrNotSquare, i, len(r), n)
		}
		d = append(d, r...)
	}
	m := &Matrix{n: n, d: d}
	if err := m.validate(); err != nil {
		return nil, err
	}
	m.dup = findDuplicates(n, d, !m.asym)
	return m, nil
}

// validate checks m's distances and records whether m is symmetric and its
// largest distance.
func (m *Matrix) validate() error {
	n := m.n
	if ok, sym, max := scanMatrix(m.d, n); ok {
		m.asym, m.max = !sym, max
		return nil
	}
	// Which value is wrong, the first in row order: a slower scan, only for
	// the error message.
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			v := m.d[i*n+j]
			switch {
			case math.IsNaN(v):
				return fmt.Errorf("%w: d[%d][%d]", ErrNaN, i, j)
			case math.IsInf(v, 0):
				return fmt.Errorf("%w: d[%d][%d]", ErrInfinite, i, j)
			case v > maxDistance(int32(n)):
				return fmt.Errorf("%w: d[%d][%d] = %g, at most MaxTourLength/n = %g with %d cities", ErrOverflow, i, j, v, maxDistance(int32(n)), n)
			case v < 0:
				return fmt.Errorf("%w: d[%d][%d] = %g", ErrNegative, i, j, v)
			case i == j && v != 0:
				return fmt.Errorf("%w: d[%d][%d] = %g", ErrDiagonal, i, j, v)
			}
		}
	}
	return errors.New("tsp: internal error: invalid matrix with no invalid value") // not reached
}

// N is the number of cities.
func (m *Matrix) N() int { return m.n }

// Symmetric reports whether d[i][j] == d[j][i] for every i and j.
func (m *Matrix) Symmetric() bool { return !m.asym }

// At is the distance from i to j.
func (m *Matrix) At(i, j int) float64 { return m.d[i*m.n+j] }
