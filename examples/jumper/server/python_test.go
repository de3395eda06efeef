package server_test

import (
	"context"
	"errors"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/ffi4go/tsp"
	"github.com/ffi4go/tsp/backends"
	"github.com/ffi4go/tsp/examples/jumper/server"
)

// pythonBackends returns go and the Python backends on the pure-Python
// kernel (worker-python, worker-cython-typed, worker-pypy), their workers
// started (a Cython worker's first start compiles its module: not the
// deadline's business). Outside CI a missing interpreter skips the test;
// with CI=true (.ci/run installs python3, cython3 and pypy3) it fails it.
func pythonBackends(t *testing.T) []backends.Backend {
	t.Helper()
	bs := []backends.Backend{{Name: "go", Solver: tsp.Go()}}
	for _, name := range []string{backends.NameWorkerPython, backends.NameWorkerCythonTyped, backends.NameWorkerPyPy} {
		b, err := backends.Get(name, backends.Config{})
		if err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatalf("CI=true and %s is unavailable: %v", name, err)
			}
			t.Skipf("%s unavailable: %v", name, err)
		}
		if _, err := b.Proc().Ping(1); err != nil {
			if errors.Is(err, tsp.ErrUnavailable) && os.Getenv("CI") != "true" {
				t.Skipf("%s unavailable: %v", name, err) // a Python without Cython
			}
			t.Fatalf("%s: %v", name, err)
		}
		bs = append(bs, b)
	}
	return bs
}

// The Python backends over HTTP: pure Python on the 11 demo cities runs
// into the deadline and answers 200 with its best tour so far, status
// stopped, beside Go's optimum in milliseconds; an algorithm the pure
// kernel lacks is a 400 that says so; /api/backends lists what it has.
func TestPythonBackends(t *testing.T) {
	ts, _ := start(t, server.Config{Backends: pythonBackends(t), Deadline: 300 * time.Millisecond})
	goRes := solveOK(t, ts.URL, request(tsp.Demo11(), "go", "exhaustive", 0))
	py := solveOK(t, ts.URL, request(tsp.Demo11(), backends.NameWorkerPython, "exhaustive", 0)) // checks the tour
	if goRes.Status != "optimal" || py.Status != "stopped" || py.Backend != backends.NameWorkerPython || py.Nodes == 0 ||
		py.LengthKm < goRes.LengthKm || py.BackendMs > 1500 {
		t.Errorf("go %s %v km; worker-python %s %v km, %d nodes, %v ms", goRes.Status, goRes.LengthKm, py.Status, py.LengthKm, py.Nodes, py.BackendMs)
	}
	// Seven cities: every one finishes with the Go kernel's tour and nodes.
	want := solveOK(t, ts.URL, request(tsp.Demo11()[:7], "go", "exhaustive", 2))
	for _, name := range []string{backends.NameWorkerPython, backends.NameWorkerCythonTyped, backends.NameWorkerPyPy} {
		got := solveOK(t, ts.URL, request(tsp.Demo11()[:7], name, "exhaustive", 2))
		if got.Status != "optimal" || !slices.Equal(got.Order, want.Order) || got.LengthKm != want.LengthKm || got.Nodes != want.Nodes {
			t.Errorf("%s: %s %v %v %d, go %v %v %d", name, got.Status, got.Order, got.LengthKm, got.Nodes, want.Order, want.LengthKm, want.Nodes)
		}
	}
	code, _, body, err := post(context.Background(), http.DefaultClient, ts.URL, mustJSON(t, request(tsp.Demo11(), backends.NameWorkerPython, "exact", 0)))
	if err != nil || code != http.StatusBadRequest || !strings.Contains(string(body), "exhaustive and nearest") {
		t.Errorf("exact on worker-python: %d %s %v", code, body, err)
	}
	_, body = get(t, ts.URL+"/api/backends")
	var info server.BackendsResponse
	decodeStrict(t, body, &info)
	for _, b := range info.Backends {
		if want := []string(nil); b.Name != "go" {
			want = []string{"exhaustive", "nearest"}
			if !slices.Equal(b.Algorithms, want) {
				t.Errorf("%s: algorithms %q, want %q", b.Name, b.Algorithms, want)
			}
		} else if b.Algorithms != nil {
			t.Errorf("go: algorithms %q, want none listed (all)", b.Algorithms)
		}
	}
}

