package index

// A phrase of words (one word at each position, the case of every phrase
// typed in a query) is searched by wordPhraseSearcher: bleve's conjunction
// of term searchers made every turn with all the words into a scored
// DocumentMatch with its locations copied, merged and pooled, and the
// phrase searcher then threw away all but a few ("turning point": 467
// turns have both words, 6 the phrase; that bookkeeping was about half of
// the search). wordPhraseSearcher walks the words' term field readers in
// step itself, looks at the positions the readers decode, and builds
// bleve's DocumentMatch (the same term scorers, the same conjunction
// scorer, in the conjunction's order) only for a turn where the words can
// be side by side; bleve's phrase check then decides as before. The
// readers, the conjunction optimisation, the scorers and their weights are
// set up as bleve's NewTermSearcher and NewConjunctionSearcher do
// (search/searcher/search_term.go and search_conjunction.go of bleve
// v2.6.3, Apache License 2.0, Copyright (c) 2014 Couchbase, Inc.).
// TestPhraseSearcherIsBleves compares hits, scores and locations with
// bleve's own phrase searcher.

import (
	"context"
	"fmt"
	"math"
	"sort"

	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/scorer"
	bindex "github.com/blevesearch/bleve_index_api"
)

// wordPhraseSearcher finds the turns with a phrase of words.
type wordPhraseSearcher struct {
	// In the order of bleve's conjunction (by count): the reader of each
	// word, its scorer, the document it is on (nil: none left) and the
	// word's position in the phrase.
	readers []bindex.TermFieldReader
	scorers []*scorer.TermQueryScorer
	tfds    []bindex.TermFieldDoc
	cur     []*bindex.TermFieldDoc
	off     []uint64
	conj    *scorer.ConjunctionQueryScorer
	dms     []*bsearch.DocumentMatch
	check   phraseCheck
	started bool
	done    bool
}

// newWordPhraseSearcher returns nil (and no error) when the phrase is not
// one of words or the search needs what it does not do (no scores,
// explanations, a scoring model it does not know); the caller then builds
// bleve's searchers.
func newWordPhraseSearcher(ctx context.Context, i bindex.IndexReader, terms [][]string, field string,
	boost float64, options bsearch.SearcherOptions) (bsearch.Searcher, error) {
	if len(terms) < 2 || options.Score == "none" || options.Explain || !options.IncludeTermVectors {
		return nil, nil
	}
	for _, pos := range terms {
		if len(pos) != 1 || pos[0] == "" {
			return nil, nil
		}
	}
	model := ""
	if ctx != nil {
		if fn, ok := ctx.Value(bsearch.GetScoringModelCallbackKey).(bsearch.GetScoringModelCallbackFn); ok {
			model = fn()
		}
		// As NewTermSearcher: the term readers' cost is a term query's.
		if _, ok := ctx.Value(bsearch.QueryTypeKey).(string); !ok {
			ctx = context.WithValue(ctx, bsearch.QueryTypeKey, bsearch.Term)
		}
	}
	switch model {
	case "", bindex.BM25Scoring, bindex.TFIDFScoring:
	default:
		return nil, nil
	}
	s := &wordPhraseSearcher{
		conj:  scorer.NewConjunctionQueryScorer(options),
		check: phraseCheck{terms: terms, field: field},
	}
	fail := func(err error) (bsearch.Searcher, error) {
		_ = s.Close()
		return nil, err
	}
	for k, pos := range terms {
		if err := bsearch.RecordTermSearcher(ctx); err != nil {
			return fail(err)
		}
		r, err := i.TermFieldReader(ctx, []byte(pos[0]), field, true, true, true)
		if err != nil {
			return fail(err)
		}
		s.readers = append(s.readers, r)
		s.off = append(s.off, uint64(k))
		count, avgLen, err := scoreMetrics(ctx, model, field, i)
		if err != nil {
			return fail(err)
		}
		s.scorers = append(s.scorers, scorer.NewTermQueryScorer([]byte(pos[0]), field, boost, count, r.Count(), avgLen, options))
	}
	// The conjunction's order (sort.Sort of its searchers by count).
	sort.Sort(byCount{s})
	// bleve's push-down conjunction optimisation: the readers walk the
	// intersection of their postings where the segments allow it.
	var octx bindex.OptimizableContext
	for _, r := range s.readers {
		o, ok := r.(bindex.Optimizable)
		if !ok {
			octx = nil
			break
		}
		var err error
		if octx, err = o.Optimize("conjunction", octx); err != nil {
			return fail(err)
		}
		if octx == nil {
			break
		}
	}
	if octx != nil {
		if _, err := octx.Finish(); err != nil {
			return fail(err)
		}
	}
	n := len(s.readers)
	s.tfds = make([]bindex.TermFieldDoc, n)
	s.cur = make([]*bindex.TermFieldDoc, n)
	s.dms = make([]*bsearch.DocumentMatch, n)
	// The conjunction's query norm, then the phrase searcher's (the same).
	s.SetQueryNorm(1.0 / math.Sqrt(s.Weight()))
	return s, nil
}

