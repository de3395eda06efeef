package tsplib_test

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/ffi4go/tsp"
	"github.com/ffi4go/tsp/internal/difftest"
	"github.com/ffi4go/tsp/kernel"
	"github.com/ffi4go/tsp/tsplib"
)

// rows returns the matrix as rows, for comparison.
func rows(m *tsp.Matrix) [][]float64 {
	n := m.N()
	r := make([][]float64, n)
	for i := range r {
		r[i] = make([]float64, n)
		for j := range r[i] {
			r[i][j] = m.At(i, j)
		}
	}
	return r
}

// explicit4 is the matrix of every EXPLICIT test: the values of the upper
// triangle are 1..6 row by row.
var explicit4 = [][]float64{
	{0, 1, 2, 3},
	{1, 0, 4, 5},
	{2, 4, 0, 6},
	{3, 5, 6, 0},
}

func explicitInput(format, weights string) string {
	return "NAME: x4\nTYPE: TSP\nDIMENSION: 4\nEDGE_WEIGHT_TYPE: EXPLICIT\nEDGE_WEIGHT_FORMAT: " + format +
		"\nEDGE_WEIGHT_SECTION\n" + weights + "EOF\n"
}

var validTests = []struct {
	name   string
	input  string
	typ    string
	want   [][]float64
	coords []tsplib.Point
}{
	{
		// |12| = 5; |13| = √2 = 1.41 → 1; |14| = 2.5 → 3 (halves round up);
		// |23| = √13 = 3.61 → 4; |24| = √16.25 = 4.03 → 4; |34| = √3.25 = 1.80 → 2.
		name:  "EUC_2D",
		input: "NAME: euc\nTYPE: TSP\nDIMENSION: 4\nEDGE_WEIGHT_TYPE: EUC_2D\nNODE_COORD_SECTION\n1 0 0\n2 3 4\n3 1 1\n4 2.5 0\nEOF\n",
		typ:   "EUC_2D",
		want: [][]float64{
			{0, 5, 1, 3},
			{5, 0, 4, 4},
			{1, 4, 0, 2},
			{3, 4, 2, 0},
		},
		coords: []tsplib.Point{{0, 0}, {3, 4}, {1, 1}, {2.5, 0}},
	},
	{
		// The same points, every distance rounded up: 5, 2, 3, 4, 5, 2.
		name:  "CEIL_2D",
		input: "NAME: ceil\nTYPE: TSP\nDIMENSION: 4\nEDGE_WEIGHT_TYPE: CEIL_2D\nNODE_COORD_SECTION\n1 0 0\n2 3 4\n3 1 1\n4 2.5 0\nEOF\n",
		typ:   "CEIL_2D",
		want: [][]float64{
			{0, 5, 2, 3},
			{5, 0, 4, 5},
			{2, 4, 0, 2},
			{3, 5, 2, 0},
		},
		coords: []tsplib.Point{{0, 0}, {3, 4}, {1, 1}, {2.5, 0}},
	},
	{
		// r = √((xd²+yd²)/10), t = nint(r), t+1 if t < r:
		// 12: √10 = 3.16 → 3 < r → 4;  13: √13 = 3.61 → 4;  14: √100 = 10 → 10;
		// 15: √17 = 4.12 → 5;  23: √9 = 3 → 3;  24: √90 = 9.49 → 9 → 10;
		// 25: √5 = 2.24 → 3;  34: √45 = 6.71 → 7;  35: √2 = 1.41 → 2;  45: √53 = 7.28 → 8.
		name:  "ATT",
		input: "NAME : att\nTYPE : TSP\nDIMENSION : 5\nEDGE_WEIGHT_TYPE : ATT\nNODE_COORD_SECTION\n1 0 0\n2 10 0\n3 7 9\n4 10 30\n5 11 7\nEOF\n",
		typ:   "ATT",
		want: [][]float64{
			{0, 4, 4, 10, 5},
			{4, 0, 3, 10, 3},
			{4, 3, 0, 7, 2},
			{10, 10, 7, 0, 8},
			{5, 3, 2, 8, 0},
		},
		coords: []tsplib.Point{{0, 0}, {10, 0}, {7, 9}, {10, 30}, {11, 7}},
	},
	{
		// Along the equator and the meridian 0, an arc of a degrees is
		// 6378.388·a·3.141592/180 = 111.324·a km, then int(· + 1):
		// 1–2: 0.59 is 59' = 0.9833° → 109.47 → 110;
		// 1–3: -0.30 is -30' (deg = int(-0.30) = 0, truncated toward zero) → 55.66 → 56;
		// 1–4: 0.50 is 50' = 0.8333° → 92.77 → 93 (rounding deg to 1 would give 19);
		// 1–5: the same place → 1, not 0. The rest from the same formula.
		name: "GEO",
		input: "NAME: geo\nTYPE: TSP\nDIMENSION: 6\nEDGE_WEIGHT_TYPE: GEO\nNODE_COORD_SECTION\n" +
			"1 0.00 0.00\n2 0.00 0.59\n3 -0.30 0.00\n4 0.50 0.00\n5 0 0\n6 -25.40 -57.40\nEOF\n",
		typ: "GEO",
		want: [][]float64{
			{0, 110, 56, 93, 1, 6811},
			{110, 0, 123, 144, 110, 6906},
			{56, 123, 0, 149, 56, 6784},
			{93, 144, 149, 0, 93, 6857},
			{1, 110, 56, 93, 0, 6811},
			{6811, 6906, 6784, 6857, 6811, 0},
		},
		coords: []tsplib.Point{{0, 0}, {0, 0.59}, {-0.30, 0}, {0.50, 0}, {0, 0}, {-25.40, -57.40}},
	},
	{name: "FULL_MATRIX", typ: "EXPLICIT", want: explicit4,
		input: explicitInput("FULL_MATRIX", "0 1 2\n3 1 0 4 5 2\n4 0\n6\n3 5 6 0\n")},
	{name: "FULL_MATRIX one line", typ: "EXPLICIT", want: explicit4,
		input: explicitInput("FULL_MATRIX", "0 1 2 3 1 0 4 5 2 4 0 6 3 5 6 0\n")},
	{name: "UPPER_ROW", typ: "EXPLICIT", want: explicit4,
		input: explicitInput("UPPER_ROW", "1 2 3\n4 5\n6\n")},
	{name: "UPPER_ROW wrapped", typ: "EXPLICIT", want: explicit4,
		input: explicitInput("UPPER_ROW", "  1\n 2 3 4 5\n\n 6   \n")},
	{name: "LOWER_ROW", typ: "EXPLICIT", want: explicit4,
		input: explicitInput("LOWER_ROW", "1\n2 4\n3 5 6\n")},
	{name: "LOWER_ROW wrapped", typ: "EXPLICIT", want: explicit4,
		input: explicitInput("LOWER_ROW", "1 2 4 3 5 6\n")},
	{name: "UPPER_DIAG_ROW", typ: "EXPLICIT", want: explicit4,
		input: explicitInput("UPPER_DIAG_ROW", "0 1 2 3\n0 4 5\n0 6\n0\n")},
	{name: "UPPER_DIAG_ROW wrapped", typ: "EXPLICIT", want: explicit4,
		input: explicitInput("UPPER_DIAG_ROW", "0 1 2 3 0\n4 5 0 6 0\n")},
	{name: "LOWER_DIAG_ROW", typ: "EXPLICIT", want: explicit4,
		input: explicitInput("LOWER_DIAG_ROW", "0\n1 0\n2 4 0\n3 5 6 0\n")},
	{name: "LOWER_DIAG_ROW wrapped", typ: "EXPLICIT", want: explicit4,
		input: explicitInput("LOWER_DIAG_ROW", "0 1 0 2\n4 0 3 5 6 0\n")},
	{name: "UPPER_COL", typ: "EXPLICIT", want: explicit4, // column by column: the LOWER_ROW order
		input: explicitInput("UPPER_COL", "1\n2 4\n3 5 6\n")},
	{name: "LOWER_DIAG_COL", typ: "EXPLICIT", want: explicit4,
		input: explicitInput("LOWER_DIAG_COL", "0 1 2 3\n0 4 5\n0 6\n0\n")},
	{
		name: "EXPLICIT with DISPLAY_DATA_SECTION", typ: "EXPLICIT", want: explicit4,
		input: "NAME: d4\nTYPE: TSP\nDIMENSION: 4\nEDGE_WEIGHT_TYPE: EXPLICIT\nEDGE_WEIGHT_FORMAT: UPPER_ROW\n" +
			"DISPLAY_DATA_TYPE: TWOD_DISPLAY\nEDGE_WEIGHT_SECTION\n 1 2 3 4 5 6\nDISPLAY_DATA_SECTION\n" +
			"   1  10.0 20.0\n   2  30.5 40.0\n   3 -1 0\n   4 0 0\nEOF\n",
		coords: []tsplib.Point{{10, 20}, {30.5, 40}, {-1, 0}, {0, 0}},
	},
	{
		name: "spacing, CRLF, no EOF", typ: "EUC_2D", want: [][]float64{{0, 5}, {5, 0}},
		input: "NAME:sp\r\nCOMMENT : first\r\nTYPE :TSP\r\n\r\nCOMMENT:  second line  \r\n  DIMENSION\t:\t2\r\n" +
			"EDGE_WEIGHT_TYPE: EUC_2D   \r\nNODE_COORD_TYPE : TWOD_COORDS\r\nNODE_COORD_SECTION :\r\n\t1\t0\t0\r\n 2 3.0e0 +4\r\n",
		coords: []tsplib.Point{{0, 0}, {3, 4}},
	},
	{
		name: "EOF indented, text after it ignored", typ: "EUC_2D", want: [][]float64{{0}},
		input:  "NAME: one\nDIMENSION: 1\nEDGE_WEIGHT_TYPE: EUC_2D\nNODE_COORD_SECTION\n1 7 7\n EOF   \nthis is not read\n",
		coords: []tsplib.Point{{7, 7}},
	},
}

