package report

import (
	"math/rand"
	"sort"
	"strings"
	"testing"

	"github.com/tacit-qda/tacit/coding"
)

// naive computes, the slow and obvious way, the cases where each code or
// one of its descendants has a coding; it is the oracle of the property
// tests.
type naive struct {
	ds       *Dataset
	caseName map[uint64]string // doc id -> case name
	children map[uint64][]uint64
}

func newNaive(ds *Dataset) *naive {
	n := &naive{ds: ds, caseName: map[uint64]string{}, children: map[uint64][]uint64{}}
	cases := map[uint64]string{}
	for _, c := range ds.Cases {
		cases[c.ID] = c.Name
	}
	for _, d := range ds.Docs {
		if name, ok := cases[d.CaseID]; ok {
			n.caseName[d.ID] = name
		} else {
			n.caseName[d.ID] = d.Name
		}
	}
	for _, c := range ds.Codes {
		n.children[c.ParentID] = append(n.children[c.ParentID], c.ID)
	}
	return n
}

// direct returns the case names with a coding of exactly this code.
func (n *naive) direct(code uint64) map[string]bool {
	out := map[string]bool{}
	for _, c := range codingList(n.ds) {
		if c.CodeID == code {
			out[n.caseName[c.DocID]] = true
		}
	}
	return out
}

func setOf(s []string) map[string]bool {
	m := map[string]bool{}
	for _, v := range s {
		m[v] = true
	}
	return m
}

func sameSet(a, b map[string]bool) bool {
	if len(a) != len(b) {
		return false
	}
	for k := range a {
		if !b[k] {
			return false
		}
	}
	return true
}

