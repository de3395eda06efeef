//go:build unix

package proc

import (
	"io"
	"os"
	"runtime"
	"syscall"
	"time"
)

// spinReader is a worker's output as the parent reads it. A read that
// would block first polls the pipe for the budget that arm gave it, then
// sleeps in Go's poller. A worker's answer to a small request comes in
// tens of microseconds; waking a sleeping thread (and, in a virtual
// machine, its idle virtual CPU) on that answer costs about as much again.
type spinReader struct {
	f      *os.File
	rc     syscall.RawConn // nil: f's own reads, which never poll
	budget time.Duration   // of the next read that would block; then 0
}

func newSpinReader(f *os.File) *spinReader {
	rc, err := f.SyscallConn()
	if err != nil {
		rc = nil
	}
	return &spinReader{f: f, rc: rc}
}

// arm lets the next read that would block poll for d.
func (r *spinReader) arm(d time.Duration) { r.budget = d }

func (r *spinReader) Read(p []byte) (int, error) {
	if r.rc == nil {
		return r.f.Read(p)
	}
	var n int
	var rerr error
	var end time.Time
	err := r.rc.Read(func(fd uintptr) bool {
		for {
			n, rerr = syscall.Read(int(fd), p)
			switch {
			case rerr == syscall.EINTR:
				continue
			case rerr != syscall.EAGAIN:
				return true
			case r.budget <= 0:
				return false // sleep until the pipe is readable
			case end.IsZero():
				end = time.Now().Add(r.budget)
			case time.Now().After(end):
				r.budget = 0
				return false
			default:
				// Other goroutines of this process run first (with
				// GOMAXPROCS 1 this one would hold the only P).
				runtime.Gosched()
			}
		}
	})
	r.budget = 0
	if err != nil {
		return 0, err
	}
	if rerr != nil {
		return 0, rerr
	}
	if n == 0 && len(p) > 0 {
		return 0, io.EOF
	}
	return n, nil
}
