package store

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSalvageOlderMeta: when the file is cut between the root page of the
// commit before last and the root of the last commit, salvage reads the
// older meta page and says that the last change is lost.
func TestSalvageOlderMeta(t *testing.T) {
	src := filepath.Join(t.TempDir(), "tacit.db")
	s, err := Open(src, Options{Create: true, Lang: "en"})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"A", "B", "C", "D"} {
		if err := s.Update(func(tx *Tx) error {
			if _, _, err := tx.AddCode("t", name, strings.Repeat("x", 3000), ""); err != nil {
				return err
			}
			return logEv(tx)
		}); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	ps := int64(le.Uint32(b[pageHeader+8:]))
	meta := func(page int64) (root, txid uint64) {
		m := b[page*ps+pageHeader:]
		return le.Uint64(m[16:]), le.Uint64(m[48:])
	}
	r0, t0 := meta(0)
	r1, t1 := meta(1)
	newer, older := r0, r1
	if t1 > t0 {
		newer, older = r1, r0
	}
	if older >= newer {
		t.Skipf("the older root (page %d) does not lie before the newer (page %d)", older, newer)
	}
	cut := int64(newer) * ps
	if err := os.WriteFile(src, b[:cut], 0o600); err != nil {
		t.Fatal(err)
	}
	outDir := t.TempDir()
	rep, err := Salvage(src, filepath.Join(outDir, "out.db"), "t")
	if err != nil {
		t.Fatalf("salvage: %v", err)
	}
	if len(rep.Lost) == 0 || !strings.Contains(rep.Lost[0], "as it was before it") {
		t.Errorf("lost %q, want a line saying the last change is lost", rep.Lost)
	}
	if rep.Copied["codes"] < 3 {
		t.Errorf("copied %v, want the codes of the commit before last", rep.Copied)
	}
	if ents, _ := filepath.Glob(filepath.Join(outDir, ".salvage-*")); len(ents) != 0 {
		t.Errorf("a temporary copy is left: %v", ents)
	}
}
