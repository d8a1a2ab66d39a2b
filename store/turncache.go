package store

import (
	"bytes"
	"slices"
	"sync"

	"github.com/tacit-qda/tacit/coding"
)

// turnCache keeps decoded turns for a long-lived store (tacit serve), so
// that a search filtered by speaker, role or code, which reads every
// document's turns, does not decode 100,000 turns on every request. An
// entry is used only when the stored bytes are still the ones it was
// decoded from (compared in full, which costs a fraction of decoding), so
// it can never be stale, whatever transaction reads it; callers get their
// own copy of the turns.
type turnCache struct {
	mu sync.Mutex
	on bool
	m  map[uint64]cachedTurns
}

type cachedTurns struct {
	raw   []byte
	turns []coding.Turn
}

// CacheTurns makes the store keep the turns it decodes in memory (about
// 100 bytes a turn) for later reads. For a store that stays open and
// answers many requests; a one-shot command has nothing to gain.
func (s *Store) CacheTurns() {
	s.turns.mu.Lock()
	s.turns.on = true
	if s.turns.m == nil {
		s.turns.m = map[uint64]cachedTurns{}
	}
	s.turns.mu.Unlock()
}

// turnsOf decodes a document's stored turns, from the cache when it holds
// the same bytes.
func (tx *Tx) turnsOf(id uint64, raw []byte) ([]coding.Turn, error) {
	c := &tx.s.turns
	c.mu.Lock()
	on := c.on
	e, ok := c.m[id]
	c.mu.Unlock()
	if !on {
		return decodeTurns(raw)
	}
	if ok && bytes.Equal(e.raw, raw) {
		return slices.Clone(e.turns), nil
	}
	ts, err := decodeTurns(raw)
	if err != nil {
		return nil, err
	}
	e = cachedTurns{raw: bytes.Clone(raw), turns: slices.Clone(ts)}
	c.mu.Lock()
	c.m[id] = e
	c.mu.Unlock()
	return ts, nil
}
