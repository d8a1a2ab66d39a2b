package store

import (
	"bytes"
	"encoding/binary"
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

// codesCache shares one decoded codebook between the tags of a long-lived
// store (a tag resolves its code in the whole codebook): it is used only
// while the stored codes are byte for byte those it was decoded from.
type codesCache struct {
	mu  sync.Mutex
	raw []byte // each code's key and value, length-prefixed
	cb  *coding.Codebook
}

// SharedCodes returns the codebook as Codes does, but with CacheTurns on it
// returns one decoded codebook for as long as the stored codes do not
// change. The caller must not change it (it may be read by other
// transactions at the same time).
func (tx *Tx) SharedCodes() (*coding.Codebook, error) {
	tx.s.turns.mu.Lock()
	on := tx.s.turns.on
	tx.s.turns.mu.Unlock()
	if !on {
		return tx.Codes()
	}
	c := &tx.s.codes
	c.mu.Lock()
	raw, cb := c.raw, c.cb
	c.mu.Unlock()
	if cb != nil && tx.sameCodes(raw) {
		return cb, nil
	}
	cb, err := tx.Codes()
	if err != nil {
		return nil, err
	}
	var b []byte
	if err := tx.b(bCodes).ForEach(func(k, v []byte) error {
		b = binary.AppendUvarint(b, uint64(len(k)))
		b = append(b, k...)
		b = binary.AppendUvarint(b, uint64(len(v)))
		b = append(b, v...)
		return nil
	}); err != nil {
		return nil, err
	}
	c.mu.Lock()
	c.raw, c.cb = b, cb
	c.mu.Unlock()
	return cb, nil
}

// sameCodes reports whether the stored codes are exactly raw.
func (tx *Tx) sameCodes(raw []byte) bool {
	next := func() ([]byte, bool) {
		n, w := binary.Uvarint(raw)
		if w <= 0 || uint64(len(raw)-w) < n {
			return nil, false
		}
		out := raw[w : w+int(n)]
		raw = raw[w+int(n):]
		return out, true
	}
	c := tx.b(bCodes).Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		rk, ok := next()
		if !ok || !bytes.Equal(rk, k) {
			return false
		}
		rv, ok := next()
		if !ok || !bytes.Equal(rv, v) {
			return false
		}
	}
	return len(raw) == 0
}
