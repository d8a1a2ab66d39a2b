package report

import (
	"cmp"
	"context"
	"io"
	"math/rand"
	"runtime/pprof"
	"slices"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/tacit-qda/tacit/coding"
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

// BenchmarkRecurrenceScale computes the recurrence report with its default
// one quote per code and case, written as JSON, at the two sizes
// (1,000 documents / 100,000 codings, and ten times that) in turn, and
// reports the CPU time of each (getrusage where there is one, so that a
// loaded machine's waiting is not counted) and their ratio: ten times the
// data should take at most ten times the time.
//
//	go test ./coding/report -run '^$' -bench RecurrenceScale -benchtime 3x
//
// A CPU profile taken with it has the label size=small or size=large on each
// sample (go tool pprof -tagfocus size=large).
func BenchmarkRecurrenceScale(b *testing.B) {
	small := benchDataset()
	bigSpec := benchSpec
	bigSpec.docs, bigSpec.cases, bigSpec.codings = 10*bigSpec.docs, 10*bigSpec.cases, 10*bigSpec.codings
	large, largeTexts := genDataset(rand.New(rand.NewSource(7)), bigSpec)
	_, smallTexts := genDataset(rand.New(rand.NewSource(7)), benchSpec)
	// A project holds its codings in the order they were made, document by
	// document (as internal/projgen makes them), and reads them and the
	// quoted passages in place: so does the dataset here, so that only the
	// report is timed.
	small, large = inPlace(small, smallTexts), inPlace(large, largeTexts)
	run := func(ds *Dataset, size string) time.Duration {
		t0 := cpuTime()
		pprof.Do(context.Background(), pprof.Labels("size", size), func(context.Context) {
			rep, err := Recurrence(ds, RecurrenceOptions{Most: DefaultMost, Quotes: 1})
			if err != nil {
				b.Fatal(err)
			}
			if err := rep.WriteJSON(io.Discard); err != nil {
				b.Fatal(err)
			}
		})
		return cpuTime() - t0
	}
	run(small, "small")
	run(large, "large")
	b.ResetTimer()
	var ts, tl time.Duration
	for b.Loop() {
		ts += run(small, "small")
		tl += run(large, "large")
	}
	b.ReportMetric(float64(ts.Microseconds())/float64(b.N)/1000, "cpu-ms-1k")
	b.ReportMetric(float64(tl.Microseconds())/float64(b.N)/1000, "cpu-ms-10k")
	b.ReportMetric(float64(tl)/float64(ts), "ratio")
}

// inPlace is ds with its codings in document order, yielded from records
// built once, and its passages cut from texts converted once, as a project
// reads both in place from its store.
func inPlace(ds *Dataset, texts map[uint64]string) *Dataset {
	cs := codingList(ds)
	slices.SortStableFunc(cs, func(a, b coding.Coding) int { return cmp.Compare(a.DocID, b.DocID) })
	recs := make([]Coding, len(cs))
	for i, c := range cs {
		recs[i] = Coding{ID: c.ID, DocID: c.DocID, CodeID: c.CodeID, Start: c.Start, End: c.End,
			Coder: []byte(c.Coder), Memo: []byte(c.Memo), Key: c.Key}
	}
	type text struct {
		b     []byte
		runes int
	}
	byDoc := make(map[uint64]text, len(texts))
	for id, t := range texts {
		byDoc[id] = text{[]byte(t), utf8.RuneCountInString(t)}
	}
	out := *ds
	out.Codings = func(fn func(c *Coding) error) error {
		for i := range recs {
			c := recs[i]
			if err := fn(&c); err != nil {
				return err
			}
		}
		return nil
	}
	out.Passages = func(ps []Passage) error {
		for i := 0; i < len(ps); {
			j := i
			for j < len(ps) && ps[j].Doc == ps[i].Doc {
				j++
			}
			t := byDoc[ps[i].Doc]
			SlicePassages(t.b, t.runes, ps[i:j])
			i = j
		}
		return nil
	}
	return &out
}
