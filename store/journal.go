package store

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"sort"

	"github.com/tacit-qda/tacit/coding"
)

// Every write of a read-write transaction goes through tx.put and tx.del,
// which keep a journal of the before and after image of each key written
// since the last audit event. tx.Log stores that journal in the event's
// Undo field (see encodeJournal), so that Undo can put the before images
// back after checking that every key still holds its after image (nobody
// changed it since). The journal covers the codebook, codings, memos,
// cases, documents (with their text, turns, names and versions), orphaned
// codings and roles. An import marks its journal as not undoable
// (AddDocument): a document is taken out again with 'tacit docs rm'.

// maxUndoBytes caps the undo data stored with one event; a larger change
// (a forced delete of tens of thousands of codings, say) is not undoable.
const maxUndoBytes = 8 << 20

type jentry struct {
	bucket    string
	key       []byte
	before    []byte
	hadBefore bool
	after     []byte
	hasAfter  bool
}

type journal struct {
	entries []*jentry
	byKey   map[string]*jentry
	// blocked says why the change cannot be undone ("" when it can).
	blocked string
	size    int
}

// journalled says which buckets (and which meta keys) the journal tracks.
func journalled(bucket, key []byte) (track bool, blocks string) {
	switch string(bucket) {
	case string(bEvents), string(bCodeCounts), string(bCodeDocs):
		return false, ""
	case string(bMeta):
		return string(key) == string(kRoles), ""
	}
	return true, ""
}

// touchesIndex reports whether a write to key of bucket changes what the
// search index reflects (documents and roles).
func touchesIndex(bucket, key []byte) bool {
	switch string(bucket) {
	case string(bDocs), string(bTurns), string(bTexts):
		// Case records are not: the index holds a turn's case name, and a
		// case is named once, when its first document is imported.
		return true
	case string(bMeta):
		return string(key) == string(kRoles)
	case string(bCaseNames):
		// A case renamed, merged or removed: the index holds case names.
		return true
	}
	return false
}

// getRaw returns the value under key and whether the key exists (an empty
// value, as in the coding indexes, exists).
func (tx *Tx) getRaw(bucket, key []byte) ([]byte, bool) {
	k, v := tx.b(bucket).Cursor().Seek(key)
	if k == nil || !bytes.Equal(k, key) {
		return nil, false
	}
	return v, true
}

func (tx *Tx) record(bucket, key, after []byte, hasAfter bool) {
	track, blocks := journalled(bucket, key)
	if blocks != "" {
		tx.block(blocks)
	}
	if !track || tx.j.blocked != "" {
		// A change that cannot be undone keeps no before and after
		// images: an import of 100,000 codings would otherwise copy each
		// of its records into a journal that Log throws away.
		return
	}
	if tx.j.byKey == nil {
		tx.j.byKey = map[string]*jentry{}
	}
	id := string(bucket) + "\x00" + string(key)
	e := tx.j.byKey[id]
	if e == nil {
		before, had := tx.getRaw(bucket, key)
		e = &jentry{bucket: string(bucket), key: bytes.Clone(key), before: bytes.Clone(before), hadBefore: had}
		tx.j.byKey[id] = e
		tx.j.entries = append(tx.j.entries, e)
		tx.j.size += len(key) + len(before) + 16
	}
	tx.j.size += len(after) - len(e.after)
	e.after, e.hasAfter = bytes.Clone(after), hasAfter
}

// block marks the changes since the last event as not undoable, for
// reason, and drops the journal kept so far (Log would throw it away).
func (tx *Tx) block(reason string) {
	if tx.j.blocked == "" {
		tx.j = journal{blocked: reason}
	}
}

// put writes key=value in bucket, journalling the change. A write to
// codings_by_code updates the counts of its code (see count).
func (tx *Tx) put(bucket, key, value []byte) error {
	if string(bucket) == string(bCodingsByCode) && len(key) == 16 {
		old, had := tx.getRaw(bucket, key)
		if err := tx.count(key[:8], old, had, value); err != nil {
			return err
		}
	}
	tx.record(bucket, key, value, true)
	tx.touch(touchesIndex(bucket, key))
	if value == nil {
		value = []byte{}
	}
	return tx.b(bucket).Put(key, value)
}

