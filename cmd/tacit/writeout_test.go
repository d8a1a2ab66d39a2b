package main

import (
	"io"
	"os"
	"path/filepath"
	"testing"
)

// TestWriteOutMode checks that a report written with -o is readable by the
// team (not the 0600 of a temporary file) and that rewriting a file keeps
// the mode its owner gave it.
func TestWriteOutMode(t *testing.T) {
	g := &globals{stdout: io.Discard, stderr: io.Discard}
	path := filepath.Join(t.TempDir(), "report.html")
	write := func(w io.Writer) error { _, err := io.WriteString(w, "<p>ok</p>"); return err }
	if err := g.writeOut(path, write); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o644 {
		t.Errorf("new report has mode %v, want 0644", st.Mode().Perm())
	}
	if err := os.Chmod(path, 0o640); err != nil {
		t.Fatal(err)
	}
	if err := g.writeOut(path, write); err != nil {
		t.Fatal(err)
	}
	if st, _ = os.Stat(path); st.Mode().Perm() != 0o640 {
		t.Errorf("rewritten report has mode %v, want the 0640 it had", st.Mode().Perm())
	}
}
