//go:build cgo

package cbackend

import (
	"testing"

	"github.com/ffi4go/tsp/internal/abi"
)

// callbackBatch is how many callbacks one iteration of BenchmarkCallback
// makes; ns/callback is ns/op divided by it.
const callbackBatch = 1000

var callbackSink int64

// progressNop is the callback BenchmarkCallback calls: it does nothing
// worth measuring.
var progressNop abi.ProgressFunc = func(event int32, length, bound float64, nodes uint64, order []int32) int32 {
	callbackSink += int64(nodes)
	return 0
}

// BenchmarkCallback: one progress callback from the kernel's side into Go,
// batched callbackBatch to an iteration (the ns/callback metric):
//
//   - go: a plain call of the Go function value, as the Go kernel makes it;
//   - cgo-c: C calls the function pointer of tsp_solve_progress, an exported
//     Go function, which finds the Go function through a runtime/cgo.Handle
//     (one cgo call into C per batch, callbackBatch calls back).
//
// loader's BenchmarkCallback/purego-c measures purego's.
func BenchmarkCallback(b *testing.B) {
	order := make([]int32, 100)
	f := progressNop
	b.Run("go", func(b *testing.B) {
		for b.Loop() {
			for i := range callbackBatch {
				f(abi.ProgressTour, 1, 0, uint64(i), order)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/callbackBatch, "ns/callback")
	})
	b.Run("cgo-c", func(b *testing.B) {
		for b.Loop() {
			callProgressN(f, callbackBatch, order)
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/callbackBatch, "ns/callback")
	})
}
