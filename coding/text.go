package coding

import (
	"strings"
	"unicode/utf8"
)

// NormSpeaker returns the key under which a speaker label is compared:
// trimmed, inner white space folded, lower-cased.
func NormSpeaker(s string) string {
	// Most labels are ASCII with single spaces inside: lower-case them
	// without splitting and joining (this runs once per turn when a role
	// filter looks at every turn of a project).
	simple := len(s) > 0 && s[0] != ' ' && s[len(s)-1] != ' '
	for i := 0; simple && i < len(s); i++ {
		c := s[i]
		simple = c < utf8.RuneSelf && c != '\t' && c != '\n' && c != '\r' && c != '\v' && c != '\f' && (c != ' ' || s[i-1] != ' ')
	}
	if simple {
		return strings.ToLower(s)
	}
	return strings.ToLower(strings.Join(strings.Fields(s), " "))
}

// Offsets converts between code-point offsets and UTF-8 byte offsets of one
// text. The zero value is not usable; build it with NewOffsets.
//
// It keeps the byte offset of every offsetStep-th code point only (an
// eighth of a byte per byte of text, where a table of every code point took
// eight bytes per byte: 400 MB for a 50 MB turn) and decodes at most
// offsetStep-1 code points from there.
type Offsets struct {
	text  string
	ascii bool
	n     int // code points
	// at[k] is the byte offset of code point k*offsetStep.
	at []int
}

const offsetStep = 64

// NewOffsets indexes text for offset conversion.
func NewOffsets(text string) *Offsets {
	o := &Offsets{text: text, ascii: true}
	for i := 0; i < len(text); i++ {
		if text[i] >= utf8.RuneSelf {
			o.ascii = false
			break
		}
	}
	if o.ascii {
		o.n = len(text)
		return o
	}
	o.at = make([]int, 0, len(text)/offsetStep+2)
	n := 0
	for i := range text {
		if n%offsetStep == 0 {
			o.at = append(o.at, i)
		}
		n++
	}
	o.n = n
	return o
}

// Len returns the number of code points in the text.
func (o *Offsets) Len() int { return o.n }

// Byte returns the byte offset of code point r (clamped to the text).
func (o *Offsets) Byte(r int) int {
	if r <= 0 {
		return 0
	}
	if r >= o.n {
		return len(o.text)
	}
	if o.ascii {
		return r
	}
	b := o.at[r/offsetStep]
	for k := r % offsetStep; k > 0; k-- {
		_, size := utf8.DecodeRuneInString(o.text[b:])
		b += size
	}
	return b
}

// Rune returns the code-point offset of byte offset b. A byte offset inside
// a multi-byte character maps to that character.
func (o *Offsets) Rune(b int) int {
	if b <= 0 {
		return 0
	}
	if b >= len(o.text) {
		return o.n
	}
	if o.ascii {
		return b
	}
	// The last checkpoint at or before b.
	lo, hi := 0, len(o.at)-1
	for lo < hi {
		m := (lo + hi + 1) / 2
		if o.at[m] <= b {
			lo = m
		} else {
			hi = m - 1
		}
	}
	r, i := lo*offsetStep, o.at[lo]
	for {
		_, size := utf8.DecodeRuneInString(o.text[i:])
		if i+size > b {
			return r
		}
		i += size
		r++
	}
}

// Slice returns the text of code points [start, end).
func (o *Offsets) Slice(start, end int) string {
	return o.text[o.Byte(start):o.Byte(end)]
}

// RuneLen returns the number of code points in s.
func RuneLen(s string) int { return utf8.RuneCountInString(s) }
