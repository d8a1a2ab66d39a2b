package store

import (
	"path/filepath"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"
)

// TestSalvageDropsMisfiledEvent: a log entry whose key and id disagree (a
// flipped byte in either) is reported lost, not copied, so the salvaged
// project checks clean. The fault suite met it once in long mode.
func TestSalvageDropsMisfiledEvent(t *testing.T) {
	s := newStore(t)
	for i := 0; i < 3; i++ {
		if err := s.Update(logEv); err != nil {
			t.Fatal(err)
		}
	}
	src := s.path
	if err := s.db.Update(func(btx *bolt.Tx) error {
		b := btx.Bucket(bEvents)
		v := append([]byte(nil), b.Get(u64(2))...)
		if err := b.Delete(u64(2)); err != nil {
			return err
		}
		return b.Put(u64(61461), v)
	}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	dst := filepath.Join(t.TempDir(), "salvaged.db")
	rep, err := Salvage(src, dst, "t")
	if err != nil {
		t.Fatal(err)
	}
	if rep.LostCount != 1 || !strings.Contains(strings.Join(rep.Lost, "\n"), "key 61461") {
		t.Errorf("lost %d %q, want the entry under key 61461", rep.LostCount, rep.Lost)
	}
	out, err := Open(dst, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	var problems []string
	out.View(func(tx *Tx) error { problems = tx.Check(); return nil })
	if len(problems) > 0 {
		t.Errorf("the salvaged store: %q", problems)
	}
}
