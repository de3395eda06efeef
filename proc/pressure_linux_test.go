package proc

import (
	"testing"
	"time"
)

func TestSomeAvg10(t *testing.T) {
	for _, c := range []struct {
		in   string
		want float64
		ok   bool
	}{
		{"some avg10=1.54 avg60=11.24 avg300=9.00 total=225121392\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=0\n", 1.54, true},
		{"full avg10=3.00 avg60=0.00 avg300=0.00 total=0\nsome avg10=97.10 avg60=1 avg300=1 total=5\n", 97.1, true},
		{"some avg60=11.24\n", 0, false},
		{"some avg10=x\n", 0, false},
		{"some avg10=-1\n", 0, false},
		{"", 0, false},
	} {
		in := []byte(c.in)
		if v, ok := someAvg10(in); v != c.want || ok != c.ok {
			t.Errorf("someAvg10(%q) = %v, %v; want %v, %v", c.in, v, ok, c.want, c.ok)
		}
	}
}

// TestSpinDefault: Config.Spin's default polls DefaultSpin while the CPUs
// are calm and not at all under pressure; a set Spin is taken as it is.
func TestSpinDefault(t *testing.T) {
	defer pressureCalm.Store(pressureCalm.Load())
	pressureAt.Store(time.Now().Add(time.Hour).UnixNano()) // no reading during the test
	defer pressureAt.Store(0)
	for _, c := range []struct {
		spin time.Duration
		calm bool
		want time.Duration
	}{
		{0, true, DefaultSpin}, {0, false, 0}, {-1, true, 0}, {-1, false, 0},
		{30 * time.Microsecond, true, 30 * time.Microsecond}, {30 * time.Microsecond, false, 30 * time.Microsecond},
	} {
		pressureCalm.Store(c.calm)
		if got := (Config{Spin: c.spin}).spin(); got != c.want {
			t.Errorf("Spin %v, calm %v: polls %v, want %v", c.spin, c.calm, got, c.want)
		}
	}
}
