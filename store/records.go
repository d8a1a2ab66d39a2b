package store

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"unsafe"

	"github.com/tacit-qda/tacit/coding"
)

func (tx *Tx) getJSON(bucket []byte, id uint64, v any) (bool, error) {
	raw := tx.b(bucket).Get(u64(id))
	if raw == nil {
		return false, nil
	}
	if err := json.Unmarshal(raw, v); err != nil {
		return false, fmt.Errorf("decode %s/%d: %w", bucket, id, err)
	}
	return true, nil
}

func (tx *Tx) putJSON(bucket []byte, id uint64, v any) error {
	raw, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode %s/%d: %w", bucket, id, err)
	}
	return tx.put(bucket, u64(id), raw)
}

func (tx *Tx) nextID(bucket []byte) (uint64, error) {
	return tx.b(bucket).NextSequence()
}

// ---- documents ----

// AddDocument stores a new document with its text. doc.Name is made unique
// by a numeric suffix when taken; doc.ID is assigned. The caller logs the
// event.
func (tx *Tx) AddDocument(doc *coding.Document, text string) error {
	// An import cannot be undone, so it keeps no journal: blocking first
	// spares a copy of the text in the journal's after-image (100 MB for a
	// 100 MB one-line file).
	tx.block("it imported documents")
	id, err := tx.nextID(bDocs)
	if err != nil {
		return err
	}
	doc.ID = id
	// Names come from file names and --name: no control characters, line
	// breaks or path separators (they break tables and exports).
	if doc.Name = coding.CleanLabel(doc.Name); doc.Name == "" {
		doc.Name = "document"
	}
	doc.Name = tx.uniqueDocName(doc.Name)
	doc.Chars = coding.RuneLen(text)
	if err := tx.putDocMeta(doc); err != nil {
		return err
	}
	if err := tx.put(bTurns, u64(id), encodeTurns(doc.Turns)); err != nil {
		return err
	}
	// bbolt only reads the value (and copies it into its pages at
	// commit), so the text is not copied into a []byte first.
	if err := tx.put(bTexts, u64(id), unsafe.Slice(unsafe.StringData(text), len(text))); err != nil {
		return err
	}
	if err := tx.put(bDocNames, []byte(doc.Name), u64(id)); err != nil {
		return err
	}
	if doc.SourceHash != "" {
		if err := tx.put(bDocHashes, []byte(doc.SourceHash), u64(id)); err != nil {
			return err
		}
	}
	tx.touch(true)
	return nil
}

func (tx *Tx) uniqueDocName(name string) string {
	if name == "" {
		name = "document"
	}
	if tx.b(bDocNames).Get([]byte(name)) == nil && !isAllDigits(name) {
		return name
	}
	for i := 2; ; i++ {
		n := name + "-" + strconv.Itoa(i)
		if tx.b(bDocNames).Get([]byte(n)) == nil {
			return n
		}
	}
}

func isAllDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

func (tx *Tx) putDocMeta(doc *coding.Document) error {
	return tx.put(bDocs, u64(doc.ID), encodeDoc(doc))
}

// UpdateDocument rewrites a document's metadata (attributes, case, lang);
// its text and turns never change.
func (tx *Tx) UpdateDocument(doc *coding.Document) error {
	if tx.b(bDocs).Get(u64(doc.ID)) == nil {
		return coding.Errorf(coding.ENotFound, "document %d does not exist", doc.ID)
	}
	tx.touch(true)
	return tx.putDocMeta(doc)
}

// Document returns the document with its turns, or a not-found error.
func (tx *Tx) Document(id uint64) (*coding.Document, error) {
	d, err := tx.DocumentMeta(id)
	if err != nil {
		return nil, err
	}
	d.Turns, err = tx.turnsOf(id, tx.b(bTurns).Get(u64(id)))
	if err != nil {
		return nil, fmt.Errorf("turns of document %d: %w", id, err)
	}
	return d, nil
}

// DocumentMeta returns a document's metadata without its turns (Turns is
// nil), or a not-found error.
func (tx *Tx) DocumentMeta(id uint64) (*coding.Document, error) {
	raw := tx.b(bDocs).Get(u64(id))
	if raw == nil {
		return nil, &coding.Error{Kind: coding.ENotFound, Message: fmt.Sprintf("document %d does not exist", id), Next: coding.NextListDocs}
	}
	d, err := decodeDoc(id, raw)
	if err != nil {
		return nil, fmt.Errorf("decode document %d: %w", id, err)
	}
	return &d, nil
}

