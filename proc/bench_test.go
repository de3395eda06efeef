package proc

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ffi4go/tsp"
	"github.com/ffi4go/tsp/internal/abi"
	"github.com/ffi4go/tsp/internal/difftest"
	"github.com/ffi4go/tsp/kernel"
)

// ballast is the parent's heap while BenchmarkSpawn runs.
var ballast []byte

// BenchmarkSpawn: what one process per solve costs as the parent grows.
// Each op starts a worker, reads its hello, makes an empty round trip and
// reaps it (Exec.Ping), with 10 MB, 1 GB and 4 GB of touched heap in this
// process. Go's os/exec starts the child with clone(CLONE_VFORK|CLONE_VM),
// which copies no page table. exec-go is what the exec-go backend starts:
// the Go worker with GoExecEnv's environment (one P until its first
// solve); exec-go-2p the same program with the runtime's default (all Ps
// from the start), exec-go-1p opted in to SingleP (GoWorkerEnv). child-CPU-ms/op is the child's own CPU time
// (start, hello, pong, exit). exec-go runs tsp-worker-go (or, without one
// in $TSP_LIB_PATH, this test binary), exec-go-tsp the whole tsp command
// when $TSP_LIB_PATH has one. -short runs only the 10 MB case.
func BenchmarkSpawn(b *testing.B) {
	for _, heap := range []int{10 << 20, 1 << 30, 4 << 30} {
		name := fmt.Sprintf("heap=%dMB", heap>>20)
		if testing.Short() && heap > 10<<20 {
			continue
		}
		b.Run(name, func(b *testing.B) {
			ballast = make([]byte, heap)
			for i := 0; i < len(ballast); i += 4096 {
				ballast[i] = 1
			}
			defer func() { ballast = nil; runtime.GC() }()
			cfgs := []Config{cWorker(b, "exec-c"), execConfig(benchGoWorker("exec-go")), benchGoWorker("exec-go-2p"),
				singlePConfig(benchGoWorker("exec-go-1p"))}
			if c, ok := benchTSPWorker("exec-go-tsp"); ok {
				cfgs = append(cfgs, c)
			}
			for _, cfg := range cfgs {
				e := NewExec(cfg)
				b.Run(cfg.Name, func(b *testing.B) {
					benchSpawns(b, e, false)
					b.ReportMetric(float64(status("VmRSS"))/1024, "parent-RSS-MB")
				})
			}
		})
	}
}

// BenchmarkSpawnAlone: what one process per solve costs a request when the
// machine is otherwise idle, as a web app's solves mostly come: each op is
// Exec.Ping (start, hello, empty round trip) after the previous worker has
// exited and been reaped (Exec.Close) and a pause of 1 ms, both outside the
// timer. BenchmarkSpawn's ops come back to back, so each start there shares
// the machine with the previous worker's exit, which Exec leaves to the
// background.
func BenchmarkSpawnAlone(b *testing.B) {
	for _, cfg := range []Config{cWorker(b, "exec-c"), execConfig(benchGoWorker("exec-go"))} {
		e := NewExec(cfg)
		b.Run(cfg.Name, func(b *testing.B) { benchSpawns(b, e, true) })
	}
}

// benchSpawns times e.Ping, an op each, and reports the workers' CPU time
// an op (child-CPU-ms/op, once all have been reaped). alone makes each op
// wait, outside the timer, for the previous worker's exit (Exec.Close) and
// 1 ms more.
func benchSpawns(b *testing.B, e *Exec, alone bool) {
	cpu0 := childrenCPU()
	for b.Loop() {
		if _, err := e.Ping(1); err != nil {
			b.Fatal(err)
		}
		if alone {
			b.StopTimer()
			e.Close()
			time.Sleep(time.Millisecond)
			b.StartTimer()
		}
	}
	e.Close()
	if c := childrenCPU() - cpu0; c > 0 {
		b.ReportMetric(float64(c.Microseconds())/1000/float64(b.N), "child-CPU-ms/op")
	}
}

