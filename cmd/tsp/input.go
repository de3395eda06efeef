package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/ffi4go/tsp"
	"github.com/ffi4go/tsp/tsplib"
)

// problem is one instance to solve: its distance matrix and city names.
type problem struct {
	label  string      // what it was read from: a path, "stdin", "demo11"
	names  []string    // the name of each city, by index
	m      *tsp.Matrix // nil until needed when pts is set (matrix)
	cities bool        // distances are great-circle km between cities (not TSPLIB units)
	pts    *tsp.Points // the coordinates, for the coordinate path (points.go); nil for cost matrices and EXPLICIT
}

// unit is the unit of the lengths: "km" for cities, "" for TSPLIB.
func (p *problem) unit() string {
	if p.cities {
		return "km"
	}
	return ""
}

// builtin are the FILE names that stand for the built-in city lists.
var builtin = map[string]func() []tsp.City{
	"demo11": tsp.Demo11,
	"demo30": tsp.Demo30,
}

// maxInput bounds what is read of one TSPLIB file: far more than 10,000
// cities take. City lists have tsp.ReadCities' own limits.
const maxInput = 64 << 20

// loadProblem reads the instance FILE names: a built-in list, "-" for a
// city list (JSON or CSV) or a JSON cost matrix on stdin, a .tsp or .atsp
// file as TSPLIB, a .csv file as a city list, a .json file as a city list
// or a cost matrix ({"names": …, "matrix": …}), and any other file as
// TSPLIB, a cost matrix or a city list by its content. City lists are read
// by tsp.ReadCities, cost matrices by tsp.ReadCostMatrix.
func loadProblem(arg string, stdin io.Reader) (*problem, error) {
	if f, ok := builtin[arg]; ok {
		return citiesProblem(arg, f())
	}
	if arg == "-" {
		if stdin == nil {
			stdin = strings.NewReader("")
		}
		br := bufio.NewReaderSize(stdin, tsplibPeek)
		if isCostMatrix(br) {
			return costMatrixProblem("stdin", br)
		}
		cs, err := tsp.ReadCities(br)
		if err != nil {
			return nil, fmt.Errorf("standard input: %w", err)
		}
		return citiesProblem("stdin", cs)
	}
	if arg == "" {
		return nil, errors.New("empty FILE name")
	}
	ext := strings.ToLower(filepath.Ext(arg))
	if ext == ".tsp" || ext == ".atsp" {
		return tsplibProblem(arg)
	}
	f, err := os.Open(arg)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, tsplibPeek)
	if ext != ".json" && ext != ".csv" {
		if head, _ := br.Peek(tsplibPeek); looksLikeTSPLIB(head) {
			data, err := readLimited(br)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", arg, err)
			}
			in, err := tsplib.Read(bytes.NewReader(data))
			if err != nil {
				return nil, fmt.Errorf("%s: %w", arg, err)
			}
			return instanceProblem(arg, in)
		}
	}
	if ext != ".csv" && isCostMatrix(br) {
		return costMatrixProblem(arg, br)
	}
	cs, err := tsp.ReadCities(br)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", arg, err)
	}
	return citiesProblem(arg, cs)
}

// isCostMatrix: the first character after a byte order mark and white
// space is '{', a JSON object: a cost matrix {"names": …, "matrix": …}
// (a city list is an array or CSV).
func isCostMatrix(br *bufio.Reader) bool {
	head, _ := br.Peek(tsplibPeek)
	s := strings.TrimLeft(strings.TrimPrefix(string(head), "\ufeff"), " \t\r\n")
	return strings.HasPrefix(s, "{")
}

// costMatrixProblem reads a JSON cost matrix (tsp.ReadCostMatrix); cities
// without names are called by their index.
func costMatrixProblem(label string, r io.Reader) (*problem, error) {
	m, names, err := tsp.ReadCostMatrix(r)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", label, err)
	}
	if names == nil {
		names = make([]string, m.N())
		for i := range names {
			names[i] = strconv.Itoa(i)
		}
	}
	for i, s := range names {
		if s == "" {
			names[i] = strconv.Itoa(i)
		}
	}
	return &problem{label: label, names: names, m: m}, nil
}

// tsplibPeek is how much of a file looksLikeTSPLIB sees.
const tsplibPeek = 4096

func readLimited(r io.Reader) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxInput+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxInput {
		return nil, fmt.Errorf("input larger than %d MiB", maxInput>>20)
	}
	return data, nil
}

func citiesProblem(label string, cs []tsp.City) (*problem, error) {
	if len(cs) == 0 {
		return nil, fmt.Errorf("%s: %w", label, tsp.ErrEmpty)
	}
	for _, c := range cs {
		if err := c.Validate(); err != nil {
			return nil, fmt.Errorf("%s: %w", label, err)
		}
	}
	names := make([]string, len(cs))
	for i, c := range cs {
		names[i] = c.Name
		if names[i] == "" { // a city without a name is called by its index
			names[i] = strconv.Itoa(i)
		}
	}
	return &problem{label: label, names: names, cities: true, pts: tsp.CityPoints(cs)}, nil
}

func tsplibProblem(path string) (*problem, error) {
	if p, ok, err := tsplibPoints(path); ok { // coordinates: points.go
		return p, err
	}
	in, err := tsplib.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return instanceProblem(path, in)
}

// instanceProblem uses the TSPLIB instance's own distances; the cities are
// named "1".."n" like the file's nodes.
func instanceProblem(label string, in *tsplib.Instance) (*problem, error) {
	if in == nil || in.Matrix == nil || in.Matrix.N() == 0 {
		return nil, fmt.Errorf("%s: %w", label, tsp.ErrEmpty)
	}
	return &problem{label: label, names: nodeNames(in.Matrix.N()), m: in.Matrix}, nil
}

// nodeNames are TSPLIB's node names "1".."n".
func nodeNames(n int) []string {
	names := make([]string, n)
	for i := range names {
		names[i] = strconv.Itoa(i + 1)
	}
	return names
}

// looksLikeTSPLIB: the first non-blank line is a TSPLIB keyword line.
func looksLikeTSPLIB(data []byte) bool {
	s := strings.TrimLeft(string(data[:min(len(data), 4096)]), " \t\r\n\ufeff")
	line, _, _ := strings.Cut(s, "\n")
	key, _, ok := strings.Cut(line, ":")
	if !ok {
		return false
	}
	switch strings.ToUpper(strings.TrimSpace(key)) {
	case "NAME", "TYPE", "COMMENT", "DIMENSION", "EDGE_WEIGHT_TYPE":
		return true
	}
	return false
}
