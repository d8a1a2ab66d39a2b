package index

// A phrase search in bleve (searcher.PhraseSearcher) runs a conjunction of
// its words and then, for every turn that has all of them, turns the
// words' locations into maps (DocumentMatch.Complete) to look for them side
// by side. Most such turns do not have the phrase ("turning point": 467
// turns have both words, 6 the phrase), and building their maps was a
// fifth of the search. phraseQuery is bleve's MatchPhraseQuery with a
// searcher that first checks, on the flat list of locations, whether the
// words can be side by side at all, and only then does what bleve does.
// The searcher below is bleve v2.6.3's PhraseSearcher
// (search/searcher/search_phrase.go, Apache License 2.0, Copyright (c)
// 2014 Couchbase, Inc.) without fuzziness and synonyms (a query string
// has neither: phrases with fuzziness go to bleve's own searcher), plus
// that check. Hits, scores and locations are bleve's: the check only skips
// turns in which bleve's search for the phrase finds nothing.

import (
	"context"
	"math"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/mapping"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/blevesearch/bleve/v2/search/searcher"
	bindex "github.com/blevesearch/bleve_index_api"
)

// phraseQuery is a MatchPhraseQuery searched by phraseSearcher.
type phraseQuery struct {
	*query.MatchPhraseQuery
}

// Searcher builds the searcher of the phrase as MatchPhraseQuery and
// MultiPhraseQuery do (the same analysis, term searchers and conjunction).
func (q *phraseQuery) Searcher(ctx context.Context, i bindex.IndexReader, m mapping.IndexMapping, options bsearch.SearcherOptions) (bsearch.Searcher, error) {
	if q.Fuzziness != 0 {
		return q.MatchPhraseQuery.Searcher(ctx, i, m, options)
	}
	if ctx != nil {
		if _, ok := ctx.Value(bsearch.FieldTermSynonymMapKey).(bsearch.FieldTermSynonymMap); ok {
			return q.MatchPhraseQuery.Searcher(ctx, i, m, options)
		}
	}
	field := q.FieldVal
	if field == "" {
		field = m.DefaultSearchField()
	}
	name := q.Analyzer
	if name == "" {
		name = m.AnalyzerNameForPath(field)
	}
	analyzer := m.AnalyzerNamed(name)
	if analyzer == nil {
		// bleve's own searcher gives the error.
		return q.MatchPhraseQuery.Searcher(ctx, i, m, options)
	}
	terms := tokenStreamToPhrase(analyzer.Analyze([]byte(q.MatchPhrase)))
	if len(terms) == 0 {
		return query.NewMatchNoneQuery().Searcher(ctx, i, m, options)
	}
	boost := q.BoostVal.Value()
	options.IncludeTermVectors = true
	if ws, err := newWordPhraseSearcher(ctx, i, terms, field, boost, options); ws != nil || err != nil {
		return ws, err
	}
	var subs []bsearch.Searcher
	closeAll := func() {
		for _, s := range subs {
			_ = s.Close()
		}
	}
	for _, pos := range terms {
		switch {
		case len(pos) == 1 && pos[0] != "":
			ts, err := searcher.NewTermSearcher(ctx, i, pos[0], field, boost, options)
			if err != nil {
				closeAll()
				return nil, err
			}
			subs = append(subs, ts)
		case len(pos) > 1:
			var alts []bsearch.Searcher
			for _, t := range pos {
				if t == "" {
					continue
				}
				ts, err := searcher.NewTermSearcher(ctx, i, t, field, boost, options)
				if err != nil {
					for _, s := range alts {
						_ = s.Close()
					}
					closeAll()
					return nil, err
				}
				alts = append(alts, ts)
			}
			dis, err := searcher.NewDisjunctionSearcher(ctx, i, alts, 1, options)
			if err != nil {
				closeAll()
				return nil, err
			}
			subs = append(subs, dis)
		}
	}
	must, err := searcher.NewConjunctionSearcher(ctx, i, subs, options)
	if err != nil {
		closeAll()
		return nil, err
	}
	s := &phraseSearcher{must: must, terms: terms, field: field, check: phraseCheck{terms: terms, field: field}}
	s.must.SetQueryNorm(1.0 / math.Sqrt(s.must.Weight()))
	return s, nil
}

