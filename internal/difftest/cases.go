package difftest

import (
	"fmt"
	"math/rand/v2"
	"sync"

	"github.com/ffi4go/tsp"
)

// Case is one differential instance.
type Case struct {
	Name string
	M    *tsp.Matrix // nil only in a WantErr case
	Opt  tsp.Options
	// Cancelled solves with a context that is already done: every kernel
	// stops at its first poll, whose place (after 1024 search nodes, 256
	// local search steps, the first ascent step) is deterministic, so the
	// stopped tours, bounds and node counts must match too.
	Cancelled bool
	// WantErr: the Solver refuses the options or the matrix before its
	// kernel runs; every Solver must give the Go backend's error and no tour.
	WantErr bool
}

// Cases returns the fixed set of differential instances, built once per
// process: callers must not modify it. More than 1,500 of them: every
// algorithm on 1 to 12 cities, Exact up to 60 and TwoOpt up to 1000 cities,
// on haversine matrices, small-integer matrices full of ties (zero
// distances included), real-valued matrices and matrices with duplicate
// cities; the demo sets from many starts; solves with a context that is
// already cancelled; integer matrices scaled from 1e-322 to 1e300
// (ScaledMatrices); options every Solver must refuse; and routes (issue
// 16): asymmetric matrices and routes with an end, every algorithm
// (routeCases).
func Cases() []Case { return cases() }

var cases = sync.OnceValue(func() []Case {
	cs := sharedCases()
	cs = append(cs, mixedCases()...)
	cs = append(cs, demoCases()...)
	cs = append(cs, repeatedCases()...)
	cs = append(cs, scaledCases()...)
	cs = append(cs, preCancelledCases()...)
	cs = append(cs, errorCases()...)
	cs = append(cs, routeCases()...)
	return cs
})

// sharedCases: every algorithm on 1 to 12 cities, Exact up to 60 and TwoOpt
// up to 1000 cities, Iterated with its own seed and budget up to 400, on
// haversine matrices, small-integer matrices full of ties, and matrices
// with duplicate cities (zero distances).
func sharedCases() []Case {
	r := rand.New(rand.NewPCG(2026, 11))
	var cs []Case
	add := func(kind string, m *tsp.Matrix, alg tsp.Algorithm) {
		cs = append(cs, Case{
			Name: fmt.Sprintf("%s/%s/n%d/%d", alg, kind, m.N(), len(cs)),
			M:    m,
			Opt:  tsp.Options{Algorithm: alg, Start: r.IntN(m.N())},
		})
	}
	for n := 1; n <= 12; n++ {
		reps := 8
		if n > 10 {
			reps = 1
		}
		for i := 0; i < reps; i++ {
			for _, alg := range tsp.Algorithms() {
				add("geo", Haversine(n, r.Uint64()), alg)
				add("int", Integer(r, n, 1+r.IntN(20)), alg)
				if i%2 == 0 {
					add("dup", Duplicates(r, n), alg)
				}
			}
		}
	}
	for i := 0; i < 60; i++ {
		n := 13 + r.IntN(48)
		add("geo", Haversine(n, r.Uint64()), tsp.Exact)
		add("int", Integer(r, n, 100+r.IntN(1000)), tsp.Exact)
		add("geo", Haversine(n, r.Uint64()), tsp.TwoOpt)
	}
	for i := 0; i < 20; i++ {
		add("geo", Haversine(50+r.IntN(400), r.Uint64()), tsp.TwoOpt)
		add("int", Integer(r, 50+r.IntN(200), 1000), tsp.TwoOpt)
	}
	add("geo", Haversine(1000, 7), tsp.TwoOpt)
	add("geo", Haversine(1000, 8), tsp.Nearest)
	// Iterated with a seed and a budget of its own: the same kicks everywhere.
	addIterated := func(kind string, m *tsp.Matrix) {
		opt := tsp.Options{Algorithm: tsp.Iterated, Start: r.IntN(m.N()), Seed: r.Uint64(), Budget: 1 + r.Int64N(3000)}
		cs = append(cs, Case{Name: fmt.Sprintf("%s/%s/n%d/seed%d/budget%d/%d", opt.Algorithm, kind, m.N(), opt.Seed, opt.Budget, len(cs)), M: m, Opt: opt})
	}
	for i := 0; i < 30; i++ {
		addIterated("geo", Haversine(5+r.IntN(400), r.Uint64()))
		addIterated("int", Integer(r, 5+r.IntN(200), 1+r.IntN(100)))
		addIterated("dup", Duplicates(r, 8+r.IntN(60)))
	}
	return cs
}

// named is a matrix and a name that says how to make it again.
type named struct {
	name string
	m    *tsp.Matrix
}