// del deletes key from bucket, journalling the change. A key deleted from
// codings_by_code is taken off the counts of its code.
func (tx *Tx) del(bucket, key []byte) error {
	old, ok := tx.getRaw(bucket, key)
	if !ok {
		return nil
	}
	if string(bucket) == string(bCodingsByCode) && len(key) == 16 {
		if err := tx.adjustCounts(key[:8], recordDoc(old), -1); err != nil {
			return err
		}
	}
	tx.record(bucket, key, nil, false)
	tx.touch(touchesIndex(bucket, key))
	return tx.b(bucket).Delete(key)
}

// count updates the counts of code (its 8-byte id) for a codings_by_code
// entry that held old (when had) and now holds rec. The counts are derived
// from codings_by_code alone and kept in step by put and del (an undo goes
// through them too), so they are not journalled: two coders tagging the
// same code must not block each other's undo.
func (tx *Tx) count(code, old []byte, had bool, rec []byte) error {
	doc := recordDoc(rec)
	if had {
		was := recordDoc(old)
		if was == doc {
			return nil
		}
		if err := tx.adjustCounts(code, was, -1); err != nil {
			return err
		}
	}
	return tx.adjustCounts(code, doc, 1)
}

// adjustCounts adds delta codings of code in document doc: code_docs holds
// the codings per code and document, code_counts the codings and documents
// per code. Zero counts have no key.
func (tx *Tx) adjustCounts(code []byte, doc uint64, delta int64) error {
	cd := tx.b(bCodeDocs)
	dk := key2(getU64(code), doc)
	was := int64(getU64(cd.Get(dk)))
	n := was + delta
	if n < 0 {
		return fmt.Errorf("internal error: code %d would have %d codings in document %d", getU64(code), n, doc)
	}
	var err error
	if n == 0 {
		err = cd.Delete(dk)
	} else {
		err = cd.Put(dk, u64(uint64(n)))
	}
	if err != nil {
		return err
	}
	cc := tx.b(bCodeCounts)
	codings, docs := decodeCounts(cc.Get(code))
	codings += delta
	switch {
	case was == 0 && n > 0:
		docs++
	case was > 0 && n == 0:
		docs--
	}
	if codings < 0 || docs < 0 {
		return fmt.Errorf("internal error: code %d would have %d codings in %d documents", getU64(code), codings, docs)
	}
	if codings == 0 {
		return cc.Delete(code)
	}
	return cc.Put(code, encodeCounts(codings, docs))
}

func encodeCounts(codings, docs int64) []byte {
	b := make([]byte, 16)
	binary.BigEndian.PutUint64(b, uint64(codings))
	binary.BigEndian.PutUint64(b[8:], uint64(docs))
	return b
}

func decodeCounts(b []byte) (codings, docs int64) {
	if len(b) != 16 {
		return 0, 0
	}
	return int64(binary.BigEndian.Uint64(b)), int64(binary.BigEndian.Uint64(b[8:]))
}

// recordDoc returns the document id of an encoded coding (0 when the
// record is damaged; Check reports those).
func recordDoc(rec []byte) uint64 {
	if len(rec) < 2 || rec[0] != codingV1 {
		return 0
	}
	d := dec{b: rec[1:]}
	return d.uv()
}

// takeJournal returns the undo data of the changes since the last event
// (nil and a reason when they cannot be undone) and starts a new journal.
func (tx *Tx) takeJournal() ([]byte, string) {
	j := tx.j
	tx.j = journal{}
	if j.blocked != "" {
		return nil, j.blocked
	}
	// Keys written and then restored to their old state are no change.
	var live []*jentry
	for _, e := range j.entries {
		if e.hadBefore == e.hasAfter && bytes.Equal(e.before, e.after) {
			continue
		}
		live = append(live, e)
	}
	if len(live) == 0 {
		return nil, "it changed nothing that undo restores"
	}
	if j.size > maxUndoBytes {
		return nil, fmt.Sprintf("it is too large to undo (%d MB of records)", j.size>>20)
	}
	return encodeJournal(live), ""
}

const journalV1 = 1

func encodeJournal(es []*jentry) []byte {
	e := enc{}
	e.b = append(e.b, journalV1)
	e.uv(uint64(len(es)))
	for _, x := range es {
		e.s(x.bucket)
		e.s(string(x.key))
		flags := uint64(0)
		if x.hadBefore {
			flags |= 1
		}
		if x.hasAfter {
			flags |= 2
		}
		e.uv(flags)
		e.s(string(x.before))
		e.s(string(x.after))
	}
	return e.b
}