// tokenStreamToPhrase is bleve's (search/query/match_phrase.go): the
// terms at each position of the phrase.
func tokenStreamToPhrase(tokens analysis.TokenStream) [][]string {
	first := int(^uint(0) >> 1)
	last := 0
	for _, t := range tokens {
		first = min(first, t.Position)
		last = max(last, t.Position)
	}
	n := last - first + 1
	if n <= 0 {
		return nil
	}
	out := make([][]string, n)
	for _, t := range tokens {
		p := t.Position - first
		out[p] = append(out[p], string(t.Term))
	}
	return out
}

// phraseSearcher is bleve's PhraseSearcher without fuzziness, with
// mayMatch before the phrase is looked for.
type phraseSearcher struct {
	must        bsearch.Searcher
	currMust    *bsearch.DocumentMatch
	terms       [][]string
	field       string
	check       phraseCheck
	initialized bool
	pos         [][]uint64 // mayMatch's positions of each phrase term
}

// mayMatch reports whether the turn's locations can hold the phrase: a
// location of the first term at p and one of the k-th term at p+k for
// every k (a phrase term of no word matches any location). It is false
// only when bleve's search for the phrase (findPhrasePaths, no slop) finds
// no path; anything it does not look at (array positions, position 0,
// other fields) makes it true.
func (s *phraseSearcher) mayMatch(dm *bsearch.DocumentMatch) bool {
	if len(s.terms) < 2 || len(s.terms[0]) == 0 {
		return true
	}
	if s.pos == nil {
		s.pos = make([][]uint64, len(s.terms))
	}
	for k := range s.pos {
		s.pos[k] = s.pos[k][:0]
	}
	for i := range dm.FieldTermLocations {
		ftl := &dm.FieldTermLocations[i]
		if ftl.Field != s.field || len(ftl.Location.ArrayPositions) > 0 || ftl.Location.Pos == 0 {
			return true
		}
		for k, alts := range s.terms {
			for _, t := range alts {
				if t == ftl.Term {
					s.pos[k] = append(s.pos[k], ftl.Location.Pos)
					break
				}
			}
		}
	}
next:
	for _, p := range s.pos[0] {
		for k := 1; k < len(s.terms); k++ {
			if len(s.terms[k]) == 0 || (len(s.terms[k]) == 1 && s.terms[k][0] == "") {
				continue
			}
			found := false
			for _, q := range s.pos[k] {
				if q == p+uint64(k) {
					found = true
					break
				}
			}
			if !found {
				continue next
			}
		}
		return true
	}
	return false
}

func (s *phraseSearcher) Size() int {
	return s.must.Size() + 64
}

func (s *phraseSearcher) advanceNextMust(ctx *bsearch.SearchContext) error {
	if s.currMust != nil {
		ctx.DocumentMatchPool.Put(s.currMust)
	}
	var err error
	s.currMust, err = s.must.Next(ctx)
	return err
}

func (s *phraseSearcher) Weight() float64 { return s.must.Weight() }

func (s *phraseSearcher) SetQueryNorm(qnorm float64) { s.must.SetQueryNorm(qnorm) }

func (s *phraseSearcher) Next(ctx *bsearch.SearchContext) (*bsearch.DocumentMatch, error) {
	if !s.initialized {
		if err := s.advanceNextMust(ctx); err != nil {
			return nil, err
		}
		s.initialized = true
	}
	for s.currMust != nil {
		var rv *bsearch.DocumentMatch
		if s.mayMatch(s.currMust) {
			rv = s.checkCurrMustMatch()
		}
		if err := s.advanceNextMust(ctx); err != nil {
			return nil, err
		}
		if rv != nil {
			return rv, nil
		}
	}
	return nil, nil
}

// checkCurrMustMatch is bleve's: it returns the current match when one of
// its fields has the phrase.
func (s *phraseSearcher) checkCurrMustMatch() *bsearch.DocumentMatch {
	if s.check.match(s.currMust) {
		rv := s.currMust
		s.currMust = nil
		return rv
	}
	return nil
}

// phraseCheck is bleve's phrase check of a conjunction's match, with its
// buffers.
type phraseCheck struct {
	terms     [][]string
	field     string
	path      phrasePath
	paths     []phrasePath
	locations []bsearch.Location
}

