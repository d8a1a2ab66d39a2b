package index

import (
	"strconv"

	"github.com/tacit-qda/tacit/index/lang"
)

// A field has one analyzer per document type, so each index analyzer gets
// its own document type "turn_<analyzer>" with the same fields; a turn's type
// follows its document's language. Queries must then name their analyzer on
// every match leaf (QueryAnalyzers), because bleve's lookup of a field's
// analyzer across types depends on map order (see
// ../shared/notes/hebrew-arabic-search.md §4.2).
//
// tacit_en, tacit_he and tacit_ar route each token by script, so a corpus of
// English, Hebrew and Arabic needs one query analyzer; documents in
// French, Dutch, ... use bleve's analyzers for those languages.

// IndexAnalyzer and QueryAnalyzer are the analyzers of the project's
// default language family (English, Hebrew and Arabic share them).
var (
	IndexAnalyzer = lang.AnalyzerEn
	QueryAnalyzer = lang.QueryAnalyzerEn
)

// analysisVersion is part of the mapping version: a change of the analysis
// code makes existing indexes stale.
var analysisVersion = strconv.Itoa(lang.Version)

// indexAnalyzers returns every analyzer a turn's text may be indexed with.
func indexAnalyzers() []string { return lang.IndexAnalyzers() }

// TypeFor returns the document type of a turn in language l.
func TypeFor(l string) string { return "turn_" + lang.AnalyzerName(l) }

// QueryAnalyzers returns the query analyzers to search documents in the
// given languages (see lang.QueryAnalyzers); with no languages, the default.
func QueryAnalyzers(langs ...string) []string {
	if len(langs) == 0 {
		return []string{QueryAnalyzer}
	}
	return lang.QueryAnalyzers(langs...)
}
