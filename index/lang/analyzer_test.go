package lang

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"
)

var update = flag.Bool("update", false, "rewrite golden files under testdata/")

// tok is one analysed token: its term, the byte offsets [Start,End) and its position.
type tok struct {
	Term  string `json:"term"`
	Start int    `json:"start"`
	End   int    `json:"end"`
	Pos   int    `json:"pos"`
}

func analyzerNamed(t testing.TB, name string) analysis.Analyzer {
	t.Helper()
	a, err := registry.NewCache().AnalyzerNamed(name)
	if err != nil {
		t.Fatalf("analyzer %s: %v", name, err)
	}
	return a
}

func analyze(t testing.TB, name, text string) []tok {
	t.Helper()
	var out []tok
	for _, tk := range analyzerNamed(t, name).Analyze([]byte(text)) {
		out = append(out, tok{string(tk.Term), tk.Start, tk.End, tk.Position})
	}
	return out
}

// span names the surface word a token must cover; the table gives it so a reader can
// check the offsets, and the test checks that text[Start:End] is that word.
type span struct {
	term, surface string
	start, end    int
	pos           int
}

func TestAnalyzerTokens(t *testing.T) {
	tests := []struct {
		name     string
		analyzer string
		text     string
		want     []span
	}{
		{"he niqqud and prefixes", AnalyzerHe, "בְּכָבוֹד והכבוד", []span{
			{"בכבוד", "בְּכָבוֹד", 0, 18, 1}, {"כבוד", "בְּכָבוֹד", 0, 18, 1},
			{"והכבוד", "והכבוד", 19, 31, 2}, {"הכבוד", "והכבוד", 19, 31, 2}, {"כבוד", "והכבוד", 19, 31, 2},
		}},
		{"he query: no expansion", QueryAnalyzerHe, "בְּכָבוֹד והכבוד", []span{
			{"בכבוד", "בְּכָבוֹד", 0, 18, 1}, {"והכבוד", "והכבוד", 19, 31, 2},
		}},
		{"he stop word, acronym with prefix", AnalyzerHe, `הוא גר בצה"ל`, []span{
			{"גר", "גר", 7, 11, 2},
			{`בצה"ל`, `בצה"ל`, 12, 21, 3}, {`צה"ל`, `בצה"ל`, 12, 21, 3},
			{"בצהל", `בצה"ל`, 12, 21, 3}, {"צהל", `בצה"ל`, 12, 21, 3},
		}},
		{"he query: acronym loses its quote", QueryAnalyzerHe, `הוא גר בצה״ל`, []span{
			{"גר", "גר", 7, 11, 2}, {"בצהל", "בצה״ל", 12, 22, 3},
		}},
		{"he three-letter chain", AnalyzerHe, "וכשהגענו", []span{
			{"וכשהגענו", "וכשהגענו", 0, 16, 1}, {"כשהגענו", "וכשהגענו", 0, 16, 1},
			{"שהגענו", "וכשהגענו", 0, 16, 1}, {"הגענו", "וכשהגענו", 0, 16, 1},
			{"גענו", "וכשהגענו", 0, 16, 1},
		}},
		{"he protected words and short remainders", AnalyzerHe, "כלב וכלב בית בלב", []span{
			{"כלב", "כלב", 0, 6, 1},
			{"וכלב", "וכלב", 7, 15, 2}, {"כלב", "וכלב", 7, 15, 2},
			{"בית", "בית", 16, 22, 3},
			{"בלב", "בלב", 23, 29, 4}, {"לב", "בלב", 23, 29, 4},
		}},
		{"he RLM inside the token, final letters", AnalyzerHe, "העבודה\u200F שלומ", []span{
			{"העבודה", "העבודה\u200F", 0, 15, 1}, {"עבודה", "העבודה\u200F", 0, 15, 1},
			{"שלום", "שלומ", 16, 24, 2}, {"לום", "שלומ", 16, 24, 2},
		}},
		{"he geresh", AnalyzerHe, "צ׳ק ג'ל פרופ'", []span{
			{"צ'ק", "צ׳ק", 0, 6, 1}, {"ג'ל", "ג'ל", 7, 12, 2}, {"פרוף", "פרופ'", 13, 22, 3},
		}},
		{"he maqaf and hyphenated prefixes", AnalyzerHe, "בית־ספר ה-IDF ו-iPhone", []span{
			{"בית", "בית", 0, 6, 1}, {"ספר", "ספר", 8, 14, 2},
			{"idf", "IDF", 18, 21, 4}, {"iphon", "iPhone", 25, 31, 6},
		}},
		{"he proclitic glued to a Latin word", AnalyzerHe, "בGoogle ב2023", []span{
			{"בgoogle", "בGoogle", 0, 8, 1}, {"googl", "בGoogle", 0, 8, 1},
			{"ב2023", "ב2023", 9, 15, 2}, {"2023", "ב2023", 9, 15, 2},
		}},
		{"he query: proclitic on a Latin word stays", QueryAnalyzerHe, "בGoogle", []span{
			{"בgoogle", "בGoogle", 0, 8, 1},
		}},
		{"en is bleve's en", AnalyzerEn, "The workers' children's reports", []span{
			{"worker", "workers", 4, 11, 2}, {"children", "children's", 13, 23, 3},
			{"report", "reports", 24, 31, 4},
		}},
		{"en with a Hebrew word", AnalyzerEn, "the עירייה's office", []span{
			{"עירייה's", "עירייה's", 4, 18, 2}, {"offic", "office", 19, 25, 3},
		}},
		{"ar article and tashkeel", AnalyzerAr, "والكتاب كِتاب", []span{
			{"كتاب", "والكتاب", 0, 14, 1}, {"كتاب", "كِتاب", 15, 25, 2},
			{"تاب", "كِتاب", 15, 25, 2}, // ك read as a proclitic: an extra index form
		}},
		{"ar proclitic ba", AnalyzerAr, "باحترام", []span{
			{"باحترام", "باحترام", 0, 14, 1}, {"احترام", "باحترام", 0, 14, 1},
		}},
		{"ar digits and bal-", AnalyzerAr, "٢٠٢٣ بالمدرسة في", []span{
			{"2023", "٢٠٢٣", 0, 8, 1}, {"مدرس", "بالمدرسة", 9, 25, 2},
		}},
		{"plain: lower case only for Latin", AnalyzerPlain, "Workers בכבוד", []span{
			{"workers", "Workers", 0, 7, 1},
			{"בכבוד", "בכבוד", 8, 18, 2}, {"כבוד", "בכבוד", 8, 18, 2},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := analyze(t, tc.analyzer, tc.text)
			var want []tok
			for _, s := range tc.want {
				if s.end > len(tc.text) || tc.text[s.start:s.end] != s.surface {
					t.Fatalf("bad table row %+v: text[%d:%d] is not %q", s, s.start, s.end, s.surface)
				}
				want = append(want, tok{s.term, s.start, s.end, s.pos})
			}
			if !slices.Equal(got, want) {
				t.Errorf("%s(%q)\n got %v\nwant %v", tc.analyzer, tc.text, got, want)
			}
		})
	}
}

