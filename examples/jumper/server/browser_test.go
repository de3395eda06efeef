package server_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"maps"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/ffi4go/tsp"
	"github.com/ffi4go/tsp/backends"
	"github.com/ffi4go/tsp/examples/jumper/server"
	"github.com/ffi4go/tsp/tsplib"
)

// chromium finds a Chromium binary: $TSP_CHROMIUM, else Debian's chromium
// and its usual other names. Without one the browser tests skip, unless
// CI=true, where a missing browser is a failure.
func chromium(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("TSP_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome", "headless-shell"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("chromium not found and CI=true: install it with `apt-get install -y chromium chromium-driver` (or set TSP_CHROMIUM)")
	}
	t.Skip("chromium not found (apt-get install -y chromium); the browser test is skipped outside CI")
	return ""
}

// browser starts a headless Chromium with a fresh profile and the flags
// that keep it off the (closed) network, and returns a tab's context.
func browser(t *testing.T) context.Context {
	t.Helper()
	exe := chromium(t)
	profile := t.TempDir() // removed after the browser is gone: cleanups run last-in first-out
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(exe),
		chromedp.UserDataDir(profile),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("no-default-browser-check", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.Flag("mute-audio", true),
		chromedp.WindowSize(1600, 1000),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelTab := chromedp.NewContext(actx, chromedp.WithErrorf(t.Logf))
	ctx, cancelTime := context.WithTimeout(ctx, 3*time.Minute) // a hang fails instead of blocking the suite
	t.Cleanup(func() {
		cancelTime()
		cancelTab()
		cancelAlloc() // waits for the browser process to exit
	})
	if err := chromedp.Do(ctx); err != nil { // starts the browser
		t.Fatalf("starting %s: %v", exe, err)
	}
	return ctx
}

// cardInfo is what the page shows in one result card.
type cardInfo struct {
	State     string   `json:"state"`
	Backend   string   `json:"backend"`
	Alg       string   `json:"alg"`
	Status    string   `json:"status"`
	Length    string   `json:"length"`
	BackendMs string   `json:"backendMs"`
	Total     string   `json:"totalMs"`
	Stops     []string `json:"stops"`
	Home      string   `json:"home"`
	Open      bool     `json:"open"`
	Legs      int      `json:"legs"`
	Circles   int      `json:"circles"`
	Start     bool     `json:"start"`
	Land      bool     `json:"land"`
	Error     string   `json:"error"`
	Note      string   `json:"note"`
}

const cardJS = `(() => {
  const c = document.querySelector('#results article.result[data-seq="%d"]');
  if (!c) return null;
  const q = (s) => c.querySelector(s);
  const txt = (s) => (q(s) ? q(s).textContent.trim() : "");
  const route = q("svg path.route");
  return {
    state: c.dataset.state, backend: txt(".title .backend"), alg: txt(".title .alg"),
    status: txt("header .status"), length: txt("dd.length"), backendMs: txt("dd.backend-ms"),
    totalMs: txt("dd.total-ms"),
    stops: [...c.querySelectorAll("ol.tour li.stop .nm")].map((e) => e.textContent),
    home: txt(".tour-box > .home .nm"), open: c.classList.contains("open"),
    legs: route ? Number(route.dataset.legs) : 0,
    circles: c.querySelectorAll("svg circle.stop").length,
    start: !!q("svg circle.start"), land: !!q("svg path.land"),
    error: txt(".error-message"), note: txt(".note"),
  };
})()`

// runCard clicks a run button and waits for result card number seq to
// leave the pending state, then reads it.
func runCard(t *testing.T, ctx context.Context, backend, alg string, seq int) cardInfo {
	t.Helper()
	sel := fmt.Sprintf(`button.run[data-backend=%q][data-algorithm=%q]`, backend, alg)
	done := fmt.Sprintf(`#results article.result[data-seq="%d"]:not([data-state="pending"])`, seq)
	step, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(step,
		chromedp.Click(chromedp.CSS(sel)),
		chromedp.WaitVisible(chromedp.CSS(done)),
	); err != nil {
		t.Fatalf("%s %s: %v", backend, alg, err)
	}
	return evalJS[cardInfo](t, ctx, fmt.Sprintf(cardJS, seq))
}

func evalJS[T any](t *testing.T, ctx context.Context, js string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js))
	if err != nil {
		t.Fatalf("%s: %v", js, err)
	}
	return v
}

// kmText formats km like the page: en-US grouping, one decimal.
func kmText(v float64) string {
	s := fmt.Sprintf("%.1f", v)
	intPart, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	for i, r := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return b.String() + "." + frac + " km"
}

