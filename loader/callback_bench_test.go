//go:build darwin || freebsd || linux || netbsd

package loader

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"unsafe"

	"github.com/ebitengine/purego"

	"github.com/ffi4go/tsp/internal/abi"
)

// BenchmarkCallback/purego-c: one progress callback from C into Go through
// the loader's one purego.NewCallback, dispatching by handle (abi.Handles),
// batched 1000 to an iteration (ns/callback): what a purego library's
// kernel pays at each progress call. C is testdata/callback.c, built here.
// cbackend's BenchmarkCallback has go and cgo-c.
func BenchmarkCallback(b *testing.B) {
	const batch = 1000
	p := filepath.Join(libDir, "fake", "libcallback.so")
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		b.Fatal(err)
	}
	src, _ := filepath.Abs(filepath.Join("testdata", "callback.c"))
	err := compileFile(src, p)
	needCompiler(b, err)
	if err != nil {
		b.Fatal(err)
	}
	h, err := purego.Dlopen(p, purego.RTLD_NOW|purego.RTLD_LOCAL)
	if err != nil {
		b.Fatal(err)
	}
	fn, err := purego.Dlsym(h, "call_progress_n")
	if err != nil {
		b.Fatal(err)
	}
	var sink int64
	id := abi.Handles.New(func(event int32, length, bound float64, nodes uint64, order []int32) int32 {
		sink += int64(nodes)
		return 0
	})
	defer abi.Handles.Delete(id)
	order := make([]int32, 100)
	b.Run("purego-c", func(b *testing.B) {
		for b.Loop() {
			purego.SyscallN(fn, progressCallback(), uintptr(id), batch, uintptr(unsafe.Pointer(&order[0])), uintptr(len(order)))
		}
		runtime.KeepAlive(order)
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/batch, "ns/callback")
	})
}
