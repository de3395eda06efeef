//go:build !unix

package proc

import "io"

func pollable(r io.Reader) io.Reader { return r }
