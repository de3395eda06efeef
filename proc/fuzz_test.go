package proc

import (
	"bytes"
	"context"
	"errors"
	"io"
	"math"
	"math/rand/v2"
	"os/exec"
	"syscall"
	"testing"
	"time"

	"github.com/ffi4go/tsp/internal/abi"
	"github.com/ffi4go/tsp/kernel"
)

// seedFrames are valid streams for a worker: a ping, a solve of 4 cities,
// a cancel of a finished solve, a pre-cancelled solve.
func seedFrames() [][]byte {
	d := []float64{0, 1, 2, 1, 1, 0, 1, 2, 2, 1, 0, 1, 1, 2, 1, 0}
	solve := func(id uint64, alg int32, cancelled bool) []byte {
		q := &request{id: id, n: 4, algorithm: alg, cancelled: cancelled, seed: 3, budget: 10, matrix: d}
		b := appendSolveHead(nil, q)
		for _, v := range d {
			b = le.AppendUint64(b, math.Float64bits(v))
		}
		return b
	}
	var out [][]byte
	out = append(out, appendPing(nil, framePing, 1, 7))
	out = append(out, solve(2, abi.Exact|abi.FlagChecked, false))
	out = append(out, append(solve(3, abi.Iterated, false), appendCancel(nil, 3)...))
	out = append(out, solve(4, abi.Nearest|abi.FlagDirected, true))
	out = append(out, appendCancel(nil, 9))
	// Progress asked for, and no answer: the end of the input stops the
	// search at its first progress frame.
	p := solve(5, abi.Iterated|abi.FlagChecked, false)
	p[4+1+8+4+4+4] |= flagProgress // the flags' low byte
	out = append(out, p)
	// Coordinates (version 4): five planar points, and a cancelled haversine request.
	points := func(id uint64, alg int32, kind int32, cancelled bool, x, y []float64) []byte {
		q := &request{id: id, n: int32(len(x)), algorithm: alg, cancelled: cancelled, seed: 3, budget: 10,
			pts: &pointsArgs{kind: kind, radius: 6371, x: x, y: y}}
		b := appendPointsHead(nil, q)
		for _, v := range append(append([]float64(nil), x...), y...) {
			b = le.AppendUint64(b, math.Float64bits(v))
		}
		return b
	}
	out = append(out, points(6, abi.Iterated, abi.PointsEuc2D, false, []float64{0, 10, 20, 10, 5}, []float64{0, 10, 0, -10, 1}))
	out = append(out, points(7, abi.TwoOpt, abi.PointsHaversine, true, []float64{48.8, 52.5, 41.9}, []float64{2.3, 13.4, 12.5}))
	// Progress on coordinates (version 5): one-way, and waiting for an
	// answer that never comes (the end of the input stops the search).
	xs, ys := []float64{0, 10, 20, 10, 5, 7, 3, 15, 12}, []float64{0, 10, 0, -10, 1, 4, 8, 2, 6}
	q := points(8, abi.Iterated, abi.PointsEuc2D, false, xs, ys)
	q[4+1+8+4+4+4] |= flagProgress | flagOneWay
	out = append(out, q)
	q = points(9, abi.TwoOpt, abi.PointsCeil2D, false, xs, ys)
	q[4+1+8+4+4+4] |= flagProgress
	out = append(out, q)
	return out
}

// checkWorkerOutput checks what a worker wrote: a hello, then pongs and
// results, and at most one error frame, last; it returns whether there was
// an error frame.
func checkWorkerOutput(t *testing.T, out []byte) bool {
	t.Helper()
	r := bytes.NewReader(out)
	f, err := readParentFrame(r, 0, nil)
	if err != nil || f.typ != frameHello || f.hello.Version != Version {
		t.Fatalf("no hello first: %+v, %v", f, err)
	}
	sawErr := false
	for {
		f, err := readParentFrame(r, MaxCities, nil)
		if err == io.EOF {
			return sawErr
		}
		if err != nil {
			t.Fatalf("the worker wrote a bad frame: %v", err)
		}
		if sawErr {
			t.Fatalf("a %q frame after an error frame", f.typ)
		}
		switch f.typ {
		case frameError:
			sawErr = true
			if f.err.Code < CodeMalformed || f.err.Code > CodeInternal || f.err.Message == "" {
				t.Fatalf("error frame %+v", f.err)
			}
		case framePong, frameResult, frameProgress:
		default:
			t.Fatalf("the worker wrote a %q frame", f.typ)
		}
	}
}

