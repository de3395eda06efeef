package wasmbackend

import (
	"encoding/binary"
	"math"

	"github.com/tetratelabs/wazero/api"

	"github.com/ffi4go/tsp/internal/abi"
)

// The calls that measure the boundary (package backends' Calls). Each takes
// an instance from the pool and gives it back, as a solve does; inputs are
// copied into linear memory and outputs out of it. A trap returns
// TSP_INTERNAL (a NaN from Haversine).

// ABIVersion calls tsp_abi_version.
func (k *Kernel) ABIVersion() int32 {
	in, err := k.pool.get()
	if err != nil {
		return -1
	}
	defer k.pool.put(in)
	v, err := in.call0(in.abiVersion)
	if err != nil {
		return -1
	}
	return v
}

// Noop calls tsp_noop: an empty call into WebAssembly.
func (k *Kernel) Noop(x int32) int32 {
	in, err := k.pool.get()
	if err != nil {
		return 0
	}
	in.stack[0] = api.EncodeI32(x)
	v, _ := in.call0(in.noop)
	k.pool.put(in)
	return v
}

// Haversine calls tsp_haversine: one distance per call.
func (k *Kernel) Haversine(p *[5]float64) float64 {
	in, err := k.pool.get()
	if err != nil {
		return math.NaN()
	}
	defer k.pool.put(in)
	base, err := in.scratch(6 * 8)
	if err != nil || base == 0 {
		return math.NaN()
	}
	view, _ := in.mem.Read(base, 6*8)
	for i, v := range p {
		binary.LittleEndian.PutUint64(view[8*i:], math.Float64bits(v))
	}
	in.stack[0], in.stack[1] = uint64(base), uint64(base+5*8)
	if code, err := in.call0(in.haversine); err != nil || code != abi.CodeOK {
		return math.NaN()
	}
	v, _ := in.mem.ReadFloat64Le(base + 5*8) // the memory may have moved
	return v
}

// Matrix calls tsp_matrix: a whole matrix in one call.
func (k *Kernel) Matrix(lat, lon []float64, radius float64, out []float64) int32 {
	n := len(lat)
	if n == 0 || len(lon) != n || len(out) != n*n {
		return abi.CodeInvalid
	}
	if n > abi.MaxHeuristic {
		return abi.CodeTooLarge
	}
	in, err := k.pool.get()
	if err != nil {
		return abi.CodeNoMemory
	}
	defer k.pool.put(in)
	un := uint32(n)
	// Layout: lat, lon (8n each), radius (8), out (8n²).
	offLon, offR, offOut := 8*un, 16*un, 16*un+8
	base, err := in.scratch(uint64(offOut) + 8*uint64(un)*uint64(un))
	if err != nil {
		return in.failed()
	}
	if base == 0 {
		return abi.CodeNoMemory
	}
	view, _ := in.mem.Read(base, offOut)
	for i := range lat {
		binary.LittleEndian.PutUint64(view[8*i:], math.Float64bits(lat[i]))
		binary.LittleEndian.PutUint64(view[offLon+8*uint32(i):], math.Float64bits(lon[i]))
	}
	binary.LittleEndian.PutUint64(view[offR:], math.Float64bits(radius))
	in.stack[0], in.stack[1], in.stack[2] = uint64(base), uint64(base+offLon), api.EncodeI32(int32(n))
	in.stack[3], in.stack[4] = uint64(base+offR), uint64(base+offOut)
	code, err := in.call0(in.matrix)
	if err != nil {
		return in.failed()
	}
	if code == abi.CodeOK {
		ov, _ := in.mem.Read(base+offOut, 8*un*un)
		for i := range out {
			out[i] = math.Float64frombits(binary.LittleEndian.Uint64(ov[8*i:]))
		}
	}
	return code
}
