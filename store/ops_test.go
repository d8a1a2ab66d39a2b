package store

import (
	"errors"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tacit-qda/tacit/coding"
)

const moshe = "Interviewer: How did it start?\nMoshe: Ruth called me Mr. Levi. Nobody had called me that in years.\nMoshe: Then the overdose."

// fixture makes a store with one document and returns it.
func fixture(t *testing.T) (*Store, *coding.Document) {
	t.Helper()
	s := newStore(t)
	doc := &coding.Document{Name: "moshe", SourceHash: "h", Turns: []coding.Turn{
		{Index: 0, Speaker: "Interviewer", Start: 13, End: 30},
		{Index: 1, Speaker: "Moshe", Start: 38, End: 98},
		{Index: 2, Speaker: "Moshe", Start: 106, End: 124},
	}}
	mustUpdate(t, s, func(tx *Tx) error {
		if err := tx.AddDocument(doc, moshe); err != nil {
			return err
		}
		return tx.Log(&coding.Event{Actor: "lead", Action: "import", Summary: "imported moshe"})
	})
	return s, doc
}

func mustUpdate(t *testing.T, s *Store, fn func(tx *Tx) error) {
	t.Helper()
	if err := s.Update(fn); err != nil {
		t.Fatal(err)
	}
}

func check(t *testing.T, s *Store) {
	t.Helper()
	s.View(func(tx *Tx) error {
		if probs := tx.Check(); len(probs) != 0 {
			t.Errorf("Check: %v", probs)
		}
		return nil
	})
}

func codeID(t *testing.T, s *Store, ref string) uint64 {
	t.Helper()
	var id uint64
	s.View(func(tx *Tx) error {
		cb, _ := tx.Codes()
		c, err := cb.Resolve(ref)
		if err != nil {
			t.Fatalf("resolve %q: %v", ref, err)
		}
		id = c.ID
		return nil
	})
	return id
}

func eventCount(s *Store) int {
	n := 0
	s.View(func(tx *Tx) error { return tx.Events(func(*coding.Event) bool { n++; return true }) })
	return n
}

func addCode(t *testing.T, s *Store, path string) uint64 {
	t.Helper()
	var id uint64
	mustUpdate(t, s, func(tx *Tx) error {
		c, _, err := tx.AddCode("dana", path, "", "")
		if c != nil {
			id = c.ID
		}
		return err
	})
	return id
}

func tag(t *testing.T, s *Store, doc *coding.Document, actor string, code uint64, start, end int, memo string) []coding.Coding {
	t.Helper()
	var out []coding.Coding
	mustUpdate(t, s, func(tx *Tx) error {
		var err error
		out, _, err = tx.Tag(actor, TagRequest{Doc: doc, CodeIDs: []uint64{code}, Spans: []coding.Span{{Start: start, End: end}}, Memo: memo})
		return err
	})
	return out
}

func TestAddCodeCreatesParents(t *testing.T) {
	s, _ := fixture(t)
	var created []*coding.Code
	mustUpdate(t, s, func(tx *Tx) error {
		var err error
		_, created, err = tx.AddCode("dana", "Principles/Partnership/Many partners", "credit shared", "#ABC")
		return err
	})
	if len(created) != 3 || created[2].Color != "#aabbcc" || created[2].Description != "credit shared" || created[0].Description != "" {
		t.Fatalf("created %+v", created)
	}
	// Adding the same path again, a bad colour or an empty part writes nothing.
	before := eventCount(s)
	for _, tc := range []struct{ path, color, want string }{
		{"principles/partnership/many partners", "", "already exists"},
		{"Principles/New", "blurple", "not a colour"},
		{"Principles//New", "", "empty part"},
	} {
		err := s.Update(func(tx *Tx) error { _, _, err := tx.AddCode("dana", tc.path, "", tc.color); return err })
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("AddCode(%q, %q) = %v, want %q", tc.path, tc.color, err, tc.want)
		}
	}
	if eventCount(s) != before {
		t.Error("a refused AddCode wrote an event")
	}
	check(t, s)
}

