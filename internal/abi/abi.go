// Package abi is the C ABI of native/tsp.h in Go: the constants every
// backend shares and the shape of one kernel call. It imports nothing, so
// that the root package and the backends can all import it. The cgo
// backends check these constants against tsp.h at compile time, and the
// loader's tests read tsp.h to check them for purego.
//
// Package kernel exports what a third-party backend needs of it.
package abi

// Status codes a kernel returns: TSP_* in tsp.h.
const (
	CodeOK       int32 = 0 // TSP_OK: finished
	CodeStopped  int32 = 1 // TSP_STOPPED: the cancel flag stopped it; outputs hold the best so far
	CodeInvalid  int32 = 2 // TSP_INVALID: invalid input
	CodeTooLarge int32 = 3 // TSP_TOO_LARGE: n over the algorithm's limit
	CodeNoMemory int32 = 4 // TSP_NO_MEMORY: an allocation failed
	CodeInternal int32 = 5 // TSP_INTERNAL: anything else (a C++ exception, say)
)

// Version is TSP_ABI_VERSION: what tsp_abi_version() of a compatible
// library returns.
const Version int32 = 7

// Algorithm numbers: TSP_EXHAUSTIVE ... TSP_TWOOPT. They never change.
const (
	Exhaustive int32 = 0
	Exact      int32 = 1
	Nearest    int32 = 2
	TwoOpt     int32 = 3
	Iterated   int32 = 4
)

// Flags ORed into the algorithm argument: TSP_CHECKED and
// TSP_ALGORITHM_MASK. FlagChecked says the matrix was checked when it was
// made, so the kernel skips its own check; every solve of package tsp
// passes it, since a tsp.Matrix is checked by its constructor and never
// changes.
const (
	FlagChecked   int32 = 0x100
	AlgorithmMask int32 = 0xff
)

// FlagDirected is TSP_DIRECTED (ABI 3): the matrix may be asymmetric and
// the tour is directed, never turned around. Only Exhaustive and Nearest
// take it. Package tsp passes it for asymmetric costs and for routes that
// do not return to the start.
const FlagDirected int32 = 0x200

// Size limits: TSP_MAX_*.
const (
	MaxExhaustive = 13
	MaxExact      = 250
	MaxHeuristic  = 10000
)

// MaxTourLengthLog2 is TSP_MAX_TOUR_LENGTH_LOG2: a kernel refuses a matrix
// of n cities whose largest distance exceeds 2^MaxTourLengthLog2 / n, so
// that no tour can be longer than 2^1014 (about MaxFloat64/1024; tsp.go
// explains the margin).
const MaxTourLengthLog2 = 1014

// Kernel ids, from tsp_kernel_id: TSP_KERNEL_*.
const (
	KernelC   int32 = 1
	KernelCPP int32 = 2
	// KernelGo is libtsp_go.so: the pure-Go kernel built as a C shared
	// library (native/golib). C and Python programs load it; a Go program
	// cannot (package loader refuses it).
	KernelGo int32 = 3
)

// MaxCities is the largest n the algorithm accepts; 0 for an unknown one.
func MaxCities(algorithm int32) int {
	switch algorithm {
	case Exhaustive:
		return MaxExhaustive
	case Exact:
		return MaxExact
	case Nearest, TwoOpt, Iterated:
		return MaxHeuristic
	}
	return 0
}

// Func is the shape of one call to tsp_solve: the n×n matrix row-major,
// start, algorithm (an ABI number), the seed and budget of Iterated, a cancel flag the kernel polls (read
// atomically; non-zero means stop), outputs through order (n entries),
// length, lowerBound and nodes, and a status code as the result.
type Func func(dist []float64, n, start, algorithm int32, seed uint64, budget int64,
	cancel *int32, order []int32, length, lowerBound *float64, nodes *uint64) int32

// Hooks that package tsp sets when it initialises, so that package kernel
// (which imports tsp) can reach what tsp keeps unexported without tsp
// importing it. Their values are *tsp.Matrix and tsp.Solver, typed any here
// because this package cannot import tsp.
//
// NewMatrixOwned validates an n×n row-major slice like tsp.NewMatrix but
// wraps d itself, without a copy: the Matrix owns d from then on, and the
// caller must keep no reference to it. Package tsplib uses it for the
// slice it builds, so that reading a matrix costs it once, not twice.
var (
	NewSolver      func(name string, k Func) any
	MatrixData     func(m any) []float64
	NewMatrixOwned func(n int, d []float64) (any, error)
	GoKernel       Func
	// GoCheck is the Go kernel's check of a matrix (what tsp_solve does
	// without TSP_CHECKED), for workers, which trust no TSP_CHECKED from
	// their input: CodeOK, CodeInvalid, or CodeStopped when the flag
	// cancel (nil: none) stopped it.
	GoCheck func(d []float64, n int32, directed bool, cancel *int32) int32
)

// Progress events, TSP_PROGRESS_* in tsp.h (ABI 6): what improved when a
// kernel calls its progress function.
const (
	ProgressTour  int32 = 1 // TSP_PROGRESS_TOUR: a shorter best tour
	ProgressBound int32 = 2 // TSP_PROGRESS_BOUND: a higher proven lower bound
)

// ProgressFunc is the kernel's side of a progress callback (tsp_progress_fn
// in tsp.h): event (ProgressTour or ProgressBound), the best length and the
// best bound so far (0: none yet), the nodes so far, and the best tour as
// the kernel holds it (n entries, a cycle not yet rotated to start; kernel
// memory, valid only during the call). A non-zero result asks the kernel to
// stop, as the cancel flag does. Package tsp's implementation never panics.
type ProgressFunc func(event int32, length, bound float64, nodes uint64, order []int32) int32

// FuncProgress is the shape of one call to tsp_solve_progress: Func with a
// progress function (nil: none, and then exactly Func).
type FuncProgress func(dist []float64, n, start, algorithm int32, seed uint64, budget int64,
	cancel *int32, progress ProgressFunc, order []int32, length, lowerBound *float64, nodes *uint64) int32

// NewSolverProgress is NewSolver for a backend that also has
// tsp_solve_progress: k runs solves without a callback, kp those with one.
var NewSolverProgress func(name string, k Func, kp FuncProgress) any

// GoKernelProgress is the pure-Go kernel's tsp_solve_progress.
var GoKernelProgress FuncProgress
