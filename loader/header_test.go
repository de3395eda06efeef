package loader

import (
	"io/fs"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/ffi4go/tsp/internal/abi"
	"github.com/ffi4go/tsp/native"
)

// The loader calls the library without a C compiler, so nothing checks its
// constants against tsp.h at compile time (the cgo backends do): this test
// reads tsp.h and compares every macro and function with what Go uses.
func TestHeaderAgrees(t *testing.T) {
	h, err := fs.ReadFile(native.Sources(), "tsp.h")
	if err != nil {
		t.Fatal(err)
	}
	macros := map[string]int64{}
	for _, m := range regexp.MustCompile(`(?m)^#define (TSP_[A-Z_0-9]+) (-?(?:0x[0-9a-fA-F]+|[0-9]+))\b`).FindAllSubmatch(h, -1) {
		v, err := strconv.ParseInt(string(m[2]), 0, 64)
		if err != nil {
			t.Fatal(err)
		}
		macros[string(m[1])] = v
	}
	want := map[string]int64{
		"TSP_ABI_VERSION":          int64(abi.Version),
		"TSP_OK":                   int64(abi.CodeOK),
		"TSP_STOPPED":              int64(abi.CodeStopped),
		"TSP_INVALID":              int64(abi.CodeInvalid),
		"TSP_TOO_LARGE":            int64(abi.CodeTooLarge),
		"TSP_NO_MEMORY":            int64(abi.CodeNoMemory),
		"TSP_INTERNAL":             int64(abi.CodeInternal),
		"TSP_EXHAUSTIVE":           int64(abi.Exhaustive),
		"TSP_EXACT":                int64(abi.Exact),
		"TSP_NEAREST":              int64(abi.Nearest),
		"TSP_TWOOPT":               int64(abi.TwoOpt),
		"TSP_ITERATED":             int64(abi.Iterated),
		"TSP_CHECKED":              int64(abi.FlagChecked),
		"TSP_DIRECTED":             int64(abi.FlagDirected),
		"TSP_ALGORITHM_MASK":       int64(abi.AlgorithmMask),
		"TSP_MAX_EXHAUSTIVE":       abi.MaxExhaustive,
		"TSP_MAX_EXACT":            abi.MaxExact,
		"TSP_MAX_HEURISTIC":        abi.MaxHeuristic,
		"TSP_MAX_TOUR_LENGTH_LOG2": abi.MaxTourLengthLog2,
		"TSP_KERNEL_C":             int64(kernelIDC),
		"TSP_KERNEL_CPP":           int64(kernelIDCPP),
		"TSP_KERNEL_GO":            int64(abi.KernelGo),
		"TSP_PROGRESS_TOUR":        int64(abi.ProgressTour),
		"TSP_PROGRESS_BOUND":       int64(abi.ProgressBound),
		"TSP_POINTS_HAVERSINE":     int64(abi.PointsHaversine),
		"TSP_POINTS_EUC_2D":        int64(abi.PointsEuc2D),
		"TSP_POINTS_CEIL_2D":       int64(abi.PointsCeil2D),
		"TSP_POINTS_ATT":           int64(abi.PointsAtt),
		"TSP_POINTS_GEO":           int64(abi.PointsGeo),
		"TSP_MAX_POINTS":           int64(abi.MaxPoints),
	}
	for name, v := range want {
		got, ok := macros[name]
		switch {
		case !ok:
			t.Errorf("tsp.h has no %s", name)
		case got != v:
			t.Errorf("tsp.h: %s is %d, Go has %d", name, got, v)
		}
	}
	for name := range macros {
		if _, ok := want[name]; !ok {
			t.Errorf("tsp.h defines %s, which Go does not check: add it to internal/abi and to this test", name)
		}
	}

	// Every function of the ABI, and nothing else, is what Open looks up.
	var funcs []string
	for _, m := range regexp.MustCompile(`(?m)^int32_t (tsp_[a-z_]+)\(`).FindAllSubmatch(h, -1) {
		funcs = append(funcs, string(m[1]))
	}
	if all := append(symbols[:], pointsSymbols[:]...); !slices.Equal(funcs, all) {
		t.Errorf("tsp.h declares %v, the loader looks up %v", funcs, all)
	}
}

// The purego path compiles no C of this module: no package the loader
// depends on is one of the cgo kernels or has cgo files of this module
// (purego's own use of runtime/cgo, when cgo is on, is all there is).
func TestNoCgoKernelInDeps(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}} {{len .CgoFiles}}", ".").CombinedOutput()
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("go list: %v\n%s", err, out)
		}
		t.Skipf("go list: %v\n%s", err, out) // no go command on PATH
	}
	const module = "github.com/ffi4go/tsp"
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		path, n, _ := strings.Cut(line, " ")
		if strings.HasPrefix(path, module) && n != "0" {
			t.Errorf("loader depends on %s, which has cgo files", path)
		}
		if path == module+"/cbackend" || path == module+"/cppbackend" {
			t.Errorf("loader depends on %s", path)
		}
	}
}
