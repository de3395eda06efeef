package proc

import (
	"context"
	"math"
	"testing"

	"github.com/ffi4go/tsp/internal/abi"
	"github.com/ffi4go/tsp/internal/difftest"
	"github.com/ffi4go/tsp/kernel"
)

// TestCheckedNotTrusted: a solve request whose algorithm says TSP_CHECKED
// with a matrix that is not valid gets TSP_INVALID from the Go and the C
// worker, which check every matrix themselves (the Go kernel, trusting the
// flag, indexed out of range on such a matrix: FuzzServe found it).
func TestCheckedNotTrusted(t *testing.T) {
	bad := []float64{
		0, math.NaN(), 1, -1,
		1, 0, math.Inf(1), 2,
		3, 1, 0, 1,
		-1, 2, 5, 0,
	}
	for _, cfg := range []Config{goWorker("worker-go"), cWorker(t, "worker-c")} {
		t.Run(cfg.Name, func(t *testing.T) {
			w, err := start(cfg)
			if err != nil {
				t.Fatal(err)
			}
			defer w.close()
			for _, alg := range []int32{abi.Exact, abi.Exhaustive, abi.Nearest, abi.TwoOpt, abi.Iterated} {
				res := result{order: make([]int32, 4)}
				q := request{n: 4, algorithm: alg | abi.FlagChecked, seed: 1, budget: 10, matrix: bad}
				if err := w.solve(context.Background(), &q, &res); err != nil {
					t.Fatalf("algorithm %d: %v", alg, err)
				}
				if res.status != abi.CodeInvalid {
					t.Errorf("algorithm %d: status %d, want %d (invalid)", alg, res.status, abi.CodeInvalid)
				}
			}
		})
	}
}

// TestCheckedTiles: the workers' check reads the matrix in tiles of 32×32
// (the C worker since issue 17's twelfth session); a bad value anywhere,
// in a later tile or only in the mirror of a pair, is found, and a valid
// matrix of 70 cities (three bands) passes.
func TestCheckedTiles(t *testing.T) {
	const n = 70
	good := kernel.Data(difftest.Haversine(n, 9))
	bads := map[string]func(d []float64){
		"asymmetric pair across tiles": func(d []float64) { d[60*n+5] += 1 },
		"negative in the last tile":    func(d []float64) { d[65*n+66], d[66*n+65] = -1, -1 },
		"diagonal":                     func(d []float64) { d[69*n+69] = 1 },
		"NaN at the tile's edge":       func(d []float64) { d[31*n+32], d[32*n+31] = math.NaN(), math.NaN() },
	}
	for _, cfg := range []Config{goWorker("worker-go"), cWorker(t, "worker-c")} {
		w, err := start(cfg)
		if err != nil {
			t.Fatal(err)
		}
		solve := func(d []float64) int32 {
			res := result{order: make([]int32, n)}
			q := request{n: n, algorithm: abi.Nearest | abi.FlagChecked, matrix: d}
			if err := w.solve(context.Background(), &q, &res); err != nil {
				t.Fatal(err)
			}
			return res.status
		}
		if st := solve(good); st != abi.CodeOK {
			t.Errorf("%s, a valid matrix: status %d", cfg.Name, st)
		}
		for name, spoil := range bads {
			d := append([]float64(nil), good...)
			spoil(d)
			if st := solve(d); st != abi.CodeInvalid {
				t.Errorf("%s, %s: status %d, want %d (invalid)", cfg.Name, name, st, abi.CodeInvalid)
			}
		}
		w.close()
	}
}
