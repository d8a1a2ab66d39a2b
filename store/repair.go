package store

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/tacit-qda/tacit/coding"
)

// Repair rebuilds, in this transaction, everything in the store that is
// derived from its records: the per-document and per-code coding indexes,
// the code counts, and the document-name, source-hash and case-name
// tables. A coding whose own record is missing or damaged is restored from
// an intact copy in one of its indexes. Records that cannot be decoded
// anywhere are left as they are (Check keeps reporting them; 'tacit
// salvage' copies the rest into a new project). It returns one line per
// thing done, and logs an audit event.
func (tx *Tx) Repair(actor string) ([]string, error) {
	var done []string
	// The codings: the record, else an intact index copy.
	recs := map[uint64][]byte{}
	order := []uint64{}
	restored := 0
	_ = tx.b(bCodings).ForEach(func(k, v []byte) error {
		id := getU64(k)
		if _, err := decodeCoding(id, v); err == nil {
			recs[id] = append([]byte(nil), v...)
			order = append(order, id)
		}
		return nil
	})
	for _, ix := range [][]byte{bCodingsByDoc, bCodingsByCode} {
		_ = tx.b(ix).ForEach(func(k, v []byte) error {
			if len(k) != 16 {
				return nil
			}
			id := getU64(k[8:])
			if _, ok := recs[id]; ok {
				return nil
			}
			if _, err := decodeCoding(id, v); err == nil {
				recs[id] = append([]byte(nil), v...)
				order = append(order, id)
				restored++
			}
			return nil
		})
	}
	for _, b := range [][]byte{bCodingsByDoc, bCodingsByCode, bCodeCounts, bCodeDocs, bDocNames, bDocHashes, bCaseNames} {
		if tx.tx.Bucket(b) != nil {
			if err := tx.tx.DeleteBucket(b); err != nil {
				return nil, fmt.Errorf("clear %s: %w", b, err)
			}
		}
		if _, err := tx.tx.CreateBucket(b); err != nil {
			return nil, fmt.Errorf("create %s: %w", b, err)
		}
	}
	var maxID uint64
	for _, id := range order {
		rec := recs[id]
		c, _ := decodeCoding(id, rec)
		if restored > 0 {
			if err := tx.b(bCodings).Put(u64(id), rec); err != nil {
				return nil, err
			}
		}
		if err := tx.b(bCodingsByDoc).Put(key2(c.DocID, id), rec); err != nil {
			return nil, err
		}
		if err := tx.b(bCodingsByCode).Put(key2(c.CodeID, id), rec); err != nil {
			return nil, err
		}
		if err := tx.adjustCounts(u64(c.CodeID), c.DocID, 1); err != nil {
			return nil, err
		}
		maxID = max(maxID, id)
	}
	if cb := tx.b(bCodings); cb.Sequence() < maxID {
		if err := cb.SetSequence(maxID); err != nil {
			return nil, err
		}
	}
	if restored > 0 {
		done = append(done, fmt.Sprintf("restored %d coding records from their index copies", restored))
	}
	done = append(done, fmt.Sprintf("rebuilt the coding indexes and code counts from %d codings", len(order)))
	// The name tables.
	docs := 0
	_ = tx.b(bDocs).ForEach(func(k, v []byte) error {
		d, err := decodeDoc(getU64(k), v)
		if err != nil {
			return nil
		}
		docs++
		if tx.b(bDocNames).Get([]byte(d.Name)) == nil {
			if err := tx.b(bDocNames).Put([]byte(d.Name), append([]byte(nil), k...)); err != nil {
				return err
			}
		}
		if d.SourceHash != "" && tx.b(bDocHashes).Get([]byte(d.SourceHash)) == nil {
			return tx.b(bDocHashes).Put([]byte(d.SourceHash), append([]byte(nil), k...))
		}
		return nil
	})
	cases := 0
	_ = tx.b(bCases).ForEach(func(k, v []byte) error {
		var c coding.Case
		if json.Unmarshal(v, &c) != nil {
			return nil
		}
		cases++
		return tx.b(bCaseNames).Put(foldName(c.Name), append([]byte(nil), k...))
	})
	done = append(done, fmt.Sprintf("rebuilt the name tables of %d documents and %d cases", docs, cases))
	tx.touch(true)
	err := tx.Log(&coding.Event{Actor: actor, Action: ActionRepair, Summary: "repaired the store: " + strings.Join(done, "; ")})
	return done, err
}
