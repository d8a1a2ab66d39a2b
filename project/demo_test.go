package project

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/tacit-qda/tacit/coding/report"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// TestDemoGoldenReports builds the bundled sample study and compares its
// recurrence report (JSON and Markdown) and matrix with golden files, so a
// change in import, coding or reporting that moves any number or quote of
// the demo shows up as a diff. Rewrite with: go test ./project -run
// TestDemoGoldenReports -update
func TestDemoGoldenReports(t *testing.T) {
	dir := t.TempDir()
	sum, err := BuildDemo(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Documents != 14 || sum.Cases != 7 {
		t.Errorf("demo summary %+v", sum)
	}
	p, err := Open(dir, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	ds, err := p.Dataset()
	if err != nil {
		t.Fatal(err)
	}
	rec, err := report.Recurrence(ds, report.RecurrenceOptions{Most: report.DefaultMost, Quotes: 1})
	if err != nil {
		t.Fatal(err)
	}
	mat, err := report.Matrix(ds, report.MatrixOptions{Cols: "case"})
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range []struct {
		file   string
		rep    any
		format string
	}{
		{"demo-recurrence.json", rec, report.FormatJSON},
		{"demo-recurrence.md", rec, report.FormatMD},
		{"demo-matrix.csv", mat, report.FormatCSV},
	} {
		var buf bytes.Buffer
		if err := report.Write(&buf, g.rep, g.format); err != nil {
			t.Fatal(err)
		}
		golden := filepath.Join("testdata", g.file)
		if *update {
			os.MkdirAll("testdata", 0o755)
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
	// The store and the index agree after the demo.
	p.Close()
	q, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer q.Close()
	rep, err := q.Check(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Problems) != 0 {
		t.Errorf("check after demo: %v", rep.Problems)
	}
}
