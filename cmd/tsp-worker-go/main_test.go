package main

import (
	"bytes"
	"context"
	"errors"
	"math"
	"os"
	"os/exec"
	"slices"
	"testing"

	"github.com/ffi4go/tsp"
	"github.com/ffi4go/tsp/proc"
)

// envMain makes the test binary run main: it is then tsp-worker-go.
const envMain = "TSP_WORKER_GO_TEST_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(envMain) == "1" {
		main()
	}
	os.Exit(m.Run())
}

func config(name string) proc.Config {
	return proc.Config{Name: name, Path: os.Args[0], Env: []string{envMain + "=1"}}
}

// The program answers through both process backends exactly what the Go
// kernel answers in this process: same tour, length bits, bound and nodes.
func TestSameAsGo(t *testing.T) {
	m, err := tsp.HaversineMatrix(tsp.Demo11())
	if err != nil {
		t.Fatal(err)
	}
	pool := proc.NewPool(config("worker-go"))
	defer pool.Close()
	for _, s := range []tsp.Solver{proc.NewExec(config("exec-go")), pool} {
		for _, alg := range tsp.Algorithms() {
			opt := tsp.Options{Algorithm: alg, Seed: 7, Budget: 50}
			want, err := tsp.Solve(context.Background(), m, opt)
			if err != nil {
				t.Fatal(err)
			}
			got, err := s.Solve(context.Background(), m, opt)
			if err != nil {
				t.Fatalf("%s %v: %v", s.Name(), alg, err)
			}
			if math.Float64bits(got.Length) != math.Float64bits(want.Length) || got.Nodes != want.Nodes ||
				math.Float64bits(got.LowerBound) != math.Float64bits(want.LowerBound) || !slices.Equal(got.Order, want.Order) {
				t.Errorf("%s %v: got %v %v bound %v nodes %d, want %v %v bound %v nodes %d", s.Name(), alg,
					got.Order, got.Length, got.LowerBound, got.Nodes, want.Order, want.Length, want.LowerBound, want.Nodes)
			}
		}
	}
}

// Exit codes: 0 at the end of the input, 64 on arguments, 65 after an
// error frame for a malformed frame.
func TestExitCodes(t *testing.T) {
	for _, c := range []struct {
		args  []string
		stdin []byte
		code  int
	}{
		{nil, nil, 0},
		{[]string{"worker"}, nil, 0},
		{[]string{"solve"}, nil, 64},
		{[]string{"worker", "x"}, nil, 64},
		{nil, []byte("garbage that is no frame at all"), 65},
	} {
		cmd := exec.Command(os.Args[0], c.args...)
		cmd.Env = append(os.Environ(), envMain+"=1")
		cmd.Stdin = bytes.NewReader(c.stdin)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		err := cmd.Run()
		code := 0
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		if code != c.code {
			t.Errorf("%q with %d bytes in: exit %d, want %d (stderr %q)", c.args, len(c.stdin), code, c.code, stderr.String())
		}
		if c.code != 0 && stderr.Len() == 0 {
			t.Errorf("%q: exit %d and nothing on stderr", c.args, code)
		}
	}
}
