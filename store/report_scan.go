package store

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"unsafe"

	"github.com/tacit-qda/tacit/coding"
)

// The report path (project.Dataset) reads every coding of a project: at
// 100,000 codings, decoding each into a heap-allocated coding.Coding with its
// strings and time made more garbage than the report itself. ScanCodings
// hands out the fields a report needs straight from the stored record, and
// CodingCount sizes the caller's slice without walking an index.

// CodingFields is the part of a coding that reports read. Coder and Memo
// point into the database's memory: they are valid only during the callback
// and must not be modified; copy them to keep them.
type CodingFields struct {
	ID, DocID, CodeID uint64
	Start, End        int
	Coder             []byte
	Memo              []byte
	Key               bool
}

// CodingCount returns the number of codings, counted from the page headers
// of the codings bucket (no record is decoded).
func (tx *Tx) CodingCount() int {
	return tx.b(bCodings).Stats().KeyN
}

// ScanCodings calls fn for every coding in id order with its fields decoded
// in place, allocating nothing per coding. fn receives the same
// *CodingFields each time, overwritten between calls.
func (tx *Tx) ScanCodings(fn func(f *CodingFields) error) error {
	var f CodingFields
	return tx.b(bCodings).ForEach(func(k, v []byte) error {
		if err := scanCoding(getU64(k), v, &f); err != nil {
			return err
		}
		return fn(&f)
	})
}

// scanCoding reads the stored coding id (record v) into f, in place when
// it has the version-1 layout.
func scanCoding(id uint64, v []byte, f *CodingFields) error {
	if len(v) == 0 || v[0] != codingV1 || !scanCodingV1(v[1:], f) {
		// Not the layout read in place: decode it the usual way.
		c, err := decodeCoding(id, v)
		if err != nil {
			return fmt.Errorf("decode coding %d: %w", id, err)
		}
		*f = CodingFields{DocID: c.DocID, CodeID: c.CodeID, Start: c.Start, End: c.End,
			Coder: []byte(c.Coder), Memo: []byte(c.Memo), Key: c.Key}
	}
	f.ID = id
	return nil
}

// scanCodingV1 reads the fields of a version-1 record (after its version
// byte; see encodeCoding) into f, and reports whether the record is whole.
func scanCodingV1(b []byte, f *CodingFields) bool {
	var v [4]uint64
	var ok bool
	for i := range v {
		if v[i], b, ok = scanUvarint(b); !ok {
			return false
		}
	}
	f.DocID, f.CodeID, f.Start, f.End = v[0], v[1], int(v[2]), int(v[3])
	if f.Coder, b, ok = scanBytes(b); !ok {
		return false
	}
	if _, b, ok = scanBytes(b); !ok { // origin
		return false
	}
	if _, b, ok = scanUvarint(b); !ok { // group
		return false
	}
	if _, b, ok = scanBytes(b); !ok { // query
		return false
	}
	if f.Memo, b, ok = scanBytes(b); !ok {
		return false
	}
	key, _, ok := scanUvarint(b)
	f.Key = key == 1
	return ok
}

func scanUvarint(b []byte) (uint64, []byte, bool) {
	if len(b) > 0 && b[0] < 0x80 {
		return uint64(b[0]), b[1:], true
	}
	v, n := binary.Uvarint(b)
	if n <= 0 {
		return 0, nil, false
	}
	return v, b[n:], true
}

func scanBytes(b []byte) ([]byte, []byte, bool) {
	n, b, ok := scanUvarint(b)
	if !ok || uint64(len(b)) < n {
		return nil, nil, false
	}
	return b[:n:n], b[n:], true
}

// TextBytes returns a document's stored text without copying it. The bytes
// are valid only inside this transaction and must not be modified.
func (tx *Tx) TextBytes(id uint64) ([]byte, error) {
	raw := tx.b(bTexts).Get(u64(id))
	if raw == nil {
		return nil, coding.Errorf(coding.ENotFound, "document %d has no text", id)
	}
	return raw, nil
}

// Mapped reports whether b lies inside the store's memory map (read-only,
// shared with the file) within the part this transaction sees: the bytes
// TextBytes hands out in a read transaction. Such pages can be given back
// to the kernel (madvise) without losing anything.
func (tx *Tx) Mapped(b []byte) bool {
	if len(b) == 0 || tx.writable {
		return false
	}
	base := tx.tx.DB().Info().Data
	p := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	return p >= base && p-base+uintptr(len(b)) <= uintptr(tx.tx.Size())
}

