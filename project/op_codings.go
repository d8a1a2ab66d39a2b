package project

import (
	"context"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/tacit-qda/tacit/coding"
	"github.com/tacit-qda/tacit/store"
)

// CodingsRequest selects coded passages. Empty fields select everything.
type CodingsRequest struct {
	// Code selects a code and its sub-codes (only the code with Exact).
	Code  string `json:"code,omitempty"`
	Exact bool   `json:"exact,omitempty"`
	// Doc and Case are an id or name.
	Doc   string `json:"doc,omitempty"`
	Case  string `json:"case,omitempty"`
	Coder string `json:"coder,omitempty"`
	// Coders are more coders (any of them, with Coder).
	Coders  []string `json:"coders,omitempty"`
	Speaker string   `json:"speaker,omitempty"`
	Role    string   `json:"role,omitempty"`
	// Attrs are key=value pairs that must all hold on the document or its
	// case (the document's own value wins).
	Attrs map[string]string `json:"attrs,omitempty"`
	// Langs keeps the documents in these languages.
	Langs []string `json:"langs,omitempty"`
	// Context is the number of code points of context on each side
	// (Before, After of each row).
	Context int `json:"context,omitempty"`
}

// CodingRecord is one coding as 'tacit codings --json' and 'tacit export
// codings' print it, and as CodingsCSVHeader names its columns.
type CodingRecord struct {
	ID        uint64    `json:"id"`
	Doc       uint64    `json:"doc"`
	DocName   string    `json:"doc_name"`
	Case      string    `json:"case"`
	Code      string    `json:"code"`
	Coder     string    `json:"coder"`
	Start     int       `json:"start"`
	End       int       `json:"end"`
	Text      string    `json:"text"`
	Speaker   string    `json:"speaker"`
	Role      string    `json:"role"`
	Memo      string    `json:"memo"`
	Origin    string    `json:"origin"`
	CreatedAt time.Time `json:"created_at"`
}

// CodingsCSVHeader is the header of the codings table (CodingRecord.CSV).
var CodingsCSVHeader = []string{"id", "doc", "doc_name", "case", "code", "coder", "start", "end", "text", "speaker", "role", "memo", "origin", "created_at"}

// CSV is the record as a row under CodingsCSVHeader.
func (r *CodingRecord) CSV() []string {
	return []string{strconv.FormatUint(r.ID, 10), strconv.FormatUint(r.Doc, 10), r.DocName, r.Case, r.Code, r.Coder,
		strconv.Itoa(r.Start), strconv.Itoa(r.End), r.Text, r.Speaker, r.Role, r.Memo, r.Origin, r.CreatedAt.Format(time.RFC3339)}
}

// CodingRow is one coded passage: its record, then the turn it starts in
// and a little context for listings.
type CodingRow struct {
	CodingRecord
	// Turn is the index of the turn the passage starts in (-1: none).
	Turn   int    `json:"turn"`
	Before string `json:"before,omitempty"`
	After  string `json:"after,omitempty"`
}

// CodingsResult holds the selected passages, by case, document and offset.
type CodingsResult struct {
	Codings []CodingRow `json:"codings"`
}

