package tsp

import (
	"context"
	"errors"
	"math"
	"sync/atomic"
	"testing"
	"time"
)

// blockAllocs makes every big allocation of newFloats wait until the
// returned release is called; started receives once per allocation that
// began. Cleanup releases them and waits until none is in flight.
func blockAllocs(t *testing.T) (started chan struct{}, release func()) {
	started = make(chan struct{}, 16)
	gate := make(chan struct{})
	var once atomic.Bool
	release = func() {
		if once.CompareAndSwap(false, true) {
			close(gate)
		}
	}
	h := func() {
		started <- struct{}{}
		<-gate
	}
	allocHook.Store(&h)
	t.Cleanup(func() {
		release()
		bigAllocSlot <- struct{}{} // the slot is free: no allocation in flight
		<-bigAllocSlot
		allocHook.Store(nil)
	})
	return started, release
}

// solveWithin runs SolveCities and fails the test when it has not returned
// within a minute (it would wait for a blocked allocation forever).
func solveWithin(t *testing.T, ctx context.Context, cities []City, opt Options) (Tour, error) {
	t.Helper()
	type result struct {
		t   Tour
		err error
	}
	ch := make(chan result, 1)
	go func() {
		tour, err := SolveCities(ctx, cities, opt)
		ch <- result{tour, err}
	}()
	select {
	case r := <-ch:
		return r.t, r.err
	case <-time.After(time.Minute):
		t.Fatalf("SolveCities(%v) did not return a minute after its deadline: it waits for the matrix's allocation", opt)
		return Tour{}, nil
	}
}

// TestSolveCitiesDeadlineBeforeTheMatrix: a route with an end builds the
// matrix (the coordinate path takes round trips only); its deadline stops
// SolveCities while the matrix's allocation has not even finished (issue
// 13's overrun of 2.2 s at 10,000 cities was that allocation), and a second
// solve behind it waits for its own deadline, not for that allocation.
func TestSolveCitiesDeadlineBeforeTheMatrix(t *testing.T) {
	cities := RandomCities(2100, 5) // 2,100² values: above bigAlloc
	started, release := blockAllocs(t)
	for _, opt := range []Options{{Algorithm: TwoOpt, End: EndAnywhere, Start: 3}, {Algorithm: Nearest, End: EndAt(9)}} {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
		got, err := solveWithin(t, ctx, cities, opt)
		cancel()
		if !errors.Is(err, context.DeadlineExceeded) || got.Status != Stopped {
			t.Fatalf("%v: got status %v, %v; want Stopped and context.DeadlineExceeded", opt, got.Status, err)
		}
		want, _ := stoppedCities(ctx, cities, opt)
		if len(got.Order) != len(cities) || got.Order[0] != opt.Start || math.Float64bits(got.Length) != math.Float64bits(want.Length) {
			t.Errorf("%v: got the route from %d of length %v, want stoppedCities' from %d, %v", opt, got.Order[0], got.Length, opt.Start, want.Length)
		}
	}
	select {
	case <-started: // the first solve's allocation; the second waited for its slot
	default:
		t.Fatal("no allocation went through newFloats' goroutine")
	}
	if len(started) != 0 {
		t.Errorf("%d more allocations began while one was in flight, want none", len(started))
	}
	release()
	// With time enough, the same allocation completes and the route is solved.
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	got, err := solveWithin(t, ctx, cities, Options{Algorithm: Nearest, End: EndAt(9)})
	if err != nil || got.Status != Heuristic || got.Order[len(got.Order)-1] != 9 {
		t.Errorf("unblocked: got %v, %v, want a route to 9", got.Status, err)
	}
}

// TestSolveCitiesRefusedBeforeTheMatrix: what the matrix would be refused
// for is refused before it is built (no allocation begins, whatever the
// deadline), with Solve's error, unless cities may be duplicates.
func TestSolveCitiesRefusedBeforeTheMatrix(t *testing.T) {
	small := RandomCities(260, 2) // Exact takes 250
	m, err := HaversineMatrix(small)
	if err != nil {
		t.Fatal(err)
	}
	for _, opt := range []Options{{Algorithm: Exact}, {Algorithm: Exhaustive}, {Algorithm: Exact, End: EndAnywhere}, {Algorithm: TwoOpt, Start: 260}, {Algorithm: Nearest, End: EndAt(0)}} {
		_, want := Solve(context.Background(), m, opt)
		_, got := SolveCities(context.Background(), small, opt)
		if want == nil || got == nil || got.Error() != want.Error() {
			t.Errorf("%v: SolveCities gives %v, Solve on the matrix %v", opt, got, want)
		}
	}
	started, _ := blockAllocs(t)
	big := RandomCities(MaxHeuristic, 3)
	for _, alg := range []Algorithm{Exact, Exhaustive} {
		ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		_, err := solveWithin(t, ctx, big, Options{Algorithm: alg})
		cancel()
		if !errors.Is(err, ErrTooLarge) {
			t.Errorf("%v on %d cities: %v, want ErrTooLarge", alg, len(big), err)
		}
	}
	if len(started) != 0 {
		t.Errorf("an allocation of the matrix began for a refused solve")
	}
	// 30 stops on 9 places: Exact takes them after merging duplicates.
	var dup []City
	for i := range 30 {
		dup = append(dup, small[i%9])
	}
	if tour, err := SolveCities(context.Background(), dup, Options{Algorithm: Exhaustive}); err != nil || tour.Status != Optimal {
		t.Errorf("30 stops on 9 places, Exhaustive: %v, %v; want optimal", tour.Status, err)
	}
}

// TestRefusedCitiesZeroApart: cities whose float32 coordinates differ are
// never 0 apart (refusedCities' premise), even where the haversine's terms
// underflow, at the poles and across the antimeridian.
func TestRefusedCitiesZeroApart(t *testing.T) {
	tiny := []float64{0, math.Copysign(0, -1), 5e-324, 1e-310, 1e-200, 1e-160, 1e-143, 1e-100, 1e-46, 1e-45, 1e-40, 1e-30}
	var vals []float64
	for _, v := range tiny {
		vals = append(vals, v, -v)
	}
	for _, v := range []float64{0.1, 1, 45, 89.999999999, 90, 179.99999999999997, 180} {
		vals = append(vals, v, -v, math.Nextafter(v, 0), math.Nextafter(v, 200), math.Nextafter(-v, -200))
	}
	lat := func(v float64) float64 { return max(-90, min(90, v)) }
	checked := 0
	for _, a := range vals {
		for _, b := range vals {
			for _, c := range []float64{0, 1e-300, 45, 90, -90, 180} {
				pairs := [][4]float64{{lat(a), c, lat(b), c}, {lat(c), a, lat(c), b}, {lat(a), a, lat(b), b}}
				for _, p := range pairs {
					if float32(p[0]) == float32(p[2]) && float32(p[1]) == float32(p[3]) {
						continue
					}
					checked++
					if d := Haversine(City{Lat: p[0], Lon: p[1]}, City{Lat: p[2], Lon: p[3]}); !(d > 0) {
						t.Fatalf("(%g, %g) and (%g, %g): distinct float32 places %v apart", p[0], p[1], p[2], p[3], d)
					}
				}
			}
		}
	}
	if checked < 10000 {
		t.Fatalf("only %d pairs checked", checked)
	}
}
