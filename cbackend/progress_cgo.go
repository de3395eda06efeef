//go:build cgo

package cbackend

// The exported callback of tsp_solve_progress (cgo.go takes its address).
// This file's preamble holds declarations only, as //export requires.

/*
#include <stdint.h>
*/
import "C"

import (
	"unsafe"

	"github.com/ffi4go/tsp/internal/cgoprogress"
)

//export tspCProgress
func tspCProgress(handle C.uint64_t, event C.int32_t, values *C.double, nodes C.uint64_t, order *C.int32_t, n C.int32_t) C.int32_t {
	return C.int32_t(cgoprogress.Call(uintptr(handle), int32(event), unsafe.Pointer(values), uint64(nodes), unsafe.Pointer(order), int32(n)))
}
