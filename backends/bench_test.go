package backends_test

import (
	"fmt"
	"github.com/ffi4go/tsp/kernel"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"

	"github.com/ffi4go/tsp"
	"github.com/ffi4go/tsp/backends"
	"github.com/ffi4go/tsp/internal/difftest"
	"github.com/ffi4go/tsp/loader"
	"github.com/ffi4go/tsp/proc"
)

// The benchmarks of every backend: every backend × algorithm × dataset,
// named BenchmarkSolve/<dataset>/<algorithm>/<backend> so that benchstat
// groups them (the go ones are also in the root package, without cgo), and
// BenchmarkCall/{noop,haversine,matrix11}/<backend> for the cost of
// crossing each boundary. Combinations an algorithm refuses (Exhaustive
// past 13 cities, Exact past 250) are skipped.
//
// The purego backends load libtsp_c.so and libtsp_cpp.so from $TSP_LIB_PATH;
// when that is unset the benchmarks build them once into a temporary
// directory with the C and C++ compilers from `go env CC` and `go env CXX`.
//
//	go test -run '^$' -bench . -count 5 ./backends | tee bench.txt
//	benchstat -col /backend bench.txt

var (
	benchOnce     sync.Once
	benchBackends []backends.Backend
	benchDir      string
)

// allBackends returns every available backend, building the shared libraries
// for the purego ones if needed. Unavailable ones are logged.
func allBackends(b *testing.B) []backends.Backend {
	benchOnce.Do(func() {
		// The Go worker of exec-go and worker-go is this test binary
		// (TestMain serves the protocol when run as `PROG worker`).
		// A tsp command in $TSP_LIB_PATH is used instead, when there is one.
		cfg := backends.Config{LibDir: os.Getenv(backends.EnvLibPath), GoWorker: os.Args[0]}
		if st, err := os.Stat(filepath.Join(cfg.LibDir, backends.FileGoWorker)); cfg.LibDir != "" && err == nil && st.Mode().IsRegular() {
			cfg.GoWorker = ""
		}
		if cfg.LibDir == "" {
			dir, err := os.MkdirTemp("", "tsp-bench-libs-")
			if err == nil {
				benchDir = dir
				for _, k := range loader.Kernels {
					if _, err := loader.Build(dir, k); err != nil {
						fmt.Fprintf(os.Stderr, "bench: building %s: %v\n", k.File(), err)
					}
				}
				if _, err := loader.BuildWorker(dir, loader.BuildOptions{}); err != nil {
					fmt.Fprintf(os.Stderr, "bench: building %s: %v\n", loader.FileWorkerC, err)
				}
				cfg.LibDir = dir
			}
		}
		benchBackends = backends.All(cfg)
	})
	var out []backends.Backend
	for _, be := range benchBackends {
		if be.Available() {
			out = append(out, be)
		} else {
			b.Logf("%s unavailable: %v", be.Name, be.Err)
		}
	}
	return out
}

func TestMain(m *testing.M) {
	if len(os.Args) > 1 && os.Args[1] == "worker" {
		// The Go worker of the process backends: what `tsp worker` does.
		proc.SingleP()
		if err := proc.ServePointsProgress(os.Stdin, os.Stdout, kernel.Go(), kernel.GoProgress(), kernel.GoPoints(), kernel.GoPointsProgress(), proc.KernelGo); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(65)
		}
		os.Exit(0)
	}
	code := m.Run()
	if benchDir != "" {
		os.RemoveAll(benchDir)
	}
	os.Exit(code)
}

func BenchmarkSolve(b *testing.B) {
	var names, pyNames []string
	var solvers, pySolvers []tsp.Solver
	for _, be := range allBackends(b) {
		if slices.Contains(backends.PythonNames(), be.Name) {
			pyNames = append(pyNames, be.Name)
			pySolvers = append(pySolvers, be.Solver)
			continue
		}
		names = append(names, be.Name)
		solvers = append(solvers, be.Solver)
	}
	ds := difftest.BenchDatasets(b, "../testdata/tsplib")
	difftest.BenchSolveAll(b, ds, names, solvers)
	// The routes of issue 16, the shorter list (RouteBenches).
	routes := difftest.RouteBenches(b, "../testdata/tsplib", false)
	difftest.BenchRoutes(b, routes, names, solvers)
	// The Python backends (the algorithms the pure-Python kernel lacks are
	// skipped). With -short (make bench-smoke) only demo30: the pure
	// kernel's demo11 Exhaustive takes seconds a solve.
	if testing.Short() {
		ds, routes = ds[1:2], nil
	}
	difftest.BenchSolveAll(b, ds, pyNames, pySolvers)
	difftest.BenchRoutes(b, routes, pyNames, pySolvers)
}

// BenchmarkCall measures the boundary: an empty native call, one distance per
// call (how a naive binding would do it), and the whole 11-city matrix in
// one call.
func BenchmarkCall(b *testing.B) {
	bs := allBackends(b)
	cities := tsp.Demo11()
	n := len(cities)
	lat, lon := make([]float64, n), make([]float64, n)
	for i, c := range cities {
		lat[i], lon[i] = c.Lat, c.Lon
	}
	in := [5]float64{lat[0], lon[0], lat[1], lon[1], tsp.EarthRadiusKm}
	out := make([]float64, n*n)
	for _, be := range bs {
		c := be.Calls
		if p := be.Proc(); p != nil {
			// A process backend: the empty round trip is a ping frame
			// and its answer; it has no haversine or matrix call.
			b.Run("noop/"+be.Name, func(b *testing.B) {
				x := int32(0)
				for b.Loop() {
					y, err := p.Ping(x + 1)
					if err != nil || y != x+1 {
						b.Fatal(y, err)
					}
					x = y
				}
			})
			continue
		}
		b.Run("noop/"+be.Name, func(b *testing.B) {
			x := int32(0)
			cpu := difftest.CPUTime()
			for b.Loop() {
				x = c.Noop(x + 1)
			}
			difftest.ReportCPU(b, cpu)
		})
		b.Run("haversine/"+be.Name, func(b *testing.B) {
			sum := 0.0
			cpu := difftest.CPUTime()
			for b.Loop() {
				sum += c.Haversine(&in)
			}
			difftest.ReportCPU(b, cpu)
			if sum <= 0 {
				b.Fatal("no distance")
			}
		})
		b.Run("matrix11/"+be.Name, func(b *testing.B) {
			cpu := difftest.CPUTime()
			for b.Loop() {
				if code := c.Matrix(lat, lon, tsp.EarthRadiusKm, out); code != kernel.CodeOK {
					b.Fatal(code)
				}
			}
			difftest.ReportCPU(b, cpu)
		})
	}
}
