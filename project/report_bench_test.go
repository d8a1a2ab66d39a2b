package project_test

// Benchmarks of the report path at the issues' size (1,000 documents, 100
// codes, 100,000 codings: internal/projgen's default project), split into
// the phases a 'tacit report' process goes through, to profile with
//
//	go test ./project -run '^$' -bench Report -cpuprofile cpu.out
//	go tool pprof -top cpu.out
//
// The project is generated once per test binary (a few seconds), only when
// a benchmark runs.

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/tacit-qda/tacit/coding"
	"github.com/tacit-qda/tacit/coding/report"
	"github.com/tacit-qda/tacit/internal/projgen"
	"github.com/tacit-qda/tacit/project"
	"github.com/tacit-qda/tacit/store"
)

var big struct {
	once sync.Once
	dir  string
	res  *projgen.Result
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if big.dir != "" {
		os.RemoveAll(big.dir)
	}
	os.Exit(code)
}

func bigProject(b *testing.B) (string, *projgen.Result) {
	b.Helper()
	big.once.Do(func() {
		big.dir, big.err = os.MkdirTemp("", "tacit-report-bench-")
		if big.err != nil {
			return
		}
		big.res, big.err = projgen.Generate(filepath.Join(big.dir, "p"), projgen.Default())
	})
	if big.err != nil {
		b.Fatal(big.err)
	}
	return big.res.Root, big.res
}

func openBig(b *testing.B) *project.Project {
	root, _ := bigProject(b)
	p, err := project.Open(root, project.Options{ReadOnly: true})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { p.Close() })
	return p
}

// BenchmarkReportOpen opens and closes the project read-only.
func BenchmarkReportOpen(b *testing.B) {
	root, _ := bigProject(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		p, err := project.Open(root, project.Options{ReadOnly: true})
		if err != nil {
			b.Fatal(err)
		}
		p.Close()
	}
}

// BenchmarkReportDataset loads the report dataset (project.Dataset).
func BenchmarkReportDataset(b *testing.B) {
	p := openBig(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		ds, err := p.Dataset()
		if err != nil || ds.CodingCount != 100000 {
			b.Fatal(err, ds.CodingCount)
		}
	}
}

// BenchmarkReportDatasetParts times the store reads Dataset makes, one by one.
func BenchmarkReportDatasetParts(b *testing.B) {
	p := openBig(b)
	parts := []struct {
		name string
		fn   func(tx *store.Tx) error
	}{
		{"cases", func(tx *store.Tx) error { _, err := tx.Cases(); return err }},
		{"documents-meta", func(tx *store.Tx) error { _, err := tx.Documents(false); return err }},
		{"documents-with-turns", func(tx *store.Tx) error { _, err := tx.Documents(true); return err }},
		{"codes", func(tx *store.Tx) error { _, err := tx.Codes(); return err }},
		{"roles", func(tx *store.Tx) error { _, err := tx.Roles(); return err }},
		{"codings-decode", func(tx *store.Tx) error {
			return tx.Codings(func(*coding.Coding) error { return nil })
		}},
		// How reports read codings now: in place, nothing allocated.
		{"codings-scan", func(tx *store.Tx) error {
			return tx.ScanCodings(func(*store.CodingFields) error { return nil })
		}},
		{"codings-count-pages", func(tx *store.Tx) error {
			if n := tx.CodingCount(); n != 100000 {
				return fmt.Errorf("counted %d codings", n)
			}
			return nil
		}},
		// How Dataset gathered codings before: append to a growing slice.
		{"codings-append", func(tx *store.Tx) error {
			var out []coding.Coding
			return tx.Codings(func(c *coding.Coding) error { out = append(out, *c); return nil })
		}},
		{"codings-count", func(tx *store.Tx) error {
			cb, err := tx.Codes()
			if err != nil {
				return err
			}
			n := 0
			cb.Walk(func(c *coding.Code, _ int) { n += tx.CountCodings(c.ID) })
			if n != 100000 {
				return fmt.Errorf("counted %d codings", n)
			}
			return nil
		}},
		// How Dataset gathers them now: count from the index, make, append.
		{"codings-presized", func(tx *store.Tx) error {
			cb, err := tx.Codes()
			if err != nil {
				return err
			}
			n := 0
			cb.Walk(func(c *coding.Code, _ int) { n += tx.CountCodings(c.ID) })
			out := make([]coding.Coding, 0, n)
			return tx.Codings(func(c *coding.Coding) error { out = append(out, *c); return nil })
		}},
	}
	for _, part := range parts {
		b.Run(part.name, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if err := p.Store.View(part.fn); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func dataset(b *testing.B, p *project.Project) *report.Dataset {
	ds, err := p.Dataset()
	if err != nil {
		b.Fatal(err)
	}
	return ds
}

// BenchmarkReportCompute runs each report on a loaded dataset, without
// writing it.
func BenchmarkReportCompute(b *testing.B) {
	ds := dataset(b, openBig(b))
	for _, r := range reports {
		b.Run(r.name, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if _, err := r.run(ds); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkReportJSON writes each computed report as JSON.
func BenchmarkReportJSON(b *testing.B) {
	ds := dataset(b, openBig(b))
	for _, r := range reports {
		rep, err := r.run(ds)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(r.name, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				w := bufio.NewWriter(io.Discard)
				if err := report.Write(w, rep, report.FormatJSON); err != nil {
					b.Fatal(err)
				}
				w.Flush()
			}
		})
	}
}

// BenchmarkReportWhole does what one 'tacit report X --json' process does
// after start-up: open, load, compute, write.
func BenchmarkReportWhole(b *testing.B) {
	root, _ := bigProject(b)
	for _, r := range reports {
		b.Run(r.name, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				p, err := project.Open(root, project.Options{ReadOnly: true})
				if err != nil {
					b.Fatal(err)
				}
				ds, err := p.Dataset()
				if err != nil {
					b.Fatal(err)
				}
				rep, err := r.run(ds)
				if err != nil {
					b.Fatal(err)
				}
				w := bufio.NewWriter(io.Discard)
				if err := report.Write(w, rep, report.FormatJSON); err != nil {
					b.Fatal(err)
				}
				w.Flush()
				p.Close()
			}
		})
	}
}

var reports = []struct {
	name string
	run  func(ds *report.Dataset) (any, error)
}{
	{"recurrence", func(ds *report.Dataset) (any, error) {
		return report.Recurrence(ds, report.RecurrenceOptions{Most: report.DefaultMost, Quotes: 1})
	}},
	{"matrix-case", func(ds *report.Dataset) (any, error) {
		return report.Matrix(ds, report.MatrixOptions{Cols: "case"})
	}},
	{"cooccurrence-turn", func(ds *report.Dataset) (any, error) {
		return report.Cooccurrence(ds, report.CooccurrenceOptions{Unit: "turn", Min: 1})
	}},
}
