package agreement

import (
	"cmp"
	"fmt"
	"math"
	"math/bits"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/tacit-qda/tacit/coding"
)

// Modes of comparison.
const (
	ModeBinary    = "binary"
	ModeExclusive = "exclusive"
)

// Uncoded text in binary mode (and units with no value in exclusive mode).
const (
	UncodedInclude = "include" // units nobody coded count as agreement on absence
	UncodedExclude = "exclude" // units nobody coded are left out
)

// maxCoders and maxValues bound the bit sets used per unit.
const (
	maxCoders = 64
	maxValues = 64
)

// Input is everything Compute needs, as plain values a CLI gathers from the
// store.
type Input struct {
	// Unit is one of UnitKinds; "" means turn.
	Unit string
	// Coders are the coders to compare (at least two), in output order.
	Coders []string
	// Docs are the candidate documents: Compute compares those that every
	// coder has coded (at least one coding of any code), or DocFilter.
	Docs []Doc
	// Codings are the codings of (at least) the compared coders in Docs, of
	// every code: which documents a coder has coded is judged from them.
	// Codings by other coders or in other documents are ignored.
	Codings []Coding
	// Codes: in binary mode the code paths to report (empty: every code
	// the compared coders applied in the compared documents, each path on
	// its own); in exclusive mode the values of the nominal variable
	// (at least two), typically the children of one parent code.
	Codes []string
	// IncludeChildren rolls sub-codes up: a coding of "A/B/C" counts as a
	// coding of each listed code that is "A/B/C" or a path prefix of it
	// ("A", "A/B"). When false only exact paths count.
	IncludeChildren bool
	// Exclusive selects exclusive mode (Codes are one nominal variable).
	Exclusive bool
	// Group names the variable in exclusive mode (the parent code), for
	// output only.
	Group string
	// Uncoded is UncodedInclude ("" too) or UncodedExclude: whether units
	// that no coder coded (with that code, or with any code of the group)
	// are counted. It matters most for unit char.
	Uncoded string
	// DocFilter, when not empty, lists the documents to compare (IDs from
	// Docs), whether or not every coder coded them.
	DocFilter []uint64
	// Disagreements asks for the list of units where coders differ.
	Disagreements bool
}

// DocRef names a compared document.
type DocRef struct {
	ID   uint64 `json:"id"`
	Name string `json:"name"`
	Case string `json:"case"`
}

// CodeStats are the binary-mode results of one code.
type CodeStats struct {
	Code string `json:"code"`
	Stats
}

// Passage is one coding shown with a doc- or case-level disagreement, whose
// unit is too large to print whole.
type Passage struct {
	Coder   string `json:"coder"`
	Code    string `json:"code"`
	Doc     uint64 `json:"doc"`
	DocName string `json:"doc_name"`
	Start   int    `json:"start"`
	End     int    `json:"end"`
	Text    string `json:"text"`
}

// Disagreement is a unit where the coders differ. Code is the code (binary
// mode) or the group (exclusive mode). For doc and case units Text is empty
// and Passages holds the codings involved; for case units Doc is 0.
type Disagreement struct {
	Code     string              `json:"code"`
	Case     string              `json:"case"`
	Doc      uint64              `json:"doc"`
	DocName  string              `json:"doc_name"`
	Start    int                 `json:"start"`
	End      int                 `json:"end"`
	Speaker  string              `json:"speaker,omitempty"`
	Text     string              `json:"text"`
	ByCoder  map[string][]string `json:"by_coder"`
	Passages []Passage           `json:"passages,omitempty"`
}

// Conflict is a unit to which one coder applied two or more codes of an
// exclusive group. The coder's value for that unit is counted as missing.
type Conflict struct {
	Coder   string   `json:"coder"`
	Case    string   `json:"case"`
	Doc     uint64   `json:"doc"`
	DocName string   `json:"doc_name"`
	Start   int      `json:"start"`
	End     int      `json:"end"`
	Codes   []string `json:"codes"`
	Text    string   `json:"text"`
}

