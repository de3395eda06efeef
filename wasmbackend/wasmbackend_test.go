package wasmbackend

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ffi4go/tsp"
	"github.com/ffi4go/tsp/internal/abi"
	"github.com/ffi4go/tsp/internal/difftest"
	"github.com/ffi4go/tsp/kernel"
)

// forEach runs f on both kernels.
func forEach(t *testing.T, f func(t *testing.T, k *Kernel)) {
	t.Helper()
	for _, open := range []func() (*Kernel, error){New, NewCPP} {
		k, err := open()
		if err != nil {
			t.Fatal(err)
		}
		t.Run(k.Name(), func(t *testing.T) { f(t, k) })
	}
}

// TestDifferential: every case of internal/difftest gives the Go kernel's
// order, length and bound bits, nodes, status and error, on both kernels.
// Built without cgo it takes every fifth case (as -short does): this
// package uses no cgo, so that run executes the very code the run with cgo
// checked on every case, and make test runs both.
func TestDifferential(t *testing.T) {
	c, err := New()
	if err != nil {
		t.Fatal(err)
	}
	cpp, err := NewCPP()
	if err != nil {
		t.Fatal(err)
	}
	cases := difftest.Cases()
	if !cgoBuild {
		var some []difftest.Case
		for i := 0; i < len(cases); i += 5 {
			some = append(some, cases[i])
		}
		cases = some
	}
	difftest.Compare(t, cases, c, cpp)
}

// TestProofs: Exact proves Exhaustive's optimum at every scale.
func TestProofs(t *testing.T) {
	forEach(t, func(t *testing.T, k *Kernel) { difftest.Proofs(t, k) })
}

// TestRoutes: asymmetric matrices and routes with an end, against brute force.
func TestRoutes(t *testing.T) {
	forEach(t, func(t *testing.T, k *Kernel) { difftest.Routes(t, k) })
}

// TestValidation: tsp_solve itself, without Go's checks in front, refuses
// every bad matrix and honours the flags as the Go kernel does.
func TestValidation(t *testing.T) {
	forEach(t, func(t *testing.T, k *Kernel) { difftest.Validation(t, k.solve) })
}

// TestCalls: tsp_abi_version, tsp_noop, tsp_haversine and tsp_matrix agree
// with Go (wasi-libc's sin, cos and asin within 1e-12, as glibc's).
func TestCalls(t *testing.T) {
	forEach(t, func(t *testing.T, k *Kernel) { difftest.CheckCalls(t, k) })
}

// TestCancel: deadlines and cancels stop every search.
func TestCancel(t *testing.T) {
	forEach(t, func(t *testing.T, k *Kernel) { difftest.Cancel(t, k) })
}

func TestSolveErrors(t *testing.T) {
	forEach(t, func(t *testing.T, k *Kernel) { difftest.SolveErrors(t, k) })
}

func TestDuplicateStops(t *testing.T) {
	c, _ := New()
	cpp, _ := NewCPP()
	difftest.DuplicateStops(t, c, cpp)
}

// TestConcurrent: eight goroutines solve through one Kernel at once, each
// getting the Go kernel's answer, while others make the small calls: the
// pool gives each its own instance, and keeps at most GOMAXPROCS of them.
func TestConcurrent(t *testing.T) {
	forEach(t, func(t *testing.T, k *Kernel) {
		difftest.ConcurrentWithCalls(t, k, k, 500)
		if n := k.Idle(); n < 1 || n > runtime.GOMAXPROCS(0) {
			t.Errorf("%d idle instances after the solves, want 1 to GOMAXPROCS (%d)", n, runtime.GOMAXPROCS(0))
		}
	})
}

// hardExhaustive is 13 cities: Exhaustive takes seconds on them.
func hardExhaustive() *tsp.Matrix { return difftest.Haversine(13, 77) }

// stopsInTime solves m with Exhaustive under a 50 ms deadline and requires
// a stopped tour within 100 ms of the deadline. Meanwhile a goroutine
// ticks every millisecond: the longest gap between its ticks, also at most
// 100 ms, says whether the solve stalled the process. On a machine busy
// with other work a thread may wait that long for a CPU, so it tries three
// times and fails when no try met both bounds; without the host poll every
// try would run the whole search (seconds).
func stopsInTime(t *testing.T, k *Kernel, m *tsp.Matrix) {
	t.Helper()
	const deadline, bound = 50 * time.Millisecond, 100 * time.Millisecond
	var tries []string
	for try := 0; try < 3; try++ {
		late, gap := stopOnce(t, k, m, deadline)
		tries = append(tries, fmt.Sprintf("stopped %v after the deadline, longest tick gap %v", late, gap))
		if late <= bound && gap <= bound {
			t.Log(strings.Join(tries, "; "))
			return
		}
	}
	t.Errorf("no try stopped within %v of the %v deadline without stalling the process: %s", bound, deadline, strings.Join(tries, "; "))
}

