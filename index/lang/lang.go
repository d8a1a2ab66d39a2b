package lang

import (
	"slices"
	"strings"
	"unicode"

	// bleve's language packages register their analyzers and stop lists in init.
	_ "github.com/blevesearch/bleve/v2/analysis/lang/bg"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/ca"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/cjk"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/ckb"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/cs"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/da"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/de"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/el"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/es"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/eu"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/fa"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/fi"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/fr"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/ga"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/gl"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/hi"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/hu"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/hy"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/id"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/it"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/nl"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/no"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/pt"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/ro"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/ru"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/sv"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/tr"
)

// builtin maps a language code to the bleve analyzer tacit uses for it unchanged.
// Croatian (hr) is left out: bleve's package builds a large stemming table at
// program start, ~5 ms added to every tacit command; Croatian gets tacit_plain. Persian
// (fa) is left out on purpose: bleve's "fa" analyzer has a character filter that replaces
// the 3-byte ZWNJ with a 1-byte space, which shifts every later highlight offset by 2 bytes;
// Persian therefore gets tacit_plain, whose Arabic-script chain is bleve's Arabic one.
var builtin = map[string]string{
	"ckb": "ckb", "da": "da", "de": "de", "es": "es", "fi": "fi", "fr": "fr", "hi": "hi",
	"hu": "hu", "it": "it", "nl": "nl", "no": "no", "pt": "pt",
	"ro": "ro", "ru": "ru", "sv": "sv", "tr": "tr", "zh": "cjk", "ja": "cjk", "ko": "cjk",
}

// aliases maps deprecated or three-letter codes to the codes tacit uses.
var aliases = map[string]string{
	"iw": "he", "heb": "he", "ara": "ar", "eng": "en", "in": "id", "ji": "yi",
	"nb": "no", "nn": "no", "nob": "no", "nno": "no",
	"deu": "de", "ger": "de", "fra": "fr", "fre": "fr", "spa": "es", "rus": "ru",
	"zho": "zh", "chi": "zh", "jpn": "ja", "kor": "ko", "fas": "fa", "per": "fa",
}

// Canonical returns the language code tacit uses for a tag: lower-cased primary subtag,
// with deprecated and three-letter codes mapped ("he-IL" -> "he", "iw" -> "he",
// "eng" -> "en", "nb" -> "no"). It returns "" for an empty tag.
func Canonical(lang string) string {
	l := strings.ToLower(strings.TrimSpace(lang))
	if i := strings.IndexAny(l, "-_"); i >= 0 {
		l = l[:i]
	}
	if a, ok := aliases[l]; ok {
		return a
	}
	return l
}

// AnalyzerName returns the name of the analyzer that indexes text in lang: "tacit_en",
// "tacit_he", "tacit_ar" for English, Hebrew and Arabic; bleve's own analyzer where one
// exists (fr, de, nl, es, ru, ...; zh/ja/ko -> "cjk"); else "tacit_plain".
//
// tacit_en, tacit_he and tacit_ar route every token by the script of its first letter:
// Hebrew words get the Hebrew chain (see package doc), Arabic words bleve's Arabic chain,
// all other words bleve's English chain. They therefore produce the same terms today; the
// three names exist so that a document records its language and the chains can diverge.
// tacit_plain is the same router with lower-casing only for non-Hebrew, non-Arabic words.
func AnalyzerName(lang string) string {
	switch l := Canonical(lang); l {
	case "en":
		return AnalyzerEn
	case "he":
		return AnalyzerHe
	case "ar":
		return AnalyzerAr
	default:
		if b, ok := builtin[l]; ok {
			return b
		}
		return AnalyzerPlain
	}
}

// QueryAnalyzerName returns the analyzer to set on MatchQuery/MatchPhraseQuery.Analyzer
// for a query against text indexed with AnalyzerName(lang). For the tacit analyzers it is
// the "_query" twin (no Hebrew prefix expansion, acronyms without their quote); for
// bleve's analyzers it is the index analyzer itself.
func QueryAnalyzerName(lang string) string {
	switch a := AnalyzerName(lang); a {
	case AnalyzerEn:
		return QueryAnalyzerEn
	case AnalyzerHe:
		return QueryAnalyzerHe
	case AnalyzerAr:
		return QueryAnalyzerAr
	case AnalyzerPlain:
		return QueryAnalyzerPlain
	default:
		return a
	}
}

// QueryAnalyzers returns the distinct query analyzers needed to search text in the given
// languages, in a stable order, without duplicates that would produce the same terms:
// en, he and ar share one chain today, so {"he", "en", "ar"} needs one analyzer. A query
// over a mixed corpus is a disjunction of one MatchQuery per returned analyzer.
func QueryAnalyzers(langs ...string) []string {
	var out []string
	seenMulti := false
	for _, l := range langs {
		a := QueryAnalyzerName(l)
		switch a {
		case QueryAnalyzerEn, QueryAnalyzerHe, QueryAnalyzerAr:
			if seenMulti {
				continue
			}
			seenMulti = true
		}
		if !slices.Contains(out, a) {
			out = append(out, a)
		}
	}
	return out
}

// Supported returns, sorted, the language codes that have a language-specific analyzer
// (any other code gets tacit_plain).
func Supported() []string {
	out := []string{"ar", "en", "he"}
	for l := range builtin {
		out = append(out, l)
	}
	slices.Sort(out)
	return out
}

// Scripts whose languages Detect may keep when the fallback already names one of them.
var (
	hebrewScriptLangs = map[string]bool{"he": true, "yi": true, "lad": true}
	arabicScriptLangs = map[string]bool{"ar": true, "fa": true, "ur": true, "ps": true, "ckb": true, "sd": true, "ug": true}
)

// Detect returns "he" when Hebrew letters are more than half of the letters of text, "ar"
// when Arabic letters are, else fallback. Only letters count (niqqud, harakat, digits,
// punctuation and tatweel do not). When the fallback is itself a language written in that
// script (yi for Hebrew; fa, ur, ckb, ... for Arabic), the fallback is returned instead,
// since the script cannot tell those languages apart.
func Detect(text string, fallback string) string {
	var he, arab, letters int
	for _, r := range text {
		if !unicode.IsLetter(r) || r == 0x0640 {
			continue
		}
		letters++
		switch {
		case unicode.Is(unicode.Hebrew, r):
			he++
		case unicode.Is(unicode.Arabic, r):
			arab++
		}
	}
	fb := Canonical(fallback)
	switch {
	case letters == 0:
		return fallback
	case 2*he > letters:
		if hebrewScriptLangs[fb] {
			return fallback
		}
		return "he"
	case 2*arab > letters:
		if arabicScriptLangs[fb] {
			return fallback
		}
		return "ar"
	}
	return fallback
}
