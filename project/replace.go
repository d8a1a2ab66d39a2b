package project

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/tacit-qda/tacit/coding"
	"github.com/tacit-qda/tacit/coding/reanchor"
	"github.com/tacit-qda/tacit/coding/transcript"
	"github.com/tacit-qda/tacit/store"
)

// ReplaceRequest gives a document a new text from a file (a corrected
// transcript), carrying its codings over.
type ReplaceRequest struct {
	Doc      string `json:"doc"`
	File     string `json:"file"`
	Format   string `json:"format,omitempty"`   // "" = detect
	Encoding string `json:"encoding,omitempty"` // "" = UTF-8/UTF-16 with BOM
	DryRun   bool   `json:"dry_run"`
}

// ReplacedCoding is what became of one coding.
type ReplacedCoding struct {
	ID       uint64 `json:"id"`
	Code     string `json:"code"`
	Coder    string `json:"coder"`
	Status   string `json:"status"` // kept, moved, changed, orphaned
	OldStart int    `json:"old_start"`
	OldEnd   int    `json:"old_end"`
	NewStart int    `json:"new_start"` // 0 when orphaned
	NewEnd   int    `json:"new_end"`
	OldQuote string `json:"old_quote"`
	NewQuote string `json:"new_quote"`
}

// ReplaceResult is the report of a replace (or of what it would do).
type ReplaceResult struct {
	ID       uint64           `json:"id"`
	Name     string           `json:"name"`
	File     string           `json:"file"`
	DryRun   bool             `json:"dry_run"`
	Version  int              `json:"version"` // the number the old text is kept under
	OldChars int              `json:"old_chars"`
	NewChars int              `json:"new_chars"`
	OldTurns int              `json:"old_turns"`
	NewTurns int              `json:"new_turns"`
	Kept     int              `json:"kept"`
	Moved    int              `json:"moved"`
	Changed  int              `json:"changed"`
	Orphaned int              `json:"orphaned"`
	Codings  []ReplacedCoding `json:"codings"`
	Warnings []string         `json:"warnings"`
	Event    uint64           `json:"event,omitempty"`
}

// parsedFile is a transcript file read and parsed as an import would.
type parsedFile struct {
	path, abs, hash string
	parsed          *transcript.Result
}

func readTranscript(path, format, encoding string) (*parsedFile, error) {
	if format != "" {
		if err := checkFormat(format); err != nil {
			return nil, err
		}
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, coding.Errorf(coding.ENotFound, "%s cannot be read: %v", path, errors.Unwrap(err))
	}
	sum := sha256.Sum256(data)
	parsed, err := transcript.Parse(filepath.Base(path), data, transcript.Options{Format: format, Encoding: encoding})
	if err != nil {
		return nil, err
	}
	if len(parsed.Turns) == 0 {
		return nil, coding.Errorf(coding.EInvalid, "%s has no text to import", path)
	}
	abs, _ := filepath.Abs(path)
	return &parsedFile{path: path, abs: abs, hash: hex.EncodeToString(sum[:]), parsed: parsed}, nil
}

// Replace gives a document the text of a corrected file, keeping its id,
// name, case, attributes, memos and codings: every coding is re-anchored
// to its words in the new text (kept, moved), stretched or shrunk to the
// words of it that survived (changed, and marked so), or set aside as
// orphaned when none did (listed by 'tacit orphans', its memos kept). The
// old text is kept as a version ('tacit show DOC --version N'); the
// change is one transaction, undone whole by 'tacit undo'. With DryRun
// nothing is written and the report says what would happen.
func (p *Project) Replace(ctx context.Context, req ReplaceRequest) (*ReplaceResult, error) {
	pf, err := readTranscript(req.File, req.Format, req.Encoding)
	if err != nil {
		return nil, err
	}
	return p.replaceText(ctx, req.Doc, pf, req.DryRun, store.ActionReplace, "")
}