func stopOnce(t *testing.T, k *Kernel, m *tsp.Matrix, deadline time.Duration) (late, gap time.Duration) {
	t.Helper()
	var maxGap atomic.Int64
	done := make(chan time.Time, 1)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		last := time.Now()
		for {
			var end time.Time
			select {
			case end = <-done:
			case <-time.After(time.Millisecond):
			}
			now := time.Now()
			if !end.IsZero() {
				now = end // the solve returned then: the gap ends there
			}
			if g := int64(now.Sub(last)); g > maxGap.Load() {
				maxGap.Store(g)
			}
			if !end.IsZero() {
				return
			}
			last = now
		}
	}()
	ctx, cancel := context.WithTimeout(context.Background(), deadline)
	defer cancel()
	start := time.Now()
	tour, err := k.Solve(ctx, m, tsp.Options{Algorithm: tsp.Exhaustive})
	took := time.Since(start)
	done <- time.Now()
	wg.Wait()
	difftest.CheckStopped(t, m, tour, err, 0, context.DeadlineExceeded)
	return took - deadline, time.Duration(maxGap.Load())
}

// TestCancelGOMAXPROCS1: with one P, the timer and the context's AfterFunc
// can only run when the solving goroutine is preempted, which WebAssembly
// code never is: the kernel's poll of the host is where it happens.
func TestCancelGOMAXPROCS1(t *testing.T) {
	m := hardExhaustive()
	forEach(t, func(t *testing.T, k *Kernel) {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
		stopsInTime(t, k, m)
	})
}

// TestCancelGCPressure: garbage collections start during the solve (a
// goroutine allocates and calls runtime.GC); a stop-the-world waits for the
// solving goroutine, which must reach a poll soon.
func TestCancelGCPressure(t *testing.T) {
	m := hardExhaustive()
	forEach(t, func(t *testing.T, k *Kernel) {
		stop := make(chan struct{})
		var wg sync.WaitGroup
		wg.Add(1)
		go func() {
			defer wg.Done()
			var keep [][]byte
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				keep = append(keep, make([]byte, 64<<10))
				if len(keep) > 256 {
					keep = keep[:0]
					runtime.GC()
				}
			}
		}()
		stopsInTime(t, k, m)
		close(stop)
		wg.Wait()
	})
}

// TestPoolGivesMemoryBack: an instance that grew past KeepMemory is closed
// after its solve, so the pool keeps none of it; small ones are kept.
func TestPoolGivesMemoryBack(t *testing.T) {
	big := difftest.Haversine(1500, 3) // 18 MB of matrix
	forEach(t, func(t *testing.T, k *Kernel) {
		if _, err := k.Solve(context.Background(), difftest.Haversine(20, 1), tsp.Options{Algorithm: tsp.TwoOpt}); err != nil {
			t.Fatal(err)
		}
		before := k.Idle()
		if before < 1 {
			t.Fatalf("%d idle instances after a small solve", before)
		}
		// Take every idle instance, so that the big solve instantiates.
		var held []*instance
		for range before {
			in, err := k.pool.get()
			if err != nil {
				t.Fatal(err)
			}
			held = append(held, in)
		}
		tour, err := k.Solve(context.Background(), big, tsp.Options{Algorithm: tsp.Nearest})
		if err != nil {
			t.Fatal(err)
		}
		difftest.CheckTour(t, big, tour, 0)
		if n := k.Idle(); n != 0 {
			t.Errorf("%d idle instances after the big solve, want 0: its instance (%d cities) must be closed", n, big.N())
		}
		for _, in := range held {
			if sz := in.mem.Size(); sz > KeepMemory {
				t.Errorf("a kept instance has %d bytes", sz)
			}
			k.pool.put(in)
		}
		for _, in := range held {
			if in.mod.IsClosed() {
				t.Error("a small instance was closed")
			}
		}
	})
}