// TestBrowserPython: the original story, live. A run of pure Python on 12
// cities stops at the deadline and shows the best tour so far; the page's
// deadline table (Exhaustive on the first 9, 10 and 11 demo cities) with
// Go and the Python backends shows pure Python's seconds beside Go's
// milliseconds, and "stopped" on 11 cities with a deadline under 5 s. The buttons of the algorithms the pure kernel
// lacks are disabled and say why. The deadline is 1 s here;
// TSP_PYTHON_DEADLINE=10s gives the page's own 10 s for the README's
// screenshot (jumper-python.png beside $TSP_SCREENSHOT).
func TestBrowserPython(t *testing.T) {
	ctx := browser(t)
	deadline := time.Second
	if d, err := time.ParseDuration(os.Getenv("TSP_PYTHON_DEADLINE")); err == nil && d > 0 {
		deadline = d
	}
	bs := pythonBackends(t)
	ts, _ := start(t, server.Config{Backends: bs, Deadline: deadline})
	open(t, ctx, ts.URL+"/")

	btn := evalJS[map[string]any](t, ctx, `(() => { const b = document.querySelector('button.run[data-backend="worker-python"][data-algorithm="exact"]');
	  return {disabled: b.disabled, title: b.title}; })()`)
	if btn["disabled"] != true || !strings.Contains(btn["title"].(string), "exhaustive and nearest only") {
		t.Errorf("worker-python's exact button: %v", btn)
	}

	// A run of its own on 12 cities (the demo's 11 and frankfurt): about
	// 75 s of pure Python, stopped at the deadline with the best tour so far.
	do(t, ctx, chromedp.Click(chromedp.CSS(`#city-list input[data-index="11"]`)))
	c := runCard(t, ctx, backends.NameWorkerPython, "exhaustive", 1)
	if c.State != "done" || c.Status != "stopped" || !strings.Contains(c.Note, "Stopped at the deadline") || len(c.Stops) != 12 {
		t.Errorf("worker-python on 12 cities: %+v", c)
	}

	cells := runDeadlineTable(t, ctx, 1)
	if len(cells) != 3*len(bs) {
		t.Fatalf("%d deadline cells, want %d: %+v", len(cells), 3*len(bs), cells)
	}
	for _, c := range cells {
		switch {
		case c.Backend == "go" && c.Verdict != "soft":
			t.Errorf("go: %+v, want soft", c)
		case c.Backend == backends.NameWorkerPython && c.Cities == 11 && c.Verdict != "stopped" && deadline < 5*time.Second:
			t.Errorf("pure Python on 11 cities: %+v, want stopped at the %v deadline", c, deadline)
		case c.Verdict == "error" || c.Verdict == "":
			t.Errorf("%+v", c)
		}
	}
	screenshot(t, ctx, "jumper-python.png")
}

// dlCell is one cell of the page's deadline table.
type dlCell struct {
	Cities  int     `json:"cities"`
	Backend string  `json:"backend"`
	Verdict string  `json:"verdict"`
	Runs    int     `json:"runs"`
	Median  float64 `json:"median"`
}

// runDeadlineTable runs the page's live deadline table (Exhaustive on the
// first 9, 10 and 11 demo cities) with k runs a cell, and reads its cells.
func runDeadlineTable(t *testing.T, ctx context.Context, k int) []dlCell {
	t.Helper()
	do(t, ctx,
		chromedp.SetValue(chromedp.CSS(`#cmp-k`), strconv.Itoa(k)),
		chromedp.Click(chromedp.CSS(`#dl-run`)),
		chromedp.WaitVisible(chromedp.CSS(`#compare[data-state="done"][data-kind="deadline"]`)),
	)
	return evalJS[[]dlCell](t, ctx, `[...document.querySelectorAll('#dl-table tbody tr')].flatMap((r) =>
	  [...r.querySelectorAll('td')].map((c) => ({cities: Number(r.dataset.cities), backend: c.dataset.backend || "",
	    verdict: c.dataset.verdict || "", runs: Number(c.dataset.runs || 0), median: Number(c.dataset.medianMs || 0)})))`)
}
