package store

import (
	"io"
	"os"
	"path/filepath"
	"testing"
)

// TestIsPartialBackup: the hidden copy a backup writes first is recognised
// by its name, and nothing else is.
func TestIsPartialBackup(t *testing.T) {
	for name, want := range map[string]bool{
		".b.db.partial-123":                    true,
		".tacit.schema1.20260101.db.partial-9": true,
		"b.db.partial-123":                     false, // not hidden: a user's file
		".b.db.partial-":                       false,
		".b.db.partial-12x":                    false,
		".partial-123":                         false,
		".notes.partial-draft":                 false,
		"tacit.db":                             false,
	} {
		if got := IsPartialBackup(name); got != want {
			t.Errorf("IsPartialBackup(%q) = %v, want %v", name, got, want)
		}
	}
}

// TestBackupPartialName: the partial copy a backup really writes (seen
// while it writes) is one IsPartialBackup recognises, so what a killed
// backup leaves is found and removed.
func TestBackupPartialName(t *testing.T) {
	s := newStore(t)
	dir := t.TempDir()
	var seen []string
	backupFault = func(w io.Writer) io.Writer {
		ents, _ := os.ReadDir(dir)
		for _, e := range ents {
			seen = append(seen, e.Name())
		}
		return w
	}
	defer func() { backupFault = nil }()
	if _, err := s.Backup(filepath.Join(dir, "b.db")); err != nil {
		t.Fatal(err)
	}
	if len(seen) != 1 || !IsPartialBackup(seen[0]) {
		t.Errorf("while the backup was written the folder held %q, want one partial copy", seen)
	}
}
