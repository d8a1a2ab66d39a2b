package project

import (
	"github.com/tacit-qda/tacit/coding"
	"github.com/tacit-qda/tacit/coding/report"
	"github.com/tacit-qda/tacit/store"
)

// Dataset reads what the reports need from the store: cases, documents
// with turns, the codebook and the role map in one read transaction. The
// codings are not loaded: the report reads them once, in a read
// transaction of their own, straight from the stored records into its own
// compact index, and the quoted passages in another that copies only them.
//
// A report process is short and pays a page fault (10-25 µs on a virtual
// machine) for every 4 KB of memory it touches first: holding the 100,000
// codings of a large project twice (a dataset copy, then the report's
// index) cost more than the report's own work.
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
		// Turns are read in place into the compact form reports use (two
		// offsets and a speaker number per turn) rather than decoded into
		// coding.Turn values and a string per turn.
		docs, err := tx.Documents(false)
		if err != nil {
			return err
		}
		ds.Docs = make([]coding.Document, len(docs))
		ds.Turns = make([]report.Turns, len(docs))
		// All documents' turns go into two shared slices (one growth,
		// not one per document), cut per document at the end.
		var spans, speakers []int32
		ends := make([]int, len(docs))
		headers := make([]bool, len(docs))
		for i, d := range docs {
			ds.Docs[i] = *d
			if err := tx.ScanTurns(d.ID, func(speaker []byte, start, end int) {
				spans = append(spans, report.Offset32(start), report.Offset32(end))
				speakers = append(speakers, ds.SpeakerID(speaker))
			}); err != nil {
				return err
			}
			ends[i] = len(speakers)
			if headers[i], err = tx.HeaderTurn(d.ID); err != nil {
				return err
			}
		}
		from := 0
		for i, to := range ends {
			ds.Turns[i] = report.Turns{Spans: spans[2*from : 2*to : 2*to], Speaker: speakers[from:to:to], Header: headers[i]}
			from = to
		}
		cb, err := tx.Codes()
		if err != nil {
			return err
		}
		cb.Walk(func(c *coding.Code, _ int) { ds.Codes = append(ds.Codes, *c) })
		if ds.Roles, err = tx.Roles(); err != nil {
			return err
		}
		ds.CodingCount = tx.CodingCount()
		return nil
	})
	if err != nil {
		return nil, err
	}
	ds.Codings = func(fn func(c *report.Coding) error) error {
		return p.Store.View(func(tx *store.Tx) error {
			var c report.Coding
			return tx.ScanCodings(func(f *store.CodingFields) error {
				c = report.Coding{ID: f.ID, DocID: f.DocID, CodeID: f.CodeID, Start: f.Start, End: f.End,
					Coder: f.Coder, Memo: f.Memo, Key: f.Key}
				return fn(&c)
			})
		})
	}
	// A document's length in code points (counted at import; texts never
	// change) tells SlicePassages when a text is ASCII and needs no scan.
	chars := make(map[uint64]int, len(ds.Docs))
	for i := range ds.Docs {
		chars[ds.Docs[i].ID] = ds.Docs[i].Chars
	}
	ds.Passages = func(ps []report.Passage) error {
		return p.Store.View(func(tx *store.Tx) error {
			var rel pageReleaser
			defer rel.release() // inside the transaction: the texts are still mapped
			for i := 0; i < len(ps); {
				j := i + 1
				for j < len(ps) && ps[j].Doc == ps[i].Doc {
					j++
				}
				text, err := tx.TextBytes(ps[i].Doc)
				if err != nil {
					return err
				}
				runes, ok := chars[ps[i].Doc]
				if !ok {
					runes = -1
				}
				report.SlicePassages(text, runes, ps[i:j])
				if tx.Mapped(text) { // the passages are copied out
					rel.add(text)
				}
				i = j
			}
			return nil
		})
	}
	return ds, nil
}