// match reports whether one of dm's fields has the phrase; if so, dm's
// locations are the phrase's (bleve's checkCurrMustMatch).
func (c *phraseCheck) match(dm *bsearch.DocumentMatch) bool {
	c.locations = dm.Complete(c.locations)
	locations := dm.Locations
	dm.Locations = nil
	ftls := dm.FieldTermLocations
	for field, tlm := range locations {
		ftls = c.matchField(field, tlm, ftls)
	}
	if len(ftls) > 0 {
		dm.FieldTermLocations = ftls
		return true
	}
	return false
}

func (c *phraseCheck) matchField(field string, tlm bsearch.TermLocationMap, ftls []bsearch.FieldTermLocation) []bsearch.FieldTermLocation {
	if c.path == nil {
		c.path = make(phrasePath, 0, len(c.terms))
	}
	c.paths = findPhrasePaths(0, nil, c.terms, tlm, c.path[:0], 0, c.paths[:0])
	for _, p := range c.paths {
		for _, pp := range p {
			ftls = append(ftls, bsearch.FieldTermLocation{
				Field: field,
				Term:  pp.term,
				Location: bsearch.Location{
					Pos:            pp.loc.Pos,
					Start:          pp.loc.Start,
					End:            pp.loc.End,
					ArrayPositions: pp.loc.ArrayPositions,
				},
			})
		}
	}
	return ftls
}

type phrasePart struct {
	term string
	loc  *bsearch.Location
}

type phrasePath []phrasePart

// findPhrasePaths is bleve's: the paths through the term locations that
// spell the phrase (see search/searcher/search_phrase.go).
func findPhrasePaths(prevPos uint64, ap bsearch.ArrayPositions, phraseTerms [][]string,
	tlm bsearch.TermLocationMap, p phrasePath, remainingSlop int, rv []phrasePath) []phrasePath {
	if len(phraseTerms) < 1 {
		var pcopy phrasePath
		if len(rv) < cap(rv) {
			pcopy = rv[:len(rv)+1][len(rv)][:0]
		}
		return append(rv, append(pcopy, p...))
	}
	car := phraseTerms[0]
	cdr := phraseTerms[1:]
	if len(car) == 0 || (len(car) == 1 && car[0] == "") {
		nextPos := prevPos + 1
		if prevPos == 0 {
			nextPos = 0
		}
		return findPhrasePaths(nextPos, ap, cdr, tlm, p, remainingSlop, rv)
	}
	for _, carTerm := range car {
		locations := tlm[carTerm]
	LOCATIONS:
		for _, loc := range locations {
			if prevPos != 0 && !loc.ArrayPositions.Equals(ap) {
				continue
			}
			dist := 0
			if prevPos != 0 {
				dist = editDistance(prevPos+1, loc.Pos)
			}
			if prevPos == 0 || (remainingSlop-dist) >= 0 {
				for _, ppart := range p {
					if ppart.term == carTerm && ppart.loc == loc {
						continue LOCATIONS
					}
				}
				px := append(p, phrasePart{term: carTerm, loc: loc})
				rv = findPhrasePaths(loc.Pos, loc.ArrayPositions, cdr, tlm, px, remainingSlop-dist, rv)
			}
		}
	}
	return rv
}

func editDistance(p1, p2 uint64) int {
	dist := int(p1 - p2)
	if dist < 0 {
		return -dist
	}
	return dist
}

func (s *phraseSearcher) Advance(ctx *bsearch.SearchContext, ID bindex.IndexInternalID) (*bsearch.DocumentMatch, error) {
	if !s.initialized {
		if err := s.advanceNextMust(ctx); err != nil {
			return nil, err
		}
		s.initialized = true
	}
	if s.currMust != nil {
		if s.currMust.IndexInternalID.Compare(ID) >= 0 {
			return s.Next(ctx)
		}
		ctx.DocumentMatchPool.Put(s.currMust)
	}
	if s.currMust == nil {
		return nil, nil
	}
	var err error
	s.currMust, err = s.must.Advance(ctx, ID)
	if err != nil {
		return nil, err
	}
	return s.Next(ctx)
}

func (s *phraseSearcher) Count() uint64 { return s.must.Count() }

func (s *phraseSearcher) Close() error { return s.must.Close() }

func (s *phraseSearcher) Min() int { return 0 }

func (s *phraseSearcher) DocumentMatchPoolSize() int { return s.must.DocumentMatchPoolSize() + 1 }
