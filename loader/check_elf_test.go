//go:build freebsd || linux || netbsd

package loader

import (
	"debug/elf"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/ffi4go/tsp"
)

// TestOpenDamaged: a damaged or foreign library gets an error that says
// what is wrong, and never reaches dlopen, which dies of SIGBUS on a
// truncated file.
func TestOpenDamaged(t *testing.T) {
	good, err := os.ReadFile(lib(t, KernelC).Path())
	if err != nil {
		t.Fatal(err)
	}
	f, err := elf.NewFile(strings.NewReader(string(good)))
	if err != nil {
		t.Fatal(err)
	}
	bo := f.ByteOrder
	var lastLoad uint64 // the end of the last PT_LOAD segment in the file
	for _, p := range f.Progs {
		if p.Type == elf.PT_LOAD {
			lastLoad = max(lastLoad, p.Off+p.Filesz)
		}
	}
	if lastLoad < 4096 || lastLoad >= uint64(len(good)) {
		t.Fatalf("the library's last segment ends at %d of %d bytes", lastLoad, len(good))
	}
	patch := func(off int, v uint16) []byte {
		b := append([]byte(nil), good...)
		bo.PutUint16(b[off:], v)
		return b
	}
	otherMachine := elf.EM_AARCH64
	if runtime.GOARCH == "arm64" {
		otherMachine = elf.EM_X86_64
	}
	otherClass := append([]byte(nil), good...)
	otherClass[elf.EI_CLASS] ^= 3 // 1 <-> 2
	otherData := append([]byte(nil), good...)
	otherData[elf.EI_DATA] ^= 3
	pe := append([]byte("MZ\x90\x00"), make([]byte, 200)...)

	for _, c := range []struct {
		name    string
		data    []byte
		mention string
	}{
		{"truncated in the last segment", good[:lastLoad-100], "truncated: segment"},
		{"truncated to half", good[:len(good)/2], "truncated"},
		{"truncated in the program headers", good[:100], "truncated: the program headers"},
		{"truncated in the ELF header", good[:40], "truncated"},
		{"only the magic", good[:4], "truncated"},
		{"section headers cut off", good[:len(good)-10], "truncated: the section headers"},
		{"another machine", patch(18, uint16(otherMachine)), "built for " + machineName(otherMachine) + ", this program is " + machineName(goarchMachine[runtime.GOARCH])},
		{"an executable", patch(16, uint16(elf.ET_EXEC)), "executable (ET_EXEC)"},
		{"an object file", patch(16, uint16(elf.ET_REL)), "object file (ET_REL)"},
		{"another class", otherClass, "-bit ELF file, this program is"},
		{"another byte order", otherData, "endian ELF file, this program is"},
		{"a PE file", pe, "not an ELF file"},
		{"a short text", []byte("hi\n"), "not an ELF file"},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), FileC)
			if err := os.WriteFile(p, c.data, 0o755); err != nil {
				t.Fatal(err)
			}
			l, err := Open(p)
			if l != nil || !errors.Is(err, ErrNotLibrary) || !errors.Is(err, tsp.ErrUnavailable) {
				t.Fatalf("Open = %v, %v; want ErrNotLibrary and tsp.ErrUnavailable", l, err)
			}
			if !strings.Contains(err.Error(), c.mention) || !strings.Contains(err.Error(), p) {
				t.Errorf("err does not mention %q and the path: %v", c.mention, err)
			}
			t.Log(err)
		})
	}
}
