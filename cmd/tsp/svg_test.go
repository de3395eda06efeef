package main

import (
	"testing"

	"github.com/ffi4go/tsp/backends"
)

// TestBackendStyles: every backend has a colour and marker of its own in
// the compare chart, so that no two lines look alike.
func TestBackendStyles(t *testing.T) {
	seen := map[[2]string]string{}
	for _, name := range backends.Names() {
		st, ok := backendStyle[name]
		if !ok {
			t.Errorf("%s has no style", name)
			continue
		}
		k := [2]string{st.colour, st.marker}
		if other, dup := seen[k]; dup {
			t.Errorf("%s and %s both draw %s %s", name, other, st.colour, st.marker)
		}
		seen[k] = name
	}
}
