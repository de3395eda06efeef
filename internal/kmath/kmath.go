// Package kmath holds the sine, cosine, arcsine and arccosine of the
// coordinate kernels (tsp_solve_points, issue 21): Go's own math.Sin,
// math.Cos, math.Asin and math.Acos (the Cephes polynomials of
// $GOROOT/src/math, which are pure Go on every platform but s390x), written
// out with an explicit float64(...) around every product that is added so
// that no compiler fuses it into an FMA. native/c/tsp.c and
// native/cpp/tsp.cpp carry the same functions operation by operation, so
// that a haversine or TSPLIB GEO distance has the same bits in Go, C and C++
// whatever the platform's libm. On amd64 without FMA they give the bits of
// package math (TestSameAsMath).
//
// Sin and Cos take |x| < 2^29 only (math's Payne–Hanek reduction above that
// is not carried over); Asin and Acos take [-1, 1]. Callers check first.
package kmath

import "math"

// The constants of math's sin.go, asin.go and atan.go; piOver4Inv is
// 4/Pi as Go folds the constant expression (0x1.45f306dc9c883p+00).
const (
	pi4A       = 7.85398125648498535156e-1  // 0x3fe921fb40000000, Pi/4 split into three parts
	pi4B       = 3.77489470793079817668e-8  // 0x3e64442d00000000
	pi4C       = 2.69515142907905952645e-15 // 0x3ce8469898cc5170
	piOver4Inv = 0x1.45f306dc9c883p+00      // 4/Pi
	piOver2    = 0x1.921fb54442d18p+00      // Pi/2
	piOver4    = 0x1.921fb54442d18p-01      // Pi/4
	moreBits   = 6.123233995736765886130e-17
	tan3pio8   = 2.41421356237309504880

	// MaxTrig is the bound on |x| for Sin and Cos (math's reduceThreshold).
	MaxTrig = 1 << 29
)

var sinC = [...]float64{
	1.58962301576546568060e-10,
	-2.50507477628578072866e-8,
	2.75573136213857245213e-6,
	-1.98412698295895385996e-4,
	8.33333333332211858878e-3,
	-1.66666666666666307295e-1,
}

var cosC = [...]float64{
	-1.13585365213876817300e-11,
	2.08757008419747316778e-9,
	-2.75573141792967388112e-7,
	2.48015872888517045348e-5,
	-1.38888888888730564116e-3,
	4.16666666666665929218e-2,
}

// reduce returns the octant j (0..7) and the reduced argument z of x ≥ 0.
func reduce(x float64) (uint64, float64) {
	j := uint64(float64(x * piOver4Inv))
	y := float64(j)
	if j&1 == 1 {
		j++
		y++
	}
	j &= 7
	z := ((x - float64(y*pi4A)) - float64(y*pi4B)) - float64(y*pi4C)
	return j, z
}

func polySin(z, zz float64) float64 {
	p := float64(float64(float64(float64(float64(float64(sinC[0]*zz)+sinC[1])*zz)+sinC[2])*zz)+sinC[3]) * zz
	p = float64(float64(p+sinC[4])*zz) + sinC[5]
	return z + float64(float64(z*zz)*p)
}

func polyCos(zz float64) float64 {
	p := float64(float64(float64(float64(float64(float64(cosC[0]*zz)+cosC[1])*zz)+cosC[2])*zz)+cosC[3]) * zz
	p = float64(float64(p+cosC[4])*zz) + cosC[5]
	return (1.0 - float64(0.5*zz)) + float64(float64(zz*zz)*p)
}

// Sin is math.Sin for |x| < MaxTrig.
func Sin(x float64) float64 {
	if x == 0 || x != x {
		return x
	}
	sign := false
	if x < 0 {
		x = -x
		sign = true
	}
	j, z := reduce(x)
	if j > 3 {
		sign = !sign
		j -= 4
	}
	zz := float64(z * z)
	var y float64
	if j == 1 || j == 2 {
		y = polyCos(zz)
	} else {
		y = polySin(z, zz)
	}
	if sign {
		y = -y
	}
	return y
}

// Cos is math.Cos for |x| < MaxTrig.
func Cos(x float64) float64 {
	if x != x {
		return x
	}
	sign := false
	if x < 0 {
		x = -x
	}
	j, z := reduce(x)
	if j > 3 {
		j -= 4
		sign = !sign
	}
	if j > 1 {
		sign = !sign
	}
	zz := float64(z * z)
	var y float64
	if j == 1 || j == 2 {
		y = polySin(z, zz)
	} else {
		y = polyCos(zz)
	}
	if sign {
		y = -y
	}
	return y
}

func xatan(x float64) float64 {
	const (
		P0 = -8.750608600031904122785e-01
		P1 = -1.615753718733365076637e+01
		P2 = -7.500855792314704667340e+01
		P3 = -1.228866684490136173410e+02
		P4 = -6.485021904942025371773e+01
		Q0 = +2.485846490142306297962e+01
		Q1 = +1.650270098316988542046e+02
		Q2 = +4.328810604912902668951e+02
		Q3 = +4.853903996359136964868e+02
		Q4 = +1.945506571482613964425e+02
	)
	z := float64(x * x)
	num := float64(float64(P0*z)+P1) * z
	num = float64(float64(num+P2)*z) + P3
	num = float64(num*z) + P4
	den := float64(z+Q0) * z
	den = float64(float64(den+Q1)*z) + Q2
	den = float64(float64(float64(den*z)+Q3)*z) + Q4
	z = float64(z*num) / den
	return float64(x*z) + x
}

func satan(x float64) float64 {
	if x <= 0.66 {
		return xatan(x)
	}
	if x > tan3pio8 {
		return (piOver2 - xatan(1/x)) + moreBits
	}
	return (piOver4 + xatan((x-1)/(x+1))) + float64(0.5*moreBits)
}

// Asin is math.Asin for x in [-1, 1] (NaN outside).
func Asin(x float64) float64 {
	if x == 0 {
		return x
	}
	sign := false
	if x < 0 {
		x = -x
		sign = true
	}
	if !(x <= 1) {
		return math.NaN()
	}
	temp := math.Sqrt(1 - float64(x*x))
	if x > 0.7 {
		temp = piOver2 - satan(temp/x)
	} else {
		temp = satan(x / temp)
	}
	if sign {
		temp = -temp
	}
	return temp
}

// Acos is math.Acos for x in [-1, 1].
func Acos(x float64) float64 { return piOver2 - Asin(x) }
