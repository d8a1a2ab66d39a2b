package report

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
)

// DefaultMost is the usual threshold of the "most" level: more than half of
// the cases.
const DefaultMost = 0.5

// QuoteLimit is the length in characters under which a longer quote is
// preferred when no coding is marked Key or has a memo.
const QuoteLimit = 300

// Levels of recurrence, from the strongest.
const (
	LevelAll  = "all"  // present in every case
	LevelMost = "most" // present in more than the threshold share of cases
	LevelSome = "some" // present in at least one case
	LevelNone = "none" // present in no case
)

// Levels lists the levels from the strongest.
var Levels = []string{LevelAll, LevelMost, LevelSome, LevelNone}

// RecurrenceOptions configures Recurrence.
type RecurrenceOptions struct {
	Filter
	// Most is the share of cases a code must exceed to be "most"; it must be
	// in (0, 1]. Use DefaultMost for the usual "more than half".
	Most float64
	// Quotes is the number of quotes per code and case (0: none).
	Quotes int
	// ByAttr, when set, also splits the report by this case attribute.
	ByAttr string
}

// RecurrenceReport lists every code of the codebook with the cases (stories)
// it is present in, most recurrent first.
type RecurrenceReport struct {
	Report     string  `json:"report"` // "recurrence"
	CasesTotal int     `json:"cases_total"`
	Most       float64 `json:"most"`
	Filters    Filter  `json:"filters"`
	// Cases names the cases of the report, in order; CaseCodings of each
	// code is aligned with it.
	Cases []string `json:"cases"`
	// Codings is the number of codings counted after the filters.
	Codings int `json:"codings"`
	// Roles lists the roles of the counted codings, in order.
	Roles       []string         `json:"roles"`
	Codes       []CodeRecurrence `json:"codes"`
	ByAttr      *AttrSplit       `json:"by_attr,omitempty"`
	EmptyReason string           `json:"empty_reason,omitempty"`
}

// CodeRecurrence is one code's line of the recurrence report.
type CodeRecurrence struct {
	Code        string   `json:"code"` // path from the root, names joined by "/"
	ID          uint64   `json:"id"`
	Depth       int      `json:"depth"`
	Description string   `json:"description,omitempty"`
	Cases       int      `json:"cases"` // cases where the code is present
	Share       float64  `json:"share"` // Cases / cases_total, rounded to 4 places
	Level       string   `json:"level"`
	Present     []string `json:"present"`
	Absent      []string `json:"absent"` // the negative cases
	// Roles counts, per role, the cases where a coding with that role exists.
	Roles map[string]int `json:"roles"`
	// BothRoles counts the cases where at least two different roles coded it.
	BothRoles int `json:"both_roles"`
	// Codings is the number of codings of the code and its sub-codes.
	Codings int `json:"codings"`
	// CaseCodings is the number of codings per case, aligned with Cases.
	CaseCodings []int   `json:"case_codings"`
	Quotes      []Quote `json:"quotes"`
}

// Quote is a coded passage that shows a code in a case.
type Quote struct {
	Case    string `json:"case"`
	Doc     string `json:"doc"`
	Speaker string `json:"speaker"`
	Role    string `json:"role,omitempty"`
	Code    string `json:"code"` // the code of the coding, maybe a sub-code
	Coder   string `json:"coder,omitempty"`
	Start   int    `json:"start"`
	End     int    `json:"end"`
	Key     bool   `json:"key,omitempty"`
	Memo    string `json:"memo,omitempty"`
	Text    string `json:"text"`
}

// AttrSplit is the recurrence report split by the values of an attribute.
type AttrSplit struct {
	Attr   string      `json:"attr"`
	Groups []AttrGroup `json:"groups"`
}

// AttrGroup is the recurrence among the cases with one attribute value.
type AttrGroup struct {
	Value      string          `json:"value"` // "" for cases without the attribute
	CasesTotal int             `json:"cases_total"`
	Cases      []string        `json:"cases"`
	Codes      []GroupCodeLine `json:"codes"`
}

// GroupCodeLine is one code's recurrence within an AttrGroup.
type GroupCodeLine struct {
	Code      string         `json:"code"`
	Cases     int            `json:"cases"`
	Share     float64        `json:"share"`
	Level     string         `json:"level"`
	Absent    []string       `json:"absent"`
	Roles     map[string]int `json:"roles"`
	BothRoles int            `json:"both_roles"`
}

// LevelOf returns the level of a code present in cases of total cases with
// threshold most: "most" needs a share strictly above most.
func LevelOf(cases, total int, most float64) string {
	switch {
	case cases == 0 || total == 0:
		return LevelNone
	case cases >= total:
		return LevelAll
	case float64(cases)/float64(total) > most:
		return LevelMost
	default:
		return LevelSome
	}
}

