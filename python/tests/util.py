"""What the tests share: the libraries, and skipping only outside CI."""

import os
import random
import unittest

from tsp_ffi import _abi, _cffi, _cython, _libs
from tsp_ffi.errors import LibraryError

CI = os.environ.get("CI") == "true"


def need(ok, why):
    """Skip when ok is false, except in CI (CI=true), where .ci/run installs
    everything the tests need: there it fails."""
    if ok:
        return
    if CI:
        raise AssertionError("CI=true: " + why)
    raise unittest.SkipTest(why)


def need_libs():
    for k in _abi.FILES:
        try:
            _libs.find(k)
        except LibraryError as e:
            need(False, str(e))


def need_cffi():
    need(_cffi.available(), "CFFI is not installed (Debian: apt-get install python3-cffi)")


def need_cython():
    need(_cython.available(), "Cython is not installed for this Python (Debian: apt-get install cython3)")


def points_matrix(rng, n, kind):
    """A flat n*n matrix. kind "int": rounded distances of grid points (ties);
    "real": real distances; "dup": like "int" with duplicate cities;
    "asym": asymmetric integers (for directed solves)."""
    pts = []
    for i in range(n):
        if kind == "real":
            pts.append((rng.random() * 1000, rng.random() * 1000))
        elif kind == "dup" and i > 0 and rng.random() < 0.3:
            pts.append(pts[rng.randrange(i)])
        else:
            pts.append((rng.randrange(20), rng.randrange(20)))
    d = []
    for i in range(n):
        for j in range(n):
            if kind == "asym":
                d.append(0.0 if i == j else float(rng.randrange(1, 100)))
                continue
            (x1, y1), (x2, y2) = pts[i], pts[j]
            v = ((x1 - x2) ** 2 + (y1 - y2) ** 2) ** 0.5
            d.append(v if kind == "real" else float(round(v)))
    return d


def rows(flat, n):
    return [flat[i * n:(i + 1) * n] for i in range(n)]


def cases(seed, sizes, kinds=("int", "real", "dup", "asym")):
    """(name, flat, n, start, directed) test matrices, the same every run."""
    rng = random.Random(seed)
    out = []
    for n in sizes:
        for kind in kinds:
            flat = points_matrix(rng, n, kind)
            out.append(("%s n=%d" % (kind, n), flat, n, rng.randrange(n), kind == "asym"))
    return out