// HeaderTurn reports whether a document's turn 0 is its header unit (the
// text before the first spoken turn: no speaker, no role), reading only the
// first turn of the stored list.
func (tx *Tx) HeaderTurn(docID uint64) (bool, error) {
	raw := tx.b(bTurns).Get(u64(docID))
	if len(raw) > 0 && raw[0] == turnsV1 {
		rest := raw[1:]
		n, rest, ok := scanUvarint(rest)
		if ok && n == 0 {
			return false, nil
		}
		if ok {
			_, rest, ok = scanBytes(rest)
		}
		for k := 0; ok && k < 2; k++ { // start, end
			_, rest, ok = scanUvarint(rest)
		}
		if ok {
			var flags uint64
			if flags, _, ok = scanUvarint(rest); ok {
				return flags&2 != 0, nil
			}
		}
	}
	ts, err := decodeTurns(raw)
	if err != nil {
		return false, fmt.Errorf("turns of document %d: %w", docID, err)
	}
	return len(ts) > 0 && ts[0].Header, nil
}

// ScanTurns calls fn for each turn of a document, in order, with its
// speaker label (valid only during the call) and its code-point span,
// reading the stored list in place.
func (tx *Tx) ScanTurns(docID uint64, fn func(speaker []byte, start, end int)) error {
	raw := tx.b(bTurns).Get(u64(docID))
	if len(raw) > 0 && raw[0] == turnsV1 && scanTurnsV1(raw[1:], fn) {
		return nil
	}
	// Not the layout read in place (or damaged): decode it the usual way.
	ts, err := decodeTurns(raw)
	if err != nil {
		return fmt.Errorf("turns of document %d: %w", docID, err)
	}
	for _, t := range ts {
		fn([]byte(t.Speaker), t.Start, t.End)
	}
	return nil
}

// scanTurnsV1 checks a version-1 turn list (after its version byte; see
// encodeTurns) and, only when it is whole, calls fn for each turn.
func scanTurnsV1(b []byte, fn func(speaker []byte, start, end int)) bool {
	for pass := 0; pass < 2; pass++ { // check, then call
		rest := b
		n, rest, ok := scanUvarint(rest)
		if !ok {
			return false
		}
		for i := uint64(0); i < n; i++ {
			var sp []byte
			var s, e, timed uint64
			if sp, rest, ok = scanBytes(rest); !ok {
				return false
			}
			if s, rest, ok = scanUvarint(rest); !ok {
				return false
			}
			if e, rest, ok = scanUvarint(rest); !ok {
				return false
			}
			if timed, rest, ok = scanUvarint(rest); !ok {
				return false
			}
			if timed&1 != 0 { // has time (2 is the header flag)
				for k := 0; k < 2; k++ { // time start, time end (zig-zag varints)
					if _, rest, ok = scanUvarint(rest); !ok {
						return false
					}
				}
			}
			if pass == 1 {
				fn(sp, int(s), int(e))
			}
		}
	}
	return true
}

// ScanCodingsByCode calls fn for every coding of one code (not its
// sub-codes) with its fields decoded in place from the code's index, as
// ScanCodings does: a search filtered by a code reads ten thousand codings
// for their spans alone.
func (tx *Tx) ScanCodingsByCode(codeID uint64, fn func(f *CodingFields) error) error {
	var f CodingFields
	prefix := u64(codeID)
	c := tx.b(bCodingsByCode).Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		if err := scanCoding(getU64(k[8:]), v, &f); err != nil {
			return err
		}
		if err := fn(&f); err != nil {
			return err
		}
	}
	return nil
}

// HasTurns reports whether a document has a stored turn list (every
// document has one; a missing document has none).
func (tx *Tx) HasTurns(docID uint64) bool {
	return tx.b(bTurns).Get(u64(docID)) != nil
}

// TurnsAt calls fn for the turns of a document whose indexes are in idx
// (ascending, without repeats) with the turn's speaker label (valid only
// during the call) and code-point span, reading the stored list in place
// and only as far as the last one; fn is not called for an index the
// document does not have. A search reads the turns of its hits this way: a
// page of hits names a few turns of a document that has a hundred.
func (tx *Tx) TurnsAt(docID uint64, idx []int, fn func(i int, speaker []byte, start, end int)) error {
	if len(idx) == 0 {
		return nil
	}
	raw := tx.b(bTurns).Get(u64(docID))
	if len(raw) == 0 || raw[0] != turnsV1 {
		return fmt.Errorf("turns of document %d: %w", docID, errCorrupt)
	}
	k := 0
	for k < len(idx) && idx[k] < 0 {
		k++
	}
	n, b, ok := scanUvarint(raw[1:])
	for i := 0; ok && uint64(i) < n && k < len(idx); i++ {
		var sp []byte
		var s, e, flags uint64
		if sp, b, ok = scanBytes(b); !ok {
			break
		}
		if s, b, ok = scanUvarint(b); !ok {
			break
		}
		if e, b, ok = scanUvarint(b); !ok {
			break
		}
		if flags, b, ok = scanUvarint(b); !ok {
			break
		}
		if flags&1 != 0 { // times (zig-zag varints)
			if _, b, ok = scanUvarint(b); !ok {
				break
			}
			if _, b, ok = scanUvarint(b); !ok {
				break
			}
		}
		if i == idx[k] {
			fn(i, sp, int(s), int(e))
			k++
		}
	}
	if !ok {
		return fmt.Errorf("turns of document %d: %w", docID, errCorrupt)
	}
	return nil
}
