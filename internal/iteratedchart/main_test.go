package main

import (
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	in := `goos: linux
BenchmarkIterated/a280/kicks0n/go-2         	       1	   1845795 ns/op	   1914800 cpu-ns/op	         4.071 gap-%	         4.071 max-gap-%
BenchmarkIterated/a280/kicks20n/go-2        	       1	 104091143 ns/op	  43777800 cpu-ns/op	         0 gap-%	         0 max-gap-%
PASS
`
	pts, err := parse(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	want := []point{{"a280", 0, 0.0019148, 4.071}, {"a280", 20, 0.0437778, 0}}
	if len(pts) != len(want) {
		t.Fatalf("got %d points, want %d", len(pts), len(want))
	}
	for i, p := range pts {
		if p.instance != want[i].instance || p.kicks != want[i].kicks || p.gap != want[i].gap || p.seconds < want[i].seconds*0.999999 || p.seconds > want[i].seconds*1.000001 {
			t.Errorf("point %d: %+v, want %+v", i, p, want[i])
		}
	}
	svg := chart(pts)
	if !strings.Contains(svg, "<polyline") || !strings.Contains(svg, "a280, Iterated") || !strings.Contains(svg, "LKH-3") {
		t.Errorf("the chart lacks its line, legend or LKH-3 marks:\n%s", svg)
	}
	for _, bad := range []string{
		"BenchmarkIterated/a280/go-2 1 5 ns/op",
		"BenchmarkIterated/a280/kicks5n/go-2 1 5 ns/op",
	} {
		if _, err := parse(strings.NewReader(bad)); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}
