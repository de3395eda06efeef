"""Finding the shared libraries: libtsp_c.so, libtsp_cpp.so, libtsp_go.so."""

import os

from . import _abi
from .errors import LibraryError


def lib_dirs():
    """Where libraries are looked for: $TSP_LIB_PATH (directories separated
    by os.pathsep), then lib/ of this checkout (what `make libs` builds)."""
    dirs = [d for d in os.environ.get("TSP_LIB_PATH", "").split(os.pathsep) if d]
    here = os.path.dirname(os.path.abspath(__file__))
    dirs.append(os.path.normpath(os.path.join(here, "..", "..", "lib")))
    return [os.path.abspath(d) for d in dirs]


def find(kernel):
    """The path of the library of kernel ("c", "cpp" or "go")."""
    if kernel not in _abi.FILES:
        raise LibraryError("unknown library %r: want one of %s" % (kernel, ", ".join(_abi.FILES)))
    name = _abi.FILES[kernel]
    dirs = lib_dirs()
    for d in dirs:
        p = os.path.join(d, name)
        if os.path.isfile(p):
            return p
    raise LibraryError("%s not found in %s (build it with `make libs`, or set $TSP_LIB_PATH)"
                       % (name, ", ".join(dirs)))


def check(path, kernel, version, kernel_id):
    """The checks every way of opening a library makes: this ABI version,
    and the kernel id of the file's name."""
    if version != _abi.ABI_VERSION:
        raise LibraryError("%s: tsp_abi_version() is %d, this package needs %d (rebuild it: make libs)"
                           % (path, version, _abi.ABI_VERSION))
    if kernel in _abi.KERNELS and kernel_id != _abi.KERNELS[kernel]:
        raise LibraryError("%s: tsp_kernel_id() is %d, want %d (%s)"
                           % (path, kernel_id, _abi.KERNELS[kernel], kernel))
