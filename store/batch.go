package store

import (
	"bytes"
	"fmt"
	"sync"

	"github.com/tacit-qda/tacit/coding"
	bolt "go.etcd.io/bbolt"
)

// Batch runs fn in a read-write transaction like Update, but lets it share
// one commit (one fsync) with other concurrent Batch calls, which is what
// many coders tagging at once need. fn may run more than once (a batch in
// which one call fails is rolled back and the others run again without
// it), so it must not change anything outside the transaction; act on its
// results only after Batch returns nil.
//
// This is group commit without a timer: the first call starts a writer
// that commits everything queued so far in one transaction; calls that
// arrive during that commit wait for the next one, which takes them all.
// A coder alone waits for no window (bbolt's DB.Batch waits up to
// MaxBatchDelay), and under load each commit takes every waiting call
// instead of one small batch per window queueing behind the write lock.
func (s *Store) Batch(fn func(tx *Tx) error) error {
	if s.readOnly {
		return coding.Errorf(coding.EInternal, "the project was opened read-only")
	}
	c := batchCall{fn: s.txFunc(fn), err: make(chan error, 1)}
	s.batch.mu.Lock()
	s.batch.queue = append(s.batch.queue, c)
	if !s.batch.running {
		s.batch.running = true
		go s.commitBatches()
	}
	s.batch.mu.Unlock()
	return diskFull(<-c.err)
}

type batchCall struct {
	fn  func(*bolt.Tx) error
	err chan error
}

// batcher is the queue of Batch calls waiting for a commit.
type batcher struct {
	mu      sync.Mutex
	queue   []batchCall
	running bool
}

// commitBatches commits the queued calls, one transaction per round, until
// the queue is empty.
func (s *Store) commitBatches() {
	for {
		s.batch.mu.Lock()
		calls := s.batch.queue
		s.batch.queue = nil
		if len(calls) == 0 {
			s.batch.running = false
			s.batch.mu.Unlock()
			return
		}
		s.batch.mu.Unlock()
		s.commitBatch(calls)
	}
}

// commitBatch runs calls in one transaction. When one fails (returns an
// error or panics) the transaction is rolled back, the failing call runs
// alone (so that its error is its own) and the others run again together.
// An error of the commit itself reaches every call of that commit: none of
// them was written.
func (s *Store) commitBatch(calls []batchCall) {
	for len(calls) > 0 {
		failed := -1
		err := s.update(func(btx *bolt.Tx) error {
			for i, c := range calls {
				// Set before the call, so that a panic (a damaged page,
				// recovered by update) is blamed on this call alone.
				failed = i
				if err := c.fn(btx); err != nil {
					return err
				}
			}
			failed = -1
			return nil
		})
		if failed < 0 || len(calls) == 1 {
			for _, c := range calls {
				c.err <- err
			}
			return
		}
		c := calls[failed]
		c.err <- s.update(c.fn)
		calls = append(calls[:failed:failed], calls[failed+1:]...)
	}
}

// update is db.Update with a panic (a damaged page) turned into an error,
// as Update does on the caller's goroutine.
func (s *Store) update(fn func(*bolt.Tx) error) (err error) {
	defer guard(&err)()
	return s.db.Update(fn)
}

// existingCodings returns which of want actor has coded in the document
// already, reading the document's coding index in place (no coding is
// decoded into a heap record, and only a record with a wanted code and
// span has its coder compared), so that a tag costs little even when the
// document holds thousands of codings.
func (tx *Tx) existingCodings(docID uint64, actor string, want []coderSpan) (map[coderSpan]bool, error) {
	have := map[coderSpan]bool{}
	var set map[coderSpan]bool
	if len(want) > 8 {
		set = make(map[coderSpan]bool, len(want))
		for _, w := range want {
			set[w] = true
		}
	}
	wanted := func(k coderSpan) bool {
		if set != nil {
			return set[k]
		}
		for _, w := range want {
			if w == k {
				return true
			}
		}
		return false
	}
	prefix := u64(docID)
	c := tx.b(bCodingsByDoc).Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		code, start, end, coder, ok := scanCodingHead(v)
		if !ok {
			cd, err := decodeCoding(getU64(k[8:]), v)
			if err != nil {
				return nil, fmt.Errorf("decode coding %d: %w", getU64(k[8:]), err)
			}
			code, start, end, coder = cd.CodeID, cd.Start, cd.End, []byte(cd.Coder)
		}
		if k := (coderSpan{code, start, end}); wanted(k) && string(coder) == actor {
			have[k] = true
		}
	}
	return have, nil
}

// scanCodingHead reads the code, span and coder of an encoded coding
// record in place.
func scanCodingHead(v []byte) (code uint64, start, end int, coder []byte, ok bool) {
	if len(v) == 0 || v[0] != codingV1 {
		return 0, 0, 0, nil, false
	}
	b := v[1:]
	var x [4]uint64
	for i := range x {
		if x[i], b, ok = scanUvarint(b); !ok {
			return 0, 0, 0, nil, false
		}
	}
	if coder, _, ok = scanBytes(b); !ok {
		return 0, 0, 0, nil, false
	}
	return x[1], int(x[2]), int(x[3]), coder, true
}

// coderSpan is a coding's code and span, for finding a coder's duplicates.
type coderSpan struct {
	code       uint64
	start, end int
}
