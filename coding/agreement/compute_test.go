package agreement

import (
	"encoding/json"
	"errors"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/tacit-qda/tacit/coding"
)

func approx(t *testing.T, what string, got Coef, want float64) {
	t.Helper()
	if !got.OK || math.Abs(got.Value-want) > 1e-9 {
		t.Errorf("%s = %+v, want %.6f", what, got, want)
	}
}

func codeStats(t *testing.T, r *Report, code string) Stats {
	t.Helper()
	for _, c := range r.Codes {
		if c.Code == code {
			return c.Stats
		}
	}
	t.Fatalf("no code %q in report", code)
	return Stats{}
}

// TestBinaryTurnByHand checks the example against values worked out by hand
// (see the comments) over its five turns.
func TestBinaryTurnByHand(t *testing.T) {
	in := exampleInput()
	in.Codes = []string{crisis, respect, family}
	r, err := Compute(in)
	if err != nil {
		t.Fatal(err)
	}
	if got := []uint64{r.Docs[0].ID, r.Docs[1].ID}; len(r.Docs) != 2 || got[0] != 1 || got[1] != 2 {
		t.Fatalf("docs = %+v, want 1 and 2 (doc 3 was coded by dana only)", r.Docs)
	}
	// Crisis: dana T0,T3; yossi T0 -> [[1,1],[0,3]], po .8, pe 14/25, kappa .24/.44.
	c := codeStats(t, r, crisis)
	if c.Units != 5 || c.Table == nil || !slices.Equal(c.Table.Counts[0], []int64{1, 1}) || !slices.Equal(c.Table.Counts[1], []int64{0, 3}) {
		t.Fatalf("crisis table = %+v units %d", c.Table, c.Units)
	}
	approx(t, "crisis percent", c.PercentAgreement, 80)
	approx(t, "crisis cohen", c.CohenKappa, 0.24/0.44)
	// Fleiss (Scott's pi): p = 3/10, 7/10; Pe = .58; P̄ = .8.
	approx(t, "crisis fleiss", c.FleissKappa, (0.8-0.58)/0.42)
	// Alpha: o = [[2,1],[1,6]], n = 10: 1 - 9*2/(3*7+7*3).
	approx(t, "crisis alpha", c.KrippendorffAlpha, 1-18.0/42)
	if c.NCoded["dana"] != 2 || c.NCoded["yossi"] != 1 {
		t.Errorf("crisis n_coded = %v", c.NCoded)
	}
	if !slices.Equal(c.UnitsByCoders, []int64{3, 1, 1}) {
		t.Errorf("crisis units_by_coders = %v, want [3 1 1]", c.UnitsByCoders)
	}
	// Respect: dana T2; yossi T1,T2 -> kappa .24/.44 as well.
	approx(t, "respect cohen", codeStats(t, r, respect).CohenKappa, 0.24/0.44)
	// Whole family: both T3 only -> perfect.
	approx(t, "family cohen", codeStats(t, r, family).CohenKappa, 1)
	// Pooled: 15 (code, turn) pairs, [[3,1],[1,10]] -> kappa 58/88.
	approx(t, "pooled cohen", r.Pooled.CohenKappa, 58.0/88)
	approx(t, "pooled percent", r.Pooled.PercentAgreement, 100*13.0/15)
	if r.Pooled.Units != 15 {
		t.Errorf("pooled units = %d, want 15", r.Pooled.Units)
	}
	if !strings.Contains(r.Method, "5 turns of 2 documents") {
		t.Errorf("method does not say what was compared: %s", r.Method)
	}
	if len(r.Notes) == 0 || !strings.Contains(r.Notes[0], "2 of 3 documents") {
		t.Errorf("notes = %q, want the document selection explained", r.Notes)
	}
}

