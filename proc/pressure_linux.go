package proc

import (
	"bytes"
	"os"
	"strconv"
	"sync/atomic"
	"time"
)

// cpusCalm reports whether the machine's CPUs have been mostly free: the
// share of the last ten seconds in which some task waited for a CPU
// (Linux's pressure stall information, /proc/pressure/cpu, "some avg10")
// under calmPressure percent. It reads the file at most every
// pressureEvery; false where the file cannot be read.
func cpusCalm() bool {
	now := time.Now().UnixNano()
	last := pressureAt.Load()
	if now-last >= int64(pressureEvery) && pressureAt.CompareAndSwap(last, now) {
		b, err := os.ReadFile("/proc/pressure/cpu")
		v, ok := someAvg10(b)
		pressureCalm.Store(err == nil && ok && v < calmPressure)
	}
	return pressureCalm.Load()
}

var (
	pressureAt   atomic.Int64 // when it was last read, Unix nanoseconds
	pressureCalm atomic.Bool
)

// someAvg10 is the avg10 value of the "some" line of a pressure file.
func someAvg10(b []byte) (float64, bool) {
	for line := range bytes.Lines(b) {
		f := bytes.Fields(line)
		if len(f) < 2 || string(f[0]) != "some" {
			continue
		}
		for _, kv := range f[1:] {
			if v, ok := bytes.CutPrefix(kv, []byte("avg10=")); ok {
				x, err := strconv.ParseFloat(string(v), 64)
				if err != nil || !(x >= 0) {
					return 0, false
				}
				return x, true
			}
		}
	}
	return 0, false
}
