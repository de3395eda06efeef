package loader

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/ffi4go/tsp/native"
)

// Kernel selects which kernel Build compiles.
type Kernel int

const (
	KernelC   Kernel = iota // native/c/tsp.c into libtsp_c.so
	KernelCPP               // native/cpp/tsp.cpp into libtsp_cpp.so
	// KernelGo is the pure-Go kernel as a C shared library, libtsp_go.so
	// (package native/golib, go build -buildmode=c-shared), for C and
	// Python programs. Open refuses it: a Go program cannot load a Go
	// shared library (ErrGoLibrary).
	KernelGo
)

// Kernels lists the kernels a Go program can load: C and C++ (not
// KernelGo).
var Kernels = []Kernel{KernelC, KernelCPP}

// String is "c", "c++" or "go".
func (k Kernel) String() string {
	switch k {
	case KernelC:
		return "c"
	case KernelCPP:
		return "c++"
	case KernelGo:
		return "go"
	}
	return fmt.Sprintf("Kernel(%d)", int(k))
}

// File is the shared library file name: FileC, FileCPP or FileGo.
func (k Kernel) File() string {
	switch k {
	case KernelCPP:
		return FileCPP
	case KernelGo:
		return FileGo
	}
	return FileC
}

// Name is the backend the library provides: NameC or NameCPP; "go" for
// KernelGo, whose kernel a Go program runs as backend "go" (tsp.Go), never
// through the library.
func (k Kernel) Name() string {
	switch k {
	case KernelCPP:
		return NameCPP
	case KernelGo:
		return "go"
	}
	return NameC
}

// Errors Build returns.
var (
	// ErrNoCompiler: no C (or C++) compiler was found.
	ErrNoCompiler = errors.New("loader: no compiler found")
	// ErrCompile: the compiler ran and failed; the error holds its output.
	ErrCompile = errors.New("loader: compiling the shared library failed")
)

// Flags every build uses, the same as the Makefile's. -ffp-contract=off
// keeps the compiler from fusing a*b+c into an FMA, so the library returns
// the same length bits as the Go kernel; there is no -ffast-math.
// -Wl,-Bsymbolic binds the library's calls to its own functions to its own
// copies: a Go program with the cgo backends compiled in has functions of
// the same names, and a program linked with -rdynamic would otherwise lend
// them to the library.
var (
	cFlags   = []string{"-std=c11", "-O2", "-fPIC", "-shared", "-ffp-contract=off", "-Wall", "-Wextra"}
	cxxFlags = []string{"-std=c++17", "-O2", "-fPIC", "-shared", "-ffp-contract=off", "-Wall", "-Wextra"}
)

func linkFlags() []string {
	if runtime.GOOS == "linux" || runtime.GOOS == "freebsd" || runtime.GOOS == "netbsd" {
		return []string{"-Wl,-Bsymbolic"}
	}
	return nil
}

// BuildOptions tune BuildWith. The zero value is what Build does.
type BuildOptions struct {
	// Compiler is the compiler command, possibly with arguments ("clang",
	// "zig cc"). Empty means $CC (C) or $CXX (C++), then `go env CC` /
	// `go env CXX`, then cc, gcc, clang (c++, g++, clang++). For KernelGo
	// it is cgo's C compiler ($CC of go build).
	Compiler string
	// StaticRuntime links libstdc++ and libgcc statically into the C++
	// library (-static-libstdc++ -static-libgcc), so it loads on a machine
	// without them or with an older libstdc++. Ignored for the C kernel.
	StaticRuntime bool
}

// Build compiles the kernel's embedded sources (the very files the cgo
// backends compile: native.Sources) into a shared
// library in dir (created if needed) and returns the library's path:
// dir/libtsp_c.so or dir/libtsp_cpp.so. It runs the compiler as a process,
// so it works in a program built with CGO_ENABLED=0. The new file replaces an
// old one by a rename, which is safe for processes that have the old one
// loaded.
func Build(dir string, kernel Kernel) (string, error) {
	return BuildWith(dir, kernel, BuildOptions{})
}

