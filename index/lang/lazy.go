package lang

import (
	"fmt"
	"slices"
	"sync"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"
)

// An index mapping names one analyzer per language, and bleve builds every
// analyzer it names when it opens an index (mapping validation): the stop
// lists of some twenty languages, parsed from text, were a tenth of a whole
// search's CPU, although a search analyzes its query with one analyzer and
// indexes nothing. Lazy(a) names a registered analyzer that builds a only
// when it first analyzes text, with the same tokens.

// lazyPrefix starts the name of the lazy twin of an index analyzer.
const lazyPrefix = "tacit_lazy_"

// Lazy returns the name of the analyzer that analyzes as a does but builds
// a only on first use. a must be one of IndexAnalyzers().
func Lazy(a string) string { return lazyPrefix + a }

// IndexAnalyzers returns, sorted, every analyzer a document's text may be
// indexed with (AnalyzerName of every language, and tacit_plain).
func IndexAnalyzers() []string {
	out := []string{AnalyzerPlain}
	for _, l := range Supported() {
		a := AnalyzerName(l)
		if !slices.Contains(out, a) {
			out = append(out, a)
		}
	}
	slices.Sort(out)
	return out
}

func registerLazy() error {
	for _, a := range IndexAnalyzers() {
		name := a
		err := registry.RegisterAnalyzer(Lazy(name), func(_ map[string]interface{}, cache *registry.Cache) (analysis.Analyzer, error) {
			return &lazyAnalyzer{name: name, cache: cache}, nil
		})
		if err != nil {
			return fmt.Errorf("lang: %w", err)
		}
	}
	return nil
}

// lazyAnalyzer builds the analyzer named name from cache on first use.
type lazyAnalyzer struct {
	name  string
	cache *registry.Cache
	once  sync.Once
	a     analysis.Analyzer
	err   error
}

func (l *lazyAnalyzer) Analyze(input []byte) analysis.TokenStream {
	l.once.Do(func() { l.a, l.err = l.cache.AnalyzerNamed(l.name) })
	if l.err != nil {
		// The analyzers wrapped are tacit's and bleve's own, built from
		// code without configuration (TestLazyAnalyzers builds each).
		panic(fmt.Sprintf("lang: build analyzer %s: %v", l.name, l.err))
	}
	return l.a.Analyze(input)
}
