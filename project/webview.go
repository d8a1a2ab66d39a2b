package project

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/tacit-qda/tacit/coding"
	"github.com/tacit-qda/tacit/store"
)

// This file holds the read models and the few writes that the web server
// needs beyond the CLI's operations: the stories overview, a document as
// the reader shows it, the codebook with counts, and tagging one span as
// the logged-in coder (through bbolt's Batch, for many coders at once).

// StoriesResult is the Stories page: cases with their documents and how
// far each coder has got.
type StoriesResult struct {
	Cases  []StoryCase `json:"cases"`
	Coders []string    `json:"coders"`
}

// StoryCase is one case (story) with its documents. The case of documents
// that belong to no case has ID 0 and an empty name.
type StoryCase struct {
	ID         uint64            `json:"id"`
	Name       string            `json:"name"`
	Attributes map[string]string `json:"attributes"`
	Docs       []StoryDoc        `json:"docs"`
	// Coders maps each coder to their codings in the case's documents.
	Coders map[string]int `json:"coders"`
}

// StoryDoc is one document on the Stories page.
type StoryDoc struct {
	ID         uint64            `json:"id"`
	Name       string            `json:"name"`
	Turns      int               `json:"turns"`
	Chars      int               `json:"chars"`
	Speakers   []string          `json:"speakers"`
	Attributes map[string]string `json:"attributes"`
	Codings    int               `json:"codings"`
	// Coders maps each coder to their codings in this document; Coded to
	// the share of the document's characters they have coded (0..1).
	Coders map[string]int     `json:"coders"`
	Coded  map[string]float64 `json:"coded"`
}

// Stories returns the cases with their documents and coding progress per
// coder.
func (p *Project) Stories() (*StoriesResult, error) {
	res := &StoriesResult{Cases: []StoryCase{}, Coders: []string{}}
	err := p.Store.View(func(tx *store.Tx) error {
		// Everything is read in place (turns and codings are not decoded
		// into records): the page lists every document of the project,
		// and decoding 100,000 codings and their turns grew an idle
		// server by 56 MB on the 1,000-interview project.
		docs, err := tx.Documents(false)
		if err != nil {
			return err
		}
		cases, err := tx.Cases()
		if err != nil {
			return err
		}
		perDoc := map[uint64]map[string]int{}
		covered := map[uint64]map[string][]coding.Span{}
		coders := map[string]string{} // interned names
		if err := tx.ScanCodings(func(f *store.CodingFields) error {
			coder, ok := coders[string(f.Coder)]
			if !ok {
				coder = string(f.Coder)
				coders[coder] = coder
			}
			if perDoc[f.DocID] == nil {
				perDoc[f.DocID] = map[string]int{}
				covered[f.DocID] = map[string][]coding.Span{}
			}
			perDoc[f.DocID][coder]++
			covered[f.DocID][coder] = append(covered[f.DocID][coder], coding.Span{Start: f.Start, End: f.End})
			return nil
		}); err != nil {
			return err
		}
		byCase := map[uint64]*StoryCase{}
		var order []uint64
		for _, c := range cases {
			sc := &StoryCase{ID: c.ID, Name: c.Name, Attributes: nonNilMap(c.Attrs), Docs: []StoryDoc{}, Coders: map[string]int{}}
			byCase[c.ID] = sc
			order = append(order, c.ID)
		}
		for _, d := range docs {
			sc := byCase[d.CaseID]
			if sc == nil {
				sc = &StoryCase{Attributes: map[string]string{}, Docs: []StoryDoc{}, Coders: map[string]int{}}
				byCase[d.CaseID] = sc
				order = append(order, d.CaseID)
			}
			sd := StoryDoc{ID: d.ID, Name: d.Name, Chars: d.Chars, Speakers: []string{},
				Attributes: nonNilMap(d.Attrs), Coders: map[string]int{}, Coded: map[string]float64{}}
			if err := tx.ScanTurns(d.ID, func(speaker []byte, _, _ int) {
				sd.Turns++
				if len(speaker) == 0 {
					return
				}
				for _, sp := range sd.Speakers {
					if sp == string(speaker) {
						return
					}
				}
				sd.Speakers = append(sd.Speakers, string(speaker))
			}); err != nil {
				return err
			}
			for coder, n := range perDoc[d.ID] {
				sd.Coders[coder] = n
				sd.Codings += n
				sc.Coders[coder] += n
				if d.Chars > 0 {
					sd.Coded[coder] = float64(unionLen(covered[d.ID][coder])) / float64(d.Chars)
				}
			}
			sc.Docs = append(sc.Docs, sd)
		}
		for _, id := range order {
			res.Cases = append(res.Cases, *byCase[id])
		}
		for c := range coders {
			res.Coders = append(res.Coders, c)
		}
		sort.Strings(res.Coders)
		return nil
	})
	return res, err
}