func TestRead(t *testing.T) {
	for _, tc := range validTests {
		t.Run(tc.name, func(t *testing.T) {
			in, err := tsplib.Read(strings.NewReader(tc.input))
			if err != nil {
				t.Fatal(err)
			}
			if in.Type != tc.typ {
				t.Errorf("Type = %q, want %q", in.Type, tc.typ)
			}
			if in.N != len(tc.want) || in.Matrix.N() != len(tc.want) {
				t.Fatalf("N = %d, Matrix.N() = %d, want %d", in.N, in.Matrix.N(), len(tc.want))
			}
			if got := rows(in.Matrix); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("matrix\n got %v\nwant %v", got, tc.want)
			}
			if !reflect.DeepEqual(in.Coords, tc.coords) {
				t.Errorf("Coords = %v, want %v", in.Coords, tc.coords)
			}
		})
	}
}

func TestReadHeader(t *testing.T) {
	in, err := tsplib.Read(strings.NewReader(validTests[len(validTests)-2].input))
	if err != nil {
		t.Fatal(err)
	}
	if in.Name != "sp" || in.Comment != "first\nsecond line" {
		t.Errorf("Name %q, Comment %q", in.Name, in.Comment)
	}
}

// TestGEOBurma14 checks the first row of burma14 against the distances
// TSPLIB's reference code gives (the well-known explicit form of burma14).
func TestGEOBurma14(t *testing.T) {
	in, err := tsplib.ReadFile(filepath.Join("..", "testdata", "tsplib", "burma14.tsp"))
	if err != nil {
		t.Fatal(err)
	}
	want := []float64{0, 153, 510, 706, 966, 581, 455, 70, 160, 372, 157, 567, 342, 398}
	if got := rows(in.Matrix)[0]; !reflect.DeepEqual(got, want) {
		t.Errorf("row 1\n got %v\nwant %v", got, want)
	}
}

