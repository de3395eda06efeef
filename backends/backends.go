// Package backends lists every backend of the module in one place, for the
// command, the benchmarks and the examples: the pure-Go kernel, the C and
// C++ kernels compiled in with cgo, the same kernels loaded at run time
// with purego, the same kernels compiled to WebAssembly and run by wazero
// (package wasmbackend), and the Go and C kernels in another process
// (package proc: exec-go and exec-c start one process per solve, worker-go
// and worker-c keep a pool of workers), and Python workers (worker-python,
// worker-cython, worker-pypy, ...: python.go) on the pure-Python kernel or
// calling the C kernel from Python.
package backends

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/ffi4go/tsp"
	"github.com/ffi4go/tsp/cbackend"
	"github.com/ffi4go/tsp/cppbackend"
	"github.com/ffi4go/tsp/kernel"
	"github.com/ffi4go/tsp/loader"
	"github.com/ffi4go/tsp/wasmbackend"
)

// Names returns the name of every backend, in the order All returns them.
func Names() []string {
	return append([]string{"go", cbackend.Name, cppbackend.Name, loader.NameC, loader.NameCPP, wasmbackend.NameC, wasmbackend.NameCPP}, procNames...)
}

// Calls are the calls that measure a backend's boundary: an empty call, one
// distance per call, and a whole matrix in one call.
type Calls interface {
	ABIVersion() int32
	Noop(x int32) int32
	Haversine(in *[5]float64) float64
	Matrix(lat, lon []float64, radius float64, out []float64) int32
}

// Backend is one backend and whether it can be used here.
type Backend struct {
	Name   string     // "go", "cgo-c", "cgo-cpp", "purego-c", "purego-cpp", "wasm-c", "wasm-cpp", "exec-go", "worker-go", "exec-c", "worker-c"
	Solver tsp.Solver // nil when unavailable
	Calls  Calls      // nil when unavailable, and for the process backends (see Proc)
	Err    error      // why it is unavailable
	Where  string     // the shared library a purego backend loaded, the program a process backend runs, "" otherwise
}

// Available reports whether the backend can solve.
func (b Backend) Available() bool { return b.Solver != nil }

// Config says where the purego backends find their shared libraries.
type Config struct {
	// LibDir is the directory holding libtsp_c.so and libtsp_cpp.so. Empty
	// means $TSP_LIB_PATH, then the directory of the executable (unless it
	// runs under `go run`, whose executable lives in the build cache).
	LibDir string
	// GoWorker is the program the exec-go and worker-go backends run as
	// `PROG worker` (a tsp command, or tsp-worker-go). Empty means, in the
	// first of LibDirs that has either, FileWorkerGo ("tsp-worker-go"), else
	// FileGoWorker ("tsp"). The C worker, tsp-worker-c, is looked for in
	// LibDirs.
	GoWorker string
}

// EnvLibPath names the environment variable that says where the shared
// libraries are.
const EnvLibPath = "TSP_LIB_PATH"

// LibDirs returns the directories searched for shared libraries, in order.
func (c Config) LibDirs() []string {
	if c.LibDir != "" {
		return []string{c.LibDir}
	}
	var dirs []string
	if p := os.Getenv(EnvLibPath); p != "" {
		dirs = append(dirs, filepath.SplitList(p)...)
	}
	if exe, err := os.Executable(); err == nil && !goRun(exe) {
		dirs = append(dirs, filepath.Dir(exe))
	}
	return dirs
}

// goRun reports whether exe is a binary that `go run` built: it lives in a
// go-build temporary directory, .../go-buildNNN/b001/exe/NAME.
func goRun(exe string) bool {
	dir := filepath.Dir(exe)
	return filepath.Base(dir) == "exe" && strings.HasPrefix(filepath.Base(filepath.Dir(filepath.Dir(dir))), "go-build")
}

