package coding

import "testing"

// TestAttrValueMatches: a filter k=v matches the value v (SameValue), and
// the attribute "set" also by each set name it lists.
func TestAttrValueMatches(t *testing.T) {
	for _, tc := range []struct {
		k, got, want string
		ok           bool
	}{
		{"department", "youth", "Youth", true},
		{"department", "youth; adults", "youth", false}, // only "set" lists values
		{"set", "Wave 1; Wave 2", "Wave 1", true},
		{"set", "Wave 1; Wave 2", "wave 2", true},
		{"Set", "Wave 1; Wave 2", " Wave 2 ", true},
		{"set", "Wave 1; Wave 2", "Wave 1; Wave 2", true},
		{"set", "Wave 1; Wave 2", "Wave", false},
		{"set", "Wave 1", "Wave 2", false},
		{"set", "", "", true},
	} {
		if got := AttrValueMatches(tc.k, tc.got, tc.want); got != tc.ok {
			t.Errorf("AttrValueMatches(%q, %q, %q) = %v, want %v", tc.k, tc.got, tc.want, got, tc.ok)
		}
	}
}
