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
	"encoding/binary"
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
	Docs  []coding.Document // metadata with Turns, CaseID, Attrs (Text not filled)
	Codes []coding.Code     // the codebook tree (ParentID)
	// Codings are compact records (see Coding): append them with AddCoding,
	// or fill them directly with Coder and Memo indexes from InternCoder and
	// AddMemo.
	Codings []Coding
	// Coders are the coder names that Coding.Coder indexes.
	Coders []string
	// Memos are the coding memos that Coding.Memo indexes (from 1).
	Memos []string
	Roles coding.RoleMap // speaker -> role; see coding.RoleMap.Role
	// Passages fills in the Text of each passage: the code points
	// [Start, End) of its document's text, clamped to the text. A report
	// calls it at most once, with only the passages it quotes, sorted by
	// document and start. It may be nil: quotes then have no text.
	// SlicePassages does the cutting for a text held in memory.
	Passages func(ps []Passage) error

	coderIdx map[string]uint32
}

// Coding is one coding as reports read it: a record without pointers
// (48 bytes), so that 100,000 codings take 4.8 MB that the garbage collector
// never scans. Offsets are code points, half-open [Start, End).
type Coding struct {
	ID     uint64
	DocID  uint64
	CodeID uint64
	Start  int32
	End    int32
	Coder  uint32 // index into Dataset.Coders
	Memo   uint32 // 0: no memo; else Dataset.Memos[Memo-1]
	Key    bool
}

// Passage is a span of a document's text that a report quotes.
type Passage struct {
	Doc        uint64 // document id
	Start, End int    // code points, half-open
	Text       string // filled by Dataset.Passages
}

// AddCoding appends c to ds.Codings in the compact form, interning its coder
// and memo.
func (ds *Dataset) AddCoding(c *coding.Coding) {
	ds.Codings = append(ds.Codings, Coding{ID: c.ID, DocID: c.DocID, CodeID: c.CodeID,
		Start: clamp32(c.Start), End: clamp32(c.End), Coder: ds.InternCoder([]byte(c.Coder)),
		Memo: ds.AddMemo(c.Memo), Key: c.Key})
}

// InternCoder returns the index of the coder name in ds.Coders, adding it
// when new. It does not keep the slice it is given.
func (ds *Dataset) InternCoder(name []byte) uint32 {
	// Projects have a handful of coders: compare with the last one found
	// and scan the list before reaching for a map.
	if n := len(ds.Coders); n > 0 && string(name) == ds.Coders[n-1] {
		return uint32(n - 1)
	}
	if len(ds.Coders) <= 16 {
		for i, s := range ds.Coders {
			if s == string(name) {
				return uint32(i)
			}
		}
	} else {
		if ds.coderIdx == nil {
			ds.coderIdx = make(map[string]uint32, len(ds.Coders))
			for i, s := range ds.Coders {
				if _, ok := ds.coderIdx[s]; !ok {
					ds.coderIdx[s] = uint32(i)
				}
			}
		}
		if i, ok := ds.coderIdx[string(name)]; ok {
			return i
		}
	}
	i := uint32(len(ds.Coders))
	s := string(name)
	ds.Coders = append(ds.Coders, s)
	if ds.coderIdx != nil {
		ds.coderIdx[s] = i
	}
	return i
}

// AddMemo appends a coding memo to ds.Memos and returns the Coding.Memo
// value that refers to it; an empty memo is 0.
func (ds *Dataset) AddMemo(memo string) uint32 {
	if memo == "" {
		return 0
	}
	ds.Memos = append(ds.Memos, memo)
	return uint32(len(ds.Memos))
}

// coder returns the coder name of c.
func (ds *Dataset) coder(c *Coding) string {
	if int(c.Coder) < len(ds.Coders) {
		return ds.Coders[c.Coder]
	}
	return ""
}