// TestBrowser drives the page in headless Chromium: it ticks cities, adds
// one, runs every available backend and checks the length, the city list
// and the SVG route of each result, then saves a screenshot to
// $TSP_SCREENSHOT (default: the test's temporary directory).
func TestBrowser(t *testing.T) {
	ctx := browser(t)
	bs := allBackends()
	ts, _ := start(t, server.Config{Backends: bs})

	// What the page should offer, from the API.
	_, body := get(t, ts.URL+"/api/backends")
	var info server.BackendsResponse
	decodeStrict(t, body, &info)

	if err := chromedp.Do(ctx,
		chromedp.Navigate(ts.URL+"/"),
		chromedp.WaitVisible(chromedp.CSS(`body[data-ready="true"]`)),
	); err != nil {
		t.Fatal(err)
	}
	if n := evalJS[int](t, ctx, `document.querySelectorAll('#city-list input[type=checkbox]:checked').length`); n != 11 {
		t.Errorf("%d cities ticked at first, want demo11", n)
	}
	if n := evalJS[int](t, ctx, `document.querySelectorAll('#city-list input[type=checkbox]').length`); n != 30 {
		t.Errorf("%d cities listed, want demo30", n)
	}

	// Every backend has its row; unavailable ones have disabled buttons and say why.
	for _, b := range info.Backends {
		row := fmt.Sprintf(`#backends tr[data-backend=%q]`, b.Name)
		disabled := evalJS[[]bool](t, ctx, `[...document.querySelectorAll('`+row+` button.run')].map((b) => b.disabled)`)
		if len(disabled) != len(info.Algorithms) {
			t.Fatalf("%s: %d buttons, want %d", b.Name, len(disabled), len(info.Algorithms))
		}
		for _, d := range disabled {
			if d == b.Available {
				t.Errorf("%s (available %v): a button has disabled=%v", b.Name, b.Available, d)
			}
		}
		if !b.Available {
			reason := evalJS[string](t, ctx, `(document.querySelector('`+row+` .reason') || {}).textContent || ""`)
			if reason != b.Error {
				t.Errorf("%s: the page gives the reason %q, want %q", b.Name, reason, b.Error)
			}
		}
	}

	// Select none: nothing can run. Then tick demo11 plus London and Paris.
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#select-none`))); err != nil {
		t.Fatal(err)
	}
	if n := evalJS[int](t, ctx, `[...document.querySelectorAll('button.run')].filter((b) => !b.disabled).length`); n != 0 {
		t.Errorf("%d run buttons enabled with no city ticked", n)
	}
	demo := tsp.Demo30()
	picked := []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 22, 26}
	var cities []tsp.City
	for _, i := range picked {
		cities = append(cities, demo[i])
		if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(fmt.Sprintf(`#city-list input[data-index="%d"]`, i)))); err != nil {
			t.Fatal(err)
		}
	}

	// Adding a city: a bad latitude is refused with a message, a good one is added and ticked.
	if err := chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.CSS(`#new-name`), "lisbon, portugal"),
		chromedp.SendKeys(chromedp.CSS(`#new-lat`), "138.72"),
		chromedp.SendKeys(chromedp.CSS(`#new-lon`), "-9.14"),
		chromedp.Click(chromedp.CSS(`#add-city button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`#add-error`)),
	); err != nil {
		t.Fatal(err)
	}
	addErr := evalJS[string](t, ctx, `document.querySelector('#add-error').textContent`)
	if err := chromedp.Do(ctx,
		chromedp.SetValue(chromedp.CSS(`#new-lat`), "38.72"),
		chromedp.Click(chromedp.CSS(`#add-city button[type=submit]`)),
		chromedp.WaitNotVisible(chromedp.CSS(`#add-error`)),
	); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(addErr, "Latitude") {
		t.Errorf("bad latitude message %q", addErr)
	}
	cities = append(cities, tsp.City{Name: "lisbon, portugal", Lat: 38.72, Lon: -9.14})
	count := evalJS[string](t, ctx, `document.querySelector('#count').textContent`)
	if want := fmt.Sprintf("%d of 31 selected", len(cities)); count != want {
		t.Errorf("count %q, want %q", count, want)
	}
	// exhaustive takes at most 13 cities: its buttons are now disabled.
	if n := evalJS[int](t, ctx, `[...document.querySelectorAll('button.run[data-algorithm="exhaustive"]')].filter((b) => !b.disabled).length`); n != 0 {
		t.Errorf("%d exhaustive buttons enabled with %d cities", n, len(cities))
	}

	m, err := tsp.HaversineMatrix(cities)
	if err != nil {
		t.Fatal(err)
	}
	opt, err := tsp.Go().Solve(context.Background(), m, tsp.Options{Algorithm: tsp.Exact})
	if err != nil {
		t.Fatal(err)
	}
	check := func(c cardInfo, backend, alg, status string) {
		t.Helper()
		if c.State != "done" || c.Backend != backend || c.Alg != alg || c.Status != status {
			t.Fatalf("card %+v, want %s %s %s", c, backend, alg, status)
		}
		if len(c.Stops) != len(cities) || c.Stops[0] != cities[0].Name {
			t.Errorf("%s: the list %q", backend, c.Stops)
		}
		seen := map[string]bool{}
		for _, s := range c.Stops {
			seen[s] = true
		}
		for _, city := range cities {
			if !seen[city.Name] {
				t.Errorf("%s: %q missing from the list", backend, city.Name)
			}
		}
		if c.Legs != len(cities) || c.Circles != len(cities)-1 || !c.Start || !c.Land || !c.Open {
			t.Errorf("%s: the route has %d legs, %d stops, start %v, land %v, open %v", backend, c.Legs, c.Circles, c.Start, c.Land, c.Open)
		}
		if want := "back to " + cities[0].Name; c.Home != want {
			t.Errorf("%s: the leg home says %q, want %q", backend, c.Home, want)
		}
		// One map on the page: the chosen (newest) card's; the others fold.
		if n := evalJS[int](t, ctx, `document.querySelectorAll('svg.route-map').length`); n != 1 {
			t.Errorf("%d maps on the page, want 1", n)
		}
		if n := evalJS[int](t, ctx, `document.querySelectorAll('#results .result.open').length`); n != 1 {
			t.Errorf("%d cards open, want only the chosen one", n)
		}
		if !strings.HasSuffix(c.BackendMs, "ms") && !strings.HasSuffix(c.BackendMs, " s") || c.Total == "" {
			t.Errorf("%s: times %q %q", backend, c.BackendMs, c.Total)
		}
	}
	seq := 0
	ran := 0
	for _, b := range info.Backends {
		if !b.Available {
			continue
		}
		seq++
		c := runCard(t, ctx, b.Name, "exact", seq)
		check(c, b.Name, "exact", "optimal")
		if want := kmText(opt.Length); c.Length != want {
			t.Errorf("%s: length %q, want %q", b.Name, c.Length, want)
		}
		ran++
	}
	if ran == 0 {
		t.Fatal("no backend available")
	}
	seq++
	c := runCard(t, ctx, "go", "nearest", seq)
	check(c, "go", "nearest", "heuristic")
	if n := evalJS[int](t, ctx, `document.querySelectorAll('#results article.result[data-state="done"]').length`); n != seq {
		t.Errorf("%d result cards, want %d side by side", n, seq)
	}
	noLeaks(t, ctx)
	screenshot(t, ctx, "jumper.png")

	seq++
	c = runCard(t, ctx, "go", "2opt", seq)
	check(c, "go", "2opt", "heuristic")
	// Clear removes every card and brings the empty-state message back.
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#clear`)), chromedp.WaitVisible(chromedp.CSS(`#empty`))); err != nil {
		t.Fatal(err)
	}
	if n := evalJS[int](t, ctx, `document.querySelectorAll('#results article.result').length`); n != 0 {
		t.Errorf("%d cards after Clear", n)
	}
}

// TestBrowserErrorsAndDeadline: a failing backend shows its error in the
// card, an unavailable one is disabled with its reason, and a search
// stopped at the deadline says so.
func TestBrowserErrorsAndDeadline(t *testing.T) {
	ctx := browser(t)
	ts, _ := start(t, server.Config{
		Backends: []backends.Backend{
			{Name: "go", Solver: tsp.Go()},
			{Name: "broken", Solver: failing{}},
			{Name: "off", Err: errOff},
		},
		Deadline: 50 * time.Millisecond,
	})
	if err := chromedp.Do(ctx,
		chromedp.Navigate(ts.URL+"/"),
		chromedp.WaitVisible(chromedp.CSS(`body[data-ready="true"]`)),
	); err != nil {
		t.Fatal(err)
	}
	reason := evalJS[string](t, ctx, `document.querySelector('#backends tr[data-backend="off"] .reason').textContent`)
	if reason != errOff.Error() {
		t.Errorf("reason %q", reason)
	}
	if n := evalJS[int](t, ctx, `[...document.querySelectorAll('#backends tr[data-backend="off"] button.run')].filter((b) => !b.disabled).length`); n != 0 {
		t.Errorf("%d buttons of an unavailable backend enabled", n)
	}

	c := runCard(t, ctx, "broken", "exact", 1)
	if c.State != "error" || !strings.Contains(c.Error, "backend broken failed") || c.Status != "error" {
		t.Errorf("failing backend: %+v", c)
	}

	// 13 cities: exhaustive runs past the 50 ms deadline.
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#select-none`))); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 13; i++ {
		if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(fmt.Sprintf(`#city-list input[data-index="%d"]`, i)))); err != nil {
			t.Fatal(err)
		}
	}
	c = runCard(t, ctx, "go", "exhaustive", 2)
	if c.State != "done" || c.Status != "stopped" || !strings.Contains(c.Note, "Stopped at the deadline") || len(c.Stops) != 13 {
		t.Errorf("stopped search: %+v", c)
	}
	noLeaks(t, ctx)
	screenshot(t, ctx, "jumper-errors.png")
}

