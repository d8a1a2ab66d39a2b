package coding

import "testing"

func TestCleanLabel(t *testing.T) {
	for in, want := range map[string]string{
		"../../x":        "x",
		"a\nb\tc":        "a b c",
		"  Ann  Levi ":   "Ann Levi",
		"s1/client":      "s1-client",
		"..":             "",
		"x\x00y\x1b[31m": "x y [31m",
		"רות":            "רות",
		".hidden":        "hidden",
	} {
		if got := CleanLabel(in); got != want {
			t.Errorf("CleanLabel(%q) = %q, want %q", in, got, want)
		}
	}
}
