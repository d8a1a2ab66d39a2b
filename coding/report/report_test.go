package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tacit-qda/tacit/coding"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden file (run go test -update to create it): %v", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file; run go test -update and review the diff.\ngot:\n%s", name, got)
	}
}

func render(t *testing.T, rep any, format string) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, rep, format); err != nil {
		t.Fatalf("Write %s: %v", format, err)
	}
	return buf.Bytes()
}

func recurrence(t *testing.T, ds *Dataset, opt RecurrenceOptions) *RecurrenceReport {
	t.Helper()
	if opt.Most == 0 {
		opt.Most = DefaultMost
	}
	rep, err := Recurrence(ds, opt)
	if err != nil {
		t.Fatalf("Recurrence: %v", err)
	}
	return rep
}

func TestGolden(t *testing.T) {
	ds := sample().ds
	rec := func(opt RecurrenceOptions) any { return recurrence(t, ds, opt) }
	mat := func(opt MatrixOptions) any {
		m, err := Matrix(ds, opt)
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	cooc := func(opt CooccurrenceOptions) any {
		c, err := Cooccurrence(ds, opt)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	cb, err := Codebook(ds)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name    string
		rep     any
		formats []string
	}{
		{"recurrence", rec(RecurrenceOptions{Quotes: 1}), []string{"json", "md", "csv", "table"}},
		{"recurrence-quotes2-most66", rec(RecurrenceOptions{Quotes: 2, Most: 0.66}), []string{"json", "md"}},
		{"recurrence-by-department", rec(RecurrenceOptions{Quotes: 1, ByAttr: "department"}), []string{"json", "md", "csv", "table"}},
		{"recurrence-role-client", rec(RecurrenceOptions{Quotes: 1, Filter: Filter{Roles: []string{"client"}}}), []string{"json", "md"}},
		{"recurrence-empty", rec(RecurrenceOptions{Quotes: 1, Filter: Filter{Coders: []string{"nobody"}}}), []string{"json", "md", "table"}},
		{"matrix-case", mat(MatrixOptions{}), []string{"json", "md", "csv", "table"}},
		{"matrix-department-presence", mat(MatrixOptions{Cols: "attr:department", Count: "presence"}), []string{"json", "md"}},
		{"matrix-role-chars", mat(MatrixOptions{Cols: "role", Count: "chars"}), []string{"json", "md"}},
		{"matrix-coder-docs", mat(MatrixOptions{Cols: "coder", Count: "docs"}), []string{"json"}},
		{"matrix-speaker", mat(MatrixOptions{Cols: "speaker"}), []string{"md"}},
		{"cooccurrence-turn", cooc(CooccurrenceOptions{}), []string{"json", "md", "table"}},
		{"cooccurrence-case", cooc(CooccurrenceOptions{Unit: "case", Min: 2}), []string{"json", "md"}},
		{"cooccurrence-overlap", cooc(CooccurrenceOptions{Unit: "overlap"}), []string{"json", "csv"}},
		{"codebook", cb, []string{"json", "md", "csv", "table"}},
	} {
		for _, f := range tc.formats {
			ext := map[string]string{"table": "txt"}[f]
			if ext == "" {
				ext = f
			}
			golden(t, tc.name+"."+ext, render(t, tc.rep, f))
		}
	}
}

// TestRecurrenceFacts checks the sample's numbers by hand, so the golden
// files rest on facts someone reasoned out.
func TestRecurrenceFacts(t *testing.T) {
	b := sample()
	rep := recurrence(t, b.ds, RecurrenceOptions{Quotes: 1})
	if rep.CasesTotal != 6 {
		t.Fatalf("cases_total = %d, want 6 (5 cases and 1 document without a case)", rep.CasesTotal)
	}
	wantCases := []string{"Loose interview", "Story 1", "Story 2", "Story 5 (not yet interviewed)", "Story 10", "סיפור נועה"}
	if strings.Join(rep.Cases, "|") != strings.Join(wantCases, "|") {
		t.Errorf("cases = %q, want %q", rep.Cases, wantCases)
	}
	by := map[string]CodeRecurrence{}
	for _, c := range rep.Codes {
		by[c.Code] = c
	}
	respect := by["Principles/Respectful attitude"]
	if respect.Cases != 5 || respect.Level != LevelMost || strings.Join(respect.Absent, "|") != "Story 5 (not yet interviewed)" {
		t.Errorf("respect = %d cases, level %s, absent %q", respect.Cases, respect.Level, respect.Absent)
	}
	// Client side in stories 1, 2, 10 and Noa's; staff in 1, 2, Noa's and
	// the loose interview (its speaker has no role: the document's role
	// attribute counts); Khaled never spoke of respect.
	if respect.Roles["client"] != 4 || respect.Roles["staff"] != 4 || respect.BothRoles != 3 {
		t.Errorf("respect roles = %v both %d, want client 4 staff 4 both 3", respect.Roles, respect.BothRoles)
	}
	// The key coding wins in Story 1.
	for _, q := range respect.Quotes {
		if q.Case == "Story 1" && (!q.Key || q.Speaker != "Dana" || !strings.HasPrefix(q.Text, "Ruth always")) {
			t.Errorf("Story 1 quote = %+v, want Dana's key coding", q)
		}
		if q.Case == "סיפור נועה" && q.Text != "שרה תמיד דיברה איתי בכבוד, גם כשלא הסכמתי איתה." && q.Text != "הכבוד היה הבסיס לכל מה שעשינו יחד." {
			t.Errorf("Hebrew quote = %q", q.Text)
		}
	}
	partners := by["Principles/Many partners"]
	if partners.Cases != 4 || partners.Level != LevelMost {
		t.Errorf("partners = %d (%s), want 4 (most): rolled up from Inside and Outside", partners.Cases, partners.Level)
	}
	if by["Barriers"].Level != LevelNone || len(by["Barriers"].Absent) != 6 || len(by["Barriers"].Quotes) != 0 {
		t.Errorf("barriers = %+v", by["Barriers"])
	}
	crisis := by["Principles/Crisis as lever"]
	if crisis.Cases != 2 || crisis.Level != LevelSome || crisis.Roles["client"] != 2 || crisis.Roles["staff"] != 1 || crisis.BothRoles != 1 {
		t.Errorf("crisis = %+v", crisis)
	}
	// The memo coding is chosen in Story 1.
	if q := crisis.Quotes[0]; q.Case != "Story 1" || q.Memo == "" {
		t.Errorf("crisis quote = %+v", q)
	}
	if rep.Codes[0].Code != "Principles" {
		t.Errorf("first code = %s, want Principles (most recurrent, then codebook order)", rep.Codes[0].Code)
	}
	// The quoted passages are read in one call.
	if b.calls != 1 {
		t.Errorf("Passages called %d times, want 1", b.calls)
	}
}

func TestRecurrenceFilters(t *testing.T) {
	ds := sample().ds
	for _, tc := range []struct {
		name   string
		f      Filter
		total  int
		code   string
		cases  int
		reason bool
	}{
		{"coder", Filter{Coders: []string{"BOB"}}, 6, "Principles/Respectful attitude", 3, false},
		{"role", Filter{Roles: []string{"Staff"}}, 6, "Principles/Respectful attitude", 4, false},
		{"case attr", Filter{Attrs: map[string]string{"department": "adults"}}, 3, "Principles/Respectful attitude", 3, false},
		{"doc attr", Filter{Attrs: map[string]string{"role": "client"}}, 3, "Principles/Respectful attitude", 3, false},
		{"doc by name and id", Filter{Docs: []string{"Interview with Dana", "22"}}, 2, "Principles/Whole family", 2, false},
		{"case by name", Filter{Cases: []string{"Story 10", "Loose interview"}}, 2, "Principles/Many partners", 1, false},
		{"empty case kept", Filter{Cases: []string{"Story 5 (not yet interviewed)"}}, 1, "", 0, true},
		{"nothing by coder", Filter{Coders: []string{"zoe"}}, 6, "", 0, true},
		{"nothing by attr", Filter{Attrs: map[string]string{"department": "elderly"}}, 0, "", 0, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rep := recurrence(t, ds, RecurrenceOptions{Filter: tc.f, Quotes: 1})
			if rep.CasesTotal != tc.total {
				t.Errorf("cases_total = %d, want %d", rep.CasesTotal, tc.total)
			}
			if tc.reason {
				if rep.EmptyReason == "" || len(rep.Codes) != 0 {
					t.Errorf("want an empty report with a reason, got %q and %d codes", rep.EmptyReason, len(rep.Codes))
				}
				return
			}
			if rep.EmptyReason != "" {
				t.Fatalf("unexpected empty reason %q", rep.EmptyReason)
			}
			for _, c := range rep.Codes {
				if c.Code == tc.code && c.Cases != tc.cases {
					t.Errorf("%s: %d cases, want %d", c.Code, c.Cases, tc.cases)
				}
			}
		})
	}
}

