// Package wasmbackend runs the C and C++ kernels compiled to WebAssembly in
// wazero, a WebAssembly runtime written in pure Go: backends "wasm-c" and
// "wasm-cpp". The modules are built from the very sources of the cgo and
// purego backends (native/c/tsp.c, native/cpp/tsp.cpp) by `make wasm`
// (clang --target=wasm32-wasi), committed, and embedded in the package
// with go:embed, so a program that uses them needs no C toolchain, no cgo
// and no file beside it, on every platform Go builds for. The kernel runs
// sandboxed: it can touch nothing outside its own linear memory.
//
// Only this package (and package backends, which lists every backend)
// imports wazero: the root package tsp compiles none of it.
//
// # Calls
//
// Each solve is one call of tsp_solve in one module instance. No Go
// pointer enters WebAssembly: the matrix is copied into the instance's
// linear memory (n²·8 bytes, a memmove in bands of 64 rows that polls the
// cancel flag between them), the outputs are read back, and the kernel is
// checked by the same wrapper as every backend (kernel.NewSolver). When
// the flag is set during the copy, the kernel is not called: the answer to
// a flag set before the search, the same in every backend, comes from the
// Go kernel. Growing an instance's memory for a larger matrix than it had
// (a zeroed allocation and a copy, inside the kernel's malloc) cannot be
// interrupted.
//
// # Cancellation
//
// WebAssembly code is not preemptible in wazero, and a flag written into
// linear memory by another goroutine while the module runs would be a data
// race. So the kernels, compiled for WebAssembly, poll the host instead of
// reading the flag (tsp_wasm_cancelled in native/tsp.h): a call out to Go,
// which reads the solve's flag atomically, and where the Go scheduler can
// preempt the solving goroutine, so that timers fire and the garbage
// collector can stop the world even with GOMAXPROCS=1.
//
// # Instances
//
// The two modules are compiled once per process, on first use (40–110 ms
// on a busy 2-vCPU machine). A module instance runs one solve at a time,
// so each Kernel keeps a pool of instances: a solve takes an idle one or
// instantiates a new one (0.2 ms), and gives it back when done. The pool
// keeps at most GOMAXPROCS idle instances; an instance whose memory grew
// past KeepMemory is closed right after its solve, and idle ones are
// closed after IdleTimeout to twice that, so memory is given back when the
// backend is idle. WebAssembly memory never shrinks, so closing an
// instance is the only way to give it back. A Kernel is safe for
// concurrent use.
//
// # Memory
//
// An instance's linear memory may grow to MemoryLimit (1 GiB): the
// largest matrix the kernels take (10,000 cities, 763 MiB) fits, with
// room for the kernel's own allocations. An allocation past it fails
// inside the kernel, which returns TSP_NO_MEMORY (tsp.ErrOutOfMemory); the
// C++ kernel, built without exceptions, traps instead, and the instance is
// discarded. A trap of any kind is an error wrapping tsp.ErrKernel (or
// tsp.ErrOutOfMemory) and never reaches the caller as a panic.
package wasmbackend

import (
	"context"
	_ "embed"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/experimental"

	"github.com/ffi4go/tsp"
	"github.com/ffi4go/tsp/internal/abi"
	"github.com/ffi4go/tsp/kernel"
)

// Backend names.
const (
	NameC   = "wasm-c"
	NameCPP = "wasm-cpp"
)

// The modules, built by `make wasm` from native/ (sources.sha256 lists the
// digests of the sources they were built from).
var (
	//go:embed tsp_c.wasm
	wasmC []byte
	//go:embed tsp_cpp.wasm
	wasmCPP []byte
)

// MemoryLimit is the most linear memory an instance may have, in bytes.
const MemoryLimit = 1 << 30

// KeepMemory: an instance whose linear memory grew past it (a matrix of
// about 1,400 cities) is closed after its solve instead of being kept.
const KeepMemory = 16 << 20

// IdleTimeout: an instance idle for this long (up to twice as long) is
// closed.
const IdleTimeout = 30 * time.Second

// Kernel is one of the two kernels in WebAssembly: a tsp.Solver (named
// wasm-c or wasm-cpp) with the calls that measure the boundary
// (ABIVersion, Noop, Haversine, Matrix). It is safe for concurrent use.
type Kernel struct {
	tsp.Solver
	name     string
	compiled wazero.CompiledModule
	eng      *engine
	pool     pool
}

