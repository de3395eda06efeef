package difftest

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/ffi4go/tsp"
	"github.com/google/go-cmp/cmp"
)

// Event is one call of Options.Progress as the differential tests compare
// it: every field but Elapsed, lengths as bits.
type Event struct {
	Length, LowerBound uint64 // bits
	Nodes              uint64
	Order              []int
}

// ProgressCase is a solve that reports progress.
type ProgressCase struct {
	Name string
	M    *tsp.Matrix
	Opt  tsp.Options
}

// ProgressCases: every algorithm that reports, on plain tours, duplicates
// merged and routes, small enough for every backend (the process ones
// included) in a few seconds in all.
var ProgressCases = sync.OnceValue(func() []ProgressCase {
	r := rand.New(rand.NewPCG(2026, 20))
	return []ProgressCase{
		{"exhaustive/n10", Haversine(10, 3), tsp.Options{Algorithm: tsp.Exhaustive, Start: 2}},
		{"exact/n40", Haversine(40, 4), tsp.Options{Algorithm: tsp.Exact}},
		{"exact/ints30", IntMatrix(30, 5, 20), tsp.Options{Algorithm: tsp.Exact, Start: 7}},
		{"exact/dups90", Duplicates(r, 90), tsp.Options{Algorithm: tsp.Exact}},
		{"iterated/n200", Haversine(200, 6), tsp.Options{Algorithm: tsp.Iterated, Seed: 3, Budget: 400}},
		{"iterated/dups120", Duplicates(r, 120), tsp.Options{Algorithm: tsp.Iterated, Seed: 1, Budget: 300, Start: 5}},
		{"iterated/asym80/anywhere", Asymmetric(r, 80, 100), tsp.Options{Algorithm: tsp.Iterated, Seed: 2, Budget: 300, End: tsp.EndAnywhere}},
		{"exact/route25/end", Haversine(25, 8), tsp.Options{Algorithm: tsp.Exact, Start: 1, End: tsp.EndAt(4)}},
	}
})

// Record solves c with s, collecting every progress event (with the
// route), and checks their order: lengths never rise, bounds never fall,
// one of them changes at each event, elapsed times and nodes never go
// back, every route is a route of c's matrix with its length.
func Record(t *testing.T, s tsp.Solver, c ProgressCase) (Result, []Event) {
	t.Helper()
	var evs []Event
	var last tsp.Progress
	opt := c.Opt
	opt.ProgressOrder = true
	opt.Progress = func(p tsp.Progress) bool {
		if len(evs) > 0 {
			if p.Length > last.Length || p.LowerBound < last.LowerBound ||
				p.Length == last.Length && p.LowerBound == last.LowerBound ||
				p.Elapsed < last.Elapsed || p.Nodes < last.Nodes {
				t.Errorf("%s/%s: event %d %+v after %+v", c.Name, s.Name(), len(evs), brief(p), brief(last))
			}
		}
		if p.LowerBound < 0 || p.LowerBound > p.Length || len(p.Order) != c.M.N() || p.Order[0] != c.Opt.Start {
			t.Errorf("%s/%s: event %d: %+v", c.Name, s.Name(), len(evs), brief(p))
		} else if want := routeLength(c.M, p.Order, c.Opt.End); math.Float64bits(want) != math.Float64bits(p.Length) {
			t.Errorf("%s/%s: event %d: length %v for a route of length %v", c.Name, s.Name(), len(evs), p.Length, want)
		}
		last = p
		evs = append(evs, Event{math.Float64bits(p.Length), math.Float64bits(p.LowerBound), p.Nodes, p.Order})
		return false
	}
	res := Run(s, Case{Name: c.Name, M: c.M, Opt: opt})
	return res, evs
}

type briefProgress struct {
	Length, LowerBound float64
	Nodes              uint64
}

func brief(p tsp.Progress) briefProgress { return briefProgress{p.Length, p.LowerBound, p.Nodes} }

func routeLength(m *tsp.Matrix, order []int, end tsp.End) float64 {
	if end.Closed() {
		return tsp.TourLength(m, order)
	}
	return tsp.PathLength(m, order)
}

// ProgressSame checks, on every ProgressCase, that each solver reports the
// same events as the Go kernel (every length and bound bit, node count and
// route: the kernels call back at the same steps), in order (Record), and
// returns the same result with and without a callback.
func ProgressSame(t *testing.T, solvers ...tsp.Solver) {
	ProgressSameOn(t, ProgressCases(), solvers...)
}

// ProgressSameOn is ProgressSame on the cases given (a backend that lacks
// some algorithms: the pure-Python kernel has Exhaustive only of those
// that report).
func ProgressSameOn(t *testing.T, cases []ProgressCase, solvers ...tsp.Solver) {
	for _, c := range cases {
		want := Run(tsp.Go(), Case{Name: c.Name, M: c.M, Opt: c.Opt})
		wantRes, wantEv := Record(t, tsp.Go(), c)
		if d := cmp.Diff(want, wantRes); d != "" {
			t.Errorf("%s: go: the result with a callback differs (-without +with):\n%s", c.Name, d)
		}
		t.Logf("%s: %d events", c.Name, len(wantEv))
		if len(wantEv) < 2 {
			t.Errorf("%s: go reported %d events, want at least 2", c.Name, len(wantEv))
		}
		for _, s := range solvers {
			got, ev := Record(t, s, c)
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("%s: %s: the result with a callback differs from go's without (-go +%s):\n%s", c.Name, s.Name(), s.Name(), d)
			}
			if d := cmp.Diff(wantEv, ev); d != "" {
				t.Errorf("%s: %s: the events differ from go's (-go +%s):\n%s", c.Name, s.Name(), s.Name(), d)
			}
		}
	}
}

