//go:build darwin || freebsd || linux || netbsd

package loader

import (
	"context"
	"github.com/ffi4go/tsp/kernel"
	"runtime"
	"testing"
	"unsafe"

	"github.com/ebitengine/purego"

	"github.com/ffi4go/tsp"
)

var sink32 int32
var sinkF float64

// BenchmarkCall measures the boundary of each loaded library: an empty call,
// one distance per call, a 100-city matrix in one call, and one small solve.
func BenchmarkCall(b *testing.B) {
	cities := tsp.RandomCities(100, 1)
	lat, lon := make([]float64, len(cities)), make([]float64, len(cities))
	for i, c := range cities {
		lat[i], lon[i] = c.Lat, c.Lon
	}
	out := make([]float64, len(cities)*len(cities))
	in := [5]float64{lat[0], lon[0], lat[1], lon[1], tsp.EarthRadiusKm}
	m, err := tsp.HaversineMatrix(cities[:10])
	if err != nil {
		b.Fatal(err)
	}
	for _, k := range Kernels {
		var l *Library
		get := func(b *testing.B) *Library {
			if l == nil {
				l = lib(b, k)
			}
			return l
		}
		b.Run("noop/"+k.Name(), func(b *testing.B) {
			l := get(b)
			b.ReportAllocs()
			var s int32
			for b.Loop() {
				s += l.Noop(1)
			}
			sink32 = s
		})
		b.Run("haversine/"+k.Name(), func(b *testing.B) {
			l := get(b)
			b.ReportAllocs()
			var s float64
			for b.Loop() {
				s += l.Haversine(&in)
			}
			sinkF = s
		})
		b.Run("matrix100/"+k.Name(), func(b *testing.B) {
			l := get(b)
			b.ReportAllocs()
			for b.Loop() {
				if l.Matrix(lat, lon, tsp.EarthRadiusKm, out) != kernel.CodeOK {
					b.Fatal("tsp_matrix failed")
				}
			}
		})
		b.Run("nearest10/"+k.Name(), func(b *testing.B) {
			l := get(b)
			b.ReportAllocs()
			ctx := context.Background()
			for b.Loop() {
				if _, err := l.Solve(ctx, m, tsp.Options{Algorithm: tsp.Nearest}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkCallPath compares purego's public ways of calling tsp_noop, the
// measurements behind the choice explained at Library.Noop.
func BenchmarkCallPath(b *testing.B) {
	l := lib(b, KernelC)
	fn := l.fn.noop
	b.Run("RegisterFunc", func(b *testing.B) {
		var noop func(int32) int32
		purego.RegisterFunc(&noop, fn)
		b.ReportAllocs()
		var s int32
		for b.Loop() {
			s += noop(1)
		}
		sink32 = s
	})
	b.Run("SyscallN-args", func(b *testing.B) { // the variadic slice is built at the call
		b.ReportAllocs()
		var s int32
		for b.Loop() {
			r, _, _ := purego.SyscallN(fn, uintptr(1))
			s += int32(r)
		}
		sink32 = s
	})
	b.Run("SyscallN-pooled", func(b *testing.B) { // what Noop does
		b.ReportAllocs()
		var s int32
		for b.Loop() {
			s += l.Noop(1)
		}
		sink32 = s
	})
	b.Run("SyscallN-heap-slice", func(b *testing.B) { // one slice for the whole loop: the floor
		args := make([]uintptr, 1)
		b.ReportAllocs()
		var s int32
		for b.Loop() {
			args[0] = 1
			r, _, _ := purego.SyscallN(fn, args...)
			s += int32(r)
		}
		sink32 = s
	})
	b.Run("SyscallN-pointer-args", func(b *testing.B) { // Haversine with pointers written at the call
		in := new([5]float64)
		*in = [5]float64{1, 2, 3, 4, 6371}
		hav := l.fn.haversine
		b.ReportAllocs()
		var s float64
		for b.Loop() {
			var out float64
			purego.SyscallN(hav, uintptr(unsafe.Pointer(in)), uintptr(unsafe.Pointer(&out)))
			runtime.KeepAlive(in)
			s += out
		}
		sinkF = s
	})
}
