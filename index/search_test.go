package index

import (
	"context"
	"errors"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/tacit-qda/tacit/coding"
)

// transcript builds a document from "Speaker: text" lines, with turns at
// the code-point offsets of each line's text.
func transcript(id uint64, name, caseName, lng string, attrs map[string]string, lines ...string) Source {
	var b strings.Builder
	d := &coding.Document{ID: id, Name: name, Attrs: attrs, Lang: lng}
	for i, l := range lines {
		sp, text, _ := strings.Cut(l, ": ")
		b.WriteString(sp + ": ")
		start := coding.RuneLen(b.String())
		b.WriteString(text)
		d.Turns = append(d.Turns, coding.Turn{Index: i, Speaker: sp, Start: start, End: start + coding.RuneLen(text)})
		b.WriteString("\n")
	}
	roles := coding.RoleMap{Project: map[string]string{"interviewer": "interviewer"}}
	return Source{Doc: d, Case: caseName, Text: b.String(), Roles: roles, Lang: lng}
}

func corpus() []Source {
	return []Source{
		transcript(1, "dana-client", "S1 Step by step", "en", map[string]string{"role": "client", "year": "2021"},
			"Interviewer: What was the turning point for you?",
			"Dana: The crisis with my son was the turning point. After the crisis, the family plan changed.",
			"Interviewer: How did the social worker treat you?",
			"Dana: With respect. Never with disrespect, even when I was angry at the whole family.",
		),
		transcript(2, "ruth-staff", "S1 Step by step", "en", map[string]string{"role": "staff"},
			"Interviewer: Tell me about the plan.",
			"Ruth: We made a whole-family plan. The famliy came to every meeting; the crisis was our lever.",
			"Ruth: Respectful work takes time. Crises happen.",
		),
		transcript(3, "he-client", "S3 True dignity", "he", map[string]string{"role": "client"},
			"מראיינת: איך התייחסו אלייך?",
			"מיכל: הם דיברו איתי בכבוד, והכבוד הזה שינה הכול.",
			"מיכל: כָּבוֹד זה הדבר הכי חשוב. בבית שלי לא היה.",
		),
		transcript(4, "ar-client", "S4 Arabic", "ar", map[string]string{"role": "client"},
			"محاور: ماذا قرأ ابنك؟",
			"سلمى: قرأت والكتاب كان مهما. ذهبت إلى المدرسة كل يوم.",
		),
	}
}

// feed returns a Rebuild source function that yields srcs.
func feed(srcs []Source) func(func(Source) error) error {
	return func(fn func(Source) error) error {
		for _, s := range srcs {
			if err := fn(s); err != nil {
				return err
			}
		}
		return nil
	}
}

func buildCorpus(t testing.TB, srcs []Source) *Index {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "index")
	x, err := Rebuild(context.Background(), dir, 1, feed(srcs))
	if err != nil {
		t.Fatal(err)
	}
	x.SetTurnSource(MemTurns(srcs))
	t.Cleanup(func() { x.Close() })
	return x
}

// texts returns each document's text by id.
func texts(srcs []Source) map[uint64]string {
	m := map[uint64]string{}
	for _, s := range srcs {
		m[s.Doc.ID] = s.Text
	}
	return m
}

// matched returns the matched words of a result, sliced from the document
// texts by code points, "doc/turn:word" each.
func matched(t *testing.T, res *Result, docs map[uint64]string) []string {
	t.Helper()
	var out []string
	for _, h := range res.Hits {
		off := coding.NewOffsets(docs[h.Doc])
		for _, m := range h.Matches {
			if m.Start < h.TurnStart || m.End > h.TurnEnd {
				t.Errorf("match %v outside turn [%d,%d)", m, h.TurnStart, h.TurnEnd)
			}
			out = append(out, h.ID+":"+off.Slice(m.Start, m.End))
		}
		if got := off.Slice(h.TurnStart, h.TurnEnd); got != h.Text {
			t.Errorf("turn %s: document slice %q != indexed text %q", h.ID, got, h.Text)
		}
	}
	return out
}