// TestBleveChainsUnchanged checks that for text without Hebrew or Arabic words tacit_en
// gives exactly bleve's "en" tokens, and tacit_ar bleve's "ar" tokens for Arabic text
// (leaving out the extra proclitic-stripped forms tacit_ar adds at a word's position).
func TestBleveChainsUnchanged(t *testing.T) {
	for _, tc := range []struct{ ours, bleve, text string }{
		{AnalyzerEn, "en", "The Social Workers' reports didn't help; families were running 3 programs in 2023."},
		{QueryAnalyzerEn, "en", "Isn't it the children's RIGHT to be heard?"},
		{AnalyzerAr, "ar", "ذهب الولد إلى المدرسة والكتاب بالمدرسة مصطفى قرأ كتـــاب وَلَد في هذا"},
	} {
		got, want := analyze(t, tc.ours, tc.text), analyze(t, tc.bleve, tc.text)
		seen := map[int]bool{}
		var firsts []tok // the first token at each position
		for _, x := range got {
			if !seen[x.Pos] {
				seen[x.Pos] = true
				firsts = append(firsts, x)
			}
		}
		got = firsts
		if !slices.Equal(got, want) {
			t.Errorf("%s differs from %s on %q:\n got %v\nwant %v", tc.ours, tc.bleve, tc.text, got, want)
		}
	}
}

// TestSharedChains backs QueryAnalyzers' claim that en, he and ar analyse alike.
func TestSharedChains(t *testing.T) {
	text := `The מטפלת בְּכָבוֹד said צה"ל and والكتاب ٢٠٢٣ workers' בGoogle`
	for _, group := range [][]string{
		{AnalyzerEn, AnalyzerHe, AnalyzerAr},
		{QueryAnalyzerEn, QueryAnalyzerHe, QueryAnalyzerAr},
	} {
		first := analyze(t, group[0], text)
		for _, name := range group[1:] {
			if got := analyze(t, name, text); !slices.Equal(got, first) {
				t.Errorf("%s and %s differ:\n%v\n%v", group[0], name, first, got)
			}
		}
	}
}