func TestLevelBoundaries(t *testing.T) {
	for _, tc := range []struct {
		cases, total int
		most         float64
		want         string
	}{
		{2, 4, 0.5, LevelSome}, // exactly half is not "more than half"
		{3, 4, 0.5, LevelMost},
		{4, 4, 0.5, LevelAll},
		{0, 4, 0.5, LevelNone},
		{1, 4, 0.5, LevelSome},
		{3, 5, 0.6, LevelSome}, // 3/5 == 0.6 exactly
		{2, 3, 0.66, LevelMost},
		{2, 3, 0.67, LevelSome},
		{4, 5, 1, LevelSome}, // with most=1 only "all" is above "some"
		{5, 5, 1, LevelAll},
		{7, 10, 0.7, LevelSome},
		{0, 0, 0.5, LevelNone},
	} {
		if got := LevelOf(tc.cases, tc.total, tc.most); got != tc.want {
			t.Errorf("LevelOf(%d, %d, %v) = %s, want %s", tc.cases, tc.total, tc.most, got, tc.want)
		}
	}
	// Through the whole report: 4 cases, a code in 2 of them, most = 0.5.
	b := newBuilder()
	b.addCode(1, 0, "Half", "")
	b.addCode(2, 0, "Three", "")
	for i := uint64(1); i <= 4; i++ {
		b.addCase(i, "Case "+string(rune('A'+i-1)), nil)
		b.addDoc(10+i, i, "Doc", nil, line{"X", "some words here"})
		if i <= 2 {
			b.code(10+i, 1, "ann", "words")
		}
		if i <= 3 {
			b.code(10+i, 2, "ann", "some")
		}
	}
	rep := recurrence(t, b.ds, RecurrenceOptions{Most: 0.5})
	for _, c := range rep.Codes {
		want := map[string]string{"Half": LevelSome, "Three": LevelMost}[c.Code]
		if c.Level != want || (c.Code == "Half" && c.Share != 0.5) {
			t.Errorf("%s: level %s share %v, want %s", c.Code, c.Level, c.Share, want)
		}
	}
	rep = recurrence(t, b.ds, RecurrenceOptions{Most: 0.75})
	for _, c := range rep.Codes {
		if c.Code == "Three" && c.Level != LevelSome {
			t.Errorf("3/4 with most=0.75 is %s, want some", c.Level)
		}
	}
}

