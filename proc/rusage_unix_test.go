//go:build unix

package proc

import (
	"syscall"
	"time"
)

// childrenCPU is the user and system time of this process's reaped
// children (getrusage RUSAGE_CHILDREN), 0 where unknown: a child's start
// in CPU time, which a busy machine inflates less than its wall time.
func childrenCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(-1 /* RUSAGE_CHILDREN */, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