var (
	engOnce sync.Once
	eng     *engine
	engErr  error
	kernels [2]struct {
		once sync.Once
		k    *Kernel
		err  error
	}
)

// New returns the wasm-c backend: the C kernel. The first call compiles the
// module; later ones return the same *Kernel.
func New() (*Kernel, error) { return get(0) }

// NewCPP returns the wasm-cpp backend: the C++ kernel.
func NewCPP() (*Kernel, error) { return get(1) }

func get(i int) (*Kernel, error) {
	kc := &kernels[i]
	kc.once.Do(func() {
		name, bin, id := NameC, wasmC, abi.KernelC
		if i == 1 {
			name, bin, id = NameCPP, wasmCPP, abi.KernelCPP
		}
		engOnce.Do(func() { eng, engErr = newEngine(MemoryLimit) })
		if engErr != nil {
			kc.err = fmt.Errorf("%w: %s: %v", tsp.ErrUnavailable, name, engErr)
			return
		}
		kc.k, kc.err = eng.compile(name, bin, id)
	})
	return kc.k, kc.err
}

// instKey is the context key under which an instance finds itself in the
// host functions.
type instKey struct{}

// engine is a wazero runtime with the host module "tsp" the kernels
// import: cancelled (the poll of tsp.h) and out_of_memory
// (native/wasm/new.cpp). The process has one, made on first use; the tests
// make others with a smaller memory limit.
type engine struct {
	rt wazero.Runtime
}

func newEngine(limit uint32) (*engine, error) {
	ctx := context.Background()
	rt := wazero.NewRuntimeWithConfig(ctx, wazero.NewRuntimeConfig().
		WithMemoryLimitPages(limit/65536).
		WithCloseOnContextDone(false))
	_, err := rt.NewHostModuleBuilder("tsp").
		NewFunctionBuilder().WithGoModuleFunction(api.GoModuleFunc(hostCancelled), nil, []api.ValueType{api.ValueTypeI32}).Export("cancelled").
		NewFunctionBuilder().WithGoModuleFunction(api.GoModuleFunc(hostOutOfMemory), nil, nil).Export("out_of_memory").
		NewFunctionBuilder().WithGoModuleFunction(api.GoModuleFunc(hostProgress),
		[]api.ValueType{api.ValueTypeI64, api.ValueTypeI32, api.ValueTypeI32, api.ValueTypeI64, api.ValueTypeI32, api.ValueTypeI32},
		[]api.ValueType{api.ValueTypeI32}).Export("progress").
		Instantiate(ctx)
	if err != nil {
		rt.Close(ctx)
		return nil, err
	}
	return &engine{rt: rt}, nil
}

// hostCancelled is tsp_wasm_cancelled: non-zero once the running solve's
// flag is set. It runs on the solving goroutine, between two stretches of
// WebAssembly, so the Go scheduler can preempt it here.
func hostCancelled(ctx context.Context, _ api.Module, stack []uint64) {
	in, _ := ctx.Value(instKey{}).(*instance)
	var v uint64
	if in != nil && in.cancel != nil && atomic.LoadInt32(in.cancel) != 0 {
		v = 1
	}
	stack[0] = v
}

// hostProgress is tsp_wasm_progress (tsp.h, ABI 6): the kernel's progress
// call, made as a call to this import because a module cannot call a host
// function through a pointer. It finds the running solve's function on the
// instance (the handle is not needed: one instance runs one solve at a
// time), reads {length, bound} and the tour out of linear memory during
// the call, and returns non-zero to stop. Bad pointers stop the search.
func hostProgress(ctx context.Context, _ api.Module, stack []uint64) {
	in, _ := ctx.Value(instKey{}).(*instance)
	stop := uint64(1)
	if in != nil && in.progress != nil {
		event, values, nodes := api.DecodeI32(stack[1]), api.DecodeU32(stack[2]), stack[3]
		order, n := api.DecodeU32(stack[4]), api.DecodeI32(stack[5])
		l, ok1 := in.mem.ReadFloat64Le(values)
		b, ok2 := in.mem.ReadFloat64Le(values + 8)
		ov, ok3 := in.mem.Read(order, 4*uint32(n))
		if ok1 && ok2 && ok3 && n > 0 {
			if cap(in.tour) < int(n) {
				in.tour = make([]int32, n)
			}
			t := in.tour[:n]
			for i := range t {
				t[i] = int32(binary.LittleEndian.Uint32(ov[4*i:]))
			}
			stop = uint64(uint32(in.progress(event, l, b, nodes, t)))
		}
	}
	stack[0] = stop
}

