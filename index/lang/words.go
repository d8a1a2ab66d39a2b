package lang

import (
	"maps"
	"strings"
	"sync"
	"unicode"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/lang/ar"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/registry"
	"golang.org/x/text/unicode/norm"
)

// hebrewFrequencyStop is the Hebrew stop list for word-frequency lists: pronouns,
// prepositions with their suffixes, particles, conjunctions, very common verbs of being,
// and spoken fillers frequent in interviews. It is longer than the index list
// (defaultHebrewIndexStop) because a frequency list is read by people, while the index
// should keep words that may matter in a query (negation, for instance, is kept there).
var hebrewFrequencyStop = []string{
	// the index list
	"ב", "ה", "ו", "כ", "ל", "מ", "ש", "וה", "וב", "וכ", "ול", "ומ", "וש", "שה", "כש", "וכש",
	"של", "את", "על", "זה", "כי", "או", "גם", "רק", "אבל", "הוא", "היא",
	// pronouns and demonstratives
	"אני", "אתה", "אנחנו", "אתם", "אתן", "הם", "הן", "זאת", "זו", "אלה", "אלו",
	"הזה", "הזאת", "הזו", "האלה", "האלו", "ההוא", "ההיא", "שזה", "שהוא", "שהיא", "זהו",
	// prepositions with suffixes
	"שלי", "שלך", "שלו", "שלה", "שלנו", "שלכם", "שלהם", "שלהן",
	"אותי", "אותך", "אותו", "אותה", "אותנו", "אותם", "אותן",
	"לי", "לך", "לו", "לה", "לנו", "לכם", "להם", "להן",
	"בי", "בך", "בו", "בה", "בנו", "בהם", "בהן",
	"עליי", "עלי", "עליו", "עליה", "עלינו", "עליהם", "אל", "אליו", "אליה", "אליי", "אלי",
	"עם", "איתי", "איתו", "איתה", "איתנו", "איתם", "עמו",
	"ממני", "ממנו", "ממנה", "מהם", "מהן", "כמו", "בין", "לפני", "אחרי", "עד", "מול",
	"אצל", "בלי", "תוך", "בתוך", "ליד", "לגבי", "בשביל", "כדי", "אצלי", "אצלו", "אצלה",
	// particles, conjunctions, adverbs
	"אם", "אך", "לא", "אין", "יש", "כבר", "עוד", "כן", "אז", "שם", "פה", "כאן", "עכשיו",
	"איך", "מה", "מי", "למה", "מתי", "איפה", "כל", "הכל", "כמה", "אחד", "אחת", "הרבה",
	"מאוד", "יותר", "פחות", "אפילו", "ממש", "רוב", "כך", "ככה", "אולי", "אלא", "לכן",
	"שלא", "שיש", "שאין", "שאני", "שאתה", "שהם", "מאשר", "כאשר", "בגלל", "לפי",
	// being
	"היה", "הייתה", "היתה", "היו", "הייתי", "היינו", "להיות", "יהיה", "תהיה", "יהיו",
	// spoken fillers
	"כאילו", "בעצם", "סתם", "נו", "אה", "אהה", "אמ", "אממ", "אוקיי", "טוב", "יעני",
}

var (
	stopOnce  sync.Once
	stopLists map[string]map[string]bool
)

// StopWords returns the stop list for word-frequency lists in lang, as a new map whose
// keys are in Normalize(lang, ·) form, so a caller tests StopWords(l)[Normalize(l, w)].
// Hebrew uses tacit's list (hebrewFrequencyStop, wider than the index stop list), Arabic
// and English bleve's lists, other languages bleve's "stop_<lang>" list where bleve has
// one (bg, ca, cs, da, de, el, es, eu, fa, fi, fr, ga, gl, hi, hr, hu, hy, id, it, nl, no,
// pt, ro, ru, sv, tr; not pl, whose bleve package needs a module tacit does not pin);
// otherwise the map is empty. For text that mixes scripts use IsStopWord, which picks the
// list by the word's script.
func StopWords(lang string) map[string]bool {
	stopOnce.Do(buildStopLists)
	l := Canonical(lang)
	if s, ok := stopLists[l]; ok {
		return maps.Clone(s)
	}
	cache := registry.NewCache()
	tm, err := cache.TokenMapNamed("stop_" + l)
	out := map[string]bool{}
	if err != nil {
		return out
	}
	for w := range tm {
		out[Normalize(l, w)] = true
	}
	return out
}

