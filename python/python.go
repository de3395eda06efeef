// Package python holds the module's Python package, tsp_ffi (the
// pure-Python kernel and its two Cython versions, the ctypes and CFFI ways
// into the shared libraries, and the worker of the worker protocol:
// python3 -m tsp_ffi.worker), embedded, so that a Go program runs it as a
// worker without a checkout: [Install] writes it once into a cache
// directory, with the ABI header tsp.h that its CFFI ways read.
//
// The worker-python, worker-cython and worker-pypy backends of package
// backends run it. The Python side is documented in the README, section
// "From Python", and in the package's own docstrings.
package python

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/ffi4go/tsp/native"
)

//go:embed tsp_ffi/*.py tsp_ffi/*.pyx
var files embed.FS

// Files returns the embedded package: tsp_ffi/*.py and tsp_ffi/*.pyx.
func Files() fs.FS { return files }

// Installed is a directory Install wrote: tsp_ffi/ (the package), native/tsp.h
// and build/ (where the CFFI API-mode and Cython modules are compiled on
// first use).
type Installed struct {
	Root string
}

// Env is the environment a Python process needs to import tsp_ffi from
// Root and to find tsp.h and its build directory there.
func (i Installed) Env() []string {
	return []string{
		"PYTHONPATH=" + i.Root,
		"TSP_NATIVE_DIR=" + filepath.Join(i.Root, "native"),
		"TSP_FFI_BUILD=" + filepath.Join(i.Root, "build"),
	}
}

// Install writes the package and tsp.h into dir/python-HASH (HASH: of
// their contents, so that another version of the module gets a directory
// of its own) unless it is there already, and returns it. An empty dir
// means os.UserCacheDir()/tsp, else the temporary directory's tsp-UID. The
// files are written into a temporary directory renamed into place: a
// concurrent Install never sees half a package.
func Install(dir string) (Installed, error) {
	if dir == "" {
		dir = defaultDir()
	}
	h := sha256.New()
	all := map[string][]byte{}
	err := fs.WalkDir(files, "tsp_ffi", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := files.ReadFile(p)
		all[p] = b
		fmt.Fprintf(h, "%s\x00%d\x00", p, len(b))
		h.Write(b)
		return err
	})
	if err != nil {
		return Installed{}, err
	}
	hdr, err := fs.ReadFile(native.Sources(), "tsp.h")
	if err != nil {
		return Installed{}, err
	}
	all["native/tsp.h"] = hdr
	fmt.Fprintf(h, "native/tsp.h\x00%d\x00", len(hdr))
	h.Write(hdr)
	root := filepath.Join(dir, "python-"+hex.EncodeToString(h.Sum(nil))[:16])
	if st, err := os.Stat(filepath.Join(root, "tsp_ffi", "worker.py")); err == nil && st.Mode().IsRegular() {
		return Installed{Root: root}, nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return Installed{}, fmt.Errorf("installing the Python package: %w", err)
	}
	tmp, err := os.MkdirTemp(dir, ".python-")
	if err != nil {
		return Installed{}, fmt.Errorf("installing the Python package: %w", err)
	}
	for p, b := range all {
		full := filepath.Join(tmp, filepath.FromSlash(p))
		if err = os.MkdirAll(filepath.Dir(full), 0o755); err == nil {
			err = os.WriteFile(full, b, 0o644)
		}
		if err != nil {
			os.RemoveAll(tmp)
			return Installed{}, fmt.Errorf("installing the Python package: %w", err)
		}
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		os.RemoveAll(tmp)
		return Installed{}, err
	}
	if err := os.Rename(tmp, root); err != nil {
		os.RemoveAll(tmp)
		// Another process installed it first.
		if _, err2 := os.Stat(filepath.Join(root, "tsp_ffi", "worker.py")); err2 != nil {
			return Installed{}, fmt.Errorf("installing the Python package: %w", errors.Join(err, err2))
		}
	}
	return Installed{Root: root}, nil
}

func defaultDir() string {
	if d, err := os.UserCacheDir(); err == nil {
		return filepath.Join(d, "tsp")
	}
	return filepath.Join(os.TempDir(), fmt.Sprintf("tsp-%d", os.Getuid()))
}
