package reanchor

import (
	"sort"
	"strings"

	"github.com/tacit-qda/tacit/coding"
)

// Relabel renames a speaker in a transcript: every turn whose speaker is
// from (compared as coding.NormSpeaker does) gets the label to, and the
// label written in the text before the turn's speech (between the previous
// turn's end and this turn's start) is rewritten. It returns the new text,
// the new turns, how many turns were relabelled, and Shift, which maps an
// offset of the old text to the new one (speech never changes, so every
// coding keeps its words).
func Relabel(text string, turns []coding.Turn, from, to string) (string, []coding.Turn, int, *Shift) {
	key := coding.NormSpeaker(from)
	runes := []rune(text)
	var b strings.Builder
	sh := &Shift{}
	out := make([]coding.Turn, len(turns))
	copy(out, turns)
	last, delta, n := 0, 0, 0
	prevEnd := 0
	for i, t := range turns {
		if coding.NormSpeaker(t.Speaker) != key {
			if t.End > prevEnd {
				prevEnd = t.End
			}
			out[i].Start, out[i].End = t.Start+delta, t.End+delta
			continue
		}
		n++
		out[i].Speaker = to
		// The label is the last occurrence of the old label (as written,
		// any case) in the text before the speech.
		lo := min(prevEnd, t.Start)
		seg := strings.ToLower(string(runes[lo:t.Start]))
		lab := []rune(strings.ToLower(t.Speaker))
		if at := strings.LastIndex(seg, string(lab)); at >= 0 && len(lab) > 0 {
			s := lo + len([]rune(seg[:at]))
			e := s + len(lab)
			b.WriteString(string(runes[last:s]))
			b.WriteString(to)
			d := len([]rune(to)) - (e - s)
			sh.edits = append(sh.edits, shiftEdit{at: e, delta: d, start: s})
			delta += d
			last = e
		}
		out[i].Start, out[i].End = t.Start+delta, t.End+delta
		if t.End > prevEnd {
			prevEnd = t.End
		}
	}
	b.WriteString(string(runes[last:]))
	return b.String(), out, n, sh
}

type shiftEdit struct {
	start, at int // the replaced label was [start, at) in the old text
	delta     int // how much longer the new label is
}

// Shift maps offsets of a text to the text after labels were replaced.
type Shift struct{ edits []shiftEdit }

// Map returns where old offset p is in the new text. An offset inside a
// replaced label maps to the start of the new label.
func (s *Shift) Map(p int) int {
	i := sort.Search(len(s.edits), func(i int) bool { return s.edits[i].at > p })
	d := 0
	for _, e := range s.edits[:i] {
		d += e.delta
	}
	if i < len(s.edits) && p > s.edits[i].start {
		return s.edits[i].start + d
	}
	return p + d
}