// unionLen returns how many code points the spans cover together.
func unionLen(spans []coding.Span) int {
	sort.Slice(spans, func(i, j int) bool { return spans[i].Start < spans[j].Start })
	n, end := 0, -1
	for _, s := range spans {
		if s.Start > end {
			n += s.End - s.Start
			end = s.End
		} else if s.End > end {
			n += s.End - end
			end = s.End
		}
	}
	return n
}

func nonNilMap(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return m
}

// DocView is a document as the reader shows it: its turns with their text
// and role, its codings with their code, and its memos.
type DocView struct {
	ID         uint64            `json:"id"`
	Name       string            `json:"name"`
	Case       string            `json:"case"`
	CaseID     uint64            `json:"case_id"`
	Lang       string            `json:"lang"`
	Chars      int               `json:"chars"`
	Attributes map[string]string `json:"attributes"`
	Turns      []TurnView        `json:"turns"`
	Codings    []CodingView      `json:"codings"`
	Memos      []*coding.Memo    `json:"memos"`
	Revision   uint64            `json:"revision"`
}

// TurnView is one turn: offsets are code points into the document text;
// times are in milliseconds (has_time says whether they are known).
type TurnView struct {
	Index     int    `json:"index"`
	Speaker   string `json:"speaker"`
	Role      string `json:"role"`
	Start     int    `json:"start"`
	End       int    `json:"end"`
	Text      string `json:"text"`
	HasTime   bool   `json:"has_time"`
	TimeStart int64  `json:"time_start_ms"`
	TimeEnd   int64  `json:"time_end_ms"`
}

// CodingView is a coding with its code's path and colour and its text.
type CodingView struct {
	ID        uint64    `json:"id"`
	Doc       uint64    `json:"doc"`
	CodeID    uint64    `json:"code_id"`
	Code      string    `json:"code"`
	Color     string    `json:"color"`
	Start     int       `json:"start"`
	End       int       `json:"end"`
	Text      string    `json:"text"`
	Coder     string    `json:"coder"`
	Origin    string    `json:"origin"`
	Memo      string    `json:"memo"`
	Memos     int       `json:"memos"`
	CreatedAt time.Time `json:"created_at"`
}

// DocumentView returns the document named or numbered ref as the reader
// shows it.
func (p *Project) DocumentView(ref string) (*DocView, error) {
	var v *DocView
	err := p.Store.View(func(tx *store.Tx) error {
		d, err := tx.FindDocument(ref)
		if err != nil {
			return err
		}
		text, err := tx.Text(d.ID)
		if err != nil {
			return err
		}
		roles, err := tx.Roles()
		if err != nil {
			return err
		}
		cb, err := tx.Codes()
		if err != nil {
			return err
		}
		v = &DocView{ID: d.ID, Name: d.Name, CaseID: d.CaseID, Lang: d.Lang, Chars: d.Chars,
			Attributes: nonNilMap(d.Attrs), Turns: []TurnView{}, Codings: []CodingView{}, Revision: tx.Revision()}
		if v.Lang == "" {
			v.Lang = tx.Lang()
		}
		if d.CaseID != 0 {
			if c, err := tx.Case(d.CaseID); err == nil {
				v.Case = c.Name
			}
		}
		off := coding.NewOffsets(text)
		for _, t := range d.Turns {
			v.Turns = append(v.Turns, TurnView{Index: t.Index, Speaker: t.Speaker, Role: roles.Role(d, t.Speaker),
				Start: t.Start, End: t.End, Text: off.Slice(t.Start, t.End), HasTime: t.HasTime,
				TimeStart: t.TimeStart.Milliseconds(), TimeEnd: t.TimeEnd.Milliseconds()})
		}
		if len(d.Turns) == 0 {
			// A document without turns reads as one turn.
			v.Turns = append(v.Turns, TurnView{Index: 1, Start: 0, End: d.Chars, Text: text})
		}
		cs, err := tx.CodingsByDoc(d.ID)
		if err != nil {
			return err
		}
		memoCount := map[uint64]int{}
		for _, c := range cs {
			ms, err := tx.Memos(coding.MemoCoding, c.ID)
			if err != nil {
				return err
			}
			memoCount[c.ID] = len(ms)
		}
		for _, c := range cs {
			v.Codings = append(v.Codings, codingView(cb, off, &c, memoCount[c.ID]))
		}
		sort.SliceStable(v.Codings, func(i, j int) bool {
			a, b := v.Codings[i], v.Codings[j]
			if a.Start != b.Start {
				return a.Start < b.Start
			}
			return a.End > b.End
		})
		v.Memos, err = tx.Memos(coding.MemoDoc, d.ID)
		if v.Memos == nil {
			v.Memos = []*coding.Memo{}
		}
		return err
	})
	return v, err
}

