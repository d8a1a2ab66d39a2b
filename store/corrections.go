package store

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/tacit-qda/tacit/coding"
)

// Corrections: deleting, moving and renaming documents and cases, and
// replacing a document's text with its codings re-anchored. Every write
// goes through put and del, so each of these is undone by Undo like any
// other change, records restored byte for byte.

// bucketGet reads key from a bucket that may be missing (a project opened
// read-only before the bucket was added).
func (tx *Tx) bucketGet(bucket, key []byte) []byte {
	b := tx.b(bucket)
	if b == nil {
		return nil
	}
	return b.Get(key)
}

// forEach walks a bucket that may be missing.
func (tx *Tx) forEach(bucket []byte, fn func(k, v []byte) error) error {
	b := tx.b(bucket)
	if b == nil {
		return nil
	}
	return b.ForEach(fn)
}

// RenameDocument gives a document a new name; the name must be free.
func (tx *Tx) RenameDocument(id uint64, name string) (*coding.Document, error) {
	d, err := tx.DocumentMeta(id)
	if err != nil {
		return nil, err
	}
	name = coding.CleanLabel(name)
	switch {
	case name == "":
		return nil, coding.Errorf(coding.EInvalid, "a document name cannot be empty")
	case isAllDigits(name):
		return nil, coding.Errorf(coding.EInvalid, "a document name cannot be a number (%s), which reads as a document id", name)
	case name == d.Name:
		return nil, coding.Errorf(coding.EInvalid, "document %s already has that name", d.Name)
	}
	if other := tx.DocIDByName(name); other != 0 {
		return nil, coding.Errorf(coding.EConflict, "a document named %s exists already; rename or remove it first", name)
	}
	if err := tx.del(bDocNames, []byte(d.Name)); err != nil {
		return nil, err
	}
	d.Name = name
	if err := tx.put(bDocNames, []byte(name), u64(id)); err != nil {
		return nil, err
	}
	return d, tx.putDocMeta(d)
}

// SetDocumentCase places a document in a case (0: in none).
func (tx *Tx) SetDocumentCase(id, caseID uint64) (*coding.Document, error) {
	d, err := tx.DocumentMeta(id)
	if err != nil {
		return nil, err
	}
	if caseID != 0 {
		if _, err := tx.Case(caseID); err != nil {
			return nil, err
		}
	}
	d.CaseID = caseID
	return d, tx.putDocMeta(d)
}

// RenameCase gives a case a new name; no other case may have it (names
// compare case-insensitively).
func (tx *Tx) RenameCase(id uint64, name string) (*coding.Case, error) {
	c, err := tx.Case(id)
	if err != nil {
		return nil, err
	}
	name = strings.Join(strings.Fields(name), " ")
	if name == "" {
		return nil, coding.Errorf(coding.EInvalid, "a case name cannot be empty")
	}
	if name == c.Name {
		return nil, coding.Errorf(coding.EInvalid, "case %q already has that name", c.Name)
	}
	if other := getU64(tx.b(bCaseNames).Get(foldName(name))); other != 0 && other != id {
		return nil, &coding.Error{Kind: coding.EConflict, Message: fmt.Sprintf("a case named %q exists already", name), Next: coding.NextMergeCases}
	}
	if err := tx.del(bCaseNames, foldName(c.Name)); err != nil {
		return nil, err
	}
	c.Name = name
	if err := tx.put(bCaseNames, foldName(name), u64(id)); err != nil {
		return nil, err
	}
	return c, tx.PutCase(c)
}

// DeleteCase removes a case record, its name and its memos (returned);
// its documents must have been moved out already.
func (tx *Tx) DeleteCase(id uint64) ([]*coding.Memo, error) {
	c, err := tx.Case(id)
	if err != nil {
		return nil, err
	}
	docs, err := tx.Documents(false)
	if err != nil {
		return nil, err
	}
	for _, d := range docs {
		if d.CaseID == id {
			return nil, fmt.Errorf("internal error: case %q still holds document %s", c.Name, d.Name)
		}
	}
	memos, err := tx.Memos(coding.MemoCase, id)
	if err != nil {
		return nil, err
	}
	for _, m := range memos {
		if err := tx.del(bMemos, u64(m.ID)); err != nil {
			return nil, err
		}
	}
	if err := tx.del(bCaseNames, foldName(c.Name)); err != nil {
		return nil, err
	}
	tx.touch(true)
	return memos, tx.del(bCases, u64(id))
}

// RetargetMemos moves the memos on one target to another of the same
// kind and returns how many moved.
func (tx *Tx) RetargetMemos(target string, from, to uint64) (int, error) {
	memos, err := tx.Memos(target, from)
	if err != nil {
		return 0, err
	}
	for _, m := range memos {
		m.TargetID = to
		if err := tx.PutMemo(m); err != nil {
			return 0, err
		}
	}
	return len(memos), nil
}

// ---- versions ----

const versionV1 = 1