func TestBadInput(t *testing.T) {
	ds := sample().ds
	rec := func(opt RecurrenceOptions) error { _, err := Recurrence(ds, opt); return err }
	for _, tc := range []struct {
		name string
		err  error
		kind string
	}{
		{"most zero", rec(RecurrenceOptions{Most: 0}), coding.EInvalid},
		{"most negative", rec(RecurrenceOptions{Most: -0.5}), coding.EInvalid},
		{"most above one", rec(RecurrenceOptions{Most: 1.01}), coding.EInvalid},
		{"most percent", rec(RecurrenceOptions{Most: 66}), coding.EInvalid},
		{"quotes negative", rec(RecurrenceOptions{Most: 0.5, Quotes: -1}), coding.EInvalid},
		{"by unknown attr", rec(RecurrenceOptions{Most: 0.5, ByAttr: "region"}), coding.EInvalid},
		{"filter unknown attr", rec(RecurrenceOptions{Most: 0.5, Filter: Filter{Attrs: map[string]string{"region": "north"}}}), coding.EInvalid},
		{"unknown doc", rec(RecurrenceOptions{Most: 0.5, Filter: Filter{Docs: []string{"nope"}}}), coding.ENotFound},
		{"unknown case", rec(RecurrenceOptions{Most: 0.5, Filter: Filter{Cases: []string{"nope"}}}), coding.ENotFound},
		{"matrix unknown cols", func() error { _, err := Matrix(ds, MatrixOptions{Cols: "colour"}); return err }(), coding.EInvalid},
		{"matrix unknown attr", func() error { _, err := Matrix(ds, MatrixOptions{Cols: "attr:region"}); return err }(), coding.EInvalid},
		{"matrix empty attr", func() error { _, err := Matrix(ds, MatrixOptions{Cols: "attr:"}); return err }(), coding.EInvalid},
		{"matrix unknown count", func() error { _, err := Matrix(ds, MatrixOptions{Count: "words"}); return err }(), coding.EInvalid},
		{"matrix same dims", func() error { _, err := Matrix(ds, MatrixOptions{Rows: "case", Cols: "cases"}); return err }(), coding.EInvalid},
		{"cooc unknown unit", func() error { _, err := Cooccurrence(ds, CooccurrenceOptions{Unit: "sentence"}); return err }(), coding.EInvalid},
		{"cooc negative min", func() error { _, err := Cooccurrence(ds, CooccurrenceOptions{Min: -2}); return err }(), coding.EInvalid},
		{"unknown format", Write(&bytes.Buffer{}, &CodebookReport{}, "pdf"), coding.EInvalid},
		{"not a report", Write(&bytes.Buffer{}, 42, "json"), coding.EInvalid},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.err == nil {
				t.Fatal("no error")
			}
			var e *coding.Error
			if !errors.As(tc.err, &e) || e.Kind != tc.kind {
				t.Fatalf("error %v (%T), want kind %s", tc.err, tc.err, tc.kind)
			}
			msg := e.Error()
			if strings.Count(msg, ". ") > 0 || !strings.HasSuffix(msg, ".") {
				t.Errorf("message %q is not one sentence", msg)
			}
		})
	}
}