// Report is the result of Compute. Its JSON form depends on Mode (see
// MarshalJSON).
type Report struct {
	Unit    string
	Mode    string
	Coders  []string
	Docs    []DocRef
	Uncoded string
	// Method says in words how the numbers were computed.
	Method string
	// Notes are facts the reader should know (fallbacks, ignored codings).
	Notes []string

	// Binary mode.
	Codes  []CodeStats
	Pooled *Stats

	// Exclusive mode.
	Group     string
	Values    []string
	Exclusive *Stats
	Conflicts []Conflict

	// Disagreements is nil unless Input.Disagreements was set.
	Disagreements []Disagreement
}

func invalid(format string, a ...any) error { return coding.Errorf(coding.EInvalid, format, a...) }

// invalidNext is invalid with what to do next, a coding.Next* kind that the
// CLI says in its own words (naming its flags).
func invalidNext(next, format string, a ...any) error {
	return &coding.Error{Kind: coding.EInvalid, Message: fmt.Sprintf(format, a...), Next: next}
}

// Compute compares the coders' codings of the documents and returns the
// agreement report. Bad input gives a *coding.Error of kind EInvalid whose
// message says what to change.
//
// A coder applied a code to a unit when one of their codings of that code
// shares at least one character with the unit (any overlap). Codings are
// clipped to their document's text; empty codings are ignored.
func Compute(in Input) (*Report, error) {
	c, err := prepare(in)
	if err != nil {
		return nil, err
	}
	if c.unit == UnitChar {
		if c.exclusive {
			c.charExclusive()
		} else {
			c.charBinary()
		}
	} else {
		c.buildUnits()
		c.assign()
		if c.exclusive {
			c.unitExclusive()
		} else {
			c.unitBinary()
		}
	}
	return c.report(), nil
}

// comp is the state of one Compute call.
type comp struct {
	in        Input
	unit      string
	exclusive bool
	exclude   bool
	coders    []string
	coderIdx  map[string]int
	full      uint64 // mask with every coder's bit
	docs      []*Doc // compared, sorted by case, name, id
	docIdx    map[uint64]int
	runeLen   []int
	codes     []string
	match     map[string][]int
	codings   []prepCoding
	notes     []string
	offsets   []*coding.Offsets
	skipped   int // codings empty after clipping

	// units (non-char)
	units    []unitInfo
	segs     [][]seg // per compared doc
	cases    []string
	fellBack int

	// binary, non-char: per code, unit -> coder mask
	sparse []map[int32]uint64
	// exclusive, non-char: unit -> per-coder value bit sets
	cells map[int32][]uint64

	// results
	codeStats []CodeStats
	pooled    *Stats
	excl      *Stats
	conflicts []Conflict
	dis       []Disagreement
}

type prepCoding struct {
	doc   int32
	coder int32
	start int
	end   int
	code  string
}

type unitInfo struct {
	doc        int32 // compared doc index, -1 for a case unit
	cas        int32
	start, end int
	speaker    string
}

type seg struct {
	start, end int
	unit       int32
}