func codingView(cb *coding.Codebook, off *coding.Offsets, c *coding.Coding, memos int) CodingView {
	cv := CodingView{ID: c.ID, Doc: c.DocID, CodeID: c.CodeID, Code: cb.Path(c.CodeID), Start: c.Start, End: c.End,
		Coder: c.Coder, Origin: c.Origin, Memo: c.Memo, Memos: memos, CreatedAt: c.CreatedAt}
	if code := cb.Code(c.CodeID); code != nil {
		cv.Color = code.Color
	}
	if off != nil {
		cv.Text = off.Slice(c.Start, c.End)
	}
	return cv
}

// CodeView is one code of the codebook with its counts.
type CodeView struct {
	ID          uint64 `json:"id"`
	Name        string `json:"name"`
	Path        string `json:"path"`
	Parent      uint64 `json:"parent"`
	Depth       int    `json:"depth"`
	Description string `json:"description"`
	Color       string `json:"color"`
	Codings     int    `json:"codings"`
	Documents   int    `json:"documents"`
}

// CodebookView returns the codes in tree order (children by name), with
// their counts of codings and documents.
func (p *Project) CodebookView() ([]CodeView, error) {
	out := []CodeView{}
	err := p.Store.View(func(tx *store.Tx) error {
		cb, err := tx.Codes()
		if err != nil {
			return err
		}
		cb.Walk(func(c *coding.Code, depth int) {
			n, docs := tx.CodeCounts(c.ID)
			out = append(out, CodeView{ID: c.ID, Name: c.Name, Path: cb.Path(c.ID), Parent: c.ParentID, Depth: depth,
				Description: c.Description, Color: c.Color, Codings: n, Documents: docs})
		})
		return nil
	})
	return out, err
}

// TagSpanRequest codes one span of one document with one code, as Coder.
type TagSpanRequest struct {
	Doc   string `json:"doc"`
	Code  string `json:"code"`
	Start int    `json:"start"`
	End   int    `json:"end"`
	Memo  string `json:"memo,omitempty"`
	Coder string `json:"coder"`
}

// TagSpanResult is the coding made (or found: Existed is true when the
// coder had coded the same span with the same code already).
type TagSpanResult struct {
	Coding  CodingView `json:"coding"`
	Existed bool       `json:"existed"`
}

