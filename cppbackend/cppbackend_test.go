package cppbackend_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ffi4go/tsp"
	"github.com/ffi4go/tsp/cppbackend"
	"github.com/ffi4go/tsp/internal/difftest"
	"github.com/ffi4go/tsp/kernel"
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

// TestDifftestCases runs the differential cases every backend shares
// (internal/difftest) on New's Solver and on a Handle reused for all.
func TestDifftestCases(t *testing.T) {
	cpp, h := cppSolvers(t)
	cases := difftest.Cases()
	fails := 0
	for _, c := range cases {
		want := difftest.Run(tsp.Go(), c)
		if want.Err != "" {
			t.Errorf("%s: the Go kernel failed: %s", c.Name, want.Err)
		}
		for _, s := range []tsp.Solver{cpp, h} {
			if d := cmp.Diff(want, difftest.Run(s, c)); d != "" {
				t.Errorf("%s (start %d): %T differs from go (-go +cgo-cpp):\n%s", c.Name, c.Opt.Start, s, d)
				if fails++; fails > 5 {
					t.Fatal("too many differences")
				}
			}
		}
	}
	t.Logf("%d shared cases", len(cases))
}

func TestCalls(t *testing.T) {
	if !cppbackend.Available {
		t.Skip("cgo-cpp unavailable")
	}
	var c cppbackend.Calls
	if got := c.ABIVersion(); got != kernel.ABIVersion {
		t.Errorf("ABIVersion() = %d, want %d", got, kernel.ABIVersion)
	}
	for _, x := range []int32{0, 1, -1, 42, math.MaxInt32, math.MinInt32} {
		if got := c.Noop(x); got != x {
			t.Errorf("Noop(%d) = %d", x, got)
		}
	}
	cs := tsp.RandomCities(50, 9)
	for i := range cs {
		for j := range cs {
			in := [5]float64{cs[i].Lat, cs[i].Lon, cs[j].Lat, cs[j].Lon, tsp.EarthRadiusKm}
			want := tsp.HaversineRadius(in[0], in[1], in[2], in[3], in[4])
			if got := c.Haversine(&in); !near(got, want) {
				t.Errorf("Haversine(%v) = %v, want %v", in, got, want)
			}
		}
	}
}

func near(a, b float64) bool {
	return math.Abs(a-b) <= 1e-12*math.Max(math.Abs(a), math.Abs(b))
}

// TestMatrix: tsp_matrix agrees with tsp.HaversineMatrix within 1e-12
// relative (the C++ kernel uses the C library's sin, cos and asin, which
// may differ from Go's math package in the last bit).
func TestMatrix(t *testing.T) {
	if !cppbackend.Available {
		t.Skip("cgo-cpp unavailable")
	}
	difftest.MatrixAgrees(t, cppbackend.Calls{}.Matrix)
	// Bad coordinates and sizes.
	lat, lon, out := []float64{0, 1}, []float64{0, 1}, make([]float64, 4)
	for _, c := range []struct {
		name          string
		lat, lon, out []float64
		r             float64
		want          int32
	}{
		{"NaN", []float64{0, math.NaN()}, lon, out, tsp.EarthRadiusKm, kernel.CodeInvalid},
		{"Inf", lat, []float64{math.Inf(1), 0}, out, tsp.EarthRadiusKm, kernel.CodeInvalid},
		{"latitude 91", []float64{91, 0}, lon, out, tsp.EarthRadiusKm, kernel.CodeInvalid},
		{"longitude -180.1", lat, []float64{0, -180.1}, out, tsp.EarthRadiusKm, kernel.CodeInvalid},
		{"NaN radius", lat, lon, out, math.NaN(), kernel.CodeInvalid},
		{"short out", lat, lon, out[:3], tsp.EarthRadiusKm, kernel.CodeInvalid},
		{"short lon", lat, lon[:1], out, tsp.EarthRadiusKm, kernel.CodeInvalid},
		{"empty", nil, nil, nil, tsp.EarthRadiusKm, kernel.CodeInvalid},
	} {
		if got := (cppbackend.Calls{}).Matrix(c.lat, c.lon, c.r, c.out); got != c.want {
			t.Errorf("%s: Matrix returned %d, want %d", c.name, got, c.want)
		}
	}
}

// checkStopped checks what a search stopped by a deadline returns: a valid
// tour from start in the canonical direction, its length, and a bound below
// it.
func checkStopped(t *testing.T, what string, m *tsp.Matrix, start int, tr tsp.Tour, err error) {
	t.Helper()
	checkStoppedBy(t, what, m, start, tr, err, context.DeadlineExceeded)
}

// checkStoppedBy is checkStopped for a search stopped by the context error
// want (context.DeadlineExceeded or context.Canceled).
func checkStoppedBy(t *testing.T, what string, m *tsp.Matrix, start int, tr tsp.Tour, err, want error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Errorf("%s: error %v, want one wrapping %v", what, err, want)
	}
	if tr.Status != tsp.Stopped {
		t.Errorf("%s: status %v, want stopped", what, tr.Status)
	}
	n := m.N()
	seen := make([]bool, n)
	for _, c := range tr.Order {
		if c < 0 || c >= n || seen[c] {
			t.Fatalf("%s: order %v is not a permutation", what, tr.Order)
		}
		seen[c] = true
	}
	if len(tr.Order) != n || tr.Order[0] != start || (n >= 3 && tr.Order[1] > tr.Order[n-1]) {
		t.Errorf("%s: order %v does not start at %d in the canonical direction", what, tr.Order, start)
	}
	if l := tsp.TourLength(m, tr.Order); math.Float64bits(l) != math.Float64bits(tr.Length) {
		t.Errorf("%s: length %v, but the order is %v long", what, tr.Length, l)
	}
	if !(tr.LowerBound >= 0 && tr.LowerBound <= tr.Length) {
		t.Errorf("%s: lower bound %v not in [0, length %v]", what, tr.LowerBound, tr.Length)
	}
}

