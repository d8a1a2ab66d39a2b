package coding

import (
	"strings"

	"golang.org/x/text/unicode/norm"
)

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
