package store

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/tacit-qda/tacit/coding"
)

// failAfter is a writer that takes n bytes and then fails as a full disk
// does.
type failAfter struct {
	w io.Writer
	n int
}

func (f *failAfter) Write(p []byte) (int, error) {
	if len(p) > f.n {
		k, _ := f.w.Write(p[:f.n])
		f.n = 0
		return k, &os.PathError{Op: "write", Path: "x", Err: syscall.ENOSPC}
	}
	f.n -= len(p)
	return f.w.Write(p)
}

// TestDiskFullInjected covers the full-disk path where no small file
// system can be mounted (TestDiskFull in project mounts a tmpfs): a write
// error at commit (Update and Batch) and half-way through a backup gives a
// one-sentence error that says to free space; the store keeps everything
// committed before, checks clean, and takes changes again once the disk
// has room; the backup leaves no file, whole or partial.
func TestDiskFullInjected(t *testing.T) {
	s := newStore(t)
	if err := s.Update(func(tx *Tx) error {
		if _, _, err := tx.AddCode("t", "Before", "", ""); err != nil {
			return err
		}
		return logEv(tx)
	}); err != nil {
		t.Fatal(err)
	}
	writeFault = &os.PathError{Op: "write", Path: s.path, Err: syscall.ENOSPC}
	defer func() { writeFault = nil }()
	add := func(name string) func(tx *Tx) error {
		return func(tx *Tx) error {
			if _, _, err := tx.AddCode("t", name, "", ""); err != nil {
				return err
			}
			return logEv(tx)
		}
	}
	for what, err := range map[string]error{"update": s.Update(add("During")), "batch": s.Batch(add("During"))} {
		if err == nil {
			t.Fatalf("%s: a commit on a full disk succeeded", what)
		}
		msg := err.Error()
		if !strings.Contains(msg, "disk is full") || !strings.Contains(msg, "free some space") || strings.Contains(msg, "\n") {
			t.Errorf("%s: error %q, want one sentence saying the disk is full and to free space", what, msg)
		}
	}
	writeFault = nil
	names := func() []string {
		var out []string
		if err := s.View(func(tx *Tx) error {
			if probs := tx.Check(); len(probs) > 0 {
				t.Errorf("check after the full disk: %v", probs)
			}
			cb, err := tx.Codes()
			if err != nil {
				return err
			}
			cb.Walk(func(c *coding.Code, _ int) { out = append(out, c.Name) })
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		return out
	}
	if got := names(); strings.Join(got, ",") != "Before" {
		t.Errorf("codes after the failed commits: %v, want only Before", got)
	}
	if err := s.Update(add("After")); err != nil {
		t.Fatalf("a change once the disk has room: %v", err)
	}
	if got := names(); strings.Join(got, ",") != "After,Before" && strings.Join(got, ",") != "Before,After" {
		t.Errorf("codes after space was freed: %v", got)
	}

	// A backup that runs out of space half-way leaves nothing behind.
	dir := t.TempDir()
	backupFault = func(w io.Writer) io.Writer { return &failAfter{w: w, n: 10000} }
	defer func() { backupFault = nil }()
	path := filepath.Join(dir, "b.db")
	_, err := s.Backup(path)
	if err == nil || !strings.Contains(err.Error(), "disk is full") || !strings.Contains(err.Error(), "free some space") {
		t.Errorf("backup on a full disk: %v", err)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Errorf("a failed backup left %s behind", ents[0].Name())
	}
	backupFault = nil
	if _, err := s.Backup(path); err != nil {
		t.Fatalf("backup once the disk has room: %v", err)
	}
	b, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		t.Fatalf("open the backup: %v", err)
	}
	defer b.Close()
	if err := b.View(func(tx *Tx) error {
		if probs := tx.Check(); len(probs) > 0 {
			t.Errorf("the backup has problems: %v", probs)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Errorf("the backup folder holds %d files, want only the backup", len(ents))
	}
}
