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
func (s *Store) Backup(path string) (int64, error) {
	if _, err := os.Stat(path); err == nil {
		return 0, coding.Errorf(coding.EConflict, "%s already exists; give a new file name for the backup", path)
	}
	if dir := filepath.Dir(path); !isDir(dir) {
		return 0, coding.Errorf(coding.EInvalid, "cannot write %s: the folder %s does not exist; create it or choose another", path, dir)
	}
	var size int64
	err := s.db.View(func(tx *bolt.Tx) error {
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
func (s *Store) CompactTo(path string) error {
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

// Size returns the database file's size in bytes.
func (s *Store) Size() int64 {
	st, err := os.Stat(s.db.Path())
	if err != nil {
		return 0
	}
	return st.Size()
}

func isDir(path string) bool {
	st, err := os.Stat(path)
	return err == nil && st.IsDir()
}
