package project

import (
	"context"
	"strings"

	"github.com/tacit-qda/tacit/coding"
	"github.com/tacit-qda/tacit/coding/agreement"
	"github.com/tacit-qda/tacit/coding/report"
	"github.com/tacit-qda/tacit/store"
)

// ReportFilter narrows the codings a report counts: coders, roles,
// documents, cases, attributes.
type ReportFilter = report.Filter

// RecurrenceRequest asks which codes recur across all, most or some cases.
type RecurrenceRequest struct {
	Filter ReportFilter `json:"filter"`
	// Most is the share of cases a code must exceed to recur in "most"
	// (0: report.DefaultMost).
	Most float64 `json:"most,omitempty"`
	// Quotes is the number of quotes per code and case.
	Quotes int `json:"quotes"`
	// ByAttr also splits the report by this case attribute.
	ByAttr string `json:"by_attr,omitempty"`
	// Sides are the perspective roles both_roles counts (empty: every role
	// but the interviewer's).
	Sides []string `json:"sides,omitempty"`
}

// MatrixRequest counts codes by a dimension.
type MatrixRequest struct {
	Filter ReportFilter `json:"filter"`
	Rows   string       `json:"rows,omitempty"`
	Cols   string       `json:"cols,omitempty"`
	Count  string       `json:"count,omitempty"`
}

// CooccurrenceRequest lists pairs of codes seen together.
type CooccurrenceRequest struct {
	Filter ReportFilter `json:"filter"`
	Unit   string       `json:"unit,omitempty"`
	Min    int          `json:"min,omitempty"`
}

// CodebookReportRequest asks for the codebook with counts.
type CodebookReportRequest struct{}

// The reports, as package report computes them.
type (
	RecurrenceReport   = report.RecurrenceReport
	MatrixReport       = report.MatrixReport
	CooccurrenceReport = report.CooccurrenceReport
	CodebookReport     = report.CodebookReport
)

// Selection is the report filter as the shared Selection.
func reportSelection(f ReportFilter) Selection {
	return Selection{Docs: f.Docs, Cases: f.Cases, Attrs: f.Attrs, Langs: f.Langs, Speakers: f.Speakers,
		Roles: f.Roles, Coders: f.Coders}
}

// resolveReportFilter resolves a report's filter through the shared
// Selection, so a report selects what codings, search and words select: it
// checks every name (a name that matches nothing is not found, with the
// nearest names) and gives the report the documents that pass.
func (p *Project) resolveReportFilter(f ReportFilter) (ReportFilter, error) {
	sf := reportSelection(f)
	if sf.Empty() {
		return f, nil
	}
	err := p.Store.View(func(tx *store.Tx) error {
		sel, err := sf.resolveWith(tx, false, len(sf.Speakers)+len(sf.Roles) > 0, false)
		if err != nil {
			return err
		}
		f.DocIDs = sel.docPass
		return nil
	})
	return f, err
}

// withDataset computes a report from the project's dataset, which reads
// codings and quoted passages from the store while the report is made.
func withDataset[R any](p *Project, compute func(ds *report.Dataset) (*R, error)) (*R, error) {
	ds, err := p.Dataset()
	if err != nil {
		return nil, err
	}
	return compute(ds)
}

// Recurrence reports which codes recur across the cases.
func (p *Project) Recurrence(ctx context.Context, req RecurrenceRequest) (*RecurrenceReport, error) {
	if req.Most == 0 {
		req.Most = report.DefaultMost
	}
	var err error
	if req.Filter, err = p.resolveReportFilter(req.Filter); err != nil {
		return nil, err
	}
	return withDataset(p, func(ds *report.Dataset) (*RecurrenceReport, error) {
		return report.Recurrence(ds, report.RecurrenceOptions{Filter: req.Filter, Most: req.Most, Quotes: req.Quotes, ByAttr: req.ByAttr, Sides: req.Sides})
	})
}

// Matrix counts codes by cases, documents, speakers, roles, coders or
// attribute values.
func (p *Project) Matrix(ctx context.Context, req MatrixRequest) (*MatrixReport, error) {
	var err error
	if req.Filter, err = p.resolveReportFilter(req.Filter); err != nil {
		return nil, err
	}
	return withDataset(p, func(ds *report.Dataset) (*MatrixReport, error) {
		return report.Matrix(ds, report.MatrixOptions{Filter: req.Filter, Rows: req.Rows, Cols: req.Cols, Count: req.Count})
	})
}

// Cooccurrence lists pairs of codes that occur together.
func (p *Project) Cooccurrence(ctx context.Context, req CooccurrenceRequest) (*CooccurrenceReport, error) {
	var err error
	if req.Filter, err = p.resolveReportFilter(req.Filter); err != nil {
		return nil, err
	}
	return withDataset(p, func(ds *report.Dataset) (*CooccurrenceReport, error) {
		return report.Cooccurrence(ds, report.CooccurrenceOptions{Filter: req.Filter, Unit: req.Unit, Min: req.Min})
	})
}

// CodebookReport is the codebook with descriptions and counts.
func (p *Project) CodebookReport(ctx context.Context, req CodebookReportRequest) (*CodebookReport, error) {
	return withDataset(p, report.Codebook)
}