// TurnOf returns the index and speaker of the turn of a document that
// contains offset start, else of the first turn that overlaps [start, end),
// else -1 and "". It reads the stored turns in place, without decoding
// them all (a report of a thousand passages need not build a thousand
// turn lists).
func (tx *Tx) TurnOf(docID uint64, start, end int) (int, string, error) {
	d, n, err := openTurns(tx.b(bTurns).Get(u64(docID)))
	if err != nil {
		return -1, "", fmt.Errorf("turns of document %d: %w", docID, err)
	}
	first, firstSpeaker := -1, []byte(nil)
	for i := 0; uint64(i) < n && d.err == nil; i++ {
		sp, t := d.turn()
		if d.err != nil {
			break
		}
		if t.Start <= start && start < t.End {
			return i, string(sp), nil
		}
		if first < 0 && t.Start < end && start < t.End {
			first, firstSpeaker = i, sp
		}
	}
	if d.err != nil {
		return -1, "", fmt.Errorf("turns of document %d: %w", docID, d.err)
	}
	return first, string(firstSpeaker), nil
}

// DocIDByName returns the id of the document named name, or 0.
func (tx *Tx) DocIDByName(name string) uint64 {
	return getU64(tx.b(bDocNames).Get([]byte(name)))
}

// DocIDByHash returns the id of the document imported from bytes with this
// hash, or 0.
func (tx *Tx) DocIDByHash(hash string) uint64 {
	return getU64(tx.b(bDocHashes).Get([]byte(hash)))
}

// FindDocument resolves a document reference: an id, or a name (exact,
// else case-insensitive if unique).
func (tx *Tx) FindDocument(ref string) (*coding.Document, error) {
	ref = strings.TrimSpace(ref)
	if id := tx.DocIDByName(ref); id != 0 {
		return tx.Document(id)
	}
	if id, err := strconv.ParseUint(ref, 10, 64); err == nil {
		if tx.b(bDocs).Get(u64(id)) != nil {
			return tx.Document(id)
		}
	}
	var found []uint64
	var names []string
	c := tx.b(bDocNames).Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		if strings.EqualFold(string(k), ref) {
			found = append(found, getU64(v))
		}
		names = append(names, string(k))
	}
	if len(found) == 1 {
		return tx.Document(found[0])
	}
	return nil, coding.NotFound("document", ref, names, coding.NextListDocs)
}

// Documents returns every document's metadata; with turns, their turns too.
func (tx *Tx) Documents(withTurns bool) ([]*coding.Document, error) {
	var out []*coding.Document
	tb := tx.b(bTurns)
	err := tx.b(bDocs).ForEach(func(k, v []byte) error {
		doc, err := decodeDoc(getU64(k), v)
		if err != nil {
			return fmt.Errorf("decode document %d: %w", getU64(k), err)
		}
		d := &doc
		if withTurns {
			ts, err := tx.turnsOf(d.ID, tb.Get(k))
			if err != nil {
				return fmt.Errorf("turns of document %d: %w", d.ID, err)
			}
			d.Turns = ts
		}
		out = append(out, d)
		return nil
	})
	return out, err
}

// TurnSpeakers returns the distinct speaker labels of a document's turns
// in order of first appearance, "" included when a turn has none, without
// decoding the turns.
func (tx *Tx) TurnSpeakers(id uint64) ([]string, error) {
	sp, err := turnSpeakers(tx.b(bTurns).Get(u64(id)))
	if err != nil {
		return nil, fmt.Errorf("turns of document %d: %w", id, err)
	}
	return sp, nil
}

// Text returns a document's normalised text.
func (tx *Tx) Text(id uint64) (string, error) {
	raw := tx.b(bTexts).Get(u64(id))
	if raw == nil {
		return "", coding.Errorf(coding.ENotFound, "document %d has no text", id)
	}
	return string(raw), nil
}