// TestPoolTrim: idle instances are closed after IdleTimeout.
func TestPoolTrim(t *testing.T) {
	forEach(t, func(t *testing.T, k *Kernel) {
		in, err := k.pool.get()
		if err != nil {
			t.Fatal(err)
		}
		k.pool.put(in)
		// The first trim keeps what was put back since the last one; the
		// second closes it.
		k.pool.trim()
		if n := k.Idle(); n == 0 {
			t.Error("no idle instance after one trim, want the one just put back")
		}
		k.pool.trim()
		if n := k.Idle(); n != 0 {
			t.Errorf("%d idle instances after two trims, want 0", n)
		}
		if !in.mod.IsClosed() {
			t.Error("the trimmed instance is not closed")
		}
		// The pool still works.
		if _, err := k.Solve(context.Background(), difftest.Haversine(8, 2), tsp.Options{}); err != nil {
			t.Fatal(err)
		}
	})
}

// TestOutOfMemory: memory exhausted inside the kernel gives
// tsp.ErrOutOfMemory, not a crash or a wrong tour, and the kernel works
// afterwards. The C kernel's malloc returns NULL (TSP_NO_MEMORY); the C++
// kernel's operator new tells the host and traps (native/wasm/new.cpp), and
// the instance is discarded. A matrix past the memory limit is refused the
// same way before the call. A runtime of its own with a 4 MiB limit.
func TestOutOfMemory(t *testing.T) {
	e, err := newEngine(4 << 20)
	if err != nil {
		t.Fatal(err)
	}
	defer e.rt.Close(context.Background())
	for _, c := range []struct {
		bin  []byte
		name string
		id   int32
	}{{wasmC, NameC, 1}, {wasmCPP, NameCPP, 2}} {
		t.Run(c.name, func(t *testing.T) {
			k, err := e.compile(c.name, c.bin, c.id)
			if err != nil {
				t.Fatal(err)
			}
			m := difftest.Haversine(30, 5)
			// The only idle instance: its scratch holds the matrix, then
			// ballast fills its memory to the limit.
			in, err := k.pool.get()
			if err != nil {
				t.Fatal(err)
			}
			if p, err := in.scratch(8*30*30 + 4*30 + 32); err != nil || p == 0 {
				t.Fatalf("scratch: %d, %v", p, err)
			}
			for i := 0; ; i++ {
				in.stack[0] = 1024
				p, err := in.call(in.malloc)
				if err != nil {
					t.Fatal(err)
				}
				if p == 0 {
					break
				}
				if i > 8192 {
					t.Fatal("malloc never fails")
				}
			}
			k.pool.put(in)
			_, err = k.Solve(context.Background(), m, tsp.Options{Algorithm: tsp.Exact})
			if !errors.Is(err, tsp.ErrOutOfMemory) {
				t.Errorf("a kernel out of memory: %v, want an error wrapping tsp.ErrOutOfMemory", err)
			}
			// Whatever is left of it, the kernel solves again in a fresh
			// instance.
			for k.Idle() > 0 {
				in, _ := k.pool.get()
				in.close()
			}
			tour, err := k.Solve(context.Background(), m, tsp.Options{Algorithm: tsp.Exact})
			if err != nil {
				t.Fatal(err)
			}
			difftest.CheckTour(t, m, tour, 0)
			// 1,000 cities: 8 MB of matrix, past the limit.
			_, err = k.Solve(context.Background(), difftest.Haversine(1000, 5), tsp.Options{Algorithm: tsp.Nearest})
			if !errors.Is(err, tsp.ErrOutOfMemory) {
				t.Errorf("a matrix past the memory limit: %v, want an error wrapping tsp.ErrOutOfMemory", err)
			}
		})
	}
}

// TestSourcesDigest: the embedded modules were built from the sources as
// they are (sources.sha256, written by make wasm). It needs no clang, so
// a change to native/ without `make wasm` fails every go test; make test's
// wasm-check rebuilds them and compares the bytes.
func TestSourcesDigest(t *testing.T) {
	f, err := os.ReadFile("sources.sha256")
	if err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(bytes.NewReader(f))
	files := 0
	for sc.Scan() {
		sum, path, ok := strings.Cut(sc.Text(), "  ")
		if !ok {
			t.Fatalf("sources.sha256: bad line %q", sc.Text())
		}
		data, err := os.ReadFile("../" + path)
		if err != nil {
			t.Fatal(err)
		}
		if got := sha256.Sum256(data); hex.EncodeToString(got[:]) != sum {
			t.Errorf("%s changed since the .wasm files were built: run make wasm and commit them", path)
		}
		files++
	}
	if files < 3 {
		t.Fatalf("sources.sha256 lists %d files", files)
	}
}

