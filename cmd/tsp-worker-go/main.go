// Command tsp-worker-go is the Go kernel behind a pipe: it serves the
// worker protocol (docs/protocol.md) on standard input and output, as
// `tsp worker` does, for the exec-go and worker-go backends.
//
// It exists for its start-up time. `tsp worker` is the whole tsp command: a
// 10 MB binary linked with cgo (libstdc++ for the C++ backend) whose package
// initialisers (wazero, net/http, purego) run before main, so it needs
// about 6 ms from exec to its first frame. This program links only the Go
// kernel and package proc (2.8 MB, no cgo) and starts in about a third of
// that: what the exec-go backend pays on every solve. The process backends
// use it when it sits in a library directory (make libs puts it in lib/),
// and `tsp worker` otherwise.
//
//	go build -o lib/tsp-worker-go ./cmd/tsp-worker-go
//
// It takes no arguments (or the single argument "worker", so that it can
// stand in for a tsp command). Its exit codes are those of `tsp worker`: 0
// at the end of its input, 65 after answering a malformed frame with an
// error frame, 71 after an internal error, 1 when it cannot write, 64 on
// wrong usage.
package main

import (
	"errors"
	"fmt"
	"os"

	"github.com/ffi4go/tsp/kernel"
	"github.com/ffi4go/tsp/proc"
)

func main() {
	os.Exit(run(os.Args[1:]))
}

func run(args []string) int {
	if len(args) > 1 || (len(args) == 1 && args[0] != "worker") {
		fmt.Fprintf(os.Stderr, "tsp-worker-go: takes no arguments, got %q; it serves docs/protocol.md on stdin and stdout\n", args)
		return 64
	}
	proc.SingleP() // one P, if the environment opts in (TSP_WORKER_SINGLE_P=1)
	err := proc.ServePointsProgress(os.Stdin, os.Stdout, kernel.Go(), kernel.GoProgress(), kernel.GoPoints(), kernel.GoPointsProgress(), proc.KernelGo)
	if err == nil {
		return 0
	}
	fmt.Fprintf(os.Stderr, "tsp-worker-go: %v\n", err)
	var we *proc.WorkerError
	if errors.As(err, &we) {
		return we.ExitCode()
	}
	return 1
}
