package backends_test

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/ffi4go/tsp"
	"github.com/ffi4go/tsp/backends"
	"github.com/ffi4go/tsp/internal/difftest"
)

// BenchmarkPoints: the coordinate path (issue 21) on every backend that
// has it, named BenchmarkPoints/random10000/nearest/cgo-c and so on
// (difftest.BenchPoints; TSP_TSPLIB_DIR adds usa13509 and pla85900):
//
//	go test -run '^$' -bench Points -benchtime 3x ./backends | tee points.txt
//	benchstat -col /backend points.txt
func BenchmarkPoints(b *testing.B) {
	var names []string
	var solvers []tsp.PointsSolver
	for _, be := range allBackends(b) { // builds the shared libraries
		if !slices.Contains(backends.PointsNames(), be.Name) {
			continue
		}
		s, err := backends.Points(be.Name, backends.Config{LibDir: libDirOf(be)})
		if err != nil {
			b.Logf("%s: %v", be.Name, err)
			continue
		}
		names = append(names, be.Name)
		solvers = append(solvers, s)
	}
	difftest.BenchPoints(b, names, solvers)
}

// libDirOf is the directory of a purego backend's library ("" otherwise).
func libDirOf(be backends.Backend) string {
	if be.Where == "" {
		return os.Getenv(backends.EnvLibPath)
	}
	return filepath.Dir(be.Where)
}