func decodeJournal(b []byte) ([]*jentry, error) {
	if len(b) == 0 || b[0] != journalV1 {
		return nil, errCorrupt
	}
	d := dec{b: b[1:]}
	n := d.uv()
	if n > uint64(len(b)) {
		return nil, errCorrupt
	}
	out := make([]*jentry, 0, n)
	for i := uint64(0); i < n && d.err == nil; i++ {
		x := &jentry{bucket: d.s(), key: []byte(d.s())}
		flags := d.uv()
		x.hadBefore, x.hasAfter = flags&1 != 0, flags&2 != 0
		x.before, x.after = []byte(d.s()), []byte(d.s())
		out = append(out, x)
	}
	if d.err != nil {
		return nil, d.err
	}
	for _, x := range out {
		if !knownBucket(x.bucket) {
			return nil, fmt.Errorf("undo data names unknown bucket %q: %w", x.bucket, errCorrupt)
		}
	}
	return out, nil
}

func knownBucket(name string) bool {
	for _, b := range allBuckets {
		if string(b) == name {
			return true
		}
	}
	return false
}

// describe names the record behind a journal entry for messages.
func describe(x *jentry) string {
	switch x.bucket {
	case string(bCodes):
		return fmt.Sprintf("code %d", getU64(x.key))
	case string(bCodings):
		return fmt.Sprintf("coding %d", getU64(x.key))
	case string(bCodingsByDoc), string(bCodingsByCode):
		if len(x.key) == 16 {
			return fmt.Sprintf("coding %d", getU64(x.key[8:]))
		}
	case string(bMemos):
		return fmt.Sprintf("memo %d", getU64(x.key))
	case string(bDocs):
		return fmt.Sprintf("document %d", getU64(x.key))
	case string(bCases):
		return fmt.Sprintf("case %d", getU64(x.key))
	case string(bMeta):
		return "the " + string(x.key) + " setting"
	}
	return x.bucket + " entry"
}

// UndoableBy returns the event that Undo(actor) would revert: the newest
// event of actor that is not an undo and was not undone. It is nil when
// actor has made no change.
func (tx *Tx) UndoableBy(actor string) (*coding.Event, error) {
	var found *coding.Event
	err := tx.Events(func(e *coding.Event) bool {
		if e.Actor == actor && e.Action != ActionUndo && !e.Undone {
			found = e
			return false
		}
		return true
	})
	return found, err
}

// Undo reverts the newest change of actor that was not undone yet (see
// UndoableBy), when that is safe: every record it wrote must still be as
// it left it, and the result must leave no coding, code, or memo pointing
// at something missing. Otherwise nothing is written and the error says
// why. The undo is itself logged as an event; the reverted event is
// marked undone.
func (tx *Tx) Undo(actor string) (*coding.Event, error) {
	e, err := tx.UndoableBy(actor)
	if err != nil {
		return nil, err
	}
	if e == nil {
		return nil, &coding.Error{Kind: coding.ENotFound, Message: fmt.Sprintf("%s has made no change that could be undone", actor), Next: coding.NextLogActor, Arg: actor}
	}
	what := fmt.Sprintf("the last change by %s (event %d, %s: %s)", actor, e.ID, e.Action, e.Summary)
	if len(e.Undo) == 0 {
		return nil, coding.Errorf(coding.EConflict, "%s cannot be undone: %s; revert it by hand", what, undoReason(e))
	}
	es, err := decodeJournal(e.Undo)
	if err != nil {
		return nil, fmt.Errorf("undo data of event %d: %w", e.ID, err)
	}
	for i := len(es) - 1; i >= 0; i-- {
		x := es[i]
		cur, ok := tx.getRaw([]byte(x.bucket), x.key)
		if ok != x.hasAfter || (ok && !bytes.Equal(cur, x.after)) {
			return nil, &coding.Error{Kind: coding.EConflict, Message: fmt.Sprintf("%s cannot be undone: %s was changed after it; undo the later changes first", what, describe(x)), Next: coding.NextLog}
		}
	}
	for i := len(es) - 1; i >= 0; i-- {
		x := es[i]
		if x.hadBefore {
			err = tx.put([]byte(x.bucket), x.key, x.before)
		} else {
			err = tx.del([]byte(x.bucket), x.key)
		}
		if err != nil {
			return nil, err
		}
	}
	if prob := tx.checkAfterUndo(es); prob != "" {
		return nil, coding.Errorf(coding.EConflict, "%s cannot be undone: %s", what, prob)
	}
	if err := tx.MarkUndone(e.ID); err != nil {
		return nil, err
	}
	tx.j = journal{}
	ev := &coding.Event{Actor: actor, Action: ActionUndo, Target: fmt.Sprintf("event:%d", e.ID),
		Summary: fmt.Sprintf("undid event %d (%s: %s)", e.ID, e.Action, e.Summary)}
	if err := tx.Log(ev); err != nil {
		return nil, err
	}
	return e, nil
}

