package coding

import (
	"strings"

	"golang.org/x/text/unicode/norm"
)

// SameValue is the one matching rule of tacit's filters (attributes,
// names): two values match when they are equal ignoring case, after NFC
// normalisation and without surrounding space.
func SameValue(a, b string) bool {
	return strings.EqualFold(norm.NFC.String(strings.TrimSpace(a)), norm.NFC.String(strings.TrimSpace(b)))
}

// AttrOf returns attribute k of a document, else of its case (c may be
// nil): a document's own attribute overrides its case's.
func AttrOf(d *Document, c *Case, k string) (string, bool) {
	if v, ok := d.Attrs[k]; ok {
		return v, true
	}
	if c != nil {
		v, ok := c.Attrs[k]
		return v, ok
	}
	return "", false
}
