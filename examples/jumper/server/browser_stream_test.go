package server_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/ffi4go/tsp"
	"github.com/ffi4go/tsp/backends"
	"github.com/ffi4go/tsp/examples/jumper/server"
)

// improving is a backend whose search never ends by itself: it reports a
// shorter route and a higher bound every 30 ms through Options.Progress
// (the route rotated by one city each time, the start kept first) until
// its context ends, then says so on ended.
type improving struct{ ended chan error }

func (improving) Name() string { return "improving" }

func (b improving) Solve(ctx context.Context, m *tsp.Matrix, opt tsp.Options) (tsp.Tour, error) {
	n := m.N()
	order := make([]int, n)
	for i := range order {
		order[i] = (opt.Start + i) % n
	}
	t0 := time.Now()
	for k := 0; ; k++ {
		if opt.Progress != nil {
			o := []int{order[0]}
			if n > 1 {
				r := 1 + k%(n-1)
				o = append(append(o, order[r:]...), order[1:r]...)
			}
			opt.Progress(tsp.Progress{Length: 1000 - float64(k), LowerBound: 500 + float64(k), Order: o, Elapsed: time.Since(t0), Algorithm: tsp.Iterated})
		}
		select {
		case <-ctx.Done():
			b.ended <- ctx.Err()
			return tsp.Tour{Order: order, Length: tsp.TourLength(m, order), Status: tsp.Stopped, Algorithm: tsp.Iterated}, ctx.Err()
		case <-time.After(30 * time.Millisecond):
		}
	}
}

// TestBrowserProgress: a run streams its progress into its card (the route
// redrawn, the length, the bound and the gap shrinking), and Cancel stops
// the search on the server at once, long before its 20 s deadline.
func TestBrowserProgress(t *testing.T) {
	ctx := browser(t)
	b := improving{ended: make(chan error, 1)}
	ts, _ := start(t, server.Config{
		Backends: []backends.Backend{{Name: "go", Solver: tsp.Go()}, {Name: "improving", Solver: b}},
		Deadline: 20 * time.Second,
	})
	if err := chromedp.Do(ctx,
		chromedp.Navigate(ts.URL+"/"),
		chromedp.WaitVisible(chromedp.CSS(`body[data-ready="true"]`)),
		chromedp.Click(chromedp.CSS(`button.run[data-backend="improving"][data-algorithm="iterated"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#results article.result[data-seq="1"] .live-map svg`)),
	); err != nil {
		t.Fatal(err)
	}
	gap := func() string {
		return evalJS[string](t, ctx, `document.querySelector('#results article.result[data-seq="1"] .live-text').textContent`)
	}
	first := gap()
	var later string
	for i := 0; i < 100 && (later == "" || later == first); i++ {
		time.Sleep(50 * time.Millisecond)
		later = gap()
	}
	if !strings.Contains(first, "gap") || later == first {
		t.Errorf("the progress line did not move: %q, then %q", first, later)
	}
	t0 := time.Now()
	if err := chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`#results article.result[data-seq="1"] button.stop-solve`)),
		chromedp.WaitVisible(chromedp.CSS(`#results article.result[data-seq="1"][data-state="error"]`)),
	); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-b.ended:
		if err == nil {
			t.Error("the search ended without its context ending")
		}
	case <-time.After(5 * time.Second): // a guard: the deadline is 20 s
		t.Fatal("the search still runs 5 s after Cancel")
	}
	if msg := evalJS[string](t, ctx, `document.querySelector('#results article.result[data-seq="1"] .error-message').textContent`); !strings.Contains(msg, "Cancelled") {
		t.Errorf("card says %q", msg)
	}
	t.Logf("cancelled %v after the click", time.Since(t0))
	noLeaks(t, ctx)
}
