package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/ffi4go/tsp"
	"github.com/ffi4go/tsp/backends"
)

// The deadlines the compare tables check every time against.
const (
	softDeadline = 1 * time.Second
	hardDeadline = 10 * time.Second
)

// Status values a compare entry can have besides optimal, heuristic and
// stopped; each comes with an "error" field in JSON.
const (
	statusUnavailable = "unavailable" // the backend cannot be used here
	statusError       = "error"       // Solve failed
	statusSkipped     = "skipped"     // not run: a smaller instance already hit the timeout, or an interrupt
	// statusUnsupported: the backend's kernel does not have the algorithm
	// (the pure-Python kernel of the Python backends: Exhaustive and
	// Nearest only); not a failure.
	statusUnsupported = "unsupported"
)

// deadlineRow is one row of the deadline table: the first k cities of a
// built-in list under one algorithm.
type deadlineRow struct {
	set string // "demo11" or "demo30"
	k   int
	alg tsp.Algorithm
}

// deadlineRows: Exhaustive on 9, 10 and 11 cities of demo11, Exact on 11
// to 30 cities of demo30. Within one algorithm k ascends: a backend that
// hits the timeout is not run on the larger rows of that algorithm.
var deadlineRows = []deadlineRow{
	{"demo11", 9, tsp.Exhaustive},
	{"demo11", 10, tsp.Exhaustive},
	{"demo11", 11, tsp.Exhaustive},
	{"demo30", 11, tsp.Exact},
	{"demo30", 15, tsp.Exact},
	{"demo30", 20, tsp.Exact},
	{"demo30", 25, tsp.Exact},
	{"demo30", 30, tsp.Exact},
}

func (r deadlineRow) label() string { return fmt.Sprintf("first %d of %s", r.k, r.set) }

// deadlineTable is the measured deadline table.
type deadlineTable struct {
	rows     []deadlineRow
	backends []string   // the backends compared, in backends.Names() order
	cells    [][]result // [row][backend]; unavailable backends have status "unavailable"
	count    int        // runs per cell; the time is their median
	timeout  time.Duration
}

// available reports whether backend j has any cell that was run.
func (t *deadlineTable) available(j int) bool {
	for _, row := range t.cells {
		if row[j].Status != statusUnavailable {
			return true
		}
	}
	return false
}

