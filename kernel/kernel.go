// Package kernel is for authors of backends: it turns one native call of the
// shape of tsp_solve (native/tsp.h) into a tsp.Solver that behaves like every
// backend of this module at the edges, and it exports the ABI's constants.
//
// A backend writes a [Func] that makes exactly one call into its kernel and
// wraps it with [NewSolver]. NewSolver validates the matrix and options
// before the call (the kernel still checks them, but never sees bad input
// from Go), passes a cancel flag that the context sets, checks what the
// kernel returned (a permutation starting at Start, a known status code)
// and converts it into a tsp.Tour. It trusts no number the kernel reports:
// the length is recomputed in Go from the order and must agree in every bit,
// and the lower bound must lie in [0, Length]; anything else is an error
// wrapping tsp.ErrKernel. The cgo backends (cbackend, cppbackend),
// the purego backends (loader) and the pure-Go backend (tsp.Go) all use it.
//
// Users of the library need none of this: they call tsp.Solve or a Solver.
package kernel

import (
	"github.com/ffi4go/tsp"
	"github.com/ffi4go/tsp/internal/abi"
)

// Func is one call to a kernel with the shape of tsp_solve: the n×n matrix
// row-major, start, algorithm (an ABI number: AlgExhaustive ... AlgIterated,
// ORed with FlagChecked: NewSolver always sets it, since a tsp.Matrix is
// checked when it is made and never changes, so the kernel may skip its own
// check; algorithm & AlgorithmMask is the number), a
// cancel flag the kernel polls (read atomically; non-zero means stop),
// outputs through order (n entries), length, lowerBound and nodes, and a
// status code (CodeOK ...) as the result.
type Func = abi.Func

// Status codes a Func returns, TSP_* in tsp.h.
const (
	CodeOK       = abi.CodeOK       // finished
	CodeStopped  = abi.CodeStopped  // the cancel flag stopped it; outputs hold the best so far
	CodeInvalid  = abi.CodeInvalid  // invalid input
	CodeTooLarge = abi.CodeTooLarge // n over the algorithm's limit
	CodeNoMemory = abi.CodeNoMemory // an allocation failed
	CodeInternal = abi.CodeInternal // anything else (a C++ exception, say)
)

// ABIVersion is TSP_ABI_VERSION, what tsp_abi_version() of a compatible
// library returns.
const ABIVersion = abi.Version

// Algorithm numbers of the ABI (TSP_EXHAUSTIVE ...), which never change.
const (
	AlgExhaustive = abi.Exhaustive
	AlgExact      = abi.Exact
	AlgNearest    = abi.Nearest
	AlgTwoOpt     = abi.TwoOpt
	AlgIterated   = abi.Iterated
)

// Flags ORed into a Func's algorithm argument: TSP_CHECKED and
// TSP_ALGORITHM_MASK in tsp.h.
const (
	FlagChecked   = abi.FlagChecked   // the matrix is already checked
	AlgorithmMask = abi.AlgorithmMask // algorithm & AlgorithmMask: the algorithm number
	// FlagDirected: the matrix may be asymmetric and the tour is directed
	// (never turned around); only AlgExhaustive and AlgNearest take it.
	FlagDirected = abi.FlagDirected
)

// Number returns the ABI number of a concrete algorithm (not tsp.Auto), and
// false for any other value.
func Number(a tsp.Algorithm) (int32, bool) {
	switch a {
	case tsp.Exhaustive:
		return AlgExhaustive, true
	case tsp.Exact:
		return AlgExact, true
	case tsp.Nearest:
		return AlgNearest, true
	case tsp.TwoOpt:
		return AlgTwoOpt, true
	case tsp.Iterated:
		return AlgIterated, true
	}
	return 0, false
}

// FuncProgress is one call to a kernel with the shape of
// tsp_solve_progress (ABI 6): Func with a progress function the kernel
// calls when its best tour or bound improves (nil: none). See tsp.h for
// when and with what; a non-zero result asks the kernel to stop.
type FuncProgress = abi.FuncProgress

// ProgressFunc is the kernel's side of a progress callback: event
// (ProgressTour or ProgressBound), the best length and bound, the nodes so
// far and the kernel's best cycle (valid during the call only).
type ProgressFunc = abi.ProgressFunc

// Progress events of a ProgressFunc: TSP_PROGRESS_* in tsp.h.
const (
	ProgressTour  = abi.ProgressTour
	ProgressBound = abi.ProgressBound
)

// NewSolverProgress is NewSolver for a kernel that also has
// tsp_solve_progress: solves with Options.Progress set run kp, the others
// k. (A Solver from NewSolver never calls Options.Progress.)
func NewSolverProgress(name string, k Func, kp FuncProgress) tsp.Solver {
	return abi.NewSolverProgress(name, k, kp).(tsp.Solver)
}

// NewSolver returns the Solver named name that runs k once per solve.
func NewSolver(name string, k Func) tsp.Solver {
	return abi.NewSolver(name, k).(tsp.Solver)
}

// Data returns m's distances row-major: the matrix's own storage, handed to
// a kernel without a copy. Never modify it.
func Data(m *tsp.Matrix) []float64 { return abi.MatrixData(m) }

// Go returns the pure-Go kernel, the reference every backend is tested
// against, as a Func: what tsp.Go runs.
func Go() Func { return abi.GoKernel }

// GoProgress returns the pure-Go kernel's tsp_solve_progress.
func GoProgress() FuncProgress { return abi.GoKernelProgress }
