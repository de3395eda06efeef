"""The libraries through ctypes (the standard library)."""

import array
import ctypes
import itertools
import threading

from . import _abi, _libs

_d = ctypes.c_double
_i32 = ctypes.c_int32
_P = ctypes.POINTER

#: tsp_progress_fn of tsp.h as a ctypes function type.
PROGRESS_FN = ctypes.CFUNCTYPE(_i32, ctypes.c_uint64, _i32, _P(_d), ctypes.c_uint64, _P(_i32), _i32)

# The progress functions of the solves running, by handle: one C function
# pointer (_trampoline, made once: each CFUNCTYPE object is a libffi
# closure) serves every solve and finds its Python function by the handle
# that tsp_solve_progress passes back, an integer (C keeps no Python
# object).
_handles = {}
_handle_ids = itertools.count(1)
_handles_lock = threading.Lock()


def _dispatch(handle, event, values, nodes, order, n):
    """The C side of every progress call: never raises into C (ctypes would
    print the exception and return 0); anything unexpected stops the
    search."""
    try:
        fn = _handles[handle]
        return 1 if fn(event, values[0], values[1], nodes, ctypes.string_at(order, 4 * n)) else 0
    except BaseException:  # the API's and the worker's functions catch their own
        return 1


_trampoline = PROGRESS_FN(_dispatch)


class Flag:
    """A cancel flag in C memory (an int32_t the kernel reads atomically)."""

    __slots__ = ("cell",)

    def __init__(self):
        self.cell = _i32(0)

    def set(self):
        self.cell.value = 1  # one aligned 4-byte store

    def is_set(self):
        return self.cell.value != 0


class Library:
    """One library opened with ctypes.CDLL, which releases the GIL during
    every call (so a deadline thread can set the cancel flag)."""

    way = "ctypes"

    def __init__(self, kernel, path=None):
        self.kernel = kernel
        self.path = path or _libs.find(kernel)
        try:
            lib = ctypes.CDLL(self.path, mode=ctypes.RTLD_LOCAL)
        except OSError as e:
            raise _libs.LibraryError("%s: %s" % (self.path, e)) from None
        for name in ("tsp_abi_version", "tsp_kernel_id"):
            getattr(lib, name).restype = _i32
            getattr(lib, name).argtypes = []
        lib.tsp_noop.restype = _i32
        lib.tsp_noop.argtypes = [_i32]
        lib.tsp_matrix.restype = _i32
        lib.tsp_matrix.argtypes = [_P(_d), _P(_d), _i32, _P(_d), _P(_d)]
        lib.tsp_solve.restype = _i32
        lib.tsp_solve.argtypes = [_P(_d), _i32, _i32, _i32, ctypes.c_uint64, ctypes.c_int64,
                                  _P(_i32), _P(_i32), _P(_d), _P(_d), _P(ctypes.c_uint64)]
        lib.tsp_solve_progress.restype = _i32
        lib.tsp_solve_progress.argtypes = [_P(_d), _i32, _i32, _i32, ctypes.c_uint64, ctypes.c_int64, _P(_i32),
                                           PROGRESS_FN, ctypes.c_uint64, _P(_i32), _P(_d), _P(_d),
                                           _P(ctypes.c_uint64)]
        self._lib = lib
        self.noop = lib.tsp_noop  # the empty call, as bare as ctypes makes it
        self.kernel_id = lib.tsp_kernel_id()
        _libs.check(self.path, kernel, lib.tsp_abi_version(), self.kernel_id)

    @staticmethod
    def new_flag():
        return Flag()

    def matrix_from_flat(self, flat):
        """A matrix for solve from n*n floats (any sequence of numbers)."""
        return array.array("d", flat)

    def matrix(self, lats, lons, radius=_abi.EARTH_RADIUS_KM):
        """tsp_matrix: (code, matrix)."""
        n = len(lats)
        la = array.array("d", lats)
        lo = array.array("d", lons)
        out = array.array("d", [0.0]) * (n * n)
        r = _d(radius)
        code = self._lib.tsp_matrix(_ptr(la, _d), _ptr(lo, _d), n, ctypes.byref(r), _ptr(out, _d))
        return code, out

    def solve(self, m, n, start, algorithm, seed=0, budget=0, cancel=None, progress=None):
        """One call to tsp_solve: (code, order, length, lower_bound, nodes).
        With progress (a function as pure.solve's: event, length, bound,
        nodes, the tour as bytes; true stops), tsp_solve_progress, whose
        calls reach it through one ctypes callback and a handle."""
        if len(m) < n * n:
            return _abi.INVALID, None, 0.0, 0.0, 0
        order = (_i32 * max(n, 1))()
        length, lb, nodes = _d(), _d(), ctypes.c_uint64()
        flag = ctypes.byref(cancel.cell) if cancel is not None else None
        if progress is None:
            code = self._lib.tsp_solve(_ptr(m, _d), n, start, algorithm, seed, budget, flag, order,
                                       ctypes.byref(length), ctypes.byref(lb), ctypes.byref(nodes))
        else:
            with _handles_lock:
                h = next(_handle_ids)
                _handles[h] = progress
            try:
                code = self._lib.tsp_solve_progress(_ptr(m, _d), n, start, algorithm, seed, budget, flag,
                                                    _trampoline, h, order, ctypes.byref(length), ctypes.byref(lb),
                                                    ctypes.byref(nodes))
            finally:
                with _handles_lock:
                    del _handles[h]
        return code, list(order[:n]), length.value, lb.value, nodes.value


def _ptr(arr, ctype):
    """A pointer to the first element of an array.array, without a copy."""
    if len(arr) == 0:
        return None
    return ctypes.cast((ctype * len(arr)).from_buffer(arr), _P(ctype))