func buildStopLists() {
	stopLists = map[string]map[string]bool{}
	he := map[string]bool{}
	for _, w := range hebrewFrequencyStop {
		he[normalizeHebrew(w)] = true
	}
	stopLists["he"] = he
	cache := registry.NewCache()
	for _, l := range []struct{ code, name string }{{"ar", ar.StopName}, {"en", en.StopName}} {
		set := map[string]bool{}
		if tm, err := cache.TokenMapNamed(l.name); err == nil {
			for w := range tm {
				set[Normalize(l.code, w)] = true
			}
		}
		stopLists[l.code] = set
	}
}

// IsStopWord reports whether word is a stop word of a text in lang, judging Hebrew-script
// words by the Hebrew list and Arabic-script words by the Arabic list whatever lang is,
// and other words by lang's list (by the English list when lang is he, ar or unknown to
// bleve), the way the tacit analyzers route words.
func IsStopWord(lang, word string) bool {
	stopOnce.Do(buildStopLists)
	n := Normalize(lang, word)
	switch scriptOf([]byte(n)) {
	case scriptHebrew:
		return stopLists["he"][n]
	case scriptArabic:
		return stopLists["ar"][n]
	}
	l := Canonical(lang)
	if l == "he" || l == "ar" || AnalyzerName(l) == AnalyzerPlain {
		l = "en"
	}
	if s, ok := stopLists[l]; ok {
		return s[n]
	}
	return StopWords(l)[n]
}

var arNormalize = func() analysis.TokenFilter {
	f, err := registry.NewCache().TokenFilterNamed(ar.NormalizeName)
	if err != nil {
		panic(err) // the ar package is imported: cannot happen
	}
	return f
}()

// Normalize returns the key under which word is counted in a word-frequency list: the
// surface form the index analyzer gives the word, before any prefix expansion, stemming or
// stop-word removal. It depends on the word's script, like the analyzers:
//
//   - Hebrew: niqqud, te'amim and bidi marks removed, quotes unified (״ -> ", ׳ -> '),
//     a non-phonetic trailing geresh dropped, final letters by position (כבוד, כָּבוֹד ->
//     כבוד; בכבוד stays בכבוד: prefixes are not stripped, since stripping is ambiguous and
//     the index keeps the surface form too);
//   - Arabic: lower case, NFKC, bleve's Arabic normalisation (tashkeel and tatweel removed,
//     أ إ آ -> ا, ى -> ي, ة -> ه); no stemming, so والكتاب stays والكتاب;
//   - other: lower case and NFKC, and for text in English (or he/ar) the English
//     possessive 's is removed; no stemming.
//
// Arabic-Indic digits become ASCII digits in every script. A caller that shows words to
// people should display the most frequent surface form of each key.
func Normalize(lang, word string) string {
	return strings.TrimSpace(normalizeWord(lang, strings.TrimSpace(word)))
}

func normalizeWord(lang, word string) string {
	if word == "" {
		return ""
	}
	t := &analysis.Token{Term: []byte(word)}
	digitFilter{}.Filter(analysis.TokenStream{t})
	switch scriptOf(t.Term) {
	case scriptHebrew:
		return normalizeHebrew(string(t.Term))
	case scriptArabic:
		t.Term = []byte(norm.NFKC.String(strings.ToLower(string(t.Term))))
		arNormalize.Filter(analysis.TokenStream{t})
		return string(t.Term)
	}
	s := norm.NFKC.String(strings.Map(unicode.ToLower, string(t.Term)))
	if a := AnalyzerName(lang); a == AnalyzerEn || a == AnalyzerHe || a == AnalyzerAr {
		for _, suf := range []string{"'s", "’s", "＇s"} {
			if strings.HasSuffix(s, suf) {
				s = strings.TrimSuffix(s, suf)
				break
			}
		}
	}
	return s
}
