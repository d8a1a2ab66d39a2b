package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tacit-qda/tacit/coding"
	"github.com/tacit-qda/tacit/index"
	"github.com/tacit-qda/tacit/project"
	"github.com/tacit-qda/tacit/store"
)

var searchFiles = map[string]string{
	"moshe.txt": `Interviewer: How did it start?
Moshe: Ruth called me Mr. Levi. Nobody had called me that in years.
Interviewer: What was the turning point?
Moshe: Then the overdose. That was the turning point. After the crisis my family came back. The crisis made me ask for help.
Moshe: I was treated with respect, never with disrespect.
`,
	"ruth.txt": `Interviewer: Tell me about the plan.
Ruth: We made a whole-family plan. The crisis was our lever. Respectful work takes time.
Ruth: Crises happen all the time; the family plan helps.
`,
	"michal.txt": "מראיינת: איך התייחסו אלייך?\nמיכל: הם דיברו איתי בכבוד, והכבוד הזה שינה הכול.\nמיכל: כָּבוֹד זה הדבר הכי חשוב. בבית שלי לא היה.\n",
	"salma.txt":  "Interviewer: ماذا قرأ ابنك؟\nSalma: قرأ والكتاب كان مهما. ذهبت إلى المدرسة كل يوم.\nInterviewer: ومن ساعدك؟\nSalma: المعلمة ساعدتني كثيرا.\n",
}

// tacitRun runs the CLI in process and returns stdout, stderr and the exit
// code.
func tacitRun(t *testing.T, dir string, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(append([]string{"--project", dir}, args...), &out, &errb)
	return out.String(), errb.String(), code
}

func mustRun(t *testing.T, dir string, args ...string) string {
	t.Helper()
	out, errs, code := tacitRun(t, dir, args...)
	if code != 0 {
		t.Fatalf("tacit %s: exit %d: %s", strings.Join(args, " "), code, errs)
	}
	return out
}