func round4(x float64) float64 { return math.Round(x*1e4) / 1e4 }

func share(n, total int) float64 {
	if total == 0 {
		return 0
	}
	return round4(float64(n) / float64(total))
}

// checkMost validates a threshold.
func checkMost(most float64) error {
	if math.IsNaN(most) || most <= 0 || most > 1 {
		return invalid("the --most threshold must be more than 0 and at most 1 (got %v).", most)
	}
	return nil
}

// Recurrence computes the recurrence report: per code, the cases it is
// present in, its level, the absent cases, the perspective split by role and
// the best quotes per case.
func Recurrence(ds *Dataset, opt RecurrenceOptions) (*RecurrenceReport, error) {
	if err := checkMost(opt.Most); err != nil {
		return nil, err
	}
	if opt.Quotes < 0 {
		return nil, invalid("the number of quotes must be 0 or more (got %d).", opt.Quotes)
	}
	if ds != nil && opt.ByAttr != "" && !ds.hasCaseAttr(opt.ByAttr) {
		return nil, invalid("no case has the attribute %q, so the report cannot be split by it; check the attribute name.", opt.ByAttr)
	}
	ix, err := newIndex(ds, opt.Filter)
	if err != nil {
		return nil, err
	}
	uni := ix.universe()
	rep := &RecurrenceReport{Report: "recurrence", CasesTotal: len(uni), Most: opt.Most, Filters: opt.Filter,
		Cases: make([]string, len(uni)), Roles: []string{}, Codes: []CodeRecurrence{}}
	for i, u := range uni {
		rep.Cases[i] = ix.units[u].name
	}
	rep.EmptyReason = ix.emptyReason(opt.Filter, len(uni))
	if rep.EmptyReason != "" {
		if opt.ByAttr != "" {
			rep.ByAttr = &AttrSplit{Attr: opt.ByAttr, Groups: []AttrGroup{}}
		}
		return rep, nil
	}
	rep.Codings = len(ix.codings)

	// Column of each unit in the report; codings of units outside the
	// universe cannot occur (their documents failed the filter).
	nc := len(uni)
	col := make([]int32, len(ix.units))
	for i := range col {
		col[i] = -1
	}
	for i, u := range uni {
		col[u] = int32(i)
	}
	ncode := len(ix.tree.codes)
	nrole := len(ix.roles)
	present := make([]bitset, ncode)
	byRole := make([][]bitset, ncode) // [code][role]
	counts := make([]int32, ncode*nc)
	for i := range present {
		present[i] = newBitset(nc)
		byRole[i] = make([]bitset, nrole)
		for r := range byRole[i] {
			byRole[i][r] = newBitset(nc)
		}
	}
	// best holds, per code and case, the positions of the best quotes in
	// ix.codings, best first, -1 past the last: Quotes slots per cell.
	var best []int32
	q := opt.Quotes
	if q > 0 {
		best = make([]int32, ncode*nc*q)
		for i := range best {
			best[i] = -1
		}
	}
	for k := range ix.codings {
		c := &ix.codings[k]
		cc := col[c.cas]
		var flags uint8
		if best != nil {
			flags = ix.quoteFlags(c)
		}
		for _, code := range ix.tree.up[c.code] {
			present[code].set(cc)
			if c.role >= 0 {
				byRole[code][c.role].set(cc)
			}
			cell := int(code)*nc + int(cc)
			counts[cell]++
			if best != nil {
				ix.insertBest(best[cell*q:(cell+1)*q], int32(k), flags)
			}
		}
	}

	used := make([]bool, nrole)
	for k := range ix.codings {
		if r := ix.codings[k].role; r >= 0 {
			used[r] = true
		}
	}
	for r, ok := range used {
		if ok {
			rep.Roles = append(rep.Roles, ix.roles[r])
		}
	}
	sort.Strings(rep.Roles)
	two := make([]bitset, ncode)
	for code := range present {
		one := newBitset(nc)
		two[code] = newBitset(nc)
		for _, r := range byRole[code] {
			for w := range r {
				two[code][w] |= one[w] & r[w]
				one[w] |= r[w]
			}
		}
	}

	lines := make([]CodeRecurrence, 0, ncode)
	for _, code := range ix.tree.order {
		c := &ix.tree.codes[code]
		n := present[code].count()
		line := CodeRecurrence{Code: ix.tree.path[code], ID: c.ID, Depth: ix.tree.depth[code], Description: c.Description,
			Cases: n, Share: share(n, nc), Level: LevelOf(n, nc, opt.Most),
			Present: make([]string, 0, n), Absent: make([]string, 0, nc-n), Roles: map[string]int{},
			BothRoles: two[code].count(), CaseCodings: make([]int, nc), Quotes: []Quote{}}
		for i := 0; i < nc; i++ {
			if present[code].has(int32(i)) {
				line.Present = append(line.Present, rep.Cases[i])
			} else {
				line.Absent = append(line.Absent, rep.Cases[i])
			}
			v := int(counts[int(code)*nc+i])
			line.CaseCodings[i] = v
			line.Codings += v
		}
		for r, b := range byRole[code] {
			if k := b.count(); k > 0 {
				line.Roles[ix.roles[r]] = k
			}
		}
		lines = append(lines, line)
	}
	// Most recurrent first; ties keep the codebook order.
	sort.SliceStable(lines, func(a, b int) bool { return lines[a].Cases > lines[b].Cases })
	rep.Codes = lines

	if best != nil {
		if err := ix.fillQuotes(rep, best, nc, q); err != nil {
			return nil, err
		}
	}
	if opt.ByAttr != "" {
		rep.ByAttr = ix.splitByAttr(opt.ByAttr, opt.Most, uni, rep, present, byRole, two)
	}
	return rep, nil
}