func cities(n int, seed uint64) named {
	return named{fmt.Sprintf("cities(n=%d,seed=%d)", n, seed), Haversine(n, seed)}
}

func ints(n int, seed uint64, maxv int) named {
	return named{fmt.Sprintf("int(n=%d,seed=%d,max=%d)", n, seed, maxv), IntMatrix(n, seed, maxv)}
}

func floats(n int, seed uint64, scale float64) named {
	return named{fmt.Sprintf("float(n=%d,seed=%d,scale=%g)", n, seed, scale), FloatMatrix(n, seed, scale)}
}

func newCase(in named, opt tsp.Options) Case {
	return Case{Name: fmt.Sprintf("%s/%s/start%d", opt.Algorithm, in.name, opt.Start), M: in.m, Opt: opt}
}

// mixedCases: every algorithm on 1 to 12 cities, and Exact and TwoOpt on 20
// to 60, on haversine matrices, integer matrices with values in [0, 2),
// [0, 10), [0, 1000) and wider (ties and zero distances everywhere), and
// real-valued matrices; TwoOpt and Nearest on 200 to 1000 cities.
func mixedCases() []Case {
	rng := rand.New(rand.NewPCG(20240605, 5))
	var cs []Case
	check := func(in named, alg tsp.Algorithm) {
		cs = append(cs, newCase(in, tsp.Options{Algorithm: alg, Start: rng.IntN(in.m.N())}))
	}
	// mixed picks one of the instance kinds by r.
	mixed := func(n int, seed uint64, r int) named {
		switch r % 6 {
		case 0, 1:
			return cities(n, seed)
		case 2:
			return ints(n, seed, 2) // 0 and 1 only: ties everywhere
		case 3:
			return ints(n, seed, 10)
		case 4:
			return ints(n, seed, 1000)
		}
		return floats(n, seed, 100)
	}
	for n := 1; n <= 12; n++ {
		for _, alg := range tsp.Algorithms() {
			reps := 10
			if alg == tsp.Exhaustive {
				switch n {
				case 10:
					reps = 3
				case 11:
					reps = 2
				case 12:
					reps = 1
				}
			}
			for r := 0; r < reps; r++ {
				check(mixed(n, uint64(1000*n+100*int(alg)+r), r), alg)
			}
		}
	}
	// The integer matrices of the larger ones use a wide range: with few
	// distinct values Exact can take long.
	for n := 20; n <= 60; n += 5 {
		for _, alg := range []tsp.Algorithm{tsp.Exact, tsp.TwoOpt} {
			for r := 0; r < 5; r++ {
				seed := uint64(7000*n + 100*int(alg) + r)
				var in named
				switch r {
				case 0, 1:
					in = cities(n, seed)
				case 2:
					in = ints(n, seed, 1000)
				case 3:
					in = floats(n, seed, 1000)
				default:
					if n <= 30 {
						in = ints(n, seed, 10)
					} else {
						in = ints(n, seed, 100000)
					}
				}
				check(in, alg)
			}
		}
	}
	for _, n := range []int{200, 333, 500, 750, 1000} {
		check(cities(n, uint64(n)), tsp.TwoOpt)
		check(ints(n, uint64(n), 1000000), tsp.TwoOpt)
		check(cities(n, uint64(n)+1), tsp.Nearest)
	}
	return cs
}

// demoCases: the built-in cities with every algorithm from every start
// (Exhaustive from every fifth) for demo11, and every seventh for demo30.
func demoCases() []Case {
	demo11 := named{"demo11", mustMatrix(tsp.HaversineMatrix(tsp.Demo11()))}
	demo30 := named{"demo30", mustMatrix(tsp.HaversineMatrix(tsp.Demo30()))}
	var cs []Case
	for start := 0; start < 11; start++ {
		for _, alg := range tsp.Algorithms() {
			if alg == tsp.Exhaustive && start%5 != 0 {
				continue
			}
			cs = append(cs, newCase(demo11, tsp.Options{Algorithm: alg, Start: start}))
		}
	}
	for start := 0; start < 30; start += 7 {
		for _, alg := range []tsp.Algorithm{tsp.Exact, tsp.Nearest, tsp.TwoOpt} {
			cs = append(cs, newCase(demo30, tsp.Options{Algorithm: alg, Start: start}))
		}
	}
	return cs
}

// repeatedCases: stops repeated on a few places (RepeatedStops), which the
// wrapper merges (issue 13): every algorithm, from several starts.
func repeatedCases() []Case {
	var cs []Case
	for _, c := range []struct{ n, k int }{{5, 2}, {12, 4}, {20, 8}, {30, 9}, {60, 12}} {
		cities, _ := RepeatedStops(c.n, c.k, uint64(c.n))
		in := named{fmt.Sprintf("repeated(n=%d,places=%d)", c.n, c.k), mustMatrix(tsp.HaversineMatrix(cities))}
		for _, start := range []int{0, 1, c.n - 1} {
			for _, alg := range tsp.Algorithms() {
				if alg == tsp.Exhaustive && c.k > 8 {
					continue
				}
				cs = append(cs, newCase(in, tsp.Options{Algorithm: alg, Start: start}))
			}
		}
	}
	return cs
}

