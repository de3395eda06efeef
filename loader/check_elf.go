//go:build freebsd || linux || netbsd

package loader

import (
	"debug/elf"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"runtime"
	"unsafe"
)

// checkFile reads the ELF header and program headers of the file at path
// (size bytes, a regular file) and says in words what makes it a file that
// dlopen must not see: not ELF, another class, byte order or machine than
// this program, not a shared object (ET_DYN), or truncated. dlopen maps the
// PT_LOAD segments; one that ends past the end of the file is mapped beyond
// it, and touching that page kills the process with SIGBUS inside dlopen,
// before any error could be returned. The check reads only the headers.
//
// It cannot guard against the file changing between the check and dlopen:
// replace libraries by a rename, as Build does, never by writing in place.
func checkFile(path string, size int64) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()

	var ident [elf.EI_NIDENT]byte
	if n, err := f.ReadAt(ident[:], 0); n < len(ident) {
		if err != nil && err != io.EOF {
			return err
		}
		if n < 4 || string(ident[:4]) != elf.ELFMAG {
			return fmt.Errorf("not an ELF file (%d bytes)", size)
		}
		return fmt.Errorf("truncated: %d bytes, shorter than an ELF header", size)
	}
	if string(ident[:4]) != elf.ELFMAG {
		return fmt.Errorf("not an ELF file (it starts with %q)", ident[:4])
	}

	want64 := unsafe.Sizeof(uintptr(0)) == 8
	wantClass, wantBits := elf.ELFCLASS32, 32
	if want64 {
		wantClass, wantBits = elf.ELFCLASS64, 64
	}
	switch class := elf.Class(ident[elf.EI_CLASS]); class {
	case wantClass:
	case elf.ELFCLASS32, elf.ELFCLASS64:
		bits := 32
		if class == elf.ELFCLASS64 {
			bits = 64
		}
		return fmt.Errorf("a %d-bit ELF file, this program is %d-bit (%s)", bits, wantBits, runtime.GOARCH)
	default:
		return fmt.Errorf("an ELF file of unknown class %d", ident[elf.EI_CLASS])
	}

	var bo binary.ByteOrder
	wantData := elf.ELFDATA2LSB
	if binary.NativeEndian.Uint16([]byte{1, 0}) != 1 {
		wantData = elf.ELFDATA2MSB
	}
	switch data := elf.Data(ident[elf.EI_DATA]); data {
	case elf.ELFDATA2LSB:
		bo = binary.LittleEndian
	case elf.ELFDATA2MSB:
		bo = binary.BigEndian
	default:
		return fmt.Errorf("an ELF file of unknown byte order %d", ident[elf.EI_DATA])
	}
	if elf.Data(ident[elf.EI_DATA]) != wantData {
		return fmt.Errorf("a %s ELF file, this program is %s (%s)", endian(elf.Data(ident[elf.EI_DATA])), endian(wantData), runtime.GOARCH)
	}

	// The fields after e_ident: the same layout in both classes up to e_entry.
	var typ elf.Type
	var machine elf.Machine
	var phoff, shoff uint64
	var phentsize, phnum, shentsize, shnum, progSize uint16
	if want64 {
		var h elf.Header64
		if err := binary.Read(io.NewSectionReader(f, 0, size), bo, &h); err != nil {
			return fmt.Errorf("truncated: %d bytes, shorter than an ELF header", size)
		}
		typ, machine, phoff, shoff = elf.Type(h.Type), elf.Machine(h.Machine), h.Phoff, h.Shoff
		phentsize, phnum, shentsize, shnum = h.Phentsize, h.Phnum, h.Shentsize, h.Shnum
		progSize = uint16(unsafe.Sizeof(elf.Prog64{}))
	} else {
		var h elf.Header32
		if err := binary.Read(io.NewSectionReader(f, 0, size), bo, &h); err != nil {
			return fmt.Errorf("truncated: %d bytes, shorter than an ELF header", size)
		}
		typ, machine, phoff, shoff = elf.Type(h.Type), elf.Machine(h.Machine), uint64(h.Phoff), uint64(h.Shoff)
		phentsize, phnum, shentsize, shnum = h.Phentsize, h.Phnum, h.Shentsize, h.Shnum
		progSize = uint16(unsafe.Sizeof(elf.Prog32{}))
	}

	if want, ok := goarchMachine[runtime.GOARCH]; ok && machine != want {
		return fmt.Errorf("built for %s, this program is %s (%s)", machineName(machine), machineName(want), runtime.GOARCH)
	}
	switch typ {
	case elf.ET_DYN:
	case elf.ET_EXEC:
		return fmt.Errorf("an executable (ET_EXEC), not a shared library (ET_DYN)")
	case elf.ET_REL:
		return fmt.Errorf("an object file (ET_REL), not a shared library (ET_DYN): link it with -shared")
	default:
		return fmt.Errorf("an ELF file of type %v, not a shared library (ET_DYN)", typ)
	}

	usize := uint64(size)
	// within reports whether [off, off+n) lies inside the file.
	within := func(off, n uint64) bool { return off <= usize && n <= usize-off }
	if phnum == 0 {
		return fmt.Errorf("an ELF file without program headers: nothing to load")
	}
	if phentsize != progSize {
		return fmt.Errorf("malformed ELF file: program header entries of %d bytes, want %d", phentsize, progSize)
	}
	if !within(phoff, uint64(phnum)*uint64(phentsize)) {
		return fmt.Errorf("truncated: the program headers end at byte %d of %d", phoff+uint64(phnum)*uint64(phentsize), size)
	}
	ph := io.NewSectionReader(f, int64(phoff), int64(phnum)*int64(phentsize))
	for i := 0; i < int(phnum); i++ {
		var ptype elf.ProgType
		var off, filesz uint64
		if want64 {
			var p elf.Prog64
			if err := binary.Read(ph, bo, &p); err != nil {
				return fmt.Errorf("reading program header %d: %v", i, err)
			}
			ptype, off, filesz = elf.ProgType(p.Type), p.Off, p.Filesz
		} else {
			var p elf.Prog32
			if err := binary.Read(ph, bo, &p); err != nil {
				return fmt.Errorf("reading program header %d: %v", i, err)
			}
			ptype, off, filesz = elf.ProgType(p.Type), uint64(p.Off), uint64(p.Filesz)
		}
		if ptype == elf.PT_LOAD && !within(off, filesz) {
			return fmt.Errorf("truncated: segment %d (PT_LOAD) ends at byte %d of %d", i, off+filesz, size)
		}
	}
	// dlopen does not read the section headers, but a file that ends
	// before them is damaged all the same.
	if shoff != 0 && !within(shoff, uint64(shnum)*uint64(shentsize)) {
		return fmt.Errorf("truncated: the section headers end at byte %d of %d", shoff+uint64(shnum)*uint64(shentsize), size)
	}
	return checkNotGo(f)
}

