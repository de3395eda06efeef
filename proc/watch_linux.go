package proc

import (
	"bufio"
	"io"
	"os"
	"sync/atomic"
	"syscall"
	"unsafe"
)

// watch is how a worker on Linux reads its input when that is a pipe or a
// socket (its standard input, from a parent): with blocking reads, on the
// goroutine that then runs the solve, and no other goroutine woken for a
// request. During a solve an epoll instance, armed for that solve, tells a
// watching goroutine (blocked in epoll_wait, on its own thread) that bytes
// have come (a cancel, a ping, the end of the input); it then takes the
// reading over, as the reader started for each solve did before.
//
// Why (issue 17, tenth session): starting a reader goroutine for every
// solve made the Go runtime wake a second thread, which spun looking for
// work and slept again, on every request; reading through Go's poller added
// an epoll_pwait and a failed read. With the watch a request costs the
// worker one read, two epoll_ctl and one write, and one wake-up: as the C
// worker, whose reading thread blocks in read.
type watch struct {
	fd   int    // the input (a duplicate, blocking)
	ep   int    // the epoll instance: fd (tag 1) and stop[0] (tag 0)
	stop [2]int // a pipe: a byte on it ends the watching goroutine

	// state is gen<<1|1 while a solve of generation gen is armed, gen<<1
	// once it is disarmed or taken over: the one who turns the bit off
	// (the solve, at its end, or the watcher, at an event of gen) reads
	// on.
	state atomic.Uint64
	gen   uint64
	// watching: a watching goroutine runs (the solve starts one when
	// none does; the watcher that takes the reading over stops watching).
	watching atomic.Bool

	// The reading handed over: set before the state is armed.
	br   *bufio.Reader
	done chan<- error
	j    *job
}

const (
	tagStop  = 0
	tagInput = 1
)

// newWatch returns a watch on r, or nil (and Serve reads as elsewhere)
// when r is not a pipe or socket *os.File or the system refuses.
func newWatch(r io.Reader) *watch {
	f, ok := r.(*os.File)
	if !ok {
		return nil
	}
	st, err := f.Stat()
	if err != nil || st.Mode()&(os.ModeNamedPipe|os.ModeSocket) == 0 {
		return nil
	}
	rc, err := f.SyscallConn()
	if err != nil {
		return nil
	}
	fd := -1
	rc.Control(func(u uintptr) { fd, err = syscall.Dup(int(u)) })
	if err != nil || fd < 0 {
		return nil
	}
	syscall.CloseOnExec(fd)
	if syscall.SetNonblock(fd, false) != nil {
		syscall.Close(fd)
		return nil
	}
	w := &watch{fd: fd, ep: -1, stop: [2]int{-1, -1}}
	if w.ep, err = syscall.EpollCreate1(syscall.EPOLL_CLOEXEC); err != nil {
		w.close()
		return nil
	}
	if err = syscall.Pipe2(w.stop[:], syscall.O_CLOEXEC); err != nil {
		w.close()
		return nil
	}
	// The input starts disarmed: ONESHOT alone (epoll adds HUP and ERR to
	// every mask; ONESHOT makes even those fire at most once).
	if syscall.EpollCtl(w.ep, syscall.EPOLL_CTL_ADD, w.fd, &syscall.EpollEvent{Events: syscall.EPOLLONESHOT, Fd: tagInput}) != nil ||
		syscall.EpollCtl(w.ep, syscall.EPOLL_CTL_ADD, w.stop[0], &syscall.EpollEvent{Events: syscall.EPOLLIN, Fd: tagStop}) != nil {
		w.close()
		return nil
	}
	return w
}

// close closes the watch's descriptors.
func (w *watch) close() {
	for _, fd := range []int{w.fd, w.ep, w.stop[0], w.stop[1]} {
		if fd >= 0 {
			syscall.Close(fd)
		}
	}
}

// end stops the watching goroutine, which closes the descriptors; with
// none running, end closes them. Serve calls it when no reader is left.
func (w *watch) end() {
	syscall.Write(w.stop[1], []byte{1})
	if !w.watching.Load() {
		w.close()
	}
}

// Read reads the input with a blocking read: the thread waits in the
// kernel, and the goroutine goes on on it when bytes come.
func (w *watch) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	for {
		n, err := syscall.Read(w.fd, p)
		switch {
		case err == syscall.EINTR:
			continue
		case err == syscall.EAGAIN: // made non-blocking by someone else
			pfd := struct {
				fd             int32
				events, revent int16
			}{int32(w.fd), 1 /* POLLIN */, 0}
			syscall.Syscall6(syscall.SYS_PPOLL, uintptr(unsafe.Pointer(&pfd)), 1, 0, 0, 0, 0)
			continue
		case err != nil:
			return 0, &os.PathError{Op: "read", Path: "input", Err: err}
		case n == 0:
			return 0, io.EOF
		}
		return n, nil
	}
}

// arm hands the reading to a watcher should bytes come while the solve j
// runs: br and done are the reader's (see server.read). It returns the
// solve's generation, for disarm.
func (w *watch) arm(s *server, br *bufio.Reader, done chan<- error, j *job) uint64 {
	w.br, w.done, w.j = br, done, j
	w.gen++
	gen := w.gen
	w.state.Store(gen<<1 | 1)
	if w.watching.CompareAndSwap(false, true) {
		go w.watchLoop(s)
	}
	ev := syscall.EpollEvent{Events: syscall.EPOLLIN | syscall.EPOLLRDHUP | syscall.EPOLLONESHOT, Fd: tagInput, Pad: int32(gen)}
	if syscall.EpollCtl(w.ep, syscall.EPOLL_CTL_MOD, w.fd, &ev) != nil {
		// Unwatched: hand the reading over now, as without a watch.
		if w.state.CompareAndSwap(gen<<1|1, gen<<1) {
			go s.readDuring(br, done, j)
		}
	}
	return gen
}

// disarm ends the watch of the solve of generation gen; it reports whether
// the caller reads on (true), or a watcher took the reading over (false:
// the caller must not read again).
func (w *watch) disarm(gen uint64) bool {
	if !w.state.CompareAndSwap(gen<<1|1, gen<<1) {
		return false
	}
	// An event of gen that fires before this is ignored by the watcher.
	syscall.EpollCtl(w.ep, syscall.EPOLL_CTL_MOD, w.fd, &syscall.EpollEvent{Events: syscall.EPOLLONESHOT, Fd: tagInput})
	return true
}

// watchLoop waits for bytes on the input during a solve; at the first, it
// becomes the reader (and stops watching: the next solve starts another
// watcher). A byte on stop ends it.
func (w *watch) watchLoop(s *server) {
	var evs [2]syscall.EpollEvent
	for {
		n, err := syscall.EpollWait(w.ep, evs[:], -1)
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			w.watching.Store(false)
			return
		}
		for _, ev := range evs[:n] {
			if ev.Fd == tagStop {
				w.close()
				return
			}
			st := w.state.Load()
			if st&1 == 1 && uint32(st>>1) == uint32(ev.Pad) && w.state.CompareAndSwap(st, st&^1) {
				w.watching.Store(false)
				s.readDuring(w.br, w.done, w.j)
				return
			}
		}
	}
}
