package project

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tacit-qda/tacit/coding"
	"github.com/tacit-qda/tacit/coding/transcript"
	"github.com/tacit-qda/tacit/store"
)

func newProject(t *testing.T) *Project {
	t.Helper()
	dir := t.TempDir()
	if err := Init(dir, "en"); err != nil {
		t.Fatal(err)
	}
	p, err := Open(dir, Options{Actor: "tester"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	return p
}

func write(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestImportOneTransactionPerDocument(t *testing.T) {
	p := newProject(t)
	src := t.TempDir()
	good := write(t, src, "a/moshe.txt", "Interviewer: How did it start?\nMoshe: Ruth called me Mr. Levi.\nInterviewer: And then?\nMoshe: The overdose.\n")
	bad := write(t, src, "a/empty.txt", "")
	he := write(t, src, "b/noa.txt", "מראיינת: איך התחיל?\nנועה: היא דיברה איתי בכבוד.\nמראיינת: ואז?\nנועה: ואז הכול השתנה.\n")
	files, err := ExpandPaths([]string{filepath.Join(src, "a"), he})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 3 {
		t.Fatalf("ExpandPaths = %v", files)
	}
	res, err := p.Import(context.Background(), files, ImportOptions{Case: "S1", Attrs: map[string]string{"role": "client"}}, nil)
	if !errors.Is(err, ErrSomeFailed) {
		t.Fatalf("Import error = %v, want some failed", err)
	}
	byFile := map[string]ImportResult{}
	for _, r := range res {
		byFile[r.File] = r
	}
	if r := byFile[good]; r.Turns != 4 || strings.Join(r.Speakers, ",") != "Interviewer,Moshe" || r.Case != "S1" {
		t.Errorf("good: %+v", r)
	}
	if r := byFile[bad]; r.Error == "" {
		t.Errorf("empty file imported: %+v", r)
	}
	if r := byFile[he]; r.Lang != "he" || r.Turns != 4 {
		t.Errorf("hebrew: %+v", r)
	}
	// Two documents, two import events, the index fresh and complete.
	var events int
	p.Store.View(func(tx *store.Tx) error {
		tx.Events(func(e *coding.Event) bool {
			if e.Action == "import" {
				events++
			}
			return true
		})
		docs, _ := tx.Documents(false)
		if len(docs) != 2 {
			t.Errorf("%d documents stored, want 2", len(docs))
		}
		return nil
	})
	if events != 2 {
		t.Errorf("%d import events, want 2", events)
	}
	rep, err := p.Check(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Problems) != 0 || rep.IndexedTurns != 8 {
		t.Errorf("check after import: %+v", rep)
	}
	// The same bytes again are skipped.
	res, err = p.Import(context.Background(), []string{good}, ImportOptions{}, nil)
	if err != nil || !res[0].Skipped {
		t.Errorf("re-import: %+v %v", res, err)
	}
}

func TestStaleIndexIsRebuilt(t *testing.T) {
	p := newProject(t)
	f := write(t, t.TempDir(), "x.txt", "Ann: one two\nBob: three\nAnn: four\nBob: five six\n")
	if _, err := p.Import(context.Background(), []string{f}, ImportOptions{}, nil); err != nil {
		t.Fatal(err)
	}
	p.Close()
	// Remove the index behind tacit's back: the next use rebuilds it.
	os.RemoveAll(IndexPath(p.Root))
	q, err := Open(p.Root, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer q.Close()
	x, err := q.Index(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := x.DocCount(); n != 4 {
		t.Errorf("rebuilt index holds %d turns, want 4", n)
	}
}

func TestFind(t *testing.T) {
	dir := t.TempDir()
	if err := Init(dir, "en"); err != nil {
		t.Fatal(err)
	}
	sub := filepath.Join(dir, "interviews", "s1")
	os.MkdirAll(sub, 0o755)
	wd, _ := os.Getwd()
	defer os.Chdir(wd)
	os.Chdir(sub)
	t.Setenv("TACIT_PROJECT", "")
	got, err := Find("")
	if err != nil {
		t.Fatal(err)
	}
	want, _ := filepath.EvalSymlinks(dir)
	if g, _ := filepath.EvalSymlinks(got); g != want {
		t.Errorf("Find from a subfolder = %s, want %s", got, dir)
	}
	if _, err := Find(filepath.Join(dir, "nope")); coding.ErrorKind(err) != coding.ENotFound {
		t.Errorf("Find(nope) = %v", err)
	}
	t.Setenv("TACIT_PROJECT", dir)
	if got, err := Find(""); err != nil || got != dir {
		t.Errorf("Find via TACIT_PROJECT = %s %v", got, err)
	}
}

// TestImportCorpora imports the real transcripts of ../shared/corpora (made
// by others, in many formats) through the whole path: parse, store, index.
func TestImportCorpora(t *testing.T) {
	root := filepath.Join("..", "..", "shared", "corpora", "transcripts")
	if _, err := os.Stat(root); err != nil {
		t.Skip("shared corpora not present")
	}
	var files []string
	filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && transcript.IsTranscriptFile(d.Name()) &&
			!strings.EqualFold(d.Name(), "SOURCES.md") && !strings.Contains(path, "NOTES") && !strings.HasSuffix(d.Name(), "_Notes.txt") {
			files = append(files, path)
		}
		return nil
	})
	if len(files) < 20 {
		t.Fatalf("found only %d corpus transcripts", len(files))
	}
	p := newProject(t)
	// Some corpus folders hold one interview in two formats (talk-python's
	// .txt and .vtt share a name): import both, as a user would with
	// --on-conflict new, so that every parser is exercised.
	res, err := p.Import(context.Background(), files, ImportOptions{Case: "corpus", OnConflict: ConflictNew}, nil)
	for _, r := range res {
		if r.Error != "" {
			t.Errorf("%s: %s", r.File, r.Error)
			continue
		}
		if r.Turns < 2 {
			t.Errorf("%s: only %d turns", r.File, r.Turns)
		}
	}
	if err != nil {
		t.Fatal(err)
	}
	rep, err := p.Check(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Problems) != 0 {
		t.Errorf("check after importing the corpora: %v", rep.Problems)
	}
	t.Logf("imported %d corpus files: %d turns", rep.Documents, rep.Turns)
}
