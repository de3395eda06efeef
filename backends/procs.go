package backends

import (
	"fmt"
	"sync"

	"github.com/ffi4go/tsp"
	"github.com/ffi4go/tsp/loader"
	"github.com/ffi4go/tsp/proc"
)

// The process backends (package proc, issue 17): the kernel in another
// process behind a pipe, one process per solve (exec-*) or a pool of
// long-lived workers (worker-*), on the Go kernel (`tsp worker`) and on the
// C kernel (tsp-worker-c).
const (
	NameExecGo   = "exec-go"
	NameWorkerGo = "worker-go"
	NameExecC    = "exec-c"
	NameWorkerC  = "worker-c"
)

// FileGoWorker is the program the Go process backends run as
// `tsp worker` when Config.GoWorker is empty and a library directory has
// no FileWorkerGo: a tsp command in one of the library directories (the
// tsp program's own directory among them).
const FileGoWorker = "tsp"

// FileWorkerGo is the small Go worker program (cmd/tsp-worker-go, built by
// make libs): the Go kernel and the protocol only, which starts in about a
// third of the time of the whole tsp command. In each library directory,
// in order, the Go process backends take it before a tsp command.
const FileWorkerGo = "tsp-worker-go"

// findGoWorker finds the Go worker in dirs: in the first directory that
// has one, tsp-worker-go, else tsp (run as `tsp worker`).
func findGoWorker(dirs []string) (string, error) {
	for _, d := range dirs {
		for _, f := range []string{FileWorkerGo, FileGoWorker} {
			if p, err := find([]string{d}, f); err == nil {
				return p, nil
			}
		}
	}
	_, err := find(dirs, FileWorkerGo+" or "+FileGoWorker)
	return "", err
}

// The Python workers (python.go) follow.
var procNames = append([]string{NameExecGo, NameWorkerGo, NameExecC, NameWorkerC}, PythonNames()...)

func isProc(name string) bool {
	for _, n := range procNames {
		if n == name {
			return true
		}
	}
	return false
}

// pools holds one pool per backend name and program for the life of the
// process, as a loaded library stays loaded: every Get or All of worker-c
// shares the same workers. Its workers exit when this process does (their
// input ends).
var (
	poolsMu sync.Mutex
	pools   = map[[2]string]*proc.Pool{}
)

// openProc makes the process backend called name. Nothing starts here: a
// pool starts its first worker on its first solve. The program must exist
// as a regular file.
func openProc(name string, cfg Config) Backend {
	if w, ok := findPyWorker(name); ok {
		return openPython(w, cfg) // python.go
	}
	b := Backend{Name: name}
	var pc proc.Config
	switch name {
	case NameExecGo, NameWorkerGo:
		path := cfg.GoWorker
		var err error
		if path == "" {
			path, err = findGoWorker(cfg.LibDirs())
			if err != nil {
				b.Err = fmt.Errorf("%w (the Go worker: make libs, or go build -o DIR/tsp-worker-go ./cmd/tsp-worker-go)", err)
				return b
			}
		}
		pc = proc.Config{Name: name, Path: path, Args: []string{"worker"}}
	default:
		path, err := find(cfg.LibDirs(), loader.FileWorkerC)
		if err != nil {
			b.Err = err
			return b
		}
		pc = proc.Config{Name: name, Path: path}
	}
	b.Where = pc.Path
	if name == NameExecGo {
		pc.Env = proc.GoExecEnv() // start on one P (issue 17: a faster spawn)
	}
	if name == NameExecGo || name == NameExecC {
		b.Solver = proc.NewExec(pc)
		return b
	}
	poolsMu.Lock()
	defer poolsMu.Unlock()
	key := [2]string{name, pc.Path}
	p := pools[key]
	if p == nil {
		p = proc.NewPool(pc)
		pools[key] = p
	}
	b.Solver = p
	return b
}

// Proc returns the process backend's proc.Solver (for its Ping and, for a
// pool, its statistics), or nil for any other backend.
func (b Backend) Proc() proc.Solver {
	s, _ := b.Solver.(proc.Solver)
	return s
}

var _ tsp.Solver = (*proc.Pool)(nil)