// noLeaks fails when the page shows a JavaScript null, undefined or NaN.
func noLeaks(t *testing.T, ctx context.Context) {
	t.Helper()
	if bad := evalJS[string](t, ctx, `(document.body.innerText.match(/\b(null|undefined|NaN)\b/) || [""])[0]`); bad != "" {
		t.Errorf("the page shows %q", bad)
	}
}

// screenshot saves the full page as PNG: to $TSP_SCREENSHOT for the main
// shot (other shots beside it), else into the test's temporary directory.
func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), name)
	if p := os.Getenv("TSP_SCREENSHOT"); p != "" {
		path = p
		if name != "jumper.png" {
			path = filepath.Join(filepath.Dir(p), name)
		}
	}
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", path)
}

// solveCounter wraps the server and records every POST /api/solve: how many
// ran at once at most, how many in all, and their Content-Types.
type solveCounter struct {
	mu           sync.Mutex
	now, max, n  int
	contentTypes map[string]int
	busy         int           // answer this many solve requests 503 with Retry-After: 1 first
	delay        time.Duration // then hold each solve request this long
}

func (c *solveCounter) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/api/solve" {
			h.ServeHTTP(w, r)
			return
		}
		c.mu.Lock()
		c.now++
		c.n++
		c.max = max(c.max, c.now)
		if c.contentTypes == nil {
			c.contentTypes = map[string]int{}
		}
		c.contentTypes[r.Header.Get("Content-Type")]++
		busy := c.busy > 0
		if busy {
			c.busy--
		}
		delay := c.delay
		c.mu.Unlock()
		defer func() {
			c.mu.Lock()
			c.now--
			c.mu.Unlock()
		}()
		if busy {
			w.Header().Set("Retry-After", "1")
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusServiceUnavailable)
			io.WriteString(w, `{"error":"server busy"}`+"\n")
			return
		}
		time.Sleep(delay)
		h.ServeHTTP(w, r)
	})
}

func (c *solveCounter) get() (maxAtOnce, total int, types map[string]int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.max, c.n, maps.Clone(c.contentTypes)
}

// startCounted serves cfg behind a solveCounter.
func startCounted(t *testing.T, cfg server.Config) (*httptest.Server, *solveCounter) {
	t.Helper()
	if cfg.Logger == nil {
		cfg.Logger = discard
	}
	c := &solveCounter{}
	ts := httptest.NewServer(c.wrap(server.New(cfg)))
	t.Cleanup(ts.Close)
	return ts, c
}

func open(t *testing.T, ctx context.Context, url string) {
	t.Helper()
	if err := chromedp.Do(ctx,
		chromedp.Navigate(url),
		chromedp.WaitVisible(chromedp.CSS(`body[data-ready="true"]`)),
	); err != nil {
		t.Fatal(err)
	}
}

func do(t *testing.T, ctx context.Context, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	step, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	if err := chromedp.Do(step, actions...); err != nil {
		t.Fatal(err)
	}
}

// noSidewaysScroll fails when the page is wider than the window.
func noSidewaysScroll(t *testing.T, ctx context.Context, where string) {
	t.Helper()
	w := evalJS[[]int](t, ctx, `[document.documentElement.scrollWidth, window.innerWidth]`)
	if w[0] > w[1] {
		wide := evalJS[[]string](t, ctx, `[...document.querySelectorAll("body *")].filter((e) => e.getBoundingClientRect().right > innerWidth + 0.5 &&
		  ![...e.children].some((c) => c.getBoundingClientRect().right > innerWidth + 0.5)).slice(0, 8).map((e) =>
		  e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") + "." + [...e.classList].join(".") + " right " + Math.round(e.getBoundingClientRect().right))`)
		t.Errorf("%s: the page scrolls sideways: scrollWidth %d > innerWidth %d; too wide: %q", where, w[0], w[1], wide)
	}
}

// compareRow is one row of the comparison table.
type compareRow struct {
	Backend string  `json:"backend"`
	Alg     string  `json:"alg"`
	Median  float64 `json:"median"`
	Runs    int     `json:"runs"`
	Time    string  `json:"time"`
	Spread  string  `json:"spread"`
	Speedup string  `json:"speedup"`
	Length  string  `json:"length"`
	Gap     string  `json:"gap"`
	Status  string  `json:"status"`
	Term    string  `json:"term"`
	Tip     string  `json:"tip"`
	Error   bool    `json:"error"`
}

const compareRowsJS = `[...document.querySelectorAll('#cmp-table tbody tr')].map((r) => {
  const t = (s) => (r.querySelector(s) ? r.querySelector(s).textContent.trim() : "");
  const term = r.querySelector("abbr.term");
  return {backend: r.dataset.backend, alg: r.dataset.algorithm, median: Number(r.dataset.medianMs || 0),
    runs: Number(r.dataset.runs || 0), time: t(".time .median"), spread: t(".spread"), speedup: t(".speedup"),
    length: t(".length"), gap: t(".gap"), status: t(".status"), error: r.dataset.error === "true",
    term: term ? term.dataset.term : "", tip: term ? term.title : ""};
})`

