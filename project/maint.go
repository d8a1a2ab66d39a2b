package project

import (
	"fmt"
	"os"

	"github.com/tacit-qda/tacit/coding"
	"github.com/tacit-qda/tacit/store"
)

// Compact rewrites the store file without its free pages (bbolt never
// shrinks a file after deletions, merges or a schema migration) and returns
// the sizes before and after. The copy is checked before it replaces the
// original, which is renamed over while this process still holds its lock.
// The search index is not touched: its revision marker still matches.
func (p *Project) Compact() (before, after int64, err error) {
	if p.readOnly {
		return 0, 0, coding.Errorf(coding.EInternal, "the project was opened read-only")
	}
	db := DBPath(p.Root)
	tmp := db + ".compact"
	before = p.Store.Size()
	var rev uint64
	if err := p.Store.View(func(tx *store.Tx) error { rev = tx.Revision(); return nil }); err != nil {
		return 0, 0, err
	}
	if err := p.Store.CompactTo(tmp); err != nil {
		return 0, 0, err
	}
	// Check the copy: it opens, its pages are sound, and it is at the same revision.
	check, err := store.Open(tmp, store.Options{ReadOnly: true})
	if err == nil {
		err = check.View(func(tx *store.Tx) error {
			if probs := tx.Check(); len(probs) > 0 {
				return fmt.Errorf("the compacted copy has problems: %s", probs[0])
			}
			if tx.Revision() != rev {
				return fmt.Errorf("the compacted copy is at revision %d, not %d", tx.Revision(), rev)
			}
			return nil
		})
		check.Close()
	}
	if err != nil {
		os.Remove(tmp)
		return 0, 0, fmt.Errorf("compact: %w; the project is unchanged", err)
	}
	if err := os.Rename(tmp, db); err != nil {
		os.Remove(tmp)
		return 0, 0, fmt.Errorf("replace the project database: %w; the project is unchanged", err)
	}
	p.Store.Close()
	s, err := store.Open(db, store.Options{})
	if err != nil {
		return before, 0, err
	}
	p.Store = s
	after = s.Size()
	err = s.Update(func(tx *store.Tx) error {
		return tx.Log(&coding.Event{Actor: p.Actor, Action: "compact",
			Summary: fmt.Sprintf("compacted the project database from %d to %d bytes", before, after)})
	})
	return before, after, err
}
