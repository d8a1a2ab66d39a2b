package index

import (
	"strings"
	"testing"

	"github.com/tacit-qda/tacit/coding"
)

// TestQueryLimits: a query beyond the limits of length, terms or nesting
// is refused with an EInvalid error that names the limit, before parsing;
// one just inside them parses.
func TestQueryLimits(t *testing.T) {
	for _, tc := range []struct {
		q    string
		want string
	}{
		{strings.Repeat("a ", MaxQueryLen), "characters long"},
		{strings.Repeat("w ", MaxQueryClauses+1), "terms"},
		{strings.Repeat("(", 50000) + "a" + strings.Repeat(")", 50000), "characters long"},
		{strings.Repeat("(", MaxQueryDepth+1) + "a" + strings.Repeat(")", MaxQueryDepth+1), "nests parentheses"},
	} {
		_, err := ParseQuery(tc.q)
		if coding.ErrorKind(err) != coding.EInvalid || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("query of %d bytes: %v, want an error about %q", len(tc.q), err, tc.want)
		}
	}
	for _, q := range []string{
		strings.Repeat("w ", MaxQueryClauses),
		strings.Repeat("(", MaxQueryDepth) + "a OR b" + strings.Repeat(")", MaxQueryDepth),
		`"(((((((((((((((((((((((((" crisis`,
	} {
		if _, err := ParseQuery(q); err != nil {
			t.Errorf("query of %d bytes: %v", len(q), err)
		}
	}
}

// TestParenthesesAroundFields: an opening parenthesis before a field name
// groups; it is not part of the name ('(speaker:ann OR role:client)' said
// unknown field "(speaker"; found by FuzzAPIRequest's seed).
func TestParenthesesAroundFields(t *testing.T) {
	for _, q := range []string{`crisis AND (turn:<3 OR "a b")`, `(speaker:ann OR role:client) crisis`, `((speaker:ann))`} {
		if _, err := ParseQuery(q); err != nil {
			t.Errorf("%s: %v", q, err)
		}
	}
	if _, err := ParseQuery(`(:x)`); coding.ErrorKind(err) != coding.EInvalid || !strings.Contains(err.Error(), "without a field name") {
		t.Errorf("(:x): %v", err)
	}
}