func prepare(in Input) (*comp, error) {
	c := &comp{in: in, unit: in.Unit, exclusive: in.Exclusive}
	if c.unit == "" {
		c.unit = UnitTurn
	}
	if !slices.Contains(UnitKinds, c.unit) {
		return nil, invalid("unknown unit %q; use one of %s", in.Unit, strings.Join(UnitKinds, ", "))
	}
	switch in.Uncoded {
	case "", UncodedInclude:
	case UncodedExclude:
		c.exclude = true
	default:
		return nil, invalid("unknown treatment of uncoded units %q; use include or exclude", in.Uncoded)
	}
	// Coders.
	c.coderIdx = map[string]int{}
	for _, name := range in.Coders {
		name = strings.TrimSpace(name)
		if name == "" {
			return nil, invalidNext(coding.NextNameCoders, "a coder name is empty")
		}
		if _, dup := c.coderIdx[name]; dup {
			return nil, invalid("coder %q is listed twice; list each coder once", name)
		}
		c.coderIdx[name] = len(c.coders)
		c.coders = append(c.coders, name)
	}
	if len(c.coders) < 2 {
		return nil, invalidNext(coding.NextNameCoders, "agreement needs at least two coders, got %d%s",
			len(c.coders), listed(c.coders))
	}
	if len(c.coders) > maxCoders {
		return nil, invalid("agreement compares at most %d coders, got %d; compare fewer coders at a time", maxCoders, len(c.coders))
	}
	c.full = uint64(1)<<len(c.coders) - 1
	if len(c.coders) == 64 {
		c.full = math.MaxUint64
	}
	// Documents.
	all := map[uint64]*Doc{}
	for i := range in.Docs {
		d := &in.Docs[i]
		if _, dup := all[d.ID]; dup {
			return nil, coding.Errorf(coding.EInternal, "agreement: document %d given twice", d.ID)
		}
		all[d.ID] = d
	}
	// Which coders coded which documents.
	has := make([]bool, len(c.coders))
	coded := make([]map[uint64]bool, len(c.coders))
	for i := range coded {
		coded[i] = map[uint64]bool{}
	}
	others := map[string]bool{}
	for _, cd := range in.Codings {
		ci, ok := c.coderIdx[cd.Coder]
		if !ok {
			others[cd.Coder] = true
			continue
		}
		has[ci] = true
		if all[cd.Doc] != nil {
			coded[ci][cd.Doc] = true
		}
	}
	for i, ok := range has {
		if !ok {
			names := make([]string, 0, len(others))
			for o := range others {
				names = append(names, o)
			}
			for j, h := range has {
				if h {
					names = append(names, c.coders[j])
				}
			}
			slices.Sort(names)
			hint := "there are no codings by anyone"
			if len(names) > 0 {
				hint = "coders with codings: " + strings.Join(names, ", ")
			}
			return nil, invalidNext(coding.NextCheckCoders, "coder %q has no codings (%s)", c.coders[i], hint)
		}
	}
	var chosen []*Doc
	if len(in.DocFilter) > 0 {
		seen := map[uint64]bool{}
		for _, id := range in.DocFilter {
			d := all[id]
			if d == nil {
				return nil, invalidNext(coding.NextCheckDocs, "document %d is not among the documents to compare", id)
			}
			if !seen[id] {
				seen[id] = true
				chosen = append(chosen, d)
			}
		}
		for i, name := range c.coders {
			n := 0
			for _, d := range chosen {
				if coded[i][d.ID] {
					n++
				}
			}
			if n == 0 {
				c.note("%s has no codings in the compared documents: every unit counts as not coded by %s", name, name)
			}
		}
	} else {
		for i := range in.Docs {
			d := &in.Docs[i]
			every := true
			for ci := range c.coders {
				if !coded[ci][d.ID] {
					every = false
					break
				}
			}
			if every {
				chosen = append(chosen, d)
			}
		}
		if len(chosen) == 0 {
			counts := make([]string, len(c.coders))
			for i, name := range c.coders {
				counts[i] = fmt.Sprintf("%s coded %d", name, len(coded[i]))
			}
			return nil, invalidNext(coding.NextCommonDocs, "no document has codings by all of %s (%s, none in common)",
				strings.Join(c.coders, ", "), strings.Join(counts, ", "))
		}
		if len(chosen) < len(in.Docs) {
			c.note("%d of %d documents compared: the others were not coded by every coder (name documents with --docs to compare them anyway)",
				len(chosen), len(in.Docs))
		}
	}
	slices.SortStableFunc(chosen, func(a, b *Doc) int {
		return cmp.Or(cmp.Compare(a.Case, b.Case), cmp.Compare(a.Name, b.Name), cmp.Compare(a.ID, b.ID))
	})
	c.docs = chosen
	c.docIdx = make(map[uint64]int, len(chosen))
	c.runeLen = make([]int, len(chosen))
	c.offsets = make([]*coding.Offsets, len(chosen))
	for i, d := range chosen {
		c.docIdx[d.ID] = i
		c.runeLen[i] = utf8.RuneCountInString(d.Text)
	}
	// Codes.
	if err := c.prepareCodes(); err != nil {
		return nil, err
	}
	// Codings of compared coders in compared documents, clipped.
	c.match = map[string][]int{}
	for _, cd := range in.Codings {
		ci, ok := c.coderIdx[cd.Coder]
		if !ok {
			continue
		}
		di, ok := c.docIdx[cd.Doc]
		if !ok {
			continue
		}
		s, e := max(cd.Start, 0), min(cd.End, c.runeLen[di])
		if s >= e {
			c.skipped++
			continue
		}
		if len(c.matchCode(cd.Code)) == 0 {
			continue
		}
		c.codings = append(c.codings, prepCoding{doc: int32(di), coder: int32(ci), start: s, end: e, code: cd.Code})
	}
	if c.skipped > 0 {
		c.note("%s ignored because empty or outside the document's text", countOf(c.skipped, "coding was", "codings were"))
	}
	return c, nil
}

