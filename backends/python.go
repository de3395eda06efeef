package backends

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/ffi4go/tsp"
	"github.com/ffi4go/tsp/loader"
	"github.com/ffi4go/tsp/proc"
	"github.com/ffi4go/tsp/python"
)

// The Python backends (issues 18 and 22): pools of Python workers,
// `python3 -m tsp_ffi.worker` (package python embeds tsp_ffi and installs
// it into the user's cache directory), run like worker-c and worker-go.
// Three of them run the pure-Python kernel of the original app, which has
// Exhaustive and Nearest only: on any other algorithm (Auto included: it
// picks Exact or Iterated) they answer an error wrapping ErrNoAlgorithm and
// start no process. The others call libtsp_c.so from Python and have every
// algorithm.
const (
	NameWorkerPython       = "worker-python"        // CPython, the pure-Python kernel
	NameWorkerPythonCtypes = "worker-python-ctypes" // CPython, ctypes into libtsp_c.so
	NameWorkerCython       = "worker-cython"        // CPython, pure.py compiled by Cython unchanged
	NameWorkerCythonTyped  = "worker-cython-typed"  // CPython, the kernel in Cython with C types
	NameWorkerPyPy         = "worker-pypy"          // PyPy, the pure-Python kernel
	NameWorkerPyPyJIT      = "worker-pypy-jit"      // PyPy, the pure-Python search written for its JIT (pure_jit.py)
	NameWorkerPyPyCtypes   = "worker-pypy-ctypes"   // PyPy, ctypes into libtsp_c.so
	NameWorkerPyPyCFFI     = "worker-pypy-cffi"     // PyPy, CFFI (ABI mode, ffi.dlopen) into libtsp_c.so
)

// The environment variables that name the interpreters, and their
// defaults, looked up in $PATH.
const (
	EnvPython     = "PYTHON" // default python3
	EnvPyPy       = "PYPY"   // default pypy3
	DefaultPython = "python3"
	DefaultPyPy   = "pypy3"
)

// ErrNoAlgorithm says a backend's kernel does not have the algorithm asked
// for (the pure-Python kernel has Exhaustive and Nearest). It matches
// tsp.ErrInvalidInput (the request cannot be served: an HTTP server
// answers 400) and errors.ErrUnsupported.
var ErrNoAlgorithm error = noAlgorithm{}

type noAlgorithm struct{}

func (noAlgorithm) Error() string { return "tsp: the backend's kernel does not have this algorithm" }
func (noAlgorithm) Is(target error) bool {
	return target == tsp.ErrInvalidInput || target == errors.ErrUnsupported
}

type pyWorker struct {
	name   string
	env    string // EnvPython or EnvPyPy
	way    string // tsp_ffi.worker --way
	pure   bool   // the pure-Python kernel: Exhaustive and Nearest only
	cython bool   // compiled on the worker's first start: a longer start timeout
}

var pyWorkers = []pyWorker{
	{name: NameWorkerPython, env: EnvPython, way: "python", pure: true},
	{name: NameWorkerPythonCtypes, env: EnvPython, way: "ctypes"},
	{name: NameWorkerCython, env: EnvPython, way: "cython", pure: true, cython: true},
	{name: NameWorkerCythonTyped, env: EnvPython, way: "cython-typed", pure: true, cython: true},
	{name: NameWorkerPyPy, env: EnvPyPy, way: "python", pure: true},
	{name: NameWorkerPyPyJIT, env: EnvPyPy, way: "python-jit", pure: true},
	{name: NameWorkerPyPyCtypes, env: EnvPyPy, way: "ctypes"},
	{name: NameWorkerPyPyCFFI, env: EnvPyPy, way: "cffi-abi"},
}

// PythonNames returns the names of the Python backends, in the order of
// Names.
func PythonNames() []string {
	var out []string
	for _, w := range pyWorkers {
		out = append(out, w.name)
	}
	return out
}

// PureAlgorithms are the algorithms of the pure-Python kernel.
var PureAlgorithms = []tsp.Algorithm{tsp.Exhaustive, tsp.Nearest}

// Has reports whether the backend's kernel has algorithm a: every backend
// has every algorithm but those of the pure-Python kernel (worker-python,
// worker-cython, worker-cython-typed, worker-pypy), which have
// PureAlgorithms only. Auto counts as the algorithms it picks (Exact,
// Iterated).
func Has(name string, a tsp.Algorithm) bool {
	for _, w := range pyWorkers {
		if w.name == name && w.pure {
			return a == tsp.Exhaustive || a == tsp.Nearest
		}
	}
	return true
}

