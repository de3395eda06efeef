package tsp_test

import (
	"context"
	"fmt"
	"github.com/ffi4go/tsp/kernel"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/ffi4go/tsp"
	"github.com/ffi4go/tsp/backends"
	"github.com/ffi4go/tsp/loader"
	"github.com/ffi4go/tsp/tsplib"
)

// The benchmarks: every backend × algorithm × dataset, named
// BenchmarkSolve/<dataset>/<algorithm>/<backend> so that benchstat groups
// them, and BenchmarkCall/{noop,haversine,matrix11}/<backend> for the cost
// of crossing each boundary. Combinations an algorithm refuses (Exhaustive
// past 13 cities, Exact past 250) are skipped.
//
// The purego backends load libtsp_c.so and libtsp_cpp.so from $TSP_LIB_PATH;
// when that is unset the benchmarks build them once into a temporary
// directory with the C and C++ compilers from `go env CC` and `go env CXX`.
//
//	go test -run '^$' -bench . -count 5 | tee bench.txt
//	benchstat -col /backend bench.txt

type dataset struct {
	name string
	m    *tsp.Matrix
}

var (
	benchOnce     sync.Once
	benchBackends []backends.Backend
	benchDir      string
)

// allBackends returns every available backend, building the shared libraries
// for the purego ones if needed. Unavailable ones are logged.
func allBackends(b *testing.B) []backends.Backend {
	benchOnce.Do(func() {
		cfg := backends.Config{LibDir: os.Getenv(backends.EnvLibPath)}
		if cfg.LibDir == "" {
			dir, err := os.MkdirTemp("", "tsp-bench-libs-")
			if err == nil {
				benchDir = dir
				for _, k := range loader.Kernels {
					if _, err := loader.Build(dir, k); err != nil {
						fmt.Fprintf(os.Stderr, "bench: building %s: %v\n", k.File(), err)
					}
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
	code := m.Run()
	if benchDir != "" {
		os.RemoveAll(benchDir)
	}
	os.Exit(code)
}

func mustMatrix(cities []tsp.City) *tsp.Matrix {
	m, err := tsp.HaversineMatrix(cities)
	if err != nil {
		panic(err)
	}
	return m
}

// benchDatasets: the demo sets, random US cities of 15 to 60 (seed 1), and
// the TSPLIB instances in testdata.
func benchDatasets(b *testing.B) []dataset {
	ds := []dataset{
		{"demo11", mustMatrix(tsp.Demo11())},
		{"demo30", mustMatrix(tsp.Demo30())},
	}
	for _, n := range []int{15, 20, 25, 30, 40, 50, 60} {
		ds = append(ds, dataset{fmt.Sprintf("random%d", n), mustMatrix(tsp.RandomCities(n, 1))})
	}
	for _, name := range []string{"burma14", "ulysses16", "gr17", "gr21", "ulysses22", "gr24", "fri26", "bayg29",
		"bays29", "dantzig42", "swiss42", "att48", "gr48", "hk48", "eil51", "berlin52", "gr666", "pr1002"} {
		in, err := tsplib.ReadFile(filepath.Join("testdata", "tsplib", name+".tsp"))
		if err != nil {
			b.Fatal(err)
		}
		ds = append(ds, dataset{name, in.Matrix})
	}
	return ds
}

func BenchmarkSolve(b *testing.B) {
	bs := allBackends(b)
	for _, d := range benchDatasets(b) {
		for _, alg := range tsp.Algorithms() {
			if d.m.N() > alg.MaxCities() {
				continue
			}
			if alg == tsp.Exact && d.m.N() > 100 {
				continue
			}
			for _, be := range bs {
				b.Run(d.name+"/"+alg.String()+"/"+be.Name, func(b *testing.B) {
					benchSolve(b, be.Solver, d.m, alg)
				})
			}
		}
	}
}

func benchSolve(b *testing.B, s tsp.Solver, m *tsp.Matrix, alg tsp.Algorithm) {
	ctx := context.Background()
	var tour tsp.Tour
	for b.Loop() {
		var err error
		tour, err = s.Solve(ctx, m, tsp.Options{Algorithm: alg})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(tour.Nodes), "nodes")
	b.ReportMetric(tour.Length, "length")
}

// BenchmarkSeeds: Exact on ten random sets of each size, pure Go: the spread
// behind the targets "every seed of 50 cities within 1 s".
func BenchmarkSeeds(b *testing.B) {
	for _, n := range []int{25, 30, 50, 60} {
		for seed := uint64(1); seed <= 10; seed++ {
			m := mustMatrix(tsp.RandomCities(n, seed))
			b.Run(fmt.Sprintf("random%d/seed%02d/exact/go", n, seed), func(b *testing.B) {
				benchSolve(b, tsp.Go(), m, tsp.Exact)
			})
		}
	}
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
		b.Run("noop/"+be.Name, func(b *testing.B) {
			x := int32(0)
			for b.Loop() {
				x = c.Noop(x + 1)
			}
		})
		b.Run("haversine/"+be.Name, func(b *testing.B) {
			sum := 0.0
			for b.Loop() {
				sum += c.Haversine(&in)
			}
			if sum <= 0 {
				b.Fatal("no distance")
			}
		})
		b.Run("matrix11/"+be.Name, func(b *testing.B) {
			for b.Loop() {
				if code := c.Matrix(lat, lon, tsp.EarthRadiusKm, out); code != kernel.CodeOK {
					b.Fatal(code)
				}
			}
		})
	}
}