func TestCities(t *testing.T) {
	in, err := tsplib.Read(strings.NewReader("NAME: c\nDIMENSION: 3\nEDGE_WEIGHT_TYPE: GEO\nNODE_COORD_SECTION\n" +
		"1 16.47 96.10\n2 -25.40 -57.40\n3 -0.30 179.59\nEOF\n"))
	if err != nil {
		t.Fatal(err)
	}
	got, err := in.Cities()
	if err != nil {
		t.Fatal(err)
	}
	want := []tsp.City{
		{Name: "1", Lat: 16 + 47.0/60, Lon: 96 + 10.0/60},
		{Name: "2", Lat: -25 - 40.0/60, Lon: -57 - 40.0/60},
		{Name: "3", Lat: -30.0 / 60, Lon: 179 + 59.0/60},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d cities, want %d", len(got), len(want))
	}
	for i := range want {
		g, w := got[i], want[i]
		if g.Name != w.Name || math.Abs(g.Lat-w.Lat) > 1e-9 || math.Abs(g.Lon-w.Lon) > 1e-9 {
			t.Errorf("city %d = %+v, want %+v", i, g, w)
		}
	}

	in, err = tsplib.Read(strings.NewReader(validTests[0].input))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := in.Cities(); !errors.Is(err, tsplib.ErrUnsupported) {
		t.Errorf("Cities of EUC_2D: err = %v, want ErrUnsupported", err)
	}

	in, err = tsplib.Read(strings.NewReader("DIMENSION: 2\nEDGE_WEIGHT_TYPE: GEO\nNODE_COORD_SECTION\n1 0 0\n2 95.00 0\n"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := in.Cities(); !errors.Is(err, tsp.ErrLatitude) {
		t.Errorf("Cities with latitude 95: err = %v, want tsp.ErrLatitude", err)
	}
}

const coordHeader = "NAME: e\nTYPE: TSP\nDIMENSION: 3\nEDGE_WEIGHT_TYPE: EUC_2D\nNODE_COORD_SECTION\n" // lines 1-5

var errorTests = []struct {
	name  string
	input string
	line  int
	is    []error
	msg   string
}{
	{"empty input", "", 1, []error{tsplib.ErrFormat}, "without DIMENSION"},
	{"blank input", "\n\n\n", 3, []error{tsplib.ErrFormat}, "without DIMENSION"},
	{"unknown keyword", "NAME: x\nFOO: bar\n", 2, []error{tsplib.ErrFormat}, `unknown keyword "FOO"`},
	{"DIMENSION not a number", "NAME: x\nDIMENSION: ten\n", 2, []error{tsplib.ErrFormat}, "DIMENSION"},
	{"DIMENSION zero", "DIMENSION: 0\n", 1, []error{tsplib.ErrFormat}, "at least 1"},
	{"DIMENSION negative", "DIMENSION: -5\n", 1, []error{tsplib.ErrFormat}, "at least 1"},
	{"DIMENSION too large", "NAME: x\nDIMENSION: 10001\n", 2, []error{tsplib.ErrUnsupported, tsp.ErrTooLarge}, "at most 10000"},
	{"DIMENSION absurd", "DIMENSION: 999999999999999999999999999\n", 1, []error{tsplib.ErrUnsupported, tsp.ErrTooLarge}, "at most 10000"},
	{"DIMENSION twice", "DIMENSION: 3\nDIMENSION : 4\n", 2, []error{tsplib.ErrFormat}, "again"},
	{"TYPE HCP", "NAME: x\nTYPE: HCP\n", 2, []error{tsplib.ErrUnsupported}, "HCP"},
	{"ATSP not FULL_MATRIX", "NAME: x\nTYPE: ATSP\nDIMENSION: 3\nEDGE_WEIGHT_TYPE: EXPLICIT\nEDGE_WEIGHT_FORMAT: UPPER_ROW\nEDGE_WEIGHT_SECTION\n1 2 3\n", 6, []error{tsplib.ErrUnsupported}, "want FULL_MATRIX"},
	{"ATSP negative", "NAME: x\nTYPE: ATSP\nDIMENSION: 2\nEDGE_WEIGHT_TYPE: EXPLICIT\nEDGE_WEIGHT_FORMAT: FULL_MATRIX\nEDGE_WEIGHT_SECTION\n9999 1\n-2 9999\n", 8, []error{tsplib.ErrFormat, tsp.ErrNegative}, "negative"},
	{"EUC_3D", "DIMENSION: 3\nEDGE_WEIGHT_TYPE: EUC_3D\n", 2, []error{tsplib.ErrUnsupported}, "EUC_3D"},
	{"EDGE_WEIGHT_TYPE empty", "EDGE_WEIGHT_TYPE:\n", 1, []error{tsplib.ErrFormat}, "without a value"},
	{"unknown format", "DIMENSION: 3\nEDGE_WEIGHT_TYPE: EXPLICIT\nEDGE_WEIGHT_FORMAT: DIAGONAL\n", 3, []error{tsplib.ErrUnsupported}, "DIAGONAL"},
	{"THREED_COORDS", "NODE_COORD_TYPE: THREED_COORDS\n", 1, []error{tsplib.ErrUnsupported}, "THREED_COORDS"},
	{"DEPOT_SECTION", "DIMENSION: 3\nDEPOT_SECTION\n", 2, []error{tsplib.ErrUnsupported}, "DEPOT_SECTION"},
	{"FIXED_EDGES_SECTION", "DIMENSION: 3\nFIXED_EDGES_SECTION\n1 2\n-1\n", 2, []error{tsplib.ErrUnsupported}, "FIXED_EDGES_SECTION"},
	{"coordinates before DIMENSION", "NAME: x\nNODE_COORD_SECTION\n1 0 0\n", 2, []error{tsplib.ErrFormat}, "before DIMENSION"},
	{"bad coordinate", coordHeader + "1 0 0\n2 3 4\n3 1 x\n", 8, []error{tsplib.ErrFormat}, `coordinate "x"`},
	{"NaN coordinate", coordHeader + "1 0 0\n2 NaN 4\n3 1 1\n", 7, []error{tsplib.ErrFormat}, `"NaN"`},
	{"Inf coordinate", coordHeader + "1 0 0\n2 3 4\n3 Inf 1\n", 8, []error{tsplib.ErrFormat}, `"Inf"`},
	{"hex coordinate", coordHeader + "1 0x10 0\n", 6, []error{tsplib.ErrFormat}, `"0x10"`},
	{"coordinate out of range", coordHeader + "1 0 0\n2 1e999 4\n", 7, []error{tsplib.ErrFormat}, "out of range"},
	{"two coordinates", coordHeader + "1 0 0\n2 3\n", 7, []error{tsplib.ErrFormat}, "want 3"},
	{"four coordinates", coordHeader + "1 0 0 0\n", 6, []error{tsplib.ErrFormat}, "want 3"},
	{"node out of order", coordHeader + "1 0 0\n3 1 1\n2 3 4\n", 7, []error{tsplib.ErrFormat}, "node 3 where node 2"},
	{"too few nodes then EOF", coordHeader + "1 0 0\n2 3 4\nEOF\n", 8, []error{tsplib.ErrFormat}, "after 2 of 3 nodes"},
	{"too few nodes at end of input", coordHeader + "1 0 0\n2 3 4\n", 7, []error{tsplib.ErrFormat}, "end of input after 2 of the 3 nodes"},
	{"too many nodes", coordHeader + "1 0 0\n2 3 4\n3 1 1\n4 2 2\nEOF\n", 9, []error{tsplib.ErrFormat}, "more values in NODE_COORD_SECTION"},
	{"no coordinates", "NAME: x\nDIMENSION: 3\nEDGE_WEIGHT_TYPE: GEO\nEOF\n", 4, []error{tsplib.ErrFormat}, "without NODE_COORD_SECTION"},
	{"no EDGE_WEIGHT_TYPE", "NAME: x\nDIMENSION: 1\nNODE_COORD_SECTION\n1 0 0\n", 4, []error{tsplib.ErrFormat}, "without EDGE_WEIGHT_TYPE"},
	{"distance overflows", coordHeader + "1 0 0\n2 1e300 1e300\n3 0 0\n", 7, []error{tsplib.ErrFormat, tsp.ErrInfinite}, "overflows"},
	{"data after section keyword", "DIMENSION: 1\nNODE_COORD_SECTION 1 0 0\n", 2, []error{tsplib.ErrFormat}, "after NODE_COORD_SECTION"},
	{"text after EOF keyword", "DIMENSION: 1\nEOF now\n", 2, []error{tsplib.ErrFormat}, "after EOF"},

	// EXPLICIT: the section starts on line 7 of explicitInput.
	{"asymmetric", explicitInput("FULL_MATRIX", "0 1 2 3\n1 0 4 5\n2 4 0 6\n3 5 7 0\n"), 10, []error{tsplib.ErrFormat, tsp.ErrAsymmetric}, "needs TYPE: ATSP"},
	{"non-zero diagonal", explicitInput("LOWER_DIAG_ROW", "0\n1 0\n2 4 9\n3 5 6 0\n"), 9, []error{tsplib.ErrFormat, tsp.ErrDiagonal}, "diagonal"},
	{"negative weight", explicitInput("UPPER_ROW", "1 2 3\n4 -5\n6\n"), 8, []error{tsplib.ErrFormat, tsp.ErrNegative}, "negative"},
	{"bad weight", explicitInput("UPPER_ROW", "1 2 3\n4 5\n6.5.1\n"), 9, []error{tsplib.ErrFormat}, `"6.5.1"`},
	{"NaN weight", explicitInput("UPPER_ROW", "1 2 3\nNaN 5 6\n"), 8, []error{tsplib.ErrFormat}, `"NaN"`},
	{"too few weights", explicitInput("UPPER_ROW", "1 2 3\n4 5\n"), 9, []error{tsplib.ErrFormat}, "after 5 of its 6 values"},
	{"too few weights, no EOF", "DIMENSION: 4\nEDGE_WEIGHT_TYPE: EXPLICIT\nEDGE_WEIGHT_FORMAT: UPPER_ROW\nEDGE_WEIGHT_SECTION\n1 2 3\n4 5\n\n", 7, []error{tsplib.ErrFormat}, "end of input after 5 of the 6 values"},
	{"extra weight on the line", explicitInput("UPPER_ROW", "1 2 3\n4 5\n6 7\n"), 9, []error{tsplib.ErrFormat}, "after the last value"},
	{"extra weight line", explicitInput("UPPER_ROW", "1 2 3\n4 5\n6\n7\n"), 10, []error{tsplib.ErrFormat}, "more values in EDGE_WEIGHT_SECTION"},
	{"long weight", explicitInput("UPPER_ROW", "1 2 3\n4 5 "+strings.Repeat("6", 200)+"\n"), 8, []error{tsplib.ErrFormat}, "longer than"},
	{"weights before DIMENSION", "EDGE_WEIGHT_TYPE: EXPLICIT\nEDGE_WEIGHT_FORMAT: UPPER_ROW\nEDGE_WEIGHT_SECTION\n1\n", 3, []error{tsplib.ErrFormat}, "before DIMENSION"},
	{"weights before FORMAT", "DIMENSION: 2\nEDGE_WEIGHT_TYPE: EXPLICIT\nEDGE_WEIGHT_SECTION\n1\n", 3, []error{tsplib.ErrFormat}, "before EDGE_WEIGHT_FORMAT"},
	{"weights before TYPE", "DIMENSION: 2\nEDGE_WEIGHT_FORMAT: UPPER_ROW\nEDGE_WEIGHT_SECTION\n1\n", 3, []error{tsplib.ErrFormat}, "before EDGE_WEIGHT_TYPE"},
	{"weights with FUNCTION", "DIMENSION: 2\nEDGE_WEIGHT_TYPE: EXPLICIT\nEDGE_WEIGHT_FORMAT: FUNCTION\nEDGE_WEIGHT_SECTION\n1\n", 4, []error{tsplib.ErrFormat}, "FUNCTION"},
	{"weights with EUC_2D", "DIMENSION: 2\nEDGE_WEIGHT_TYPE: EUC_2D\nEDGE_WEIGHT_FORMAT: UPPER_ROW\nEDGE_WEIGHT_SECTION\n1\n", 4, []error{tsplib.ErrFormat}, "want EXPLICIT"},
	{"EXPLICIT without weights", "DIMENSION: 2\nEDGE_WEIGHT_TYPE: EXPLICIT\nEDGE_WEIGHT_FORMAT: UPPER_ROW\nEOF\n", 4, []error{tsplib.ErrFormat}, "without EDGE_WEIGHT_SECTION"},
	{"line too long", "COMMENT: " + strings.Repeat("x", 1<<20) + "\n", 1, []error{tsplib.ErrFormat}, "longer than"},
}

func TestReadErrors(t *testing.T) {
	for _, tc := range errorTests {
		t.Run(tc.name, func(t *testing.T) {
			in, err := tsplib.Read(strings.NewReader(tc.input))
			if err == nil {
				t.Fatalf("no error; read %+v", in)
			}
			if in != nil {
				t.Errorf("an instance with the error %v", err)
			}
			for _, want := range tc.is {
				if !errors.Is(err, want) {
					t.Errorf("error %q does not wrap %q", err, want)
				}
			}
			prefix := fmt.Sprintf("tsplib: line %d: ", tc.line)
			if !strings.HasPrefix(err.Error(), prefix) {
				t.Errorf("error %q does not begin with %q", err, prefix)
			}
			if !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("error %q does not say %q", err, tc.msg)
			}
		})
	}
}

func TestReadReaderError(t *testing.T) {
	boom := errors.New("boom")
	_, err := tsplib.Read(iotest.ErrReader(boom))
	if !errors.Is(err, boom) || errors.Is(err, tsplib.ErrFormat) {
		t.Errorf("err = %v, want the reader's error and not ErrFormat", err)
	}
	if !strings.Contains(err.Error(), "line 1") {
		t.Errorf("err = %v, want the line", err)
	}
	// an error in the middle of the weights
	r := io.MultiReader(strings.NewReader("DIMENSION: 2\nEDGE_WEIGHT_TYPE: EXPLICIT\nEDGE_WEIGHT_FORMAT: UPPER_ROW\nEDGE_WEIGHT_SECTION\n"), iotest.ErrReader(boom))
	_, err = tsplib.Read(r)
	if !errors.Is(err, boom) || errors.Is(err, tsplib.ErrFormat) || !strings.HasPrefix(err.Error(), "tsplib: line 5: ") {
		t.Errorf("err = %v, want the reader's error on line 5", err)
	}
}

func TestReadFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "bad.tsp")
	if err := os.WriteFile(path, []byte("NAME: bad\nDIMENSION: x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := tsplib.ReadFile(path)
	if want := "tsplib: " + path + ": line 2: "; err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("err = %v, want it to begin with %q", err, want)
	}
	if !errors.Is(err, tsplib.ErrFormat) {
		t.Errorf("err = %v, want ErrFormat", err)
	}
	_, err = tsplib.ReadFile(filepath.Join(dir, "missing.tsp"))
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("err = %v, want fs.ErrNotExist", err)
	}
}

