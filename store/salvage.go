package store

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"time"
	"unicode/utf8"

	bolt "go.etcd.io/bbolt"

	"github.com/tacit-qda/tacit/coding"
)

// SalvageReport says what Salvage copied and what it lost.
type SalvageReport struct {
	// Copied counts the records copied, by kind (documents, cases, codes,
	// codings, memos, events).
	Copied map[string]int `json:"copied"`
	// Lost says, one line each, what could not be copied and why.
	Lost []string `json:"lost"`
	// LostCount is the number of lost records or unreadable parts (Lost
	// is cut at maxLostLines).
	LostCount int `json:"lost_count"`
}

const maxLostLines = 500

// Salvage copies every record of the (possibly damaged) database at src
// that still decodes and still makes sense (a coding whose document or code
// is lost is lost too) into a new database at dst, rebuilds what is derived
// from the records there (see Repair), and reports what was lost. The log
// is copied without its undo data: changes made before the salvage cannot
// be undone in the new project. src is only read.
func Salvage(src, dst, actor string) (rep *SalvageReport, err error) {
	defer guard(&err)()
	rep = &SalvageReport{Copied: map[string]int{}, Lost: []string{}}
	lost := func(f string, a ...any) {
		rep.LostCount++
		if len(rep.Lost) < maxLostLines {
			rep.Lost = append(rep.Lost, fmt.Sprintf(f, a...))
		}
	}
	from, cut, note, cleanup, err := salvageSource(src, filepath.Dir(dst))
	if err != nil {
		return nil, err
	}
	defer cleanup()
	if note != "" {
		lost("%s", note)
	}
	sdb, err := openLocked(from, Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		if coding.ErrorKind(err) == coding.EInUse {
			return nil, err
		}
		return nil, coding.Errorf(coding.EDamaged, "nothing can be salvaged: the database file cannot be opened at all (%s); restore a backup of the project database", damageText(err))
	}
	defer sdb.Close()
	section := func(name string, fn func()) {
		defer func() {
			if r := recover(); r != nil {
				if cut > 0 {
					lost("part of %s lay past the end of the file (cut short at %d bytes): what lay there is lost", name, cut)
				} else {
					lost("part of %s could not be read (%v): what lay there is lost", name, r)
				}
			}
		}()
		fn()
	}
	lang, created := "en", ""
	var roles []byte
	_ = sdb.View(func(stx *bolt.Tx) error {
		section("the project settings", func() {
			m := stx.Bucket(bMeta)
			if m == nil {
				lost("the project settings (language, roles) are missing")
				return
			}
			if l := m.Get(kLang); len(l) > 0 && utf8.Valid(l) {
				lang = string(l)
			}
			created = string(m.Get(kCreatedAt))
			if r := m.Get(kRoles); r != nil {
				var rm coding.RoleMap
				if json.Unmarshal(r, &rm) == nil {
					roles = append([]byte(nil), r...)
				} else {
					lost("the speaker roles cannot be decoded")
				}
			}
		})
		return nil
	})
	d, err := Open(dst, Options{Create: true, Lang: lang})
	if err != nil {
		return nil, err
	}
	defer d.Close()
	err = d.db.Update(func(dtx *bolt.Tx) error {
		put := func(b, k, v []byte) error {
			return dtx.Bucket(b).Put(append([]byte(nil), k...), append([]byte(nil), v...))
		}
		seq := func(b []byte, id uint64) {
			if bk := dtx.Bucket(b); bk.Sequence() < id {
				bk.SetSequence(id)
			}
		}
		if created != "" {
			dtx.Bucket(bMeta).Put(kCreatedAt, []byte(created))
		}
		if roles != nil {
			dtx.Bucket(bMeta).Put(kRoles, roles)
		}
		var werr error
		keep := func(err error) {
			if werr == nil {
				werr = err
			}
		}
		return sdb.View(func(stx *bolt.Tx) error {
			sb := func(name []byte) *bolt.Bucket {
				if b := stx.Bucket(name); b != nil {
					return b
				}
				lost("the %s bucket is missing", name)
				return nil
			}
			each := func(name []byte, fn func(k, v []byte)) {
				section(string(name), func() {
					if b := sb(name); b != nil {
						_ = b.ForEach(func(k, v []byte) error { fn(k, v); return nil })
					}
				})
			}
			cases := map[uint64]bool{}
			each(bCases, func(k, v []byte) {
				var c coding.Case
				if err := json.Unmarshal(v, &c); err != nil {
					lost("case %d cannot be decoded", getU64(k))
					return
				}
				keep(put(bCases, k, v))
				cases[getU64(k)] = true
				seq(bCases, getU64(k))
				rep.Copied["cases"]++
			})
			docChars := map[uint64]int{}
			each(bDocs, func(k, v []byte) {
				id := getU64(k)
				doc, err := decodeDoc(id, v)
				if err != nil {
					lost("document %d cannot be decoded", id)
					return
				}
				name := fmt.Sprintf("document %s (id %d)", doc.Name, id)
				var text, turns []byte
				section(name, func() {
					text = stx.Bucket(bTexts).Get(k)
					turns = stx.Bucket(bTurns).Get(k)
				})
				if text == nil || !utf8.Valid(text) {
					lost("%s: its text is missing or damaged", name)
					return
				}
				ts, err := decodeTurns(turns)
				if err != nil {
					lost("%s: its turns cannot be decoded", name)
					return
				}
				if probs := coding.CheckTurns(string(text), ts); len(probs) > 0 || coding.RuneLen(string(text)) != doc.Chars {
					lost("%s: its turns do not fit its text", name)
					return
				}
				if doc.CaseID != 0 && !cases[doc.CaseID] {
					lost("%s: its case %d is lost; the document is kept without a case", name, doc.CaseID)
					doc.CaseID = 0
					v = encodeDoc(&doc)
				}
				keep(put(bDocs, k, v))
				keep(put(bTexts, k, text))
				keep(put(bTurns, k, turns))
				docChars[id] = doc.Chars
				seq(bDocs, id)
				rep.Copied["documents"]++
			})
			var codes []coding.Code
			each(bCodes, func(k, v []byte) {
				c, err := decodeCode(getU64(k), v)
				if err != nil {
					lost("code %d cannot be decoded", getU64(k))
					return
				}
				codes = append(codes, c)
			})
			have := map[uint64]bool{}
			for _, c := range codes {
				have[c.ID] = true
			}
			for _, c := range codes {
				if c.ParentID != 0 && !have[c.ParentID] {
					lost("code %s (id %d): its parent %d is lost; the code is kept at the top level", c.Name, c.ID, c.ParentID)
					c.ParentID = 0
				}
				keep(put(bCodes, u64(c.ID), encodeCode(&c)))
				seq(bCodes, c.ID)
				rep.Copied["codes"]++
			}
			// A coding is stored three times (its record and two index
			// entries with the same bytes): any intact copy will do.
			seen := map[uint64]bool{}
			bad := map[uint64]string{}
			for _, b := range [][]byte{bCodings, bCodingsByDoc, bCodingsByCode} {
				each(b, func(k, v []byte) {
					var id uint64
					switch len(k) {
					case 8:
						id = getU64(k)
					case 16:
						id = getU64(k[8:])
					default:
						return
					}
					if seen[id] {
						return
					}
					c, err := decodeCoding(id, v)
					switch {
					case err != nil:
						bad[id] = "cannot be decoded"
						return
					case docChars[c.DocID] == 0:
						bad[id] = fmt.Sprintf("its document %d is lost", c.DocID)
						return
					case !have[c.CodeID]:
						bad[id] = fmt.Sprintf("its code %d is lost", c.CodeID)
						return
					case c.Start < 0 || c.End > docChars[c.DocID] || c.Start >= c.End:
						bad[id] = "it lies outside its document"
						return
					}
					seen[id] = true
					delete(bad, id)
					keep(put(bCodings, u64(id), v))
					seq(bCodings, id)
					rep.Copied["codings"]++
				})
			}
			ids := make([]uint64, 0, len(bad))
			for id := range bad {
				ids = append(ids, id)
			}
			slices.Sort(ids)
			for _, id := range ids {
				lost("coding %d: %s", id, bad[id])
			}
			each(bMemos, func(k, v []byte) {
				var m coding.Memo
				if err := json.Unmarshal(v, &m); err != nil {
					lost("memo %d cannot be decoded", getU64(k))
					return
				}
				var ok bool
				switch m.Target {
				case coding.MemoProject:
					ok = true
				case coding.MemoCase:
					ok = cases[m.TargetID]
				case coding.MemoDoc:
					ok = docChars[m.TargetID] > 0
				case coding.MemoCode:
					ok = have[m.TargetID]
				case coding.MemoCoding:
					ok = seen[m.TargetID]
				}
				if !ok {
					lost("memo %d: the %s it is on is lost", m.ID, m.Target)
					return
				}
				keep(put(bMemos, k, v))
				seq(bMemos, getU64(k))
				rep.Copied["memos"]++
			})
			each(bEvents, func(k, v []byte) {
				var e coding.Event
				if err := json.Unmarshal(v, &e); err != nil {
					lost("log entry %d cannot be decoded", getU64(k))
					return
				}
				if e.ID != getU64(k) {
					// A damaged key or body: which one is right cannot be told,
					// and check would call the copy damaged.
					lost("log entry under key %d says it is entry %d", getU64(k), e.ID)
					return
				}
				e.Undo = nil
				raw, err := json.Marshal(&e)
				if err != nil {
					keep(err)
					return
				}
				keep(put(bEvents, k, raw))
				seq(bEvents, getU64(k))
				rep.Copied["events"]++
			})
			return werr
		})
	})
	if err != nil {
		return nil, fmt.Errorf("write the salvaged database: %w", err)
	}
	err = d.Update(func(tx *Tx) error {
		if _, err := tx.Repair(actor); err != nil {
			return err
		}
		return tx.Log(&coding.Event{Actor: actor, Action: ActionSalvage, Summary: fmt.Sprintf(
			"salvaged %d documents, %d codes, %d codings, %d memos from %s; %d records or parts lost",
			rep.Copied["documents"], rep.Copied["codes"], rep.Copied["codings"], rep.Copied["memos"], src, rep.LostCount)})
	})
	if err != nil {
		return nil, err
	}
	return rep, nil
}

