package project

import (
	"context"
	"fmt"
	"sort"
	"strconv"

	"github.com/tacit-qda/tacit/coding"
	"github.com/tacit-qda/tacit/index"
	"github.com/tacit-qda/tacit/store"
)

// WordsRequest counts the words of the selection's speech, or (with
// CompareTo) ranks the words that distinguish it from a reference.
type WordsRequest struct {
	Selection Selection `json:"selection"`
	// Top is how many words to return (0: all).
	Top int `json:"top"`
	// MinLen leaves out words shorter than this many letters (0: 1).
	MinLen int `json:"min_len,omitempty"`
	// MinCount leaves out words seen fewer times in the selection (0: 1).
	MinCount int `json:"min_count,omitempty"`
	// NGram is 1 for words, 2 for pairs of adjacent words (0: 1).
	NGram         int  `json:"ngram,omitempty"`
	KeepStopWords bool `json:"keep_stop_words,omitempty"`
	// AllWords counts every word: stop words and the fillers of spoken
	// language ("um", "like", "yeah"), which are left out by default.
	AllWords bool `json:"all_words,omitempty"`
	// CompareTo is "" (plain counts), "all" (the rest of the project),
	// "code" (the rest of the coded text) or "case" (the rest of the
	// selection's cases).
	CompareTo string `json:"compare_to,omitempty"`
}

// WordCount is a word with its count and rate per thousand words.
type WordCount = index.WordCount

// Keyword is a word that distinguishes a selection, with its G2 and p.
type Keyword = index.Keyword

// WordsResult is what 'tacit words --json' prints.
type WordsResult struct {
	Words       int         `json:"total_words"`
	RefWords    *int        `json:"ref_total_words,omitempty"`
	CompareTo   string      `json:"compare_to,omitempty"`
	Frequent    []WordCount `json:"words,omitempty"`
	Distinctive []Keyword   `json:"keywords,omitempty"`
}

