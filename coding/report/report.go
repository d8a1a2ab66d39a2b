// Package report computes tacit's reports from plain values: the recurrence
// of codes (principles of action) across cases (stories), the codes-by-X
// matrix, code co-occurrence and the codebook appendix, and renders each as a
// terminal table, JSON, CSV, Markdown or one self-contained HTML file.
//
// Reports read a Dataset that the store fills; they never touch the index.
// Parents in the codebook tree are rolled up from their sub-codes everywhere:
// a coding of "Principles/Respect/Listening" also counts for
// "Principles/Respect" and "Principles".
package report

import (
	"cmp"
	"encoding/binary"
	"fmt"
	"maps"
	"math"
	"math/bits"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/tacit-qda/tacit/coding"
)

// Dataset is everything a report reads; the store fills it.
type Dataset struct {
	Cases []coding.Case
	Docs  []coding.Document // metadata with CaseID, Attrs and Turns (Text not filled)
	// Turns, when as long as Docs, are the documents' turns in the compact
	// form reports read (aligned with Docs), and Docs[i].Turns is not read:
	// a store fills them with AddTurn. Otherwise reports read Docs[i].Turns.
	Turns []Turns
	// Speakers are the speaker labels that Turns.Speaker indexes.
	Speakers []string
	Codes    []coding.Code // the codebook tree (ParentID)
	// Codings calls fn for every coding, in id order (ties between equally
	// good quotes go to the coding yielded first), and stops at fn's first
	// error. A report calls it once; fn keeps nothing it is given, so the
	// store can hand out its records in place. CodingsOf serves a slice. It
	// may be nil: no codings.
	Codings func(fn func(c *Coding) error) error
	// CodingCount is the number of codings that Codings yields, when known:
	// a hint to size memory.
	CodingCount int
	Roles       coding.RoleMap // speaker -> role; see coding.RoleMap.Role
	// Passages fills in the Text of each passage: the code points
	// [Start, End) of its document's text, clamped to the text. A report
	// calls it at most once, with only the passages it quotes, sorted by
	// document and start. It may be nil: quotes then have no text.
	// SlicePassages does the cutting for a text held in memory.
	Passages func(ps []Passage) error

	speakerIDs interner
}

// Turns are the turns of one document in the compact form reports read.
type Turns struct {
	Spans   []int32 // the start and end of each turn (code points), two per turn
	Speaker []int32 // the speaker of each turn: an index into Dataset.Speakers
	// Header says turn 0 is the header unit (the text before the first
	// spoken turn), which has no speaker and no role.
	Header bool
}

// Len returns the number of turns.
func (t *Turns) Len() int { return len(t.Speaker) }

// AddTurn appends a turn of document i (its position in Docs) to ds.Turns,
// interning its speaker label (which it does not keep). Turns must be added
// in order.
func (ds *Dataset) AddTurn(i int, speaker []byte, start, end int) {
	if ds.Turns == nil {
		ds.Turns = make([]Turns, len(ds.Docs))
	}
	t := &ds.Turns[i]
	t.Spans = append(t.Spans, clamp32(start), clamp32(end))
	t.Speaker = append(t.Speaker, ds.SpeakerID(speaker))
}

// SpeakerID returns the index of a speaker label in ds.Speakers, adding it
// when new; it does not keep the slice it is given.
func (ds *Dataset) SpeakerID(label []byte) int32 {
	if len(ds.speakerIDs.names) != len(ds.Speakers) { // Speakers set by hand
		ds.speakerIDs = interner{names: ds.Speakers}
	}
	id := ds.speakerIDs.id(label)
	ds.Speakers = ds.speakerIDs.names
	return id
}

// Offset32 narrows a code-point offset for Turns.Spans (clamped to
// [0, 2^31-1]; texts are far shorter).
func Offset32(v int) int32 { return clamp32(v) }

// Coding is one coding as Dataset.Codings hands it to a report: the fields
// reports read. Coder and Memo may point into the store's memory; they are
// valid only during the call and must not be modified.
type Coding struct {
	ID, DocID, CodeID uint64
	Start, End        int // code points, half-open
	Coder             []byte
	Memo              []byte
	Key               bool
}

