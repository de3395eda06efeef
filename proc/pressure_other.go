//go:build !linux

package proc

// cpusCalm is false where Linux's pressure stall information is missing:
// Config.Spin's default never polls there.
func cpusCalm() bool { return false }
