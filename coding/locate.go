package coding

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Span is a half-open code-point range [Start, End) of a document's text.
type Span struct {
	Start int `json:"start"`
	End   int `json:"end"`
}

// CheckSpan validates a span against a text of n code points.
func CheckSpan(s Span, n int) error {
	switch {
	case s.Start < 0 || s.End < 0:
		return Errorf(EInvalid, "range %d:%d has a negative offset; offsets count characters from 0", s.Start, s.End)
	case s.Start >= s.End:
		return Errorf(EInvalid, "range %d:%d is empty or reversed; the start must be below the end", s.Start, s.End)
	case s.End > n:
		return Errorf(EInvalid, "range %d:%d lies outside the text of %d characters", s.Start, s.End, n)
	}
	return nil
}

// ParseRange parses "S:E" (code-point offsets, half-open) as given on the
// command line. It does not check the span against a text.
func ParseRange(s string) (Span, error) {
	a, b, ok := strings.Cut(strings.TrimSpace(s), ":")
	if !ok {
		return Span{}, Errorf(EInvalid, "range %q is not START:END (character offsets, for example 120:164)", s)
	}
	start, err1 := strconv.Atoi(strings.TrimSpace(a))
	end, err2 := strconv.Atoi(strings.TrimSpace(b))
	if err1 != nil || err2 != nil {
		return Span{}, Errorf(EInvalid, "range %q is not START:END (character offsets, for example 120:164)", s)
	}
	if start < 0 || end < 0 {
		return Span{}, Errorf(EInvalid, "range %q has a negative offset", s)
	}
	if start >= end {
		return Span{}, Errorf(EInvalid, "range %q is empty or reversed; the start must be below the end", s)
	}
	return Span{start, end}, nil
}

// ParseTurnRange parses "A-B" (turn indices, inclusive) or a single "A".
func ParseTurnRange(s string) (int, int, error) {
	a, b, ok := strings.Cut(strings.TrimSpace(s), "-")
	if !ok {
		b = a
	}
	x, err1 := strconv.Atoi(strings.TrimSpace(a))
	y, err2 := strconv.Atoi(strings.TrimSpace(b))
	if err1 != nil || err2 != nil || x < 0 || y < 0 {
		return 0, 0, &Error{Kind: EInvalid, Message: fmt.Sprintf("turns %q is not FIRST-LAST (turn numbers, for example 3-5)", s), Next: NextShowDoc}
	}
	if x > y {
		return 0, 0, Errorf(EInvalid, "turns %q run backwards; write the first turn first", s)
	}
	return x, y, nil
}

// TurnSpan returns the span of the speech of turns first..last (inclusive)
// of doc.
func TurnSpan(doc *Document, first, last int) (Span, error) {
	n := len(doc.Turns)
	if first < 0 || last >= n || first > last {
		if first == last {
			return Span{}, &Error{Kind: EInvalid, Message: fmt.Sprintf("document %s has no turn %d; its turns are 0 to %d", doc.Name, first, n-1), Next: NextShowDoc, Arg: doc.Name}
		}
		return Span{}, &Error{Kind: EInvalid, Message: fmt.Sprintf("document %s has no turns %d-%d; its turns are 0 to %d", doc.Name, first, last, n-1), Next: NextShowDoc, Arg: doc.Name}
	}
	s := Span{doc.Turns[first].Start, doc.Turns[last].End}
	if s.Start >= s.End {
		return Span{}, Errorf(EInvalid, "turn %d of %s has no text to code", first, doc.Name)
	}
	return s, nil
}

// folded is a text with white-space runs folded to one space, typographic
// quotes folded to ASCII ones and NFC applied, keeping for each folded rune
// the code-point offset of its origin.
type folded struct {
	r   []rune
	pos []int // pos[i] = offset in the original text of r[i]
	end []int // end[i] = offset just past the original of r[i]
}

// foldRune maps typographic apostrophes and quotation marks to ASCII ones,
// so a quote typed on a keyboard finds text pasted from a word processor.
func foldRune(r rune) rune {
	switch r {
	case '\u2018', '\u2019', '\u201A', '\u201B', '\u2032', '\u05F3':
		return '\''
	case '\u201C', '\u201D', '\u201E', '\u201F', '\u2033', '\u05F4':
		return '"'
	case '\u00A0', '\u202F', '\u2007':
		return ' '
	}
	return r
}