// DocVersion is an earlier text of a document, kept when 'tacit replace'
// gave it a new one. N counts from 1 (the text first imported).
type DocVersion struct {
	N          int              `json:"version"`
	ReplacedAt time.Time        `json:"replaced_at"`
	ReplacedBy string           `json:"replaced_by"`
	Doc        *coding.Document `json:"-"`
	Text       string           `json:"-"`
}

func encodeVersion(at time.Time, by string, meta, turns, text []byte) []byte {
	e := enc{}
	e.b = append(e.b, versionV1)
	e.t(at)
	e.s(by)
	e.s(string(meta))
	e.s(string(turns))
	e.s(string(text))
	return e.b
}

func decodeVersion(docID uint64, n int, b []byte) (*DocVersion, error) {
	if len(b) == 0 || b[0] != versionV1 {
		return nil, errCorrupt
	}
	d := dec{b: b[1:]}
	v := &DocVersion{N: n}
	v.ReplacedAt = d.t()
	v.ReplacedBy = d.s()
	meta, turns := d.bytes(), d.bytes()
	v.Text = d.s()
	if d.err != nil {
		return nil, d.err
	}
	doc, err := decodeDoc(docID, meta)
	if err != nil {
		return nil, err
	}
	doc.Turns, err = decodeTurns(turns)
	if err != nil {
		return nil, err
	}
	v.Doc = &doc
	return v, nil
}

// Versions returns the earlier texts of a document, oldest first.
func (tx *Tx) Versions(docID uint64) ([]*DocVersion, error) {
	b := tx.b(bDocVersions)
	if b == nil {
		return nil, nil
	}
	var out []*DocVersion
	prefix := u64(docID)
	c := b.Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		dv, err := decodeVersion(docID, int(getU64(k[8:])), v)
		if err != nil {
			return nil, fmt.Errorf("version %d of document %d: %w", getU64(k[8:]), docID, err)
		}
		out = append(out, dv)
	}
	return out, nil
}

// ---- replace ----

// Orphan is a coding whose words were all deleted by a replace: it is
// kept aside (out of the codings, so reports do not count it) with the
// quote it had, to be re-attached by hand with 'tacit tag --range'.
type Orphan struct {
	Coding     coding.Coding `json:"coding"`
	Quote      string        `json:"quote"`
	Version    int           `json:"version"`
	OrphanedAt time.Time     `json:"orphaned_at"`
}

// ChangedMark records that a replace stretched or shrank a coding to the
// words of it that survived.
type ChangedMark struct {
	CodingID uint64    `json:"coding_id"`
	DocID    uint64    `json:"doc"`
	Version  int       `json:"version"`
	OldStart int       `json:"old_start"`
	OldEnd   int       `json:"old_end"`
	OldQuote string    `json:"old_quote"`
	At       time.Time `json:"at"`
}

// Replacement is a new text for a document with what becomes of its
// codings.
type Replacement struct {
	Doc      *coding.Document // the new metadata and turns (same ID)
	Text     string
	Moved    []coding.Coding // codings at new offsets (kept, moved or changed)
	Changed  []ChangedMark   // marks for the changed ones
	Orphaned []Orphan
	Actor    string
}

// ReplaceDocument keeps the document's current text as its next version,
// writes the new text, turns and metadata, re-anchors and marks codings
// and sets orphans aside. It returns the number of the version kept.
func (tx *Tx) ReplaceDocument(r Replacement) (int, error) {
	id := r.Doc.ID
	old, err := tx.DocumentMeta(id)
	if err != nil {
		return 0, err
	}
	vb := tx.b(bDocVersions)
	n := 1
	prefix := u64(id)
	c := vb.Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		n = int(getU64(k[8:])) + 1
	}
	rec := encodeVersion(tx.Now(), r.Actor, tx.b(bDocs).Get(u64(id)), tx.b(bTurns).Get(u64(id)), tx.b(bTexts).Get(u64(id)))
	if err := tx.put(bDocVersions, key2(id, uint64(n)), rec); err != nil {
		return 0, err
	}
	r.Doc.Chars = coding.RuneLen(r.Text)
	r.Doc.Name = old.Name
	if old.SourceHash != r.Doc.SourceHash {
		if old.SourceHash != "" && tx.DocIDByHash(old.SourceHash) == id {
			if err := tx.del(bDocHashes, []byte(old.SourceHash)); err != nil {
				return 0, err
			}
		}
		if r.Doc.SourceHash != "" && tx.DocIDByHash(r.Doc.SourceHash) == 0 {
			if err := tx.put(bDocHashes, []byte(r.Doc.SourceHash), u64(id)); err != nil {
				return 0, err
			}
		}
	}
	if err := tx.putDocMeta(r.Doc); err != nil {
		return 0, err
	}
	if err := tx.put(bTurns, u64(id), encodeTurns(r.Doc.Turns)); err != nil {
		return 0, err
	}
	if err := tx.put(bTexts, u64(id), []byte(r.Text)); err != nil {
		return 0, err
	}
	for i := range r.Moved {
		if r.Moved[i].DocID != id {
			return 0, fmt.Errorf("internal error: coding %d is not on document %d", r.Moved[i].ID, id)
		}
		if err := tx.putCoding(&r.Moved[i]); err != nil {
			return 0, err
		}
	}
	for _, m := range r.Changed {
		m.Version = n
		m.At = tx.Now()
		raw, err := json.Marshal(m)
		if err != nil {
			return 0, err
		}
		if err := tx.put(bChanged, u64(m.CodingID), raw); err != nil {
			return 0, err
		}
	}
	for _, o := range r.Orphaned {
		o.Version = n
		o.OrphanedAt = tx.Now()
		cid := o.Coding.ID
		raw, err := json.Marshal(o)
		if err != nil {
			return 0, err
		}
		if err := tx.put(bOrphans, u64(cid), raw); err != nil {
			return 0, err
		}
		// Out of the codings, but its memos stay (on the orphan).
		if err := tx.del(bCodings, u64(cid)); err != nil {
			return 0, err
		}
		if err := tx.del(bCodingsByDoc, key2(o.Coding.DocID, cid)); err != nil {
			return 0, err
		}
		if err := tx.del(bCodingsByCode, key2(o.Coding.CodeID, cid)); err != nil {
			return 0, err
		}
	}
	tx.touch(true)
	return n, nil
}