// DeleteDocument removes a document, its text, turns, codings, memos,
// earlier versions, orphaned codings and per-document roles. The caller
// must have confirmed the loss of codings.
func (tx *Tx) DeleteDocument(id uint64) error {
	d, err := tx.Document(id)
	if err != nil {
		return err
	}
	codings, err := tx.CodingsByDoc(id)
	if err != nil {
		return err
	}
	for _, c := range codings {
		if err := tx.DeleteCoding(c.ID); err != nil {
			return err
		}
	}
	for _, b := range [][]byte{bDocs, bTurns, bTexts} {
		if err := tx.del(b, u64(id)); err != nil {
			return err
		}
	}
	if err := tx.del(bDocNames, []byte(d.Name)); err != nil {
		return err
	}
	if d.SourceHash != "" && tx.DocIDByHash(d.SourceHash) == id {
		if err := tx.del(bDocHashes, []byte(d.SourceHash)); err != nil {
			return err
		}
	}
	memos, err := tx.Memos(coding.MemoDoc, id)
	if err != nil {
		return err
	}
	for _, m := range memos {
		if err := tx.del(bMemos, u64(m.ID)); err != nil {
			return err
		}
	}
	if err := tx.deleteDocExtras(id); err != nil {
		return err
	}
	tx.touch(true)
	return nil
}

// ---- cases ----

func foldName(s string) []byte {
	return []byte(strings.ToLower(strings.Join(strings.Fields(s), " ")))
}

// CaseByName returns the case with this name (case-insensitive), or nil.
func (tx *Tx) CaseByName(name string) (*coding.Case, error) {
	id := getU64(tx.b(bCaseNames).Get(foldName(name)))
	if id == 0 {
		return nil, nil
	}
	return tx.Case(id)
}

// Case returns a case by id.
func (tx *Tx) Case(id uint64) (*coding.Case, error) {
	var c coding.Case
	ok, err := tx.getJSON(bCases, id, &c)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, coding.Errorf(coding.ENotFound, "case %d does not exist", id)
	}
	return &c, nil
}

// FindCase resolves a case by name (case-insensitive) or id, with a
// suggestion when it does not exist.
func (tx *Tx) FindCase(ref string) (*coding.Case, error) {
	c, err := tx.CaseByName(ref)
	if err != nil || c != nil {
		return c, err
	}
	if id, err := strconv.ParseUint(strings.TrimSpace(ref), 10, 64); err == nil {
		if c, err := tx.Case(id); err == nil {
			return c, nil
		}
	}
	cases, err := tx.Cases()
	if err != nil {
		return nil, err
	}
	var names []string
	for _, c := range cases {
		names = append(names, c.Name)
	}
	return nil, coding.NotFound("case", ref, names, coding.NextListCases)
}

// EnsureCase returns the case named name, creating it when new.
func (tx *Tx) EnsureCase(name string) (*coding.Case, bool, error) {
	name = strings.Join(strings.Fields(name), " ")
	if name == "" {
		return nil, false, coding.Errorf(coding.EInvalid, "a case name cannot be empty")
	}
	c, err := tx.CaseByName(name)
	if err != nil || c != nil {
		return c, false, err
	}
	id, err := tx.nextID(bCases)
	if err != nil {
		return nil, false, err
	}
	c = &coding.Case{ID: id, Name: name, Attrs: map[string]string{}, CreatedAt: tx.Now()}
	if err := tx.PutCase(c); err != nil {
		return nil, false, err
	}
	return c, true, tx.put(bCaseNames, foldName(name), u64(id))
}

// PutCase writes a case's record (attributes). The index holds case names
// only, which never change here, so this does not make the index stale.
func (tx *Tx) PutCase(c *coding.Case) error {
	tx.touch(false)
	return tx.putJSON(bCases, c.ID, c)
}

// Cases returns every case in id order.
func (tx *Tx) Cases() ([]*coding.Case, error) {
	var out []*coding.Case
	err := tx.b(bCases).ForEach(func(k, v []byte) error {
		c := &coding.Case{}
		if err := json.Unmarshal(v, c); err != nil {
			return fmt.Errorf("decode case %d: %w", getU64(k), err)
		}
		out = append(out, c)
		return nil
	})
	return out, err
}

// ---- codes ----

// PutCode writes a code; a zero ID gets a new one.
func (tx *Tx) PutCode(c *coding.Code) error {
	if c.ID == 0 {
		id, err := tx.nextID(bCodes)
		if err != nil {
			return err
		}
		c.ID = id
	}
	tx.touch(false)
	return tx.put(bCodes, u64(c.ID), encodeCode(c))
}

// DeleteCode removes a code record; its codings must be gone already.
func (tx *Tx) DeleteCode(id uint64) error {
	tx.touch(false)
	return tx.del(bCodes, u64(id))
}

