package coding

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestLocateQuote(t *testing.T) {
	tests := []struct {
		name, text, quote string
		want              []Span
		caseOnly, near    bool
	}{
		{"exact", "Ruth called me Mr. Levi. Nobody", "called me Mr. Levi", []Span{{5, 23}}, false, false},
		{"white space folds", "Ruth called\n  me\tMr. Levi.", "called me  Mr.\nLevi", []Span{{5, 25}}, false, false},
		{"quote trimmed", "abc def", "  def \n", []Span{{4, 7}}, false, false},
		{"two matches", "we talk. we talk.", "we talk", []Span{{0, 7}, {9, 16}}, false, false},
		{"overlapping matches", "aaaa", "aaa", []Span{{0, 3}, {1, 4}}, false, false},
		{"curly apostrophe", "I didn\u2019t know", "didn't", []Span{{2, 8}}, false, false},
		{"hebrew", "משה: רות קראה לי מר לוי. אף אחד", "קראה לי  מר לוי", []Span{{9, 23}}, false, false},
		{"arabic", "قال لي: أنت رجل محترم جدا", "رجل محترم", []Span{{12, 21}}, false, false},
		{"emoji", "so happy 😀😀 today 👍🏽 yes", "today 👍🏽", []Span{{12, 20}}, false, false},
		{"case only", "Called me Mr. Levi", "called me mr. levi", nil, true, false},
		{"near miss", "Ruth called me Mr. Levi. Nobody had", "called me Mr Levy", nil, false, true},
		{"absent", "abc", "xyz", nil, false, false},
		{"empty quote", "abc", "  ", nil, false, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := LocateQuote(tc.text, tc.quote)
			if len(r.Matches) != len(tc.want) {
				t.Fatalf("matches %v, want %v", r.Matches, tc.want)
			}
			for i := range tc.want {
				if r.Matches[i] != tc.want[i] {
					t.Errorf("match %d = %v, want %v", i, r.Matches[i], tc.want[i])
				}
			}
			if (len(r.CaseOnly) > 0) != tc.caseOnly {
				t.Errorf("case-only matches %v, want %v", r.CaseOnly, tc.caseOnly)
			}
			if (len(r.Near) > 0) != tc.near {
				t.Errorf("near misses %v, want %v", r.Near, tc.near)
			}
		})
	}
}

// The span of an exact match, sliced from the text, folds back to the quote.
func TestLocatedSpanSlicesToQuote(t *testing.T) {
	text := "Interviewer: so?\nמשה:  רות   קראה\nלי מר לוי 😀 end"
	quote := "רות קראה לי מר לוי 😀"
	r := LocateQuote(text, quote)
	if len(r.Matches) != 1 {
		t.Fatalf("matches %v", r.Matches)
	}
	got := NewOffsets(text).Slice(r.Matches[0].Start, r.Matches[0].End)
	if strings.Join(strings.Fields(got), " ") != quote {
		t.Errorf("slice %q does not fold to the quote", got)
	}
}

func TestFindQuoteErrors(t *testing.T) {
	text := "Ruth called me Mr. Levi.\nThen the overdose. Then the overdose again."
	doc := &Document{Name: "moshe", Turns: []Turn{{Index: 0, Speaker: "Moshe", Start: 0, End: 24}, {Index: 1, Speaker: "Moshe", Start: 25, End: 68}}}
	if s, err := FindQuote(doc, text, "Mr. Levi"); err != nil || s != (Span{15, 23}) {
		t.Errorf("FindQuote = %v, %v", s, err)
	}
	tests := []struct{ quote, want string }{
		{"the overdose", "occurs 2 times in moshe: at 30:42 (turn 1, Moshe)"},
		{"mr. levi", "differs only in case"},
		{"called me Mr Levy", `nearest passages: 5:22 (turn 0, Moshe) "called me Mr. Lev"`},
		{"zzzz qqqq", `quote "zzzz qqqq" is not in moshe`},
		{" ", "quote is empty"},
	}
	for _, tc := range tests {
		_, err := FindQuote(doc, text, tc.quote)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("FindQuote(%q) error %v, want it to contain %q", tc.quote, err, tc.want)
			continue
		}
		if ErrorKind(err) != EInvalid || strings.Contains(err.Error(), "\n") {
			t.Errorf("FindQuote(%q): kind %s, one line: %q", tc.quote, ErrorKind(err), err)
		}
	}
}

