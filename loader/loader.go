// Package loader opens a shared library that exports the kernel's C ABI
// (native/tsp.h) with purego and makes it a tsp.Solver: backends
// "purego-c" and "purego-cpp". No C toolchain is needed when the Go program
// is built, and it works with CGO_ENABLED=0. It compiles no C and imports no
// cgo package: the library is built from the very same sources as the cgo
// backends (package native), with `make libs` or with Build (which the tests
// and `tsp buildlib` use).
//
// Opening a library needs dlopen: Linux, macOS, FreeBSD and NetBSD. Elsewhere
// (Windows, say) the package builds, and Open returns an error wrapping
// ErrUnsupported.
//
// # Lifetime
//
// Open loads a library once per process and path and never unloads it: a
// Library stays loaded for the life of the process, because a solve may be
// running in it on another goroutine at any time and dlclose under a running
// call would unmap the code it executes. Opening the same path again returns
// the same *Library. Rebuilding a library file that a process has open does
// not change what that process runs; Build replaces the file by a rename, so
// the process keeps the old copy mapped and does not crash.
//
// # Calls
//
// Every call into the library goes through purego.SyscallN: the arguments of
// the C ABI are integers and pointers only, so they travel in integer
// registers (and the stack past the sixth on amd64) and no float argument
// ever needs purego's float handling. Each solve is exactly one call to
// tsp_solve. See kernel and Noop for how the Go memory handed to C is kept
// alive and in place.
package loader

import (
	"errors"
	"fmt"
	"path/filepath"
	"sync"

	"github.com/ffi4go/tsp"
	"github.com/ffi4go/tsp/internal/abi"
)

// Backend names and the shared library files that hold them.
const (
	NameC   = "purego-c"
	NameCPP = "purego-cpp"
	FileC   = "libtsp_c.so"
	FileCPP = "libtsp_cpp.so"
	// FileGo is the pure-Go kernel as a C library, for C and Python
	// programs; Open refuses it (ErrGoLibrary).
	FileGo = "libtsp_go.so"
)

// Kernel ids a library reports through tsp_kernel_id (TSP_KERNEL_* in tsp.h).
const (
	kernelIDC   = abi.KernelC
	kernelIDCPP = abi.KernelCPP
)

// Errors Open returns. Each wraps tsp.ErrUnavailable too, so a caller that
// only asks "can this backend run?" can test for that.
var (
	// ErrNotFound: there is no file at the path.
	ErrNotFound = errors.New("loader: shared library not found")
	// ErrNotLibrary: the file exists but is no library this program can
	// load: not a regular file; on the ELF platforms (Linux, FreeBSD,
	// NetBSD) not ELF, another class, byte order or architecture, not a
	// shared object, or truncated, all found by reading its headers before
	// dlopen (which dies of SIGBUS on a truncated file); or the dynamic
	// loader refused it (a dependency missing, say). The message says which.
	ErrNotLibrary = errors.New("loader: not a loadable shared library")
	// ErrMissingSymbol: the library loaded but lacks a tsp_* function.
	ErrMissingSymbol = errors.New("loader: shared library lacks a symbol of the tsp C ABI")
	// ErrABIVersion: tsp_abi_version() is not kernel.ABIVersion.
	ErrABIVersion = errors.New("loader: shared library has another tsp ABI version")
	// ErrKernelID: tsp_kernel_id() is neither TSP_KERNEL_C nor TSP_KERNEL_CPP.
	ErrKernelID = errors.New("loader: shared library reports an unknown kernel id")
	// ErrGoLibrary: the file is a Go shared library (go build
	// -buildmode=c-shared, such as libtsp_go.so). Loading it would start a
	// second Go runtime in this Go process, which Go does not support; Open
	// sees it in the file's headers (a .go.buildinfo section or a Go build
	// id note) before dlopen, and also wraps ErrNotLibrary. Use the "go"
	// backend (tsp.Go) instead: it is the same kernel.
	ErrGoLibrary = errors.New("loader: a Go shared library cannot be loaded into a Go program")
	// ErrUnsupported: this platform has no dlopen (Windows, say).
	ErrUnsupported = errors.New("loader: opening a shared library is not supported on this platform")
)

// symbols lists every function of tsp.h, in the order of the fields of fns.
var symbols = [...]string{"tsp_abi_version", "tsp_kernel_id", "tsp_noop", "tsp_haversine", "tsp_matrix", "tsp_solve",
	"tsp_solve_progress"}

// fns holds the addresses of the library's functions.
type fns struct {
	abiVersion, kernelID, noop, haversine, matrix, solve, solveProgress uintptr
}

// Library is a loaded kernel library. It is a tsp.Solver (named purego-c or
// purego-cpp after what the library reports) and it has the calls that
// measure the boundary (ABIVersion, Noop, Haversine, Matrix). It is safe for
// concurrent use; it is never unloaded (see the package documentation).
type Library struct {
	tsp.Solver
	path   string
	handle uintptr
	fn     fns
}

var (
	openMu sync.Mutex
	opened = map[string]*Library{} // by cleaned absolute path; never removed
)

// Open loads the shared library at path (a file path, relative to the
// working directory or absolute; it is not looked up on the loader's search
// path) and checks that it is a tsp kernel of this ABI version. The same path
// gives the same *Library for the life of the process.
//
// The errors wrap ErrNotFound, ErrNotLibrary, ErrMissingSymbol, ErrABIVersion
// or ErrKernelID, and tsp.ErrUnavailable. A library that fails a check is
// unloaded again, so a fixed file at the same path can be opened later.
func Open(path string) (*Library, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %w: %s: %v", tsp.ErrUnavailable, ErrNotFound, path, err)
	}
	abs = filepath.Clean(abs)

	openMu.Lock()
	defer openMu.Unlock()
	if l := opened[abs]; l != nil {
		return l, nil
	}
	l, err := open(abs)
	if err != nil {
		return nil, err
	}
	opened[abs] = l
	return l, nil
}

// Path is the file the library was loaded from (cleaned, absolute).
func (l *Library) Path() string { return l.path }

// String is the backend's name and its file.
func (l *Library) String() string { return l.Name() + " (" + l.path + ")" }