// TestRootPackageHasNoWazero: importing the root package compiles nothing
// of wazero; only this package (and package backends) does.
func TestRootPackageHasNoWazero(t *testing.T) {
	gobin, err := exec.LookPath("go")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("no go command in CI")
		}
		t.Skip("no go command")
	}
	out, err := exec.Command(gobin, "list", "-deps", "github.com/ffi4go/tsp").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	if strings.Contains(string(out), "wazero") {
		t.Error("the root package depends on wazero")
	}
	if !strings.Contains(string(out), "github.com/ffi4go/tsp\n") {
		t.Errorf("go list -deps does not list the root package:\n%s", out)
	}
}

// TestCopyStopped: a flag set before the kernel starts stops the copy of a
// matrix of more than 64 rows, and the answer is the Go kernel's to the
// same flag, in every bit; a matrix of 64 rows or fewer goes to the kernel,
// which gives the same.
func TestCopyStopped(t *testing.T) {
	forEach(t, func(t *testing.T, k *Kernel) {
		for _, n := range []int{40, 64, 65, 300} {
			m := difftest.Haversine(n, uint64(n))
			for _, alg := range []int32{abi.Exact, abi.TwoOpt, abi.Iterated} {
				if alg == abi.Exact && n > abi.MaxExact {
					continue
				}
				type out struct {
					code          int32
					order         []int32
					length, lower float64
					nodes         uint64
				}
				run := func(f abi.Func) out {
					flag := int32(1)
					o := out{order: make([]int32, n)}
					o.code = f(kernel.Data(m), int32(n), 0, alg|abi.FlagChecked, 7, 0, &flag, o.order, &o.length, &o.lower, &o.nodes)
					return o
				}
				got, want := run(k.solve), run(abi.GoKernel)
				if got.code != abi.CodeStopped || !slices.Equal(got.order, want.order) || math.Float64bits(got.length) != math.Float64bits(want.length) ||
					math.Float64bits(got.lower) != math.Float64bits(want.lower) || got.nodes != want.nodes || got.code != want.code {
					t.Errorf("n=%d alg %d: %+v, go %+v", n, alg, got, want)
				}
			}
		}
	})
}

// TestPoolHot: gets and puts from eight goroutines while trim runs as often
// as it can (every IdleTimeout in production): no instance is handed out
// twice at once, the pool never holds more than GOMAXPROCS idle ones, and
// two trims after the last put close every one (none is stranded in the
// lock-free slot without a timer to trim it).
func TestPoolHot(t *testing.T) {
	forEach(t, func(t *testing.T, k *Kernel) {
		var inUse sync.Map
		var wg sync.WaitGroup
		stop := make(chan struct{})
		trimmed := make(chan struct{})
		go func() {
			defer close(trimmed)
			for {
				select {
				case <-stop:
					return
				default:
					k.pool.trim()
					runtime.Gosched()
				}
			}
		}()
		var seen sync.Map
		for g := 0; g < 8; g++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; i < 2000; i++ {
					in, err := k.pool.get()
					if err != nil {
						t.Error(err)
						return
					}
					seen.Store(in, true)
					if _, dup := inUse.LoadOrStore(in, true); dup {
						t.Error("an instance handed out twice at once")
					}
					if in.mod.IsClosed() {
						t.Error("a closed instance handed out")
					}
					if v := k.Noop(7); v != 7 {
						t.Errorf("noop: %d", v)
					}
					inUse.Delete(in)
					k.pool.put(in)
				}
			}()
		}
		wg.Wait()
		close(stop)
		<-trimmed
		if n := k.Idle(); n > runtime.GOMAXPROCS(0) {
			t.Errorf("%d idle instances, want at most GOMAXPROCS (%d)", n, runtime.GOMAXPROCS(0))
		}
		k.pool.mu.Lock()
		timerless := k.pool.timer == nil || !k.pool.timerOn.Load()
		k.pool.mu.Unlock()
		if n := k.Idle(); n > 0 && timerless {
			t.Errorf("%d idle instances and no trim timer: they would never be closed", n)
		}
		k.pool.trim()
		k.pool.trim()
		if n := k.Idle(); n != 0 {
			t.Errorf("%d idle instances after two trims, want 0", n)
		}
		seen.Range(func(key, _ any) bool {
			if !key.(*instance).mod.IsClosed() {
				t.Error("an instance neither idle nor closed")
			}
			return true
		})
	})
}
