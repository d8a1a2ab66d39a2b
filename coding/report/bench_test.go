package report

import (
	"io"
	"math/rand"
	"sync"
	"testing"
)

var (
	benchOnce sync.Once
	benchDS   *Dataset
)

// benchDataset is the size named in the issue: 1,000 documents, 200 cases,
// 100 codes and 100,000 codings.
func benchDataset() *Dataset {
	benchOnce.Do(func() { benchDS, _ = genDataset(rand.New(rand.NewSource(7)), benchSpec) })
	return benchDS
}

// BenchmarkRecurrence computes the recurrence report with one quote per
// code and case and writes it as JSON, as `tacit report recurrence
// --format json` does.
func BenchmarkRecurrence(b *testing.B) {
	ds := benchDataset()
	b.ReportAllocs()
	for b.Loop() {
		rep, err := Recurrence(ds, RecurrenceOptions{Most: DefaultMost, Quotes: 1})
		if err != nil {
			b.Fatal(err)
		}
		if err := rep.WriteJSON(io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRecurrenceHTML is the same report rendered as HTML.
func BenchmarkRecurrenceHTML(b *testing.B) {
	ds := benchDataset()
	b.ReportAllocs()
	for b.Loop() {
		rep, err := Recurrence(ds, RecurrenceOptions{Most: DefaultMost, Quotes: 1, ByAttr: "department"})
		if err != nil {
			b.Fatal(err)
		}
		if err := rep.WriteHTML(io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkMatrix computes codes by cases and writes JSON.
func BenchmarkMatrix(b *testing.B) {
	ds := benchDataset()
	for _, count := range []string{CountCodings, CountChars} {
		b.Run(count, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				m, err := Matrix(ds, MatrixOptions{Cols: DimCase, Count: count})
				if err != nil {
					b.Fatal(err)
				}
				if err := m.WriteJSON(io.Discard); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkCooccurrence computes the pairs per turn and per overlap.
func BenchmarkCooccurrence(b *testing.B) {
	ds := benchDataset()
	for _, unit := range []string{UnitTurn, UnitOverlap} {
		b.Run(unit, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Cooccurrence(ds, CooccurrenceOptions{Unit: unit}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestBenchDatasetTextCalls checks on the benchmark's dataset that Text is
// called at most once per document, and only for documents with a quote.
func TestBenchDatasetTextCalls(t *testing.T) {
	if testing.Short() {
		t.Skip("large dataset")
	}
	ds := *benchDataset()
	calls := map[uint64]int{}
	text := ds.Text
	ds.Text = func(id uint64) (string, error) { calls[id]++; return text(id) }
	rep, err := Recurrence(&ds, RecurrenceOptions{Most: DefaultMost, Quotes: 1})
	if err != nil {
		t.Fatal(err)
	}
	quoted := map[string]bool{}
	for _, c := range rep.Codes {
		for _, q := range c.Quotes {
			quoted[q.Doc] = true
		}
	}
	for id, n := range calls {
		if n != 1 {
			t.Errorf("Text(%d) called %d times", id, n)
		}
	}
	if len(calls) != len(quoted) {
		t.Errorf("Text called for %d documents, %d provide quotes", len(calls), len(quoted))
	}
}
