"""The pure-Python kernel compiled by Cython, two ways:

- "cython": pure.py compiled as it is, not a character changed (Cython's
  "Python-compatible" mode: the same objects, no C types);
- "cython-typed": pure_typed.pyx, the searches rewritten with C types and a
  typed memoryview of the matrix, run without the GIL.

Each is compiled on first use (cython, then the C compiler with Python's
headers: Debian's cython3 and python3-dev) into build_dir()/cython-HASH/
($TSP_FFI_BUILD, else python/build/, which git ignores: never into the
source tree), one module per source, interpreter and Cython version, and
imported from there.
"""

import hashlib
import importlib.util
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import threading

from ._cffi import build_dir
from .errors import LibraryError

HERE = os.path.dirname(os.path.abspath(__file__))

#: way -> (source file in this package, module name)
SOURCES = {"cython": ("pure.py", "pure"), "cython-typed": ("pure_typed.pyx", "pure_typed")}

_lock = threading.Lock()
_modules = {}


def available():
    """Whether Cython is importable by this interpreter."""
    return importlib.util.find_spec("Cython") is not None


def load(way):
    """The compiled module of way ("cython" or "cython-typed"), built on
    first use. Raises LibraryError when Cython, the compiler or Python's
    headers are missing."""
    if way not in SOURCES:
        raise LibraryError("unknown Cython way %r: want one of %s" % (way, ", ".join(SOURCES)))
    if sys.implementation.name != "cpython":
        raise LibraryError("Cython modules are built for CPython, not %s" % sys.implementation.name)
    if not available():
        raise LibraryError("Cython is not installed for %s (Debian: apt-get install cython3)" % sys.executable)
    import Cython

    src_file, name = SOURCES[way]
    with open(os.path.join(HERE, src_file), "rb") as f:
        src = f.read()
    ext = sysconfig.get_config_var("EXT_SUFFIX") or ".so"
    key = hashlib.sha256(b"\0".join([src, sys.version.encode(), Cython.__version__.encode(), ext.encode()]))
    out = os.path.join(build_dir(), "cython-" + key.hexdigest()[:16])
    so = os.path.join(out, name + ext)
    with _lock:
        if so in _modules:
            return _modules[so]
        if not os.path.isfile(so):
            _build(src_file, name, src, out, so)
        # Imported under the package's name (tsp_ffi.pure, tsp_ffi.pure_typed:
        # the init function and relative imports need it) but not put in
        # sys.modules: tsp_ffi.pure stays the interpreted module.
        spec = importlib.util.spec_from_file_location("tsp_ffi." + name, so)
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        _modules[so] = mod
        return mod


def _build(src_file, name, src, out, so):
    """cython, then cc, in a directory of its own, renamed into place: a
    process building the same module at the same time never sees half a
    file."""
    os.makedirs(out, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix=".build-", dir=out)
    try:
        # The source as it is, in a package directory named like ours, so
        # that Cython gives it the module name tsp_ffi.NAME.
        pkg = os.path.join(tmp, "tsp_ffi")
        os.mkdir(pkg)
        open(os.path.join(pkg, "__init__.py"), "w").close()
        path = os.path.join(pkg, src_file)
        with open(path, "wb") as f:
            f.write(src)
        c = os.path.join(tmp, name + ".c")
        _run([sys.executable, "-m", "cython", "-3", "-o", c, path], "cython")
        cc = os.environ.get("CC") or "cc"
        inc = sysconfig.get_paths()["include"]
        built = os.path.join(tmp, os.path.basename(so))
        # -ffp-contract=off: no fused multiply-add, the kernels' rule.
        _run([cc, "-shared", "-fPIC", "-O2", "-ffp-contract=off", "-I" + inc, c, "-o", built], "the C compiler")
        os.replace(built, so)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _run(cmd, what):
    try:
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=600)
    except OSError as e:
        raise LibraryError("running %s (%s) failed: %s" % (what, cmd[0], e)) from None
    if p.returncode != 0:
        tail = p.stdout.decode("utf-8", "replace").strip()[-2000:]
        raise LibraryError("%s failed (%s; needs cython3 and python3-dev): %s" % (what, " ".join(cmd[:3]), tail))
