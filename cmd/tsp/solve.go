package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/ffi4go/tsp"
	"github.com/ffi4go/tsp/backends"
)

// result is the JSON object of one solve. The field order is part of the
// output format: backend, algorithm, n, start, end, tour, names, length,
// status, lower_bound, nodes, elapsed_ns, and for iterated seed and budget
// (0: it ran until the timeout). Error is set only in compare output, for a
// backend that is unavailable, failed or was skipped.
type result struct {
	Backend    string   `json:"backend"`
	Algorithm  string   `json:"algorithm"`
	N          int      `json:"n"`
	Start      int      `json:"start"`
	End        string   `json:"end"` // "start" (a round trip), "any", or the index of the last city
	Tour       []int    `json:"tour"`
	Names      []string `json:"names"` // the names of the cities in tour order
	Length     float64  `json:"length"`
	Status     string   `json:"status"`
	LowerBound float64  `json:"lower_bound"`
	Nodes      uint64   `json:"nodes"`
	ElapsedNS  int64    `json:"elapsed_ns"`
	Seed       *uint64  `json:"seed,omitempty"`
	Budget     *int64   `json:"budget,omitempty"`
	// Runs, MinNS and MaxNS: how many runs ElapsedNS is the median of, and
	// the fastest and slowest of them (compare; 0 when not measured).
	Runs  int    `json:"runs,omitempty"`
	MinNS int64  `json:"min_ns,omitempty"`
	MaxNS int64  `json:"max_ns,omitempty"`
	Error string `json:"error,omitempty"`
}

func newResult(backend string, p *problem, opt tsp.Options, t tsp.Tour, elapsed time.Duration) result {
	r := result{
		Backend:    backend,
		Algorithm:  opt.Algorithm.String(),
		N:          p.n(),
		Start:      opt.Start,
		End:        endText(opt.End),
		Tour:       []int{},
		Names:      []string{},
		Length:     t.Length,
		Status:     t.Status.String(),
		LowerBound: t.LowerBound,
		Nodes:      t.Nodes,
		ElapsedNS:  elapsed.Nanoseconds(),
	}
	if t.Algorithm == tsp.Iterated || opt.Algorithm == tsp.Iterated {
		r.Seed, r.Budget = &opt.Seed, &opt.Budget
	}
	if t.Order != nil {
		r.Algorithm = t.Algorithm.String() // what Auto chose
		r.Tour = t.Order
		r.Names = make([]string, len(t.Order))
		for i, c := range t.Order {
			r.Names[i] = p.names[c]
		}
	}
	return r
}

// commonFlags are the flags solve and compare share.
type commonFlags struct {
	algorithm string
	timeout   time.Duration
	lib       string
	json      bool
	seed      uint64
	budget    int64 // -1: tsp.DefaultBudget(n)
}

func (c *commonFlags) register(fs *flag.FlagSet, defaultAlgorithm string) {
	fs.StringVar(&c.algorithm, "algorithm", defaultAlgorithm, "exhaustive, exact, nearest, 2opt or iterated")
	fs.Uint64Var(&c.seed, "seed", 0, "the seed of iterated's kicks")
	fs.Int64Var(&c.budget, "budget", -1, "iterated's kicks (default 10 per city, at least 1000; 0: until the timeout)")
	fs.DurationVar(&c.timeout, "timeout", 10*time.Second, "stop a search after this long (0: no limit)")
	fs.StringVar(&c.lib, "lib", "", "directory of libtsp_c.so and libtsp_cpp.so")
	fs.BoolVar(&c.json, "json", false, "print JSON")
}

func (c *commonFlags) check() (tsp.Algorithm, error) {
	if c.timeout < 0 {
		return 0, fmt.Errorf("-timeout %v is negative", c.timeout)
	}
	if c.budget < -1 {
		return 0, fmt.Errorf("-budget %d is negative", c.budget)
	}
	return tsp.ParseAlgorithm(c.algorithm)
}

