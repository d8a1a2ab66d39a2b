package coding

import (
	"strings"
	"testing"
)

// TestNormSpeakerFastPath: the fast path for simple ASCII labels gives the
// same key as trimming, folding inner white space and lower-casing.
func TestNormSpeakerFastPath(t *testing.T) {
	for _, s := range []string{"", " ", "Moshe", "moshe", "Dr. Ruth Levi", "Dr.  Ruth", " Moshe", "Moshe ", "a\tb", "a\nb",
		"INTERVIEWER", "Speaker 1", "משה", "Zoë Ω", "a \u00a0b", "x\u2003y", "A\u0301"} {
		want := strings.ToLower(strings.Join(strings.Fields(s), " "))
		if got := NormSpeaker(s); got != want {
			t.Errorf("NormSpeaker(%q) = %q, want %q", s, got, want)
		}
	}
}
