// Command scalebench measures the coordinate path (issue 21): time and
// peak memory against the number of cities for every backend with a
// coordinate solver, and the quality targets on TSPLIB's usa13509 and
// pla85900. Each measurement runs in a child process of its own, so that
// its peak resident set size (getrusage) is its own.
//
//	go run ./internal/scalebench -tsplib ../shared/tsplib -svg docs/scale.svg > /tmp/scale.md
//
// Each measurement runs -runs times (3, the median of 3), in
// interleaved rounds; a row is the median run, with the range of times.
//
// The figures of the README's "Scale" section come from it. It prints a
// Markdown table; -svg draws the time of Nearest and TwoOpt against n,
// one line per backend, on log-log axes.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/ffi4go/tsp"
	"github.com/ffi4go/tsp/backends"
	"github.com/ffi4go/tsp/loader"
	"github.com/ffi4go/tsp/tsplib"
)

// run is one measurement: what the child reports.
type run struct {
	Backend   string  `json:"backend"`
	Input     string  `json:"input"`
	N         int     `json:"n"`
	Algorithm string  `json:"algorithm"`
	Deadline  string  `json:"deadline,omitempty"`
	Seconds   float64 `json:"seconds"` // set-up (points, kernel) and solve, wall clock
	Length    float64 `json:"length"`
	Status    string  `json:"status"`
	RSSMB     float64 `json:"rss_mb"` // peak resident set of the child process
	Gap       float64 `json:"gap_percent,omitempty"`
	Err       string  `json:"error,omitempty"`
	// the parent's: how many runs the row is the median of, and their range
	Runs                   int     `json:"-"`
	MinSeconds, MaxSeconds float64 `json:"-"`
}

func main() {
	child := flag.Bool("child", false, "internal: run one measurement")
	backend := flag.String("backend", "go", "child: the backend")
	input := flag.String("input", "random", "child: random or a TSPLIB file")
	n := flag.Int("n", 1000, "child: random cities")
	alg := flag.String("algorithm", "nearest", "child: the algorithm")
	deadline := flag.Duration("deadline", 0, "child: the deadline of iterated")
	lib := flag.String("lib", "", "directory of the shared libraries (built when empty)")
	tsplibDir := flag.String("tsplib", "", "directory with usa13509.tsp and pla85900.tsp (their rows are skipped without it)")
	sizes := flag.String("sizes", "1000,10000,100000,1000000", "the n of the random rows")
	maxTwoOpt := flag.Int("max-2opt", 100000, "the largest n TwoOpt runs on")
	only := flag.String("backends", strings.Join(backends.PointsNames(), ","), "the backends to measure")
	svg := flag.String("svg", "", "write the chart here")
	runs := flag.Int("runs", 3, "runs of each measurement, in interleaved rounds; the table has the median by time")
	flag.Parse()
	if *child {
		r := measure(*backend, *input, *n, *alg, *deadline, *lib)
		json.NewEncoder(os.Stdout).Encode(r)
		return
	}
	if *lib == "" {
		dir, err := os.MkdirTemp("", "scalebench")
		if err != nil {
			fail(err)
		}
		defer os.RemoveAll(dir)
		for _, k := range loader.Kernels {
			if _, err := loader.Build(dir, k); err != nil {
				fail(err)
			}
		}
		*lib = dir
	}
	// The measurements are listed first, then run in rounds: round 1 runs
	// each once, round 2 again, ..., so that the load of the machine
	// spreads over all of them alike; each row is then the median run.
	var jobs [][]string
	spawn := func(args ...string) { jobs = append(jobs, args) }
	bs := strings.Split(*only, ",")
	for _, s := range strings.Split(*sizes, ",") {
		nn, err := strconv.Atoi(s)
		if err != nil {
			fail(err)
		}
		for _, b := range bs {
			spawn("-backend", b, "-n", s, "-algorithm", "nearest")
			if nn <= *maxTwoOpt {
				spawn("-backend", b, "-n", s, "-algorithm", "2opt")
			}
		}
	}
	if *tsplibDir != "" {
		for _, tc := range []struct{ file, deadlines string }{{"usa13509.tsp", "1s"}, {"pla85900.tsp", "10s,60s"}} {
			path := filepath.Join(*tsplibDir, tc.file)
			if _, err := os.Stat(path); err != nil {
				fmt.Fprintf(os.Stderr, "%s: %v: skipped\n", path, err)
				continue
			}
			for _, d := range strings.Split(tc.deadlines, ",") {
				for _, b := range bs {
					if d == "60s" && b != "go" {
						continue // one backend at a minute
					}
					spawn("-backend", b, "-input", path, "-algorithm", "iterated", "-deadline", d)
				}
			}
		}
	}
	all := make([][]run, len(jobs))
	for round := range max(1, *runs) {
		for i, args := range jobs {
			r := spawnChild(append(args, "-lib", *lib))
			all[i] = append(all[i], r)
			fmt.Fprintf(os.Stderr, "round %d: %s %s n=%d %s %s: %.3f s, %.0f MB, %s %s\n", round+1, r.Backend, r.Input, r.N, r.Algorithm, r.Deadline, r.Seconds, r.RSSMB, r.Status, r.Err)
		}
	}
	var rows []run
	for _, rs := range all {
		rows = append(rows, medianRun(rs))
	}
	printTable(rows)
	if *svg != "" {
		if err := os.WriteFile(*svg, []byte(chart(rows)), 0o644); err != nil {
			fail(err)
		}
	}
}