// preCancelledCases: every algorithm up to its limit, on haversine and
// integer matrices, with a context that is already done.
func preCancelledCases() []Case {
	rng := rand.New(rand.NewPCG(99, 1))
	var cs []Case
	for _, n := range []int{1, 2, 3, 4, 5, 8, 9, 10, 12, 13, 20, 60, 150, 250, 1000} {
		for _, alg := range tsp.Algorithms() {
			if n > alg.MaxCities() {
				continue
			}
			for r := 0; r < 2; r++ {
				in := cities(n, uint64(n))
				if r == 1 {
					in = ints(n, uint64(n), 1000)
				}
				c := newCase(in, tsp.Options{Algorithm: alg, Start: rng.IntN(n)})
				c.Name = "cancelled/" + c.Name
				c.Cancelled = true
				cs = append(cs, c)
			}
		}
	}
	return cs
}

// errorCases: options and matrices every Solver refuses before its kernel
// runs.
func errorCases() []Case {
	m5, m14, m251 := Haversine(5, 5), Haversine(14, 14), Haversine(251, 251)
	var cs []Case
	for _, c := range []struct {
		name string
		m    *tsp.Matrix
		opt  tsp.Options
	}{
		{"nil matrix", nil, tsp.Options{}},
		{"start -1", m5, tsp.Options{Start: -1}},
		{"start n", m5, tsp.Options{Start: 5, Algorithm: tsp.TwoOpt}},
		{"algorithm 9", m5, tsp.Options{Algorithm: 9}},
		{"algorithm -1", m5, tsp.Options{Algorithm: -1}},
		{"exhaustive 14", m14, tsp.Options{Algorithm: tsp.Exhaustive}},
		{"exact 251", m251, tsp.Options{Algorithm: tsp.Exact}},
	} {
		cs = append(cs, Case{Name: "error/" + c.name, M: c.m, Opt: c.opt, WantErr: true})
	}
	return cs
}

func mustMatrix(m *tsp.Matrix, err error) *tsp.Matrix {
	if err != nil {
		panic(err)
	}
	return m
}

// Haversine is the matrix of n random cities (tsp.RandomCities).
func Haversine(n int, seed uint64) *tsp.Matrix {
	return mustMatrix(tsp.HaversineMatrix(tsp.RandomCities(n, seed)))
}

// Integer is a random symmetric matrix of integers 1..max.
func Integer(r *rand.Rand, n, max int) *tsp.Matrix {
	d := make([]float64, n*n)
	for i := 0; i < n; i++ {
		for j := i + 1; j < n; j++ {
			v := float64(1 + r.IntN(max))
			d[i*n+j], d[j*n+i] = v, v
		}
	}
	return mustMatrix(tsp.NewMatrix(n, d))
}

// IntMatrix is a symmetric matrix of random integers in [0, maxv), not
// metric; a small maxv makes many ties (and zero distances).
func IntMatrix(n int, seed uint64, maxv int) *tsp.Matrix {
	r := rand.New(rand.NewPCG(seed, uint64(n)<<32|uint64(maxv)))
	d := make([]float64, n*n)
	for i := 0; i < n; i++ {
		for j := i + 1; j < n; j++ {
			v := float64(r.IntN(maxv))
			d[i*n+j], d[j*n+i] = v, v
		}
	}
	return mustMatrix(tsp.NewMatrix(n, d))
}

// FloatMatrix is a symmetric matrix of random reals in [0, scale), not
// metric and not integral.
func FloatMatrix(n int, seed uint64, scale float64) *tsp.Matrix {
	r := rand.New(rand.NewPCG(seed, uint64(n)<<32|0xf10a7))
	d := make([]float64, n*n)
	for i := 0; i < n; i++ {
		for j := i + 1; j < n; j++ {
			v := r.Float64() * scale
			d[i*n+j], d[j*n+i] = v, v
		}
	}
	return mustMatrix(tsp.NewMatrix(n, d))
}

// Duplicates is the haversine matrix of cities drawn from a few places, so
// that many distances are 0 or equal.
func Duplicates(r *rand.Rand, n int) *tsp.Matrix {
	places := tsp.RandomCities(1+n/3, r.Uint64())
	cs := make([]tsp.City, n)
	for i := range cs {
		cs[i] = places[r.IntN(len(places))]
	}
	return mustMatrix(tsp.HaversineMatrix(cs))
}
