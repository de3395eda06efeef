package main

import (
	"bufio"
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"strings"
	"time"

	"github.com/ffi4go/tsp"
)

// The deadline chart: one panel per algorithm of the deadline table (x: the
// number of cities, y: the median time on a shared log scale), one polyline
// per backend and panel in the backend's colour and marker, the soft and
// hard deadlines as labelled horizontal lines across every panel, and a
// legend. It is standalone SVG 1.1: no scripts, fonts or links.

const (
	svgW, svgH     = 1000, 560
	plotLeft       = 96
	plotRight      = 770 // the legend is to the right of it
	plotTop        = 88
	plotBottom     = 470
	panelGap       = 56
	legendLeft     = 800
	markerRadius   = 4.0
	svgFontFamily  = "DejaVu Sans, Helvetica, Arial, sans-serif"
	deadlineColour = "#b22222"
)

// backendStyle gives each backend a colour and a marker shape, so that the
// lines are told apart even where they lie on top of each other or in grey.
var backendStyle = map[string]struct{ colour, marker string }{
	"go":         {"#007d9c", "circle"},
	"cgo-c":      {"#e08a00", "square"},
	"cgo-cpp":    {"#7b3fa0", "diamond"},
	"purego-c":   {"#2e8b3a", "triangle"},
	"purego-cpp": {"#444444", "down"},
	// WebAssembly: darker shades of the cgo colours.
	"wasm-c":   {"#a84300", "square"},
	"wasm-cpp": {"#4a1d6b", "diamond"},
	// Processes: a colour per worker's kernel, circles for one process a
	// solve, triangles for a pool.
	"exec-go":   {"#1c4e9c", "circle"},
	"worker-go": {"#1c4e9c", "triangle"},
	"exec-c":    {"#b8860b", "circle"},
	"worker-c":  {"#b8860b", "triangle"},
	// Python workers: a colour per interpreter or compiler.
	"worker-python":        {"#c2255c", "circle"},
	"worker-python-ctypes": {"#c2255c", "square"},
	"worker-cython":        {"#5c7a0d", "circle"},
	"worker-cython-typed":  {"#5c7a0d", "square"},
	"worker-pypy":          {"#0b7285", "circle"},
	"worker-pypy-jit":      {"#0b7285", "triangle"},
	"worker-pypy-ctypes":   {"#0b7285", "square"},
	"worker-pypy-cffi":     {"#0b7285", "diamond"},
}

var spareColours = []string{"#d4508a", "#8c6d1f", "#3b5bdb", "#0b7285"}

type svgPanel struct {
	alg        tsp.Algorithm
	sets       []string
	rows       []int // indices into tab.rows, k ascending as listed
	ks         []int
	x0, x1     float64 // pixels
	kmin, kmax float64 // data range with padding
}

func (p *svgPanel) x(k int) float64 {
	return p.x0 + (float64(k)-p.kmin)/(p.kmax-p.kmin)*(p.x1-p.x0)
}

func esc(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return b.String()
}

// decadeLabel names 10^e seconds.
func decadeLabel(e int) string {
	switch {
	case e >= 0:
		return fmt.Sprintf("%.0f s", math.Pow(10, float64(e)))
	case e >= -3:
		return fmt.Sprintf("%.0f ms", math.Pow(10, float64(e+3)))
	case e >= -6:
		return fmt.Sprintf("%.0f µs", math.Pow(10, float64(e+6)))
	}
	return fmt.Sprintf("%.0f ns", math.Pow(10, float64(e+9)))
}

// plotted reports whether a cell has a time to draw.
func plotted(r result) bool {
	switch r.Status {
	case "optimal", "heuristic", "stopped":
		return r.ElapsedNS > 0
	}
	return false
}