// medianRun is the run of median time (a failed run counts as the
// slowest), with the runs' count and the spread of their times.
func medianRun(rs []run) run {
	sort.SliceStable(rs, func(i, j int) bool {
		if (rs[i].Err == "") != (rs[j].Err == "") {
			return rs[i].Err == ""
		}
		return rs[i].Seconds < rs[j].Seconds
	})
	m := rs[len(rs)/2]
	m.Runs, m.MinSeconds, m.MaxSeconds = len(rs), rs[0].Seconds, rs[len(rs)-1].Seconds
	return m
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "scalebench:", err)
	os.Exit(1)
}

func spawnChild(args []string) run {
	cmd := exec.Command(os.Args[0], append([]string{"-child"}, args...)...)
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	var r run
	if err == nil {
		err = json.Unmarshal(out, &r)
	}
	if err != nil {
		r.Err = err.Error()
	}
	r.RSSMB = peakRSSMB(cmd.ProcessState)
	return r
}

// optima of the TSPLIB rows.
var optima = map[string]float64{"usa13509": 19982859, "pla85900": 142382641}

func measure(backend, input string, n int, alg string, deadline time.Duration, lib string) run {
	r := run{Backend: backend, Input: input, N: n, Algorithm: alg}
	if deadline > 0 {
		r.Deadline = deadline.String()
	}
	a, err := tsp.ParseAlgorithm(alg)
	if err != nil {
		r.Err = err.Error()
		return r
	}
	s, err := backends.Points(backend, backends.Config{LibDir: lib})
	if err != nil {
		r.Err = err.Error()
		return r
	}
	var cities []tsp.City
	var in *tsplib.Instance
	if input == "random" {
		cities = tsp.RandomCities(n, 1) // made before the clock starts: the input
	} else {
		if in, err = tsplib.ReadFilePoints(input); err != nil {
			r.Err = err.Error()
			return r
		}
		r.Input = strings.TrimSuffix(filepath.Base(input), ".tsp")
		r.N = len(in.Coords)
	}
	ctx := context.Background()
	opt := tsp.Options{Algorithm: a, Seed: 1}
	if deadline > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, deadline)
		defer cancel()
	}
	t0 := time.Now()
	var p *tsp.Points
	if in != nil {
		p, err = in.Points()
	} else {
		p = tsp.CityPoints(cities)
	}
	var t tsp.Tour
	if err == nil {
		t, err = s.SolvePoints(ctx, p, opt)
	}
	r.Seconds = time.Since(t0).Seconds()
	if err != nil && t.Status != tsp.Stopped {
		r.Err = err.Error()
	}
	r.Length, r.Status = t.Length, t.Status.String()
	if opt, ok := optima[r.Input]; ok {
		r.Gap = 100 * (t.Length - opt) / opt
	}
	return r
}