func TestSearchMatchesAndOffsets(t *testing.T) {
	srcs := corpus()
	x := buildCorpus(t, srcs)
	docs := texts(srcs)
	tests := []struct {
		name string
		req  Request
		want []string // doc/turn:word in result order (sort doc)
	}{
		{"term", Request{Query: "crisis"}, []string{"1/1:crisis", "1/1:crisis", "2/1:crisis"}},
		{"phrase", Request{Query: `"turning point"`}, []string{"1/0:turning", "1/0:point", "1/1:turning", "1/1:point"}},
		{"phrase role", Request{Query: `"turning point"`, Filter: Filter{Roles: []string{"CLIENT"}}}, []string{"1/1:turning", "1/1:point"}},
		{"prefix and not", Request{Query: "respect* -disrespect"}, []string{"2/2:Respectful"}},
		{"must", Request{Query: "+respect +family"}, []string{"1/3:respect", "1/3:family"}},
		{"fuzzy", Request{Query: "famly~1", Filter: Filter{Speakers: []string{"ruth"}}}, []string{"2/1:family", "2/1:famliy"}},
		{"field speaker", Request{Query: "+plan +speaker:Ruth"}, []string{"2/1:plan"}},
		{"field case phrase", Request{Query: `+plan case:"S1 Step by step"`}, []string{"1/1:plan", "2/0:plan", "2/1:plan"}},
		{"case filter", Request{Query: "plan", Filter: Filter{Cases: []string{"s1 step by step"}, DocIDs: []uint64{2}}}, []string{"2/0:plan", "2/1:plan"}},
		{"attr filter", Request{Query: "crisis", Filter: Filter{Attrs: []string{"year=2021"}}}, []string{"1/1:crisis", "1/1:crisis"}},
		{"AND OR NOT", Request{Query: "crisis AND son OR lever NOT time"}, []string{"1/1:crisis", "1/1:son", "1/1:crisis"}},
		{"hebrew prefixes", Request{Query: "כבוד"}, []string{"3/1:בכבוד", "3/1:והכבוד", "3/2:כָּבוֹד"}},
		{"hebrew surface kept", Request{Query: "בית"}, []string{"3/2:בבית"}},
		{"arabic", Request{Query: "كتاب"}, []string{"4/1:والكتاب"}},
		{"arabic hamza", Request{Query: "قرا"}, []string{"4/0:قرأ"}},
		{"arabic article", Request{Query: "مدرسة"}, []string{"4/1:المدرسة"}},
		{"regex", Request{Regex: `[Cc]ris[ie]s`}, []string{"1/1:crisis", "1/1:crisis", "2/1:crisis", "2/2:Crises"}},
		{"regex only matching turns", Request{Regex: `overdose|زز`, Filter: Filter{Roles: []string{"client"}}}, nil},
		{"regex with query", Request{Query: "son", Regex: `turning point`}, []string{"1/1:turning point"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.req.Sort = SortDoc
			res, err := x.Search(context.Background(), tc.req)
			if err != nil {
				t.Fatal(err)
			}
			got := matched(t, res, docs)
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got  %q\nwant %q", got, tc.want)
			}
			if res.Total != len(res.Hits) {
				t.Errorf("total %d, %d hits", res.Total, len(res.Hits))
			}
		})
	}
}

func TestSearchNoFalseHebrewMatches(t *testing.T) {
	srcs := corpus()
	x := buildCorpus(t, srcs)
	for _, q := range []string{"ית", "כבודו"} {
		res, err := x.Search(context.Background(), Request{Query: q})
		if err != nil {
			t.Fatal(err)
		}
		if res.Total != 0 {
			t.Errorf("%s: %d hits, want 0: %+v", q, res.Total, res.Hits)
		}
	}
}