// checkNotGo refuses a Go shared library (go build -buildmode=c-shared,
// such as libtsp_go.so): dlopen would start its Go runtime inside this
// one, which Go does not support. The go linker always writes a
// .go.buildinfo section and, on ELF, a .note.go.buildid note (also found
// by the note's name when the section headers are stripped). debug/elf
// reads the section headers, which checkFile has bounded by the file's
// size.
func checkNotGo(f *os.File) error {
	ef, err := elf.NewFile(f)
	if err != nil {
		return nil // dlopen does not need the sections; it will say what is wrong
	}
	for _, name := range []string{".go.buildinfo", ".note.go.buildid"} {
		if ef.Section(name) != nil {
			return fmt.Errorf("%w (it has a %s section: built with go build -buildmode=c-shared); use the \"go\" backend, the same kernel, instead", ErrGoLibrary, name)
		}
	}
	return nil
}

// goarchMachine is the ELF machine of each GOARCH whose dlopen this package
// can reach; an architecture not listed is not checked.
var goarchMachine = map[string]elf.Machine{
	"386":      elf.EM_386,
	"amd64":    elf.EM_X86_64,
	"arm":      elf.EM_ARM,
	"arm64":    elf.EM_AARCH64,
	"loong64":  elf.EM_LOONGARCH,
	"mips":     elf.EM_MIPS,
	"mipsle":   elf.EM_MIPS,
	"mips64":   elf.EM_MIPS,
	"mips64le": elf.EM_MIPS,
	"ppc64":    elf.EM_PPC64,
	"ppc64le":  elf.EM_PPC64,
	"riscv64":  elf.EM_RISCV,
	"s390x":    elf.EM_S390,
}

// machineName is the common name of an ELF machine.
func machineName(m elf.Machine) string {
	switch m {
	case elf.EM_386:
		return "i386"
	case elf.EM_X86_64:
		return "x86-64"
	case elf.EM_ARM:
		return "arm"
	case elf.EM_AARCH64:
		return "aarch64"
	case elf.EM_LOONGARCH:
		return "loongarch"
	case elf.EM_MIPS:
		return "mips"
	case elf.EM_PPC64:
		return "ppc64"
	case elf.EM_RISCV:
		return "risc-v"
	case elf.EM_S390:
		return "s390"
	}
	return m.String()
}

func endian(d elf.Data) string {
	if d == elf.ELFDATA2MSB {
		return "big-endian"
	}
	return "little-endian"
}
