package project

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/tacit-qda/tacit/coding"
	"github.com/tacit-qda/tacit/store"
)

// ImportCodingsRequest imports codings from a CSV table.
type ImportCodingsRequest struct {
	File string `json:"file"`
	// Coder codes the rows that name no coder (default: the acting coder).
	Coder string `json:"coder,omitempty"`
	// Offsets says what start/end count: chars (code points, the
	// default), bytes (UTF-8, as Taguette stores them) or utf16.
	Offsets string `json:"offsets,omitempty"`
	DryRun  bool   `json:"dry_run,omitempty"`
}

// PlacedRow is where a row landed (for tests and reports).
type PlacedRow struct {
	Line       int
	Doc        string
	Start, End int
}

func slicesContains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// RowProblem is a row that was not imported, and why.
type RowProblem struct {
	Line   int    `json:"line"`
	Reason string `json:"reason"`
}

// ImportCodingsResult counts what happened to the rows.
type ImportCodingsResult struct {
	File         string       `json:"file"`
	DryRun       bool         `json:"dry_run"`
	Rows         int          `json:"rows"`
	Placed       int          `json:"placed"`
	ByOffsets    int          `json:"by_offsets"`
	ByQuote      int          `json:"by_quote"`
	ByOrder      int          `json:"by_order"` // of ByQuote: quotes found more than once, placed by the table's order
	Spans        []PlacedRow  `json:"-"`
	Codings      int          `json:"codings"`
	Duplicates   int          `json:"duplicates"`
	CodesCreated []string     `json:"codes_created"`
	NotPlaced    []RowProblem `json:"not_placed"`
	Warnings     []string     `json:"warnings"`
}

// matchDoc finds the document a CSV row names: its id or exact name,
// else the name case-insensitively, else without its extension
// ("P2.odt" is document "P2"), else the one document whose name ends with
// or contains it ("01_P2").
func matchDoc(docs []*coding.Document, byName map[string]*coding.Document, ref string) (*coding.Document, string) {
	if d := byName[ref]; d != nil {
		return d, ""
	}
	cands := []string{ref}
	if ext := filepath.Ext(ref); ext != "" && len(ext) <= 6 {
		cands = append(cands, strings.TrimSuffix(ref, ext))
	}
	for _, c := range cands {
		var found []*coding.Document
		for _, d := range docs {
			if strings.EqualFold(d.Name, c) || fmt.Sprint(d.ID) == c {
				found = append(found, d)
			}
		}
		if len(found) == 1 {
			return found[0], ""
		}
	}
	for _, c := range cands {
		var found []*coding.Document
		lc := strings.ToLower(c)
		for _, d := range docs {
			if n := strings.ToLower(d.Name); strings.HasSuffix(n, lc) || strings.Contains(n, lc) {
				found = append(found, d)
			}
		}
		if len(found) == 1 {
			return found[0], ""
		}
		if len(found) > 1 {
			return nil, fmt.Sprintf("document %q matches %d documents", ref, len(found))
		}
	}
	return nil, fmt.Sprintf("document %q is not in the project", ref)
}

