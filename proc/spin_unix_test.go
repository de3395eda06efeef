//go:build unix

package proc

import (
	"errors"
	"io"
	"os"
	"testing"
	"time"

	"github.com/ffi4go/tsp/internal/difftest"
)

// TestSpinReader: a read that polls returns what a sleeping read returns:
// bytes written while it polls, bytes written after its budget, the end of
// the pipe, and a passed deadline.
func TestSpinReader(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	s := newSpinReader(r)
	buf := make([]byte, 8)
	for _, delay := range []time.Duration{0, 50 * time.Microsecond, 20 * time.Millisecond} {
		go func() {
			time.Sleep(delay)
			w.Write([]byte("abc"))
		}()
		s.arm(time.Millisecond)
		n, err := s.Read(buf)
		if err != nil || string(buf[:n]) != "abc" {
			t.Errorf("written after %v: read %q, %v; want \"abc\"", delay, buf[:n], err)
		}
		if s.budget != 0 {
			t.Errorf("written after %v: the budget is still %v after the read", delay, s.budget)
		}
	}
	r.SetReadDeadline(time.Now().Add(-time.Second))
	s.arm(time.Millisecond)
	if n, err := s.Read(buf); !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Errorf("after the deadline: read %d, %v; want %v", n, err, os.ErrDeadlineExceeded)
	}
	r.SetReadDeadline(time.Time{})
	w.Close()
	s.arm(time.Millisecond)
	if n, err := s.Read(buf); n != 0 || err != io.EOF {
		t.Errorf("at the end of the pipe: read %d, %v; want 0, EOF", n, err)
	}
}

// TestSpin: pools that poll for their answers (Config.Spin) give the Go
// kernel's answers, and their deadlines still stop a solve.
func TestSpin(t *testing.T) {
	var cs []difftest.Case
	for i, c := range difftest.Cases() {
		if i%10 == 0 {
			cs = append(cs, c)
		}
	}
	gw, cw := goWorker("worker-go-spin"), cWorker(t, "worker-c-spin")
	gw.Spin, cw.Spin = 200*time.Microsecond, 200*time.Microsecond
	cw.Env = []string{EnvWorkerSpin + "=200000"} // and the C worker polls its input after each answer
	g, c := pool(gw), pool(cw)
	difftest.Compare(t, cs, g, c)
	for _, p := range []*Pool{g, c} {
		if x, err := p.Ping(7); x != 7 || err != nil {
			t.Errorf("%s: Ping(7) = %d, %v", p.Name(), x, err)
		}
		t.Run(p.Name(), func(t *testing.T) { difftest.Cancel(t, p) })
	}
}

// TestArmSpin: a request is polled for only when its worker's last answer
// came within spinRecent and was not slow.
func TestArmSpin(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	wk := &worker{cfg: Config{Spin: 50 * time.Microsecond}, sr: newSpinReader(r)}
	armed := func() bool {
		defer wk.sr.arm(0)
		wk.armSpin()
		return wk.sr.budget > 0
	}
	if armed() {
		t.Error("the first request of a worker is polled for")
	}
	wk.lastAnswer = time.Now()
	if !armed() {
		t.Error("a request right after an answer is not polled for")
	}
	wk.lastAnswer = time.Now().Add(-2 * spinRecent)
	if armed() {
		t.Errorf("a request %v after the last answer is polled for", 2*spinRecent)
	}
	wk.lastAnswer, wk.slow = time.Now(), true
	if armed() {
		t.Error("a request after a slow answer is polled for")
	}
	wk.answered(time.Now())
	if wk.slow || time.Since(wk.lastAnswer) > time.Second {
		t.Errorf("after a quick answer: slow %v, last answer %v ago", wk.slow, time.Since(wk.lastAnswer))
	}
	wk.answered(time.Now().Add(-time.Second))
	if !wk.slow {
		t.Error("an answer after a second is not slow")
	}
	wk.cfg.Spin = -1
	wk.lastAnswer, wk.slow = time.Now(), false
	if armed() {
		t.Error("Spin < 0 polls")
	}
}