const testdata = "../testdata/tsplib"

// readOptima reads OPTIMA.txt: "name length" a line.
func readOptima(t testing.TB) map[string]float64 {
	return difftest.Optima(t, filepath.Join(testdata, "OPTIMA.txt"))
}

// testdataTypes is the EDGE_WEIGHT_TYPE of each instance in testdata.
var testdataTypes = map[string]string{}

func init() {
	for typ, names := range map[string]string{
		"GEO":      "burma14 ulysses16 ulysses22 gr96 gr202 gr666",
		"EUC_2D":   "eil51 berlin52 kroA100 a280 pr1002 pr2392",
		"ATT":      "att48",
		"EXPLICIT": "gr17 gr21 gr24 fri26 bayg29 bays29 dantzig42 swiss42 gr48 hk48",
	} {
		for _, name := range strings.Fields(names) {
			testdataTypes[name] = typ
		}
	}
}

var dimensionLine = regexp.MustCompile(`(?m)^\s*DIMENSION\s*:\s*(\d+)\s*$`)

// TestTestdata reads every instance in testdata/tsplib and checks what is
// cheap to check: DIMENSION, the type, the matrix, and that the optimum of
// OPTIMA.txt lies between a lower bound (half the sum over the cities of
// their two shortest edges) and the length of a nearest-neighbour tour.
func TestTestdata(t *testing.T) {
	optima := readOptima(t)
	files, err := filepath.Glob(filepath.Join(testdata, "*.tsp"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != len(testdataTypes) || len(optima) != len(testdataTypes) {
		t.Errorf("%d .tsp files and %d optima, want %d of each", len(files), len(optima), len(testdataTypes))
	}
	for _, path := range files {
		name := strings.TrimSuffix(filepath.Base(path), ".tsp")
		t.Run(name, func(t *testing.T) {
			raw, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			mm := dimensionLine.FindSubmatch(raw)
			if mm == nil {
				t.Fatal("no DIMENSION line")
			}
			dim, _ := strconv.Atoi(string(mm[1]))
			in, err := tsplib.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if in.N != dim || in.Matrix.N() != dim {
				t.Fatalf("N = %d, Matrix.N() = %d, DIMENSION says %d", in.N, in.Matrix.N(), dim)
			}
			if strings.TrimSuffix(in.Name, ".tsp") != name {
				t.Errorf("Name = %q", in.Name)
			}
			if in.Type != testdataTypes[name] {
				t.Errorf("Type = %q, want %q", in.Type, testdataTypes[name])
			}
			if in.Type != "EXPLICIT" && len(in.Coords) != dim || in.Coords != nil && len(in.Coords) != dim {
				t.Errorf("%d coordinates for %d nodes", len(in.Coords), dim)
			}
			if in.Type == "GEO" {
				if c, err := in.Cities(); err != nil || len(c) != dim {
					t.Errorf("Cities: %d cities, error %v", len(c), err)
				}
			}
			m := in.Matrix
			for i := 0; i < dim; i++ {
				for j := 0; j < dim; j++ {
					if v := m.At(i, j); v != math.Trunc(v) || v < 0 || (i != j && v == 0 && in.Type == "GEO") {
						t.Fatalf("d[%d][%d] = %g", i, j, v)
					}
				}
			}
			opt, ok := optima[name]
			if !ok {
				t.Fatal("not in OPTIMA.txt")
			}
			lb, ub := twoNearestBound(m), nearestNeighbour(m)
			t.Logf("n=%d %s: bound %g ≤ optimum %g ≤ nearest neighbour %g", dim, in.Type, lb, opt, ub)
			if !(lb <= opt && opt <= ub) {
				t.Errorf("optimum %g outside [%g, %g]", opt, lb, ub)
			}
		})
	}
}

// twoNearestBound is ⌈½ Σ_i (two shortest edges at i)⌉: every tour uses two
// edges at each city, so no tour is shorter.
func twoNearestBound(m *tsp.Matrix) float64 {
	n := m.N()
	s := 0.0
	for i := 0; i < n; i++ {
		a, b := math.Inf(1), math.Inf(1)
		for j := 0; j < n; j++ {
			if j == i {
				continue
			}
			switch v := m.At(i, j); {
			case v < a:
				a, b = v, a
			case v < b:
				b = v
			}
		}
		s += a + b
	}
	return math.Ceil(s / 2)
}

// nearestNeighbour is the length of the nearest-neighbour tour from city 0.
func nearestNeighbour(m *tsp.Matrix) float64 {
	n := m.N()
	used := make([]bool, n)
	used[0] = true
	cur, total := 0, 0.0
	for k := 1; k < n; k++ {
		next, best := -1, math.Inf(1)
		for j := 0; j < n; j++ {
			if !used[j] && m.At(cur, j) < best {
				next, best = j, m.At(cur, j)
			}
		}
		used[next] = true
		total += best
		cur = next
	}
	return total + m.At(cur, 0)
}

func FuzzRead(f *testing.F) {
	for _, tc := range validTests {
		f.Add([]byte(tc.input))
	}
	for _, tc := range errorTests {
		if len(tc.input) < 1<<12 {
			f.Add([]byte(tc.input))
		}
	}
	for _, name := range []string{"burma14", "gr17"} {
		b, err := os.ReadFile(filepath.Join(testdata, name+".tsp"))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	// An asymmetric instance: the check below must tell it from a
	// symmetric one read wrong (CI's fuzzing once failed on that).
	b, err := os.ReadFile(filepath.Join("..", "testdata", "tsplib-atsp", "br17.atsp"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b)
	f.Add([]byte("TYPE: ATSP\nDIMENSION: 2\nEDGE_WEIGHT_TYPE: EXPLICIT\nEDGE_WEIGHT_FORMAT: FULL_MATRIX\nEDGE_WEIGHT_SECTION\n9999 0\n1 9999\nEOF\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		in, err := tsplib.Read(strings.NewReader(string(data)))
		if err != nil {
			if in != nil {
				t.Fatalf("an instance with the error %v", err)
			}
			if !errors.Is(err, tsplib.ErrFormat) && !errors.Is(err, tsplib.ErrUnsupported) {
				t.Fatalf("error %v wraps neither ErrFormat nor ErrUnsupported", err)
			}
			if !strings.HasPrefix(err.Error(), "tsplib: line ") {
				t.Fatalf("error %q names no line", err)
			}
			return
		}
		m := in.Matrix
		if m == nil || in.N < 1 || m.N() != in.N || len(kernel.Data(m)) != in.N*in.N {
			t.Fatalf("N = %d, matrix %v", in.N, m)
		}
		if in.Coords != nil && len(in.Coords) != in.N {
			t.Fatalf("%d coordinates for N = %d", len(in.Coords), in.N)
		}
		n := in.N
		for i := 0; i < n; i++ {
			for j := 0; j < n; j++ {
				v := m.At(i, j)
				// Only TYPE: ATSP may be asymmetric.
				asym := in.Problem != "ATSP" && v != m.At(j, i)
				if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 || asym || (i == j && v != 0) {
					t.Fatalf("d[%d][%d] = %g, d[%d][%d] = %g", i, j, v, j, i, m.At(j, i))
				}
				if in.Type != "EXPLICIT" && v != math.Trunc(v) {
					t.Fatalf("%s distance d[%d][%d] = %g is not an integer", in.Type, i, j, v)
				}
			}
		}
	})
}

// TestATSP reads every instance of testdata/tsplib-atsp (TYPE: ATSP,
// FULL_MATRIX with a placeholder such as 9999 or 100000000 on the
// diagonal): the diagonal reads as 0, every other value as written, row i
// the costs from i, and the matrix is asymmetric.
func TestATSP(t *testing.T) {
	dir := filepath.Join("..", "testdata", "tsplib-atsp")
	files, err := filepath.Glob(filepath.Join(dir, "*.atsp"))
	if err != nil || len(files) != 7 {
		t.Fatalf("%d ATSP files, %v; want 7", len(files), err)
	}
	for _, path := range files {
		in, err := tsplib.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		m := in.Matrix
		if in.Problem != "ATSP" || m.Symmetric() || m.N() != in.N {
			t.Errorf("%s: problem %q, symmetric %v, n %d of %d", path, in.Problem, m.Symmetric(), m.N(), in.N)
		}
		for i := 0; i < m.N(); i++ {
			if m.At(i, i) != 0 {
				t.Errorf("%s: d[%d][%d] = %v", path, i, i, m.At(i, i))
			}
		}
	}
	const small = "NAME: t\nTYPE: ATSP\nDIMENSION: 3\nEDGE_WEIGHT_TYPE: EXPLICIT\nEDGE_WEIGHT_FORMAT: FULL_MATRIX\nEDGE_WEIGHT_SECTION\n" +
		"9999 1 2\n3 9999 4\n5 6 9999\nEOF\n"
	in, err := tsplib.Read(strings.NewReader(small))
	if err != nil {
		t.Fatal(err)
	}
	want := [][]float64{{0, 1, 2}, {3, 0, 4}, {5, 6, 0}}
	for i := range want {
		for j := range want[i] {
			if got := in.Matrix.At(i, j); got != want[i][j] {
				t.Errorf("d[%d][%d] = %v, want %v", i, j, got, want[i][j])
			}
		}
	}
	// A TSP file keeps its Problem "TSP", also when TYPE is missing.
	in, err = tsplib.Read(strings.NewReader(strings.Replace(explicitInput("UPPER_ROW", "1 2 3\n4 5\n6\n"), "TYPE: TSP\n", "", 1)))
	if err != nil || in.Problem != "TSP" || !in.Matrix.Symmetric() {
		t.Errorf("no TYPE: %v, %+v", err, in)
	}
}
