package agreement

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/tacit-qda/tacit/coding"
)

// randomProject makes nd documents with turns and random codings by the
// coders, of codes "C0".."C<nc-1>" and, half the time, of a sub-code.
func randomProject(rng *rand.Rand, nd, nc int, coders []string) ([]Doc, []Coding) {
	words := []string{"we", "talked.", "שלום", "עולם.", "كان", "جيدا؟", "the", "family", "helped!", "3.5", "ok"}
	var docs []Doc
	var codings []Coding
	for id := 1; id <= nd; id++ {
		var lines []string
		for t := 0; t < 2+rng.IntN(6); t++ {
			var ws []string
			for w := 0; w < 1+rng.IntN(12); w++ {
				ws = append(ws, words[rng.IntN(len(words))])
			}
			lines = append(lines, fmt.Sprintf("S%d: %s", t%2, strings.Join(ws, " ")))
		}
		d := mkDoc(uint64(id), fmt.Sprintf("d%02d", id), fmt.Sprintf("case%d", id%3), lines...)
		docs = append(docs, d)
		n := len([]rune(d.Text))
		for _, c := range coders {
			for k := 0; k < 1+rng.IntN(8); k++ {
				s := rng.IntN(n+2) - 1
				e := s + rng.IntN(30)
				code := fmt.Sprintf("C%d", rng.IntN(nc))
				if rng.IntN(2) == 0 {
					code += "/sub"
				}
				codings = append(codings, Coding{Doc: d.ID, Code: code, Coder: c, Start: s, End: e})
			}
		}
	}
	return docs, codings
}

// naive recomputes a report's statistics the slow, obvious way: every unit
// (or every character) checked against every coding.
func naive(t *testing.T, in Input, codes []string) []Stats {
	m := len(in.Coders)
	type unitRef struct{ doc, s, e int }
	var units []unitRef
	for di, d := range in.Docs {
		n := len([]rune(d.Text))
		switch in.Unit {
		case UnitChar:
			for i := 0; i < n; i++ {
				units = append(units, unitRef{di, i, i + 1})
			}
		case UnitDoc:
			units = append(units, unitRef{di, 0, n})
		default:
			spans, _, err := UnitSpans(d, in.Unit)
			if err != nil {
				t.Fatal(err)
			}
			for _, sp := range spans {
				units = append(units, unitRef{di, sp.Start, sp.End})
			}
		}
	}
	counts := func(path, code string) bool {
		return path == code || (in.IncludeChildren && strings.HasPrefix(path, code+"/"))
	}
	// sets[u][coder] = bit set of codes applied.
	sets := make([][]uint64, len(units))
	for u, ur := range units {
		sets[u] = make([]uint64, m)
		d := in.Docs[ur.doc]
		n := len([]rune(d.Text))
		for _, cd := range in.Codings {
			if cd.Doc != d.ID {
				continue
			}
			s, e := max(cd.Start, 0), min(cd.End, n)
			if s >= e || s >= ur.e || ur.s >= e {
				continue
			}
			ci := -1
			for i, name := range in.Coders {
				if name == cd.Coder {
					ci = i
				}
			}
			for v, code := range codes {
				if counts(cd.Code, code) {
					sets[u][ci] |= 1 << v
				}
			}
		}
	}
	exclude := in.Uncoded == UncodedExclude
	if in.Exclusive {
		a := newAcc(m, len(codes))
		vals := make([]int, m)
		for _, cell := range sets {
			none := true
			for i, set := range cell {
				vals[i] = Missing
				if set != 0 {
					none = false
				}
				if set != 0 && set&(set-1) == 0 {
					for v := range codes {
						if set == 1<<v {
							vals[i] = v
						}
					}
				}
			}
			if none && exclude {
				continue
			}
			a.add(vals, 1)
		}
		return []Stats{a.stats(in.Coders, codes, false)}
	}
	var out []Stats
	pooled := newAcc(m, 2)
	vals := make([]int, m)
	for v := range codes {
		a := newAcc(m, 2)
		for _, cell := range sets {
			var mask uint64
			for i, set := range cell {
				if set&(1<<v) != 0 {
					mask |= 1 << i
				}
			}
			if mask == 0 && exclude {
				continue
			}
			maskVals(mask, vals)
			a.add(vals, 1)
			pooled.add(vals, 1)
		}
		out = append(out, a.stats(in.Coders, binaryLabels, true))
	}
	return append(out, pooled.stats(in.Coders, binaryLabels, true))
}

func sameStats(a, b Stats) string {
	if a.Units != b.Units || a.PairableUnits != b.PairableUnits || a.CompleteUnits != b.CompleteUnits || a.AgreedUnits != b.AgreedUnits {
		return fmt.Sprintf("counts differ: %+v vs %+v", a, b)
	}
	for k, v := range a.NCoded {
		if b.NCoded[k] != v {
			return fmt.Sprintf("n_coded differ: %v vs %v", a.NCoded, b.NCoded)
		}
	}
	for _, p := range [][2]Coef{{a.PercentAgreement, b.PercentAgreement}, {a.CohenKappa, b.CohenKappa},
		{a.FleissKappa, b.FleissKappa}, {a.KrippendorffAlpha, b.KrippendorffAlpha}} {
		if p[0].OK != p[1].OK || (p[0].OK && math.Abs(p[0].Value-p[1].Value) > 1e-9) {
			return fmt.Sprintf("coefficients differ: %v vs %v", a, b)
		}
	}
	return ""
}