// replaceText runs a replace with an already parsed new text; summary, if
// not "", is the event's summary.
func (p *Project) replaceText(ctx context.Context, docRef string, pf *parsedFile, dry bool, action, summary string) (*ReplaceResult, error) {
	res := &ReplaceResult{File: pf.path, DryRun: dry, Codings: []ReplacedCoding{}, Warnings: nonNil(pf.parsed.Warnings)}
	newText := pf.parsed.Text
	var plan *replacePlan
	build := func(tx *store.Tx) error {
		d, err := tx.FindDocument(docRef)
		if err != nil {
			return err
		}
		plan, err = planReplace(tx, d, newText, res)
		return err
	}
	if dry {
		if err := p.Store.View(build); err != nil {
			return nil, err
		}
		vs := 0
		_ = p.Store.View(func(tx *store.Tx) error {
			v, _ := tx.Versions(res.ID)
			vs = len(v)
			return nil
		})
		res.Version = vs + 1
		res.NewTurns = len(pf.parsed.Turns)
		return res, nil
	}
	actor := p.actor(ctx)
	err := p.changeIndexed(ctx, func(tx *store.Tx) (indexChange, error) {
		if err := build(tx); err != nil {
			return indexChange{}, err
		}
		old := plan.doc
		nd := *old
		nd.Turns = pf.parsed.Turns
		nd.Format, nd.Encoding = pf.parsed.Format, pf.parsed.Encoding
		nd.SourcePath, nd.SourceHash = pf.abs, pf.hash
		nd.Warnings = pf.parsed.Warnings
		if pf.hash == "" {
			nd.SourceHash = old.SourceHash
		}
		v, err := tx.ReplaceDocument(store.Replacement{Doc: &nd, Text: newText, Moved: plan.moved,
			Changed: plan.changed, Orphaned: plan.orphaned, Actor: actor})
		if err != nil {
			return indexChange{}, err
		}
		res.Version = v
		res.NewTurns = len(nd.Turns)
		sum := summary
		if sum == "" {
			sum = fmt.Sprintf("replaced the text of %s with %s (old text kept as version %d): %d codings kept, %d moved, %d changed, %d orphaned",
				old.Name, filepath.Base(pf.path), v, res.Kept, res.Moved, res.Changed, res.Orphaned)
		}
		ev := &coding.Event{Actor: actor, Action: action, Target: fmt.Sprintf("doc:%d", old.ID), Summary: sum}
		if err := tx.Log(ev); err != nil {
			return indexChange{}, err
		}
		res.Event = ev.ID
		return indexChange{drop: map[uint64]int{old.ID: len(old.Turns)}, reindex: []uint64{old.ID}}, nil
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

type replacePlan struct {
	doc      *coding.Document
	moved    []coding.Coding
	changed  []store.ChangedMark
	orphaned []store.Orphan
}

// planReplace re-anchors the codings of d onto newText and fills the
// report; it writes nothing.
func planReplace(tx *store.Tx, d *coding.Document, newText string, res *ReplaceResult) (*replacePlan, error) {
	oldText, err := tx.Text(d.ID)
	if err != nil {
		return nil, err
	}
	codings, err := tx.CodingsByDoc(d.ID)
	if err != nil {
		return nil, err
	}
	cb, err := tx.Codes()
	if err != nil {
		return nil, err
	}
	sort.Slice(codings, func(i, j int) bool {
		if codings[i].Start != codings[j].Start {
			return codings[i].Start < codings[j].Start
		}
		return codings[i].ID < codings[j].ID
	})
	res.ID, res.Name = d.ID, d.Name
	oldOff, newOff := coding.NewOffsets(oldText), coding.NewOffsets(newText)
	res.OldChars, res.NewChars, res.OldTurns = oldOff.Len(), newOff.Len(), len(d.Turns)
	m := reanchor.Align(oldText, newText, reanchor.Options{})
	plan := &replacePlan{doc: d}
	for _, c := range codings {
		r := m.Span(reanchor.Span{ID: c.ID, Start: c.Start, End: c.End})
		rc := ReplacedCoding{ID: c.ID, Code: cb.Path(c.CodeID), Coder: c.Coder, Status: string(r.Status),
			OldStart: c.Start, OldEnd: c.End, OldQuote: oldOff.Slice(c.Start, c.End)}
		switch r.Status {
		case reanchor.Kept:
			res.Kept++
		case reanchor.Moved, reanchor.Changed:
			nc := c
			nc.Start, nc.End = r.NewStart, r.NewEnd
			plan.moved = append(plan.moved, nc)
			if r.Status == reanchor.Moved {
				res.Moved++
			} else {
				res.Changed++
				plan.changed = append(plan.changed, store.ChangedMark{CodingID: c.ID, DocID: d.ID,
					OldStart: c.Start, OldEnd: c.End, OldQuote: rc.OldQuote})
			}
		case reanchor.Orphaned:
			res.Orphaned++
			plan.orphaned = append(plan.orphaned, store.Orphan{Coding: c, Quote: rc.OldQuote})
		}
		if r.Status != reanchor.Orphaned {
			rc.NewStart, rc.NewEnd = r.NewStart, r.NewEnd
			rc.NewQuote = newOff.Slice(r.NewStart, r.NewEnd)
		}
		res.Codings = append(res.Codings, rc)
	}
	return plan, nil
}

// OrphansRequest lists orphaned codings, of one document or all.
type OrphansRequest struct {
	Doc string `json:"doc,omitempty"`
}

// OrphanRow is one orphaned coding.
type OrphanRow struct {
	ID      uint64 `json:"id"`
	Doc     string `json:"doc"`
	Code    string `json:"code"`
	Coder   string `json:"coder"`
	Quote   string `json:"quote"`
	Start   int    `json:"old_start"`
	End     int    `json:"old_end"`
	Version int    `json:"version"` // the version whose text it was on
	Memo    string `json:"memo,omitempty"`
}

// ChangedRow is one coding a replace stretched or shrank.
type ChangedRow struct {
	ID       uint64 `json:"id"`
	Doc      string `json:"doc"`
	Code     string `json:"code"`
	OldQuote string `json:"old_quote"`
	NewQuote string `json:"new_quote"`
	Start    int    `json:"start"`
	End      int    `json:"end"`
	Version  int    `json:"version"`
}

// OrphansResult lists the orphaned and changed codings.
type OrphansResult struct {
	Orphans []OrphanRow  `json:"orphans"`
	Changed []ChangedRow `json:"changed"`
}

// Orphans lists the codings replaces orphaned (to re-attach with 'tacit
// tag DOC CODE --range S:E', then drop with DropOrphan), and those they
// changed.
func (p *Project) Orphans(ctx context.Context, req OrphansRequest) (*OrphansResult, error) {
	out := &OrphansResult{Orphans: []OrphanRow{}, Changed: []ChangedRow{}}
	err := p.Store.View(func(tx *store.Tx) error {
		var docID uint64
		if req.Doc != "" {
			d, err := tx.FindDocument(req.Doc)
			if err != nil {
				return err
			}
			docID = d.ID
		}
		cb, err := tx.Codes()
		if err != nil {
			return err
		}
		names := map[uint64]string{}
		name := func(id uint64) string {
			if n, ok := names[id]; ok {
				return n
			}
			if d, err := tx.DocumentMeta(id); err == nil {
				names[id] = d.Name
			}
			return names[id]
		}
		os, err := tx.Orphans(docID)
		if err != nil {
			return err
		}
		store.SortOrphans(os)
		for _, o := range os {
			out.Orphans = append(out.Orphans, OrphanRow{ID: o.Coding.ID, Doc: name(o.Coding.DocID), Code: cb.Path(o.Coding.CodeID),
				Coder: o.Coding.Coder, Quote: o.Quote, Start: o.Coding.Start, End: o.Coding.End, Version: o.Version, Memo: o.Coding.Memo})
		}
		marks, err := tx.ChangedMarks(docID)
		if err != nil {
			return err
		}
		for _, m := range marks {
			c, err := tx.Coding(m.CodingID)
			if err != nil {
				continue
			}
			q, _ := tx.TextSlice(c.DocID, c.Start, c.End)
			out.Changed = append(out.Changed, ChangedRow{ID: c.ID, Doc: name(c.DocID), Code: cb.Path(c.CodeID),
				OldQuote: m.OldQuote, NewQuote: q, Start: c.Start, End: c.End, Version: m.Version})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// DropOrphanRequest names an orphaned coding to forget.
type DropOrphanRequest struct {
	ID uint64 `json:"id"`
}

// DropOrphan forgets an orphaned coding (after it was re-attached, or
// when it is not wanted); undoable.
func (p *Project) DropOrphan(ctx context.Context, req DropOrphanRequest) (*OrphanRow, error) {
	var row *OrphanRow
	err := p.Store.Update(func(tx *store.Tx) error {
		o, err := tx.DropOrphan(req.ID)
		if err != nil {
			return err
		}
		row = &OrphanRow{ID: o.Coding.ID, Quote: o.Quote, Start: o.Coding.Start, End: o.Coding.End, Version: o.Version, Coder: o.Coding.Coder}
		return tx.Log(&coding.Event{Actor: p.actor(ctx), Action: store.ActionOrphanDrop, Target: fmt.Sprintf("coding:%d", o.Coding.ID),
			Summary: fmt.Sprintf("dropped orphaned coding %d (%q)", o.Coding.ID, clip(o.Quote, 60))})
	})
	return row, err
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// VersionRequest asks for an earlier text of a document.
type VersionRequest struct {
	Doc     string `json:"doc"`
	Version int    `json:"version"`
}

// ShowVersion returns an earlier text of a document (version 1 is the
// text first imported) as Show does, without codings.
func (p *Project) ShowVersion(ctx context.Context, req VersionRequest) (*ShowResult, error) {
	var out *ShowResult
	err := p.Store.View(func(tx *store.Tx) error {
		d, err := tx.FindDocument(req.Doc)
		if err != nil {
			return err
		}
		vs, err := tx.Versions(d.ID)
		if err != nil {
			return err
		}
		if req.Version == len(vs)+1 {
			out, err = buildShow(tx, d)
			return err
		}
		if req.Version < 1 || req.Version > len(vs) {
			return coding.Errorf(coding.ENotFound, "document %s has versions 1 to %d (the current text is %d)", d.Name, len(vs)+1, len(vs)+1)
		}
		v := vs[req.Version-1]
		roles, err := tx.Roles()
		if err != nil {
			return err
		}
		off := coding.NewOffsets(v.Text)
		out = &ShowResult{ID: d.ID, Name: d.Name, Format: v.Doc.Format, Encoding: v.Doc.Encoding, Lang: v.Doc.Lang,
			SourcePath: v.Doc.SourcePath, SourceHash: v.Doc.SourceHash, Attributes: d.Attrs, Warnings: nonNil(v.Doc.Warnings),
			Text: v.Text, Turns: []ShowTurn{}, Codings: []ShowCoding{}}
		if out.Attributes == nil {
			out.Attributes = map[string]string{}
		}
		if d.CaseID != 0 {
			if c, err := tx.Case(d.CaseID); err == nil {
				out.Case = c.Name
			}
		}
		for _, t := range v.Doc.Turns {
			st := ShowTurn{Index: t.Index, Speaker: t.Speaker, Role: roles.Role(d, t.Speaker), Start: t.Start, End: t.End,
				Text: off.Slice(t.Start, t.End), Codings: []uint64{}}
			if t.HasTime {
				st.TimeStart, st.TimeEnd = secs(t.TimeStart), secs(t.TimeEnd)
			}
			out.Turns = append(out.Turns, st)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