func TestExclusiveTurnByHand(t *testing.T) {
	in := exampleInput()
	in.Exclusive = true
	in.Group = "Tone"
	in.Codes = []string{pos, neg}
	in.Disagreements = true
	r, err := Compute(in)
	if err != nil {
		t.Fatal(err)
	}
	s := r.Exclusive
	// T0 (P,P) T1 (N,N) T2 (P,N) T3 (conflict, -) T4 (-, -).
	if s.Units != 5 || s.PairableUnits != 3 || s.CompleteUnits != 3 || s.AgreedUnits != 2 {
		t.Fatalf("counts = %+v", s)
	}
	approx(t, "percent", s.PercentAgreement, 200.0/3)
	approx(t, "cohen", s.CohenKappa, 0.4)          // [[1,1],[0,1]]: (6/9-4/9)/(5/9)
	approx(t, "fleiss", s.FleissKappa, 1.0/3)      // P̄ = 2/3, Pe = 1/2
	approx(t, "alpha", s.KrippendorffAlpha, 4.0/9) // 1 - 5*2/18
	if len(r.Conflicts) != 1 || r.Conflicts[0].Coder != "dana" || !slices.Equal(r.Conflicts[0].Codes, []string{pos, neg}) {
		t.Fatalf("conflicts = %+v", r.Conflicts)
	}
	if !strings.Contains(r.Conflicts[0].Text, "המשבר") {
		t.Errorf("conflict text = %q", r.Conflicts[0].Text)
	}
	if len(r.Disagreements) != 2 {
		t.Fatalf("disagreements = %+v, want T2 and T3", r.Disagreements)
	}
	d := r.Disagreements[0]
	if d.Text != "The worker respected me." || d.Speaker != "Dana" ||
		!slices.Equal(d.ByCoder["dana"], []string{pos}) || !slices.Equal(d.ByCoder["yossi"], []string{neg}) {
		t.Errorf("first disagreement = %+v", d)
	}
}

// TestIncludeChildren rolls the Principles codes up into their parent.
func TestIncludeChildren(t *testing.T) {
	in := exampleInput()
	in.Codes = []string{"Principles"}
	in.IncludeChildren = true
	r, err := Compute(in)
	if err != nil {
		t.Fatal(err)
	}
	// dana: T0, T2, T3; yossi: T0, T1, T2, T3 -> [[3,0],[1,1]].
	s := r.Codes[0].Stats
	if !slices.Equal(s.Table.Counts[0], []int64{3, 0}) || !slices.Equal(s.Table.Counts[1], []int64{1, 1}) {
		t.Fatalf("table = %+v", s.Table)
	}
	in.IncludeChildren = false
	r, err = Compute(in)
	if err != nil {
		t.Fatal(err)
	}
	if r.Codes[0].NCoded["dana"] != 0 {
		t.Errorf("without roll-up the parent has codings: %+v", r.Codes[0])
	}
}

func TestUnitsOtherKinds(t *testing.T) {
	tests := []struct {
		unit  string
		units int64
	}{
		{UnitTurn, 5},
		{UnitSentence, 7}, // "I was in crisis." "Then things changed." ... two Hebrew sentences
		{UnitParagraph, 5},
		{UnitDoc, 2},
		{UnitCase, 1},
		{UnitChar, 0}, // set below: every character of both texts
	}
	docs, _ := example()
	chars := int64(len([]rune(docs[0].Text)) + len([]rune(docs[1].Text)))
	for _, tt := range tests {
		t.Run(tt.unit, func(t *testing.T) {
			in := exampleInput()
			in.Unit = tt.unit
			in.Codes = []string{crisis}
			r, err := Compute(in)
			if err != nil {
				t.Fatal(err)
			}
			want := tt.units
			if tt.unit == UnitChar {
				want = chars
			}
			if got := r.Codes[0].Units; got != want {
				t.Errorf("units = %d, want %d", got, want)
			}
			if r.Unit != tt.unit || r.Uncoded != UncodedInclude {
				t.Errorf("unit %q uncoded %q", r.Unit, r.Uncoded)
			}
		})
	}
}

// TestCaseUnits: the case is one unit; crisis is present for both coders.
func TestCaseUnits(t *testing.T) {
	in := exampleInput()
	in.Unit = UnitCase
	in.Codes = []string{crisis, respect}
	in.DocFilter = []uint64{1, 2, 3}
	in.Disagreements = true
	r, err := Compute(in)
	if err != nil {
		t.Fatal(err)
	}
	c := codeStats(t, r, crisis)
	// Story 1 coded by both, Story 2 by nobody.
	if c.Units != 2 || c.AgreedUnits != 2 {
		t.Errorf("crisis = %+v", c)
	}
	// Respect: story 2 by dana only -> one disagreement with its passage.
	if len(r.Disagreements) != 1 {
		t.Fatalf("disagreements = %+v", r.Disagreements)
	}
	d := r.Disagreements[0]
	if d.Case != "Story 2" || d.Code != respect || len(d.Passages) != 1 || d.Passages[0].Text != "Nobody listened" {
		t.Errorf("disagreement = %+v", d)
	}
}

