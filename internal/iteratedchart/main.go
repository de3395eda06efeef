// Command iteratedchart draws issue 15's curves: Iterated's gap to the
// optimum against its CPU time, one line per TSPLIB instance, beside the
// LKH-3 figures the issue measured on this machine. It reads the output of
// BenchmarkIterated (the root package) and writes an SVG:
//
//	go test -run '^$' -bench '^BenchmarkIterated$' -benchtime 1x . > docs/bench/iterated.txt
//	go run ./internal/iteratedchart < docs/bench/iterated.txt > docs/iterated.svg
//
// Each point is one budget of kicks (0n is TwoOpt): the median gap of
// seeds 1–5 (gap-%) at the CPU time of one solve (cpu-ns/op).
package main

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"os"
	"sort"
	"strconv"
	"strings"
)

// point is one benchmark line: an instance, its budget in kicks per city,
// the CPU seconds of one solve and the median gap in percent.
type point struct {
	instance string
	kicks    int
	seconds  float64
	gap      float64
}

// parse reads BenchmarkIterated lines
// (BenchmarkIterated/<instance>/kicks<k>n/go-2 1 <ns> ns/op <cpu> cpu-ns/op <gap> gap-% …)
// and ignores every other line.
func parse(r io.Reader) ([]point, error) {
	var pts []point
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 2 || !strings.HasPrefix(f[0], "BenchmarkIterated/") {
			continue
		}
		name := strings.Split(f[0], "/")
		if len(name) < 3 || !strings.HasPrefix(name[2], "kicks") || !strings.HasSuffix(name[2], "n") {
			return nil, fmt.Errorf("iteratedchart: unexpected benchmark name %q", f[0])
		}
		k, err := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(name[2], "kicks"), "n"))
		if err != nil {
			return nil, fmt.Errorf("iteratedchart: kicks in %q: %v", f[0], err)
		}
		p := point{instance: name[1], kicks: k, seconds: -1, gap: -1}
		for i := 2; i+1 < len(f); i++ {
			v, err := strconv.ParseFloat(f[i], 64)
			if err != nil {
				continue
			}
			switch f[i+1] {
			case "cpu-ns/op":
				p.seconds = v / 1e9
			case "gap-%":
				p.gap = v
			}
		}
		if p.seconds <= 0 || p.gap < 0 {
			return nil, fmt.Errorf("iteratedchart: %q has no cpu-ns/op or gap-%%", f[0])
		}
		pts = append(pts, p)
	}
	return pts, sc.Err()
}

// lkh is the table: LKH-3 on this machine, one trial without its
// ascent (gap and seconds), and the time it reached the optimum.
var lkh = map[string]struct{ gap, seconds, optimal float64 }{
	"a280":   {0.00, 0.01, 0.06},
	"gr666":  {5.30, 0.08, 0.9},
	"pr1002": {1.21, 0.12, 1.15},
	"pr2392": {0.84, 0.42, 11},
}

func chart(pts []point) string {
	byInst := map[string][]point{}
	var names []string
	for _, p := range pts {
		if _, ok := byInst[p.instance]; !ok {
			names = append(names, p.instance)
		}
		byInst[p.instance] = append(byInst[p.instance], p)
	}
	const w, h, left, bottom, top, right = 760.0, 440.0, 70.0, 50.0, 20.0, 230.0
	// x: CPU seconds, log, 1 ms to 100 s; y: gap, 0 to 6 %, linear.
	x := func(s float64) float64 {
		v := math.Max(-3, math.Min(2, math.Log10(s)))
		return left + (v+3)/5*(w-left-right)
	}
	y := func(g float64) float64 { return top + (6-math.Min(6, g))/6*(h-top-bottom) }
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%.0f" height="%.0f" font-family="sans-serif" font-size="12">`+"\n", w, h)
	b.WriteString(`<rect width="100%" height="100%" fill="white"/>` + "\n")
	for e := -3; e <= 2; e++ {
		xx := x(math.Pow10(e))
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#ddd"/><text x="%.1f" y="%.1f" text-anchor="middle">%g s</text>`+"\n", xx, top, xx, h-bottom, xx, h-bottom+16, math.Pow10(e))
	}
	for g := 0; g <= 6; g++ {
		yy := y(float64(g))
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#ddd"/><text x="%.1f" y="%.1f" text-anchor="end">%d %%</text>`+"\n", left, yy, w-right, yy, left-6, yy+4, g)
	}
	fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="middle">CPU time of one solve (pure Go; median gap of seeds 1–5 above the optimum)</text>`+"\n", (left+w-right)/2, h-12)
	colors := []string{"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b"}
	for i, name := range names {
		c := colors[i%len(colors)]
		line := byInst[name]
		sort.Slice(line, func(a, b int) bool { return line[a].kicks < line[b].kicks })
		var xy []string
		for _, p := range line {
			xy = append(xy, fmt.Sprintf("%.1f,%.1f", x(p.seconds), y(p.gap)))
		}
		fmt.Fprintf(&b, `<polyline fill="none" stroke="%s" stroke-width="1.8" points="%s"/>`+"\n", c, strings.Join(xy, " "))
		for _, p := range line {
			fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="2.5" fill="%s"/>`+"\n", x(p.seconds), y(p.gap), c)
		}
		if l, ok := lkh[name]; ok {
			fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="7" height="7" fill="none" stroke="%s" stroke-width="1.5"/>`+"\n", x(l.seconds)-3.5, y(l.gap)-3.5, c)
			fmt.Fprintf(&b, `<path d="M%.1f %.1fl4 7h-8z" fill="%s"/>`+"\n", x(l.optimal), y(0)-8, c)
		}
		ly := top + 16*float64(i)
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="%s" stroke-width="1.8"/><text x="%.1f" y="%.1f">%s, Iterated</text>`+"\n", w-right+10, ly, w-right+30, ly, c, w-right+35, ly+4, name)
	}
	ly := top + 16*float64(len(names)) + 10
	fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="7" height="7" fill="none" stroke="black" stroke-width="1.5"/><text x="%.1f" y="%.1f">LKH-3, one trial, no ascent</text>`+"\n", w-right+16.5, ly-3.5, w-right+35, ly+4)
	ly += 16
	fmt.Fprintf(&b, `<path d="M%.1f %.1fl4 7h-8z" fill="black"/><text x="%.1f" y="%.1f">LKH-3 reaches the optimum</text>`+"\n", w-right+20, ly-4, w-right+35, ly+4)
	b.WriteString("</svg>\n")
	return b.String()
}

func main() {
	pts, err := parse(os.Stdin)
	if err == nil && len(pts) == 0 {
		err = fmt.Errorf("iteratedchart: no BenchmarkIterated lines in the input")
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Print(chart(pts))
}
