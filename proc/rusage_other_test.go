//go:build !unix

package proc

import "time"

// childrenCPU is unknown here.
func childrenCPU() time.Duration { return 0 }
