package server_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/ffi4go/tsp"
	"github.com/ffi4go/tsp/examples/handler/tsphttp"
	"github.com/ffi4go/tsp/examples/jumper/server"
)

// routeCard is what a result card of cities shows about its route.
type routeCard struct {
	cardInfo
	End       string   `json:"end"`       // the card's data-end: "start" or the end city's name
	Summary   string   `json:"summary"`   // the folded card's line about the end
	Route     string   `json:"route"`     // the "Route" metric
	EndMarks  int      `json:"endMarks"`  // end markers on the map
	EndTitle  string   `json:"endTitle"`  // the end marker's tooltip
	EndBadges []string `json:"endBadges"` // the list's stops badged "end"
	MapLabel  string   `json:"mapLabel"`
}

const routeJS = `(() => {
  const c = document.querySelector('#results article.result[data-seq="%d"]');
  const q = (s) => c.querySelector(s);
  const txt = (s) => (q(s) ? q(s).textContent.trim() : "");
  return {
    end: c.dataset.end || "", summary: txt("header .sum-end"), route: txt("dd.route-end"),
    endMarks: c.querySelectorAll("svg circle.end[data-i]").length,
    endTitle: q("svg circle.end[data-i] title") ? q("svg circle.end[data-i] title").textContent : "",
    endBadges: [...c.querySelectorAll("ol.tour li.stop")].filter((li) => li.querySelector(".badge.end")).map((li) => li.querySelector(".nm").textContent),
    mapLabel: q("svg.route-map") ? q("svg.route-map").getAttribute("aria-label") : "",
  };
})()`

func readRoute(t *testing.T, ctx context.Context, seq int) routeCard {
	t.Helper()
	r := evalJS[routeCard](t, ctx, fmt.Sprintf(routeJS, seq))
	r.cardInfo = evalJS[cardInfo](t, ctx, fmt.Sprintf(cardJS, seq))
	return r
}

// pickEnd chooses the end city by the start of its name in the picker,
// as a person does (a change event).
func pickEnd(t *testing.T, ctx context.Context, prefix string) {
	t.Helper()
	ok := evalJS[bool](t, ctx, `(() => {
  const s = document.querySelector('#end-city');
  const o = [...s.options].find((o) => o.text.startsWith(`+fmt.Sprintf("%q", prefix)+`));
  if (!o) return false;
  s.value = o.value;
  s.dispatchEvent(new Event("change"));
  return true;
})()`)
	if !ok {
		t.Fatalf("no %q in the end picker", prefix)
	}
}

