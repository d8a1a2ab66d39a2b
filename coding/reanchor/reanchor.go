// Package reanchor carries spans (codings) of an old text over to a new,
// edited version of it: a word-level diff of the two texts maps every
// surviving word to its new place, and each span is then
//
//   - kept: its words are unchanged and at the same offsets;
//   - moved: its words are unchanged, at new offsets (text inserted or
//     deleted before it, or its paragraph moved);
//   - changed: some of its words were edited or deleted; it is stretched or
//     shrunk to the words that survived;
//   - orphaned: none of its words survived.
//
// Offsets are code points, half-open [start,end). The package is pure: it
// knows nothing of stores, indexes or documents.
package reanchor

import (
	"sort"
	"unicode"
	"unicode/utf8"
)

// Token is a word (a run of letters, digits and marks) or one other
// non-space character, with its code-point offsets.
type Token struct {
	Text       string
	Start, End int
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) || r == '_'
}

// Tokenize splits text into words and single punctuation or symbol
// characters; white space separates tokens and is not one.
func Tokenize(text string) []Token {
	toks := make([]Token, 0, len(text)/5)
	pos := 0 // code points
	i := 0
	for i < len(text) {
		r, sz := utf8.DecodeRuneInString(text[i:])
		switch {
		case unicode.IsSpace(r):
			i += sz
			pos++
		case isWordRune(r):
			bs, ps := i, pos
			for i < len(text) {
				r, sz = utf8.DecodeRuneInString(text[i:])
				if !isWordRune(r) {
					// An apostrophe or a gershayim between letters stays in
					// the word (don't, צה"ל).
					if (r == '\'' || r == '\u2019' || r == '"' || r == '\u05f3' || r == '\u05f4') && i+sz < len(text) {
						if r2, _ := utf8.DecodeRuneInString(text[i+sz:]); unicode.IsLetter(r2) {
							i += sz
							pos++
							continue
						}
					}
					break
				}
				i += sz
				pos++
			}
			toks = append(toks, Token{Text: text[bs:i], Start: ps, End: pos})
		default:
			toks = append(toks, Token{Text: text[i : i+sz], Start: pos, End: pos + 1})
			i += sz
			pos++
		}
	}
	return toks
}

// Span is a region of the old text to carry over.
type Span struct {
	ID         uint64
	Start, End int
}

// Status says what became of a span.
type Status string

// The statuses of a span.
const (
	Kept     Status = "kept"
	Moved    Status = "moved"
	Changed  Status = "changed"
	Orphaned Status = "orphaned"
)

// Result is where one span went. NewStart and NewEnd are 0 for an
// orphaned span.
type Result struct {
	ID                 uint64
	Status             Status
	OldStart, OldEnd   int
	NewStart, NewEnd   int
	WordsOld, WordsNew int // tokens in the old span; of them, surviving
}

// Matcher returns, for two token sequences (as ids), the pairs of
// positions matched by a diff, in increasing order of both.
type Matcher func(a, b []int) [][2]int

// Options for Reanchor.
type Options struct {
	// Match is the diff used; nil means Myers.
	Match Matcher
}

// Mapping is a word-level alignment of an old text with a new one; build
// it once with Align and re-anchor any number of spans with it.
type Mapping struct {
	oldText, newText string
	a, b             []Token
	ai, bi           []int // token ids
	newIdx           []int // for each old token: the new token it matched, or -1
	runLen           []int // for each matched old token: the length of its run of consecutive matches
	byFirst          map[int][]int
	oldRunes         []rune
	newRunes         []rune
}

// Align diffs two texts word by word.
func Align(oldText, newText string, opt Options) *Mapping {
	m := &Mapping{oldText: oldText, newText: newText, a: Tokenize(oldText), b: Tokenize(newText)}
	ids := map[string]int{}
	id := func(s string) int {
		if v, ok := ids[s]; ok {
			return v
		}
		ids[s] = len(ids)
		return len(ids) - 1
	}
	m.ai = make([]int, len(m.a))
	for i, t := range m.a {
		m.ai[i] = id(t.Text)
	}
	m.bi = make([]int, len(m.b))
	for i, t := range m.b {
		m.bi[i] = id(t.Text)
	}
	match := opt.Match
	if match == nil {
		match = Myers
	}
	m.newIdx = make([]int, len(m.a))
	for i := range m.newIdx {
		m.newIdx[i] = -1
	}
	for _, p := range match(m.ai, m.bi) {
		m.newIdx[p[0]] = p[1]
	}
	m.runLen = make([]int, len(m.a))
	for i := 0; i < len(m.a); {
		if m.newIdx[i] < 0 {
			i++
			continue
		}
		j := i + 1
		for j < len(m.a) && m.newIdx[j] == m.newIdx[j-1]+1 {
			j++
		}
		for k := i; k < j; k++ {
			m.runLen[k] = j - i
		}
		i = j
	}
	m.oldRunes = []rune(oldText)
	m.newRunes = []rune(newText)
	return m
}

