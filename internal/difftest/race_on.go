//go:build race

package difftest

// raceEnabled: built with -race, which slows Go code (the Go kernel) several
// times and C not at all.
const raceEnabled = true
