package lang

import "testing"

func TestIsSpokenFiller(t *testing.T) {
	for _, c := range []struct {
		lang, word string
		want       bool
	}{
		{"en", "like", true}, {"en", "Yeah", true}, {"en", "um", true}, {"en", "know", true}, {"en", "uh", true},
		{"he", "כאילו", true}, {"he", "יעני", true}, {"en", "כאילו", true},
		{"ar", "يعني", true}, {"ar", "طيب", true}, {"he", "يعني", true},
		{"en", "crisis", false}, {"en", "respect", false}, {"he", "כבוד", false}, {"ar", "احترام", false},
	} {
		if got := IsSpokenFiller(c.lang, c.word); got != c.want {
			t.Errorf("IsSpokenFiller(%q, %q) = %v, want %v", c.lang, c.word, got, c.want)
		}
	}
}
