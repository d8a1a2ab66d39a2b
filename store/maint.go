package store

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
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
		return copyTx(tx, path)
	})
	if err != nil {
		if errors.Is(err, syscall.ENOSPC) {
			return 0, coding.Errorf(coding.EInvalid, "cannot write the backup %s: the disk is full; free some space and run the backup again", path)
		}
		return 0, fmt.Errorf("write backup %s: %w", path, err)
	}
	return size, nil
}

// partialSuffix marks the hidden file a backup writes before linking it
// to its name: ".NAME" + partialSuffix + random digits.
const partialSuffix = ".partial-"

// IsPartialBackup reports whether a file name is the hidden partial copy a
// backup writes first (".NAME.partial-123"): one left behind by a backup
// that was killed before it linked the copy to its name.
func IsPartialBackup(name string) bool {
	i := strings.LastIndex(name, partialSuffix)
	if i < 2 || name[0] != '.' {
		return false
	}
	digits := name[i+len(partialSuffix):]
	return digits != "" && strings.Trim(digits, "0123456789") == ""
}

// copyTx writes the database as tx sees it to path, which must not exist,
// so that path is either absent or a whole copy, even if the process is
// killed or the disk fills half-way: the copy goes to a hidden temporary
// file beside path (".NAME.partial-*"), is synced, and is then linked to
// path, which fails rather than replace a file that appeared meanwhile.
func copyTx(tx *bolt.Tx, path string) (err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+partialSuffix+"*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer func() {
		if f != nil {
			f.Close()
		}
		os.Remove(tmp)
	}()
	if err := f.Chmod(0o600); err != nil {
		return err
	}
	var w io.Writer = writerOnly{f}
	if backupFault != nil {
		w = backupFault(w)
	}
	if _, err := tx.WriteTo(w); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	err = f.Close()
	f = nil
	if err != nil {
		return err
	}
	if err := os.Link(tmp, path); err != nil {
		if os.IsExist(err) {
			return coding.Errorf(coding.EConflict, "%s already exists; give a new file name for the backup", path)
		}
		// A file system without hard links: rename (which would replace a
		// file that appeared since the check above).
		if _, serr := os.Lstat(path); serr == nil {
			return coding.Errorf(coding.EConflict, "%s already exists; give a new file name for the backup", path)
		}
		if err := os.Rename(tmp, path); err != nil {
			return err
		}
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}

// backupFault, when set (by tests), wraps the writer of a backup copy (to
// make it fail as on a full disk).
var backupFault func(io.Writer) io.Writer

// writerOnly hides the ReadFrom of *os.File, so that bbolt's WriteTo writes
// through the plain Write of the wrapped writer (tests wrap a failing one).
type writerOnly struct{ w io.Writer }

func (w writerOnly) Write(p []byte) (int, error) { return w.w.Write(p) }

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
