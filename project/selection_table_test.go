package project

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/tacit-qda/tacit/coding"
)

// filterCase is one filter as every operation spells it.
type filterCase struct {
	name string
	sel  Selection
	// docLevel: the filter keeps whole documents (doc, case, attr, lang);
	// turnLevel: whole turns (speaker, role); else it keeps coded text
	// (code, coder).
	docLevel, turnLevel bool
}

// TestEveryCommandSelectsTheSamePassages runs search, autocode --dry-run,
// words, codings, the three reports and agreement with each filter on the
// demo project (with an attribute of a case, one of a document that
// overrides it, and names spelled in another case of letters) and checks
// that they select the same documents, turns and codings: the sets, not
// only their sizes (issue 15).
func TestEveryCommandSelectsTheSamePassages(t *testing.T) {
	p := openDemo(t, Options{})
	ctx := WithActor(context.Background(), "dana")
	// region: the case S1's attribute; staff-ruth (in S1) overrides it.
	if _, err := p.ChangeAttrs(ctx, AttrRequest{Target: "S1 Step by step", Set: map[string]string{"region": "south"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := p.ChangeAttrs(ctx, AttrRequest{Target: "staff-ruth", Doc: true, Set: map[string]string{"region": "North"}}); err != nil {
		t.Fatal(err)
	}
	// A coding in a header unit (client-yaakov's turn 0, the text before
	// the first spoken turn): it has no speaker and no role, though the
	// document's role attribute is client.
	if sh, err := p.Show(ctx, ShowRequest{Doc: "client-yaakov"}); err != nil || !sh.Turns[0].Header {
		t.Fatalf("client-yaakov has no header unit: %v", err)
	}
	if _, err := p.Tag(ctx, TagRequest{Doc: "client-yaakov", Codes: []string{"Tone/Hopeful"}, Ranges: []string{"0:20"}}); err != nil {
		t.Fatal(err)
	}

	cases := []filterCase{
		{name: "all", docLevel: true},
		{name: "doc", sel: Selection{Docs: []string{"CLIENT-MOSHE"}}, docLevel: true},
		{name: "case", sel: Selection{Cases: []string{"s2 a new career"}}, docLevel: true},
		{name: "case attr", sel: Selection{Attrs: map[string]string{"Region": "SOUTH"}}, docLevel: true},
		{name: "doc attr over case attr", sel: Selection{Attrs: map[string]string{"region": "north"}}, docLevel: true},
		{name: "doc attr", sel: Selection{Attrs: map[string]string{"department": "Elderly"}}, docLevel: true},
		{name: "case-only attr", sel: Selection{Attrs: map[string]string{"POPULATION": "adults"}}, docLevel: true},
		{name: "lang", sel: Selection{Langs: []string{"HE"}}, docLevel: true},
		{name: "speaker", sel: Selection{Speakers: []string{"moshe"}}, turnLevel: true},
		{name: "role", sel: Selection{Roles: []string{"Client"}}, turnLevel: true},
		{name: "role and lang", sel: Selection{Roles: []string{"staff"}, Langs: []string{"ar"}}, turnLevel: true},
		{name: "code", sel: Selection{Codes: []string{"Principles/Crisis as a lever for change"}}},
		{name: "code with sub-codes", sel: Selection{Codes: []string{"tone"}}},
		{name: "coder", sel: Selection{Coders: []string{"YOSSI"}}},
	}
	all, err := p.Codings(ctx, CodingsRequest{})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range all.Codings {
		if r.DocName == "client-yaakov" && r.Start == 0 && r.End == 20 && (r.Role != "" || r.Turn != 0) {
			t.Errorf("the header coding has role %q, turn %d", r.Role, r.Turn)
		}
	}
	for _, fc := range cases {
		t.Run(fc.name, func(t *testing.T) {
			sel := fc.sel
			// search: every non-empty turn that passes.
			sr, err := p.Search(ctx, SearchRequest{Regex: `(?s).`, Selection: sel})
			if err != nil {
				t.Fatal(err)
			}
			turns, docs := map[string]bool{}, map[string]bool{}
			speakers := map[string]bool{}
			for _, h := range sr.Hits {
				turns[fmt.Sprintf("%s#%d", h.DocName, h.Turn)] = true
				docs[h.DocName] = true
				speakers[h.Speaker] = true
			}
			if len(turns) == 0 {
				t.Fatal("the filter selects nothing; the test needs a filter that selects something")
			}

			// autocode --dry-run: the same turns.
			ar, err := p.Autocode(ctx, AutocodeRequest{Code: "Tone/Hopeful", Regex: `(?s).`, Selection: sel, Unit: UnitTurn, DryRun: true})
			if err != nil {
				t.Fatal(err)
			}
			auto := map[string]bool{}
			for _, c := range ar.Codings {
				auto[fmt.Sprintf("%s#%d", c.DocName, turnAtOffset(t, p, c.DocName, c.Start))] = true
			}
			sameSet(t, "autocode turns vs search turns", auto, turns)

			// codings: the codings of the passing documents / turns / codes.
			cr, err := p.Codings(ctx, codingsFor(sel))
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]bool{}
			gotDocs := map[string]bool{}
			byDoc := map[string]int{}
			caseSet := map[string]bool{}
			for _, r := range cr.Codings {
				got[fmt.Sprint(r.ID)] = true
				gotDocs[r.DocName] = true
				byDoc[r.DocName]++
				caseSet[r.Case] = true
				if !turns[fmt.Sprintf("%s#%d", r.DocName, r.Turn)] && (fc.docLevel || fc.turnLevel) {
					t.Errorf("coding %d (%s#%d) is outside the turns search selects", r.ID, r.DocName, r.Turn)
				}
			}
			switch {
			case fc.docLevel || fc.turnLevel:
				want := map[string]bool{}
				for _, r := range all.Codings {
					if fc.docLevel && docs[r.DocName] || fc.turnLevel && turns[fmt.Sprintf("%s#%d", r.DocName, r.Turn)] {
						want[fmt.Sprint(r.ID)] = true
					}
				}
				sameSet(t, "codings vs the codings of the searched turns", got, want)
			default:
				// Coded text: search keeps the turns the codings overlap.
				sameSet(t, "documents of codings vs of search", gotDocs, docs)
			}

			// words: the same text as a selection by the documents (or
			// speakers) that search found.
			if fc.docLevel || fc.turnLevel {
				wr, err := p.Words(ctx, WordsRequest{Selection: sel})
				if err != nil {
					t.Fatal(err)
				}
				alt := Selection{Docs: keys(docs)}
				if fc.turnLevel {
					alt.Speakers = keys(speakers)
				}
				wa, err := p.Words(ctx, WordsRequest{Selection: alt})
				if err != nil {
					t.Fatal(err)
				}
				if wr.Words == 0 || wr.Words != wa.Words {
					t.Errorf("words: %d with the filter, %d in the documents/speakers search found", wr.Words, wa.Words)
				}
			}

			// Reports (no code filter: reports count codes).
			if len(sel.Codes) > 0 {
				return
			}
			rf := ReportFilter{Coders: sel.Coders, Roles: sel.Roles, Docs: sel.Docs, Cases: sel.Cases, Attrs: sel.Attrs,
				Speakers: sel.Speakers, Langs: sel.Langs}
			m, err := p.Matrix(ctx, MatrixRequest{Filter: rf, Rows: "doc", Cols: "coder"})
			if err != nil {
				t.Fatal(err)
			}
			mDoc := map[string]int{}
			for _, r := range m.Rows {
				if r.Total > 0 {
					mDoc[r.Label] = r.Total
				}
			}
			if fmt.Sprint(sortedCounts(mDoc)) != fmt.Sprint(sortedCounts(byDoc)) {
				t.Errorf("matrix codings per document %v, codings %v", sortedCounts(mDoc), sortedCounts(byDoc))
			}
			rec, err := p.Recurrence(ctx, RecurrenceRequest{Filter: rf, Quotes: 1})
			if err != nil {
				t.Fatal(err)
			}
			if rec.Codings != len(cr.Codings) {
				t.Errorf("recurrence counts %d codings, codings lists %d", rec.Codings, len(cr.Codings))
			}
			present := map[string]bool{}
			for _, c := range rec.Codes {
				for _, name := range c.Present {
					present[name] = true
				}
			}
			sameSet(t, "recurrence cases vs codings cases", present, caseSet)
			if _, err := p.Cooccurrence(ctx, CooccurrenceRequest{Filter: rf}); err != nil {
				t.Fatal(err)
			}

			// agreement: the documents both coders coded among those
			// search selects (document filters only).
			if !fc.docLevel {
				return
			}
			ag, err := p.Agreement(ctx, AgreementRequest{Coders: []string{"Dana", "yossi"}, Cases: sel.Cases, Attrs: sel.Attrs,
				Langs: sel.Langs, Docs: sel.Docs})
			if err != nil {
				if strings.Contains(err.Error(), "no document") {
					return // the filter keeps no document both coded
				}
				t.Fatal(err)
			}
			for _, d := range ag.Docs {
				if !docs[d.Name] {
					t.Errorf("agreement compares %s, which the filter does not select", d.Name)
				}
			}
			if len(sel.Docs) == 0 {
				want := map[string]bool{}
				coded := map[string]map[string]bool{}
				for _, r := range all.Codings {
					if coded[r.DocName] == nil {
						coded[r.DocName] = map[string]bool{}
					}
					coded[r.DocName][strings.ToLower(r.Coder)] = true
				}
				for d := range docs {
					if coded[d]["dana"] && coded[d]["yossi"] {
						want[d] = true
					}
				}
				gotAg := map[string]bool{}
				for _, d := range ag.Docs {
					gotAg[d.Name] = true
				}
				sameSet(t, "agreement documents", gotAg, want)
			}
		})
	}
}

// TestUnknownNamesAreNotFoundEverywhere: a name that matches nothing is a
// not-found error naming the nearest names in every operation that takes
// it, never an empty answer.
func TestUnknownNamesAreNotFoundEverywhere(t *testing.T) {
	p := openDemo(t, Options{})
	ctx := WithActor(context.Background(), "dana")
	for _, sel := range []Selection{
		{Speakers: []string{"Mosh"}}, {Roles: []string{"clients"}}, {Coders: []string{"danna"}},
		{Cases: []string{"S9 Nothing"}}, {Docs: []string{"client-mosh"}}, {Langs: []string{"fr"}},
	} {
		checks := map[string]error{}
		_, checks["search"] = p.Search(ctx, SearchRequest{Query: "crisis", Selection: sel})
		_, checks["words"] = p.Words(ctx, WordsRequest{Selection: sel})
		_, checks["codings"] = p.Codings(ctx, codingsFor(sel))
		rf := ReportFilter{Coders: sel.Coders, Roles: sel.Roles, Docs: sel.Docs, Cases: sel.Cases, Speakers: sel.Speakers, Langs: sel.Langs}
		_, checks["recurrence"] = p.Recurrence(ctx, RecurrenceRequest{Filter: rf})
		_, checks["matrix"] = p.Matrix(ctx, MatrixRequest{Filter: rf})
		if len(sel.Speakers)+len(sel.Roles) == 0 {
			_, checks["agreement"] = p.Agreement(ctx, AgreementRequest{Coders: append([]string{"dana", "yossi"}, sel.Coders...),
				Docs: sel.Docs, Cases: sel.Cases, Langs: sel.Langs})
		}
		for op, err := range checks {
			if coding.ErrorKind(err) != coding.ENotFound || !strings.Contains(err.Error(), "no ") {
				t.Errorf("%s with %+v: %v (%s), want not found", op, sel, err, coding.ErrorKind(err))
			}
		}
	}
}

// codingsFor is a Selection as a CodingsRequest (one value per field).
func codingsFor(sel Selection) CodingsRequest {
	first := func(v []string) string {
		if len(v) == 0 {
			return ""
		}
		return v[0]
	}
	return CodingsRequest{Doc: first(sel.Docs), Case: first(sel.Cases), Speaker: first(sel.Speakers), Role: first(sel.Roles),
		Attrs: sel.Attrs, Langs: sel.Langs, Code: first(sel.Codes), Coders: sel.Coders}
}

// turnAtOffset is the index of the turn of document name that holds pos.
func turnAtOffset(t *testing.T, p *Project, name string, pos int) int {
	t.Helper()
	sh, err := p.Show(context.Background(), ShowRequest{Doc: name})
	if err != nil {
		t.Fatal(err)
	}
	for _, tr := range sh.Turns {
		if tr.Start <= pos && pos < tr.End {
			return tr.Index
		}
	}
	return -1
}

func sameSet(t *testing.T, what string, got, want map[string]bool) {
	t.Helper()
	var missing, extra []string
	for k := range want {
		if !got[k] {
			missing = append(missing, k)
		}
	}
	for k := range got {
		if !want[k] {
			extra = append(extra, k)
		}
	}
	if len(missing)+len(extra) > 0 {
		sort.Strings(missing)
		sort.Strings(extra)
		t.Errorf("%s: %d missing %v, %d extra %v", what, len(missing), clipList(missing), len(extra), clipList(extra))
	}
}

func clipList(v []string) []string {
	if len(v) > 6 {
		return append(v[:6:6], "...")
	}
	return v
}

func keys(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func sortedCounts(m map[string]int) []string {
	var out []string
	for k, v := range m {
		out = append(out, fmt.Sprintf("%s=%d", k, v))
	}
	sort.Strings(out)
	return out
}
