package agreement

import (
	"fmt"
	"slices"
	"unicode"
	"unicode/utf8"

	"github.com/tacit-qda/tacit/coding"
)

// Unit kinds: what one unit of comparison is.
const (
	UnitTurn      = "turn"      // each turn of a document (its spoken text)
	UnitSentence  = "sentence"  // each sentence inside the turns
	UnitParagraph = "paragraph" // each line of text inside the turns
	UnitDoc       = "doc"       // each document
	UnitCase      = "case"      // each case (story): is the code present anywhere in it
	UnitChar      = "char"      // each character of the documents' text
)

// UnitKinds lists the unit kinds in the order the CLI documents them.
var UnitKinds = []string{UnitTurn, UnitSentence, UnitParagraph, UnitDoc, UnitCase, UnitChar}

// Doc is a document as agreement needs it: its text (normalised, offsets in
// code points), its turns and the name of its case ("" when it has none).
type Doc struct {
	ID    uint64
	Name  string
	Case  string
	Text  string
	Turns []coding.Turn
}

// Coding is one code applied by one coder to [Start,End) of document Doc.
// Code is the code's path ("Parent/Child").
type Coding struct {
	Doc        uint64
	Code       string
	Coder      string
	Start, End int
}

// Span is a half-open range [Start,End) of code points.
type Span struct {
	Start, End int
}

// UnitSpans returns the units of one document for the kinds turn, sentence,
// paragraph and doc, in text order, non-overlapping and non-empty:
//
//   - turn: each turn's [Start,End), clipped to the text; turns that overlap
//     an earlier one are cut to start where it ends. A document without
//     turns falls back to paragraphs (fellBack is true).
//   - paragraph: each line (text between line breaks: \n, U+2028, U+2029)
//     inside a turn, with white space trimmed; lines that are only white
//     space are not units. Without turns, the lines of the whole text.
//   - sentence: each paragraph split after a run of sentence-ending
//     punctuation (. ! ? … ؟ ۔ । 。 ！ ？) followed, after optional closing
//     quotes or brackets, by white space or the end of the paragraph. So
//     "3.5" stays whole; an abbreviation such as "Dr. Levi" is split.
//   - doc: the whole text, [0, length) (one unit even when the text is empty).
//
// Text outside every turn (speaker labels, headers) belongs to no unit of
// kind turn, sentence or paragraph. Case and char units are not spans of
// one document; UnitSpans rejects them.
func UnitSpans(d Doc, kind string) (spans []Span, fellBack bool, err error) {
	n := utf8.RuneCountInString(d.Text)
	switch kind {
	case UnitDoc:
		return []Span{{0, n}}, false, nil
	case UnitTurn:
		ts := turnSpans(d.Turns, n)
		if len(ts) == 0 {
			return paragraphs([]rune(d.Text), []Span{{0, n}}), true, nil
		}
		return ts, false, nil
	case UnitParagraph, UnitSentence:
		regions := turnSpans(d.Turns, n)
		if len(regions) == 0 {
			regions = []Span{{0, n}}
		}
		rs := []rune(d.Text)
		ps := paragraphs(rs, regions)
		if kind == UnitParagraph {
			return ps, false, nil
		}
		return sentences(rs, ps), false, nil
	}
	return nil, false, fmt.Errorf("agreement: UnitSpans does not split by %q", kind)
}

// turnSpans returns the turns' spans clipped to [0,n), sorted, with overlaps
// cut and empty spans dropped.
func turnSpans(turns []coding.Turn, n int) []Span {
	out := make([]Span, 0, len(turns))
	for _, t := range turns {
		s, e := max(t.Start, 0), min(t.End, n)
		if s < e {
			out = append(out, Span{s, e})
		}
	}
	slices.SortStableFunc(out, func(a, b Span) int { return a.Start - b.Start })
	res := out[:0]
	end := 0
	for _, sp := range out {
		if sp.Start < end {
			sp.Start = end
		}
		if sp.Start < sp.End {
			res = append(res, sp)
			end = sp.End
		}
	}
	return res
}

func isLineBreak(r rune) bool { return r == '\n' || r == '\r' || r == '\u2028' || r == '\u2029' }

// paragraphs splits each region of rs at line breaks and trims white space.
func paragraphs(rs []rune, regions []Span) []Span {
	var out []Span
	for _, reg := range regions {
		s := reg.Start
		for i := reg.Start; i <= reg.End; i++ {
			if i == reg.End || isLineBreak(rs[i]) {
				if sp, ok := trim(rs, s, i); ok {
					out = append(out, sp)
				}
				s = i + 1
			}
		}
	}
	return out
}

func trim(rs []rune, s, e int) (Span, bool) {
	for s < e && unicode.IsSpace(rs[s]) {
		s++
	}
	for e > s && unicode.IsSpace(rs[e-1]) {
		e--
	}
	return Span{s, e}, s < e
}

func isTerminator(r rune) bool {
	switch r {
	case '.', '!', '?', '…', '؟', '۔', '।', '。', '！', '？':
		return true
	}
	return false
}

func isCloser(r rune) bool {
	switch r {
	case '"', '\'', '”', '’', '»', '›', ')', ']', '}', '」', '』':
		return true
	}
	return false
}

// sentences splits each paragraph into sentences (see UnitSpans).
func sentences(rs []rune, paras []Span) []Span {
	var out []Span
	for _, p := range paras {
		s := p.Start
		i := p.Start
		for i < p.End {
			if !isTerminator(rs[i]) {
				i++
				continue
			}
			j := i
			for j < p.End && isTerminator(rs[j]) {
				j++
			}
			for j < p.End && isCloser(rs[j]) {
				j++
			}
			if j == p.End || unicode.IsSpace(rs[j]) {
				if sp, ok := trim(rs, s, j); ok {
					out = append(out, sp)
				}
				s = j
			}
			i = j
		}
		if sp, ok := trim(rs, s, p.End); ok {
			out = append(out, sp)
		}
	}
	return out
}