func TestEmptyDatasets(t *testing.T) {
	for _, tc := range []struct {
		name string
		ds   *Dataset
		want string
	}{
		{"nil", nil, "codebook is empty"},
		{"no codes", &Dataset{Cases: []coding.Case{{ID: 1, Name: "A"}}}, "codebook is empty"},
		{"no cases", &Dataset{Codes: []coding.Code{{ID: 1, Name: "X"}}}, "no documents or cases"},
		{"nothing coded", &Dataset{Codes: []coding.Code{{ID: 1, Name: "X"}}, Cases: []coding.Case{{ID: 1, Name: "A"}}}, "Nothing has been coded"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rep := recurrence(t, tc.ds, RecurrenceOptions{Quotes: 1})
			if !strings.Contains(rep.EmptyReason, tc.want) {
				t.Errorf("empty_reason = %q, want it to mention %q", rep.EmptyReason, tc.want)
			}
			for _, f := range Formats {
				out := render(t, rep, f)
				if f != "csv" && f != "json" && !bytes.Contains(out, []byte(tc.want)) {
					t.Errorf("%s output does not say why it is empty:\n%s", f, out)
				}
			}
			js := render(t, rep, "json")
			var m map[string]any
			if err := json.Unmarshal(js, &m); err != nil {
				t.Fatal(err)
			}
			if codes, ok := m["codes"].([]any); !ok || len(codes) != 0 {
				t.Errorf("codes = %v, want []", m["codes"])
			}
			m2, err := Matrix(tc.ds, MatrixOptions{})
			if err != nil || m2.EmptyReason == "" {
				t.Errorf("matrix: %v, reason %q", err, m2.EmptyReason)
			}
			c, err := Cooccurrence(tc.ds, CooccurrenceOptions{})
			if err != nil || c.EmptyReason == "" {
				t.Errorf("cooccurrence: %v, reason %q", err, c.EmptyReason)
			}
			if _, err := Codebook(tc.ds); err != nil {
				t.Error(err)
			}
		})
	}
}

