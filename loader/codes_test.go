//go:build darwin || freebsd || linux || netbsd

package loader

import (
	"math"
	"runtime"
	"testing"
	"unsafe"

	"github.com/ebitengine/purego"

	"github.com/ffi4go/tsp/internal/abi"
	"github.com/ffi4go/tsp/internal/difftest"
)

// ptr is a pointer argument: nil becomes NULL. The callers keep what it
// points to alive across the call (runtime.KeepAlive); Go's collector does not
// move heap memory, and a goroutine's stack does not move during a call.
func ptr[T any](s []T) uintptr {
	if len(s) == 0 {
		return 0
	}
	return uintptr(unsafe.Pointer(&s[0]))
}

// The C and the C++ kernel answer the same status code for every bad input
// to every entry point, called straight through the ABI (no Go checks in
// front), NULL pointers included.
func TestSameCodes(t *testing.T) {
	libs := []*Library{lib(t, KernelC), lib(t, KernelCPP)}
	good := []float64{0, 1, 2, 1, 0, 3, 2, 3, 0}
	nan, inf := math.NaN(), math.Inf(1)
	order := make([]int32, 16)
	var length, lb float64
	var nodes uint64
	type solveCase struct {
		name                string
		dist                []float64
		n, start, algorithm int32
		nilOut              bool
		want                int32
	}
	solves := []solveCase{
		{"ok", good, 3, 0, abi.Exact, false, abi.CodeOK},
		{"NULL dist", nil, 3, 0, abi.Exact, false, abi.CodeInvalid},
		{"NULL outputs", good, 3, 0, abi.Exact, true, abi.CodeInvalid},
		{"n=0", good, 0, 0, abi.Exact, false, abi.CodeInvalid},
		{"n<0", good, -3, 0, abi.Exact, false, abi.CodeInvalid},
		{"start<0", good, 3, -1, abi.Exact, false, abi.CodeInvalid},
		{"start=n", good, 3, 3, abi.Exact, false, abi.CodeInvalid},
		{"algorithm -1", good, 3, 0, -1, false, abi.CodeInvalid},
		{"algorithm 5", good, 3, 0, 5, false, abi.CodeInvalid},
		{"NaN", []float64{0, nan, 2, nan, 0, 3, 2, 3, 0}, 3, 0, abi.Nearest, false, abi.CodeInvalid},
		{"Inf", []float64{0, inf, 2, inf, 0, 3, 2, 3, 0}, 3, 0, abi.TwoOpt, false, abi.CodeInvalid},
		{"negative", []float64{0, -1, 2, -1, 0, 3, 2, 3, 0}, 3, 0, abi.Exhaustive, false, abi.CodeInvalid},
		{"asymmetric", []float64{0, 1, 2, 5, 0, 3, 2, 3, 0}, 3, 0, abi.Exact, false, abi.CodeInvalid},
		{"diagonal", []float64{1, 1, 2, 1, 0, 3, 2, 3, 0}, 3, 0, abi.Exact, false, abi.CodeInvalid},
		{"exhaustive too large", make([]float64, 14*14), abi.MaxExhaustive + 1, 0, abi.Exhaustive, false, abi.CodeTooLarge},
		{"exact too large", make([]float64, 251*251), abi.MaxExact + 1, 0, abi.Exact, false, abi.CodeTooLarge},
		{"nearest too large", good, abi.MaxHeuristic + 1, 0, abi.Nearest, false, abi.CodeTooLarge},
		{"2opt 2^31-1", good, math.MaxInt32, 0, abi.TwoOpt, false, abi.CodeTooLarge},
		{"too large and bad algorithm", good, math.MaxInt32, 0, 7, false, abi.CodeInvalid},
	}
	for _, c := range solves {
		var got []int32
		for _, l := range libs {
			o, pl, pb, pn := ptr(order), uintptr(unsafe.Pointer(&length)), uintptr(unsafe.Pointer(&lb)), uintptr(unsafe.Pointer(&nodes))
			if c.nilOut {
				o, pl, pb, pn = 0, 0, 0, 0
			}
			r, _, _ := purego.SyscallN(l.fn.solve, ptr(c.dist), uintptr(c.n), uintptr(c.start), uintptr(c.algorithm), 0, 0, 0, o, pl, pb, pn)
			got = append(got, int32(r))
			runtime.KeepAlive(c) // the memory behind the uintptrs lives until here
		}
		if got[0] != c.want || got[1] != c.want {
			t.Errorf("tsp_solve %s: C %d, C++ %d, want %d", c.name, got[0], got[1], c.want)
		}
	}

	for _, l := range libs {
		t.Run(l.Name(), func(t *testing.T) {
			difftest.CheckMatrixEntries(t, func(e difftest.MatrixEntry) int32 {
				code, _, _ := purego.SyscallN(l.fn.matrix, ptr(e.Lat), ptr(e.Lon), uintptr(e.N), uintptr(unsafe.Pointer(e.Radius)), ptr(e.Out))
				runtime.KeepAlive(e)
				return int32(code)
			})
		})
	}
	for _, l := range libs {
		if code, _, _ := purego.SyscallN(l.fn.haversine, 0, 0); int32(code) != abi.CodeInvalid {
			t.Errorf("%s: tsp_haversine(NULL, NULL) = %d", l.Name(), int32(code))
		}
	}
}
