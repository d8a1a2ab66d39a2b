package coding

import (
	"strings"
	"testing"
)

func TestPlural(t *testing.T) {
	for _, c := range []struct {
		n    int
		want string
	}{{0, "0 hits"}, {1, "1 hit"}, {2, "2 hits"}} {
		if got := Plural(c.n, "hit", "hits"); got != c.want {
			t.Errorf("Plural(%d) = %q, want %q", c.n, got, c.want)
		}
	}
}

// TestClipMiddle: two log lines that differ only in the code at the end stay
// different when clipped.
func TestClipMiddle(t *testing.T) {
	pre := `tagged client-moshe 1513:1519 "Like somebody hit me with a hammer, and then I understood everything" with `
	a := ClipMiddle(pre+`"Principles/Crisis as a lever for change"`, 100)
	b := ClipMiddle(pre+`"Principles/Meaningful therapeutic relationship"`, 100)
	if a == b || !strings.HasSuffix(a, `lever for change"`) || len([]rune(a)) != 100 {
		t.Errorf("clipped alike or without the leaf:\n%s\n%s", a, b)
	}
	if ClipMiddle("short", 100) != "short" {
		t.Error("a short line changed")
	}
}

func TestStripMarkupAndDedent(t *testing.T) {
	if got := StripMarkup("Thank you.\n\n**Emma:** I was there. __Q__ and <u>Ruth</u>\n### Dana"); got != "Thank you.\n\nEmma: I was there. Q and Ruth\nDana" {
		t.Errorf("StripMarkup = %q", got)
	}
	if got := Dedent("  first line\n      second line\n\tthird  "); got != "first line\nsecond line\nthird" {
		t.Errorf("Dedent = %q", got)
	}
}
