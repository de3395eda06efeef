package difftest

import "testing"

// TestCases: the set is large, its names are unique, and every kind of
// case is in it.
func TestCases(t *testing.T) {
	cs := Cases()
	if len(cs) < 1500 {
		t.Fatalf("only %d cases", len(cs))
	}
	names := map[string]bool{}
	var cancelled, refused int
	for _, c := range cs {
		if names[c.Name] {
			t.Errorf("two cases named %s", c.Name)
		}
		names[c.Name] = true
		if c.Cancelled {
			cancelled++
		}
		if c.WantErr {
			refused++
		}
		if c.M == nil && !c.WantErr {
			t.Errorf("%s: no matrix", c.Name)
		}
	}
	if cancelled < 50 || refused < 7 {
		t.Errorf("%d pre-cancelled and %d refused cases", cancelled, refused)
	}
	if &Cases()[0] != &cs[0] {
		t.Error("Cases built the set again")
	}
	t.Logf("%d cases", len(cs))
}
