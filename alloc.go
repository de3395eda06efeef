package tsp

import (
	"context"
	"sync/atomic"
)

// bigAlloc is the size, in float64s (32 MiB, a matrix of about 2,000
// cities), from which newFloats allocates on a goroutine of its own when
// ctx can end.
const bigAlloc = 1 << 22

// bigAllocSlot admits one such allocation at a time, so that allocations
// abandoned by their deadline never pile up: at most one is in flight.
var bigAllocSlot = make(chan struct{}, 1)

// allocHook, when set (by tests), runs on the allocating goroutine just
// before a big allocation.
var allocHook atomic.Pointer[func()]

// newFloats returns make([]float64, n), or ctx's error when ctx ends
// before the slice is ready.
//
// One allocation of hundreds of megabytes cannot be interrupted: the
// runtime zeroes memory it reuses before it returns it (0.6 s and more
// for the 800 MB of a matrix of 10,000 cities, 2.2 s seen behind a
// 1 ms deadline). So a big allocation under a context that can end runs
// on a goroutine of its own, and newFloats waits for it or for ctx,
// whichever comes first. An abandoned allocation finishes on its
// goroutine and becomes garbage; the next big allocation waits for it
// (for ctx as well), so at most one is ever in flight.
func newFloats(ctx context.Context, n int) ([]float64, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if n < bigAlloc || ctx.Done() == nil {
		return make([]float64, n), nil
	}
	select {
	case bigAllocSlot <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	ready := make(chan []float64, 1) // buffered: an abandoned goroutine never blocks
	go func() {
		defer func() { <-bigAllocSlot }()
		if h := allocHook.Load(); h != nil {
			(*h)()
		}
		ready <- make([]float64, n)
	}()
	select {
	case d := <-ready:
		return d, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}
