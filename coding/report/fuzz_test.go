package report

import (
	"testing"
	"unicode/utf8"

	"github.com/tacit-qda/tacit/coding"
)

// FuzzParseOptions feeds the parsers of command-line values: each either
// accepts a value and returns a fixed point, or fails with EInvalid.
func FuzzParseOptions(f *testing.F) {
	for _, s := range []string{"", "code", "Cases", "attr:department", "ATTR: מחלקה ", "attr:", "json", "markdown",
		"presence", "chars", "overlap", "turns", "pdf", "\x00", "attr:a:b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		check := func(name string, parse func(string) (string, error)) {
			out, err := parse(s)
			if err != nil {
				if coding.ErrorKind(err) != coding.EInvalid {
					t.Fatalf("%s(%q): error kind %s", name, s, coding.ErrorKind(err))
				}
				return
			}
			again, err := parse(out)
			if err != nil || again != out {
				t.Fatalf("%s(%q) = %q, which parses to %q, %v", name, s, out, again, err)
			}
		}
		check("ParseDimension", ParseDimension)
		check("ParseFormat", ParseFormat)
		check("ParseCount", ParseCount)
		check("ParseUnit", ParseUnit)
	})
}

// FuzzSlicePassages holds SlicePassages to slicing a []rune of the text,
// for any text and offsets.
func FuzzSlicePassages(f *testing.F) {
	f.Add("אב cd ☃e plain ascii run of words 😀", 0, 2, 5, 40)
	f.Add("0123456789abcdefghijklmnop", 3, 20, 8, 9)
	f.Add("", 0, 0, -1, 3)
	f.Fuzz(func(t *testing.T, text string, s1, e1, s2, e2 int) {
		if !utf8.ValidString(text) {
			return // stored texts are valid UTF-8
		}
		r := []rune(text)
		ps := []Passage{{Start: s1, End: e1}, {Start: s2, End: e2}, {Start: s1, End: e1}, {Start: s2, End: e2}}
		SlicePassages([]byte(text), -1, ps[:2])
		SlicePassages([]byte(text), len(r), ps[2:]) // told its length: ASCII is cut directly
		for _, p := range ps {
			s, e := min(max(p.Start, 0), len(r)), min(max(p.End, 0), len(r))
			want := ""
			if e > s {
				want = string(r[s:e])
			}
			if p.Text != want {
				t.Fatalf("%q[%d:%d] = %q, want %q", text, p.Start, p.End, p.Text, want)
			}
		}
	})
}