func printTable(rows []run) {
	fmt.Println("| backend | input | n | algorithm | deadline | time (s), median | runs: min–max (s) | peak RSS (MB) | length | above optimum |")
	fmt.Println("| --- | --- | ---: | --- | --- | ---: | ---: | ---: | ---: | ---: |")
	for _, r := range rows {
		gap := ""
		if r.Gap != 0 {
			gap = fmt.Sprintf("%.2f %%", r.Gap)
		}
		status := ""
		if r.Err != "" {
			status = " (" + r.Err + ")"
		}
		fmt.Printf("| %s | %s | %d | %s | %s | %.3f | %d: %.3f–%.3f | %.0f | %.6g%s | %s |\n", r.Backend, r.Input, r.N, r.Algorithm, r.Deadline, r.Seconds, r.Runs, r.MinSeconds, r.MaxSeconds, r.RSSMB, r.Length, status, gap)
	}
}

// chart draws seconds against n (log-log) for the random rows: one line a
// backend and algorithm.
func chart(rows []run) string {
	type key struct{ backend, alg string }
	lines := map[key][]run{}
	var keys []key
	for _, r := range rows {
		if r.Input != "random" || r.Err != "" || r.Seconds <= 0 {
			continue
		}
		k := key{r.Backend, r.Algorithm}
		if _, ok := lines[k]; !ok {
			keys = append(keys, k)
		}
		lines[k] = append(lines[k], r)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].alg != keys[j].alg {
			return keys[i].alg > keys[j].alg
		}
		return keys[i].backend < keys[j].backend
	})
	const w, h, left, bottom, top, right = 760.0, 440.0, 70.0, 50.0, 20.0, 190.0
	x := func(n int) float64 { return left + (math.Log10(float64(n))-3)/3*(w-left-right) }
	y := func(s float64) float64 {
		v := math.Max(-3, math.Min(3, math.Log10(s)))
		return top + (3-v)/6*(h-top-bottom)
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%.0f" height="%.0f" font-family="sans-serif" font-size="12">`+"\n", w, h)
	fmt.Fprintf(&b, `<rect width="100%%" height="100%%" fill="white"/>`+"\n")
	for e := 3; e <= 6; e++ {
		xx := x(int(math.Pow10(e)))
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#ddd"/><text x="%.1f" y="%.1f" text-anchor="middle">10^%d</text>`+"\n", xx, top, xx, h-bottom, xx, h-bottom+16, e)
	}
	for e := -3; e <= 3; e++ {
		yy := y(math.Pow10(e))
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#ddd"/><text x="%.1f" y="%.1f" text-anchor="end">%g s</text>`+"\n", left, yy, w-right, yy, left-6, yy+4, math.Pow10(e))
	}
	fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="middle">cities (RandomCities, haversine)</text>`+"\n", (left+w-right)/2, h-12)
	colors := []string{"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"}
	backendsSeen := map[string]int{}
	for i, k := range keys {
		c, ok := backendsSeen[k.backend]
		if !ok {
			c = len(backendsSeen)
			backendsSeen[k.backend] = c
		}
		dash := ""
		if k.alg == "2opt" {
			dash = ` stroke-dasharray="5,3"`
		}
		var pts []string
		for _, r := range lines[k] {
			pts = append(pts, fmt.Sprintf("%.1f,%.1f", x(r.N), y(r.Seconds)))
		}
		fmt.Fprintf(&b, `<polyline fill="none" stroke="%s" stroke-width="1.5"%s points="%s"/>`+"\n", colors[c%len(colors)], dash, strings.Join(pts, " "))
		ly := top + 14*float64(i)
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="%s" stroke-width="1.5"%s/><text x="%.1f" y="%.1f">%s %s</text>`+"\n", w-right+10, ly, w-right+30, ly, colors[c%len(colors)], dash, w-right+35, ly+4, k.backend, k.alg)
	}
	b.WriteString("</svg>\n")
	return b.String()
}
