package main

import (
	"flag"
	"fmt"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/ffi4go/tsp/backends"
	"github.com/ffi4go/tsp/loader"
)

func (e *env) backends(args []string) int {
	fs := flag.NewFlagSet("backends", flag.ContinueOnError)
	lib := fs.String("lib", "", "directory of libtsp_c.so and libtsp_cpp.so")
	pos, done, code := e.parseFlags(fs, args)
	if done {
		return code
	}
	if len(pos) != 0 {
		return e.fail(exitUsage, fmt.Errorf("backends takes no arguments, got %q", pos))
	}
	cfg := backends.Config{LibDir: *lib}
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "backend\tstatus\twhere it is, or why it is unavailable")
	for _, b := range backends.All(cfg) {
		switch {
		case b.Available() && b.Proc() != nil:
			fmt.Fprintf(tw, "%s\tavailable\t%s\n", b.Name, procWhere(b))
		case b.Available() && b.Where != "":
			fmt.Fprintf(tw, "%s\tavailable\tloaded from %s\n", b.Name, b.Where)
		case b.Available():
			fmt.Fprintf(tw, "%s\tavailable\tcompiled into this program\n", b.Name)
		default:
			why := "unknown reason"
			if b.Err != nil {
				why = reason(b.Name, strings.TrimPrefix(errLine(b.Err), "tsp: "))
			}
			fmt.Fprintf(tw, "%s\tunavailable\t%s\n", b.Name, why)
		}
	}
	tw.Flush()
	dirs := cfg.LibDirs()
	if len(dirs) == 0 {
		fmt.Fprintf(e.stdout, "The purego backends search no directory: set -lib DIR or $%s.\n", backends.EnvLibPath)
	} else {
		fmt.Fprintf(e.stdout, "The purego backends search %s for %s and %s (-lib DIR, else $%s, else the program's directory).\n",
			strings.Join(dirs, ", "), loader.FileC, loader.FileCPP, backends.EnvLibPath)
		fmt.Fprintf(e.stdout, "The process backends search the same for the programs %s (else %s: the Go worker) and %s.\n",
			backends.FileWorkerGo, backends.FileGoWorker, loader.FileWorkerC)
	}
	return exitOK
}

func (e *env) buildlib(args []string) int {
	fs := flag.NewFlagSet("buildlib", flag.ContinueOnError)
	out := fs.String("o", "lib", "directory to write the libraries to")
	pos, done, code := e.parseFlags(fs, args)
	if done {
		return code
	}
	if len(pos) != 0 {
		return e.fail(exitUsage, fmt.Errorf("buildlib takes no arguments, got %q (set the directory with -o DIR)", pos))
	}
	if *out == "" {
		return e.fail(exitUsage, fmt.Errorf("-o needs a directory"))
	}
	dir, err := filepath.Abs(*out)
	if err != nil {
		return e.fail(exitUsage, err)
	}
	built := 0
	code = exitOK
	for _, k := range []loader.Kernel{loader.KernelC, loader.KernelCPP} {
		path, err := loader.Build(dir, k)
		if err != nil {
			fmt.Fprintf(e.stderr, "tsp: building the %s kernel (%s) failed: %v\n", k, k.File(), strings.TrimPrefix(err.Error(), "loader: "))
			code = exitFailed
			continue
		}
		built++
		fmt.Fprintf(e.stdout, "built %s (backend %s)\n", path, k.Name())
	}
	if path, err := loader.BuildWorker(dir, loader.BuildOptions{}); err != nil {
		fmt.Fprintf(e.stderr, "tsp: building the C worker (%s) failed: %v\n", loader.FileWorkerC, strings.TrimPrefix(err.Error(), "loader: "))
		code = exitFailed
	} else {
		fmt.Fprintf(e.stdout, "built %s (backends %s and %s)\n", path, backends.NameExecC, backends.NameWorkerC)
	}
	if built > 0 {
		fmt.Fprintf(e.stdout, "Use them with -lib:\n  tsp solve -backend %s -lib %s demo11\n", loader.NameC, dir)
		fmt.Fprintf(e.stdout, "or for every command:\n  export %s=%s\n  tsp backends\n", backends.EnvLibPath, dir)
		fmt.Fprintln(e.stdout, "or copy them next to the tsp executable.")
	}
	return code
}
