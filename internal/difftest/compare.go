package difftest

import (
	"context"
	"fmt"
	"math"
	"strings"
	"sync"
	"testing"

	"github.com/ffi4go/tsp"
	"github.com/google/go-cmp/cmp"
)

// Result is what is compared: equal means bit for bit.
type Result struct {
	Order      []int
	Length     uint64 // bits
	LowerBound uint64 // bits
	Nodes      uint64
	Status     tsp.Status
	Algorithm  tsp.Algorithm
	Err        string
}

// Run solves c with s.
func Run(s tsp.Solver, c Case) Result {
	ctx := context.Background()
	if c.Cancelled {
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		ctx = cctx
	}
	t, err := s.Solve(ctx, c.M, c.Opt)
	r := Result{Order: t.Order, Length: math.Float64bits(t.Length), LowerBound: math.Float64bits(t.LowerBound),
		Nodes: t.Nodes, Status: t.Status, Algorithm: t.Algorithm}
	if err != nil {
		r.Err = err.Error()
	}
	return r
}

// badWant says what is wrong with the Go kernel's result for c: an error
// where a tour was due, or a tour where the Solver must refuse the case.
func badWant(c Case, want Result) string {
	switch {
	case c.WantErr && (want.Err == "" || want.Order != nil):
		return fmt.Sprintf("%s: the Go backend did not refuse it: %+v", c.Name, want)
	case !c.WantErr && !c.Cancelled && want.Err != "":
		return fmt.Sprintf("%s: the Go kernel failed: %s", c.Name, want.Err)
	}
	return ""
}

// diff says how s's result got differs from the Go kernel's want, "" when it
// does not.
func diff(c Case, s tsp.Solver, want, got Result) string {
	d := cmp.Diff(want, got)
	if d == "" {
		return ""
	}
	return fmt.Sprintf("%s (start %d): %s (%T) differs from go: length %v, go %v (-go +%s):\n%s",
		c.Name, c.Opt.Start, s.Name(), s, math.Float64frombits(got.Length), math.Float64frombits(want.Length), s.Name(), d)
}

// Compare solves every case once with the pure-Go kernel and once with each
// of solvers (so each solver solves every case, of every size, one after
// the other), and reports every difference in the order, the length and
// lower bound bits, the node count, the status, the algorithm and the
// error. With -short it takes every fifth case, and under the race detector
// every 25th: that run looks for data races around the calls, not for
// differences, which the runs without it check on every case, and the race
// detector slows the Go kernel, which solves every case, several times. It
// stops after 10 differences.
func Compare(t *testing.T, cases []Case, solvers ...tsp.Solver) {
	t.Helper()
	if len(solvers) == 0 {
		t.Fatal("difftest.Compare: no solvers")
	}
	fails, solved := 0, 0
	stride := 1
	switch {
	case raceEnabled:
		stride = 25
	case testing.Short():
		stride = 5
	}
	for i, c := range cases {
		if i%stride != 0 {
			continue
		}
		solved++
		want := Run(tsp.Go(), c) // once for all the solvers
		if m := badWant(c, want); m != "" {
			t.Error(m)
			fails++
		}
		for _, s := range solvers {
			if d := diff(c, s, want, Run(s, c)); d != "" {
				t.Error(d)
				fails++
			}
		}
		if fails >= 10 {
			t.Fatal("too many differences")
		}
	}
	names := make([]string, len(solvers))
	for i, s := range solvers {
		names[i] = fmt.Sprintf("%s (%T)", s.Name(), s)
	}
	t.Logf("%d cases, each solved once by go and by %s", solved, strings.Join(names, ", "))
}

// Concurrent starts one goroutine per element of work, all at once:
// goroutine g solves the cases of work[g] in order with every solver of
// solvers(g) (called before the goroutines start), and each result must be
// the Go kernel's, computed beforehand. A goroutine stops at its first
// difference.
func Concurrent(t *testing.T, work [][]Case, solvers func(g int) []tsp.Solver) {
	t.Helper()
	wants := make([][]Result, len(work))
	for g, cs := range work {
		for _, c := range cs {
			want := Run(tsp.Go(), c)
			if m := badWant(c, want); m != "" {
				t.Error(m)
			}
			wants[g] = append(wants[g], want)
		}
	}
	ss := make([][]tsp.Solver, len(work))
	for g := range work {
		if ss[g] = solvers(g); len(ss[g]) == 0 {
			t.Fatalf("difftest.Concurrent: no solvers for goroutine %d", g)
		}
	}
	errs := make(chan string, len(work))
	var wg sync.WaitGroup
	for g, cs := range work {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i, c := range cs {
				for _, s := range ss[g] {
					if d := diff(c, s, wants[g][i], Run(s, c)); d != "" {
						errs <- fmt.Sprintf("goroutine %d: %s", g, d)
						return
					}
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}
