package backends_test

import (
	"flag"
	"math"
	"math/rand/v2"
	"os"
	"reflect"
	"slices"
	"testing"

	"github.com/ffi4go/tsp"
	"github.com/ffi4go/tsp/backends"
	"github.com/ffi4go/tsp/cbackend"
	"github.com/ffi4go/tsp/internal/difftest"
)

// FuzzDifferential solves small random matrices at scales from subnormal
// distances to 1e300 with every algorithm on every available backend: each
// must give the Go kernel's result bit for bit (difftest.Run), and Exact,
// when it says Optimal, must give the optimum Exhaustive finds (to its
// documented tolerance of 1e-9 of the upper bound, which covers the ulp by
// which two tours of equal integer length can round apart) with a lower
// bound no higher. The purego backends take part when $TSP_LIB_PATH holds
// the shared libraries (make fuzz builds them); with CI=true every backend
// must be there when fuzzing (the seed inputs, run as a plain test, use the
// backends this build has).
func FuzzDifferential(f *testing.F) {
	for _, s := range []struct {
		n     uint8
		exp   int16
		seed  uint64
		maxv  uint16
		start uint8
	}{
		{9, 0, 1, 100, 0}, {12, -12, 2, 100, 3}, {7, -323, 3, 1000, 1}, {8, -310, 4, 10, 2},
		{6, 300, 5, 1000, 5}, {3, 100, 6, 1, 0}, {1, 0, 7, 5, 0}, {2, -200, 8, 50, 1},
	} {
		f.Add(s.n, s.exp, s.seed, s.maxv, s.start)
	}
	var solvers []tsp.Solver
	// The Go worker of worker-go is this test binary (TestMain serves the
	// protocol when run as `PROG worker`): a fresh clone has no tsp command
	// in the library directory.
	for _, b := range backends.All(backends.Config{GoWorker: os.Args[0]}) {
		switch {
		case b.Name == backends.NameExecGo || b.Name == backends.NameExecC:
			// One process per solve: milliseconds an execution. The pooled
			// workers (worker-*) take part; package proc's tests run the
			// exec ones through the differential cases.
		case slices.Contains(backends.PythonNames(), b.Name):
			// The Python workers: the pure-Python kernel has two of the
			// five algorithms and takes a second for ten cities;
			// TestPythonDifferential runs them all on the shared cases.
		case b.Available():
			solvers = append(solvers, b.Solver)
		case os.Getenv("CI") == "true" && fuzzing() && (b.Name == "purego-c" || b.Name == "purego-cpp" || cbackend.Available):
			f.Fatalf("CI=true and backend %s is unavailable: %v", b.Name, b.Err)
		}
	}
	f.Fuzz(func(t *testing.T, n8 uint8, exp int16, seed uint64, maxv uint16, start8 uint8) {
		n := 1 + int(n8)%10 // 1 to 10 cities: Exhaustive stays fast
		e := int(exp)%624 - 323
		if e > 300 {
			e = 300 - (e-300)%600 // 10^-323 ... 10^300: tours stay below tsp.MaxTourLength
		}
		scale := math.Pow10(e)
		if scale == 0 {
			scale = math.SmallestNonzeroFloat64
		}
		r := rand.New(rand.NewPCG(seed, uint64(n)))
		d := make([]float64, n*n)
		for i := 0; i < n; i++ {
			for j := i + 1; j < n; j++ {
				v := float64(1+r.IntN(1+int(maxv)%1000)) * scale
				d[i*n+j], d[j*n+i] = v, v
			}
		}
		m, err := tsp.NewMatrix(n, d)
		if err != nil {
			t.Fatalf("NewMatrix: %v", err)
		}
		start := int(start8) % n
		var opt, exact difftest.Result
		for _, alg := range tsp.Algorithms() {
			// Iterated gets the input's seed and a small budget: the same
			// kicks everywhere, and a fuzz execution stays short.
			c := difftest.Case{Name: alg.String(), M: m, Opt: tsp.Options{Algorithm: alg, Start: start, Seed: seed, Budget: 1 + int64(seed%200)}}
			want := difftest.Run(tsp.Go(), c)
			if want.Err != "" {
				t.Fatalf("go %v: %v", alg, want.Err)
			}
			for _, s := range solvers {
				if got := difftest.Run(s, c); !reflect.DeepEqual(got, want) {
					t.Errorf("%s %v on %d cities ×1e%d: %+v, go %+v", s.Name(), alg, n, e, got, want)
				}
			}
			switch alg {
			case tsp.Exhaustive:
				opt = want
			case tsp.Exact:
				exact = want
			}
		}
		o, x, lb := math.Float64frombits(opt.Length), math.Float64frombits(exact.Length), math.Float64frombits(exact.LowerBound)
		slack := 1e-9*o + math.SmallestNonzeroFloat64
		if exact.Status == tsp.Optimal && (x > o+slack || lb > o+slack) {
			t.Errorf("%d cities ×1e%d: Exact says optimal %v (bound %v), Exhaustive finds %v", n, e, x, lb, o)
		}
	})
}

// fuzzing reports whether the test binary runs with -fuzz.
func fuzzing() bool {
	f := flag.Lookup("test.fuzz")
	return f != nil && f.Value.String() != ""
}