func (e *env) compare(args []string) int {
	fs := flag.NewFlagSet("compare", flag.ContinueOnError)
	var cf commonFlags
	cf.register(fs, "exhaustive")
	count := fs.Int("count", 0, "runs per backend; the table shows the median (default 1, or 5 for the deadline table)")
	svgOut := fs.String("svg", "", "write the deadline chart to this SVG file")
	onlyDeadlines := fs.Bool("deadline-table", false, "print only the deadline table")
	backendList := fs.String("backends", "", "the backends to compare, comma-separated, or all (default: all but worker-python, worker-cython and worker-pypy)")
	pos, done, code := e.parseFlags(fs, args)
	if done {
		return code
	}
	algSet := false
	fs.Visit(func(f *flag.Flag) { algSet = algSet || f.Name == "algorithm" })
	alg, err := cf.check()
	if err != nil {
		return e.fail(exitUsage, err)
	}
	if len(pos) > 1 {
		return e.fail(exitUsage, fmt.Errorf("compare takes at most one FILE, got %d arguments; see tsp help compare", len(pos)))
	}
	file := ""
	if len(pos) == 1 {
		file = pos[0]
	}
	if *onlyDeadlines && file != "" {
		return e.fail(exitUsage, errors.New("-deadline-table measures the built-in demo11 and demo30 and takes no FILE"))
	}
	if *onlyDeadlines && algSet {
		return e.fail(exitUsage, errors.New("-deadline-table sets the algorithm of each row itself; drop -algorithm"))
	}
	deadlines := *onlyDeadlines || (file == "" && !algSet)
	if *svgOut != "" && !deadlines {
		return e.fail(exitUsage, errors.New("-svg draws the deadline table: use it with no FILE and no -algorithm, or with -deadline-table"))
	}
	if *count < 0 {
		return e.fail(exitUsage, fmt.Errorf("-count %d is negative", *count))
	}
	if *count == 0 {
		*count = 1
		if deadlines {
			*count = 5
		}
	}
	bs, left, err := chooseBackends(backends.All(backends.Config{LibDir: cf.lib}), *backendList)
	if err != nil {
		return e.fail(exitUsage, err)
	}
	note := leftOutNote(*backendList, left)

	if !deadlines {
		if file == "" {
			file = "demo11"
		}
		p, err := loadProblem(file, e.stdin)
		if err != nil {
			return e.fail(exitData, err)
		}
		// Coordinates take the coordinate path where solve takes it (a round
		// trip with a heuristic, on every backend with tsp_solve_points),
		// the rest the matrix path.
		opt := cf.options(alg, 0, p.n())
		cfg := backends.Config{LibDir: cf.lib}
		if s, _ := p.pointsSolver("go", cfg, opt); s == nil {
			m, err := p.matrix()
			if err != nil {
				return e.fail(exitData, err)
			}
			if err := opt.Validate(m); err != nil {
				return e.fail(exitData, fmt.Errorf("%s: %w", p.label, err))
			}
		}
		rs := make([]result, len(bs))
		for i, b := range bs {
			if s, err := p.pointsSolver(b.Name, cfg, opt); s != nil || err != nil {
				rs[i] = measurePoints(e.ctx, b, s, err, p, opt, *count, cf.timeout)
				continue
			}
			rs[i] = measure(e.ctx, b, p, opt, *count, cf.timeout)
		}
		if cf.json {
			if err := writeJSON(e.stdout, rs); err != nil {
				return e.fail(exitFailed, err)
			}
		} else {
			printCompare(e.stdout, p, rs, *count, cf.timeout, true)
			if note != "" {
				fmt.Fprintf(e.stdout, "\n%s\n", note)
			}
		}
		return e.compareCode(rs)
	}

	tab := measureDeadlines(e.ctx, bs, deadlineRows, *count, cf.timeout)
	var all []result
	for _, row := range tab.cells {
		all = append(all, row...)
	}
	if cf.json {
		if err := writeJSON(e.stdout, all); err != nil {
			return e.fail(exitFailed, err)
		}
	} else {
		if !*onlyDeadlines {
			for i, r := range tab.rows {
				if r.set == "demo11" && r.k == 11 && r.alg == tsp.Exhaustive {
					p, err := loadProblem("demo11", nil)
					if err != nil {
						return e.fail(exitFailed, err)
					}
					printCompare(e.stdout, p, tab.cells[i], tab.count, tab.timeout, false)
					fmt.Fprintln(e.stdout)
					break
				}
			}
		}
		printDeadlines(e.stdout, tab)
		if note != "" {
			fmt.Fprintf(e.stdout, "\n%s\n", note)
		}
	}
	if *svgOut != "" {
		if err := writeSVGFile(*svgOut, tab); err != nil {
			return e.fail(exitFailed, err)
		}
		msg := e.stdout
		if cf.json {
			msg = e.stderr
		}
		fmt.Fprintf(msg, "wrote the deadline chart to %s\n", *svgOut)
	}
	return e.compareCode(all)
}

// compareCode: 3 after an interrupt, 1 if a backend failed, else 0. A
// search stopped by the timeout is a result of the comparison (it missed
// the deadline), not a failure.
func (e *env) compareCode(rs []result) int {
	if e.ctx.Err() != nil {
		fmt.Fprintln(e.stderr, "tsp: interrupted; the tables show what was measured before")
		return exitStopped
	}
	for _, r := range rs {
		if r.Status == statusError {
			fmt.Fprintf(e.stderr, "tsp: backend %s failed: %s\n", r.Backend, r.Error)
			return exitFailed
		}
	}
	return exitOK
}

func writeSVGFile(path string, tab *deadlineTable) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := writeDeadlineSVG(f, tab); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// measure solves p with b count times, each run bounded by timeout, and
// returns the last run's tour with the median time. A run the timeout
// stops ends the series; its time is the one reported.
func measure(ctx context.Context, b backends.Backend, p *problem, opt tsp.Options, count int, timeout time.Duration) result {
	if !b.Available() {
		return failedResult(b.Name, p, opt, statusUnavailable, b.Err)
	}
	m, err := p.matrix()
	if err != nil {
		return failedResult(b.Name, p, opt, statusError, err)
	}
	if err := warm(ctx, b); err != nil {
		return failedResult(b.Name, p, opt, statusUnavailable, err)
	}
	return measureSolve(ctx, b.Name, p, opt, count, timeout, func(ctx context.Context) (tsp.Tour, error) {
		return b.Solver.Solve(ctx, m, opt)
	})
}

