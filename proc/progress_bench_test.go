package proc

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/ffi4go/tsp"
	"github.com/ffi4go/tsp/internal/difftest"
	"github.com/ffi4go/tsp/loader"
)

// BenchmarkProgressWait: what progress costs a search in a worker, one-way
// (protocol version 3, the default) against each frame waiting for its
// answer (Config.ProgressWait, as version 2), on the Go, C and Python
// (ctypes into libtsp_c.so) workers: Iterated on 1,000 cities, 2,000 kicks,
// 57 progress calls a solve.
//
//	BenchmarkProgressWait/worker-c ... off-ms oneway-% wait-%
//
// Each iteration solves without progress, one-way and waiting, one after
// the other (the order turning from one iteration to the next), so that
// the three see the same load of a shared machine; oneway-% and wait-% are
// the slowdowns of the sums of their times against off's. On a busy
// machine they are noise; what is not: on the Go and C workers (this test
// binary and tsp-worker-c, which time their kernel's progress calls from
// inside: envStallFile),
// oneway-stall-µs and wait-stall-µs are the time the kernel spends in one
// progress call, and oneway-stall-% and wait-stall-% the time all of a
// solve's calls take against the solve without progress. -short: Exact on
// 60 cities (3 calls), the C worker only.
func BenchmarkProgressWait(b *testing.B) {
	m := difftest.Haversine(1000, 2)
	opt := tsp.Options{Algorithm: tsp.Iterated, Seed: 1, Budget: 2000}
	cfgs := []Config{goWorker("worker-go"), cWorker(b, "worker-c")}
	if testing.Short() {
		m, opt, cfgs = difftest.Haversine(60, 2), tsp.Options{Algorithm: tsp.Exact}, cfgs[1:]
	} else if py, err := pythonWorker(b, "worker-python-ctypes"); err == nil {
		cfgs = append(cfgs, py)
	} else {
		b.Logf("no Python worker: %v", err)
	}
	for _, cfg := range cfgs {
		var stallFile [3]string
		timed := cfg.Path == os.Args[0] || cfg.Name == "worker-c" // the Go and C workers time their progress calls
		var cf [3]Config
		for i := range cf {
			cf[i] = cfg
			if timed {
				stallFile[i] = filepath.Join(b.TempDir(), "stall")
				cf[i].Env = append(cf[i].Env[:len(cf[i].Env):len(cf[i].Env)], envStallFile+"="+stallFile[i])
			}
		}
		cf[2].ProgressWait = true
		pools := [3]*Pool{pool(cf[0]), pool(cf[1]), pool(cf[2])} // off, one-way, waiting
		for _, p := range pools {
			if _, err := p.Ping(1); err != nil { // started before the clock runs
				b.Fatal(err)
			}
		}
		b.Run(cfg.Name, func(b *testing.B) {
			var sum, stall [3]time.Duration
			var stallCalls [3]int
			events := 0
			for i := 0; b.Loop(); i++ {
				for j := range 3 {
					mode := (i + j) % 3
					o := opt
					if mode > 0 {
						o.Progress = func(tsp.Progress) bool { events++; return false }
					}
					t0 := time.Now()
					if _, err := pools[mode].Solve(context.Background(), m, o); err != nil {
						b.Fatal(err)
					}
					sum[mode] += time.Since(t0)
					if timed && mode > 0 {
						var ns int64
						var calls int
						raw, err := os.ReadFile(stallFile[mode])
						if _, err2 := fmt.Sscan(string(raw), &ns, &calls); err != nil || err2 != nil {
							b.Fatalf("reading the worker's stall: %v %v", err, err2)
						}
						stall[mode] += time.Duration(ns)
						stallCalls[mode] += calls
					}
				}
			}
			b.ReportMetric(float64(sum[0].Milliseconds())/float64(b.N), "off-ms")
			b.ReportMetric(100*(float64(sum[1])/float64(sum[0])-1), "oneway-%")
			b.ReportMetric(100*(float64(sum[2])/float64(sum[0])-1), "wait-%")
			b.ReportMetric(float64(events)/float64(2*b.N), "events")
			if timed {
				for mode, name := range []string{"", "oneway", "wait"} {
					if mode > 0 && stallCalls[mode] > 0 {
						b.ReportMetric(float64(stall[mode].Nanoseconds())/1e3/float64(stallCalls[mode]), name+"-stall-µs")
						b.ReportMetric(100*float64(stall[mode])/float64(sum[0]), name+"-stall-%")
					}
				}
			}
		})
	}
}

// pythonWorker is the Python worker on libtsp_c.so through ctypes
// (python/tsp_ffi/worker.py, run from this checkout), with the library
// from $TSP_LIB_PATH, else built into a temporary directory.
func pythonWorker(b *testing.B, name string) (Config, error) {
	py := os.Getenv("PYTHON")
	if py == "" {
		py = "python3"
	}
	path, err := exec.LookPath(py)
	if err != nil {
		return Config{}, err
	}
	dir, err := filepath.Abs("../python")
	if err != nil {
		return Config{}, err
	}
	lib, err := libCDir(b)
	if err != nil {
		return Config{}, err
	}
	return Config{Name: name, Path: path, Args: []string{"-m", "tsp_ffi.worker", "--way", "ctypes", "--library", "c"},
		Env: []string{"PYTHONPATH=" + dir, "TSP_LIB_PATH=" + lib}, Grace: testGrace()}, nil
}

