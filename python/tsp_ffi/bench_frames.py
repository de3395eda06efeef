"""What one-way progress costs the typed Cython kernel's search, in one
process, without the worker or its instrument: typed.solve (Exhaustive,
--cities cities, real distances of random points) with no progress, with
a Frames (the worker's way since the tenth session: each call's G frame
built in C without the GIL) and with the worker's Python function
(worker._progress_frames, queueing each frame under a lock as the worker
did before: each call takes the GIL), interleaved, --solves of each a
round; for each round the median solve of each against the median without
progress, and the frames a solve sends (the same for both).

    cd python && python3 -m tsp_ffi.bench_frames
"""

import argparse
import random
import statistics
import struct
import sys
import threading
import time

from . import _abi, _cython, worker


def matrix(n, seed):
    rng = random.Random(seed)
    pts = [(rng.random() * 1000, rng.random() * 1000) for _ in range(n)]
    return [((x1 - x2) ** 2 + (y1 - y2) ** 2) ** 0.5 for x1, y1 in pts for x2, y2 in pts]


def main(argv=None, out=sys.stdout):
    ap = argparse.ArgumentParser(prog="python3 -m tsp_ffi.bench_frames", description=__doc__.split("\n\n")[0])
    ap.add_argument("--cities", type=int, default=10)
    ap.add_argument("--solves", type=int, default=1000)
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args(argv)
    typed = _cython.load("cython-typed")
    n = args.cities
    flat = matrix(n, 2)
    lock = threading.Lock()
    pend = bytearray()

    def send(body):
        with lock:
            pend.extend(struct.pack("<I", len(body)))
            pend.extend(body)
        return False

    def run(kind):
        if kind == "frames":
            p = typed.Frames(1, n, worker.MAX_PENDING)
        elif kind == "python":
            del pend[:]
            p = worker._progress_frames(1, n, send)
        else:
            p = None
        t0 = time.perf_counter_ns()
        typed.solve(flat, n, 0, _abi.EXHAUSTIVE, progress=p)
        ns = time.perf_counter_ns() - t0
        return ns, (len(p.take()) if kind == "frames" else len(pend))

    frame = 4 + 41 + 4 * n
    for r in range(args.rounds):
        times = {"off": [], "frames": [], "python": []}
        sizes = {}
        for i in range(args.solves):
            for kind in ("off", "frames", "python") if i % 2 == 0 else ("python", "frames", "off"):
                ns, size = run(kind)
                times[kind].append(ns)
                sizes[kind] = size
        off = statistics.median(times["off"])
        print("round %d: off %.3f ms; Frames %+.2f %%, Python function %+.2f %%; %d and %d frames a solve"
              % (r + 1, off / 1e6, 100 * (statistics.median(times["frames"]) - off) / off,
                 100 * (statistics.median(times["python"]) - off) / off, sizes["frames"] // frame,
                 sizes["python"] // frame), file=out)


if __name__ == "__main__":
    main()
