package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/ffi4go/tsp"
	"github.com/ffi4go/tsp/backends"
	"github.com/ffi4go/tsp/tsplib"
)

// The coordinate path in the command (issue 21): city lists and TSPLIB
// files of coordinates are kept as tsp.Points, and a round trip with a
// heuristic (Auto's choice above tsp.AutoExactMax cities) is solved from
// them on the backends that have tsp_solve_points; everything else builds
// the matrix (at most tsp.MaxHeuristic cities) as before.

// n is the number of cities.
func (p *problem) n() int {
	if p.m != nil {
		return p.m.N()
	}
	return p.pts.Len()
}

// matrix is the problem's distance matrix, built from its points on first
// use.
func (p *problem) matrix() (*tsp.Matrix, error) {
	if p.m == nil {
		m, err := p.pts.Matrix()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p.label, err)
		}
		p.m = m
	}
	return p.m, nil
}

// leg is the distance from city i to city j.
func (p *problem) leg(i, j int) float64 {
	if p.m != nil {
		return p.m.At(i, j)
	}
	return p.pts.Distance(i, j)
}

// pointsSolver returns the backend's coordinate solver when p is solved
// from its points with opt, nil (and no error) when it takes the matrix.
// A backend without one (WebAssembly, processes) takes the matrix up to
// tsp.MaxHeuristic cities and is an error above.
func (p *problem) pointsSolver(backend string, cfg backends.Config, opt tsp.Options) (tsp.PointsSolver, error) {
	n := p.n()
	if p.pts == nil || !opt.End.Closed() {
		return nil, nil
	}
	switch opt.Algorithm.For(n) {
	case tsp.Nearest, tsp.TwoOpt, tsp.Iterated:
		if opt.Algorithm == tsp.Auto && n <= tsp.AutoExactMax {
			return nil, nil
		}
	default:
		return nil, nil
	}
	s, err := backends.Points(backend, cfg)
	if err != nil && n <= tsp.MaxHeuristic && errors.Is(err, tsp.ErrUnavailable) {
		return nil, nil
	}
	return s, err
}

// solvePoints is the solve of p on the coordinate path.
func solvePoints(ctx context.Context, s tsp.PointsSolver, p *problem, opt tsp.Options) (tsp.Tour, error) {
	if opt.Algorithm == tsp.Auto {
		opt.Algorithm = tsp.Iterated
	}
	return s.SolvePoints(ctx, p.pts, opt)
}

// tsplibPoints reads a TSPLIB file of coordinates as points (any number of
// nodes up to tsp.MaxPoints); ok is false for other files (EXPLICIT), which
// the caller reads as a matrix.
func tsplibPoints(path string) (p *problem, ok bool, err error) {
	in, err := tsplib.ReadFilePoints(path)
	if errors.Is(err, tsplib.ErrUnsupported) {
		return nil, false, nil
	}
	if err != nil {
		return nil, true, err
	}
	pts, err := in.Points()
	if err != nil {
		return nil, true, fmt.Errorf("%s: %w", path, err)
	}
	return &problem{label: path, names: nodeNames(len(in.Coords)), pts: pts}, true, nil
}
