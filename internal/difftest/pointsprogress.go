package difftest

import (
	"context"
	"errors"
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/ffi4go/tsp"
	"github.com/google/go-cmp/cmp"
)

// Progress on the coordinate path (tsp_solve_points_progress, ABI 7): the
// checks of progress.go for a tsp.PointsSolver.

// PointsProgressCases are the progress cases of the coordinate path: 1,000
// cities on the sphere and in the plane with Iterated (a budget), TwoOpt
// and Nearest and a lattice full of ties and duplicates; unless short,
// the same at 2,000 cities and 20,000 random points with Nearest, TwoOpt
// and Iterated. Nearest reports once (its tour); the others at least
// twice. short keeps the race detector's runs (which solve each case with
// the Go kernel three times) to seconds.
func PointsProgressCases(short bool) []PointsCase {
	var cs []PointsCase
	sizes := []int{1000}
	if !short {
		sizes = append(sizes, 2000)
	}
	for _, n := range sizes {
		hav := randomPoints(tsp.KindHaversine, n, 20, false)
		euc := randomPoints(tsp.KindEuc2D, n, 21, false)
		cs = append(cs,
			PointsCase{fmt.Sprintf("points/iterated/hav%d", n), hav, tsp.Options{Algorithm: tsp.Iterated, Seed: 3, Budget: int64(2 * n), Start: 5}},
			PointsCase{fmt.Sprintf("points/2opt/hav%d", n), hav, tsp.Options{Algorithm: tsp.TwoOpt, Start: n - 1}},
			PointsCase{fmt.Sprintf("points/nearest/euc%d", n), euc, tsp.Options{Algorithm: tsp.Nearest, Start: 17}},
			PointsCase{fmt.Sprintf("points/iterated/euc%d", n), euc, tsp.Options{Algorithm: tsp.Iterated, Seed: 9, Budget: int64(3 * n / 2)}},
		)
	}
	cs = append(cs, PointsCase{"points/iterated/grid300", randomPoints(tsp.KindCeil2D, 300, 22, true), tsp.Options{Algorithm: tsp.Iterated, Seed: 1, Budget: 900, Start: 7}})
	if !short {
		big := randomPoints(tsp.KindEuc2D, 20000, 23, false)
		cs = append(cs,
			PointsCase{"points/nearest/euc20000", big, tsp.Options{Algorithm: tsp.Nearest, Start: 3}},
			PointsCase{"points/2opt/euc20000", big, tsp.Options{Algorithm: tsp.TwoOpt}},
			PointsCase{"points/iterated/euc20000", big, tsp.Options{Algorithm: tsp.Iterated, Seed: 5, Budget: 20000, Start: 11}},
		)
	}
	return cs
}

// runPoints solves c with s (c.Opt as it is, progress included).
func runPoints(s tsp.PointsSolver, c PointsCase, opt tsp.Options) (Result, error) {
	tour, err := s.SolvePoints(context.Background(), c.P, opt)
	r := Result{Order: tour.Order, Length: math.Float64bits(tour.Length), LowerBound: math.Float64bits(tour.LowerBound),
		Nodes: tour.Nodes, Status: tour.Status, Algorithm: tour.Algorithm}
	if err != nil {
		r.Err = err.Error()
	}
	return r, err
}

// RecordPoints solves c with s, collecting every progress event (with the
// route), and checks their order: lengths strictly decrease, no bound,
// elapsed times and nodes never go back, every route is a tour of c's
// points from its start, of the length reported (the kernel's tracked
// length: within 1e-9 of the route's PointsLength).
func RecordPoints(t *testing.T, s tsp.PointsSolver, c PointsCase) (Result, []Event) {
	t.Helper()
	var evs []Event
	var last tsp.Progress
	opt := c.Opt
	opt.ProgressOrder = true
	opt.Progress = func(p tsp.Progress) bool {
		if len(evs) > 0 && (!(p.Length < last.Length) || p.Elapsed < last.Elapsed || p.Nodes < last.Nodes) {
			t.Errorf("%s/%s: event %d %+v after %+v", c.Name, s.Name(), len(evs), brief(p), brief(last))
		}
		if p.LowerBound != 0 || len(p.Order) != c.P.Len() || p.Order[0] != c.Opt.Start || !isPermutation(p.Order) {
			t.Errorf("%s/%s: event %d: %+v, a route of %d cities", c.Name, s.Name(), len(evs), brief(p), len(p.Order))
		} else if want := tsp.PointsLength(c.P, p.Order); math.Abs(want-p.Length) > 1e-9*want {
			t.Errorf("%s/%s: event %d: length %v for a route of length %v", c.Name, s.Name(), len(evs), p.Length, want)
		}
		last = p
		evs = append(evs, Event{math.Float64bits(p.Length), math.Float64bits(p.LowerBound), p.Nodes, p.Order})
		return false
	}
	res, _ := runPoints(s, c, opt)
	return res, evs
}

