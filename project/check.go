package project

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/tacit-qda/tacit/coding"
	"github.com/tacit-qda/tacit/index"
	"github.com/tacit-qda/tacit/store"
)

// CheckReport is the result of Check.
type CheckReport struct {
	Documents    int    `json:"documents"`
	Turns        int    `json:"turns"`
	Codings      int    `json:"codings"`
	IndexedTurns uint64 `json:"indexed_turns"`
	IndexFresh   bool   `json:"index_fresh"`
	// Problems lists every problem found, one sentence each.
	Problems []string `json:"problems"`
	// Damaged is true when the database's pages or records are damaged:
	// only a backup or 'tacit salvage' helps.
	Damaged bool `json:"damaged"`
	// Repairable is true when every problem is in data derived from the
	// records (indexes, counts, name tables, the search index), which
	// 'tacit check --repair' rebuilds.
	Repairable bool `json:"repairable"`
	// Leftovers lists files left behind by an interrupted compact,
	// reindex or backup (removed on the next change).
	Leftovers []string `json:"leftovers"`
	// Advice says what to do about the problems ("" when there are none).
	Advice string `json:"advice"`
	// Next is Advice as a coding.Next* kind, for the CLI and the server to
	// say in their own words.
	Next         string `json:"next,omitempty"`
	storeProblem bool
	indexProblem bool
}

// RepairNext says what to do about the problems in r, as a coding.Next*
// kind ("" when nothing in particular).
func RepairNext(r *CheckReport) string {
	switch {
	case r.Damaged:
		return coding.NextRestore
	case r.storeProblem:
		return coding.NextRepair
	case r.indexProblem:
		return coding.NextReindex
	}
	return ""
}

// repairAdvice is the advice of a check report in words that name no
// command (the CLI and the server say it in their own).
var repairAdvice = map[string]string{
	coding.NextRestore: "the project database is damaged: restore a backup of .tacit/tacit.db, or copy what survives into a new project",
	coding.NextRepair:  "repair the project to rebuild the indexes, counts and search index from the records",
	coding.NextReindex: "rebuild the search index from the store",
	"":                 "see the problems above",
}

func (r *CheckReport) problem(store, damaged bool, f string, a ...any) {
	r.Problems = append(r.Problems, fmt.Sprintf(f, a...))
	if store {
		r.storeProblem = true
	} else {
		r.indexProblem = true
	}
	if damaged {
		r.Damaged = true
	}
}

func (r *CheckReport) finish() {
	r.Repairable = len(r.Problems) > 0 && !r.Damaged
	if len(r.Problems) > 0 {
		r.Next = RepairNext(r)
		r.Advice = repairAdvice[r.Next]
	}
}

// CheckAt checks the project rooted at root even when its database is too
// damaged to open normally (then it lists what it can find in the file).
func CheckAt(ctx context.Context, root string, opt Options) (*CheckReport, error) {
	opt.ReadOnly = true
	p, err := Open(root, opt)
	if err == nil {
		defer p.Close()
		return p.Check(ctx)
	}
	if !store.IsDamaged(err) {
		return nil, err
	}
	rep := &CheckReport{Problems: []string{}, Leftovers: leftovers(root)}
	s, serr := store.Open(DBPath(root), store.Options{ReadOnly: true, Damaged: true})
	if serr != nil {
		rep.problem(true, true, "the database cannot be opened: %s", store.DamageCause(err))
		rep.finish()
		return rep, nil
	}
	defer s.Close()
	rep.problem(true, true, "the database cannot be opened normally: %s", store.DamageCause(err))
	p = &Project{Root: root, Store: s, readOnly: true}
	p.checkStore(ctx, rep, map[uint64]int{})
	rep.finish()
	return rep, nil
}

// Check verifies the store (pages, records, coding indexes and counts,
// turns and codings against texts; see store.Tx.Problems) and the search
// index against the store, and lists every problem. It changes nothing.
func (p *Project) Check(ctx context.Context) (*CheckReport, error) {
	rep := &CheckReport{Problems: []string{}, Leftovers: leftovers(p.Root)}
	turnsByDoc := map[uint64]int{}
	rev, err := p.checkStore(ctx, rep, turnsByDoc)
	if err != nil {
		return nil, err
	}
	if err := p.checkIndex(rep, rev, turnsByDoc); err != nil {
		return nil, err
	}
	rep.finish()
	return rep, nil
}

