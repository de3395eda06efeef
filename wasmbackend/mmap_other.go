//go:build !(linux || darwin)

package wasmbackend

import "github.com/tetratelabs/wazero/experimental"

// Elsewhere an instance's linear memory is a Go slice (see mmap_unix.go).
var memoryAllocator experimental.MemoryAllocator = experimental.MemoryAllocatorFunc(func(_, max uint64) experimental.LinearMemory {
	return &sliceMemory{max: max}
})
