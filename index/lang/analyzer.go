package lang

import (
	"fmt"
	"slices"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/lang/ar"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/token/porter"
	"github.com/blevesearch/bleve/v2/analysis/token/stop"
	"github.com/blevesearch/bleve/v2/analysis/token/unicodenorm"
	bleveunicode "github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/registry"
)

// Names of the analyzers tacit registers in bleve's global registry. Each index analyzer
// has a query twin (suffix "_query") that differs only in the Hebrew step: it does not
// add prefix-stripped forms.
const (
	AnalyzerEn         = "tacit_en"
	AnalyzerHe         = "tacit_he"
	AnalyzerAr         = "tacit_ar"
	AnalyzerPlain      = "tacit_plain"
	QueryAnalyzerEn    = "tacit_en_query"
	QueryAnalyzerHe    = "tacit_he_query"
	QueryAnalyzerAr    = "tacit_ar_query"
	QueryAnalyzerPlain = "tacit_plain_query"
)

// Names of the token filters tacit registers globally. They may be used in custom
// analyzers of a mapping; they look up only globally registered filters, so an index
// that uses them reopens reliably.
const (
	FilterHeNormalize = "tacit_he_normalize" // niqqud, marks, quotes, final letters
	FilterHeStop      = "tacit_he_stop"      // short Hebrew stop list
	FilterEnStop      = "tacit_stop_en"      // bleve's English stop list without negations
	FilterHeExpand    = "tacit_he_expand"    // index time: add prefix-stripped forms
	FilterHeQuery     = "tacit_he_query"     // query time: acronym without its quote
	FilterDigits      = "tacit_digits"       // Arabic-Indic digits -> ASCII
)

// Version identifies the analysis behaviour. Store it in the index and rebuild the index
// when it changes: analyzers are registered in code, not stored in the mapping.
const Version = 3

// englishChain is bleve's "en" analyzer's filter list (analysis/lang/en/analyzer_en.go).
//
// The one change: stop words are bleve's English list without the negations "no" and
// "not" (FilterEnStop), because in interviews "not happy" must not match "happy".
var englishChain = []string{en.PossessiveName, lowercase.Name, FilterEnStop, porter.Name}

// negations are kept out of the English stop list.
var negations = []string{"no", "not"}

// arabicChain is bleve's "ar" analyzer's filter list minus NFKC, which is added in code
// (analysis/lang/ar/analyzer_ar.go).
var arabicChain = []string{lowercase.Name, unicodenorm.Name + ":nfkc", ar.StopName, ar.NormalizeName, ar.StemmerName}

// tacitAnalyzers describes the registered analyzers: the chain used for tokens that are
// neither Hebrew nor Arabic, and whether Hebrew tokens are expanded (index side).
var tacitAnalyzers = []struct {
	name   string
	other  []string
	expand bool
}{
	{AnalyzerEn, englishChain, true},
	{QueryAnalyzerEn, englishChain, false},
	{AnalyzerHe, englishChain, true},
	{QueryAnalyzerHe, englishChain, false},
	{AnalyzerAr, englishChain, true},
	{QueryAnalyzerAr, englishChain, false},
	{AnalyzerPlain, []string{lowercase.Name}, true},
	{QueryAnalyzerPlain, []string{lowercase.Name}, false},
}

var (
	registerOnce sync.Once
	registerErr  error
)

func init() {
	if err := Register(); err != nil {
		panic(err)
	}
}

// Register registers tacit's token filters and analyzers in bleve's global registry. It is
// idempotent and runs from this package's init, so importing the package is enough; every
// binary that opens a tacit index must import it, or bleve.Open fails with "no analyzer
// with name or type 'tacit_he' registered".
//
// Because the analyzers are global, an index mapping only names them (field Analyzer or
// MatchQuery.Analyzer); nothing has to be added to the mapping. A mapping may still define
// a project variant with AddCustomAnalyzer(name, {"type": "tacit_he", ...}), where the
// config keys "he_stop", "he_short_ok" and "he_protected" (lists of words) extend the
// default Hebrew lists. Use the same keys for the index analyzer and its query twin.
func Register() error {
	registerOnce.Do(func() { registerErr = register() })
	return registerErr
}