// TestBrowserRoutes: the demo of issue 16 on the page. The 11 seed cities
// as a round trip, ending anywhere and ending at berlin: each route is the
// library's, the map draws a path without the closing leg and marks its
// end, the list has no leg back, and the lengths have no closing leg. Then
// a cost matrix pasted and solved: a table of legs with their costs.
func TestBrowserRoutes(t *testing.T) {
	ctx := browser(t)
	// The body limit of the matrix path alone (2,000 cities at 128 bytes),
	// so that a pasted matrix can exceed it (below).
	ts, _ := start(t, server.Config{Backends: allBackends(), MaxBody: tsphttp.BytesPerCity * server.DefaultMaxCities})
	open(t, ctx, ts.URL+"/")

	demo := tsp.Demo11()
	m, err := tsp.HaversineMatrix(demo)
	if err != nil {
		t.Fatal(err)
	}
	solve := func(end tsp.End) tsp.Tour {
		t.Helper()
		tour, err := tsp.Go().Solve(context.Background(), m, tsp.Options{Algorithm: tsp.Exact, End: end})
		if err != nil {
			t.Fatal(err)
		}
		return tour
	}
	const berlin = 10
	if !strings.HasPrefix(demo[berlin].Name, "berlin") {
		t.Fatalf("city %d is %q", berlin, demo[berlin].Name)
	}

	// The choices: return to start by default; the picker has every ticked city but the start.
	if !evalJS[bool](t, ctx, `document.querySelector('#end-start').checked`) {
		t.Error("return to start is not the default")
	}
	if opts := evalJS[[]string](t, ctx, `[...document.querySelectorAll('#end-city option')].map((o) => o.text)`); len(opts) != 10 || opts[0] != demo[1].Name {
		t.Errorf("the end picker offers %q", opts)
	}

	// A round trip: the leg home, 11 legs, no end marker.
	c := runCard(t, ctx, "go", "exact", 1)
	r := readRoute(t, ctx, 1)
	want := solve(tsp.ReturnToStart)
	if c.State != "done" || c.Length != kmText(want.Length) || c.Legs != 11 || c.Circles != 10 || c.Home != "back to "+demo[0].Name ||
		r.End != "start" || r.EndMarks != 0 || len(r.EndBadges) != 0 || r.Route != "back to start" {
		t.Errorf("round trip: %+v", r)
	}

	// Ending anywhere: a path of 10 legs, its end marked, no leg home.
	do(t, ctx, chromedp.Click(chromedp.CSS(`#end-any`)))
	c = runCard(t, ctx, "go", "exact", 2)
	r = readRoute(t, ctx, 2)
	want = solve(tsp.EndAnywhere)
	last := demo[want.Order[len(want.Order)-1]].Name
	if c.State != "done" || c.Status != "optimal" || c.Length != kmText(want.Length) || c.Legs != 10 || c.Circles != 9 || c.Home != "" ||
		r.End != last || r.EndMarks != 1 || !strings.Contains(r.EndTitle, last) || len(r.EndBadges) != 1 || r.EndBadges[0] != last ||
		c.Stops[len(c.Stops)-1] != last || r.Route != "ends at "+last || !strings.Contains(r.MapLabel, "ending at "+last) {
		t.Errorf("ending anywhere (want %s, %s km): %+v", last, kmText(want.Length), r)
	}
	if want.Length >= solve(tsp.ReturnToStart).Length {
		t.Errorf("the path (%v) is not shorter than the round trip", want.Length)
	}

	// Ending at berlin: chosen in the picker, which ticks "end at".
	pickEnd(t, ctx, "berlin")
	if !evalJS[bool](t, ctx, `document.querySelector('#end-city-on').checked`) {
		t.Error("picking berlin did not choose end at")
	}
	c = runCard(t, ctx, "go", "exact", 3)
	r = readRoute(t, ctx, 3)
	want = solve(tsp.EndAt(berlin))
	if c.State != "done" || c.Status != "optimal" || c.Length != kmText(want.Length) || c.Legs != 10 || c.Home != "" ||
		c.Stops[len(c.Stops)-1] != demo[berlin].Name || c.Stops[0] != demo[0].Name || r.End != demo[berlin].Name ||
		r.EndMarks != 1 || !strings.Contains(r.EndTitle, "berlin") || r.Route != "ends at "+demo[berlin].Name {
		t.Errorf("ending at berlin (%s km): %+v", kmText(want.Length), r)
	}
	// The folded path's summary still says where it ends.
	if r := readRoute(t, ctx, 2); r.Open || r.Summary != "ends at "+last {
		t.Errorf("the folded path card: open %v, summary %q", r.Open, r.Summary)
	}
	// The list has a leg a stop but the start, and none home.
	if n := evalJS[int](t, ctx, `document.querySelectorAll('#results article.result[data-seq="3"] ol.tour .leg').length`); n != 10 {
		t.Errorf("%d legs listed for the path to berlin, want 10", n)
	}
	noLeaks(t, ctx)
	noSidewaysScroll(t, ctx, "routes")
	screenshot(t, ctx, "jumper-routes.png")

	// A comparison sends the end too: its caption says so, and its best
	// length is the path's.
	do(t, ctx, chromedp.Click(chromedp.CSS(`#end-any`)))
	if got := evalJS[string](t, ctx, `(() => { const p = document.querySelector('#end-field input:checked'); return p ? p.value : ""; })()`); got != "any" {
		t.Errorf("end mode %q after clicking end anywhere", got)
	}
	step, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	if err := chromedp.Do(step,
		chromedp.SetValue(chromedp.CSS(`#cmp-k`), "1"),
		chromedp.Click(chromedp.CSS(`#cmp-run`)),
		chromedp.WaitVisible(chromedp.CSS(`#compare[data-state="done"]`)),
	); err != nil {
		t.Fatal(err)
	}
	caption := evalJS[string](t, ctx, `document.querySelector('.cmp-caption').textContent`)
	best := evalJS[string](t, ctx, `document.querySelector('.best-known').textContent`)
	if !strings.Contains(caption, "from "+demo[0].Name+" ending anywhere") || best != kmText(solve(tsp.EndAnywhere).Length) {
		t.Errorf("the comparison's caption %q, best %q", caption, best)
	}

	costsBrowser(t, ctx, evalJS[int](t, ctx, `state.seq`)+1) // the next card (the comparison took a number)
}

