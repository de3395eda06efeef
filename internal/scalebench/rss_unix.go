//go:build unix

package main

import (
	"os"
	"syscall"
)

// peakRSSMB is the child's peak resident set in MB (getrusage; kilobytes
// on Linux).
func peakRSSMB(ps *os.ProcessState) float64 {
	if ru, ok := ps.SysUsage().(*syscall.Rusage); ok {
		return float64(ru.Maxrss) / 1024
	}
	return 0
}
