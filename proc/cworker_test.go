package proc

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ffi4go/tsp/internal/difftest"
	"github.com/ffi4go/tsp/loader"
)

var (
	cOnce sync.Once
	cPath string
	cErr  error
	cDir  string
)

// cWorker returns the C worker's config: tsp-worker-c from $TSP_LIB_PATH,
// else built once by loader.BuildWorker into a temporary directory. A
// machine without a C compiler skips, except under CI=true.
func cWorker(t testing.TB, name string) Config {
	cOnce.Do(func() {
		for _, d := range filepath.SplitList(os.Getenv("TSP_LIB_PATH")) {
			if p := filepath.Join(d, loader.FileWorkerC); d != "" {
				if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() {
					cPath = p
					return
				}
			}
		}
		cDir, cErr = os.MkdirTemp("", "tsp-proc-test-")
		if cErr == nil {
			cPath, cErr = loader.BuildWorker(cDir, loader.BuildOptions{})
		}
	})
	if cErr != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("CI=true and the C worker cannot be built: %v", cErr)
		}
		t.Skipf("the C worker cannot be built here: %v", cErr)
	}
	return Config{Name: name, Path: cPath, Grace: testGrace()}
}

func removeCWorker() {
	if cDir != "" {
		os.RemoveAll(cDir)
	}
}

func TestCancelC(t *testing.T) {
	t.Run("pool", func(t *testing.T) { difftest.Cancel(t, pool(cWorker(t, "worker-c"))) })
	t.Run("exec", func(t *testing.T) { difftest.Cancel(t, NewExec(cWorker(t, "exec-c"))) })
}

// The same fault in the C kernel's worker: a segmentation fault, which in
// cgo-c would end this process.
func TestCrashC(t *testing.T) {
	cfg := cWorker(t, "worker-c")
	cfg.Env = []string{EnvFault + "=crash:666"}
	cfg.Size = 1
	crashAndRecover(t, pool(cfg))
}

// TestCWorkerWatchPoll: the C worker's way of reading its input during a
// solve where epoll is missing (a condition variable, then poll() with a
// pipe that the solve's end writes), forced by TSP_WORKER_WATCH=poll,
// carries cancels, progress answers and stops as the epoll way does.
func TestCWorkerWatchPoll(t *testing.T) {
	c := cWorker(t, "worker-c-poll")
	c.Env = []string{"TSP_WORKER_WATCH=poll"}
	w := progressWait(c)
	w.Name = "worker-c-poll-wait"
	difftest.ProgressSame(t, pool(c), pool(w))
	difftest.ProgressStop(t, pool(w))
	t.Run("cancel", func(t *testing.T) { difftest.Cancel(t, pool(c)) })
}

// TestCWorkerSpinEnv: a TSP_WORKER_SPIN_NS that is not a number of
// nanoseconds stops the C worker before its hello, with the reason.
func TestCWorkerSpinEnv(t *testing.T) {
	c := cWorker(t, "worker-c")
	c.Env = []string{EnvWorkerSpin + "=50us"}
	c.StartTimeout = 10 * time.Second
	w, err := start(c)
	if err == nil {
		w.close()
		t.Fatal("a worker with TSP_WORKER_SPIN_NS=50us started")
	}
	if !strings.Contains(err.Error(), "TSP_WORKER_SPIN_NS=50us") {
		t.Errorf("error %q does not name the setting", err)
	}
}
