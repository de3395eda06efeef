package proc

import (
	"testing"
	"time"
)

// A solve's grace period grows with its matrix, a second for each 64 MiB
// over 16 MiB, since the worker reads and checks the whole matrix before
// its search can see a cancel; a small one gets Config.Grace as it is.
func TestGraceFor(t *testing.T) {
	for _, c := range []struct {
		cities int
		grace  time.Duration
		want   time.Duration
	}{
		{11, 0, DefaultGrace},
		{1448, 0, DefaultGrace},                   // 16.0 MiB: not over
		{1449, 0, DefaultGrace},                   // just over, under 64 MiB
		{5000, 0, DefaultGrace + 2*time.Second},   // 190.7 MiB
		{10000, 0, DefaultGrace + 11*time.Second}, // 762.9 MiB
		{10000, 500 * time.Millisecond, 500*time.Millisecond + 11*time.Second},
	} {
		q := &request{matrix: make([]float64, c.cities*c.cities)}
		if got := (Config{Grace: c.grace}).graceFor(q); got != c.want {
			t.Errorf("%d cities, Grace %v: %v, want %v", c.cities, c.grace, got, c.want)
		}
	}
}