// Codings lists the coded passages that pass the request's filters.
func (p *Project) Codings(ctx context.Context, req CodingsRequest) (*CodingsResult, error) {
	var rows []CodingRow
	err := p.Store.View(func(tx *store.Tx) error {
		var err error
		rows, err = collectCodings(tx, &req)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &CodingsResult{Codings: rows}, nil
}

// Selection is the request's filters as the shared Selection.
func (f *CodingsRequest) Selection() Selection {
	one := func(s string) []string {
		if strings.TrimSpace(s) == "" {
			return nil
		}
		return []string{s}
	}
	return Selection{Docs: one(f.Doc), Cases: one(f.Case), Speakers: one(f.Speaker), Roles: one(f.Role),
		Attrs: f.Attrs, Langs: f.Langs, Codes: one(f.Code), ExactCodes: f.Exact, Coders: append(one(f.Coder), f.Coders...)}
}

// collectCodings reads the codings that pass f, touching only the codings
// of the selected codes or document when one is given.
func collectCodings(tx *store.Tx, f *CodingsRequest) ([]CodingRow, error) {
	sf := f.Selection()
	sel, err := sf.resolveNames(tx)
	if err != nil {
		return nil, err
	}
	cb := sel.codebook
	var list []coding.Coding
	var docOnly uint64
	if len(sf.Docs) == 1 {
		for id := range sel.docPass {
			docOnly = id
		}
	}
	switch {
	case docOnly != 0:
		cs, err := tx.CodingsByDoc(docOnly)
		if err != nil {
			return nil, err
		}
		list = cs
	case sel.codeIDs != nil:
		for id := range sel.codeIDs {
			cs, err := tx.CodingsByCode(id)
			if err != nil {
				return nil, err
			}
			list = append(list, cs...)
		}
	default:
		if err := tx.Codings(func(c *coding.Coding) error { list = append(list, *c); return nil }); err != nil {
			return nil, err
		}
	}
	roles := sel.roleMap
	docs := map[uint64]*coding.Document{}
	headers := map[uint64]bool{} // documents whose turn 0 is the header unit
	rows := make([]CodingRow, 0, len(list))
	// The passages are cut per document, in one pass over its text; byDoc
	// holds the rows of each document.
	byDoc := map[uint64][]int{}
	var docOrder []uint64
	for _, c := range list {
		if !sel.codeOK(c.CodeID) || !sel.coderOK(c.Coder) {
			continue
		}
		d := docs[c.DocID]
		if d == nil {
			if d, err = tx.DocumentMeta(c.DocID); err != nil {
				return nil, err
			}
			docs[c.DocID] = d
			if headers[d.ID], err = tx.HeaderTurn(d.ID); err != nil {
				return nil, err
			}
		}
		if !sel.docOK(d) {
			continue
		}
		cs := sel.caseByID[d.CaseID]
		// The turn the passage starts in, else the first it overlaps.
		turn, sp, err := tx.TurnOf(d.ID, c.Start, c.End)
		if err != nil {
			return nil, err
		}
		// The header unit (the text before the first spoken turn) has no
		// speaker and no role, as in search.
		header := turn == 0 && headers[d.ID]
		if header && (sel.speakers != nil || sel.roles != nil) || !header && !sel.speakerOK(d, sp) {
			continue
		}
		role := roles.TurnRole(d, coding.Turn{Speaker: sp, Header: header})
		r := CodingRow{CodingRecord: CodingRecord{ID: c.ID, Doc: d.ID, DocName: d.Name, Code: cb.Path(c.CodeID), Coder: c.Coder,
			Start: c.Start, End: c.End, Speaker: sp, Role: role, Memo: c.Memo, Origin: c.Origin,
			CreatedAt: c.CreatedAt}, Turn: turn}
		if cs != nil {
			r.Case = cs.Name
		}
		if byDoc[d.ID] == nil {
			docOrder = append(docOrder, d.ID)
		}
		byDoc[d.ID] = append(byDoc[d.ID], len(rows))
		rows = append(rows, r)
	}
	var spans []coding.Span
	for _, id := range docOrder {
		spans = spans[:0]
		for _, i := range byDoc[id] {
			spans = append(spans, coding.Span{Start: rows[i].Start, End: rows[i].End})
		}
		ps, err := tx.Excerpts(id, spans, f.Context)
		if err != nil {
			return nil, err
		}
		for k, i := range byDoc[id] {
			rows[i].Before, rows[i].Text, rows[i].After = coding.StripMarkup(ps[k].Before), ps[k].Text, coding.StripMarkup(ps[k].After)
		}
	}
	sort.Slice(rows, func(i, j int) bool {
		a, b := &rows[i], &rows[j]
		if a.Case != b.Case {
			return a.Case < b.Case
		}
		if a.DocName != b.DocName {
			return a.DocName < b.DocName
		}
		if a.Start != b.Start {
			return a.Start < b.Start
		}
		return a.ID < b.ID
	})
	return rows, nil
}