// FuzzServe feeds any bytes to the Go worker (Serve with the Go kernel):
// it answers with well-formed frames and at most one error frame, and ends
// without a panic or a hang.
func FuzzServe(f *testing.F) {
	var all []byte
	for _, s := range seedFrames() {
		f.Add(s)
		all = append(all, s...)
	}
	f.Add(all)
	f.Add([]byte{5, 0, 0, 0, 'S'})
	f.Add([]byte{255, 255, 255, 255, 'S'})
	f.Fuzz(func(t *testing.T, in []byte) {
		var out bytes.Buffer
		err := ServePointsProgress(bytes.NewReader(in), &out, kernel.Go(), kernel.GoProgress(), kernel.GoPoints(), kernel.GoPointsProgress(), KernelGo)
		sawErr := checkWorkerOutput(t, out.Bytes())
		var we *WorkerError
		if errors.As(err, &we) != sawErr {
			t.Fatalf("Serve returned %v, error frame written: %v", err, sawErr)
		}
		if err != nil && we == nil {
			t.Fatalf("Serve: %v", err)
		}
	})
}

// FuzzParentFrame feeds any bytes to the parent's reader: an error or a
// frame, never a panic, and never a result longer than asked.
func FuzzParentFrame(f *testing.F) {
	f.Add(appendHello(nil, Hello{Version: 1, ABI: abi.Version, MaxCities: MaxCities}))
	f.Add(appendResult(nil, &result{id: 1, order: []int32{0, 2, 1}, length: 3}))
	f.Add(appendError(nil, &WorkerError{ID: 1, Code: CodeBusy, Message: "busy"}))
	f.Add(appendPing(nil, framePong, 4, 5))
	f.Add(appendProgress(nil, &progress{id: 1, event: abi.ProgressTour, length: 3, nodes: 2, order: []int32{2, 0, 1}}))
	f.Fuzz(func(t *testing.T, in []byte) {
		for {
			r := bytes.NewReader(in)
			fr, err := readParentFrame(r, 3, make([]int32, 3))
			if err != nil {
				return
			}
			if fr.typ == frameResult && len(fr.res.order) > 3 || fr.typ == frameProgress && len(fr.prog.order) > 3 {
				t.Fatalf("a %q frame of %d cities, at most 3 asked", fr.typ, max(len(fr.res.order), len(fr.prog.order)))
			}
			in = in[len(in)-r.Len():]
		}
	})
}

// TestCWorkerMutations is the C worker's fuzz test: valid streams with
// random bytes changed, cut or inserted go to tsp-worker-c, which must
// answer well-formed frames (an error frame at most, last) and exit with 0,
// 65 or 71, never by a signal, within 10 s.
func TestCWorkerMutations(t *testing.T) {
	cfg := cWorker(t, "c")
	iters := 300
	if testing.Short() {
		iters = 60
	}
	rng := rand.New(rand.NewPCG(17, 1))
	seeds := seedFrames()
	var all []byte
	for _, s := range seeds {
		all = append(all, s...)
	}
	seeds = append(seeds, all)
	errFrames := 0
	for i := range iters {
		in := append([]byte(nil), seeds[rng.IntN(len(seeds))]...)
		for k := 1 + rng.IntN(4); k > 0 && len(in) > 0; k-- {
			p := rng.IntN(len(in))
			switch rng.IntN(4) {
			case 0:
				in[p] = byte(rng.Uint32())
			case 1:
				in[p] ^= 1 << rng.IntN(8)
			case 2:
				in = in[:p]
			default:
				in = append(in[:p], append([]byte{byte(rng.Uint32())}, in[p:]...)...)
			}
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		cmd := exec.CommandContext(ctx, cfg.Path)
		cmd.Stdin = bytes.NewReader(in)
		var out bytes.Buffer
		cmd.Stdout = &out
		err := cmd.Run()
		timedOut := ctx.Err() != nil
		cancel()
		if timedOut {
			t.Fatalf("input %d (%x): the worker did not end within 10 s", i, in)
		}
		code := 0
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
				t.Fatalf("input %d (%x): the worker died of %v", i, in, ws.Signal())
			}
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		sawErr := checkWorkerOutput(t, out.Bytes())
		if sawErr {
			errFrames++
		}
		if (code == 0) == sawErr || (code != 0 && code != 65 && code != 71) {
			t.Fatalf("input %d (%x): exit %d, error frame %v", i, in, code, sawErr)
		}
	}
	t.Logf("%d mutated streams, %d answered with an error frame", iters, errFrames)
}
