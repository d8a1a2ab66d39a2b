package store

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"

	bolt "go.etcd.io/bbolt"

	"github.com/tacit-qda/tacit/coding"
)

// migrate1to2 upgrades a schema-1 database (see the layout in store.go):
//
//   - docs and codes hold binary records instead of JSON (decoding 1,000
//     documents from JSON cost every report 10-12 ms);
//   - codings_by_doc and codings_by_code hold a copy of the coding record
//     instead of an empty value, so the codings of one code or document are
//     one sequential scan instead of one random read each; both indexes are
//     rebuilt from codings/, the truth, which also drops dangling entries;
//   - code_counts holds the number of codings of each code and of the
//     documents they are in (code_docs: codings per code and document), so
//     'code list' and the reports count without walking the index;
//   - the undo journals kept in events are rewritten to the new records, so
//     changes made before the upgrade can still be undone.
//
// It runs inside the one transaction of Open, so it is all or nothing.
func migrate1to2(tx *bolt.Tx) error {
	err := recode(tx.Bucket(bDocs), func(k, v []byte) ([]byte, error) {
		b, err := docJSONToBinary(getU64(k), v)
		if err != nil {
			return nil, fmt.Errorf("document %d: %w", getU64(k), err)
		}
		return b, nil
	})
	if err != nil {
		return err
	}
	err = recode(tx.Bucket(bCodes), func(k, v []byte) ([]byte, error) {
		b, err := codeJSONToBinary(getU64(k), v)
		if err != nil {
			return nil, fmt.Errorf("code %d: %w", getU64(k), err)
		}
		return b, nil
	})
	if err != nil {
		return err
	}
	if err := rebuildCodingIndexes(tx); err != nil {
		return err
	}
	return migrateJournals(tx)
}

// recode replaces every value of b by fn(key, value). Values are collected
// first: a bucket must not be written while a cursor walks it.
func recode(b *bolt.Bucket, fn func(k, v []byte) ([]byte, error)) error {
	if b == nil {
		return nil
	}
	var keys, vals [][]byte
	err := b.ForEach(func(k, v []byte) error {
		nv, err := fn(k, v)
		if err != nil {
			return err
		}
		keys = append(keys, bytes.Clone(k))
		vals = append(vals, nv)
		return nil
	})
	if err != nil {
		return err
	}
	for i := range keys {
		if err := b.Put(keys[i], vals[i]); err != nil {
			return err
		}
	}
	return nil
}

func docJSONToBinary(id uint64, v []byte) ([]byte, error) {
	var d coding.Document
	if err := json.Unmarshal(v, &d); err != nil {
		return nil, err
	}
	d.ID = id
	return encodeDoc(&d), nil
}

func codeJSONToBinary(id uint64, v []byte) ([]byte, error) {
	var c coding.Code
	if err := json.Unmarshal(v, &c); err != nil {
		return nil, err
	}
	c.ID = id
	return encodeCode(&c), nil
}

type kv struct{ k, v []byte }

