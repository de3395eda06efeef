package main

const usageSolve = `tsp solve [-backend go] [-algorithm auto] [-start 0] [-end start] [-seed 0] [-budget N] [-timeout 10s] [-lib DIR] [-json] FILE
  Solve FILE with one backend and print the backend, algorithm, status,
  length, lower bound, search nodes, time and the route with the names.
  -backend NAME    go, cgo-c, cgo-cpp, purego-c, purego-cpp, or the kernel in
                   another process: exec-go, worker-go, exec-c, worker-c,
                   or a Python worker ($PYTHON, $PYPY: python3, pypy3):
                   worker-python, worker-cython, worker-cython-typed,
                   worker-pypy and worker-pypy-jit (the pure-Python kernel:
                   exhaustive and nearest only), worker-python-ctypes,
                   worker-pypy-ctypes
                   and worker-pypy-cffi (libtsp_c.so from Python)
                   (default go)
  -algorithm NAME  auto, exhaustive, exact, nearest, 2opt or iterated
                   (default auto: exact up to 30 cities, iterated beyond)
  -start I         index of the city the route starts at (default 0)
  -end CITY|any    where the route ends: start (default: a round trip back
                   to -start), any (an open path, ending wherever it is
                   shortest), or a city, by index (as -start) or by name;
                   a path's length has no way back
  -seed S          the seed of iterated's kicks (default 0): the same seed and
                   budget give the same tour on every backend
  -budget K        iterated's kicks (default 10 per city, at least 1000);
                   0: kick until the timeout, which then ends it with exit 3
  -timeout D       the time the whole command may take, reading FILE
                   included: stop the search when it runs out, print the best
                   tour found so far and exit 3 (default 10s; 0 means no limit)
  -lib DIR         directory of libtsp_c.so and libtsp_cpp.so
  -json            print one JSON object with the fields, in this order:
                   backend, algorithm, n, start, end ("start", "any" or the
                   index of the last city), tour (city indices from start),
                   names (of the cities in tour order), length, status
                   (optimal, heuristic or stopped), lower_bound, nodes,
                   elapsed_ns (the time Solve took, without reading FILE),
                   and for iterated seed and budget

On a terminal, a solve that runs longer than 0.3 s shows one line of
progress on stderr (best length, bound and gap, as the search improves
them), cleared when it ends; never with -json or when stderr is not a
terminal.
`

const usageCompare = `tsp compare [-algorithm exhaustive] [-seed 0] [-budget N] [-count N] [-timeout 10s] [-lib DIR] [-backends LIST] [-json] [FILE]
tsp compare [-deadline-table] [-count N] [-timeout 10s] [-lib DIR] [-backends LIST] [-json] [-svg OUT.svg]
  Time every backend on the same instance, to choose one. The table shows
  per backend the time (the median of -count runs), the length, the search
  nodes, whether the time met the 1 s soft and the 10 s hard deadline, and
  the status; unavailable backends are listed with the reason.
  With FILE, or with -algorithm, compare solves FILE (default demo11) with
  -algorithm (default exhaustive) from city 0.
  With no FILE and no -algorithm, compare prints the demo11 table and then
  the deadline table: rows are the first 9, 10 and 11 cities of demo11
  under exhaustive and the first 11, 15, 20, 25 and 30 cities of demo30
  under exact, columns are the backends, each cell the median time and the
  deadlines it met. -deadline-table prints the deadline table alone.
  -algorithm NAME  auto, exhaustive, exact, nearest, 2opt or iterated
                   (default exhaustive)
  -seed S, -budget K  iterated's seed and kicks, as for tsp solve
  -count N         runs per cell; the median is shown (default 1, or 5 with
                   the deadline table)
  -timeout D       stop a run after D (default 10s, the hard deadline; 0 means
                   no limit); a stopped run ends that cell, and a backend that
                   was stopped is not run on the larger rows of that algorithm
  -lib DIR         directory of libtsp_c.so and libtsp_cpp.so
  -backends LIST   the backends to compare, comma-separated (as tsp backends
                   names them), or all; by default every backend but
                   worker-python, worker-cython and worker-pypy, which run
                   the pure-Python kernel and take seconds a solve (a line
                   under the table says so)
  -json            print a JSON array of the objects tsp solve -json prints,
                   one per backend (per row and backend for the deadline table,
                   row by row, the demo11 row included), elapsed_ns holding
                   the median; a backend that is unavailable, failed or was not
                   run has status "unavailable", "error" or "skipped", an empty
                   tour and an extra field "error" with the reason
  -svg OUT.svg     draw the deadline table as a standalone SVG chart: one
                   panel per algorithm, x the number of cities, y the time on a
                   log scale, a line per backend, the deadlines as lines
  A run the timeout stopped is a missed deadline in the table, not an
  error: compare then still exits 0 (1 if a backend failed, 3 on Ctrl-C).
`