func TestSearchCodeSpans(t *testing.T) {
	srcs := corpus()
	x := buildCorpus(t, srcs)
	docs := texts(srcs)
	// Code the first sentence of Dana's answer (turn 1/1).
	text := docs[1]
	first := strings.Index(text, "The crisis with my son")
	fs := coding.RuneLen(text[:first])
	fe := fs + coding.RuneLen("The crisis with my son was the turning point.")
	coded := Spans{}
	coded.Add(1, fs, fe)
	coded.Normalize()

	res, err := x.Search(context.Background(), Request{Query: "crisis", Inside: coded, Filter: Filter{OnlyTurns: []string{"1/1"}}, Sort: SortDoc})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := matched(t, res, docs), []string{"1/1:crisis"}; !reflect.DeepEqual(got, want) {
		t.Errorf("inside: got %q want %q", got, want)
	}
	if res.Hits[0].Matches[0].Start != fs+4 {
		t.Errorf("inside match at %d, want %d", res.Hits[0].Matches[0].Start, fs+4)
	}
	res, err = x.Search(context.Background(), Request{Query: "crisis", Outside: coded, Sort: SortDoc})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := matched(t, res, docs), []string{"1/1:crisis", "2/1:crisis"}; !reflect.DeepEqual(got, want) {
		t.Errorf("outside: got %q want %q", got, want)
	}
	res, err = x.Search(context.Background(), Request{Query: "crisis", CountBy: CountCode, CountSpans: map[string]Spans{"Crisis": coded}})
	if err != nil {
		t.Fatal(err)
	}
	if want := map[string]int{"Crisis": 1, NoValue: 1}; !reflect.DeepEqual(res.Counts, want) {
		t.Errorf("counts %v want %v", res.Counts, want)
	}
}

func TestSearchCountsPagingSort(t *testing.T) {
	x := buildCorpus(t, corpus())
	ctx := context.Background()
	res, err := x.Search(ctx, Request{Query: "crisis OR crises OR plan", CountBy: CountSpeaker, Limit: 2})
	if err != nil {
		t.Fatal(err)
	}
	if want := map[string]int{"Dana": 1, "Ruth": 2, "Interviewer": 1}; !reflect.DeepEqual(res.Counts, want) {
		t.Errorf("counts %v want %v", res.Counts, want)
	}
	if res.Total != 4 || len(res.Hits) != 2 {
		t.Errorf("total %d hits %d, want 4 and 2", res.Total, len(res.Hits))
	}
	for i := 1; i < len(res.Hits); i++ {
		if res.Hits[i].Score > res.Hits[i-1].Score {
			t.Errorf("hits not sorted by score: %v", res.Hits)
		}
	}
	all, err := x.Search(ctx, Request{Query: "crisis OR crises OR plan"})
	if err != nil {
		t.Fatal(err)
	}
	page, err := x.Search(ctx, Request{Query: "crisis OR crises OR plan", Limit: 2, Offset: 2})
	if err != nil {
		t.Fatal(err)
	}
	if all.Total != 4 || page.Total != 4 || len(page.Hits) != 2 || page.Hits[0].ID != all.Hits[2].ID {
		t.Errorf("paging: all %d %v, page %d %v", all.Total, ids(all.Hits), page.Total, ids(page.Hits))
	}
	byCase, err := x.Search(ctx, Request{Query: "crisis OR crises OR plan OR כבוד", CountBy: CountCase})
	if err != nil {
		t.Fatal(err)
	}
	if want := map[string]int{"S1 Step by step": 4, "S3 True dignity": 2}; !reflect.DeepEqual(byCase.Counts, want) {
		t.Errorf("by case %v want %v", byCase.Counts, want)
	}
	doc, err := x.Search(ctx, Request{Query: "crisis OR crises OR plan", Sort: SortDoc})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := ids(doc.Hits), []string{"1/1", "2/0", "2/1", "2/2"}; !reflect.DeepEqual(got[:4], want) {
		t.Errorf("doc order %v", got)
	}
}

func ids(hits []Hit) []string {
	var out []string
	for _, h := range hits {
		out = append(out, h.ID)
	}
	return out
}

