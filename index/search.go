package index

import (
	"context"
	"errors"
	"fmt"
	"math"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	"golang.org/x/text/unicode/norm"

	"github.com/tacit-qda/tacit/coding"
)

// QueryFields maps the field names a user may write in a query string
// (speaker:ruth, case:"S3 True dignity") to index fields.
var QueryFields = map[string]string{
	"text":      FieldText,
	"speaker":   FieldSpeaker,
	"role":      FieldRole,
	"case":      FieldCase,
	"story":     FieldCase,
	"doc":       FieldDocName,
	"document":  FieldDocName,
	"doc_name":  FieldDocName,
	"lang":      FieldLang,
	"language":  FieldLang,
	"attr":      FieldAttr,
	"attribute": FieldAttr,
	"turn":      FieldTurn,
	"doc_id":    FieldDoc,
}

// queryFieldNames lists the documented field names for error messages.
const queryFieldNames = "text, speaker, role, case, doc, lang, attr, turn"

// Sort orders of a search.
const (
	SortScore = "score"
	SortDoc   = "doc"
)

// Count-by keys of a search.
const (
	CountCase    = "case"
	CountDoc     = "doc"
	CountSpeaker = "speaker"
	CountRole    = "role"
	CountCode    = "code"
)

// NoValue is the count-by key of hits without a case, role or code.
const NoValue = "(none)"

// Filter restricts a search to turns whose keyword fields have one of the
// given values. Within one list the values are alternatives (OR); the lists
// are combined with AND. Values are compared case-insensitively, except
// DocIDs (decimal document ids).
type Filter struct {
	Cases    []string
	DocIDs   []uint64
	Speakers []string
	Roles    []string
	Langs    []string
	// Attrs are "key=value" document attributes, all required.
	Attrs []string
	// OnlyTurns, when not nil, limits the search to these turn ids
	// (TurnID); an empty non-nil list matches nothing.
	OnlyTurns []string
	// ExcludeTurns removes these turn ids.
	ExcludeTurns []string
}

func (f Filter) empty() bool {
	return len(f.Cases) == 0 && len(f.DocIDs) == 0 && len(f.Speakers) == 0 && len(f.Roles) == 0 &&
		len(f.Langs) == 0 && len(f.Attrs) == 0 && f.OnlyTurns == nil && len(f.ExcludeTurns) == 0
}

// Span is a half-open range [Start,End) of code points in a document.
type Span struct {
	Start int `json:"start"`
	End   int `json:"end"`
}

// Spans holds, per document id, a set of ranges (the codings of a code,
// say). Build it with Add and call Normalize before use.
type Spans map[uint64][]Span

// Add adds [start,end) of document doc.
func (s Spans) Add(doc uint64, start, end int) {
	if end > start {
		s[doc] = append(s[doc], Span{start, end})
	}
}

// Normalize sorts and merges the ranges of every document.
func (s Spans) Normalize() {
	for d, list := range s {
		sort.Slice(list, func(i, j int) bool { return list[i].Start < list[j].Start })
		out := list[:0]
		for _, sp := range list {
			if n := len(out); n > 0 && sp.Start <= out[n-1].End {
				if sp.End > out[n-1].End {
					out[n-1].End = sp.End
				}
				continue
			}
			out = append(out, sp)
		}
		s[d] = out
	}
}

// Contains reports whether [start,end) of doc lies inside one range.
func (s Spans) Contains(doc uint64, start, end int) bool {
	list := s[doc]
	i := sort.Search(len(list), func(i int) bool { return list[i].End >= end })
	return i < len(list) && list[i].Start <= start && end <= list[i].End
}

// Overlaps reports whether [start,end) of doc shares a code point with a
// range.
func (s Spans) Overlaps(doc uint64, start, end int) bool {
	list := s[doc]
	i := sort.Search(len(list), func(i int) bool { return list[i].End > start })
	return i < len(list) && list[i].Start < end
}

// Request is one search.
type Request struct {
	// Query is a query string (see ParseQuery). It may be empty when Regex
	// is set: then every turn passing the filter is a candidate.
	Query string
	// Regex, when set, is a Go regular expression matched against the text
	// of the candidate turns; its matches replace the query's.
	Regex  string
	Filter Filter
	// Inside keeps only matches that lie inside one of its ranges; Outside
	// keeps only matches that overlap none of its ranges. A hit without
	// matches is tested as its whole turn. Hits left without matches drop.
	Inside, Outside Spans
	// Limit is the page size (0: all hits); Offset skips hits.
	Limit, Offset int
	// Sort is SortScore (default) or SortDoc.
	Sort string
	// CountBy asks for hit counts per case, doc, speaker, role or code;
	// for code, CountSpans holds the ranges of each code by label.
	CountBy    string
	CountSpans map[string]Spans
	// Context is the number of code points shown on each side of the first
	// match in a fragment (default 60).
	Context int
	// Mark is put before and after each match in a fragment
	// (default "**", "**").
	Mark [2]string
}

// Match is a matched word or phrase: code points [Start,End) of the
// document's text.
type Match = Span

