package project

import (
	"context"
	"sort"
	"time"

	"github.com/tacit-qda/tacit/coding"
	"github.com/tacit-qda/tacit/store"
)

// DocsRequest lists documents, all or those of one case (id or name).
type DocsRequest struct {
	Case string `json:"case,omitempty"`
}

// DocRow is one document in 'tacit docs --json'.
type DocRow struct {
	ID         uint64            `json:"id"`
	Name       string            `json:"name"`
	Case       string            `json:"case"`
	Format     string            `json:"format"`
	Encoding   string            `json:"encoding"`
	Lang       string            `json:"lang"`
	Turns      int               `json:"turns"`
	Speakers   []string          `json:"speakers"`
	Chars      int               `json:"chars"`
	Codings    int               `json:"codings"`
	Attributes map[string]string `json:"attributes"`
	ImportedAt time.Time         `json:"imported_at"`
}

// DocsResult lists documents by name.
type DocsResult struct {
	Documents []DocRow `json:"documents"`
}

// Docs lists the documents.
func (p *Project) Docs(ctx context.Context, req DocsRequest) (*DocsResult, error) {
	res := &DocsResult{Documents: []DocRow{}}
	err := p.Store.View(func(tx *store.Tx) error {
		docs, err := tx.Documents(true)
		if err != nil {
			return err
		}
		cases, err := tx.CaseNames()
		if err != nil {
			return err
		}
		var only uint64
		if req.Case != "" {
			c, err := tx.FindCase(req.Case)
			if err != nil {
				return err
			}
			only = c.ID
		}
		for _, d := range docs {
			if only != 0 && d.CaseID != only {
				continue
			}
			attrs := d.Attrs
			if attrs == nil {
				attrs = map[string]string{}
			}
			res.Documents = append(res.Documents, DocRow{ID: d.ID, Name: d.Name, Case: cases[d.CaseID], Format: d.Format,
				Encoding: d.Encoding, Lang: d.Lang, Turns: len(d.Turns), Speakers: nonNil(d.Speakers()),
				Chars: d.Chars, Codings: tx.CountDocCodings(d.ID), Attributes: attrs, ImportedAt: d.ImportedAt})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// ShowRequest asks for one document (id or name) with its turns and
// codings.
type ShowRequest struct {
	Doc string `json:"doc"`
}

// ShowTurn is one turn of a shown document.
type ShowTurn struct {
	Index     int      `json:"index"`
	Speaker   string   `json:"speaker"`
	Role      string   `json:"role"`
	Start     int      `json:"start"`
	End       int      `json:"end"`
	Text      string   `json:"text"`
	TimeStart *float64 `json:"time_start,omitempty"`
	TimeEnd   *float64 `json:"time_end,omitempty"`
	// Header marks turn 0 made of the text before the first spoken turn.
	Header bool `json:"header,omitempty"`
	// Codings are the ids of the codings that overlap the turn.
	Codings []uint64 `json:"codings"`
}

// ShowCoding is one coding of a shown document.
type ShowCoding struct {
	ID     uint64 `json:"id"`
	Code   string `json:"code"`
	Coder  string `json:"coder"`
	Start  int    `json:"start"`
	End    int    `json:"end"`
	Text   string `json:"text"`
	Memo   string `json:"memo,omitempty"`
	Origin string `json:"origin"`
}

// ShowResult is a document as 'tacit show --json' prints it.
type ShowResult struct {
	ID         uint64            `json:"id"`
	Name       string            `json:"name"`
	Case       string            `json:"case"`
	Format     string            `json:"format"`
	Encoding   string            `json:"encoding"`
	Lang       string            `json:"lang"`
	SourcePath string            `json:"source_path"`
	SourceHash string            `json:"source_hash"`
	Attributes map[string]string `json:"attributes"`
	Warnings   []string          `json:"warnings"`
	Text       string            `json:"text"`
	Turns      []ShowTurn        `json:"turns"`
	Codings    []ShowCoding      `json:"codings"`
}

// Show returns a document turn by turn with its codings.
func (p *Project) Show(ctx context.Context, req ShowRequest) (*ShowResult, error) {
	var out *ShowResult
	err := p.Store.View(func(tx *store.Tx) error {
		d, err := tx.FindDocument(req.Doc)
		if err != nil {
			return err
		}
		out, err = buildShow(tx, d)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func secs(d time.Duration) *float64 {
	f := d.Seconds()
	return &f
}

func buildShow(tx *store.Tx, d *coding.Document) (*ShowResult, error) {
	text, err := tx.Text(d.ID)
	if err != nil {
		return nil, err
	}
	roles, err := tx.Roles()
	if err != nil {
		return nil, err
	}
	caseName := ""
	if d.CaseID != 0 {
		if c, err := tx.Case(d.CaseID); err == nil {
			caseName = c.Name
		}
	}
	cb, err := tx.Codes()
	if err != nil {
		return nil, err
	}
	codings, err := tx.CodingsByDoc(d.ID)
	if err != nil {
		return nil, err
	}
	sort.Slice(codings, func(i, j int) bool {
		if codings[i].Start != codings[j].Start {
			return codings[i].Start < codings[j].Start
		}
		return codings[i].ID < codings[j].ID
	})
	off := coding.NewOffsets(text)
	attrs := d.Attrs
	if attrs == nil {
		attrs = map[string]string{}
	}
	out := &ShowResult{ID: d.ID, Name: d.Name, Case: caseName, Format: d.Format, Encoding: d.Encoding, Lang: d.Lang,
		SourcePath: d.SourcePath, SourceHash: d.SourceHash, Attributes: attrs, Warnings: nonNil(d.Warnings), Text: text,
		Turns: []ShowTurn{}, Codings: []ShowCoding{}}
	for _, t := range d.Turns {
		st := ShowTurn{Index: t.Index, Speaker: t.Speaker, Role: roles.TurnRole(d, t), Start: t.Start, End: t.End,
			Text: off.Slice(t.Start, t.End), Header: t.Header, Codings: []uint64{}}
		if t.HasTime {
			st.TimeStart, st.TimeEnd = secs(t.TimeStart), secs(t.TimeEnd)
		}
		for _, c := range codings {
			if c.Start < t.End && c.End > t.Start {
				st.Codings = append(st.Codings, c.ID)
			}
		}
		out.Turns = append(out.Turns, st)
	}
	for _, c := range codings {
		out.Codings = append(out.Codings, ShowCoding{ID: c.ID, Code: cb.Path(c.CodeID), Coder: c.Coder, Start: c.Start, End: c.End,
			Text: off.Slice(c.Start, c.End), Memo: c.Memo, Origin: c.Origin})
	}
	return out, nil
}

// nonNil returns an empty slice for nil, so JSON prints [].
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
