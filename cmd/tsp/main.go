// Command tsp solves the travelling salesman problem on a list of cities
// with any backend of the module (pure Go, C and C++ through cgo, or the
// same kernels loaded at run time through purego), compares the backends
// against the 1 s and 10 s deadlines, and builds the shared libraries the
// purego backends load. Run `tsp -h` for the usage.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
)

// Exit codes. 2 is not among them: it is what the Go runtime exits with on
// a panic or a fatal error, so that a crash is never mistaken for bad input.
// 64 and 65 are sysexits.h's EX_USAGE and EX_DATAERR.
const (
	exitOK      = 0  // success
	exitFailed  = 1  // a backend failed or is unavailable, or buildlib could not build
	exitStopped = 3  // the timeout (or an interrupt) stopped a search, or the loading of FILE
	exitUsage   = 64 // bad usage: an unknown command or flag, a bad flag value, the wrong arguments
	exitData    = 65 // bad input: FILE cannot be read or is invalid, or the options do not fit it
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := runContext(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run runs the command line args (without the program name) and returns the
// exit code.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return runContext(context.Background(), args, stdin, stdout, stderr)
}

// env is what every subcommand gets.
type env struct {
	ctx    context.Context // ends on an interrupt; every search is bounded by it
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
}

// fail prints err as one line on stderr, "tsp: message", and returns code.
func (e *env) fail(code int, err error) int {
	fmt.Fprintln(e.stderr, errLine(err))
	return code
}

// errLine is err as one line starting "tsp: " and without the "tsp: " that
// the library's sentinel errors repeat inside the message.
func errLine(err error) string {
	msg := strings.ReplaceAll(err.Error(), ": tsp: ", ": ")
	msg = strings.TrimPrefix(msg, "tsp: ")
	msg = strings.TrimPrefix(msg, "tsplib: ")
	msg = strings.ReplaceAll(msg, "\n", "; ")
	return "tsp: " + msg
}

func runContext(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := &env{ctx: ctx, stdin: stdin, stdout: stdout, stderr: stderr}
	if len(args) == 0 {
		fmt.Fprint(stderr, usageText)
		return exitUsage
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "-h", "-help", "--help", "help":
		if cmd == "help" && len(rest) > 0 {
			if u, ok := commandUsage[rest[0]]; ok {
				fmt.Fprint(stdout, u)
				return exitOK
			}
			return e.fail(exitUsage, fmt.Errorf("unknown command %q (want solve, compare, backends, buildlib or worker)", rest[0]))
		}
		fmt.Fprint(stdout, usageText)
		return exitOK
	case "solve":
		return e.solve(rest)
	case "compare":
		return e.compare(rest)
	case "backends":
		return e.backends(rest)
	case "buildlib":
		return e.buildlib(rest)
	case "worker":
		return e.worker(rest)
	}
	return e.fail(exitUsage, fmt.Errorf("unknown command %q (want solve, compare, backends, buildlib or worker; see tsp -h)", cmd))
}

// parseFlags parses args with fs, allowing flags after the positional
// arguments too (tsp solve cities.json -json), and returns the positional
// ones. "--" ends the flags. done is true when -h was asked for (the usage
// is then printed and code is the exit code); on a bad flag it prints one
// line and done is true with exitUsage.
func (e *env) parseFlags(fs *flag.FlagSet, args []string) (pos []string, done bool, code int) {
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				fmt.Fprint(e.stdout, commandUsage[fs.Name()])
				return nil, true, exitOK
			}
			return nil, true, e.fail(exitUsage, fmt.Errorf("%s: %v (see tsp help %s)", fs.Name(), err, fs.Name()))
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, false, exitOK
		}
		if consumed := len(args) - len(rest); consumed > 0 && args[consumed-1] == "--" {
			return append(pos, rest...), false, exitOK
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}