func TestParseQueryErrors(t *testing.T) {
	tests := []struct{ q, want string }{
		{`"turning point`, "quote at column 1 is not closed"},
		{`crisis "turning`, "quote at column 8"},
		{`spaker:ruth`, `unknown field "spaker" at column 1`},
		{`crisis http://x`, `unknown field "http" at column 8`},
		{`famly~3`, "fuzziness 3"},
		{`famly~x`, "not a number"},
		{`/[a-/`, "does not compile"},
		{`text:/(/`, "does not compile"},
		{`crisis +`, `"+" at column 8`},
		{`crisis AND`, "AND at column 8 needs a term"},
		{`OR crisis`, "OR at column 1"},
		{`NOT`, "NOT at column 1"},
		{`*`, "matches every word"},
		{`speaker:`, "has no value"},
		{`:x`, "colon without a field name"},
		{`crisis\`, "lone backslash"},
		{`   `, "empty"},
	}
	for _, tc := range tests {
		_, err := ParseQuery(tc.q)
		if err == nil {
			t.Errorf("%q: no error", tc.q)
			continue
		}
		var ce *coding.Error
		if !errors.As(err, &ce) || ce.Kind != coding.EInvalid {
			t.Errorf("%q: %v is not an invalid-input error", tc.q, err)
		}
		if !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: error %q does not contain %q", tc.q, err, tc.want)
		}
		if strings.Contains(err.Error(), "\n") {
			t.Errorf("%q: error has several lines: %q", tc.q, err)
		}
	}
}

func TestSearchErrors(t *testing.T) {
	x := buildCorpus(t, corpus())
	for _, r := range []Request{
		{Query: ""},
		{Regex: "("},
		{Query: "x", Sort: "name"},
		{Query: "x", CountBy: "colour"},
		{Query: "x", Limit: -1},
	} {
		if _, err := x.Search(context.Background(), r); coding.ErrorKind(err) != coding.EInvalid {
			t.Errorf("%+v: error %v, want invalid", r, err)
		}
	}
}

func TestFragment(t *testing.T) {
	text := "one two three four five six seven eight nine ten eleven twelve"
	m := func(word string) Match {
		i := strings.Index(text, word)
		return Match{100 + i, 100 + i + len(word)}
	}
	tests := []struct {
		ctx     int
		matches []Match
		want    string
	}{
		{200, []Match{m("five")}, "one two three four [five] six seven eight nine ten eleven twelve"},
		{10, []Match{m("six")}, "…four five [six] seven…"},
		{10, []Match{m("one")}, "[one] two three four five…"},
		{10, []Match{m("twelve")}, "…eleven [twelve]"},
		{12, []Match{m("six"), m("seven"), m("twelve")}, "…four five [six] [seven] eight…"},
		{5, nil, "one two…"},
	}
	for _, tc := range tests {
		got, marks := Fragment(text, 100, tc.matches, tc.ctx, [2]string{"[", "]"})
		if got != tc.want {
			t.Errorf("ctx %d %v: got %q want %q", tc.ctx, tc.matches, got, tc.want)
		}
		rs := []rune(got)
		for _, mk := range marks {
			if rs[mk.Start-1] != '[' || rs[mk.End] != ']' {
				t.Errorf("mark %v does not point at a marked word in %q", mk, got)
			}
		}
	}
	// Hebrew with niqqud and white space folded.
	he := "הם דיברו\n\nאיתי   בכבוד."
	i := coding.RuneLen("הם דיברו\n\nאיתי   ")
	got, _ := Fragment(he, 0, []Match{{i, i + 5}}, 60, [2]string{"<", ">"})
	if got != "הם דיברו איתי <בכבוד>." {
		t.Errorf("hebrew fragment %q", got)
	}
}

func TestSpans(t *testing.T) {
	s := Spans{}
	s.Add(1, 10, 20)
	s.Add(1, 15, 30)
	s.Add(1, 40, 50)
	s.Add(1, 5, 5)
	s.Normalize()
	if want := []Span{{10, 30}, {40, 50}}; !reflect.DeepEqual(s[1], want) {
		t.Fatalf("normalized %v", s[1])
	}
	for _, tc := range []struct {
		s, e        int
		in, overlap bool
	}{
		{10, 30, true, true}, {12, 14, true, true}, {25, 45, false, true}, {30, 40, false, false},
		{0, 10, false, false}, {0, 11, false, true}, {49, 50, true, true}, {50, 60, false, false},
	} {
		if got := s.Contains(1, tc.s, tc.e); got != tc.in {
			t.Errorf("Contains(%d,%d)=%v", tc.s, tc.e, got)
		}
		if got := s.Overlaps(1, tc.s, tc.e); got != tc.overlap {
			t.Errorf("Overlaps(%d,%d)=%v", tc.s, tc.e, got)
		}
	}
	if s.Contains(2, 10, 12) || s.Overlaps(2, 10, 12) {
		t.Error("other document matched")
	}
}

func FuzzParseQuery(f *testing.F) {
	for _, s := range []string{"crisis", `"turning point"`, "respect* -disrespect", "famly~1", "speaker:ruth",
		`case:"S3 True dignity"`, "a AND b OR c NOT d", `/cris.s/`, `כבוד`, `"unclosed`, "x^2", "turn:>3", `a\ b`, "~", ":"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q, err := ParseQuery(s)
		if err != nil {
			var ce *coding.Error
			if !errors.As(err, &ce) {
				t.Fatalf("%q: error %v is not a *coding.Error", s, err)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("%q: multi-line error %q", s, err)
			}
			return
		}
		if q == nil {
			t.Fatalf("%q: nil query without error", s)
		}
	})
}

