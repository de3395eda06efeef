package tsp_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/ffi4go/tsp"
)

// TestReadCostMatrix: a routing service's matrix, asymmetric, with names,
// read and solved; bad input gets the sentinel of what is wrong.
func TestReadCostMatrix(t *testing.T) {
	const in = "\ufeff" + `{"names": ["depot", "a", "b", "c"],
	 "matrix": [[0, 7, 9, 12], [6, 0, 4, 8], [8, 5, 0, 3.5], [11, 9, 2, 0]]}` + "\n"
	m, names, err := tsp.ReadCostMatrix(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if m.N() != 4 || len(names) != 4 || names[3] != "c" || m.At(2, 3) != 3.5 || m.At(3, 2) != 2 || m.Symmetric() {
		t.Fatalf("n %d, names %q, d[2][3] %v, symmetric %v", m.N(), names, m.At(2, 3), m.Symmetric())
	}
	tour, err := tsp.Solve(context.Background(), m, tsp.Options{End: tsp.EndAnywhere})
	if err != nil || tour.Status != tsp.Optimal {
		t.Fatalf("%v, %v", tour, err)
	}
	// No names: nil.
	if _, names, err := tsp.ReadCostMatrix(strings.NewReader(`{"matrix": [[0]]}`)); err != nil || names != nil {
		t.Errorf("no names: %q, %v", names, err)
	}
	for _, c := range []struct {
		in   string
		want error
		msg  string
	}{
		{"", tsp.ErrEmpty, "empty"},
		{"  ", tsp.ErrEmpty, "empty"},
		{"[]", tsp.ErrSyntax, "want a JSON object"},
		{`{"matrix": []}`, tsp.ErrEmpty, "empty matrix"},
		{`{"names": ["a"]}`, tsp.ErrSyntax, `no "matrix"`},
		{`{"matrix": [[0, 1], [1, 0]], "extra": 1}`, tsp.ErrSyntax, `unknown field "extra"`},
		{`{"matrix": [[0, 1], [1, 0]], "matrix": [[0]]}`, tsp.ErrSyntax, "twice"},
		{`{"matrix": [[0, 1], [1]]}`, tsp.ErrNotSquare, "row 1: 1 values"},
		{`{"matrix": [[0, 1], [1, 0, 2]]}`, tsp.ErrNotSquare, "more than 2 values"},
		{`{"matrix": [[0, 1], [1, 0], [2, 2]]}`, tsp.ErrNotSquare, "more than 2 rows"},
		{`{"matrix": [[0, 1, 2], [1, 0, 2]]}`, tsp.ErrNotSquare, "2 rows of 3"},
		{`{"matrix": [[0, "1"], [1, 0]]}`, tsp.ErrSyntax, "want a number"},
		{`{"matrix": [[0, 1e400], [1, 0]]}`, tsp.ErrInfinite, "beyond"},
		{`{"matrix": [[0, -1], [1, 0]]}`, tsp.ErrNegative, "d[0][1]"},
		{`{"matrix": [[5, 1], [1, 0]]}`, tsp.ErrDiagonal, "d[0][0]"},
		{`{"names": ["a"], "matrix": [[0, 1], [1, 0]]}`, tsp.ErrSyntax, "1 names for 2 cities"},
		{`{"names": [1], "matrix": [[0]]}`, tsp.ErrSyntax, "want a string"},
		{`{"names": ["` + strings.Repeat("x", 201) + `"], "matrix": [[0]]}`, tsp.ErrSyntax, "MaxNameBytes"},
		{`{"matrix": [[0]]} {}`, tsp.ErrSyntax, "after the cost matrix"},
		{`{"matrix": [[0]`, tsp.ErrSyntax, "ends early"},
		{`{"matrix": [[0,]]}`, tsp.ErrSyntax, "malformed JSON"},
	} {
		_, _, err := tsp.ReadCostMatrix(strings.NewReader(c.in))
		if !errors.Is(err, c.want) || !errors.Is(err, tsp.ErrInvalidInput) || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("%.60q: %v; want %v saying %q", c.in, err, c.want, c.msg)
		}
	}
	// Past MaxInputBytes: stopped while reading.
	big := strings.NewReader(`{"matrix": [[0` + strings.Repeat(", 0", tsp.MaxInputBytes/3) + "]]}")
	if _, _, err := tsp.ReadCostMatrix(big); !errors.Is(err, tsp.ErrTooLarge) {
		t.Errorf("64 MiB: %v", err)
	}
}

// TestCostMatrixJSON: CostMatrix in a request struct, both ways.
func TestCostMatrixJSON(t *testing.T) {
	var req struct {
		Costs tsp.CostMatrix `json:"costs"`
		End   string         `json:"end"`
	}
	if err := json.Unmarshal([]byte(`{"costs": {"names": ["x", "y"], "matrix": [[0, 2], [3, 0]]}, "end": "any"}`), &req); err != nil {
		t.Fatal(err)
	}
	if req.Costs.Matrix.At(1, 0) != 3 || req.Costs.Names[1] != "y" || req.End != "any" {
		t.Fatalf("%+v", req)
	}
	out, err := json.Marshal(req.Costs)
	if err != nil || string(out) != `{"names":["x","y"],"matrix":[[0,2],[3,0]]}` {
		t.Errorf("%s, %v", out, err)
	}
	if err := json.Unmarshal([]byte(`{"costs": {"matrix": [[0, -2], [3, 0]]}}`), &req); !errors.Is(err, tsp.ErrNegative) {
		t.Errorf("negative: %v", err)
	}
}
