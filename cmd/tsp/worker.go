package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/ffi4go/tsp/backends"
	"github.com/ffi4go/tsp/kernel"
	"github.com/ffi4go/tsp/proc"
)

const usageWorker = `tsp worker
  Serve the worker protocol (docs/protocol.md) on standard input and output
  with the Go kernel: what the exec-go and worker-go backends run. It is
  not for people: it writes binary frames. It exits 0 at the end of its
  input, 65 after answering a malformed frame with an error frame, 71 after
  an internal error.
`

func init() { commandUsage["worker"] = usageWorker }

// worker runs `tsp worker`: proc.Serve with the Go kernel.
func (e *env) worker(args []string) int {
	fs := flag.NewFlagSet("worker", flag.ContinueOnError)
	pos, done, code := e.parseFlags(fs, args)
	if done {
		return code
	}
	if len(pos) != 0 {
		return e.fail(exitUsage, fmt.Errorf("worker takes no arguments, got %q", pos))
	}
	if e.stdin == io.Reader(os.Stdin) {
		proc.SingleP() // a worker process: one P, if its environment opts in
	}
	err := proc.ServePointsProgress(e.stdin, e.stdout, kernel.Go(), kernel.GoProgress(), kernel.GoPoints(), kernel.GoPointsProgress(), proc.KernelGo)
	var we *proc.WorkerError
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &we):
		fmt.Fprintln(e.stderr, errLine(err))
		return we.ExitCode()
	}
	fmt.Fprintln(e.stderr, errLine(err))
	return exitFailed
}

// procWhere says what a process backend runs, for `tsp backends`.
func procWhere(b backends.Backend) string {
	if p, ok := b.Solver.(interface{ Size() int }); ok { // a *proc.Pool, or a pool that wraps one

		return fmt.Sprintf("runs %s, a pool of up to %d workers", b.Where, p.Size())
	}
	return fmt.Sprintf("runs %s, one process per solve", b.Where)
}
