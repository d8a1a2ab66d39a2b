package store

import (
	"sort"

	"github.com/tacit-qda/tacit/coding"
)

// AddCodings stores many new codings (an import) in this transaction,
// assigning their ids. It writes each index in its own key order: bbolt
// keeps the keys a transaction adds to a bucket in one in-memory node until
// commit, so adding 100,000 keys in random order copies that node's key
// list on every insert (measured: 18 s of the 34 s of importing 100,000
// codings went to that). The codings are numbered in document order, so
// codings/ and codings_by_doc/ grow at their end, and codings_by_code/ is
// then written in code order. The slice's ids are set in place.
func (tx *Tx) AddCodings(list []coding.Coding) error {
	if len(list) == 0 {
		return nil
	}
	order := make([]int, len(list))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool {
		x, y := &list[order[a]], &list[order[b]]
		if x.DocID != y.DocID {
			return x.DocID < y.DocID
		}
		return x.Start < y.Start
	})
	recs := make([][]byte, len(list))
	for _, i := range order {
		c := &list[i]
		id, err := tx.nextID(bCodings)
		if err != nil {
			return err
		}
		c.ID = id
		recs[i] = encodeCoding(c)
		if err := tx.put(bCodings, u64(c.ID), recs[i]); err != nil {
			return err
		}
		if err := tx.put(bCodingsByDoc, key2(c.DocID, c.ID), recs[i]); err != nil {
			return err
		}
	}
	sort.SliceStable(order, func(a, b int) bool {
		x, y := &list[order[a]], &list[order[b]]
		if x.CodeID != y.CodeID {
			return x.CodeID < y.CodeID
		}
		return x.ID < y.ID
	})
	for _, i := range order {
		c := &list[i]
		if err := tx.put(bCodingsByCode, key2(c.CodeID, c.ID), recs[i]); err != nil {
			return err
		}
	}
	tx.touch(false)
	return nil
}
