package store

import (
	"bytes"
	"fmt"
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

// coderSpan is a coding's code and span, for finding a coder's duplicates.
type coderSpan struct {
	code       uint64
	start, end int
}

// coderSpans returns the code and span of every coding of actor in the
// document, read in place from the document's coding index (no coding is
// decoded into a heap record), so that a tag costs little even when the
// document holds thousands of codings.
func (tx *Tx) coderSpans(docID uint64, actor string) (map[coderSpan]bool, error) {
	have := map[coderSpan]bool{}
	prefix := u64(docID)
	var f CodingFields
	c := tx.b(bCodingsByDoc).Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		if len(v) == 0 || v[0] != codingV1 || !scanCodingV1(v[1:], &f) {
			cd, err := decodeCoding(getU64(k[8:]), v)
			if err != nil {
				return nil, fmt.Errorf("decode coding %d: %w", getU64(k[8:]), err)
			}
			f = CodingFields{CodeID: cd.CodeID, Start: cd.Start, End: cd.End, Coder: []byte(cd.Coder)}
		}
		if string(f.Coder) == actor {
			have[coderSpan{f.CodeID, f.Start, f.End}] = true
		}
	}
	return have, nil
}