// Hit is one matching turn.
type Hit struct {
	ID        string  `json:"-"`
	Doc       uint64  `json:"doc"`
	DocName   string  `json:"doc_name"`
	Case      string  `json:"case"`
	Turn      int     `json:"turn"`
	Speaker   string  `json:"speaker"`
	Role      string  `json:"role"`
	Score     float64 `json:"score"`
	Fragment  string  `json:"fragment"`
	Matches   []Match `json:"matches"`
	TurnStart int     `json:"turn_start"`
	TurnEnd   int     `json:"turn_end"`
	// Text is the turn's text (not in JSON).
	Text string `json:"-"`
	unit int    // Search: the turnHit it was made from
}

// Result is the outcome of a search.
type Result struct {
	Total  int            `json:"total"`
	Hits   []Hit          `json:"hits"`
	Counts map[string]int `json:"counts,omitempty"`
}

// Search runs a request against the index.
func (x *Index) Search(ctx context.Context, r Request) (*Result, error) {
	var q query.Query
	if strings.TrimSpace(r.Query) != "" {
		pq, err := ParseQuery(r.Query, x.queryAnalyzers()...)
		if err != nil {
			return nil, err
		}
		q = pq
	} else if r.Regex == "" {
		return nil, &coding.Error{Kind: coding.EInvalid, Message: "the query is empty", Next: coding.NextGiveQuery}
	} else {
		q = query.NewMatchAllQuery()
	}
	var re *regexp.Regexp
	if r.Regex != "" {
		var err error
		re, err = regexp.Compile(r.Regex)
		if err != nil {
			return nil, coding.Errorf(coding.EInvalid, "the regular expression %q does not compile: %s", r.Regex, reError(err))
		}
	}
	switch r.Sort {
	case "", SortScore, SortDoc:
	default:
		return nil, coding.Errorf(coding.EInvalid, "unknown sort %q; use score or doc", r.Sort)
	}
	switch r.CountBy {
	case "", CountCase, CountDoc, CountSpeaker, CountRole, CountCode:
	default:
		return nil, coding.Errorf(coding.EInvalid, "cannot count by %q; use case, doc, speaker, role or code", r.CountBy)
	}
	if r.Offset < 0 || r.Limit < 0 {
		return nil, coding.Errorf(coding.EInvalid, "limit and offset cannot be negative")
	}
	if r.Context <= 0 {
		r.Context = 60
	}
	if r.Mark == [2]string{} {
		r.Mark = [2]string{"**", "**"}
	}
	split, err := x.splitTurns()
	if err != nil {
		return nil, err
	}
	// The turn filters name every part of a split turn.
	r.Filter.OnlyTurns = split.expandTurnIDs(r.Filter.OnlyTurns)
	r.Filter.ExcludeTurns = split.expandTurnIDs(r.Filter.ExcludeTurns)
	full := q
	if !r.Filter.empty() {
		bq := query.NewBooleanQuery(nil, nil, nil)
		bq.AddMust(q)
		bq.AddFilter(r.Filter.query(&x.docNums))
		full = bq
	}
	// With split turns, bleve's hits are parts: all of them are read and
	// merged into turns before a page is cut.
	post := re != nil || r.Inside != nil || r.Outside != nil || r.CountBy != "" || len(split) > 0
	size, from := r.Limit, r.Offset
	if post || size == 0 {
		size, from = math.MaxInt32, 0
	}
	req := bleve.NewSearchRequestOptions(full, size, from, false)
	req.IncludeLocations = re == nil
	// A regex without a query has no scores to sort by.
	byDoc := r.Sort == SortDoc || (re != nil && r.Query == "")
	if byDoc {
		req.SortBy([]string{FieldDocName, FieldTurn})
	}
	res, err := x.idx.SearchInContext(ctx, req)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		// The query was checked before: this is the index failing (a
		// damaged segment); the caller rebuilds it.
		return nil, fmt.Errorf("search the index: %w", err)
	}
	units := mergeParts(res.Hits, re == nil)
	// Filtered by spans, every hit is read before a page is cut, but only
	// to place its matches: the turns' spans are enough there (and the
	// text of a turn that is not one byte per code point), and the page's
	// turns are read in full after. (A code's spans: 1,554 hits read for a
	// page of 10.)
	lite := post && re == nil && len(split) == 0 && !byDoc && x.spans != nil &&
		(r.CountBy == "" || r.CountBy == CountCode)
	src := x.turns
	if lite {
		src = x.spans
	}
	turns, err := x.hitTurns(units, src)
	if err != nil {
		return nil, err
	}
	out := &Result{Hits: []Hit{}}
	hits := make([]Hit, 0, len(units))
	for i := range units {
		h, ok := hitOf(&units[i], &turns[i], re)
		if !ok {
			continue
		}
		if post && !keepMatches(&h, r.Inside, r.Outside) {
			continue
		}
		if lite {
			h.unit = i
		}
		hits = append(hits, h)
	}
	if !post {
		out.Total = int(res.Total)
		sortPage(hits, r.Sort)
		out.Hits = hits
	} else {
		if r.CountBy != "" {
			out.Counts = countBy(hits, r.CountBy, r.CountSpans)
		}
		out.Total = len(hits)
		if byDoc {
			sortByDoc(hits)
		} else {
			sortPage(hits, r.Sort)
		}
		lo := min(r.Offset, len(hits))
		hi := len(hits)
		if r.Limit > 0 {
			hi = min(lo+r.Limit, len(hits))
		}
		out.Hits = hits[lo:hi]
		if lite && len(out.Hits) > 0 {
			// The page in full: the same matches, from the turns' text.
			page := make([]turnHit, len(out.Hits))
			for i := range out.Hits {
				page[i] = units[out.Hits[i].unit]
			}
			full, err := x.hitTurns(page, x.turns)
			if err != nil {
				return nil, err
			}
			for i := range page {
				h, _ := hitOf(&page[i], &full[i], nil)
				keepMatches(&h, r.Inside, r.Outside)
				out.Hits[i] = h
			}
		}
	}
	for i := range out.Hits {
		h := &out.Hits[i]
		h.Fragment, _ = Fragment(h.Text, h.TurnStart, h.Matches, r.Context, r.Mark)
	}
	return out, nil
}

