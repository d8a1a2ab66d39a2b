package project

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/tacit-qda/tacit/coding"
	"github.com/tacit-qda/tacit/store"
)

// Corrections: delete, move and rename documents and cases. Each is one
// store transaction with its audit event, undoable with 'tacit undo', and
// keeps the search index in step.

// indexChange is what a correction did to the documents the index holds.
type indexChange struct {
	reindex []uint64       // documents whose turns must be (re)written
	drop    map[uint64]int // documents whose first n turns must go
}

// changeIndexed runs fn in one store transaction, with the index made
// fresh before, then updates the index for the documents fn names. If
// the index update fails the store change stands; the index is rebuilt
// on next use.
func (p *Project) changeIndexed(ctx context.Context, fn func(tx *store.Tx) (indexChange, error)) error {
	x, err := p.Index(ctx)
	if err != nil {
		return err
	}
	var ch indexChange
	if err := p.Store.Update(func(tx *store.Tx) error {
		var err error
		ch, err = fn(tx)
		return err
	}); err != nil {
		return err
	}
	w := x.NewWriter()
	for id, n := range ch.drop {
		w.Delete(id, n)
	}
	var rev uint64
	err = p.Store.View(func(tx *store.Tx) error {
		rev = tx.IndexRevision()
		list := make([]*coding.Document, 0, len(ch.reindex))
		for _, id := range ch.reindex {
			d, err := tx.Document(id)
			if err != nil {
				return err
			}
			list = append(list, d)
		}
		return sources(tx, list, w.Add, nil)
	})
	if err != nil {
		return err
	}
	return w.Commit(rev)
}

// DeleteDocumentRequest names the document to delete.
type DeleteDocumentRequest struct {
	Doc   string `json:"doc"`
	Force bool   `json:"force"` // go on although codings would go
}

// DeleteDocumentResult says what went with the document.
type DeleteDocumentResult struct {
	ID       uint64 `json:"id"`
	Name     string `json:"name"`
	Codings  int    `json:"codings"`
	Memos    int    `json:"memos"`
	Versions int    `json:"versions"`
	Event    uint64 `json:"event"`
}