func findPyWorker(name string) (pyWorker, bool) {
	for _, w := range pyWorkers {
		if w.name == name {
			return w, true
		}
	}
	return pyWorker{}, false
}

// cythonStart is the start timeout of the Cython workers: their first
// start compiles the modules (cython and cc, seconds to tens of seconds on
// a busy machine); later starts import them from the cache.
const cythonStart = 3 * time.Minute

// openPython makes a Python backend: the interpreter must be in $PATH (or
// named by $PYTHON, $PYPY), the ctypes and CFFI ones need libtsp_c.so in
// LibDirs. Nothing starts here.
func openPython(w pyWorker, cfg Config) Backend {
	b := Backend{Name: w.name}
	interp := os.Getenv(w.env)
	if interp == "" {
		interp = DefaultPython
		if w.env == EnvPyPy {
			interp = DefaultPyPy
		}
	}
	path, err := exec.LookPath(interp)
	if err != nil {
		b.Err = fmt.Errorf("%w: %s: no interpreter %s (install it, or name it in $%s): %w", tsp.ErrUnavailable, w.name, interp, w.env, err)
		return b
	}
	inst, err := python.Install("")
	if err != nil {
		b.Err = fmt.Errorf("%w: %s: %w", tsp.ErrUnavailable, w.name, err)
		return b
	}
	pc := proc.Config{Name: w.name, Path: path, Args: []string{"-m", "tsp_ffi.worker", "--way", w.way}, Env: inst.Env()}
	if !w.pure {
		lib, err := find(cfg.LibDirs(), loader.FileC)
		if err != nil {
			b.Err = err
			return b
		}
		pc.Args = append(pc.Args, "--library", "c")
		pc.Env = append(pc.Env, EnvLibPath+"="+filepath.Dir(lib))
	}
	if w.cython {
		if err := hasCython(path); err != nil {
			b.Err = fmt.Errorf("%w: %s: %w", tsp.ErrUnavailable, w.name, err)
			return b
		}
		pc.StartTimeout = cythonStart
	}
	b.Where = path
	poolsMu.Lock()
	defer poolsMu.Unlock()
	key := [2]string{w.name, path + "\x00" + strings.Join(pc.Env, "\x00")} // the library's directory too
	p := pools[key]
	if p == nil {
		p = proc.NewPool(pc)
		pools[key] = p
	}
	b.Solver = p
	if w.pure {
		b.Solver = pureKernel{p}
	}
	return b
}

// pureKernel is a pool of workers on the pure-Python kernel: Exhaustive and
// Nearest, and an error wrapping ErrNoAlgorithm for the rest.
type pureKernel struct {
	*proc.Pool
}

func (s pureKernel) Solve(ctx context.Context, m *tsp.Matrix, opt tsp.Options) (tsp.Tour, error) {
	if err := opt.Validate(m); err != nil {
		return tsp.Tour{}, err
	}
	if !Has(s.Name(), opt.Algorithm) {
		return tsp.Tour{}, fmt.Errorf("%w: %s runs the pure-Python kernel, which has exhaustive and nearest, not %s",
			ErrNoAlgorithm, s.Name(), opt.Algorithm)
	}
	return s.Pool.Solve(ctx, m, opt)
}

// cythonChecks caches hasCython by interpreter path: one start of the
// interpreter a process.
var (
	cythonMu     sync.Mutex
	cythonChecks = map[string]error{}
)

// hasCython says whether the interpreter at path can import Cython, which
// the Cython backends need to build their modules: without it they are
// unavailable (their worker would exit 69 before its hello), and `tsp
// backends` says so before any solve. It runs the interpreter once (tens
// of milliseconds), within 30 s.
func hasCython(path string) error {
	cythonMu.Lock()
	defer cythonMu.Unlock()
	if err, ok := cythonChecks[path]; ok {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var err error
	if out, e := exec.CommandContext(ctx, path, "-c", "import Cython").CombinedOutput(); e != nil {
		msg := strings.TrimSpace(string(out))
		if i := strings.LastIndexByte(msg, '\n'); i >= 0 {
			msg = msg[i+1:] // the exception's line
		}
		err = fmt.Errorf("%s cannot import Cython (%v: %.200s): install it for that interpreter (Debian: apt-get install cython3), or name one that has it in $%s",
			path, e, msg, EnvPython)
	}
	cythonChecks[path] = err
	return err
}