func TestTagDuplicatesAndBadSpans(t *testing.T) {
	s, doc := fixture(t)
	a := addCode(t, s, "A")
	if got := tag(t, s, doc, "dana", a, 43, 61, "memo"); len(got) != 1 || got[0].Memo != "memo" || got[0].Origin != coding.OriginManual {
		t.Fatalf("tag: %+v", got)
	}
	// The same code, span and coder is not added twice; another coder's is.
	if got := tag(t, s, doc, "dana", a, 43, 61, ""); len(got) != 0 {
		t.Errorf("duplicate added: %+v", got)
	}
	if got := tag(t, s, doc, "noa", a, 43, 61, ""); len(got) != 1 {
		t.Errorf("second coder's coding not added: %+v", got)
	}
	before := eventCount(s)
	for _, sp := range []coding.Span{{Start: 120, End: 200}, {Start: 50, End: 50}, {Start: 9, End: 3}} {
		err := s.Update(func(tx *Tx) error {
			_, _, err := tx.Tag("dana", TagRequest{Doc: doc, CodeIDs: []uint64{a}, Spans: []coding.Span{{Start: 0, End: 5}, sp}})
			return err
		})
		if coding.ErrorKind(err) != coding.EInvalid {
			t.Errorf("span %v: %v", sp, err)
		}
	}
	if eventCount(s) != before {
		t.Error("a refused tag wrote an event")
	}
	s.View(func(tx *Tx) error {
		cs, _ := tx.CodingsByDoc(doc.ID)
		if len(cs) != 2 {
			t.Errorf("%d codings, want 2", len(cs))
		}
		return nil
	})
	check(t, s)
}

func TestMergeKeepsEverything(t *testing.T) {
	s, doc := fixture(t)
	src := addCode(t, s, "Principles/Respect")
	addCode(t, s, "Principles/Respect/In words")
	dst := addCode(t, s, "Principles/Respectful attitude")
	kidDst := addCode(t, s, "Principles/Respectful attitude/In words")
	addCode(t, s, "Principles/Respect/In deeds")
	tag(t, s, doc, "dana", src, 43, 61, "from src")
	dup := tag(t, s, doc, "dana", src, 70, 80, "")
	tag(t, s, doc, "dana", dst, 70, 80, "")
	tag(t, s, doc, "noa", src, 70, 80, "")
	kid := codeID(t, s, "Principles/Respect/In words")
	tag(t, s, doc, "dana", kid, 106, 124, "")
	mustUpdate(t, s, func(tx *Tx) error {
		return tx.AddMemo("dana", &coding.Memo{Target: coding.MemoCoding, TargetID: dup[0].ID, Text: "on the duplicate"})
	})
	mustUpdate(t, s, func(tx *Tx) error {
		return tx.AddMemo("dana", &coding.Memo{Target: coding.MemoCode, TargetID: src, Text: "on the code"})
	})
	// Refusals first.
	for _, tc := range []struct {
		a, b uint64
		want string
	}{{src, src, "into itself"}, {src, kid, "its own sub-code"}} {
		err := s.Update(func(tx *Tx) error { _, err := tx.MergeCode("dana", tc.a, tc.b); return err })
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("merge %d into %d: %v", tc.a, tc.b, err)
		}
	}
	var res *MergeResult
	mustUpdate(t, s, func(tx *Tx) error {
		var err error
		res, err = tx.MergeCode("dana", src, dst)
		return err
	})
	if res.Moved != 3 || res.Collapsed != 1 || res.SubCodes != 1 || res.Merged != 2 || res.MemosMoved != 2 {
		t.Errorf("merge result %+v", res)
	}
	s.View(func(tx *Tx) error {
		cb, _ := tx.Codes()
		if cb.ByPath("Principles/Respect") != nil || cb.ByPath("Principles/Respectful attitude/In deeds") == nil {
			t.Error("the tree was not merged")
		}
		got, _ := tx.CodingsByCode(dst)
		if len(got) != 3 {
			t.Errorf("target has %d codings, want 3", len(got))
		}
		kids, _ := tx.CodingsByCode(kidDst)
		if len(kids) != 1 {
			t.Errorf("same-named sub-code has %d codings, want 1", len(kids))
		}
		memos, _ := tx.Memos("", 0)
		for _, m := range memos {
			if !tx.memoTargetExists(m) {
				t.Errorf("memo %d lost its target", m.ID)
			}
		}
		return nil
	})
	check(t, s)
	// A merge can be undone: everything is back.
	mustUpdate(t, s, func(tx *Tx) error { _, err := tx.Undo("dana"); return err })
	if codeID(t, s, "Principles/Respect") != src {
		t.Error("undo of merge did not bring the code back")
	}
	s.View(func(tx *Tx) error {
		got, _ := tx.CodingsByCode(src)
		if len(got) != 3 {
			t.Errorf("after undo the source has %d codings, want 3", len(got))
		}
		return nil
	})
	check(t, s)
}

