//go:build unix

package proc

import (
	"io"
	"os"
	"syscall"
)

// pollable returns r as a file Go's network poller waits on, when it is a
// pipe or socket: a worker's reads of its standard input then park a
// goroutine instead of blocking a thread that holds a P.
func pollable(r io.Reader) io.Reader {
	f, ok := r.(*os.File)
	if !ok {
		return r
	}
	st, err := f.Stat()
	if err != nil || st.Mode()&(os.ModeNamedPipe|os.ModeSocket) == 0 {
		return r
	}
	fd, err := syscall.Dup(int(f.Fd()))
	if err != nil {
		return r
	}
	if err := syscall.SetNonblock(fd, true); err != nil {
		syscall.Close(fd)
		return r
	}
	syscall.CloseOnExec(fd)
	return os.NewFile(uintptr(fd), f.Name())
}
