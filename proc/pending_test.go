package proc

import (
	"bytes"
	"io"
	"sync"
	"testing"
	"time"
)

// gateWriter blocks every Write until open is closed, then collects.
type gateWriter struct {
	open chan struct{}
	mu   sync.Mutex
	buf  bytes.Buffer
}

func (g *gateWriter) Write(b []byte) (int, error) {
	<-g.open
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.buf.Write(b)
}

// TestPendingBounded: one-way progress frames queue while the parent does
// not read, up to maxPending bytes; past it the progress call waits for
// the pipe instead of growing the queue. Once the parent reads, every
// frame arrives in order, then the result frame written after them.
func TestPendingBounded(t *testing.T) {
	w := &gateWriter{open: make(chan struct{})}
	s := &server{w: w, quit: make(chan struct{}), kick: make(chan struct{}, 1)}
	go s.writeLoop()
	defer close(s.quit)
	j := &job{id: 7, cancel: new(int32), answer: make(chan int32, 1)}
	pf := s.progressOneWay(j)
	order := make([]int32, 100_000) // 400 KB a frame
	const frames = 8
	returned := make(chan int, frames)
	go func() {
		for i := range frames {
			order[0] = int32(i)
			if pf(1, float64(100-i), 0, uint64(i), order) != 0 {
				t.Error("a progress call asked to stop")
			}
			returned <- i
		}
	}()
	// The writer is stuck in its first Write: the calls queue until the
	// queue passes maxPending, and then one waits.
	got := 0
	for timeout := time.After(2 * time.Second); got < frames; {
		select {
		case <-returned:
			got++
			continue
		case <-timeout:
		}
		break
	}
	if got == frames {
		t.Fatalf("all %d progress calls of 400 KB returned while nothing was written: the queue is not bounded", frames)
	}
	s.pmu.Lock()
	queued := len(s.pending)
	s.pmu.Unlock()
	if queued > maxPending+400_100 {
		t.Errorf("%d bytes queued, want at most maxPending (%d) and one frame", queued, maxPending)
	}
	close(w.open)
	for ; got < frames; got++ {
		<-returned
	}
	if err := s.write(appendResult(nil, &result{id: 7, status: 0, order: []int32{0}})); err != nil {
		t.Fatal(err)
	}
	r := bytes.NewReader(w.buf.Bytes())
	for i := range frames {
		f, err := readParentFrame(r, len(order), nil)
		if err != nil {
			t.Fatalf("frame %d: %v", i, err)
		}
		if f.typ != frameProgress || f.prog.nodes != uint64(i) || f.prog.order[0] != int32(i) {
			t.Fatalf("frame %d: type %q, nodes %d: out of order", i, f.typ, f.prog.nodes)
		}
	}
	if f, err := readParentFrame(r, 1, make([]int32, 1)); err != nil || f.typ != frameResult {
		t.Fatalf("after the progress frames: %q, %v; want the result", f.typ, err)
	}
	if _, err := readParentFrame(r, 1, nil); err != io.EOF {
		t.Errorf("after the result: %v, want the end", err)
	}
}
