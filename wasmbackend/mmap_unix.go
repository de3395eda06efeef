//go:build linux || darwin

package wasmbackend

import (
	"syscall"

	"github.com/tetratelabs/wazero/experimental"
)

// An instance's linear memory lives outside the Go heap, in address space
// reserved for its whole limit (MemoryLimit) when the instance is made and
// made accessible as it grows: growing copies nothing and zeroes nothing
// (the kernel hands out zeroed pages), and closing the instance gives the
// memory back to the operating system at once (munmap), without waiting
// for a garbage collection. The way ncruces/go-sqlite3 does it. Wazero's
// default, a Go slice, copies the whole memory on every growth past its
// capacity: a matrix of 5,000 cities (200 MB) took seconds to grow into
// under the race detector, during which no cancel flag is polled.
var memoryAllocator experimental.MemoryAllocator = experimental.MemoryAllocatorFunc(allocateMapped)

type mappedMemory struct {
	buf       []byte // the reservation: max bytes, PROT_NONE past committed
	committed uint64
}

func allocateMapped(_, max uint64) experimental.LinearMemory {
	if max == 0 || max > MemoryLimit {
		max = MemoryLimit
	}
	buf, err := syscall.Mmap(-1, 0, int(max), syscall.PROT_NONE, syscall.MAP_PRIVATE|syscall.MAP_ANON|syscall.MAP_NORESERVE)
	if err != nil {
		return &sliceMemory{max: max}
	}
	return &mappedMemory{buf: buf}
}

func (m *mappedMemory) Reallocate(size uint64) []byte {
	if size > uint64(len(m.buf)) {
		return nil
	}
	if size > m.committed {
		// Whole 64 KiB WebAssembly pages, a multiple of any OS page size.
		end := (size + 65535) &^ 65535
		if end > uint64(len(m.buf)) {
			end = uint64(len(m.buf))
		}
		if err := syscall.Mprotect(m.buf[m.committed:end], syscall.PROT_READ|syscall.PROT_WRITE); err != nil {
			return nil
		}
		m.committed = end
	}
	return m.buf[:size:size]
}

func (m *mappedMemory) Free() {
	if m.buf != nil {
		syscall.Munmap(m.buf)
		m.buf, m.committed = nil, 0
	}
}
