// Package proc runs the tsp kernel in another process: the "shell out" way
// of reaching native code, measured against cgo and purego.
//
// A worker is a program that speaks the worker protocol over its standard
// input and output: length-prefixed little-endian frames, a hello with the
// protocol version, one solve request (the n×n matrix as float64 and the
// arguments of tsp_solve) and one result (status, order, length and bound
// bits, nodes), a cancel message, a ping, and errors as data (a code and a
// message). The protocol is described in one place, docs/protocol.md in
// the module; the constants and frame layouts of this package follow it.
//
// Two workers exist: `tsp worker` (the Go kernel, served by [Serve]) and
// tsp-worker-c (the C kernel, native/worker/tsp_worker.c, built by `make
// libs` or [github.com/ffi4go/tsp/loader.BuildWorker]). Two kinds of
// tsp.Solver run them:
//
//   - [NewExec]: one process per solve, started, asked, and left to exit
//     after the solve returns (reaped in the background; Exec.Close waits): the
//     "shell out" way, paying fork and exec on every solve.
//   - [NewPool]: a pool of long-lived workers, started lazily, at most
//     Size at once (default max(2, GOMAXPROCS), like the web example's
//     workers); a worker that dies or is killed is replaced in the
//     background.
//
// Both wrap the round trip with kernel.NewSolver, as every backend does, so
// they return the same tours, length bits, bounds and node counts as the Go
// kernel, and nothing a worker says is trusted. A context that ends during
// a solve sends a cancel frame: the worker's kernel stops and the best tour
// comes back with status Stopped. A worker that does not answer within
// [Config].Grace after that is killed (and, in a pool, replaced), and the
// solve fails with an error wrapping tsp.ErrKernel and the context's error.
// A context that ends before the worker has the whole request (while the
// solve waits for a busy pool or a starting worker, or while a large
// matrix is written) is answered at once by this process, as a kernel
// stopped before it started (status Stopped; the Go kernel's answer, which
// every kernel gives); a worker cut off in the middle of a request is
// killed and replaced.
// A worker that crashes fails its solve with an error wrapping
// tsp.ErrKernel that says how it died; the parent lives on.
//
// A solve that follows its worker's last answer closely polls the pipe for
// its own answer, up to 100 µs, before it sleeps, while Linux reports the
// CPUs calm: waking this process on the answer costs 20-40 µs in a
// virtual machine with idle CPUs ([Config].Spin).
//
// Progress (tsp.Options.Progress) crosses as progress frames (protocol
// version 2 and 3): one frame for each call of the worker kernel's
// progress function, with the same numbers as in-process. From a worker of
// version 3 or later (all three of this module: the Go, the C and the Python
// worker) they are one-way by default: the worker's kernel goes on at
// once, and a callback that asks to stop sends a cancel frame, so the stop
// lands a little later than in-process, as a deadline does.
// [Config].ProgressWait makes the worker wait for an answer to each frame
// (as version 2 does), so that a stop lands at the same step as in-process,
// at the price of a round trip per call.
package proc