// countOf writes n with the singular or plural words.
func countOf(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

func listed(names []string) string {
	if len(names) == 0 {
		return ""
	}
	return " (" + strings.Join(names, ", ") + ")"
}

func (c *comp) note(format string, a ...any) { c.notes = append(c.notes, fmt.Sprintf(format, a...)) }

func (c *comp) prepareCodes() error {
	in := c.in
	if c.exclusive {
		if len(in.Codes) < 2 {
			return invalid("an exclusive comparison needs a group of at least two codes, got %d%s; give a parent code that has two or more children, or list two or more codes",
				len(in.Codes), listed(in.Codes))
		}
		if len(in.Codes) > maxValues {
			return invalid("an exclusive group can have at most %d codes, got %d; split the group", maxValues, len(in.Codes))
		}
		seen := map[string]bool{}
		for _, code := range in.Codes {
			if seen[code] {
				return invalid("code %q is listed twice in the exclusive group; list each code once", code)
			}
			seen[code] = true
		}
		if in.IncludeChildren {
			for _, a := range in.Codes {
				for _, b := range in.Codes {
					if a != b && strings.HasPrefix(b, a+"/") {
						return invalid("code %q is inside %q, so one coding would give two values of the exclusive group; list codes that are not nested", b, a)
					}
				}
			}
		}
		c.codes = append([]string(nil), in.Codes...)
		return nil
	}
	if len(in.Codes) > 0 {
		seen := map[string]bool{}
		for _, code := range in.Codes {
			if !seen[code] {
				seen[code] = true
				c.codes = append(c.codes, code)
			}
		}
		return nil
	}
	set := map[string]bool{}
	for _, cd := range in.Codings {
		if _, ok := c.coderIdx[cd.Coder]; !ok {
			continue
		}
		if _, ok := c.docIdx[cd.Doc]; !ok {
			continue
		}
		set[cd.Code] = true
	}
	for code := range set {
		c.codes = append(c.codes, code)
	}
	slices.Sort(c.codes)
	if len(c.codes) == 0 {
		return invalidNext(coding.NextOtherDocs, "the compared coders applied no codes in the compared documents")
	}
	return nil
}

// matchCode returns the indices of the reported codes a coding of path
// counts for.
func (c *comp) matchCode(path string) []int {
	if m, ok := c.match[path]; ok {
		return m
	}
	var m []int
	for i, code := range c.codes {
		if path == code || (c.in.IncludeChildren && strings.HasPrefix(path, code+"/")) {
			m = append(m, i)
		}
	}
	c.match[path] = m
	return m
}

func (c *comp) offs(di int) *coding.Offsets {
	if c.offsets[di] == nil {
		c.offsets[di] = coding.NewOffsets(c.docs[di].Text)
	}
	return c.offsets[di]
}

func (c *comp) text(di, s, e int) string { return c.offs(di).Slice(s, e) }

// buildUnits makes the units of kinds other than char and, per document,
// the sorted segments that map text positions to units.
func (c *comp) buildUnits() {
	c.segs = make([][]seg, len(c.docs))
	caseIdx := map[string]int32{}
	for di, d := range c.docs {
		key := "c:" + d.Case
		if d.Case == "" {
			key = "d:" + strconv.FormatUint(d.ID, 10)
		}
		ci, ok := caseIdx[key]
		if !ok {
			ci = int32(len(c.cases))
			caseIdx[key] = ci
			c.cases = append(c.cases, d.Case)
			if c.unit == UnitCase {
				doc := int32(-1)
				if d.Case == "" {
					doc = int32(di)
				}
				c.units = append(c.units, unitInfo{doc: doc, cas: ci})
			}
		}
		switch c.unit {
		case UnitCase:
			// Find the case unit: cases are numbered in order of creation, and
			// so are case units.
			c.segs[di] = []seg{{0, math.MaxInt, ci}}
		case UnitDoc:
			c.segs[di] = []seg{{0, math.MaxInt, int32(len(c.units))}}
			c.units = append(c.units, unitInfo{doc: int32(di), cas: ci, start: 0, end: c.runeLen[di]})
		default:
			spans, fell, _ := UnitSpans(*d, c.unit)
			if fell {
				c.fellBack++
			}
			var speakers []coding.Turn
			if c.unit == UnitTurn && !fell {
				speakers = d.Turns
			}
			ss := make([]seg, len(spans))
			for i, sp := range spans {
				u := unitInfo{doc: int32(di), cas: ci, start: sp.Start, end: sp.End}
				if speakers != nil {
					u.speaker = speakerAt(speakers, sp.Start)
				}
				ss[i] = seg{sp.Start, sp.End, int32(len(c.units))}
				c.units = append(c.units, u)
			}
			c.segs[di] = ss
		}
	}
	if c.fellBack > 0 {
		c.note("%s no turns, so paragraphs are the units there", countOf(c.fellBack, "document has", "documents have"))
	}
}

func speakerAt(turns []coding.Turn, pos int) string {
	for _, t := range turns {
		if t.Start <= pos && pos < t.End {
			return t.Speaker
		}
	}
	return ""
}

// forUnits calls f for each unit that [s,e) of document di overlaps.
func (c *comp) forUnits(di, s, e int, f func(u int32)) {
	ss := c.segs[di]
	i := sort.Search(len(ss), func(i int) bool { return ss[i].end > s })
	for ; i < len(ss) && ss[i].start < e; i++ {
		f(ss[i].unit)
	}
}

// assign marks, per unit, which coders applied which codes.
func (c *comp) assign() {
	if c.exclusive {
		c.cells = map[int32][]uint64{}
	} else {
		c.sparse = make([]map[int32]uint64, len(c.codes))
		for i := range c.sparse {
			c.sparse[i] = map[int32]uint64{}
		}
	}
	m := len(c.coders)
	for _, cd := range c.codings {
		idx := c.matchCode(cd.code)
		bit := uint64(1) << cd.coder
		c.forUnits(int(cd.doc), cd.start, cd.end, func(u int32) {
			if c.exclusive {
				cell := c.cells[u]
				if cell == nil {
					cell = make([]uint64, m)
					c.cells[u] = cell
				}
				for _, v := range idx {
					cell[cd.coder] |= 1 << v
				}
				return
			}
			for _, ci := range idx {
				c.sparse[ci][u] |= bit
			}
		})
	}
}

// maskVals turns a coder mask into binary values: 0 coded, 1 not coded.
func maskVals(mask uint64, vals []int) {
	for i := range vals {
		if mask&(1<<i) != 0 {
			vals[i] = 0
		} else {
			vals[i] = 1
		}
	}
}

var binaryLabels = []string{"coded", "not coded"}

// binaryStats computes per-code and pooled statistics from histograms of
// coder masks (weights per mask).
func (c *comp) binaryStats(hists []map[uint64]int64) {
	m := len(c.coders)
	pooled := newAcc(m, 2)
	vals := make([]int, m)
	for ci, h := range hists {
		a := newAcc(m, 2)
		masks := make([]uint64, 0, len(h))
		for mask := range h {
			masks = append(masks, mask)
		}
		slices.Sort(masks)
		for _, mask := range masks {
			if mask == 0 && c.exclude {
				continue
			}
			maskVals(mask, vals)
			a.add(vals, h[mask])
			pooled.add(vals, h[mask])
		}
		c.codeStats = append(c.codeStats, CodeStats{Code: c.codes[ci], Stats: a.stats(c.coders, binaryLabels, true)})
		if a.units > 0 && a.perCoderTotal0() == 0 {
			c.note("nobody applied %s in the compared units", c.codes[ci])
		}
	}
	ps := pooled.stats(c.coders, binaryLabels, true)
	c.pooled = &ps
}

func (a *acc) perCoderTotal0() int64 {
	var t int64
	for _, pc := range a.perCoder {
		t += pc[0]
	}
	return t
}

func (c *comp) unitBinary() {
	hists := make([]map[uint64]int64, len(c.codes))
	for ci, sp := range c.sparse {
		h := map[uint64]int64{}
		for _, mask := range sp {
			h[mask]++
		}
		h[0] += int64(len(c.units) - len(sp))
		hists[ci] = h
	}
	c.binaryStats(hists)
	if !c.in.Disagreements {
		return
	}
	c.dis = []Disagreement{}
	type key struct {
		code int
		unit int32
	}
	idx := map[key]int{}
	for ci, sp := range c.sparse {
		units := make([]int32, 0, len(sp))
		for u, mask := range sp {
			if mask != c.full {
				units = append(units, u)
			}
		}
		slices.Sort(units)
		for _, u := range units {
			mask := sp[u]
			d := c.unitDisagreement(c.codes[ci], u)
			for i, name := range c.coders {
				if mask&(1<<i) != 0 {
					d.ByCoder[name] = []string{c.codes[ci]}
				}
			}
			idx[key{ci, u}] = len(c.dis)
			c.dis = append(c.dis, d)
		}
	}
	if c.unit == UnitDoc || c.unit == UnitCase {
		for _, cd := range c.codings {
			for _, ci := range c.matchCode(cd.code) {
				c.forUnits(int(cd.doc), cd.start, cd.end, func(u int32) {
					if i, ok := idx[key{ci, u}]; ok {
						c.dis[i].Passages = append(c.dis[i].Passages, c.passage(cd))
					}
				})
			}
		}
	}
}

func (c *comp) passage(cd prepCoding) Passage {
	d := c.docs[cd.doc]
	return Passage{
		Coder: c.coders[cd.coder], Code: cd.code, Doc: d.ID, DocName: d.Name,
		Start: cd.start, End: cd.end, Text: c.text(int(cd.doc), cd.start, cd.end),
	}
}

// unitDisagreement describes unit u with every coder's codes empty.
func (c *comp) unitDisagreement(code string, u int32) Disagreement {
	ui := c.units[u]
	d := Disagreement{Code: code, Case: c.cases[ui.cas], ByCoder: c.emptyByCoder()}
	if ui.doc >= 0 {
		doc := c.docs[ui.doc]
		d.Doc, d.DocName = doc.ID, doc.Name
		d.Start, d.End, d.Speaker = ui.start, ui.end, ui.speaker
		if c.unit != UnitDoc {
			d.Text = c.text(int(ui.doc), ui.start, ui.end)
		}
	}
	return d
}

func (c *comp) emptyByCoder() map[string][]string {
	m := make(map[string][]string, len(c.coders))
	for _, name := range c.coders {
		m[name] = []string{}
	}
	return m
}

// Exclusive-mode state per coder, encoded in one byte: 0 missing, 1+v the
// value v, conflictByte two or more values.
const conflictByte = 0xff

func cellByte(set uint64) byte {
	switch bits.OnesCount64(set) {
	case 0:
		return 0
	case 1:
		return byte(1 + bits.TrailingZeros64(set))
	}
	return conflictByte
}

func (c *comp) valuesOf(set uint64) []string {
	out := []string{}
	for set != 0 {
		v := bits.TrailingZeros64(set)
		out = append(out, c.codes[v])
		set &^= 1 << v
	}
	return out
}

// exclusiveStats computes the statistics from a histogram of state keys.
func (c *comp) exclusiveStats(h map[string]int64) {
	m := len(c.coders)
	a := newAcc(m, len(c.codes))
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	vals := make([]int, m)
	conflicted := false
	for _, k := range keys {
		none := true
		for i := 0; i < m; i++ {
			switch b := k[i]; b {
			case 0:
				vals[i] = Missing
			case conflictByte:
				vals[i] = Missing
				none = false
				conflicted = true
			default:
				vals[i] = int(b) - 1
				none = false
			}
		}
		if none && c.exclude {
			continue
		}
		a.add(vals, h[k])
	}
	s := a.stats(c.coders, c.codes, false)
	c.excl = &s
	if conflicted {
		c.note("%s: a coder applied two or more codes of the group to one unit; that coder's value there counts as missing", countOf(len(c.conflicts), "conflict", "conflicts"))
	}
}

func (c *comp) unitExclusive() {
	m := len(c.coders)
	h := map[string]int64{}
	key := make([]byte, m)
	us := make([]int32, 0, len(c.cells))
	for u := range c.cells {
		us = append(us, u)
	}
	slices.Sort(us)
	if c.in.Disagreements {
		c.dis = []Disagreement{}
	}
	idx := map[int32]int{}
	for _, u := range us {
		cell := c.cells[u]
		same := true
		for i, set := range cell {
			key[i] = cellByte(set)
			if set != cell[0] {
				same = false
			}
			if key[i] == conflictByte {
				c.conflicts = append(c.conflicts, c.unitConflict(u, i, set))
			}
		}
		h[string(key)]++
		if !same && c.in.Disagreements {
			d := c.unitDisagreement(c.groupName(), u)
			for i, set := range cell {
				d.ByCoder[c.coders[i]] = c.valuesOf(set)
			}
			idx[u] = len(c.dis)
			c.dis = append(c.dis, d)
		}
	}
	h[string(make([]byte, m))] += int64(len(c.units) - len(c.cells))
	c.exclusiveStats(h)
	if c.in.Disagreements && (c.unit == UnitDoc || c.unit == UnitCase) {
		for _, cd := range c.codings {
			c.forUnits(int(cd.doc), cd.start, cd.end, func(u int32) {
				if i, ok := idx[u]; ok {
					c.dis[i].Passages = append(c.dis[i].Passages, c.passage(cd))
				}
			})
		}
	}
}

func (c *comp) groupName() string {
	if c.in.Group != "" {
		return c.in.Group
	}
	return strings.Join(c.codes, " | ")
}

func (c *comp) unitConflict(u int32, coder int, set uint64) Conflict {
	ui := c.units[u]
	k := Conflict{Coder: c.coders[coder], Case: c.cases[ui.cas], Codes: c.valuesOf(set)}
	if ui.doc >= 0 {
		doc := c.docs[ui.doc]
		k.Doc, k.DocName, k.Start, k.End = doc.ID, doc.Name, ui.start, ui.end
		if c.unit != UnitDoc {
			k.Text = c.text(int(ui.doc), ui.start, ui.end)
		}
	}
	return k
}

func (c *comp) report() *Report {
	r := &Report{
		Unit:   c.unit,
		Coders: c.coders,
		Docs:   make([]DocRef, len(c.docs)),
		Notes:  c.notes,
	}
	for i, d := range c.docs {
		r.Docs[i] = DocRef{ID: d.ID, Name: d.Name, Case: d.Case}
	}
	if r.Notes == nil {
		r.Notes = []string{}
	}
	if c.exclude {
		r.Uncoded = UncodedExclude
	} else {
		r.Uncoded = UncodedInclude
	}
	if c.exclusive {
		r.Mode = ModeExclusive
		r.Group = c.in.Group
		r.Values = c.codes
		r.Exclusive = c.excl
		r.Conflicts = c.conflicts
		if r.Conflicts == nil {
			r.Conflicts = []Conflict{}
		}
	} else {
		r.Mode = ModeBinary
		r.Codes = c.codeStats
		r.Pooled = c.pooled
	}
	if c.in.Disagreements {
		slices.SortStableFunc(c.dis, func(a, b Disagreement) int {
			return cmp.Or(cmp.Compare(a.Code, b.Code), cmp.Compare(a.Case, b.Case),
				cmp.Compare(a.DocName, b.DocName), cmp.Compare(a.Doc, b.Doc), cmp.Compare(a.Start, b.Start))
		})
		r.Disagreements = c.dis
		if r.Disagreements == nil {
			r.Disagreements = []Disagreement{}
		}
	}
	r.Method = c.method()
	return r
}

var unitWords = map[string][2]string{
	UnitTurn:      {"turn", "turns"},
	UnitSentence:  {"sentence", "sentences"},
	UnitParagraph: {"paragraph", "paragraphs"},
	UnitDoc:       {"document", "documents"},
	UnitCase:      {"case", "cases"},
	UnitChar:      {"character", "characters"},
}

func plural(n int64, kind string) string {
	w := unitWords[kind]
	if n == 1 {
		return "1 " + w[0]
	}
	return fmt.Sprintf("%d %s", n, w[1])
}

// method writes the sentence that says how the numbers were computed.
func (c *comp) method() string {
	var b strings.Builder
	var total int64
	if c.unit == UnitChar {
		for _, n := range c.runeLen {
			total += int64(n)
		}
	} else {
		total = int64(len(c.units))
	}
	fmt.Fprintf(&b, "Units are the %s of %s compared (%s)", plural(total, c.unit), countOf(len(c.docs), "document", "documents"), unitRule(c.unit))
	if c.unit != UnitChar {
		b.WriteString("; a coder applied a code to a unit when one of their codings of it shares at least one character with the unit")
	}
	if c.in.IncludeChildren {
		b.WriteString(", codings of sub-codes counting for their parent")
	}
	b.WriteString(". ")
	if c.exclusive {
		fmt.Fprintf(&b, "Exclusive mode: the %d codes are the values of one nominal variable; a coder's value for a unit is the one code applied, missing when none, and missing (reported as a conflict) when two or more. ", len(c.codes))
		b.WriteString("Percent agreement and Fleiss' kappa use the units every coder gave a value; Cohen's kappa (two coders) the units both gave a value, with each coder's own marginals; Krippendorff's alpha (nominal) uses every unit with at least two values, from the coincidence matrix")
		if c.exclude {
			b.WriteString("; units no coder coded are left out of the unit count")
		}
		b.WriteString(".")
		return b.String()
	}
	b.WriteString("Binary mode: for each code every unit is coded or not coded by each coder")
	if c.exclude {
		b.WriteString(", and units that no coder coded with that code are left out (--uncoded exclude)")
	} else {
		b.WriteString(", and units that no coder coded count as agreement (--uncoded include)")
	}
	b.WriteString(". Percent agreement is the share of units on which all coders agree; Cohen's kappa (two coders) uses each coder's own marginals; Fleiss' kappa uses the marginals pooled over coders; Krippendorff's alpha (nominal) is computed from the coincidence matrix. Pooled values count every (code, unit) pair as one unit.")
	return b.String()
}

func unitRule(kind string) string {
	switch kind {
	case UnitTurn:
		return "each turn's spoken text; documents without turns are split into paragraphs"
	case UnitSentence:
		return "sentences inside turns, split after . ! ? and similar marks followed by a space or a line end"
	case UnitParagraph:
		return "lines of text inside turns"
	case UnitDoc:
		return "each whole document"
	case UnitCase:
		return "each case, all its compared documents together; a document without a case is its own case"
	case UnitChar:
		return "every character of each document's text, NVivo-style"
	}
	return kind
}
