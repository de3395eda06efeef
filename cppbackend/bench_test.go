package cppbackend_test

import (
	"context"
	"testing"

	"github.com/ffi4go/tsp"
	"github.com/ffi4go/tsp/cppbackend"
)

// BenchmarkKernel/<case>/<backend>: the pure-Go kernel, cgo-cpp's Solver
// (buffers allocated by each solve) and a cgo-cpp Handle (buffers reused).
func BenchmarkKernel(b *testing.B) {
	demo11, err := tsp.HaversineMatrix(tsp.Demo11())
	if err != nil {
		b.Fatal(err)
	}
	random25, err := tsp.HaversineMatrix(tsp.RandomCities(25, 1))
	if err != nil {
		b.Fatal(err)
	}
	random1000, err := tsp.HaversineMatrix(tsp.RandomCities(1000, 1))
	if err != nil {
		b.Fatal(err)
	}
	backends := []struct {
		name string
		s    tsp.Solver
	}{{"go", tsp.Go()}}
	if s, err := cppbackend.New(); err == nil {
		backends = append(backends, struct {
			name string
			s    tsp.Solver
		}{"cgo-cpp", s})
	}
	if h, err := cppbackend.NewHandle(); err == nil {
		defer h.Close()
		backends = append(backends, struct {
			name string
			s    tsp.Solver
		}{"cgo-cpp-handle", h})
	}
	for _, c := range []struct {
		name string
		m    *tsp.Matrix
		alg  tsp.Algorithm
	}{
		{"demo11-exhaustive", demo11, tsp.Exhaustive},
		{"random25-exact", random25, tsp.Exact},
		{"random1000-2opt", random1000, tsp.TwoOpt},
	} {
		b.Run(c.name, func(b *testing.B) {
			for _, be := range backends {
				b.Run(be.name, func(b *testing.B) {
					ctx := context.Background()
					for b.Loop() {
						if _, err := be.s.Solve(ctx, c.m, tsp.Options{Algorithm: c.alg}); err != nil {
							b.Fatal(err)
						}
					}
				})
			}
		})
	}
}