// scoreMetrics are the document count and average field length that
// bleve's term searcher gives its scorer (newTermSearcherFromReader).
func scoreMetrics(ctx context.Context, model, field string, i bindex.IndexReader) (uint64, float64, error) {
	if model != bindex.BM25Scoring {
		count, err := i.DocCount()
		return count, 0, err
	}
	var count uint64
	var card int
	if stats, ok := ctx.Value(bsearch.BM25StatsKey).(*bsearch.BM25Stats); ok {
		count = uint64(stats.DocCount)
		c, ok := stats.FieldCardinality[field]
		if !ok {
			return 0, 0, fmt.Errorf("field stat for bm25 not present %s", field)
		}
		card = c
	} else {
		var err error
		if count, err = i.DocCount(); err != nil {
			return 0, 0, err
		}
		if r, ok := i.(bindex.BM25Reader); ok {
			if card, err = r.FieldCardinality(field); err != nil {
				return 0, 0, err
			}
		}
	}
	if count == 0 && card == 0 {
		return 0, 0, nil
	}
	return count, math.Ceil(float64(card) / float64(count)), nil
}

// byCount sorts the searcher's words as bleve's OrderedSearcherList sorts
// the conjunction's term searchers.
type byCount struct{ s *wordPhraseSearcher }

func (b byCount) Len() int { return len(b.s.readers) }
func (b byCount) Less(i, j int) bool {
	return b.s.readers[i].Count() < b.s.readers[j].Count()
}
func (b byCount) Swap(i, j int) {
	s := b.s
	s.readers[i], s.readers[j] = s.readers[j], s.readers[i]
	s.scorers[i], s.scorers[j] = s.scorers[j], s.scorers[i]
	s.off[i], s.off[j] = s.off[j], s.off[i]
}

// start moves every reader to its first document.
func (s *wordPhraseSearcher) start() error {
	s.started = true
	return s.step()
}

// step moves every reader to its next document.
func (s *wordPhraseSearcher) step() error {
	for k, r := range s.readers {
		d, err := r.Next(s.tfds[k].Reset())
		if err != nil {
			return err
		}
		if d == nil {
			s.done = true
			return nil
		}
		s.cur[k] = d
	}
	return nil
}

// align moves the readers behind to the furthest one until all are on
// one document (or one has none left).
func (s *wordPhraseSearcher) align() error {
	for !s.done {
		m := 0
		for k := 1; k < len(s.cur); k++ {
			if s.cur[k].ID.Compare(s.cur[m].ID) > 0 {
				m = k
			}
		}
		same := true
		for k := range s.cur {
			if k == m || s.cur[k].ID.Equals(s.cur[m].ID) {
				continue
			}
			same = false
			d, err := s.readers[k].Advance(s.cur[m].ID, s.tfds[k].Reset())
			if err != nil {
				return err
			}
			if d == nil {
				s.done = true
				return nil
			}
			s.cur[k] = d
			break // m may no longer be the furthest
		}
		if same {
			return nil
		}
	}
	return nil
}

