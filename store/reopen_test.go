package store

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestOpenWaiterFollowsCompact: a second opener that waits for the lock
// while Compact replaces the file must end up on the new file, so that its
// commit is not written into the replaced one.
func TestOpenWaiterFollowsCompact(t *testing.T) {
	path := filepath.Join(t.TempDir(), "tacit.db")
	s, err := Open(path, Options{Create: true, Lang: "en"})
	if err != nil {
		t.Fatal(err)
	}
	type res struct {
		s   *Store
		err error
	}
	done := make(chan res, 1)
	go func() {
		w, err := Open(path, Options{Timeout: 5 * time.Second})
		done <- res{w, err}
	}()
	time.Sleep(200 * time.Millisecond) // the waiter has the old file open
	n, err := s.Compact()
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(100 * time.Millisecond)
	n.Close()
	r := <-done
	if r.err != nil {
		t.Fatal(r.err)
	}
	defer r.s.Close()
	if err := r.s.Update(func(tx *Tx) error { return logEv(tx) }); err != nil {
		t.Fatal(err)
	}
	r.s.Close()
	// The event is in the file at the path.
	again, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	var rev uint64
	again.View(func(tx *Tx) error { rev = tx.Revision(); return nil })
	if rev != 1 {
		t.Errorf("revision at the path is %d, want 1: the waiter committed elsewhere", rev)
	}
	if _, err := os.Stat(path + ".compact"); err == nil {
		t.Errorf("%s.compact left behind", path)
	}
}