func fold(s string, lower bool) folded {
	var f folded
	i := 0
	inSpace := false
	for _, r := range s {
		r = foldRune(r)
		if unicode.IsSpace(r) {
			if !inSpace {
				f.r = append(f.r, ' ')
				f.pos = append(f.pos, i)
				f.end = append(f.end, i+1)
				inSpace = true
			} else {
				f.end[len(f.end)-1] = i + 1
			}
		} else {
			inSpace = false
			if lower {
				r = unicode.ToLower(r)
			}
			f.r = append(f.r, r)
			f.pos = append(f.pos, i)
			f.end = append(f.end, i+1)
		}
		i++
	}
	return f
}

func foldQuote(q string, lower bool) []rune {
	q = norm.NFC.String(q)
	q = strings.Join(strings.FieldsFunc(q, func(r rune) bool { return unicode.IsSpace(foldRune(r)) }), " ")
	return fold(q, lower).r
}

func indexAll(hay, needle []rune) []int {
	var out []int
	if len(needle) == 0 || len(needle) > len(hay) {
		return nil
	}
outer:
	for i := 0; i+len(needle) <= len(hay); i++ {
		if hay[i] != needle[0] {
			continue
		}
		for j := 1; j < len(needle); j++ {
			if hay[i+j] != needle[j] {
				continue outer
			}
		}
		out = append(out, i)
	}
	return out
}

// QuoteResult is the outcome of LocateQuote: at most one of its lists is
// filled, tried in field order.
type QuoteResult struct {
	// Matches are the exact occurrences (after folding).
	Matches []Span
	// CaseOnly are occurrences that differ from the quote only in case,
	// filled when there is no exact one.
	CaseOnly []Span
	// Near are the passages that share the longest beginning or end with
	// the quote, filled when there is no occurrence at all.
	Near []Span
}

// LocateQuote finds quote in text. White space in both is folded (any run
// of spaces, tabs and line breaks matches any other), typographic quotes
// and apostrophes match ASCII ones, and the quote is put in NFC like the
// text. It returns every occurrence, overlapping ones included, and when
// there is none, occurrences that differ in case and near misses.
func LocateQuote(text, quote string) QuoteResult {
	var res QuoteResult
	q := foldQuote(quote, false)
	if len(q) == 0 {
		return res
	}
	ft := fold(text, false)
	for _, i := range indexAll(ft.r, q) {
		res.Matches = append(res.Matches, Span{ft.pos[i], ft.end[i+len(q)-1]})
	}
	if len(res.Matches) > 0 {
		return res
	}
	lt := fold(text, true)
	lq := foldQuote(quote, true)
	if len(lt.r) == len(ft.r) && len(lq) == len(q) {
		for _, i := range indexAll(lt.r, lq) {
			res.CaseOnly = append(res.CaseOnly, Span{lt.pos[i], lt.end[i+len(lq)-1]})
		}
	}
	if len(res.CaseOnly) > 0 {
		return res
	}
	res.Near = nearMisses(lt, lq, 3)
	return res
}

// nearMisses returns up to n spans of quote length whose beginning or end
// agrees longest with the quote (at least 4 characters or a third of it).
func nearMisses(t folded, q []rune, n int) []Span {
	type cand struct {
		s     Span
		score int
	}
	var cands []cand
	minLen := max(4, len(q)/3)
	if minLen > len(q) {
		return nil
	}
	add := func(i, j, score int) {
		if i < 0 {
			i = 0
		}
		if j > len(t.r) {
			j = len(t.r)
		}
		if i >= j {
			return
		}
		cands = append(cands, cand{Span{t.pos[i], t.end[j-1]}, score})
	}
	for i := 0; i < len(t.r); i++ {
		// common prefix of q with t[i:]
		k := 0
		for k < len(q) && i+k < len(t.r) && t.r[i+k] == q[k] {
			k++
		}
		if k >= minLen {
			add(i, i+len(q), k)
		}
		// common suffix of q with t[:i+1]
		k = 0
		for k < len(q) && i-k >= 0 && t.r[i-k] == q[len(q)-1-k] {
			k++
		}
		if k >= minLen {
			add(i+1-len(q), i+1, k)
		}
	}
	// best first, then by position; drop overlapping duplicates
	for a := 1; a < len(cands); a++ {
		for b := a; b > 0 && (cands[b].score > cands[b-1].score ||
			(cands[b].score == cands[b-1].score && cands[b].s.Start < cands[b-1].s.Start)); b-- {
			cands[b], cands[b-1] = cands[b-1], cands[b]
		}
	}
	var out []Span
	for _, c := range cands {
		overlap := false
		for _, o := range out {
			if c.s.Start < o.End && o.Start < c.s.End {
				overlap = true
				break
			}
		}
		if !overlap {
			out = append(out, c.s)
		}
		if len(out) == n {
			break
		}
	}
	return out
}

