package main

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/ffi4go/tsp"
	"github.com/ffi4go/tsp/examples/handler/tsphttp"
	"github.com/ffi4go/tsp/examples/jumper/server"
)

// The "maximum-size bodies" of -fair are within a few per cent under each
// server's limit, with the most cities it takes.
func TestPaddedBodiesAreMaximal(t *testing.T) {
	for _, tc := range []struct {
		name  string
		body  func() []byte
		limit int
	}{
		{"jumper", func() []byte {
			b, _ := json.Marshal(server.SolveRequest{Cities: padded(server.DefaultMaxPointsCities, server.DefaultMaxBody, 45), Backend: "go", Algorithm: "2opt"})
			return b
		}, server.DefaultMaxBody},
		{"handler", func() []byte {
			b, _ := json.Marshal(padded(1000, tsphttp.BytesPerCity*1000, 0))
			return b
		}, tsphttp.BytesPerCity * 1000},
	} {
		b := tc.body()
		if len(b) > tc.limit || len(b) < tc.limit*97/100 {
			t.Errorf("%s: body of %d bytes for a limit of %d", tc.name, len(b), tc.limit)
		}
	}
	if cs := padded(10, 1<<20, 0); len(cs[0].Name) != tsp.MaxNameBytes {
		t.Errorf("names padded to %d bytes, the limit is %d", len(cs[0].Name), tsp.MaxNameBytes)
	}
}

func TestPct(t *testing.T) {
	var lats []time.Duration
	for i := 100; i >= 1; i-- {
		lats = append(lats, time.Duration(i)*time.Millisecond)
	}
	if p50, p99, pmax := pct(lats, .5), pct(lats, .99), pct(lats, 1); p50 != 51*time.Millisecond || p99 != 100*time.Millisecond || pmax != 100*time.Millisecond {
		t.Errorf("p50 %v p99 %v max %v", p50, p99, pmax)
	}
	if pct(nil, .5) != 0 {
		t.Error("empty")
	}
}
