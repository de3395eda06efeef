package tsplib_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/ffi4go/tsp"
	"github.com/ffi4go/tsp/tsplib"
)

// endless yields head, then line again and again, forever, counting the
// bytes it yielded.
type endless struct {
	head, line string
	n          int64
}

func (r *endless) Read(b []byte) (int, error) {
	k := 0
	for k < len(b) {
		s := r.line
		if r.head != "" {
			s, r.head = r.head, ""
		}
		c := copy(b[k:], s)
		if c < len(s) { // keep the rest for the next call
			r.head = s[c:]
		}
		k += c
	}
	r.n += int64(k)
	return k, nil
}

const burma3 = "NAME: x\nTYPE: TSP\nDIMENSION: 3\nEDGE_WEIGHT_TYPE: EUC_2D\n"

// Read stops an input that never ends, of comments or of anything else,
// with an error after a bounded amount of it.
func TestReadEndless(t *testing.T) {
	for _, c := range []struct {
		name     string
		r        *endless
		maxBytes int64 // read at most this much
		mention  string
	}{
		{"comments", &endless{line: "COMMENT: " + strings.Repeat("x", 70) + "\n"}, 1 << 20, "COMMENT"},
		{"comments after DIMENSION", &endless{head: burma3, line: "COMMENT: a comment\n"}, 1 << 20, "COMMENT"},
		{"blank lines", &endless{line: "\n"}, 8 << 20, "larger than"},
		{"blank lines after DIMENSION", &endless{head: burma3 + "NODE_COORD_SECTION\n1 0 0\n2 1 1\n3 2 2\n", line: "   \n"}, 8 << 20, "larger than"},
	} {
		t.Run(c.name, func(t *testing.T) {
			t0 := time.Now()
			in, err := tsplib.Read(c.r)
			if in != nil || !errors.Is(err, tsplib.ErrFormat) || !errors.Is(err, tsp.ErrTooLarge) {
				t.Fatalf("Read = %v, %v; want ErrFormat and tsp.ErrTooLarge", in, err)
			}
			if !strings.Contains(err.Error(), c.mention) || len(err.Error()) > 300 {
				t.Errorf("err does not mention %q or is long: %v", c.mention, err)
			}
			if c.r.n > c.maxBytes {
				t.Errorf("read %d bytes before the error, want at most %d", c.r.n, c.maxBytes)
			}
			t.Logf("%v after %d bytes: %v", time.Since(t0), c.r.n, err)
		})
	}
}

// Comments up to MaxComment bytes in total are kept.
func TestReadLongComment(t *testing.T) {
	line := strings.Repeat("y", 1000)
	var b strings.Builder
	for i := 0; i < tsplib.MaxComment/1001; i++ {
		b.WriteString("COMMENT: " + line + "\n")
	}
	in, err := tsplib.Read(strings.NewReader(b.String() + burma3 + "NODE_COORD_SECTION\n1 0 0\n2 1 1\n3 2 2\nEOF\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(in.Comment) > tsplib.MaxComment || len(in.Comment) < tsplib.MaxComment-1001 {
		t.Errorf("comment of %d bytes", len(in.Comment))
	}
}

// A UTF-8 byte order mark is skipped; UTF-16 is refused in words.
func TestReadBOM(t *testing.T) {
	body := burma3 + "NODE_COORD_SECTION\n1 0 0\n2 3 4\n3 6 8\nEOF\n"
	in, err := tsplib.Read(strings.NewReader("\ufeff" + body))
	if err != nil || in.Name != "x" || in.Matrix.At(0, 1) != 5 {
		t.Fatalf("with a UTF-8 BOM: %+v, %v", in, err)
	}
	for _, bom := range []string{"\xff\xfe", "\xfe\xff"} {
		_, err := tsplib.Read(strings.NewReader(bom + "N\x00A\x00"))
		if !errors.Is(err, tsplib.ErrUnsupported) || !strings.Contains(err.Error(), "UTF-16 is not supported") {
			t.Errorf("BOM %q: %v", bom, err)
		}
	}
}

// Error messages quote at most a little of a long value.
func TestReadErrorLength(t *testing.T) {
	long := strings.Repeat("z", 500000)
	for _, input := range []string{
		long + ": 1\n",
		"TYPE: " + long + "\n",
		"DIMENSION: " + long + "\n",
		"EDGE_WEIGHT_TYPE: " + long + "\n",
		"EDGE_WEIGHT_FORMAT: " + long + "\n",
		"NODE_COORD_TYPE: " + long + "\n",
		"DISPLAY_DATA_TYPE: " + long + "\n",
		"EOF " + long + "\n",
		"NODE_COORD_SECTION " + long + "\n",
		burma3 + "NODE_COORD_SECTION\n1 0 0\n2 " + long + " 1\n",
		burma3 + "NODE_COORD_SECTION\n" + long + " 0 0\n",
		"1" + long + "\n",
	} {
		_, err := tsplib.Read(strings.NewReader(input))
		if err == nil || len(err.Error()) > 300 {
			t.Errorf("%.60q...: error of %d bytes: %.400s", input, len(err.Error()), err)
		}
	}
}