// tokensIn returns the old tokens overlapping [start,end): [i0,i1).
func tokensIn(toks []Token, start, end int) (int, int) {
	i0 := sort.Search(len(toks), func(i int) bool { return toks[i].End > start })
	i1 := sort.Search(len(toks), func(i int) bool { return toks[i].Start >= end })
	if i1 < i0 {
		i1 = i0
	}
	return i0, i1
}

// Reanchor carries the spans over; results are in the order of spans.
func Reanchor(oldText, newText string, spans []Span, opt Options) []Result {
	m := Align(oldText, newText, opt)
	out := make([]Result, len(spans))
	for i, s := range spans {
		out[i] = m.Span(s)
	}
	return out
}

// Span carries one span over.
func (m *Mapping) Span(s Span) Result {
	r := Result{ID: s.ID, OldStart: s.Start, OldEnd: s.End}
	i0, i1 := tokensIn(m.a, s.Start, s.End)
	r.WordsOld = i1 - i0
	if i0 >= i1 {
		// Only white space: keep it where its neighbourhood went.
		return m.whitespaceSpan(r, i0)
	}
	exact := true
	for i := i0; i < i1; i++ {
		if m.newIdx[i] < 0 || (i > i0 && m.newIdx[i] != m.newIdx[i-1]+1) {
			exact = false
			break
		}
	}
	if exact {
		return m.place(r, i0, i1, m.newIdx[i0])
	}
	if j, ok := m.relocate(i0, i1); ok {
		return m.place(r, i0, i1, j)
	}
	// Partly edited: stretch or shrink to the surviving words. Isolated
	// matches (runs under three tokens inside edited text) are chance
	// agreements of common words, not survivors.
	// Punctuation alone does not keep a span alive.
	first, last, words := -1, -1, 0
	for i := i0; i < i1; i++ {
		if m.newIdx[i] < 0 || !m.reliable(i) {
			continue
		}
		if first < 0 {
			first = i
		}
		last = i
		r.WordsNew++
		if r, _ := utf8.DecodeRuneInString(m.a[i].Text); isWordRune(r) {
			words++
		}
	}
	if words == 0 {
		r.WordsNew = 0
		r.Status = Orphaned
		return r
	}
	r.Status = Changed
	r.NewStart = m.b[m.newIdx[first]].Start
	if first == i0 && s.Start > m.a[i0].Start {
		r.NewStart += s.Start - m.a[i0].Start
	}
	r.NewEnd = m.b[m.newIdx[last]].End
	if last == i1-1 && s.End < m.a[last].End {
		r.NewEnd -= m.a[last].End - s.End
	}
	// Words replaced at an edge of the span (a name at its start, say)
	// belong to it when the replaced words all lay inside the span: take
	// in the words inserted in their place.
	if first > i0 {
		if pm := m.prevMatch(i0); pm == i0-1 {
			from := 0
			if pm >= 0 {
				from = m.newIdx[pm] + 1
			}
			if from < m.newIdx[first] {
				r.NewStart = m.b[from].Start
			}
		}
	}
	if last < i1-1 {
		if nm := m.nextMatch(i1 - 1); nm == i1 {
			to := len(m.b) - 1
			if nm < len(m.a) {
				to = m.newIdx[nm] - 1
			}
			if to > m.newIdx[last] {
				r.NewEnd = m.b[to].End
			}
		}
	}
	if r.NewEnd <= r.NewStart {
		r.NewStart, r.NewEnd = m.b[m.newIdx[first]].Start, m.b[m.newIdx[last]].End
	}
	return r
}

// prevMatch returns the last old token before i with a reliable match,
// or -1.
func (m *Mapping) prevMatch(i int) int {
	for j := i - 1; j >= 0; j-- {
		if m.newIdx[j] >= 0 && m.reliable(j) {
			return j
		}
		if m.newIdx[j] < 0 {
			return -2 // a deleted word outside the span: the edit is not only the span's
		}
	}
	return -1
}

// nextMatch returns the first old token after i with a reliable match, or
// len(a) at the end of the text.
func (m *Mapping) nextMatch(i int) int {
	for j := i + 1; j < len(m.a); j++ {
		if m.newIdx[j] >= 0 && m.reliable(j) {
			return j
		}
		if m.newIdx[j] < 0 {
			return -2
		}
	}
	return len(m.a)
}