// CodingsOf returns a Dataset.Codings that yields cs in order.
func CodingsOf(cs []coding.Coding) func(fn func(c *Coding) error) error {
	return func(fn func(c *Coding) error) error {
		for i := range cs {
			c := &cs[i]
			if err := fn(&Coding{ID: c.ID, DocID: c.DocID, CodeID: c.CodeID, Start: c.Start, End: c.End,
				Coder: []byte(c.Coder), Memo: []byte(c.Memo), Key: c.Key}); err != nil {
				return err
			}
		}
		return nil
	}
}

// Passage is a span of a document's text that a report quotes.
type Passage struct {
	Doc        uint64 // document id
	Start, End int    // code points, half-open
	Text       string // filled by Dataset.Passages
}

// interner gives small numbers to the few distinct coder names of a
// project, comparing bytes without allocating.
type interner struct {
	names []string
	idx   map[string]int32 // once there are many names
}

func (in *interner) id(name []byte) int32 {
	if n := len(in.names); n > 0 && string(name) == in.names[n-1] {
		return int32(n - 1)
	}
	if in.idx == nil {
		for i, s := range in.names {
			if s == string(name) {
				return int32(i)
			}
		}
		if len(in.names) >= 16 {
			in.idx = make(map[string]int32, 2*len(in.names))
			for i, s := range in.names {
				in.idx[s] = int32(i)
			}
		}
	} else if i, ok := in.idx[string(name)]; ok {
		return i
	}
	i := int32(len(in.names))
	s := string(name)
	in.names = append(in.names, s)
	if in.idx != nil {
		in.idx[s] = i
	}
	return i
}

func clamp32(v int) int32 {
	switch {
	case v < 0:
		return 0
	case v > math.MaxInt32:
		return math.MaxInt32
	}
	return int32(v)
}

// SlicePassages fills the Text of passages ps of one document from its UTF-8
// text, whose length in code points is runes (-1: unknown). A text of as
// many code points as bytes is ASCII and is cut directly; any other is
// read once up to the last offset (eight bytes at a time) to convert code
// points to bytes. It copies only the passages.
func SlicePassages(text []byte, runes int, ps []Passage) {
	offs := make([]int, 0, 2*len(ps))
	for _, p := range ps {
		offs = append(offs, max(p.Start, 0), max(p.End, 0))
	}
	slices.Sort(offs)
	byteAt := make([]int, len(offs))
	if runes == len(text) {
		for i, o := range offs {
			byteAt[i] = min(o, len(text))
		}
	} else {
		walkOffsets(text, offs, byteAt)
	}
	at := func(o int) int {
		i, _ := slices.BinarySearch(offs, max(o, 0))
		return byteAt[i]
	}
	// Copy the union of the passages once, into one string, and cut each
	// passage from it: passages of one document overlap (a coding quoted
	// for its code and for a parent, codings on the same words).
	type span struct{ x, y, i int }
	spans := make([]span, 0, len(ps))
	for i := range ps {
		ps[i].Text = ""
		if x, y := at(ps[i].Start), at(ps[i].End); y > x {
			spans = append(spans, span{x, y, i})
		}
	}
	slices.SortFunc(spans, func(a, b span) int { return cmp.Compare(a.x, b.x) })
	size, end := 0, 0
	for _, sp := range spans {
		size += max(sp.y, end) - max(sp.x, end)
		end = max(end, sp.y)
	}
	var sb strings.Builder
	sb.Grow(size)
	base := make([]int, len(spans)) // offset in sb of each span's start
	segX, end := 0, 0               // the current segment starts at byte segX of text, at sb.Len()-(end-segX)
	for k, sp := range spans {
		if k == 0 || sp.x >= end {
			segX, end = sp.x, sp.x
		}
		if sp.y > end {
			sb.Write(text[end:sp.y])
			end = sp.y
		}
		base[k] = sb.Len() - (end - segX) + (sp.x - segX)
	}
	all := sb.String()
	for k, sp := range spans {
		ps[sp.i].Text = all[base[k] : base[k]+sp.y-sp.x]
	}
}

// msb has the top bit of each of 8 bytes set.
const msb = 0x8080808080808080