// ErrOutOfStep is wrapped by a search error when the index names a turn
// that the store does not have: the index is damaged or out of step with
// the store and must be rebuilt.
var ErrOutOfStep = errors.New("the search index names turns the store does not have")

// turnHit is the hit of one turn: bleve's hits of its parts merged (most
// turns have one part).
type turnHit struct {
	id    string // the turn's id
	ref   TurnRef
	score float64 // the best part's
	// locs are the byte offsets of the matches in each part's text, by
	// part (the turn's offsets once the turn's text is read).
	locs  [][2]int
	parts []int // the part of each of locs
}

// mergeParts merges bleve's hits of the parts of a turn into one hit of
// the turn, in the order of each turn's first hit.
func mergeParts(hits bsearch.DocumentMatchCollection, locations bool) []turnHit {
	out := make([]turnHit, 0, len(hits))
	var at map[TurnRef]int
	for _, dm := range hits {
		doc, turn, part, _ := ParsePartID(dm.ID)
		ref := TurnRef{Doc: doc, Turn: turn}
		i := len(out)
		if part > 0 || at != nil {
			if at == nil {
				at = make(map[TurnRef]int, len(out))
				for k := range out {
					at[out[k].ref] = k
				}
			}
			if k, ok := at[ref]; ok {
				i = k
			} else {
				at[ref] = i
			}
		}
		if i == len(out) {
			out = append(out, turnHit{id: TurnID(doc, turn), ref: ref, score: dm.Score})
		}
		u := &out[i]
		u.score = max(u.score, dm.Score)
		if !locations {
			continue
		}
		for _, locs := range dm.Locations[FieldText] {
			for _, l := range locs {
				u.locs = append(u.locs, [2]int{int(l.Start), int(l.End)})
				u.parts = append(u.parts, part)
			}
		}
	}
	return out
}

// hitTurns reads the turn of every hit from a turn source.
func (x *Index) hitTurns(hits []turnHit, src TurnSource) ([]TurnInfo, error) {
	if len(hits) == 0 {
		return nil, nil
	}
	if src == nil {
		return nil, errors.New("the search index has no turn source (SetTurnSource)")
	}
	refs := make([]TurnRef, len(hits))
	for i := range hits {
		refs[i] = hits[i].ref
	}
	turns, err := src(refs)
	if err != nil {
		// Not wrapped: a hit the store cannot give back is the index's
		// fault (a damaged segment or an index out of step), never the
		// request's, so callers rebuild the index rather than report it.
		return nil, fmt.Errorf("read the turns of the hits: %w (%v)", ErrOutOfStep, err)
	}
	if len(turns) != len(refs) {
		return nil, fmt.Errorf("read the turns of the hits: %w (%d for %d)", ErrOutOfStep, len(turns), len(refs))
	}
	return turns, nil
}

// queryAnalyzers returns the query analyzers for the languages of the
// indexed turns. Reading the languages opens the lang field's dictionary
// in every segment (a goroutine each), a tenth of a phrase search; they
// are kept for the index snapshot they were read from, which stays the
// same until the index changes (a write or a merge makes a new one).
func (x *Index) queryAnalyzers() []string {
	var snap *scorch.IndexSnapshot
	if adv, err := x.idx.Advanced(); err == nil {
		if r, err := adv.Reader(); err == nil {
			defer r.Close()
			snap, _ = r.(*scorch.IndexSnapshot)
		}
	}
	c := &x.langs
	if snap != nil {
		c.mu.Lock()
		if c.snap == snap {
			a := c.analyzers
			c.mu.Unlock()
			return a
		}
		c.mu.Unlock()
	}
	dict, err := x.idx.FieldDict(FieldLang)
	if err != nil {
		return QueryAnalyzers()
	}
	defer dict.Close()
	var langs []string
	for {
		e, err := dict.Next()
		if err != nil {
			return QueryAnalyzers(langs...)
		}
		if e == nil {
			break
		}
		langs = append(langs, e.Term)
	}
	a := slices.Clip(QueryAnalyzers(langs...))
	if snap != nil {
		c.mu.Lock()
		c.snap, c.analyzers = snap, a
		c.mu.Unlock()
	}
	return a
}

