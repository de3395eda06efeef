package server_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/ffi4go/tsp/examples/jumper/server"
)

// bigCard is what the page shows of a big result.
type bigCard struct {
	State   string `json:"state"`
	Status  string `json:"status"`
	Via     string `json:"via"`
	Cities  string `json:"cities"`
	Stops   int    `json:"stops"`
	More    string `json:"more"`
	Canvas  bool   `json:"canvas"`
	Legs    int    `json:"legs"`
	Drawn   int    `json:"drawn"`
	SVGDots int    `json:"svgDots"`
	Lazy    bool   `json:"lazy"`
	Error   string `json:"error"`
	Tour    int    `json:"tour"`
}

const bigCardJS = `(() => {
  const c = document.querySelector('#results article.result[data-seq="%d"]');
  if (!c) return null;
  const q = (s) => c.querySelector(s);
  const txt = (s) => (q(s) ? q(s).textContent.trim() : "");
  const cv = q("canvas.canvas-map");
  return {
    state: c.dataset.state, status: txt("header .status"), via: txt("dd.via"),
    cities: [...c.querySelectorAll("dl.metrics > div")].filter((d) => d.querySelector("dt").textContent === "Cities").map((d) => d.querySelector("dd").textContent)[0] || "",
    stops: c.querySelectorAll("ol.tour li.stop").length, more: txt("ol.tour li.more"),
    canvas: !!cv, legs: cv ? Number(cv.dataset.legs) : 0, drawn: cv ? Number(cv.dataset.cities) : 0,
    svgDots: c.querySelectorAll("svg circle.stop").length,
    lazy: q("a.export-json") ? q("a.export-json").getAttribute("href") === "#" : false,
    error: txt(".error-message"), tour: c.result ? c.result.tour.length : 0,
  };
})()`