// mayMatch reports whether the readers' locations on their document can
// hold the phrase: a position p of a word at phrase position 0 with the
// word at phrase position k at p+k for every k. It is false only when
// bleve's phrase check would find nothing; locations it does not look at
// (other fields, array positions, position 0) make it true.
func (s *wordPhraseSearcher) mayMatch() bool {
	first := 0
	for k, o := range s.off {
		if o == 0 {
			first = k
		}
		for _, v := range s.cur[k].Vectors {
			if v.Field != s.check.field || len(v.ArrayPositions) > 0 || v.Pos == 0 {
				return true
			}
		}
	}
next:
	for _, v := range s.cur[first].Vectors {
		for k, o := range s.off {
			if k == first {
				continue
			}
			want := v.Pos + o
			found := false
			for _, w := range s.cur[k].Vectors {
				if w.Pos == want {
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

// match builds bleve's DocumentMatch of the readers' document (what the
// conjunction's term searchers and scorer make of it) and returns it if
// it has the phrase; otherwise it goes back to the pool.
func (s *wordPhraseSearcher) match(ctx *bsearch.SearchContext) *bsearch.DocumentMatch {
	for k, sc := range s.scorers {
		s.dms[k] = sc.Score(ctx, s.cur[k])
	}
	dm := s.conj.Score(ctx, s.dms)
	for k := 1; k < len(s.dms); k++ {
		ctx.DocumentMatchPool.Put(s.dms[k])
	}
	clear(s.dms)
	if s.check.match(dm) {
		return dm
	}
	ctx.DocumentMatchPool.Put(dm)
	return nil
}

func (s *wordPhraseSearcher) Next(ctx *bsearch.SearchContext) (*bsearch.DocumentMatch, error) {
	if !s.started {
		if err := s.start(); err != nil {
			return nil, err
		}
	}
	for !s.done {
		if err := s.align(); err != nil {
			return nil, err
		}
		if s.done {
			break
		}
		var rv *bsearch.DocumentMatch
		if s.mayMatch() {
			rv = s.match(ctx)
		}
		if err := s.step(); err != nil {
			return nil, err
		}
		if rv != nil {
			return rv, nil
		}
	}
	return nil, nil
}

func (s *wordPhraseSearcher) Advance(ctx *bsearch.SearchContext, ID bindex.IndexInternalID) (*bsearch.DocumentMatch, error) {
	if !s.started {
		if err := s.start(); err != nil {
			return nil, err
		}
	}
	for k := range s.cur {
		if s.done {
			return nil, nil
		}
		if s.cur[k].ID.Compare(ID) >= 0 {
			continue
		}
		d, err := s.readers[k].Advance(ID, s.tfds[k].Reset())
		if err != nil {
			return nil, err
		}
		if d == nil {
			s.done = true
			return nil, nil
		}
		s.cur[k] = d
	}
	return s.Next(ctx)
}

// Weight is the conjunction's: the sum of its term searchers' weights.
func (s *wordPhraseSearcher) Weight() float64 {
	var rv float64
	for _, sc := range s.scorers {
		rv += sc.Weight()
	}
	return rv
}

func (s *wordPhraseSearcher) SetQueryNorm(qnorm float64) {
	for _, sc := range s.scorers {
		sc.SetQueryNorm(qnorm)
	}
}

// Count is the conjunction's (the sum of its words' counts).
func (s *wordPhraseSearcher) Count() uint64 {
	var rv uint64
	for _, r := range s.readers {
		rv += r.Count()
	}
	return rv
}

func (s *wordPhraseSearcher) Size() int {
	n := 64
	for _, r := range s.readers {
		n += r.Size()
	}
	for _, sc := range s.scorers {
		n += sc.Size()
	}
	return n
}

func (s *wordPhraseSearcher) Close() error {
	var rv error
	for _, r := range s.readers {
		if err := r.Close(); err != nil && rv == nil {
			rv = err
		}
	}
	return rv
}

func (s *wordPhraseSearcher) Min() int { return 0 }

// DocumentMatchPoolSize is bleve's phrase searcher's.
func (s *wordPhraseSearcher) DocumentMatchPoolSize() int { return 2*len(s.readers) + 1 }
