package project

import (
	"context"
	"strings"

	"github.com/tacit-qda/tacit/coding"
	"github.com/tacit-qda/tacit/store"
)

// CodeRow is one code in 'tacit code list --json'.
type CodeRow struct {
	Path        string `json:"path"`
	Name        string `json:"name"`
	ID          uint64 `json:"id"`
	GUID        string `json:"guid"`
	Parent      string `json:"parent"`
	ParentID    uint64 `json:"parent_id"`
	Description string `json:"description"`
	Color       string `json:"color"`
	Codings     int    `json:"codings"`
	Documents   int    `json:"documents"`
	// With the codings of every sub-code; documents counted once.
	CodingsTotal   int `json:"codings_with_sub_codes"`
	DocumentsTotal int `json:"documents_with_sub_codes"`
}

// AddCodeRequest adds a code by path; missing parents are created.
type AddCodeRequest struct {
	Path        string `json:"path"`
	Description string `json:"description,omitempty"`
	Color       string `json:"color,omitempty"`
}

// AddCodeResult lists the codes created, parents first.
type AddCodeResult struct {
	Codes []CodeRow `json:"codes"`
}

// AddCode adds a code (and its missing parents) in one transaction.
func (p *Project) AddCode(ctx context.Context, req AddCodeRequest) (*AddCodeResult, error) {
	var created []*coding.Code
	var paths []string
	actor := p.actor(ctx)
	err := p.Store.Update(func(tx *store.Tx) error {
		var err error
		_, created, err = tx.AddCode(actor, req.Path, req.Description, req.Color)
		if err != nil {
			return err
		}
		cb, err := tx.Codes()
		if err != nil {
			return err
		}
		for _, c := range created {
			paths = append(paths, cb.Path(c.ID))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	rows := make([]CodeRow, len(created))
	for i, c := range created {
		rows[i] = CodeRow{Path: paths[i], Name: c.Name, ID: c.ID, GUID: c.GUID, ParentID: c.ParentID,
			Description: c.Description, Color: c.Color}
		if i > 0 {
			rows[i].Parent = paths[i-1]
		} else if j := strings.LastIndex(paths[i], "/"); j >= 0 {
			rows[i].Parent = paths[i][:j]
		}
	}
	return &AddCodeResult{Codes: rows}, nil
}

// ListCodesRequest lists the codebook.
type ListCodesRequest struct{}

// ListCodesResult is the codebook in tree order (a parent before its
// children, siblings by name).
type ListCodesResult struct {
	Codes []CodeRow `json:"codes"`
}

// ListCodes lists the codebook with the codings and documents of each code.
func (p *Project) ListCodes(ctx context.Context, req ListCodesRequest) (*ListCodesResult, error) {
	res := &ListCodesResult{Codes: []CodeRow{}}
	err := p.Store.View(func(tx *store.Tx) error {
		cb, err := tx.Codes()
		if err != nil {
			return err
		}
		cb.Walk(func(c *coding.Code, depth int) {
			res.Codes = append(res.Codes, codeRow(tx, cb, c))
		})
		return nil
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// codeRow describes c with its counts, with and without sub-codes.
func codeRow(tx *store.Tx, cb *coding.Codebook, c *coding.Code) CodeRow {
	n, docs := tx.CodeCounts(c.ID)
	r := CodeRow{Path: cb.Path(c.ID), Name: c.Name, ID: c.ID, GUID: c.GUID, ParentID: c.ParentID,
		Description: c.Description, Color: c.Color, Codings: n, Documents: docs}
	// With sub-codes: codings add up; documents are a union.
	inDocs := map[uint64]bool{}
	for _, id := range cb.Descendants(c.ID) {
		r.CodingsTotal += tx.CountCodings(id)
		tx.CodeDocIDs(id, func(d uint64) { inDocs[d] = true })
	}
	r.DocumentsTotal = len(inDocs)
	if c.ParentID != 0 {
		r.Parent = cb.Path(c.ParentID)
	}
	return r
}
