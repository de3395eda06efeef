package backends

import (
	"fmt"
	"slices"

	"github.com/ffi4go/tsp"
	"github.com/ffi4go/tsp/cbackend"
	"github.com/ffi4go/tsp/cppbackend"
	"github.com/ffi4go/tsp/loader"
	"github.com/ffi4go/tsp/wasmbackend"
)

// Points returns the coordinate solver (tsp_solve_points, ABI 6, issue
// 21) of the backend called name: go, cgo-c, cgo-cpp, purego-c,
// purego-cpp, wasm-c and wasm-cpp have one, and so do the process backends
// exec-go, worker-go, exec-c and worker-c (protocol version 4: the points
// cross the pipe, not a matrix). The Python workers solve matrices only:
// they give an error wrapping tsp.ErrUnavailable.
func Points(name string, cfg Config) (tsp.PointsSolver, error) {
	switch name {
	case NameExecGo, NameWorkerGo, NameExecC, NameWorkerC:
		b, err := Get(name, cfg)
		if err != nil {
			return nil, err
		}
		return b.Solver.(interface{ Points() tsp.PointsSolver }).Points(), nil
	case "go":
		return tsp.GoPoints(), nil
	case cbackend.Name:
		return cbackend.Points()
	case cppbackend.Name:
		return cppbackend.Points()
	case loader.NameC, loader.NameCPP:
		b, err := Get(name, cfg)
		if err != nil {
			return nil, err
		}
		return b.Solver.(*loader.Library).Points()
	case wasmbackend.NameC:
		k, err := wasmbackend.New()
		if err != nil {
			return nil, err
		}
		return k.Points(), nil
	case wasmbackend.NameCPP:
		k, err := wasmbackend.NewCPP()
		if err != nil {
			return nil, err
		}
		return k.Points(), nil
	}
	if !slices.Contains(Names(), name) {
		return nil, fmt.Errorf("%w: unknown backend %q (want one of %v)", tsp.ErrUnavailable, name, Names())
	}
	return nil, fmt.Errorf("%w: %s solves distance matrices only, not coordinates (use go, cgo-c, cgo-cpp, purego-c, purego-cpp, wasm-c, wasm-cpp or one of %v)", tsp.ErrUnavailable, name, PointsProcNames())
}

// PointsNames are the backends with a coordinate solver.
func PointsNames() []string {
	return []string{"go", cbackend.Name, cppbackend.Name, loader.NameC, loader.NameCPP, wasmbackend.NameC, wasmbackend.NameCPP}
}

// PointsProcNames are the process backends with a coordinate solver
// (Points): not in PointsNames, since each of their solves is a process
// boundary (and, for exec-*, a process).
func PointsProcNames() []string {
	return []string{NameExecGo, NameWorkerGo, NameExecC, NameWorkerC}
}
