package coding

import (
	"strings"
	"unicode/utf8"
)

// NormSpeaker returns the key under which a speaker label is compared:
// trimmed, inner white space folded, lower-cased.
func NormSpeaker(s string) string {
	return strings.ToLower(strings.Join(strings.Fields(s), " "))
}

// Offsets converts between code-point offsets and UTF-8 byte offsets of one
// text. The zero value is not usable; build it with NewOffsets.
type Offsets struct {
	text  string
	ascii bool
	// byteAt[i] is the byte offset of code point i, for i in [0, n].
	byteAt []int
}

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
		return o
	}
	o.byteAt = make([]int, 0, len(text)+1)
	for i := range text {
		o.byteAt = append(o.byteAt, i)
	}
	o.byteAt = append(o.byteAt, len(text))
	return o
}

// Len returns the number of code points in the text.
func (o *Offsets) Len() int {
	if o.ascii {
		return len(o.text)
	}
	return len(o.byteAt) - 1
}

// Byte returns the byte offset of code point r (clamped to the text).
func (o *Offsets) Byte(r int) int {
	if r < 0 {
		return 0
	}
	if o.ascii {
		if r > len(o.text) {
			return len(o.text)
		}
		return r
	}
	if r >= len(o.byteAt) {
		return len(o.text)
	}
	return o.byteAt[r]
}

// Rune returns the code-point offset of byte offset b. A byte offset inside
// a multi-byte character maps to that character.
func (o *Offsets) Rune(b int) int {
	if o.ascii {
		if b > len(o.text) {
			return len(o.text)
		}
		if b < 0 {
			return 0
		}
		return b
	}
	lo, hi := 0, len(o.byteAt)-1
	for lo < hi {
		m := (lo + hi + 1) / 2
		if o.byteAt[m] <= b {
			lo = m
		} else {
			hi = m - 1
		}
	}
	return lo
}

// Slice returns the text of code points [start, end).
func (o *Offsets) Slice(start, end int) string {
	return o.text[o.Byte(start):o.Byte(end)]
}

// RuneLen returns the number of code points in s.
func RuneLen(s string) int { return utf8.RuneCountInString(s) }
