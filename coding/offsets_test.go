package coding

import (
	"math/rand"
	"strings"
	"testing"
	"unicode/utf8"
)

// TestOffsetsAgainstTable compares the sparse Offsets with a table of every
// code point, on texts mixing ASCII, Hebrew, Arabic and emoji, around the
// checkpoints and past both ends.
func TestOffsetsAgainstTable(t *testing.T) {
	pieces := []string{"a", "b ", "ש", "לום ", "م", "رحبا ", "😀", "é", "\n", "x"}
	rng := rand.New(rand.NewSource(7))
	for _, n := range []int{0, 1, 63, 64, 65, 127, 128, 129, 1000} {
		var b strings.Builder
		for b.Len() < n {
			b.WriteString(pieces[rng.Intn(len(pieces))])
		}
		for _, text := range []string{b.String(), strings.Repeat("a", n)} {
			var table []int
			for i := range text {
				table = append(table, i)
			}
			table = append(table, len(text))
			o := NewOffsets(text)
			if o.Len() != utf8.RuneCountInString(text) {
				t.Fatalf("len %d: Len %d, want %d", n, o.Len(), utf8.RuneCountInString(text))
			}
			for r := -2; r < len(table)+2; r++ {
				want := table[max(0, min(r, len(table)-1))]
				if got := o.Byte(r); got != want {
					t.Fatalf("len %d: Byte(%d) = %d, want %d", n, r, got, want)
				}
			}
			for bi := -2; bi < len(text)+2; bi++ {
				want := 0
				for k, v := range table {
					if v <= bi {
						want = k
					}
				}
				if got := o.Rune(bi); got != want {
					t.Fatalf("len %d: Rune(%d) = %d, want %d", n, bi, got, want)
				}
			}
		}
	}
}
