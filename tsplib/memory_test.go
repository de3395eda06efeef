package tsplib_test

import (
	"fmt"
	"io"
	"math/rand"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/ffi4go/tsp/tsplib"
)

// explicitInstance writes the n×n symmetric matrix d in format, wrap
// values a line (0: a row a line).
func explicitInstance(n int, d []float64, format string, wrap int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "NAME: m%d\nTYPE: TSP\nDIMENSION: %d\nEDGE_WEIGHT_TYPE: EXPLICIT\nEDGE_WEIGHT_FORMAT: %s\nEDGE_WEIGHT_SECTION\n", n, n, format)
	var buf []byte
	k := 0
	for i := 0; i < n; i++ {
		lo, hi := 0, n
		switch format {
		case "UPPER_ROW", "LOWER_COL":
			lo = i + 1
		case "UPPER_DIAG_ROW", "LOWER_DIAG_COL":
			lo = i
		case "LOWER_ROW", "UPPER_COL":
			hi = i
		case "LOWER_DIAG_ROW", "UPPER_DIAG_COL":
			hi = i + 1
		}
		for j := lo; j < hi; j++ {
			buf = strconv.AppendFloat(buf, d[i*n+j], 'g', -1, 64)
			k++
			if wrap > 0 && k%wrap == 0 {
				buf = append(buf, '\n')
			} else {
				buf = append(buf, ' ')
			}
		}
		if wrap == 0 {
			buf = append(buf, '\n')
		}
		b.Write(buf)
		buf = buf[:0]
	}
	b.WriteString("\nEOF\n")
	return b.String()
}

// randomMatrix is an n×n symmetric matrix of integers below max, with a
// few fractional values (parsed the slow way) where frac is set.
func randomMatrix(n, max int, frac bool) []float64 {
	r := rand.New(rand.NewSource(int64(n)))
	d := make([]float64, n*n)
	for i := 0; i < n; i++ {
		for j := i + 1; j < n; j++ {
			v := float64(r.Intn(max))
			if frac && r.Intn(50) == 0 {
				v += 0.25
			}
			d[i*n+j], d[j*n+i] = v, v
		}
	}
	return d
}

// Every format reads a matrix of more values than Read stages before it
// allocates the matrix (65,536), wrapped in lines of any length, exactly.
func TestReadLargeFormats(t *testing.T) {
	const n = 300 // 44,850 to 90,000 values
	d := randomMatrix(n, 100000, true)
	for _, format := range []string{"FULL_MATRIX", "UPPER_ROW", "LOWER_ROW", "UPPER_DIAG_ROW", "LOWER_DIAG_ROW",
		"UPPER_COL", "LOWER_COL", "UPPER_DIAG_COL", "LOWER_DIAG_COL"} {
		for _, wrap := range []int{0, 7, 1000} {
			var r io.Reader = strings.NewReader(explicitInstance(n, d, format, wrap))
			if wrap == 7 { // values cut across every refill of the reader's buffer
				r = iotest.HalfReader(iotest.OneByteReader(r))
			}
			in, err := tsplib.Read(r)
			if err != nil {
				t.Fatalf("%s, wrap %d: %v", format, wrap, err)
			}
			for i := 0; i < n; i++ {
				for j := 0; j < n; j++ {
					if got := in.Matrix.At(i, j); got != d[i*n+j] {
						t.Fatalf("%s, wrap %d: d[%d][%d] = %g, want %g", format, wrap, i, j, got, d[i*n+j])
					}
				}
			}
		}
	}
}

// allocated returns the bytes f allocates.
func allocated(f func()) uint64 {
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// Reading a matrix allocates little more than the matrix itself (n²·8
// bytes), which the Matrix owns: no copy, no token strings, no staging of
// all the values. Issue 13: a 10,000-city FULL_MATRIX peaked at 3.3 GB.
func TestReadAllocations(t *testing.T) {
	const n = 2000
	matrix := float64(n * n * 8)
	d := randomMatrix(n, 100000, false)
	var coords strings.Builder
	fmt.Fprintf(&coords, "NAME: e%d\nTYPE: TSP\nDIMENSION: %d\nEDGE_WEIGHT_TYPE: EUC_2D\nNODE_COORD_SECTION\n", n, n)
	r := rand.New(rand.NewSource(1))
	for i := 0; i < n; i++ {
		fmt.Fprintf(&coords, "%d %d %d\n", i+1, r.Intn(10000), r.Intn(10000))
	}
	coords.WriteString("EOF\n")
	for _, c := range []struct{ name, input string }{
		{"FULL_MATRIX", explicitInstance(n, d, "FULL_MATRIX", 0)},
		{"UPPER_ROW", explicitInstance(n, d, "UPPER_ROW", 0)},
		{"LOWER_DIAG_ROW", explicitInstance(n, d, "LOWER_DIAG_ROW", 10)},
		{"EUC_2D", coords.String()},
	} {
		var in *tsplib.Instance
		var err error
		bytes := allocated(func() { in, err = tsplib.Read(strings.NewReader(c.input)) })
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if in.N != n {
			t.Fatalf("%s: N = %d", c.name, in.N)
		}
		ratio := float64(bytes) / matrix
		t.Logf("%s: %d bytes allocated, %.3f× the matrix", c.name, bytes, ratio)
		if ratio > 1.5 {
			t.Errorf("%s: %d bytes allocated, %.2f× the %g bytes of the matrix; want at most 1.5×", c.name, bytes, ratio, matrix)
		}
	}
}
