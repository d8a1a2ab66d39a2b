package lang

import (
	"bytes"
	"sync"

	"github.com/blevesearch/bleve/v2/analysis"
	porterstemmer "github.com/blevesearch/go-porterstemmer"
)

// cachedPorter is bleve's stemmer_porter with the stems it made kept: an
// interview's words repeat (a few thousand distinct among 8,000), and
// stemming each occurrence again, through a rune slice and back, was 4%
// of an import's CPU. The stem of a term is a pure function of its bytes,
// so the output is bleve's token for token (TestCachedPorterIsBleves).
// Stems are shared between tokens as read-only slices whose capacity is
// their length. The cache is bounded; past the bound terms are stemmed as
// before.
type cachedPorter struct {
	shards [porterShards]porterShard
}

const (
	porterShards   = 16
	porterPerShard = 1 << 13
)

type porterShard struct {
	mu    sync.RWMutex
	stems map[string][]byte
}

// porterCache is shared by every analyzer of the process.
var porterCache = &cachedPorter{}

func (p *cachedPorter) shard(term []byte) *porterShard {
	h := uint(len(term))
	if len(term) > 0 {
		h = h*31 + uint(term[0])
		h = h*31 + uint(term[len(term)-1])
	}
	return &p.shards[h%porterShards]
}

// Filter stems every token that is not a keyword.
func (p *cachedPorter) Filter(input analysis.TokenStream) analysis.TokenStream {
	for _, token := range input {
		if token.KeyWord {
			continue
		}
		token.Term = p.stem(token.Term)
	}
	return input
}

func (p *cachedPorter) stem(term []byte) []byte {
	s := p.shard(term)
	s.mu.RLock()
	stem, ok := s.stems[string(term)]
	s.mu.RUnlock()
	if ok {
		return stem
	}
	stem = analysis.BuildTermFromRunes(porterstemmer.StemWithoutLowerCasing(bytes.Runes(term)))
	stem = stem[:len(stem):len(stem)]
	s.mu.Lock()
	if s.stems == nil {
		s.stems = make(map[string][]byte)
	}
	if len(s.stems) < porterPerShard {
		s.stems[string(term)] = stem
	}
	s.mu.Unlock()
	return stem
}
