package transcript

import (
	"strings"
	"testing"
)

// TestShortTranscripts: short files whose labels do not all recur still get
// their speakers when the rest of the file shows the layout, and prose with
// one colon does not.
func TestShortTranscripts(t *testing.T) {
	tests := []struct {
		name, in string
		want     string // speakers of the turns, "|"-separated; "-" for none
	}{
		{"line per turn, one speaker once", "Ann: hello there\nBob: hi Ann\nAnn: how was the week?\n", "Ann|Bob|Ann"},
		{"bold labels, a role and a name once each", "**Dana:** first answer\n\n**Interviewer:** a question\n", "Dana|Interviewer"},
		{"headings, a role and a name once each", "### Interviewer\n\nHow did it start?\n\n### Moshe\n\nSlowly.\n", "Interviewer|Moshe"},
		{"section headings are not speakers", "### Background\n\nThe study began in 2024.\n\n### Findings\n\nRespect mattered.\n\n### Summary\n\nIt worked.\n", "-|-|-"},
		{"prose with one colon", "We met in March.\nThe plan: work first, then the flat.\nIt worked.\n", "-"},
	}
	for _, tc := range tests {
		res, err := Parse("a.md", []byte(tc.in), Options{})
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		var got []string
		for _, tr := range spoken(res) {
			sp := tr.Speaker
			if sp == "" {
				sp = "-"
			}
			got = append(got, sp)
		}
		if g := strings.Join(got, "|"); g != tc.want {
			t.Errorf("%s: speakers %s, want %s", tc.name, g, tc.want)
		}
	}
}
