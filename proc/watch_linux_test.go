package proc

import (
	"bufio"
	"math"
	"os"
	"testing"
	"time"

	"github.com/ffi4go/tsp"
	"github.com/ffi4go/tsp/internal/abi"
	"github.com/ffi4go/tsp/internal/difftest"
	"github.com/ffi4go/tsp/kernel"
)

// watchWorker is Serve on the Go kernel in this process, reading a pipe as
// a worker reads its standard input (so with a watch); the test writes
// requests to in and reads frames from out. done receives Serve's result.
type watchWorker struct {
	t    *testing.T
	in   *os.File
	out  *bufio.Reader
	done chan error
}

func startWatchWorker(t *testing.T) *watchWorker {
	t.Helper()
	inR, inW, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	outR, outW, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	if newWatch(inR) == nil {
		t.Fatal("no watch on a pipe")
	}
	w := &watchWorker{t: t, in: inW, out: bufio.NewReader(outR), done: make(chan error, 1)}
	go func() {
		w.done <- Serve(inR, outW, kernel.Go(), KernelGo)
		inR.Close()
		outW.Close()
	}()
	t.Cleanup(func() { inW.Close(); outR.Close() })
	if f := w.frame(0, nil); f.typ != frameHello {
		t.Fatalf("first frame %q, want a hello", f.typ)
	}
	return w
}

func (w *watchWorker) send(b []byte) {
	w.t.Helper()
	if _, err := w.in.Write(b); err != nil {
		w.t.Fatal(err)
	}
}

func (w *watchWorker) frame(n int, order []int32) parentFrame {
	w.t.Helper()
	f, err := readParentFrame(w.out, n, order)
	if err != nil {
		w.t.Fatal(err)
	}
	return f
}

// solveBytes is a request frame for m (n×n), with its matrix.
func solveBytes(id uint64, n int, m []float64, alg int32, budget int64) []byte {
	q := request{id: id, n: int32(n), algorithm: alg, seed: 1, budget: budget, matrix: m}
	b := appendSolveHead(nil, &q)
	for _, v := range m {
		b = le.AppendUint64(b, math.Float64bits(v))
	}
	return b
}