func TestDeleteCodeRefusesThenForces(t *testing.T) {
	s, doc := fixture(t)
	a := addCode(t, s, "A")
	b := addCode(t, s, "A/B")
	tag(t, s, doc, "dana", a, 43, 61, "")
	c := tag(t, s, doc, "dana", b, 70, 80, "")
	mustUpdate(t, s, func(tx *Tx) error {
		return tx.AddMemo("dana", &coding.Memo{Target: coding.MemoCoding, TargetID: c[0].ID, Text: "x"})
	})
	before := eventCount(s)
	err := s.Update(func(tx *Tx) error { _, err := tx.DeleteCodeTree("dana", a, false); return err })
	if coding.ErrorKind(err) != coding.EConflict || !strings.Contains(err.Error(), "1 sub-code and 2 codings in 1 document") || nextOf(err) != coding.NextCodeInUse {
		t.Fatalf("delete without force: %v", err)
	}
	if eventCount(s) != before {
		t.Error("refused delete wrote an event")
	}
	var res *DeleteResult
	mustUpdate(t, s, func(tx *Tx) error {
		var err error
		res, err = tx.DeleteCodeTree("dana", a, true)
		return err
	})
	if res.Codes != 2 || res.Codings != 2 || res.Memos != 1 {
		t.Errorf("delete result %+v", res)
	}
	s.View(func(tx *Tx) error {
		n := 0
		tx.Codings(func(*coding.Coding) error { n++; return nil })
		cb, _ := tx.Codes()
		if n != 0 || cb.Len() != 0 {
			t.Errorf("left %d codings, %d codes", n, cb.Len())
		}
		evs, _ := tx.FilterEvents(EventFilter{Action: "code"})
		if len(evs) == 0 || evs[0].Action != ActionCodeDelete || !strings.Contains(evs[0].Summary, "2 codings") {
			t.Errorf("events %+v", evs)
		}
		return nil
	})
	check(t, s)
}