// hasCaseAttr reports whether any case, or any document without a case, has
// attribute k.
func (ds *Dataset) hasCaseAttr(k string) bool {
	for i := range ds.Cases {
		if _, ok := ds.Cases[i].Attrs[k]; ok {
			return true
		}
	}
	// Documents carry attributes for their case too (see caseAttr).
	for i := range ds.Docs {
		if _, ok := ds.Docs[i].Attrs[k]; ok {
			return true
		}
	}
	return false
}

// caseAttr returns a unit's attribute: the case's own, else the one value
// its documents agree on; ok is false when it has none.
func (ix *index) caseAttr(u int32, k string) (string, bool) {
	un := &ix.units[u]
	if un.c != nil {
		if v, ok := un.c.Attrs[k]; ok {
			return v, true
		}
	}
	val, found := "", false
	for _, d := range un.docs {
		v, ok := ix.ds.Docs[d].Attrs[k]
		if !ok {
			continue
		}
		if found && v != val {
			return "", false
		}
		val, found = v, true
	}
	return val, found
}

// Quote flags of a coding, compared first when choosing quotes.
const (
	flagKey  = 2
	flagMemo = 1
)

func (ix *index) quoteFlags(c *coded) uint8 {
	src := &ix.ds.Codings[c.src]
	var f uint8
	if src.Key {
		f |= flagKey
	}
	if ix.ds.memo(src) != "" {
		f |= flagMemo
	}
	return f
}

// better reports whether coding a (with quote flags fa) makes a better quote
// than coding b (flags fb): Key first, then one with a memo, then the
// longest under QuoteLimit characters (or, past it, the shortest), then the
// earliest.
func (ix *index) better(a *coded, fa uint8, b *coded, fb uint8) bool {
	if fa != fb {
		return fa > fb
	}
	ca, cb := a.chars(), b.chars()
	ua, ub := ca < QuoteLimit, cb < QuoteLimit
	if ua != ub {
		return ua
	}
	if ca != cb {
		return (ca > cb) == ua
	}
	if a.doc != b.doc {
		return a.doc < b.doc
	}
	if a.start != b.start {
		return a.start < b.start
	}
	return ix.ds.Codings[a.src].ID < ix.ds.Codings[b.src].ID
}

// insertBest inserts coding k, with quote flags fk, into the ranked slots of
// one cell (-1: empty), dropping the last when they are full.
func (ix *index) insertBest(cell []int32, k int32, fk uint8) {
	c := &ix.codings[k]
	pos := len(cell)
	for pos > 0 {
		o := cell[pos-1]
		if o >= 0 && !ix.better(c, fk, &ix.codings[o], ix.quoteFlags(&ix.codings[o])) {
			break
		}
		pos--
	}
	if pos >= len(cell) {
		return
	}
	copy(cell[pos+1:], cell[pos:len(cell)-1])
	cell[pos] = k
}

