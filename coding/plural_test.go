package coding

import (
	"strings"
	"testing"
	"unsafe"
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

// TestDedentAsSplitAndJoin: Dedent gives what trimming every line of the
// trimmed quote gives (its definition), for quotes with and without
// indented lines, and returns an unindented quote without a copy.
func TestDedentAsSplitAndJoin(t *testing.T) {
	ref := func(s string) string {
		lines := strings.Split(strings.TrimSpace(s), "\n")
		for i, l := range lines {
			lines[i] = strings.TrimLeft(l, " \t\u00a0")
		}
		return strings.Join(lines, "\n")
	}
	for _, s := range []string{"", " ", "one line", "  one line  ", "a\nb", "a\n b", "a\n\tb", "a\n\u00a0b", "a\n\u00a0\u00a0 \tb\n  c",
		"a\n\nb", "a\n \n b", "a\r\n b", "a\n\u2003b", "\u00a0a\nb\u00a0", "a\n", "a\n ", "שלום\n  עולם", "a\n\xc2", "a\n\xc2\xa0"} {
		if got, want := Dedent(s), ref(s); got != want {
			t.Errorf("Dedent(%q) = %q, want %q", s, got, want)
		}
	}
	s := "  first\nsecond\n\nthird  "
	got := Dedent(s)
	if unsafe.StringData(got) != unsafe.StringData(s[2:]) {
		t.Errorf("Dedent(%q) copied a quote that has no indented line", s)
	}
}