// libCDir is the directory of libtsp_c.so: the first of $TSP_LIB_PATH
// that has it, else a temporary directory it is built into.
func libCDir(b *testing.B) (string, error) {
	for _, d := range filepath.SplitList(os.Getenv("TSP_LIB_PATH")) {
		if _, err := os.Stat(filepath.Join(d, loader.FileC)); d != "" && err == nil {
			return d, nil
		}
	}
	lib := b.TempDir()
	if _, err := loader.Build(lib, loader.KernelC); err != nil {
		return "", fmt.Errorf("building %s: %w", loader.FileC, err)
	}
	return lib, nil
}

// BenchmarkProgressPython: what one-way progress costs a search in each
// Python worker (the backends worker-python, worker-python-ctypes,
// worker-cython, worker-cython-typed, worker-pypy, worker-pypy-jit,
// worker-pypy-ctypes, worker-pypy-cffi: python/tsp_ffi/worker.py), measured
// as BenchmarkProgressWait measures the Go and C workers: the worker times
// its progress calls from inside (TSP_TEST_STALL_FILE: from the Python
// function's entry to its return, the frame built and written; in
// worker-cython-typed, which builds its frames in C without a Python call,
// from the entry of that C function to its return), and
// stall-% is their sum against the solve without progress, whose time is
// off-ms; each iteration solves once without progress and once with, in
// turn. The pure-Python kernels (Exhaustive and Nearest only) solve
// Exhaustive on 10 cities (17 calls), those that call libtsp_c.so
// Iterated on 1,000 cities with 2,000 kicks (42 calls), as the C worker
// does. The interpreters are $PYTHON (python3) and $PYPY (pypy3); a
// worker whose interpreter or Cython is missing is skipped.
//
//	go test -run '^$' -bench ProgressPython -benchtime 4x ./proc
func BenchmarkProgressPython(b *testing.B) {
	dir, err := filepath.Abs("../python")
	if err != nil {
		b.Fatal(err)
	}
	lib, err := libCDir(b)
	if err != nil {
		b.Fatal(err)
	}
	interp := func(env, def string) string {
		if p := os.Getenv(env); p != "" {
			return p
		}
		return def
	}
	python, pypy := interp("PYTHON", "python3"), interp("PYPY", "pypy3")
	pure := func() (*tsp.Matrix, tsp.Options) {
		return difftest.Haversine(10, 2), tsp.Options{Algorithm: tsp.Exhaustive}
	}
	lib1000 := func() (*tsp.Matrix, tsp.Options) {
		return difftest.Haversine(1000, 2), tsp.Options{Algorithm: tsp.Iterated, Seed: 1, Budget: 2000}
	}
	workers := []struct {
		name, interp, way string
		lib               bool
		problem           func() (*tsp.Matrix, tsp.Options)
	}{
		{"worker-python", python, "python", false, pure},
		{"worker-python-ctypes", python, "ctypes", true, lib1000},
		{"worker-cython", python, "cython", false, pure},
		{"worker-cython-typed", python, "cython-typed", false, pure},
		{"worker-pypy", pypy, "python", false, pure},
		{"worker-pypy-jit", pypy, "python-jit", false, pure},
		{"worker-pypy-ctypes", pypy, "ctypes", true, lib1000},
		{"worker-pypy-cffi", pypy, "cffi-abi", true, lib1000},
	}
	for _, w := range workers {
		b.Run(w.name, func(b *testing.B) {
			path, err := exec.LookPath(w.interp)
			if err != nil {
				b.Skipf("no %s: %v", w.interp, err)
			}
			stallFile := filepath.Join(b.TempDir(), "stall")
			cfg := Config{Name: w.name, Path: path, Args: []string{"-m", "tsp_ffi.worker", "--way", w.way},
				Env:          []string{"PYTHONPATH=" + dir, envStallFile + "=" + stallFile},
				StartTimeout: 3 * time.Minute, Grace: testGrace()}
			if w.lib {
				cfg.Args = append(cfg.Args, "--library", "c")
				cfg.Env = append(cfg.Env, "TSP_LIB_PATH="+lib)
			}
			p := pool(cfg)
			if _, err := p.Ping(1); errors.Is(err, tsp.ErrUnavailable) {
				b.Skipf("%s: %v", w.name, err) // no Cython for this interpreter
			} else if err != nil {
				b.Fatal(err)
			}
			m, opt := w.problem()
			var off, stall time.Duration
			calls, events := 0, 0
			for i := 0; b.Loop(); i++ {
				for j := range 2 {
					o := opt
					on := (i+j)%2 == 1
					if on {
						o.Progress = func(tsp.Progress) bool { events++; return false }
					}
					t0 := time.Now()
					if _, err := p.Solve(context.Background(), m, o); err != nil {
						b.Fatal(err)
					}
					if !on {
						off += time.Since(t0)
						continue
					}
					var ns int64
					var c int
					raw, err := os.ReadFile(stallFile)
					if _, err2 := fmt.Sscan(string(raw), &ns, &c); err != nil || err2 != nil {
						b.Fatalf("reading the worker's stall: %v %v", err, err2)
					}
					stall += time.Duration(ns)
					calls += c
				}
			}
			b.ReportMetric(float64(off.Microseconds())/1000/float64(b.N), "off-ms")
			b.ReportMetric(float64(events)/float64(b.N), "events")
			if calls > 0 {
				b.ReportMetric(float64(stall.Nanoseconds())/1e3/float64(calls), "stall-µs")
				b.ReportMetric(100*float64(stall)/float64(off), "stall-%")
			}
		})
	}
}
