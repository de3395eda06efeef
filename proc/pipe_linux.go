package proc

import (
	"os"
	"syscall"
)

// pipeSize is the capacity asked for the pipes of a worker: 1 MiB instead
// of Linux's 64 KiB moves a large matrix with fewer context switches.
const pipeSize = 1 << 20

// growPipe asks for a larger pipe buffer; failure (a lower
// /proc/sys/fs/pipe-max-size) keeps the default.
func growPipe(f *os.File) {
	if rc, err := f.SyscallConn(); err == nil {
		rc.Control(func(fd uintptr) {
			syscall.Syscall(syscall.SYS_FCNTL, fd, 1031 /* F_SETPIPE_SZ */, pipeSize)
		})
	}
}
