package backends_test

import (
	"context"
	"errors"
	"os"
	"testing"

	"github.com/ffi4go/tsp"
	"github.com/ffi4go/tsp/backends"
)

// TestPointsProcs: backends.Points gives the process backends' coordinate
// solvers (protocol version 4), which return the Go kernel's tour; the
// Python workers (protocol 1) refuse coordinates with tsp.ErrUnavailable.
// The Go worker is this test binary; the C worker is taken from
// $TSP_LIB_PATH when it is there.
func TestPointsProcs(t *testing.T) {
	ctx := context.Background()
	p := tsp.CityPoints(tsp.RandomCities(300, 5))
	opt := tsp.Options{Algorithm: tsp.Iterated, Budget: 200, Seed: 2}
	want, err := tsp.SolvePoints(ctx, p, opt)
	if err != nil {
		t.Fatal(err)
	}
	cfg := backends.Config{LibDir: os.Getenv(backends.EnvLibPath), GoWorker: os.Args[0]}
	for _, name := range backends.PointsProcNames() {
		s, err := backends.Points(name, cfg)
		if err != nil {
			if name == backends.NameExecGo || name == backends.NameWorkerGo {
				t.Errorf("%s: %v", name, err)
			}
			continue // the C worker is not in $TSP_LIB_PATH
		}
		got, err := s.SolvePoints(ctx, p, opt)
		if err != nil || got.Length != want.Length || got.Nodes != want.Nodes {
			t.Errorf("%s: length %v nodes %d (%v), go %v %d", name, got.Length, got.Nodes, err, want.Length, want.Nodes)
		}
	}
	for _, name := range backends.PythonNames() {
		if _, err := backends.Points(name, cfg); !errors.Is(err, tsp.ErrUnavailable) {
			t.Errorf("%s: %v, want tsp.ErrUnavailable", name, err)
		}
	}
}