// walkOffsets sets byteAt[i] to the byte offset of code point offs[i] in
// text (UTF-8), for ascending offs, clamped to the text.
func walkOffsets(text []byte, offs, byteAt []int) {
	r, b := 0, 0 // r code points start before byte b
	for i, o := range offs {
		for b < len(text) {
			if len(text)-b >= 8 {
				// The code points that start in the next 8 bytes are
				// the bytes that are not continuation bytes (10xxxxxx).
				x := binary.LittleEndian.Uint64(text[b:])
				cont := x & msb &^ (x << 1)
				if n := 8 - bits.OnesCount64(cont); r+n <= o {
					r += n
					b += 8
					continue
				}
			}
			if text[b]&0xC0 != 0x80 {
				if r == o {
					break
				}
				r++
			}
			b++
		}
		byteAt[i] = b
	}
}

// Filter narrows the codings a report counts. Empty fields do not filter;
// several values of one field are alternatives, different fields must all
// match.
type Filter struct {
	// Coders keeps codings made by these coders (compared case-insensitively).
	Coders []string `json:"coders,omitempty"`
	// Roles keeps codings whose role is one of these (see RoleOf).
	Roles []string `json:"roles,omitempty"`
	// Docs keeps codings in these documents, by name or decimal id.
	Docs []string `json:"docs,omitempty"`
	// Cases keeps codings in the documents of these cases, by name or decimal
	// id; a document without a case is its own case, named like the document.
	Cases []string `json:"cases,omitempty"`
	// Attrs keeps codings in documents whose attribute equals the value; a
	// document's own attribute wins over its case's.
	Attrs map[string]string `json:"attrs,omitempty"`
	// Speakers keeps codings in the turns of these speaker labels.
	Speakers []string `json:"speakers,omitempty"`
	// Langs keeps codings in documents of these languages; the caller
	// applies it through DocIDs (a Dataset does not know the project's
	// language).
	Langs []string `json:"langs,omitempty"`
	// DocIDs, when not nil, are the documents that pass the document
	// filters (Docs, Cases, Attrs, Langs), resolved by the caller (package
	// project's Selection) with the one matching rule of every filter.
	DocIDs map[uint64]bool `json:"-"`
}

func (f Filter) empty() bool {
	return len(f.Coders) == 0 && len(f.Roles) == 0 && len(f.Docs) == 0 && len(f.Cases) == 0 && len(f.Attrs) == 0 &&
		len(f.Speakers) == 0 && len(f.Langs) == 0 && f.DocIDs == nil
}

// note returns " Filters: <describe>." for a report's headline, or "" when
// nothing is filtered.
func (f Filter) note() string {
	if d := f.describe(); d != "" {
		return " Filters: " + d + "."
	}
	return ""
}

// describe returns the filters as "coder=a,b; role=client" for messages.
func (f Filter) describe() string {
	var parts []string
	add := func(k string, v []string) {
		if len(v) > 0 {
			parts = append(parts, k+"="+strings.Join(v, ","))
		}
	}
	add("coder", f.Coders)
	add("role", f.Roles)
	add("doc", f.Docs)
	add("case", f.Cases)
	add("speaker", f.Speakers)
	add("lang", f.Langs)
	for _, k := range slices.Sorted(maps.Keys(f.Attrs)) {
		parts = append(parts, "attr "+k+"="+f.Attrs[k])
	}
	return strings.Join(parts, "; ")
}

// CodePaths returns the path of every code by id: the names from the root
// down joined by "/". A code whose parent is missing, or that sits in a
// parent cycle, is treated as a top-level code.
func CodePaths(codes []coding.Code) map[uint64]string {
	t := buildTree(codes)
	out := make(map[uint64]string, len(codes))
	for i := range t.codes {
		out[t.codes[i].ID] = t.path[i]
	}
	return out
}

// tree is the codebook indexed by position in the Codes slice.
type tree struct {
	codes  []coding.Code
	byID   map[uint64]int32
	parent []int32   // -1 for a root
	up     [][]int32 // the code itself, then its ancestors up to the root
	depth  []int
	path   []string
	order  []int32 // depth-first order, siblings by name then id
	rank   []int32 // position of each code in order
}

