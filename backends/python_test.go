package backends_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ffi4go/tsp"
	"github.com/ffi4go/tsp/backends"
	"github.com/ffi4go/tsp/internal/difftest"
	"github.com/ffi4go/tsp/loader"
	"github.com/ffi4go/tsp/proc"
)

// pythonBackend opens a Python backend; those that call libtsp_c.so
// find it in $TSP_LIB_PATH, else in a temporary directory it is built into
// (their pool is then closed at the end of the test). Outside CI an
// unavailable one (no python3, no pypy3) skips the test; with CI=true
// (.ci/run installs them) it fails it.
func pythonBackend(t *testing.T, name string) backends.Backend {
	t.Helper()
	dir := os.Getenv(backends.EnvLibPath)
	built := dir == "" && backends.Has(name, tsp.Exact)
	if built {
		dir = t.TempDir()
		if _, err := loader.Build(dir, loader.KernelC); err != nil {
			t.Fatalf("building libtsp_c.so: %v", err)
		}
	}
	b, err := backends.Get(name, backends.Config{LibDir: dir})
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("CI=true and %s is unavailable: %v", name, err)
		}
		t.Skipf("%s unavailable: %v", name, err)
	}
	if built {
		t.Cleanup(func() { b.Proc().Close() })
	}
	// A worker that cannot start here (a Python without Cython exits
	// EX_UNAVAILABLE) is unavailable too.
	if _, err := b.Proc().Ping(1); errors.Is(err, tsp.ErrUnavailable) {
		if os.Getenv("CI") == "true" {
			t.Fatalf("CI=true and %s is unavailable: %v", name, err)
		}
		t.Skipf("%s unavailable: %v", name, err)
	}
	return b
}

// pureCase reports whether c is for the pure-Python kernel: on at most
// eight cities (a pure-Python Exhaustive search of eight takes ~20 ms, of
// eleven seconds), with Exhaustive or Nearest, or refused before any
// kernel runs.
func pureCase(c difftest.Case) bool {
	if c.WantErr {
		return true
	}
	return c.M.N() <= 8 && slices.Contains(backends.PureAlgorithms, c.Opt.Algorithm)
}

// Same work everywhere: every Python backend returns the Go kernel's tour,
// length and bound bits, nodes, status and errors. Those on the
// pure-Python kernel run the cases of Exhaustive and Nearest on at most
// eight cities (the other algorithms are not in that kernel:
// TestPythonNoAlgorithm); those that call libtsp_c.so every case of at
// most eight cities.
func TestPythonDifferential(t *testing.T) {
	for _, name := range backends.PythonNames() {
		t.Run(name, func(t *testing.T) {
			b := pythonBackend(t, name)
			var cases []difftest.Case
			for _, c := range difftest.Cases() {
				if (backends.Has(name, tsp.Exact) && (c.WantErr || c.M.N() <= 8)) || pureCase(c) {
					cases = append(cases, c)
				}
			}
			difftest.Compare(t, cases, b.Solver)
		})
	}
}

// The pure-Python kernel's backends refuse the algorithms it lacks with
// an error that says so, wrapping ErrNoAlgorithm (and so
// tsp.ErrInvalidInput and errors.ErrUnsupported), without starting a
// worker; Auto picks Exact or Iterated, which it lacks too.
func TestPythonNoAlgorithm(t *testing.T) {
	m, err := tsp.HaversineMatrix(tsp.Demo11()[:5])
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range backends.PythonNames() {
		if backends.Has(name, tsp.Exact) {
			continue
		}
		b := pythonBackend(t, name)
		for _, alg := range []tsp.Algorithm{tsp.Auto, tsp.Exact, tsp.TwoOpt, tsp.Iterated} {
			tour, err := b.Solver.Solve(context.Background(), m, tsp.Options{Algorithm: alg})
			if !errors.Is(err, backends.ErrNoAlgorithm) || !errors.Is(err, tsp.ErrInvalidInput) ||
				!errors.Is(err, errors.ErrUnsupported) || tour.Order != nil {
				t.Errorf("%s %s: %v, %v", name, alg, tour.Order, err)
			}
		}
		// Bad input is still bad input first.
		if _, err := b.Solver.Solve(context.Background(), m, tsp.Options{Algorithm: tsp.Exact, Start: 9}); !errors.Is(err, tsp.ErrStart) {
			t.Errorf("%s: start 9 of 5: %v", name, err)
		}
	}
}

