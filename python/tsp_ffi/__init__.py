"""tsp_ffi: the tsp kernels from Python.

The C, C++ and Go kernels of github.com/ffi4go/tsp are shared libraries
with one C ABI (native/tsp.h): libtsp_c.so, libtsp_cpp.so and libtsp_go.so
(the Go kernel built with go build -buildmode=c-shared), built by
`make libs`. This package calls any of them three ways: ctypes, CFFI in ABI
mode (ffi.dlopen) and CFFI in API mode (a C extension compiled against
tsp.h, built on first use); and it has the pure-Python kernel of the
original app (exhaustive search and nearest neighbour, module pure), which
takes the same steps as the others and returns the same tours.

    import tsp_ffi
    cities = [("paris", 48.86, 2.35), ("berlin", 52.52, 13.40),
              ("london", 51.51, -0.13), ("rome", 41.90, 12.50)]
    r = tsp_ffi.solve(cities, way="cffi-api", library="go", deadline=1.0)
    print(r.names, r.length, r.status)

    # Progress: called at each shorter tour (and higher bound); True stops.
    r = tsp_ffi.solve(cities, algorithm="exact", progress=lambda p: print(p.length, p.gap) or p.gap < 0.01)

Standard library only, plus Debian's python3-cffi for the CFFI ways (and
python3-dev and a C compiler for API mode). Libraries are found in
$TSP_LIB_PATH, then in lib/ of the checkout.
"""

from .api import LIBRARIES, WAYS, Result, Solver, solve
from .errors import InvalidInput, KernelError, LibraryError, OutOfMemory, ProgressError, TooLarge, TSPError
from .progress import Progress

__all__ = ["solve", "Solver", "Result", "Progress", "WAYS", "LIBRARIES", "TSPError", "InvalidInput", "TooLarge",
           "OutOfMemory", "KernelError", "LibraryError", "ProgressError"]