// warm starts a pool's worker before the first timed run, so that its start
// (for the Cython workers, compiling their modules on first use: seconds,
// tens on a busy machine) is not counted as the solve's time or stopped by
// its timeout. A worker that cannot start here makes the backend
// unavailable; other errors are left to the solves. One process a solve
// (exec-*) has nothing to warm: its start is what it costs.
func warm(ctx context.Context, b backends.Backend) error {
	// The pools, the Python ones too (which wrap a *proc.Pool).
	if p, ok := b.Solver.(interface{ Ping(int32) (int32, error) }); ok && !strings.HasPrefix(b.Name, "exec-") && ctx.Err() == nil {
		if _, err := p.Ping(0); errors.Is(err, tsp.ErrUnavailable) {
			return err
		}
	}
	return nil
}

// measurePoints is measure on the coordinate path: s (or the error of
// getting it) is b's coordinate solver.
func measurePoints(ctx context.Context, b backends.Backend, s tsp.PointsSolver, err error, p *problem, opt tsp.Options, count int, timeout time.Duration) result {
	if !b.Available() {
		return failedResult(b.Name, p, opt, statusUnavailable, b.Err)
	}
	if err != nil {
		return failedResult(b.Name, p, opt, statusUnavailable, err)
	}
	if err := warm(ctx, b); err != nil {
		return failedResult(b.Name, p, opt, statusUnavailable, err)
	}
	return measureSolve(ctx, b.Name, p, opt, count, timeout, func(ctx context.Context) (tsp.Tour, error) {
		return solvePoints(ctx, s, p, opt)
	})
}

// measureSolve runs solve count times (each under timeout) and makes the
// result of backend name.
func measureSolve(ctx context.Context, name string, p *problem, opt tsp.Options, count int, timeout time.Duration,
	solve func(context.Context) (tsp.Tour, error)) result {
	var times []time.Duration
	var last tsp.Tour
	for i := 0; i < count && ctx.Err() == nil; i++ {
		rctx, cancel := withTimeout(ctx, timeout)
		t0 := time.Now()
		t, err := solve(rctx)
		el := time.Since(t0)
		cancel()
		if errors.Is(err, backends.ErrNoAlgorithm) {
			return failedResult(name, p, opt, statusUnsupported, err)
		}
		if errors.Is(err, tsp.ErrUnavailable) { // a worker that cannot start here
			return failedResult(name, p, opt, statusUnavailable, err)
		}
		if err != nil && (t.Status != tsp.Stopped || t.Order == nil) {
			return failedResult(name, p, opt, statusError, err)
		}
		last = t
		if t.Status == tsp.Stopped {
			times = []time.Duration{el}
			break
		}
		times = append(times, el)
	}
	if len(times) == 0 {
		return failedResult(name, p, opt, statusSkipped, errors.New("not run: interrupted"))
	}
	r := newResult(name, p, opt, last, median(times))
	r.Runs, r.MinNS, r.MaxNS = len(times), slices.Min(times).Nanoseconds(), slices.Max(times).Nanoseconds()
	return r
}

// distinct reports whether a and b took clearly different times: with
// several runs each, the slower one's fastest run is slower than the faster
// one's slowest run (the ranges do not overlap); with a single run, the
// ratio is 1.2 or more (this machine's noise hides less).
func distinct(a, b result) bool {
	if a.ElapsedNS <= 0 || b.ElapsedNS <= 0 {
		return false
	}
	if a.Runs >= 2 && b.Runs >= 2 {
		return a.MaxNS < b.MinNS || b.MaxNS < a.MinNS
	}
	f := float64(a.ElapsedNS) / float64(b.ElapsedNS)
	return f >= 1.2 || f <= 1/1.2
}

func failedResult(backend string, p *problem, opt tsp.Options, status string, err error) result {
	r := newResult(backend, p, opt, tsp.Tour{}, 0)
	r.Status = status
	if err == nil {
		err = errors.New(status)
	}
	r.Error = strings.TrimPrefix(errLine(err), "tsp: ")
	return r
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return s[n/2-1] + (s[n/2]-s[n/2-1])/2
}

