package main

import (
	"encoding/binary"
	"strings"
	"testing"
)

// `tsp worker` speaks the protocol: a hello, a pong for a ping, exit 0 at
// the end of its input; a malformed frame gets an error frame and exit 65.
func TestWorkerCommand(t *testing.T) {
	ping := binary.LittleEndian.AppendUint32(nil, 13)
	ping = append(ping, 'P')
	ping = binary.LittleEndian.AppendUint64(ping, 9)
	ping = binary.LittleEndian.AppendUint32(ping, 42)
	out, errOut, code := runTSP(t, string(ping), "worker")
	if code != exitOK || errOut != "" {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	// hello (4+21 bytes), then the pong (4+13).
	if len(out) != 25+17 || out[4] != 'H' || out[5:9] != "TSPW" || out[25+4] != 'p' ||
		binary.LittleEndian.Uint32([]byte(out[25+13:])) != 42 {
		t.Fatalf("output %q", out)
	}
	out, errOut, code = runTSP(t, "\x05\x00\x00\x00Zjunk", "worker")
	if code != 65 || !strings.Contains(errOut, "unknown frame type") || len(out) < 26 || out[25+4] != 'E' {
		t.Fatalf("malformed frame: exit %d, stderr %q, output %q", code, errOut, out)
	}
	if _, errOut, code = runTSP(t, "", "worker", "extra"); code != exitUsage {
		t.Errorf("worker extra: exit %d, %q", code, errOut)
	}
}
