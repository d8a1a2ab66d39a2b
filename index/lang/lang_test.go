package lang

import (
	"slices"
	"testing"

	"github.com/blevesearch/bleve/v2/registry"
)

func TestAnalyzerNames(t *testing.T) {
	tests := []struct{ lang, analyzer, query string }{
		{"en", "tacit_en", "tacit_en_query"},
		{"EN-us", "tacit_en", "tacit_en_query"},
		{"eng", "tacit_en", "tacit_en_query"},
		{"he", "tacit_he", "tacit_he_query"},
		{"he-IL", "tacit_he", "tacit_he_query"},
		{"iw", "tacit_he", "tacit_he_query"},
		{"ar", "tacit_ar", "tacit_ar_query"},
		{"ar_EG", "tacit_ar", "tacit_ar_query"},
		{"fr", "fr", "fr"},
		{"de-CH", "de", "de"},
		{"nl", "nl", "nl"},
		{"es", "es", "es"},
		{"nb", "no", "no"},
		{"ja", "cjk", "cjk"},
		{"fa", "tacit_plain", "tacit_plain_query"}, // bleve's fa shifts offsets
		{"pl", "tacit_plain", "tacit_plain_query"},
		{"yi", "tacit_plain", "tacit_plain_query"},
		{"", "tacit_plain", "tacit_plain_query"},
	}
	for _, tc := range tests {
		if got := AnalyzerName(tc.lang); got != tc.analyzer {
			t.Errorf("AnalyzerName(%q) = %q, want %q", tc.lang, got, tc.analyzer)
		}
		if got := QueryAnalyzerName(tc.lang); got != tc.query {
			t.Errorf("QueryAnalyzerName(%q) = %q, want %q", tc.lang, got, tc.query)
		}
	}
}

// TestSupportedResolve: every supported language's analyzers exist in bleve's registry,
// and each returns tokens whose offsets lie inside the input.
func TestSupportedResolve(t *testing.T) {
	sup := Supported()
	if !slices.IsSorted(sup) {
		t.Errorf("Supported() not sorted: %v", sup)
	}
	for _, must := range []string{"ar", "de", "en", "es", "fr", "he", "nl"} {
		if !slices.Contains(sup, must) {
			t.Errorf("Supported() lacks %s", must)
		}
	}
	cache := registry.NewCache()
	text := []byte("Ein Haus, la maison, בְּכָבוֹד, والكتاب, 東京タワー")
	for _, l := range append(sup, "xx") {
		for _, name := range []string{AnalyzerName(l), QueryAnalyzerName(l)} {
			a, err := cache.AnalyzerNamed(name)
			if err != nil {
				t.Errorf("%s: %s: %v", l, name, err)
				continue
			}
			for _, tk := range a.Analyze(text) {
				if tk.Start < 0 || tk.End > len(text) || tk.Start > tk.End {
					t.Errorf("%s: token %v outside input", name, tk)
				}
			}
		}
	}
}

func TestQueryAnalyzers(t *testing.T) {
	tests := []struct {
		langs []string
		want  []string
	}{
		{[]string{"he"}, []string{"tacit_he_query"}},
		{[]string{"he", "en", "ar"}, []string{"tacit_he_query"}},
		{[]string{"en", "he", "fr", "de", "fr", "xx", "zz"}, []string{"tacit_en_query", "fr", "de", "tacit_plain_query"}},
		{nil, nil},
	}
	for _, tc := range tests {
		if got := QueryAnalyzers(tc.langs...); !slices.Equal(got, tc.want) {
			t.Errorf("QueryAnalyzers(%v) = %v, want %v", tc.langs, got, tc.want)
		}
	}
}

func TestDetect(t *testing.T) {
	tests := []struct {
		text, fallback, want string
	}{
		{"שלום, מה שלומך היום?", "en", "he"},
		{"בְּכָבוֹד", "en", "he"},
		{"דיברנו על ה-Social Worker שלנו", "en", "he"},
		{"We talked about the מטפלת and her work", "en", "en"},
		{"مرحبا، كيف حالك اليوم؟", "en", "ar"},
		{"وَلَد ـــــ", "he", "ar"},
		{"کتاب فارسی است", "fa", "fa"}, // Arabic script, Persian project
		{"שלום וברכה", "yi", "yi"},     // Hebrew script, Yiddish project
		{"Bonjour à tous", "fr", "fr"},
		{"2023 — 15:30 ٢٠٢٣", "he", "he"}, // no letters
		{"", "de", "de"},
		{"abc שלו", "en", "en"}, // half is not a majority
		{"ab שלום", "en", "he"},
	}
	for _, tc := range tests {
		if got := Detect(tc.text, tc.fallback); got != tc.want {
			t.Errorf("Detect(%q, %q) = %q, want %q", tc.text, tc.fallback, got, tc.want)
		}
	}
}

