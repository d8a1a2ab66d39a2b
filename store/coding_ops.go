package store

import (
	"encoding/binary"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/tacit-qda/tacit/coding"
)

// TagRequest is one tagging operation: every code on every span of one
// document.
type TagRequest struct {
	Doc     *coding.Document
	CodeIDs []uint64
	Spans   []coding.Span
	Memo    string
	Origin  string // default coding.OriginManual
	Group   uint64
	Query   string
	// Codebook, when set, is the project's codebook as the caller read it
	// in this transaction; Tag then does not read it again.
	Codebook *coding.Codebook
}

// Tag codes the spans of a document with the codes, as actor. A coding
// identical to an existing one (same code, span and coder) is not added
// again; the number skipped is returned. Every span is checked against the
// document's text first, so a bad one writes nothing. When nothing is new,
// nothing is written and no event is logged.
func (tx *Tx) Tag(actor string, req TagRequest) ([]coding.Coding, int, error) {
	d := req.Doc
	if d == nil || tx.b(bDocs).Get(u64(d.ID)) == nil {
		return nil, 0, coding.Errorf(coding.ENotFound, "the document to tag does not exist")
	}
	if len(req.CodeIDs) == 0 || len(req.Spans) == 0 {
		return nil, 0, coding.Errorf(coding.EInvalid, "give at least one code and one place to tag")
	}
	if strings.TrimSpace(actor) == "" {
		return nil, 0, &coding.Error{Kind: coding.EInvalid, Message: "the coder's name is empty", Next: coding.NextNameCoder}
	}
	for _, s := range req.Spans {
		if err := coding.CheckSpan(s, d.Chars); err != nil {
			return nil, 0, coding.Errorf(coding.EInvalid, "%s of %s", err.Error(), d.Name)
		}
	}
	cb := req.Codebook
	if cb == nil {
		var err error
		if cb, err = tx.Codes(); err != nil {
			return nil, 0, err
		}
	}
	for _, id := range req.CodeIDs {
		if cb.Code(id) == nil {
			return nil, 0, coding.Errorf(coding.ENotFound, "code %d does not exist", id)
		}
	}
	want := make([]coderSpan, 0, len(req.Spans)*len(req.CodeIDs))
	for _, s := range req.Spans {
		for _, code := range req.CodeIDs {
			want = append(want, coderSpan{code, s.Start, s.End})
		}
	}
	have, err := tx.existingCodings(d.ID, actor, want)
	if err != nil {
		return nil, 0, err
	}
	origin := req.Origin
	if origin == "" {
		origin = coding.OriginManual
	}
	var created []coding.Coding
	skipped := 0
	now := tx.Now()
	for _, s := range req.Spans {
		for _, code := range req.CodeIDs {
			k := coderSpan{code, s.Start, s.End}
			if have[k] {
				skipped++
				continue
			}
			have[k] = true
			c := coding.Coding{DocID: d.ID, CodeID: code, Start: s.Start, End: s.End, Coder: actor,
				Origin: origin, Group: req.Group, Query: req.Query, Memo: strings.TrimSpace(req.Memo), CreatedAt: now}
			if err := tx.AddCoding(&c); err != nil {
				return nil, 0, err
			}
			created = append(created, c)
		}
	}
	if len(created) == 0 {
		return nil, skipped, nil
	}
	var paths []string
	for _, id := range req.CodeIDs {
		paths = append(paths, cb.Path(id))
	}
	var summary string
	if len(req.Spans) == 1 {
		text, _ := tx.TextSlice(d.ID, req.Spans[0].Start, req.Spans[0].End)
		summary = fmt.Sprintf("tagged %s %d:%d %s with %s", d.Name, req.Spans[0].Start, req.Spans[0].End,
			strconv.Quote(clipText(text, 60)), coding.QuoteList(paths))
	} else {
		summary = fmt.Sprintf("tagged %d passages of %s with %s", len(req.Spans), d.Name, coding.QuoteList(paths))
	}
	if len(created) > 1 {
		summary += fmt.Sprintf(" (%d codings)", len(created))
	}
	return created, skipped, tx.Log(&coding.Event{Actor: actor, Action: ActionTag, Target: fmt.Sprintf("doc:%d", d.ID), Summary: summary})
}

