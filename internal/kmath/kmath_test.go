package kmath

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestSameAsMath: the functions give math's bits on arguments across their
// ranges. Package math may be fused into FMA where the platform has it
// (arm64, GOAMD64=v3), so the test compares only where it is not.
func TestSameAsMath(t *testing.T) {
	if !mathUnfused() {
		t.Skip("package math is compiled with FMA here; the kernels' bits are checked by the differential tests")
	}
	r := rand.New(rand.NewPCG(1, 2))
	check := func(name string, got, want, x float64) {
		if math.Float64bits(got) != math.Float64bits(want) {
			t.Fatalf("%s(%v) = %v, math gives %v", name, x, got, want)
		}
	}
	for i := 0; i < 200000; i++ {
		var x float64
		switch i % 4 {
		case 0:
			x = (r.Float64()*2 - 1) * 4
		case 1:
			x = (r.Float64()*2 - 1) * 1000
		case 2:
			x = (r.Float64()*2 - 1) * 1e-5
		default:
			x = (r.Float64()*2 - 1) * MaxTrig
		}
		check("Sin", Sin(x), math.Sin(x), x)
		check("Cos", Cos(x), math.Cos(x), x)
		a := r.Float64()*2 - 1
		if i%3 == 0 {
			a = 1 - r.Float64()*1e-9
		}
		check("Asin", Asin(a), math.Asin(a), a)
		check("Acos", Acos(a), math.Acos(a), a)
	}
	for _, x := range []float64{0, math.Copysign(0, -1), 1, -1, 0.7, 0.66, math.Pi, math.Pi / 2} {
		check("Sin", Sin(x), math.Sin(x), x)
		check("Cos", Cos(x), math.Cos(x), x)
		if x >= -1 && x <= 1 {
			check("Asin", Asin(x), math.Asin(x), x)
			check("Acos", Acos(x), math.Acos(x), x)
		}
	}
	if !math.IsNaN(Asin(1.5)) || !math.IsNaN(Sin(math.NaN())) {
		t.Error("NaN expected")
	}
}