// Codes returns the whole codebook as a tree.
func (tx *Tx) Codes() (*coding.Codebook, error) {
	var list []coding.Code
	err := tx.b(bCodes).ForEach(func(k, v []byte) error {
		c, err := decodeCode(getU64(k), v)
		if err != nil {
			return fmt.Errorf("decode code %d: %w", getU64(k), err)
		}
		list = append(list, c)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return coding.NewCodebook(list), nil
}

// ---- codings ----

// AddCoding stores a coding and its two index entries; c.ID is assigned.
func (tx *Tx) AddCoding(c *coding.Coding) error {
	if c.ID == 0 {
		id, err := tx.nextID(bCodings)
		if err != nil {
			return err
		}
		c.ID = id
	}
	return tx.putCoding(c)
}

// putCoding writes the coding's record and the same bytes under its two
// index keys, so that the codings of one code or one document are read in
// one sequential scan.
func (tx *Tx) putCoding(c *coding.Coding) error {
	tx.touch(false)
	rec := encodeCoding(c)
	if err := tx.put(bCodings, u64(c.ID), rec); err != nil {
		return err
	}
	if err := tx.put(bCodingsByDoc, key2(c.DocID, c.ID), rec); err != nil {
		return err
	}
	return tx.put(bCodingsByCode, key2(c.CodeID, c.ID), rec)
}

// UpdateCoding rewrites a coding (memo, key flag, code), keeping its indexes
// consistent.
func (tx *Tx) UpdateCoding(c *coding.Coding) error {
	old, err := tx.Coding(c.ID)
	if err != nil {
		return err
	}
	if old.CodeID != c.CodeID {
		if err := tx.del(bCodingsByCode, key2(old.CodeID, c.ID)); err != nil {
			return err
		}
	}
	if old.DocID != c.DocID {
		if err := tx.del(bCodingsByDoc, key2(old.DocID, c.ID)); err != nil {
			return err
		}
	}
	return tx.putCoding(c)
}

// Coding returns one coding by id.
func (tx *Tx) Coding(id uint64) (*coding.Coding, error) {
	raw := tx.b(bCodings).Get(u64(id))
	if raw == nil {
		return nil, &coding.Error{Kind: coding.ENotFound, Message: fmt.Sprintf("coding %d does not exist", id), Next: coding.NextListCodings}
	}
	c, err := decodeCoding(id, raw)
	if err != nil {
		return nil, fmt.Errorf("decode coding %d: %w", id, err)
	}
	return &c, nil
}

// DeleteCoding removes a coding and its index entries.
func (tx *Tx) DeleteCoding(id uint64) error {
	c, err := tx.Coding(id)
	if err != nil {
		return err
	}
	tx.touch(false)
	if err := tx.del(bCodings, u64(id)); err != nil {
		return err
	}
	if err := tx.del(bCodingsByDoc, key2(c.DocID, id)); err != nil {
		return err
	}
	if err := tx.del(bCodingsByCode, key2(c.CodeID, id)); err != nil {
		return err
	}
	memos, err := tx.Memos(coding.MemoCoding, id)
	if err != nil {
		return err
	}
	for _, m := range memos {
		if err := tx.del(bMemos, u64(m.ID)); err != nil {
			return err
		}
	}
	return nil
}

func (tx *Tx) codingsByPrefix(index []byte, owner uint64) ([]coding.Coding, error) {
	var out []coding.Coding
	prefix := u64(owner)
	c := tx.b(index).Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		id := getU64(k[8:])
		cd, err := decodeCoding(id, v)
		if err != nil {
			return nil, fmt.Errorf("decode coding %d: %w", id, err)
		}
		out = append(out, cd)
	}
	return out, nil
}

// CodingsByDoc returns the codings of one document, reading only those.
func (tx *Tx) CodingsByDoc(docID uint64) ([]coding.Coding, error) {
	return tx.codingsByPrefix(bCodingsByDoc, docID)
}

// CodingsByCode returns the codings of one code (not its sub-codes),
// reading only those.
func (tx *Tx) CodingsByCode(codeID uint64) ([]coding.Coding, error) {
	return tx.codingsByPrefix(bCodingsByCode, codeID)
}

// CountDocCodings returns the number of codings in one document, walking
// its index keys without decoding them.
func (tx *Tx) CountDocCodings(docID uint64) int {
	n := 0
	prefix := u64(docID)
	c := tx.b(bCodingsByDoc).Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		n++
	}
	return n
}

// CountCodings returns the number of codings of one code (not its
// sub-codes) from the code_counts bucket, without reading them.
func (tx *Tx) CountCodings(codeID uint64) int {
	n, _ := tx.CodeCounts(codeID)
	return n
}