func clipText(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// Untag removes codings by id (and the memos on them). An unknown id is a
// not-found error and nothing is removed.
func (tx *Tx) Untag(actor string, ids []uint64) ([]coding.Coding, error) {
	if len(ids) == 0 {
		return nil, &coding.Error{Kind: coding.EInvalid, Message: "give the ids of the codings to remove", Next: coding.NextListCodings}
	}
	cb, err := tx.Codes()
	if err != nil {
		return nil, err
	}
	var removed []coding.Coding
	var parts []string
	seen := map[uint64]bool{}
	for _, id := range ids {
		if seen[id] {
			continue
		}
		seen[id] = true
		c, err := tx.Coding(id)
		if err != nil {
			return nil, err
		}
		if err := tx.DeleteCoding(id); err != nil {
			return nil, err
		}
		removed = append(removed, *c)
		name := strconv.FormatUint(c.DocID, 10)
		if d, err := tx.Document(c.DocID); err == nil {
			name = d.Name
		}
		parts = append(parts, fmt.Sprintf("%d (%s on %s %d:%d, coded by %s)", id, cb.Path(c.CodeID), name, c.Start, c.End, c.Coder))
	}
	summary := "removed coding " + strings.Join(parts, ", ")
	if len(parts) > 1 {
		summary = fmt.Sprintf("removed %d codings: %s", len(parts), strings.Join(parts, ", "))
	}
	return removed, tx.Log(&coding.Event{Actor: actor, Action: ActionUntag, Target: fmt.Sprintf("coding:%d", ids[0]), Summary: summary})
}

// TextSlice returns the code points [start, end) of a document's text,
// reading the stored text in place.
func (tx *Tx) TextSlice(docID uint64, start, end int) (string, error) {
	raw := tx.b(bTexts).Get(u64(docID))
	if raw == nil {
		return "", coding.Errorf(coding.ENotFound, "document %d has no text", docID)
	}
	return coding.SliceRunes(raw, start, end), nil
}

// Excerpt returns a coded passage with up to ctx code points of context on
// each side, reading the stored text in place.
func (tx *Tx) Excerpt(docID uint64, start, end, ctx int) (before, text, after string, err error) {
	ps, err := tx.Excerpts(docID, []coding.Span{{Start: start, End: end}}, ctx)
	if err != nil {
		return "", "", "", err
	}
	return ps[0].Before, ps[0].Text, ps[0].After, nil
}

// Passage is a coded passage with its context, as Excerpts returns it.
type Passage struct {
	Before, Text, After string
}

// Excerpts returns the passages of one document, each with up to ctx code
// points of context on each side. The stored text is read in place and
// scanned once, only as far as the last offset needed, so the codings of
// a document cost one pass over (part of) its text.
func (tx *Tx) Excerpts(docID uint64, spans []coding.Span, ctx int) ([]Passage, error) {
	raw := tx.b(bTexts).Get(u64(docID))
	if raw == nil {
		return nil, coding.Errorf(coding.ENotFound, "document %d has no text", docID)
	}
	ctx = max(ctx, 0)
	runes := make([]int, 0, 4*len(spans))
	for _, s := range spans {
		end := max(s.End, s.Start)
		runes = append(runes, s.Start-ctx, s.Start, end, end+ctx)
	}
	var b []int
	if tx.docChars(docID) == len(raw) {
		// One byte per code point: the offsets are byte offsets, and only
		// the pages of the passages are read.
		b = runes
		for i, r := range b {
			b[i] = max(0, min(r, len(raw)))
		}
	} else {
		b = byteOffsets(raw, runes)
	}
	out := make([]Passage, len(spans))
	for i := range spans {
		o := b[4*i : 4*i+4]
		out[i] = Passage{Before: string(raw[o[0]:o[1]]), Text: string(raw[o[1]:o[2]]), After: string(raw[o[2]:o[3]])}
	}
	return out, nil
}

// docChars returns the code-point length of a document's text as stored
// in its record (-1 when unknown).
func (tx *Tx) docChars(docID uint64) int {
	raw := tx.b(bDocs).Get(u64(docID))
	if len(raw) == 0 || raw[0] != docV1 {
		return -1
	}
	// The fields before Chars (see encodeDoc), skipped without copying.
	d := dec{b: raw[1:]}
	d.skip()      // name
	d.uv()        // case
	for range 5 { // format, encoding, lang, source path, source hash
		d.skip()
	}
	n := d.uv()
	if d.err != nil {
		return -1
	}
	return int(n)
}

// byteOffsets converts code-point offsets (in any order) into byte offsets
// of the UTF-8 text b, each clamped to [0, len(b)], in one pass over b up
// to the largest. An invalid byte counts as one code point, as in a Go
// range loop over a string.
func byteOffsets(b []byte, runes []int) []int {
	order := make([]int, len(runes))
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(i, j int) bool { return runes[order[i]] < runes[order[j]] })
	out := make([]int, len(runes))
	r, pos := 0, 0
	for _, i := range order {
		want := runes[i]
		for r < want && pos < len(b) {
			// Eight ASCII bytes at a time, where the text allows.
			if want-r >= 8 && len(b)-pos >= 8 && binary.LittleEndian.Uint64(b[pos:])&0x8080808080808080 == 0 {
				pos += 8
				r += 8
				continue
			}
			if b[pos] < utf8.RuneSelf {
				pos++
			} else {
				_, n := utf8.DecodeRune(b[pos:])
				pos += n
			}
			r++
		}
		out[i] = pos
	}
	return out
}

