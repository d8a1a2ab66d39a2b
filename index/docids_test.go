package index

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
)

// TestTurnIDQueryIsBleves checks that a turn filter whose ids' numbers are
// kept per index snapshot finds what bleve's DocIDQuery finds, with the
// same scores, as a filter and as an exclusion, again from the cache, and
// after writes that move the turns to new numbers.
func TestTurnIDQueryIsBleves(t *testing.T) {
	x := buildCorpus(t, corpus())
	lists := [][]string{
		{TurnID(1, 1), TurnID(1, 3), TurnID(2, 1), TurnID(2, 2)},
		{TurnID(2, 2), TurnID(1, 1), TurnID(9, 9)}, // unsorted, one unknown
		{TurnID(3, 1)},
	}
	queries := []string{"crisis", "family plan", "*"}
	run := func(q, filter query.Query) []string {
		t.Helper()
		bq := query.NewBooleanQuery(nil, nil, nil)
		bq.AddMust(q)
		bq.AddFilter(filter)
		req := bleve.NewSearchRequestOptions(bq, 100, 0, false)
		req.SortBy([]string{"_id"})
		res, err := x.idx.SearchInContext(context.Background(), req)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, h := range res.Hits {
			out = append(out, fmt.Sprintf("%s %.6f", h.ID, h.Score))
		}
		return out
	}
	check := func(stage string) {
		t.Helper()
		for _, qs := range queries {
			var q query.Query = query.NewMatchAllQuery()
			if qs != "*" {
				var err error
				if q, err = ParseQuery(qs, x.queryAnalyzers()...); err != nil {
					t.Fatal(err)
				}
			}
			for _, ids := range lists {
				for round := 0; round < 2; round++ { // the second from the cache
					shapes := []struct {
						name       string
						got, bleve query.Query
					}{
						{"only", &turnIDQuery{ids: ids, cache: &x.docNums}, query.NewDocIDQuery(ids)},
						{"not", query.NewBooleanQuery(nil, nil, []query.Query{&turnIDQuery{ids: ids, cache: &x.docNums}}),
							query.NewBooleanQuery(nil, nil, []query.Query{query.NewDocIDQuery(ids)})},
					}
					for _, s := range shapes {
						// A background merge between the two searches can
						// change the scores: a real difference stays.
						got, want := run(q, s.got), run(q, s.bleve)
						for try := 0; try < 5 && !slices.Equal(got, want); try++ {
							got, want = run(q, s.got), run(q, s.bleve)
						}
						if !slices.Equal(got, want) {
							t.Errorf("%s, %q %s %v (round %d): got %v, bleve finds %v", stage, qs, s.name, ids, round, got, want)
						}
					}
				}
			}
		}
	}
	check("fresh")
	if x.docNums.reader == nil || len(x.docNums.entries) != len(lists) {
		t.Fatalf("the cache kept %d id lists, want %d", len(x.docNums.entries), len(lists))
	}
	// Re-adding a document gives its turns new numbers, in a new snapshot.
	srcs := corpus()
	w := x.NewWriter()
	w.Delete(1, len(srcs[0].Doc.Turns))
	if err := w.Add(srcs[0]); err != nil {
		t.Fatal(err)
	}
	w.Delete(3, len(srcs[2].Doc.Turns))
	if err := w.Commit(2); err != nil {
		t.Fatal(err)
	}
	check("after a write")
}