func buildTree(codes []coding.Code) *tree {
	n := len(codes)
	t := &tree{codes: codes, byID: make(map[uint64]int32, n), parent: make([]int32, n),
		up: make([][]int32, n), depth: make([]int, n), path: make([]string, n), rank: make([]int32, n)}
	for i, c := range codes {
		t.byID[c.ID] = int32(i)
	}
	for i, c := range codes {
		t.parent[i] = -1
		if c.ParentID != 0 && c.ParentID != c.ID {
			if p, ok := t.byID[c.ParentID]; ok {
				t.parent[i] = p
			}
		}
	}
	// Break cycles: a code whose parent chain does not reach a root within
	// n steps is in (or below) a cycle; cut the cycle at its lowest id.
	for i := range codes {
		steps, j := 0, int32(i)
		for j >= 0 && steps <= n {
			j = t.parent[j]
			steps++
		}
		if j >= 0 {
			// j is on a cycle: walk it and cut at the smallest index.
			min, k := j, t.parent[j]
			for k != j {
				if k < min {
					min = k
				}
				k = t.parent[k]
			}
			t.parent[min] = -1
		}
	}
	children := make([][]int32, n)
	var roots []int32
	for i := range codes {
		if p := t.parent[i]; p >= 0 {
			children[p] = append(children[p], int32(i))
		} else {
			roots = append(roots, int32(i))
		}
	}
	less := func(s []int32) {
		sort.Slice(s, func(a, b int) bool {
			ca, cb := &codes[s[a]], &codes[s[b]]
			la, lb := strings.ToLower(ca.Name), strings.ToLower(cb.Name)
			if la != lb {
				return la < lb
			}
			return ca.ID < cb.ID
		})
	}
	less(roots)
	var walk func(i int32, d int, prefix string)
	walk = func(i int32, d int, prefix string) {
		t.depth[i] = d
		t.path[i] = prefix + codes[i].Name
		t.rank[i] = int32(len(t.order))
		t.order = append(t.order, i)
		ch := children[i]
		less(ch)
		for _, c := range ch {
			walk(c, d+1, t.path[i]+"/")
		}
	}
	for _, r := range roots {
		walk(r, 0, "")
	}
	for i := range codes {
		u := []int32{int32(i)}
		for p := t.parent[i]; p >= 0; p = t.parent[p] {
			u = append(u, p)
		}
		t.up[i] = u
	}
	return t
}

// isAncestor reports whether a is a strict ancestor of b.
func (t *tree) isAncestor(a, b int32) bool {
	for _, u := range t.up[b][1:] {
		if u == a {
			return true
		}
	}
	return false
}

// unit is a case of the report: a real case or a document without one.
type unit struct {
	name  string
	c     *coding.Case     // nil for a document without a case
	doc   *coding.Document // the document, for a document without a case
	docs  []int32
	inUse bool // in the report's universe after the document filters
}

// coded is one coding that passed the filters, with its positions resolved
// (28 bytes, no pointers). Its case is docCase[doc].
type coded struct {
	start, end int32
	code       int32
	doc        int32
	role       int32 // -1: no role
	coder      int32 // index into index.coders
	flags      uint8 // flagKey, flagMemo (its memo is index.memos[position])
}

// Quote flags of a coding, compared first when choosing quotes.
const (
	flagKey  = 2
	flagMemo = 1
)

func (c *coded) chars() int { return max(int(c.end)-int(c.start), 0) }

// index is a Dataset resolved into slices and maps keyed by position.
type index struct {
	ds       *Dataset
	f        Filter
	tree     *tree
	units    []unit // sorted by name
	docCase  []int32
	docOK    []bool // the document passes the document filters
	docByID  map[uint64]int32
	roles    []string
	roleID   map[string]int32
	turns    []Turns          // per document
	speakers []string         // Turns.Speaker -> label
	codings  []coded          // filled by newIndex, not by prepareIndex
	count    int              // codings that passed the filters
	coders   interner         // coded.coder -> name
	memos    map[int32]string // position in codings -> memo
	skipped  int              // codings of unknown documents or codes
	filtered bool
}

// effAttr returns a document's attribute, else its case's.
func (ix *index) effAttr(d int32, k string) (string, bool) {
	return coding.AttrOf(&ix.ds.Docs[d], ix.units[ix.docCase[d]].c, k)
}

// hasAttr reports whether any case or document has attribute k.
func (ds *Dataset) hasAttr(k string) bool {
	for i := range ds.Cases {
		if _, ok := coding.AttrOf(&coding.Document{}, &ds.Cases[i], k); ok {
			return true
		}
	}
	for i := range ds.Docs {
		if _, ok := coding.AttrOf(&ds.Docs[i], nil, k); ok {
			return true
		}
	}
	return false
}

