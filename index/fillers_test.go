package index

import "testing"

// TestWordsLeaveOutSpokenFillers: the top of a transcript's word list is
// what people talk about, not "like, know, yeah, uh, um"; KeepFillers keeps
// them.
func TestWordsLeaveOutSpokenFillers(t *testing.T) {
	text := "Um, like, you know, yeah, the crisis. Uh, I mean, like, the crisis was, yeah, a lever."
	c := NewWordCounter(WordOptions{MinLen: 1, NGram: 1})
	c.Add(text, "en")
	c.Add("כאילו, יעני, המשבר היה כאילו מנוף.", "he")
	c.Add("يعني، الأزمة كانت يعني فرصة.", "ar")
	for _, w := range c.Top(0, 1) {
		switch w.Word {
		case "like", "know", "yeah", "uh", "um", "mean", "כאילו", "יעני", "يعني":
			t.Errorf("filler %q counted (%d)", w.Word, w.Count)
		}
	}
	if top := c.Top(1, 1); len(top) == 0 || top[0].Word != "crisis" {
		t.Errorf("top word = %v, want crisis", top)
	}
	all := NewWordCounter(WordOptions{MinLen: 1, NGram: 1, KeepFillers: true, KeepStopWords: true})
	all.Add(text, "en")
	found := map[string]int{}
	for _, w := range all.Top(0, 1) {
		found[w.Word] = w.Count
	}
	if found["like"] != 2 || found["yeah"] != 2 || found["um"] != 1 {
		t.Errorf("with fillers kept: %v", found)
	}
}
