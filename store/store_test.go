package store

import (
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/tacit-qda/tacit/coding"
)

func newStore(t *testing.T) *Store {
	t.Helper()
	s, err := Open(filepath.Join(t.TempDir(), "tacit.db"), Options{Create: true, Lang: "en"})
	if err != nil {
		t.Fatal(err)
	}
	s.db.StrictMode = true
	t.Cleanup(func() { s.Close() })
	return s
}

func logEv(tx *Tx) error { return tx.Log(&coding.Event{Actor: "t", Action: "test", Summary: "test"}) }

func TestCodingRoundTrip(t *testing.T) {
	cases := []coding.Coding{
		{ID: 1, DocID: 2, CodeID: 3, Start: 0, End: 5, Coder: "dana", Origin: coding.OriginManual, CreatedAt: time.Unix(1700000000, 5).UTC()},
		{ID: 9, DocID: 1 << 40, CodeID: 7, Start: 100000, End: 100010, Coder: "רנה", Origin: coding.OriginAuto, Group: 4, Query: `crisis OR "turning point"`, Memo: "memo\nwith lines", Key: true, CreatedAt: time.Unix(0, 0).UTC()},
	}
	for _, c := range cases {
		got, err := decodeCoding(c.ID, encodeCoding(&c))
		if err != nil {
			t.Fatal(err)
		}
		if got != c {
			t.Errorf("round trip:\n got %+v\nwant %+v", got, c)
		}
	}
	if _, err := decodeCoding(1, []byte{1, 0x80}); err == nil {
		t.Error("truncated record decoded without error")
	}
}

func TestTurnsRoundTrip(t *testing.T) {
	ts := []coding.Turn{
		{Index: 0, Speaker: "Interviewer", Start: 13, End: 40},
		{Index: 1, Speaker: "משה", Start: 46, End: 900, HasTime: true, TimeStart: 5 * time.Second, TimeEnd: 65 * time.Second},
		{Index: 2, Start: 902, End: 910},
	}
	got, err := decodeTurns(encodeTurns(ts))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(ts) {
		t.Fatalf("got %d turns", len(got))
	}
	for i := range ts {
		if got[i] != ts[i] {
			t.Errorf("turn %d: got %+v want %+v", i, got[i], ts[i])
		}
	}
}

