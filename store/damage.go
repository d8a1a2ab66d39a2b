package store

import (
	"errors"
	"fmt"
	"os"
	"runtime/debug"

	bolt "go.etcd.io/bbolt"

	"github.com/tacit-qda/tacit/coding"
)

// ErrDamaged is wrapped (in a *coding.Error of kind EDamaged) by every
// error that says the project database is damaged.
var ErrDamaged = fmt.Errorf("the project database is damaged")

// damaged returns the EDamaged error for a cause (an error, or the value of
// a recovered panic: bbolt panics on damaged pages, the decoders on damaged
// records).
func damaged(cause any) *coding.Error {
	return &coding.Error{Kind: coding.EDamaged, Err: &damageError{fmt.Sprint(cause)}, Next: coding.NextDamaged, Message: fmt.Sprintf(
		"the project database is damaged (%v)", cause)}
}

type damageError struct{ cause string }

func (e *damageError) Error() string { return e.cause }
func (e *damageError) Unwrap() error { return ErrDamaged }

// DamageCause returns what is wrong with the database according to err (a
// damaged-database error), without the advice; "" for other errors.
func DamageCause(err error) string {
	var d *damageError
	if errors.As(err, &d) {
		return d.cause
	}
	return ""
}

// IsDamaged reports whether err says the project database is damaged.
func IsDamaged(err error) bool { return coding.ErrorKind(err) == coding.EDamaged }

// guard turns a panic (and, through SetPanicOnFault, a fault on a page of
// the memory-mapped file past its end) in the calling goroutine into a
// damaged-database error in *err. Use: defer guard(&err)() at the top of
// any function that reads or writes the file.
func guard(err *error) func() {
	old := debug.SetPanicOnFault(true)
	return func() {
		debug.SetPanicOnFault(old)
		if r := recover(); r != nil {
			*err = damaged(r)
		}
	}
}

// maxWriteCheck is the largest database whose pages are all checked
// (bbolt's Tx.Check, about 2 ms per MB, plus the page walk) before it is
// opened for writing. At 128 MB it made every tag on the 1,000-interview
// benchmark project (108 MB) take 0.45 s instead of 0.04 s, so a larger
// file gets only the cheap checks (meta checksums, truncation) on a write
// open; 'tacit check' still walks every page of any size.
const maxWriteCheck = 8 << 20

// checkOpened refuses a file that cannot be a sound database: one shorter
// than its own high-water mark (truncated), and, for writers, one whose
// page structure fails bbolt's check (so that no change is committed into
// a damaged file).
func checkOpened(db *bolt.DB, path string, writable bool) (err error) {
	defer guard(&err)()
	st, err := os.Stat(path)
	if err != nil {
		return err
	}
	return db.View(func(tx *bolt.Tx) error {
		if want := tx.Size(); st.Size() < want {
			return damaged(fmt.Sprintf("the file is %d bytes, shorter than the %d its pages need: it was truncated", st.Size(), want))
		}
		if !writable || st.Size() > maxWriteCheck {
			return nil
		}
		if walk := walkPages(path); len(walk) > 0 {
			return damaged(fmt.Sprintf("%s; changes are refused", walk[0]))
		}
		var first error
		for cerr := range tx.Check() { // drain: Check's goroutine reads the tx
			if first == nil {
				first = cerr
			}
		}
		if first != nil {
			return damaged(fmt.Sprintf("%v; changes are refused", first))
		}
		return nil
	})
}
