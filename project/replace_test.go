package project

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tacit-qda/tacit/samples"
	"github.com/tacit-qda/tacit/store"
)

// correctedMoshe is the sample interview with Moshe as a corrected
// transcript: a paragraph inserted early, a name replaced throughout (Ruth
// becomes R.), a misheard word fixed inside a coded quote (elevator ->
// lift) and one coded sentence deleted.
func correctedMoshe(t *testing.T) string {
	t.Helper()
	b, err := fs.ReadFile(samples.Study(), "s1-step-by-step/client-moshe.txt")
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	edits := []struct{ old, new string }{
		{"\n\nInterviewer: Where would you like to start?", "\n\nInterviewer: May I record our conversation?\n\nMoshe: Yes, record it. I have nothing to hide any more.\n\nInterviewer: Where would you like to start?"},
		{"Ruth", "R."},
		{"when I came out of the elevator", "when I came out of the lift"},
		{" I don't say I am cured. I say I am clean today.", ""},
	}
	for _, e := range edits {
		if !strings.Contains(s, e.old) {
			t.Fatalf("the sample no longer contains %q", e.old)
		}
		s = strings.ReplaceAll(s, e.old, e.new)
	}
	return s
}

// TestReplaceGolden replaces the sample interview with its corrected
// version and compares the report with a golden file (rewrite with
// -update); then checks the project, undoes the replace and compares
// every record of the store with what it was before.
func TestReplaceGolden(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	if _, err := BuildDemo(ctx, dir); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "client-moshe-corrected.txt")
	if err := os.WriteFile(file, []byte(correctedMoshe(t)), 0o644); err != nil {
		t.Fatal(err)
	}
	before := dumpStore(t, dir)
	p, err := Open(dir, Options{Actor: "tester"})
	if err != nil {
		t.Fatal(err)
	}
	dry, err := p.Replace(ctx, ReplaceRequest{Doc: "client-moshe", File: file, DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	res, err := p.Replace(ctx, ReplaceRequest{Doc: "client-moshe", File: file})
	if err != nil {
		t.Fatal(err)
	}
	// The dry run said what the replace did.
	dry.DryRun, dry.Event = false, res.Event
	dj, _ := json.Marshal(dry)
	rj, _ := json.Marshal(res)
	if !bytes.Equal(dj, rj) {
		t.Errorf("dry run and replace differ:\n%s\n%s", dj, rj)
	}
	if res.Kept+res.Moved+res.Changed+res.Orphaned != len(res.Codings) || res.Orphaned == 0 || res.Changed == 0 || res.Moved == 0 {
		t.Errorf("outcomes: %d kept, %d moved, %d changed, %d orphaned of %d", res.Kept, res.Moved, res.Changed, res.Orphaned, len(res.Codings))
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "%s: %d kept, %d moved, %d changed, %d orphaned; old text is version %d\n", res.Name, res.Kept, res.Moved, res.Changed, res.Orphaned, res.Version)
	for _, c := range res.Codings {
		fmt.Fprintf(&sb, "%-8s %3d %-45s %q -> %q\n", c.Status, c.ID, c.Code, c.OldQuote, c.NewQuote)
	}
	golden := filepath.Join("testdata", "replace_moshe.golden")
	if *update {
		if err := os.WriteFile(golden, []byte(sb.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if sb.String() != string(want) {
		t.Errorf("report differs from %s (rewrite with -update):\n%s", golden, sb.String())
	}
	// Every surviving coding sits on its new quote; orphans are listed.
	err = p.Store.View(func(tx *store.Tx) error {
		for _, c := range res.Codings {
			if c.Status == "orphaned" {
				continue
			}
			cd, err := tx.Coding(c.ID)
			if err != nil {
				return err
			}
			q, _ := tx.TextSlice(cd.DocID, cd.Start, cd.End)
			if q != c.NewQuote {
				t.Errorf("coding %d reads %q, report says %q", c.ID, q, c.NewQuote)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	orph, err := p.Orphans(ctx, OrphansRequest{Doc: "client-moshe"})
	if err != nil {
		t.Fatal(err)
	}
	if len(orph.Orphans) != res.Orphaned || len(orph.Changed) != res.Changed {
		t.Errorf("orphans lists %d orphaned, %d changed; the report %d, %d", len(orph.Orphans), len(orph.Changed), res.Orphaned, res.Changed)
	}
	v1, err := p.ShowVersion(ctx, VersionRequest{Doc: "client-moshe", Version: 1})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(v1.Text, "I am clean today") {
		t.Errorf("version 1 is not the old text")
	}
	// The search index holds the new text.
	sr, err := p.Search(ctx, SearchRequest{Query: "lift"})
	if err != nil {
		t.Fatal(err)
	}
	if len(sr.Hits) == 0 {
		t.Errorf("search finds no 'lift' after the replace")
	}
	rep, err := p.Check(ctx)
	if err != nil || len(rep.Problems) > 0 {
		t.Fatalf("check after replace: %v %v", err, rep.Problems)
	}
	err = p.UpdateIndexed(ctx, func(tx *store.Tx) ([]uint64, bool, error) {
		_, err := tx.Undo("tester")
		return nil, err == nil && tx.IndexChanged(), err
	})
	if err != nil {
		t.Fatal(err)
	}
	rep, err = p.Check(ctx)
	if err != nil || len(rep.Problems) > 0 {
		t.Fatalf("check after undo: %v %v", err, rep.Problems)
	}
	p.Close()
	if d := diffDumps(before, dumpStore(t, dir)); len(d) > 0 {
		t.Fatalf("undo of replace left %d differences: %v", len(d), d)
	}
}
