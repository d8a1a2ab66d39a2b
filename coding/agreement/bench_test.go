package agreement

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/tacit-qda/tacit/coding"
)

// genProject makes a project the size the issue sets as a target: nd
// documents of about turns turns (mixed English and Hebrew words), and per
// coder and document perDoc codings of nc codes, each spanning a phrase to a
// few turns. Coders code overlapping, not identical, spans.
func genProject(seed uint64, nd, turns, nc, perDoc int, coders []string) ([]Doc, []Coding) {
	rng := rand.New(rand.NewPCG(seed, 7))
	words := []string{"we", "talked", "about", "the", "family,", "and", "she", "helped.", "המשבר", "היה", "הזדמנות.", "really?", "work", "plan"}
	codes := make([]string, nc)
	for i := range codes {
		codes[i] = fmt.Sprintf("Principles/P%02d", i)
	}
	docs := make([]Doc, nd)
	var codings []Coding
	var b strings.Builder
	for i := range docs {
		b.Reset()
		d := Doc{ID: uint64(i + 1), Name: fmt.Sprintf("doc%03d", i), Case: fmt.Sprintf("story%02d", i/2)}
		pos := 0
		for t := 0; t < turns; t++ {
			label := "Client: "
			if t%2 == 1 {
				label = "Interviewer: "
			}
			b.WriteString(label)
			pos += utf8.RuneCountInString(label)
			start := pos
			for w := 0; w < 10+rng.IntN(60); w++ {
				if w > 0 {
					b.WriteByte(' ')
					pos++
				}
				word := words[rng.IntN(len(words))]
				b.WriteString(word)
				pos += utf8.RuneCountInString(word)
			}
			d.Turns = append(d.Turns, coding.Turn{Index: t, Speaker: strings.TrimSuffix(label, ": "), Start: start, End: pos})
			b.WriteByte('\n')
			pos++
		}
		d.Text = b.String()
		docs[i] = d
		n := pos
		for k := 0; k < perDoc; k++ {
			s := rng.IntN(n)
			l := 20 + rng.IntN(600)
			code := codes[rng.IntN(nc)]
			for ci, c := range coders {
				if rng.IntN(5) == 0 && ci > 0 {
					continue // this coder did not see it
				}
				js, je := s+rng.IntN(40)-20, s+l+rng.IntN(80)-40
				codings = append(codings, Coding{Doc: d.ID, Code: code, Coder: c, Start: max(js, 0), End: min(je, n)})
			}
		}
	}
	return docs, codings
}

var benchCoders = []string{"dana", "yossi", "rana"}

// BenchmarkTurn3Coders200Docs50Codes: the target is one second for
// the whole process (store reading included) at this size.
func BenchmarkTurn3Coders200Docs50Codes(b *testing.B) {
	docs, codings := genProject(1, 200, 80, 50, 60, benchCoders)
	in := Input{Coders: benchCoders, Docs: docs, Codings: codings}
	b.ReportMetric(float64(len(codings)), "codings")
	b.ResetTimer()
	for b.Loop() {
		r, err := Compute(in)
		if err != nil {
			b.Fatal(err)
		}
		if len(r.Codes) != 50 {
			b.Fatalf("%d codes", len(r.Codes))
		}
	}
}

// BenchmarkTurnDisagreements adds the disagreement list (with its texts).
func BenchmarkTurnDisagreements(b *testing.B) {
	docs, codings := genProject(1, 200, 80, 50, 60, benchCoders)
	in := Input{Coders: benchCoders, Docs: docs, Codings: codings, Disagreements: true}
	b.ResetTimer()
	for b.Loop() {
		if _, err := Compute(in); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkChar1Code200Docs: the target is two seconds. The sweep
// costs O(codings·log) and never touches characters one by one.
func BenchmarkChar1Code200Docs(b *testing.B) {
	docs, codings := genProject(2, 200, 80, 50, 60, benchCoders)
	in := Input{Unit: UnitChar, Coders: benchCoders, Docs: docs, Codings: codings, Codes: []string{"Principles/P07"}}
	var chars int
	for _, d := range docs {
		chars += utf8.RuneCountInString(d.Text)
	}
	b.ReportMetric(float64(chars), "chars")
	b.ResetTimer()
	for b.Loop() {
		if _, err := Compute(in); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCharAllCodes is char level for every one of the 50 codes.
func BenchmarkCharAllCodes(b *testing.B) {
	docs, codings := genProject(2, 200, 80, 50, 60, benchCoders)
	in := Input{Unit: UnitChar, Coders: benchCoders, Docs: docs, Codings: codings}
	b.ResetTimer()
	for b.Loop() {
		if _, err := Compute(in); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSentenceExclusive(b *testing.B) {
	docs, codings := genProject(3, 200, 80, 5, 60, benchCoders)
	in := Input{Unit: UnitSentence, Coders: benchCoders, Docs: docs, Codings: codings, Exclusive: true, Group: "Principles",
		Codes: []string{"Principles/P00", "Principles/P01", "Principles/P02", "Principles/P03", "Principles/P04"}}
	b.ResetTimer()
	for b.Loop() {
		if _, err := Compute(in); err != nil {
			b.Fatal(err)
		}
	}
}

// TestGeneratedProjectRuns keeps the benchmark data honest in plain test
// runs: every mode computes on a small generated project.
func TestGeneratedProjectRuns(t *testing.T) {
	docs, codings := genProject(4, 6, 10, 5, 8, benchCoders)
	for _, unit := range UnitKinds {
		for _, excl := range []bool{false, true} {
			in := Input{Unit: unit, Coders: benchCoders, Docs: docs, Codings: codings, Disagreements: true, Exclusive: excl}
			if excl {
				in.Codes = []string{"Principles/P00", "Principles/P01", "Principles/P02"}
			}
			r, err := Compute(in)
			if err != nil {
				t.Fatalf("%s exclusive=%v: %v", unit, excl, err)
			}
			for _, f := range Formats {
				var sb strings.Builder
				if err := Write(&sb, r, f); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
}
