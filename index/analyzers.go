package index

import (
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/mapping"
)

// IndexAnalyzer analyses turn text at index time; QueryAnalyzer analyses
// queries against it.
var (
	IndexAnalyzer = en.AnalyzerName
	QueryAnalyzer = en.AnalyzerName
)

func addAnalyzers(im *mapping.IndexMappingImpl) error { return nil }