// options are the Options of a solve of n cities from start with alg: the
// seed, and the budget (-budget, or tsp.DefaultBudget(n) by default, so
// that Iterated ends by its budget unless asked to use the whole timeout).
func (c *commonFlags) options(alg tsp.Algorithm, start, n int) tsp.Options {
	b := c.budget
	if b < 0 {
		b = tsp.DefaultBudget(n)
	}
	return tsp.Options{Start: start, Algorithm: alg, Seed: c.seed, Budget: b}
}

// withTimeout bounds ctx by d; 0 means no bound.
func withTimeout(ctx context.Context, d time.Duration) (context.Context, context.CancelFunc) {
	if d == 0 {
		return context.WithCancel(ctx)
	}
	return context.WithTimeout(ctx, d)
}

func (e *env) solve(args []string) int {
	fs := flag.NewFlagSet("solve", flag.ContinueOnError)
	var cf commonFlags
	cf.register(fs, "auto")
	backend := fs.String("backend", "go", "the backend to solve with")
	start := fs.Int("start", 0, "index of the city the route starts at")
	endFlag := fs.String("end", "start", "where the route ends: start (a round trip), any, or a city (an index, or a name)")
	pos, done, code := e.parseFlags(fs, args)
	if done {
		return code
	}
	if len(pos) != 1 {
		return e.fail(exitUsage, fmt.Errorf("solve takes one FILE (a .json, .csv or .tsp file, - for JSON or CSV on stdin, demo11 or demo30), got %d arguments; see tsp help solve", len(pos)))
	}
	alg, err := cf.check()
	if err != nil {
		return e.fail(exitUsage, err)
	}
	if !knownBackend(*backend) {
		return e.fail(exitUsage, fmt.Errorf("unknown backend %q (want one of %v)", *backend, backends.Names()))
	}
	// The timeout covers the whole command, reading FILE included: a slow
	// or endless input (a FIFO, a stalled pipe) is stopped by it too.
	ctx, cancel := withTimeout(e.ctx, cf.timeout)
	defer cancel()
	t0 := time.Now()
	p, err := loadContext(ctx, pos[0], e.stdin)
	if err != nil {
		if ctx.Err() != nil && errors.Is(err, ctx.Err()) {
			why := fmt.Sprintf("the %v timeout expired", cf.timeout)
			if errors.Is(err, context.Canceled) {
				why = "an interrupt came"
			}
			return e.fail(exitStopped, fmt.Errorf("%s while reading %s, after %s; nothing was solved", why, printable(pos[0]), fmtDuration(time.Since(t0))))
		}
		return e.fail(exitData, err)
	}
	end, err := parseEnd(*endFlag, p.names)
	if err != nil {
		return e.fail(exitData, fmt.Errorf("%s: %w", p.label, err))
	}
	opt := cf.options(alg, *start, p.n())
	opt.End = end
	var tour tsp.Tour
	var elapsed time.Duration
	b := backends.Backend{Name: *backend}
	ps, err := p.pointsSolver(*backend, backends.Config{LibDir: cf.lib}, opt) // points.go
	if err != nil {
		return e.fail(exitFailed, err) // known but unavailable here
	}
	if ps != nil {
		t1 := time.Now()
		clearProgress := progressDisplay(e.stderr, !cf.json && isTerminal(e.stderr), &opt) // ABI 7: points too
		tour, err = solvePoints(ctx, ps, p, opt)
		clearProgress()
		elapsed = time.Since(t1)
		if tour.Order != nil {
			opt.Algorithm = tour.Algorithm
		}
	} else {
		m, merr := p.matrix()
		if merr != nil {
			return e.fail(exitData, merr)
		}
		if err := opt.Validate(m); err != nil {
			return e.fail(exitData, fmt.Errorf("%s: %w", p.label, err))
		}
		b, err = backends.Get(*backend, backends.Config{LibDir: cf.lib})
		if err != nil {
			return e.fail(exitFailed, err) // known but unavailable here
		}
		t1 := time.Now()
		clearProgress := progressDisplay(e.stderr, !cf.json && isTerminal(e.stderr), &opt)
		tour, err = b.Solver.Solve(ctx, m, opt)
		clearProgress()
		elapsed = time.Since(t1)
	}
	cancel()
	code = exitOK
	if err != nil {
		if tour.Status != tsp.Stopped || tour.Order == nil {
			return e.fail(solveErrorCode(err), fmt.Errorf("%s: %w", b.Name, err))
		}
		code = exitStopped
	}
	r := newResult(b.Name, p, opt, tour, elapsed)
	if cf.json {
		if err := writeJSON(e.stdout, r); err != nil {
			return e.fail(exitFailed, err)
		}
	} else {
		printSolve(e.stdout, p, r)
	}
	if code == exitStopped {
		why := fmt.Sprintf("the %v timeout", cf.timeout)
		if errors.Is(err, context.Canceled) {
			why = "an interrupt"
		}
		fmt.Fprintf(e.stderr, "tsp: %s stopped the %s search after %s; the tour printed is the best found, not proven optimal\n",
			why, alg, fmtDuration(elapsed))
	}
	return code
}

