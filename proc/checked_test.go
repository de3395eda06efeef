package proc

import (
	"context"
	"math"
	"testing"

	"github.com/ffi4go/tsp/internal/abi"
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
