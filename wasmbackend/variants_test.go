package wasmbackend

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ffi4go/tsp"
	"github.com/ffi4go/tsp/internal/abi"
	"github.com/ffi4go/tsp/internal/difftest"
)

// BenchmarkVariants/<solve>/<file>: the C kernel built other ways, to find
// what narrows the gap to native code. $TSP_WASM_VARIANTS names a directory
// of .wasm files built from native/c/tsp.c with other flags (the README's
// WebAssembly section lists the ones tried); each must give the Go
// kernel's tour, length bits and node count. Without the variable it
// measures the embedded module only.
func BenchmarkVariants(b *testing.B) {
	files := map[string][]byte{"embedded": wasmC}
	if dir := os.Getenv("TSP_WASM_VARIANTS"); dir != "" {
		paths, _ := filepath.Glob(filepath.Join(dir, "*.wasm"))
		for _, p := range paths {
			bin, err := os.ReadFile(p)
			if err != nil {
				b.Fatal(err)
			}
			files[strings.TrimSuffix(filepath.Base(p), ".wasm")] = bin
		}
	}
	e, err := newEngine(MemoryLimit)
	if err != nil {
		b.Fatal(err)
	}
	defer e.rt.Close(context.Background())
	demo11, _ := tsp.HaversineMatrix(tsp.Demo11())
	solves := []struct {
		name string
		m    *tsp.Matrix
		alg  tsp.Algorithm
	}{{"demo11/exhaustive", demo11, tsp.Exhaustive}, {"random25/exact", difftest.Haversine(25, 1), tsp.Exact}}
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	kernels := map[string]*Kernel{}
	for _, name := range names {
		k, err := e.compile("wasm-c", files[name], abi.KernelC)
		if err != nil {
			b.Fatalf("%s: %v", name, err)
		}
		kernels[name] = k
	}
	ctx := context.Background()
	for _, s := range solves {
		want, _ := tsp.Go().Solve(ctx, s.m, tsp.Options{Algorithm: s.alg})
		for _, name := range names {
			b.Run(s.name+"/"+name, func(b *testing.B) {
				var got tsp.Tour
				cpu := difftest.CPUTime()
				for b.Loop() {
					got, err = kernels[name].Solve(ctx, s.m, tsp.Options{Algorithm: s.alg})
					if err != nil {
						b.Fatal(err)
					}
				}
				difftest.ReportCPU(b, cpu)
				if got.Length != want.Length || got.Nodes != want.Nodes {
					b.Fatalf("length %v nodes %d, go %v %d", got.Length, got.Nodes, want.Length, want.Nodes)
				}
			})
		}
	}
}