func TestDocumentsAndCodingIndexes(t *testing.T) {
	s := newStore(t)
	var docID, codeA, codeB uint64
	err := s.Update(func(tx *Tx) error {
		c, created, err := tx.EnsureCase("S1  Step by step")
		if err != nil || !created {
			t.Fatalf("EnsureCase: %v %v", created, err)
		}
		d := &coding.Document{Name: "moshe", CaseID: c.ID, SourceHash: "h1", Turns: []coding.Turn{{Speaker: "Moshe", Start: 7, End: 12}}}
		if err := tx.AddDocument(d, "Moshe: שלום world"); err != nil {
			return err
		}
		docID = d.ID
		d2 := &coding.Document{Name: "moshe", SourceHash: "h2"}
		if err := tx.AddDocument(d2, "x"); err != nil {
			return err
		}
		if d2.Name != "moshe-2" {
			t.Errorf("second name = %q, want moshe-2", d2.Name)
		}
		a := &coding.Code{Name: "A"}
		b := &coding.Code{Name: "B"}
		if err := tx.PutCode(a); err != nil {
			return err
		}
		if err := tx.PutCode(b); err != nil {
			return err
		}
		codeA, codeB = a.ID, b.ID
		for i := 0; i < 5; i++ {
			code := codeA
			if i%2 == 1 {
				code = codeB
			}
			if err := tx.AddCoding(&coding.Coding{DocID: docID, CodeID: code, Start: i, End: i + 2, Coder: "dana"}); err != nil {
				return err
			}
		}
		if err := tx.AddCoding(&coding.Coding{DocID: d2.ID, CodeID: codeA, Start: 0, End: 1, Coder: "dana"}); err != nil {
			return err
		}
		return logEv(tx)
	})
	if err != nil {
		t.Fatal(err)
	}
	err = s.View(func(tx *Tx) error {
		byA, _ := tx.CodingsByCode(codeA)
		byB, _ := tx.CodingsByCode(codeB)
		byDoc, _ := tx.CodingsByDoc(docID)
		if len(byA) != 4 || len(byB) != 2 || len(byDoc) != 5 {
			t.Errorf("index sizes A=%d B=%d doc=%d, want 4 2 5", len(byA), len(byB), len(byDoc))
		}
		d, err := tx.FindDocument("MOSHE")
		if err != nil || d.ID != docID {
			t.Errorf("FindDocument case-insensitive: %v %v", d, err)
		}
		if _, err := tx.FindDocument("mosh"); coding.ErrorKind(err) != coding.ENotFound {
			t.Errorf("FindDocument(mosh) error kind = %v", err)
		}
		c, err := tx.FindCase("s1 step BY step")
		if err != nil || c.Name != "S1 Step by step" {
			t.Errorf("FindCase: %v %v", c, err)
		}
		if probs := tx.Check(); len(probs) != 0 {
			t.Errorf("Check: %v", probs)
		}
		if tx.Revision() != 1 || tx.IndexRevision() != 1 {
			t.Errorf("revision %d index %d, want 1 1", tx.Revision(), tx.IndexRevision())
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// Deleting a document removes its codings and their index entries.
	if err := s.Update(func(tx *Tx) error {
		if err := tx.DeleteDocument(docID); err != nil {
			return err
		}
		return logEv(tx)
	}); err != nil {
		t.Fatal(err)
	}
	s.View(func(tx *Tx) error {
		byA, _ := tx.CodingsByCode(codeA)
		if len(byA) != 1 {
			t.Errorf("after delete, code A has %d codings, want 1", len(byA))
		}
		if probs := tx.Check(); len(probs) != 0 {
			t.Errorf("Check after delete: %v", probs)
		}
		return nil
	})
}

func TestChangeWithoutEventIsRolledBack(t *testing.T) {
	s := newStore(t)
	err := s.Update(func(tx *Tx) error {
		return tx.PutCode(&coding.Code{Name: "A"})
	})
	if err == nil {
		t.Fatal("a change without an audit event committed")
	}
	s.View(func(tx *Tx) error {
		cb, _ := tx.Codes()
		if cb.Len() != 0 {
			t.Error("the change was not rolled back")
		}
		return nil
	})
}

func TestErrorRollsBack(t *testing.T) {
	s := newStore(t)
	boom := errors.New("boom")
	err := s.Update(func(tx *Tx) error {
		tx.PutCode(&coding.Code{Name: "A"})
		logEv(tx)
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v", err)
	}
	s.View(func(tx *Tx) error {
		cb, _ := tx.Codes()
		if cb.Len() != 0 || tx.Revision() != 0 {
			t.Error("failed transaction left data behind")
		}
		return nil
	})
}

func TestSecondOpenIsInUse(t *testing.T) {
	path := filepath.Join(t.TempDir(), "tacit.db")
	s, err := Open(path, Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	start := time.Now()
	_, err = Open(path, Options{Timeout: 200 * time.Millisecond})
	if coding.ErrorKind(err) != coding.EInUse {
		t.Fatalf("second open: %v, want in-use", err)
	}
	if !errors.Is(err, ErrInUse) {
		t.Error("error does not wrap ErrInUse")
	}
	if time.Since(start) > 2*time.Second {
		t.Error("second open took longer than two seconds")
	}
}

func TestNewerSchemaRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "tacit.db")
	s, err := Open(path, Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	s.db.Update(func(btx *bboltTx) error { return btx.Bucket(bMeta).Put(kSchema, u64(SchemaVersion+1)) })
	s.Close()
	_, err = Open(path, Options{})
	if err == nil || coding.ErrorKind(err) != coding.EInvalid {
		t.Fatalf("open of newer schema: %v", err)
	}
}

func TestOpenMissing(t *testing.T) {
	_, err := Open(filepath.Join(t.TempDir(), "nope.db"), Options{})
	if coding.ErrorKind(err) != coding.ENotFound {
		t.Fatalf("err = %v", err)
	}
}
