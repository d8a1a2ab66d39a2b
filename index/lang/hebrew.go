package lang

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"golang.org/x/text/unicode/norm"
)

// isHebrewLetter reports whether r is one of the 27 Hebrew letters U+05D0..U+05EA
// (22 letters plus the five final forms). Yiddish ligatures and geresh are not letters here.
func isHebrewLetter(r rune) bool { return r >= 'א' && r <= 'ת' }

// finalOf maps a medial letter to its final form; medialOf is the reverse.
var (
	finalOf  = map[rune]rune{'כ': 'ך', 'מ': 'ם', 'נ': 'ן', 'פ': 'ף', 'צ': 'ץ'}
	medialOf = map[rune]rune{'ך': 'כ', 'ם': 'מ', 'ן': 'נ', 'ף': 'פ', 'ץ': 'צ'}
)

// gershayim and its look-alikes (HebMorph's set) become ASCII '"'; geresh and its
// look-alikes become the ASCII apostrophe.
func isGershayimLike(r rune) bool {
	switch r {
	case '\u05F4', '\u201C', '\u201D', '\u201F', '\uFF02', '"':
		return true
	}
	return false
}

func isGereshLike(r rune) bool {
	switch r {
	case '\u05F3', '\u2018', '\u2019', '\u201B', '\uFF07', '`', '\'':
		return true
	}
	return false
}

// A trailing geresh after one of these letters changes the sound (ג'ט "jet", מסאז'),
// so it is kept; after any other letter it is an abbreviation mark (פרופ') or a
// numeral (ה') and is dropped.
const phoneticGeresh = "גזצחתץ"

// normalizeHebrew returns the index form of one token that contains Hebrew letters:
//
//   - NFKC (Hebrew presentation forms U+FB1D..U+FB4F become base letter + marks);
//   - every non-spacing mark (niqqud, te'amim, dagesh, shin/sin dots, qamats qatan) and
//     every format character (RLM, LRM, ZWJ, ZWNJ, BOM) is removed;
//   - gershayim look-alikes and a doubled geresh become U+0022, geresh look-alikes the
//     ASCII apostrophe;
//   - a trailing U+0022 is removed, and a trailing apostrophe unless it is phonetic (see
//     phoneticGeresh);
//   - final letters are made positional: the last Hebrew letter of the word takes its final
//     form, every other letter its medial form (so שלומ, שלום and a mid-word ם agree).
//
// Latin letters in a mixed token are lower-cased. The result is valid UTF-8 when s is.
func normalizeHebrew(s string) string {
	if !norm.NFKC.IsNormalString(s) {
		s = norm.NFKC.String(s)
	}
	rs := make([]rune, 0, len(s)/2)
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Cf, r):
			continue
		case isGershayimLike(r):
			r = '"'
		case isGereshLike(r):
			r = '\''
		default:
			r = unicode.ToLower(r)
		}
		if r == '\'' && len(rs) > 0 && rs[len(rs)-1] == '\'' {
			rs[len(rs)-1] = '"' // '' typed for gershayim
			continue
		}
		rs = append(rs, r)
	}
	for n := len(rs); n > 0; n = len(rs) {
		if rs[n-1] == '"' || unicode.IsSpace(rs[n-1]) {
			rs = rs[:n-1]
			continue
		}
		if rs[n-1] == '\'' && (countHebrewRunes(rs[:n-1]) < 2 ||
			!strings.ContainsRune(phoneticGeresh, rs[n-2])) {
			rs = rs[:n-1]
			continue
		}
		break
	}
	canonicalFinals(rs)
	return string(rs)
}

// canonicalFinals rewrites final/medial letter forms in place by position: the last Hebrew
// letter gets its final form, all earlier ones their medial form.
func canonicalFinals(rs []rune) {
	last := -1
	for i, r := range rs {
		if isHebrewLetter(r) {
			last = i
		}
	}
	for i := 0; i <= last; i++ {
		r := rs[i]
		if i == last {
			if f, ok := finalOf[r]; ok {
				rs[i] = f
			}
		} else if m, ok := medialOf[r]; ok && isHebrewLetter(r) {
			rs[i] = m
		}
	}
}

func countHebrewRunes(rs []rune) int {
	n := 0
	for _, r := range rs {
		if isHebrewLetter(r) {
			n++
		}
	}
	return n
}