func TestCharDisagreementRuns(t *testing.T) {
	in := exampleInput()
	in.Unit = UnitChar
	in.Codes = []string{crisis}
	in.Disagreements = true
	r, err := Compute(in)
	if err != nil {
		t.Fatal(err)
	}
	// dana "I was in crisis", yossi "crisis. Then things": runs "I was in ",
	// ". Then things" and, in doc 2, dana's Hebrew span.
	var texts []string
	for _, d := range r.Disagreements {
		texts = append(texts, d.Text)
	}
	want := []string{"I was in ", ". Then things", "המשבר היה הזדמנות"}
	if !slices.Equal(texts, want) {
		t.Errorf("runs = %q, want %q", texts, want)
	}
	s := r.Codes[0].Stats
	if s.NCoded["dana"] != 15+17 || s.NCoded["yossi"] != 19 {
		t.Errorf("n_coded = %v", s.NCoded)
	}
	// Exclude uncoded characters: only the characters someone coded.
	in.Uncoded = UncodedExclude
	in.Disagreements = false
	r, err = Compute(in)
	if err != nil {
		t.Fatal(err)
	}
	if got := r.Codes[0].Units; got != 9+6+13+17 {
		t.Errorf("units with uncoded excluded = %d, want %d", got, 9+6+13+17)
	}
	if !strings.Contains(r.Method, "left out") || r.Uncoded != UncodedExclude {
		t.Errorf("method does not say uncoded text is left out: %s", r.Method)
	}
}

func TestThreeCoders(t *testing.T) {
	in := exampleInput()
	docs := in.Docs
	in.Coders = []string{"dana", "yossi", "rana"}
	in.Codings = append(in.Codings,
		at(docs[0], "rana", crisis, "crisis"),
		at(docs[1], "rana", family, "המשפחה"))
	in.Codes = []string{crisis, family}
	r, err := Compute(in)
	if err != nil {
		t.Fatal(err)
	}
	c := codeStats(t, r, crisis)
	if c.CohenKappa.OK || c.Undefined["cohen_kappa"] == "" {
		t.Errorf("cohen with three coders = %+v", c.CohenKappa)
	}
	if len(c.Pairs) != 3 || !c.FleissKappa.OK || !c.KrippendorffAlpha.OK {
		t.Errorf("three coders: %+v", c)
	}
	// T0 all three, T3 dana only: 4 of 5 units agree.
	approx(t, "percent", c.PercentAgreement, 80)
	if !slices.Equal(c.UnitsByCoders, []int64{3, 1, 0, 1}) {
		t.Errorf("units_by_coders = %v", c.UnitsByCoders)
	}
	// Pair dana-yossi equals the two-coder kappa.
	approx(t, "pair dana-yossi", c.Pairs[0].CohenKappa, 0.24/0.44)
}

func TestPerfectAndNoVariation(t *testing.T) {
	d := mkDoc(1, "a", "", "A: one.", "B: two.", "A: three.")
	in := Input{
		Coders: []string{"x", "y"}, Docs: []Doc{d},
		Codings: []Coding{at(d, "x", "K", "one"), at(d, "y", "K", "one"), at(d, "x", "L", "two"), at(d, "y", "L", "two.")},
	}
	r, err := Compute(in)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range r.Codes {
		approx(t, c.Code+" kappa", c.CohenKappa, 1)
		approx(t, c.Code+" alpha", c.KrippendorffAlpha, 1)
	}
	// A code nobody applied in these units: no variation, undefined, never NaN.
	in.Codes = []string{"M"}
	r, err = Compute(in)
	if err != nil {
		t.Fatal(err)
	}
	c := r.Codes[0]
	if c.CohenKappa.OK || c.FleissKappa.OK || c.KrippendorffAlpha.OK || len(c.Undefined) != 3 {
		t.Errorf("no variation: %+v", c)
	}
	approx(t, "percent", c.PercentAgreement, 100)
}