// rebuildCodingIndexes writes codings_by_doc, codings_by_code, code_counts
// and code_docs afresh from codings/. Keys are put in sorted order, which
// bbolt appends cheaply (random order into a new bucket is quadratic).
func rebuildCodingIndexes(tx *bolt.Tx) error {
	var byDoc, byCode []kv
	counts := map[uint64]int64{}
	perDoc := map[[2]uint64]uint64{}
	err := tx.Bucket(bCodings).ForEach(func(k, v []byte) error {
		id := getU64(k)
		c, err := decodeCoding(id, v)
		if err != nil {
			return fmt.Errorf("coding %d: %w", id, err)
		}
		rec := bytes.Clone(v)
		byDoc = append(byDoc, kv{key2(c.DocID, id), rec})
		byCode = append(byCode, kv{key2(c.CodeID, id), rec})
		counts[c.CodeID]++
		perDoc[[2]uint64{c.CodeID, c.DocID}]++
		return nil
	})
	if err != nil {
		return err
	}
	docs := map[uint64]int64{}
	var byCodeDoc []kv
	for k, n := range perDoc {
		docs[k[0]]++
		byCodeDoc = append(byCodeDoc, kv{key2(k[0], k[1]), u64(n)})
	}
	var byCount []kv
	for code, n := range counts {
		byCount = append(byCount, kv{u64(code), encodeCounts(n, docs[code])})
	}
	for _, x := range []struct {
		name []byte
		kvs  []kv
	}{{bCodingsByDoc, byDoc}, {bCodingsByCode, byCode}, {bCodeCounts, byCount}, {bCodeDocs, byCodeDoc}} {
		if tx.Bucket(x.name) != nil {
			if err := tx.DeleteBucket(x.name); err != nil {
				return err
			}
		}
		b, err := tx.CreateBucket(x.name)
		if err != nil {
			return err
		}
		b.FillPercent = 0.9
		sort.Slice(x.kvs, func(i, j int) bool { return bytes.Compare(x.kvs[i].k, x.kvs[j].k) < 0 })
		for _, e := range x.kvs {
			if err := b.Put(e.k, e.v); err != nil {
				return err
			}
		}
	}
	return nil
}

// migrateJournals rewrites the undo data of every event for schema 2. An
// event whose undo data cannot be rewritten loses it: it then cannot be
// undone (as if it had been too large), which is safe.
func migrateJournals(tx *bolt.Tx) error {
	eb := tx.Bucket(bEvents)
	var keys, vals [][]byte
	err := eb.ForEach(func(k, v []byte) error {
		var e coding.Event
		if err := json.Unmarshal(v, &e); err != nil {
			return fmt.Errorf("event %d: %w", getU64(k), err)
		}
		if len(e.Undo) == 0 {
			return nil
		}
		nu, err := journal1to2(e.Undo)
		if err != nil {
			nu = nil
		}
		e.Undo = nu
		raw, err := json.Marshal(&e)
		if err != nil {
			return fmt.Errorf("event %d: %w", e.ID, err)
		}
		keys = append(keys, bytes.Clone(k))
		vals = append(vals, raw)
		return nil
	})
	if err != nil {
		return err
	}
	for i := range keys {
		if err := eb.Put(keys[i], vals[i]); err != nil {
			return err
		}
	}
	return nil
}

// journal1to2 converts the before and after images of one schema-1 undo
// journal: documents and codes from JSON to binary, and the empty values of
// the coding indexes to the coding record, taken from the journal's own
// entry for that coding (every change of an index entry changes the coding
// record in the same event).
func journal1to2(b []byte) ([]byte, error) {
	es, err := decodeJournal(b)
	if err != nil {
		return nil, err
	}
	codings := map[string]*jentry{}
	for _, x := range es {
		if x.bucket == string(bCodings) {
			codings[string(x.key)] = x
		}
	}
	conv := func(x *jentry, fn func(uint64, []byte) ([]byte, error)) error {
		id := getU64(x.key)
		if x.hadBefore {
			if x.before, err = fn(id, x.before); err != nil {
				return err
			}
		}
		if x.hasAfter {
			if x.after, err = fn(id, x.after); err != nil {
				return err
			}
		}
		return nil
	}
	for _, x := range es {
		switch x.bucket {
		case string(bDocs):
			err = conv(x, docJSONToBinary)
		case string(bCodes):
			err = conv(x, codeJSONToBinary)
		case string(bCodingsByDoc), string(bCodingsByCode):
			c := codings[string(x.key[min(8, len(x.key)):])]
			if len(x.key) != 16 || c == nil || (x.hadBefore && !c.hadBefore) || (x.hasAfter && !c.hasAfter) {
				return nil, fmt.Errorf("index entry without its coding: %w", errCorrupt)
			}
			x.before, x.after = nil, nil
			if x.hadBefore {
				x.before = c.before
			}
			if x.hasAfter {
				x.after = c.after
			}
		}
		if err != nil {
			return nil, err
		}
	}
	return encodeJournal(es), nil
}