func TestCodePaths(t *testing.T) {
	codes := []coding.Code{
		{ID: 1, Name: "A"}, {ID: 2, Name: "B", ParentID: 1}, {ID: 3, Name: "C", ParentID: 2},
		{ID: 4, Name: "Orphan", ParentID: 99},
		{ID: 5, Name: "X", ParentID: 6}, {ID: 6, Name: "Y", ParentID: 5}, // a cycle
		{ID: 7, Name: "Self", ParentID: 7},
	}
	got := CodePaths(codes)
	want := map[uint64]string{1: "A", 2: "A/B", 3: "A/B/C", 4: "Orphan", 5: "X", 6: "X/Y", 7: "Self"}
	for id, p := range want {
		if got[id] != p {
			t.Errorf("path of %d = %q, want %q", id, got[id], p)
		}
	}
}

func TestNaturalLess(t *testing.T) {
	in := []string{"Story 10", "story 2", "Story 1", "Alpha", "Story 02b", "סיפור"}
	want := []string{"Alpha", "Story 1", "story 2", "Story 02b", "Story 10", "סיפור"}
	for i := range want {
		for j := range want {
			if naturalLess(want[i], want[j]) != (i < j) {
				t.Errorf("naturalLess(%q, %q) = %v", want[i], want[j], !(i < j))
			}
		}
	}
	_ = in
}

func TestSlicePassages(t *testing.T) {
	text := "אב cd ☃e"
	ps := []Passage{{Start: 0, End: 2}, {Start: 3, End: 5}, {Start: 6, End: 7}, {Start: 6, End: 99}, {Start: 5, End: 3},
		{Start: 8, End: 8}, {Start: -4, End: 1}}
	SlicePassages([]byte(text), -1, ps)
	want := []string{"אב", "cd", "☃", "☃e", "", "", "א"}
	for i := range want {
		if ps[i].Text != want[i] {
			t.Errorf("span %d = %q, want %q", i, ps[i].Text, want[i])
		}
	}
	ascii := "plain text, all ASCII"
	ps = []Passage{{Start: 6, End: 10}, {Start: 18, End: 99}, {Start: 3, End: 1}}
	SlicePassages([]byte(ascii), len(ascii), ps)
	for i, w := range []string{"text", "CII", ""} {
		if ps[i].Text != w {
			t.Errorf("ASCII span %d = %q, want %q", i, ps[i].Text, w)
		}
	}
}