// reliable says whether old token i's match is part of a run long enough
// to trust, or of a run that reaches an end of the text.
func (m *Mapping) reliable(i int) bool {
	if m.runLen[i] >= 3 {
		return true
	}
	// Find the run's ends.
	j := i
	for j > 0 && m.newIdx[j-1] >= 0 && m.newIdx[j-1] == m.newIdx[j]-1 {
		j--
	}
	k := i
	for k+1 < len(m.a) && m.newIdx[k+1] == m.newIdx[k]+1 {
		k++
	}
	return j == 0 || k == len(m.a)-1
}

// relocate finds the old tokens [i0,i1) as a run in the new text: the
// occurrence nearest to where the neighbourhood of i0 went.
func (m *Mapping) relocate(i0, i1 int) (int, bool) {
	if m.byFirst == nil {
		m.byFirst = map[int][]int{}
		for j, id := range m.bi {
			m.byFirst[id] = append(m.byFirst[id], j)
		}
	}
	n := i1 - i0
	expect := m.expected(i0)
	best, bestDist := -1, 0
	for _, j := range m.byFirst[m.ai[i0]] {
		if j+n > len(m.bi) {
			break
		}
		ok := true
		for k := 1; k < n; k++ {
			if m.bi[j+k] != m.ai[i0+k] {
				ok = false
				break
			}
		}
		if !ok {
			continue
		}
		d := j - expect
		if d < 0 {
			d = -d
		}
		if best < 0 || d < bestDist {
			best, bestDist = j, d
		}
	}
	return best, best >= 0
}

// expected estimates where old token i lies in the new text, from the
// nearest matched token before it.
func (m *Mapping) expected(i int) int {
	for j := i - 1; j >= 0; j-- {
		if m.newIdx[j] >= 0 && m.reliable(j) {
			return m.newIdx[j] + (i - j)
		}
	}
	return i
}

// place anchors old tokens [i0,i1) at new tokens [j, j+i1-i0), keeping any
// part of a word or white space the span had at its edges when the new
// text has the same there.
func (m *Mapping) place(r Result, i0, i1, j int) Result {
	jl := j + (i1 - i0) - 1
	r.WordsNew = r.WordsOld
	lead := r.OldStart - m.a[i0].Start // > 0 inside the word, < 0 white space before it
	r.NewStart = m.b[j].Start + lead
	if lead < 0 && !m.sameRunes(r.OldStart, m.a[i0].Start, r.NewStart) {
		r.NewStart = m.b[j].Start
	}
	trail := r.OldEnd - m.a[i1-1].End // < 0 inside the word, > 0 white space after it
	r.NewEnd = m.b[jl].End + trail
	if trail > 0 && !m.sameRunes(m.a[i1-1].End, r.OldEnd, m.b[jl].End) {
		r.NewEnd = m.b[jl].End
	}
	if r.NewStart < 0 || r.NewEnd > len(m.newRunes) || r.NewStart >= r.NewEnd {
		r.NewStart, r.NewEnd = m.b[j].Start, m.b[jl].End
	}
	if r.NewStart == r.OldStart && r.NewEnd == r.OldEnd {
		r.Status = Kept
	} else {
		r.Status = Moved
	}
	return r
}

// sameRunes reports whether old[os:oe] equals new[ns:ns+oe-os].
func (m *Mapping) sameRunes(os, oe, ns int) bool {
	n := oe - os
	if os < 0 || oe > len(m.oldRunes) || ns < 0 || ns+n > len(m.newRunes) {
		return false
	}
	for k := 0; k < n; k++ {
		if m.oldRunes[os+k] != m.newRunes[ns+k] {
			return false
		}
	}
	return true
}

// whitespaceSpan places a span of white space only after the new place of
// the token before it.
func (m *Mapping) whitespaceSpan(r Result, i0 int) Result {
	for j := i0 - 1; j >= 0; j-- {
		if m.newIdx[j] >= 0 {
			at := m.b[m.newIdx[j]].End
			n := r.OldEnd - r.OldStart
			if m.sameRunes(r.OldStart, r.OldEnd, at+(r.OldStart-m.a[j].End)) {
				r.NewStart = at + (r.OldStart - m.a[j].End)
				r.NewEnd = r.NewStart + n
				r.Status = Moved
				if r.NewStart == r.OldStart {
					r.Status = Kept
				}
				return r
			}
			break
		}
	}
	r.Status = Orphaned
	return r
}