// TestComputeMatchesNaive compares Compute (segment search, sparse maps,
// interval sweeps) with the obvious per-unit computation on random data.
func TestComputeMatchesNaive(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for iter := 0; iter < 60; iter++ {
		coders := []string{"a", "b", "c"}[:2+iter%2]
		docs, codings := randomProject(rng, 1+rng.IntN(4), 1+rng.IntN(3), coders)
		in := Input{
			Unit:            []string{UnitTurn, UnitSentence, UnitParagraph, UnitDoc, UnitChar}[iter%5],
			Coders:          coders,
			Docs:            docs,
			Codings:         codings,
			IncludeChildren: iter%3 != 0,
			Exclusive:       iter%4 == 1,
			DocFilter:       []uint64{},
		}
		for _, d := range docs {
			in.DocFilter = append(in.DocFilter, d.ID)
		}
		if iter%6 == 5 {
			in.Uncoded = UncodedExclude
		}
		in.Codes = []string{"C0", "C1", "C2"}
		if in.Exclusive && !in.IncludeChildren {
			in.Codes = []string{"C0", "C1/sub", "C2"}
		}
		in.Disagreements = true
		r, err := Compute(in)
		if err != nil {
			if coding.ErrorKind(err) == coding.EInvalid && strings.Contains(err.Error(), "has no codings") {
				continue
			}
			t.Fatalf("iter %d: %v", iter, err)
		}
		// Compute sorts documents; so must the naive version.
		sorted := make([]Doc, 0, len(docs))
		for _, ref := range r.Docs {
			for _, d := range docs {
				if d.ID == ref.ID {
					sorted = append(sorted, d)
				}
			}
		}
		nin := in
		nin.Docs = sorted
		want := naive(t, nin, in.Codes)
		var got []Stats
		if in.Exclusive {
			got = []Stats{*r.Exclusive}
		} else {
			for _, c := range r.Codes {
				got = append(got, c.Stats)
			}
			got = append(got, *r.Pooled)
		}
		for i := range want {
			if msg := sameStats(got[i], want[i]); msg != "" {
				t.Fatalf("iter %d (unit %s, exclusive %v): stats %d: %s", iter, in.Unit, in.Exclusive, i, msg)
			}
		}
		// Every disagreement is a real one and has its text.
		for _, d := range r.Disagreements {
			if d.End <= d.Start && in.Unit != UnitCase {
				t.Fatalf("iter %d: empty disagreement %+v", iter, d)
			}
			first := d.ByCoder[coders[0]]
			differ := false
			for _, c := range coders[1:] {
				if strings.Join(d.ByCoder[c], ";") != strings.Join(first, ";") {
					differ = true
				}
			}
			if !differ {
				t.Fatalf("iter %d: disagreement where all coders agree: %+v", iter, d)
			}
		}
	}
}

// FuzzCompute feeds arbitrary text, turns and codings to Compute: it must
// not panic, must return either a report or an EInvalid error, and must
// never produce NaN (JSON encoding would fail on it).
func FuzzCompute(f *testing.F) {
	f.Add("Dana: I was in crisis. Then it changed.\nYossi: Go on.", 6, 38, 46, 52, 0, 10, 5, 40, uint8(0), false)
	f.Add("שלום עולם. מה נשמע?", 0, 10, 10, 19, 3, 8, 0, 19, uint8(5), true)
	f.Add("", 0, 0, 0, 0, 0, 0, 0, 0, uint8(4), false)
	f.Fuzz(func(t *testing.T, text string, t1s, t1e, t2s, t2e, a1, a2, b1, b2 int, unit uint8, exclusive bool) {
		if !utf8.ValidString(text) {
			return
		}
		d := Doc{ID: 1, Name: "d", Case: "c", Text: text,
			Turns: []coding.Turn{{Start: t1s, End: t1e, Speaker: "A"}, {Start: t2s, End: t2e, Speaker: "B"}}}
		in := Input{
			Unit:   UnitKinds[int(unit)%len(UnitKinds)],
			Coders: []string{"x", "y"}, Docs: []Doc{d}, Disagreements: true, Exclusive: exclusive,
			Codings: []Coding{
				{Doc: 1, Code: "G/A", Coder: "x", Start: a1, End: a2},
				{Doc: 1, Code: "G/B", Coder: "x", Start: b1, End: b2},
				{Doc: 1, Code: "G/B", Coder: "y", Start: a1, End: b2},
			},
		}
		if exclusive {
			in.Codes = []string{"G/A", "G/B"}
		}
		r, err := Compute(in)
		if err != nil {
			if coding.ErrorKind(err) != coding.EInvalid {
				t.Fatalf("error of kind %s: %v", coding.ErrorKind(err), err)
			}
			return
		}
		if _, err := json.Marshal(r); err != nil {
			t.Fatal(err)
		}
		for _, f := range Formats {
			if err := Write(io.Discard, r, f); err != nil {
				t.Fatal(err)
			}
		}
	})
}