// hostOutOfMemory: the C++ kernel's operator new failed; it traps next.
func hostOutOfMemory(ctx context.Context, _ api.Module, _ []uint64) {
	if in, _ := ctx.Value(instKey{}).(*instance); in != nil {
		in.oom = true
	}
}

func (e *engine) compile(name string, bin []byte, id int32) (*Kernel, error) {
	cm, err := e.rt.CompileModule(context.Background(), bin)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: compiling the module: %v", tsp.ErrUnavailable, name, err)
	}
	k := &Kernel{name: name, compiled: cm, eng: e}
	k.pool.k = k
	k.pool.maxIdle = runtime.GOMAXPROCS(0)
	k.Solver = kernel.NewSolverProgress(name, k.solve, k.solveProgress)
	// Check the ABI on a first instance, which then waits in the pool.
	in, err := k.pool.get()
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", tsp.ErrUnavailable, name, err)
	}
	defer k.pool.put(in)
	if v, err := in.call0(in.abiVersion); err != nil || v != abi.Version {
		return nil, fmt.Errorf("%w: %s: tsp_abi_version() = %d (%v), want %d", tsp.ErrUnavailable, name, v, err, abi.Version)
	}
	if v, err := in.call0(in.kernelID); err != nil || v != id {
		return nil, fmt.Errorf("%w: %s: tsp_kernel_id() = %d (%v), want %d", tsp.ErrUnavailable, name, v, err, id)
	}
	return k, nil
}

// Name is the backend's name.
func (k *Kernel) Name() string { return k.name }

// String is the backend's name.
func (k *Kernel) String() string { return k.name + " (WebAssembly, wazero)" }

// instance is one module instance with its scratch buffer in linear memory.
type instance struct {
	mod                                                api.Module
	mem                                                api.Memory
	ctx                                                context.Context // carries the instance for the host functions
	abiVersion, kernelID, noop, haversine, matrix, tsp api.Function
	tspProgress                                        api.Function // tsp_solve_progress
	points, pointsProgress                             api.Function // tsp_solve_points, tsp_solve_points_progress
	malloc, free                                       api.Function
	stack                                              [13]uint64
	buf, bufCap                                        uint32           // a malloc'd block reused by every call
	cancel                                             *int32           // the running solve's flag
	progress                                           abi.ProgressFunc // the running solve's progress, nil: none
	tour                                               []int32          // hostProgress's copy of the tour
	oom                                                bool             // operator new failed (C++)
	broken                                             bool             // trapped: never used again
	gen                                                uint64           // the pool's generation when it was last put back
	k                                                  *Kernel
	slot                                               uint32 // 1 + its index in k.pool.slots; 0: none (it never waits in hot)
}

// callCtx is the context of every call into an instance: it carries the
// instance for the host functions (instKey) and nothing else. wazero asks
// the context of each call for a key of its own (whether snapshots are
// enabled); a chain of context.WithValue answers after walking each layer
// (13 % of an empty call's profile), this at once.
type callCtx struct {
	context.Context // Background: no deadline, never done
	in              *instance
}

func (c *callCtx) Value(key any) any {
	if _, ok := key.(instKey); ok {
		return c.in
	}
	return nil
}

