//go:build unix

package proc

import (
	"bufio"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/ffi4go/tsp"
	"github.com/ffi4go/tsp/internal/abi"
	"github.com/ffi4go/tsp/kernel"
)

// floorC is the program of BenchmarkPipeFloor: without arguments it echoes
// its input to its output; with "pp" it starts itself as an echo and, for
// each byte on its input, times one one-byte round trip through that echo
// and writes the nanoseconds as a line: the same round trip with a C
// parent. With "pp WORKER FRAME" it starts the worker program instead,
// reads its hello, and for each byte sends the request frame in the file
// FRAME and writes the round trip less the solve's own time (the result's
// solve nanoseconds): BenchmarkOverhead's overhead with a C parent.
const floorC = `#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
static long long now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec * 1000000000LL + t.tv_nsec; }
static int rd(int fd, unsigned char *p, size_t n) {
    while (n > 0) { ssize_t k = read(fd, p, n); if (k <= 0) return -1; p += k; n -= (size_t)k; }
    return 0;
}
static uint64_t le(const unsigned char *b, int w) { uint64_t v = 0; for (int i = w - 1; i >= 0; i--) v = v << 8 | b[i]; return v; }
int main(int argc, char **argv) {
    unsigned char c[4096];
    if (argc < 2 || strcmp(argv[1], "pp") != 0) {
        ssize_t k;
        while ((k = read(0, c, sizeof c)) > 0)
            if (write(1, c, (size_t)k) != k) return 1;
        return 0;
    }
    const char *child = argc > 3 ? argv[2] : argv[0];
    unsigned char req[4096];
    size_t reqn = 1;
    req[0] = 'x';
    if (argc > 3) {
        FILE *f = fopen(argv[3], "rb");
        if (f == NULL) return 1;
        reqn = fread(req, 1, sizeof req, f);
        fclose(f);
    }
    int a[2], b[2];
    if (pipe(a) != 0 || pipe(b) != 0) return 1;
    pid_t pid = fork();
    if (pid == 0) {
        dup2(a[0], 0); dup2(b[1], 1);
        close(a[0]); close(a[1]); close(b[0]); close(b[1]);
        execl(child, child, (char *)NULL);
        _exit(127);
    }
    close(a[0]); close(b[1]);
    if (argc > 3 && (rd(b[0], c, 4) != 0 || le(c, 4) > sizeof c - 4 || rd(b[0], c + 4, (size_t)le(c, 4)) != 0)) return 1; /* hello */
    while (read(0, c, 1) == 1) {
        long long t = now(), took = 0;
        if (write(a[1], req, reqn) != (ssize_t)reqn) return 1;
        if (argc > 3) {
            if (rd(b[0], c, 4) != 0 || le(c, 4) > sizeof c - 4 || le(c, 4) < 49 || rd(b[0], c + 4, (size_t)le(c, 4)) != 0 || c[4] != 'R') return 1;
            took = (long long)le(c + 45, 8);
        } else if (read(b[0], c, 1) != 1) {
            return 1;
        }
        char line[32];
        int m = snprintf(line, sizeof line, "%lld\n", now() - t - took);
        if (write(1, line, (size_t)m) != m) return 1;
    }
    close(a[1]);
    waitpid(pid, NULL, 0);
    return 0;
}
`

