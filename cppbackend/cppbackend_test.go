package cppbackend_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/ffi4go/tsp"
	"github.com/ffi4go/tsp/cppbackend"
	"github.com/ffi4go/tsp/internal/difftest"
)

func TestAvailability(t *testing.T) {
	s, err := cppbackend.New()
	h, herr := cppbackend.NewHandle()
	if !cppbackend.Available {
		for _, e := range []error{err, herr} {
			if !errors.Is(e, tsp.ErrUnavailable) || !strings.Contains(fmt.Sprint(e), "without cgo") {
				t.Errorf("without cgo: got error %v, want one wrapping tsp.ErrUnavailable that says the binary was built without cgo", e)
			}
		}
		if s != nil || h != nil {
			t.Errorf("without cgo: got a solver")
		}
		return
	}
	if err != nil || herr != nil {
		t.Fatalf("New: %v, NewHandle: %v", err, herr)
	}
	defer h.Close()
	if s.Name() != cppbackend.Name || h.Name() != cppbackend.Name || cppbackend.Name != "cgo-cpp" {
		t.Errorf("names %q, %q, want %q", s.Name(), h.Name(), "cgo-cpp")
	}
	var _ tsp.Solver = h
}

// cppSolvers returns the cgo-cpp Solver of New and a Handle (closed at the
// end of the test), or skips the test when the backend is not compiled in.
func cppSolvers(tb testing.TB) (tsp.Solver, *cppbackend.Handle) {
	tb.Helper()
	s, err := cppbackend.New()
	if err != nil {
		tb.Skipf("cgo-cpp unavailable: %v", err)
	}
	h, err := cppbackend.NewHandle()
	if err != nil {
		tb.Fatalf("NewHandle: %v", err)
	}
	tb.Cleanup(func() {
		if err := h.Close(); err != nil {
			tb.Errorf("Close: %v", err)
		}
	})
	return s, h
}

// TestDifferential runs the differential cases every backend shares
// (internal/difftest: haversine, integer, real-valued and duplicate-city
// matrices, the demo sets, pre-cancelled solves, refused options) on New's
// Solver and on one Handle reused for all of them, whatever their size.
func TestDifferential(t *testing.T) {
	cpp, h := cppSolvers(t)
	difftest.Compare(t, difftest.Cases(), cpp, h)
}

// TestProofs: Exact proves Exhaustive's optimum at every scale, through
// New's Solver and a Handle (difftest.Proofs).
func TestProofs(t *testing.T) {
	cpp, h := cppSolvers(t)
	difftest.Proofs(t, cpp, h)
}

// TestRoutes: asymmetric matrices and routes with an end, every algorithm,
// against brute force, through New's Solver and a Handle (difftest.Routes).
func TestRoutes(t *testing.T) {
	cpp, h := cppSolvers(t)
	difftest.Routes(t, cpp, h)
}

// TestCalls: tsp_abi_version, tsp_noop, tsp_haversine and tsp_matrix agree
// with Go and refuse bad input (difftest.CheckCalls; the C++ kernel uses the
// C library's sin, cos and asin, which may differ from Go's math package in
// the last bit).
func TestCalls(t *testing.T) {
	if !cppbackend.Available {
		t.Skip("cgo-cpp unavailable")
	}
	difftest.CheckCalls(t, cppbackend.Calls{})
}

// TestCancel stops searches that would run for minutes, and heuristics on
// the largest instances within milliseconds, through New's Solver and a
// Handle (difftest.Cancel).
func TestCancel(t *testing.T) {
	cpp, h := cppSolvers(t)
	t.Run("New", func(t *testing.T) { difftest.Cancel(t, cpp) })
	t.Run("Handle", func(t *testing.T) { difftest.Cancel(t, h) })
}

func TestHandle(t *testing.T) {
	h, err := cppbackend.NewHandle()
	if err != nil {
		t.Skipf("cgo-cpp unavailable: %v", err)
	}
	ctx := context.Background()
	// Safe for concurrent use: goroutines share the handle (one solve at a
	// time) and each still gets the Go kernel's results.
	work := make([][]difftest.Case, 4)
	for g := range work {
		for i := range 6 {
			n := 5 + 7*g + i
			alg := tsp.Algorithms()[(g+i)%4]
			if alg == tsp.Exhaustive {
				n = 4 + i
			}
			work[g] = append(work[g], citiesCase(n, uint64(100*g+i), tsp.Options{Algorithm: alg, Start: i % n}))
		}
	}
	difftest.Concurrent(t, work, func(int) []tsp.Solver { return []tsp.Solver{h} })

	if err := h.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	if err := h.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	m := difftest.Haversine(10, 1)
	tr, err := h.Solve(ctx, m, tsp.Options{})
	if !errors.Is(err, cppbackend.ErrClosed) || !errors.Is(err, tsp.ErrUnavailable) {
		t.Errorf("Solve after Close: error %v, want one wrapping ErrClosed and tsp.ErrUnavailable", err)
	}
	if tr.Order != nil {
		t.Errorf("Solve after Close returned a tour")
	}
	var none *cppbackend.Handle
	if _, err := none.Solve(ctx, m, tsp.Options{}); !errors.Is(err, cppbackend.ErrClosed) {
		t.Errorf("Solve on a nil Handle: error %v, want ErrClosed", err)
	}
	if err := none.Close(); err != nil {
		t.Errorf("Close on a nil Handle: %v", err)
	}
}

