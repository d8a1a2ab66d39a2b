package project

import (
	"context"
	"fmt"
	"strings"

	"github.com/tacit-qda/tacit/coding"
	"github.com/tacit-qda/tacit/index"
	"github.com/tacit-qda/tacit/store"
)

// CheckReport is the result of Check.
type CheckReport struct {
	Documents    int      `json:"documents"`
	Turns        int      `json:"turns"`
	Codings      int      `json:"codings"`
	IndexedTurns uint64   `json:"indexed_turns"`
	IndexFresh   bool     `json:"index_fresh"`
	Problems     []string `json:"problems"`
	storeProblem bool
	indexProblem bool
}

// RepairHint says what to do about the problems in r.
func RepairHint(r *CheckReport) string {
	switch {
	case r.storeProblem:
		return "the store itself is damaged: restore a backup of .tacit/tacit.db"
	case r.indexProblem:
		return "run 'tacit reindex' to rebuild the search index from the store"
	}
	return "see the problems above"
}

// Check verifies the store (pages, coding indexes, turns against texts,
// codings against texts) and the search index against the store. It does
// not repair anything.
func (p *Project) Check(ctx context.Context) (*CheckReport, error) {
	rep := &CheckReport{Problems: []string{}}
	var rev uint64
	turnsByDoc := map[uint64]int{}
	err := p.Store.View(func(tx *store.Tx) error {
		rev = tx.IndexRevision()
		for _, pr := range tx.Check() {
			rep.Problems = append(rep.Problems, pr)
			rep.storeProblem = true
		}
		docs, err := tx.Documents(true)
		if err != nil {
			return err
		}
		rep.Documents = len(docs)
		for _, d := range docs {
			if err := ctx.Err(); err != nil {
				return err
			}
			text, err := tx.Text(d.ID)
			if err != nil {
				rep.Problems = append(rep.Problems, fmt.Sprintf("document %s has no text", d.Name))
				rep.storeProblem = true
				continue
			}
			for _, pr := range coding.CheckTurns(text, d.Turns) {
				rep.Problems = append(rep.Problems, fmt.Sprintf("document %s: %s", d.Name, pr))
				rep.storeProblem = true
			}
			n := coding.RuneLen(text)
			if n != d.Chars {
				rep.Problems = append(rep.Problems, fmt.Sprintf("document %s: text has %d characters, the record says %d", d.Name, n, d.Chars))
				rep.storeProblem = true
			}
			rep.Turns += len(d.Turns)
			turnsByDoc[d.ID] = len(d.Turns)
			codings, err := tx.CodingsByDoc(d.ID)
			if err != nil {
				return err
			}
			for _, c := range codings {
				if c.Start < 0 || c.End > n || c.Start >= c.End {
					rep.Problems = append(rep.Problems, fmt.Sprintf("coding %d lies outside document %s (%d:%d of %d)", c.ID, d.Name, c.Start, c.End, n))
					rep.storeProblem = true
				}
			}
		}
		return tx.Codings(func(*coding.Coding) error { rep.Codings++; return nil })
	})
	if err != nil {
		return nil, err
	}
	x := p.idx
	if x == nil {
		x, err = index.Open(IndexPath(p.Root), index.Options{ReadOnly: true})
		if err != nil {
			if coding.ErrorKind(err) == coding.EInUse {
				return nil, err
			}
			rep.Problems = append(rep.Problems, "the search index cannot be opened: "+err.Error())
			rep.indexProblem = true
			return rep, nil
		}
		defer x.Close()
	}
	irev, mv, err := x.Revision()
	if err != nil {
		return nil, err
	}
	rep.IndexFresh = irev == rev && mv == index.MappingVersion
	if !rep.IndexFresh {
		rep.Problems = append(rep.Problems, fmt.Sprintf("the search index reflects revision %d (mapping %s) but the store is at %d (mapping %s)", irev, mv, rev, index.MappingVersion))
		rep.indexProblem = true
	}
	rep.IndexedTurns, err = x.DocCount()
	if err != nil {
		return nil, err
	}
	if rep.IndexedTurns != uint64(rep.Turns) {
		rep.Problems = append(rep.Problems, fmt.Sprintf("the search index holds %d turns, the store %d", rep.IndexedTurns, rep.Turns))
		rep.indexProblem = true
	}
	missing, err := x.MissingTurns(turnsByDoc, 20)
	if err != nil {
		return nil, err
	}
	if len(missing) > 0 {
		rep.Problems = append(rep.Problems, "turns missing from the search index: "+strings.Join(missing, ", "))
		rep.indexProblem = true
	}
	return rep, nil
}
