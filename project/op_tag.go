package project

import (
	"context"
	"fmt"

	"github.com/tacit-qda/tacit/coding"
	"github.com/tacit-qda/tacit/store"
)

// TagRequest codes one or more places of a document with one or more
// codes; every code goes on every place.
type TagRequest struct {
	// Doc is the document's id or name.
	Doc string `json:"doc"`
	// Codes are code paths or unique names.
	Codes []string `json:"codes"`
	// Quotes are exact words of the text (white space and typographic
	// quotes need not match); a quote must occur once.
	Quotes []string `json:"quotes,omitempty"`
	// Turns are whole turns by index.
	Turns []int `json:"turns,omitempty"`
	// TurnRanges are runs of turns "FIRST-LAST", inclusive.
	TurnRanges []string `json:"turn_ranges,omitempty"`
	// Ranges are code-point offsets "START:END", half-open.
	Ranges []string `json:"ranges,omitempty"`
	// Spans are code-point offsets as numbers (what a browser selection
	// gives once converted from UTF-16).
	Spans []coding.Span `json:"spans,omitempty"`
	Memo  string        `json:"memo,omitempty"`
}

// Places reports whether the request names at least one place.
func (r *TagRequest) Places() int {
	return len(r.Quotes) + len(r.Turns) + len(r.TurnRanges) + len(r.Ranges) + len(r.Spans)
}

// TaggedCoding is one coding made by Tag ('tacit tag --json' prints a list).
type TaggedCoding struct {
	ID    uint64 `json:"id"`
	Doc   string `json:"doc"`
	Code  string `json:"code"`
	Start int    `json:"start"`
	End   int    `json:"end"`
	Text  string `json:"text"`
}

// TagResult lists the codings made; Skipped counts those that existed
// already (same code, span and coder).
type TagResult struct {
	Doc     string         `json:"doc"`
	Codings []TaggedCoding `json:"codings"`
	Skipped int            `json:"skipped"`
}

// spans turns the places of a tag request into spans of doc.
func (r *TagRequest) spans(doc *coding.Document, text string) ([]coding.Span, error) {
	var out []coding.Span
	for _, q := range r.Quotes {
		s, err := coding.FindQuote(doc, text, q)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	for _, n := range r.Turns {
		s, err := coding.TurnSpan(doc, n, n)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	for _, tr := range r.TurnRanges {
		a, b, err := coding.ParseTurnRange(tr)
		if err != nil {
			return nil, err
		}
		s, err := coding.TurnSpan(doc, a, b)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	n := coding.RuneLen(text)
	check := func(s coding.Span) error {
		if err := coding.CheckSpan(s, n); err != nil {
			return coding.Errorf(coding.EInvalid, "%s of %s", err.Error(), doc.Name)
		}
		return nil
	}
	for _, rg := range r.Ranges {
		s, err := coding.ParseRange(rg)
		if err != nil {
			return nil, err
		}
		if err := check(s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	for _, s := range r.Spans {
		if err := check(s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

// Tag codes places of a document, in one transaction.
func (p *Project) Tag(ctx context.Context, req TagRequest) (*TagResult, error) {
	if req.Places() == 0 {
		return nil, coding.Errorf(coding.EInvalid, "say where to tag: a quote, a turn, a run of turns or a range")
	}
	if len(req.Codes) == 0 {
		return nil, coding.Errorf(coding.EInvalid, "say which code to apply")
	}
	res := &TagResult{Codings: []TaggedCoding{}}
	actor := p.actor(ctx)
	err := p.Store.Update(func(tx *store.Tx) error {
		doc, err := tx.FindDocument(req.Doc)
		if err != nil {
			return err
		}
		res.Doc = doc.Name
		cb, err := tx.Codes()
		if err != nil {
			return err
		}
		var ids []uint64
		for _, ref := range req.Codes {
			c, err := cb.Resolve(ref)
			if err != nil {
				return err
			}
			ids = append(ids, c.ID)
		}
		text, err := tx.Text(doc.ID)
		if err != nil {
			return err
		}
		spans, err := req.spans(doc, text)
		if err != nil {
			return err
		}
		created, sk, err := tx.Tag(actor, store.TagRequest{Doc: doc, CodeIDs: ids, Spans: spans, Memo: req.Memo, Codebook: cb})
		if err != nil {
			return err
		}
		res.Skipped = sk
		off := coding.NewOffsets(text)
		for _, c := range created {
			res.Codings = append(res.Codings, TaggedCoding{ID: c.ID, Doc: doc.Name, Code: cb.Path(c.CodeID), Start: c.Start, End: c.End, Text: off.Slice(c.Start, c.End)})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// UntagRequest removes codings by id, or every coding of one autocode run
// (Origin, the run's group id).
type UntagRequest struct {
	IDs    []uint64 `json:"ids,omitempty"`
	Origin uint64   `json:"origin,omitempty"`
	// Force removes codings that another coder made; without it they are
	// refused (the log records whose codings were removed either way).
	Force bool `json:"force,omitempty"`
}

// UntaggedCoding is one removed coding ('tacit untag --json' prints a list).
// (Fields in the order 'tacit untag --json' has always printed them.)
type UntaggedCoding struct {
	Code  string `json:"code"`
	Coder string `json:"coder"`
	Doc   uint64 `json:"doc"`
	End   int    `json:"end"`
	ID    uint64 `json:"id"`
	Start int    `json:"start"`
}

// UntagResult lists the removed codings.
type UntagResult struct {
	Removed []UntaggedCoding `json:"removed"`
}

// Untag removes codings, in one transaction (one entry in the log).
func (p *Project) Untag(ctx context.Context, req UntagRequest) (*UntagResult, error) {
	if (req.Origin == 0) == (len(req.IDs) == 0) {
		return nil, coding.Errorf(coding.EInvalid, "give coding ids or an autocode run, not both or neither")
	}
	ids := append([]uint64(nil), req.IDs...)
	res := &UntagResult{Removed: []UntaggedCoding{}}
	actor := p.actor(ctx)
	err := p.Store.Update(func(tx *store.Tx) error {
		if req.Origin != 0 {
			if err := tx.Codings(func(c *coding.Coding) error {
				if c.Group == req.Origin {
					ids = append(ids, c.ID)
				}
				return nil
			}); err != nil {
				return err
			}
			if len(ids) == 0 {
				return coding.Errorf(coding.ENotFound, "no codings come from autocode run %d", req.Origin)
			}
		}
		if !req.Force {
			if err := othersCodings(tx, ids, actor); err != nil {
				return err
			}
		}
		removed, err := tx.Untag(actor, ids)
		if err != nil {
			return err
		}
		cb, err := tx.Codes()
		if err != nil {
			return err
		}
		for _, c := range removed {
			res.Removed = append(res.Removed, UntaggedCoding{ID: c.ID, Doc: c.DocID, Code: cb.Path(c.CodeID), Start: c.Start, End: c.End, Coder: c.Coder})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// othersCodings refuses to change codings that another coder made: a coder
// removes their own codings, and another's only when asked to (--force on
// the command line; an admin in the web app).
func othersCodings(tx *store.Tx, ids []uint64, actor string) error {
	for _, id := range ids {
		c, err := tx.Coding(id)
		if err != nil {
			return err
		}
		if c.Coder != actor {
			return &coding.Error{Kind: EForbidden, Message: fmt.Sprintf("coding %d was made by %s, not by %s", id, c.Coder, actor), Next: coding.NextForceOthers}
		}
	}
	return nil
}
