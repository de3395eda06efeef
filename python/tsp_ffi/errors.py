"""Errors of tsp_ffi: a TSPError names the status code of tsp.h it stands for."""

from . import _abi


class TSPError(Exception):
    """A solve or a library failed. code is the status code of tsp.h
    (_abi.INVALID ...), code_name its name ("TSP_INVALID"), detail the words."""

    code = _abi.INTERNAL

    def __init__(self, detail, code=None):
        if code is not None:
            self.code = code
        self.code_name = _abi.CODE_NAMES.get(self.code, "code %d" % self.code)
        self.detail = detail
        super().__init__("%s (%d): %s" % (self.code_name, self.code, detail))


class InvalidInput(TSPError, ValueError):
    """TSP_INVALID: bad input (a matrix that is not square, finite,
    non-negative, symmetric with a zero diagonal; a bad start; a city out of
    range; an unknown algorithm)."""

    code = _abi.INVALID


class TooLarge(TSPError, ValueError):
    """TSP_TOO_LARGE: more cities than the algorithm takes."""

    code = _abi.TOO_LARGE


class OutOfMemory(TSPError, MemoryError):
    """TSP_NO_MEMORY: the kernel could not allocate."""

    code = _abi.NO_MEMORY


class KernelError(TSPError):
    """TSP_INTERNAL, an unknown code, or a result that is no tour: the kernel
    failed."""

    code = _abi.INTERNAL


class LibraryError(TSPError, OSError):
    """A library cannot be found, loaded or compiled against, or it is not a
    tsp kernel of this ABI version (TSP_INTERNAL: nothing was solved)."""

    code = _abi.INTERNAL


class ProgressError(TSPError):
    """The progress function raised: the exception stopped the search
    (TSP_STOPPED: it never reached C) and is this error's __cause__;
    result is the stopped Result, the best tour found until then."""

    code = _abi.STOPPED
    result = None


def for_code(code, detail):
    """The exception for a status code other than TSP_OK and TSP_STOPPED."""
    cls = {
        _abi.INVALID: InvalidInput,
        _abi.TOO_LARGE: TooLarge,
        _abi.NO_MEMORY: OutOfMemory,
    }.get(code, KernelError)
    return cls(detail, code)