// PointsProgressSame checks, on every PointsProgressCases(short) case,
// that each solver reports the same events as the Go kernel (every length
// bit, node count and route), in order (RecordPoints), and returns the
// same result with and without a callback; and that the Go kernel reports
// at least twice (once for Nearest).
func PointsProgressSame(t *testing.T, short bool, solvers ...tsp.PointsSolver) {
	for _, c := range PointsProgressCases(short) {
		want, _ := runPoints(tsp.GoPoints(), c, c.Opt)
		wantRes, wantEv := RecordPoints(t, tsp.GoPoints(), c)
		if d := cmp.Diff(want, wantRes); d != "" {
			t.Errorf("%s: go: the result with a callback differs (-without +with):\n%s", c.Name, d)
		}
		t.Logf("%s: %d events", c.Name, len(wantEv))
		if min := 2 - b2i(c.Opt.Algorithm == tsp.Nearest); len(wantEv) < min {
			t.Errorf("%s: go reported %d events, want at least %d", c.Name, len(wantEv), min)
		}
		for _, s := range solvers {
			got, ev := RecordPoints(t, s, c)
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("%s: %s: the result with a callback differs from go's without (-go +%s):\n%s", c.Name, s.Name(), s.Name(), d)
			}
			if d := cmp.Diff(wantEv, ev); d != "" {
				t.Errorf("%s: %s: the events differ from go's (-go +%s):\n%s", c.Name, s.Name(), s.Name(), d)
			}
		}
	}
}