func register() error {
	for _, a := range tacitAnalyzers {
		if err := registry.RegisterAnalyzer(a.name, analyzerConstructor(a.other, a.expand)); err != nil {
			return fmt.Errorf("lang: %w", err)
		}
	}
	filters := []struct {
		name string
		cons registry.TokenFilterConstructor
	}{
		{FilterHeNormalize, func(map[string]interface{}, *registry.Cache) (analysis.TokenFilter, error) {
			return hebrewNormalizeFilter{}, nil
		}},
		{FilterHeStop, func(cfg map[string]interface{}, _ *registry.Cache) (analysis.TokenFilter, error) {
			l, err := listsFromConfig(cfg)
			return stopSetFilter(l.stop), err
		}},
		{FilterHeExpand, func(cfg map[string]interface{}, _ *registry.Cache) (analysis.TokenFilter, error) {
			l, err := listsFromConfig(cfg)
			return hebrewExpandFilter{lists: l}, err
		}},
		{FilterHeQuery, func(map[string]interface{}, *registry.Cache) (analysis.TokenFilter, error) {
			return hebrewQueryFilter{}, nil
		}},
		{FilterDigits, func(map[string]interface{}, *registry.Cache) (analysis.TokenFilter, error) {
			return digitFilter{}, nil
		}},
		{FilterEnStop, func(_ map[string]interface{}, c *registry.Cache) (analysis.TokenFilter, error) {
			tm, err := c.TokenMapNamed(en.StopName)
			if err != nil {
				return nil, err
			}
			keep := analysis.NewTokenMap()
			for w := range tm {
				if !slices.Contains(negations, w) {
					keep.AddToken(w)
				}
			}
			return stop.NewStopTokensFilter(keep), nil
		}},
	}
	for _, f := range filters {
		if err := registry.RegisterTokenFilter(f.name, f.cons); err != nil {
			return fmt.Errorf("lang: %w", err)
		}
	}
	return registerLazy()
}

// listsFromConfig builds the Hebrew lists: defaults plus the words under the config keys
// "he_stop", "he_short_ok", "he_protected".
func listsFromConfig(cfg map[string]interface{}) (hebrewLists, error) {
	extra := func(key string, base []string) ([]string, error) {
		v, ok := cfg[key]
		if !ok || v == nil {
			return base, nil
		}
		out := slices.Clone(base)
		switch list := v.(type) {
		case []string:
			out = append(out, list...)
		case []interface{}:
			for _, x := range list {
				s, ok := x.(string)
				if !ok {
					return nil, fmt.Errorf("lang: config %q: %v is not a string", key, x)
				}
				out = append(out, s)
			}
		default:
			return nil, fmt.Errorf("lang: config %q: want a list of strings, got %T", key, v)
		}
		return out, nil
	}
	stop, err := extra("he_stop", defaultHebrewIndexStop)
	if err != nil {
		return hebrewLists{}, err
	}
	short, err := extra("he_short_ok", defaultHebrewShortOK)
	if err != nil {
		return hebrewLists{}, err
	}
	prot, err := extra("he_protected", defaultHebrewProtected)
	if err != nil {
		return hebrewLists{}, err
	}
	return newHebrewLists(stop, short, prot), nil
}

func analyzerConstructor(other []string, expand bool) registry.AnalyzerConstructor {
	return func(cfg map[string]interface{}, cache *registry.Cache) (analysis.Analyzer, error) {
		general, err := cache.TokenizerNamed(bleveunicode.Name)
		if err != nil {
			return nil, fmt.Errorf("lang: %w", err)
		}
		tok := asciiTokenizer{general}
		lists, err := listsFromConfig(cfg)
		if err != nil {
			return nil, err
		}
		r := &router{expand: expand}
		r.he = []analysis.TokenFilter{hebrewNormalizeFilter{}, stopSetFilter(lists.stop)}
		if expand {
			r.he = append(r.he, hebrewExpandFilter{lists: lists})
		} else {
			r.he = append(r.he, hebrewQueryFilter{})
		}
		if r.ar, err = namedFilters(cache, arabicChain); err != nil {
			return nil, err
		}
		if expand {
			// After lower-casing and NFKC, before stop words, normalisation and
			// stemming, so the stripped forms go through the same chain.
			r.ar = append(r.ar[:2:2], append([]analysis.TokenFilter{arabicExpandFilter{}}, r.ar[2:]...)...)
		}
		if r.other, err = namedFilters(cache, other); err != nil {
			return nil, err
		}
		return &analysis.DefaultAnalyzer{
			Tokenizer:    tok,
			TokenFilters: []analysis.TokenFilter{digitFilter{}, r},
		}, nil
	}
}

func namedFilters(cache *registry.Cache, names []string) ([]analysis.TokenFilter, error) {
	out := make([]analysis.TokenFilter, 0, len(names))
	for _, n := range names {
		if n == porter.Name {
			out = append(out, porterCache)
			continue
		}
		if n == unicodenorm.Name+":nfkc" {
			out = append(out, unicodenorm.MustNewUnicodeNormalizeFilter(unicodenorm.NFKC))
			continue
		}
		f, err := cache.TokenFilterNamed(n)
		if err != nil {
			return nil, fmt.Errorf("lang: token filter %q: %w", n, err)
		}
		out = append(out, f)
	}
	return out, nil
}

