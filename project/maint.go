package project

import (
	"fmt"

	"github.com/tacit-qda/tacit/coding"
	"github.com/tacit-qda/tacit/store"
)

// Compact rewrites the store file without its free pages (bbolt never
// shrinks a file after deletions, merges or a schema migration) and returns
// the sizes before and after. The copy is checked before it replaces the
// original, which is renamed over while this process holds the locks of
// both files (see store.Store.Compact).
// The search index is not touched: its revision marker still matches.
func (p *Project) Compact() (before, after int64, err error) {
	if p.readOnly {
		return 0, 0, coding.Errorf(coding.EInternal, "the project was opened read-only")
	}
	before = p.Store.Size()
	s, err := p.Store.Compact()
	if err != nil {
		return 0, 0, err
	}
	p.Store = s
	after = s.Size()
	err = s.Update(func(tx *store.Tx) error {
		return tx.Log(&coding.Event{Actor: p.Actor, Action: store.ActionCompact,
			Summary: fmt.Sprintf("compacted the project database from %d to %d bytes", before, after)})
	})
	return before, after, err
}
