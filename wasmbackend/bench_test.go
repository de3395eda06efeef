package wasmbackend

import (
	"context"
	"runtime"
	"testing"

	"github.com/tetratelabs/wazero/api"

	"github.com/ffi4go/tsp"
	"github.com/ffi4go/tsp/internal/difftest"
)

// The costs of WebAssembly that the solves do not show: compiling a module
// (once per process), instantiating it (once per pooled instance), the
// memory of an instance, and the raw empty call without the pool. The
// solves and the boundary calls through the pool are in package backends
// (BenchmarkSolve/<dataset>/<algorithm>/wasm-c, BenchmarkCall/noop/wasm-c),
// beside every other backend.

func kernelsFor(b *testing.B) []*Kernel {
	c, err := New()
	if err != nil {
		b.Fatal(err)
	}
	cpp, err := NewCPP()
	if err != nil {
		b.Fatal(err)
	}
	return []*Kernel{c, cpp}
}

// BenchmarkCompile/<backend>: a new runtime and compiling the embedded
// module into machine code (wazero's compiler; the interpreter on other
// architectures), what the first New costs a process. A runtime of its own
// each time: a runtime caches what it compiled.
func BenchmarkCompile(b *testing.B) {
	for _, k := range kernelsFor(b) {
		bin := wasmC
		if k.name == NameCPP {
			bin = wasmCPP
		}
		b.Run(k.name, func(b *testing.B) {
			ctx := context.Background()
			for b.Loop() {
				e, err := newEngine(MemoryLimit)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := e.rt.CompileModule(ctx, bin); err != nil {
					b.Fatal(err)
				}
				e.rt.Close(ctx)
			}
		})
	}
}

// BenchmarkInstantiate/<backend>: a new instance and its close, what a
// solve costs when the pool has no idle instance. It reports the Go heap
// an instance holds (linear memory, stacks, tables) as B/instance.
func BenchmarkInstantiate(b *testing.B) {
	for _, k := range kernelsFor(b) {
		b.Run(k.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				in, err := k.instantiate()
				if err != nil {
					b.Fatal(err)
				}
				in.close()
			}
			const n = 64
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			ins := make([]*instance, n)
			for i := range ins {
				in, err := k.instantiate()
				if err != nil {
					b.Fatal(err)
				}
				ins[i] = in
			}
			runtime.GC()
			runtime.ReadMemStats(&after)
			b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/n, "B/instance")
			b.ReportMetric(float64(ins[0].mem.Size()), "linear-B")
			for _, in := range ins {
				in.close()
			}
		})
	}
}

// BenchmarkRawCall/noop/<backend>: tsp_noop through CallWithStack on one
// instance, without the pool: the boundary itself.
func BenchmarkRawCall(b *testing.B) {
	for _, k := range kernelsFor(b) {
		b.Run("noop/"+k.name, func(b *testing.B) {
			in, err := k.pool.get()
			if err != nil {
				b.Fatal(err)
			}
			defer k.pool.put(in)
			b.ReportAllocs()
			var s int32
			cpu := difftest.CPUTime()
			for b.Loop() {
				in.stack[0] = api.EncodeI32(1)
				v, err := in.call0(in.noop)
				if err != nil {
					b.Fatal(err)
				}
				s += v
			}
			difftest.ReportCPU(b, cpu)
			if s == 0 {
				b.Fatal("no calls")
			}
		})
	}
}

// BenchmarkPooledCall/noop/<backend>: tsp_noop through the pool (Kernel.Noop,
// what BenchmarkCall/noop/wasm-c measures from package backends): the
// boundary plus taking an instance and giving it back. Its difference to
// BenchmarkRawCall is what the pool costs a call.
func BenchmarkPooledCall(b *testing.B) {
	for _, k := range kernelsFor(b) {
		b.Run("noop/"+k.name, func(b *testing.B) {
			b.ReportAllocs()
			var s int32
			cpu := difftest.CPUTime()
			for b.Loop() {
				s += k.Noop(1)
			}
			difftest.ReportCPU(b, cpu)
			if s == 0 {
				b.Fatal("no calls")
			}
		})
	}
}

// BenchmarkPoints/random<n>/<algorithm>/{go,wasm-c,wasm-cpp}: the
// coordinate path (issue 21) of the Go kernel and both WebAssembly kernels
// in one process, without package backends' shared libraries: the rows
// of issue 21's "every backend within 1.3× of go" for WebAssembly. Run
// the rounds interleaved, for example
//
//	for r in 1 2 3 4 5; do go test -run '^$' -bench 'Points/random(1000|10000)/' -count 1 ./wasmbackend; done
func BenchmarkPoints(b *testing.B) {
	ks := kernelsFor(b)
	difftest.BenchPoints(b, []string{"go", ks[0].Name(), ks[1].Name()},
		[]tsp.PointsSolver{tsp.GoPoints(), ks[0].Points(), ks[1].Points()})
}
