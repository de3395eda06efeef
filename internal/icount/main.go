// Command icount solves one problem several times on one backend, so that
// valgrind can count the instructions a solve executes: a deterministic
// measure where timings on a busy machine are not (the README's
// WebAssembly section, "Where the factor goes"). The count of one solve is
// the difference between two runs divided by the difference in solves,
// which leaves out the start-up and wazero's compilation:
//
//	go build -o /tmp/icount ./internal/icount
//	n() { GOGC=off GOMAXPROCS=1 GODEBUG=asyncpreemptoff=1 valgrind --tool=callgrind \
//	  --callgrind-out-file=/dev/null --smc-check=all /tmp/icount "$@" 2>&1 | grep 'I *refs'; }
//	n wasm-c random25 1; n wasm-c random25 21      # Exact on 25 random cities
//	n go 1000 1 twoopt; n go 1000 3 twoopt         # the coordinate path
//
// Arguments: backend (go, cgo-c, wasm-c, wasm-cpp), problem (random25:
// Exact; demo11: Exhaustive; atsp-NAME: Exact on testdata/tsplib-atsp's
// NAME, such as atsp-ftv70; or a number of random cities for the
// coordinate path, followed after the count by nearest or twoopt), count.
// GOGC=off and GOMAXPROCS=1 make the counts repeat to within 0.01 %;
// asyncpreemptoff keeps valgrind's callgrind from failing on Go's signals.
package main

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/ffi4go/tsp"
	"github.com/ffi4go/tsp/cbackend"
	"github.com/ffi4go/tsp/internal/difftest"
	"github.com/ffi4go/tsp/wasmbackend"
)

func main() {
	if len(os.Args) < 4 {
		fmt.Fprintln(os.Stderr, "usage: icount backend problem count [nearest|twoopt]")
		os.Exit(2)
	}
	backend, prob := os.Args[1], os.Args[2]
	reps, err := strconv.Atoi(os.Args[3])
	if err != nil {
		fail(err)
	}
	ctx := context.Background()
	if len(os.Args) > 4 {
		n, err := strconv.Atoi(prob)
		if err != nil {
			fail(err)
		}
		alg := tsp.Nearest
		if os.Args[4] == "twoopt" {
			alg = tsp.TwoOpt
		}
		var ps tsp.PointsSolver
		switch backend {
		case "go":
			ps = tsp.GoPoints()
		case "wasm-c", "wasm-cpp":
			k, err := kernel(backend)
			if err != nil {
				fail(err)
			}
			ps = k.Points()
		default:
			fail(fmt.Errorf("no coordinate path here for %q", backend))
		}
		p := tsp.CityPoints(tsp.RandomCities(n, 1))
		var t tsp.Tour
		for range reps {
			if t, err = ps.SolvePoints(ctx, p, tsp.Options{Algorithm: alg}); err != nil {
				fail(err)
			}
		}
		fmt.Println(t.Length)
		return
	}
	var s tsp.Solver
	switch backend {
	case "go":
		s = tsp.Go()
	case "cgo-c":
		s, err = cbackend.New()
	default:
		s, err = kernel(backend)
	}
	if err != nil {
		fail(err)
	}
	var m *tsp.Matrix
	alg := tsp.Exact
	switch prob {
	case "random25":
		m = difftest.Haversine(25, 1)
	case "demo11":
		m, _ = tsp.HaversineMatrix(tsp.Demo11())
		alg = tsp.Exhaustive
	default:
		name, ok := strings.CutPrefix(prob, "atsp-")
		if !ok {
			fail(fmt.Errorf("unknown problem %q", prob))
		}
		m = difftest.ATSP(name)
	}
	var t tsp.Tour
	for range reps {
		if t, err = s.Solve(ctx, m, tsp.Options{Algorithm: alg}); err != nil {
			fail(err)
		}
	}
	fmt.Println(t.Length, t.Nodes)
}

func kernel(name string) (*wasmbackend.Kernel, error) {
	switch name {
	case "wasm-c":
		return wasmbackend.New()
	case "wasm-cpp":
		return wasmbackend.NewCPP()
	}
	return nil, fmt.Errorf("unknown backend %q", name)
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "icount:", err)
	os.Exit(1)
}
