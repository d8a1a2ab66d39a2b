package project

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/tacit-qda/tacit/coding"
	"github.com/tacit-qda/tacit/coding/report"
	"github.com/tacit-qda/tacit/store"
)

// bookDemo builds the sample study for the book tests, with the memos a
// book reads: the title, the method, stories' summaries and a section memo.
func bookDemo(t testing.TB) string {
	t.Helper()
	dir := t.TempDir()
	if _, err := BuildDemo(context.Background(), dir); err != nil {
		t.Fatal(err)
	}
	p, err := Open(dir, Options{Actor: "editor"})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	err = p.Store.Update(func(tx *store.Tx) error {
		s1, err := tx.FindCase("S1 Step by step")
		if err != nil {
			return err
		}
		s6, err := tx.FindCase("S6 Leaving home")
		if err != nil {
			return err
		}
		for _, m := range []coding.Memo{
			{Target: coding.MemoProject, Title: "title", Text: "Hand in hand: seven stories of success"},
			{Target: coding.MemoProject, Title: "method", Text: "We interviewed the client and the staff member of each story separately.\n\nTwo coders coded every interview with one codebook."},
			{Target: coding.MemoCase, TargetID: s1.ID, Title: "summary", Text: "Moshe, 52, came to the service after years on the street. A crisis in hospital opened the door; small steps did the rest."},
			{Target: coding.MemoCase, TargetID: s1.ID, Title: "The turning point", Text: "The son's visit in hospital."},
			{Target: coding.MemoCase, TargetID: s6.ID, Title: "summary", Text: "נועה עזבה את הבית בגיל עשרים ושלוש."},
		} {
			if err := tx.AddMemo("editor", &m); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

func sampleTemplate(t *testing.T) *report.Template {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "docs", "story.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	tpl, err := report.ParseTemplate(data)
	if err != nil {
		t.Fatal(err)
	}
	return tpl
}

// TestBookGolden compares the Markdown book and story chapters of the
// sample study, with and without the sample template, with golden files.
// Rewrite with: go test ./project -run TestBookGolden -update
func TestBookGolden(t *testing.T) {
	dir := bookDemo(t)
	p, err := Open(dir, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	ctx := context.Background()
	tpl := sampleTemplate(t)
	book, err := p.Book(ctx, BookRequest{})
	if err != nil {
		t.Fatal(err)
	}
	bookT, err := p.Book(ctx, BookRequest{Template: tpl})
	if err != nil {
		t.Fatal(err)
	}
	s1, err := p.Story(ctx, StoryRequest{Case: "S1 Step by step"})
	if err != nil {
		t.Fatal(err)
	}
	s1T, err := p.Story(ctx, StoryRequest{BookRequest: BookRequest{Template: tpl}, Case: "S1 Step by step"})
	if err != nil {
		t.Fatal(err)
	}
	s6, err := p.Story(ctx, StoryRequest{Case: "S6 Leaving home"})
	if err != nil {
		t.Fatal(err)
	}
	// A lazy book (chapters built as they are written, as the CLI does)
	// is written the same.
	for _, f := range []string{report.FormatMD, report.FormatHTML} {
		lazy, err := p.Book(ctx, BookRequest{Lazy: true})
		if err != nil {
			t.Fatal(err)
		}
		var a, b bytes.Buffer
		if err := report.WriteBook(&a, book, f); err != nil {
			t.Fatal(err)
		}
		if err := report.WriteBook(&b, lazy, f); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a.Bytes(), b.Bytes()) {
			t.Errorf("the lazy book differs in %s", f)
		}
	}
	for _, g := range []struct {
		file string
		v    any
	}{
		{"book-demo.md", book},
		{"book-demo-template.md", bookT},
		{"story-s1.md", s1},
		{"story-s1-template.md", s1T},
		{"story-s6.md", s6},
	} {
		var buf bytes.Buffer
		if err := report.WriteBook(&buf, g.v, report.FormatMD); err != nil {
			t.Fatal(err)
		}
		golden := filepath.Join("testdata", g.file)
		if *update {
			if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (run with -update to create it)", err)
		}
		if !bytes.Equal(buf.Bytes(), want) {
			t.Errorf("%s differs from the golden file; if the change is intended, rerun with -update and review the diff", g.file)
		}
	}
}
