"""The libraries through CFFI, in ABI mode (ffi.dlopen, no compiler) and in
API mode (ffi.set_source: a C extension compiled against tsp.h and linked
with the library, built on first use)."""

import array
import hashlib
import importlib.util
import os
import shutil
import sys
import tempfile
import threading

from . import _abi, _libs
from .errors import LibraryError

try:
    import cffi
except ImportError as e:  # Debian: apt-get install python3-cffi
    cffi = None
    _import_error = e


def available():
    return cffi is not None


def _need():
    if cffi is None:
        raise LibraryError("CFFI is not installed (Debian: apt-get install python3-cffi): %s" % _import_error)


class Flag:
    __slots__ = ("cell",)

    def __init__(self, ffi):
        self.cell = ffi.new("int32_t *")

    def set(self):
        self.cell[0] = 1

    def is_set(self):
        return self.cell[0] != 0


def _dispatch(ffi, handle, event, values, nodes, order, n):
    """The C side of every progress call through CFFI: the handle is a
    ffi.new_handle of the solve's function, passed through C as an
    integer. Never raises into C; anything unexpected stops the search
    (the callbacks are also made with error=1)."""
    try:
        fn = ffi.from_handle(ffi.cast("void *", handle))
        return 1 if fn(event, values[0], values[1], nodes, ffi.buffer(order, 4 * n)[:]) else 0
    except BaseException:  # the API's and the worker's functions catch their own
        return 1


class _Base:
    #: the C function every progress call goes through (set by the subclass)
    _progress_fn = None

    def _init(self, ffi, lib):
        self.ffi, self._lib = ffi, lib
        self.noop = lib.tsp_noop
        self.kernel_id = lib.tsp_kernel_id()
        _libs.check(self.path, self.kernel, lib.tsp_abi_version(), self.kernel_id)

    def new_flag(self):
        return Flag(self.ffi)

    def matrix_from_flat(self, flat):
        return array.array("d", flat)

    def matrix(self, lats, lons, radius=_abi.EARTH_RADIUS_KM):
        ffi = self.ffi
        n = len(lats)
        la = array.array("d", lats)
        lo = array.array("d", lons)
        out = array.array("d", [0.0]) * (n * n)
        r = ffi.new("double *", radius)
        code = self._lib.tsp_matrix(_buf(ffi, la), _buf(ffi, lo), n, r, _buf(ffi, out))
        return code, out

    def solve(self, m, n, start, algorithm, seed=0, budget=0, cancel=None, progress=None):
        """One call to tsp_solve, or with progress (as _ctypes.Library.solve)
        tsp_solve_progress with this module's callback and a
        ffi.new_handle of progress."""
        ffi = self.ffi
        if len(m) < n * n:
            return _abi.INVALID, None, 0.0, 0.0, 0
        order = ffi.new("int32_t[]", max(n, 1))
        out = ffi.new("double[2]")
        nodes = ffi.new("uint64_t *")
        flag = cancel.cell if cancel is not None else ffi.NULL
        if progress is None:
            code = self._lib.tsp_solve(_buf(ffi, m), n, start, algorithm, seed, budget, flag, order,
                                       out, out + 1, nodes)
        else:
            h = ffi.new_handle(progress)  # alive until the call returns
            code = self._lib.tsp_solve_progress(_buf(ffi, m), n, start, algorithm, seed, budget, flag,
                                                self._progress_fn, int(ffi.cast("uintptr_t", h)), order,
                                                out, out + 1, nodes)
        return code, list(order[0:n]), out[0], out[1], nodes[0]


def _buf(ffi, arr):
    if len(arr) == 0:
        return ffi.NULL
    return ffi.cast("double *", ffi.from_buffer(arr))


_abi_ffi = None
_abi_progress = None  # ffi.callback for ABI mode, made once
_abi_lock = threading.Lock()