// TestBrowserCompare runs the comparison view: every available backend ×
// every algorithm on demo11, three runs each, strictly one request at a
// time; then the live deadline table; then the map of one compared result,
// and the page at 420 px wide.
func TestBrowserCompare(t *testing.T) {
	ctx := browser(t)
	bs := allBackends()
	ts, counter := startCounted(t, server.Config{Backends: bs})
	var names []string
	for _, b := range available(bs) {
		names = append(names, b.Name)
	}
	if len(names) == 0 {
		t.Fatal("no backend available")
	}
	open(t, ctx, ts.URL+"/")

	// The form offers the available backends, all ticked, and every algorithm.
	offered := evalJS[[]string](t, ctx, `[...document.querySelectorAll('#cmp-backends input:checked')].map((x) => x.value)`)
	if !slices.Equal(offered, names) {
		t.Errorf("backends offered %q, want the available ones %q", offered, names)
	}
	algs := evalJS[[]string](t, ctx, `[...document.querySelectorAll('#cmp-algorithms input')].map((x) => x.value)`)
	want := []string{}
	for _, a := range tsp.Algorithms() {
		want = append(want, a.String())
	}
	if !slices.Equal(algs, want) {
		t.Errorf("algorithms offered %q, want %q", algs, want)
	}
	// Tick every algorithm (exhaustive is not ticked at first) and 3 runs.
	do(t, ctx,
		chromedp.Click(chromedp.CSS(`#cmp-algorithms input[value="exhaustive"]`)),
		chromedp.SetValue(chromedp.CSS(`#cmp-k`), "3"),
		chromedp.Click(chromedp.CSS(`#cmp-run`)),
		chromedp.WaitVisible(chromedp.CSS(`#compare[data-state="done"]`)),
	)
	maxAtOnce, total, types := counter.get()
	if wantN := len(names) * len(algs) * 3; total != wantN {
		t.Errorf("%d solve requests, want %d (backends × algorithms × 3 runs)", total, wantN)
	}
	if maxAtOnce != 1 {
		t.Errorf("up to %d solve requests at once, want 1: the comparison must run one at a time", maxAtOnce)
	}
	if len(types) != 1 || types["application/json"] == 0 {
		t.Errorf("Content-Types of the POSTs: %v, want application/json only", types)
	}

	demo11 := tsp.Demo30()[:11]
	m, err := tsp.HaversineMatrix(demo11)
	if err != nil {
		t.Fatal(err)
	}
	opt, err := tsp.Go().Solve(context.Background(), m, tsp.Options{Algorithm: tsp.Exact})
	if err != nil {
		t.Fatal(err)
	}
	rows := evalJS[[]compareRow](t, ctx, compareRowsJS)
	if len(rows) != len(names)*len(algs) {
		t.Fatalf("%d rows in the table, want %d: %+v", len(rows), len(names)*len(algs), rows)
	}
	slowest := map[string]int{}
	for _, r := range rows {
		if r.Error || r.Runs != 3 || r.Median <= 0 || r.Time == "" || !strings.Contains(r.Spread, "–") || !strings.Contains(r.Spread, "3 runs") {
			t.Errorf("row %+v: want the median and spread of 3 runs", r)
		}
		if !strings.HasSuffix(r.Speedup, "×") {
			t.Errorf("row %s %s: speed-up %q", r.Alg, r.Backend, r.Speedup)
		}
		if r.Speedup == "1.00×" {
			slowest[r.Alg]++
		}
		switch r.Alg {
		case "exact", "exhaustive":
			if r.Length != kmText(opt.Length) || r.Gap != "best" || r.Status != "optimal" {
				t.Errorf("row %s %s: length %q gap %q status %q, want %q best optimal", r.Alg, r.Backend, r.Length, r.Gap, r.Status, kmText(opt.Length))
			}
			if r.Term != "search nodes" || !strings.HasPrefix(r.Tip, "Search nodes:") {
				t.Errorf("row %s: the work is explained as %q (%q)", r.Alg, r.Term, r.Tip)
			}
		default:
			if r.Gap != "best" && !strings.HasPrefix(r.Gap, "+") || r.Status != "heuristic" {
				t.Errorf("row %s %s: gap %q status %q", r.Alg, r.Backend, r.Gap, r.Status)
			}
			if r.Term != "moves" || !strings.HasPrefix(r.Tip, "Moves:") {
				t.Errorf("row %s: the work is explained as %q (%q)", r.Alg, r.Term, r.Tip)
			}
		}
	}
	for _, a := range algs {
		if slowest[a] == 0 {
			t.Errorf("%s: no backend has speed-up 1.00× (the slowest)", a)
		}
	}
	// Each row's bar is as long against the slowest's as its median time.
	bars := evalJS[[][]float64](t, ctx, `[...document.querySelectorAll('#cmp-table tbody tr[data-median-ms]')].map((r) => {
	  const b = r.querySelector('.bar'), f = b.firstElementChild;
	  return [f.getBoundingClientRect().width / b.getBoundingClientRect().width, Number(r.dataset.medianMs)];
	})`)
	for i, r := range rows {
		slow := 0.0
		for _, o := range rows {
			if o.Alg == r.Alg {
				slow = max(slow, o.Median)
			}
		}
		if want := max(0.02, r.Median/slow); math.Abs(bars[i][0]-want) > 0.03 {
			t.Errorf("row %s %s: the bar is %.2f of full, want %.2f (median %v of the slowest %v)", r.Alg, r.Backend, bars[i][0], want, r.Median, slow)
		}
	}
	if best := evalJS[string](t, ctx, `document.querySelector('.best-known').textContent`); best != kmText(opt.Length) {
		t.Errorf("best known %q, want %q", best, kmText(opt.Length))
	}
	// The table as CSV: a row per backend and algorithm, the same medians.
	records := csvLinkRecords(t, ctx, `#cmp-result a.export-csv`, "tsp-compare-11-cities.csv")
	if len(records) != 1+len(rows) || strings.Join(records[0], ",") != "algorithm,backend,runs,failed,median_ms,min_ms,max_ms,request_median_ms,speedup_vs_slowest,length_km,gap_pct,status,nodes" {
		t.Fatalf("comparison CSV: %d records, header %q", len(records), records[0])
	}
	for i, r := range rows {
		rec := records[i+1]
		if rec[0] != r.Alg || rec[1] != r.Backend || rec[2] != "3" || rec[3] != "0" || rec[4] != strconv.FormatFloat(r.Median, 'f', -1, 64) || rec[11] != r.Status {
			t.Errorf("comparison CSV row %d: %q, the table has %+v", i+1, rec, r)
		}
	}
	noLeaks(t, ctx)

	// The live deadline table: Exhaustive on 9, 10, 11 demo cities, 2 runs.
	cells := runDeadlineTable(t, ctx, 2)
	if len(cells) != 3*len(names) {
		t.Fatalf("%d deadline cells, want %d", len(cells), 3*len(names))
	}
	for i, c := range cells {
		if c.Cities != []int{9, 10, 11}[i/len(names)] || c.Backend != names[i%len(names)] || c.Runs != 2 || c.Median <= 0 {
			t.Errorf("deadline cell %d: %+v", i, c)
		}
		// Exhaustive on 11 cities takes milliseconds: far inside the 1 s soft deadline.
		if c.Verdict != "soft" {
			t.Errorf("deadline cell %+v: want the verdict soft", c)
		}
	}
	if records := csvLinkRecords(t, ctx, `#dl-result a.export-csv`, "tsp-deadlines.csv"); len(records) != 1+len(cells) || records[1][0] != "9" || records[len(cells)][0] != "11" || records[1][8] != "soft" {
		t.Errorf("deadline CSV: %q", records)
	}
	maxAtOnce, total, _ = counter.get()
	if wantN := len(names)*len(algs)*3 + 3*len(names)*2; total != wantN || maxAtOnce != 1 {
		t.Errorf("after the deadline table: %d requests (want %d), up to %d at once (want 1)", total, wantN, maxAtOnce)
	}
	// The comparison table is still there beside the deadline table.
	if n := evalJS[int](t, ctx, `document.querySelectorAll('#cmp-table tbody tr[data-median-ms]').length`); n != len(rows) {
		t.Errorf("%d comparison rows after the deadline table, want %d", n, len(rows))
	}

	// Map: one card for exact on the first backend, open, with the one map.
	do(t, ctx,
		chromedp.Click(chromedp.CSS(fmt.Sprintf(`#cmp-table tr[data-algorithm="exact"][data-backend=%q] button.show`, names[0]))),
		chromedp.WaitVisible(chromedp.CSS(`#results .result.open[data-source="compare"] svg.route-map`)),
	)
	c := evalJS[cardInfo](t, ctx, fmt.Sprintf(cardJS, evalJS[int](t, ctx, `Number(document.querySelector('#results .result.open').dataset.seq)`)))
	if c.Backend != names[0] || c.Alg != "exact" || c.Length != kmText(opt.Length) || c.Legs != 11 || len(c.Stops) != 11 || c.Home != "back to "+demo11[0].Name {
		t.Errorf("the compared card: %+v", c)
	}
	// Then nearest on another backend: the first card folds, one map stays.
	do(t, ctx,
		chromedp.Click(chromedp.CSS(fmt.Sprintf(`#cmp-table tr[data-algorithm="nearest"][data-backend=%q] button.show`, names[len(names)-1]))),
		chromedp.WaitVisible(chromedp.CSS(fmt.Sprintf(`#results .result.open[data-algorithm="nearest"][data-backend=%q] svg.route-map`, names[len(names)-1]))),
	)
	if n := evalJS[[]int](t, ctx, `[document.querySelectorAll('#results .result').length, document.querySelectorAll('#results .result.open').length, document.querySelectorAll('svg.route-map').length]`); !slices.Equal(n, []int{2, 1, 1}) {
		t.Errorf("cards, open cards, maps: %v, want [2 1 1]", n)
	}
	do(t, ctx, chromedp.ScrollIntoView(chromedp.CSS(`#compare`)))
	screenshot(t, ctx, "jumper-compare.png")

	// 420 px wide: nothing scrolls sideways, with the tables, a card and the import form open.
	do(t, ctx,
		chromedp.EmulateViewport(420, 900),
		chromedp.Click(chromedp.CSS(`#import summary`)),
		chromedp.WaitVisible(chromedp.CSS(`#import-text`)),
	)
	noSidewaysScroll(t, ctx, "420 px, comparison")
	for _, sel := range []string{"#cmp-table", "#dl-table", "svg.route-map", ".tour-box > .home"} {
		w := evalJS[[]float64](t, ctx, `(() => { const r = document.querySelector('`+sel+`').getBoundingClientRect(); return [r.width, r.height]; })()`)
		if w[0] <= 0 || w[1] <= 0 {
			t.Errorf("420 px: %s is not shown (%v)", sel, w)
		}
	}
	screenshot(t, ctx, "jumper-narrow.png")

	// Stop: 13 cities by exhaustive search take seconds each. While the
	// comparison runs, nothing else can start; Stop cancels the request in
	// flight and starts no other.
	_, before, _ := counter.get()
	do(t, ctx, chromedp.Click(chromedp.CSS(`#select-none`)))
	for i := range 13 {
		do(t, ctx, chromedp.Click(chromedp.CSS(fmt.Sprintf(`#city-list input[data-index="%d"]`, i))))
	}
	for _, a := range algs {
		if a != "exhaustive" {
			do(t, ctx, chromedp.Click(chromedp.CSS(fmt.Sprintf(`#cmp-algorithms input[value=%q]`, a))))
		}
	}
	do(t, ctx,
		chromedp.Click(chromedp.CSS(`#cmp-run`)),
		chromedp.WaitVisible(chromedp.CSS(`#compare[data-state="running"]`)),
	)
	if n := evalJS[[]int](t, ctx, `[[...document.querySelectorAll('button.run, #cmp-run, #dl-run')].filter((b) => !b.disabled).length, document.querySelector('#cmp-stop').disabled ? 0 : 1]`); !slices.Equal(n, []int{0, 1}) {
		t.Errorf("while comparing: %d run buttons enabled (want 0), Stop enabled %d (want 1)", n[0], n[1])
	}
	do(t, ctx,
		chromedp.Click(chromedp.CSS(`#cmp-stop`)),
		chromedp.WaitVisible(chromedp.CSS(`#compare[data-state="stopped"]`)),
	)
	maxAtOnce, total, _ = counter.get()
	if total-before != 1 || maxAtOnce != 1 {
		t.Errorf("Stop: %d requests after it was pressed (want 1, the one canceled), up to %d at once", total-before, maxAtOnce)
	}
	if status := evalJS[string](t, ctx, `document.querySelector('#cmp-status').textContent`); !strings.HasPrefix(status, "Stopped after 0 of") {
		t.Errorf("status after Stop: %q", status)
	}
	if n := evalJS[int](t, ctx, `[...document.querySelectorAll('button.run[data-algorithm="exhaustive"]')].filter((b) => !b.disabled).length`); n != len(names) {
		t.Errorf("after Stop: %d exhaustive buttons enabled, want %d", n, len(names))
	}
}