// BuildWith is Build with options.
func BuildWith(dir string, kernel Kernel, opt BuildOptions) (string, error) {
	if kernel == KernelGo {
		return buildGo(dir, opt.Compiler)
	}
	if kernel != KernelC && kernel != KernelCPP {
		return "", fmt.Errorf("loader: unknown kernel %v", kernel)
	}
	cc, err := compiler(kernel, opt.Compiler)
	if err != nil {
		return "", err
	}
	var flags, units []string
	switch kernel {
	case KernelC:
		flags, units = cFlags, native.CFiles()
	case KernelCPP:
		flags, units = cxxFlags, native.CPPFiles()
		if opt.StaticRuntime {
			flags = append(flags[:len(flags):len(flags)], "-static-libstdc++", "-static-libgcc")
		}
	}
	return compileInto(dir, kernel.File(), cc, flags, units, linkFlags())
}

// compileInto compiles units (paths in native.Sources, laid out in a
// temporary directory as in package native: tsp.h at the top, c/ and cpp/
// below it, compiled with -I on the top) with flags into dir/file, which it
// replaces by a rename (safe for processes that use the old file).
func compileInto(dir, file string, cc, flags, units, link []string) (string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("loader: %w", err)
	}
	src, err := os.MkdirTemp("", "tsp-src-")
	if err != nil {
		return "", fmt.Errorf("loader: %w", err)
	}
	defer os.RemoveAll(src)
	if err := writeFS(src, native.Sources()); err != nil {
		return "", err
	}
	flags = append(flags[:len(flags):len(flags)], "-I"+src)
	var files []string
	for _, u := range units {
		files = append(files, filepath.Join(src, filepath.FromSlash(u)))
	}
	out := filepath.Join(dir, file)
	tmp, err := os.CreateTemp(dir, "."+file+".*.tmp")
	if err != nil {
		return "", fmt.Errorf("loader: %w", err)
	}
	tmp.Close()
	defer os.Remove(tmp.Name()) // a no-op after the rename

	args := append(append(append(append([]string{}, cc[1:]...), flags...), files...), "-o", tmp.Name())
	args = append(append(args, link...), "-lm")
	if err := run(src, cc[0], args); err != nil {
		return "", err
	}
	if err := os.Chmod(tmp.Name(), 0o755); err != nil {
		return "", fmt.Errorf("loader: %w", err)
	}
	if err := os.Rename(tmp.Name(), out); err != nil {
		return "", fmt.Errorf("loader: %w", err)
	}
	return out, nil
}

// compileFile compiles one C file into a shared library at out with the C
// flags; the tests build their bad libraries with it.
func compileFile(file, out string, extra ...string) error {
	cc, err := compiler(KernelC, "")
	if err != nil {
		return err
	}
	args := append(append(append(append([]string{}, cc[1:]...), cFlags...), extra...), file, "-o", out)
	return run(filepath.Dir(file), cc[0], append(args, "-lm"))
}

func run(dir, name string, args []string) error {
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	var buf bytes.Buffer
	cmd.Stdout, cmd.Stderr = &buf, &buf
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%w: %s %s: %v\n%s", ErrCompile, name, strings.Join(args, " "), err, buf.Bytes())
	}
	return nil
}

// compiler returns the compiler command as a program and its arguments.
func compiler(kernel Kernel, explicit string) ([]string, error) {
	envVar, goVar, defaults := "CC", "CC", []string{"cc", "gcc", "clang"}
	if kernel == KernelCPP {
		envVar, goVar, defaults = "CXX", "CXX", []string{"c++", "g++", "clang++"}
	}
	var tried []string
	try := func(cmd string) []string {
		f := strings.Fields(cmd)
		if len(f) == 0 {
			return nil
		}
		tried = append(tried, f[0])
		p, err := exec.LookPath(f[0])
		if err != nil {
			return nil
		}
		f[0] = p
		return f
	}
	if explicit != "" {
		if f := try(explicit); f != nil {
			return f, nil
		}
		return nil, fmt.Errorf("%w: %q is not an executable", ErrNoCompiler, explicit)
	}
	if f := try(os.Getenv(envVar)); f != nil {
		return f, nil
	}
	if goCmd, err := exec.LookPath("go"); err == nil {
		if b, err := exec.Command(goCmd, "env", goVar).Output(); err == nil {
			if f := try(strings.TrimSpace(string(b))); f != nil {
				return f, nil
			}
		}
	}
	for _, d := range defaults {
		if f := try(d); f != nil {
			return f, nil
		}
	}
	lang := "C"
	if kernel == KernelCPP {
		lang = "C++"
	}
	return nil, fmt.Errorf("%w: no %s compiler (tried %s); install gcc/g++ or clang, or set $%s",
		ErrNoCompiler, lang, strings.Join(dedup(tried), ", "), envVar)
}