func (k *Kernel) instantiate() (*instance, error) {
	in := &instance{k: k}
	in.ctx = &callCtx{context.Background(), in}
	// The allocator is read once, when the module's memory is made.
	ictx := context.WithValue(experimental.WithMemoryAllocator(context.Background(), memoryAllocator), instKey{}, in)
	mod, err := k.eng.rt.InstantiateModule(ictx, k.compiled, wazero.NewModuleConfig().WithName("").WithStartFunctions("_initialize"))
	if err != nil {
		return nil, fmt.Errorf("instantiating the module: %w", err)
	}
	in.mod, in.mem = mod, mod.Memory()
	for _, f := range []struct {
		p    *api.Function
		name string
	}{{&in.abiVersion, "tsp_abi_version"}, {&in.kernelID, "tsp_kernel_id"}, {&in.noop, "tsp_noop"},
		{&in.haversine, "tsp_haversine"}, {&in.matrix, "tsp_matrix"}, {&in.tsp, "tsp_solve"},
		{&in.tspProgress, "tsp_solve_progress"},
		{&in.points, "tsp_solve_points"}, {&in.pointsProgress, "tsp_solve_points_progress"},
		{&in.malloc, "malloc"}, {&in.free, "free"}} {
		if *f.p = mod.ExportedFunction(f.name); *f.p == nil {
			mod.Close(context.Background())
			return nil, fmt.Errorf("the module lacks %s", f.name)
		}
	}
	if in.mem == nil {
		mod.Close(context.Background())
		return nil, errors.New("the module has no memory")
	}
	k.pool.mu.Lock()
	for i, o := range k.pool.slots {
		if o == nil {
			k.pool.slots[i], in.slot = in, uint32(i+1)
			break
		}
	}
	k.pool.mu.Unlock()
	return in, nil
}

// close closes the module and frees its slot. The caller owns the
// instance: it is not in the pool.
func (in *instance) close() {
	if in.slot != 0 {
		p := &in.k.pool
		p.mu.Lock()
		p.slots[in.slot-1], in.slot = nil, 0
		p.mu.Unlock()
	}
	in.mod.Close(context.Background())
}

// call runs f with the arguments already in in.stack and returns the first
// result. A trap breaks the instance.
func (in *instance) call(f api.Function) (uint64, error) {
	if err := f.CallWithStack(in.ctx, in.stack[:]); err != nil {
		in.broken = true
		return 0, err
	}
	return in.stack[0], nil
}

func (in *instance) call0(f api.Function) (int32, error) {
	v, err := in.call(f)
	return int32(uint32(v)), err
}

// scratch returns the address of at least size bytes of linear memory,
// growing the instance's buffer when needed; 0 when malloc fails.
func (in *instance) scratch(size uint64) (uint32, error) {
	if size <= uint64(in.bufCap) {
		return in.buf, nil
	}
	if size > MemoryLimit {
		return 0, nil
	}
	if in.buf != 0 {
		in.stack[0] = uint64(in.buf)
		if _, err := in.call(in.free); err != nil {
			return 0, err
		}
		in.buf, in.bufCap = 0, 0
	}
	in.stack[0] = size
	p, err := in.call(in.malloc)
	if err != nil || p == 0 {
		return 0, err
	}
	in.buf, in.bufCap = uint32(p), uint32(size)
	return in.buf, nil
}

// pool holds a Kernel's idle instances. Every IdleTimeout, while it holds
// any, trim closes those not used since the last trim and starts a new
// generation: an instance is closed after an idle time between IdleTimeout
// and twice that, and put needs no clock.
//
// The instance put back last waits in hot, which get and put reach with
// one atomic operation each instead of the mutex's two (an empty call,
// BenchmarkCall/noop/wasm-c, paid about 20 ns for the lock); the others
// wait in idle, at most GOMAXPROCS of them in all. hot holds the number of
// the instance's slot, not a pointer: an atomic.Pointer's swap and
// compare-and-swap are calls into the runtime with a write barrier, a
// uint32's single instructions (about 5 ns less per empty call). The
// first len(slots) instances alive have a slot (given when instantiated,
// freed when closed); any others skip hot. hot is used only while the
// trim timer runs (timerOn), so an instance in hot is always trimmed in
// time: put sets hot, then reads timerOn; trim clears timerOn, then reads
// hot; with Go's sequentially consistent atomics one of the two sees the
// other (put takes its instance back to the locked path; trim keeps its
// timer).
type pool struct {
	k       *Kernel
	hot     atomic.Uint32 // 0: empty; i: slots[i-1] waits there
	slots   [64]*instance // written under mu by instantiate and close
	timerOn atomic.Bool   // the trim timer runs: a put may use hot
	gen     atomic.Uint64
	mu      sync.Mutex
	idle    []*instance // the most recently used last
	maxIdle int         // GOMAXPROCS, read again when the pool is full
	timer   *time.Timer // runs trim
}

func (p *pool) get() (*instance, error) {
	if i := p.hot.Swap(0); i != 0 {
		return p.slots[i-1], nil
	}
	p.mu.Lock()
	if n := len(p.idle); n > 0 {
		in := p.idle[n-1]
		p.idle[n-1] = nil
		p.idle = p.idle[:n-1]
		p.mu.Unlock()
		return in, nil
	}
	p.mu.Unlock()
	return p.k.instantiate()
}