// AgreementRequest compares how coders applied the codebook.
type AgreementRequest struct {
	// Coders are the coders to compare (at least two).
	Coders []string `json:"coders"`
	// Unit is one of agreement.UnitKinds ("" means turn).
	Unit string `json:"unit,omitempty"`
	// Codes to compare (default: every code the coders applied); with
	// Exclusive one parent code means its children.
	Codes     []string `json:"codes,omitempty"`
	Exact     bool     `json:"exact,omitempty"`
	Exclusive bool     `json:"exclusive,omitempty"`
	// Uncoded is "include" (default) or "exclude".
	Uncoded string `json:"uncoded,omitempty"`
	// Docs to compare (default: those every coder coded).
	Docs []string `json:"docs,omitempty"`
	// Cases, Attrs and Langs keep, of the documents every coder coded, those
	// that pass (as in every other command's selection).
	Cases         []string          `json:"cases,omitempty"`
	Attrs         map[string]string `json:"attrs,omitempty"`
	Langs         []string          `json:"langs,omitempty"`
	Disagreements bool              `json:"disagreements,omitempty"`
}

// AgreementReport is the result of an agreement comparison.
type AgreementReport = agreement.Report

// Agreement computes inter-coder agreement.
func (p *Project) Agreement(ctx context.Context, req AgreementRequest) (*AgreementReport, error) {
	if len(req.Coders) < 2 {
		return nil, &coding.Error{Kind: coding.EInvalid, Message: "agreement needs at least two coders", Next: coding.NextNameCoders}
	}
	if req.Uncoded == "" {
		req.Uncoded = agreement.UncodedInclude
	}
	if req.Uncoded != agreement.UncodedInclude && req.Uncoded != agreement.UncodedExclude {
		return nil, coding.Errorf(coding.EInvalid, "uncoded units are included or excluded, not %q", req.Uncoded)
	}
	in := agreement.Input{Unit: req.Unit, Coders: req.Coders, IncludeChildren: !req.Exact, Exclusive: req.Exclusive,
		Uncoded: req.Uncoded, Disagreements: req.Disagreements}
	err := p.Store.View(func(tx *store.Tx) error {
		cb, err := tx.Codes()
		if err != nil {
			return err
		}
		// Codes: resolve references; in exclusive mode one parent means its children.
		for _, ref := range req.Codes {
			c, err := cb.Resolve(ref)
			if err != nil {
				return err
			}
			in.Codes = append(in.Codes, cb.Path(c.ID))
		}
		if req.Exclusive {
			if len(in.Codes) == 1 {
				parent, _ := cb.Resolve(req.Codes[0])
				in.Group = in.Codes[0]
				in.Codes = nil
				for _, id := range cb.Children(parent.ID) {
					in.Codes = append(in.Codes, cb.Path(id))
				}
			}
			if len(in.Codes) < 2 {
				return coding.Errorf(coding.EInvalid, "exclusive agreement needs a code group with at least two values: a parent code with two or more children, or two or more codes")
			}
		}
		// A coder who coded nothing is a name that selects nothing; the
		// cases, attributes and languages narrow the documents.
		sf := Selection{Coders: req.Coders, Cases: req.Cases, Attrs: req.Attrs, Langs: req.Langs}
		sel, err := sf.resolveWith(tx, false, false, false)
		if err != nil {
			return err
		}
		cases, err := tx.CaseNames()
		if err != nil {
			return err
		}
		wantCoder := map[string]bool{}
		for _, c := range req.Coders {
			wantCoder[strings.ToLower(c)] = true
		}
		docIDs := map[uint64]bool{}
		if err := tx.Codings(func(c *coding.Coding) error {
			if !wantCoder[strings.ToLower(c.Coder)] || (sel.docPass != nil && !sel.docPass[c.DocID]) {
				return nil
			}
			docIDs[c.DocID] = true
			in.Codings = append(in.Codings, agreement.Coding{Doc: c.DocID, Code: cb.Path(c.CodeID), Coder: canonicalCoder(req.Coders, c.Coder), Start: c.Start, End: c.End})
			return nil
		}); err != nil {
			return err
		}
		for _, ref := range req.Docs {
			d, err := tx.FindDocument(ref)
			if err != nil {
				return err
			}
			in.DocFilter = append(in.DocFilter, d.ID)
			docIDs[d.ID] = true
		}
		for id := range docIDs {
			d, err := tx.Document(id)
			if err != nil {
				return err
			}
			text, err := tx.Text(id)
			if err != nil {
				return err
			}
			caseName := cases[d.CaseID]
			if caseName == "" {
				caseName = d.Name
			}
			in.Docs = append(in.Docs, agreement.Doc{ID: d.ID, Name: d.Name, Case: caseName, Text: text, Turns: d.Turns})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return agreement.Compute(in)
}

// canonicalCoder returns the spelling of coder given in the request.
func canonicalCoder(given []string, coder string) string {
	for _, c := range given {
		if strings.EqualFold(c, coder) {
			return c
		}
	}
	return coder
}