// BenchmarkSearch measures term, boolean and phrase searches with fragments
// over a small corpus; cmd/tacit-bench compares against FTS5 at scale.
func BenchmarkSearch(b *testing.B) {
	var srcs []Source
	for i := 0; i < 200; i++ {
		for _, s := range corpus() {
			d := *s.Doc
			d.ID = uint64(i*10) + s.Doc.ID
			d.Name = s.Doc.Name + "-" + strings.Repeat("x", i%7)
			s.Doc = &d
			srcs = append(srcs, s)
		}
	}
	x := buildCorpus(b, srcs)
	for _, q := range []string{"crisis", "+family +plan", `"turning point"`, "כבוד"} {
		b.Run(q, func(b *testing.B) {
			for b.Loop() {
				if _, err := x.Search(context.Background(), Request{Query: q, Limit: 10}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestTurnQueries checks turn:N and the turn ranges against the turn
// numbers of the hits (turn is one keyword term per turn, TurnKey).
func TestTurnQueries(t *testing.T) {
	x := buildCorpus(t, corpus())
	ctx := context.Background()
	turns := func(q string) []int {
		t.Helper()
		res, err := x.Search(ctx, Request{Query: q, Sort: SortDoc})
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		var out []int
		for _, h := range res.Hits {
			out = append(out, h.Turn)
		}
		return out
	}
	for _, tc := range []struct {
		q    string
		want func(turn int) bool
	}{
		{"+crisis +turn:<2", func(n int) bool { return n < 2 }},
		{"+crisis +turn:<=1", func(n int) bool { return n <= 1 }},
		{"+respect* +turn:>1", func(n int) bool { return n > 1 }},
		{"+crisis +turn:>=1", func(n int) bool { return n >= 1 }},
		{"+crisis +turn:1", func(n int) bool { return n == 1 }},
		{"+turn:>0.5 +turn:<2.5", func(n int) bool { return n == 1 || n == 2 }},
		{"+turn:>=0 +turn:<10", func(n int) bool { return true }},
	} {
		got := turns(tc.q)
		if len(got) == 0 {
			t.Errorf("%s: no hits", tc.q)
		}
		for _, n := range got {
			if !tc.want(n) {
				t.Errorf("%s: hit in turn %d", tc.q, n)
			}
		}
	}
	// Every turn of the corpus: 4+3+3+2 turns.
	if got := turns("turn:>=0"); len(got) != 12 {
		t.Errorf("turn:>=0 found %d turns, want 12", len(got))
	}
	// Sorted by document and turn number, also past turn 9.
	for _, k := range []int{0, 9, 10, 99, 100, 999_999_999} {
		if k > 0 && TurnKey(k-1) >= TurnKey(k) {
			t.Errorf("TurnKey(%d) = %q does not sort after TurnKey(%d) = %q", k, TurnKey(k), k-1, TurnKey(k-1))
		}
	}
}

// TestQueryAnalyzersFollowIndex: the query analyzers are kept for an
// index snapshot, and a write that adds a language makes the next search
// use that language's analyzer too.
func TestQueryAnalyzersFollowIndex(t *testing.T) {
	x := buildCorpus(t, corpus()[:2])
	want := QueryAnalyzers("en")
	for range 2 { // read, then kept
		if got := x.queryAnalyzers(); !slices.Equal(got, want) {
			t.Fatalf("before: got %v, want %v", got, want)
		}
	}
	w := x.NewWriter()
	if err := w.Add(transcript(9, "marie", "S9", "fr", nil, "Marie: Les crises ont changé la famille.")); err != nil {
		t.Fatal(err)
	}
	if err := w.Commit(2); err != nil {
		t.Fatal(err)
	}
	want = QueryAnalyzers("en", "fr")
	if len(want) != 2 {
		t.Fatalf("QueryAnalyzers(en, fr) = %v: the test needs two analyzers", want)
	}
	if got := x.queryAnalyzers(); !slices.Equal(got, want) {
		t.Fatalf("after adding French: got %v, want %v", got, want)
	}
}
