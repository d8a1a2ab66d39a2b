package project

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"strconv"
	"time"

	"github.com/tacit-qda/tacit/coding"
)

// ExportCodingsRequest asks for the tidy table of codings: one row per
// coding with the columns of 'tacit codings --json'.
type ExportCodingsRequest struct {
	Format string         `json:"format"` // csv or json
	Filter CodingsRequest `json:"filter"`
}

// ExportCodingsResult says how many rows were written.
type ExportCodingsResult struct {
	Rows   int    `json:"rows"`
	Format string `json:"format"`
}

// CodingsCSVHeader is the header of the codings table.
var CodingsCSVHeader = []string{"id", "doc", "doc_name", "case", "code", "coder", "start", "end", "text", "speaker", "role", "memo", "origin", "created_at"}

type tidyRow struct {
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

// ExportCodings writes every coding (or those the filter selects) as CSV
// or JSON, for R, pandas or a spreadsheet. Offsets are code points into
// the normalised text, half-open.
func (p *Project) ExportCodings(ctx context.Context, req ExportCodingsRequest, w io.Writer) (*ExportCodingsResult, error) {
	if req.Format != "csv" && req.Format != "json" {
		return nil, coding.Errorf(coding.EInvalid, "unknown format %q for the codings; use csv or json", req.Format)
	}
	res, err := p.Codings(ctx, req.Filter)
	if err != nil {
		return nil, err
	}
	rows := make([]tidyRow, len(res.Codings))
	for i, r := range res.Codings {
		rows[i] = tidyRow{r.ID, r.Doc, r.DocName, r.Case, r.Code, r.Coder, r.Start, r.End, r.Text, r.Speaker, r.Role, r.Memo, r.Origin, r.CreatedAt}
	}
	if req.Format == "json" {
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rows); err != nil {
			return nil, err
		}
		return &ExportCodingsResult{Rows: len(rows), Format: "json"}, nil
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(CodingsCSVHeader); err != nil {
		return nil, err
	}
	for _, r := range rows {
		if err := cw.Write([]string{strconv.FormatUint(r.ID, 10), strconv.FormatUint(r.Doc, 10), r.DocName, r.Case, r.Code, r.Coder,
			strconv.Itoa(r.Start), strconv.Itoa(r.End), r.Text, r.Speaker, r.Role, r.Memo, r.Origin, r.CreatedAt.Format(time.RFC3339)}); err != nil {
			return nil, err
		}
	}
	cw.Flush()
	return &ExportCodingsResult{Rows: len(rows), Format: "csv"}, cw.Error()
}
