package difftest

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"testing"
	"time"

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

// BenchSolve solves m with alg from city 0 in a loop and reports the nodes,
// the length of the tour and the CPU time per solve (cpu-ns/op, as
// BenchSolveOptions: on a machine shared with other work, wall time
// includes the waits for a CPU).
func BenchSolve(b *testing.B, s tsp.Solver, m *tsp.Matrix, alg tsp.Algorithm) {
	ctx := context.Background()
	var tour tsp.Tour
	cpu := cpuTime()
	for b.Loop() {
		var err error
		tour, err = s.Solve(ctx, m, tsp.Options{Algorithm: alg})
		if err != nil {
			skipUnsupported(b, err)
			b.Fatal(err)
		}
	}
	ReportCPU(b, cpu)
	b.ReportMetric(float64(tour.Nodes), "nodes")
	b.ReportMetric(tour.Length, "length")
}

// RouteBench is one benchmark of a route (issue 16): a dataset and the
// options to solve it with.
type RouteBench struct {
	Dataset string // atsp-<instance>, path-<instance> (ending anywhere), end-<instance> (ending at the last city)
	M       *tsp.Matrix
	Opt     tsp.Options
}

// RouteBenches returns the routes the benchmarks solve: the ATSP instances
// of ATSPDir (Exact on those it proves within seconds: br17, ftv33, ft53,
// and with all ftv44 and ry48p; TwoOpt and Nearest on every one), and
// the symmetric TSPLIB instances of tsplibDir of at most 52 cities as open
// paths from city 0 and as paths from 0 to the last city (Exact). The
// instances Exact does not prove within seconds (ftv70, kro124p; gr96 and
// kroA100 as paths) are measured by single runs of tsp solve instead (the
// README's table), since every benchmark runs once in make test.
func RouteBenches(tb testing.TB, tsplibDir string, all bool) []RouteBench {
	tb.Helper()
	var out []RouteBench
	for _, name := range []string{"br17", "ftv33", "ftv44", "ry48p", "ft53", "ftv70", "kro124p"} {
		m := ATSP(name)
		slow := name == "ftv44" || name == "ry48p"
		if name != "ftv70" && name != "kro124p" && (all || !slow) {
			out = append(out, RouteBench{"atsp-" + name, m, tsp.Options{Algorithm: tsp.Exact}})
		}
		for _, alg := range []tsp.Algorithm{tsp.Nearest, tsp.TwoOpt} {
			out = append(out, RouteBench{"atsp-" + name, m, tsp.Options{Algorithm: alg}})
		}
	}
	names := []string{"burma14", "ulysses16", "gr17", "gr21", "ulysses22", "gr24", "fri26", "bayg29",
		"bays29", "dantzig42", "swiss42", "att48", "gr48", "hk48", "eil51", "berlin52"}
	if !all {
		names = []string{"burma14", "bayg29", "att48", "berlin52"}
	}
	for _, name := range names {
		in, err := tsplib.ReadFile(filepath.Join(tsplibDir, name+".tsp"))
		if err != nil {
			tb.Fatal(err)
		}
		n := in.Matrix.N()
		out = append(out,
			RouteBench{"path-" + name, in.Matrix, tsp.Options{Algorithm: tsp.Exact, End: tsp.EndAnywhere}},
			RouteBench{"end-" + name, in.Matrix, tsp.Options{Algorithm: tsp.Exact, End: tsp.EndAt(n - 1)}})
	}
	return out
}

// BenchRoutes runs the subbenchmarks <dataset>/<algorithm>/<name> of
// RouteBenches for every solver, named by names[i].
func BenchRoutes(b *testing.B, rs []RouteBench, names []string, solvers []tsp.Solver) {
	for _, r := range rs {
		for i, s := range solvers {
			b.Run(r.Dataset+"/"+r.Opt.Algorithm.String()+"/"+names[i], func(b *testing.B) {
				BenchSolveOptions(b, s, r.M, r.Opt)
			})
		}
	}
}

// BenchSolveOptions solves m with opt in a loop and reports the nodes, the
// length and the CPU time per solve (cpu-ns/op: the process's user and
// system time, the targets' measure).
func BenchSolveOptions(b *testing.B, s tsp.Solver, m *tsp.Matrix, opt tsp.Options) {
	ctx := context.Background()
	var tour tsp.Tour
	cpu := cpuTime()
	for b.Loop() {
		var err error
		tour, err = s.Solve(ctx, m, opt)
		if err != nil {
			skipUnsupported(b, err)
			b.Fatal(err)
		}
	}
	if cpu >= 0 {
		b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N), "cpu-ns/op")
	}
	b.ReportMetric(float64(tour.Nodes), "nodes")
	b.ReportMetric(tour.Length, "length")
}

// skipUnsupported skips a benchmark whose solver lacks the algorithm (the
// pure-Python kernel of the Python backends has Exhaustive and Nearest):
// an error wrapping errors.ErrUnsupported.
func skipUnsupported(b *testing.B, err error) {
	if errors.Is(err, errors.ErrUnsupported) {
		b.Skip(err)
	}
}

// CPUTime is the CPU time the process has used so far, user and system, or
// -1 when it cannot tell; ReportCPU reports the CPU time since cpu, per
// iteration, as cpu-ns/op.
func CPUTime() time.Duration { return cpuTime() }

// ReportCPU: see CPUTime.
func ReportCPU(b *testing.B, cpu time.Duration) {
	if cpu >= 0 && b.N > 0 {
		b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N), "cpu-ns/op")
	}
}
