//go:build !race

package wasmbackend

const raceEnabled = false