// measureDeadlines runs every row on every backend.
func measureDeadlines(ctx context.Context, bs []backends.Backend, rows []deadlineRow, count int, timeout time.Duration) *deadlineTable {
	tab := &deadlineTable{rows: rows, count: count, timeout: timeout, cells: make([][]result, len(rows))}
	for _, b := range bs {
		tab.backends = append(tab.backends, b.Name)
	}
	type series struct {
		backend string
		alg     tsp.Algorithm
	}
	stoppedAt := map[series]int{} // the k at which a backend hit the timeout
	for i, row := range rows {
		p, err := citiesProblem(row.label(), builtin[row.set]()[:row.k])
		if err != nil { // the built-in lists are valid
			panic(err)
		}
		opt := tsp.Options{Algorithm: row.alg}
		tab.cells[i] = make([]result, len(bs))
		for j, b := range bs {
			s := series{b.Name, row.alg}
			if k, ok := stoppedAt[s]; ok && b.Available() && ctx.Err() == nil {
				tab.cells[i][j] = failedResult(b.Name, p, opt, statusSkipped,
					fmt.Errorf("not run: %s on %s already hit the %v timeout", row.alg, nCities(k), timeout))
				continue
			}
			r := measure(ctx, b, p, opt, count, timeout)
			if r.Status == tsp.Stopped.String() {
				stoppedAt[s] = row.k
			}
			tab.cells[i][j] = r
		}
	}
	return tab
}

// verdict says which deadlines a result met: "soft" (both), "hard" (only
// the hard one), "missed" (neither), "stopped" (the timeout stopped it
// before the hard deadline: unknown), or the status of a result that has no
// time.
func verdict(r result) string {
	el := time.Duration(r.ElapsedNS)
	switch r.Status {
	case "optimal", "heuristic":
		switch {
		case el <= softDeadline:
			return "soft"
		case el <= hardDeadline:
			return "hard"
		}
		return "missed"
	case "stopped":
		if el >= hardDeadline {
			return "missed"
		}
		return "stopped"
	}
	return r.Status
}

// met says whether r met deadline d: "yes", "no", or "?" when a search the
// timeout stopped before d cannot tell.
func met(r result, d time.Duration) string {
	el := time.Duration(r.ElapsedNS)
	switch r.Status {
	case "optimal", "heuristic":
		if el <= d {
			return "yes"
		}
		return "no"
	case "stopped":
		if el >= d {
			return "no"
		}
		return "?"
	}
	return "-"
}

func runsText(count int) string {
	if count == 1 {
		return "1 run"
	}
	return fmt.Sprintf("median of %d runs", count)
}

func timeoutText(timeout time.Duration) string {
	if timeout == 0 {
		return "no timeout"
	}
	return fmt.Sprintf("timeout %v", timeout)
}

// printCompare prints the table of one instance on every backend.
func printCompare(w io.Writer, p *problem, rs []result, count int, timeout time.Duration, showUnavailable bool) {
	unit := ""
	if p.unit() != "" {
		unit = " " + p.unit()
	}
	alg := ""
	if len(rs) > 0 {
		alg = rs[0].Algorithm
	}
	fmt.Fprintf(w, "%s: %s, %s from city 0; %s per backend, %s\n", printable(p.label), nCities(p.n()), alg, runsText(count), timeoutText(timeout))
	var goRef *result // the pure-Go backend, the reference speed
	for i, r := range rs {
		if r.Backend == "go" && finished(r) {
			goRef = &rs[i]
		}
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "backend\ttime\tvs go\tlength%s\tnodes\tsoft 1 s\thard 10 s\tstatus\n", unit)
	var unavailable []result
	var ref *result
	var differ []string
	compared := 0
	fastest := -1
	for i, r := range rs {
		switch r.Status {
		case statusUnavailable:
			unavailable = append(unavailable, r)
			continue
		case statusError, statusSkipped, statusUnsupported:
			fmt.Fprintf(tw, "%s\t-\t-\t-\t-\t-\t-\t%s: %s\n", r.Backend, r.Status, r.Error)
			continue
		}
		el := fmtDuration(time.Duration(r.ElapsedNS))
		if r.Status == "stopped" {
			el = ">" + el
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%s\t%s\t%s\n", r.Backend, el, relative(r, goRef), fmtLength(r.Length), r.Nodes,
			met(r, softDeadline), met(r, hardDeadline), r.Status)
		if finished(r) {
			compared++
			if ref == nil {
				ref = &rs[i]
			} else if r.Status == ref.Status && (r.Length != ref.Length || !slices.Equal(r.Tour, ref.Tour)) {
				differ = append(differ, r.Backend)
			}
			if fastest < 0 || r.ElapsedNS < rs[fastest].ElapsedNS {
				fastest = i
			}
		}
	}
	tw.Flush()
	switch {
	case len(differ) > 0:
		fmt.Fprintf(w, "WARNING: %s returned a different tour than %s.\n", strings.Join(differ, ", "), ref.Backend)
	case compared > 1:
		fmt.Fprintf(w, "All %d backends that finished returned the same tour.\n", compared)
	}
	if fastest >= 0 && compared > 1 {
		clear := true
		for _, r := range rs {
			if finished(r) && r.Backend != rs[fastest].Backend && !distinct(r, rs[fastest]) {
				clear = false
			}
		}
		if clear {
			fmt.Fprintf(w, "Fastest: %s, %s.\n", rs[fastest].Backend, fmtDuration(time.Duration(rs[fastest].ElapsedNS)))
		} else {
			fmt.Fprintf(w, "No backend is clearly fastest: %s.\n", sameRule)
		}
	}
	if showUnavailable {
		printUnavailable(w, unavailable)
	}
}