class ABILibrary(_Base):
    """A library opened by ffi.dlopen (CFFI's ABI mode): like ctypes, no
    compiler, the declarations read from tsp.h."""

    way = "cffi-abi"

    def __init__(self, kernel, path=None):
        global _abi_ffi
        _need()
        self.kernel = kernel
        self.path = path or _libs.find(kernel)
        global _abi_progress
        with _abi_lock:
            if _abi_ffi is None:
                ffi = cffi.FFI()
                ffi.cdef(_abi.cdef())
                # ABI mode has no extern "Python": one ffi.callback (a
                # libffi closure), made once and shared by every solve.
                _abi_progress = ffi.callback("tsp_progress_fn", lambda *a: _dispatch(ffi, *a), error=1)
                _abi_ffi = ffi
        self._progress_fn = _abi_progress
        try:
            lib = _abi_ffi.dlopen(self.path, _abi_ffi.RTLD_NOW | _abi_ffi.RTLD_LOCAL)
        except OSError as e:
            raise LibraryError("%s: %s" % (self.path, e)) from None
        self._init(_abi_ffi, lib)


def build_dir():
    """Where API-mode extensions are compiled: $TSP_FFI_BUILD, else
    python/build/ of this checkout."""
    d = os.environ.get("TSP_FFI_BUILD")
    if d:
        return os.path.abspath(d)
    here = os.path.dirname(os.path.abspath(__file__))
    return os.path.normpath(os.path.join(here, "..", "build"))


_api_lock = threading.Lock()
_api_modules = {}

# API mode's progress function: a C function of the extension that calls
# Python (CFFI's extern "Python"), defined per module with def_extern.
_API_EXTERN = ('extern "Python" int32_t tsp_ffi_progress(uint64_t, int32_t, const double *, uint64_t, '
               'const int32_t *, int32_t);\n')


def api_module(kernel, path):
    """The compiled API-mode extension for the library at path: _tsp_api_KERNEL,
    linked with it (rpath to its directory), built once per directory and
    header into build_dir()/HASH/ and imported."""
    _need()
    libdir, file = os.path.split(os.path.abspath(path))
    stem = file[3:-3] if file.startswith("lib") and file.endswith(".so") else None
    if stem is None:
        raise LibraryError("%s: API mode links with -l, so the file must be named libNAME.so" % path)
    header = _abi.read_header()
    key = hashlib.sha256((libdir + "\0" + file + "\0" + header + "\0" + sys.version + "\0" + _API_EXTERN)
                         .encode()).hexdigest()[:16]
    name = "_tsp_api_" + kernel
    with _api_lock:
        if (name, key) in _api_modules:
            return _api_modules[(name, key)]
        out = os.path.join(build_dir(), key)
        so = _find_built(out, name)
        if so is None:
            ffi = cffi.FFI()
            ffi.cdef(_abi.cdef() + _API_EXTERN)
            ffi.set_source(name, '#include "tsp.h"',
                           include_dirs=[_abi.native_dir()],
                           library_dirs=[libdir], libraries=[stem],
                           extra_link_args=["-Wl,-rpath," + libdir])
            # Compiled in a directory of its own, then renamed into place:
            # another process building the same module at the same time
            # never sees a half-written file.
            os.makedirs(out, exist_ok=True)
            tmp = tempfile.mkdtemp(prefix=".build-", dir=out)
            try:
                built = ffi.compile(tmpdir=tmp, verbose=False)
                so = os.path.join(out, os.path.basename(built))
                os.replace(built, so)
            except Exception as e:  # a missing compiler or Python.h: say so
                raise LibraryError("compiling the CFFI API-mode module %s against %s failed (needs a C compiler "
                                   "and Python's headers: Debian python3-dev): %s" % (name, path, e)) from None
            finally:
                shutil.rmtree(tmp, ignore_errors=True)
        spec = importlib.util.spec_from_file_location(name, so)
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        mff = mod.ffi
        mff.def_extern(name="tsp_ffi_progress", error=1)(lambda *a: _dispatch(mff, *a))
        _api_modules[(name, key)] = mod
        return mod


def _find_built(out, name):
    if not os.path.isdir(out):
        return None
    for f in os.listdir(out):
        if f.startswith(name + ".") and f.endswith(".so"):
            return os.path.join(out, f)
    return None


class APILibrary(_Base):
    """A library called through a C extension compiled against tsp.h
    (CFFI's API mode): the call is a direct C call, checked by the compiler."""

    way = "cffi-api"

    def __init__(self, kernel, path=None):
        self.kernel = kernel
        self.path = path or _libs.find(kernel)
        mod = api_module(kernel, self.path)
        self._progress_fn = mod.lib.tsp_ffi_progress
        self._init(mod.ffi, mod.lib)