func invalid(format string, args ...any) error {
	return coding.Errorf(coding.EInvalid, format, args...)
}

// newIndex resolves ds, applies f and reads the codings into ix.codings.
// It fails on filters that name something that does not exist, and when
// the codings cannot be read.
func newIndex(ds *Dataset, f Filter) (*index, error) {
	ix, err := prepareIndex(ds, f)
	if err != nil {
		return nil, err
	}
	ix.codings = make([]coded, 0, max(ix.ds.CodingCount, 0))
	err = ix.scan(func(c *coded, memo []byte) {
		if len(memo) > 0 {
			if ix.memos == nil {
				ix.memos = map[int32]string{}
			}
			ix.memos[int32(len(ix.codings))] = string(memo)
		}
		ix.codings = append(ix.codings, *c)
	})
	if err != nil {
		return nil, err
	}
	return ix, nil
}

// prepareIndex resolves ds and applies f, without reading the codings (see
// scan).
func prepareIndex(ds *Dataset, f Filter) (*index, error) {
	if ds == nil {
		ds = &Dataset{}
	}
	for k := range f.Attrs {
		if k == "" {
			return nil, invalid("an attribute filter needs a name, as in department=youth.")
		}
		if !ds.hasAttr(k) {
			return nil, invalid("no case or document has the attribute %q, so the filter %s=%s cannot match; check the attribute name.", k, k, f.Attrs[k])
		}
	}
	ix := &index{ds: ds, f: f, tree: buildTree(ds.Codes), docByID: make(map[uint64]int32, len(ds.Docs)),
		roleID: map[string]int32{}, filtered: !f.empty()}
	ix.turns, ix.speakers = ds.Turns, ds.Speakers
	if len(ds.Turns) != len(ds.Docs) {
		c := Dataset{Docs: ds.Docs, Turns: make([]Turns, len(ds.Docs))} // Docs' turns, compact
		for i := range ds.Docs {
			for _, t := range ds.Docs[i].Turns {
				c.AddTurn(i, []byte(t.Speaker), t.Start, t.End)
			}
			if ts := ds.Docs[i].Turns; len(ts) > 0 && ts[0].Header {
				c.Turns[i].Header = true
			}
		}
		ix.turns, ix.speakers = c.Turns, c.Speakers
	}

	// Units: real cases, then documents without a (known) case.
	caseByID := make(map[uint64]int, len(ds.Cases))
	for i := range ds.Cases {
		caseByID[ds.Cases[i].ID] = i
		ix.units = append(ix.units, unit{name: ds.Cases[i].Name, c: &ds.Cases[i]})
	}
	names := map[string]bool{}
	for _, u := range ix.units {
		names[u.name] = true
	}
	ix.docCase = make([]int32, len(ds.Docs))
	for i := range ds.Docs {
		d := &ds.Docs[i]
		ix.docByID[d.ID] = int32(i)
		if ci, ok := caseByID[d.CaseID]; ok && d.CaseID != 0 {
			ix.docCase[i] = int32(ci)
			continue
		}
		name := d.Name
		if names[name] {
			name = d.Name + " (document " + strconv.FormatUint(d.ID, 10) + ")"
		}
		names[name] = true
		ix.docCase[i] = int32(len(ix.units))
		ix.units = append(ix.units, unit{name: name, doc: d})
	}
	// Sort units by name and remap.
	perm := make([]int32, len(ix.units))
	for i := range perm {
		perm[i] = int32(i)
	}
	sort.SliceStable(perm, func(a, b int) bool { return naturalLess(ix.units[perm[a]].name, ix.units[perm[b]].name) })
	inv := make([]int32, len(perm))
	sorted := make([]unit, len(perm))
	for newPos, old := range perm {
		inv[old] = int32(newPos)
		sorted[newPos] = ix.units[old]
	}
	ix.units = sorted
	for i := range ix.docCase {
		ix.docCase[i] = inv[ix.docCase[i]]
		ix.units[ix.docCase[i]].docs = append(ix.units[ix.docCase[i]].docs, int32(i))
	}

	// Document filters.
	var wantDocs, wantUnits map[int32]bool
	if len(f.Docs) > 0 {
		wantDocs = map[int32]bool{}
		byName := map[string][]int32{}
		for i := range ds.Docs {
			k := coding.FoldKey(ds.Docs[i].Name)
			byName[k] = append(byName[k], int32(i))
		}
		for _, s := range f.Docs {
			found := byName[coding.FoldKey(s)]
			if id, err := strconv.ParseUint(s, 10, 64); err == nil {
				if d, ok := ix.docByID[id]; ok {
					found = append(found, d)
				}
			}
			if len(found) == 0 {
				return nil, coding.Errorf(coding.ENotFound, "no document is named %q; give a document name or id.", s)
			}
			for _, d := range found {
				wantDocs[d] = true
			}
		}
	}
	if len(f.Cases) > 0 {
		wantUnits = map[int32]bool{}
		for _, s := range f.Cases {
			found := false
			id, idErr := strconv.ParseUint(s, 10, 64)
			for i, u := range ix.units {
				if coding.SameValue(u.name, s) || (idErr == nil && u.c != nil && u.c.ID == id) {
					wantUnits[int32(i)] = true
					found = true
				}
			}
			if !found {
				return nil, coding.Errorf(coding.ENotFound, "no case is named %q; give a case name or id.", s)
			}
		}
	}
	ix.docOK = make([]bool, len(ds.Docs))
	for i := range ds.Docs {
		d := int32(i)
		ok := (wantDocs == nil || wantDocs[d]) && (wantUnits == nil || wantUnits[ix.docCase[d]])
		if f.DocIDs != nil {
			ok = f.DocIDs[ds.Docs[i].ID]
		}
		for k, v := range f.Attrs {
			if f.DocIDs != nil {
				break
			}
			if !ok {
				break
			}
			got, has := ix.effAttr(d, k)
			ok = has && coding.AttrValueMatches(k, got, v)
		}
		ix.docOK[i] = ok
		if ok {
			ix.units[ix.docCase[d]].inUse = true
		}
	}
	for i := range ix.units {
		u := &ix.units[i]
		if len(u.docs) > 0 || u.c == nil {
			continue
		}
		// A case without documents stays in the universe unless a document
		// filter excludes it.
		ok := len(f.Docs)+len(f.Langs) == 0 && (wantUnits == nil || wantUnits[int32(i)])
		for k, v := range f.Attrs {
			if got, has := coding.AttrOf(&coding.Document{}, u.c, k); !has || !coding.AttrValueMatches(k, got, v) {
				ok = false
			}
		}
		u.inUse = ok
	}

	return ix, nil
}

