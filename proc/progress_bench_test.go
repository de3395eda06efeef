package proc

import (
	"context"
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
	lib := ""
	for _, d := range filepath.SplitList(os.Getenv("TSP_LIB_PATH")) {
		if _, err := os.Stat(filepath.Join(d, loader.FileC)); d != "" && err == nil {
			lib = d
			break
		}
	}
	if lib == "" {
		lib = b.TempDir()
		if _, err := loader.Build(lib, loader.KernelC); err != nil {
			return Config{}, fmt.Errorf("building %s: %w", loader.FileC, err)
		}
	}
	return Config{Name: name, Path: path, Args: []string{"-m", "tsp_ffi.worker", "--way", "ctypes", "--library", "c"},
		Env: []string{"PYTHONPATH=" + dir, "TSP_LIB_PATH=" + lib}, Grace: testGrace()}, nil
}
