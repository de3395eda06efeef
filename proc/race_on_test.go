//go:build race

package proc

// raceEnabled: the race detector slows the Go worker (this test binary)
// several times, so the tests give workers a longer grace period.
const raceEnabled = true