func (p *Project) checkStore(ctx context.Context, rep *CheckReport, turnsByDoc map[uint64]int) (uint64, error) {
	var rev uint64
	err := p.Store.View(func(tx *store.Tx) error {
		rev = tx.IndexRevision()
		for _, pr := range tx.Problems() {
			rep.problem(true, pr.Area != "derived", "%s", pr.Message)
		}
		docs, err := tx.Documents(true)
		if err != nil {
			// Reported by Problems, record by record.
			return nil
		}
		rep.Documents = len(docs)
		for _, d := range docs {
			if err := ctx.Err(); err != nil {
				return err
			}
			rep.Turns += len(d.Turns)
			turnsByDoc[d.ID] = len(d.Turns)
		}
		_ = tx.Codings(func(*coding.Coding) error { rep.Codings++; return nil })
		return nil
	})
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return 0, err
	}
	if c := store.DamageCause(err); c != "" {
		rep.problem(true, true, "the database cannot be read further: %s", c)
	} else if err != nil {
		rep.problem(true, true, "%v", err)
	}
	return rev, nil
}

func (p *Project) checkIndex(rep *CheckReport, rev uint64, turnsByDoc map[uint64]int) (err error) {
	x := p.idx
	if x == nil {
		x, err = index.Open(IndexPath(p.Root), index.Options{ReadOnly: true})
		if err != nil {
			if coding.ErrorKind(err) == coding.EInUse {
				return err
			}
			rep.problem(false, false, "the search index cannot be opened: %v", err)
			return nil
		}
		defer x.Close()
	}
	defer func() {
		if r := recover(); r != nil {
			rep.problem(false, false, "the search index cannot be read (%v)", r)
			err = nil
		}
	}()
	irev, mv, err := x.Revision()
	if err != nil {
		rep.problem(false, false, "the search index cannot be read: %v", err)
		return nil
	}
	if rep.IndexFresh, err = x.Fresh(rev); err != nil {
		rep.problem(false, false, "the search index cannot be read: %v", err)
		return nil
	}
	if !rep.IndexFresh {
		rep.problem(false, false, "the search index reflects revision %d (mapping %s) but the store is at %d (mapping %s)", irev, mv, rev, index.MappingVersion)
	}
	rep.IndexedTurns, err = x.DocCount()
	if err != nil {
		rep.problem(false, false, "the search index cannot be read: %v", err)
		return nil
	}
	if rep.IndexedTurns != uint64(rep.Turns) {
		rep.problem(false, false, "the search index holds %d turns, the store %d", rep.IndexedTurns, rep.Turns)
	}
	missing, err := x.MissingTurns(turnsByDoc, 20)
	if err != nil {
		rep.problem(false, false, "the search index cannot be read: %v", err)
		return nil
	}
	if len(missing) > 0 {
		rep.problem(false, false, "turns missing from the search index: %s", strings.Join(missing, ", "))
	}
	return nil
}

// leftoverNames are the files in .tacit that an interrupted compact or
// reindex leaves behind.
var leftoverNames = []string{"tacit.db.compact", "index.rebuild", "index.old"}

// leftovers lists the files an interrupted compact or reindex leaves in
// the project's data folder, and the partial copies a killed backup left
// there (an upgrade's backup) or in the project folder: paths relative to
// root, with slashes.
func leftovers(root string) []string {
	out := []string{}
	for _, name := range leftoverNames {
		if _, err := os.Stat(filepath.Join(root, Dir, name)); err == nil {
			out = append(out, Dir+"/"+name)
		}
	}
	return append(out, partialBackups(root)...)
}

// partialBackups lists the partial backup copies (store.IsPartialBackup)
// in the project folder and its data folder, relative to root.
func partialBackups(root string) []string {
	var out []string
	for _, sub := range []string{Dir, "."} {
		entries, _ := os.ReadDir(filepath.Join(root, sub))
		for _, e := range entries {
			if e.Type().IsRegular() && store.IsPartialBackup(e.Name()) {
				out = append(out, filepath.ToSlash(filepath.Join(sub, e.Name())))
			}
		}
	}
	return out
}