// TestCancel stops searches that would run for minutes, and heuristics on
// the largest instances within milliseconds.
func TestCancel(t *testing.T) {
	cpp, h := cppSolvers(t)
	// Exact is far from done on it after 30 s (bound 75.6, tour 110);
	// Exhaustive on 13 cities visits 1.3e9 nodes (about 1.5 s in C++).
	exact250 := intInstance(t, 250, 1, 100).m
	exhaustive13 := citiesInstance(t, 13, 1).m
	// TwoOpt stops in the nearest-neighbour tour, the neighbour lists or
	// 2-opt; Nearest in its tour, whose unvisited cities then follow in
	// index order.
	twoOpt5000 := difftest.Haversine(5000, 1)
	nearest10000 := difftest.Haversine(10000, 1)
	for _, c := range []struct {
		name     string
		m        *tsp.Matrix
		alg      tsp.Algorithm
		after    time.Duration
		positive bool // the branch and bound is under way: a positive bound
		cancel   bool // cancel the context after the delay, instead of a deadline
	}{
		{"exact250/50ms", exact250, tsp.Exact, 50 * time.Millisecond, false, false},
		{"exact250/1s", exact250, tsp.Exact, time.Second, true, false},
		{"exhaustive13/50ms", exhaustive13, tsp.Exhaustive, 50 * time.Millisecond, false, false},
		{"twoopt5000/20ms", twoOpt5000, tsp.TwoOpt, 20 * time.Millisecond, false, false},
		{"nearest10000/cancel1ms", nearest10000, tsp.Nearest, time.Millisecond, false, true},
	} {
		for i, s := range []tsp.Solver{cpp, h} {
			var ctx context.Context
			var cancel context.CancelFunc
			want := context.DeadlineExceeded
			deadline := time.Now().Add(c.after)
			if c.cancel {
				ctx, cancel = context.WithCancel(context.Background())
				time.AfterFunc(c.after, cancel)
				want = context.Canceled
			} else {
				ctx, cancel = context.WithTimeout(context.Background(), c.after)
				deadline, _ = ctx.Deadline()
			}
			tr, err := s.Solve(ctx, c.m, tsp.Options{Algorithm: c.alg, Start: 3})
			late := time.Since(deadline)
			cancel()
			what := c.name + "/" + [...]string{"New", "Handle"}[i]
			if late > 5*time.Second {
				t.Errorf("%s: returned %v after the deadline", what, late)
			}
			checkStoppedBy(t, what, c.m, 3, tr, err, want)
			if c.positive && !(tr.LowerBound > 0) {
				t.Errorf("%s: lower bound %v, want > 0", what, tr.LowerBound)
			}
			t.Logf("%s: stopped %v after the deadline: length %.1f, lower bound %.1f, %d nodes",
				what, late, tr.Length, tr.LowerBound, tr.Nodes)
		}
	}
}

func TestHandle(t *testing.T) {
	h, err := cppbackend.NewHandle()
	if err != nil {
		t.Skipf("cgo-cpp unavailable: %v", err)
	}
	ctx := context.Background()
	// Safe for concurrent use: goroutines share the handle (one solve at a
	// time) and each still gets the Go kernel's results.
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 6 {
				n := 5 + 7*g + i
				alg := tsp.Algorithms()[(g+i)%4]
				if alg == tsp.Exhaustive {
					n = 4 + i
				}
				sameAsGo(t, ctx, citiesInstance(t, n, uint64(100*g+i)), tsp.Options{Algorithm: alg, Start: i % n}, h)
			}
		}()
	}
	wg.Wait()

	if err := h.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	if err := h.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	m := citiesInstance(t, 10, 1).m
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

// TestConcurrentSolves: the kernel keeps no global state, so solves on
// many goroutines at once (New's Solver, and a Handle per goroutine) each
// get the Go kernel's results.
func TestConcurrentSolves(t *testing.T) {
	cpp, _ := cppSolvers(t)
	ctx := context.Background()
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			h, err := cppbackend.NewHandle()
			if err != nil {
				t.Error(err)
				return
			}
			defer h.Close()
			for i := range 8 {
				alg := tsp.Algorithms()[(g+i)%4]
				n := 6 + 5*i
				if alg == tsp.Exhaustive {
					n = 5 + i
				}
				sameAsGo(t, ctx, citiesInstance(t, n, uint64(1000*g+i)), tsp.Options{Algorithm: alg, Start: g % n}, cpp, h)
			}
		}()
	}
	wg.Wait()
}

// TestHandleCloseDuringSolve: Close waits for the running solve; the handle
// is closed after it.
func TestHandleCloseDuringSolve(t *testing.T) {
	h, err := cppbackend.NewHandle()
	if err != nil {
		t.Skipf("cgo-cpp unavailable: %v", err)
	}
	m := intInstance(t, 250, 1, 100).m // Exact runs for seconds
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
		checkStopped(t, "exact250 closed under way", m, 0, r.tr, r.err)
	}
	if _, err := h.Solve(context.Background(), m, tsp.Options{Algorithm: tsp.Nearest}); !errors.Is(err, cppbackend.ErrClosed) {
		t.Errorf("Solve after Close: %v, want ErrClosed", err)
	}
}