// Words counts words.
func (p *Project) Words(ctx context.Context, req WordsRequest) (*WordsResult, error) {
	if req.NGram == 0 {
		req.NGram = 1
	}
	if req.MinLen == 0 {
		req.MinLen = 1
	}
	if req.MinCount == 0 {
		req.MinCount = 1
	}
	if req.NGram != 1 && req.NGram != 2 {
		return nil, coding.Errorf(coding.EInvalid, "an n-gram is 1 or 2 words, not %d", req.NGram)
	}
	switch req.CompareTo {
	case "", "all", "code", "case":
	default:
		return nil, coding.Errorf(coding.EInvalid, "words compare to all, code or case, not %q", req.CompareTo)
	}
	if req.Top < 0 || req.MinLen < 1 || req.MinCount < 1 {
		return nil, coding.Errorf(coding.EInvalid, "top must be 0 or more, the minimum length and count 1 or more")
	}
	if req.CompareTo != "" && req.Selection.Empty() {
		return nil, coding.Errorf(coding.EInvalid, "a comparison needs a selection to compare (codes, roles, cases, ...)")
	}
	wo := index.WordOptions{MinLen: req.MinLen, NGram: req.NGram, KeepStopWords: req.KeepStopWords || req.AllWords, KeepFillers: req.AllWords}
	sub, ref := index.NewWordCounter(wo), index.NewWordCounter(wo)
	err := p.Store.View(func(tx *store.Tx) error {
		sel, err := req.Selection.resolve(tx)
		if err != nil {
			return err
		}
		var coded index.Spans
		if req.CompareTo == "code" {
			if coded, err = allCodedSpans(tx, sel); err != nil {
				return err
			}
		}
		subCases := map[uint64]bool{}
		type part struct {
			doc   *coding.Document
			text  string
			spans []index.Span // reference spans before the subset is removed
			sub   []index.Span
		}
		var parts []part
		for _, d := range sel.docs {
			if err := ctx.Err(); err != nil {
				return err
			}
			text, err := tx.Text(d.ID)
			if err != nil {
				return err
			}
			off := coding.NewOffsets(text)
			lng := sel.lang(d)
			pt := part{doc: d, text: text}
			for _, t := range d.Turns {
				turn := []index.Span{{Start: t.Start, End: t.End}}
				var s []index.Span
				if sel.turnOK(d, t) {
					s = turn
					if sel.inside != nil {
						s = intersect(s, sel.inside[d.ID])
					}
					if sel.outside != nil {
						s = subtract(s, sel.outside[d.ID])
					}
				}
				for _, sp := range s {
					sub.Add(off.Slice(sp.Start, sp.End), lng)
				}
				if len(s) > 0 {
					subCases[d.CaseID] = true
				}
				pt.sub = append(pt.sub, s...)
				switch req.CompareTo {
				case "all", "case":
					pt.spans = append(pt.spans, turn...)
				case "code":
					pt.spans = append(pt.spans, intersect(turn, coded[d.ID])...)
				}
			}
			parts = append(parts, pt)
		}
		if req.CompareTo == "" {
			return nil
		}
		for _, pt := range parts {
			if req.CompareTo == "case" && !subCases[pt.doc.CaseID] {
				continue
			}
			off := coding.NewOffsets(pt.text)
			for _, sp := range subtract(pt.spans, pt.sub) {
				ref.Add(off.Slice(sp.Start, sp.End), sel.lang(pt.doc))
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if req.CompareTo == "" {
		return &WordsResult{Words: sub.Total(), Frequent: nonNil(sub.Top(req.Top, req.MinCount))}, nil
	}
	n := ref.Total()
	return &WordsResult{Words: sub.Total(), RefWords: &n, CompareTo: req.CompareTo,
		Distinctive: nonNil(index.Keywords(sub, ref, req.Top, req.MinCount))}, nil
}

// allCodedSpans returns the spans of every coding (by the selected coders).
func allCodedSpans(tx *store.Tx, sel *selection) (index.Spans, error) {
	sp := index.Spans{}
	err := tx.Codings(func(c *coding.Coding) error {
		if sel.coderOK(c.Coder) {
			sp.Add(c.DocID, c.Start, c.End)
		}
		return nil
	})
	sp.Normalize()
	return sp, err
}

// intersect returns the parts of a that lie inside b (both sorted, merged).
func intersect(a, b []index.Span) []index.Span {
	var out []index.Span
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		s, e := max(a[i].Start, b[j].Start), min(a[i].End, b[j].End)
		if s < e {
			out = append(out, index.Span{Start: s, End: e})
		}
		if a[i].End < b[j].End {
			i++
		} else {
			j++
		}
	}
	return out
}

// subtract returns the parts of a outside b (b sorted and merged; a's
// spans need not be sorted but must not overlap each other).
func subtract(a, b []index.Span) []index.Span {
	var out []index.Span
	for _, sp := range a {
		cur := sp.Start
		for _, x := range b {
			if x.End <= cur || x.Start >= sp.End {
				continue
			}
			if x.Start > cur {
				out = append(out, index.Span{Start: cur, End: x.Start})
			}
			cur = max(cur, x.End)
		}
		if cur < sp.End {
			out = append(out, index.Span{Start: cur, End: sp.End})
		}
	}
	return out
}

// ActionAutocode is the audit action of an autocode run.
const ActionAutocode = store.ActionAutocode

// The units autocode codes around a match.
const (
	UnitTurn      = index.UnitTurn
	UnitSentence  = index.UnitSentence
	UnitParagraph = index.UnitParagraph
)

// AutocodeRequest codes every hit of a search with one code.
type AutocodeRequest struct {
	Code      string    `json:"code"`
	Query     string    `json:"query,omitempty"`
	Regex     string    `json:"regex,omitempty"`
	Selection Selection `json:"selection"`
	// Unit is what is coded around each match: turn (default), sentence
	// or paragraph.
	Unit   string `json:"unit,omitempty"`
	DryRun bool   `json:"dry_run,omitempty"`
}

// AutoCoding is one passage an autocode run codes (or would code).
type AutoCoding struct {
	ID      uint64 `json:"id,omitempty"`
	Doc     uint64 `json:"doc"`
	DocName string `json:"doc_name"`
	Start   int    `json:"start"`
	End     int    `json:"end"`
	Text    string `json:"text"`
}

// AutocodeResult is what 'tacit autocode --json' prints.
type AutocodeResult struct {
	Code    string       `json:"code"`
	Query   string       `json:"query"`
	Unit    string       `json:"unit"`
	DryRun  bool         `json:"dry_run"`
	Group   uint64       `json:"group,omitempty"`
	Hits    int          `json:"hits"`
	Added   int          `json:"added"`
	Skipped int          `json:"skipped"`
	Codings []AutoCoding `json:"codings"`
}

// queryLabel is what an auto coding records as its query.
func (r *AutocodeRequest) queryLabel() string {
	switch {
	case r.Regex == "":
		return r.Query
	case r.Query == "":
		return "--regex " + r.Regex
	}
	return r.Query + " --regex " + r.Regex
}

// Autocode codes every hit of a search as the acting coder, in one
// transaction with one audit event whose id is the run's group.
func (p *Project) Autocode(ctx context.Context, req AutocodeRequest) (*AutocodeResult, error) {
	if req.Query == "" && req.Regex == "" {
		return nil, coding.Errorf(coding.EInvalid, "autocode needs a query or a regular expression")
	}
	if req.Unit == "" {
		req.Unit = index.UnitTurn
	}
	switch req.Unit {
	case index.UnitTurn, index.UnitSentence, index.UnitParagraph:
	default:
		return nil, coding.Errorf(coding.EInvalid, "unknown unit %q; use turn, sentence or paragraph", req.Unit)
	}
	if err := ValidateSearch(req.Query, req.Regex); err != nil {
		return nil, err
	}
	actor := p.actor(ctx)
	if _, err := p.Index(ctx); err != nil {
		return nil, err
	}
	var code *coding.Code
	var codePath string
	ir := index.Request{Query: req.Query, Regex: req.Regex, Sort: index.SortDoc}
	err := p.Store.View(func(tx *store.Tx) error {
		sel, err := req.Selection.resolve(tx)
		if err != nil {
			return err
		}
		ir.Filter = sel.filter
		if code, err = sel.codebook.Resolve(req.Code); err != nil {
			return err
		}
		codePath = sel.codebook.Path(code.ID)
		return nil
	})
	if err != nil {
		return nil, err
	}
	res, err := p.SearchIndex(ctx, ir)
	if err != nil {
		return nil, err
	}
	// The passages to code, per document, without duplicates.
	type key struct {
		doc        uint64
		start, end int
	}
	seen := map[key]bool{}
	var spans []AutoCoding
	for _, h := range res.Hits {
		ms := h.Matches
		if len(ms) == 0 || req.Unit == index.UnitTurn {
			ms = []index.Match{{Start: h.TurnStart, End: h.TurnStart}}
		}
		off := coding.NewOffsets(h.Text)
		for _, m := range ms {
			s, e := index.UnitSpanOf(off, h.Text, m.Start-h.TurnStart, m.End-h.TurnStart, req.Unit)
			if s >= e {
				continue
			}
			k := key{h.Doc, h.TurnStart + s, h.TurnStart + e}
			if seen[k] {
				continue
			}
			seen[k] = true
			spans = append(spans, AutoCoding{Doc: h.Doc, DocName: h.DocName, Start: k.start, End: k.end, Text: off.Slice(s, e)})
		}
	}
	sort.SliceStable(spans, func(i, j int) bool {
		if spans[i].DocName != spans[j].DocName {
			return spans[i].DocName < spans[j].DocName
		}
		return spans[i].Start < spans[j].Start
	})
	out := &AutocodeResult{Code: codePath, Query: req.queryLabel(), Unit: req.Unit, DryRun: req.DryRun, Hits: res.Total, Codings: []AutoCoding{}}
	write := func(tx *store.Tx) error {
		existing := map[key]bool{}
		byDoc := map[uint64]bool{}
		for _, sp := range spans {
			if byDoc[sp.Doc] {
				continue
			}
			byDoc[sp.Doc] = true
			cs, err := tx.CodingsByDoc(sp.Doc)
			if err != nil {
				return err
			}
			for _, c := range cs {
				if c.CodeID == code.ID && c.Coder == actor {
					existing[key{c.DocID, c.Start, c.End}] = true
				}
			}
		}
		var fresh []AutoCoding
		for _, sp := range spans {
			if existing[key{sp.Doc, sp.Start, sp.End}] {
				out.Skipped++
				continue
			}
			fresh = append(fresh, sp)
		}
		out.Added = len(fresh)
		if req.DryRun || len(fresh) == 0 {
			out.Codings = nonNil(fresh)
			return nil
		}
		// The group id is the id of this run's audit event, logged last so
		// that its undo data covers every coding.
		var last uint64
		if err := tx.Events(func(e *coding.Event) bool { last = e.ID; return false }); err != nil {
			return err
		}
		out.Group = last + 1
		now := tx.Now()
		for i := range fresh {
			c := coding.Coding{DocID: fresh[i].Doc, CodeID: code.ID, Start: fresh[i].Start, End: fresh[i].End,
				Coder: actor, Origin: coding.OriginAuto, Group: out.Group, Query: out.Query, CreatedAt: now}
			if err := tx.AddCoding(&c); err != nil {
				return err
			}
			fresh[i].ID = c.ID
		}
		out.Codings = fresh
		ev := &coding.Event{Actor: actor, Action: store.ActionAutocode, Target: fmt.Sprintf("code:%d", code.ID),
			Summary: fmt.Sprintf("autocoded %d passages with %q from the query %s (unit %s, group %d)",
				len(fresh), codePath, strconv.Quote(out.Query), req.Unit, out.Group)}
		if err := tx.Log(ev); err != nil {
			return err
		}
		if ev.ID != out.Group {
			return coding.Errorf(coding.EInternal, "autocode group %d does not match its event %d; nothing was written", out.Group, ev.ID)
		}
		return nil
	}
	if req.DryRun {
		err = p.Store.View(write)
	} else {
		err = p.Store.Update(write)
	}
	if err != nil {
		return nil, err
	}
	return out, nil
}
