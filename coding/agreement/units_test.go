package agreement

import (
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/tacit-qda/tacit/coding"
)

func spanTexts(t *testing.T, d Doc, kind string) []string {
	t.Helper()
	spans, _, err := UnitSpans(d, kind)
	if err != nil {
		t.Fatal(err)
	}
	o := coding.NewOffsets(d.Text)
	var out []string
	for _, s := range spans {
		out = append(out, o.Slice(s.Start, s.End))
	}
	return out
}

func TestUnitSpans(t *testing.T) {
	d := mkDoc(1, "x", "",
		`Dana: I paid 3.5 shekels. "Really?" he said! Then… we left`,
		"Interviewer: Go on.\n  And then?  ",
		"عامل: هل ساعدك؟ نعم. ",
		"עובדת: המשבר היה הזדמנות. עבדנו עם כל המשפחה.")
	tests := []struct {
		kind string
		want []string
	}{
		{UnitTurn, []string{
			`I paid 3.5 shekels. "Really?" he said! Then… we left`,
			"Go on.\n  And then?  ",
			"هل ساعدك؟ نعم. ",
			"המשבר היה הזדמנות. עבדנו עם כל המשפחה.",
		}},
		{UnitParagraph, []string{
			`I paid 3.5 shekels. "Really?" he said! Then… we left`,
			"Go on.", "And then?",
			"هل ساعدك؟ نعم.",
			"המשבר היה הזדמנות. עבדנו עם כל המשפחה.",
		}},
		{UnitSentence, []string{
			"I paid 3.5 shekels.", `"Really?"`, "he said!", "Then…", "we left",
			"Go on.", "And then?",
			"هل ساعدك؟", "نعم.",
			"המשבר היה הזדמנות.", "עבדנו עם כל המשפחה.",
		}},
		{UnitDoc, []string{d.Text}},
	}
	for _, tt := range tests {
		t.Run(tt.kind, func(t *testing.T) {
			if got := spanTexts(t, d, tt.kind); !slices.Equal(got, tt.want) {
				t.Errorf("got %q\nwant %q", got, tt.want)
			}
		})
	}
	if _, _, err := UnitSpans(d, UnitChar); err == nil {
		t.Error("UnitSpans accepted char")
	}
}

func TestTurnSpansRepairsOverlap(t *testing.T) {
	d := Doc{Text: "abcdefghij", Turns: []coding.Turn{{Start: 5, End: 20}, {Start: 0, End: 6}, {Start: 2, End: 4}, {Start: 7, End: 7}}}
	spans, fell, err := UnitSpans(d, UnitTurn)
	if err != nil || fell {
		t.Fatal(err, fell)
	}
	if want := []Span{{0, 6}, {6, 10}}; !slices.Equal(spans, want) {
		t.Errorf("spans = %v, want %v", spans, want)
	}
}

// checkSpans asserts the documented guarantees of UnitSpans.
func checkSpans(t *testing.T, d Doc, kind string, spans []Span) {
	n := utf8.RuneCountInString(d.Text)
	rs := []rune(d.Text)
	end := 0
	for _, s := range spans {
		if s.Start < end || s.End > n || (s.Start >= s.End && kind != UnitDoc) {
			t.Fatalf("%s: bad span %v after %d in %d code points (%q)", kind, s, end, n, d.Text)
		}
		if kind == UnitParagraph || kind == UnitSentence {
			if unicode.IsSpace(rs[s.Start]) || unicode.IsSpace(rs[s.End-1]) {
				t.Fatalf("%s: span %v not trimmed: %q", kind, s, string(rs[s.Start:s.End]))
			}
			if strings.ContainsAny(string(rs[s.Start:s.End]), "\n\u2028\u2029") {
				t.Fatalf("%s: span %v crosses a line break", kind, s)
			}
		}
		end = s.End
	}
}

func FuzzUnitSpans(f *testing.F) {
	f.Add("Dana: Hello. How are you?\nYossi: Fine!", 6, 25, 33, 38)
	f.Add("עובדת: המשבר היה הזדמנות. עבדנו.\n\nמראיין: ספרי עוד.", 7, 30, 40, 49)
	f.Add("no turns at all... really?! 3.5 ok.\r\nnext", 0, 0, 0, 0)
	f.Add("", 0, 5, 5, 10)
	f.Fuzz(func(t *testing.T, text string, a, b, c, e int) {
		if !utf8.ValidString(text) {
			return
		}
		d := Doc{Text: text, Turns: []coding.Turn{{Start: a, End: b}, {Start: c, End: e}}}
		for _, kind := range []string{UnitTurn, UnitParagraph, UnitSentence, UnitDoc} {
			spans, _, err := UnitSpans(d, kind)
			if err != nil {
				t.Fatal(err)
			}
			checkSpans(t, d, kind, spans)
		}
		// Sentences partition the paragraphs' non-space text.
		paras, _, _ := UnitSpans(d, UnitParagraph)
		sents, _, _ := UnitSpans(d, UnitSentence)
		for _, s := range sents {
			inside := false
			for _, p := range paras {
				if p.Start <= s.Start && s.End <= p.End {
					inside = true
				}
			}
			if !inside {
				t.Fatalf("sentence %v outside every paragraph %v", s, paras)
			}
		}
	})
}