// stopCall is the call at which the stop tests stop c: the first for
// TwoOpt (its last call may be its end), the second otherwise.
func stopCall(c PointsCase) int {
	if c.Opt.Algorithm == tsp.TwoOpt {
		return 1
	}
	return 2
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// pointsStopCases are the cases of PointsProgressCases(short) that report
// at least twice (not Nearest).
func pointsStopCases(short bool) []PointsCase {
	var cs []PointsCase
	for _, c := range PointsProgressCases(short) {
		if c.Opt.Algorithm != tsp.Nearest {
			cs = append(cs, c)
		}
	}
	return cs
}

// PointsProgressStop is ProgressStop on the coordinate path: a callback
// that returns true, or panics, at its second call (its first for TwoOpt:
// right after Nearest's tour) stops every solver at the Go kernel's step, with the same stopped tour, status Stopped and an
// error wrapping tsp.ErrProgressStop (tsp.ErrProgressPanic), and is not
// called again.
func PointsProgressStop(t *testing.T, short bool, solvers ...tsp.PointsSolver) {
	for _, c := range pointsStopCases(short) {
		for _, panics := range []bool{false, true} {
			k := stopCall(c)
			run := func(s tsp.PointsSolver) (Result, error) {
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
				return runPoints(s, c, opt)
			}
			want, werr := run(tsp.GoPoints())
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

// PointsProgressStopLate is ProgressStopLate on the coordinate path, for
// solvers whose stop travels on its own (the process backends' one-way
// progress frames): a callback that returns true, or panics, at its second
// call (the first for TwoOpt) is not called again; the answer is a tour of its length no longer
// than the one of that call, stopped with an error wrapping the sentinel,
// or finished (after a panic, still with tsp.ErrProgressPanic). At least
// one case must stop on each solver.
func PointsProgressStopLate(t *testing.T, short bool, solvers ...tsp.PointsSolver) {
	stopped := make([]int, len(solvers))
	cases := pointsStopCases(short)
	for _, c := range cases {
		for _, panics := range []bool{false, true} {
			for si, s := range solvers {
				k := stopCall(c)
				calls := 0
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
				tour, err := s.SolvePoints(context.Background(), c.P, opt)
				if n := c.P.Len(); len(tour.Order) != n || tour.Order[0] != c.Opt.Start || !isPermutation(tour.Order) ||
					math.Float64bits(tsp.PointsLength(c.P, tour.Order)) != math.Float64bits(tour.Length) {
					t.Errorf("%s (panic %v): %s: not a tour of its length (%d cities, length %v)", c.Name, panics, s.Name(), len(tour.Order), tour.Length)
				}
				// the reported length is the kernel's tracked one: 1e-9 of slack
				if stopLateCheck(t, c.Name, s.Name(), panics, k, calls, at.Length, tour, err, 1e-9) {
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

// stopLateCheck is the verdict of ProgressStopLate and
// PointsProgressStopLate on one solve whose callback was to stop (or panic)
// at its k-th call, made calls calls and saw a length of at at the k-th:
// whether the search stopped, with errors for what is wrong.
func stopLateCheck(t *testing.T, name, sname string, panics bool, k, calls int, at float64, tour tsp.Tour, err error, slack float64) bool {
	t.Helper()
	sentinel := tsp.ErrProgressStop
	if panics {
		sentinel = tsp.ErrProgressPanic
	}
	if calls >= k && tour.Length > at*(1+slack) {
		t.Errorf("%s (panic %v): %s: a tour of %v after a report of %v", name, panics, sname, tour.Length, at)
	}
	switch {
	case calls < k:
		t.Errorf("%s (panic %v): %s: %d calls, want %d", name, panics, sname, calls, k)
	case tour.Status == tsp.Stopped:
		if !errors.Is(err, sentinel) {
			t.Errorf("%s (panic %v): %s stopped with error %v, want %v", name, panics, sname, err, sentinel)
		}
		return true
	default:
		if panics != errors.Is(err, tsp.ErrProgressPanic) || !panics && err != nil {
			t.Errorf("%s (panic %v): %s finished with error %v", name, panics, sname, err)
		}
	}
	return false
}

// PointsProgressChecks runs PointsProgressSame and PointsProgressStop on
// s, and PointsSetupCancel at a million points (200,000 with -short, as
// under the race detector) with a deadline of 30 ms and the slack late.
func PointsProgressChecks(t *testing.T, s tsp.PointsSolver, late time.Duration) {
	t.Helper()
	PointsProgressSame(t, testing.Short(), s)
	PointsProgressStop(t, testing.Short(), s)
	n := 1_000_000
	if testing.Short() {
		n = 200_000
	}
	PointsSetupCancel(t, s, n, 30*time.Millisecond, late)
}

// PointsSetupCancel checks that a deadline during the set-up of a large
// input (the k-d tree's build and the neighbour lists of n random points)
// is seen within late of it (in one of two tries: the bound is wall
// time): status Stopped, an error wrapping context.DeadlineExceeded, a
// tour of its length from the start. Before
// the build polled the cancel flag, a deadline inside it waited for it
// (a second or more at a million points, 15 s in WebAssembly under load).
func PointsSetupCancel(t *testing.T, s tsp.PointsSolver, n int, deadline, late time.Duration) {
	t.Helper()
	p := randomPoints(tsp.KindHaversine, n, 24, false)
	for _, alg := range []tsp.Algorithm{tsp.Nearest, tsp.TwoOpt} {
		// A wall-clock bound: on a machine busy with other work one solve
		// can be descheduled for a second, so a late return is measured
		// once more, and only two late returns in a row fail. A build
		// that does not poll the flag is late every time.
		var late2 []time.Duration
		for try := 0; try < 2; try++ {
			ctx, cancel := context.WithTimeout(context.Background(), deadline)
			t0 := time.Now()
			tour, err := s.SolvePoints(ctx, p, tsp.Options{Algorithm: alg, Start: 1})
			el := time.Since(t0)
			cancel()
			if !errors.Is(err, context.DeadlineExceeded) || tour.Status != tsp.Stopped {
				t.Errorf("%s %s, %d points: status %v, error %v; want stopped by the deadline", s.Name(), alg, n, tour.Status, err)
			}
			if len(tour.Order) != n || tour.Order[0] != 1 || math.Float64bits(tsp.PointsLength(p, tour.Order)) != math.Float64bits(tour.Length) {
				t.Errorf("%s %s, %d points: not a tour of its length from 1", s.Name(), alg, n)
			}
			t.Logf("%s %s, %d points, deadline %v: returned after %v", s.Name(), alg, n, deadline, el)
			if el <= deadline+late {
				break
			}
			late2 = append(late2, el)
		}
		if len(late2) == 2 {
			t.Errorf("%s %s, %d points: returned %v and %v after a deadline of %v (at most %v late)", s.Name(), alg, n, late2[0], late2[1], deadline, late)
		}
	}
}
