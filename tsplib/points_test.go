package tsplib_test

import (
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/ffi4go/tsp"
	"github.com/ffi4go/tsp/tsplib"
)

// TestReadPoints: ReadPoints gives Read's coordinates for every coordinate
// instance of testdata, their Points give the matrix's distances bit for
// bit, and EXPLICIT instances are refused with ErrUnsupported.
func TestReadPoints(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(testdata, "*.tsp"))
	if err != nil || len(files) == 0 {
		t.Fatal(files, err)
	}
	for _, file := range files {
		in, err := tsplib.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		pin, perr := tsplib.ReadFilePoints(file)
		if in.Type == "EXPLICIT" {
			if !errors.Is(perr, tsplib.ErrUnsupported) {
				t.Errorf("%s: ReadFilePoints of EXPLICIT: %v", file, perr)
			}
			continue
		}
		if perr != nil || pin.Matrix != nil || !slices.Equal(pin.Coords, in.Coords) || pin.N != in.N {
			t.Fatalf("%s: ReadFilePoints = %v, %v", file, pin, perr)
		}
		p, err := pin.Points()
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < in.N; i += 7 {
			for j := 0; j < in.N; j++ {
				if got, want := p.Distance(i, j), in.Matrix.At(i, j); math.Float64bits(got) != math.Float64bits(want) {
					t.Fatalf("%s: Distance(%d, %d) = %v, the matrix has %v", file, i, j, got, want)
				}
			}
		}
	}
}

// TestReadPointsLarge: ReadPoints takes more nodes than Read (which stops
// at tsp.MaxHeuristic) and refuses more than tsp.MaxPoints.
func TestReadPointsLarge(t *testing.T) {
	var b strings.Builder
	n := tsp.MaxHeuristic + 1
	b.WriteString("NAME: big\nTYPE: TSP\nDIMENSION: 10001\nEDGE_WEIGHT_TYPE: EUC_2D\nNODE_COORD_SECTION\n")
	for i := range n {
		b.WriteString(strings.Join([]string{itoa(i + 1), itoa(i % 100), itoa(i / 100)}, " ") + "\n")
	}
	b.WriteString("EOF\n")
	if _, err := tsplib.Read(strings.NewReader(b.String())); !errors.Is(err, tsp.ErrTooLarge) {
		t.Errorf("Read of %d nodes: %v", n, err)
	}
	in, err := tsplib.ReadPoints(strings.NewReader(b.String()))
	if err != nil || len(in.Coords) != n {
		t.Fatalf("ReadPoints of %d nodes: %v", n, err)
	}
	p, err := in.Points()
	if err != nil {
		t.Fatal(err)
	}
	tour, err := tsp.SolvePoints(context.Background(), p, tsp.Options{Algorithm: tsp.Nearest})
	if err != nil || len(tour.Order) != n {
		t.Fatal(err)
	}
	_, err = tsplib.ReadPoints(strings.NewReader("DIMENSION: 16777217\nEDGE_WEIGHT_TYPE: EUC_2D\n"))
	if !errors.Is(err, tsp.ErrTooLarge) {
		t.Errorf("DIMENSION above tsp.MaxPoints: %v", err)
	}
}

func itoa(i int) string { return strconv.Itoa(i) }

// FuzzReadPoints: ReadPoints never panics; an error wraps ErrFormat or
// ErrUnsupported and names a line; an instance has N coordinates whose
// Points are valid.
func FuzzReadPoints(f *testing.F) {
	for _, name := range []string{"burma14", "att48", "eil51"} {
		b, err := os.ReadFile(filepath.Join(testdata, name+".tsp"))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("DIMENSION: 3\nEDGE_WEIGHT_TYPE: EXPLICIT\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		in, err := tsplib.ReadPoints(strings.NewReader(string(data)))
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
		if in.Matrix != nil || len(in.Coords) != in.N || in.N < 1 {
			t.Fatalf("N = %d, %d coordinates, matrix %v", in.N, len(in.Coords), in.Matrix)
		}
		p, err := in.Points()
		if err != nil {
			t.Fatalf("Points of an instance ReadPoints accepted: %v", err)
		}
		if in.N <= 200 {
			if _, err := tsp.SolvePoints(context.Background(), p, tsp.Options{Algorithm: tsp.TwoOpt}); err != nil {
				t.Fatal(err)
			}
		}
	})
}
