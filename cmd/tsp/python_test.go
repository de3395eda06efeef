package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ffi4go/tsp/backends"
)

// realInterp holds $PYTHON and $PYPY as the test binary found them.
var realInterp = map[string]string{}

// The Python backends (worker-python, worker-cython, worker-pypy, ...) take
// seconds where the others take milliseconds on the 11-city demo that the
// compare tests solve: this package's tests hide them (their interpreters
// are named by a path that does not exist, so they are listed as
// unavailable), except TestComparePython, which runs them on 7 cities.
func TestMain(m *testing.M) {
	for _, v := range []string{backends.EnvPython, backends.EnvPyPy} {
		realInterp[v] = os.Getenv(v)
		os.Setenv(v, "/nonexistent/tsp-test-hides-python")
	}
	os.Exit(m.Run())
}

// usePython undoes TestMain's hiding for one test. Outside CI a missing
// interpreter skips the test; with CI=true (.ci/run installs python3,
// cython3 and pypy3) it fails it.
func usePython(t *testing.T) {
	t.Helper()
	for v, def := range map[string]string{backends.EnvPython: backends.DefaultPython, backends.EnvPyPy: backends.DefaultPyPy} {
		t.Setenv(v, realInterp[v])
		name := realInterp[v]
		if name == "" {
			name = def
		}
		if _, err := exec.LookPath(name); err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatalf("CI=true and no %s: %v", name, err)
			}
			t.Skipf("no %s: %v", name, err)
		}
	}
}

// compare with the Python backends: Exhaustive and Nearest give the Go
// kernel's tour, length and nodes on every one of them; Exact is
// "unsupported" on those that run the pure-Python kernel (not a failure:
// exit 0), and solved by those that call the C library.
func TestComparePython(t *testing.T) {
	usePython(t)
	dir := t.TempDir()
	file := filepath.Join(dir, "seven.csv")
	if err := os.WriteFile(file, []byte("name,lat,lon\nLisbon,38.7223,-9.1393\nMadrid,40.4168,-3.7038\nParis,48.8566,2.3522\n"+
		"Berlin,52.52,13.405\nRome,41.9028,12.4964\nVienna,48.2082,16.3738\nWarsaw,52.2297,21.0122\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	lib := os.Getenv(backends.EnvLibPath)
	for _, alg := range []string{"exhaustive", "nearest", "exact"} {
		args := []string{"compare", "-json", "-count", "1", "-backends", "all", "-algorithm", alg}
		if lib != "" {
			args = append(args, "-lib", lib)
		}
		out, errOut, code := runTSP(t, "", append(args, file)...)
		if code != exitOK {
			t.Fatalf("%s: exit %d: %s", alg, code, errOut)
		}
		var rs []result
		if err := json.Unmarshal([]byte(out), &rs); err != nil {
			t.Fatal(err)
		}
		var ref result
		seen := 0
		for _, r := range rs {
			if r.Backend == "go" {
				ref = r
			}
			if !slices.Contains(backends.PythonNames(), r.Backend) {
				continue
			}
			seen++
			pure := !strings.Contains(r.Backend, "ctypes") && !strings.Contains(r.Backend, "cffi")
			switch {
			case r.Status == statusUnavailable && !pure && lib == "":
				// ctypes and CFFI need libtsp_c.so: $TSP_LIB_PATH (make test sets it)
			case r.Status == statusUnavailable && os.Getenv("CI") != "true":
				// not installed here (Cython for this python3): .ci/run installs it
				t.Logf("%s: unavailable here: %s", r.Backend, r.Error)
			case alg == "exact" && pure:
				if r.Status != statusUnsupported || !strings.Contains(r.Error, "exhaustive and nearest") {
					t.Errorf("%s exact: %s %q, want unsupported", r.Backend, r.Status, r.Error)
				}
			case r.Status != ref.Status || !slices.Equal(r.Tour, ref.Tour) || r.Length != ref.Length || r.Nodes != ref.Nodes:
				t.Errorf("%s %s: %s %v %v %d (%s), go: %s %v %v %d", r.Backend, alg, r.Status, r.Tour, r.Length, r.Nodes, r.Error,
					ref.Status, ref.Tour, ref.Length, ref.Nodes)
			}
		}
		if seen != len(backends.PythonNames()) {
			t.Errorf("%s: %d Python backends in the table, want %d", alg, seen, len(backends.PythonNames()))
		}
	}
}