func countHebrew(s string) int {
	n := 0
	for _, r := range s {
		if isHebrewLetter(r) {
			n++
		}
	}
	return n
}

func hasHebrew(b []byte) bool {
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		if isHebrewLetter(r) {
			return true
		}
		b = b[size:]
	}
	return false
}

// hebrewPrefixes is the set of legal proclitic chains of at most maxPrefix letters:
// [ו] [ש | כש | מש | לכש] [ב | כ | ל | מ] [ה], where ה (the article) is not written after
// ב, כ, ל in unpointed text (בבית = "in the house").
var hebrewPrefixes = func() map[string]bool {
	set := map[string]bool{}
	for _, v := range []string{"", "ו"} {
		for _, s := range []string{"", "ש", "כש", "מש", "לכש"} {
			for _, p := range []string{"", "ב", "כ", "ל", "מ"} {
				for _, h := range []string{"", "ה"} {
					if h != "" && (p == "ב" || p == "כ" || p == "ל") {
						continue
					}
					if x := v + s + p + h; x != "" && utf8.RuneCountInString(x) <= maxPrefix {
						set[x] = true
					}
				}
			}
		}
	}
	return set
}()

const (
	maxPrefix = 4 // longest proclitic chain stripped (וכשה)
	minRest   = 3 // letters that must remain after stripping, unless on the short list
)

// hebrewLists are the word lists the Hebrew filters use, stored in normalised form.
type hebrewLists struct {
	stop      map[string]bool // removed at index and query time
	shortOK   map[string]bool // 2-letter remainders that may still be produced
	protected map[string]bool // words whose first letter is part of the root: never stripped
}

// Default Hebrew lists. They are tacit's own; extend them per project through the analyzer
// config keys "he_stop", "he_short_ok", "he_protected" (see Register).
var (
	// defaultHebrewIndexStop is deliberately short: bare proclitic letters (left over from
	// ה-IDF, ב-2023), a few proclitic pairs, and function words with no content. Negation
	// (לא, אין) and homographs with meaning (אם, עם, שם, בן, בת) are NOT stop words.
	defaultHebrewIndexStop = []string{
		"ב", "ה", "ו", "כ", "ל", "מ", "ש",
		"וה", "וב", "וכ", "ול", "ומ", "וש", "שה", "כש", "וכש",
		"של", "את", "על", "זה", "כי", "או", "גם", "רק", "אבל", "הוא", "היא",
	}
	defaultHebrewShortOK = []string{"לב", "ים", "יד", "שר", "בן", "בת", "אם", "אב", "עם", "גן", "חג", "דם"}
	// defaultHebrewProtected: words that start with a proclitic letter which is really a
	// root letter, and whose remainder is itself a word (כלב is dog, not כ+לב heart).
	defaultHebrewProtected = []string{
		"ברית", "כלב", "בשר", "כשר", "שבת", "לבן", "מים", "שמים", "מיד", "ליד", "כאב",
		"מגן", "מדינה", "מחלה", "שמחה", "שמירה", "שמונה", "מספר", "משפחה", "משרד", "מקרה",
	}
)

func newHebrewLists(stop, shortOK, protected []string) hebrewLists {
	set := func(words []string) map[string]bool {
		m := make(map[string]bool, len(words))
		for _, w := range words {
			if w = strings.TrimSpace(w); w != "" {
				m[normalizeHebrew(w)] = true
			}
		}
		return m
	}
	return hebrewLists{stop: set(stop), shortOK: set(shortOK), protected: set(protected)}
}

// hebrewNormalizeFilter applies normalizeHebrew to tokens with Hebrew letters.
// It changes Term only: Start, End and Position stay those of the surface word.
type hebrewNormalizeFilter struct{}

func (hebrewNormalizeFilter) Filter(in analysis.TokenStream) analysis.TokenStream {
	for _, t := range in {
		if hasHebrew(t.Term) {
			t.Term = []byte(normalizeHebrew(string(t.Term)))
		}
	}
	return in
}

// stopSetFilter removes tokens whose term is in the set (positions are not renumbered).
type stopSetFilter map[string]bool

func (s stopSetFilter) Filter(in analysis.TokenStream) analysis.TokenStream {
	out := in[:0]
	for _, t := range in {
		if !s[string(t.Term)] {
			out = append(out, t)
		}
	}
	return out
}