// TestWatch: a Go worker reading a pipe (Linux) runs each solve on the
// goroutine that read it and starts no reader for a solve that no bytes
// follow; bytes during a solve (a ping, a cancel, the end of the input)
// wake the watch, whose goroutine reads them at once and reads on.
func TestWatch(t *testing.T) {
	w := startWatchWorker(t)
	demo, _ := tsp.HaversineMatrix(tsp.Demo11())
	dm := kernel.Data(demo)
	want := result{order: make([]int32, 11)}
	want.status = kernel.Go()(dm, 11, 0, abi.Exact, 0, 0, new(int32), want.order, &want.length, &want.lowerBound, &want.nodes)
	order := make([]int32, 11)
	id := uint64(0)
	quick := func(k int) {
		t.Helper()
		h0 := handovers.Load()
		for range k {
			id++
			w.send(solveBytes(id, 11, dm, abi.Exact, 0))
			f := w.frame(11, order)
			if f.typ != frameResult || f.id != id || f.res.status != abi.CodeOK || f.res.length != want.length ||
				f.res.nodes != want.nodes || f.res.lowerBound != want.lowerBound {
				t.Fatalf("request %d: frame %q id %d status %d length %v nodes %d, want the result %v %d", id, f.typ, f.id,
					f.res.status, f.res.length, f.res.nodes, want.length, want.nodes)
			}
		}
		if h := handovers.Load() - h0; h != 0 {
			t.Fatalf("%d solves started %d readers, want none", k, h)
		}
	}
	quick(200)

	// A long solve: a ping is answered while it runs, a cancel stops it.
	big := kernel.Data(difftest.Haversine(300, 1))
	long := func() uint64 {
		id++
		w.send(solveBytes(id, 300, big, abi.Iterated, 1<<40))
		time.Sleep(20 * time.Millisecond)
		return id
	}
	h0 := handovers.Load()
	lid := long()
	w.send(appendPing(nil, framePing, 99, 7))
	if f := w.frame(300, nil); f.typ != framePong || f.id != 99 || f.x != 7 {
		t.Fatalf("during a solve: frame %q id %d x %d, want pong 99 7", f.typ, f.id, f.x)
	}
	t0 := time.Now()
	w.send(appendCancel(nil, lid))
	big300 := make([]int32, 300)
	if f := w.frame(300, big300); f.typ != frameResult || f.id != lid || f.res.status != abi.CodeStopped {
		t.Fatalf("after a cancel: frame %q id %d status %d, want a stopped result of %d", f.typ, f.id, f.res.status, lid)
	}
	if d := time.Since(t0); d > time.Second {
		t.Fatalf("the cancel took %v", d)
	}
	if h := handovers.Load() - h0; h != 1 {
		t.Fatalf("a solve with a ping and a cancel started %d readers, want 1 (the watcher)", h)
	}
	quick(50) // the watcher reads on, and watches no more: a new one does

	// A cancel that comes with its request (one write) is read at once.
	id++
	b := solveBytes(id, 300, big, abi.Iterated, 1<<40)
	t0 = time.Now()
	w.send(append(b, appendCancel(nil, id)...))
	if f := w.frame(300, big300); f.typ != frameResult || f.id != id || f.res.status != abi.CodeStopped {
		t.Fatalf("request and cancel in one write: frame %q status %d, want stopped", f.typ, f.res.status)
	}
	if d := time.Since(t0); d > time.Second {
		t.Fatalf("the cancel took %v", d)
	}
	quick(20)

	// The end of the input during a solve stops it and ends Serve.
	long()
	w.in.Close()
	select {
	case err := <-w.done:
		if err != nil {
			t.Fatalf("Serve at the end of its input: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Serve did not end within 5 s of the end of its input during a solve")
	}
}

// TestWatchRace: cancels and pings that come while a short solve ends
// (before, during or after the watch is disarmed) are read by the one
// reader there is at each moment: every request is answered, in order,
// every ping once, and the worker serves on. Run with -race too.
func TestWatchRace(t *testing.T) {
	w := startWatchWorker(t)
	m := kernel.Data(difftest.Haversine(40, 3))
	order := make([]int32, 40)
	rounds := 600
	if testing.Short() {
		rounds = 200
	}
	pongs := 0
	h0 := handovers.Load()
	for i := range rounds {
		id := uint64(i + 1)
		w.send(solveBytes(id, 40, m, abi.Iterated, int64(i%50)))
		// A busy wait of 0-150 us: the cancel lands before, during or
		// after the solve's end.
		for t0 := time.Now(); time.Since(t0) < time.Duration(i%7)*25*time.Microsecond; {
		}
		b := appendCancel(nil, id)
		if i%5 == 0 {
			b = appendPing(b, framePing, id, int32(i))
		}
		w.send(b)
		gotResult, gotPong := false, i%5 != 0
		for !gotResult || !gotPong {
			f := w.frame(40, order)
			switch {
			case f.typ == framePong && f.id == id && f.x == int32(i) && !gotPong:
				gotPong = true
				pongs++
			case f.typ == frameResult && f.id == id && !gotResult &&
				(f.res.status == abi.CodeOK || f.res.status == abi.CodeStopped):
				gotResult = true
			default:
				t.Fatalf("request %d: frame %q id %d status %d", id, f.typ, f.id, f.res.status)
			}
		}
	}
	t.Logf("%d of %d solves handed the reading over to a watcher", handovers.Load()-h0, rounds)
	if pongs != (rounds+4)/5 {
		t.Fatalf("%d pongs, want %d", pongs, (rounds+4)/5)
	}
	w.in.Close()
	select {
	case err := <-w.done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Serve did not end within 5 s of the end of its input")
	}
}