// FindQuote locates quote in doc's text and returns its single span. A
// quote that is missing, or that occurs more than once, is an EInvalid
// error that lists the candidates with their offsets and turns, so the
// user can lengthen the quote or give --range.
func FindQuote(doc *Document, text, quote string) (Span, error) {
	if strings.TrimSpace(quote) == "" {
		return Span{}, Errorf(EInvalid, "the quote is empty; give the words to code")
	}
	res := LocateQuote(text, quote)
	off := NewOffsets(text)
	where := func(spans []Span) string {
		parts := make([]string, 0, len(spans))
		for i, s := range spans {
			if i == 5 {
				parts = append(parts, fmt.Sprintf("and %d more", len(spans)-5))
				break
			}
			p := fmt.Sprintf("%d:%d", s.Start, s.End)
			if t := doc.TurnAt(s.Start); t >= 0 {
				p += fmt.Sprintf(" (turn %d", t)
				if sp := doc.Turns[t].Speaker; sp != "" {
					p += ", " + sp
				}
				p += ")"
			}
			p += " " + strconv.Quote(clip(off.Slice(s.Start, s.End), 60))
			parts = append(parts, p)
		}
		return strings.Join(parts, "; ")
	}
	short := strconv.Quote(clip(quote, 60))
	switch {
	case len(res.Matches) == 1:
		return res.Matches[0], nil
	case len(res.Matches) > 1:
		return Span{}, &Error{Kind: EInvalid, Message: fmt.Sprintf("quote %s occurs %d times in %s: at %s", short, len(res.Matches), doc.Name, where(res.Matches)), Next: NextQuoteMore}
	case len(res.CaseOnly) > 0:
		return Span{}, &Error{Kind: EInvalid, Message: fmt.Sprintf("quote %s is not in %s; it differs only in case from %s", short, doc.Name, where(res.CaseOnly)), Next: NextQuoteExact}
	case len(res.Near) > 0:
		return Span{}, &Error{Kind: EInvalid, Message: fmt.Sprintf("quote %s is not in %s; nearest passages: %s", short, doc.Name, where(res.Near)), Next: NextQuoteExact}
	}
	return Span{}, &Error{Kind: EInvalid, Message: fmt.Sprintf("quote %s is not in %s", short, doc.Name), Next: NextShowDoc, Arg: doc.Name}
}

// clip shortens s to n code points on one line.
func clip(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// SliceRunes returns the code points [start, end) of b (UTF-8), clamped to
// the text, without building an offset table: it suits one slice of a long
// text.
func SliceRunes(b []byte, start, end int) string {
	if end < start {
		end = start
	}
	o := ByteOffsets(b, start, end)
	return string(b[o[0]:o[1]])
}

// ByteOffsets converts ascending code-point offsets into byte offsets of b
// (UTF-8) in one pass, clamping each to [0, len(b)].
func ByteOffsets(b []byte, runes ...int) []int {
	out := make([]int, len(runes))
	k := 0
	for k < len(runes) && runes[k] <= 0 {
		k++
	}
	i := 0
	for pos := range string(b) {
		for k < len(runes) && runes[k] == i {
			out[k] = pos
			k++
		}
		if k == len(runes) {
			return out
		}
		i++
	}
	for ; k < len(runes); k++ {
		out[k] = len(b)
	}
	return out
}