// langCache keeps the query analyzers of one index snapshot.
type langCache struct {
	mu        sync.Mutex
	snap      *scorch.IndexSnapshot
	analyzers []string
}

func reError(err error) string {
	return strings.TrimPrefix(err.Error(), "error parsing regexp: ")
}

// query is the filter as a bleve query; its turn lists' ids are looked up
// through c.
func (f Filter) query(c *docNumCache) query.Query {
	var conj []query.Query
	anyOf := func(field string, vals []string, lower bool) {
		if len(vals) == 0 {
			return
		}
		var dis []query.Query
		for _, v := range vals {
			if lower {
				v = strings.ToLower(v)
			}
			tq := query.NewTermQuery(v)
			tq.SetField(field)
			dis = append(dis, tq)
		}
		if len(dis) == 1 {
			conj = append(conj, dis[0])
			return
		}
		conj = append(conj, query.NewDisjunctionQuery(dis))
	}
	anyOf(FieldCase, f.Cases, true)
	var ids []string
	for _, d := range f.DocIDs {
		ids = append(ids, strconv.FormatUint(d, 10))
	}
	anyOf(FieldDoc, ids, false)
	anyOf(FieldSpeaker, f.Speakers, true)
	anyOf(FieldRole, f.Roles, true)
	anyOf(FieldLang, f.Langs, true)
	for _, a := range f.Attrs {
		anyOf(FieldAttr, []string{a}, true)
	}
	if f.OnlyTurns != nil {
		if len(f.OnlyTurns) == 0 {
			conj = append(conj, query.NewMatchNoneQuery())
		} else {
			conj = append(conj, &turnIDQuery{ids: f.OnlyTurns, cache: c})
		}
	}
	if len(f.ExcludeTurns) > 0 {
		conj = append(conj, query.NewBooleanQuery(nil, nil, []query.Query{&turnIDQuery{ids: f.ExcludeTurns, cache: c}}))
	}
	if len(conj) == 1 {
		return conj[0]
	}
	return query.NewConjunctionQuery(conj)
}

// hitOf converts a bleve hit; matches come from the term locations, or from
// re over the turn's text when re is set. It reports false, before building
// the hit, when re is set and does not match the turn.
func hitOf(u *turnHit, t *TurnInfo, re *regexp.Regexp) (Hit, bool) {
	text := t.Text
	var bytes [][2]int
	if re != nil {
		for _, m := range re.FindAllStringIndex(text, -1) {
			if m[1] > m[0] {
				bytes = append(bytes, [2]int{m[0], m[1]})
			}
		}
		if len(bytes) == 0 {
			return Hit{}, false
		}
	} else {
		// A part's offsets are into the part's text: move them to the
		// turn's (Parts gives the same parts as when it was indexed).
		var parts []Part
		for i, b := range u.locs {
			k := u.parts[i]
			if k > 0 && parts == nil {
				parts = Parts(text)
			}
			if k > 0 && k >= len(parts) { // the index and the text disagree
				continue
			}
			if k > 0 {
				b[0] += parts[k].Start
				b[1] += parts[k].Start
			}
			bytes = append(bytes, b)
		}
	}
	h := Hit{
		ID: u.id, Doc: u.ref.Doc, DocName: t.DocName, Case: t.Case,
		Turn: u.ref.Turn, Speaker: t.Speaker, Role: t.Role,
		Score: u.score, Text: text, TurnStart: t.Start,
		Matches: []Match{},
	}
	// A turn of a TurnSpans source may come without its text: then it has
	// one byte per code point, t.Len of them.
	var off *coding.Offsets
	n := t.Len
	if !t.ASCII {
		off = coding.NewOffsets(h.Text)
		n = off.Len()
	}
	runeAt := func(b int) int {
		if off != nil {
			return off.Rune(b)
		}
		return clamp(b, 0, n)
	}
	h.TurnEnd = h.TurnStart + n
	sort.Slice(bytes, func(i, j int) bool {
		if bytes[i][0] != bytes[j][0] {
			return bytes[i][0] < bytes[j][0]
		}
		return bytes[i][1] > bytes[j][1]
	})
	for _, b := range bytes {
		s, e := h.TurnStart+runeAt(b[0]), h.TurnStart+runeAt(b[1])
		if n := len(h.Matches); n > 0 && s < h.Matches[n-1].End {
			// Overlapping locations (a Hebrew word indexed with and
			// without its prefix, say) are one match.
			if e > h.Matches[n-1].End {
				h.Matches[n-1].End = e
			}
			continue
		}
		h.Matches = append(h.Matches, Match{s, e})
	}
	return h, true
}

// keepMatches applies the Inside and Outside ranges to a hit's matches
// and reports whether the hit stays.
func keepMatches(h *Hit, inside, outside Spans) bool {
	if inside == nil && outside == nil {
		return true
	}
	ok := func(s, e int) bool {
		if inside != nil && !inside.Contains(h.Doc, s, e) {
			return false
		}
		if outside != nil && outside.Overlaps(h.Doc, s, e) {
			return false
		}
		return true
	}
	if len(h.Matches) == 0 {
		s, e := h.TurnStart, h.TurnEnd
		if inside != nil && !inside.Overlaps(h.Doc, s, e) {
			return false
		}
		return outside == nil || !outside.Overlaps(h.Doc, s, e)
	}
	kept := h.Matches[:0]
	for _, m := range h.Matches {
		if ok(m.Start, m.End) {
			kept = append(kept, m)
		}
	}
	h.Matches = kept
	return len(kept) > 0
}

