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

// TestBenchDatasetPassages checks on the benchmark's dataset that
// Passages is called once, for exactly the passages the report quotes,
// each once.
func TestBenchDatasetPassages(t *testing.T) {
	if testing.Short() {
		t.Skip("large dataset")
	}
	ds := *benchDataset()
	calls := 0
	type span struct {
		doc        uint64
		start, end int
	}
	asked := map[span]int{}
	passages := ds.Passages
	ds.Passages = func(ps []Passage) error {
		calls++
		for _, p := range ps {
			asked[span{p.Doc, p.Start, p.End}]++
		}
		return passages(ps)
	}
	rep, err := Recurrence(&ds, RecurrenceOptions{Most: DefaultMost, Quotes: 1})
	if err != nil {
		t.Fatal(err)
	}
	if calls != 1 {
		t.Errorf("Passages called %d times, want 1", calls)
	}
	docID := map[string]uint64{}
	for _, d := range ds.Docs {
		docID[d.Name] = d.ID
	}
	quoted := map[span]bool{}
	for _, c := range rep.Codes {
		for _, q := range c.Quotes {
			s := span{docID[q.Doc], q.Start, q.End}
			quoted[s] = true
			if asked[s] == 0 {
				t.Errorf("quote %+v was not asked for", s)
			}
		}
	}
	for s, n := range asked {
		if n != 1 || !quoted[s] {
			t.Errorf("passage %+v asked %d times, quoted %v", s, n, quoted[s])
		}
	}
}