// BenchmarkPipeFloor: the floor under BenchmarkOverhead and
// BenchmarkOverheadAlone on this machine, without any of this package's
// code: one byte to a C program that echoes it and back, from this Go
// process (go-parent, through os/exec's pipes and the runtime's poller,
// as a pool reads) and from a C parent (c-parent: the round trip as the C
// parent timed it, each started by a byte from this process), back to
// back and with 2 ms between round trips (-alone). p50-ns is the median
// round trip. c-parent-worker-c is BenchmarkOverhead's worker-c with a C
// parent: demo11's Exact request to tsp-worker-c, the round trip less the
// solve's own time. Where go-parent-alone is far above
// c-parent-alone, the time is the Go runtime's waking up, which every
// worker backend pays.
func BenchmarkPipeFloor(b *testing.B) {
	cc := os.Getenv("CC")
	if cc == "" {
		cc = "cc"
	}
	if _, err := exec.LookPath(cc); err != nil {
		if os.Getenv("CI") == "true" {
			b.Fatalf("CI=true and no C compiler: %v", err)
		}
		b.Skipf("no C compiler: %v", err)
	}
	dir := b.TempDir()
	src, prog := filepath.Join(dir, "floor.c"), filepath.Join(dir, "floor")
	if err := os.WriteFile(src, []byte(floorC), 0o644); err != nil {
		b.Fatal(err)
	}
	if out, err := exec.Command(cc, "-std=c11", "-O2", "-o", prog, src).CombinedOutput(); err != nil {
		b.Fatalf("%s: %v\n%s", cc, err, out)
	}
	for _, pause := range []time.Duration{0, 2 * time.Millisecond} {
		suffix := ""
		if pause > 0 {
			suffix = "-alone"
		}
		b.Run("go-parent"+suffix, func(b *testing.B) {
			in, out := startFloor(b, prog)
			buf := make([]byte, 1)
			floorLoop(b, pause, func() time.Duration {
				t0 := time.Now()
				if _, err := in.Write(buf); err != nil {
					b.Fatal(err)
				}
				if _, err := out.Read(buf); err != nil {
					b.Fatal(err)
				}
				return time.Since(t0)
			})
		})
		b.Run("c-parent"+suffix, func(b *testing.B) { cParentFloor(b, pause, prog, "pp") })
		b.Run("c-parent-worker-c"+suffix, func(b *testing.B) {
			// demo11's Exact request, as BenchmarkOverhead sends it
			m, _ := tsp.HaversineMatrix(tsp.Demo11())
			q := request{id: 1, n: 11, algorithm: abi.Exact | abi.FlagChecked, matrix: kernel.Data(m)}
			frame := appendSolveHead(nil, &q)
			for _, v := range q.matrix {
				frame = le.AppendUint64(frame, math.Float64bits(v))
			}
			path := filepath.Join(b.TempDir(), "request")
			if err := os.WriteFile(path, frame, 0o644); err != nil {
				b.Fatal(err)
			}
			cParentFloor(b, pause, prog, "pp", cWorker(b, "worker-c").Path, path)
		})
	}
}

// cParentFloor runs the C parent of floorC with args, one timed round
// trip an op.
func cParentFloor(b *testing.B, pause time.Duration, prog string, args ...string) {
	in, out := startFloor(b, prog, args...)
	lines := bufio.NewScanner(out)
	floorLoop(b, pause, func() time.Duration {
		if _, err := in.Write([]byte{1}); err != nil {
			b.Fatal(err)
		}
		if !lines.Scan() {
			b.Fatalf("c-parent: %v", lines.Err())
		}
		ns, err := strconv.ParseInt(lines.Text(), 10, 64)
		if err != nil {
			b.Fatalf("c-parent said %q: %v", lines.Text(), err)
		}
		return time.Duration(ns)
	})
}

// startFloor starts prog with args behind two pipes, ended with the
// benchmark.
func startFloor(b *testing.B, prog string, args ...string) (io.WriteCloser, io.Reader) {
	cmd := exec.Command(prog, args...)
	in, err := cmd.StdinPipe()
	if err != nil {
		b.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		in.Close()
		cmd.Wait()
	})
	return in, out
}

// floorLoop times trip once an op, with pause between ops outside the
// timer, and reports the median as p50-ns.
func floorLoop(b *testing.B, pause time.Duration, trip func() time.Duration) {
	var each []time.Duration
	for b.Loop() {
		each = append(each, trip())
		if pause > 0 {
			b.StopTimer()
			time.Sleep(pause)
			b.StartTimer()
		}
	}
	slices.Sort(each)
	b.ReportMetric(float64(each[len(each)/2].Nanoseconds()), "p50-ns")
}