func TestUndo(t *testing.T) {
	s, doc := fixture(t)
	a := addCode(t, s, "A")
	b := addCode(t, s, "B")
	undo := func(actor string) error {
		return s.Update(func(tx *Tx) error { _, err := tx.Undo(actor); return err })
	}
	countCodings := func() int {
		n := 0
		s.View(func(tx *Tx) error { return tx.Codings(func(*coding.Coding) error { n++; return nil }) })
		return n
	}
	// tag, then undo
	tag(t, s, doc, "dana", a, 43, 61, "")
	if err := undo("dana"); err != nil || countCodings() != 0 {
		t.Fatalf("undo tag: %v, %d codings", err, countCodings())
	}
	// untag, then undo brings it back with its id and memo
	c := tag(t, s, doc, "dana", a, 43, 61, "")
	mustUpdate(t, s, func(tx *Tx) error {
		return tx.AddMemo("dana", &coding.Memo{Target: coding.MemoCoding, TargetID: c[0].ID, Text: "why"})
	})
	mustUpdate(t, s, func(tx *Tx) error { _, err := tx.Untag("dana", []uint64{c[0].ID}); return err })
	if err := undo("dana"); err != nil {
		t.Fatal(err)
	}
	s.View(func(tx *Tx) error {
		if _, err := tx.Coding(c[0].ID); err != nil {
			t.Error("undo of untag did not restore the coding")
		}
		if ms, _ := tx.Memos(coding.MemoCoding, c[0].ID); len(ms) != 1 {
			t.Error("undo of untag did not restore the memo")
		}
		return nil
	})
	// rename and move, undone in turn (undo walks back the actor's changes)
	mustUpdate(t, s, func(tx *Tx) error { _, err := tx.RenameCode("dana", b, "Bee"); return err })
	mustUpdate(t, s, func(tx *Tx) error { _, err := tx.MoveCode("dana", b, a); return err })
	if err := undo("dana"); err != nil || codeID(t, s, "Bee") != b {
		t.Fatalf("undo move: %v", err)
	}
	if err := undo("dana"); err != nil || codeID(t, s, "B") != b {
		t.Fatalf("undo rename: %v", err)
	}
	// memo edit
	var memo coding.Memo
	mustUpdate(t, s, func(tx *Tx) error {
		memo = coding.Memo{Target: coding.MemoProject, Text: "first"}
		return tx.AddMemo("dana", &memo)
	})
	text := "second"
	mustUpdate(t, s, func(tx *Tx) error { _, err := tx.EditMemo("dana", memo.ID, nil, &text); return err })
	if err := undo("dana"); err != nil {
		t.Fatal(err)
	}
	s.View(func(tx *Tx) error {
		m, _ := tx.Memo(memo.ID)
		if m == nil || m.Text != "first" {
			t.Errorf("undo of memo edit: %+v", m)
		}
		return nil
	})
	if err := undo("dana"); err != nil {
		t.Fatal(err)
	}
	// code add is refused while someone else has coded with it since
	cc := addCode(t, s, "C")
	tag(t, s, doc, "noa", cc, 0, 5, "")
	err := undo("dana")
	if coding.ErrorKind(err) != coding.EConflict || !strings.Contains(err.Error(), "codings made since") {
		t.Errorf("undo of code add with codings: %v", err)
	}
	// a later change by another coder to the same record blocks the undo
	mustUpdate(t, s, func(tx *Tx) error { _, err := tx.Undo("noa"); return err })
	mustUpdate(t, s, func(tx *Tx) error { _, err := tx.RenameCode("dana", cc, "Cee"); return err })
	mustUpdate(t, s, func(tx *Tx) error { _, err := tx.RenameCode("noa", cc, "See"); return err })
	if err := undo("dana"); err == nil || !strings.Contains(err.Error(), "code "+itoa(cc)+" was changed after it") {
		t.Errorf("undo over a later change: %v", err)
	}
	// an import cannot be undone
	if err := undo("lead"); err == nil || !strings.Contains(err.Error(), "cannot be undone: it imported documents") {
		t.Errorf("undo of import: %v", err)
	}
	if err := undo("nobody"); coding.ErrorKind(err) != coding.ENotFound {
		t.Errorf("undo with no change: %v", err)
	}
	s.View(func(tx *Tx) error {
		evs, _ := tx.FilterEvents(EventFilter{Action: ActionUndo})
		if len(evs) != 7 {
			t.Errorf("%d undo events, want 7", len(evs))
		}
		return nil
	})
	check(t, s)
}

func itoa(v uint64) string { return strconv.FormatUint(v, 10) }