// parseEnd reads -end: "start" (or "") for a round trip, "any" for an open
// path, an integer for the index of the last city, or else the name of a
// city: the first with exactly that name, or else the one city whose name
// starts with it, ignoring case ("berlin" for "berlin, germany"). Integers
// are always indices, like -start's, even where the cities are named
// "1".."n" (TSPLIB).
func parseEnd(s string, names []string) (tsp.End, error) {
	switch s {
	case "", "start":
		return tsp.ReturnToStart, nil
	case "any":
		return tsp.EndAnywhere, nil
	}
	if i, err := strconv.Atoi(s); err == nil {
		return tsp.EndAt(i), nil // Validate checks the range
	}
	for i, n := range names {
		if n == s {
			return tsp.EndAt(i), nil
		}
	}
	found := -1
	for i, n := range names {
		if len(n) >= len(s) && strings.EqualFold(n[:len(s)], s) {
			if found >= 0 {
				return tsp.End{}, fmt.Errorf("%w: -end %.40q names more than one city (%.40q and %.40q)", tsp.ErrEnd, s, names[found], n)
			}
			found = i
		}
	}
	if found >= 0 {
		return tsp.EndAt(found), nil
	}
	return tsp.End{}, fmt.Errorf("%w: -end %.40q is not start, any, an index or the name of a city", tsp.ErrEnd, s)
}

// endText is the JSON "end": "start", "any" or the index of the last city.
func endText(e tsp.End) string {
	if i, ok := e.City(); ok {
		return strconv.Itoa(i)
	}
	return e.String()
}