// TestGoldenTokens records every analyzer's tokens for a mixed interview excerpt, so any
// change in analysis shows up as a diff (then bump Version). Rewrite with -update.
func TestGoldenTokens(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("testdata", "mixed.txt"))
	if err != nil {
		t.Fatal(err)
	}
	text := string(src)
	var b strings.Builder
	for _, name := range []string{AnalyzerHe, QueryAnalyzerHe, AnalyzerPlain, QueryAnalyzerPlain} {
		fmt.Fprintf(&b, "# %s\n", name)
		for _, tk := range analyze(t, name, text) {
			line, err := json.Marshal(struct {
				tok
				Surface string `json:"surface"`
			}{tk, text[tk.Start:tk.End]})
			if err != nil {
				t.Fatal(err)
			}
			b.Write(line)
			b.WriteByte('\n')
		}
	}
	golden := filepath.Join("testdata", "mixed.tokens.golden")
	if *update {
		if err := os.WriteFile(golden, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if b.String() != string(want) {
		t.Errorf("tokens differ from %s; review and rerun with -update, and bump Version", golden)
	}
}

func TestRegisterIdempotent(t *testing.T) {
	for range 3 {
		if err := Register(); err != nil {
			t.Fatal(err)
		}
	}
	for _, name := range []string{FilterHeNormalize, FilterHeStop, FilterHeExpand, FilterHeQuery, FilterDigits} {
		if _, err := registry.NewCache().TokenFilterNamed(name); err != nil {
			t.Errorf("token filter %s: %v", name, err)
		}
	}
}

func TestAnalyzerConfig(t *testing.T) {
	cache := registry.NewCache()
	a, err := cache.DefineAnalyzer("proj_he", map[string]interface{}{
		"type": AnalyzerHe, "he_protected": []interface{}{"מקום"}, "he_stop": []string{"אצל"},
	})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, tk := range a.Analyze([]byte("במקום אצל")) {
		got = append(got, string(tk.Term))
	}
	if want := []string{"במקום", "מקום"}; !slices.Equal(got, want) {
		t.Errorf("configured analyzer: got %q, want %q", got, want)
	}
	if _, err := cache.DefineAnalyzer("bad", map[string]interface{}{"type": AnalyzerHe, "he_stop": "אצל"}); err == nil {
		t.Error("a he_stop that is not a list was accepted")
	}
}

// TestRealEnglishTranscripts: on real transcripts written by others (skipped when
// ../../../shared/corpora is absent), tacit_en gives exactly bleve's en tokens, every
// offset slices valid text, and Detect keeps the project language. The one
// difference allowed is that tacit keeps the negations bleve drops as stop words.
func TestRealEnglishTranscripts(t *testing.T) {
	dir := filepath.Join("..", "..", "..", "shared", "corpora", "transcripts")
	files, _ := filepath.Glob(filepath.Join(dir, "*", "*.txt"))
	vtt, _ := filepath.Glob(filepath.Join(dir, "*", "*.vtt"))
	files = append(files, vtt...)
	if len(files) == 0 {
		t.Skip("no shared corpora")
	}
	if len(files) > 12 {
		files = files[:12]
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if len(b) > 200_000 {
			b = b[:200_000]
		}
		text := strings.ToValidUTF8(string(b), "\uFFFD")
		if got := Detect(text, "en"); got != "en" {
			t.Errorf("%s: Detect = %s", f, got)
		}
		ours, theirs := analyze(t, AnalyzerEn, text), analyze(t, "en", text)
		theirPos := map[int]bool{}
		for _, x := range theirs {
			theirPos[x.Pos] = true
		}
		ours = slices.DeleteFunc(ours, func(x tok) bool { return slices.Contains(negations, x.Term) && !theirPos[x.Pos] })
		if !slices.Equal(ours, theirs) {
			t.Errorf("%s: tacit_en and en differ (%d vs %d tokens)", f, len(ours), len(theirs))
		}
	}
}

// BenchmarkAnalyze compares analysis cost per byte of tacit_he with bleve's standard
// analyzer on the mixed Hebrew/Arabic/English excerpt, and reports the index tokens per
// word (the cost of Hebrew prefix expansion).
func BenchmarkAnalyze(b *testing.B) {
	src, err := os.ReadFile(filepath.Join("testdata", "mixed.txt"))
	if err != nil {
		b.Fatal(err)
	}
	text := []byte(strings.Repeat(string(src), 20))
	for _, name := range []string{"standard", AnalyzerHe, QueryAnalyzerHe, AnalyzerEn, "en"} {
		b.Run(name, func(b *testing.B) {
			a := analyzerNamed(b, name)
			b.SetBytes(int64(len(text)))
			var toks, words int
			for b.Loop() {
				ts := a.Analyze(text)
				toks = len(ts)
				words = 0
				last := -1
				for _, tk := range ts {
					if tk.Position != last {
						words++
						last = tk.Position
					}
				}
			}
			b.ReportMetric(float64(toks)/float64(words), "tokens/word")
		})
	}
}