// TestSlicePassagesRandom holds SlicePassages (which skips ASCII eight
// bytes at a time) to slicing a []rune, on texts mixing long ASCII runs
// with two-, three- and four-byte characters.
func TestSlicePassagesRandom(t *testing.T) {
	pieces := []string{"a", "plain words here ", "0123456789abcdefghij", "ש", "☃", "😀", "é", "\n"}
	for seed := int64(1); seed <= 300; seed++ {
		rng := rand.New(rand.NewSource(seed))
		var b strings.Builder
		for n := rng.Intn(40); n > 0; n-- {
			b.WriteString(pieces[rng.Intn(len(pieces))])
		}
		text := b.String()
		r := []rune(text)
		ps := make([]Passage, rng.Intn(8))
		for i := range ps {
			ps[i].Start = rng.Intn(len(r) + 3)
			ps[i].End = ps[i].Start + rng.Intn(30) - 3
		}
		runes := -1
		if seed%2 == 0 {
			runes = len(r) // the ASCII shortcut applies when the text is ASCII
		}
		SlicePassages([]byte(text), runes, ps)
		for _, p := range ps {
			s, e := min(p.Start, len(r)), min(p.End, len(r))
			want := ""
			if e > s {
				want = string(r[s:e])
			}
			if p.Text != want {
				t.Fatalf("seed %d: %q[%d:%d] = %q, want %q", seed, text, p.Start, p.End, p.Text, want)
			}
		}
	}
}

// TestDatasetErrors: a failing read of the codings or of the quoted
// passages fails the report with the cause, never a partial report.
func TestDatasetErrors(t *testing.T) {
	disk := errors.New("disk gone")
	ds := *sample().ds
	ds.Codings = func(func(*Coding) error) error { return disk }
	if _, err := Recurrence(&ds, RecurrenceOptions{Most: DefaultMost}); !errors.Is(err, disk) {
		t.Errorf("Recurrence with failing codings: %v", err)
	}
	if _, err := Matrix(&ds, MatrixOptions{}); !errors.Is(err, disk) {
		t.Errorf("Matrix with failing codings: %v", err)
	}
	ds = *sample().ds
	ds.Passages = func([]Passage) error { return disk }
	if _, err := Recurrence(&ds, RecurrenceOptions{Most: DefaultMost, Quotes: 1}); !errors.Is(err, disk) {
		t.Errorf("Recurrence with failing passages: %v", err)
	}
	if _, err := Recurrence(&ds, RecurrenceOptions{Most: DefaultMost, Quotes: 0}); err != nil {
		t.Errorf("Recurrence without quotes reads no passage: %v", err)
	}
}

// TestCompactTurns: a dataset whose turns come as Dataset.Turns (as the
// store fills them) gives the same reports as one with Document.Turns.
func TestCompactTurns(t *testing.T) {
	plain := sample().ds
	compact := *plain
	compact.Docs = append([]coding.Document(nil), plain.Docs...)
	for i := range compact.Docs {
		for _, tu := range compact.Docs[i].Turns {
			compact.AddTurn(i, []byte(tu.Speaker), tu.Start, tu.End)
		}
		compact.Docs[i].Turns = nil
	}
	run := []func(ds *Dataset) (any, error){
		func(ds *Dataset) (any, error) {
			return Recurrence(ds, RecurrenceOptions{Most: DefaultMost, Quotes: 2, ByAttr: "department"})
		},
		func(ds *Dataset) (any, error) {
			return Recurrence(ds, RecurrenceOptions{Most: DefaultMost, Quotes: 1, Filter: Filter{Roles: []string{"client"}}})
		},
		func(ds *Dataset) (any, error) { return Matrix(ds, MatrixOptions{Cols: DimSpeaker, Count: CountChars}) },
		func(ds *Dataset) (any, error) { return Matrix(ds, MatrixOptions{Cols: DimRole}) },
		func(ds *Dataset) (any, error) { return Cooccurrence(ds, CooccurrenceOptions{Unit: UnitTurn}) },
	}
	for i, r := range run {
		var out [2]bytes.Buffer
		for k, ds := range []*Dataset{plain, &compact} {
			rep, err := r(ds)
			if err != nil {
				t.Fatal(err)
			}
			if err := Write(&out[k], rep, FormatJSON); err != nil {
				t.Fatal(err)
			}
		}
		if !bytes.Equal(out[0].Bytes(), out[1].Bytes()) {
			t.Errorf("report %d differs with compact turns", i)
		}
	}
}
