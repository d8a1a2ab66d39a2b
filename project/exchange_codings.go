package project

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"io"

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
	rows := make([]CodingRecord, len(res.Codings))
	for i := range res.Codings {
		rows[i] = res.Codings[i].CodingRecord
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
	for i := range rows {
		if err := cw.Write(rows[i].CSV()); err != nil {
			return nil, err
		}
	}
	cw.Flush()
	return &ExportCodingsResult{Rows: len(rows), Format: "csv"}, cw.Error()
}
