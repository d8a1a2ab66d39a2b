package index

import (
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// A turn longer than PartBytes (a transcript without line breaks, say) is
// indexed as several bleve documents, its parts, so that analysing it never
// holds more than one part's tokens at a time: a 50 MB single-line file
// took 1.8-2.4 GB when it was one bleve document. The turn stays one turn
// everywhere else (codings, offsets, reports), and a search merges the hits
// of a turn's parts into one hit of the turn.
//
// A part ends at white space, so that no word is cut in two; only a run
// of PartBytes/2 bytes without white space is cut at a code-point boundary.
// Each part after the first starts PartOverlap bytes (or a little more, at
// the start of a word) before the previous part ends, so that a phrase of
// up to about PartOverlap bytes across the cut is still found in one part.
// Parts is a pure function of the turn's text: a search recomputes it to
// map a part's match offsets back to the turn. Changing these constants
// changes the index: bump MappingVersion.
const (
	PartBytes   = 64 << 10
	PartOverlap = 1 << 10
)

// Part is the byte range [Start,End) of one part of a turn's text.
type Part struct{ Start, End int }

// Parts splits a turn's text into the parts it is indexed as; a text of
// at most PartBytes bytes is one part.
func Parts(text string) []Part {
	if len(text) <= PartBytes {
		return []Part{{0, len(text)}}
	}
	var out []Part
	start := 0
	for len(text)-start > PartBytes {
		end := cutAt(text, start+PartBytes, start+PartBytes/2)
		out = append(out, Part{start, end})
		next := wordStart(text, end-PartOverlap, end-2*PartOverlap)
		if next <= start {
			next = end
		}
		start = next
	}
	return append(out, Part{start, len(text)})
}

// cutAt returns where a part that may end at limit ends: at the last white
// space in (floor, limit], else at the code-point boundary at or before
// limit.
func cutAt(text string, limit, floor int) int {
	for i := limit; i > floor; {
		r, size := utf8.DecodeLastRuneInString(text[:i])
		if isSpace(r) {
			return i - size
		}
		i -= size
	}
	for limit > 0 && !utf8.RuneStart(text[limit]) {
		limit--
	}
	return limit
}

// wordStart returns the start of the word at or before p: just after the
// last white space in (floor, p], else the code-point boundary at or
// before p.
func wordStart(text string, p, floor int) int {
	floor = max(floor, 0)
	for i := p; i > floor; {
		r, size := utf8.DecodeLastRuneInString(text[:i])
		if isSpace(r) {
			return i
		}
		i -= size
	}
	for p > 0 && !utf8.RuneStart(text[p]) {
		p--
	}
	return p
}

func isSpace(r rune) bool { return r == ' ' || r == '\n' || r == '\t' || unicode.IsSpace(r) }

// PartID returns the bleve id of part k of a turn: the turn's id for the
// first part (so an index without split turns has the same ids as before),
// "doc/turn/k" for the others.
func PartID(doc uint64, turn, k int) string {
	if k == 0 {
		return TurnID(doc, turn)
	}
	return TurnID(doc, turn) + "/" + strconv.Itoa(k)
}

// ParsePartID splits a bleve id into document id, turn index and part.
func ParsePartID(id string) (doc uint64, turn, part int, ok bool) {
	if i := strings.LastIndexByte(id, '/'); i > 0 && strings.Count(id, "/") == 2 {
		k, err := strconv.Atoi(id[i+1:])
		if err != nil || k <= 0 {
			return 0, 0, 0, false
		}
		doc, turn, ok = ParseTurnID(id[:i])
		return doc, turn, k, ok
	}
	doc, turn, ok = ParseTurnID(id)
	return doc, turn, 0, ok
}

// splitTurns is the index's record of its turns indexed in more than one
// part (turn -> number of parts), kept as an internal value so that a
// delete removes every part and a turn filter names every part.
type splitTurns map[TurnRef]int

func (s splitTurns) encode() []byte {
	refs := make([]TurnRef, 0, len(s))
	for r := range s {
		refs = append(refs, r)
	}
	sort.Slice(refs, func(i, j int) bool {
		if refs[i].Doc != refs[j].Doc {
			return refs[i].Doc < refs[j].Doc
		}
		return refs[i].Turn < refs[j].Turn
	})
	var b []byte
	for _, r := range refs {
		b = strconv.AppendUint(b, r.Doc, 10)
		b = append(b, ' ')
		b = strconv.AppendInt(b, int64(r.Turn), 10)
		b = append(b, ' ')
		b = strconv.AppendInt(b, int64(s[r]), 10)
		b = append(b, '\n')
	}
	return b
}

func decodeSplitTurns(b []byte) splitTurns {
	s := splitTurns{}
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		if len(f) != 3 {
			continue
		}
		doc, err1 := strconv.ParseUint(f[0], 10, 64)
		turn, err2 := strconv.Atoi(f[1])
		n, err3 := strconv.Atoi(f[2])
		if err1 == nil && err2 == nil && err3 == nil && n > 1 {
			s[TurnRef{doc, turn}] = n
		}
	}
	return s
}

// expandTurnIDs adds to a list of turn ids the ids of the other parts of
// split turns.
func (s splitTurns) expandTurnIDs(ids []string) []string {
	if len(s) == 0 || ids == nil {
		return ids
	}
	out := append([]string(nil), ids...)
	for _, id := range ids {
		doc, turn, ok := ParseTurnID(id)
		if !ok {
			continue
		}
		for k := 1; k < s[TurnRef{doc, turn}]; k++ {
			out = append(out, PartID(doc, turn, k))
		}
	}
	return out
}
