package lang

import "github.com/blevesearch/bleve/v2/search/query"

// SetAnalyzer sets analyzer on every MatchQuery and MatchPhraseQuery leaf of q, walking
// boolean, conjunction and disjunction queries. A query string's syntax cannot name an
// analyzer, so parse it first and then pin the query analyzer:
//
//	q, err := bleve.NewQueryStringQuery(s).Parse()
//	if err != nil { ... }
//	lang.SetAnalyzer(q, lang.QueryAnalyzerName("he"))
//
// Other leaves (term, prefix, wildcard, regexp, fuzzy) are not analysed by bleve and are
// left alone. q is modified in place.
func SetAnalyzer(q query.Query, analyzer string) {
	switch x := q.(type) {
	case *query.MatchQuery:
		if x != nil {
			x.Analyzer = analyzer
		}
	case *query.MatchPhraseQuery:
		if x != nil {
			x.Analyzer = analyzer
		}
	case *query.BooleanQuery:
		if x == nil {
			return
		}
		for _, c := range []query.Query{x.Must, x.Should, x.MustNot, x.Filter} {
			if c != nil {
				SetAnalyzer(c, analyzer)
			}
		}
	case *query.ConjunctionQuery:
		if x == nil {
			return
		}
		for _, c := range x.Conjuncts {
			SetAnalyzer(c, analyzer)
		}
	case *query.DisjunctionQuery:
		if x == nil {
			return
		}
		for _, c := range x.Disjuncts {
			SetAnalyzer(c, analyzer)
		}
	}
}