// sortPage orders hits of one page by score, ties by document name and
// turn, so that equal scores print in a stable order.
func sortPage(hits []Hit, order string) {
	if order == SortDoc {
		return
	}
	sort.SliceStable(hits, func(i, j int) bool {
		if hits[i].Score != hits[j].Score {
			return hits[i].Score > hits[j].Score
		}
		return docLess(hits[i], hits[j])
	})
}

func sortByDoc(hits []Hit) {
	sort.SliceStable(hits, func(i, j int) bool { return docLess(hits[i], hits[j]) })
}

func docLess(a, b Hit) bool {
	if la, lb := strings.ToLower(a.DocName), strings.ToLower(b.DocName); la != lb {
		return la < lb
	}
	return a.Turn < b.Turn
}

func countBy(hits []Hit, by string, spans map[string]Spans) map[string]int {
	c := map[string]int{}
	key := func(s string) string {
		if s == "" {
			return NoValue
		}
		return s
	}
	for i := range hits {
		h := &hits[i]
		switch by {
		case CountCase:
			c[key(h.Case)]++
		case CountDoc:
			c[key(h.DocName)]++
		case CountSpeaker:
			c[key(h.Speaker)]++
		case CountRole:
			c[key(h.Role)]++
		case CountCode:
			found := false
			for label, sp := range spans {
				if hitInside(h, sp) {
					c[label]++
					found = true
				}
			}
			if !found {
				c[NoValue]++
			}
		}
	}
	return c
}

func hitInside(h *Hit, sp Spans) bool {
	if len(h.Matches) == 0 {
		return sp.Overlaps(h.Doc, h.TurnStart, h.TurnEnd)
	}
	for _, m := range h.Matches {
		if sp.Contains(h.Doc, m.Start, m.End) {
			return true
		}
	}
	return false
}

// Fragment returns a keyword-in-context line of a turn's text: about ctx
// code points on each side of the first match (cut at word boundaries,
// with "…" where text was left out), white space folded to single spaces,
// and each match that falls inside wrapped in mark[0] and mark[1]. The
// matches are document offsets, sorted and not overlapping; turnStart is the
// turn's offset. It also returns the code-point spans of the marked words
// within the fragment.
func Fragment(text string, turnStart int, matches []Match, ctx int, mark [2]string) (string, []Span) {
	n := utf8.RuneCountInString(text)
	lo, hi := 0, min(n, 2*ctx)
	fs, fe := 0, 0
	if len(matches) > 0 {
		fs, fe = clamp(matches[0].Start-turnStart, 0, n), clamp(matches[0].End-turnStart, 0, n)
		lo = max(0, fs-ctx)
		hi = min(n, fe+ctx)
		if fs-lo < ctx { // near the start: show more on the right
			hi = min(n, hi+ctx-(fs-lo))
		}
	}
	// Only the code points around [lo,hi) are read: a turn may be 50 MB.
	wlo := max(0, lo-1)
	rs := runesOf(text, wlo, min(n, hi+1))
	at := func(i int) rune { return rs[i-wlo] }
	if lo > 0 && !unicode.IsSpace(at(lo-1)) { // start a word, never past the first match
		for i := lo; i < n && i < lo+20 && i < fs; i++ {
			if unicode.IsSpace(at(i)) {
				lo = i + 1
				break
			}
		}
	}
	if hi < n && !unicode.IsSpace(at(hi)) { // end a word, never before the first match ends
		for i := hi; i > lo && i > hi-20 && i > fe; i-- {
			if unicode.IsSpace(at(i - 1)) {
				hi = i - 1
				break
			}
		}
	}
	var b strings.Builder
	var marks []Span
	pos := 0 // code points written
	space := false
	put := func(r rune) {
		if unicode.IsSpace(r) {
			space = pos > 0
			return
		}
		if space {
			b.WriteByte(' ')
			pos++
			space = false
		}
		b.WriteRune(r)
		pos++
	}
	putMark := func(s string) {
		if space {
			b.WriteByte(' ')
			pos++
			space = false
		}
		b.WriteString(s)
		pos += utf8.RuneCountInString(s)
	}
	if lo > 0 {
		b.WriteString("…")
		pos++
	}
	mi := 0
	for i := lo; i < hi; {
		for mi < len(matches) && matches[mi].End-turnStart <= i {
			mi++
		}
		if mi < len(matches) && matches[mi].Start-turnStart <= i {
			end := min(hi, matches[mi].End-turnStart)
			putMark(mark[0])
			start := pos
			for ; i < end; i++ {
				r := at(i)
				if unicode.IsSpace(r) {
					r = ' '
				}
				b.WriteRune(r)
				pos++
			}
			marks = append(marks, Span{start, pos})
			b.WriteString(mark[1])
			pos += utf8.RuneCountInString(mark[1])
			continue
		}
		put(at(i))
		i++
	}
	if hi < n {
		b.WriteString("…")
	}
	return b.String(), marks
}