// TestBrowserCompareBusy: a comparison that meets a busy server (503 with
// Retry-After) waits and asks again instead of reporting an error.
func TestBrowserCompareBusy(t *testing.T) {
	ctx := browser(t)
	ts, counter := startCounted(t, server.Config{Backends: []backends.Backend{{Name: "go", Solver: tsp.Go()}}})
	counter.busy = 1
	open(t, ctx, ts.URL+"/")
	for _, a := range []string{"nearest", "2opt", "iterated"} { // leave exact alone
		do(t, ctx, chromedp.Click(chromedp.CSS(fmt.Sprintf(`#cmp-algorithms input[value=%q]`, a))))
	}
	start := time.Now()
	do(t, ctx,
		chromedp.SetValue(chromedp.CSS(`#cmp-k`), "1"),
		chromedp.Click(chromedp.CSS(`#cmp-run`)),
		chromedp.WaitVisible(chromedp.CSS(`#compare[data-state="done"]`)),
	)
	waited := time.Since(start)
	rows := evalJS[[]compareRow](t, ctx, compareRowsJS)
	if len(rows) != 1 || rows[0].Error || rows[0].Runs != 1 || rows[0].Alg != "exact" || rows[0].Status != "optimal" {
		t.Errorf("after a 503: rows %+v, want one exact run that succeeded", rows)
	}
	if maxAtOnce, total, _ := counter.get(); total != 2 || maxAtOnce != 1 {
		t.Errorf("%d requests (want 2: the 503 and the retry), up to %d at once", total, maxAtOnce)
	}
	if waited < time.Second {
		t.Errorf("the retry came after %v, before the Retry-After of 1 s", waited)
	}

	// Three single runs clicked at once go one after the other, and a
	// comparison started behind them waits for them (each request held
	// 300 ms at the server, so that any overlap shows).
	counter.mu.Lock()
	counter.delay = 300 * time.Millisecond
	counter.mu.Unlock()
	_, before, _ := counter.get()
	do(t, ctx,
		chromedp.Click(chromedp.CSS(`button.run[data-backend="go"][data-algorithm="exact"]`)),
		chromedp.Click(chromedp.CSS(`button.run[data-backend="go"][data-algorithm="nearest"]`)),
		chromedp.Click(chromedp.CSS(`button.run[data-backend="go"][data-algorithm="2opt"]`)),
		chromedp.Click(chromedp.CSS(`#cmp-run`)),
		chromedp.WaitVisible(chromedp.CSS(`#compare[data-state="done"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#results .result[data-seq="3"][data-state="done"]`)),
	)
	if maxAtOnce, total, _ := counter.get(); total-before != 4 || maxAtOnce != 1 {
		t.Errorf("three single runs and a comparison: %d requests (want 4), up to %d at once (want 1)", total-before, maxAtOnce)
	}
	if states := evalJS[[]string](t, ctx, `[...document.querySelectorAll('#results .result')].map((c) => c.dataset.algorithm + " " + c.dataset.state)`); !slices.Equal(states, []string{"2opt done", "nearest done", "exact done"}) {
		t.Errorf("cards %q, want the three runs done, newest first", states)
	}
}