// buildHint says how to build the shared libraries, in the words of how
// this program runs.
func buildHint() string {
	if exe, err := os.Executable(); err == nil && goRun(exe) {
		return "build them with `go run ./cmd/tsp buildlib -o lib` or `make libs`, then pass -lib lib or set " + EnvLibPath
	}
	return "build them with `tsp buildlib -o DIR` or `make libs`, then pass -lib DIR or set " + EnvLibPath
}

// All returns every backend, available or not, in the order of Names.
// Shared libraries are loaded once per process and path (see package
// loader): they stay loaded for the life of the process.
func All(cfg Config) []Backend {
	var bs []Backend
	for _, name := range Names() {
		bs = append(bs, open(name, cfg))
	}
	return bs
}

// Get returns the backend called name. It opens that backend only: asking
// for "go" loads no shared library.
func Get(name string, cfg Config) (Backend, error) {
	for _, n := range Names() {
		if n == name {
			b := open(name, cfg)
			return b, b.Err
		}
	}
	return Backend{}, fmt.Errorf("%w: unknown backend %q (want one of %v)", tsp.ErrUnavailable, name, Names())
}

// open makes the backend called name, one of Names.
func open(name string, cfg Config) Backend {
	if isProc(name) {
		return openProc(name, cfg) // procs.go
	}
	b := Backend{Name: name}
	switch name {
	case "go":
		b.Solver, b.Calls = tsp.Go(), goCalls{}
	case cbackend.Name:
		b.Solver, b.Err = cbackend.New()
		if b.Err == nil {
			b.Calls = cbackend.Calls{}
		}
	case cppbackend.Name:
		b.Solver, b.Err = cppbackend.New()
		if b.Err == nil {
			b.Calls = cppbackend.Calls{}
		}
	case loader.NameC, loader.NameCPP:
		file := loader.FileC
		if name == loader.NameCPP {
			file = loader.FileCPP
		}
		path, err := find(cfg.LibDirs(), file)
		if err == nil {
			var l *loader.Library
			l, err = loader.Open(path)
			if err == nil && l.Name() != name {
				err = fmt.Errorf("%w: %s holds the %s kernel, not %s", tsp.ErrUnavailable, path, l.Name(), name)
			}
			if err == nil {
				b.Solver, b.Calls, b.Where = l, l, path
			}
		}
		b.Err = err
	case wasmbackend.NameC, wasmbackend.NameCPP:
		open := wasmbackend.New
		if name == wasmbackend.NameCPP {
			open = wasmbackend.NewCPP
		}
		k, err := open()
		if err == nil {
			b.Solver, b.Calls = k, k
		}
		b.Err = err
	}
	return b
}

// ErrNoLibrary says a shared library was not found.
var ErrNoLibrary = errors.New("shared library not found")

func find(dirs []string, file string) (string, error) {
	for _, d := range dirs {
		p := filepath.Join(d, file)
		if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() {
			return p, nil
		}
	}
	if len(dirs) == 0 {
		return "", fmt.Errorf("%w: %w: %s (%s)", tsp.ErrUnavailable, ErrNoLibrary, file, buildHint())
	}
	return "", fmt.Errorf("%w: %w: %s in %v (%s)", tsp.ErrUnavailable, ErrNoLibrary, file, dirs, buildHint())
}

// goCalls measures a plain Go call for comparison.
type goCalls struct{}

func (goCalls) ABIVersion() int32 { return kernel.ABIVersion }

//go:noinline
func (goCalls) Noop(x int32) int32 { return x }

//go:noinline
func (goCalls) Haversine(in *[5]float64) float64 {
	return tsp.HaversineRadius(in[0], in[1], in[2], in[3], in[4])
}

func (goCalls) Matrix(lat, lon []float64, radius float64, out []float64) int32 {
	n := len(lat)
	if n == 0 || len(lon) != n || len(out) != n*n {
		return kernel.CodeInvalid
	}
	for i := 0; i < n; i++ {
		out[i*n+i] = 0
		for j := i + 1; j < n; j++ {
			v := tsp.HaversineRadius(lat[i], lon[i], lat[j], lon[j], radius)
			out[i*n+j] = v
			out[j*n+i] = v
		}
	}
	return kernel.CodeOK
}