// TestRollupProperty checks on random datasets that a parent's cases are
// the union of its own codings' cases and its children's cases, and the
// other invariants of a recurrence line.
func TestRollupProperty(t *testing.T) {
	for seed := int64(1); seed <= 40; seed++ {
		rng := rand.New(rand.NewSource(seed))
		spec := genSpec{docs: 1 + rng.Intn(25), cases: rng.Intn(10), codes: 1 + rng.Intn(15),
			codings: rng.Intn(150), turns: 1 + rng.Intn(6), turnLen: 20 + rng.Intn(80)}
		ds, texts := genDataset(rng, spec)
		quotes := 1 + rng.Intn(3)
		most := []float64{0.5, 0.66, 1, 0.25}[rng.Intn(4)]
		rep, err := Recurrence(ds, RecurrenceOptions{Most: most, Quotes: quotes})
		if err != nil {
			t.Fatal(err)
		}
		if len(codingList(ds)) == 0 {
			if rep.EmptyReason == "" {
				t.Errorf("seed %d: no codings but no empty reason", seed)
			}
			continue
		}
		n := newNaive(ds)
		byID := map[uint64]CodeRecurrence{}
		for _, c := range rep.Codes {
			byID[c.ID] = c
		}
		if len(byID) != len(ds.Codes) {
			t.Fatalf("seed %d: %d codes in the report, want %d", seed, len(byID), len(ds.Codes))
		}
		codings := map[uint64]int{}
		for _, c := range codingList(ds) {
			codings[c.CodeID]++
		}
		for _, code := range ds.Codes {
			line := byID[code.ID]
			want := n.direct(code.ID)
			wantCodings := codings[code.ID]
			for _, ch := range n.children[code.ID] {
				for k := range setOf(byID[ch].Present) {
					want[k] = true
				}
				wantCodings += byID[ch].Codings
			}
			if !sameSet(setOf(line.Present), want) {
				t.Errorf("seed %d: %s present in %v, want the union %v", seed, line.Code, line.Present, want)
			}
			if line.Codings != wantCodings {
				t.Errorf("seed %d: %s has %d codings, want %d", seed, line.Code, line.Codings, wantCodings)
			}
			if line.Cases != len(line.Present) || len(line.Present)+len(line.Absent) != rep.CasesTotal {
				t.Errorf("seed %d: %s: %d cases, %d present, %d absent of %d", seed, line.Code, line.Cases, len(line.Present), len(line.Absent), rep.CasesTotal)
			}
			for _, a := range line.Absent {
				if want[a] {
					t.Errorf("seed %d: %s absent in %s where it is present", seed, line.Code, a)
				}
			}
			if line.Level != LevelOf(line.Cases, rep.CasesTotal, most) {
				t.Errorf("seed %d: %s level %s", seed, line.Code, line.Level)
			}
			sum := 0
			for _, v := range line.CaseCodings {
				sum += v
			}
			if sum != line.Codings {
				t.Errorf("seed %d: %s case_codings sum %d != codings %d", seed, line.Code, sum, line.Codings)
			}
			// Quotes: min(quotes, codings in the cell) per present case, each
			// a real slice of its document.
			wantQuotes := 0
			for i, v := range line.CaseCodings {
				_ = i
				wantQuotes += min(v, quotes)
			}
			if len(line.Quotes) != wantQuotes {
				t.Errorf("seed %d: %s has %d quotes, want %d", seed, line.Code, len(line.Quotes), wantQuotes)
			}
			for _, q := range line.Quotes {
				var text string
				for _, d := range ds.Docs {
					if d.Name == q.Doc {
						text = texts[d.ID]
					}
				}
				r := []rune(text)
				if got := string(r[q.Start:min(q.End, len(r))]); trimSpace(got) != q.Text {
					t.Errorf("seed %d: quote %q is not the text %q", seed, q.Text, got)
				}
			}
		}
		// The matrix of codings by case agrees with the recurrence lines.
		m, err := Matrix(ds, MatrixOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if m.Total != len(codingList(ds)) {
			t.Errorf("seed %d: matrix total %d, want %d codings", seed, m.Total, len(codingList(ds)))
		}
		for _, row := range m.Rows {
			var line CodeRecurrence
			for _, c := range rep.Codes {
				if c.Code == row.Label {
					line = c
				}
			}
			for j, v := range row.Cells {
				if v != line.CaseCodings[j] {
					t.Errorf("seed %d: matrix %s/%s = %d, recurrence says %d", seed, row.Label, m.Columns[j], v, line.CaseCodings[j])
				}
			}
			if row.Total != line.Codings {
				t.Errorf("seed %d: row total %d, want %d", seed, row.Total, line.Codings)
			}
		}
		// Co-occurrence by case is the intersection of the present sets.
		co, err := Cooccurrence(ds, CooccurrenceOptions{Unit: UnitCase})
		if err != nil {
			t.Fatal(err)
		}
		byPath := map[string]CodeRecurrence{}
		for _, c := range rep.Codes {
			byPath[c.Code] = c
		}
		related := func(x, y CodeRecurrence) bool {
			return strings.HasPrefix(x.Code+"/", y.Code+"/") || strings.HasPrefix(y.Code+"/", x.Code+"/")
		}
		wantPairs := 0
		for i, x := range rep.Codes {
			for _, y := range rep.Codes[i+1:] {
				if !related(x, y) && len(setOf(x.Present)) > 0 {
					for k := range setOf(x.Present) {
						if setOf(y.Present)[k] {
							wantPairs++
							break
						}
					}
				}
			}
		}
		if len(co.Pairs) != wantPairs {
			t.Errorf("seed %d: %d co-occurring pairs, want %d", seed, len(co.Pairs), wantPairs)
		}
		for _, p := range co.Pairs {
			a, b := setOf(byPath[p.A].Present), setOf(byPath[p.B].Present)
			both, either := 0, len(b)
			for k := range a {
				if b[k] {
					both++
				} else {
					either++
				}
			}
			if p.Count != both || p.Jaccard != round4(float64(both)/float64(either)) {
				t.Errorf("seed %d: pair %s + %s = %d (%v), want %d", seed, p.A, p.B, p.Count, p.Jaccard, both)
			}
		}
	}
}

func trimSpace(s string) string {
	r := []rune(s)
	for len(r) > 0 && (r[0] == ' ' || r[0] == '\n') {
		r = r[1:]
	}
	for len(r) > 0 && (r[len(r)-1] == ' ' || r[len(r)-1] == '\n') {
		r = r[:len(r)-1]
	}
	return string(r)
}

// TestMatrixCounts checks each count on the sample against hand counts.
func TestMatrixCounts(t *testing.T) {
	ds := sample().ds
	cell := func(count, cols, row, col string) int {
		m, err := Matrix(ds, MatrixOptions{Cols: cols, Count: count})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range m.Rows {
			for j, c := range m.Columns {
				if r.Label == row && c == col {
					return r.Cells[j]
				}
			}
		}
		t.Fatalf("no cell %s/%s in %v", row, col, m.Columns)
		return 0
	}
	respect := "Principles/Respectful attitude"
	for _, tc := range []struct {
		count, cols, row, col string
		want                  int
	}{
		{"codings", "case", respect, "Story 1", 3},
		{"docs", "case", respect, "Story 1", 2},
		{"presence", "case", respect, "Story 5 (not yet interviewed)", 0},
		{"cases", "role", respect, "client", 4},
		{"codings", "coder", "Principles", "bob", 6},
		// Two overlapping codings in Dana's turn: the longer one covers the shorter.
		{"chars", "doc", respect, "Interview with Dana", 65},
		// Outside (0..58) and Inside (24..77) overlap in Ruth's turn: 77 characters.
		{"chars", "doc", "Principles/Many partners", "Interview with Ruth", len("The school counsellor and the housing office were partners from the first month")},
		{"codings", "attr:department", respect, "adults", 4},
		{"codings", "speaker", respect, "Speaker 1", 1},
	} {
		if got := cell(tc.count, tc.cols, tc.row, tc.col); got != tc.want {
			t.Errorf("%s by %s, %s/%s = %d, want %d", tc.count, tc.cols, tc.row, tc.col, got, tc.want)
		}
	}
}

// TestCooccurrenceOverlap checks the overlap unit on the sample by hand.
func TestCooccurrenceOverlap(t *testing.T) {
	co, err := Cooccurrence(sample().ds, CooccurrenceOptions{Unit: UnitOverlap})
	if err != nil {
		t.Fatal(err)
	}
	found := map[string]Pair{}
	for _, p := range co.Pairs {
		found[p.A+" + "+p.B] = p
	}
	// Ruth: Outside "The school counsellor and the housing office were
	// partners" overlaps Inside "the housing office were partners from the
	// first month" on "the housing office were partners" (32 characters);
	// Khaled: Inside "the employment office" lies inside Outside.
	p, ok := found["Principles/Many partners/Inside welfare + Principles/Many partners/Outside welfare"]
	if !ok || p.Count != 2 {
		t.Fatalf("inside+outside = %+v (ok %v), want 2 overlapping pairs; pairs: %v", p, ok, co.Pairs)
	}
	shared := len("the housing office were partners") + len("the employment office")
	union := p.ATotal + p.BTotal - shared
	if p.Jaccard != round4(float64(shared)/float64(union)) {
		t.Errorf("jaccard = %v, want %d/%d", p.Jaccard, shared, union)
	}
	// Whole family and respect overlap on "every family" in the loose interview.
	if p := found["Principles/Respectful attitude + Principles/Whole family"]; p.Count != 1 {
		t.Errorf("respect+family = %+v, want 1", p)
	}
	for k := range found {
		if k == "Principles + Principles/Respectful attitude" {
			t.Error("a code is paired with its own sub-code")
		}
	}
	sort.Strings(nil)
	_ = coding.EInvalid
}
