package coding

import (
	"strings"

	"golang.org/x/text/unicode/norm"
)

// SetAttr is the document attribute that holds a document's REFI-QDA sets
// (tacit has no sets of its own): their names, separated by "; ".
const SetAttr = "set"

// AttrValueMatches reports whether attribute k with value got passes the
// filter k=want: its value is want (SameValue), or, for the attribute
// "set", want is one of the set names it lists (a document in two sets
// is in each).
func AttrValueMatches(k, got, want string) bool {
	if SameValue(got, want) {
		return true
	}
	if !SameValue(k, SetAttr) || !strings.Contains(got, ";") {
		return false
	}
	for _, n := range strings.Split(got, ";") {
		if SameValue(n, want) {
			return true
		}
	}
	return false
}

// SameValue is the one matching rule of tacit's filters (attribute names
// and values, case, document, coder, role and language names): two values
// match when they are equal ignoring case, after NFC normalisation and
// without surrounding space.
func SameValue(a, b string) bool {
	return strings.EqualFold(norm.NFC.String(strings.TrimSpace(a)), norm.NFC.String(strings.TrimSpace(b)))
}

// FoldKey is the map key under SameValue: two values match exactly when
// their keys are equal.
func FoldKey(s string) string {
	return strings.ToLower(norm.NFC.String(strings.TrimSpace(s)))
}

// AttrOf returns attribute k of a document, else of its case (c may be
// nil): a document's own attribute overrides its case's. The name k
// matches by SameValue (an exact match first).
func AttrOf(d *Document, c *Case, k string) (string, bool) {
	if v, ok := attrNamed(d.Attrs, k); ok {
		return v, true
	}
	if c != nil {
		return attrNamed(c.Attrs, k)
	}
	return "", false
}

// attrNamed returns the attribute named k under SameValue.
func attrNamed(attrs map[string]string, k string) (string, bool) {
	if v, ok := attrs[k]; ok {
		return v, true
	}
	for name, v := range attrs {
		if SameValue(name, k) {
			return v, true
		}
	}
	return "", false
}
