package store

import (
	"encoding/json"
	"fmt"
	"unicode/utf8"

	"github.com/tacit-qda/tacit/coding"
)

// Problem is one thing wrong in the store, as Check finds it.
type Problem struct {
	// Area is what the problem is in: "database" (bbolt's pages),
	// "record" (a record that does not decode or contradicts the truth),
	// "derived" (an index, count or name table that Repair rebuilds from
	// the records).
	Area    string `json:"area"`
	Message string `json:"message"`
}

func (p Problem) String() string { return p.Message }

// Check verifies the database pages (bbolt's own check), every record
// (documents with their turns and text, cases, codes, codings, memos,
// events), the tables derived from them (document names and hashes, case
// names, the two coding indexes, code counts) and the codebook tree. It
// lists every problem it finds, never stops at the first, and never
// panics: a part of the file that cannot be read at all is one problem.
func (tx *Tx) Check() []string {
	var out []string
	for _, p := range tx.Problems() {
		out = append(out, p.Message)
	}
	return out
}

// Problems is Check with the area of each problem.
func (tx *Tx) Problems() []Problem {
	var probs []Problem
	add := func(area, f string, a ...any) {
		probs = append(probs, Problem{Area: area, Message: fmt.Sprintf(f, a...)})
	}
	section := func(name string, fn func()) {
		defer func() {
			if r := recover(); r != nil {
				add("database", "%s cannot be read: %v", name, r)
			}
		}()
		fn()
	}
	section("the database pages", func() {
		if walk := walkPages(tx.s.path); len(walk) > 0 {
			for _, p := range walk {
				add("database", "%s", p)
			}
			return // bbolt's check could fault fatally on this tree
		}
		for err := range tx.tx.Check() {
			add("database", "database: %v", err)
		}
	})
	for _, b := range allBuckets {
		if tx.b(b) == nil {
			add("database", "the bucket %s is missing", b)
		}
	}
	if len(probs) > 0 && tx.b(bMeta) == nil {
		return probs
	}
	docChars := map[uint64]int{}
	section("the documents", func() {
		_ = tx.b(bDocs).ForEach(func(k, v []byte) error {
			id := getU64(k)
			d, err := decodeDoc(id, v)
			if err != nil {
				add("record", "document %d cannot be decoded: %v", id, err)
				return nil
			}
			name := fmt.Sprintf("%s (id %d)", d.Name, id)
			raw := tx.b(bTexts).Get(k)
			if raw == nil {
				add("record", "document %s has no text", name)
				return nil
			}
			if !utf8.Valid(raw) {
				add("record", "the text of document %s is not valid UTF-8", name)
			}
			text := string(raw)
			turns, err := decodeTurns(tx.b(bTurns).Get(k))
			if err != nil {
				add("record", "the turns of document %s cannot be decoded: %v", name, err)
			} else {
				for _, pr := range coding.CheckTurns(text, turns) {
					add("record", "document %s: %s", name, pr)
				}
			}
			n := coding.RuneLen(text)
			if n != d.Chars {
				add("record", "document %s: text has %d characters, the record says %d", name, n, d.Chars)
			}
			docChars[id] = n
			if got := getU64(tx.b(bDocNames).Get([]byte(d.Name))); got != id {
				add("derived", "the name table does not lead to document %s", name)
			}
			if d.SourceHash != "" && getU64(tx.b(bDocHashes).Get([]byte(d.SourceHash))) != id {
				add("derived", "the source-hash table does not lead to document %s", name)
			}
			if d.CaseID != 0 && tx.b(bCases).Get(u64(d.CaseID)) == nil {
				add("record", "document %s is in missing case %d", name, d.CaseID)
			}
			return nil
		})
		for _, b := range [][]byte{bTurns, bTexts} {
			_ = tx.b(b).ForEach(func(k, _ []byte) error {
				if tx.b(bDocs).Get(k) == nil {
					add("record", "%s holds an entry for missing document %d", b, getU64(k))
				}
				return nil
			})
		}
		for _, b := range [][]byte{bDocNames, bDocHashes} {
			_ = tx.b(b).ForEach(func(k, v []byte) error {
				if tx.b(bDocs).Get(v) == nil {
					add("derived", "%s entry %q points to missing document %d", b, k, getU64(v))
				}
				return nil
			})
		}
	})
	section("the cases", func() {
		_ = tx.b(bCases).ForEach(func(k, v []byte) error {
			var c coding.Case
			if err := json.Unmarshal(v, &c); err != nil {
				add("record", "case %d cannot be decoded: %v", getU64(k), err)
				return nil
			}
			if getU64(tx.b(bCaseNames).Get(foldName(c.Name))) != getU64(k) {
				add("derived", "the case-name table does not lead to case %s (id %d)", c.Name, getU64(k))
			}
			return nil
		})
		_ = tx.b(bCaseNames).ForEach(func(k, v []byte) error {
			if tx.b(bCases).Get(v) == nil {
				add("derived", "case_names entry %q points to missing case %d", k, getU64(v))
			}
			return nil
		})
	})
	section("the codebook", func() {
		var list []coding.Code
		bad := false
		_ = tx.b(bCodes).ForEach(func(k, v []byte) error {
			c, err := decodeCode(getU64(k), v)
			if err != nil {
				add("record", "code %d cannot be decoded: %v", getU64(k), err)
				bad = true
				return nil
			}
			list = append(list, c)
			return nil
		})
		for _, p := range coding.NewCodebook(list).Problems() {
			add("record", "codebook: %s", p)
		}
		_ = bad
	})
	section("the codings", func() {
		probs = append(probs, tx.checkCodings()...)
		_ = tx.b(bCodings).ForEach(func(k, v []byte) error {
			c, err := decodeCoding(getU64(k), v)
			if err != nil {
				return nil // reported by checkCodings
			}
			n, ok := docChars[c.DocID]
			if ok && (c.Start < 0 || c.End > n || c.Start >= c.End) {
				add("record", "coding %d lies outside document %d (%d:%d of %d characters)", c.ID, c.DocID, c.Start, c.End, n)
			}
			return nil
		})
	})
	section("the memos", func() {
		_ = tx.b(bMemos).ForEach(func(k, v []byte) error {
			m := &coding.Memo{}
			if err := json.Unmarshal(v, m); err != nil {
				add("record", "memo %d cannot be decoded: %v", getU64(k), err)
				return nil
			}
			if !tx.memoTargetExists(m) {
				add("record", "memo %d is on missing %s %d", m.ID, m.Target, m.TargetID)
			}
			return nil
		})
	})
	section("the roles", func() {
		if _, err := tx.Roles(); err != nil {
			add("record", "%v", err)
		}
	})
	section("the log", func() {
		var lastID uint64
		c := tx.b(bEvents).Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			var e coding.Event
			if err := json.Unmarshal(v, &e); err != nil {
				add("record", "event %d cannot be decoded: %v", getU64(k), err)
				continue
			}
			if e.ID != getU64(k) || e.ID <= lastID {
				add("record", "event under key %d has id %d", getU64(k), e.ID)
			}
			if len(e.Undo) > 0 {
				if _, err := decodeJournal(e.Undo); err != nil {
					add("record", "event %d has damaged undo data: %v", e.ID, err)
				}
			}
			lastID = e.ID
		}
	})
	return probs
}
