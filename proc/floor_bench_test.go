//go:build unix

package proc

import (
	"bufio"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"
)

// floorC is the program of BenchmarkPipeFloor: without arguments it echoes
// its input to its output; with "pp" it starts itself as an echo and, for
// each byte on its input, times one one-byte round trip through that echo
// and writes the nanoseconds as a line: the same round trip with a C
// parent.
const floorC = `#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
static long long now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec * 1000000000LL + t.tv_nsec; }
int main(int argc, char **argv) {
    char c[4096];
    if (argc < 2 || strcmp(argv[1], "pp") != 0) {
        ssize_t k;
        while ((k = read(0, c, sizeof c)) > 0)
            if (write(1, c, (size_t)k) != k) return 1;
        return 0;
    }
    int a[2], b[2];
    if (pipe(a) != 0 || pipe(b) != 0) return 1;
    pid_t pid = fork();
    if (pid == 0) {
        dup2(a[0], 0); dup2(b[1], 1);
        close(a[0]); close(a[1]); close(b[0]); close(b[1]);
        execl(argv[0], argv[0], (char *)NULL);
        _exit(127);
    }
    close(a[0]); close(b[1]);
    while (read(0, c, 1) == 1) {
        long long t = now();
        if (write(a[1], c, 1) != 1 || read(b[0], c, 1) != 1) return 1;
        char line[32];
        int m = snprintf(line, sizeof line, "%lld\n", now() - t);
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
// round trip. Where go-parent-alone is far above
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
		b.Run("c-parent"+suffix, func(b *testing.B) {
			in, out := startFloor(b, prog, "pp")
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
		})
	}
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
