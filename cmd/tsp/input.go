package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
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
	label  string   // what it was read from: a path, "stdin", "demo11"
	names  []string // the name of each city, by index
	m      *tsp.Matrix
	cities bool // distances are great-circle km between cities (not TSPLIB units)
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

// maxInput bounds what is read of one input file: far more than 10,000
// cities take.
const maxInput = 64 << 20

// loadProblem reads the instance FILE names: a built-in list, "-" for JSON
// on stdin, or a .json, .csv or .tsp file (by extension; any other file is
// recognised by its content).
func loadProblem(arg string, stdin io.Reader) (*problem, error) {
	if f, ok := builtin[arg]; ok {
		return citiesProblem(arg, f())
	}
	if arg == "-" {
		if stdin == nil {
			stdin = strings.NewReader("")
		}
		data, err := readLimited(stdin)
		if err != nil {
			return nil, fmt.Errorf("standard input: %w", err)
		}
		cs, err := parseCities(data, formatJSON)
		if err != nil {
			return nil, fmt.Errorf("standard input: %w", err)
		}
		return citiesProblem("stdin", cs)
	}
	if arg == "" {
		return nil, errors.New("empty FILE name")
	}
	format := formatAuto
	switch strings.ToLower(filepath.Ext(arg)) {
	case ".json":
		format = formatJSON
	case ".csv":
		format = formatCSV
	case ".tsp":
		return tsplibProblem(arg)
	}
	f, err := os.Open(arg)
	if err != nil {
		return nil, err
	}
	data, err := readLimited(f)
	f.Close()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", arg, err)
	}
	if format == formatAuto && looksLikeTSPLIB(data) {
		in, err := tsplib.Read(bytes.NewReader(data))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", arg, err)
		}
		return instanceProblem(arg, in)
	}
	cs, err := parseCities(data, format)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", arg, err)
	}
	return citiesProblem(arg, cs)
}

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
	m, err := tsp.HaversineMatrix(cs)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", label, err)
	}
	names := make([]string, len(cs))
	for i, c := range cs {
		names[i] = c.Name
	}
	return &problem{label: label, names: names, m: m, cities: true}, nil
}

func tsplibProblem(path string) (*problem, error) {
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
	names := make([]string, in.Matrix.N())
	for i := range names {
		names[i] = strconv.Itoa(i + 1)
	}
	return &problem{label: label, names: names, m: in.Matrix}, nil
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

type cityFormat int

const (
	formatAuto cityFormat = iota // JSON if the first character is '[', CSV otherwise
	formatJSON
	formatCSV
)

// parseCities parses a city list as JSON or CSV. On success every city is
// valid (finite, in range) and there is at least one and at most
// tsp.MaxHeuristic of them; otherwise the error says where the input is
// wrong and wraps the tsp sentinel error where one applies.
func parseCities(data []byte, format cityFormat) ([]tsp.City, error) {
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	if format == formatAuto {
		format = formatCSV
		if t := bytes.TrimLeft(data, " \t\r\n"); len(t) > 0 && t[0] == '[' {
			format = formatJSON
		}
	}
	var cs []tsp.City
	var err error
	if format == formatJSON {
		cs, err = parseJSON(data)
	} else {
		cs, err = parseCSV(data)
	}
	if err != nil {
		return nil, err
	}
	if len(cs) == 0 {
		return nil, fmt.Errorf("%w in the input", tsp.ErrEmpty)
	}
	if len(cs) > tsp.MaxHeuristic {
		return nil, fmt.Errorf("%w: %d cities, at most %d", tsp.ErrTooLarge, len(cs), tsp.MaxHeuristic)
	}
	return cs, nil
}

// jsonCity has pointers so that a missing lat or lon is an error, not 0.
type jsonCity struct {
	Name *string  `json:"name"`
	Lat  *float64 `json:"lat"`
	Lon  *float64 `json:"lon"`
}

func parseJSON(data []byte) ([]tsp.City, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	var raw []jsonCity
	if err := dec.Decode(&raw); err != nil {
		return nil, fmt.Errorf("not a JSON list of cities [{\"name\": ..., \"lat\": ..., \"lon\": ...}]: %v", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("unexpected data after the JSON list of cities")
	}
	if len(raw) > tsp.MaxHeuristic {
		return nil, fmt.Errorf("%w: %d cities, at most %d", tsp.ErrTooLarge, len(raw), tsp.MaxHeuristic)
	}
	cs := make([]tsp.City, len(raw))
	for i, r := range raw {
		c := tsp.City{Name: strconv.Itoa(i)}
		if r.Name != nil && *r.Name != "" {
			c.Name = *r.Name
		}
		if r.Lat == nil || r.Lon == nil {
			return nil, fmt.Errorf("city %d (%q) needs both \"lat\" and \"lon\"", i, c.Name)
		}
		c.Lat, c.Lon = *r.Lat, *r.Lon
		if err := c.Validate(); err != nil {
			return nil, fmt.Errorf("city %d: %w", i, err)
		}
		cs[i] = c
	}
	return cs, nil
}

func parseCSV(data []byte) ([]tsp.City, error) {
	r := csv.NewReader(bytes.NewReader(data))
	r.TrimLeadingSpace = true
	r.Comment = '#'
	r.ReuseRecord = true
	header, err := r.Read()
	if err == io.EOF {
		return nil, fmt.Errorf("%w: the CSV input is empty", tsp.ErrEmpty)
	}
	if err != nil {
		return nil, fmt.Errorf("CSV: %v", err)
	}
	iName, iLat, iLon := -1, -1, -1
	for i, h := range header {
		switch strings.ToLower(strings.TrimSpace(h)) {
		case "name", "city":
			iName = i
		case "lat", "latitude":
			iLat = i
		case "lon", "lng", "long", "longitude":
			iLon = i
		}
	}
	if iLat < 0 || iLon < 0 {
		return nil, fmt.Errorf("CSV: the first row must be a header naming the columns name,lat,lon, got %q", strings.Join(header, ","))
	}
	var cs []tsp.City
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("CSV: %v", err)
		}
		if len(cs) == tsp.MaxHeuristic {
			return nil, fmt.Errorf("%w: more than %d cities", tsp.ErrTooLarge, tsp.MaxHeuristic)
		}
		line, _ := r.FieldPos(0)
		c := tsp.City{Name: strconv.Itoa(len(cs))}
		if iName >= 0 {
			if s := strings.TrimSpace(rec[iName]); s != "" {
				c.Name = s
			}
		}
		if c.Lat, err = parseCoord(rec[iLat]); err != nil {
			return nil, fmt.Errorf("CSV line %d: lat: %w", line, err)
		}
		if c.Lon, err = parseCoord(rec[iLon]); err != nil {
			return nil, fmt.Errorf("CSV line %d: lon: %w", line, err)
		}
		if err := c.Validate(); err != nil {
			return nil, fmt.Errorf("CSV line %d: %w", line, err)
		}
		cs = append(cs, c)
	}
	return cs, nil
}

func parseCoord(s string) (float64, error) {
	s = strings.TrimSpace(s)
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		var ne *strconv.NumError
		if errors.As(err, &ne) && errors.Is(ne.Err, strconv.ErrRange) {
			return 0, fmt.Errorf("%w: %q", tsp.ErrInfinite, s)
		}
		return 0, fmt.Errorf("%q is not a number", s)
	}
	return v, nil
}
