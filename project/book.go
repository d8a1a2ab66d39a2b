package project

import (
	"context"
	"path/filepath"
	"slices"
	"strings"

	"github.com/tacit-qda/tacit/coding"
	"github.com/tacit-qda/tacit/coding/agreement"
	"github.com/tacit-qda/tacit/coding/report"
	"github.com/tacit-qda/tacit/store"
)

// BookRequest asks for the book of the study, or (Story) one chapter.
type BookRequest struct {
	report.Filter
	// Most is the recurrence threshold of the principles chapter (0: 0.5).
	Most float64 `json:"most,omitempty"`
	// Title of the book; "" uses the project memo titled "title", else the
	// project folder's name.
	Title string `json:"title,omitempty"`
	// Lang of the book's own words: en, he or ar ("" from the documents).
	Lang string `json:"lang,omitempty"`
	// Stories are the cases to make chapters of, in order (default: all).
	Stories []string `json:"stories,omitempty"`
	// Template names the sections of a story chapter (nil: one section per
	// principle coded in the story).
	Template *report.Template `json:"template,omitempty"`
	// Principles is the path of the code whose children are the principles.
	Principles string `json:"principles,omitempty"`
	// QuoteMax shortens longer quotes (0: report.DefaultQuoteMax, -1: never).
	QuoteMax int `json:"quote_max,omitempty"`
	// NoAgreement leaves out the inter-coder agreement appendix.
	NoAgreement bool `json:"no_agreement,omitempty"`
	// Lazy builds each story chapter as it is written (report.BookOptions.Lazy):
	// for a caller that writes the book at once, not one that keeps it.
	Lazy bool `json:"-"`
}

// StoryRequest asks for one story chapter.
type StoryRequest struct {
	BookRequest
	Case string `json:"case"`
}

// Book computes the book of the study: front matter, a chapter per story,
// the principles chapter and the appendices.
func (p *Project) Book(ctx context.Context, req BookRequest) (*report.Book, error) {
	ds, opt, err := p.bookInput(req, true)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return report.BuildBook(ds, opt)
}

// Story computes the chapter of one story.
func (p *Project) Story(ctx context.Context, req StoryRequest) (*report.Story, error) {
	if strings.TrimSpace(req.Case) == "" {
		return nil, &coding.Error{Kind: coding.EInvalid, Message: "name the story (case) to write", Next: coding.NextNameStory}
	}
	ds, opt, err := p.bookInput(req.BookRequest, false)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return report.BuildStory(ds, opt, req.Case)
}

// bookInput reads the dataset, the memos and (for a book) the agreement of
// the coders.
func (p *Project) bookInput(req BookRequest, book bool) (*report.Dataset, report.BookOptions, error) {
	var err error
	if req.Filter, err = p.resolveReportFilter(req.Filter); err != nil {
		return nil, report.BookOptions{}, err
	}
	opt := report.BookOptions{Filter: req.Filter, Most: req.Most, Title: req.Title, Lang: req.Lang, Stories: req.Stories,
		Template: req.Template, Principles: req.Principles, QuoteMax: req.QuoteMax, Lazy: req.Lazy}
	ds, err := p.Dataset()
	if err != nil {
		return nil, opt, err
	}
	err = p.Store.View(func(tx *store.Tx) error {
		memos, err := tx.Memos("", 0)
		if err != nil {
			return err
		}
		for _, m := range memos {
			opt.Memos = append(opt.Memos, *m)
			if opt.Title == "" && m.Target == coding.MemoProject && strings.EqualFold(strings.TrimSpace(m.Title), "title") {
				opt.Title = strings.TrimSpace(m.Text)
			}
		}
		if !book || req.NoAgreement {
			return nil
		}
		docs, err := report.FilteredDocs(ds, req.Filter)
		if err != nil {
			return err
		}
		opt.Agreement, err = bookAgreement(tx, req.Filter.Coders, docs)
		return err
	})
	if opt.Title == "" {
		opt.Title = filepath.Base(p.Root)
	}
	return ds, opt, err
}

// bookAgreement compares every two or more coders (or those named) turn by
// turn on the documents they all coded among docs (those the filters keep);
// nil when fewer than two coded.
func bookAgreement(tx *store.Tx, only []string, docsIn map[uint64]bool) (*report.BookAgreement, error) {
	cb, err := tx.Codes()
	if err != nil {
		return nil, err
	}
	want := map[string]bool{}
	for _, c := range only {
		want[strings.ToLower(c)] = true
	}
	var in agreement.Input
	in.Unit = agreement.UnitTurn
	in.IncludeChildren = true
	seen := map[string]int{}
	byDoc := map[uint64]uint64{} // document -> bit set of its coders
	if err := tx.Codings(func(c *coding.Coding) error {
		if len(want) > 0 && !want[strings.ToLower(c.Coder)] || !docsIn[c.DocID] {
			return nil
		}
		k, ok := seen[c.Coder]
		if !ok {
			k = len(in.Coders)
			seen[c.Coder] = k
			in.Coders = append(in.Coders, c.Coder)
		}
		if k < 64 {
			byDoc[c.DocID] |= 1 << k
		}
		in.Codings = append(in.Codings, agreement.Coding{Doc: c.DocID, Code: cb.Path(c.CodeID), Coder: c.Coder, Start: c.Start, End: c.End})
		return nil
	}); err != nil {
		return nil, err
	}
	if len(in.Coders) < 2 || len(in.Coders) > 64 {
		return nil, nil
	}
	slices.Sort(in.Coders)
	// Only the documents every coder coded are compared: read only their
	// texts, and hand over only their codings.
	all := uint64(1)<<len(in.Coders) - 1
	docs := map[uint64]bool{}
	for id, set := range byDoc {
		if set == all {
			docs[id] = true
		}
	}
	if len(docs) == 0 {
		return nil, nil
	}
	in.Codings = slices.DeleteFunc(in.Codings, func(c agreement.Coding) bool { return !docs[c.Doc] })
	cases, err := tx.CaseNames()
	if err != nil {
		return nil, err
	}
	ids := make([]uint64, 0, len(docs))
	for id := range docs {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		d, err := tx.Document(id)
		if err != nil {
			return nil, err
		}
		text, err := tx.Text(id)
		if err != nil {
			return nil, err
		}
		name := cases[d.CaseID]
		if name == "" {
			name = d.Name
		}
		in.Docs = append(in.Docs, agreement.Doc{ID: d.ID, Name: d.Name, Case: name, Text: text, Turns: d.Turns})
	}
	rep, err := agreement.Compute(in)
	if err != nil {
		// Coders who never coded the same documents have no agreement to
		// report; the book goes without the appendix.
		if coding.ErrorKind(err) == coding.EInvalid {
			return nil, nil
		}
		return nil, err
	}
	out := &report.BookAgreement{Coders: rep.Coders, Unit: rep.Unit, Method: rep.Method}
	row := func(code string, s *agreement.Stats) report.AgreementRow {
		return report.AgreementRow{Code: code, Units: s.Units, Percent: s.PercentAgreement.String(), Kappa: s.CohenKappa.String(),
			Alpha: s.KrippendorffAlpha.String()}
	}
	for i := range rep.Codes {
		out.Rows = append(out.Rows, row(rep.Codes[i].Code, &rep.Codes[i].Stats))
	}
	if rep.Pooled != nil {
		out.Rows = append(out.Rows, row("", rep.Pooled))
	}
	return out, nil
}