// Orphans returns the orphaned codings of a document (0: of all), by id.
func (tx *Tx) Orphans(docID uint64) ([]Orphan, error) {
	var out []Orphan
	err := tx.forEach(bOrphans, func(k, v []byte) error {
		var o Orphan
		if err := json.Unmarshal(v, &o); err != nil {
			return fmt.Errorf("decode orphan %d: %w", getU64(k), err)
		}
		if docID == 0 || o.Coding.DocID == docID {
			out = append(out, o)
		}
		return nil
	})
	return out, err
}

// DropOrphan forgets an orphaned coding (its memos go with it).
func (tx *Tx) DropOrphan(id uint64) (*Orphan, error) {
	raw := tx.bucketGet(bOrphans, u64(id))
	if raw == nil {
		return nil, &coding.Error{Kind: coding.ENotFound, Message: fmt.Sprintf("no orphaned coding %d", id), Next: coding.NextListOrphans}
	}
	var o Orphan
	if err := json.Unmarshal(raw, &o); err != nil {
		return nil, err
	}
	memos, err := tx.Memos(coding.MemoCoding, id)
	if err != nil {
		return nil, err
	}
	for _, m := range memos {
		if err := tx.del(bMemos, u64(m.ID)); err != nil {
			return nil, err
		}
	}
	tx.touch(false)
	return &o, tx.del(bOrphans, u64(id))
}

// ChangedMarks returns the marks of codings a replace changed, of one
// document (0: all) whose codings still exist, by coding id.
func (tx *Tx) ChangedMarks(docID uint64) ([]ChangedMark, error) {
	var out []ChangedMark
	err := tx.forEach(bChanged, func(k, v []byte) error {
		var m ChangedMark
		if err := json.Unmarshal(v, &m); err != nil {
			return fmt.Errorf("decode changed mark %d: %w", getU64(k), err)
		}
		if (docID == 0 || m.DocID == docID) && tx.b(bCodings).Get(k) != nil {
			out = append(out, m)
		}
		return nil
	})
	return out, err
}

// deleteDocExtras removes a document's versions, orphans and changed
// marks (with a document deletion).
func (tx *Tx) deleteDocExtras(id uint64) error {
	if vb := tx.b(bDocVersions); vb != nil {
		var keys [][]byte
		prefix := u64(id)
		c := vb.Cursor()
		for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
			keys = append(keys, bytes.Clone(k))
		}
		for _, k := range keys {
			if err := tx.del(bDocVersions, k); err != nil {
				return err
			}
		}
	}
	orphans, err := tx.Orphans(id)
	if err != nil {
		return err
	}
	for _, o := range orphans {
		if _, err := tx.DropOrphan(o.Coding.ID); err != nil {
			return err
		}
	}
	var marks [][]byte
	_ = tx.forEach(bChanged, func(k, v []byte) error {
		var m ChangedMark
		if json.Unmarshal(v, &m) == nil && m.DocID == id {
			marks = append(marks, bytes.Clone(k))
		}
		return nil
	})
	for _, k := range marks {
		if err := tx.del(bChanged, k); err != nil {
			return err
		}
	}
	rm, err := tx.Roles()
	if err != nil {
		return err
	}
	if _, ok := rm.PerDoc[id]; ok {
		delete(rm.PerDoc, id)
		if err := tx.SetRoles(rm); err != nil {
			return err
		}
	}
	return nil
}

// SortOrphans orders orphans by document, then old offset.
func SortOrphans(os []Orphan) {
	sort.Slice(os, func(i, j int) bool {
		a, b := os[i].Coding, os[j].Coding
		if a.DocID != b.DocID {
			return a.DocID < b.DocID
		}
		if a.Start != b.Start {
			return a.Start < b.Start
		}
		return a.ID < b.ID
	})
}
