package main

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/ffi4go/tsp"
)

// The progress display of tsp solve (issue 20): on a terminal, a long solve
// redraws one line on stderr with the best length, the bound and the gap
// as the search improves them; nothing when stderr is not a terminal or
// with -json (whose readers want stdout and stderr clean).

// progressDelay: solves shorter than this show nothing; progressEvery: the
// time between two redraws.
const (
	progressDelay = 300 * time.Millisecond
	progressEvery = 100 * time.Millisecond
)

// isTerminal reports whether w is a character device (a terminal).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// progressDisplay sets opt's progress to draw on w when show is true, and
// returns the function that clears the line once the solve has returned.
// The callback only records the latest report; a ticker draws it every
// progressEvery once the solve has run progressDelay, with the time
// running on, so that a search that improves rarely still shows it lives.
func progressDisplay(w io.Writer, show bool, opt *tsp.Options) (done func()) {
	if !show {
		return func() {}
	}
	var mu sync.Mutex
	var last tsp.Progress
	have, drawn := false, false
	t0 := time.Now()
	opt.Progress = func(p tsp.Progress) bool {
		mu.Lock()
		last, have = p, true
		mu.Unlock()
		return false
	}
	draw := func() {
		mu.Lock()
		defer mu.Unlock()
		if have && time.Since(t0) >= progressDelay {
			p := last
			p.Elapsed = time.Since(t0)
			fmt.Fprint(w, "\r\x1b[K"+progressText(p))
			drawn = true
		}
	}
	stop := make(chan struct{})
	ended := make(chan struct{})
	go func() {
		defer close(ended)
		tick := time.NewTicker(progressEvery)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
				draw()
			}
		}
	}()
	return func() {
		close(stop)
		<-ended
		if drawn {
			fmt.Fprint(w, "\r\x1b[K")
		}
	}
}

// progressText is the line: algorithm, best length, bound and gap when
// there is a bound, nodes, time.
func progressText(p tsp.Progress) string {
	s := fmt.Sprintf("tsp: %s: best %.6g", p.Algorithm, p.Length)
	if p.LowerBound > 0 {
		s += fmt.Sprintf("  bound %.6g  gap %.2f%%", p.LowerBound, 100*p.Gap())
	}
	return s + fmt.Sprintf("  nodes %d  %.1fs", p.Nodes, p.Elapsed.Seconds())
}
