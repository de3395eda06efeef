package tsp

import "errors"

// ErrInvalidInput is the umbrella of every bad-input error: each sentinel
// below that describes bad input (everything but ErrUnavailable,
// ErrOutOfMemory and ErrKernel) matches it with errors.Is, so a caller can
// tell the user's mistake from a failure of the program with one test:
//
//	if errors.Is(err, tsp.ErrInvalidInput) {
//		// 400 Bad Request, exit status 65, ... with err.Error() as the message
//	}
//
// The specific sentinels keep working as before: errors.Is(err, ErrLatitude).
var ErrInvalidInput = errors.New("tsp: invalid input")

// inputError is a sentinel for one kind of bad input: it is itself (so
// errors.Is(err, ErrLatitude) works as with errors.New) and also
// ErrInvalidInput, while its message stays its own.
type inputError struct{ msg string }

func (e *inputError) Error() string { return e.msg }

// Is reports whether target is ErrInvalidInput.
func (e *inputError) Is(target error) bool { return target == ErrInvalidInput }

func invalid(msg string) error { return &inputError{msg: msg} }

// Sentinel errors. Every error a Solver, constructor or reader returns for
// bad input wraps one of the bad-input sentinels, and so ErrInvalidInput
// too; callers test with errors.Is.
var (
	// ErrEmpty: no cities (an empty list, a 0×0 matrix).
	ErrEmpty = invalid("tsp: no cities")
	// ErrStart: Options.Start is not the index of a city.
	ErrStart = invalid("tsp: start out of range")
	// ErrNaN: a coordinate or distance is NaN.
	ErrNaN = invalid("tsp: value is NaN")
	// ErrInfinite: a coordinate or distance is infinite (or, in text, a
	// number too large for a float64, such as 1e400).
	ErrInfinite = invalid("tsp: value is infinite")
	// ErrLatitude: a latitude outside [-90, 90] degrees.
	ErrLatitude = invalid("tsp: latitude outside [-90, 90]")
	// ErrLongitude: a longitude outside [-180, 180] degrees.
	ErrLongitude = invalid("tsp: longitude outside [-180, 180]")
	// ErrNotSquare: the rows of a matrix are not all n values long.
	ErrNotSquare = invalid("tsp: matrix is not square")
	// ErrNegative: a negative distance.
	ErrNegative = invalid("tsp: negative distance")
	// ErrDiagonal: a city's distance to itself is not 0.
	ErrDiagonal = invalid("tsp: non-zero diagonal")
	// ErrAsymmetric: d[i][j] != d[j][i] where symmetric distances are
	// required. Matrices accept asymmetric distances since issue 16, so
	// no constructor returns it any more; it is kept for callers that test
	// for it, and package tsplib returns it for a TYPE: TSP file whose
	// FULL_MATRIX is asymmetric (TYPE: ATSP is read).
	ErrAsymmetric = invalid("tsp: asymmetric distances where symmetric ones are required")
	// ErrEnd: Options.End is not the index of a city, or is the start of
	// a route of more than one city (a round trip is the zero End).
	ErrEnd = invalid("tsp: bad end of route")
	// ErrOverflow: a distance above MaxTourLength/n in a matrix of n
	// cities, so large that a tour could overflow to +Inf.
	ErrOverflow = invalid("tsp: distances too large: a tour could overflow")
	// ErrTooLarge: more cities than the algorithm (or a matrix, or a city
	// list) takes; see MaxExhaustive, MaxExact and MaxHeuristic. Readers
	// also use it for input over their size limits.
	ErrTooLarge = invalid("tsp: too many cities for the algorithm")
	// ErrAlgorithm: an Algorithm value or name that is not known.
	ErrAlgorithm = invalid("tsp: unknown algorithm")
	// ErrBudget: Options.Budget is negative.
	ErrBudget = invalid("tsp: negative budget")
	// ErrNilMatrix: a nil *Matrix.
	ErrNilMatrix = invalid("tsp: nil matrix")
	// ErrMatrixLength: NewMatrix got a slice whose length is not n*n.
	ErrMatrixLength = invalid("tsp: matrix data length is not n*n")
	// ErrSyntax: a city list ReadCities or DecodeCitiesJSON cannot read:
	// malformed JSON or CSV, a missing or unknown field, a value of the
	// wrong kind, a name too long, data after the list.
	ErrSyntax = invalid("tsp: malformed city list")

	// ErrUnavailable: a backend cannot be used here (no cgo, no shared
	// library). Not bad input.
	ErrUnavailable = errors.New("tsp: backend unavailable")
	// ErrOutOfMemory: a native kernel could not allocate. Not bad input.
	ErrOutOfMemory = errors.New("tsp: native kernel out of memory")
	// ErrKernel: a kernel failed or returned something impossible. Not bad
	// input.
	ErrKernel = errors.New("tsp: native kernel failed")
	// ErrProgressStop: Options.Progress returned true, and the search
	// stopped with the best route so far (status Stopped). Not bad input.
	ErrProgressStop = errors.New("tsp: the progress callback stopped the search")
	// ErrProgressPanic: Options.Progress panicked; the panic was recovered
	// (it never crosses into native code), the search stopped, and the best
	// route so far comes with status Stopped. Not bad input.
	ErrProgressPanic = errors.New("tsp: the progress callback panicked")
)
