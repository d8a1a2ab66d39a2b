package project

import (
	"context"
	"strings"
	"time"

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

// CodeRequest names one code by path or unique name.
type CodeRequest struct {
	Code string `json:"code"`
}

// CodeDetail is a code with its sub-codes and memos ('tacit code show').
type CodeDetail struct {
	CodeRow
	CreatedAt time.Time      `json:"created_at"`
	SubCodes  []string       `json:"sub_codes"`
	Memos     []*coding.Memo `json:"memos"`
}

// ShowCode describes one code.
func (p *Project) ShowCode(ctx context.Context, req CodeRequest) (*CodeDetail, error) {
	var out CodeDetail
	err := p.Store.View(func(tx *store.Tx) error {
		cb, c, err := resolveCode(tx, req.Code)
		if err != nil {
			return err
		}
		out = CodeDetail{CodeRow: codeRow(tx, cb, c), CreatedAt: c.CreatedAt, SubCodes: []string{}}
		for _, id := range cb.Children(c.ID) {
			out.SubCodes = append(out.SubCodes, cb.Path(id))
		}
		out.Memos, err = tx.Memos(coding.MemoCode, c.ID)
		out.Memos = nonNil(out.Memos)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// EditCodeRequest changes a code's description and/or colour; a nil field
// stays as it is, an empty one is cleared.
type EditCodeRequest struct {
	Code        string  `json:"code"`
	Description *string `json:"description,omitempty"`
	Color       *string `json:"color,omitempty"`
}

// EditCode changes a code's description or colour. The result has no
// counts.
func (p *Project) EditCode(ctx context.Context, req EditCodeRequest) (*CodeRow, error) {
	if req.Description == nil && req.Color == nil {
		return nil, coding.Errorf(coding.EInvalid, "nothing to change: give a description or a colour")
	}
	var path string
	var c *coding.Code
	actor := p.actor(ctx)
	err := p.Store.Update(func(tx *store.Tx) error {
		cb, code, err := resolveCode(tx, req.Code)
		if err != nil {
			return err
		}
		path = cb.Path(code.ID)
		c, err = tx.EditCode(actor, code.ID, req.Description, req.Color)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &CodeRow{Path: path, Name: c.Name, ID: c.ID, GUID: c.GUID, ParentID: c.ParentID, Description: c.Description, Color: c.Color}, nil
}

// PlaceResult says where a renamed or moved code was and is.
type PlaceResult struct {
	ID   uint64 `json:"id"`
	From string `json:"from"`
	Path string `json:"path"`
}

// RenameCodeRequest renames a code; a full new path also moves it.
type RenameCodeRequest struct {
	Code string `json:"code"`
	New  string `json:"new"`
}

// RenameCode renames (and with a path, moves) a code; codings stay with it.
func (p *Project) RenameCode(ctx context.Context, req RenameCodeRequest) (*PlaceResult, error) {
	res := &PlaceResult{}
	actor := p.actor(ctx)
	err := p.Store.Update(func(tx *store.Tx) error {
		cb, c, err := resolveCode(tx, req.Code)
		if err != nil {
			return err
		}
		res.From, res.ID = cb.Path(c.ID), c.ID
		if _, err := tx.RenameCode(actor, c.ID, req.New); err != nil {
			return err
		}
		cb, err = tx.Codes()
		res.Path = cb.Path(c.ID)
		return err
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// MoveCodeRequest moves a code under another parent, or to the top with
// Root.
type MoveCodeRequest struct {
	Code   string `json:"code"`
	Parent string `json:"parent,omitempty"`
	Root   bool   `json:"root,omitempty"`
}

// MoveCode moves a code with its sub-codes and codings.
func (p *Project) MoveCode(ctx context.Context, req MoveCodeRequest) (*PlaceResult, error) {
	if (req.Parent == "") != req.Root {
		return nil, coding.Errorf(coding.EInvalid, "give either a new parent or the top level, not both or neither")
	}
	res := &PlaceResult{}
	actor := p.actor(ctx)
	err := p.Store.Update(func(tx *store.Tx) error {
		cb, c, err := resolveCode(tx, req.Code)
		if err != nil {
			return err
		}
		res.From, res.ID = cb.Path(c.ID), c.ID
		var parent uint64
		if !req.Root {
			pc, err := cb.Resolve(req.Parent)
			if err != nil {
				return err
			}
			parent = pc.ID
		}
		if _, err := tx.MoveCode(actor, c.ID, parent); err != nil {
			return err
		}
		cb, err = tx.Codes()
		res.Path = cb.Path(c.ID)
		return err
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// MergeCodeRequest merges code From into code Into.
type MergeCodeRequest struct {
	From string `json:"from"`
	Into string `json:"into"`
}

// MergeCodeResult counts what a merge moved and collapsed.
type MergeCodeResult = store.MergeResult

// MergeCode merges one code into another: codings re-pointed, duplicates
// collapsed, memos and sub-codes moved, the source deleted.
func (p *Project) MergeCode(ctx context.Context, req MergeCodeRequest) (*MergeCodeResult, error) {
	var res *store.MergeResult
	actor := p.actor(ctx)
	err := p.Store.Update(func(tx *store.Tx) error {
		cb, from, err := resolveCode(tx, req.From)
		if err != nil {
			return err
		}
		into, err := cb.Resolve(req.Into)
		if err != nil {
			return err
		}
		res, err = tx.MergeCode(actor, from.ID, into.ID)
		return err
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// DeleteCodeRequest deletes a code; one with codings or sub-codes only
// with Force (which deletes them too).
type DeleteCodeRequest struct {
	Code  string `json:"code"`
	Force bool   `json:"force,omitempty"`
}

// DeleteCodeResult counts what a delete removed.
type DeleteCodeResult = store.DeleteResult

// DeleteCode deletes a code.
func (p *Project) DeleteCode(ctx context.Context, req DeleteCodeRequest) (*DeleteCodeResult, error) {
	var res *store.DeleteResult
	actor := p.actor(ctx)
	err := p.Store.Update(func(tx *store.Tx) error {
		_, c, err := resolveCode(tx, req.Code)
		if err != nil {
			return err
		}
		res, err = tx.DeleteCodeTree(actor, c.ID, req.Force)
		return err
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// ExportCodebookRequest asks for the codebook as a file's bytes.
type ExportCodebookRequest struct {
	// Format is "json" or "yaml".
	Format string `json:"format"`
}

// ExportCodebookResult holds the codebook file.
type ExportCodebookResult struct {
	Format string `json:"format"`
	Data   []byte `json:"data"`
}

// ExportCodebook writes the codebook as YAML or JSON.
func (p *Project) ExportCodebook(ctx context.Context, req ExportCodebookRequest) (*ExportCodebookResult, error) {
	if req.Format != "json" && req.Format != "yaml" {
		return nil, coding.Errorf(coding.EInvalid, "a codebook is exported as json or yaml, not %q", req.Format)
	}
	res := &ExportCodebookResult{Format: req.Format}
	err := p.Store.View(func(tx *store.Tx) error {
		cb, err := tx.Codes()
		if err != nil {
			return err
		}
		res.Data, err = coding.ExportCodebook(cb).Marshal(req.Format)
		return err
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// ImportCodebookRequest merges a codebook file (its bytes) into the
// project's.
type ImportCodebookRequest struct {
	// Name is the file's name, for messages and to tell the format.
	Name string `json:"name"`
	// Format is "json", "yaml" or empty (from the name, else detected).
	Format string `json:"format,omitempty"`
	Data   []byte `json:"data"`
}

// ImportCodebookResult counts the codes created, updated and unchanged.
// A REFI-QDA codebook's sets (tacit has no code sets) and nameless codes
// are listed in NotImported, each with its reason.
type ImportCodebookResult struct {
	store.ImportResult
	NotImported []string `json:"not_imported,omitempty"`
}

// ImportCodebook merges a codebook into the project's: codes matched by
// GUID, else path; missing ones created; nothing deleted or moved.
func (p *Project) ImportCodebook(ctx context.Context, req ImportCodebookRequest) (*ImportCodebookResult, error) {
	format := req.Format
	if format == "" {
		format = coding.FormatFromName(req.Name)
	}
	var flat []coding.FlatCode
	var notImported []string
	var err error
	if format == "qdc" || (format == "" && looksXML(req.Data)) {
		flat, notImported, err = qdcFlatCodes(req.Data)
	} else {
		flat, err = coding.ParseCodebook(req.Data, format)
	}
	if err != nil {
		return nil, coding.Errorf(coding.EInvalid, "%s: %s", req.Name, err.Error())
	}
	var res *store.ImportResult
	actor := p.actor(ctx)
	err = p.Store.Update(func(tx *store.Tx) error {
		res, err = tx.ImportCodebook(actor, flat)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &ImportCodebookResult{ImportResult: *res, NotImported: notImported}, nil
}

// resolveCode reads the codebook and resolves ref (a code's path, name or
// id) in it, the two steps every operation on one code begins with.
func resolveCode(tx *store.Tx, ref string) (*coding.Codebook, *coding.Code, error) {
	cb, err := tx.Codes()
	if err != nil {
		return nil, nil, err
	}
	c, err := cb.Resolve(ref)
	if err != nil {
		return nil, nil, err
	}
	return cb, c, nil
}
