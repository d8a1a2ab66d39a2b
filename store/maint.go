package store

import (
	"fmt"
	"os"
	"path/filepath"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/tacit-qda/tacit/coding"
)

// Backup writes a consistent copy of the database to path, which must not
// exist, while the store stays usable (a read transaction's snapshot). It
// returns the size of the copy.
func (s *Store) Backup(path string) (_ int64, err error) {
	defer guard(&err)()
	if _, err := os.Stat(path); err == nil {
		return 0, coding.Errorf(coding.EConflict, "%s already exists; give a new file name for the backup", path)
	}
	if dir := filepath.Dir(path); !isDir(dir) {
		return 0, coding.Errorf(coding.EInvalid, "cannot write %s: the folder %s does not exist; create it or choose another", path, dir)
	}
	var size int64
	err = s.db.View(func(tx *bolt.Tx) error {
		size = tx.Size()
		return tx.CopyFile(path, 0o600)
	})
	if err != nil {
		os.Remove(path)
		return 0, fmt.Errorf("write backup %s: %w", path, err)
	}
	return size, nil
}

// CompactTo copies every bucket of the database into a new, tightly packed
// file at path (bbolt never shrinks its file after deletions). The caller
// replaces the database with it while holding the lock.
func (s *Store) CompactTo(path string) (err error) {
	defer guard(&err)()
	os.Remove(path)
	dst, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		return fmt.Errorf("create %s: %w", path, err)
	}
	if err := bolt.Compact(dst, s.db, 64<<20); err != nil {
		dst.Close()
		os.Remove(path)
		return fmt.Errorf("compact the project database: %w", err)
	}
	if err := dst.Close(); err != nil {
		os.Remove(path)
		return err
	}
	return nil
}

// Compact rewrites the database without its free pages into a sibling file
// (path + ".compact"), checks the copy (sound pages, same revision), takes
// the copy's lock, renames it over the database and only then closes s.
// It returns the store open on the new file; s must not be used after a
// successful Compact. On error s stays open and the database is unchanged.
//
// Holding the new file's lock before the rename means a process that opens
// the path afterwards waits for this one; a process that was already
// waiting for the old file's lock notices the replacement (see openLocked)
// and reopens. Nobody commits into the replaced file.
func (s *Store) Compact() (*Store, error) {
	if s.readOnly {
		return nil, coding.Errorf(coding.EInternal, "the project was opened read-only")
	}
	tmp := s.path + ".compact"
	var rev uint64
	if err := s.View(func(tx *Tx) error { rev = tx.Revision(); return nil }); err != nil {
		return nil, err
	}
	if err := s.CompactTo(tmp); err != nil {
		return nil, err
	}
	n, err := Open(tmp, Options{})
	if err == nil {
		err = n.View(func(tx *Tx) error {
			if probs := tx.Check(); len(probs) > 0 {
				return fmt.Errorf("the compacted copy has problems: %s", probs[0])
			}
			if tx.Revision() != rev {
				return fmt.Errorf("the compacted copy is at revision %d, not %d", tx.Revision(), rev)
			}
			return nil
		})
		if err != nil {
			n.Close()
		}
	}
	if err != nil {
		os.Remove(tmp)
		return nil, fmt.Errorf("compact: %w; the project is unchanged", err)
	}
	if err := os.Rename(tmp, s.path); err != nil {
		n.Close()
		os.Remove(tmp)
		return nil, fmt.Errorf("replace the project database: %w; the project is unchanged", err)
	}
	n.path = s.path
	n.Now = s.Now
	s.db.Close()
	return n, nil
}

// Size returns the database file's size in bytes.
func (s *Store) Size() int64 {
	st, err := os.Stat(s.path)
	if err != nil {
		return 0
	}
	return st.Size()
}

func isDir(path string) bool {
	st, err := os.Stat(path)
	return err == nil && st.IsDir()
}