// memo returns the memo of c, or "".
func (ds *Dataset) memo(c *Coding) string {
	if c.Memo > 0 && int(c.Memo) <= len(ds.Memos) {
		return ds.Memos[c.Memo-1]
	}
	return ""
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
// text, converting code points to bytes in one pass up to the last offset
// (eight bytes at a time over ASCII). It copies only the passages.
func SlicePassages(text []byte, ps []Passage) {
	offs := make([]int, 0, 2*len(ps))
	for _, p := range ps {
		offs = append(offs, max(p.Start, 0), max(p.End, 0))
	}
	slices.Sort(offs)
	byteAt := make([]int, len(offs))
	r, b := 0, 0 // code point r starts at byte b
	for i, o := range offs {
		for r < o && b < len(text) {
			if o-r >= 8 && len(text)-b >= 8 && binary.LittleEndian.Uint64(text[b:])&0x8080808080808080 == 0 {
				r += 8
				b += 8
				continue
			}
			c := text[b]
			switch {
			case c < 0x80:
				b++
			case c < 0xE0:
				b += 2
			case c < 0xF0:
				b += 3
			default:
				b += 4
			}
			r++
		}
		byteAt[i] = min(b, len(text))
	}
	at := func(o int) int {
		i, _ := slices.BinarySearch(offs, max(o, 0))
		return byteAt[i]
	}
	for i := range ps {
		x, y := at(ps[i].Start), at(ps[i].End)
		if y > x {
			ps[i].Text = string(text[x:y])
		} else {
			ps[i].Text = ""
		}
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
}

func (f Filter) empty() bool {
	return len(f.Coders) == 0 && len(f.Roles) == 0 && len(f.Docs) == 0 && len(f.Cases) == 0 && len(f.Attrs) == 0
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
	keys := make([]string, 0, len(f.Attrs))
	for k := range f.Attrs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
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
// (32 bytes, no pointers).
type coded struct {
	start, end int32
	src        int32 // position in Dataset.Codings
	code       int32
	doc        int32
	cas        int32
	role       int32 // -1: no role
	turn       int32 // -1: outside every turn
}

func (c *coded) chars() int { return max(int(c.end)-int(c.start), 0) }

// index is a Dataset resolved into slices and maps keyed by position.
type index struct {
	ds       *Dataset
	tree     *tree
	units    []unit // sorted by name
	docCase  []int32
	docOK    []bool // the document passes the document filters
	docByID  map[uint64]int32
	roles    []string
	roleID   map[string]int32
	codings  []coded
	skipped  int // codings of unknown documents or codes
	filtered bool
}

// effAttr returns a document's attribute, else its case's.
func (ix *index) effAttr(d int32, k string) (string, bool) {
	doc := &ix.ds.Docs[d]
	if v, ok := doc.Attrs[k]; ok {
		return v, true
	}
	if u := ix.units[ix.docCase[d]]; u.c != nil {
		v, ok := u.c.Attrs[k]
		return v, ok
	}
	return "", false
}

// hasAttr reports whether any case or document has attribute k.
func (ds *Dataset) hasAttr(k string) bool {
	for i := range ds.Cases {
		if _, ok := ds.Cases[i].Attrs[k]; ok {
			return true
		}
	}
	for i := range ds.Docs {
		if _, ok := ds.Docs[i].Attrs[k]; ok {
			return true
		}
	}
	return false
}

func invalid(format string, args ...any) error {
	return coding.Errorf(coding.EInvalid, format, args...)
}

// newIndex resolves ds and applies f. It fails only on filters that name
// something that does not exist.
func newIndex(ds *Dataset, f Filter) (*index, error) {
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
	ix := &index{ds: ds, tree: buildTree(ds.Codes), docByID: make(map[uint64]int32, len(ds.Docs)),
		roleID: map[string]int32{}, filtered: !f.empty()}

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
			byName[ds.Docs[i].Name] = append(byName[ds.Docs[i].Name], int32(i))
		}
		for _, s := range f.Docs {
			found := byName[s]
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
				if u.name == s || (idErr == nil && u.c != nil && u.c.ID == id) {
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
		for k, v := range f.Attrs {
			if !ok {
				break
			}
			got, has := ix.effAttr(d, k)
			ok = has && got == v
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
		ok := len(f.Docs) == 0 && (wantUnits == nil || wantUnits[int32(i)])
		for k, v := range f.Attrs {
			if got, has := u.c.Attrs[k]; !has || got != v {
				ok = false
			}
		}
		u.inUse = ok
	}

	// Codings.
	var coderOK []bool // by Coding.Coder; nil: every coder
	if want := foldSet(f.Coders); want != nil {
		coderOK = make([]bool, len(ds.Coders))
		for i, s := range ds.Coders {
			coderOK[i] = want[strings.ToLower(s)]
		}
	}
	roles := foldSet(f.Roles)
	var roleOK []bool // by role id, grown as roles are interned
	turnRoles := make([][]int32, len(ds.Docs))
	docRole := make([]int32, len(ds.Docs))
	docs := newIDIndex(len(ds.Docs), func(i int) uint64 { return ds.Docs[i].ID })
	codes := newIDIndex(len(ix.tree.codes), func(i int) uint64 { return ix.tree.codes[i].ID })
	ix.codings = make([]coded, 0, len(ds.Codings))
	for i := range ds.Codings {
		c := &ds.Codings[i]
		d := docs.get(c.DocID)
		if d < 0 {
			ix.skipped++
			continue
		}
		code := codes.get(c.CodeID)
		if code < 0 {
			ix.skipped++
			continue
		}
		if !ix.docOK[d] {
			continue
		}
		if coderOK != nil && (int(c.Coder) >= len(coderOK) || !coderOK[c.Coder]) {
			continue
		}
		doc := &ds.Docs[d]
		if turnRoles[d] == nil {
			turnRoles[d], docRole[d] = ix.resolveRoles(doc)
		}
		turn := int32(doc.TurnAt(int(c.Start)))
		role := docRole[d]
		if turn >= 0 {
			role = turnRoles[d][turn]
		}
		if roles != nil {
			if role < 0 {
				continue
			}
			for len(roleOK) < len(ix.roles) {
				roleOK = append(roleOK, roles[strings.ToLower(ix.roles[len(roleOK)])])
			}
			if !roleOK[role] {
				continue
			}
		}
		ix.codings = append(ix.codings, coded{start: c.Start, end: c.End, src: int32(i), code: code, doc: d,
			cas: ix.docCase[d], role: role, turn: turn})
	}
	return ix, nil
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

// resolveRoles returns the role id of each turn of doc and the document's
// own role id (for codings outside every turn).
func (ix *index) resolveRoles(doc *coding.Document) ([]int32, int32) {
	cache := map[string]int32{}
	out := make([]int32, len(doc.Turns), len(doc.Turns)+1) // non-nil even without turns
	for i, t := range doc.Turns {
		r, ok := cache[t.Speaker]
		if !ok {
			r = ix.intern(ix.ds.Roles.Role(doc, t.Speaker))
			cache[t.Speaker] = r
		}
		out[i] = r
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
	if c.turn < 0 {
		return ""
	}
	return ix.ds.Docs[c.doc].Turns[c.turn].Speaker
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
	case len(ix.codings) == 0 && ix.filtered:
		return "No codings match the filters (" + f.describe() + ")."
	case len(ix.codings) == 0:
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
		m[strings.ToLower(strings.TrimSpace(s))] = true
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