// DeleteDocument removes a document with its text, turns, codings, memos,
// earlier versions and index entries. It refuses, saying how many codings
// would go, when the document has codings and req.Force is not set.
func (p *Project) DeleteDocument(ctx context.Context, req DeleteDocumentRequest) (*DeleteDocumentResult, error) {
	res := &DeleteDocumentResult{}
	err := p.changeIndexed(ctx, func(tx *store.Tx) (indexChange, error) {
		d, err := tx.FindDocument(req.Doc)
		if err != nil {
			return indexChange{}, err
		}
		res.ID, res.Name = d.ID, d.Name
		res.Codings = tx.CountDocCodings(d.ID)
		if res.Codings > 0 && !req.Force {
			return indexChange{}, &coding.Error{Kind: coding.EConflict, Message: fmt.Sprintf("document %s has %d codings that would be deleted with it", d.Name, res.Codings), Next: coding.NextDocHasCodings}
		}
		memos, err := tx.Memos(coding.MemoDoc, d.ID)
		if err != nil {
			return indexChange{}, err
		}
		res.Memos = len(memos)
		vs, err := tx.Versions(d.ID)
		if err != nil {
			return indexChange{}, err
		}
		res.Versions = len(vs)
		if err := tx.DeleteDocument(d.ID); err != nil {
			return indexChange{}, err
		}
		ev := &coding.Event{Actor: p.actor(ctx), Action: store.ActionDocRemove, Target: fmt.Sprintf("doc:%d", d.ID),
			Summary: fmt.Sprintf("deleted document %s with %d codings and %d memos", d.Name, res.Codings, res.Memos)}
		if err := tx.Log(ev); err != nil {
			return indexChange{}, err
		}
		res.Event = ev.ID
		return indexChange{drop: map[uint64]int{d.ID: len(d.Turns)}}, nil
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// MoveDocumentRequest places a document in a case, or in none.
type MoveDocumentRequest struct {
	Doc    string `json:"doc"`
	Case   string `json:"case"`    // created if new
	NoCase bool   `json:"no_case"` // take it out of its case
}

// MoveDocumentResult says where the document was and is.
type MoveDocumentResult struct {
	ID        uint64 `json:"id"`
	Name      string `json:"name"`
	From      string `json:"from"`
	To        string `json:"to"`
	CaseAdded bool   `json:"case_added"`
	Event     uint64 `json:"event"`
}

// MoveDocument moves a document to another case (created when new) or
// out of any case.
func (p *Project) MoveDocument(ctx context.Context, req MoveDocumentRequest) (*MoveDocumentResult, error) {
	if req.NoCase == (strings.TrimSpace(req.Case) != "") {
		return nil, &coding.Error{Kind: coding.EInvalid, Message: "name the case to move the document to, or take it out of its case", Next: coding.NextMoveDocTo}
	}
	res := &MoveDocumentResult{}
	err := p.changeIndexed(ctx, func(tx *store.Tx) (indexChange, error) {
		d, err := tx.FindDocument(req.Doc)
		if err != nil {
			return indexChange{}, err
		}
		res.ID, res.Name = d.ID, d.Name
		if d.CaseID != 0 {
			c, err := tx.Case(d.CaseID)
			if err != nil {
				return indexChange{}, err
			}
			res.From = c.Name
		}
		var to uint64
		if !req.NoCase {
			c, added, err := tx.EnsureCase(req.Case)
			if err != nil {
				return indexChange{}, err
			}
			to, res.To, res.CaseAdded = c.ID, c.Name, added
		}
		if to == d.CaseID {
			return indexChange{}, coding.Errorf(coding.EInvalid, "document %s is in %s already", d.Name, caseLabel(res.From))
		}
		if _, err := tx.SetDocumentCase(d.ID, to); err != nil {
			return indexChange{}, err
		}
		ev := &coding.Event{Actor: p.actor(ctx), Action: store.ActionDocMove, Target: fmt.Sprintf("doc:%d", d.ID),
			Summary: fmt.Sprintf("moved document %s from %s to %s", d.Name, caseLabel(res.From), caseLabel(res.To))}
		if err := tx.Log(ev); err != nil {
			return indexChange{}, err
		}
		res.Event = ev.ID
		return indexChange{reindex: []uint64{d.ID}}, nil
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

func caseLabel(name string) string {
	if name == "" {
		return "no case"
	}
	return fmt.Sprintf("case %q", name)
}

// RenameDocumentRequest names a document and its new name.
type RenameDocumentRequest struct {
	Doc     string `json:"doc"`
	NewName string `json:"new_name"`
}

// RenameResult says what was renamed.
type RenameResult struct {
	ID      uint64 `json:"id"`
	OldName string `json:"old_name"`
	NewName string `json:"new_name"`
	Event   uint64 `json:"event"`
}

// RenameDocument gives a document a new name (free, not a number).
func (p *Project) RenameDocument(ctx context.Context, req RenameDocumentRequest) (*RenameResult, error) {
	res := &RenameResult{}
	err := p.changeIndexed(ctx, func(tx *store.Tx) (indexChange, error) {
		d, err := tx.FindDocument(req.Doc)
		if err != nil {
			return indexChange{}, err
		}
		res.ID, res.OldName = d.ID, d.Name
		nd, err := tx.RenameDocument(d.ID, req.NewName)
		if err != nil {
			return indexChange{}, err
		}
		res.NewName = nd.Name
		ev := &coding.Event{Actor: p.actor(ctx), Action: store.ActionDocRename, Target: fmt.Sprintf("doc:%d", d.ID),
			Summary: fmt.Sprintf("renamed document %s to %s", res.OldName, res.NewName)}
		if err := tx.Log(ev); err != nil {
			return indexChange{}, err
		}
		res.Event = ev.ID
		return indexChange{reindex: []uint64{d.ID}}, nil
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// docsOfCase returns the ids of the documents in a case.
func docsOfCase(tx *store.Tx, caseID uint64) ([]uint64, []string, error) {
	docs, err := tx.Documents(false)
	if err != nil {
		return nil, nil, err
	}
	var ids []uint64
	var names []string
	for _, d := range docs {
		if d.CaseID == caseID {
			ids = append(ids, d.ID)
			names = append(names, d.Name)
		}
	}
	return ids, names, nil
}

// RenameCaseRequest names a case and its new name.
type RenameCaseRequest struct {
	Case    string `json:"case"`
	NewName string `json:"new_name"`
}

// RenameCase gives a case a new name that no other case has.
func (p *Project) RenameCase(ctx context.Context, req RenameCaseRequest) (*RenameResult, error) {
	res := &RenameResult{}
	err := p.changeIndexed(ctx, func(tx *store.Tx) (indexChange, error) {
		c, err := tx.FindCase(req.Case)
		if err != nil {
			return indexChange{}, err
		}
		res.ID, res.OldName = c.ID, c.Name
		nc, err := tx.RenameCase(c.ID, req.NewName)
		if err != nil {
			return indexChange{}, err
		}
		res.NewName = nc.Name
		ev := &coding.Event{Actor: p.actor(ctx), Action: store.ActionCaseRename, Target: fmt.Sprintf("case:%d", c.ID),
			Summary: fmt.Sprintf("renamed case %q to %q", res.OldName, res.NewName)}
		if err := tx.Log(ev); err != nil {
			return indexChange{}, err
		}
		res.Event = ev.ID
		ids, _, err := docsOfCase(tx, c.ID)
		return indexChange{reindex: ids}, err
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// MergeCasesRequest names the case to merge and the one it goes into.
type MergeCasesRequest struct {
	From string `json:"from"`
	Into string `json:"into"`
}

// MergeCasesResult says what moved.
type MergeCasesResult struct {
	From      string   `json:"from"`
	Into      string   `json:"into"`
	Documents []string `json:"documents"`
	Memos     int      `json:"memos"`
	// Attributes of FROM that INTO did not have, now on INTO.
	AttrsAdded []string `json:"attributes_added"`
	// Attributes both had with other values: INTO's value is kept.
	AttrsKept []string `json:"attributes_kept"`
	Event     uint64   `json:"event"`
}

// MergeCases moves every document and memo of one case into another,
// adds the attributes the other lacks, and removes the first case.
func (p *Project) MergeCases(ctx context.Context, req MergeCasesRequest) (*MergeCasesResult, error) {
	res := &MergeCasesResult{Documents: []string{}, AttrsAdded: []string{}, AttrsKept: []string{}}
	err := p.changeIndexed(ctx, func(tx *store.Tx) (indexChange, error) {
		from, err := tx.FindCase(req.From)
		if err != nil {
			return indexChange{}, err
		}
		into, err := tx.FindCase(req.Into)
		if err != nil {
			return indexChange{}, err
		}
		if from.ID == into.ID {
			return indexChange{}, coding.Errorf(coding.EInvalid, "cannot merge case %q into itself", from.Name)
		}
		res.From, res.Into = from.Name, into.Name
		ids, names, err := docsOfCase(tx, from.ID)
		if err != nil {
			return indexChange{}, err
		}
		for _, id := range ids {
			if _, err := tx.SetDocumentCase(id, into.ID); err != nil {
				return indexChange{}, err
			}
		}
		res.Documents = append(res.Documents, names...)
		if res.Memos, err = tx.RetargetMemos(coding.MemoCase, from.ID, into.ID); err != nil {
			return indexChange{}, err
		}
		changed := false
		for _, k := range sortedKeys(from.Attrs) {
			v := from.Attrs[k]
			if have, ok := into.Attrs[k]; ok {
				if have != v {
					res.AttrsKept = append(res.AttrsKept, fmt.Sprintf("%s=%s (not %s)", k, have, v))
				}
				continue
			}
			if into.Attrs == nil {
				into.Attrs = map[string]string{}
			}
			into.Attrs[k] = v
			res.AttrsAdded = append(res.AttrsAdded, k+"="+v)
			changed = true
		}
		if changed {
			if err := tx.PutCase(into); err != nil {
				return indexChange{}, err
			}
		}
		if _, err := tx.DeleteCase(from.ID); err != nil {
			return indexChange{}, err
		}
		ev := &coding.Event{Actor: p.actor(ctx), Action: store.ActionCaseMerge, Target: fmt.Sprintf("case:%d", into.ID),
			Summary: fmt.Sprintf("merged case %q into %q (%d documents, %d memos)", from.Name, into.Name, len(ids), res.Memos)}
		if err := tx.Log(ev); err != nil {
			return indexChange{}, err
		}
		res.Event = ev.ID
		return indexChange{reindex: ids}, nil
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// DeleteCaseRequest names the case to remove.
type DeleteCaseRequest struct {
	Case  string `json:"case"`
	Force bool   `json:"force"` // go on although it holds documents (they are left in no case)
}

// DeleteCaseResult says what the removal touched.
type DeleteCaseResult struct {
	ID        uint64   `json:"id"`
	Name      string   `json:"name"`
	Documents []string `json:"documents"` // now in no case
	Memos     int      `json:"memos"`     // deleted with the case
	Event     uint64   `json:"event"`
}

// DeleteCase removes a case. It refuses while the case holds documents
// unless req.Force is set; the documents then stay, in no case.
func (p *Project) DeleteCase(ctx context.Context, req DeleteCaseRequest) (*DeleteCaseResult, error) {
	res := &DeleteCaseResult{Documents: []string{}}
	err := p.changeIndexed(ctx, func(tx *store.Tx) (indexChange, error) {
		c, err := tx.FindCase(req.Case)
		if err != nil {
			return indexChange{}, err
		}
		res.ID, res.Name = c.ID, c.Name
		ids, names, err := docsOfCase(tx, c.ID)
		if err != nil {
			return indexChange{}, err
		}
		if len(ids) > 0 && !req.Force {
			return indexChange{}, &coding.Error{Kind: coding.EConflict, Message: fmt.Sprintf("case %q holds %d documents (%s)", c.Name, len(ids), strings.Join(names, ", ")), Next: coding.NextCaseHoldsDocs}
		}
		for _, id := range ids {
			if _, err := tx.SetDocumentCase(id, 0); err != nil {
				return indexChange{}, err
			}
		}
		res.Documents = append(res.Documents, names...)
		memos, err := tx.DeleteCase(c.ID)
		if err != nil {
			return indexChange{}, err
		}
		res.Memos = len(memos)
		ev := &coding.Event{Actor: p.actor(ctx), Action: store.ActionCaseRemove, Target: fmt.Sprintf("case:%d", c.ID),
			Summary: fmt.Sprintf("removed case %q (%d documents left in no case, %d memos deleted)", c.Name, len(ids), res.Memos)}
		if err := tx.Log(ev); err != nil {
			return indexChange{}, err
		}
		res.Event = ev.ID
		return indexChange{reindex: ids}, nil
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

func sortedKeys(m map[string]string) []string { return slices.Sorted(maps.Keys(m)) }
