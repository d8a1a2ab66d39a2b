package coding

import "testing"

func TestIsInterviewerLabel(t *testing.T) {
	for _, c := range []struct {
		label string
		want  bool
	}{
		{"Interviewer", true}, {"INTERVIEWER", true}, {"Int", true}, {"I", true}, {"Q", true},
		{"Moderator", true}, {"Facilitator", true}, {"Interviewer 2", true}, {"Moderator1", true},
		{"מראיין", true}, {"מראיינת", true}, {"המראיינת", true}, {"מנחה", true},
		{"المحاور", true}, {"المحاورة", true}, {"المقابل", true}, {"الميسر", true}, {"المُحاوِر", true},
		// interviewees and names are not
		{"מרואיין", false}, {"מרואיינת", false}, {"A", false}, {"Respondent", false}, {"Dan", false},
		{"Moshe", false}, {"أحمد", false}, {"Interviewee", false}, {"Speaker 1", false},
	} {
		if got := IsInterviewerLabel(c.label); got != c.want {
			t.Errorf("IsInterviewerLabel(%q) = %v, want %v", c.label, got, c.want)
		}
	}
}

func TestGuessInterviewerAndRole(t *testing.T) {
	text := "Dan: How did it start?\nMoshe: With the drinking.\nDan: And then?\nMoshe: Then the overdose. Why me? I asked.\nDan: What changed?\nMoshe: Ruth."
	doc := &Document{ID: 1, Attrs: map[string]string{"role": "client"}}
	pos := 0
	rs := []rune(text)
	for i, line := range []struct{ sp, s string }{
		{"Dan", "How did it start?"}, {"Moshe", "With the drinking."}, {"Dan", "And then?"},
		{"Moshe", "Then the overdose. Why me? I asked."}, {"Dan", "What changed?"}, {"Moshe", "Ruth."},
	} {
		for string(rs[pos:pos+len([]rune(line.s))]) != line.s {
			pos++
		}
		doc.Turns = append(doc.Turns, Turn{Index: i, Speaker: line.sp, Start: pos, End: pos + len([]rune(line.s))})
	}
	if got := GuessInterviewer(doc, text); got != "Dan" {
		t.Fatalf("GuessInterviewer = %q, want Dan", got)
	}
	var rm RoleMap
	if r := rm.Role(doc, "Dan"); r != "client" {
		t.Errorf("before the attribute, Dan is %q (the document's role)", r)
	}
	doc.Attrs["interviewer"] = "Dan"
	if r := rm.Role(doc, "Dan"); r != RoleInterviewer {
		t.Errorf("Dan is %q, want interviewer", r)
	}
	if r := rm.Role(doc, "Moshe"); r != "client" {
		t.Errorf("Moshe is %q, want client (the document's role)", r)
	}
	// A mapping overrides both.
	rm = RoleMap{Project: map[string]string{"dan": "staff"}}
	if r := rm.Role(doc, "Dan"); r != "staff" {
		t.Errorf("mapped Dan is %q, want staff", r)
	}
	rm = RoleMap{PerDoc: map[uint64]map[string]string{1: {"interviewer": "client"}}}
	if r := rm.Role(doc, "Interviewer"); r != "client" {
		t.Errorf("mapped Interviewer is %q, want client", r)
	}
	// Labels that name the interviewer: no guess needed.
	doc.Turns[0].Speaker, doc.Turns[2].Speaker, doc.Turns[4].Speaker = "Interviewer", "Interviewer", "Interviewer"
	if got := GuessInterviewer(doc, text); got != "" {
		t.Errorf("GuessInterviewer with an Interviewer label = %q, want none", got)
	}
	// Nobody stands out: both ask.
	both := &Document{Turns: []Turn{{Speaker: "A1", Start: 0, End: 2}, {Speaker: "B1", Start: 2, End: 4}, {Speaker: "A1", Start: 4, End: 6}, {Speaker: "B1", Start: 6, End: 8}}}
	if got := GuessInterviewer(both, "a?b?c?d?"); got != "" {
		t.Errorf("GuessInterviewer when both ask = %q, want none", got)
	}
}