// salvageSource looks at the meta pages of the database file at path
// before Salvage opens it. A file cut short (truncated) before its root
// page has nothing bbolt can find: if the older meta page (the commit
// before the last) has its root inside the file, the salvage reads a copy
// of the file (in tmpDir) with the newer meta page wiped, and note says so;
// if neither has, the error says that nothing can be salvaged. cut is the
// file's size when it is shorter than its pages need (else 0).
func salvageSource(path, tmpDir string) (from string, cut int64, note string, cleanup func(), err error) {
	cleanup = func() {}
	f, err := os.Open(path)
	if err != nil {
		return path, 0, "", cleanup, nil // the open reports it
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return path, 0, "", cleanup, nil
	}
	size := st.Size()
	w := &pageWalk{f: f, size: size}
	type meta struct {
		page int64
		m    []byte
	}
	ps := int64(4096)
	m0 := w.readMeta(0)
	if m0 != nil {
		ps = int64(le.Uint32(m0[8:]))
	}
	if ps < 512 || ps > 1<<20 {
		return path, 0, "", cleanup, nil
	}
	var metas []meta
	if m0 != nil {
		metas = append(metas, meta{0, m0})
	}
	if m1 := w.readMeta(ps); m1 != nil {
		metas = append(metas, meta{1, m1})
	}
	if len(metas) == 0 {
		return "", 0, "", cleanup, coding.Errorf(coding.EDamaged, "nothing can be salvaged: the database file (%d bytes) has no valid meta page, so none of its records can be found; restore a backup of the project database", size)
	}
	txid := func(m meta) uint64 { return le.Uint64(m.m[48:]) }
	if len(metas) == 2 && txid(metas[1]) > txid(metas[0]) {
		metas[0], metas[1] = metas[1], metas[0]
	}
	best := metas[0]
	if hwm := int64(le.Uint64(best.m[40:])); hwm*ps > size {
		cut = size
	}
	rootFits := func(m meta) bool { return (int64(le.Uint64(m.m[16:]))+1)*ps <= size }
	if rootFits(best) {
		return path, cut, "", cleanup, nil
	}
	if len(metas) == 2 && rootFits(metas[1]) {
		tmp, err := os.CreateTemp(tmpDir, ".salvage-*.db")
		if err != nil {
			return "", 0, "", cleanup, err
		}
		cleanup = func() { os.Remove(tmp.Name()) }
		_, err = io.Copy(tmp, f)
		if err == nil {
			// Wipe the newer meta page: bbolt then reads the older one.
			_, err = tmp.WriteAt(make([]byte, pageHeader+64), best.page*ps)
		}
		if cerr := tmp.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			cleanup()
			return "", 0, "", func() {}, fmt.Errorf("copy the damaged database: %w", err)
		}
		return tmp.Name(), cut, fmt.Sprintf("the last change (transaction %d) lies past the end of the file (cut short at %d bytes); the project is salvaged as it was before it (transaction %d)",
			txid(best), size, txid(metas[1])), cleanup, nil
	}
	return "", 0, "", cleanup, coding.Errorf(coding.EDamaged, "nothing can be salvaged: the database file is cut short at %d bytes, before its root page (at byte %d), so none of its records can be found; restore a backup of the project database",
		size, int64(le.Uint64(best.m[16:]))*ps)
}

// damageText is the cause of a damaged-database error, else its text.
func damageText(err error) string {
	if c := DamageCause(err); c != "" {
		return c
	}
	return err.Error()
}