// loadContext is loadProblem bounded by ctx: when ctx ends first it
// returns ctx.Err() at once. The read goes on in the background until its
// input ends or fails (a blocked read cannot be interrupted), its result
// dropped; the command exits soon after anyway.
// The built-in lists read nothing and are always loaded: an interrupted
// search of one still prints a tour.
func loadContext(ctx context.Context, arg string, stdin io.Reader) (*problem, error) {
	if _, ok := builtin[arg]; ok {
		return loadProblem(arg, stdin)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	type loaded struct {
		p   *problem
		err error
	}
	ch := make(chan loaded, 1)
	go func() {
		p, err := loadProblem(arg, stdin)
		ch <- loaded{p, err}
	}()
	select {
	case l := <-ch:
		return l.p, l.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// solveErrorCode: bad input is exitData, anything else (a failing or
// unavailable backend) exitFailed.
func solveErrorCode(err error) int {
	if errors.Is(err, tsp.ErrInvalidInput) {
		return exitData
	}
	return exitFailed
}

// knownBackend reports whether name is one of backends.Names.
func knownBackend(name string) bool {
	for _, n := range backends.Names() {
		if n == name {
			return true
		}
	}
	return false
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	return enc.Encode(v)
}

func printSolve(w io.Writer, p *problem, r result) {
	unit := ""
	if p.unit() != "" {
		unit = " " + p.unit()
	}
	fmt.Fprintf(w, "input:       %s, %s\n", printable(p.label), nCities(r.N))
	fmt.Fprintf(w, "backend:     %s\n", r.Backend)
	fmt.Fprintf(w, "algorithm:   %s\n", r.Algorithm)
	fmt.Fprintf(w, "status:      %s\n", statusText(r.Status))
	fmt.Fprintf(w, "length:      %s%s\n", fmtLength(r.Length), unit)
	if r.LowerBound > 0 || r.Status == "optimal" {
		fmt.Fprintf(w, "lower bound: %s%s\n", fmtLength(r.LowerBound), unit)
	} else {
		fmt.Fprintf(w, "lower bound: none proven\n")
	}
	fmt.Fprintf(w, "nodes:       %d\n", r.Nodes)
	fmt.Fprintf(w, "time:        %s\n", fmtDuration(time.Duration(r.ElapsedNS)))
	steps := len(r.Tour) // a round trip comes back to the start: one step more
	switch r.End {
	case "start":
		fmt.Fprintf(w, "route, from city %d back to it:\n", r.Start)
	case "any":
		fmt.Fprintf(w, "route, from city %d to wherever it is shortest (no way back):\n", r.Start)
		steps--
	default:
		fmt.Fprintf(w, "route, from city %d to city %s (no way back):\n", r.Start, r.End)
		steps--
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "  %4s  %5s\tcity\t%12s  %12s\n", "step", "index", "leg"+unit, "total"+unit)
	total := 0.0
	for i := 0; i <= steps; i++ {
		c := r.Tour[i%len(r.Tour)]
		leg := 0.0
		if i > 0 {
			leg = p.leg(r.Tour[i-1], c)
		}
		total += leg
		fmt.Fprintf(tw, "  %4d  %5d\t%s\t%12s  %12s\n", i, c, tableName(p.names[c]), fmtLength(leg), fmtLength(total))
	}
	tw.Flush()
}

// nCities is "1 city" or "n cities".
func nCities(n int) string {
	if n == 1 {
		return "1 city"
	}
	return strconv.Itoa(n) + " cities"
}

// printable makes s safe to print on a terminal: control characters (a tab
// or line break in a city's name, an escape sequence) become spaces, so that
// each city keeps to its line of the route; format characters (bidi
// overrides and isolates U+202A–U+202E and U+2066–U+2069, zero-width
// characters), line and paragraph separators, private-use and unassigned
// code points, and invalid UTF-8 become U+FFFD, so that none can reorder or
// hide the text around it. JSON output needs none of this: encoding/json
// escapes what it must and the names stay exact.
func printable(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case unicode.IsControl(r):
			return ' '
		case !unicode.IsGraphic(r):
			return '\uFFFD'
		}
		return r
	}, s)
}

// maxNameWidth is the most runes of a city's name the route table prints.
const maxNameWidth = 40

// tableName is name made printable and cut to maxNameWidth runes, the
// last of them "…" when cut: every line of the table is padded to the
// longest name, so one long name would widen them all.
func tableName(name string) string {
	s := printable(name)
	if utf8.RuneCountInString(s) <= maxNameWidth {
		return s
	}
	i, k := 0, 0
	for i = range s {
		if k == maxNameWidth-1 {
			break
		}
		k++
	}
	return s[:i] + "…"
}

func statusText(s string) string {
	switch s {
	case "optimal":
		return "optimal (proven shortest)"
	case "heuristic":
		return "heuristic (no proof of optimality)"
	case "stopped":
		return "stopped (the best tour found before the timeout)"
	}
	return s
}

// fmtLength prints a length with two decimals, or none for whole numbers
// such as TSPLIB distances.
func fmtLength(v float64) string {
	if v == math.Trunc(v) && math.Abs(v) < 1e15 {
		return strconv.FormatFloat(v, 'f', 0, 64)
	}
	return strconv.FormatFloat(v, 'f', 2, 64)
}

// fmtDuration prints d with three significant digits: 789 ns, 45.6 µs,
// 12.3 ms, 1.23 s.
func fmtDuration(d time.Duration) string {
	v := float64(d)
	unit := "ns"
	for _, u := range []struct {
		scale float64
		name  string
	}{{1e9, "s"}, {1e6, "ms"}, {1e3, "µs"}} {
		if v >= u.scale {
			v /= u.scale
			unit = u.name
			break
		}
	}
	switch {
	case unit == "ns" || v >= 100:
		return fmt.Sprintf("%.0f %s", v, unit)
	case v >= 10:
		return fmt.Sprintf("%.1f %s", v, unit)
	}
	return fmt.Sprintf("%.2f %s", v, unit)
}