// TagSpan codes [Start,End) of a document with a code as req.Coder. It runs
// through the store's Batch, so that many coders tagging at once share
// commits; nothing else may be done between the transaction and its
// result.
func (p *Project) TagSpan(req TagSpanRequest) (*TagSpanResult, error) {
	var res *TagSpanResult
	err := p.Store.Batch(func(tx *store.Tx) error {
		res = nil
		d, err := tx.FindDocument(req.Doc)
		if err != nil {
			return err
		}
		// The codebook is only read here: a served project shares one
		// decoded copy between tags while the codes do not change.
		cb, err := tx.SharedCodes()
		if err != nil {
			return err
		}
		code, err := cb.Resolve(req.Code)
		if err != nil {
			return err
		}
		span := coding.Span{Start: req.Start, End: req.End}
		created, _, err := tx.Tag(req.Coder, store.TagRequest{Doc: d, CodeIDs: []uint64{code.ID}, Spans: []coding.Span{span}, Memo: req.Memo, Codebook: cb})
		if err != nil {
			return err
		}
		text, _ := tx.TextSlice(d.ID, span.Start, span.End)
		if len(created) == 1 {
			cv := codingView(cb, nil, &created[0], 0)
			cv.Text = text
			res = &TagSpanResult{Coding: cv}
			return nil
		}
		cs, err := tx.CodingsByDoc(d.ID)
		if err != nil {
			return err
		}
		for _, c := range cs {
			if c.Coder == req.Coder && c.CodeID == code.ID && c.Start == span.Start && c.End == span.End {
				cv := codingView(cb, nil, &c, 0)
				cv.Text = text
				res = &TagSpanResult{Coding: cv, Existed: true}
			}
		}
		return nil
	})
	if err == nil && res == nil {
		err = coding.Errorf(coding.EInternal, "the coding was neither made nor found")
	}
	return res, err
}

// UntagAsRequest removes codings; a coder who is not an admin may remove
// only their own.
type UntagAsRequest struct {
	IDs   []uint64 `json:"ids"`
	Coder string   `json:"coder"`
	Admin bool     `json:"admin"`
}

// EForbidden is the kind of error for a change the user may not make
// (the HTTP server answers it with 403).
const EForbidden = "forbidden"

// UntagAs removes codings by id as req.Coder.
func (p *Project) UntagAs(req UntagAsRequest) ([]CodingView, error) {
	var out []CodingView
	err := p.Store.Batch(func(tx *store.Tx) error {
		out = nil
		if err := p.mayChangeCodings(tx, req.IDs, req.Coder, req.Admin); err != nil {
			return err
		}
		cb, err := tx.Codes()
		if err != nil {
			return err
		}
		removed, err := tx.Untag(req.Coder, req.IDs)
		for _, c := range removed {
			out = append(out, codingView(cb, nil, &c, 0))
		}
		return err
	})
	return out, err
}

func (p *Project) mayChangeCodings(tx *store.Tx, ids []uint64, coder string, admin bool) error {
	for _, id := range ids {
		c, err := tx.Coding(id)
		if err != nil {
			return err
		}
		if !admin && c.Coder != coder {
			return coding.Errorf(EForbidden, "coding %d was made by %s; only they or an admin may change it", id, c.Coder)
		}
	}
	return nil
}

// RecodeRequest moves one coding to another code (same span, same coder).
type RecodeRequest struct {
	ID    uint64 `json:"id"`
	Code  string `json:"code"`
	Coder string `json:"coder"`
	Admin bool   `json:"admin"`
}

// Recode changes the code of a coding, in one transaction and one event.
func (p *Project) Recode(req RecodeRequest) (*CodingView, error) {
	var out *CodingView
	err := p.Store.Batch(func(tx *store.Tx) error {
		out = nil
		if err := p.mayChangeCodings(tx, []uint64{req.ID}, req.Coder, req.Admin); err != nil {
			return err
		}
		c, err := tx.Coding(req.ID)
		if err != nil {
			return err
		}
		cb, code, err := resolveCode(tx, req.Code)
		if err != nil {
			return err
		}
		if code.ID == c.CodeID {
			cv := codingView(cb, nil, c, 0)
			out = &cv
			return nil
		}
		cs, err := tx.CodingsByDoc(c.DocID)
		if err != nil {
			return err
		}
		for _, o := range cs {
			if o.Coder == c.Coder && o.CodeID == code.ID && o.Start == c.Start && o.End == c.End {
				return coding.Errorf(coding.EConflict, "%s has coded this passage with %s already (coding %d); remove this coding instead", c.Coder, cb.Path(code.ID), o.ID)
			}
		}
		from := cb.Path(c.CodeID)
		c.CodeID = code.ID
		if err := tx.UpdateCoding(c); err != nil {
			return err
		}
		cv := codingView(cb, nil, c, 0)
		cv.Text, _ = tx.TextSlice(c.DocID, c.Start, c.End)
		out = &cv
		return tx.Log(&coding.Event{Actor: req.Coder, Action: store.ActionTag, Target: "coding:" + strconv.FormatUint(c.ID, 10),
			Summary: fmt.Sprintf("recoded coding %d from %s to %s", c.ID, strconv.Quote(from), strconv.Quote(cb.Path(code.ID)))})
	})
	return out, err
}

