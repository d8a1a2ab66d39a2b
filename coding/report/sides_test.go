package report

import (
	"bytes"
	"strings"
	"testing"

	"github.com/tacit-qda/tacit/coding"
)

// sidesDataset: two stories, each with a client interview in which the
// interviewer (turn 0) and the client (turn 1) speak; in story A the
// interviewer and the client coded "Respect", in story B only the client
// and the staff member (a third document). Two coders coded the same
// client passage in A.
func sidesDataset() *Dataset {
	text := "How were you treated?\nWith respect, always."
	turns := []coding.Turn{{Index: 0, Speaker: "Interviewer", Start: 0, End: 21}, {Index: 1, Speaker: "Noa", Start: 22, End: 43}}
	staffTurns := []coding.Turn{{Index: 0, Speaker: "Interviewer", Start: 0, End: 21}, {Index: 1, Speaker: "Ruth", Start: 22, End: 43}}
	ds := &Dataset{
		Cases: []coding.Case{{ID: 1, Name: "A"}, {ID: 2, Name: "B"}},
		Docs: []coding.Document{
			{ID: 1, Name: "a-client", CaseID: 1, Turns: turns},
			{ID: 2, Name: "b-client", CaseID: 2, Turns: turns},
			{ID: 3, Name: "b-staff", CaseID: 2, Turns: staffTurns},
		},
		Codes: []coding.Code{{ID: 1, Name: "Respect"}},
		Roles: coding.RoleMap{Project: map[string]string{"interviewer": "interviewer", "noa": "client", "ruth": "staff"}},
	}
	ds.Codings = CodingsOf([]coding.Coding{
		{ID: 1, DocID: 1, CodeID: 1, Start: 0, End: 21, Coder: "dana"},   // interviewer, A
		{ID: 2, DocID: 1, CodeID: 1, Start: 22, End: 43, Coder: "dana"},  // client, A
		{ID: 3, DocID: 1, CodeID: 1, Start: 22, End: 43, Coder: "yossi"}, // same passage, A
		{ID: 4, DocID: 2, CodeID: 1, Start: 22, End: 43, Coder: "dana"},  // client, B
		{ID: 5, DocID: 3, CodeID: 1, Start: 22, End: 43, Coder: "dana"},  // staff, B
	})
	ds.Passages = func(ps []Passage) error {
		for i := range ps {
			ps[i].Text = string([]rune(text)[ps[i].Start:ps[i].End])
		}
		return nil
	}
	return ds
}

// TestBothSidesCountsPerspectiveRoles: interviewer + client is not "both
// sides"; client + staff is; --sides names the roles that count.
func TestBothSidesCountsPerspectiveRoles(t *testing.T) {
	rep := recurrence(t, sidesDataset(), RecurrenceOptions{Most: DefaultMost, Quotes: 3})
	c := rep.Codes[0]
	if c.BothRoles != 1 {
		t.Errorf("both_roles = %d, want 1 (story B: client and staff; story A's interviewer does not count)", c.BothRoles)
	}
	if strings.Join(rep.Sides, ",") != "client,staff" {
		t.Errorf("sides = %q, want client,staff", rep.Sides)
	}
	rep = recurrence(t, sidesDataset(), RecurrenceOptions{Most: DefaultMost, Sides: []string{"client", "interviewer"}})
	if rep.Codes[0].BothRoles != 1 || strings.Join(rep.Sides, ",") != "client,interviewer" {
		t.Errorf("--sides client,interviewer: both %d sides %q, want 1 (story A)", rep.Codes[0].BothRoles, rep.Sides)
	}
	var js, html bytes.Buffer
	if err := rep.WriteJSON(&js); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(js.String(), `"sides": [`) {
		t.Errorf("JSON does not name the sides:\n%s", js.String())
	}
	rep = recurrence(t, sidesDataset(), RecurrenceOptions{Most: DefaultMost})
	if err := rep.WriteHTML(&html); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(html.String(), "perspective roles <bdi>client</bdi>, <bdi>staff</bdi>") || !strings.Contains(html.String(), "interviewer's codings do not count") {
		t.Errorf("the HTML does not say what both sides counts")
	}
}

// TestQuotesAreDistinctPassages: two coders' codings of one passage make
// one quote that names both coders.
func TestQuotesAreDistinctPassages(t *testing.T) {
	rep := recurrence(t, sidesDataset(), RecurrenceOptions{Most: DefaultMost, Quotes: 3})
	var inA []Quote
	for _, q := range rep.Codes[0].Quotes {
		if q.Case == "A" {
			inA = append(inA, q)
		}
	}
	if len(inA) != 2 {
		t.Fatalf("story A quotes = %+v, want 2 distinct passages", inA)
	}
	seen := map[[2]int]bool{}
	for _, q := range inA {
		k := [2]int{q.Start, q.End}
		if seen[k] {
			t.Errorf("passage %d:%d quoted twice", q.Start, q.End)
		}
		seen[k] = true
		if q.Start == 22 && strings.Join(q.Coders, ",") != "dana,yossi" {
			t.Errorf("coders of the client passage = %q, want dana,yossi", q.Coders)
		}
	}
}