// The deadline reaches the Python process: the parent sends a cancel
// frame, the worker sets the flag its search polls, and the answer is the
// best tour so far with status Stopped, well before the grace period after
// which a worker is killed; the worker lives on for the next solve. 11
// cities: seconds in Python (the page's story, with a 10 s deadline), so
// the 200 ms deadline stops them all but the typed Cython kernel, which is
// given 13 cities.
func TestPythonDeadline(t *testing.T) {
	for _, name := range backends.PythonNames() {
		if backends.Has(name, tsp.Exact) {
			continue // the C kernel stops as it does in worker-c (package proc's tests)
		}
		t.Run(name, func(t *testing.T) {
			b := pythonBackend(t, name)
			cities := tsp.Demo11()
			if name == backends.NameWorkerCythonTyped || name == backends.NameWorkerPyPyJIT {
				cities = tsp.Demo30()[:13] // demo11 takes them 50 ms: a 200 ms deadline would not stop it
			}
			m, err := tsp.HaversineMatrix(cities)
			if err != nil {
				t.Fatal(err)
			}
			// Start the worker first: the deadline is for the search.
			if _, err := b.Proc().Ping(1); err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
			defer cancel()
			t0 := time.Now()
			tour, err := b.Solver.Solve(ctx, m, tsp.Options{Algorithm: tsp.Exhaustive})
			el := time.Since(t0)
			difftest.CheckStopped(t, m, tour, err, 0, context.DeadlineExceeded)
			if tour.Nodes == 0 {
				t.Errorf("stopped after 0 nodes")
			}
			if el > 200*time.Millisecond+proc.DefaultGrace/2 {
				t.Errorf("answered after %v", el)
			}
			p := b.Solver.(interface{ Stats() proc.PoolStats })
			if st := p.Stats(); st.Replaced != 0 {
				t.Errorf("a worker was replaced: %+v", st)
			}
			// The same worker solves again.
			small, _ := tsp.HaversineMatrix(tsp.Demo11()[:6])
			if tour, err := b.Solver.Solve(context.Background(), small, tsp.Options{Algorithm: tsp.Exhaustive}); err != nil || tour.Status != tsp.Optimal {
				t.Errorf("after the deadline: %v, %v", tour, err)
			}
		})
	}
}

// pythonProgressCases are the progress cases a Python backend runs: every
// one on those that call libtsp_c.so, the Exhaustive ones on the
// pure-Python kernel (it has no Exact or Iterated).
func pythonProgressCases(name string) []difftest.ProgressCase {
	var out []difftest.ProgressCase
	for _, c := range difftest.ProgressCases() {
		if backends.Has(name, c.Opt.Algorithm) {
			out = append(out, c)
		}
	}
	return out
}

// pythonStopCases are pythonProgressCases and Exhaustive on 12 cities: on
// 10 cities the typed Cython kernel (without the GIL) and PyPy's JIT end
// the whole search in a millisecond or two, before the cancel frame can
// reach the worker's reader thread, so a stop that never landed would go
// unseen. On 12 the search runs for a tenth of a second or more, and every
// backend must stop in it.
func pythonStopCases(name string) []difftest.ProgressCase {
	return append(pythonProgressCases(name), difftest.ProgressCase{
		Name: "exhaustive/n12", M: difftest.Haversine(12, 9), Opt: tsp.Options{Algorithm: tsp.Exhaustive, Start: 3},
	})
}

// Progress on every Python backend (protocol version 2): the pure-Python
// kernel, interpreted, under PyPy and compiled by Cython both ways, calls
// its progress function at the Go kernel's steps with the Go kernel's
// numbers, and the ctypes and CFFI workers pass a Python callback into
// tsp_solve_progress; each call is a progress frame.
// The same events, in order, and the same result with and without.
func TestPythonProgress(t *testing.T) {
	for _, name := range backends.PythonNames() {
		t.Run(name, func(t *testing.T) {
			b := pythonBackend(t, name)
			difftest.ProgressSameOn(t, pythonProgressCases(name), b.Solver)
		})
	}
}

// A callback that returns true, or panics, at its k-th call stops every
// Python backend's search: the progress frames are one-way (protocol
// version 3), so the stop is a cancel frame and lands a little after the
// Go kernel's step, as a deadline does. (Where each frame waits for its
// answer, the Python worker stops at the Go kernel's step:
// python/tests/test_worker.py.)
func TestPythonProgressStop(t *testing.T) {
	for _, name := range backends.PythonNames() {
		t.Run(name, func(t *testing.T) {
			b := pythonBackend(t, name)
			difftest.ProgressStopLate(t, pythonStopCases(name), b.Solver)
		})
	}
}

// TestCythonProbe: the Cython backends are unavailable, before any solve,
// when their interpreter cannot import Cython, and say why; with an
// interpreter that can, they are available. The interpreters are two
// shell scripts standing in for python3.
func TestCythonProbe(t *testing.T) {
	dir := t.TempDir()
	without, with := filepath.Join(dir, "python-without"), filepath.Join(dir, "python-with")
	if err := os.WriteFile(without, []byte("#!/bin/sh\necho \"ModuleNotFoundError: No module named 'Cython'\" >&2\nexit 1\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(with, []byte("#!/bin/sh\nexit 0\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{backends.NameWorkerCython, backends.NameWorkerCythonTyped} {
		t.Setenv(backends.EnvPython, without)
		b, _ := backends.Get(name, backends.Config{})
		if !errors.Is(b.Err, tsp.ErrUnavailable) || !strings.Contains(b.Err.Error(), "cannot import Cython") || !strings.Contains(b.Err.Error(), "No module named") {
			t.Errorf("%s with %s: %v, want unavailable: cannot import Cython", name, without, b.Err)
		}
		t.Setenv(backends.EnvPython, with)
		if b, _ := backends.Get(name, backends.Config{}); b.Err != nil {
			t.Errorf("%s with %s: %v, want available", name, with, b.Err)
		}
	}
	// The interpreter of the other Python backends needs no Cython.
	t.Setenv(backends.EnvPython, without)
	if b, _ := backends.Get(backends.NameWorkerPython, backends.Config{}); b.Err != nil {
		t.Errorf("%s with %s: %v, want available", backends.NameWorkerPython, without, b.Err)
	}
}