// CodeCounts returns the number of codings of one code (not its sub-codes)
// and the number of documents they are in, without reading them.
func (tx *Tx) CodeCounts(codeID uint64) (codings, documents int) {
	c, d := decodeCounts(tx.b(bCodeCounts).Get(u64(codeID)))
	return int(c), int(d)
}

// CodeDocIDs calls fn with each document that holds codings of the code
// (not its sub-codes), from the code_docs counts, without reading codings.
func (tx *Tx) CodeDocIDs(codeID uint64, fn func(docID uint64)) {
	prefix := u64(codeID)
	c := tx.b(bCodeDocs).Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		if len(k) == 16 {
			fn(getU64(k[8:]))
		}
	}
}

// Codings calls fn for every coding in id order.
func (tx *Tx) Codings(fn func(c *coding.Coding) error) error {
	return tx.b(bCodings).ForEach(func(k, v []byte) error {
		c, err := decodeCoding(getU64(k), v)
		if err != nil {
			return fmt.Errorf("decode coding %d: %w", getU64(k), err)
		}
		return fn(&c)
	})
}

// ---- memos ----

// PutMemo writes a memo; a zero ID gets a new one.
func (tx *Tx) PutMemo(m *coding.Memo) error {
	if m.ID == 0 {
		id, err := tx.nextID(bMemos)
		if err != nil {
			return err
		}
		m.ID = id
	}
	tx.touch(false)
	return tx.putJSON(bMemos, m.ID, m)
}

// Memo returns a memo by id.
func (tx *Tx) Memo(id uint64) (*coding.Memo, error) {
	var m coding.Memo
	ok, err := tx.getJSON(bMemos, id, &m)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, &coding.Error{Kind: coding.ENotFound, Message: fmt.Sprintf("memo %d does not exist", id), Next: coding.NextListMemos}
	}
	return &m, nil
}

// DeleteMemo removes a memo.
func (tx *Tx) DeleteMemo(id uint64) error {
	tx.touch(false)
	return tx.del(bMemos, u64(id))
}

// Memos returns the memos on one target ("" target: all memos).
func (tx *Tx) Memos(target string, targetID uint64) ([]*coding.Memo, error) {
	var out []*coding.Memo
	err := tx.b(bMemos).ForEach(func(k, v []byte) error {
		m := &coding.Memo{}
		if err := json.Unmarshal(v, m); err != nil {
			return fmt.Errorf("decode memo %d: %w", getU64(k), err)
		}
		if target == "" || (m.Target == target && m.TargetID == targetID) {
			out = append(out, m)
		}
		return nil
	})
	return out, err
}

// ---- roles ----

// Roles returns the speaker-to-role mapping.
func (tx *Tx) Roles() (coding.RoleMap, error) {
	rm := coding.RoleMap{Project: map[string]string{}, PerDoc: map[uint64]map[string]string{}}
	raw := tx.b(bMeta).Get(kRoles)
	if raw == nil {
		return rm, nil
	}
	if err := json.Unmarshal(raw, &rm); err != nil {
		return rm, fmt.Errorf("decode roles: %w", err)
	}
	if rm.Project == nil {
		rm.Project = map[string]string{}
	}
	if rm.PerDoc == nil {
		rm.PerDoc = map[uint64]map[string]string{}
	}
	return rm, nil
}

// SetRoles writes the speaker-to-role mapping.
func (tx *Tx) SetRoles(rm coding.RoleMap) error {
	raw, err := json.Marshal(rm)
	if err != nil {
		return err
	}
	tx.touch(true)
	return tx.put(bMeta, kRoles, raw)
}

// ---- events ----

// Log appends an audit event in this transaction. Unless e.Undo is set
// already, the event carries what is needed to undo the changes made since
// the previous event of the transaction (see journal.go), when they can be
// undone.
func (tx *Tx) Log(e *coding.Event) error {
	if e.Undo == nil && e.Action != ActionUndo {
		e.Undo, _ = tx.takeJournal()
	} else {
		tx.j = journal{}
	}
	id, err := tx.nextID(bEvents)
	if err != nil {
		return err
	}
	e.ID = id
	if e.Time.IsZero() {
		e.Time = tx.Now()
	}
	tx.events++
	tx.changed = true
	return tx.putJSON(bEvents, id, e)
}

// MarkUndone flags an event as reverted.
func (tx *Tx) MarkUndone(id uint64) error {
	var e coding.Event
	ok, err := tx.getJSON(bEvents, id, &e)
	if err != nil || !ok {
		return err
	}
	e.Undone = true
	return tx.putJSON(bEvents, id, &e)
}

