package projgen

import (
	"path/filepath"
	"reflect"
	"testing"

	"github.com/tacit-qda/tacit/coding"
	"github.com/tacit-qda/tacit/project"
	"github.com/tacit-qda/tacit/store"
)

func small() Config {
	return Config{Seed: 7, Docs: 30, DocsPerCase: 5, Words: 300, Parents: 4, Children: 3,
		Codings: 900, Coders: []string{"A", "B", "C"}, ReliabilityDocs: 10, Agree: 0.9}
}

type snapshot struct {
	Cases   []coding.Case
	Docs    []coding.Document
	Codes   []coding.Code
	Codings []coding.Coding
	Roles   coding.RoleMap
}

func read(t *testing.T, root string) snapshot {
	t.Helper()
	p, err := project.Open(root, project.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	ds, err := p.Dataset()
	if err != nil {
		t.Fatal(err)
	}
	if probs := checkStore(t, p.Store); len(probs) > 0 {
		t.Fatalf("store check: %v", probs)
	}
	// The report dataset streams codings and holds turns in compact form:
	// read documents with their turns, and the codings, from the store.
	snap := snapshot{Cases: ds.Cases, Codes: ds.Codes, Roles: ds.Roles}
	if err := p.Store.View(func(tx *store.Tx) error {
		docs, err := tx.Documents(true)
		if err != nil {
			return err
		}
		for _, d := range docs {
			snap.Docs = append(snap.Docs, *d)
		}
		return tx.Codings(func(c *coding.Coding) error { snap.Codings = append(snap.Codings, *c); return nil })
	}); err != nil {
		t.Fatal(err)
	}
	return snap
}

func checkStore(t *testing.T, s *store.Store) []string {
	var probs []string
	if err := s.View(func(tx *store.Tx) error { probs = tx.Check(); return nil }); err != nil {
		t.Fatal(err)
	}
	return probs
}

func TestGenerate(t *testing.T) {
	cfg := small()
	root := filepath.Join(t.TempDir(), "p")
	res, err := Generate(root, cfg)
	if err != nil {
		t.Fatal(err)
	}
	snap := read(t, root)
	if len(snap.Docs) != cfg.Docs || len(res.Docs) != cfg.Docs {
		t.Fatalf("%d documents, want %d", len(snap.Docs), cfg.Docs)
	}
	if len(snap.Cases) != cfg.Docs/cfg.DocsPerCase {
		t.Errorf("%d cases, want %d", len(snap.Cases), cfg.Docs/cfg.DocsPerCase)
	}
	for _, c := range snap.Cases {
		if c.Attrs["department"] == "" {
			t.Errorf("case %s has no department", c.Name)
		}
	}
	if want := cfg.Parents * (cfg.Children + 1); len(snap.Codes) != want || len(res.Codes) != want {
		t.Errorf("%d codes, want %d", len(snap.Codes), want)
	}
	if len(snap.Codings) != cfg.Codings || res.Codings != cfg.Codings {
		t.Fatalf("%d codings (result says %d), want %d", len(snap.Codings), res.Codings, cfg.Codings)
	}
	sum := 0
	for _, n := range res.PerCode {
		sum += n
	}
	if sum != cfg.Codings {
		t.Errorf("PerCode sums to %d", sum)
	}
	docs := map[uint64]*coding.Document{}
	for i := range snap.Docs {
		docs[snap.Docs[i].ID] = &snap.Docs[i]
	}
	coders := map[uint64]map[string]bool{}
	for _, c := range snap.Codings {
		d := docs[c.DocID]
		if d == nil {
			t.Fatalf("coding %d in missing document %d", c.ID, c.DocID)
		}
		if c.Start < 0 || c.End <= c.Start || c.End > d.Chars {
			t.Fatalf("coding %d has span %d:%d in a document of %d characters", c.ID, c.Start, c.End, d.Chars)
		}
		if ti := d.TurnAt(c.Start); ti < 0 || c.End > d.Turns[ti].End {
			t.Fatalf("coding %d (%d:%d) is not inside one turn", c.ID, c.Start, c.End)
		}
		if coders[c.DocID] == nil {
			coders[c.DocID] = map[string]bool{}
		}
		coders[c.DocID][c.Coder] = true
	}
	for i, d := range res.Docs {
		n := len(coders[d.ID])
		if i < cfg.ReliabilityDocs && n != len(cfg.Coders) {
			t.Errorf("reliability document %s coded by %d coders", d.Name, n)
		}
		if i >= cfg.ReliabilityDocs && n > 1 {
			t.Errorf("document %s coded by %d coders, want 1", d.Name, n)
		}
	}
	roles := map[string]bool{}
	for _, d := range snap.Docs {
		for _, tn := range d.Turns {
			roles[snap.Roles.Role(&d, tn.Speaker)] = true
		}
	}
	for _, r := range []string{"client", "staff", "interviewer"} {
		if !roles[r] {
			t.Errorf("no speech of role %s; roles seen: %v", r, roles)
		}
	}
	code, n := res.CodeWithCount(50)
	if code == "" || n != res.PerCode[code] {
		t.Errorf("CodeWithCount = %q, %d", code, n)
	}
}

func TestReproducible(t *testing.T) {
	cfg := small()
	a, b := filepath.Join(t.TempDir(), "a"), filepath.Join(t.TempDir(), "b")
	if _, err := Generate(a, cfg); err != nil {
		t.Fatal(err)
	}
	if _, err := Generate(b, cfg); err != nil {
		t.Fatal(err)
	}
	sa, sb := read(t, a), read(t, b)
	if !reflect.DeepEqual(sa, sb) {
		t.Fatal("the same config gave different projects")
	}
	cfg.Seed++
	c := filepath.Join(t.TempDir(), "c")
	if _, err := Generate(c, cfg); err != nil {
		t.Fatal(err)
	}
	if reflect.DeepEqual(sa.Codings, read(t, c).Codings) {
		t.Fatal("another seed gave the same codings")
	}
}

func TestBadConfig(t *testing.T) {
	for _, cfg := range []Config{
		{Docs: 5, ReliabilityDocs: 6},
		{Agree: 1.5},
		{Words: 3},
	} {
		if _, err := Generate(filepath.Join(t.TempDir(), "p"), cfg); err == nil {
			t.Errorf("Generate(%+v) succeeded", cfg)
		}
	}
}