// runesOf returns the code points [lo,hi) of text.
func runesOf(text string, lo, hi int) []rune {
	out := make([]rune, 0, max(hi-lo, 0))
	k := 0
	for _, r := range text {
		if k >= hi {
			break
		}
		if k >= lo {
			out = append(out, r)
		}
		k++
	}
	return out
}

func clamp(v, lo, hi int) int { return max(lo, min(hi, v)) }

// ---- query strings ----

// ParseQuery parses a query string in bleve's syntax (terms, "phrases",
// +must, -must-not, prefix*, fuzzy~N, ^boost, field:value) with tacit's
// field names (speaker, role, case, doc, lang, attr, turn, text) and the
// words AND, OR and NOT. Terms in the text field are analysed with
// QueryAnalyzer; wildcard terms are lower-cased and stripped of marks as the
// analyzer would. Errors are *coding.Error of kind EInvalid that say where
// the problem is.
func ParseQuery(s string, analyzers ...string) (query.Query, error) {
	if len(analyzers) == 0 {
		analyzers = []string{QueryAnalyzer}
	}
	if err := checkQuerySize(s); err != nil {
		return nil, err
	}
	clauses, err := splitClauses(s)
	if err != nil {
		return nil, err
	}
	if len(clauses) == 0 {
		return nil, coding.Errorf(coding.EInvalid, "the query is empty; give words to search for")
	}
	if len(clauses) > maxQueryClauses {
		return nil, coding.Errorf(coding.EInvalid, "the query has %d terms, more than the %d a search takes; search for fewer words at a time", len(clauses), maxQueryClauses)
	}
	var parts []string
	for _, c := range clauses {
		cs, err := c.rewrite()
		if err != nil {
			return nil, err
		}
		if _, err := query.NewQueryStringQuery(cs).Parse(); err != nil {
			return nil, coding.Errorf(coding.EInvalid, "cannot read the query at column %d (%s): %s; put words in double quotes to search for them literally", c.col, oneLine(c.text), bleveMsg(err))
		}
		parts = append(parts, cs)
	}
	q, err := query.NewQueryStringQuery(strings.Join(parts, " ")).Parse()
	if err != nil {
		return nil, coding.Errorf(coding.EInvalid, "cannot read the query %q: %s; put words in double quotes to search for them literally", s, bleveMsg(err))
	}
	return fixLeaves(q, analyzers)
}

// Limits of a query. The query parser and a search cost grow with a
// query's length, terms and nesting (100,000 characters took over a
// minute and 1.5 GB before these limits; 50,000 nested parentheses 14 s):
// a query beyond them is refused with an error that says which limit.
const (
	MaxQueryLen     = 4000 // bytes
	MaxQueryClauses = 200  // terms and phrases, after AND/OR/NOT
	MaxQueryDepth   = 20   // nested parentheses
)

// The limits in force (tests raise them to measure how the cost grows).
var maxQueryLen, maxQueryClauses = MaxQueryLen, MaxQueryClauses

// checkQuerySize applies MaxQueryLen and MaxQueryDepth in one pass over s,
// before any parsing.
func checkQuerySize(s string) error {
	if len(s) > maxQueryLen {
		return coding.Errorf(coding.EInvalid, "the query is %d characters long, more than the %d a search takes; search for fewer words at a time", len(s), maxQueryLen)
	}
	depth, inQuote, esc := 0, false, false
	for _, r := range s {
		switch {
		case esc:
			esc = false
		case r == '\\':
			esc = true
		case r == '"':
			inQuote = !inQuote
		case inQuote:
		case r == '(':
			if depth++; depth > MaxQueryDepth {
				return coding.Errorf(coding.EInvalid, "the query nests parentheses more than %d deep; simplify it", MaxQueryDepth)
			}
		case r == ')':
			depth--
		}
	}
	return nil
}

func bleveMsg(err error) string {
	msg := strings.TrimSpace(err.Error())
	msg = strings.TrimPrefix(msg, "parse error: ")
	msg = strings.ReplaceAll(msg, "strconv.ParseFloat: ", "")
	msg = strings.ReplaceAll(msg, "strconv.Atoi: ", "")
	return oneLine(strings.ReplaceAll(msg, "\n", "; "))
}

// oneLine shows a piece of the user's query inside a one-line message:
// line breaks, tabs and other control characters become spaces (a quoted
// phrase may hold a newline; the fuzzer found one in a message).
func oneLine(s string) string {
	if strings.IndexFunc(s, unicode.IsControl) < 0 {
		return s
	}
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
}

type clause struct {
	text   string
	col    int // 1-based column (code points) in the query
	prefix string
	body   string
}