// BenchmarkTransfer: what sending the matrix costs. Nearest is O(n²) and
// cheap, so the pipe shows: the n×n float64 matrix (8·n² bytes: 800 MB at
// 10,000 cities) goes to a pooled worker and the order comes back; go is
// the same solve in this process. It reports the worker's peak RSS
// (VmHWM) and this process's. -short runs only n=1000.
func BenchmarkTransfer(b *testing.B) {
	for _, n := range []int{1000, 5000, 10000} {
		if testing.Short() && n > 1000 {
			continue
		}
		m := difftest.Haversine(n, 1)
		opt := tsp.Options{Algorithm: tsp.Nearest}
		solvers := []tsp.Solver{tsp.Go(), NewPool(cWorker(b, "worker-c")), NewPool(benchGoWorker("worker-go"))}
		for _, s := range solvers {
			b.Run(fmt.Sprintf("n=%d/%s", n, s.Name()), func(b *testing.B) {
				for b.Loop() {
					if _, err := s.Solve(context.Background(), m, opt); err != nil {
						b.Fatal(err)
					}
				}
				b.SetBytes(int64(8 * n * n))
				if p, ok := s.(*Pool); ok {
					for _, pid := range p.Pids() {
						b.ReportMetric(float64(statusOf(pid, "VmHWM"))/1024, "worker-peak-MB")
					}
					p.Close()
				}
				b.ReportMetric(float64(status("VmHWM"))/1024, "parent-peak-MB")
			})
		}
	}
}

// BenchmarkIdleWorker reports the resident memory of an idle pooled
// worker after one demo11 solve.
func BenchmarkIdleWorker(b *testing.B) {
	m, _ := tsp.HaversineMatrix(tsp.Demo11())
	for _, cfg := range []Config{cWorker(b, "worker-c"), benchGoWorker("worker-go")} {
		b.Run(cfg.Name, func(b *testing.B) {
			p := NewPool(cfg)
			defer p.Close()
			for b.Loop() {
				if _, err := p.Solve(context.Background(), m, tsp.Options{Algorithm: tsp.Exact}); err != nil {
					b.Fatal(err)
				}
			}
			for _, pid := range p.Pids() {
				b.ReportMetric(float64(statusOf(pid, "VmRSS")), "worker-RSS-kB")
			}
		})
	}
}

// status returns a field of /proc/self/status in kB, -1 if unknown.
func status(field string) int64 { return statusOf(os.Getpid(), field) }

func statusOf(pid int, field string) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return -1
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, field+":"); ok {
			f := strings.Fields(v)
			if len(f) > 0 {
				if n, err := strconv.ParseInt(f[0], 10, 64); err == nil {
					return n
				}
			}
		}
	}
	return -1
}

// execConfig is cfg with GoExecEnv's environment, as the exec-go backend
// starts its worker.
func execConfig(cfg Config) Config {
	cfg.Env = append(cfg.Env[:len(cfg.Env):len(cfg.Env)], GoExecEnv()...)
	return cfg
}

// singlePConfig is cfg opted in to SingleP's mode (GoWorkerEnv): the -1p
// variants of the benchmarks.
func singlePConfig(cfg Config) Config {
	cfg.Env = append(cfg.Env[:len(cfg.Env):len(cfg.Env)], GoWorkerEnv()...)
	return cfg
}

// benchGoWorker is the Go worker of the benchmarks: the tsp command in
// $TSP_LIB_PATH when there is one (what users run), else this test binary.
func benchGoWorker(name string) Config {
	for _, d := range filepath.SplitList(os.Getenv("TSP_LIB_PATH")) {
		for _, f := range []string{"tsp-worker-go", "tsp"} {
			p := filepath.Join(d, f)
			if st, err := os.Stat(p); d != "" && err == nil && st.Mode().IsRegular() {
				return Config{Name: name, Path: p, Args: []string{"worker"}}
			}
		}
	}
	return goWorker(name)
}

// benchTSPWorker is `tsp worker` from $TSP_LIB_PATH (the whole command,
// for comparison with tsp-worker-go), if there is one.
func benchTSPWorker(name string) (Config, bool) {
	for _, d := range filepath.SplitList(os.Getenv("TSP_LIB_PATH")) {
		p := filepath.Join(d, "tsp")
		if st, err := os.Stat(p); d != "" && err == nil && st.Mode().IsRegular() {
			return Config{Name: name, Path: p, Args: []string{"worker"}}, true
		}
	}
	return Config{}, false
}

