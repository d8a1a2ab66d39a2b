package store

import (
	"time"

	"github.com/tacit-qda/tacit/coding"
)

// Batch runs fn in a read-write transaction like Update, but lets bbolt
// coalesce it with other concurrent Batch calls into one commit (one
// fsync), which is what many coders tagging at once need. fn may run more
// than once (bbolt retries a failed batch one call at a time), so it must
// not change anything outside the transaction; act on its results only
// after Batch returns nil.
func (s *Store) Batch(fn func(tx *Tx) error) error {
	if s.readOnly {
		return coding.Errorf(coding.EInternal, "the project was opened read-only")
	}
	return s.db.Batch(s.txFunc(fn))
}

// batchDelay is how long Batch waits for other writes to join a commit
// (bbolt's default is 10ms, which one coder alone would feel on every
// tag; under load the writes arriving within 2ms still share commits).
const batchDelay = 2 * time.Millisecond
