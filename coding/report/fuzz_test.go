package report

import (
	"testing"

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
