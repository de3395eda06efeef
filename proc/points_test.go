package proc

import (
	"context"
	"errors"
	"testing"

	"github.com/ffi4go/tsp"
	"github.com/ffi4go/tsp/internal/difftest"
)

// The process backends solve coordinates too (protocol version 4): the Go
// and C workers give the Go kernel's tours, length bits and node counts on
// the differential cases, as a pool and one process per solve, and stop on
// a deadline.
func TestPoints(t *testing.T) {
	cases := difftest.PointsCases(true)
	for _, tc := range []struct {
		name string
		s    tsp.PointsSolver
	}{
		{"worker-go", pool(goWorker("worker-go")).Points()},
		{"worker-c", pool(cWorker(t, "worker-c")).Points()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			difftest.ComparePoints(t, tc.s, cases)
			difftest.PointsCancel(t, tc.s)
		})
	}
	// One process per solve: a sample of the cases.
	var some []difftest.PointsCase
	for i := 0; i < len(cases); i += 7 {
		some = append(some, cases[i])
	}
	for _, tc := range []struct {
		name string
		s    tsp.PointsSolver
	}{
		{"exec-go", NewExec(goExec("exec-go")).Points()},
		{"exec-c", NewExec(cWorker(t, "exec-c")).Points()},
	} {
		t.Run(tc.name, func(t *testing.T) { difftest.ComparePoints(t, tc.s, some) })
	}
}

// A worker of protocol version 2 (ServeProgress: no points kernel) says so
// in its hello and is never sent coordinates: the solve fails with
// tsp.ErrUnavailable, and the worker stays in the pool and solves matrices.
func TestPointsOldWorker(t *testing.T) {
	cfg := goWorker("worker-go")
	cfg.Args = []string{"worker-v2"}
	cfg.Size = 1
	p := pool(cfg)
	pts := tsp.CityPoints(tsp.RandomCities(20, 1))
	_, err := p.Points().SolvePoints(context.Background(), pts, tsp.Options{Algorithm: tsp.TwoOpt})
	if !errors.Is(err, tsp.ErrUnavailable) || errors.Is(err, tsp.ErrKernel) {
		t.Fatalf("points on a version 2 worker: %v, want tsp.ErrUnavailable", err)
	}
	m, _ := pts.Matrix()
	if _, err := p.Solve(context.Background(), m, tsp.Options{Algorithm: tsp.TwoOpt}); err != nil {
		t.Fatal(err)
	}
	if st := p.Stats(); st.Started != 1 || st.Replaced != 0 {
		t.Errorf("pool stats %+v: the worker was replaced", st)
	}
}

// A points request to a Go worker without a points kernel, sent anyway, is
// answered with an error frame, not a crash.
func TestPointsRefused(t *testing.T) {
	cfg := goWorker("worker-go")
	cfg.Args = []string{"worker-v2"}
	w, err := start(cfg)
	if err != nil {
		t.Fatal(err)
	}
	w.hello.Version = Version // pretend, to send it
	q := &request{n: 3, algorithm: 1, pts: &pointsArgs{kind: 1, x: []float64{0, 1, 2}, y: []float64{0, 1, 0}}}
	res := result{order: make([]int32, 3)}
	err = w.solve(context.Background(), q, &res)
	var we *WorkerError
	if !errors.As(err, &we) || we.Code != CodeMalformed {
		t.Fatalf("points request to a matrix-only worker: %v, want an error frame", err)
	}
}