// hebrewExpandFilter (index time) keeps every token and adds, at the same position and
// with the same offsets, the forms left after stripping legal proclitic chains, and the
// quote-less form of acronyms with at least 3 letters (צה"ל -> צהל).
type hebrewExpandFilter struct{ lists hebrewLists }

func (f hebrewExpandFilter) candidates(w string) []string {
	if f.lists.protected[w] {
		return nil
	}
	var out []string
	prefixBytes := 0
	for i := 1; i <= maxPrefix; i++ {
		r, size := utf8.DecodeRuneInString(w[prefixBytes:])
		if !isHebrewLetter(r) {
			break
		}
		prefixBytes += size
		if !hebrewPrefixes[w[:prefixBytes]] {
			continue
		}
		rest := w[prefixBytes:]
		first, _ := utf8.DecodeRuneInString(rest)
		if !isHebrewLetter(first) {
			break
		}
		if q := strings.IndexByte(rest, '"'); q >= 0 && countHebrew(rest[:q]) < 2 {
			continue // מע"מ must not yield ע"מ
		}
		n := countHebrew(rest)
		if (n < minRest && !(n == 2 && f.lists.shortOK[rest])) || f.lists.stop[rest] {
			continue
		}
		out = append(out, rest)
		if f.lists.protected[rest] {
			break // וכלב -> כלב, never לב
		}
	}
	return out
}

// unquoteAcronym returns the acronym without its gershayim when it has at least 3 Hebrew
// letters (צה"ל -> צהל, דו"ח -> דוח), else "". 2-letter acronyms keep the quote: ת"א is
// not תא (cell).
func unquoteAcronym(w string) string {
	if !strings.Contains(w, `"`) || countHebrew(w) < 3 {
		return ""
	}
	rs := []rune(strings.ReplaceAll(w, `"`, ""))
	canonicalFinals(rs)
	return string(rs)
}

func (f hebrewExpandFilter) Filter(in analysis.TokenStream) analysis.TokenStream {
	out := make(analysis.TokenStream, 0, 2*len(in))
	for _, t := range in {
		out = append(out, t)
		if !hasHebrew(t.Term) {
			continue
		}
		w := string(t.Term)
		forms := append([]string{w}, f.candidates(w)...)
		for _, c := range forms {
			if u := unquoteAcronym(c); u != "" {
				forms = append(forms, u)
			}
		}
		for i, c := range forms {
			if i == 0 || containsBefore(forms, i, c) {
				continue
			}
			out = append(out, &analysis.Token{Term: []byte(c), Start: t.Start, End: t.End,
				Position: t.Position, Type: t.Type, KeyWord: t.KeyWord})
		}
	}
	return out
}

func containsBefore(forms []string, i int, c string) bool {
	for _, f := range forms[:i] {
		if f == c {
			return true
		}
	}
	return false
}

// hebrewQueryFilter (query time) replaces an acronym of 3+ letters by its quote-less form,
// so that one query token stands at each position (MatchQuery with operator AND needs
// that) and it matches both spellings, which the index side both carries.
type hebrewQueryFilter struct{}

func (hebrewQueryFilter) Filter(in analysis.TokenStream) analysis.TokenStream {
	for _, t := range in {
		if u := unquoteAcronym(string(t.Term)); u != "" && hasHebrew(t.Term) {
			t.Term = []byte(u)
		}
	}
	return in
}

// splitHebrewPrefix reports the non-Hebrew remainder of a token made of a legal proclitic
// chain glued to a Latin word or a number (בGoogle, ב2023, וה-iPhone is already split by
// the tokenizer), or "" if the token is not of that shape.
func splitHebrewPrefix(term []byte) string {
	w := string(term)
	i := 0
	for i < len(w) {
		r, size := utf8.DecodeRuneInString(w[i:])
		if !isHebrewLetter(r) {
			break
		}
		i += size
	}
	if i == 0 || i == len(w) || !hebrewPrefixes[w[:i]] {
		return ""
	}
	rest := w[i:]
	first, _ := utf8.DecodeRuneInString(rest)
	if !(unicode.IsLetter(first) || unicode.IsDigit(first)) || hasHebrew([]byte(rest)) {
		return ""
	}
	return rest
}
