package proc

import (
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ffi4go/tsp/kernel"
)

// The test binary is also the Go worker: run with the argument "worker" it
// serves the protocol, as `tsp worker` does.
func TestMain(m *testing.M) {
	if len(os.Args) > 1 && os.Args[1] == "worker-deaf" {
		// Says hello, then never reads its input (TestAbandon): a request
		// larger than the pipe's buffer cannot be written whole.
		os.Stdout.Write(appendHello(nil, Hello{Version: Version, ABI: kernel.ABIVersion, Kernel: KernelGo, MaxCities: MaxCities}))
		time.Sleep(time.Minute)
		os.Exit(0)
	}
	if len(os.Args) > 1 && os.Args[1] == "worker-slow" {
		// Starts 300 ms late (TestAbandonStart), then serves.
		time.Sleep(300 * time.Millisecond)
		os.Args[1] = "worker"
	}
	linger := ""
	if len(os.Args) > 2 && os.Args[1] == "worker-linger" {
		// Writes its pid to the file its second argument names plus
		// ".pid", serves, and at the end of its input waits up to a minute
		// for that file to exist before it exits (TestExecClose).
		linger, os.Args[1] = os.Args[2], "worker"
		os.WriteFile(linger+".pid", []byte(strconv.Itoa(os.Getpid())), 0o644)
	}
	if len(os.Args) > 1 && (os.Args[1] == "worker" || os.Args[1] == "worker-v1" || os.Args[1] == "worker-v2" || os.Args[1] == "worker-v4") {
		var out io.Writer = os.Stdout
		SingleP()
		kp := kernel.GoProgress()
		if f := os.Getenv(envStallFile); f != "" {
			kp = stallTimed(kp, f)
		}
		var err error
		switch os.Args[1] {
		case "worker-v1": // a worker of protocol version 1
			err = serveVersion(os.Stdin, &helloV1{w: os.Stdout}, kernel.Go(), kp, KernelGo, Version)
		case "worker-v2": // progress frames, each waiting for its answer; no coordinates
			err = serveVersion(os.Stdin, out, kernel.Go(), kp, KernelGo, 2)
		case "worker-v4": // coordinates without progress on them
			err = ServePoints(os.Stdin, out, kernel.Go(), kp, kernel.GoPoints(), KernelGo)
		default:
			err = ServePointsProgress(os.Stdin, out, kernel.Go(), kp, kernel.GoPoints(), kernel.GoPointsProgress(), KernelGo)
		}
		if we, ok := err.(*WorkerError); ok {
			fmt.Fprintln(os.Stderr, we)
			os.Exit(we.ExitCode())
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		for end := time.Now().Add(time.Minute); linger != "" && time.Now().Before(end); time.Sleep(5 * time.Millisecond) {
			if _, err := os.Stat(linger); err == nil {
				break
			}
		}
		os.Exit(0)
	}
	code := m.Run()
	closeShared()
	removeCWorker()
	// No zombie and no leaked worker after the tests: every child this
	// process started has been reaped.
	if kids := children(); len(kids) > 0 && code == 0 {
		deadline := time.Now().Add(5 * time.Second)
		for len(kids) > 0 && time.Now().Before(deadline) {
			time.Sleep(20 * time.Millisecond)
			kids = children()
		}
		if len(kids) > 0 {
			fmt.Fprintf(os.Stderr, "FAIL: child processes left after the tests: %v\n", kids)
			code = 1
		}
	}
	os.Exit(code)
}

// children lists the processes whose parent is this one, as "pid (state)",
// zombies included; nil where /proc is missing.
func children() []string {
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	me := os.Getpid()
	var out []string
	for _, p := range stats {
		b, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		s := string(b)
		i := strings.LastIndexByte(s, ')')
		if i < 0 {
			continue
		}
		f := strings.Fields(s[i+1:])
		if len(f) < 2 {
			continue
		}
		if ppid, _ := strconv.Atoi(f[1]); ppid == me {
			out = append(out, fmt.Sprintf("%s (%s)", filepath.Base(filepath.Dir(p)), f[0]))
		}
	}
	return out
}

// envStallFile names a file where the test binary as a worker writes, after
// each solve, the time its kernel spent inside progress calls and their
// number (BenchmarkProgressWait).
const envStallFile = "TSP_TEST_STALL_FILE"

// stallTimed wraps kp so that the time its progress calls take, from the
// kernel's side (the frame written and, when waiting, its answer read), is
// summed for each solve and written to file as "NANOSECONDS CALLS".
func stallTimed(kp kernel.FuncProgress, file string) kernel.FuncProgress {
	return func(dist []float64, n, start, algorithm int32, seed uint64, budget int64, cancel *int32,
		progress kernel.ProgressFunc, order []int32, length, lowerBound *float64, nodes *uint64) int32 {
		var stall time.Duration
		calls := 0
		timed := progress
		if progress != nil {
			timed = func(event int32, l, b float64, k uint64, o []int32) int32 {
				t0 := time.Now()
				r := progress(event, l, b, k, o)
				stall += time.Since(t0)
				calls++
				return r
			}
		}
		code := kp(dist, n, start, algorithm, seed, budget, cancel, timed, order, length, lowerBound, nodes)
		os.WriteFile(file, fmt.Appendf(nil, "%d %d", stall.Nanoseconds(), calls), 0o644)
		return code
	}
}

// helloV1 says protocol version 1 in the hello, the first frame written
// through it: a worker of version 1, which a parent never asks for
// progress.
type helloV1 struct {
	w    io.Writer
	done bool
}

func (h *helloV1) Write(b []byte) (int, error) {
	if !h.done && len(b) >= 4+helloLen {
		h.done = true
		b = append([]byte(nil), b...)
		binary.LittleEndian.PutUint32(b[4+1+4:], 1) // length, 'H', magic, then the version
	}
	return h.w.Write(b)
}

// goWorker is the Go worker: this test binary.
func goWorker(name string) Config {
	return Config{Name: name, Path: os.Args[0], Args: []string{"worker"}, Grace: testGrace()}
}

// goExec is the Go worker as the exec-go backend starts it: in GoExecEnv's
// start-only mode (set here whatever this process's $GOMAXPROCS, so that
// the tests always run that mode).
func goExec(name string) Config {
	cfg := goWorker(name)
	cfg.Env = []string{"GOMAXPROCS=1", EnvSingleP + "=start"}
	return cfg
}

// testGrace is the workers' grace period in the tests: the default, or 20 s
// under the race detector.
func testGrace() time.Duration {
	if raceEnabled {
		return 20 * time.Second
	}
	return 0
}
