package project

import (
	"github.com/tacit-qda/tacit/coding"
	"github.com/tacit-qda/tacit/coding/report"
	"github.com/tacit-qda/tacit/store"
)

// Dataset reads everything the reports need from the store in one read
// transaction: cases, documents with turns, the codebook, every coding and
// the role map. The quoted passages of a report are read later, in one
// short read transaction that copies only the passages.
//
// A report process is short and pays a page fault (10-25 µs on a virtual
// machine) for every 4 KB of memory it touches first, so the codings are
// read as compact report.Coding records (48 bytes, no pointers) decoded in
// place from the stored bytes into a slice made at its final size.
func (p *Project) Dataset() (*report.Dataset, error) {
	ds := &report.Dataset{}
	err := p.Store.View(func(tx *store.Tx) error {
		cases, err := tx.Cases()
		if err != nil {
			return err
		}
		ds.Cases = make([]coding.Case, len(cases))
		for i, c := range cases {
			ds.Cases[i] = *c
		}
		docs, err := tx.Documents(true)
		if err != nil {
			return err
		}
		ds.Docs = make([]coding.Document, len(docs))
		for i, d := range docs {
			ds.Docs[i] = *d
		}
		cb, err := tx.Codes()
		if err != nil {
			return err
		}
		cb.Walk(func(c *coding.Code, _ int) { ds.Codes = append(ds.Codes, *c) })
		if ds.Roles, err = tx.Roles(); err != nil {
			return err
		}
		// The count comes from page headers; appending to a growing slice
		// instead cleared and copied it about twenty times. It is a hint:
		// append still copes if it is off.
		ds.Codings = make([]report.Coding, 0, tx.CodingCount())
		return tx.ScanCodings(func(f *store.CodingFields) error {
			c := report.Coding{ID: f.ID, DocID: f.DocID, CodeID: f.CodeID, Start: offset32(f.Start),
				End: offset32(f.End), Coder: ds.InternCoder(f.Coder), Key: f.Key}
			if len(f.Memo) > 0 {
				c.Memo = ds.AddMemo(string(f.Memo))
			}
			ds.Codings = append(ds.Codings, c)
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	ds.Passages = func(ps []report.Passage) error {
		return p.Store.View(func(tx *store.Tx) error {
			for i := 0; i < len(ps); {
				j := i + 1
				for j < len(ps) && ps[j].Doc == ps[i].Doc {
					j++
				}
				text, err := tx.TextBytes(ps[i].Doc)
				if err != nil {
					return err
				}
				report.SlicePassages(text, ps[i:j])
				i = j
			}
			return nil
		})
	}
	return ds, nil
}

// offset32 narrows a stored offset; texts are far shorter than 2^31 code
// points (bbolt values are at most 2 GB), so only a corrupt record clamps.
func offset32(v int) int32 {
	return int32(min(max(v, 0), 1<<31-1))
}