// fillQuotes reads the text of the chosen codings in one call of
// Dataset.Passages and attaches the quotes to the report's lines.
func (ix *index) fillQuotes(rep *RecurrenceReport, best []int32, nc, q int) error {
	// The chosen codings, each once, by document and start.
	chosen := make([]int32, 0, len(best))
	for _, k := range best {
		if k >= 0 {
			chosen = append(chosen, k)
		}
	}
	slices.SortFunc(chosen, func(a, b int32) int {
		x, y := &ix.codings[a], &ix.codings[b]
		if x.doc != y.doc {
			return cmp.Compare(x.doc, y.doc)
		}
		if x.start != y.start {
			return cmp.Compare(x.start, y.start)
		}
		return cmp.Compare(a, b)
	})
	all := make([]Quote, len(chosen)) // one backing array for every line's quotes
	chosen = slices.Compact(chosen)   // a coding may be the best of its code and of a parent
	texts := make([]string, len(chosen))
	if ix.ds.Passages != nil && len(chosen) > 0 {
		ps := make([]Passage, len(chosen))
		for i, k := range chosen {
			c := &ix.codings[k]
			ps[i] = Passage{Doc: ix.ds.Docs[c.doc].ID, Start: int(c.start), End: int(c.end)}
		}
		if err := ix.ds.Passages(ps); err != nil {
			return fmt.Errorf("load the quoted passages: %w", err)
		}
		for i := range ps {
			texts[i] = strings.TrimSpace(ps[i].Text)
		}
	}
	textOf := func(k int32) string {
		i, _ := slices.BinarySearchFunc(chosen, k, func(e, t int32) int {
			x, y := &ix.codings[e], &ix.codings[t]
			if x.doc != y.doc {
				return cmp.Compare(x.doc, y.doc)
			}
			if x.start != y.start {
				return cmp.Compare(x.start, y.start)
			}
			return cmp.Compare(e, t)
		})
		return texts[i]
	}
	for li := range rep.Codes {
		line := &rep.Codes[li]
		code := ix.tree.byID[line.ID]
		n := 0
		for _, k := range best[int(code)*nc*q : (int(code)+1)*nc*q] {
			if k >= 0 {
				n++
			}
		}
		if n == 0 {
			continue
		}
		line.Quotes, all = all[:0:n], all[n:]
		for cc := 0; cc < nc; cc++ {
			for _, k := range best[(int(code)*nc+cc)*q : (int(code)*nc+cc+1)*q] {
				if k < 0 {
					break
				}
				c := &ix.codings[k]
				src := &ix.ds.Codings[c.src]
				qt := Quote{Case: rep.Cases[cc], Doc: ix.ds.Docs[c.doc].Name, Speaker: ix.speaker(c),
					Code: ix.tree.path[c.code], Coder: ix.ds.coder(src), Start: int(c.start), End: int(c.end),
					Key: src.Key, Memo: ix.ds.memo(src), Text: textOf(k)}
				if c.role >= 0 {
					qt.Role = ix.roles[c.role]
				}
				line.Quotes = append(line.Quotes, qt)
			}
		}
	}
	return nil
}

func (ix *index) splitByAttr(attr string, most float64, uni []int32, rep *RecurrenceReport,
	present []bitset, byRole [][]bitset, two []bitset) *AttrSplit {
	nc := len(uni)
	groups := map[string]bitset{}
	for i, u := range uni {
		v, _ := ix.caseAttr(u, attr)
		if groups[v] == nil {
			groups[v] = newBitset(nc)
		}
		groups[v].set(int32(i))
	}
	values := make([]string, 0, len(groups))
	for v := range groups {
		values = append(values, v)
	}
	sort.Slice(values, func(a, b int) bool {
		if (values[a] == "") != (values[b] == "") {
			return values[b] == "" // cases without the attribute last
		}
		return naturalLess(values[a], values[b])
	})
	split := &AttrSplit{Attr: attr, Groups: make([]AttrGroup, 0, len(values))}
	for _, v := range values {
		mask := groups[v]
		total := mask.count()
		g := AttrGroup{Value: v, CasesTotal: total, Cases: make([]string, 0, total), Codes: make([]GroupCodeLine, 0, len(rep.Codes))}
		for i := 0; i < nc; i++ {
			if mask.has(int32(i)) {
				g.Cases = append(g.Cases, rep.Cases[i])
			}
		}
		for _, line := range rep.Codes {
			code := ix.tree.byID[line.ID]
			n := present[code].andCount(mask)
			gl := GroupCodeLine{Code: line.Code, Cases: n, Share: share(n, total), Level: LevelOf(n, total, most),
				Absent: []string{}, Roles: map[string]int{}, BothRoles: two[code].andCount(mask)}
			for i := 0; i < nc; i++ {
				if mask.has(int32(i)) && !present[code].has(int32(i)) {
					gl.Absent = append(gl.Absent, rep.Cases[i])
				}
			}
			for r, b := range byRole[code] {
				if k := b.andCount(mask); k > 0 {
					gl.Roles[ix.roles[r]] = k
				}
			}
			g.Codes = append(g.Codes, gl)
		}
		sort.SliceStable(g.Codes, func(a, b int) bool { return g.Codes[a].Cases > g.Codes[b].Cases })
		split.Groups = append(split.Groups, g)
	}
	return split
}