// writeDeadlineSVG draws tab as a standalone SVG document.
func writeDeadlineSVG(out io.Writer, tab *deadlineTable) error {
	if len(tab.rows) == 0 || len(tab.cells) != len(tab.rows) {
		return fmt.Errorf("deadline chart: no rows to draw")
	}
	bw := bufio.NewWriter(out)
	w := func(format string, args ...any) { fmt.Fprintf(bw, format, args...) }

	// Panels: one per algorithm, in the order the rows first use them.
	var panels []*svgPanel
	for i, row := range tab.rows {
		var p *svgPanel
		for _, q := range panels {
			if q.alg == row.alg {
				p = q
			}
		}
		if p == nil {
			p = &svgPanel{alg: row.alg}
			panels = append(panels, p)
		}
		p.rows = append(p.rows, i)
		p.ks = append(p.ks, row.k)
		if !containsString(p.sets, row.set) {
			p.sets = append(p.sets, row.set)
		}
	}
	// Widths in proportion to the range of k, but never narrower than a
	// range of 6, so the three exhaustive points are not squeezed together.
	totalWeight := 0.0
	weights := make([]float64, len(panels))
	for i, p := range panels {
		lo, hi := minMax(p.ks)
		weights[i] = math.Max(float64(hi-lo), 6)
		totalWeight += weights[i]
		pad := math.Max(0.6, 0.06*float64(hi-lo))
		p.kmin, p.kmax = float64(lo)-pad, float64(hi)+pad
	}
	avail := float64(plotRight-plotLeft) - panelGap*float64(max(len(panels)-1, 0))
	x := float64(plotLeft)
	for i, p := range panels {
		p.x0 = x
		p.x1 = x + avail*weights[i]/totalWeight
		x = p.x1 + panelGap
	}

	// The log time axis, in whole decades, with the deadlines inside.
	tmin, tmax := softDeadline.Seconds(), hardDeadline.Seconds()
	anyStopped := false
	for _, row := range tab.cells {
		for _, r := range row {
			if plotted(r) {
				s := time.Duration(r.ElapsedNS).Seconds()
				tmin, tmax = math.Min(tmin, s), math.Max(tmax, s)
				anyStopped = anyStopped || r.Status == "stopped"
			}
		}
	}
	lo := int(math.Floor(math.Log10(tmin) - 0.15))
	hi := int(math.Ceil(math.Log10(tmax) + 0.3))
	y := func(sec float64) float64 {
		f := (math.Log10(sec) - float64(lo)) / float64(hi-lo)
		return plotBottom - f*(plotBottom-plotTop)
	}

	w(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	w(`<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="%d" height="%d" viewBox="0 0 %d %d" font-family="%s" font-size="12">`+"\n",
		svgW, svgH, svgW, svgH, svgFontFamily)
	w("<title>%s</title>\n", esc("tsp deadline chart: median solve time per backend against the 1 s and 10 s deadlines"))
	w(`<rect x="0" y="0" width="%d" height="%d" fill="#ffffff"/>`+"\n", svgW, svgH)
	w(`<text x="%d" y="30" font-size="17" font-weight="bold">%s</text>`+"\n", plotLeft, esc("Time to solve, per backend, against the 1 s and 10 s deadlines"))
	subtitle := fmt.Sprintf("%s per point, %s; time on a log scale", runsText(tab.count), timeoutText(tab.timeout))
	if anyStopped {
		subtitle += "; hollow markers: stopped by the timeout"
	}
	w(`<text x="%d" y="52" fill="#444444">%s</text>`+"\n", plotLeft, esc(subtitle))

	// Panels: frame, grid, ticks, titles.
	for pi, p := range panels {
		w(`<g class="panel" data-algorithm="%s">`+"\n", esc(p.alg.String()))
		for e := lo; e <= hi; e++ {
			yy := y(math.Pow(10, float64(e)))
			w(`<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#dddddd" stroke-width="1"/>`+"\n", p.x0, yy, p.x1, yy)
			if e < hi {
				for _, m := range []float64{2, 5} {
					ym := y(m * math.Pow(10, float64(e)))
					w(`<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#f0f0f0" stroke-width="1"/>`+"\n", p.x0, ym, p.x1, ym)
				}
			}
		}
		w(`<rect x="%.1f" y="%d" width="%.1f" height="%d" fill="none" stroke="#333333" stroke-width="1"/>`+"\n",
			p.x0, plotTop, p.x1-p.x0, plotBottom-plotTop)
		seen := map[int]bool{}
		for _, k := range p.ks {
			if seen[k] {
				continue
			}
			seen[k] = true
			xx := p.x(k)
			w(`<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="#333333"/>`+"\n", xx, plotBottom, xx, plotBottom+5)
			w(`<text x="%.1f" y="%d" text-anchor="middle">%d</text>`+"\n", xx, plotBottom+19, k)
		}
		mid := (p.x0 + p.x1) / 2
		w(`<text x="%.1f" y="%d" text-anchor="middle" font-weight="bold">%s</text>`+"\n", mid, plotTop-10, esc(p.alg.String()))
		w(`<text x="%.1f" y="%d" text-anchor="middle">%s</text>`+"\n", mid, plotBottom+40,
			esc(fmt.Sprintf("cities (first k of %s)", strings.Join(p.sets, ", "))))
		if pi == 0 {
			for e := lo; e <= hi; e++ {
				yy := y(math.Pow(10, float64(e)))
				w(`<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#333333"/>`+"\n", p.x0-5, yy, p.x0, yy)
				w(`<text x="%.1f" y="%.1f" text-anchor="end">%s</text>`+"\n", p.x0-8, yy+4, esc(decadeLabel(e)))
			}
		}
		w("</g>\n")
	}
	yMid := float64(plotTop+plotBottom) / 2
	w(`<text x="22" y="%.1f" text-anchor="middle" transform="rotate(-90 22 %.1f)">%s</text>`+"\n", yMid, yMid,
		esc("median time to solve (log scale)"))

	// Deadlines.
	for _, d := range []struct {
		t     time.Duration
		label string
		dash  string
	}{{softDeadline, "soft deadline 1 s", "2,3"}, {hardDeadline, "hard deadline 10 s", "8,4"}} {
		yy := y(d.t.Seconds())
		w(`<g class="deadline" data-seconds="%g">`+"\n", d.t.Seconds())
		for _, p := range panels {
			w(`<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="%s" stroke-width="1.5" stroke-dasharray="%s"/>`+"\n",
				p.x0, yy, p.x1, yy, deadlineColour, d.dash)
		}
		// Labelled at the left end of the last panel, where the lines of
		// the smallest instances are usually far below.
		last := panels[len(panels)-1]
		w(`<text x="%.1f" y="%.1f" fill="%s">%s</text>`+"\n", last.x0+5, yy-5, deadlineColour, esc(d.label))
		w("</g>\n")
	}

	// One group per available backend: a polyline per panel and markers.
	var legend, missing []string
	styles := map[string]struct{ colour, marker string }{}
	for j, name := range tab.backends {
		if !tab.available(j) {
			missing = append(missing, name)
			continue
		}
		st, ok := backendStyle[name]
		if !ok {
			st.colour, st.marker = spareColours[len(styles)%len(spareColours)], "circle"
		}
		styles[name] = st
		legend = append(legend, name)
		w(`<g class="backend" data-backend="%s" stroke="%s" fill="%s">`+"\n", esc(name), st.colour, st.colour)
		for _, p := range panels {
			var pts []string
			for _, i := range p.rows {
				r := tab.cells[i][j]
				if plotted(r) {
					pts = append(pts, fmt.Sprintf("%.1f,%.1f", p.x(tab.rows[i].k), y(time.Duration(r.ElapsedNS).Seconds())))
				}
			}
			w(`<polyline class="series" data-backend="%s" data-algorithm="%s" points="%s" fill="none" stroke-width="2"/>`+"\n",
				esc(name), esc(p.alg.String()), strings.Join(pts, " "))
			for _, i := range p.rows {
				r := tab.cells[i][j]
				if !plotted(r) {
					continue
				}
				tip := fmt.Sprintf("%s, %s, %s: %s (%s)", name, p.alg, nCities(tab.rows[i].k), fmtDuration(time.Duration(r.ElapsedNS)), r.Status)
				marker(bw, st.marker, p.x(tab.rows[i].k), y(time.Duration(r.ElapsedNS).Seconds()), r.Status == "stopped", tip)
			}
		}
		w("</g>\n")
	}

	// Legend.
	ly := float64(plotTop + 6)
	w(`<g class="legend">` + "\n")
	w(`<text x="%d" y="%.1f" font-weight="bold">backend</text>`+"\n", legendLeft, ly)
	for _, name := range legend {
		ly += 22
		st := styles[name]
		w(`<g class="legend-entry" data-backend="%s" stroke="%s" fill="%s">`+"\n", esc(name), st.colour, st.colour)
		w(`<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke-width="2"/>`+"\n", legendLeft, ly-4, legendLeft+34, ly-4)
		marker(bw, st.marker, legendLeft+17, ly-4, false, name)
		w(`<text x="%d" y="%.1f" stroke="none" fill="#000000">%s</text>`+"\n", legendLeft+42, ly, esc(name))
		w("</g>\n")
	}
	ly += 34
	for _, d := range []struct{ label, dash string }{{"soft deadline 1 s", "2,3"}, {"hard deadline 10 s", "8,4"}} {
		w(`<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="%s" stroke-width="1.5" stroke-dasharray="%s"/>`+"\n",
			legendLeft, ly-4, legendLeft+34, ly-4, deadlineColour, d.dash)
		w(`<text x="%d" y="%.1f">%s</text>`+"\n", legendLeft+42, ly, esc(d.label))
		ly += 22
	}
	if anyStopped {
		w(`<g stroke="#333333">` + "\n")
		marker(bw, "circle", legendLeft+17, ly-4, true, "stopped by the timeout")
		w("</g>\n")
		w(`<text x="%d" y="%.1f">%s</text>`+"\n", legendLeft+42, ly, esc("stopped by timeout"))
		ly += 22
	}
	if len(missing) > 0 {
		ly += 12
		w(`<text x="%d" y="%.1f" fill="#777777">not available here:</text>`+"\n", legendLeft, ly)
		for _, name := range missing {
			ly += 18
			w(`<text x="%d" y="%.1f" fill="#777777">%s</text>`+"\n", legendLeft+10, ly, esc(name))
		}
	}
	w("</g>\n</svg>\n")
	return bw.Flush()
}

// marker draws one data marker; hollow ones are filled white.
func marker(w io.Writer, shape string, x, y float64, hollow bool, tip string) {
	fill := ""
	if hollow {
		fill = ` fill="#ffffff"`
	}
	r := markerRadius
	title := "<title>" + esc(tip) + "</title>"
	switch shape {
	case "square":
		fmt.Fprintf(w, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" stroke-width="1.5"%s>%s</rect>`+"\n", x-r, y-r, 2*r, 2*r, fill, title)
	case "diamond":
		r *= 1.3
		fmt.Fprintf(w, `<polygon points="%.1f,%.1f %.1f,%.1f %.1f,%.1f %.1f,%.1f" stroke-width="1.5"%s>%s</polygon>`+"\n",
			x, y-r, x+r, y, x, y+r, x-r, y, fill, title)
	case "triangle", "down":
		r *= 1.25
		s := 1.0
		if shape == "down" {
			s = -1
		}
		fmt.Fprintf(w, `<polygon points="%.1f,%.1f %.1f,%.1f %.1f,%.1f" stroke-width="1.5"%s>%s</polygon>`+"\n",
			x, y-s*r, x+r, y+s*r*0.8, x-r, y+s*r*0.8, fill, title)
	default:
		fmt.Fprintf(w, `<circle cx="%.1f" cy="%.1f" r="%.1f" stroke-width="1.5"%s>%s</circle>`+"\n", x, y, r, fill, title)
	}
}

func containsString(ss []string, s string) bool {
	for _, t := range ss {
		if t == s {
			return true
		}
	}
	return false
}

func minMax(ks []int) (lo, hi int) {
	lo, hi = ks[0], ks[0]
	for _, k := range ks {
		lo, hi = min(lo, k), max(hi, k)
	}
	return lo, hi
}
