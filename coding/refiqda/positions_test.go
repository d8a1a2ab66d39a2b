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

// TestPlainASCIIText checks that a plain ASCII text, read without its
// runes, maps, scores and detects selections as the general reading does.
func TestPlainASCIIText(t *testing.T) {
	r := rand.New(rand.NewSource(2))
	words := []string{"Ana", "said", "the", "plan", "42", "it's", "  ", "\n", "\t", "x", "-", ".", "\n\n", "Mo:"}
	for i := 0; i < 300; i++ {
		var b strings.Builder
		for k := r.Intn(60); k > 0; k-- {
			b.WriteString(words[r.Intn(len(words))])
			b.WriteByte(' ')
		}
		data := []byte(b.String())
		if i%7 == 0 {
			data = append([]byte("\xef\xbb\xbf"), data...)
		}
		fast, err1 := newText(data, true)
		slow, err2 := newText(data, false)
		if err1 != nil || err2 != nil {
			t.Fatal(err1, err2)
		}
		if !fast.ascii && len(data) > 0 {
			t.Fatalf("%q: not read as plain ASCII", data)
		}
		if fast.Norm != slow.Norm || fast.BOM != slow.BOM || fast.Describe() != slow.Describe() {
			t.Fatalf("%q: %q %v, want %q %v", data, fast.Norm, fast.BOM, slow.Norm, slow.BOM)
		}
		n := len(fast.Norm)
		var sels []Sel
		for k := r.Intn(12); k > 0; k-- {
			s, e := r.Intn(n+3)-1, r.Intn(n+3)-1
			name := ""
			if s >= 0 && e <= n && s <= e && r.Intn(2) == 0 {
				name = fast.Norm[s:e]
				if r.Intn(3) == 0 && e > s {
					name = fast.Norm[s:e-1] + "…"
				}
			}
			sels = append(sels, Sel{Start: s, End: e, Name: name})
		}
		for _, u := range Units {
			if fast.Len(u) != slow.Len(u) {
				t.Fatalf("%q: Len(%s) %d, want %d", data, u, fast.Len(u), slow.Len(u))
			}
			for _, sel := range sels {
				a1, b1, ok1 := fast.Map(u, sel.Start, sel.End)
				a2, b2, ok2 := slow.Map(u, sel.Start, sel.End)
				if a1 != a2 || b1 != b2 || ok1 != ok2 {
					t.Fatalf("%q: Map(%s, %d, %d) = %d %d %v, want %d %d %v", data, u, sel.Start, sel.End, a1, b1, ok1, a2, b2, ok2)
				}
			}
			if f, s := fast.Score(u, sels), slow.Score(u, sels); f != s {
				t.Fatalf("%q: Score(%s) = %+v, want %+v", data, u, f, s)
			}
		}
		fu, fs := fast.DetectUnit(sels)
		su, ss := slow.DetectUnit(sels)
		if fu != su || len(fs) != len(ss) {
			t.Fatalf("%q: DetectUnit %v %v, want %v %v", data, fu, fs, su, ss)
		}
	}
}
