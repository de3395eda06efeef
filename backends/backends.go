// Package backends lists every backend of the module in one place, for the
// command, the benchmarks and the examples: the pure-Go kernel, the C and
// C++ kernels compiled in with cgo, and the same kernels loaded at run time
// with purego.
package backends

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/ffi4go/tsp"
	"github.com/ffi4go/tsp/cbackend"
	"github.com/ffi4go/tsp/cppbackend"
	"github.com/ffi4go/tsp/kernel"
	"github.com/ffi4go/tsp/loader"
)

// Names returns the name of every backend, in the order All returns them.
func Names() []string {
	return []string{"go", cbackend.Name, cppbackend.Name, loader.NameC, loader.NameCPP}
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
	Name   string     // "go", "cgo-c", "cgo-cpp", "purego-c", "purego-cpp"
	Solver tsp.Solver // nil when unavailable
	Calls  Calls      // nil when unavailable
	Err    error      // why it is unavailable
	Where  string     // the shared library a purego backend loaded, "" otherwise
}

// Available reports whether the backend can solve.
func (b Backend) Available() bool { return b.Solver != nil }

// Config says where the purego backends find their shared libraries.
type Config struct {
	// LibDir is the directory holding libtsp_c.so and libtsp_cpp.so. Empty
	// means $TSP_LIB_PATH, then the directory of the executable.
	LibDir string
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
	if exe, err := os.Executable(); err == nil {
		dirs = append(dirs, filepath.Dir(exe))
	}
	return dirs
}

// All returns every backend, available or not, in the order of Names.
// Shared libraries are loaded once per process and path (see package
// loader): they stay loaded for the life of the process.
func All(cfg Config) []Backend {
	bs := []Backend{{Name: "go", Solver: tsp.Go(), Calls: goCalls{}}}
	if s, err := cbackend.New(); err != nil {
		bs = append(bs, Backend{Name: cbackend.Name, Err: err})
	} else {
		bs = append(bs, Backend{Name: cbackend.Name, Solver: s, Calls: cbackend.Calls{}})
	}
	if s, err := cppbackend.New(); err != nil {
		bs = append(bs, Backend{Name: cppbackend.Name, Err: err})
	} else {
		bs = append(bs, Backend{Name: cppbackend.Name, Solver: s, Calls: cppbackend.Calls{}})
	}
	for _, lib := range []struct{ name, file string }{{loader.NameC, loader.FileC}, {loader.NameCPP, loader.FileCPP}} {
		b := Backend{Name: lib.name}
		path, err := find(cfg.LibDirs(), lib.file)
		if err == nil {
			var l *loader.Library
			l, err = loader.Open(path)
			if err == nil && l.Name() != lib.name {
				err = fmt.Errorf("%s holds the %s kernel, not %s", path, l.Name(), lib.name)
			}
			if err == nil {
				b.Solver, b.Calls, b.Where = l, l, path
			}
		}
		b.Err = err
		bs = append(bs, b)
	}
	return bs
}

// Get returns the backend called name.
func Get(name string, cfg Config) (Backend, error) {
	for _, b := range All(cfg) {
		if b.Name == name {
			if b.Err != nil {
				return b, b.Err
			}
			return b, nil
		}
	}
	return Backend{}, fmt.Errorf("%w: unknown backend %q (want one of %v)", tsp.ErrUnavailable, name, Names())
}

// ErrNoLibrary says a shared library was not found.
var ErrNoLibrary = errors.New("shared library not found")

func find(dirs []string, file string) (string, error) {
	for _, d := range dirs {
		p := filepath.Join(d, file)
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	if len(dirs) == 0 {
		return "", fmt.Errorf("%w: %w: %s (set -lib or %s)", tsp.ErrUnavailable, ErrNoLibrary, file, EnvLibPath)
	}
	return "", fmt.Errorf("%w: %w: %s in %v (build it with `tsp buildlib -o DIR` or `make libs`, then set -lib or %s)",
		tsp.ErrUnavailable, ErrNoLibrary, file, dirs, EnvLibPath)
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
