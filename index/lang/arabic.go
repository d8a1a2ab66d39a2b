package lang

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
)

// arabicExpandFilter adds, at index time, the forms of an Arabic word left after
// stripping the one-letter proclitics that bleve's light stemmer leaves alone: an
// optional و or ف, then one of ب ك ل (باحترام, فكتب, وبالنسبة is the stemmer's), or a
// bare ف. Like the Hebrew expansion it keeps the surface word and adds the stripped form
// at the same position and offsets, so highlights still mark the whole word, and the
// query side does not expand: احترام finds باحترام, while a query باحترام stays exact.
//
// A form is added only if at least 3 letters remain and they do not start with ال
// (which the stemmer already removes after و ب ك ف). The cost is some false matches
// when a word truly begins with one of these letters (كتاب also yields تاب); they are
// extra index terms only, never a change to what the word itself matches.
type arabicExpandFilter struct{}

const (
	arWaw  = 'و'
	arFa   = 'ف'
	arBa   = 'ب'
	arKaf  = 'ك'
	arLam  = 'ل'
	arAlef = 'ا'
)

func isArabicLetter(r rune) bool { return unicode.Is(unicode.Arabic, r) && unicode.IsLetter(r) }

// arabicCandidates returns the stripped forms of w (already NFKC, before
// normalisation), longest first.
func arabicCandidates(w string) []string {
	var out []string
	rest := w
	r, n := utf8.DecodeRuneInString(rest)
	conj := false
	if r == arWaw || r == arFa {
		rest = rest[n:]
		conj = true
		if r == arFa && keepForm(rest) {
			out = append(out, rest)
		}
		r, n = utf8.DecodeRuneInString(rest)
	}
	if r == arBa || r == arKaf || r == arLam {
		if rest2 := rest[n:]; keepForm(rest2) {
			out = append(out, rest2)
		}
	}
	_ = conj
	return out
}

// keepForm reports whether a stripped form is worth indexing: at least 3 Arabic letters,
// not starting with ال.
func keepForm(s string) bool {
	if strings.HasPrefix(s, string([]rune{arAlef, arLam})) {
		return false
	}
	n := 0
	for _, r := range s {
		if !isArabicLetter(r) {
			if unicode.Is(unicode.Mn, r) || r == 0x0640 {
				continue // harakat and tatweel are not letters
			}
			return false
		}
		n++
	}
	return n >= 3
}

func (arabicExpandFilter) Filter(in analysis.TokenStream) analysis.TokenStream {
	out := make(analysis.TokenStream, 0, len(in)+len(in)/4)
	for _, t := range in {
		out = append(out, t)
		for _, c := range arabicCandidates(string(t.Term)) {
			out = append(out, &analysis.Token{Term: []byte(c), Start: t.Start, End: t.End,
				Position: t.Position, Type: t.Type, KeyWord: t.KeyWord})
		}
	}
	return out
}
