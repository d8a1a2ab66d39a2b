package store

import "github.com/tacit-qda/tacit/coding"

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