func undoReason(e *coding.Event) string {
	if e.Action == "import" {
		return "it imported documents"
	}
	return "it left no undo record (changes to documents themselves, and very large changes, are not undoable)"
}

// checkAfterUndo verifies that the records an undo touched are consistent
// with the rest of the store: restored codings point at existing documents
// and codes, removed codes and codings leave nothing pointing at them, and
// the codebook is a proper tree.
func (tx *Tx) checkAfterUndo(es []*jentry) string {
	removedCodes := map[uint64]bool{}
	removedCodings := map[uint64]bool{}
	touchedCodes := false
	for _, x := range es {
		switch x.bucket {
		case string(bCodes):
			touchedCodes = true
			if x.hasAfter && !x.hadBefore {
				removedCodes[getU64(x.key)] = true
			}
		case string(bCodings):
			id := getU64(x.key)
			if x.hasAfter && !x.hadBefore {
				removedCodings[id] = true
				continue
			}
			if !x.hadBefore {
				continue
			}
			c, err := decodeCoding(id, x.before)
			if err != nil {
				return fmt.Sprintf("coding %d cannot be decoded", id)
			}
			if tx.b(bDocs).Get(u64(c.DocID)) == nil {
				return fmt.Sprintf("coding %d was on document %d, which no longer exists", id, c.DocID)
			}
			if tx.b(bCodes).Get(u64(c.CodeID)) == nil {
				return fmt.Sprintf("coding %d used code %d, which no longer exists", id, c.CodeID)
			}
		case string(bMemos):
			if !x.hadBefore {
				continue
			}
			m, err := tx.Memo(getU64(x.key))
			if err != nil {
				return err.Error()
			}
			if !tx.memoTargetExists(m) {
				return fmt.Sprintf("memo %d was on %s %d, which no longer exists", m.ID, m.Target, m.TargetID)
			}
		}
	}
	for id := range removedCodes {
		if n := tx.CountCodings(id); n > 0 {
			return fmt.Sprintf("code %d has %d codings made since; remove them first", id, n)
		}
	}
	if touchedCodes {
		cb, err := tx.Codes()
		if err != nil {
			return err.Error()
		}
		for id := range removedCodes {
			if kids := cb.Children(id); len(kids) > 0 {
				return fmt.Sprintf("code %d has sub-codes added since (%s)", id, cb.Path(kids[0]))
			}
		}
		if probs := cb.Problems(); len(probs) > 0 {
			return "the codebook would become inconsistent: " + probs[0]
		}
	}
	if len(removedCodes)+len(removedCodings) > 0 {
		memos, err := tx.Memos("", 0)
		if err != nil {
			return err.Error()
		}
		sort.Slice(memos, func(i, j int) bool { return memos[i].ID < memos[j].ID })
		for _, m := range memos {
			if (m.Target == coding.MemoCode && removedCodes[m.TargetID]) || (m.Target == coding.MemoCoding && removedCodings[m.TargetID]) {
				return fmt.Sprintf("memo %d was written on %s %d since; delete it first", m.ID, m.Target, m.TargetID)
			}
		}
	}
	return ""
}

func (tx *Tx) memoTargetExists(m *coding.Memo) bool {
	switch m.Target {
	case coding.MemoProject:
		return true
	case coding.MemoCase:
		return tx.b(bCases).Get(u64(m.TargetID)) != nil
	case coding.MemoDoc:
		return tx.b(bDocs).Get(u64(m.TargetID)) != nil
	case coding.MemoCode:
		return tx.b(bCodes).Get(u64(m.TargetID)) != nil
	case coding.MemoCoding:
		return tx.b(bCodings).Get(u64(m.TargetID)) != nil || tx.bucketGet(bOrphans, u64(m.TargetID)) != nil
	}
	return false
}
