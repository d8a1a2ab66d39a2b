package index

import (
	"math"
	"reflect"
	"strings"
	"testing"
)

func TestWordCounter(t *testing.T) {
	c := NewWordCounter(WordOptions{})
	c.Add("The Crisis was a crisis. The family's plan, the FAMILY plan! 2023 x", "en")
	c.Add("הם דיברו איתי בכבוד, והכבוד הזה. כָּבוֹד כבוד של המשפחה", "he")
	c.Add("قرأت والكتاب في المدرسة ٢٠٢٣", "ar")
	got := map[string]int{}
	for _, w := range c.Top(0, 1) {
		got[w.Word] = w.Count
	}
	want := map[string]int{
		"crisis": 2, "family": 2, "plan": 2, // stop words, numbers and 1-letter words dropped; 's removed
		"דיברו": 1, "בכבוד": 1, "והכבוד": 1, "כבוד": 2, "המשפחה": 1, // niqqud folded, prefixes kept
		"قرأت": 1, "والكتاب": 1, "المدرسة": 1,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %v\nwant %v", got, want)
	}
	top := c.Top(2, 1)
	if len(top) != 2 || top[0].Count != 2 || top[0].Key > top[1].Key {
		t.Errorf("top 2 = %+v", top)
	}
	if c.Total() != 15 {
		t.Errorf("total %d", c.Total())
	}
	if w := c.Top(1, 1)[0]; w.PerThousand != math.Round(2e6/15)/1e3 {
		t.Errorf("per 1000 = %v", w.PerThousand)
	}
	if n := len(c.Top(0, 2)); n != 4 {
		t.Errorf("min count 2: %d words", n)
	}
}

func TestWordCounterForms(t *testing.T) {
	c := NewWordCounter(WordOptions{MinLen: 3, KeepStopWords: true})
	c.Add("Crisis crisis CRISIS crisis of it", "en")
	top := c.Top(0, 1)
	if top[0].Word != "crisis" || top[0].Count != 4 || len(top) != 1 {
		t.Errorf("top %+v (min len 3 keeps only crisis)", top)
	}
}

func TestBigrams(t *testing.T) {
	c := NewWordCounter(WordOptions{NGram: 2})
	c.Add("The turning point came. Turning point again; whole family plan and the turning point", "en")
	got := map[string]int{}
	for _, w := range c.Top(0, 1) {
		got[w.Word] = w.Count
	}
	want := map[string]int{"turning point": 3, "point came": 1, "whole family": 1, "family plan": 1}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v want %v", got, want)
	}
}

func TestLogLikelihood(t *testing.T) {
	// Worked example: a=10 in 1000 words, b=5 in 5000 words.
	a, b, c, d := 10.0, 5.0, 1000.0, 5000.0
	e1, e2 := c*(a+b)/(c+d), d*(a+b)/(c+d)
	want := 2 * (a*math.Log(a/e1) + b*math.Log(b/e2))
	if g := LogLikelihood(a, b, c, d); math.Abs(g-want) > 1e-9 || math.Abs(g-18.563) > 0.001 {
		t.Errorf("G2 = %v, want %v (≈18.563)", g, want)
	}
	if g := LogLikelihood(5, 25, 1000, 5000); math.Abs(g) > 1e-9 {
		t.Errorf("equal rates: G2 = %v, want 0", g)
	}
	if g := LogLikelihood(0, 0, 10, 10); g != 0 {
		t.Errorf("zero counts: %v", g)
	}
}

func TestKeywords(t *testing.T) {
	sub := NewWordCounter(WordOptions{})
	ref := NewWordCounter(WordOptions{})
	sub.Add(strings.Repeat("crisis lever family ", 10)+"meeting", "en")
	ref.Add(strings.Repeat("family meeting office weather ", 20), "en")
	kw := Keywords(sub, ref, 0, 2)
	var words []string
	for _, k := range kw {
		words = append(words, k.Word)
	}
	if !reflect.DeepEqual(words, []string{"crisis", "lever", "family"}) {
		t.Fatalf("keywords %v (%+v)", words, kw)
	}
	if kw[0].Count != 10 || kw[0].RefCount != 0 || kw[0].P != 0.001 || kw[0].G2 <= kw[2].G2 {
		t.Errorf("first keyword %+v", kw[0])
	}
	if kw[2].RefCount != 20 {
		t.Errorf("family ref count %d", kw[2].RefCount)
	}
}

func TestUnitSpan(t *testing.T) {
	text := "  First one. The crisis was (really) the turning point!\" Then more?\nNew line here… end.\n\nLast para "
	find := func(s string) (int, int) {
		i := strings.Index(text, s)
		return len([]rune(text[:i])), len([]rune(text[:i])) + len([]rune(s))
	}
	slice := func(a, b int) string { return string([]rune(text)[a:b]) }
	tests := []struct {
		word, unit, want string
	}{
		{"crisis", UnitSentence, `The crisis was (really) the turning point!"`},
		{"crisis", UnitTurn, strings.TrimSpace(text)},
		{"crisis", UnitParagraph, `First one. The crisis was (really) the turning point!" Then more?`},
		{"First", UnitSentence, "First one."},
		{"more", UnitSentence, "Then more?"},
		{"line", UnitSentence, "New line here…"},
		{"end", UnitSentence, "end."},
		{"end", UnitParagraph, "New line here… end."},
		{"para", UnitSentence, "Last para"},
		{"point!\" Then", UnitSentence, `The crisis was (really) the turning point!" Then more?`},
	}
	for _, tc := range tests {
		s, e := find(tc.word)
		a, b := UnitSpan(text, s, e, tc.unit)
		if got := slice(a, b); got != tc.want {
			t.Errorf("%s/%s: got %q want %q", tc.word, tc.unit, got, tc.want)
		}
	}
	he := "הוא אמר משהו. הכבוד חשוב לי מאוד؟ כן"
	i := len([]rune("הוא אמר משהו. "))
	a, b := UnitSpan(he, i, i+5, UnitSentence)
	if got := string([]rune(he)[a:b]); got != "הכבוד חשוב לי מאוד؟" {
		t.Errorf("hebrew sentence %q", got)
	}
}

func FuzzUnitSpan(f *testing.F) {
	f.Add("a. b! c", 3, 4, UnitSentence)
	f.Add("x\n\ny", 0, 1, UnitParagraph)
	f.Add("", 0, 0, UnitTurn)
	f.Fuzz(func(t *testing.T, text string, s, e int, unit string) {
		n := len([]rune(text))
		a, b := UnitSpan(text, s, e, unit)
		if a < 0 || b > n || a > b {
			t.Fatalf("UnitSpan(%q,%d,%d,%s) = %d,%d outside [0,%d]", text, s, e, unit, a, b, n)
		}
	})
}
