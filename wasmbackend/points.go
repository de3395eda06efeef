package wasmbackend

import (
	"encoding/binary"
	"math"

	"github.com/ffi4go/tsp"
	"github.com/ffi4go/tsp/internal/abi"
	"github.com/ffi4go/tsp/kernel"
	"github.com/tetratelabs/wazero/api"
)

// Points returns the kernel's coordinate solver (tsp_solve_points, ABI 6,
// issue 21; with Options.Progress tsp_solve_points_progress, ABI 7, whose
// calls come back through the import "progress" as Solve's): one call in
// one instance per solve, like Solve.
func (k *Kernel) Points() tsp.PointsSolver {
	return kernel.NewPointsSolverProgress(k.name, k.solvePoints, k.solvePointsProgress)
}

// solvePoints is the kernel.PointsFunc: solvePointsProgress without a
// progress function.
func (k *Kernel) solvePoints(x, y []float64, n, kind int32, radius float64, start, algorithm int32, seed uint64,
	budget int64, cancel *int32, order []int32, length *float64, nodes *uint64) int32 {
	return k.solvePointsProgress(x, y, n, kind, radius, start, algorithm, seed, budget, cancel, nil, order, length, nodes)
}

// solvePointsProgress is the kernel.PointsFuncProgress: the points copied
// into the instance's linear memory, one call of tsp_solve_points (or, with
// a progress function, tsp_solve_points_progress: hostProgress finds the
// function on the instance), the outputs copied back.
func (k *Kernel) solvePointsProgress(x, y []float64, n, kind int32, radius float64, start, algorithm int32, seed uint64,
	budget int64, cancel *int32, progress abi.ProgressFunc, order []int32, length *float64, nodes *uint64) int32 {
	if n < 1 || len(x) < int(n) || len(y) < int(n) || len(order) < int(n) {
		return abi.CodeInvalid
	}
	in, err := k.pool.get()
	if err != nil {
		return abi.CodeNoMemory
	}
	defer k.pool.put(in)
	f := in.points
	if progress != nil {
		f = in.pointsProgress
	}
	un := uint64(n)
	// Layout: x, y (8n each), radius (8), order (4n, padded to 8), length,
	// nodes (8 each), the cancel word (4; never written: see tsp.h).
	offY, offR := 8*un, 16*un
	offOrder := offR + 8
	offLen := offOrder + (4*un+7)&^7
	offNodes, offCancel := offLen+8, offLen+16
	base, err := in.scratch(offCancel + 4)
	if err != nil {
		return in.failed()
	}
	if base == 0 {
		return abi.CodeNoMemory
	}
	b := uint64(base)
	view, ok := in.mem.Read(base, uint32(offOrder))
	if !ok {
		return abi.CodeInternal
	}
	copyFloats(view, x[:n])
	copyFloats(view[offY:], y[:n])
	binary.LittleEndian.PutUint64(view[offR:], math.Float64bits(radius))
	var cancelPtr uint64
	if cancel != nil {
		cancelPtr = b + offCancel
		in.mem.WriteUint32Le(uint32(cancelPtr), 0)
	}
	in.cancel = cancel
	st := [15]uint64{b, b + offY, api.EncodeI32(n), api.EncodeI32(kind), b + offR, api.EncodeI32(start),
		api.EncodeI32(algorithm), seed, uint64(budget), cancelPtr, b + offOrder, b + offLen, b + offNodes}
	args := st[:13]
	if progress != nil {
		in.progress = progress
		defer func() { in.progress = nil }()
		// progress and handle after cancel: any non-NULL value turns the
		// import's calls on (tsp.h); the handle is unused
		copy(st[12:], st[10:13])
		st[10], st[11] = 1, 1
		args = st[:15]
	}
	if err := f.CallWithStack(in.ctx, args); err != nil {
		in.broken = true
		return in.failed()
	}
	code := int32(uint32(st[0]))
	if code != abi.CodeOK && code != abi.CodeStopped {
		return code
	}
	ov, ok := in.mem.Read(uint32(b+offOrder), uint32(4*un))
	if !ok {
		return abi.CodeInternal
	}
	for i := range order[:n] {
		order[i] = int32(binary.LittleEndian.Uint32(ov[4*i:]))
	}
	*length, _ = in.mem.ReadFloat64Le(uint32(b + offLen))
	*nodes, _ = in.mem.ReadUint64Le(uint32(b + offNodes))
	return code
}
