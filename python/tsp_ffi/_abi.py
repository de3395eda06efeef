"""The C ABI of native/tsp.h in Python: constants, and the header itself.

native/tsp.h is the one description of the ABI. The constants below are
checked against it by the tests (tests/test_abi.py); CFFI reads its function
declarations and macros from the header at run time (cdef()).
"""

import os
import re

ABI_VERSION = 7

OK = 0
STOPPED = 1
INVALID = 2
TOO_LARGE = 3
NO_MEMORY = 4
INTERNAL = 5

CODE_NAMES = {
    OK: "TSP_OK",
    STOPPED: "TSP_STOPPED",
    INVALID: "TSP_INVALID",
    TOO_LARGE: "TSP_TOO_LARGE",
    NO_MEMORY: "TSP_NO_MEMORY",
    INTERNAL: "TSP_INTERNAL",
}

EXHAUSTIVE = 0
EXACT = 1
NEAREST = 2
TWOOPT = 3
ITERATED = 4

ALGORITHMS = {
    "exhaustive": EXHAUSTIVE,
    "exact": EXACT,
    "nearest": NEAREST,
    "2opt": TWOOPT,
    "iterated": ITERATED,
}

CHECKED = 0x100
DIRECTED = 0x200
ALGORITHM_MASK = 0xFF

MAX_EXHAUSTIVE = 13
MAX_EXACT = 250
MAX_HEURISTIC = 10000
MAX_TOUR_LENGTH_LOG2 = 1014

KERNEL_C = 1
KERNEL_CPP = 2
KERNEL_GO = 3

# Progress events of tsp_solve_progress (ABI 6).
PROGRESS_TOUR = 1
PROGRESS_BOUND = 2

# Kinds of coordinates of tsp_solve_points (ABI 6), and its limit.
POINTS_HAVERSINE = 1
POINTS_EUC_2D = 2
POINTS_CEIL_2D = 3
POINTS_ATT = 4
POINTS_GEO = 5
MAX_POINTS = 16777216

# The library of each kernel, by the short names the API uses.
KERNELS = {"c": KERNEL_C, "cpp": KERNEL_CPP, "go": KERNEL_GO}
FILES = {"c": "libtsp_c.so", "cpp": "libtsp_cpp.so", "go": "libtsp_go.so"}

EARTH_RADIUS_KM = 6372.8


def max_cities(algorithm):
    """The largest n the algorithm (an ABI number) accepts; 0 if unknown."""
    return {
        EXHAUSTIVE: MAX_EXHAUSTIVE,
        EXACT: MAX_EXACT,
        NEAREST: MAX_HEURISTIC,
        TWOOPT: MAX_HEURISTIC,
        ITERATED: MAX_HEURISTIC,
    }.get(algorithm, 0)


def native_dir():
    """The directory of tsp.h: $TSP_NATIVE_DIR, else native/ of this checkout."""
    d = os.environ.get("TSP_NATIVE_DIR")
    if d:
        return os.path.abspath(d)
    here = os.path.dirname(os.path.abspath(__file__))
    return os.path.normpath(os.path.join(here, "..", "..", "native"))


def header_path():
    return os.path.join(native_dir(), "tsp.h")


def read_header():
    with open(header_path(), encoding="utf-8") as f:
        return f.read()


def header_macros(text=None):
    """Every integer macro TSP_* of tsp.h, as a dict."""
    text = read_header() if text is None else text
    macros = {}
    for m in re.finditer(r"(?m)^#define (TSP_[A-Z_0-9]+) (-?(?:0x[0-9a-fA-F]+|[0-9]+))\b", text):
        macros[m.group(1)] = int(m.group(2), 0)
    return macros


def header_functions(text=None):
    """The function declarations of tsp.h, in order, each one C declaration."""
    text = read_header() if text is None else text
    decls = []
    for m in re.finditer(r"(?ms)^int32_t (tsp_[a-z_]+)\((.*?)\);", text):
        decls.append("int32_t %s(%s);" % (m.group(1), " ".join(m.group(2).split())))
    return decls


def cdef():
    """What CFFI's cdef needs of tsp.h: its integer macros and its functions,
    read from the header (CFFI's parser takes no #if, so not the file itself)."""
    text = read_header()
    lines = ["#define %s %d" % (k, v) for k, v in header_macros(text).items()]
    types = [" ".join(m.group(0).split()) for m in re.finditer(r"(?ms)^typedef int32_t \(\*tsp_[a-z_]+\)\(.*?\);", text)]
    return "\n".join(lines + types + header_functions(text)) + "\n"