// newSearchProject makes a project with the four interviews, roles, and a
// code tree Principles/Crisis as lever (/Overdose).
func newSearchProject(t *testing.T) string {
	t.Helper()
	t.Setenv("TACIT_CODER", "tester")
	tmp := t.TempDir()
	dir := filepath.Join(tmp, "p")
	for name, text := range searchFiles {
		if err := os.WriteFile(filepath.Join(tmp, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var out, errb bytes.Buffer
	if code := run([]string{"init", dir}, &out, &errb); code != 0 {
		t.Fatalf("init: %s", errb.String())
	}
	mustRun(t, dir, "import", filepath.Join(tmp, "moshe.txt"), filepath.Join(tmp, "ruth.txt"), "--case", "S1 Step by step")
	mustRun(t, dir, "import", filepath.Join(tmp, "michal.txt"), "--case", "S3 True dignity", "--attr", "role=client")
	mustRun(t, dir, "import", filepath.Join(tmp, "salma.txt"), "--case", "S4 Reading", "--attr", "role=client")
	p, err := project.Open(dir, project.Options{Actor: "tester"})
	if err != nil {
		t.Fatal(err)
	}
	err = p.Store.Update(func(tx *store.Tx) error {
		rm, err := tx.Roles()
		if err != nil {
			return err
		}
		rm.Project["moshe"] = "client"
		rm.Project["ruth"] = "staff"
		rm.Project["interviewer"] = "interviewer"
		if err := tx.SetRoles(rm); err != nil {
			return err
		}
		if err := tx.Log(&coding.Event{Actor: "tester", Action: "role", Summary: "test roles"}); err != nil {
			return err
		}
		if _, _, err := tx.AddCode("tester", "Principles/Crisis as lever/Overdose", "", ""); err != nil {
			return err
		}
		_, _, err = tx.AddCode("tester", "Principles/Respect", "", "")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	// The role change made the index stale: the first search rebuilds it.
	if _, errs, _ := tacitRun(t, dir, "search", "x"); !strings.Contains(errs, "out of date; rebuilding") {
		t.Errorf("no notice of the rebuild: %q", errs)
	}
	return dir
}

// docText returns a document's text and turns from the store.
func docText(t *testing.T, dir, name string) (string, *coding.Document) {
	t.Helper()
	p, err := project.Open(dir, project.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	var text string
	var doc *coding.Document
	err = p.Store.View(func(tx *store.Tx) error {
		if doc, err = tx.FindDocument(name); err != nil {
			return err
		}
		text, err = tx.Text(doc.ID)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return text, doc
}

// tagPhrase codes the first occurrence of phrase in a document.
func tagPhrase(t *testing.T, dir, docName, code, phrase string) coding.Span {
	t.Helper()
	text, _ := docText(t, dir, docName)
	i := strings.Index(text, phrase)
	if i < 0 {
		t.Fatalf("%q not in %s", phrase, docName)
	}
	s := coding.Span{Start: coding.RuneLen(text[:i]), End: coding.RuneLen(text[:i]) + coding.RuneLen(phrase)}
	p, err := project.Open(dir, project.Options{Actor: "tester"})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	err = p.Store.Update(func(tx *store.Tx) error {
		d, err := tx.FindDocument(docName)
		if err != nil {
			return err
		}
		cb, err := tx.Codes()
		if err != nil {
			return err
		}
		c, err := cb.Resolve(code)
		if err != nil {
			return err
		}
		_, _, err = tx.Tag("tester", store.TagRequest{Doc: d, CodeIDs: []uint64{c.ID}, Spans: []coding.Span{s}})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func searchJSON(t *testing.T, dir string, args ...string) index.Result {
	t.Helper()
	out := mustRun(t, dir, append([]string{"search", "--json", "--limit", "0"}, args...)...)
	var res index.Result
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	return res
}

// words returns "doc_name:text[start:end]" for every match, slicing the
// document text from the store.
func matchedWords(t *testing.T, dir string, res index.Result) []string {
	t.Helper()
	var out []string
	for _, h := range res.Hits {
		text, doc := docText(t, dir, h.DocName)
		off := coding.NewOffsets(text)
		tr := doc.Turns[h.Turn]
		if tr.Start != h.TurnStart || tr.End != h.TurnEnd {
			t.Errorf("%s#%d: turn span %d:%d, store says %d:%d", h.DocName, h.Turn, h.TurnStart, h.TurnEnd, tr.Start, tr.End)
		}
		for _, m := range h.Matches {
			if m.Start < tr.Start || m.End > tr.End {
				t.Errorf("%s#%d: match %v outside its turn", h.DocName, h.Turn, m)
			}
			out = append(out, h.DocName+":"+off.Slice(m.Start, m.End))
		}
	}
	return out
}

func TestSearchOffsetsSliceTheDocumentText(t *testing.T) {
	dir := newSearchProject(t)
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"crisis", "--sort", "doc"}, "moshe:crisis moshe:crisis ruth:crisis"},
		{[]string{`"turning point"`, "--role", "client"}, "moshe:turning moshe:point"},
		{[]string{"כבוד", "--sort", "doc"}, "michal:בכבוד michal:והכבוד michal:כָּבוֹד"},
		{[]string{"كتاب"}, "salma:والكتاب"},
		{[]string{"--regex", "(?i)cris[ie]s", "--sort", "doc"}, "moshe:crisis moshe:crisis ruth:crisis ruth:Crises"},
		{[]string{"famly~1", "--speaker", "RUTH", "--sort", "doc"}, "ruth:family ruth:family"},
	}
	for _, tc := range tests {
		res := searchJSON(t, dir, tc.args...)
		if got := strings.Join(matchedWords(t, dir, res), " "); got != tc.want {
			t.Errorf("%v: got %q want %q", tc.args, got, tc.want)
		}
	}
}

func TestSearchFiltersAgreeWithTheStore(t *testing.T) {
	dir := newSearchProject(t)
	coded := tagPhrase(t, dir, "moshe", "Principles/Crisis as lever/Overdose", "After the crisis my family came back.")
	all := searchJSON(t, dir, "crisis OR family", "--sort", "doc")
	in := searchJSON(t, dir, "crisis OR family", "--code", "Principles/Crisis as lever", "--sort", "doc")
	out := searchJSON(t, dir, "crisis OR family", "--not-code", "Principles/Crisis as lever", "--sort", "doc")
	_, moshe := docText(t, dir, "moshe")
	nIn, nOut, nAll := 0, 0, 0
	for _, h := range in.Hits {
		for _, m := range h.Matches {
			nIn++
			if h.Doc != moshe.ID || m.Start < coded.Start || m.End > coded.End {
				t.Errorf("--code match %v in %s outside the coding %v", m, h.DocName, coded)
			}
		}
	}
	for _, h := range out.Hits {
		for _, m := range h.Matches {
			nOut++
			if h.Doc == moshe.ID && m.End > coded.Start && m.Start < coded.End {
				t.Errorf("--not-code match %v overlaps the coding %v", m, coded)
			}
		}
	}
	for _, h := range all.Hits {
		nAll += len(h.Matches)
	}
	if nIn != 2 || nIn+nOut != nAll {
		t.Errorf("inside %d + outside %d != all %d (want 2 inside)", nIn, nOut, nAll)
	}
	// The code's own codings count under its path; others under (none).
	res := searchJSON(t, dir, "crisis", "--count-by", "code")
	if res.Counts["Principles/Crisis as lever/Overdose"] != 1 || res.Counts[index.NoValue] != 1 {
		t.Errorf("counts by code %v", res.Counts)
	}
	// A coder who coded nothing is a name that selects nothing: not found,
	// as an unknown speaker, role, case or document is.
	if _, stderr, code := tacitRun(t, dir, "search", "crisis", "--code", "Principles/Crisis as lever", "--coder", "someone-else"); code != exitNotFound || !strings.Contains(stderr, `no coder "someone-else"`) {
		t.Errorf("--coder someone-else: exit %d, %s", code, stderr)
	}
	// Role, case and speaker filters against the store's turns.
	res = searchJSON(t, dir, "crisis OR plan OR כבוד OR كتاب", "--role", "client")
	for _, h := range res.Hits {
		_, d := docText(t, dir, h.DocName)
		if sp := d.Turns[h.Turn].Speaker; sp != h.Speaker || h.Role != "client" || strings.EqualFold(sp, "interviewer") {
			t.Errorf("--role client gave %s#%d by %s (%s)", h.DocName, h.Turn, sp, h.Role)
		}
	}
	if res.Total != 4 {
		t.Errorf("--role client: %d hits, want 4", res.Total)
	}
	res = searchJSON(t, dir, "crisis OR plan OR כבוד", "--case", "s3 true dignity", "--case", "S1 Step by step", "--speaker", "מיכל")
	if res.Total != 2 || res.Hits[0].Case != "S3 True dignity" {
		t.Errorf("--case --speaker: %+v", res)
	}
}

func TestSearchBadInput(t *testing.T) {
	dir := newSearchProject(t)
	tests := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"search", `"turning point`}, 1, "quote at column 1 is not closed"},
		{[]string{"search", "spaker:ruth"}, 1, `unknown field "spaker"`},
		{[]string{"search", "--regex", "(cris"}, 1, "does not compile"},
		{[]string{"search", "famly~3"}, 1, "fuzziness 3"},
		{[]string{"search", "crisis", "--speaker", "Rut"}, 4, `did you mean "Ruth"`},
		{[]string{"search", "crisis", "--role", "clients"}, 4, `did you mean "client"`},
		{[]string{"search", "crisis", "--case", "S9"}, 4, `no case "S9"`},
		{[]string{"search", "crisis", "--code", "Nope"}, 4, `no code "Nope"`},
		{[]string{"search", "crisis", "--count-by", "colour"}, 1, "cannot count by"},
		{[]string{"search"}, 2, "needs a QUERY"},
		{[]string{"search", "a", "b"}, 2, "one QUERY"},
		{[]string{"words", "--compare-to", "all"}, 2, "needs a selection"},
		{[]string{"words", "--ngram", "3"}, 2, "--ngram"},
		{[]string{"autocode", "Principles/Respect"}, 2, "--query"},
		{[]string{"autocode", "Principles/Respect", "--query", "x", "--unit", "word"}, 2, "--unit"},
		{[]string{"autocode", "Nope", "--query", "respect"}, 4, `no code "Nope"`},
	}
	for _, tc := range tests {
		_, errs, code := tacitRun(t, dir, tc.args...)
		if code != tc.code || !strings.Contains(errs, tc.want) {
			t.Errorf("%v: exit %d (want %d), stderr %q (want %q)", tc.args, code, tc.code, errs, tc.want)
		}
		if strings.Count(strings.TrimSpace(errs), "\n") > 0 || strings.Contains(errs, "goroutine") {
			t.Errorf("%v: stderr is not one line: %q", tc.args, errs)
		}
	}
}

func storeCodings(t *testing.T, dir string) ([]coding.Coding, []*coding.Event) {
	t.Helper()
	p, err := project.Open(dir, project.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	var cs []coding.Coding
	var evs []*coding.Event
	err = p.Store.View(func(tx *store.Tx) error {
		if err := tx.Codings(func(c *coding.Coding) error { cs = append(cs, *c); return nil }); err != nil {
			return err
		}
		return tx.Events(func(e *coding.Event) bool { evs = append(evs, e); return true })
	})
	if err != nil {
		t.Fatal(err)
	}
	return cs, evs
}

func TestAutocode(t *testing.T) {
	dir := newSearchProject(t)
	before, evBefore := storeCodings(t, dir)
	q := `crisis OR overdose OR "turning point"`
	out := mustRun(t, dir, "autocode", "Principles/Crisis as lever", "--query", q, "--role", "client", "--dry-run")
	if !strings.Contains(out, "would code 1 passage with") {
		t.Errorf("dry run: %s", out)
	}
	after, evAfter := storeCodings(t, dir)
	if len(after) != len(before) || len(evAfter) != len(evBefore) {
		t.Fatalf("dry run wrote: %d -> %d codings, %d -> %d events", len(before), len(after), len(evBefore), len(evAfter))
	}

	// Sentence units: one coding per sentence holding a match.
	var res autocodeResult
	out = mustRun(t, dir, "--json", "autocode", "Principles/Crisis as lever", "--query", q, "--unit", "sentence")
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	text, moshe := docText(t, dir, "moshe")
	off := coding.NewOffsets(text)
	var got []string
	for _, c := range res.Codings {
		if c.Doc == moshe.ID {
			if s := off.Slice(c.Start, c.End); s != c.Text {
				t.Errorf("coding text %q != document slice %q", c.Text, s)
			}
		}
		got = append(got, c.DocName+":"+c.Text)
	}
	want := []string{
		"moshe:What was the turning point?",
		"moshe:Then the overdose.",
		"moshe:That was the turning point.",
		"moshe:After the crisis my family came back.",
		"moshe:The crisis made me ask for help.",
		"ruth:The crisis was our lever.",
	}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("sentences:\n got %q\nwant %q", got, want)
	}
	cs, evs := storeCodings(t, dir)
	if len(cs) != len(before)+len(want) || len(evs) != len(evBefore)+1 {
		t.Fatalf("want %d new codings and one event, got %d and %d", len(want), len(cs)-len(before), len(evs)-len(evBefore))
	}
	ev := evs[0]
	if ev.Action != ActionAutocode || ev.ID != res.Group || res.Group == 0 {
		t.Errorf("event %+v, group %d", ev, res.Group)
	}
	for _, c := range cs[len(before):] {
		if c.Origin != coding.OriginAuto || c.Group != res.Group || c.Query != q || c.Coder != "tester" {
			t.Errorf("coding %+v", c)
		}
	}

	// Running again adds nothing and logs nothing.
	out = mustRun(t, dir, "autocode", "Principles/Crisis as lever", "--query", q, "--unit", "sentence")
	if !strings.Contains(out, "coded 0 passages") || !strings.Contains(out, "6 already coded") {
		t.Errorf("second run: %s", out)
	}
	if cs2, evs2 := storeCodings(t, dir); len(cs2) != len(cs) || len(evs2) != len(evs) {
		t.Errorf("second run wrote something")
	}

	// Turn units code the whole turn, and another coder codes again.
	out = mustRun(t, dir, "--json", "autocode", "--coder", "other", "Principles/Respect", "--query", "כבוד OR respect*")
	res = autocodeResult{}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	htext, michal := docText(t, dir, "michal")
	hoff := coding.NewOffsets(htext)
	n := 0
	for _, c := range res.Codings {
		if c.Doc == michal.ID {
			tr := michal.Turns[michal.TurnAt(c.Start)]
			if c.Start != tr.Start || c.End != tr.End || hoff.Slice(c.Start, c.End) != c.Text {
				t.Errorf("turn unit %d:%d, turn is %d:%d", c.Start, c.End, tr.Start, tr.End)
			}
			n++
		}
	}
	if n != 2 || res.Added != 4 {
		t.Errorf("turn units: %d in michal, %d added: %+v", n, res.Added, res.Codings)
	}
}

func TestWordsCompare(t *testing.T) {
	dir := newSearchProject(t)
	tagPhrase(t, dir, "moshe", "Principles/Crisis as lever", "Then the overdose. That was the turning point. After the crisis my family came back. The crisis made me ask for help.")
	out := mustRun(t, dir, "words", "--code", "Principles/Crisis as lever", "--compare-to", "all", "--json")
	var res struct {
		Words    int             `json:"total_words"`
		RefWords int             `json:"ref_total_words"`
		Keywords []index.Keyword `json:"keywords"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	all := mustRun(t, dir, "words", "--json", "--top", "0")
	var total struct {
		Words int `json:"total_words"`
	}
	if err := json.Unmarshal([]byte(all), &total); err != nil {
		t.Fatal(err)
	}
	if res.Words == 0 || res.Words+res.RefWords != total.Words {
		t.Errorf("selection %d + reference %d != all %d", res.Words, res.RefWords, total.Words)
	}
	if len(res.Keywords) == 0 || res.Keywords[0].Word != "crisis" || res.Keywords[0].Count != 2 || res.Keywords[0].RefCount != 1 {
		t.Errorf("keywords %+v", res.Keywords)
	}
	csv := mustRun(t, dir, "words", "--role", "staff", "--format", "csv", "--top", "3")
	if !strings.HasPrefix(csv, "word,count,per_1000\nfamily,2,125\nplan,2,") {
		t.Errorf("csv %q", csv)
	}
}