// TestBrowserBig makes 100,000 random cities on the page (issue 21), solves
// them with nearest from their coordinates, checks the card (the list cut
// short, the route on a canvas, the exports made on demand) and that a
// redraw of the map is fast, then compares two backends on them: nearest
// runs on each, exact is skipped with the matrix's limit.
func TestBrowserBig(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: 100,000 cities in the browser")
	}
	ctx := browser(t)
	bs := available(allBackends())
	var names []string
	for _, b := range bs {
		if b.Name == "go" || b.Name == "cgo-c" || b.Name == "wasm-c" {
			names = append(names, b.Name)
		}
	}
	ts, counter := startCounted(t, server.Config{Backends: bs, MaxPointsCities: bigPoints})
	open(t, ctx, ts.URL+"/")
	const n = bigPoints

	// Over the limit: refused on the page.
	do(t, ctx, chromedp.Click(chromedp.CSS(`#random summary`)), chromedp.WaitVisible(chromedp.CSS(`#random-n`)),
		chromedp.SetValue(chromedp.CSS(`#random-n`), fmt.Sprint(n+1)), chromedp.Click(chromedp.CSS(`#random-run`)),
		chromedp.WaitVisible(chromedp.CSS(`#random-error:not([hidden])`)))
	if e := evalJS[string](t, ctx, `document.querySelector('#random-error').textContent`); !strings.Contains(e, "from 1 to 100,000") {
		t.Errorf("%d cities: %q", n+1, e)
	}
	t0 := time.Now()
	do(t, ctx, chromedp.SetValue(chromedp.CSS(`#random-n`), fmt.Sprint(n)), chromedp.Click(chromedp.CSS(`#random-run`)),
		chromedp.WaitVisible(chromedp.CSS(`#random-msg:not([hidden])`)))
	t.Logf("making %d cities and listing them: %v", n, time.Since(t0))
	if got := evalJS[string](t, ctx, `document.querySelector('#count').textContent`); got != "100,000 of 100,030 selected" {
		t.Errorf("count %q", got)
	}
	if got := evalJS[[]int](t, ctx, `[document.querySelectorAll('#city-list li').length, document.querySelectorAll('#start option').length]`); !slices.Equal(got, []int{301, 1000}) {
		t.Errorf("city list items and start options %v, want 301 (300 and a line for the rest) and 1000", got)
	}
	// Exact needs the matrix: its button says why; nearest is enabled.
	if title := evalJS[string](t, ctx, `document.querySelector('button.run[data-backend="go"][data-algorithm="exact"]').title`); !strings.Contains(title, "at most 250 cities") {
		t.Errorf("exact's button: %q", title)
	}

	t0 = time.Now()
	runCard(t, ctx, "go", "nearest", 1)
	t.Logf("nearest on %d cities, request to map: %v", n, time.Since(t0))
	c := evalJS[bigCard](t, ctx, fmt.Sprintf(bigCardJS, 1))
	if c.State != "done" || c.Status != "heuristic" || c.Via != "coordinates" || c.Cities != "100,000" || c.Tour != n {
		t.Fatalf("card %+v", c)
	}
	if c.Stops != 300 || !strings.Contains(c.More, "99,700 more stops") || !c.Canvas || c.Drawn != n || c.Legs < n-10 || c.SVGDots != 0 || !c.Lazy {
		t.Errorf("card %+v: want 300 stops listed, the route on a canvas, no SVG dots, exports made on demand", c)
	}
	ms := evalJS[float64](t, ctx, `(() => { const c = document.querySelector('#results .result[data-seq="1"]');
	  const t0 = performance.now(); drawRouteCanvas(c.result.tour, 800, false); return performance.now() - t0; })()`)
	t.Logf("drawing the route of %d cities again: %.0f ms", n, ms)
	if ms > 2000 {
		t.Errorf("drawing %d cities took %.0f ms, want well under 2 s", n, ms)
	}
	// The JSON export, made when clicked: every stop.
	href := evalJS[string](t, ctx, `(() => { const a = document.querySelector('#results .result[data-seq="1"] a.export-json');
	  a.addEventListener("click", (e) => e.preventDefault()); a.click(); return a.href; })()`)
	if !strings.HasPrefix(href, "blob:") {
		t.Errorf("export link after the click: %.60q, want a blob: URL", href)
	}

	// Compare: nearest on each chosen backend, exact skipped.
	js := fmt.Sprintf(`(() => {
	  document.querySelectorAll('#cmp-backends input').forEach((x) => { x.checked = %q.split(",").includes(x.value); x.dispatchEvent(new Event("change")); });
	  document.querySelectorAll('#cmp-algorithms input').forEach((x) => { x.checked = x.value === "nearest" || x.value === "exact"; x.dispatchEvent(new Event("change")); });
	  return true; })()`, strings.Join(names, ","))
	evalJS[bool](t, ctx, js)
	t0 = time.Now()
	do(t, ctx, chromedp.SetValue(chromedp.CSS(`#cmp-k`), "1"), chromedp.Click(chromedp.CSS(`#cmp-run`)),
		chromedp.WaitVisible(chromedp.CSS(`#compare[data-state="done"]`)))
	t.Logf("compare %v, nearest on %d cities: %v", names, n, time.Since(t0))
	rows := evalJS[[]string](t, ctx, `[...document.querySelectorAll('#cmp-table tbody tr')].map((r) => r.dataset.algorithm + " " + r.dataset.backend + " " + (r.dataset.lengthKm || r.textContent))`)
	if len(rows) != len(names) {
		t.Fatalf("compare rows %q, want nearest on %v", rows, names)
	}
	for _, r := range rows {
		if f := strings.Fields(r); len(f) != 3 || f[0] != "nearest" || f[2] != strings.Fields(rows[0])[2] {
			t.Errorf("compare row %q: want nearest and the same length as %q", r, rows[0])
		}
	}
	hints := evalJS[string](t, ctx, `[...document.querySelectorAll('#cmp-result p.hint')].map((p) => p.textContent).join(" | ")`)
	if !strings.Contains(hints, "Skipped: exact (at most 250 cities)") || !strings.Contains(hints, "Solved from the coordinates, without a distance matrix: nearest") {
		t.Errorf("compare hints %q", hints)
	}
	do(t, ctx, chromedp.Click(chromedp.CSS(`#cmp-table tr[data-algorithm="nearest"] button.show`)),
		chromedp.WaitVisible(chromedp.CSS(`#results .result.open canvas.canvas-map`)))
	screenshot(t, ctx, "jumper-big.png")
	if maxAtOnce, _, _ := counter.get(); maxAtOnce != 1 {
		t.Errorf("up to %d solve requests at once, want 1", maxAtOnce)
	}
	noLeaks(t, ctx)
}
