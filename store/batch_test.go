package store

import (
	"fmt"
	"sync"
	"testing"

	"github.com/tacit-qda/tacit/coding"
)

// batchAll makes n concurrent Batch calls, call i running f(i, tx), and
// returns each call's error and the codebook once all have returned.
func batchAll(t *testing.T, s *Store, n int, f func(i int, tx *Tx) error) ([]error, *coding.Codebook) {
	t.Helper()
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			errs[i] = s.Batch(func(tx *Tx) error { return f(i, tx) })
		}(i)
	}
	wg.Wait()
	var cb *coding.Codebook
	if err := s.View(func(tx *Tx) (err error) { cb, err = tx.Codes(); return err }); err != nil {
		t.Fatal(err)
	}
	return errs, cb
}

// TestBatchSharesCommits: many concurrent Batch calls all commit, a call
// that fails gets its own error and leaves nothing behind, and the others
// in its commit are not lost with it.
func TestBatchSharesCommits(t *testing.T) {
	s := newStore(t)
	const n = 60
	errs, cb := batchAll(t, s, n, func(i int, tx *Tx) error {
		if i%7 == 3 {
			// A change and then a failure: the change must not stay.
			if _, _, err := tx.AddCode("dana", fmt.Sprintf("Failed/%d", i), "", ""); err != nil {
				return err
			}
			return coding.Errorf(coding.EInvalid, "call %d fails", i)
		}
		_, _, err := tx.AddCode("dana", fmt.Sprintf("Batch/%d", i), "", "")
		return err
	})
	for i := 0; i < n; i++ {
		made := cb.ByPath(fmt.Sprintf("Batch/%d", i)) != nil
		if i%7 == 3 {
			if errs[i] == nil || errs[i].Error() != fmt.Sprintf("call %d fails", i) {
				t.Errorf("call %d: error %v, want its own", i, errs[i])
			}
			if cb.ByPath(fmt.Sprintf("Failed/%d", i)) != nil {
				t.Errorf("call %d failed but its code was kept", i)
			}
			continue
		}
		if errs[i] != nil || !made {
			t.Errorf("call %d: error %v, code made %v", i, errs[i], made)
		}
	}
	// Batch works again after the queue has drained.
	if err := s.Batch(func(tx *Tx) error { _, _, err := tx.AddCode("dana", "After", "", ""); return err }); err != nil {
		t.Fatal(err)
	}
}

// TestBatchPanicIsItsOwn: a call that panics inside a shared commit (as a
// damaged page does) gets the error alone; the others in its commit are
// committed and told so.
func TestBatchPanicIsItsOwn(t *testing.T) {
	s := newStore(t)
	const n = 20
	errs, cb := batchAll(t, s, n, func(i int, tx *Tx) error {
		if i == 5 {
			panic("page fault in call 5")
		}
		_, _, err := tx.AddCode("dana", fmt.Sprintf("Batch/%d", i), "", "")
		return err
	})
	for i := 0; i < n; i++ {
		if i == 5 {
			if errs[i] == nil || coding.ErrorKind(errs[i]) != coding.EDamaged {
				t.Errorf("call 5: error %v, want damage", errs[i])
			}
			continue
		}
		if errs[i] != nil || cb.ByPath(fmt.Sprintf("Batch/%d", i)) == nil {
			t.Errorf("call %d: error %v, code made %v", i, errs[i], cb.ByPath(fmt.Sprintf("Batch/%d", i)) != nil)
		}
	}
}
