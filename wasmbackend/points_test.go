package wasmbackend

import (
	"testing"

	"github.com/ffi4go/tsp/internal/difftest"
)

// TestPoints: tsp_solve_points of both WebAssembly kernels gives the Go
// kernel's tours, length bits and node counts on points of every kind,
// stops on a deadline and refuses what the Go kernel refuses (issue 21).
func TestPoints(t *testing.T) {
	for _, open := range []func() (*Kernel, error){New, NewCPP} {
		k, err := open()
		if err != nil {
			t.Fatal(err)
		}
		t.Run(k.Name(), func(t *testing.T) {
			difftest.ComparePoints(t, k.Points(), difftest.PointsCases(testing.Short()))
			difftest.PointsCancel(t, k.Points())
			difftest.PointsFuncChecks(t, k.Name(), k.solvePoints)
		})
	}
}
