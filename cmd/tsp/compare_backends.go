package main

import (
	"fmt"
	"slices"
	"strings"

	"github.com/ffi4go/tsp/backends"
)

// slowBackends are the backends compare leaves out unless -backends names
// them (or says all): the pure-Python kernel interpreted by CPython or
// PyPy, or compiled unchanged by Cython, which takes seconds where the
// others take milliseconds (demo11 Exhaustive: 6-11 s on worker-python),
// so that compare without arguments, five runs of every cell of the
// deadline table, took minutes more for them.
var slowBackends = []string{backends.NameWorkerPython, backends.NameWorkerCython, backends.NameWorkerPyPy}

// chooseBackends returns the backends of all that compare runs, and the
// names it leaves out: with list "", every one but slowBackends; with
// "all", every one; else the names listed (comma-separated), in all's
// order. An unknown name is an error.
func chooseBackends(all []backends.Backend, list string) (run []backends.Backend, left []string, err error) {
	switch list {
	case "":
		for _, b := range all {
			if slices.Contains(slowBackends, b.Name) {
				left = append(left, b.Name)
			} else {
				run = append(run, b)
			}
		}
		return run, left, nil
	case "all":
		return all, nil, nil
	}
	var names []string
	for _, b := range all {
		names = append(names, b.Name)
	}
	want := strings.Split(list, ",")
	for i, n := range want {
		want[i] = strings.TrimSpace(n)
		if !slices.Contains(names, want[i]) {
			return nil, nil, fmt.Errorf("-backends: no backend %q; the backends are %s, or all", want[i], strings.Join(names, ", "))
		}
	}
	for _, b := range all {
		if slices.Contains(want, b.Name) {
			run = append(run, b)
		} else {
			left = append(left, b.Name)
		}
	}
	return run, left, nil
}

// leftOutNote is the line printed under compare's tables when the default
// left slow backends out.
func leftOutNote(list string, left []string) string {
	if list != "" || len(left) == 0 {
		return ""
	}
	return fmt.Sprintf("not run: %s (the pure-Python kernel: seconds a solve); -backends all runs every backend", strings.Join(left, ", "))
}
