package tsp_test

import (
	"encoding"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/ffi4go/tsp"
)

var (
	_ encoding.TextMarshaler   = tsp.Exact
	_ encoding.TextUnmarshaler = new(tsp.Algorithm)
	_ encoding.TextMarshaler   = tsp.Optimal
	_ encoding.TextUnmarshaler = new(tsp.Status)
)

func TestAlgorithmText(t *testing.T) {
	for _, a := range tsp.Algorithms() {
		b, err := a.MarshalText()
		if err != nil || string(b) != a.String() {
			t.Errorf("%v.MarshalText() = %q, %v", a, b, err)
		}
		var back tsp.Algorithm = -1
		if err := back.UnmarshalText(b); err != nil || back != a {
			t.Errorf("UnmarshalText(%q) = %v, %v", b, back, err)
		}
	}
	for _, tc := range []struct {
		text string
		want tsp.Algorithm
	}{
		{"exhaustive", tsp.Exhaustive}, {"exact", tsp.Exact}, {"nearest", tsp.Nearest},
		{"2opt", tsp.TwoOpt}, {"twoopt", tsp.TwoOpt},
	} {
		var a tsp.Algorithm = -1
		if err := a.UnmarshalText([]byte(tc.text)); err != nil || a != tc.want {
			t.Errorf("UnmarshalText(%q) = %v, %v; want %v", tc.text, a, err, tc.want)
		}
	}
	for _, text := range []string{"", "Exact", " exact", "genetic", "1", strings.Repeat("x", 10000)} {
		a := tsp.Nearest
		err := a.UnmarshalText([]byte(text))
		if !errors.Is(err, tsp.ErrAlgorithm) || !errors.Is(err, tsp.ErrInvalidInput) || a != tsp.Nearest {
			t.Errorf("UnmarshalText(%.20q) = %v, %v", text, a, err)
		}
		if err != nil && len(err.Error()) > 200 {
			t.Errorf("UnmarshalText(%.20q): error of %d bytes", text, len(err.Error()))
		}
	}
	for _, a := range []tsp.Algorithm{-1, 6, 1 << 30} {
		if b, err := a.MarshalText(); !errors.Is(err, tsp.ErrAlgorithm) || b != nil {
			t.Errorf("%d.MarshalText() = %q, %v", int32(a), b, err)
		}
	}
}

func TestStatusText(t *testing.T) {
	for _, tc := range []struct {
		s    tsp.Status
		text string
	}{{tsp.Heuristic, "heuristic"}, {tsp.Optimal, "optimal"}, {tsp.Stopped, "stopped"}} {
		b, err := tc.s.MarshalText()
		if err != nil || string(b) != tc.text {
			t.Errorf("%v.MarshalText() = %q, %v", tc.s, b, err)
		}
		var back tsp.Status = -1
		if err := back.UnmarshalText(b); err != nil || back != tc.s {
			t.Errorf("UnmarshalText(%q) = %v, %v", b, back, err)
		}
		if p, err := tsp.ParseStatus(tc.text); err != nil || p != tc.s {
			t.Errorf("ParseStatus(%q) = %v, %v", tc.text, p, err)
		}
	}
	for _, text := range []string{"", "Optimal", "done", strings.Repeat("y", 10000)} {
		s := tsp.Stopped
		err := s.UnmarshalText([]byte(text))
		if !errors.Is(err, tsp.ErrInvalidInput) || s != tsp.Stopped || len(err.Error()) > 200 {
			t.Errorf("UnmarshalText(%.20q) = %v, %v", text, s, err)
		}
	}
	for _, s := range []tsp.Status{-1, 3} {
		if b, err := s.MarshalText(); !errors.Is(err, tsp.ErrInvalidInput) || b != nil {
			t.Errorf("%d.MarshalText() = %q, %v", int(s), b, err)
		}
	}
}

func TestTextJSON(t *testing.T) {
	type doc struct {
		A tsp.Algorithm
		S tsp.Status
	}
	b, err := json.Marshal(doc{A: tsp.Exact, S: tsp.Optimal})
	if err != nil || string(b) != `{"A":"exact","S":"optimal"}` {
		t.Fatalf("json.Marshal = %s, %v", b, err)
	}
	if b, err := json.Marshal(struct{ A tsp.Algorithm }{tsp.Exact}); err != nil || string(b) != `{"A":"exact"}` {
		t.Errorf("json.Marshal = %s, %v", b, err)
	}
	for _, a := range tsp.Algorithms() {
		for _, s := range []tsp.Status{tsp.Heuristic, tsp.Optimal, tsp.Stopped} {
			b, err := json.Marshal(doc{a, s})
			if err != nil {
				t.Fatal(err)
			}
			var back doc
			if err := json.Unmarshal(b, &back); err != nil || back != (doc{a, s}) {
				t.Errorf("%s: %+v, %v", b, back, err)
			}
		}
	}
	// Map keys use the names too.
	if b, err := json.Marshal(map[tsp.Algorithm]int{tsp.TwoOpt: 1}); err != nil || string(b) != `{"2opt":1}` {
		t.Errorf("map: %s, %v", b, err)
	}
	var d doc
	if err := json.Unmarshal([]byte(`{"A":"genetic","S":"optimal"}`), &d); !errors.Is(err, tsp.ErrAlgorithm) {
		t.Errorf("unknown algorithm in JSON: %v", err)
	}
	if err := json.Unmarshal([]byte(`{"A":"exact","S":"done"}`), &d); !errors.Is(err, tsp.ErrInvalidInput) {
		t.Errorf("unknown status in JSON: %v", err)
	}
	if err := json.Unmarshal([]byte(`{"A":1}`), &d); err == nil {
		t.Error("a number for an algorithm was accepted")
	}
	if _, err := json.Marshal(doc{A: 9}); !errors.Is(err, tsp.ErrAlgorithm) {
		t.Errorf("json.Marshal of an unknown algorithm: %v", err)
	}
}
