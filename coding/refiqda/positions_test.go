package refiqda

import (
	"math/rand"
	"strings"
	"testing"
)

// TestNameMatchesFastPath checks that the allocation-free comparison gives
// the answer of the folding one whenever it says it is sure.
func TestNameMatchesFastPath(t *testing.T) {
	cases := [][2]string{
		{"a b", "a b"}, {"a b", " a\n\tb "}, {"a b", "ab"}, {"ab", "a b"}, {"", "x"}, {"  ", "x"},
		{"x", ""}, {"abc…", "abcdef"}, {"abd…", "abcdef"}, {"é", "é"}, {"é", "e\u0301"},
		{"Mama", "Mam"}, {"Mam", "Mama"}, {"a\u00a0b", "a b"}, {"a  b", "a\u2028b"}, {"שלום", "שלום"},
		{"😀 x", "😀 x"}, {"a\r\nb", "a b"}, {"a …", "a b"}, {"é…", "éa"},
	}
	pieces := []string{"a", "b", " ", "  ", "\n", "\t", "é", "e\u0301", "…", "\u00a0", "ش", "😀", "Z", "\r\n"}
	r := rand.New(rand.NewSource(1))
	for i := 0; i < 20000; i++ {
		var a, b strings.Builder
		for k := r.Intn(5); k > 0; k-- {
			a.WriteString(pieces[r.Intn(len(pieces))])
		}
		for k := r.Intn(5); k > 0; k-- {
			b.WriteString(pieces[r.Intn(len(pieces))])
		}
		cases = append(cases, [2]string{a.String(), b.String()})
		if r.Intn(3) == 0 {
			cases = append(cases, [2]string{b.String(), b.String()})
		}
	}
	for _, c := range cases {
		slice := []rune(c[1])
		want := foldedNameMatches(c[0], slice)
		if got := nameMatches(c[0], slice); got != want {
			t.Errorf("nameMatches(%q, %q) = %v, want %v", c[0], c[1], got, want)
		}
	}
}

// TestTextIdentityMap checks that a text needing no map (no CRLF, no
// character outside the BMP, already normal) maps positions one to one
// under every unit, and one that needs it still maps.
func TestTextIdentityMap(t *testing.T) {
	txt, err := NewText([]byte("ab cd"))
	if err != nil {
		t.Fatal(err)
	}
	if txt.normAt != nil {
		t.Errorf("normAt kept for a normal text")
	}
	for _, u := range Units {
		if s, e, ok := txt.Map(u, 3, 5); !ok || s != 3 || e != 5 || txt.Len(u) != 5 {
			t.Errorf("%s: Map(3,5) = %d, %d, %v; Len %d", u, s, e, ok, txt.Len(u))
		}
	}
	if _, _, ok := txt.Map(Unit{}, 3, 6); ok {
		t.Errorf("Map past the end is ok")
	}
	txt, _ = NewText([]byte("a\r\n😀b"))
	if s, e, ok := txt.Map(Unit{UTF16: true}, 3, 6); !ok || s != 2 || e != 4 {
		t.Errorf("utf16 Map(3,6) = %d, %d, %v; want 2, 4", s, e, ok)
	}
	if s, e, ok := txt.Map(Unit{CRLFOne: true}, 2, 4); !ok || s != 2 || e != 4 {
		t.Errorf("chars-crlf1 Map(2,4) = %d, %d, %v; want 2, 4", s, e, ok)
	}
}