func TestCheckSpan(t *testing.T) {
	tests := []struct {
		s    Span
		n    int
		want string
	}{
		{Span{0, 5}, 5, ""},
		{Span{4, 5}, 5, ""},
		{Span{5, 5}, 5, "empty or reversed"},
		{Span{6, 3}, 9, "empty or reversed"},
		{Span{3, 6}, 5, "outside the text of 5"},
		{Span{-1, 2}, 5, "negative"},
	}
	for _, tc := range tests {
		err := CheckSpan(tc.s, tc.n)
		if (err == nil) != (tc.want == "") || (err != nil && !strings.Contains(err.Error(), tc.want)) {
			t.Errorf("CheckSpan(%v, %d) = %v, want %q", tc.s, tc.n, err, tc.want)
		}
	}
}

func TestParseRangeAndTurns(t *testing.T) {
	good := map[string]Span{"1450:1497": {1450, 1497}, " 0 : 3 ": {0, 3}}
	for in, want := range good {
		if got, err := ParseRange(in); err != nil || got != want {
			t.Errorf("ParseRange(%q) = %v, %v", in, got, err)
		}
	}
	for _, in := range []string{"", "12", "a:b", "5:5", "9:3", "-1:4", "1:2:3"} {
		if _, err := ParseRange(in); err == nil {
			t.Errorf("ParseRange(%q) accepted", in)
		}
	}
	for in, want := range map[string][2]int{"3-5": {3, 5}, "4": {4, 4}, " 2 - 2": {2, 2}} {
		a, b, err := ParseTurnRange(in)
		if err != nil || a != want[0] || b != want[1] {
			t.Errorf("ParseTurnRange(%q) = %d %d %v", in, a, b, err)
		}
	}
	for _, in := range []string{"", "5-3", "a-b", "-2", "1-"} {
		if _, _, err := ParseTurnRange(in); err == nil {
			t.Errorf("ParseTurnRange(%q) accepted", in)
		}
	}
}

func TestTurnSpan(t *testing.T) {
	doc := &Document{Name: "d", Turns: []Turn{{Index: 0, Start: 0, End: 10}, {Index: 1, Start: 12, End: 12}, {Index: 2, Start: 14, End: 30}}}
	if s, err := TurnSpan(doc, 0, 2); err != nil || s != (Span{0, 30}) {
		t.Errorf("TurnSpan 0-2 = %v %v", s, err)
	}
	if _, err := TurnSpan(doc, 1, 1); err == nil {
		t.Error("an empty turn was accepted")
	}
	if _, err := TurnSpan(doc, 3, 3); err == nil || !strings.Contains(err.Error(), "no turn 3; its turns are 0 to 2") {
		t.Errorf("TurnSpan 3: %v", err)
	}
}

func TestSliceRunes(t *testing.T) {
	text := "שלום 😀 world"
	off := NewOffsets(text)
	n := RuneLen(text)
	for s := 0; s <= n; s++ {
		for e := s; e <= n; e++ {
			if got, want := SliceRunes([]byte(text), s, e), off.Slice(s, e); got != want {
				t.Fatalf("SliceRunes(%d,%d) = %q, want %q", s, e, got, want)
			}
		}
	}
}

func FuzzLocateQuote(f *testing.F) {
	f.Add("Ruth called me Mr. Levi", "Mr.  Levi")
	f.Add("משה:\n  רות קראה", "רות קראה")
	f.Add("a\u00a0b c", "a b")
	f.Add("😀😀😀", "😀😀")
	f.Fuzz(func(t *testing.T, text, quote string) {
		if !utf8.ValidString(text) || !utf8.ValidString(quote) {
			return
		}
		r := LocateQuote(text, quote)
		n := RuneLen(text)
		for _, lists := range [][]Span{r.Matches, r.CaseOnly, r.Near} {
			for _, s := range lists {
				if s.Start < 0 || s.End > n || s.Start >= s.End {
					t.Fatalf("span %v outside text of %d", s, n)
				}
			}
		}
	})
}

func FuzzParseRange(f *testing.F) {
	for _, s := range []string{"1:2", "0:0", "-1:5", "a:b", "99999999999999999999:1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		sp, err := ParseRange(s)
		if err == nil && (sp.Start < 0 || sp.Start >= sp.End) {
			t.Fatalf("ParseRange(%q) = %v without error", s, sp)
		}
	})
}

func TestByteOffsets(t *testing.T) {
	text := []byte("aש😀b")
	got := ByteOffsets(text, -1, 0, 1, 2, 3, 4, 9)
	want := []int{0, 0, 1, 3, 7, 8, 8}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("ByteOffsets = %v, want %v", got, want)
		}
	}
}
