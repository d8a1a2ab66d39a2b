package report

import (
	"fmt"
	"math"
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
	var best [][]int32 // [code*nc+case] -> coding positions, best first
	if opt.Quotes > 0 {
		best = make([][]int32, ncode*nc)
	}
	for k := range ix.codings {
		c := &ix.codings[k]
		cc := col[c.cas]
		for _, code := range ix.tree.up[c.code] {
			present[code].set(cc)
			if c.role >= 0 {
				byRole[code][c.role].set(cc)
			}
			counts[int(code)*nc+int(cc)]++
			if best != nil {
				cell := &best[int(code)*nc+int(cc)]
				*cell = ix.insertBest(*cell, int32(k), opt.Quotes)
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
		if err := ix.fillQuotes(rep, best, nc); err != nil {
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

// better reports whether coding a makes a better quote than coding b: Key
// first, then one with a memo, then the longest under QuoteLimit characters
// (or, past it, the shortest), then the earliest.
func (ix *index) better(a, b *coded) bool {
	if a.c.Key != b.c.Key {
		return a.c.Key
	}
	if ma, mb := a.c.Memo != "", b.c.Memo != ""; ma != mb {
		return ma
	}
	ua, ub := a.chars < QuoteLimit, b.chars < QuoteLimit
	if ua != ub {
		return ua
	}
	if a.chars != b.chars {
		return (a.chars > b.chars) == ua
	}
	if a.doc != b.doc {
		return a.doc < b.doc
	}
	if a.c.Start != b.c.Start {
		return a.c.Start < b.c.Start
	}
	return a.c.ID < b.c.ID
}

// insertBest inserts coding k into the ranked list cell, keeping at most n.
func (ix *index) insertBest(cell []int32, k int32, n int) []int32 {
	c := &ix.codings[k]
	pos := len(cell)
	for pos > 0 && ix.better(c, &ix.codings[cell[pos-1]]) {
		pos--
	}
	if pos >= n {
		return cell
	}
	if len(cell) < n {
		cell = append(cell, 0)
	}
	copy(cell[pos+1:], cell[pos:len(cell)-1])
	cell[pos] = k
	return cell
}

// fillQuotes loads the text of the chosen codings, one document at a time,
// and attaches the quotes to the report's lines.
func (ix *index) fillQuotes(rep *RecurrenceReport, best [][]int32, nc int) error {
	byDoc := map[int32][]int32{}
	for _, cell := range best {
		for _, k := range cell {
			d := ix.codings[k].doc
			byDoc[d] = append(byDoc[d], k)
		}
	}
	texts := make(map[int32]string, 8*len(byDoc)) // coding position -> text
	docs := make([]int32, 0, len(byDoc))
	for d := range byDoc {
		docs = append(docs, d)
	}
	sort.Slice(docs, func(a, b int) bool { return docs[a] < docs[b] })
	for _, d := range docs {
		if ix.ds.Text == nil {
			break
		}
		doc := &ix.ds.Docs[d]
		text, err := ix.ds.Text(doc.ID)
		if err != nil {
			return fmt.Errorf("load the text of document %q for quotes: %w", doc.Name, err)
		}
		ks := byDoc[d]
		spans := make([][2]int, len(ks))
		for i, k := range ks {
			spans[i] = [2]int{ix.codings[k].c.Start, ix.codings[k].c.End}
		}
		for i, s := range sliceRunes(text, spans) {
			texts[ks[i]] = strings.TrimSpace(s)
		}
	}
	for li := range rep.Codes {
		line := &rep.Codes[li]
		code := ix.tree.byID[line.ID]
		for cc := 0; cc < nc; cc++ {
			for _, k := range best[int(code)*nc+cc] {
				c := &ix.codings[k]
				q := Quote{Case: rep.Cases[cc], Doc: ix.ds.Docs[c.doc].Name, Speaker: ix.speaker(c),
					Code: ix.tree.path[c.code], Coder: c.c.Coder, Start: c.c.Start, End: c.c.End,
					Key: c.c.Key, Memo: c.c.Memo, Text: texts[k]}
				if c.role >= 0 {
					q.Role = ix.roles[c.role]
				}
				line.Quotes = append(line.Quotes, q)
			}
		}
	}
	return nil
}

// sliceRunes returns text[start:end) for each span of code-point offsets,
// clamped to the text, in one pass over the text up to the last offset.
func sliceRunes(text string, spans [][2]int) []string {
	offs := make([]int, 0, 2*len(spans))
	for _, s := range spans {
		offs = append(offs, s[0], s[1])
	}
	sort.Ints(offs)
	byteAt := make(map[int]int, len(offs))
	r, b := 0, 0 // code point r starts at byte b
	for _, o := range offs {
		for r < o && b < len(text) {
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
		if b > len(text) {
			b = len(text)
		}
		byteAt[o] = b
	}
	out := make([]string, len(spans))
	for i, s := range spans {
		x, y := byteAt[s[0]], byteAt[s[1]]
		if y > x {
			out[i] = text[x:y]
		}
	}
	return out
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