// costsBrowser: the cost matrix form, from card number seq on.
func costsBrowser(t *testing.T, ctx context.Context, seq int) {
	t.Helper()
	body := `{"names":["depot","bakery","school","market","clinic"],"matrix":[[0,7,9,8,3],[6,0,4,5,9],[8,5,0,2,7],[4,9,3,0,6],[2,8,6,5,0]]}`
	var cm tsp.CostMatrix
	if err := cm.UnmarshalJSON([]byte(body)); err != nil {
		t.Fatal(err)
	}
	do(t, ctx, chromedp.Click(chromedp.CSS(`#costs-example`)))
	if got := evalJS[[]string](t, ctx, `[...document.querySelectorAll('#costs-end option')].map((o) => o.text)`); strings.Join(got, "|") != "return to start|end anywhere|end at bakery|end at school|end at market|end at clinic" {
		t.Errorf("the matrix's end choices: %q", got)
	}
	type legsCard struct {
		State  string     `json:"state"`
		Length string     `json:"length"`
		Route  string     `json:"route"`
		Rows   [][]string `json:"rows"`
		Maps   int        `json:"maps"`
		Error  string     `json:"error"`
	}
	run := func(end string, seq int) legsCard {
		t.Helper()
		evalJS[bool](t, ctx, `(() => { const s = document.querySelector('#costs-end'); s.value = `+fmt.Sprintf("%q", end)+`; return true; })()`)
		step, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		if err := chromedp.Do(step, chromedp.Click(chromedp.CSS(`#costs-run`)),
			chromedp.WaitVisible(chromedp.CSS(fmt.Sprintf(`#results article.result[data-seq="%d"]:not([data-state="pending"])`, seq)))); err != nil {
			t.Fatal(err)
		}
		return evalJS[legsCard](t, ctx, fmt.Sprintf(`(() => {
  const c = document.querySelector('#results article.result[data-seq="%d"]');
  const txt = (s) => (c.querySelector(s) ? c.querySelector(s).textContent.trim() : "");
  return { state: c.dataset.state, length: txt("dd.length"), route: txt(".matrix-route"), error: txt(".error-message"),
    rows: [...c.querySelectorAll("table.legs-table tbody tr")].map((tr) => [...tr.cells].map((td) => td.textContent)),
    maps: c.querySelectorAll("svg").length };
})()`, seq))
	}
	for _, tc := range []struct {
		end  string
		want tsp.End
	}{{"start", tsp.ReturnToStart}, {"any", tsp.EndAnywhere}, {"4", tsp.EndAt(4)}} {
		got := run(tc.end, seq)
		want, err := tsp.Go().Solve(context.Background(), cm.Matrix, tsp.Options{Algorithm: tsp.Exact, End: tc.want})
		if err != nil {
			t.Fatal(err)
		}
		legs := len(want.Order) - 1
		if tc.want.Closed() {
			legs++
		}
		if got.State != "done" || got.Length != fmt.Sprint(want.Length) || len(got.Rows) != legs || got.Maps != 0 {
			t.Errorf("end %s: %+v, want length %v in %d legs", tc.end, got, want.Length, legs)
			seq++
			continue
		}
		total := 0.0
		for k, row := range got.Rows {
			from, to := want.Order[k], want.Order[(k+1)%len(want.Order)]
			total += cm.Matrix.At(from, to)
			if row[1] != cm.Names[from] || !strings.HasPrefix(row[2], cm.Names[to]) || row[3] != fmt.Sprint(cm.Matrix.At(from, to)) || row[4] != fmt.Sprint(total) {
				t.Errorf("end %s: leg %d %q, want %s → %s %v (total %v)", tc.end, k, row, cm.Names[from], cm.Names[to], cm.Matrix.At(from, to), total)
			}
		}
		if e, ok := tc.want.City(); ok && !strings.HasSuffix(got.Route, "→ "+cm.Names[e]) {
			t.Errorf("end %s: route %q", tc.end, got.Route)
		}
		seq++
	}
	noLeaks(t, ctx)
	screenshot(t, ctx, "jumper-matrix.png")

	// A file: its places become the start and end choices.
	path := filepath.Join(t.TempDir(), "table.json")
	if err := os.WriteFile(path, []byte(`{"names":["north","south","east"],"matrix":[[0,5,6],[4,0,3],[7,2,0]]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	// (emptied first, so that the wait below is for the file's places)
	evalJS[bool](t, ctx, `(() => { const x = document.querySelector('#costs-text'); x.value = ""; x.dispatchEvent(new Event("input")); return true; })()`)
	if n := evalJS[int](t, ctx, `document.querySelectorAll('#costs-start option').length`); n != 1 {
		t.Errorf("%d start choices without a matrix, want the placeholder", n)
	}
	do(t, ctx, chromedp.SetUploadFiles(chromedp.CSS(`#costs-file`), []string{path}),
		chromedp.WaitReady(chromedp.CSS(`#costs-start option[value="2"]`)))
	if got := evalJS[[]string](t, ctx, `[...document.querySelectorAll('#costs-start option')].map((o) => o.text)`); strings.Join(got, "|") != "north|south|east" {
		t.Errorf("start choices after the upload: %q", got)
	}

	// Errors: a ragged matrix is refused on the page; a negative cost by the server, in the card.
	do(t, ctx, chromedp.SetValue(chromedp.CSS(`#costs-text`), `{"matrix":[[0,1],[1]]}`), chromedp.Click(chromedp.CSS(`#costs-run`)),
		chromedp.WaitVisible(chromedp.CSS(`#costs-error`)))
	if msg := evalJS[string](t, ctx, `document.querySelector('#costs-error').textContent`); !strings.Contains(msg, "Row 2 is not a list of 2 costs") {
		t.Errorf("ragged matrix: %q", msg)
	}
	// A matrix over the server's body limit (200 places of costs like 1234.5) is refused on the page.
	evalJS[bool](t, ctx, `(() => {
  const n = 200, m = [];
  for (let i = 0; i < n; i++) { m.push([]); for (let j = 0; j < n; j++) m[i].push(i === j ? 0 : 1234.5); }
  document.querySelector('#costs-text').value = JSON.stringify({ matrix: m });
  document.querySelector('#costs-run').click();
  return true;
})()`)
	if msg := evalJS[string](t, ctx, `document.querySelector('#costs-error').textContent`); !strings.Contains(msg, "this server takes at most 256,000 (its -max-body)") {
		t.Errorf("a matrix over the body limit: %q", msg)
	}
	do(t, ctx, chromedp.SetValue(chromedp.CSS(`#costs-text`), `{"matrix":[[0,-1],[1,0]]}`))
	evalJS[bool](t, ctx, `(() => { document.querySelector('#costs-text').dispatchEvent(new Event("input")); document.querySelector('#costs-end').value = "start"; return true; })()`)
	got := run("start", seq)
	if got.State != "error" || !strings.Contains(got.Error, "row 0, column 1: -1, want a cost ≥ 0") {
		t.Errorf("negative cost: %+v", got)
	}
}