// splitClauses splits the query at unquoted white space and applies the
// words AND, OR and NOT.
func splitClauses(s string) ([]clause, error) {
	var out []clause
	var cur strings.Builder
	col, start := 0, 0
	inQuote, esc := false, false
	quoteCol := 0
	flush := func() {
		if cur.Len() > 0 {
			out = append(out, clause{text: cur.String(), col: start + 1})
			cur.Reset()
		}
	}
	for _, r := range s {
		switch {
		case esc:
			esc = false
			cur.WriteRune(r)
		case r == '\\':
			esc = true
			if cur.Len() == 0 {
				start = col
			}
			cur.WriteRune(r)
		case r == '"':
			if !inQuote {
				quoteCol = col + 1
			}
			inQuote = !inQuote
			if cur.Len() == 0 {
				start = col
			}
			cur.WriteRune(r)
		case unicode.IsSpace(r) && !inQuote:
			flush()
		default:
			if unicode.IsSpace(r) {
				r = ' '
			}
			if cur.Len() == 0 {
				start = col
			}
			cur.WriteRune(r)
		}
		col++
	}
	if inQuote {
		return nil, coding.Errorf(coding.EInvalid, "the quote at column %d is not closed; add the closing \" (or write \\\" for a literal quote)", quoteCol)
	}
	if esc {
		return nil, coding.Errorf(coding.EInvalid, "the query ends with a lone backslash; remove it or write \\\\")
	}
	flush()
	// Operators.
	var res []clause
	mode := ""
	for i := 0; i < len(out); i++ {
		c := out[i]
		switch c.text {
		case "OR", "||":
			if len(res) == 0 || i == len(out)-1 {
				return nil, coding.Errorf(coding.EInvalid, "%s at column %d needs a term on both sides; to search for the word, quote it: \"%s\"", c.text, c.col, strings.ToLower(c.text))
			}
			continue
		case "AND", "&&":
			if len(res) == 0 || i == len(out)-1 {
				return nil, coding.Errorf(coding.EInvalid, "%s at column %d needs a term on both sides; to search for the word, quote it: \"%s\"", c.text, c.col, strings.ToLower(c.text))
			}
			if p := &res[len(res)-1]; p.prefix == "" {
				p.prefix = "+"
			}
			mode = "+"
			continue
		case "NOT":
			if i == len(out)-1 {
				return nil, coding.Errorf(coding.EInvalid, "NOT at column %d needs a term after it; to search for the word, quote it: \"not\"", c.col)
			}
			mode = "-"
			continue
		}
		body := c.text
		if strings.HasPrefix(body, "+") || strings.HasPrefix(body, "-") {
			c.prefix, body = body[:1], body[1:]
			if body == "" {
				return nil, coding.Errorf(coding.EInvalid, "%q at column %d must be followed by a term without a space (+word, -word)", c.prefix, c.col)
			}
		}
		if mode != "" && c.prefix == "" {
			c.prefix = mode
		}
		mode = ""
		c.body = body
		res = append(res, c)
	}
	return res, nil
}

// rewrite maps the clause's field name and checks its fuzziness.
func (c clause) rewrite() (string, error) {
	body := c.body
	// Find an unquoted, unescaped colon.
	colon := -1
	esc := false
	for i, r := range body {
		if esc {
			esc = false
			continue
		}
		if r == '\\' {
			esc = true
			continue
		}
		if r == '"' {
			break
		}
		if r == ':' {
			colon = i
			break
		}
	}
	if colon == 0 {
		return "", coding.Errorf(coding.EInvalid, "%q at column %d has a colon without a field name; quote it to search for the text: \"%s\"", c.text, c.col, strings.Trim(c.body, `"`))
	}
	if colon > 0 {
		// Opening parentheses before a field name group, they are not
		// part of it: (speaker:ann OR role:client).
		open := body[:len(body[:colon])-len(strings.TrimLeft(body[:colon], "("))]
		name := body[len(open):colon]
		if name == "" {
			return "", coding.Errorf(coding.EInvalid, "%q at column %d has a colon without a field name; quote it to search for the text: \"%s\"", c.text, c.col, strings.Trim(c.body, `"`))
		}
		f, ok := QueryFields[strings.ToLower(name)]
		if !ok {
			return "", coding.Errorf(coding.EInvalid, "unknown field %q at column %d; the fields are %s (or quote the text to search for it: \"%s\")", name, c.col, queryFieldNames, strings.Trim(c.body, `"`))
		}
		if body[colon+1:] == "" {
			return "", coding.Errorf(coding.EInvalid, "field %s: at column %d has no value; write %s:value or %s:\"two words\"", name, c.col, name, name)
		}
		body = open + f + body[colon:]
	}
	// Fuzziness: an unescaped ~ outside quotes.
	if i := strings.LastIndex(body, "~"); i >= 0 && !strings.HasSuffix(body, `"`) && (i == 0 || body[i-1] != '\\') {
		fz := body[i+1:]
		if fz != "" {
			v, err := strconv.ParseFloat(fz, 64)
			if err != nil {
				return "", coding.Errorf(coding.EInvalid, "the fuzziness %q in %s at column %d is not a number; write word~1 or word~2", fz, c.text, c.col)
			}
			if v > 2 || v < 0 || v != math.Trunc(v) {
				return "", coding.Errorf(coding.EInvalid, "the fuzziness %s in %s at column %d is not 0, 1 or 2 (the largest edit distance bleve allows is 2)", fz, c.text, c.col)
			}
		}
	}
	return c.prefix + body, nil
}