func TestNormalize(t *testing.T) {
	tests := []struct{ lang, word, want string }{
		{"he", "כָּבוֹד", "כבוד"},
		{"he", "בְּכָבוֹד", "בכבוד"}, // no prefix stripping
		{"he", "שלומ", "שלום"},
		{"he", "צה״ל", `צה"ל`},
		{"he", "העבודה\u200F", "העבודה"},
		{"he", "פרופ'", "פרוף"},
		{"he", "ג׳ט", "ג'ט"},
		{"he", "מסאז׳", "מסאז'"},
		{"he", "Workers", "workers"},
		{"he", "children's", "children"},
		{"en", "Running", "running"}, // no stemming
		{"fr", "l'École", "l'école"},
		{"fr", "children's", "children's"},
		{"ar", "وَالكِتَابُ", "والكتاب"},
		{"ar", "مدرسة", "مدرسه"},
		{"ar", "كتـــاب", "كتاب"},
		{"en", "٢٠٢٣", "2023"},
		{"en", "  ", ""},
	}
	for _, tc := range tests {
		if got := Normalize(tc.lang, tc.word); got != tc.want {
			t.Errorf("Normalize(%q, %q) = %q, want %q", tc.lang, tc.word, got, tc.want)
		}
	}
}

func TestStopWords(t *testing.T) {
	he := StopWords("he")
	for _, w := range []string{"של", "אני", "כאילו", "לא", "אין", "עם", "שלהם"} {
		if !he[Normalize("he", w)] {
			t.Errorf("he: %q is not a stop word", w)
		}
	}
	for _, w := range []string{"כבוד", "משפחה", "עבודה"} {
		if he[Normalize("he", w)] {
			t.Errorf("he: %q is a stop word", w)
		}
	}
	he["כבוד"] = true // the caller's copy only
	if StopWords("he")["כבוד"] {
		t.Error("StopWords returns a shared map")
	}
	if ar := StopWords("ar"); !ar[Normalize("ar", "في")] || !ar[Normalize("ar", "إلى")] || ar[Normalize("ar", "كتاب")] {
		t.Error("ar stop list wrong")
	}
	if en := StopWords("en-GB"); !en["the"] || !en["not"] || en["worker"] {
		t.Error("en stop list wrong")
	}
	if fr := StopWords("fr"); !fr["le"] || fr["maison"] {
		t.Error("fr stop list wrong")
	}
	if len(StopWords("xx")) != 0 || len(StopWords("ja")) != 0 {
		t.Error("languages without a list must give an empty map")
	}

	for _, tc := range []struct {
		lang, word string
		want       bool
	}{
		{"he", "של", true},
		{"he", "The", true},  // English word in a Hebrew text
		{"en", "שֶׁל", true}, // Hebrew word in an English text, pointed
		{"fr", "في", true},
		{"fr", "le", true},
		{"fr", "the", false},
		{"xx", "the", true},
		{"he", "כבוד", false},
	} {
		if got := IsStopWord(tc.lang, tc.word); got != tc.want {
			t.Errorf("IsStopWord(%q, %q) = %v, want %v", tc.lang, tc.word, got, tc.want)
		}
	}
}

// TestHebrewPrefixes pins the proclitic chain table.
func TestHebrewPrefixes(t *testing.T) {
	for _, p := range []string{"ו", "ה", "ב", "כ", "ל", "מ", "ש", "וה", "שה", "מה", "כש", "וכש", "וכשה", "ומה", "לכש", "ושב"} {
		if !hebrewPrefixes[p] {
			t.Errorf("%s should be a legal chain", p)
		}
	}
	for _, p := range []string{"בה", "לה", "כה", "הב", "בל", "כל", "וו", "ולכשה"} {
		if hebrewPrefixes[p] {
			t.Errorf("%s should not be a legal chain", p)
		}
	}
}
