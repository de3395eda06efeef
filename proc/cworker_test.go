package proc

import (
	"os"
	"path/filepath"
	"sync"
	"testing"

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
