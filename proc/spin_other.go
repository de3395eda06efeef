//go:build !unix

package proc

import (
	"io"
	"os"
	"time"
)

// spinReader is the worker's output; it never polls here.
type spinReader struct{ r io.Reader }

func newSpinReader(f *os.File) *spinReader { return &spinReader{f} }

func (r *spinReader) arm(time.Duration) {}

func (r *spinReader) Read(p []byte) (int, error) { return r.r.Read(p) }
