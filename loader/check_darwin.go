//go:build darwin

package loader

import (
	"debug/macho"
	"fmt"
)

// checkFile checks only that the file is not a Go shared library on macOS:
// its libraries are Mach-O, often universal (several architectures in one
// file), and dlopen's own checks are left to say what is wrong. See
// check_elf.go for the ELF platforms.
func checkFile(path string, size int64) error {
	var files []*macho.File
	if f, err := macho.Open(path); err == nil {
		defer f.Close()
		files = append(files, f)
	} else if ff, err := macho.OpenFat(path); err == nil {
		defer ff.Close()
		for _, a := range ff.Arches {
			files = append(files, a.File)
		}
	}
	for _, f := range files {
		if f.Section("__go_buildinfo") != nil {
			return fmt.Errorf("%w (it has a __go_buildinfo section: built with go build -buildmode=c-shared); use the \"go\" backend, the same kernel, instead", ErrGoLibrary)
		}
	}
	return nil
}