const usageBackends = `tsp backends [-lib DIR]
  List every backend, and where it was loaded from or why it is unavailable.
`

const usageBuildlib = `tsp buildlib [-o DIR]
  Build libtsp_c.so and libtsp_cpp.so, the libraries the purego backends
  load, and tsp-worker-c, the program the exec-c and worker-c backends run,
  into DIR (default ./lib) with the C and C++ compiler ($CC, $CXX, or
  cc/c++); then use them with -lib DIR or TSP_LIB_PATH=DIR.
`

const usageText = `tsp solves the travelling salesman problem: the shortest round trip through
a list of cities, or the shortest route from a city to another or to
anywhere, with symmetric distances or asymmetric costs (one-way streets). The same kernel exists in Go, C and C++; the C and C++
ones are compiled in with cgo or loaded at run time from a shared library
with purego.

Usage:
  tsp solve    [flags] FILE    solve one instance
  tsp compare  [flags] [FILE]  time every backend against the 1 s and 10 s deadlines
  tsp backends [-lib DIR]      list the backends and where they come from
  tsp buildlib [-o DIR]        build the shared libraries of the purego backends
  tsp worker                   serve the worker protocol (the exec-go and worker-go backends run it
                               when no tsp-worker-go is beside it)
  tsp help [COMMAND]           print this help or one command's

` + usageSolve + `
` + usageCompare + `
` + usageBackends + `
` + usageBuildlib + `
` + usageWorker + `
FILE is one of
  NAME.json  [{"name": "new york", "lat": 40.73, "lon": -73.99}, ...]
  NAME.csv   a city a row, name,lat,lon; an optional header row names the
             columns in any order (name/city, lat/latitude, lon/lng/longitude)
  NAME.tsp   a TSPLIB instance: its own distances are used, the cities are
             named 1..n and lengths are in TSPLIB units
  NAME.atsp  an asymmetric TSPLIB instance (TYPE: ATSP, FULL_MATRIX; the
             diagonal's placeholder such as 9999 is ignored)
  NAME.json  also a cost matrix: {"names": ["depot", ...], "matrix": [[0, 7,
             ...], ...]}, row i the costs from city i (driving minutes or
             metres from a routing service, say); asymmetric is fine
  -          a city list on standard input, JSON or CSV, or a cost matrix
  demo11     built in: 11 cities in North America and Europe, new york first
  demo30     built in: demo11 and 19 more cities in Europe and Asia
Coordinates are degrees; distances are great-circle kilometres. A file of
another extension is read as TSPLIB, JSON or CSV by its content; JSON that
starts with '{' is a cost matrix, a city list is JSON when it starts with '[',
CSV otherwise. At most 10000 cities, names of
at most 200 bytes, 64 MiB of input; a city without a name is called by its
index. City lists and TSPLIB files of coordinates (EUC_2D, CEIL_2D, ATT,
GEO; up to 16777216 nodes) are solved from the coordinates, without a
distance matrix, by nearest, 2opt, iterated and auto above 30 cities on a
round trip.

Algorithms: exhaustive tries every order (at most 13 cities); exact is branch
and bound with the Held-Karp bound (at most 250 cities); both prove the
optimum. nearest is the nearest-neighbour tour and 2opt improves it by 2-opt
and Or-opt moves (at most 10000 cities each). Asymmetric costs halve the
limits of exact and 2opt (125 and 5000: they solve a doubled symmetric
problem), and a route that does not return takes one city fewer there.

The purego backends load their library from -lib DIR, else from the
directories in $TSP_LIB_PATH, else from the directory of the tsp program.

Exit status:
  0   success
  1   a backend failed or is unavailable here, or buildlib could not build
  3   the timeout (or Ctrl-C) stopped a search, whose best tour is still
      printed; or it expired while FILE was still being read (nothing printed)
  64  bad usage: an unknown command, flag or backend, a bad flag value, the
      wrong number of arguments (EX_USAGE of sysexits.h)
  65  bad input: FILE cannot be read or is invalid, or the options do not fit
      it, such as a -start out of range (EX_DATAERR)
  tsp itself never exits 2: that is the Go runtime's code for a crash (a
  panic or fatal error), so 2 always means a bug, not bad input.
Every error but a stopped search prints one line on stderr, "tsp: ...".
`

var commandUsage = map[string]string{
	"solve":    usageSolve,
	"compare":  usageCompare,
	"backends": usageBackends,
	"buildlib": usageBuildlib,
}