func TestBadInput(t *testing.T) {
	docs, codings := example()
	base := func() Input { return Input{Coders: []string{"dana", "yossi"}, Docs: docs, Codings: codings} }
	tests := []struct {
		name string
		edit func(*Input)
		want string // a substring of the message
		next string // the coding.Next* kind it names, if any
	}{
		{"one coder", func(in *Input) { in.Coders = []string{"dana"} }, "at least two coders", coding.NextNameCoders},
		{"no coders", func(in *Input) { in.Coders = nil }, "got 0", coding.NextNameCoders},
		{"empty coder", func(in *Input) { in.Coders = []string{"dana", " "} }, "coder name is empty", coding.NextNameCoders},
		{"coder twice", func(in *Input) { in.Coders = []string{"dana", "dana"} }, "listed twice", ""},
		{"coder without codings", func(in *Input) { in.Coders = []string{"dana", "rana"} }, `"rana" has no codings`, coding.NextCheckCoders},
		{"unknown unit", func(in *Input) { in.Unit = "word" }, "use one of turn, sentence", ""},
		{"bad uncoded", func(in *Input) { in.Uncoded = "maybe" }, "include or exclude", ""},
		{"group of one", func(in *Input) { in.Exclusive = true; in.Codes = []string{pos} }, "at least two codes", ""},
		{"nested group", func(in *Input) {
			in.Exclusive, in.IncludeChildren, in.Codes = true, true, []string{"Tone", pos}
		}, "inside", ""},
		{"no overlap", func(in *Input) {
			in.Codings = []Coding{at(docs[0], "dana", crisis, "crisis"), at(docs[2], "yossi", crisis, "Nobody")}
		}, "no document has codings by all of dana, yossi", coding.NextCommonDocs},
		{"unknown doc in filter", func(in *Input) { in.DocFilter = []uint64{99} }, "document 99", coding.NextCheckDocs},
		{"no codes in filtered docs", func(in *Input) {
			in.Docs = append(in.Docs, Doc{ID: 7, Name: "empty", Text: "x"})
			in.DocFilter = []uint64{7}
		}, "applied no codes", coding.NextOtherDocs},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := base()
			tt.edit(&in)
			_, err := Compute(in)
			if err == nil {
				t.Fatal("no error")
			}
			var e *coding.Error
			if !errors.As(err, &e) || e.Kind != coding.EInvalid {
				t.Fatalf("error %v is not an EInvalid *coding.Error", err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not mention %q", err, tt.want)
			}
			if e.Next != tt.next {
				t.Errorf("error %q names next step %q, want %q", err, e.Next, tt.next)
			}
		})
	}
}

func TestDocFilterComparesUncodedDocs(t *testing.T) {
	in := exampleInput()
	in.Codes = []string{respect}
	in.DocFilter = []uint64{3, 1}
	r, err := Compute(in)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Docs) != 2 || r.Docs[0].ID != 1 || r.Docs[1].ID != 3 {
		t.Fatalf("docs = %+v", r.Docs)
	}
	if r.Codes[0].Units != 4 {
		t.Errorf("units = %d, want 3 turns + 1 turn", r.Codes[0].Units)
	}
}

func TestDocWithoutTurnsFallsBack(t *testing.T) {
	d := Doc{ID: 1, Name: "plain", Text: "First line.\n\nSecond line here.\nThird."}
	in := Input{Coders: []string{"a", "b"}, Docs: []Doc{d},
		Codings: []Coding{at(d, "a", "K", "Second"), at(d, "b", "K", "Third")}}
	r, err := Compute(in)
	if err != nil {
		t.Fatal(err)
	}
	if r.Codes[0].Units != 3 || !strings.Contains(strings.Join(r.Notes, " "), "no turns") {
		t.Errorf("units %d notes %q", r.Codes[0].Units, r.Notes)
	}
}

// TestEmptyUnits: documents without any text give no units; every
// coefficient is undefined with a reason, and nothing is NaN.
func TestEmptyUnits(t *testing.T) {
	d := Doc{ID: 1, Name: "blank", Text: " \n "}
	in := Input{Coders: []string{"a", "b"}, Docs: []Doc{d},
		Codings: []Coding{{Doc: 1, Code: "K", Coder: "a", Start: 0, End: 2}, {Doc: 1, Code: "K", Coder: "b", Start: 5, End: 9}}}
	for _, unit := range []string{UnitTurn, UnitSentence, UnitParagraph} {
		in.Unit = unit
		r, err := Compute(in)
		if err != nil {
			t.Fatal(err)
		}
		s := r.Codes[0].Stats
		if s.Units != 0 || s.PercentAgreement.OK || s.CohenKappa.OK || s.FleissKappa.OK || s.KrippendorffAlpha.OK || len(s.Undefined) != 4 {
			t.Errorf("%s: %+v", unit, s)
		}
		if !strings.Contains(strings.Join(r.Notes, " "), "1 coding was ignored") {
			t.Errorf("%s: notes %q do not report the coding outside the text", unit, r.Notes)
		}
		if _, err := json.Marshal(r); err != nil {
			t.Errorf("%s: %v", unit, err)
		}
	}
}
