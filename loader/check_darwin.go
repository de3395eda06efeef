//go:build darwin

package loader

// checkFile checks nothing on macOS: its libraries are Mach-O, often
// universal (several architectures in one file), and dlopen's own checks
// are left to say what is wrong. See check_elf.go for the ELF platforms.
func checkFile(path string, size int64) error { return nil }
