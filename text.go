package tsp

import "fmt"

// Algorithm and Status are written as their names in JSON, XML, flags and
// anywhere else encoding.TextMarshaler is honoured: "exact", "optimal".
// Both directions go through Algorithm.String and ParseAlgorithm (and
// Status.String and ParseStatus), so a value added to either type is
// encoded by its name as soon as those two know it.

// maxTextQuote bounds how much of a bad name an error message repeats.
const maxTextQuote = 40

// quoteText quotes b for an error message, at most maxTextQuote bytes of it.
func quoteText(b []byte) string {
	if len(b) > maxTextQuote {
		return fmt.Sprintf("%q…", b[:maxTextQuote])
	}
	return fmt.Sprintf("%q", b)
}

// MarshalText returns the algorithm's name, the one String returns. An
// unknown value is an error wrapping ErrAlgorithm.
func (a Algorithm) MarshalText() ([]byte, error) {
	s := a.String()
	if b, err := ParseAlgorithm(s); err != nil || b != a {
		return nil, fmt.Errorf("%w: %d has no name", ErrAlgorithm, int32(a))
	}
	return []byte(s), nil
}

// UnmarshalText sets a to the algorithm named text, as ParseAlgorithm
// reads it. An unknown name is an error wrapping ErrAlgorithm (and so
// ErrInvalidInput); a is then unchanged.
func (a *Algorithm) UnmarshalText(text []byte) error {
	if len(text) > maxTextQuote {
		return fmt.Errorf("%w: %s", ErrAlgorithm, quoteText(text))
	}
	v, err := ParseAlgorithm(string(text))
	if err != nil {
		return err
	}
	*a = v
	return nil
}

// ParseStatus is the inverse of Status.String: "heuristic", "optimal" or
// "stopped". Any other text is an error wrapping ErrInvalidInput.
func ParseStatus(s string) (Status, error) {
	for _, v := range []Status{Heuristic, Optimal, Stopped} {
		if s == v.String() {
			return v, nil
		}
	}
	return 0, fmt.Errorf("%w: unknown status %s (want heuristic, optimal or stopped)", ErrInvalidInput, quoteText([]byte(s)))
}

// MarshalText returns the status's name, the one String returns. An
// unknown value is an error wrapping ErrInvalidInput.
func (s Status) MarshalText() ([]byte, error) {
	name := s.String()
	if v, err := ParseStatus(name); err != nil || v != s {
		return nil, fmt.Errorf("%w: status %d has no name", ErrInvalidInput, int(s))
	}
	return []byte(name), nil
}

// UnmarshalText sets s to the status named text, as ParseStatus reads it.
// An unknown name is an error wrapping ErrInvalidInput; s is then unchanged.
func (s *Status) UnmarshalText(text []byte) error {
	v, err := ParseStatus(string(text))
	if err != nil {
		return err
	}
	*s = v
	return nil
}