func dedup(s []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, x := range s {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

// writeFS copies every regular file of fsys into dir.
func writeFS(dir string, fsys fs.FS) error {
	return fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		target := filepath.Join(dir, filepath.FromSlash(p))
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			return err
		}
		return os.WriteFile(target, b, 0o644)
	})
}

// GoLibPackage is the package that Build compiles into libtsp_go.so.
const GoLibPackage = "github.com/ffi4go/tsp/native/golib"

// buildGo builds libtsp_go.so with the go command: CGO_ENABLED=1 go build
// -buildmode=c-shared, in the working directory, which must be inside a
// module that has github.com/ffi4go/tsp (this module, or one that requires
// it): the Go kernel is not embedded as the C sources are. It needs a C
// compiler too (cgo). The header that go build writes next to the library
// is removed: native/tsp.h is the one description of the ABI. A compiler
// given in the options becomes cgo's $CC; StaticRuntime does not apply.
func buildGo(dir, cc string) (string, error) {
	goCmd, err := exec.LookPath("go")
	if err != nil {
		return "", fmt.Errorf("%w: building %s needs the go command: %v", ErrNoCompiler, FileGo, err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("loader: %w", err)
	}
	tmpDir, err := os.MkdirTemp(dir, ".libtsp_go-*.tmp")
	if err != nil {
		return "", fmt.Errorf("loader: %w", err)
	}
	defer os.RemoveAll(tmpDir)
	tmp := filepath.Join(tmpDir, FileGo) // go build writes libtsp_go.h beside it
	cmd := exec.Command(goCmd, "build", "-buildmode=c-shared", "-o", tmp, GoLibPackage)
	cmd.Env = append(os.Environ(), "CGO_ENABLED=1")
	if cc != "" {
		cmd.Env = append(cmd.Env, "CC="+cc)
	}
	var buf bytes.Buffer
	cmd.Stdout, cmd.Stderr = &buf, &buf
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("%w: %s %s (needs cgo, a C compiler, and a working directory in a module that has %s): %v\n%s",
			ErrCompile, goCmd, strings.Join(cmd.Args[1:], " "), GoLibPackage, err, buf.Bytes())
	}
	out := filepath.Join(dir, FileGo)
	if err := os.Chmod(tmp, 0o755); err != nil {
		return "", fmt.Errorf("loader: %w", err)
	}
	if err := os.Rename(tmp, out); err != nil {
		return "", fmt.Errorf("loader: %w", err)
	}
	return out, nil
}

// FileWorkerC is the C worker program's file name: what BuildWorker and
// `make libs` write, and what the exec-c and worker-c backends run.
const FileWorkerC = "tsp-worker-c"

// BuildWorker compiles the C worker program (native/worker/tsp_worker.c
// with the C kernel, from the embedded sources; package proc and
// docs/protocol.md say what it does) into dir/tsp-worker-c with the C
// flags of the shared libraries (without -fPIC -shared; with -pthread) and
// returns its path. Like Build, it replaces an old file by a rename.
func BuildWorker(dir string, opt BuildOptions) (string, error) {
	cc, err := compiler(KernelC, opt.Compiler)
	if err != nil {
		return "", err
	}
	var flags []string
	for _, f := range cFlags {
		if f != "-fPIC" && f != "-shared" {
			flags = append(flags, f)
		}
	}
	return compileInto(dir, FileWorkerC, cc, append(flags, "-pthread"), native.WorkerCFiles(), nil)
}