// ProgressStop checks that a callback that returns true, or panics, at its
// k-th call stops the search on every solver at the same step as the Go
// kernel: the same stopped tour, status Stopped, and an error wrapping
// tsp.ErrProgressStop (or tsp.ErrProgressPanic, never a crash); and that
// the callback is not called again after it asked to stop.
func ProgressStop(t *testing.T, solvers ...tsp.Solver) {
	ProgressStopOn(t, ProgressCases(), solvers...)
}

// ProgressStopOn is ProgressStop on the cases given.
func ProgressStopOn(t *testing.T, cases []ProgressCase, solvers ...tsp.Solver) {
	for _, c := range cases {
		for _, panics := range []bool{false, true} {
			k := 2
			run := func(s tsp.Solver) (Result, error) {
				calls := 0
				opt := c.Opt
				opt.Progress = func(p tsp.Progress) bool {
					calls++
					if calls > k {
						t.Errorf("%s/%s: called again after it asked to stop", c.Name, s.Name())
					}
					if calls == k && panics {
						panic(fmt.Sprintf("progress panic %d", calls))
					}
					return calls == k
				}
				tour, err := s.Solve(context.Background(), c.M, opt)
				r := Result{Order: tour.Order, Length: math.Float64bits(tour.Length), LowerBound: math.Float64bits(tour.LowerBound),
					Nodes: tour.Nodes, Status: tour.Status, Algorithm: tour.Algorithm}
				if err != nil {
					r.Err = err.Error()
				}
				return r, err
			}
			want, werr := run(tsp.Go())
			sentinel := tsp.ErrProgressStop
			if panics {
				sentinel = tsp.ErrProgressPanic
			}
			if want.Status != tsp.Stopped || !errors.Is(werr, sentinel) {
				t.Errorf("%s (panic %v): go: status %v, error %v; want stopped and %v", c.Name, panics, want.Status, werr, sentinel)
			}
			for _, s := range solvers {
				got, _ := run(s)
				if d := cmp.Diff(want, got); d != "" {
					t.Errorf("%s (panic %v): %s stopped elsewhere than go (-go +%s):\n%s", c.Name, panics, s.Name(), s.Name(), d)
				}
			}
		}
	}
}

// ProgressStopLate checks a stop from the callback on solvers whose stop
// travels on its own (one-way progress frames, protocol version 3: a
// cancel frame), so that it lands a little after the Go kernel's step, as
// a deadline does: a callback that returns true, or panics, at its k-th
// call is not called again; the answer is a valid tour no longer than the
// one of the k-th call, with status Stopped and an error wrapping
// tsp.ErrProgressStop (tsp.ErrProgressPanic), or, when the search ended
// before the stop reached it, the finished tour (and, after a panic,
// still an error wrapping tsp.ErrProgressPanic). On each solver at least
// one case must stop: a stop that never lands fails.
func ProgressStopLate(t *testing.T, cases []ProgressCase, solvers ...tsp.Solver) {
	stopped := make([]int, len(solvers))
	for _, c := range cases {
		for _, panics := range []bool{false, true} {
			for si, s := range solvers {
				k, calls := 2, 0
				var at tsp.Progress
				opt := c.Opt
				opt.Progress = func(p tsp.Progress) bool {
					calls++
					if calls > k {
						t.Errorf("%s/%s: called again after it asked to stop", c.Name, s.Name())
					}
					if calls == k {
						at = p
						if panics {
							panic(fmt.Sprintf("progress panic %d", calls))
						}
					}
					return calls == k
				}
				tour, err := s.Solve(context.Background(), c.M, opt)
				if n := c.M.N(); len(tour.Order) != n || tour.Order[0] != c.Opt.Start || !isPermutation(tour.Order) ||
					math.Float64bits(routeLength(c.M, tour.Order, c.Opt.End)) != math.Float64bits(tour.Length) {
					t.Errorf("%s (panic %v): %s: not a route of its length: %+v", c.Name, panics, s.Name(), tour)
				}
				if stopLateCheck(t, c.Name, s.Name(), panics, k, calls, at.Length, tour, err, 0) {
					stopped[si]++
				}
			}
		}
	}
	for si, s := range solvers {
		if stopped[si] == 0 {
			t.Errorf("%s: no search stopped from the callback in %d cases", s.Name(), 2*len(cases))
		}
	}
}

func isPermutation(order []int) bool {
	seen := make([]bool, len(order))
	for _, c := range order {
		if c < 0 || c >= len(order) || seen[c] {
			return false
		}
		seen[c] = true
	}
	return true
}
