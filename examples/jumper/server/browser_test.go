package server_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/ffi4go/tsp"
	"github.com/ffi4go/tsp/backends"
	"github.com/ffi4go/tsp/examples/jumper/server"
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
	Points    int      `json:"points"`
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
  const route = q("svg polyline.route");
  return {
    state: c.dataset.state, backend: txt(".title .backend"), alg: txt(".title .alg"),
    status: txt("header .status"), length: txt("dd.length"), backendMs: txt("dd.backend-ms"),
    totalMs: txt("dd.total-ms"),
    stops: [...c.querySelectorAll("ol.tour li.stop .nm")].map((e) => e.textContent),
    points: route ? route.getAttribute("points").trim().split(/\s+/).length : 0,
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
		if c.Points != len(cities)+1 || c.Circles != len(cities)-1 || !c.Start || !c.Land {
			t.Errorf("%s: the route has %d points, %d stops, start %v, land %v", backend, c.Points, c.Circles, c.Start, c.Land)
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