// scan reads the codings of the dataset once, resolves them, and calls fn
// with each one that passes the filters (and its memo, valid only during
// the call), in the order the dataset yields them. It counts them in
// ix.count.
func (ix *index) scan(fn func(c *coded, memo []byte)) error {
	ds, f := ix.ds, ix.f
	coders := foldSet(f.Coders)
	var coderOK []bool // by coder id, grown as coders are interned
	roles := foldSet(f.Roles)
	var speakers map[string]bool // NormSpeaker keys
	for _, s := range f.Speakers {
		if speakers == nil {
			speakers = map[string]bool{}
		}
		speakers[coding.NormSpeaker(s)] = true
	}
	var speakerOK []bool // by speaker id, grown as needed
	var roleOK []bool    // by role id, grown as roles are interned
	turnRoles := make([][]int32, len(ds.Docs))
	docRole := make([]int32, len(ds.Docs))
	docs := newIDIndex(len(ds.Docs), func(i int) uint64 { return ds.Docs[i].ID })
	codes := newIDIndex(len(ix.tree.codes), func(i int) uint64 { return ix.tree.codes[i].ID })
	if ds.Codings == nil {
		return nil
	}
	var k coded
	lastDoc := int32(-1)
	err := ds.Codings(func(c *Coding) error {
		d := docs.get(c.DocID)
		if d < 0 {
			ix.skipped++
			return nil
		}
		code := codes.get(c.CodeID)
		if code < 0 {
			ix.skipped++
			return nil
		}
		if !ix.docOK[d] {
			return nil
		}
		coder := ix.coders.id(c.Coder)
		if coders != nil {
			for len(coderOK) < len(ix.coders.names) {
				coderOK = append(coderOK, coders[coding.FoldKey(ix.coders.names[len(coderOK)])])
			}
			if !coderOK[coder] {
				return nil
			}
		}
		start, end := clamp32(c.Start), clamp32(c.End)
		if turnRoles[d] == nil {
			turnRoles[d], docRole[d] = ix.resolveRoles(d)
		}
		role := docRole[d]
		if d != lastDoc { // the codings come document by document
			touchInt32s(ix.turns[d].Spans)
			lastDoc = d
		}
		t := turnOf(ix.turns[d].Spans, start, end)
		if t >= 0 {
			role = turnRoles[d][t]
		}
		if speakers != nil {
			if t < 0 {
				return nil
			}
			if t == 0 && ix.turns[d].Header {
				return nil // the header unit has no speaker
			}
			sp := ix.turns[d].Speaker[t]
			for int(sp) >= len(speakerOK) {
				speakerOK = append(speakerOK, speakers[coding.NormSpeaker(ix.speakers[len(speakerOK)])])
			}
			if !speakerOK[sp] {
				return nil
			}
		}
		if roles != nil {
			if role < 0 {
				return nil
			}
			for len(roleOK) < len(ix.roles) {
				roleOK = append(roleOK, roles[coding.FoldKey(ix.roles[len(roleOK)])])
			}
			if !roleOK[role] {
				return nil
			}
		}
		var flags uint8
		if c.Key {
			flags |= flagKey
		}
		if len(c.Memo) > 0 {
			flags |= flagMemo
		}
		k = coded{start: start, end: end, code: code, doc: d, role: role, coder: coder, flags: flags}
		fn(&k, c.Memo)
		ix.count++
		return nil
	})
	if err != nil {
		return fmt.Errorf("read the codings: %w", err)
	}
	return nil
}