func (p *pool) put(in *instance) {
	in.cancel, in.oom = nil, false
	if in.broken || uint64(in.mem.Size()) > KeepMemory {
		in.close()
		return
	}
	in.gen = p.gen.Load()
	// Read before in is published in hot: from then on a trim may take it
	// and close it, which clears in.slot (under mu).
	slot := in.slot
	took := false
	if slot != 0 && p.timerOn.Load() && p.hot.CompareAndSwap(0, slot) {
		if p.timerOn.Load() || !p.hot.CompareAndSwap(slot, 0) {
			return // in hot with the timer running, or taken already
		}
		took = true
	}
	p.mu.Lock()
	if took && p.slots[slot-1] != in {
		// A trim took in from hot and closed it, and its slot went to
		// another instance, which a put left in hot: that one came back.
		in = p.slots[slot-1]
	}
	in.gen = p.gen.Load()
	if p.timer == nil {
		p.timer = time.AfterFunc(IdleTimeout, p.trim)
		p.timerOn.Store(true)
	}
	if in.slot != 0 && p.hot.CompareAndSwap(0, in.slot) {
		p.mu.Unlock()
		return
	}
	// hot holds one: idle holds at most maxIdle-1.
	if len(p.idle)+1 >= p.maxIdle {
		// runtime.GOMAXPROCS takes the scheduler's lock: only when full.
		if p.maxIdle = runtime.GOMAXPROCS(0); len(p.idle)+1 >= p.maxIdle {
			p.mu.Unlock()
			in.close()
			return
		}
	}
	p.idle = append(p.idle, in)
	p.mu.Unlock()
}

// trim closes the instances not put back since the last trim, and runs
// again after IdleTimeout while some remain.
func (p *pool) trim() {
	p.mu.Lock()
	p.timerOn.Store(false) // puts from now on take the lock
	cur := p.gen.Load()
	var keep, drop []*instance
	var hot *instance
	if i := p.hot.Swap(0); i != 0 {
		hot = p.slots[i-1]
	}
	if hot != nil && hot.gen != cur {
		drop, hot = append(drop, hot), nil
	}
	for _, in := range p.idle {
		if in.gen != cur {
			drop = append(drop, in)
		} else {
			keep = append(keep, in)
		}
	}
	p.idle = keep
	p.gen.Add(1)
	p.timer = nil
	if hot != nil || len(keep) > 0 || p.hot.Load() != 0 {
		p.timer = time.AfterFunc(IdleTimeout, p.trim)
		p.timerOn.Store(true)
	}
	if hot != nil && !p.hot.CompareAndSwap(0, hot.slot) {
		p.idle = append(p.idle, hot) // a put filled hot meanwhile
	}
	p.mu.Unlock()
	for _, in := range drop {
		in.close()
	}
}

// Idle returns how many idle instances the pool holds: for tests and
// monitoring.
func (k *Kernel) Idle() int {
	k.pool.mu.Lock()
	defer k.pool.mu.Unlock()
	n := len(k.pool.idle)
	if k.pool.hot.Load() != 0 {
		n++
	}
	return n
}

// solve is the kernel.Func: one call of tsp_solve in an instance.
func (k *Kernel) solve(dist []float64, n, start, algorithm int32, seed uint64, budget int64,
	cancel *int32, order []int32, length, lowerBound *float64, nodes *uint64) int32 {
	return k.solveProgress(dist, n, start, algorithm, seed, budget, cancel, nil, order, length, lowerBound, nodes)
}