// EventView is an audit-log entry without its undo data.
type EventView struct {
	ID      uint64    `json:"id"`
	Time    time.Time `json:"time"`
	Actor   string    `json:"actor"`
	Action  string    `json:"action"`
	Target  string    `json:"target"`
	Summary string    `json:"summary"`
	Undone  bool      `json:"undone"`
}

// EventsAfter returns up to limit events with ids above after, oldest
// first, and the store revision.
func (p *Project) EventsAfter(after uint64, limit int) ([]EventView, uint64, error) {
	var out []EventView
	var rev uint64
	err := p.Store.View(func(tx *store.Tx) error {
		rev = tx.Revision()
		return tx.Events(func(e *coding.Event) bool {
			if e.ID <= after {
				return false
			}
			out = append(out, eventView(e))
			return true
		})
	})
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	if limit > 0 && len(out) > limit {
		out = out[len(out)-limit:]
	}
	return out, rev, err
}

// RecentEvents returns the newest limit events, newest first, optionally
// only those of one actor.
func (p *Project) RecentEvents(limit int, actor string) ([]EventView, error) {
	out := []EventView{}
	err := p.Store.View(func(tx *store.Tx) error {
		return tx.Events(func(e *coding.Event) bool {
			if actor == "" || strings.EqualFold(e.Actor, actor) {
				out = append(out, eventView(e))
			}
			return len(out) < limit
		})
	})
	return out, err
}

// StoreRevision returns the store revision (bumped by every committed change).
func (p *Project) StoreRevision() (uint64, error) {
	var rev uint64
	err := p.Store.View(func(tx *store.Tx) error { rev = tx.Revision(); return nil })
	return rev, err
}

func eventView(e *coding.Event) EventView {
	return EventView{ID: e.ID, Time: e.Time, Actor: e.Actor, Action: e.Action, Target: e.Target, Summary: e.Summary, Undone: e.Undone}
}

// UndoAs reverts the newest change of coder that was not undone yet (as
// 'tacit undo' does), keeping the search index in step.
func (p *Project) UndoAs(coder string) (*EventView, error) {
	var undone *coding.Event
	err := p.UpdateIndexed(context.Background(), func(tx *store.Tx) ([]uint64, bool, error) {
		var err error
		undone, err = tx.Undo(coder)
		return nil, err == nil && tx.IndexChanged(), err
	})
	if err != nil {
		return nil, err
	}
	ev := eventView(undone)
	ev.Undone = true
	return &ev, nil
}

// MemoAsRequest writes a memo on the project, a case, a document, a code
// or a coding, by Author.
type MemoAsRequest struct {
	Target   string `json:"target"`
	TargetID uint64 `json:"target_id"`
	Title    string `json:"title,omitempty"`
	Text     string `json:"text"`
	Author   string `json:"-"`
}

// MemoAs adds a memo.
func (p *Project) MemoAs(req MemoAsRequest) (*coding.Memo, error) {
	m := &coding.Memo{Target: req.Target, TargetID: req.TargetID, Title: req.Title, Text: req.Text}
	err := p.Store.Update(func(tx *store.Tx) error { return tx.AddMemo(req.Author, m) })
	if err != nil {
		return nil, err
	}
	return m, nil
}

// MemosOf lists the memos on one target (target_id 0 for the project).
func (p *Project) MemosOf(target string, id uint64) ([]*coding.Memo, error) {
	out := []*coding.Memo{}
	err := p.Store.View(func(tx *store.Tx) error {
		ms, err := tx.Memos(target, id)
		out = append(out, ms...)
		return err
	})
	return out, err
}

// DeleteMemoAs removes a memo; who is not an admin may remove only their
// own.
func (p *Project) DeleteMemoAs(id uint64, who string, admin bool) (*coding.Memo, error) {
	var out *coding.Memo
	err := p.Store.Update(func(tx *store.Tx) error {
		m, err := tx.Memo(id)
		if err != nil {
			return err
		}
		if !admin && m.Author != who {
			return coding.Errorf(EForbidden, "memo %d was written by %s; only they or an admin may delete it", id, m.Author)
		}
		out, err = tx.RemoveMemo(who, id)
		return err
	})
	return out, err
}