func TestImportCodebook(t *testing.T) {
	s, _ := fixture(t)
	addCode(t, s, "Principles/Respect")
	flat, err := coding.ParseCodebook([]byte(`{"codes":[{"name":"Principles","children":[{"name":"respect","description":"d","color":"red"},{"name":"New","guid":"abc"}]}]}`), "")
	if err != nil {
		t.Fatal(err)
	}
	var res *ImportResult
	mustUpdate(t, s, func(tx *Tx) error { res, err = tx.ImportCodebook("dana", flat); return err })
	if res.Created != 1 || res.Updated != 1 || res.Unchanged != 1 {
		t.Errorf("import result %+v", res)
	}
	s.View(func(tx *Tx) error {
		cb, _ := tx.Codes()
		if c := cb.ByPath("Principles/Respect"); c.Description != "d" || c.Color != "#e63946" {
			t.Errorf("updated code %+v", c)
		}
		if c := cb.ByPath("Principles/New"); c == nil || c.GUID != "abc" {
			t.Errorf("created code %+v", c)
		}
		return nil
	})
	// the same file again changes nothing and logs nothing
	before := eventCount(s)
	mustUpdate(t, s, func(tx *Tx) error { res, err = tx.ImportCodebook("dana", flat); return err })
	if res.Created+res.Updated != 0 || eventCount(s) != before {
		t.Errorf("second import %+v", res)
	}
	check(t, s)
}

func TestRolesAndSpeakers(t *testing.T) {
	s, doc := fixture(t)
	mustUpdate(t, s, func(tx *Tx) error { return tx.SetRole("dana", "moshe", "Client", nil) })
	mustUpdate(t, s, func(tx *Tx) error { return tx.SetRole("dana", "Interviewer", "staff", doc) })
	s.View(func(tx *Tx) error {
		sp, err := tx.Speakers()
		if err != nil || len(sp) != 2 {
			t.Fatalf("speakers %+v %v", sp, err)
		}
		if sp[1].Speaker != "Moshe" || sp[1].Role != "client" || sp[1].Turns != 2 || sp[0].DocRoles["moshe"] != "staff" {
			t.Errorf("speakers %+v", sp)
		}
		if tx.IndexRevision() < 3 {
			t.Error("a role change did not bump the index revision")
		}
		return nil
	})
	if err := s.Update(func(tx *Tx) error { return tx.SetRole("dana", "Ghost", "", nil) }); coding.ErrorKind(err) != coding.ENotFound {
		t.Errorf("unset missing role: %v", err)
	}
	mustUpdate(t, s, func(tx *Tx) error { _, err := tx.Undo("dana"); return err })
	s.View(func(tx *Tx) error {
		rm, _ := tx.Roles()
		if len(rm.PerDoc) != 0 || rm.Project["moshe"] != "client" {
			t.Errorf("roles after undo %+v", rm)
		}
		return nil
	})
}

func TestExcerpt(t *testing.T) {
	s, doc := fixture(t)
	s.View(func(tx *Tx) error {
		b, m, a, err := tx.Excerpt(doc.ID, 43, 61, 5)
		if err != nil || b != "Ruth " || m != "called me Mr. Levi" || a != ". Nob" {
			t.Errorf("Excerpt = %q %q %q %v", b, m, a, err)
		}
		return nil
	})
}

