package coding

import (
	"strings"
	"unicode"
)

// CleanLabel makes a name that came from outside (a speaker label, a file
// name, --name) safe to show in a table and to use as a file name: control
// characters, line breaks and tabs become spaces, runs of white space fold
// to one, path separators become "-", and leading dots, dashes and spaces
// go (so "../../x" is "x"). It may return "".
func CleanLabel(s string) string {
	var b strings.Builder
	space := false
	for _, r := range s {
		switch {
		case unicode.IsControl(r) || unicode.IsSpace(r):
			space = true
			continue
		case r == '/' || r == '\\':
			r = '-'
		case r == unicode.ReplacementChar:
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return strings.TrimLeft(b.String(), ".- ")
}
