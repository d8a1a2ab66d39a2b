package project

import (
	"github.com/tacit-qda/tacit/coding"
	"github.com/tacit-qda/tacit/coding/report"
	"github.com/tacit-qda/tacit/store"
)

// Dataset reads everything the reports need from the store in one read
// transaction: cases, documents with turns, the codebook, every coding and
// the role map. Texts are read lazily, only for the quotes a report shows,
// in their own short read transactions.
func (p *Project) Dataset() (*report.Dataset, error) {
	ds := &report.Dataset{}
	err := p.Store.View(func(tx *store.Tx) error {
		cases, err := tx.Cases()
		if err != nil {
			return err
		}
		for _, c := range cases {
			ds.Cases = append(ds.Cases, *c)
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
		// The codings slice is made at its final size from the per-code
		// index counts (keys only, a few milliseconds): appending to a
		// growing slice reallocated, cleared and copied it about twenty
		// times for 100,000 codings, which measured as two thirds of the
		// load time. The count is a hint; append still copes if it is off.
		hint := 0
		for _, c := range ds.Codes {
			hint += tx.CountCodings(c.ID)
		}
		ds.Codings = make([]coding.Coding, 0, hint)
		return tx.Codings(func(c *coding.Coding) error {
			ds.Codings = append(ds.Codings, *c)
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	ds.Text = func(id uint64) (string, error) {
		var text string
		err := p.Store.View(func(tx *store.Tx) error {
			var err error
			text, err = tx.Text(id)
			return err
		})
		return text, err
	}
	return ds, nil
}