// TestExcerptsMatchRuneSlicing compares Excerpts with slicing the text as
// []rune, on ASCII, Hebrew, mixed and invalid UTF-8 texts, with spans in any
// order, empty, reversed and out of range.
func TestExcerptsMatchRuneSlicing(t *testing.T) {
	texts := []string{
		"",
		"plain ascii text, nothing else",
		"שלום, ביקרתי בבית כל שבוע ודיברנו",
		"mixed: café – naïve 😀 and עברית too",
		"bad \xff\xfe bytes \xe2\x82 here",
		"a long run of plain ascii words before the first accent: café, then more ascii words again – and a dash near the end",
	}
	s := newStore(t)
	var ids []uint64
	mustUpdate(t, s, func(tx *Tx) error {
		for i, text := range texts {
			d := &coding.Document{Name: "d" + strconv.Itoa(i)}
			if err := tx.AddDocument(d, text); err != nil {
				return err
			}
			ids = append(ids, d.ID)
		}
		return logEv(tx)
	})
	sub := func(r []rune, a, b int) string {
		a, b = max(0, min(a, len(r))), max(0, min(b, len(r)))
		if b < a {
			b = a
		}
		return string(r[a:b])
	}
	s.View(func(tx *Tx) error {
		for i, text := range texts {
			r := []rune(text)
			n := len(r)
			if got := tx.docChars(ids[i]); got != coding.RuneLen(text) {
				t.Errorf("docChars of text %d = %d, want %d", i, got, coding.RuneLen(text))
			}
			spans := []coding.Span{{Start: n / 2, End: n}, {Start: 0, End: n / 3}, {Start: 3, End: 3}, {Start: n + 5, End: n + 9}, {Start: 5, End: 2}, {Start: 1, End: n - 1}}
			for _, ctx := range []int{0, 4, 100} {
				ps, err := tx.Excerpts(ids[i], spans, ctx)
				if err != nil {
					t.Fatal(err)
				}
				for j, sp := range spans {
					end := max(sp.End, sp.Start)
					want := Passage{Before: sub(r, sp.Start-ctx, sp.Start), Text: sub(r, sp.Start, end), After: sub(r, end, end+ctx)}
					// Invalid bytes become U+FFFD in []rune; compare that way.
					got := Passage{Before: string([]rune(ps[j].Before)), Text: string([]rune(ps[j].Text)), After: string([]rune(ps[j].After))}
					if got != want {
						t.Errorf("text %d span %v ctx %d: got %q want %q", i, sp, ctx, got, want)
					}
				}
			}
		}
		if _, err := tx.Excerpts(999, []coding.Span{{Start: 0, End: 1}}, 0); coding.ErrorKind(err) != coding.ENotFound {
			t.Errorf("Excerpts of a missing document: %v", err)
		}
		return nil
	})
}