// script values used by the router.
const (
	scriptOther = iota
	scriptHebrew
	scriptArabic
)

// scriptOf returns the script of the first letter of term (marks, digits and punctuation
// are skipped; tatweel U+0640 is a Common-script letter and is skipped too).
func scriptOf(term []byte) int {
	for len(term) > 0 {
		if c := term[0]; c < utf8.RuneSelf { // ASCII: a letter is Latin
			term = term[1:]
			if 'a' <= c|0x20 && c|0x20 <= 'z' {
				return scriptOther
			}
			continue
		}
		r, size := utf8.DecodeRune(term)
		term = term[size:]
		if !unicode.IsLetter(r) || r == 0x0640 {
			continue
		}
		switch {
		case unicode.Is(unicode.Hebrew, r):
			return scriptHebrew
		case unicode.Is(unicode.Arabic, r):
			return scriptArabic
		default:
			return scriptOther
		}
	}
	return scriptOther
}

// router sends each token through the chain for the script of its first letter, so one
// analyzer handles Hebrew, Arabic and Latin words in the same text. The chains change
// Term only; Start, End and Position of every token, and of every added form, are those
// of the surface word.
type router struct {
	he, ar, other []analysis.TokenFilter
	expand        bool // index side: also split a Hebrew proclitic off a Latin word (בGoogle)
}

func (r *router) Filter(in analysis.TokenStream) analysis.TokenStream {
	// Most turns have no Hebrew or Arabic word: then the stream goes
	// through the other chain as it is, without being split and sorted.
	single := true
	for _, t := range in {
		if scriptOf(t.Term) != scriptOther {
			single = false
			break
		}
	}
	if single {
		out := in
		for _, f := range r.other {
			if len(out) == 0 {
				break
			}
			out = f.Filter(out)
		}
		if !slices.IsSortedFunc(out, func(a, b *analysis.Token) int { return a.Position - b.Position }) {
			slices.SortStableFunc(out, func(a, b *analysis.Token) int { return a.Position - b.Position })
		}
		return out
	}
	var he, arab, other analysis.TokenStream
	for _, t := range in {
		switch scriptOf(t.Term) {
		case scriptHebrew:
			he = append(he, t)
		case scriptArabic:
			arab = append(arab, t)
		default:
			other = append(other, t)
		}
	}
	if len(he) > 0 {
		he = r.he[0].Filter(he) // normalise first, so the split sees a clean term
		if r.expand {
			for _, t := range he {
				if rest := splitHebrewPrefix(t.Term); rest != "" {
					other = append(other, &analysis.Token{Term: []byte(rest), Start: t.Start,
						End: t.End, Position: t.Position, Type: t.Type})
				}
			}
		}
		for _, f := range r.he[1:] {
			he = f.Filter(he)
		}
	}
	for _, f := range r.ar {
		if len(arab) == 0 {
			break
		}
		arab = f.Filter(arab)
	}
	for _, f := range r.other {
		if len(other) == 0 {
			break
		}
		other = f.Filter(other)
	}
	if len(arab) == 0 && len(other) == 0 {
		return he
	}
	out := make(analysis.TokenStream, 0, len(he)+len(arab)+len(other))
	out = append(append(append(out, he...), arab...), other...)
	slices.SortStableFunc(out, func(a, b *analysis.Token) int { return a.Position - b.Position })
	return out
}

// digitFilter maps Arabic-Indic (U+0660..U+0669) and Extended Arabic-Indic (U+06F0..U+06F9)
// digits to ASCII, so ٢٠٢٣ and 2023 are the same term.
type digitFilter struct{}

func (digitFilter) Filter(in analysis.TokenStream) analysis.TokenStream {
	for _, t := range in {
		if !hasArabicDigit(t.Term) {
			continue
		}
		out := make([]byte, 0, len(t.Term))
		for _, r := range string(t.Term) {
			switch {
			case r >= 0x0660 && r <= 0x0669:
				r = '0' + (r - 0x0660)
			case r >= 0x06F0 && r <= 0x06F9:
				r = '0' + (r - 0x06F0)
			}
			out = utf8.AppendRune(out, r)
		}
		t.Term = out
	}
	return in
}

func hasArabicDigit(b []byte) bool {
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		if (r >= 0x0660 && r <= 0x0669) || (r >= 0x06F0 && r <= 0x06F9) {
			return true
		}
		b = b[size:]
	}
	return false
}