// BenchmarkOverhead: what a pooled worker adds to a solve. Each op sends
// demo11's Exact request (the kernel call tsp.Solve makes) to one worker
// and reads the result; overhead-ns is the round trip minus the kernel's
// own time as the worker measured it (the result's solve nanoseconds):
// the pipe, the two copies and the two wake-ups, without the solve.
// worker-go-1p is worker-go opted in to SingleP. The workers poll for the
// answer as Config.Spin's default does (up to 100 µs while the CPUs are
// calm), the -nospin ones never (and the C worker does not poll its input
// after an answer either: TSP_WORKER_SPIN_NS=0). overhead-p50-ns is the
// median op's: on a busy machine the mean follows
// the few ops that lost their CPU, the median the common case;
// overhead-p90-ns the tenth slowest in a hundred. The ops come back to
// back; BenchmarkOverheadAlone pauses between them.
func BenchmarkOverhead(b *testing.B) { benchOverhead(b, 0) }

// BenchmarkOverheadAlone is BenchmarkOverhead with a pause of 2 ms after
// each op, outside the timer: a solve as a server with idle CPUs sees one,
// its worker and its own threads asleep.
func BenchmarkOverheadAlone(b *testing.B) { benchOverhead(b, 2*time.Millisecond) }

func benchOverhead(b *testing.B, pause time.Duration) {
	m, _ := tsp.HaversineMatrix(tsp.Demo11())
	never := func(cfg Config) Config {
		cfg.Name += "-nospin"
		cfg.Spin = -1
		cfg.Env = append(cfg.Env, EnvWorkerSpin+"=0")
		return cfg
	}
	for _, cfg := range []Config{cWorker(b, "worker-c"), benchGoWorker("worker-go"), singlePConfig(benchGoWorker("worker-go-1p")),
		never(cWorker(b, "worker-c")), never(benchGoWorker("worker-go"))} {
		b.Run("demo11/exact/"+cfg.Name, func(b *testing.B) {
			w, err := start(cfg)
			if err != nil {
				b.Fatal(err)
			}
			defer w.close()
			res := result{order: make([]int32, 11)}
			var over time.Duration
			var each []time.Duration
			for b.Loop() {
				q := request{n: 11, algorithm: abi.Exact | abi.FlagChecked, matrix: kernel.Data(m)}
				t0 := time.Now()
				if err := w.solve(context.Background(), &q, &res); err != nil || res.status != abi.CodeOK {
					b.Fatal(res.status, err)
				}
				d := time.Since(t0) - time.Duration(res.solveNS)
				over += d
				each = append(each, d)
				if pause > 0 {
					b.StopTimer()
					time.Sleep(pause)
					b.StartTimer()
				}
			}
			b.ReportMetric(float64(over.Nanoseconds())/float64(b.N), "overhead-ns/op")
			slices.Sort(each)
			b.ReportMetric(float64(each[len(each)/2].Nanoseconds()), "overhead-p50-ns")
			b.ReportMetric(float64(each[len(each)*9/10].Nanoseconds()), "overhead-p90-ns")
		})
	}
}

// BenchmarkReplace: how soon a pool of one has a new worker after its
// worker died mid-solve (issue 17's target: 100 ms). Each op makes a
// solve crash its worker (the fault-injection switch) and waits until the
// pool has an idle worker again; replace-ms is that wait, from the failed
// solve's return.
func BenchmarkReplace(b *testing.B) {
	m := difftest.Haversine(30, 1)
	for _, cfg := range []Config{cWorker(b, "worker-c"), benchGoWorker("worker-go")} {
		b.Run(cfg.Name, func(b *testing.B) {
			cfg.Env = []string{EnvFault + "=crash:666"}
			cfg.Size = 1
			p := NewPool(cfg)
			defer p.Close()
			opt := tsp.Options{Algorithm: tsp.Iterated, Budget: 100, Seed: 666}
			var wait time.Duration
			for b.Loop() {
				if _, err := p.Solve(context.Background(), m, opt); err == nil {
					b.Fatal("the crash switch did not crash the worker")
				}
				t0 := time.Now()
				if !p.waitIdle(1, 10*time.Second) {
					b.Fatal("no worker within 10 s")
				}
				wait += time.Since(t0)
			}
			b.ReportMetric(float64(wait.Microseconds())/1000/float64(b.N), "replace-ms")
		})
	}
}
