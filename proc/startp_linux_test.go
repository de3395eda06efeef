package proc

import (
	"runtime"
	"slices"
	"testing"

	"github.com/ffi4go/tsp"
	"github.com/ffi4go/tsp/internal/abi"
	"github.com/ffi4go/tsp/kernel"
)

// TestGoExecEnv: the exec-go backend's environment for its worker starts
// it on one P in SingleP's start-only mode, unless this process has
// $GOMAXPROCS, which the worker then inherits.
func TestGoExecEnv(t *testing.T) {
	t.Setenv("GOMAXPROCS", "")
	if got, want := GoExecEnv(), []string{"GOMAXPROCS=1", EnvSingleP + "=start"}; !slices.Equal(got, want) {
		t.Errorf("GoExecEnv() = %q, want %q", got, want)
	}
	t.Setenv("GOMAXPROCS", "3")
	if got := GoExecEnv(); got != nil {
		t.Errorf("with GOMAXPROCS=3: GoExecEnv() = %q, want nil", got)
	}
}

// TestStartP: a worker in SingleP's start-only mode (GoExecEnv) runs on one
// P until its first solve starts, then on two for good, so that a cancel
// during any solve is read at once; in the opt-in mode (EnvSingleP=1) a
// short solve leaves it on one P. Serve runs in this process, whose
// GOMAXPROCS the test sets and restores (on Linux, where the
// in-process worker of watch_linux_test.go reads a pipe as a worker does).
func TestStartP(t *testing.T) {
	if runtime.NumCPU() < 2 {
		t.Skip("one CPU: SingleP does nothing")
	}
	prev := runtime.GOMAXPROCS(0)
	t.Cleanup(func() {
		singleP.Store(0)
		startP.Store(false)
		runtime.GOMAXPROCS(prev)
	})
	demo, _ := tsp.HaversineMatrix(tsp.Demo11())
	dm := kernel.Data(demo)
	for _, c := range []struct {
		mode  string
		procs int // GOMAXPROCS after each of two short solves
	}{{"start", 2}, {"1", 1}} {
		singleP.Store(0)
		startP.Store(false)
		runtime.GOMAXPROCS(1)
		t.Setenv("GOMAXPROCS", "1")
		t.Setenv(EnvSingleP, c.mode)
		SingleP()
		if singleP.Load() != 2 || startP.Load() != (c.mode == "start") {
			t.Fatalf("mode %q: SingleP set %d %v", c.mode, singleP.Load(), startP.Load())
		}
		w := startWatchWorker(t)
		if got := runtime.GOMAXPROCS(0); got != 1 {
			t.Errorf("mode %q: GOMAXPROCS %d before the first solve, want 1", c.mode, got)
		}
		order := make([]int32, 11)
		for id := uint64(1); id <= 2; id++ {
			w.send(solveBytes(id, 11, dm, abi.Exact, 0))
			if f := w.frame(11, order); f.typ != frameResult || f.id != id || f.res.status != abi.CodeOK {
				t.Fatalf("mode %q, solve %d: frame %q id %d status %d", c.mode, id, f.typ, f.id, f.res.status)
			}
			// lower runs after the result is written: a ping's answer
			// comes after it.
			w.send(appendPing(nil, framePing, 100+id, 1))
			if f := w.frame(11, nil); f.typ != framePong {
				t.Fatalf("mode %q: frame %q, want a pong", c.mode, f.typ)
			}
			if got := runtime.GOMAXPROCS(0); got != c.procs {
				t.Errorf("mode %q: GOMAXPROCS %d after solve %d, want %d", c.mode, got, id, c.procs)
			}
		}
		w.in.Close()
		if err := <-w.done; err != nil {
			t.Errorf("mode %q: Serve: %v", c.mode, err)
		}
	}
}