// ---- memos ----

// MemoTargetName describes a memo's target for messages.
func (tx *Tx) MemoTargetName(target string, id uint64) string {
	switch target {
	case coding.MemoProject:
		return "the project"
	case coding.MemoCase:
		if c, err := tx.Case(id); err == nil {
			return fmt.Sprintf("case %q", c.Name)
		}
	case coding.MemoDoc:
		if d, err := tx.Document(id); err == nil {
			return fmt.Sprintf("document %s", d.Name)
		}
	case coding.MemoCode:
		if cb, err := tx.Codes(); err == nil && cb.Code(id) != nil {
			return fmt.Sprintf("code %q", cb.Path(id))
		}
	case coding.MemoCoding:
		return fmt.Sprintf("coding %d", id)
	}
	return fmt.Sprintf("%s %d", target, id)
}

// AddMemo writes a new memo by actor on an existing target.
func (tx *Tx) AddMemo(actor string, m *coding.Memo) error {
	m.ID = 0
	if m.Target == coding.MemoProject {
		m.TargetID = 0
	}
	switch m.Target {
	case coding.MemoProject, coding.MemoCase, coding.MemoDoc, coding.MemoCode, coding.MemoCoding:
	default:
		return coding.Errorf(coding.EInvalid, "a memo is on project, case, doc, code or coding, not %q", m.Target)
	}
	if !tx.memoTargetExists(m) {
		return coding.Errorf(coding.ENotFound, "%s %d does not exist", m.Target, m.TargetID)
	}
	m.Text = strings.TrimSpace(m.Text)
	m.Title = strings.TrimSpace(m.Title)
	if m.Text == "" {
		return coding.Errorf(coding.EInvalid, "the memo is empty; give its text")
	}
	m.Author = actor
	m.CreatedAt = tx.Now()
	m.UpdatedAt = m.CreatedAt
	if err := tx.PutMemo(m); err != nil {
		return err
	}
	return tx.Log(&coding.Event{Actor: actor, Action: ActionMemoAdd, Target: fmt.Sprintf("memo:%d", m.ID),
		Summary: fmt.Sprintf("memo %d on %s: %s", m.ID, tx.MemoTargetName(m.Target, m.TargetID), strconv.Quote(clipText(m.Text, 60)))})
}

// EditMemo replaces a memo's text and/or title (nil: unchanged).
func (tx *Tx) EditMemo(actor string, id uint64, title, text *string) (*coding.Memo, error) {
	m, err := tx.Memo(id)
	if err != nil {
		return nil, err
	}
	old := *m
	if text != nil {
		t := strings.TrimSpace(*text)
		if t == "" {
			return nil, &coding.Error{Kind: coding.EInvalid, Message: "the memo text cannot be empty", Next: coding.NextDeleteMemo, Arg: strconv.FormatUint(id, 10)}
		}
		m.Text = t
	}
	if title != nil {
		m.Title = strings.TrimSpace(*title)
	}
	if m.Text == old.Text && m.Title == old.Title {
		return m, nil
	}
	m.UpdatedAt = tx.Now()
	if err := tx.PutMemo(m); err != nil {
		return nil, err
	}
	return m, tx.Log(&coding.Event{Actor: actor, Action: ActionMemoEdit, Target: fmt.Sprintf("memo:%d", id),
		Summary: fmt.Sprintf("edited memo %d on %s: %s", id, tx.MemoTargetName(m.Target, m.TargetID), strconv.Quote(clipText(m.Text, 60)))})
}

// RemoveMemo deletes a memo.
func (tx *Tx) RemoveMemo(actor string, id uint64) (*coding.Memo, error) {
	m, err := tx.Memo(id)
	if err != nil {
		return nil, err
	}
	if err := tx.DeleteMemo(id); err != nil {
		return nil, err
	}
	return m, tx.Log(&coding.Event{Actor: actor, Action: ActionMemoDelete, Target: fmt.Sprintf("memo:%d", id),
		Summary: fmt.Sprintf("deleted memo %d on %s: %s", id, tx.MemoTargetName(m.Target, m.TargetID), strconv.Quote(clipText(m.Text, 60)))})
}

// ---- roles ----

