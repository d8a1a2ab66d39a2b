package project

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/tacit-qda/tacit/index"
	"github.com/tacit-qda/tacit/store"
)

// TestWarmSearchFollowsChanges: a warm project (tacit serve) keeps the
// selections its searches resolved, and a change (a tag, its undo, a new
// code) makes the next search resolve them again: every search gives what
// a cold project gives.
func TestWarmSearchFollowsChanges(t *testing.T) {
	p := openDemo(t, Options{})
	p.KeepWarm()
	ctx := WithActor(context.Background(), "dana")
	reqs := []SearchRequest{
		{Regex: `(?s).`, Selection: Selection{Codes: []string{"tone"}}},
		{Query: "family", Selection: Selection{Codes: []string{"tone"}}, CountBy: CountCode},
		{Regex: `(?s).`, Selection: Selection{NotCodes: []string{"tone"}}},
		{Query: "crisis", Selection: Selection{Coders: []string{"dana"}}},
		{Query: "crisis", CountBy: CountCode},
	}
	// cold is what a project without the cache finds.
	cold := func(req SearchRequest) string {
		t.Helper()
		saved, spans := p.sels, p.spans
		p.sels, p.spans = nil, nil
		defer func() { p.sels, p.spans = saved, spans }()
		return show(t, p, req)
	}
	// Every turn's spans, read warm (twice: then from the cache) and cold.
	var refs []index.TurnRef
	docs, err := p.Docs(ctx, DocsRequest{})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range docs.Documents {
		for k := 0; k < d.Turns; k++ {
			refs = append(refs, index.TurnRef{Doc: d.ID, Turn: k})
		}
	}
	check := func(when string) {
		t.Helper()
		want, err := p.readTurns(refs, true)
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 2; i++ {
			got, err := p.turnSpans(refs)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, want) {
				t.Errorf("%s, turn spans %d differ from the store's", when, i+1)
			}
		}
		for _, req := range reqs {
			want := cold(req)
			for i := 0; i < 2; i++ { // resolve, then from the cache
				if got := show(t, p, req); got != want {
					t.Errorf("%s, %+v, search %d:\n got %s\nwant %s", when, req, i+1, got, want)
				}
			}
		}
	}
	check("at first")
	before := show(t, p, reqs[0])
	// A tag of a Tone code on a turn outside every Tone coding.
	all, err := p.Search(ctx, SearchRequest{Regex: `(?s).`})
	if err != nil {
		t.Fatal(err)
	}
	toned, err := p.Search(ctx, reqs[0])
	if err != nil {
		t.Fatal(err)
	}
	in := map[string]bool{}
	for _, h := range toned.Hits {
		in[h.ID] = true
	}
	var target *SearchHit
	for i := range all.Hits {
		if h := &all.Hits[i]; !in[h.ID] && h.TurnEnd-h.TurnStart > 10 {
			target = h
			break
		}
	}
	if target == nil {
		t.Fatal("every turn has a Tone coding: the test needs one without")
	}
	rng := fmt.Sprintf("%d:%d", target.TurnStart, target.TurnStart+10)
	if _, err := p.Tag(ctx, TagRequest{Doc: target.DocName, Codes: []string{"Tone/Hopeful"}, Ranges: []string{rng}}); err != nil {
		t.Fatal(err)
	}
	check("after a tag")
	if after := show(t, p, reqs[0]); after == before {
		t.Fatal("the tag did not change what a search by its code finds")
	}
	if _, err := p.Undo(ctx, UndoRequest{}); err != nil {
		t.Fatal(err)
	}
	check("after its undo")
	if got := show(t, p, reqs[0]); got != before {
		t.Errorf("after the undo:\n got %s\nwant %s", got, before)
	}
	// A renamed document's turns are named anew.
	if _, err := p.RenameDocument(ctx, RenameDocumentRequest{Doc: target.DocName, NewName: "renamed-" + target.DocName}); err != nil {
		t.Fatal(err)
	}
	check("after a rename")
	spans, err := p.turnSpans(refs)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(spans, func(t index.TurnInfo) bool { return t.DocName == "renamed-"+target.DocName }) {
		t.Error("after the rename, the turn spans do not name the document anew")
	}
}