// TestCountsStayInStep runs a seeded random mix of tags, untags, merges,
// code deletions and undos by two coders and checks after every step that
// code_counts and code_docs agree with the codings (tx.Check) and that
// CodeCounts gives what reading the codings gives.
func TestCountsStayInStep(t *testing.T) {
	s, doc := fixture(t)
	var doc2 *coding.Document
	mustUpdate(t, s, func(tx *Tx) error {
		doc2 = &coding.Document{Name: "ruth", SourceHash: "h2", Turns: doc.Turns}
		if err := tx.AddDocument(doc2, moshe); err != nil {
			return err
		}
		return logEv(tx)
	})
	docs := []*coding.Document{doc, doc2}
	codes := []uint64{addCode(t, s, "A"), addCode(t, s, "B"), addCode(t, s, "C/D"), addCode(t, s, "C/E")}
	rng := rand.New(rand.NewPCG(7, 7))
	actors := []string{"dana", "noa"}
	for step := 0; step < 300; step++ {
		actor := actors[rng.IntN(2)]
		var err error
		switch op := rng.IntN(10); {
		case op < 5:
			a := rng.IntN(100)
			err = s.Update(func(tx *Tx) error {
				_, _, err := tx.Tag(actor, TagRequest{Doc: docs[rng.IntN(2)], CodeIDs: []uint64{codes[rng.IntN(len(codes))]}, Spans: []coding.Span{{Start: a, End: a + 1 + rng.IntN(20)}}})
				return err
			})
		case op < 7:
			err = s.Update(func(tx *Tx) error {
				var ids []uint64
				tx.Codings(func(c *coding.Coding) error {
					if rng.IntN(3) == 0 {
						ids = append(ids, c.ID)
					}
					return nil
				})
				if len(ids) == 0 {
					return nil
				}
				_, err := tx.Untag(actor, ids)
				return err
			})
		case op < 8:
			src, dst := codes[rng.IntN(len(codes))], codes[rng.IntN(len(codes))]
			err = s.Update(func(tx *Tx) error {
				if cb, _ := tx.Codes(); cb.Code(src) == nil || cb.Code(dst) == nil || src == dst || cb.IsAncestor(src, dst) {
					return nil
				}
				_, err := tx.MergeCode(actor, src, dst)
				return err
			})
		default:
			err = s.Update(func(tx *Tx) error { _, err := tx.Undo(actor); return err })
			if coding.ErrorKind(err) == coding.EConflict {
				err = nil
			}
		}
		if coding.ErrorKind(err) == coding.ENotFound { // a merged code, or nothing to undo
			err = nil
		}
		if err != nil {
			t.Fatalf("step %d: %v", step, err)
		}
		s.View(func(tx *Tx) error {
			if probs := tx.Check(); len(probs) != 0 {
				t.Fatalf("step %d: %v", step, probs)
			}
			for _, id := range codes {
				cs, _ := tx.CodingsByCode(id)
				inDocs := map[uint64]bool{}
				for _, c := range cs {
					inDocs[c.DocID] = true
				}
				if n, d := tx.CodeCounts(id); n != len(cs) || d != len(inDocs) {
					t.Fatalf("step %d: code %d counts %d codings in %d documents, reading gives %d in %d", step, id, n, d, len(cs), len(inDocs))
				}
			}
			return nil
		})
	}
}

// TestTurnOfMatchesDecodedTurns compares TurnOf, which reads the stored
// turns in place, with the decoded turns: the turn containing start, else
// the first overlapping [start, end).
func TestTurnOfMatchesDecodedTurns(t *testing.T) {
	s, doc := fixture(t)
	var timed *coding.Document
	mustUpdate(t, s, func(tx *Tx) error {
		timed = &coding.Document{Name: "timed", SourceHash: "t", Turns: []coding.Turn{
			{Index: 0, Speaker: "A", Start: 2, End: 10, HasTime: true, TimeStart: time.Second, TimeEnd: 2 * time.Second},
			{Index: 1, Speaker: "", Start: 12, End: 20},
			{Index: 2, Speaker: "רות", Start: 20, End: 40, HasTime: true, TimeEnd: -time.Second},
		}}
		if err := tx.AddDocument(timed, strings.Repeat("x", 45)); err != nil {
			return err
		}
		return logEv(tx)
	})
	want := func(d *coding.Document, start, end int) (int, string) {
		if i := d.TurnAt(start); i >= 0 {
			return i, d.Turns[i].Speaker
		}
		for i, t := range d.Turns {
			if t.Start < end && start < t.End {
				return i, t.Speaker
			}
		}
		return -1, ""
	}
	s.View(func(tx *Tx) error {
		for _, d := range []*coding.Document{doc, timed} {
			for start := -1; start < 130; start++ {
				for _, end := range []int{start, start + 1, start + 5, start + 50} {
					wi, ws := want(d, start, end)
					gi, gs, err := tx.TurnOf(d.ID, start, end)
					if err != nil || gi != wi || gs != ws {
						t.Fatalf("%s TurnOf(%d, %d) = %d %q %v, want %d %q", d.Name, start, end, gi, gs, err, wi, ws)
					}
				}
			}
		}
		if _, _, err := tx.TurnOf(999, 0, 1); err == nil {
			t.Error("TurnOf of a missing document gave no error")
		}
		return nil
	})
}

// nextOf is the next step an error names (its coding.Next* kind).
func nextOf(err error) string {
	var e *coding.Error
	if errors.As(err, &e) {
		return e.Next
	}
	return ""
}