// ImportCodings imports a CSV of codings in one transaction: each row is
// placed by its offsets (checked against its text when the row has one)
// or by its quoted text; a quote not found, or found more than once, is
// reported with its line, and the other rows are imported. Codes that do
// not exist are created.
func (p *Project) ImportCodings(ctx context.Context, req ImportCodingsRequest) (*ImportCodingsResult, error) {
	switch req.Offsets {
	case "", "chars", "bytes", "utf16":
	default:
		return nil, coding.Errorf(coding.EInvalid, "offsets count bytes, chars or utf16, not %q", req.Offsets)
	}
	data, err := os.ReadFile(req.File)
	if err != nil {
		return nil, coding.Errorf(coding.ENotFound, "%s cannot be read: %v", req.File, errors.Unwrap(err))
	}
	table, err := coding.ReadCodingsCSV(data)
	if err != nil {
		return nil, coding.Errorf(coding.EInvalid, "%s: %s", filepath.Base(req.File), err.Error())
	}
	actor := p.actor(ctx)
	defCoder := strings.TrimSpace(req.Coder)
	if defCoder == "" {
		defCoder = actor
	}
	res := &ImportCodingsResult{File: req.File, DryRun: req.DryRun, Rows: len(table.Rows), CodesCreated: []string{},
		NotPlaced: []RowProblem{}, Warnings: []string{}}
	bad := func(line int, format string, args ...any) {
		res.NotPlaced = append(res.NotPlaced, RowProblem{Line: line, Reason: fmt.Sprintf(format, args...)})
	}
	err = p.Store.Update(func(tx *store.Tx) error {
		docs, err := tx.Documents(true)
		if err != nil {
			return err
		}
		byName := map[string]*coding.Document{}
		for _, d := range docs {
			byName[d.Name] = d
		}
		cb, err := tx.Codes()
		if err != nil {
			return err
		}
		texts := map[uint64]string{}
		offs := map[uint64]*coding.Offsets{}
		qidx := map[uint64]*coding.QuoteIndex{}
		type ckey struct {
			doc, code  uint64
			start, end int
			coder      string
		}
		have := map[ckey]bool{}
		loaded := map[uint64]bool{}
		now := tx.Now()
		// Pass 1: find each row's document and span; a quote found more
		// than once keeps its candidates for pass 2.
		type placing struct {
			row   *coding.CodingsRow
			doc   *coding.Document
			span  coding.Span
			ok    bool
			cands []coding.Span
			quote string
			err   error
		}
		pl := make([]*placing, 0, len(table.Rows))
		for i := range table.Rows {
			row := &table.Rows[i]
			if err := ctx.Err(); err != nil {
				return err
			}
			if row.Err != "" {
				bad(row.Line, "%s", row.Err)
				continue
			}
			if row.Doc == "" || len(row.Codes) == 0 {
				bad(row.Line, "the row names no document or no code")
				continue
			}
			d, why := matchDoc(docs, byName, row.Doc)
			if d == nil {
				bad(row.Line, "%s", why)
				continue
			}
			text, ok := texts[d.ID]
			if !ok {
				if text, err = tx.Text(d.ID); err != nil {
					return err
				}
				texts[d.ID] = text
				offs[d.ID] = coding.NewOffsets(text)
			}
			off := offs[d.ID]
			x := &placing{row: row, doc: d}
			pl = append(pl, x)
			if row.HasPos {
				s, e, perr := convertOffsets(text, off, req.Offsets, row.Start, row.End)
				switch {
				case perr != "":
					if strings.TrimSpace(row.Text) == "" {
						x.err = coding.Errorf(coding.EInvalid, "%s", perr)
						continue
					}
					res.Warnings = append(res.Warnings, fmt.Sprintf("line %d: %s; placed by its text instead", row.Line, perr))
				case strings.TrimSpace(row.Text) != "" && !sameText(off.Slice(s, e), row.Text):
					res.Warnings = append(res.Warnings, fmt.Sprintf("line %d: the offsets %d:%d select other text than the row's; placed by its text instead", row.Line, row.Start, row.End))
				default:
					x.span, x.ok = coding.Span{Start: s, End: e}, true
					res.ByOffsets++
					continue
				}
			}
			if strings.TrimSpace(row.Text) == "" {
				x.err = coding.Errorf(coding.EInvalid, "the row has neither offsets nor text")
				continue
			}
			if qidx[d.ID] == nil {
				qidx[d.ID] = coding.NewQuoteIndex(text)
			}
			q := qidx[d.ID].Locate(row.Text)
			if len(q.Matches) == 1 {
				x.span, x.ok = q.Matches[0], true
				res.ByQuote++
				continue
			}
			if len(q.Matches) > 1 {
				x.cands = q.Matches
				x.quote = strings.Join(strings.Fields(row.Text), " ")
				x.err = coding.Errorf(coding.EInvalid, "ambiguous")
				continue
			}
			x.span, x.err = coding.FindQuote(d, text, row.Text)
			if x.err == nil {
				x.ok = true
				res.ByQuote++
			}
		}
		// Pass 2: a quote found several times. When the table gives as many
		// distinct passages (ids) with this quote in this document as the
		// text has occurrences, they are the occurrences in order; else a
		// row is placed when exactly one occurrence lies between the rows
		// placed before and after it in the same document (tables list
		// passages in the order they were coded, mostly top to bottom).
		type gkey struct {
			doc   uint64
			quote string
		}
		groups := map[gkey][]string{}
		for _, x := range pl {
			if x.cands == nil || x.row.ID == "" {
				continue
			}
			k := gkey{x.doc.ID, x.quote}
			if !slicesContains(groups[k], x.row.ID) {
				groups[k] = append(groups[k], x.row.ID)
			}
		}
		for i, x := range pl {
			if x.cands == nil {
				continue
			}
			if ids := groups[gkey{x.doc.ID, x.quote}]; len(ids) == len(x.cands) {
				for j, id := range ids {
					if id == x.row.ID {
						x.span, x.ok, x.err = x.cands[j], true, nil
					}
				}
			}
			if !x.ok {
				lo, hi := -1, int(^uint(0)>>1)
				for j := i - 1; j >= 0; j-- {
					if pl[j].doc.ID == x.doc.ID && pl[j].ok {
						lo = pl[j].span.Start
						break
					}
				}
				for j := i + 1; j < len(pl); j++ {
					if pl[j].doc.ID == x.doc.ID && pl[j].ok && pl[j].cands == nil {
						hi = pl[j].span.Start
						break
					}
				}
				var in []coding.Span
				for _, c := range x.cands {
					if c.Start >= lo && c.Start <= hi {
						in = append(in, c)
					}
				}
				if len(in) == 1 {
					x.span, x.ok, x.err = in[0], true, nil
				}
			}
			if x.ok {
				res.ByQuote++
				res.ByOrder++
			} else {
				_, x.err = coding.FindQuote(x.doc, texts[x.doc.ID], x.row.Text)
			}
		}
		// Pass 3: add the codings, in the table's order.
		var pending []coding.Coding
		for _, x := range pl {
			row, d, span := x.row, x.doc, x.span
			if !x.ok {
				bad(row.Line, "%s", x.err.Error())
				continue
			}
			if err := coding.CheckSpan(span, d.Chars); err != nil {
				bad(row.Line, "%s", err.Error())
				continue
			}
			var ids []uint64
			for _, ref := range row.Codes {
				c := cb.ByPath(ref)
				if c == nil {
					if rc, err := cb.Resolve(ref); err == nil {
						c = rc
					}
				}
				if c == nil {
					created, err := createCodePath(tx, cb, ref)
					if err != nil {
						bad(row.Line, "code %q: %s", ref, err.Error())
						ids = nil
						break
					}
					for _, cc := range created {
						res.CodesCreated = append(res.CodesCreated, cb.Path(cc.ID))
					}
					c = created[len(created)-1]
				}
				ids = append(ids, c.ID)
			}
			if len(ids) == 0 {
				continue
			}
			res.Placed++
			res.Spans = append(res.Spans, PlacedRow{Line: row.Line, Doc: d.Name, Start: span.Start, End: span.End})
			coder := row.Coder
			if coder == "" {
				coder = defCoder
			}
			if !loaded[d.ID] {
				loaded[d.ID] = true
				list, err := tx.CodingsByDoc(d.ID)
				if err != nil {
					return err
				}
				for _, c := range list {
					have[ckey{d.ID, c.CodeID, c.Start, c.End, c.Coder}] = true
				}
			}
			for _, id := range ids {
				k := ckey{d.ID, id, span.Start, span.End, coder}
				if have[k] {
					res.Duplicates++
					continue
				}
				have[k] = true
				c := coding.Coding{DocID: d.ID, CodeID: id, Start: span.Start, End: span.End, Coder: coder,
					Origin: coding.OriginImport, Memo: row.Memo, CreatedAt: now}
				pending = append(pending, c)
				res.Codings++
			}
		}
		if err := tx.AddCodings(pending); err != nil {
			return err
		}
		if res.Codings+len(res.CodesCreated) > 0 {
			if err := tx.Log(&coding.Event{Actor: actor, Action: store.ActionCodingsImport, Target: "codings",
				Summary: fmt.Sprintf("imported %d codings from %s (%d of %d rows placed, %d codes created)", res.Codings, filepath.Base(req.File), res.Placed, res.Rows, len(res.CodesCreated))}); err != nil {
				return err
			}
		}
		if req.DryRun {
			return errExchangeDryRun
		}
		return nil
	})
	if err != nil && !errors.Is(err, errExchangeDryRun) {
		return nil, err
	}
	sort.Slice(res.NotPlaced, func(i, j int) bool { return res.NotPlaced[i].Line < res.NotPlaced[j].Line })
	return res, nil
}

