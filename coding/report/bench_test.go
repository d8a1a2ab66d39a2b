package report

import (
	"bytes"
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
	"github.com/tacit-qda/tacit/internal/benchx"
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
		t0 := benchx.CPUTime()
		pprof.Do(context.Background(), pprof.Labels("size", size), func(context.Context) {
			rep, err := Recurrence(ds, RecurrenceOptions{Most: DefaultMost, Quotes: 1})
			if err != nil {
				b.Fatal(err)
			}
			if err := rep.WriteJSON(io.Discard); err != nil {
				b.Fatal(err)
			}
		})
		return benchx.CPUTime() - t0
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

// inPlace is ds as a project holds it: its codings in document order,
// yielded in place from pointer-free records built once (one reused Coding,
// its coder and memo cut from shared tables, as project.Dataset decodes the
// store's records), its turns in the compact Turns form (Docs[i].Turns
// nil), and its passages cut from texts converted once. The benchmark's own
// copy of the data then holds almost no pointers: a collection that runs
// during a report scans what a report process would, not gigabytes of
// records the benchmark keeps for the next run.
func inPlace(ds *Dataset, texts map[uint64]string) *Dataset {
	cs := codingList(ds)
	slices.SortStableFunc(cs, func(a, b coding.Coding) int { return cmp.Compare(a.DocID, b.DocID) })
	type rec struct {
		id, doc, code uint64
		start, end    int32
		coder, memo   int32 // into coders, memos (memo -1: none)
		key           bool
	}
	var coders, memos [][]byte
	intern := func(tab *[][]byte, s string) int32 {
		for i, b := range *tab {
			if string(b) == s {
				return int32(i)
			}
		}
		*tab = append(*tab, []byte(s))
		return int32(len(*tab) - 1)
	}
	recs := make([]rec, len(cs))
	for i, c := range cs {
		r := rec{id: c.ID, doc: c.DocID, code: c.CodeID, start: int32(c.Start), end: int32(c.End),
			coder: intern(&coders, c.Coder), memo: -1, key: c.Key}
		if c.Memo != "" {
			r.memo = intern(&memos, c.Memo)
		}
		recs[i] = r
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
	out.Docs = slices.Clone(ds.Docs)
	out.Turns, out.Speakers = nil, nil
	for i := range out.Docs {
		for _, t := range out.Docs[i].Turns {
			out.AddTurn(i, []byte(t.Speaker), t.Start, t.End)
		}
		out.Docs[i].Turns = nil
	}
	out.Codings = func(fn func(c *Coding) error) error {
		var c Coding
		for i := range recs {
			r := &recs[i]
			c = Coding{ID: r.id, DocID: r.doc, CodeID: r.code, Start: int(r.start), End: int(r.end),
				Coder: coders[r.coder], Key: r.key}
			if r.memo >= 0 {
				c.Memo = memos[r.memo]
			}
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

// TestInPlaceSameReport: the dataset the scale benchmark times (inPlace)
// gives the same recurrence report, byte for byte, as the one it is made
// from, with quotes, memos and a split by attribute.
func TestInPlaceSameReport(t *testing.T) {
	spec := genSpec{docs: 60, cases: 12, codes: 15, codings: 3000, turns: 6, turnLen: 80}
	ds, texts := genDataset(rand.New(rand.NewSource(3)), spec)
	// The same order as inPlace, so that ties between quotes go alike.
	cs := codingList(ds)
	slices.SortStableFunc(cs, func(a, b coding.Coding) int { return cmp.Compare(a.DocID, b.DocID) })
	want := *ds
	want.Codings = CodingsOf(cs)
	for _, opt := range []RecurrenceOptions{{Most: DefaultMost, Quotes: 1}, {Most: DefaultMost, Quotes: 3, ByAttr: "department"}} {
		var a, b bytes.Buffer
		for _, x := range []struct {
			ds  *Dataset
			out *bytes.Buffer
		}{{&want, &a}, {inPlace(ds, texts), &b}} {
			rep, err := Recurrence(x.ds, opt)
			if err != nil {
				t.Fatal(err)
			}
			if err := rep.WriteJSON(x.out); err != nil {
				t.Fatal(err)
			}
		}
		if !bytes.Equal(a.Bytes(), b.Bytes()) {
			t.Errorf("quotes %d: the in-place dataset's report differs (%d bytes, want %d)", opt.Quotes, b.Len(), a.Len())
		}
		if !bytes.Contains(a.Bytes(), []byte(`"memo"`)) {
			t.Errorf("quotes %d: no quote has a memo: the test does not cover them", opt.Quotes)
		}
	}
}
