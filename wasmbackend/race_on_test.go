//go:build race

package wasmbackend

// raceEnabled: TestPointsProgress runs a smaller set under the race
// detector (the host side it checks is the matrix path's, and the Go
// reference kernel it compares with runs ten times slower).
const raceEnabled = true
