package tsp

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"testing/iotest"
	"unicode/utf8"
)

// costSeeds: cost matrices, well-formed and not, for FuzzReadCostMatrixFast.
var costSeeds = []string{
	`{"names": ["depot", "a", "b"], "matrix": [[0, 7, 9], [6, 0, 4], [8, 5, 0]]}`,
	`{"matrix":[[0,1.5e2],[-0,0]],"names":["x\u00e9\"","y"]}`,
	"\ufeff{\"matrix\": [[0, 1],\n [1, 0]]}  \n",
	`{"matrix": [[0, 1], [1, 0]]} {}`,
	`{"matrix": [[0, 1], [1, 0]]} x`,
	`{"matrix": [[0, 1], [1, 0]], "names": ["a"]}`,
	`{"matrix": [[0, 1], [1, 0], [1, 0]]}`,
	`{"matrix": [[0, 1], [1]]}`,
	`{"matrix": [[0, 1e999], [1, 0]]}`,
	`{"matrix": [[0, 1], [1, 0]], "matrix": []}`,
	`{"names": [], "matrix": [[0]]}`,
	`{"names": ["\xff"], "matrix": [[0]]}`,
	`{"names": ["a\u0000"], "matrix": [[0]]}`,
	`{"nam\u0065s": ["a"], "matrix": [[0]]}`,
	`{"matrix": [[0, -1], [1, 0]]}`,
	`{"matrix": [[0, 1], [1, 0x]]}`,
	`{"matrix": [[0, 01], [1, 0]]}`,
	`{"matrix": [[0, "1"], [1, 0]]}`,
	`{"matrix": [[0, 1], [1, 0]`,
	`{"matrix": [], "names": null}`,
	`{"matrix": [[]]}`,
	`{"other": 1}`,
	`[]`,
	``,
	`{}`,
	`{"matrix": [[0, 1] , [1 , 0 ] ] , "names" : [ "a" , "b" ] }`,
	`{"matrix": [[0, 1], [1, 0]]}` + strings.Repeat(" ", 5000) + "x",
	`{"matrix": [[0, ` + strings.Repeat("1", 5000) + `], [1, 0]]}`,
	`{"names": ["` + strings.Repeat("n", 300) + `"], "matrix": [[0]]}`,
}

func randomCostJSON(r *rand.Rand, n int) string {
	var b strings.Builder
	b.WriteString(`{"names": [`)
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%q", fmt.Sprintf("city %d é", i))
	}
	b.WriteString(`], "matrix": [`)
	for i := range n {
		if i > 0 {
			b.WriteString(",\n")
		}
		b.WriteByte('[')
		for j := range n {
			if j > 0 {
				b.WriteByte(',')
			}
			if i == j {
				b.WriteByte('0')
			} else {
				fmt.Fprintf(&b, "%v", math.Round(r.Float64()*1e5)/10)
			}
		}
		b.WriteByte(']')
	}
	b.WriteString("]}")
	return b.String()
}

// sameCostResult: the same matrix, bit for bit, and names, or the same error
// (message, offset and sentinel); got may refuse a name that is not valid
// UTF-8 where want took it.
func sameCostResult(t *testing.T, what string, data []byte, gm *Matrix, gn []string, gerr error, wm *Matrix, wn []string, werr error) {
	t.Helper()
	if gerr != nil || werr != nil {
		if gerr != nil && werr != nil && gerr.Error() == werr.Error() {
			for _, s := range []error{ErrSyntax, ErrEmpty, ErrNotSquare, ErrTooLarge, ErrInfinite, ErrInvalidInput} {
				if errors.Is(gerr, s) != errors.Is(werr, s) {
					t.Fatalf("%s: %q: errors.Is(%v) differs", what, data, s)
				}
			}
			return
		}
		if gerr != nil && strings.Contains(gerr.Error(), "is not valid UTF-8") && !utf8.Valid(data) {
			return
		}
		t.Fatalf("%s: %q:\n got %v\nwant %v", what, data, gerr, werr)
	}
	if gm.n != wm.n || len(gm.d) != len(wm.d) || fmt.Sprint(gn) != fmt.Sprint(wn) || (gn == nil) != (wn == nil) {
		t.Fatalf("%s: %q: got %d cities %q, want %d %q", what, data, gm.n, gn, wm.n, wn)
	}
	for i := range gm.d {
		if math.Float64bits(gm.d[i]) != math.Float64bits(wm.d[i]) {
			t.Fatalf("%s: %q: value %d is %v, want %v", what, data, i, gm.d[i], wm.d[i])
		}
	}
}

