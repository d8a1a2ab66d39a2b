package project

import (
	"context"
	"strconv"
	"strings"

	"github.com/tacit-qda/tacit/coding"
	"github.com/tacit-qda/tacit/store"
)

// MemoTarget names what a memo is on: Kind is project, case, doc
// (document), code or coding; Ref names the case, document or code, or
// is the coding's id (empty for the project).
type MemoTarget struct {
	Kind string `json:"kind"`
	Ref  string `json:"ref,omitempty"`
}

// MemoKinds are the kinds of things a memo can be on.
var MemoKinds = []string{"project", "case", "doc", "code", "coding"}

// resolve finds the target in the store.
func (t MemoTarget) resolve(tx *store.Tx) (string, uint64, error) {
	switch strings.ToLower(t.Kind) {
	case "project":
		return coding.MemoProject, 0, nil
	case "case":
		c, err := tx.FindCase(t.Ref)
		if err != nil {
			return "", 0, err
		}
		return coding.MemoCase, c.ID, nil
	case "doc", "document":
		d, err := tx.FindDocument(t.Ref)
		if err != nil {
			return "", 0, err
		}
		return coding.MemoDoc, d.ID, nil
	case "code":
		cb, err := tx.Codes()
		if err != nil {
			return "", 0, err
		}
		c, err := cb.Resolve(t.Ref)
		if err != nil {
			return "", 0, err
		}
		return coding.MemoCode, c.ID, nil
	case "coding":
		id, err := strconv.ParseUint(strings.TrimPrefix(t.Ref, "#"), 10, 64)
		if err != nil {
			return "", 0, coding.Errorf(coding.EInvalid, "%q is not a coding id", t.Ref)
		}
		if _, err := tx.Coding(id); err != nil {
			return "", 0, err
		}
		return coding.MemoCoding, id, nil
	}
	return "", 0, coding.Errorf(coding.EInvalid, "a memo goes on project, case, doc, code or coding, not %q", t.Kind)
}

// MemoRow is a memo with the name of what it is on.
type MemoRow struct {
	*coding.Memo
	On string `json:"on"`
}

// AddMemoRequest adds a memo on a target.
type AddMemoRequest struct {
	Target MemoTarget `json:"target"`
	Title  string     `json:"title,omitempty"`
	Text   string     `json:"text"`
}

// AddMemo adds a memo.
func (p *Project) AddMemo(ctx context.Context, req AddMemoRequest) (*MemoRow, error) {
	var m coding.Memo
	var on string
	actor := p.actor(ctx)
	err := p.Store.Update(func(tx *store.Tx) error {
		target, id, err := req.Target.resolve(tx)
		if err != nil {
			return err
		}
		m = coding.Memo{Target: target, TargetID: id, Title: req.Title, Text: req.Text}
		if err := tx.AddMemo(actor, &m); err != nil {
			return err
		}
		on = tx.MemoTargetName(target, id)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &MemoRow{&m, on}, nil
}

// ListMemosRequest lists all memos, or those on one target.
type ListMemosRequest struct {
	Target *MemoTarget `json:"target,omitempty"`
}

// ListMemosResult lists memos.
type ListMemosResult struct {
	Memos []MemoRow `json:"memos"`
}

// ListMemos lists memos.
func (p *Project) ListMemos(ctx context.Context, req ListMemosRequest) (*ListMemosResult, error) {
	res := &ListMemosResult{Memos: []MemoRow{}}
	err := p.Store.View(func(tx *store.Tx) error {
		target, id := "", uint64(0)
		if req.Target != nil {
			var err error
			if target, id, err = req.Target.resolve(tx); err != nil {
				return err
			}
		}
		memos, err := tx.Memos(target, id)
		if err != nil {
			return err
		}
		for _, m := range memos {
			res.Memos = append(res.Memos, MemoRow{m, tx.MemoTargetName(m.Target, m.TargetID)})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// MemoRequest names a memo by id.
type MemoRequest struct {
	ID uint64 `json:"id"`
}

// ShowMemo returns one memo.
func (p *Project) ShowMemo(ctx context.Context, req MemoRequest) (*MemoRow, error) {
	var r MemoRow
	err := p.Store.View(func(tx *store.Tx) error {
		m, err := tx.Memo(req.ID)
		if err != nil {
			return err
		}
		r = MemoRow{m, tx.MemoTargetName(m.Target, m.TargetID)}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &r, nil
}

// EditMemoRequest replaces a memo's title and/or text (nil: unchanged).
type EditMemoRequest struct {
	ID    uint64  `json:"id"`
	Title *string `json:"title,omitempty"`
	Text  *string `json:"text,omitempty"`
}

// EditMemo changes a memo. (The result's On is empty.)
func (p *Project) EditMemo(ctx context.Context, req EditMemoRequest) (*MemoRow, error) {
	if req.Title == nil && req.Text == nil {
		return nil, coding.Errorf(coding.EInvalid, "nothing to change: give a new text or title")
	}
	var m *coding.Memo
	actor := p.actor(ctx)
	err := p.Store.Update(func(tx *store.Tx) error {
		var err error
		m, err = tx.EditMemo(actor, req.ID, req.Title, req.Text)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &MemoRow{Memo: m}, nil
}

// DeleteMemoResult names the deleted memo.
type DeleteMemoResult struct {
	Deleted uint64 `json:"deleted"`
}

// DeleteMemo deletes a memo.
func (p *Project) DeleteMemo(ctx context.Context, req MemoRequest) (*DeleteMemoResult, error) {
	var m *coding.Memo
	actor := p.actor(ctx)
	err := p.Store.Update(func(tx *store.Tx) error {
		var err error
		m, err = tx.RemoveMemo(actor, req.ID)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &DeleteMemoResult{Deleted: m.ID}, nil
}
