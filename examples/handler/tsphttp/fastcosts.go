package tsphttp

import (
	"errors"
	"strings"

	"github.com/ffi4go/tsp"
)

// FastCosts reads the cost matrix at the start of data (after white space)
// with the library's fast reader (tsp.DecodeCostMatrix: about 7 times
// DecodeCosts' speed, a few thousand allocations where DecodeCosts, which
// reads token by token, makes seven a value), with at most maxCities
// cities, checked while reading. rest is what follows the object. ok is
// false for anything DecodeCosts would refuse: the caller then decodes
// data with DecodeCosts, whose error is the answer. The one exception is a
// name that is not valid UTF-8, which DecodeCosts cannot see (encoding/json
// replaces the bad bytes with U+FFFD): err then says which name, wrapping
// tsp.ErrSyntax.
func FastCosts(data []byte, maxCities int) (c Costs, rest []byte, ok bool, err error) {
	m, names, rest, err := tsp.DecodeCostMatrix(data, maxCities)
	if err != nil {
		if errors.Is(err, tsp.ErrSyntax) && strings.Contains(err.Error(), "is not valid UTF-8") {
			return Costs{}, nil, false, err
		}
		return Costs{}, nil, false, nil
	}
	return Costs{Names: names, Matrix: m}, rest, true, nil
}
