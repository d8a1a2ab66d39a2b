package project_test

import (
	"bytes"
	"path/filepath"
	"testing"

	"github.com/tacit-qda/tacit/coding"
	"github.com/tacit-qda/tacit/coding/report"
	"github.com/tacit-qda/tacit/internal/projgen"
	"github.com/tacit-qda/tacit/project"
	"github.com/tacit-qda/tacit/store"
)

// referenceDataset is the report dataset read the plain way: documents
// with their turns decoded by tx.Documents, every coding decoded into a
// coding.Coding by tx.Codings, every quoted text copied whole by tx.Text
// and cut as a []rune.
func referenceDataset(t *testing.T, p *project.Project) *report.Dataset {
	t.Helper()
	ds, err := p.Dataset()
	if err != nil {
		t.Fatal(err)
	}
	ref := *ds
	ref.Turns, ref.Speakers = nil, nil // read Docs[i].Turns, decoded by tx.Documents
	var all []coding.Coding
	if err := p.Store.View(func(tx *store.Tx) error {
		docs, err := tx.Documents(true)
		if err != nil {
			return err
		}
		ref.Docs = make([]coding.Document, len(docs))
		for i, d := range docs {
			ref.Docs[i] = *d
		}
		return tx.Codings(func(c *coding.Coding) error { all = append(all, *c); return nil })
	}); err != nil {
		t.Fatal(err)
	}
	ref.Codings, ref.CodingCount = report.CodingsOf(all), len(all)
	ref.Passages = func(ps []report.Passage) error {
		return p.Store.View(func(tx *store.Tx) error {
			for i := range ps {
				text, err := tx.Text(ps[i].Doc)
				if err != nil {
					return err
				}
				r := []rune(text)
				s, e := min(max(ps[i].Start, 0), len(r)), min(max(ps[i].End, 0), len(r))
				ps[i].Text = ""
				if e > s {
					ps[i].Text = string(r[s:e])
				}
			}
			return nil
		})
	}
	return &ref
}

// TestDatasetMatchesReference holds the report path (codings decoded in
// place, passages cut from the stored bytes in one transaction) to the
// plain reading of the store, on a generated project with a Hebrew
// document, memos and key codings: every report, byte for byte.
func TestDatasetMatchesReference(t *testing.T) {
	root := filepath.Join(t.TempDir(), "p")
	cfg := projgen.Config{Seed: 3, Docs: 12, DocsPerCase: 3, Words: 300, Parents: 3, Children: 3, Codings: 900,
		Coders: []string{"A", "B"}, ReliabilityDocs: 3, Agree: 0.8, Departments: []string{"youth", "housing"}}
	if _, err := projgen.Generate(root, cfg); err != nil {
		t.Fatal(err)
	}
	p, err := project.Open(root, project.Options{Actor: "tester"})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	// A Hebrew interview with an emoji, coded with a memo and a key flag.
	he := "מראיינת: איך התחיל?\nנועה: היא דיברה איתי בכבוד 😀 תמיד.\nמראיינת: ואז?\nנועה: ואז הכול השתנה.\n"
	if err := p.Store.Update(func(tx *store.Tx) error {
		doc := &coding.Document{Name: "noa", Format: "txt", Chars: len([]rune(he)),
			Turns: []coding.Turn{{Speaker: "מראיינת", Start: 9, End: 19}, {Index: 1, Speaker: "נועה", Start: 26, End: 54}}}
		if err := tx.AddDocument(doc, he); err != nil {
			return err
		}
		cb, err := tx.Codes()
		if err != nil {
			return err
		}
		var codes []uint64
		cb.Walk(func(c *coding.Code, _ int) { codes = append(codes, c.ID) })
		for i, c := range []coding.Coding{{Start: 26, End: 54, Memo: "כבוד"}, {Start: 30, End: 50, Key: true}, {Start: 40, End: 99}} {
			c.DocID, c.CodeID, c.Coder, c.Origin = doc.ID, codes[i%len(codes)], "נ", coding.OriginManual
			if err := tx.AddCoding(&c); err != nil {
				return err
			}
		}
		return tx.Log(&coding.Event{Actor: "tester", Action: "test", Summary: "Hebrew document"})
	}); err != nil {
		t.Fatal(err)
	}

	ds, err := p.Dataset()
	if err != nil {
		t.Fatal(err)
	}
	if len(ds.Turns) != len(ds.Docs) || len(ds.Speakers) == 0 {
		t.Fatalf("Dataset read %d turn lists for %d documents, %d speakers", len(ds.Turns), len(ds.Docs), len(ds.Speakers))
	}
	if ds.CodingCount != cfg.Codings+3 {
		t.Errorf("CodingCount = %d, want %d", ds.CodingCount, cfg.Codings+3)
	}
	ref := referenceDataset(t, p)
	reports := []struct {
		name string
		run  func(ds *report.Dataset) (any, error)
	}{
		{"recurrence", func(ds *report.Dataset) (any, error) {
			return report.Recurrence(ds, report.RecurrenceOptions{Most: report.DefaultMost, Quotes: 3, ByAttr: "department"})
		}},
		{"recurrence-filtered", func(ds *report.Dataset) (any, error) {
			return report.Recurrence(ds, report.RecurrenceOptions{Most: 0.3, Quotes: 1,
				Filter: report.Filter{Coders: []string{"a", "נ"}}})
		}},
		{"matrix-speaker-chars", func(ds *report.Dataset) (any, error) {
			return report.Matrix(ds, report.MatrixOptions{Cols: report.DimSpeaker, Count: report.CountChars})
		}},
		{"matrix-coder", func(ds *report.Dataset) (any, error) {
			return report.Matrix(ds, report.MatrixOptions{Cols: report.DimCoder})
		}},
		{"cooccurrence-overlap", func(ds *report.Dataset) (any, error) {
			return report.Cooccurrence(ds, report.CooccurrenceOptions{Unit: report.UnitOverlap})
		}},
		{"codebook", func(ds *report.Dataset) (any, error) { return report.Codebook(ds) }},
	}
	for _, r := range reports {
		var got, want bytes.Buffer
		for _, x := range []struct {
			ds  *report.Dataset
			out *bytes.Buffer
		}{{ds, &got}, {ref, &want}} {
			rep, err := r.run(x.ds)
			if err != nil {
				t.Fatalf("%s: %v", r.name, err)
			}
			if err := report.Write(x.out, rep, report.FormatJSON); err != nil {
				t.Fatal(err)
			}
		}
		if !bytes.Equal(got.Bytes(), want.Bytes()) {
			t.Errorf("%s: the report differs from the reference reading", r.name)
		}
		if r.name == "recurrence" && !bytes.Contains(got.Bytes(), []byte(`"text": "היא דיברה איתי בכבוד 😀 תמיד."`)) {
			t.Errorf("recurrence: the Hebrew quote is missing")
		}
	}
}
