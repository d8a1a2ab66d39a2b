package project

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/tacit-qda/tacit/coding"
	"github.com/tacit-qda/tacit/store"
)

// RepairResult is the result of Repair.
type RepairResult struct {
	// Done lists what was rebuilt, one line each.
	Done []string `json:"done"`
	// After is the check after the repair.
	After *CheckReport `json:"after"`
}

// Repair rebuilds everything derived from the store's records: the coding
// indexes and counts, the name tables (one transaction, with its audit
// event; see store.Tx.Repair) and then the search index. A database whose
// pages are damaged is refused (the open fails): only a backup or Salvage
// helps there.
func (p *Project) Repair(ctx context.Context) (*RepairResult, error) {
	if p.readOnly {
		return nil, coding.Errorf(coding.EInternal, "the project was opened read-only")
	}
	res := &RepairResult{}
	err := p.Store.Update(func(tx *store.Tx) error {
		var err error
		res.Done, err = tx.Repair(p.Actor)
		return err
	})
	if err != nil {
		return nil, err
	}
	if err := p.Reindex(ctx); err != nil {
		return nil, err
	}
	res.Done = append(res.Done, "rebuilt the search index")
	res.After, err = p.Check(ctx)
	return res, err
}

// SalvageResult is the result of Salvage.
type SalvageResult struct {
	Dir string `json:"dir"`
	store.SalvageReport
}

// Salvage copies every record of the project rooted at root that still
// decodes into a new project in dir (which must not be a project yet),
// builds its search index, and reports what was lost. The damaged project
// is only read.
func Salvage(ctx context.Context, root, dir, actor string) (*SalvageResult, error) {
	if _, err := os.Stat(DBPath(dir)); err == nil {
		return nil, coding.Errorf(coding.EConflict, "%s is already a tacit project; give a new folder for the salvaged copy", dir)
	}
	if abs, err := filepath.Abs(dir); err == nil && abs == root {
		return nil, coding.Errorf(coding.EInvalid, "salvage into a new folder, not into the damaged project itself")
	}
	_, statErr := os.Stat(dir)
	if err := os.MkdirAll(filepath.Join(dir, Dir), 0o755); err != nil {
		return nil, fmt.Errorf("create %s: %w", dir, err)
	}
	if actor == "" {
		actor = DefaultActor()
	}
	rep, err := store.Salvage(DBPath(root), DBPath(dir), actor)
	if err != nil {
		// Leave no half project behind: the database, and the folders
		// this call made (os.Remove keeps a folder that is not empty).
		os.Remove(DBPath(dir))
		os.Remove(filepath.Join(dir, Dir))
		if statErr != nil {
			os.Remove(dir)
		}
		return nil, err
	}
	p, err := Open(dir, Options{Actor: actor})
	if err != nil {
		return nil, err
	}
	defer p.Close()
	if err := p.Reindex(ctx); err != nil {
		return nil, err
	}
	return &SalvageResult{Dir: dir, SalvageReport: *rep}, nil
}