// turnOf is the turn a passage [start,end) belongs to, as the store's
// TurnOf says it: the turn it starts in, else the first it overlaps, else
// -1.
func turnOf(spans []int32, start, end int32) int {
	lo := firstEndingAfter(spans, start)
	if lo < len(spans)/2 && (spans[2*lo] <= start || spans[2*lo] < end) {
		return lo
	}
	return -1
}

// turnAt is coding.Document.TurnAt over Turns.Spans: the turn that contains
// pos, or -1.
func turnAt(spans []int32, pos int32) int {
	lo := firstEndingAfter(spans, pos)
	if lo < len(spans)/2 && spans[2*lo] <= pos && pos < spans[2*lo+1] {
		return lo
	}
	return -1
}

// firstEndingAfter is the first turn of spans (start, end pairs in text
// order) that ends after pos, or the number of turns when none does.
func firstEndingAfter(spans []int32, pos int32) int {
	lo, hi := 0, len(spans)/2
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if spans[2*m+1] <= pos {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

// idIndex maps ids to positions: a dense table when the ids are small, as
// the store's sequential ids are, else a map.
type idIndex struct {
	dense  []int32 // position+1 by id; 0: none
	sparse map[uint64]int32
}

func newIDIndex(n int, id func(i int) uint64) idIndex {
	var hi uint64
	for i := 0; i < n; i++ {
		hi = max(hi, id(i))
	}
	var x idIndex
	if hi < uint64(4*n+1024) {
		x.dense = make([]int32, hi+1)
		for i := 0; i < n; i++ {
			x.dense[id(i)] = int32(i + 1) // the last of equal ids, as a map keeps it
		}
		return x
	}
	x.sparse = make(map[uint64]int32, n)
	for i := 0; i < n; i++ {
		x.sparse[id(i)] = int32(i)
	}
	return x
}

// get returns the position of id, or -1.
func (x *idIndex) get(id uint64) int32 {
	if x.dense != nil {
		if id < uint64(len(x.dense)) {
			return x.dense[id] - 1
		}
		return -1
	}
	if p, ok := x.sparse[id]; ok {
		return p
	}
	return -1
}

// resolveRoles returns the role id of each turn of document d and the
// document's own role id (for codings outside every turn).
func (ix *index) resolveRoles(d int32) ([]int32, int32) {
	doc := &ix.ds.Docs[d]
	ts := &ix.turns[d]
	var cache [][2]int32                       // speaker id, role id: a document has few speakers
	out := make([]int32, ts.Len(), ts.Len()+1) // non-nil even without turns
	for i, sp := range ts.Speaker {
		r, found := int32(-1), false
		for _, e := range cache {
			if e[0] == sp {
				r, found = e[1], true
				break
			}
		}
		if !found {
			r = ix.intern(ix.ds.Roles.Role(doc, ix.speakers[sp]))
			cache = append(cache, [2]int32{sp, r})
		}
		out[i] = r
	}
	if ts.Header && len(out) > 0 {
		out[0] = -1
	}
	return out, ix.intern(ix.ds.Roles.Role(doc, ""))
}

func (ix *index) intern(role string) int32 {
	if role == "" {
		return -1
	}
	if id, ok := ix.roleID[role]; ok {
		return id
	}
	id := int32(len(ix.roles))
	ix.roles = append(ix.roles, role)
	ix.roleID[role] = id
	return id
}

// universe returns the positions of the units in the report, in name order.
func (ix *index) universe() []int32 {
	var out []int32
	for i, u := range ix.units {
		if u.inUse {
			out = append(out, int32(i))
		}
	}
	return out
}

// speaker returns the speaker label of the turn a coding starts in.
func (ix *index) speaker(c *coded) string {
	if sp := ix.speakerID(c.doc, c.start); sp >= 0 {
		return ix.speakers[sp]
	}
	return ""
}

// speakerID returns the speaker (an index into ix.speakers) of the turn of
// document d that contains pos, or -1.
func (ix *index) speakerID(d, pos int32) int32 {
	ts := &ix.turns[d]
	if t := turnAt(ts.Spans, pos); t >= 0 {
		return ts.Speaker[t]
	}
	return -1
}

// emptyReason says why a report over this index has nothing to show, or "".
func (ix *index) emptyReason(f Filter, units int) string {
	switch {
	case len(ix.ds.Codes) == 0:
		return "The codebook is empty: there are no codes to report on."
	case units == 0 && ix.filtered:
		return "No case or document matches the filters (" + f.describe() + ")."
	case units == 0:
		return "The project has no documents or cases yet."
	case ix.count == 0 && ix.filtered:
		return "No codings match the filters (" + f.describe() + ")."
	case ix.count == 0:
		return "Nothing has been coded yet."
	}
	return ""
}

func foldSet(v []string) map[string]bool {
	if len(v) == 0 {
		return nil
	}
	m := make(map[string]bool, len(v))
	for _, s := range v {
		m[coding.FoldKey(s)] = true
	}
	return m
}

// naturalLess orders names case-insensitively with digit runs compared as
// numbers, so "Story 2" sorts before "Story 10".
func naturalLess(a, b string) bool {
	la, lb := strings.ToLower(a), strings.ToLower(b)
	i, j := 0, 0
	for i < len(la) && j < len(lb) {
		ca, cb := la[i], lb[j]
		if isDigit(ca) && isDigit(cb) {
			si, sj := i, j
			for i < len(la) && isDigit(la[i]) {
				i++
			}
			for j < len(lb) && isDigit(lb[j]) {
				j++
			}
			na := strings.TrimLeft(la[si:i], "0")
			nb := strings.TrimLeft(lb[sj:j], "0")
			if len(na) != len(nb) {
				return len(na) < len(nb)
			}
			if na != nb {
				return na < nb
			}
			continue
		}
		if ca != cb {
			return ca < cb
		}
		i++
		j++
	}
	if len(la)-i != len(lb)-j {
		return len(la)-i < len(lb)-j
	}
	return a < b
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// bitset is a fixed-size set of small integers.
type bitset []uint64

func newBitset(n int) bitset { return make(bitset, (n+63)/64) }

func (b bitset) set(i int32)      { b[i>>6] |= 1 << (uint(i) & 63) }
func (b bitset) has(i int32) bool { return b[i>>6]&(1<<(uint(i)&63)) != 0 }

func (b bitset) count() int {
	n := 0
	for _, w := range b {
		n += bits.OnesCount64(w)
	}
	return n
}

func (b bitset) or(o bitset) {
	for i := range b {
		b[i] |= o[i]
	}
}

// andCount returns |b ∩ o|.
func (b bitset) andCount(o bitset) int {
	n := 0
	for i := range b {
		n += bits.OnesCount64(b[i] & o[i])
	}
	return n
}

// orCount returns |b ∪ o|.
func (b bitset) orCount(o bitset) int {
	n := 0
	for i := range b {
		n += bits.OnesCount64(b[i] | o[i])
	}
	return n
}
