package main

import (
	"bytes"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ffi4go/tsp"
)

// TestProgressDisplay: the line says the best length, the bound and the
// gap; a solve draws it only when asked (a terminal, no -json), never
// before progressDelay, and clears it at the end.
func TestProgressDisplay(t *testing.T) {
	got := progressText(tsp.Progress{Algorithm: tsp.Exact, Length: 200, LowerBound: 150, Nodes: 42, Elapsed: 1500 * time.Millisecond})
	if want := "tsp: exact: best 200  bound 150  gap 25.00%  nodes 42  1.5s"; got != want {
		t.Errorf("progressText = %q, want %q", got, want)
	}
	if got := progressText(tsp.Progress{Algorithm: tsp.Iterated, Length: 7, Elapsed: time.Second}); strings.Contains(got, "bound") {
		t.Errorf("progressText without a bound = %q", got)
	}
	var buf bytes.Buffer
	opt := tsp.Options{}
	done := progressDisplay(&buf, false, &opt)
	if opt.Progress != nil {
		t.Error("a display that is off set a callback")
	}
	done()
	opt = tsp.Options{}
	var out syncBuffer
	done = progressDisplay(&out, true, &opt)
	opt.Progress(tsp.Progress{Length: 1, Algorithm: tsp.Exact})
	time.Sleep(progressDelay / 2)
	if s := out.String(); s != "" {
		t.Errorf("drawn before progressDelay: %q", s)
	}
	time.Sleep(progressDelay/2 + 3*progressEvery)
	done()
	if s := out.String(); !strings.HasPrefix(s, "\r\x1b[Ktsp: exact: best 1") || !strings.HasSuffix(s, "\r\x1b[K") {
		t.Errorf("display wrote %q", s)
	}
	if isTerminal(&buf) {
		t.Error("a bytes.Buffer is a terminal")
	}
	f, err := os.CreateTemp(t.TempDir(), "stderr")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if isTerminal(f) {
		t.Error("a file is a terminal")
	}
}

// syncBuffer is a bytes.Buffer safe for the display's goroutine and the
// test's.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