// SetRole maps a speaker label to a role, project-wide or (doc not nil)
// in one document only; an empty role removes the mapping.
func (tx *Tx) SetRole(actor, speaker, role string, doc *coding.Document) error {
	key := coding.NormSpeaker(speaker)
	if key == "" {
		return coding.Errorf(coding.EInvalid, "the speaker name is empty")
	}
	role = strings.ToLower(strings.Join(strings.Fields(role), " "))
	rm, err := tx.Roles()
	if err != nil {
		return err
	}
	m := rm.Project
	where := "in the project"
	if doc != nil {
		if rm.PerDoc[doc.ID] == nil {
			rm.PerDoc[doc.ID] = map[string]string{}
		}
		m = rm.PerDoc[doc.ID]
		where = "in " + doc.Name
	}
	old, had := m[key]
	if role == "" {
		if !had {
			return coding.Errorf(coding.ENotFound, "speaker %q has no role %s", speaker, where)
		}
		delete(m, key)
		if doc != nil && len(m) == 0 {
			delete(rm.PerDoc, doc.ID)
		}
	} else {
		if had && old == role {
			return nil
		}
		m[key] = role
	}
	if err := tx.SetRoles(rm); err != nil {
		return err
	}
	summary := fmt.Sprintf("speaker %q is %s %s", speaker, role, where)
	if role == "" {
		summary = fmt.Sprintf("speaker %q has no role %s (was %s)", speaker, where, old)
	} else if had {
		summary += fmt.Sprintf(" (was %s)", old)
	}
	return tx.Log(&coding.Event{Actor: actor, Action: ActionRole, Target: "roles", Summary: summary})
}

// ---- audit log ----

// EventFilter selects events; zero fields select everything.
type EventFilter struct {
	Actor  string
	Action string // exact, or a prefix before a dot: "code" selects "code.add"
	Since  time.Time
	Limit  int
}

// Match reports whether e passes the filter (Limit aside).
func (f EventFilter) Match(e *coding.Event) bool {
	if f.Actor != "" && !strings.EqualFold(e.Actor, f.Actor) {
		return false
	}
	if f.Action != "" && e.Action != f.Action && !strings.HasPrefix(e.Action, f.Action+".") {
		return false
	}
	return f.Since.IsZero() || !e.Time.Before(f.Since)
}

// FilterEvents returns the events that pass f, newest first.
func (tx *Tx) FilterEvents(f EventFilter) ([]*coding.Event, error) {
	var out []*coding.Event
	err := tx.Events(func(e *coding.Event) bool {
		if !f.Since.IsZero() && e.Time.Before(f.Since) {
			return false
		}
		if f.Match(e) {
			out = append(out, e)
		}
		return f.Limit <= 0 || len(out) < f.Limit
	})
	return out, err
}

// ---- speakers ----

// SpeakerStat is one speaker label with where it speaks.
type SpeakerStat struct {
	Speaker   string         `json:"speaker"`
	Role      string         `json:"role"`
	Documents []string       `json:"documents"`
	Turns     int            `json:"turns"`
	PerDoc    map[string]int `json:"turns_per_document"`
	// DocRoles holds the per-document roles that differ from Role.
	DocRoles map[string]string `json:"document_roles,omitempty"`
}

// Speakers lists the speaker labels of all documents (compared
// case-insensitively), with their project role, documents and turn counts.
func (tx *Tx) Speakers() ([]SpeakerStat, error) {
	docs, err := tx.Documents(true)
	if err != nil {
		return nil, err
	}
	rm, err := tx.Roles()
	if err != nil {
		return nil, err
	}
	byKey := map[string]*SpeakerStat{}
	var order []string
	for _, d := range docs {
		for _, t := range d.Turns {
			if t.Speaker == "" {
				continue
			}
			k := coding.NormSpeaker(t.Speaker)
			s := byKey[k]
			if s == nil {
				role, ok := rm.Project[k]
				if !ok {
					role = coding.DefaultRole(t.Speaker)
				}
				s = &SpeakerStat{Speaker: t.Speaker, Role: role, Documents: []string{}, PerDoc: map[string]int{}}
				byKey[k] = s
				order = append(order, k)
			}
			if s.PerDoc[d.Name] == 0 {
				s.Documents = append(s.Documents, d.Name)
				r, ok := rm.PerDoc[d.ID][k]
				if _, mapped := rm.Project[k]; !ok && !mapped && coding.IsInterviewer(d, t.Speaker) {
					r, ok = coding.RoleInterviewer, true
				}
				if ok && r != s.Role {
					if s.DocRoles == nil {
						s.DocRoles = map[string]string{}
					}
					s.DocRoles[d.Name] = r
				}
			}
			s.PerDoc[d.Name]++
			s.Turns++
		}
	}
	sort.Strings(order)
	out := make([]SpeakerStat, 0, len(order))
	for _, k := range order {
		out = append(out, *byKey[k])
	}
	return out, nil
}
