package store

import (
	"testing"

	"github.com/tacit-qda/tacit/coding"
)

// TestTurnCache: with CacheTurns the turns read are the stored ones after
// every change (an entry is used only while the stored bytes are the
// same), and a caller changing what it got does not change the cache.
func TestTurnCache(t *testing.T) {
	s, doc := fixture(t)
	s.CacheTurns()
	read := func() []coding.Turn {
		t.Helper()
		var ts []coding.Turn
		if err := s.View(func(tx *Tx) error {
			ds, err := tx.Documents(true)
			if err != nil {
				return err
			}
			d, err := tx.Document(doc.ID)
			if err != nil {
				return err
			}
			if len(ds) != 1 || len(ds[0].Turns) != len(d.Turns) {
				t.Fatalf("Documents and Document disagree: %+v %+v", ds, d)
			}
			ts = d.Turns
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		return ts
	}
	first := read()
	if len(first) != 3 || first[1].Speaker != "Moshe" {
		t.Fatalf("turns %+v", first)
	}
	first[1].Speaker = "changed by a caller"
	if again := read(); again[1].Speaker != "Moshe" {
		t.Fatalf("a caller's change reached the cache: %+v", again)
	}
	renamed := append([]coding.Turn(nil), read()...)
	renamed[1].Speaker, renamed[2].Speaker = "Mo", "Mo"
	mustUpdate(t, s, func(tx *Tx) error {
		if err := tx.put(bTurns, u64(doc.ID), encodeTurns(renamed)); err != nil {
			return err
		}
		return logEv(tx)
	})
	if got := read(); got[1].Speaker != "Mo" || got[2].Speaker != "Mo" {
		t.Fatalf("stale turns after a change: %+v", got)
	}
	// A change rolled back leaves the committed turns.
	s.Update(func(tx *Tx) error {
		tx.put(bTurns, u64(doc.ID), encodeTurns(first[:1]))
		if _, err := tx.Document(doc.ID); err != nil {
			return err
		}
		return coding.Errorf(coding.EInvalid, "roll back")
	})
	if got := read(); len(got) != 3 || got[1].Speaker != "Mo" {
		t.Fatalf("turns after a rolled back change: %+v", got)
	}
}

// TestSharedCodes: the shared codebook is reused while the codes are the
// same and follows every committed change (never a rolled back one).
func TestSharedCodes(t *testing.T) {
	s, _ := fixture(t)
	s.CacheTurns()
	get := func() *coding.Codebook {
		t.Helper()
		var cb *coding.Codebook
		if err := s.View(func(tx *Tx) (err error) { cb, err = tx.SharedCodes(); return err }); err != nil {
			t.Fatal(err)
		}
		return cb
	}
	mustUpdate(t, s, func(tx *Tx) error { _, _, err := tx.AddCode("dana", "Hope", "", ""); return err })
	a := get()
	if b := get(); a != b || a.ByPath("Hope") == nil {
		t.Fatalf("the codebook was not shared, or lacks its code: %p %p", a, b)
	}
	mustUpdate(t, s, func(tx *Tx) error { _, _, err := tx.AddCode("dana", "Fear", "", ""); return err })
	if c := get(); c == a || c.ByPath("Fear") == nil {
		t.Fatal("a stale codebook after a change")
	}
	s.Update(func(tx *Tx) error {
		if _, _, err := tx.AddCode("dana", "Rolled back", "", ""); err != nil {
			return err
		}
		if cb, err := tx.SharedCodes(); err != nil || cb.ByPath("Rolled back") == nil {
			t.Errorf("inside the change the codebook lacks its new code: %v", err)
		}
		return coding.Errorf(coding.EInvalid, "roll back")
	})
	if d := get(); d.ByPath("Rolled back") != nil || d.ByPath("Fear") == nil {
		t.Fatal("a rolled back code in the shared codebook")
	}
}
