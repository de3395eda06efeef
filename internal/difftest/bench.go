package difftest

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/ffi4go/tsp"
	"github.com/ffi4go/tsp/tsplib"
)

// Dataset is a named matrix for the benchmarks.
type Dataset struct {
	Name string
	M    *tsp.Matrix
}

// BenchDatasets returns the benchmarks' datasets: the demo sets, random US
// cities of 15 to 60 (seed 1), and the TSPLIB instances in tsplibDir (the
// module's testdata/tsplib).
func BenchDatasets(tb testing.TB, tsplibDir string) []Dataset {
	tb.Helper()
	ds := []Dataset{
		{"demo11", mustMatrix(tsp.HaversineMatrix(tsp.Demo11()))},
		{"demo30", mustMatrix(tsp.HaversineMatrix(tsp.Demo30()))},
	}
	for _, n := range []int{15, 20, 25, 30, 40, 50, 60} {
		ds = append(ds, Dataset{fmt.Sprintf("random%d", n), Haversine(n, 1)})
	}
	for _, name := range []string{"burma14", "ulysses16", "gr17", "gr21", "ulysses22", "gr24", "fri26", "bayg29",
		"bays29", "dantzig42", "swiss42", "att48", "gr48", "hk48", "eil51", "berlin52", "gr666", "pr1002"} {
		in, err := tsplib.ReadFile(filepath.Join(tsplibDir, name+".tsp"))
		if err != nil {
			tb.Fatal(err)
		}
		ds = append(ds, Dataset{name, in.Matrix})
	}
	return ds
}

// BenchSolveAll runs BenchmarkSolve's subbenchmarks
// <dataset>/<algorithm>/<name> for every dataset and algorithm (skipping
// the combinations an algorithm refuses, and Exact past 100 cities) and
// every solver, named by names[i], so that benchstat groups them.
func BenchSolveAll(b *testing.B, ds []Dataset, names []string, solvers []tsp.Solver) {
	for _, d := range ds {
		for _, alg := range tsp.Algorithms() {
			if d.M.N() > alg.MaxCities() {
				continue
			}
			if alg == tsp.Exact && d.M.N() > 100 {
				continue
			}
			for i, s := range solvers {
				b.Run(d.Name+"/"+alg.String()+"/"+names[i], func(b *testing.B) {
					BenchSolve(b, s, d.M, alg)
				})
			}
		}
	}
}

// BenchSolve solves m with alg from city 0 in a loop and reports the nodes
// and the length of the tour.
func BenchSolve(b *testing.B, s tsp.Solver, m *tsp.Matrix, alg tsp.Algorithm) {
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
