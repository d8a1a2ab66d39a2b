package index

import (
	"context"
	"slices"
	"sort"
	"sync"

	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/blevesearch/bleve/v2/search/searcher"
	bindex "github.com/blevesearch/bleve_index_api"
)

// turnIDQuery is bleve's DocIDQuery over turn ids, whose ids' internal
// numbers are kept for the index snapshot they were looked up in. A search
// filtered by code names ~8,500 turns; bleve looks each up in every
// segment's term dictionary on every search, which was half of a served
// search by code. The snapshot does not change until the index does (a
// write or a merge makes a new one), so a served project's repeated
// searches look the ids up once.
type turnIDQuery struct {
	ids   []string
	cache *docNumCache
}

// Searcher returns bleve's DocIDSearcher reading the kept numbers.
func (q *turnIDQuery) Searcher(ctx context.Context, i bindex.IndexReader, m mapping.IndexMapping, options bsearch.SearcherOptions) (bsearch.Searcher, error) {
	if q.cache == nil {
		return query.NewDocIDQuery(q.ids).Searcher(ctx, i, m, options)
	}
	nums, err := q.cache.lookup(i, q.ids)
	if err != nil {
		return nil, err
	}
	// A nil boost is bleve's DocIDQuery's default (1).
	return searcher.NewDocIDSearcher(ctx, numsReader{i, nums}, q.ids, 1.0, options)
}

// docNumCache keeps, for one index snapshot, the internal numbers of the
// id lists its searches filtered by.
type docNumCache struct {
	mu      sync.Mutex
	reader  *scorch.IndexSnapshot
	entries []docNums
}

type docNums struct {
	ids  []string
	nums []uint64
}

// maxDocNumLists bounds docNumCache: a served project's searches use a
// few filters at a time.
const maxDocNumLists = 16

// lookup returns the sorted internal numbers of ids in i, from the cache
// when i is the snapshot they were read from and the ids are the same.
func (c *docNumCache) lookup(i bindex.IndexReader, ids []string) ([]uint64, error) {
	snap, ok := i.(*scorch.IndexSnapshot)
	if ok {
		c.mu.Lock()
		if c.reader == snap {
			for _, e := range c.entries {
				if slices.Equal(e.ids, ids) {
					c.mu.Unlock()
					return e.nums, nil
				}
			}
		}
		c.mu.Unlock()
	}
	r, err := i.DocIDReaderOnly(ids)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	var nums []uint64
	for {
		id, err := r.Next()
		if err != nil {
			return nil, err
		}
		if id == nil {
			break
		}
		nums = append(nums, id.Value())
	}
	if !ok {
		return nums, nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.reader != snap || len(c.entries) >= maxDocNumLists {
		c.reader, c.entries = snap, nil
	}
	// The caller's ids may be changed after: keep a copy.
	c.entries = append(c.entries, docNums{ids: slices.Clone(ids), nums: nums})
	return nums, nil
}

// numsReader is an index reader whose DocIDReaderOnly reads kept numbers.
type numsReader struct {
	bindex.IndexReader
	nums []uint64
}

func (r numsReader) DocIDReaderOnly([]string) (bindex.DocIDReader, error) {
	return &numsIDReader{nums: r.nums}, nil
}

// numsIDReader is a DocIDReader over sorted internal numbers. Each id it
// returns is a new slice, as scorch's reader's are (a searcher's pooled
// matches reuse their ids' bytes).
type numsIDReader struct {
	nums []uint64
	next int
}

func (r *numsIDReader) Next() (bindex.IndexInternalID, error) {
	if r.next >= len(r.nums) {
		return nil, nil
	}
	r.next++
	return bindex.NewIndexInternalID(nil, r.nums[r.next-1]), nil
}

// Advance returns the first id at or after id (scorch's reader reads on
// to it; the numbers are sorted, so this searches).
func (r *numsIDReader) Advance(id bindex.IndexInternalID) (bindex.IndexInternalID, error) {
	v := id.Value()
	r.next += sort.Search(len(r.nums)-r.next, func(k int) bool { return r.nums[r.next+k] >= v })
	return r.Next()
}

func (r *numsIDReader) Size() int    { return 64 + 8*len(r.nums) }
func (r *numsIDReader) Close() error { return nil }