// fixLeaves sets the query analyzer on text leaves (a disjunction of one
// leaf per analyzer when there are several), lower-cases wildcard terms,
// checks regular expressions and fuzziness. It returns the query to run.
func fixLeaves(q query.Query, analyzers []string) (query.Query, error) {
	each := func(list []query.Query) error {
		for i, c := range list {
			nc, err := fixLeaves(c, analyzers)
			if err != nil {
				return err
			}
			list[i] = nc
		}
		return nil
	}
	perAnalyzer := func(mk func(a string) query.Query) query.Query {
		if len(analyzers) == 1 {
			return mk(analyzers[0])
		}
		var dis []query.Query
		for _, a := range analyzers {
			dis = append(dis, mk(a))
		}
		return query.NewDisjunctionQuery(dis)
	}
	switch x := q.(type) {
	case *query.BooleanQuery:
		for _, c := range []*query.Query{&x.Must, &x.Should, &x.MustNot, &x.Filter} {
			if *c != nil {
				nc, err := fixLeaves(*c, analyzers)
				if err != nil {
					return nil, err
				}
				*c = nc
			}
		}
	case *query.ConjunctionQuery:
		if err := each(x.Conjuncts); err != nil {
			return nil, err
		}
	case *query.DisjunctionQuery:
		if err := each(x.Disjuncts); err != nil {
			return nil, err
		}
	case *query.MatchQuery:
		if x.Fuzziness > 2 {
			return nil, coding.Errorf(coding.EInvalid, "the fuzziness of %q is %d; the largest allowed is 2", x.Match, x.Fuzziness)
		}
		if isText(x.FieldVal) {
			return perAnalyzer(func(a string) query.Query {
				c := *x
				c.SetField(FieldText)
				c.Analyzer = a
				return &c
			}), nil
		}
		if x.FieldVal == FieldTurn {
			// turn:3 (bleve also asks the numeric range [3,3]).
			n, err := strconv.ParseFloat(x.Match, 64)
			if err != nil || n < 0 || n != math.Trunc(n) || n > 999_999_999 {
				return query.NewMatchNoneQuery(), nil
			}
			tq := query.NewTermQuery(TurnKey(int(n)))
			tq.SetField(FieldTurn)
			return tq, nil
		}
	case *query.MatchPhraseQuery:
		if isText(x.FieldVal) {
			return perAnalyzer(func(a string) query.Query {
				c := *x
				c.SetField(FieldText)
				c.Analyzer = a
				return &phraseQuery{&c}
			}), nil
		}
	case *query.NumericRangeQuery:
		if x.FieldVal == FieldTurn {
			return turnRange(x), nil
		}
	case *query.WildcardQuery:
		if isText(x.FieldVal) {
			x.SetField(FieldText)
			x.Wildcard = FoldTerm(x.Wildcard)
		} else {
			x.Wildcard = strings.ToLower(x.Wildcard)
		}
		if strings.Trim(x.Wildcard, "*?") == "" {
			return nil, coding.Errorf(coding.EInvalid, "the wildcard %q matches every word; add letters (crisi*)", x.Wildcard)
		}
	case *query.RegexpQuery:
		if isText(x.FieldVal) {
			x.SetField(FieldText)
		}
		if _, err := regexp.Compile(x.Regexp); err != nil {
			return nil, coding.Errorf(coding.EInvalid, "the regular expression /%s/ does not compile: %s", x.Regexp, reError(err))
		}
	}
	return q, nil
}

func isText(field string) bool { return field == "" || field == FieldText }

// turnRange turns a numeric range over turn numbers (turn:<3, turn:>=2)
// into the range of their terms (TurnKey).
func turnRange(x *query.NumericRangeQuery) query.Query {
	const most = 999_999_999 // TurnKey sorts in number order up to 9 digits
	lo, hi := 0.0, float64(most)
	if x.Min != nil {
		lo = math.Ceil(*x.Min)
		if (x.InclusiveMin != nil && !*x.InclusiveMin) && lo == *x.Min {
			lo++
		}
	}
	if x.Max != nil {
		hi = math.Floor(*x.Max)
		if (x.InclusiveMax == nil || !*x.InclusiveMax) && hi == *x.Max {
			hi--
		}
	}
	lo, hi = max(lo, 0), min(hi, most)
	if lo > hi {
		return query.NewMatchNoneQuery()
	}
	t := true
	q := query.NewTermRangeInclusiveQuery(TurnKey(int(lo)), TurnKey(int(hi)), &t, &t)
	q.SetField(FieldTurn)
	return q
}

// FoldTerm folds a wildcard term the way the analyzers fold words:
// lower case, NFKC, and without combining marks (niqqud, harakat).
func FoldTerm(s string) string {
	s = norm.NFKC.String(strings.ToLower(s))
	return strings.Map(func(r rune) rune {
		if unicode.Is(unicode.Mn, r) || r == 0x0640 {
			return -1
		}
		return r
	}, s)
}

// ValidateQuery parses a query string and returns its error, if any.
func ValidateQuery(s string) error {
	_, err := ParseQuery(s)
	return err
}