func checkCostFast(t *testing.T, data []byte) {
	wm, wn, werr := readCostMatrix(bytes.NewReader(data), false)
	gm, gn, gerr := readCostMatrix(bytes.NewReader(data), true)
	sameCostResult(t, "ReadCostMatrix", data, gm, gn, gerr, wm, wn, werr)
	gm, gn, gerr = readCostMatrix(iotest.OneByteReader(bytes.NewReader(data)), true)
	sameCostResult(t, "ReadCostMatrix, a byte at a time", data, gm, gn, gerr, wm, wn, werr)
	// DecodeCostMatrix: from memory, with a limit, and what follows.
	for _, max := range []int{0, 2, 3} {
		gm, gn, rest, gerr := DecodeCostMatrix(data, max)
		dec := newJSONDecoder(data)
		wm, wn, werr := decodeCostMatrix(dec, 0, max)
		sameCostResult(t, fmt.Sprintf("DecodeCostMatrix(max %d)", max), data, gm, gn, gerr, wm, wn, werr)
		if gerr == nil && werr == nil && !bytes.Equal(rest, data[dec.InputOffset():]) {
			t.Fatalf("DecodeCostMatrix(%q, %d): rest %q, want %q", data, max, rest, data[dec.InputOffset():])
		}
	}
	// UnmarshalJSON: one JSON value, no guard, no check of what follows.
	var c CostMatrix
	gerr = c.UnmarshalJSON(data)
	if string(bytes.TrimSpace(data)) == "null" {
		return
	}
	dec := newJSONDecoder(data)
	wm, wn, werr = decodeCostMatrix(dec, 0, 0)
	sameCostResult(t, "UnmarshalJSON", data, c.Matrix, c.Names, gerr, wm, wn, werr)
}

// FuzzReadCostMatrixFast: the fast reader gives what encoding/json's token
// reader alone gives (decodeCostMatrix), for any input, read at once and a
// byte at a time: the same matrix in every bit, or the same error.
func FuzzReadCostMatrixFast(f *testing.F) {
	for _, s := range costSeeds {
		f.Add([]byte(s))
	}
	f.Add([]byte(randomCostJSON(rand.New(rand.NewPCG(1, 2)), 5)))
	f.Fuzz(func(t *testing.T, data []byte) {
		checkCostFast(t, data)
	})
}

func TestReadCostMatrixFast(t *testing.T) {
	for _, s := range costSeeds {
		checkCostFast(t, []byte(s))
	}
	r := rand.New(rand.NewPCG(3, 4))
	for _, n := range []int{1, 2, 7, 60} {
		s := randomCostJSON(r, n)
		checkCostFast(t, []byte(s))
		// Every prefix and every one-byte change of a small one.
		if n <= 7 {
			for i := range len(s) {
				checkCostFast(t, []byte(s[:i]))
				for _, c := range []byte{' ', '"', ']', ',', 'x', '\\', '-', 0xff} {
					b := []byte(s)
					b[i] = c
					checkCostFast(t, b)
				}
			}
		}
	}
	// A row of more than costMaxRowBytes: read on the slow way, the same.
	long := "1." + strings.Repeat("0", 3998)
	var b strings.Builder
	b.WriteString(`{"matrix": [[0`)
	const n = 300
	for range n - 1 {
		b.WriteString("," + long)
	}
	b.WriteString("]")
	for i := 1; i < n; i++ {
		b.WriteString(",[")
		for j := range n {
			if j > 0 {
				b.WriteByte(',')
			}
			b.WriteString(map[bool]string{true: "0", false: "2"}[i == j])
		}
		b.WriteString("]")
	}
	b.WriteString("]}")
	if len(long)*(n-1) < costMaxRowBytes {
		t.Fatal("the long row is too short")
	}
	checkCostFast(t, []byte(b.String()))
	if m, _, err := ReadCostMatrix(strings.NewReader(b.String())); err != nil || m.At(0, 1) != 1 || m.At(1, 0) != 2 {
		t.Errorf("a long row: %v", err)
	}
	// A name that is not valid UTF-8 is refused, where encoding/json took it.
	bad := "{\"names\": [\"a\", \"b\xffc\"], \"matrix\": [[0, 1], [1, 0]]}"
	_, _, err := ReadCostMatrix(strings.NewReader(bad))
	if !errors.Is(err, ErrSyntax) || !strings.Contains(err.Error(), "name 1 is not valid UTF-8, at byte 21") {
		t.Errorf("invalid UTF-8 in a name: %v", err)
	}
}

func newJSONDecoder(data []byte) *json.Decoder {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	return dec
}

// BenchmarkReadCostMatrix: a random cost matrix with names (values of up
// to 7 digits, about 7 bytes a value), by the fast reader and by
// encoding/json's token reader alone (before):
//
//	go test -run '^$' -bench ReadCostMatrix -benchmem .
func BenchmarkReadCostMatrix(b *testing.B) {
	sizes := []int{500, 2000}
	if testing.Short() {
		sizes = sizes[:1]
	}
	for _, n := range sizes {
		data := []byte(randomCostJSON(rand.New(rand.NewPCG(uint64(n), 1)), n))
		for _, reader := range []string{"fast", "token"} {
			b.Run(fmt.Sprintf("%d/%s", n, reader), func(b *testing.B) {
				b.SetBytes(int64(len(data)))
				for b.Loop() {
					if _, _, err := readCostMatrix(bytes.NewReader(data), reader == "fast"); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
