package index

import (
	"fmt"
	"maps"
	"math/rand"
	"slices"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/search/query"
)

// TestPhraseSearcherIsBleves: phraseQuery (bleve's phrase searcher with a
// check that skips turns that cannot hold the phrase) gives exactly the
// hits, scores and locations of bleve's MatchPhraseQuery: for phrases that
// occur, phrases whose words occur only apart, repeated words, stop words
// and phrases with a word of another language, alone and inside boolean
// queries (with sparse partners and with another phrase, which advance
// it), with and without bleve's conjunction optimisation, on generated
// interviews and the test corpus.
func TestPhraseSearcherIsBleves(t *testing.T) {
	srcs, _ := benchSources(12, 1500)
	srcs = append(srcs, corpus()...)
	x := buildCorpus(t, srcs)
	// Phrases: runs of 2-4 words of the texts (most occur), pairs of
	// words from different places (most do not), and fixed ones.
	rng := rand.New(rand.NewSource(1))
	var words []string
	for _, s := range srcs[:12] {
		words = append(words, strings.Fields(strings.ToLower(s.Text))...)
	}
	phrases := []string{"turning point", "the turning point", "the crisis", "crisis the", "with respect", "the the",
		"whole family plan", "whole-family plan", "to be or not to be", "a", "point turning", "כבוד רב", "the עם"}
	for len(phrases) < 160 {
		i := rng.Intn(len(words) - 4)
		switch len(phrases) % 3 {
		case 0:
			phrases = append(phrases, strings.Join(words[i:i+2+rng.Intn(3)], " "))
		case 1:
			phrases = append(phrases, words[i]+" "+words[rng.Intn(len(words))])
		default:
			phrases = append(phrases, words[i]+" "+words[i])
		}
	}
	run := func(q query.Query) string {
		req := bleve.NewSearchRequestOptions(q, 1000, 0, false)
		req.IncludeLocations = true
		res, err := x.idx.Search(req)
		if err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		fmt.Fprintf(&b, "total %d\n", res.Total)
		for _, h := range res.Hits {
			fmt.Fprintf(&b, "%s %v", h.ID, h.Score)
			for _, f := range slices.Sorted(maps.Keys(h.Locations)) {
				for _, term := range slices.Sorted(maps.Keys(h.Locations[f])) {
					for _, l := range h.Locations[f][term] {
						fmt.Fprintf(&b, " %s:%s@%d[%d:%d]%v", f, term, l.Pos, l.Start, l.End, l.ArrayPositions)
					}
				}
			}
			b.WriteString("\n")
		}
		return b.String()
	}
	// Every third and every 40th turn: sparse partners, so that the
	// conjunction advances the phrase searcher to turns they name.
	all, err := x.idx.Search(bleve.NewSearchRequestOptions(query.NewMatchAllQuery(), 100000, 0, false))
	if err != nil {
		t.Fatal(err)
	}
	var some, few []string
	for i, h := range all.Hits {
		if i%3 == 0 {
			some = append(some, h.ID)
		}
		if i%40 == 0 {
			few = append(few, h.ID)
		}
	}
	hits := 0
	for _, ph := range phrases {
		mk := func(fast bool) query.Query {
			q := query.NewMatchPhraseQuery(ph)
			q.SetField(FieldText)
			q.Analyzer = QueryAnalyzer
			if fast {
				return &phraseQuery{q}
			}
			return q
		}
		for _, shape := range []string{"alone", "and", "or", "ids", "few", "two", "unoptimized"} {
			build := func(fast bool) query.Query {
				switch shape {
				case "and":
					return query.NewConjunctionQuery([]query.Query{mk(fast), query.NewMatchAllQuery()})
				case "ids":
					return query.NewConjunctionQuery([]query.Query{query.NewDocIDQuery(some), mk(fast)})
				case "few":
					return query.NewConjunctionQuery([]query.Query{mk(fast), query.NewDocIDQuery(few)})
				case "two":
					// Two phrase searchers advance each other.
					other := query.NewMatchPhraseQuery("the crisis")
					other.SetField(FieldText)
					other.Analyzer = QueryAnalyzer
					var o query.Query = other
					if fast {
						o = &phraseQuery{other}
					}
					return query.NewConjunctionQuery([]query.Query{mk(fast), o})
				case "or":
					tq := query.NewTermQuery("crisis")
					tq.SetField(FieldText)
					return query.NewDisjunctionQuery([]query.Query{mk(fast), tq})
				}
				return mk(fast)
			}
			// Without bleve's conjunction optimisation the words' readers
			// walk their own postings and are advanced to each other.
			scorch.OptimizeConjunction = shape != "unoptimized"
			want, got := run(build(false)), run(build(true))
			scorch.OptimizeConjunction = true
			if got != want {
				t.Errorf("%q (%s):\n got %s\nwant %s", ph, shape, got, want)
			}
			if shape == "alone" && !strings.HasPrefix(want, "total 0") {
				hits++
			}
		}
	}
	if hits < 40 {
		t.Errorf("only %d of %d phrases occur: the test needs phrases that match", hits, len(phrases))
	}
	// ParseQuery gives phraseQuery for a phrase in the text.
	q, err := ParseQuery(`"turning point"`)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	var walk func(q query.Query)
	walk = func(q query.Query) {
		switch x := q.(type) {
		case *phraseQuery:
			found = true
		case *query.BooleanQuery:
			for _, c := range []query.Query{x.Must, x.Should, x.MustNot, x.Filter} {
				if c != nil {
					walk(c)
				}
			}
		case *query.DisjunctionQuery:
			for _, c := range x.Disjuncts {
				walk(c)
			}
		case *query.ConjunctionQuery:
			for _, c := range x.Conjuncts {
				walk(c)
			}
		}
	}
	walk(q)
	if !found {
		t.Error("ParseQuery does not search phrases with phraseQuery")
	}
}