// importCities pastes text into the import form and submits it.
func importText(t *testing.T, ctx context.Context, text string) {
	t.Helper()
	do(t, ctx,
		chromedp.SetValue(chromedp.CSS(`#import-text`), text),
		chromedp.Click(chromedp.CSS(`#import-run`)),
		chromedp.WaitVisible(chromedp.CSS(`#import-msg:not([hidden]), #import-error:not([hidden])`)),
	)
}

func tickedNames(t *testing.T, ctx context.Context) []string {
	t.Helper()
	return evalJS[[]string](t, ctx, `[...document.querySelectorAll('#city-list input:checked')].map((x) => x.dataset.name)`)
}

func importMessage(t *testing.T, ctx context.Context) (msg, errMsg string) {
	t.Helper()
	v := evalJS[[]string](t, ctx, `[document.querySelector('#import-msg').hidden ? "" : document.querySelector('#import-msg').textContent,
	  document.querySelector('#import-error').hidden ? "" : document.querySelector('#import-error').textContent]`)
	return v[0], v[1]
}

// mapJS reads the chosen card's map back into degrees: the longest land
// and route segment in degrees of longitude (closing Z segments included)
// and the northernmost latitude the route reaches.
const mapJS = `(() => {
  const svg = document.querySelector('#results .result.open svg.route-map');
  const p = JSON.parse(svg.dataset.proj);
  const segs = (d) => {
    let longest = 0, top = -90, start = null, prev = null;
    for (const m of d.matchAll(/([MLZ])([-\d.]*),?([-\d.]*)/g)) {
      let pt = null;
      if (m[1] === "Z") pt = start;
      else pt = [Number(m[2]), Number(m[3])];
      if (m[1] === "M") start = pt;
      else if (prev) longest = Math.max(longest, Math.abs(pt[0] - prev[0]) / p.s);
      top = Math.max(top, -(p.y0 + (pt[1] - p.oy) / p.s));
      prev = pt;
    }
    return [longest, top];
  };
  const land = svg.querySelector('path.land'), route = svg.querySelector('path.route');
  const [landLongest] = segs(land ? land.getAttribute('d') : "");
  const [routeLongest, routeTop] = segs(route.getAttribute('d'));
  return {land: land ? land.getAttribute('d').length : 0, landLongest, routeLongest, routeTop};
})()`

type mapInfo struct {
	Land         int     `json:"land"`
	LandLongest  float64 `json:"landLongest"`
	RouteLongest float64 `json:"routeLongest"`
	RouteTop     float64 `json:"routeTop"`
}