func show(t *testing.T, p *Project, req SearchRequest) string {
	t.Helper()
	res, err := p.Search(WithActor(context.Background(), "dana"), req)
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(res)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestSearchBySpansReadsPageTurns: a search filtered by codes reads its
// hits' spans (turnSpans, no text for a text of one byte per code point)
// and then the page's turns in full; it finds what reading every hit's
// turn in full finds, on the demo's English, Hebrew and Arabic documents.
func TestSearchBySpansReadsPageTurns(t *testing.T) {
	p := openDemo(t, Options{})
	ctx := WithActor(context.Background(), "dana")
	x, err := p.Index(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var reqs []SearchRequest
	for _, q := range []string{"crisis", "family", "כבוד", "respect*", `"turning point"`, "the", "a*"} {
		for _, sel := range []Selection{{Codes: []string{"tone"}}, {NotCodes: []string{"tone"}}, {Coders: []string{"dana"}},
			{Codes: []string{"Principles/Crisis as a lever for change"}, Roles: []string{"client"}}} {
			for _, page := range [][2]int{{0, 0}, {3, 0}, {2, 1}, {50, 0}} {
				reqs = append(reqs, SearchRequest{Query: q, Selection: sel, Limit: page[0], Offset: page[1]})
			}
			reqs = append(reqs, SearchRequest{Query: q, Selection: sel, Limit: 5, CountBy: CountCode})
		}
	}
	hits := 0
	for _, req := range reqs {
		x.SetTurnSpans(nil)
		want := show(t, p, req)
		x.SetTurnSpans(p.turnSpans)
		if got := show(t, p, req); got != want {
			t.Errorf("%+v:\n got %s\nwant %s", req, got, want)
		}
		if !strings.Contains(want, `"total":0`) {
			hits++
		}
	}
	if hits < len(reqs)/2 {
		t.Errorf("only %d of %d searches find something", hits, len(reqs))
	}
}

// TestTurnSpansAreTurnInfos: turnSpans gives, for every turn of the demo,
// the name, offsets and text (or, for a text of one byte per code point,
// its length) that turnInfos gives.
func TestTurnSpansAreTurnInfos(t *testing.T) {
	p := openDemo(t, Options{})
	var refs []index.TurnRef
	err := p.Store.View(func(tx *store.Tx) error {
		docs, err := tx.Documents(true)
		for _, d := range docs {
			for _, tn := range d.Turns {
				refs = append(refs, index.TurnRef{Doc: d.ID, Turn: tn.Index})
			}
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	// Every turn, and a few in another order and twice.
	refs = append(refs, refs[len(refs)-1], refs[0], refs[len(refs)/2], refs[0])
	full, err := p.turnInfos(refs)
	if err != nil {
		t.Fatal(err)
	}
	spans, err := p.turnSpans(refs)
	if err != nil {
		t.Fatal(err)
	}
	ascii, other := 0, 0
	for i, f := range full {
		s := spans[i]
		if s.DocName != f.DocName || s.Start != f.Start || s.End != f.End {
			t.Errorf("%v: spans %+v, turn %+v", refs[i], s, f)
		}
		if s.ASCII {
			ascii++
			if s.Text != "" || s.Len != len(f.Text) || utf8.RuneCountInString(f.Text) != len(f.Text) {
				t.Errorf("%v: ASCII with length %d, text %q", refs[i], s.Len, f.Text)
			}
		} else {
			other++
			if s.Text != f.Text {
				t.Errorf("%v: text %q, want %q", refs[i], s.Text, f.Text)
			}
		}
	}
	if ascii == 0 || other == 0 {
		t.Errorf("%d ASCII turns, %d others: the demo should have both", ascii, other)
	}
}

// TestSearchHitsFollowRolesAndCases: the role map and case names that
// search hits show are kept per store revision (hitCache); a new role or a
// renamed case shows in the next search of the same project.
func TestSearchHitsFollowRolesAndCases(t *testing.T) {
	p := openDemo(t, Options{})
	ctx := WithActor(context.Background(), "dana")
	find := func() SearchHit {
		t.Helper()
		for range 2 { // read, then kept
			res, err := p.Search(ctx, SearchRequest{Query: "crisis"})
			if err != nil {
				t.Fatal(err)
			}
			for _, h := range res.Hits {
				if h.Case != "" && h.Speaker != "" && h.Role != "" {
					return h
				}
			}
		}
		t.Fatal("no hit of crisis has a case, a speaker and a role: the test needs one")
		return SearchHit{}
	}
	h := find()
	if _, err := p.SetRole(ctx, SetRoleRequest{Speaker: h.Speaker, Role: "mediator", Doc: h.DocName}); err != nil {
		t.Fatal(err)
	}
	if got := find(); got.ID != h.ID || got.Role != "mediator" {
		t.Errorf("after the role was set, the hit %s shows role %q, want mediator (was %q)", got.ID, got.Role, h.Role)
	}
	if _, err := p.RenameCase(ctx, RenameCaseRequest{Case: h.Case, NewName: "Renamed case"}); err != nil {
		t.Fatal(err)
	}
	if got := find(); got.ID != h.ID || got.Case != "Renamed case" {
		t.Errorf("after the case was renamed, the hit %s shows case %q, want Renamed case (was %q)", got.ID, got.Case, h.Case)
	}
}