// finished: the search ran to its end.
func finished(r result) bool { return r.Status == "optimal" || r.Status == "heuristic" }

// sameRule says when two times count as different.
const sameRule = "times count as different only where the runs' ranges do not overlap (or, from one run, differ by 1.2× or more); more runs (-count) narrow them"

// relative is r's speed against the pure-Go backend's: "same" unless the
// two are distinct.
func relative(r result, goRef *result) string {
	switch {
	case goRef == nil || !finished(r) || r.ElapsedNS <= 0 || goRef.ElapsedNS <= 0:
		return "-"
	case r.Backend == goRef.Backend:
		return "1.00×"
	}
	if !distinct(r, *goRef) {
		return "same"
	}
	f := float64(goRef.ElapsedNS) / float64(r.ElapsedNS)
	if f >= 1 {
		return fmt.Sprintf("%.2f× faster", f)
	}
	return fmt.Sprintf("%.2f× slower", 1/f)
}

func printUnavailable(w io.Writer, rs []result) {
	if len(rs) == 0 {
		return
	}
	fmt.Fprintln(w, "Not available here:")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, r := range rs {
		fmt.Fprintf(tw, "  %s\t%s\n", r.Backend, reason(r.Backend, r.Error))
	}
	tw.Flush()
}

// reason shortens why a backend is unavailable for a table that already
// says so and names the backend.
func reason(backend, msg string) string {
	msg = strings.TrimPrefix(msg, "backend unavailable: ")
	return strings.TrimPrefix(msg, backend+": ")
}

// printDeadlines prints the deadline table: a row per instance, a column
// per available backend.
func printDeadlines(w io.Writer, tab *deadlineTable) {
	fmt.Fprintf(w, "Deadline table: %s per cell, %s; soft deadline 1 s, hard deadline 10 s\n", runsText(tab.count), timeoutText(tab.timeout))
	fmt.Fprintln(w, "  soft = meets both deadlines, hard = meets only the 10 s one, missed = meets neither,")
	fmt.Fprintln(w, "  stopped = the timeout ended the search before 10 s, skipped = a smaller instance already hit the timeout")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprint(tw, "cities\tinput\talgorithm")
	var cols []int
	var unavailable []result
	for j, name := range tab.backends {
		if tab.available(j) {
			cols = append(cols, j)
			fmt.Fprintf(tw, "\t%s", name)
		} else if len(tab.cells) > 0 {
			unavailable = append(unavailable, tab.cells[0][j])
		}
	}
	fmt.Fprintln(tw)
	for i, row := range tab.rows {
		fmt.Fprintf(tw, "%d\t%s\t%s", row.k, row.set, row.alg)
		for _, j := range cols {
			r := tab.cells[i][j]
			v := verdict(r)
			switch r.Status {
			case "optimal", "heuristic":
				fmt.Fprintf(tw, "\t%9s %s", fmtDuration(time.Duration(r.ElapsedNS)), v)
			case "stopped":
				fmt.Fprintf(tw, "\t%9s %s", ">"+fmtDuration(time.Duration(r.ElapsedNS)), v)
			default:
				fmt.Fprintf(tw, "\t%9s %s", "-", v)
			}
		}
		fmt.Fprintln(tw)
	}
	tw.Flush()
	var failed []string
	for _, row := range tab.cells {
		for _, r := range row {
			if r.Status == statusError {
				failed = append(failed, fmt.Sprintf("  %s, %s on %s: %s", r.Backend, r.Algorithm, nCities(r.N), r.Error))
			}
		}
	}
	if len(failed) > 0 {
		fmt.Fprintln(w, "Errors:")
		fmt.Fprintln(w, strings.Join(failed, "\n"))
	}
	printUnavailable(w, unavailable)
}
