package tsplib

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/ffi4go/tsp"
)

// pointKinds maps the coordinate EDGE_WEIGHT_TYPEs to the kinds of the
// coordinate path (tsp.Points, issue 21).
var pointKinds = map[string]tsp.PointKind{
	"EUC_2D":  tsp.KindEuc2D,
	"CEIL_2D": tsp.KindCeil2D,
	"ATT":     tsp.KindAtt,
	"GEO":     tsp.KindGeo,
}

// Points returns the instance's coordinates as tsp.Points of its
// EDGE_WEIGHT_TYPE (EUC_2D, CEIL_2D, ATT or GEO): the same distances as
// its Matrix, bit for bit, computed by the kernel when it needs them.
// Other types give an error wrapping ErrUnsupported.
func (in *Instance) Points() (*tsp.Points, error) {
	kind, ok := pointKinds[strings.ToUpper(in.Type)]
	if !ok || in.Coords == nil {
		return nil, fmt.Errorf("%w: Points needs EDGE_WEIGHT_TYPE EUC_2D, CEIL_2D, ATT or GEO with coordinates, not %.40q", ErrUnsupported, in.Type)
	}
	p := &tsp.Points{Kind: kind, X: make([]float64, len(in.Coords)), Y: make([]float64, len(in.Coords))}
	for i, c := range in.Coords {
		p.X[i], p.Y[i] = c.X, c.Y
	}
	if err := p.Validate(); err != nil {
		return nil, fmt.Errorf("tsplib: %w", err)
	}
	return p, nil
}

// ReadPoints reads one TSPLIB instance of coordinates (EDGE_WEIGHT_TYPE
// EUC_2D, CEIL_2D, ATT or GEO) without building its matrix: DIMENSION may
// be up to tsp.MaxPoints (Read stops at tsp.MaxHeuristic), Matrix is nil,
// and Points gives what tsp.SolvePoints takes. EXPLICIT instances give an
// error wrapping ErrUnsupported. The limits of Read hold, with 256 bytes a
// node.
func ReadPoints(r io.Reader) (*Instance, error) {
	return readMode(r, "", true)
}

// ReadFilePoints is ReadPoints of the file at path.
func ReadFilePoints(path string) (*Instance, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("tsplib: %w", err)
	}
	defer f.Close()
	return readMode(f, path, true)
}

// maxDim is the largest DIMENSION the parser takes.
func (p *parser) maxDim() int {
	if p.points {
		return tsp.MaxPoints
	}
	return maxDimension
}

// finishPoints is finish for ReadPoints: the coordinates, checked as
// tsp.Points.Validate checks them, and no matrix.
func (p *parser) finishPoints() error {
	end := p.lastLine()
	if p.weightType == "EXPLICIT" || p.weights != nil {
		return p.errf(end, ErrUnsupported, nil, "EDGE_WEIGHT_TYPE %s: ReadPoints takes coordinates (EUC_2D, CEIL_2D, ATT, GEO); read a matrix with Read", p.in.Type)
	}
	if p.coords == nil {
		return p.errf(end, ErrFormat, nil, "end of input without NODE_COORD_SECTION (EDGE_WEIGHT_TYPE %s)", p.in.Type)
	}
	p.in.Coords = p.coords
	if _, err := p.in.Points(); err != nil {
		return p.errf(end, ErrFormat, []error{err}, "%v", err)
	}
	return nil
}
