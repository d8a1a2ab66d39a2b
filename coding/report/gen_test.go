package report

import (
	"fmt"
	"math/rand"
	"strings"
	"unicode/utf8"

	"github.com/tacit-qda/tacit/coding"
)

// genSpec sizes a generated dataset.
type genSpec struct {
	docs, cases, codes, codings, turns, turnLen int
}

// genDataset makes a random but valid project: a codebook tree, cases with
// attributes, documents (some without a case) with speaker turns mixing
// Latin and Hebrew text, and codings by two coders.
func genDataset(rng *rand.Rand, s genSpec) (*Dataset, map[uint64]string) {
	ds := &Dataset{Roles: coding.RoleMap{Project: map[string]string{"client": "client", "worker": "staff", "interviewer": "interviewer"},
		PerDoc: map[uint64]map[string]string{}}}
	depts := []string{"youth", "adults", "elderly", "מחלקה"}
	for i := 0; i < s.cases; i++ {
		ds.Cases = append(ds.Cases, coding.Case{ID: uint64(i + 1), Name: fmt.Sprintf("Case %d", i+1),
			Attrs: map[string]string{"department": depts[rng.Intn(len(depts))]}})
	}
	for i := 0; i < s.codes; i++ {
		var parent uint64
		if i > 0 && rng.Intn(3) > 0 {
			parent = uint64(rng.Intn(i) + 1)
		}
		ds.Codes = append(ds.Codes, coding.Code{ID: uint64(i + 1), ParentID: parent, Name: fmt.Sprintf("code %d", i+1)})
	}
	texts := map[uint64]string{}
	words := []string{"respect ", "family ", "כבוד ", "משפחה ", "partners ", "crisis ", "and ", "the "}
	speakers := []string{"Client", "Worker", "Interviewer", "Guest"}
	for i := 0; i < s.docs; i++ {
		id := uint64(1000 + i)
		var caseID uint64
		if s.cases > 0 && rng.Intn(10) > 0 {
			caseID = uint64(rng.Intn(s.cases) + 1)
		}
		var b strings.Builder
		var turns []coding.Turn
		pos := 0
		for t := 0; t < s.turns; t++ {
			sp := speakers[rng.Intn(len(speakers))]
			b.WriteString(sp + ": ")
			pos += len(sp) + 2
			start := pos
			for pos-start < s.turnLen {
				w := words[rng.Intn(len(words))]
				b.WriteString(w)
				pos += len([]rune(w))
			}
			turns = append(turns, coding.Turn{Index: t, Speaker: sp, Start: start, End: pos})
			b.WriteString("\n")
			pos++
		}
		texts[id] = b.String()
		attrs := map[string]string{}
		if rng.Intn(2) == 0 {
			attrs["role"] = "staff"
		}
		if rng.Intn(4) == 0 {
			ds.Roles.PerDoc[id] = map[string]string{"guest": "client"}
		}
		ds.Docs = append(ds.Docs, coding.Document{ID: id, Name: fmt.Sprintf("doc %d", i), CaseID: caseID, Turns: turns, Attrs: attrs, Chars: pos})
	}
	coders := []string{"ann", "bob"}
	var codings []coding.Coding
	for i := 0; i < s.codings && s.docs > 0 && s.codes > 0; i++ {
		d := &ds.Docs[rng.Intn(s.docs)]
		start := rng.Intn(d.Chars)
		end := start + 1 + rng.Intn(400)
		if end > d.Chars {
			end = d.Chars
		}
		c := coding.Coding{ID: uint64(i + 1), DocID: d.ID, CodeID: uint64(rng.Intn(s.codes) + 1), Start: start, End: end,
			Coder: coders[rng.Intn(2)], Origin: coding.OriginManual}
		switch rng.Intn(20) {
		case 0:
			c.Key = true
		case 1:
			c.Memo = "why this matters"
		}
		codings = append(codings, c)
	}
	ds.Codings, ds.CodingCount = CodingsOf(codings), len(codings)
	ds.Passages = func(ps []Passage) error { return passagesFrom(texts, ps) }
	return ds, texts
}

// codingList returns the codings of ds as Dataset.Codings yields them.
func codingList(ds *Dataset) []coding.Coding {
	var out []coding.Coding
	if ds.Codings == nil {
		return nil
	}
	err := ds.Codings(func(c *Coding) error {
		out = append(out, coding.Coding{ID: c.ID, DocID: c.DocID, CodeID: c.CodeID, Start: c.Start, End: c.End,
			Coder: string(c.Coder), Memo: string(c.Memo), Key: c.Key})
		return nil
	})
	if err != nil {
		panic(err)
	}
	return out
}

// passagesFrom is Dataset.Passages over texts held in memory; it checks
// the contract: passages sorted by document and start.
func passagesFrom(texts map[uint64]string, ps []Passage) error {
	for i := 1; i < len(ps); i++ {
		if a, b := ps[i-1], ps[i]; a.Doc > b.Doc || (a.Doc == b.Doc && a.Start > b.Start) {
			return fmt.Errorf("passages out of order: %+v before %+v", a, b)
		}
	}
	for i := 0; i < len(ps); {
		j := i
		for j < len(ps) && ps[j].Doc == ps[i].Doc {
			j++
		}
		t, ok := texts[ps[i].Doc]
		if !ok {
			return fmt.Errorf("no document %d", ps[i].Doc)
		}
		SlicePassages([]byte(t), utf8.RuneCountInString(t), ps[i:j])
		i = j
	}
	return nil
}

// benchSpec is the size named in the issue.
var benchSpec = genSpec{docs: 1000, cases: 200, codes: 100, codings: 100000, turns: 40, turnLen: 250}