// Events calls fn for each event, newest first, until fn returns false.
func (tx *Tx) Events(fn func(e *coding.Event) bool) error {
	c := tx.b(bEvents).Cursor()
	for k, v := c.Last(); k != nil; k, v = c.Prev() {
		e := &coding.Event{}
		if err := json.Unmarshal(v, e); err != nil {
			return fmt.Errorf("decode event %d: %w", getU64(k), err)
		}
		if !fn(e) {
			break
		}
	}
	return nil
}

// checkCodings verifies that every coding is in both indexes under the same
// bytes, that the indexes hold nothing else, that codings point at existing
// documents and codes, and that code_counts matches codings_by_code.
func (tx *Tx) checkCodings() []Problem {
	var probs []Problem
	rec := func(f string, a ...any) {
		probs = append(probs, Problem{Area: "record", Message: fmt.Sprintf(f, a...)})
	}
	der := func(f string, a ...any) {
		probs = append(probs, Problem{Area: "derived", Message: fmt.Sprintf(f, a...)})
	}
	seen := 0
	err := tx.b(bCodings).ForEach(func(k, v []byte) error {
		seen++
		id := getU64(k)
		c, err := decodeCoding(id, v)
		if err != nil {
			rec("coding %d cannot be decoded: %v", id, err)
			return nil
		}
		for _, ix := range []struct {
			b     []byte
			key   []byte
			which string
		}{{bCodingsByDoc, key2(c.DocID, id), "document"}, {bCodingsByCode, key2(c.CodeID, id), "code"}} {
			got, ok := tx.getRaw(ix.b, ix.key)
			switch {
			case !ok:
				der("coding %d is missing from the %s index", id, ix.which)
			case !bytes.Equal(got, v):
				der("coding %d differs from its entry in the %s index", id, ix.which)
			}
		}
		if tx.b(bDocs).Get(u64(c.DocID)) == nil {
			rec("coding %d points to missing document %d", id, c.DocID)
		}
		if tx.b(bCodes).Get(u64(c.CodeID)) == nil {
			rec("coding %d points to missing code %d", id, c.CodeID)
		}
		return nil
	})
	if err != nil {
		rec("codings: %v", err)
	}
	counts := map[uint64]uint64{}
	for _, name := range [][]byte{bCodingsByDoc, bCodingsByCode} {
		n := 0
		_ = tx.b(name).ForEach(func(k, _ []byte) error {
			n++
			if len(k) != 16 {
				der("%s has a key of %d bytes", name, len(k))
				return nil
			}
			if tx.b(bCodings).Get(k[8:]) == nil {
				der("%s has an entry for missing coding %d", name, getU64(k[8:]))
			}
			if string(name) == string(bCodingsByCode) {
				counts[getU64(k[:8])]++
			}
			return nil
		})
		if n != seen {
			der("%s has %d entries for %d codings", name, n, seen)
		}
	}
	docCounts := map[string]uint64{}
	err = tx.b(bCodingsByCode).ForEach(func(k, v []byte) error {
		if len(k) == 16 {
			docCounts[string(key2(getU64(k[:8]), recordDoc(v)))]++
		}
		return nil
	})
	if err != nil {
		der("codings_by_code: %v", err)
	}
	docs := map[uint64]uint64{}
	for k := range docCounts {
		docs[getU64([]byte(k[:8]))]++
	}
	_ = tx.b(bCodeDocs).ForEach(func(k, v []byte) error {
		if want := docCounts[string(k)]; len(k) != 16 || getU64(v) != want {
			der("code_docs says code %d has %d codings in document %d; the index holds %d", getU64(k), getU64(v), getU64(k[min(8, len(k)):]), want)
		}
		delete(docCounts, string(k))
		return nil
	})
	for k, n := range docCounts {
		der("code_docs has no count for code %d in document %d, which has %d codings", getU64([]byte(k[:8])), getU64([]byte(k[8:])), n)
	}
	_ = tx.b(bCodeCounts).ForEach(func(k, v []byte) error {
		code := getU64(k)
		c, d := decodeCounts(v)
		if len(k) != 8 || len(v) != 16 || uint64(c) != counts[code] || uint64(d) != docs[code] {
			der("code_counts says code %d has %d codings in %d documents; the index holds %d in %d", code, c, d, counts[code], docs[code])
		}
		delete(counts, code)
		return nil
	})
	for code, n := range counts {
		der("code_counts has no count for code %d, which has %d codings", code, n)
	}
	return probs
}