// TestBrowserImport pastes CSV, JSON and TSPLIB, uploads a file, refuses a
// bad list, and checks on the imported routes: great-circle legs (anchorage
// → berlin over the Arctic), land that crosses the antimeridian drawn
// without 360° segments, the export links, labels that do not overlap in a
// dense area, and the leg back to the start in view.
func TestBrowserImport(t *testing.T) {
	ctx := browser(t)
	// The coordinate path's limit as low as the matrix's: the import's
	// limit is then 2,000 cities (TestBrowserBig imports more).
	ts, counter := startCounted(t, server.Config{Backends: []backends.Backend{{Name: "go", Solver: tsp.Go()}}, MaxPointsCities: server.DefaultMaxCities})
	open(t, ctx, ts.URL+"/")
	do(t, ctx, chromedp.Click(chromedp.CSS(`#import summary`)), chromedp.WaitVisible(chromedp.CSS(`#import-text`)))

	// CSV with a header, a quoted name and a comment.
	importText(t, ctx, "name,lat,lon\n# two cities\nanchorage,61.22,-149.90\n\"berlin, de\",52.52,13.40\n")
	msg, errMsg := importMessage(t, ctx)
	if errMsg != "" || !strings.Contains(msg, "Imported 2 cities from CSV") {
		t.Errorf("CSV import: message %q, error %q", msg, errMsg)
	}
	if got := tickedNames(t, ctx); !slices.Equal(got, []string{"anchorage", "berlin, de"}) {
		t.Fatalf("ticked after the CSV import: %q", got)
	}
	c := runCard(t, ctx, "go", "exact", 1)
	if c.State != "done" || !slices.Equal(c.Stops, []string{"anchorage", "berlin, de"}) || c.Legs != 2 {
		t.Fatalf("anchorage → berlin: %+v", c)
	}
	// The leg is a great-circle arc: it passes north of 80°N (a straight
	// line on the map would stay south of anchorage's 61.2°N).
	mi := evalJS[mapInfo](t, ctx, mapJS)
	if mi.RouteTop < 80 || mi.RouteTop > 90 {
		t.Errorf("anchorage → berlin reaches %.1f°N, want the great circle over the Arctic (about 84.7°N)", mi.RouteTop)
	}

	// Export: JSON and GPX links made in the browser, with the route in order.
	links := evalJS[map[string]string](t, ctx, `Object.fromEntries([...document.querySelectorAll('#results .result.open .exports a')].map((a) => [a.className.split(" ").pop(), a.href + " " + a.download]))`)
	jsonHref, jsonName, _ := strings.Cut(links["export-json"], " ")
	gpxHref, gpxName, _ := strings.Cut(links["export-gpx"], " ")
	if jsonName != "tsp-go-exact-2.json" || gpxName != "tsp-go-exact-2.gpx" {
		t.Errorf("download names %q %q", jsonName, gpxName)
	}
	var exported struct {
		Backend, Algorithm, Status string
		LengthKm                   float64 `json:"length_km"`
		Tour                       []cityJSON
	}
	if err := json.Unmarshal(dataURL(t, jsonHref, "application/json"), &exported); err != nil {
		t.Fatalf("the JSON export: %v", err)
	}
	anchorage, berlin := cityJSON{"anchorage", 61.22, -149.9}, cityJSON{"berlin, de", 52.52, 13.4}
	if exported.Backend != "go" || exported.Algorithm != "exact" || exported.Status != "optimal" ||
		!slices.Equal(exported.Tour, []cityJSON{anchorage, berlin}) || kmText(exported.LengthKm) != c.Length {
		t.Errorf("the JSON export: %+v, card %q", exported, c.Length)
	}
	var gpx struct {
		XMLName xml.Name `xml:"http://www.topografix.com/GPX/1/1 gpx"`
		Wpt     []struct {
			Lat  float64 `xml:"lat,attr"`
			Lon  float64 `xml:"lon,attr"`
			Name string  `xml:"name"`
		} `xml:"wpt"`
		Rte struct {
			Pt []struct {
				Lat  float64 `xml:"lat,attr"`
				Lon  float64 `xml:"lon,attr"`
				Name string  `xml:"name"`
			} `xml:"rtept"`
		} `xml:"rte"`
	}
	if err := xml.Unmarshal(dataURL(t, gpxHref, "application/gpx+xml"), &gpx); err != nil {
		t.Fatalf("the GPX export: %v", err)
	}
	if len(gpx.Wpt) != 2 || len(gpx.Rte.Pt) != 3 || gpx.Rte.Pt[0].Name != "anchorage" || gpx.Rte.Pt[1].Name != "berlin, de" ||
		gpx.Rte.Pt[2] != gpx.Rte.Pt[0] || gpx.Rte.Pt[1].Lat != 52.52 || gpx.Rte.Pt[1].Lon != 13.4 {
		t.Errorf("the GPX export: %+v", gpx)
	}

	// JSON around the Pacific and the world: anchorage is already listed
	// (same name and place), the rest are new.
	world := []cityJSON{{"tokyo", 35.68, 139.69}, {"honolulu", 21.31, -157.86}, {"suva", -18.14, 178.44},
		{"auckland", -36.85, 174.76}, anchorage, {"los angeles", 34.05, -118.24}, {"moscow", 55.76, 37.62},
		{"anadyr", 64.73, 177.51}}
	b, _ := json.Marshal(world)
	importText(t, ctx, string(b))
	msg, errMsg = importMessage(t, ctx)
	if errMsg != "" || !strings.Contains(msg, "Imported 8 cities from JSON") || !strings.Contains(msg, "1 already listed") {
		t.Errorf("JSON import: message %q, error %q", msg, errMsg)
	}
	got := tickedNames(t, ctx)
	if len(got) != len(world) {
		t.Errorf("ticked after the JSON import: %q", got)
	}
	c = runCard(t, ctx, "go", "exact", 2)
	if c.State != "done" || len(c.Stops) != len(world) || c.Legs != len(world) {
		t.Fatalf("the world route: %+v", c)
	}
	// Eurasia, Fiji and Wrangel Island cross the antimeridian: no land
	// segment may span more than 180° of longitude (they were 360° long).
	mi = evalJS[mapInfo](t, ctx, mapJS)
	if mi.Land == 0 || mi.LandLongest > 180 {
		t.Errorf("land path %d bytes, longest segment %.1f° of longitude, want at most 180°", mi.Land, mi.LandLongest)
	}
	if mi.RouteLongest > 180 {
		t.Errorf("a route segment spans %.1f° of longitude: the legs must be split at the edge of the map", mi.RouteLongest)
	}
	screenshot(t, ctx, "jumper-import.png")

	// Around the world: the map is cut at the widest empty band of
	// longitudes (here the Indian Ocean, 18°E to 140°E), and the leg that
	// crosses it is drawn on both sides: more subpaths than legs, none
	// longer than 180° of longitude.
	round := []cityJSON{{"london", 51.51, -0.13}, {"new york", 40.71, -74.01}, {"tokyo", 35.68, 139.69}, {"sydney", -33.87, 151.21},
		{"cape town", -33.92, 18.42}, {"sao paulo", -23.55, -46.63}, {"los angeles", 34.05, -118.24}, {"honolulu", 21.31, -157.86}}
	b, _ = json.Marshal(round)
	importText(t, ctx, string(b))
	c = runCard(t, ctx, "go", "exact", 3)
	if c.State != "done" || len(c.Stops) != len(round) || c.Legs != len(round) {
		t.Fatalf("round the world: %+v", c)
	}
	mi = evalJS[mapInfo](t, ctx, mapJS)
	subpaths := evalJS[int](t, ctx, `document.querySelector('#results .result.open svg path.route').getAttribute('d').split('M').length - 1`)
	if subpaths <= len(round) || mi.RouteLongest > 180 || mi.LandLongest > 180 {
		t.Errorf("round the world: %d subpaths for %d legs (want a leg split at the cut), longest route segment %.1f°, land %.1f°", subpaths, len(round), mi.RouteLongest, mi.LandLongest)
	}

	// TSPLIB GEO: the same cities as the library's reader, named by the instance.
	raw, err := os.ReadFile("../../../testdata/tsplib/burma14.tsp")
	if err != nil {
		t.Fatal(err)
	}
	in, err := tsplib.Read(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	burma, err := in.Cities()
	if err != nil {
		t.Fatal(err)
	}
	importText(t, ctx, string(raw))
	msg, errMsg = importMessage(t, ctx)
	if errMsg != "" || !strings.Contains(msg, "Imported 14 cities from TSPLIB (burma14)") {
		t.Errorf("TSPLIB import: message %q, error %q", msg, errMsg)
	}
	listed := evalJS[[]cityJSON](t, ctx, `[...document.querySelectorAll('#city-list input:checked')].map((x) => ({name: x.dataset.name,
	  lat: Number(x.dataset.lat), lon: Number(x.dataset.lon)}))`)
	if len(listed) != len(burma) {
		t.Fatalf("%d cities ticked after burma14, want %d", len(listed), len(burma))
	}
	for i, l := range listed {
		w := burma[i]
		if l.Name != "burma14 "+w.Name || math.Abs(l.Lat-w.Lat) > 1e-9 || math.Abs(l.Lon-w.Lon) > 1e-9 {
			t.Errorf("burma14 node %d: the page has %+v, the library %+v", i+1, l, w)
		}
	}

	// A bad list is refused whole, with the line that is wrong.
	before := tickedNames(t, ctx)
	importText(t, ctx, "name,lat,lon\nok,1,2\nfar north,95,10\n")
	msg, errMsg = importMessage(t, ctx)
	if msg != "" || !strings.Contains(errMsg, "CSV line 3") || !strings.Contains(errMsg, "latitude") {
		t.Errorf("bad CSV: message %q, error %q", msg, errMsg)
	}
	importText(t, ctx, `[{"name":"x","lat":1}]`)
	if _, errMsg = importMessage(t, ctx); !strings.Contains(errMsg, "JSON city 0") {
		t.Errorf("JSON without lon: error %q", errMsg)
	}
	if after := tickedNames(t, ctx); !slices.Equal(after, before) {
		t.Errorf("a refused import changed the ticks: %q, was %q", after, before)
	}

	// Upload: a dense grid of 80 cities in a 2° square, as a CSV file.
	var grid strings.Builder
	grid.WriteString("name,lat,lon\n")
	for i := range 80 {
		fmt.Fprintf(&grid, "grid %02d,%.2f,%.2f\n", i, 48+float64(i/10)*0.25, 2+float64(i%10)*0.22)
	}
	path := filepath.Join(t.TempDir(), "grid.csv")
	if err := os.WriteFile(path, []byte(grid.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	do(t, ctx,
		chromedp.SetUploadFiles(chromedp.CSS(`#import-file`), []string{path}),
		chromedp.WaitVisible(chromedp.CSS(`#import-msg:not([hidden])`)),
	)
	if msg, _ = importMessage(t, ctx); !strings.Contains(msg, "Imported 80 cities from CSV") {
		t.Errorf("upload: message %q", msg)
	}
	if n := len(tickedNames(t, ctx)); n != 80 {
		t.Errorf("%d ticked after the upload, want 80", n)
	}
	c = runCard(t, ctx, "go", "2opt", 4)
	if c.State != "done" || len(c.Stops) != 80 || c.Circles != 79 {
		t.Fatalf("the grid: %+v", c)
	}
	// Labels: some, not all, and no two overlapping.
	labels := evalJS[[]int](t, ctx, `(() => {
	  const boxes = [...document.querySelectorAll('#results .result.open svg text.num')].map((t) => t.getBBox());
	  let overlaps = 0;
	  boxes.forEach((a, i) => boxes.slice(i + 1).forEach((b) => {
	    if (a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height) overlaps++;
	  }));
	  return [boxes.length, overlaps];
	})()`)
	if labels[0] == 0 || labels[0] >= 79 || labels[1] != 0 {
		t.Errorf("%d numbers on 79 stops, %d pairs overlapping; want some, not all, none overlapping", labels[0], labels[1])
	}
	// The leg back to the start stays in view below the scrolling list.
	home := evalJS[[]float64](t, ctx, `(() => {
	  const c = document.querySelector('#results .result.open'), ol = c.querySelector('ol.tour'), h = c.querySelector('.home');
	  const hr = h.getBoundingClientRect(), or = ol.getBoundingClientRect(), cr = c.getBoundingClientRect();
	  return [ol.scrollHeight - ol.clientHeight, ol.contains(h) ? 1 : 0, hr.height, hr.top - or.bottom, cr.bottom - hr.bottom];
	})()`)
	if home[0] <= 0 || home[1] != 0 || home[2] <= 0 || home[3] < -1 || home[4] < 0 {
		t.Errorf("leg home: list overflow %v, inside the list %v, height %v, below the list by %v, inside the card by %v", home[0], home[1], home[2], home[3], home[4])
	}
	if _, total, types := counter.get(); total != 4 || types["application/json"] != 4 {
		t.Errorf("%d solve requests (%v), want 4 with application/json", total, types)
	}

	// The limit: 2,001 cities are refused, 2,000 are imported and solved.
	many := func(n int) string {
		var b strings.Builder
		b.WriteString("name,lat,lon\n")
		for i := range n {
			fmt.Fprintf(&b, "p%d,%.3f,%.3f\n", i, -60+float64(i%50)*2.5, -170+float64(i/50)*8.5)
		}
		return b.String()
	}
	importText(t, ctx, many(server.DefaultMaxCities+1))
	if msg, errMsg = importMessage(t, ctx); msg != "" || !strings.Contains(errMsg, "at most 2,000") {
		t.Errorf("2,001 cities: message %q, error %q", msg, errMsg)
	}
	importText(t, ctx, many(server.DefaultMaxCities))
	if msg, errMsg = importMessage(t, ctx); errMsg != "" || !strings.Contains(msg, "Imported 2,000 cities") {
		t.Errorf("2,000 cities: message %q, error %q", msg, errMsg)
	}
	c = runCard(t, ctx, "go", "nearest", 5)
	if c.State != "done" || len(c.Stops) != 2000 || c.Circles != 1999 || c.Legs != 2000 {
		t.Errorf("2,000 cities: state %s, %d stops, %d circles, %d legs", c.State, len(c.Stops), c.Circles, c.Legs)
	}
	if n := evalJS[int](t, ctx, `document.querySelectorAll('#results .result.open svg text.num').length`); n == 0 || n > 60 {
		t.Errorf("2,000 cities: %d stop numbers, want some and at most 60", n)
	}
	if mi = evalJS[mapInfo](t, ctx, mapJS); mi.LandLongest > 180 || mi.RouteLongest > 180 {
		t.Errorf("2,000 cities around the world: %+v", mi)
	}
	noLeaks(t, ctx)

	// Folding: the open card folds (no map left), and opening the world
	// route puts the one map in it.
	do(t, ctx, chromedp.Click(chromedp.CSS(`#results .result[data-seq="5"] .fold`)))
	if n := evalJS[[]int](t, ctx, `[document.querySelectorAll('#results .result.open').length, document.querySelectorAll('svg.route-map').length]`); !slices.Equal(n, []int{0, 0}) {
		t.Errorf("after folding the open card: %v open cards and maps, want none", n)
	}
	do(t, ctx,
		chromedp.Click(chromedp.CSS(`#results .result[data-seq="2"] .fold`)),
		chromedp.WaitVisible(chromedp.CSS(`#results .result.open[data-seq="2"] svg.route-map`)),
	)
	if n := evalJS[[]int](t, ctx, `[document.querySelectorAll('#results .result.open').length, document.querySelectorAll('svg.route-map').length]`); !slices.Equal(n, []int{1, 1}) {
		t.Errorf("after opening the world route: %v open cards and maps, want 1 and 1", n)
	}
	if mi = evalJS[mapInfo](t, ctx, mapJS); mi.LandLongest > 180 || mi.RouteLongest > 180 {
		t.Errorf("the world route again: %+v", mi)
	}
}

// csvLinkRecords reads the CSV behind the download link sel.
func csvLinkRecords(t *testing.T, ctx context.Context, sel, name string) [][]string {
	t.Helper()
	v := evalJS[[]string](t, ctx, `(() => { const a = document.querySelector('`+sel+`'); return a ? [a.href, a.download] : ["", ""]; })()`)
	if v[1] != name {
		t.Errorf("%s: download name %q, want %q", sel, v[1], name)
	}
	records, err := csv.NewReader(bytes.NewReader(dataURL(t, v[0], "text/csv"))).ReadAll()
	if err != nil || len(records) == 0 {
		t.Fatalf("%s: %v, %d records", sel, err, len(records))
	}
	return records
}

// dataURL decodes a data: URL of the given type.
func dataURL(t *testing.T, href, typ string) []byte {
	t.Helper()
	prefix := "data:" + typ + ";charset=utf-8,"
	if !strings.HasPrefix(href, prefix) {
		t.Fatalf("link %.60q, want %s", href, prefix)
	}
	s, err := url.PathUnescape(strings.TrimPrefix(href, prefix))
	if err != nil {
		t.Fatal(err)
	}
	return []byte(s)
}