// createCodePath adds the missing codes of a path (mkdir -p).
func createCodePath(tx *store.Tx, cb *coding.Codebook, path string) ([]*coding.Code, error) {
	deepest, missing, err := cb.Missing(path)
	if err != nil {
		return nil, err
	}
	parent := uint64(0)
	if deepest != nil {
		parent = deepest.ID
	}
	var out []*coding.Code
	for _, name := range missing {
		n, err := coding.CleanName(name)
		if err != nil {
			return nil, err
		}
		c := &coding.Code{GUID: coding.NewGUID(), Name: n, ParentID: parent, CreatedAt: tx.Now()}
		if err := tx.PutCode(c); err != nil {
			return nil, err
		}
		cb.Put(*c)
		out = append(out, cb.Code(c.ID))
		parent = c.ID
	}
	return out, nil
}

// sameText compares a slice with a row's text, white space folded.
func sameText(a, b string) bool {
	return strings.Join(strings.Fields(a), " ") == strings.Join(strings.Fields(b), " ")
}

// convertOffsets turns a row's start/end in unit into code points of text;
// a problem is returned as a sentence.
func convertOffsets(text string, off *coding.Offsets, unit string, s, e int) (int, int, string) {
	switch unit {
	case "bytes":
		if s < 0 || e < s || e > len(text) {
			return 0, 0, fmt.Sprintf("byte offsets %d:%d lie outside the text (%d bytes)", s, e, len(text))
		}
		if !utf8.RuneStart(text[min(s, len(text)-1)]) && s < len(text) || (e < len(text) && !utf8.RuneStart(text[e])) {
			return 0, 0, fmt.Sprintf("byte offsets %d:%d fall inside a character", s, e)
		}
		return off.Rune(s), off.Rune(e), ""
	case "utf16":
		n := 0
		cs, ce := -1, -1
		i := 0
		for _, r := range text {
			if n == s {
				cs = i
			}
			if n == e {
				ce = i
			}
			n++
			if r > 0xFFFF {
				n++
			}
			i++
		}
		if n == s {
			cs = i
		}
		if n == e {
			ce = i
		}
		if cs < 0 || ce < 0 || ce < cs {
			return 0, 0, fmt.Sprintf("UTF-16 offsets %d:%d lie outside the text or inside a character", s, e)
		}
		return cs, ce, ""
	}
	if s < 0 || e < s || e > off.Len() {
		return 0, 0, fmt.Sprintf("offsets %d:%d lie outside the text (%d characters)", s, e, off.Len())
	}
	return s, e, ""
}