// citiesCase is a difftest case on the haversine matrix of n random cities.
func citiesCase(n int, seed uint64, opt tsp.Options) difftest.Case {
	return difftest.Case{Name: fmt.Sprintf("%s/cities(n=%d,seed=%d)/start%d", opt.Algorithm, n, seed, opt.Start),
		M: difftest.Haversine(n, seed), Opt: opt}
}

// TestConcurrentSolves: the kernel keeps no global state, so solves on
// many goroutines at once (New's Solver, and a Handle per goroutine) each
// get the Go kernel's results.
func TestConcurrentSolves(t *testing.T) {
	cpp, _ := cppSolvers(t)
	work := make([][]difftest.Case, 4)
	handles := make([]*cppbackend.Handle, len(work))
	for g := range work {
		h, err := cppbackend.NewHandle()
		if err != nil {
			t.Fatal(err)
		}
		defer h.Close()
		handles[g] = h
		for i := range 8 {
			alg := tsp.Algorithms()[(g+i)%4]
			n := 6 + 5*i
			if alg == tsp.Exhaustive {
				n = 5 + i
			}
			work[g] = append(work[g], citiesCase(n, uint64(1000*g+i), tsp.Options{Algorithm: alg, Start: g % n}))
		}
	}
	difftest.Concurrent(t, work, func(g int) []tsp.Solver { return []tsp.Solver{cpp, handles[g]} })
}

// TestHandleCloseDuringSolve: Close waits for the running solve; the handle
// is closed after it.
func TestHandleCloseDuringSolve(t *testing.T) {
	h, err := cppbackend.NewHandle()
	if err != nil {
		t.Skipf("cgo-cpp unavailable: %v", err)
	}
	m := difftest.IntMatrix(250, 1, 100) // Exact runs for seconds
	type out struct {
		tr  tsp.Tour
		err error
	}
	done := make(chan out, 1)
	started := make(chan struct{})
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
		defer cancel()
		close(started)
		tr, err := h.Solve(ctx, m, tsp.Options{Algorithm: tsp.Exact})
		done <- out{tr, err}
	}()
	<-started
	time.Sleep(50 * time.Millisecond)
	if err := h.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	r := <-done
	if r.err != nil && !errors.Is(r.err, cppbackend.ErrClosed) {
		// The solve ran (it usually got the lock first) and was stopped.
		difftest.CheckStopped(t, m, r.tr, r.err, 0, context.DeadlineExceeded)
	}
	if _, err := h.Solve(context.Background(), m, tsp.Options{Algorithm: tsp.Nearest}); !errors.Is(err, cppbackend.ErrClosed) {
		t.Errorf("Solve after Close: %v, want ErrClosed", err)
	}
}

// TestSolveErrors: New's Solver and a Handle refuse bad options with the
// right sentinel errors before they call the kernel.
func TestSolveErrors(t *testing.T) {
	cpp, h := cppSolvers(t)
	difftest.SolveErrors(t, cpp)
	difftest.SolveErrors(t, h)
}

// TestHandleWaitHonoursContext: a solve waiting for the Handle's running
// solve gives up when its own context ends, with an error wrapping ctx.Err()
// and a zero Tour; it does not wait for the running solve to end.
func TestHandleWaitHonoursContext(t *testing.T) {
	_, h := cppSolvers(t)
	big := difftest.IntMatrix(250, 1, 100) // Exact runs for seconds
	small := difftest.IntMatrix(5, 2, 100)
	running := make(chan error, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
		defer cancel()
		_, err := h.Solve(ctx, big, tsp.Options{Algorithm: tsp.Exact})
		running <- err
	}()
	time.Sleep(50 * time.Millisecond) // the long solve holds the handle

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	t0 := time.Now()
	tour, err := h.Solve(ctx, small, tsp.Options{Algorithm: tsp.Exact})
	elapsed := time.Since(t0)
	if elapsed > 200*time.Millisecond {
		t.Errorf("a solve with a 10 ms deadline waiting for the handle returned after %v", elapsed)
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want context.DeadlineExceeded", err)
	}
	if tour.Order != nil || tour.Length != 0 || tour.Status != tsp.Heuristic || tour.Nodes != 0 {
		t.Errorf("a solve that never started returned a tour: %+v", tour)
	}
	t.Logf("returned after %v: %v", elapsed, err)
	if err := <-running; !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("the long solve: %v, want it stopped by its deadline", err)
	}
	// The handle still works.
	if _, err := h.Solve(context.Background(), small, tsp.Options{Algorithm: tsp.Exact}); err != nil {
		t.Errorf("a solve after both: %v", err)
	}
}

// TestDuplicateStops: duplicate cities merge before the kernel runs, through
// New's Solver and a Handle (issue 13; difftest.DuplicateStops).
func TestDuplicateStops(t *testing.T) {
	cpp, h := cppSolvers(t)
	difftest.DuplicateStops(t, cpp, h)
}