// solveProgress is the kernel.FuncProgress: with a progress function, one
// call of tsp_solve_progress, whose calls come back through the import
// "progress" (hostProgress); without, one call of tsp_solve.
func (k *Kernel) solveProgress(dist []float64, n, start, algorithm int32, seed uint64, budget int64,
	cancel *int32, progress abi.ProgressFunc, order []int32, length, lowerBound *float64, nodes *uint64) int32 {
	if n < 1 || uint64(len(dist)) < uint64(n)*uint64(n) || len(order) < int(n) {
		return abi.CodeInvalid
	}
	in, err := k.pool.get()
	if err != nil {
		return abi.CodeNoMemory
	}
	defer k.pool.put(in)
	un := uint64(n)
	// Layout: dist (8n²), order (4n, padded to 8), length, lower bound,
	// nodes (8 each), the cancel word (4; never written: see tsp.h).
	offOrder := 8 * un * un
	offLen := offOrder + (4*un+7)&^7
	offLB, offNodes, offCancel := offLen+8, offLen+16, offLen+24
	base, err := in.scratch(offCancel + 4)
	if err != nil {
		return in.failed()
	}
	if base == 0 {
		return abi.CodeNoMemory
	}
	b := uint64(base)
	view, ok := in.mem.Read(base, uint32(offOrder))
	if !ok {
		return abi.CodeInternal
	}
	if !copyMatrix(view, dist[:un*un], int(n), cancel) {
		// The flag was set before the kernel started: its answer is the
		// one to a flag set at once, which the Go kernel gives in the
		// same bits (the tour of the first nearest-neighbour steps).
		return abi.GoKernelProgress(dist, n, start, algorithm, seed, budget, cancel, progress, order, length, lowerBound, nodes)
	}
	var cancelPtr uint64
	if cancel != nil {
		cancelPtr = b + offCancel
		in.mem.WriteUint32Le(uint32(cancelPtr), 0)
	}
	in.cancel = cancel
	s := &in.stack
	s[0], s[1], s[2], s[3] = b, api.EncodeI32(n), api.EncodeI32(start), api.EncodeI32(algorithm)
	s[4], s[5], s[6] = seed, uint64(budget), cancelPtr
	f := in.tsp
	if progress != nil {
		in.progress = progress
		defer func() { in.progress = nil }()
		f = in.tspProgress
		s[7], s[8] = 1, 1 // progress: any non-NULL value turns the import's calls on (tsp.h); the handle is unused
		s[9], s[10], s[11], s[12] = b+offOrder, b+offLen, b+offLB, b+offNodes
	} else {
		s[7], s[8], s[9], s[10] = b+offOrder, b+offLen, b+offLB, b+offNodes
	}
	code, err := in.call0(f)
	if err != nil {
		return in.failed()
	}
	if code != abi.CodeOK && code != abi.CodeStopped {
		return code
	}
	ov, ok := in.mem.Read(uint32(b+offOrder), uint32(4*un))
	if !ok {
		return abi.CodeInternal
	}
	for i := range order[:n] {
		order[i] = int32(binary.LittleEndian.Uint32(ov[4*i:]))
	}
	l, _ := in.mem.ReadFloat64Le(uint32(b + offLen))
	lb, _ := in.mem.ReadFloat64Le(uint32(b + offLB))
	nd, _ := in.mem.ReadUint64Le(uint32(b + offNodes))
	*length, *lowerBound, *nodes = l, lb, nd
	return code
}

// failed is the code of a call that trapped: TSP_NO_MEMORY when the C++
// kernel's operator new said it failed, TSP_INTERNAL otherwise.
func (in *instance) failed() int32 {
	if in.oom {
		return abi.CodeNoMemory
	}
	return abi.CodeInternal
}

// littleEndian: this machine stores numbers as WebAssembly does, so the
// matrix is copied as bytes.
var littleEndian = func() bool {
	x := uint16(1)
	return *(*byte)(unsafe.Pointer(&x)) == 1
}()

// copyMatrix copies the n×n matrix dist into view (little-endian float64s)
// in bands of 64 rows, polling the cancel flag between two bands, as the
// kernels' own O(n²) steps do: false when the flag was set (the copy then
// is incomplete). At 10,000 cities the copy is 800 MB. A matrix of one
// band is copied whole, and the kernel sees the flag.
func copyMatrix(view []byte, dist []float64, n int, cancel *int32) bool {
	const band = 64 // rows
	for r := 0; r < n; r += band {
		if r > 0 && cancel != nil && atomic.LoadInt32(cancel) != 0 {
			return false
		}
		copyFloats(view[8*r*n:], dist[r*n:min(r+band, n)*n])
	}
	return true
}

// copyFloats writes vs into out as little-endian float64s: one memmove on a
// little-endian machine.
func copyFloats(out []byte, vs []float64) {
	if littleEndian {
		copy(out, unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(vs))), 8*len(vs)))
		return
	}
	for i, v := range vs {
		binary.LittleEndian.PutUint64(out[8*i:], math.Float64bits(v))
	}
}
