package report

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/tacit-qda/tacit/coding"
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
	// Sides are the perspective roles whose agreement both_roles counts
	// (say client and staff); empty: every role but the interviewer's
	// (interviewer, moderator, facilitator).
	Sides []string
}

// nonSides are the roles that ask rather than tell: never a perspective
// unless RecurrenceOptions.Sides names them.
var nonSides = map[string]bool{"interviewer": true, "moderator": true, "facilitator": true}

// isSide reports whether role is a perspective role under sides.
func isSide(role string, sides []string) bool {
	if role == "" {
		return false
	}
	if len(sides) > 0 {
		for _, s := range sides {
			if strings.EqualFold(strings.TrimSpace(s), role) {
				return true
			}
		}
		return false
	}
	return !nonSides[strings.ToLower(role)]
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
	Roles []string `json:"roles"`
	// Sides lists the perspective roles both_roles counts: the given
	// --sides, else the roles of the counted codings but the interviewer's.
	Sides       []string         `json:"sides"`
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
	// BothRoles counts the cases where at least two different perspective
	// roles (the report's Sides) coded it.
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
	// Coders lists every coder who coded this very passage with the code
	// (or a sub-code), so two coders' identical codings make one quote.
	Coders []string `json:"coders"`
	Start  int      `json:"start"`
	End    int      `json:"end"`
	Key    bool     `json:"key,omitempty"`
	Memo   string   `json:"memo,omitempty"`
	Text   string   `json:"text"`
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
		return invalid("the threshold for \"most\" must be more than 0 and at most 1 (got %v).", most)
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
	if ds != nil && opt.ByAttr != "" && !ds.hasAttr(opt.ByAttr) {
		return nil, invalid("no case has the attribute %q, so the report cannot be split by it; check the attribute name.", opt.ByAttr)
	}
	// The codings are read once, as they stream from the dataset, and never
	// held: a report process pays for every page of memory it touches.
	ix, err := prepareIndex(ds, opt.Filter)
	if err != nil {
		return nil, err
	}
	uni := ix.universe()
	rep := &RecurrenceReport{Report: "recurrence", CasesTotal: len(uni), Most: opt.Most, Filters: opt.Filter,
		Cases: make([]string, len(uni)), Roles: []string{}, Sides: []string{}, Codes: []CodeRecurrence{}}
	for i, u := range uni {
		rep.Cases[i] = ix.units[u].name
	}
	empty := func() *RecurrenceReport {
		if opt.ByAttr != "" {
			rep.ByAttr = &AttrSplit{Attr: opt.ByAttr, Groups: []AttrGroup{}}
		}
		return rep
	}
	if len(ix.ds.Codes) == 0 || len(uni) == 0 {
		rep.EmptyReason = ix.emptyReason(opt.Filter, len(uni))
		return empty(), nil
	}

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
	present := make([]bitset, ncode)
	for i := range present {
		present[i] = newBitset(nc)
	}
	var roleSets [][]bitset // [role][code], grown as roles appear
	var used []bool         // by role: some counted coding has it
	// counts and best are case-major (cell = case*ncode + code): the
	// codings of one document, all in one case, touch one row (4 KB of
	// best for 100 codes), not a cache line per code spread over all of
	// it (8 MB at 2,000 cases).
	counts := make([]int32, ncode*nc)
	// best holds, per case and code, the best quotes so far, best first,
	// seq -1 past the last: Quotes slots per cell.
	var best []cand
	var memos memoList // the memos of the codings that have one
	q := opt.Quotes
	if q > 0 {
		best = make([]cand, ncode*nc*q)
		for i := range best {
			best[i].seq = -1
		}
	}
	seq := int32(0)
	lastDoc := int32(-1)
	err = ix.scan(func(c *coded, memo []byte) {
		cc := col[ix.docCase[c.doc]]
		if c.doc != lastDoc { // a new document: its case's row is read at random
			row := int(cc) * ncode
			touchInt32s(counts[row : row+ncode])
			if best != nil {
				touchCands(best[row*q : (row+ncode)*q])
			}
			lastDoc = c.doc
		}
		var sets []bitset
		if c.role >= 0 {
			for int(c.role) >= len(roleSets) {
				roleSets = append(roleSets, nil)
				used = append(used, false)
			}
			if roleSets[c.role] == nil {
				roleSets[c.role] = make([]bitset, ncode)
				for i := range roleSets[c.role] {
					roleSets[c.role][i] = newBitset(nc)
				}
			}
			sets = roleSets[c.role]
			used[c.role] = true
		}
		if len(memo) > 0 && best != nil {
			memos.seqs = append(memos.seqs, seq)
			memos.texts = append(memos.texts, string(memo))
		}
		for _, code := range ix.tree.up[c.code] {
			present[code].set(cc)
			if sets != nil {
				sets[code].set(cc)
			}
			cell := int(cc)*ncode + int(code)
			counts[cell]++
			if best != nil {
				insertBest(best[cell*q:(cell+1)*q], c, seq)
			}
		}
		seq++
	})
	if err != nil {
		return nil, err
	}
	if rep.EmptyReason = ix.emptyReason(opt.Filter, len(uni)); rep.EmptyReason != "" {
		return empty(), nil
	}
	rep.Codings = ix.count
	for r, ok := range used {
		if ok {
			rep.Roles = append(rep.Roles, ix.roles[r])
		}
	}
	sort.Strings(rep.Roles)
	side := make([]bool, len(ix.roles))
	for r, name := range ix.roles {
		side[r] = isSide(name, opt.Sides)
	}
	if len(opt.Sides) > 0 {
		for _, s := range opt.Sides {
			if s = strings.ToLower(strings.TrimSpace(s)); s != "" && !slices.Contains(rep.Sides, s) {
				rep.Sides = append(rep.Sides, s)
			}
		}
	} else {
		for _, r := range rep.Roles {
			if isSide(r, nil) {
				rep.Sides = append(rep.Sides, r)
			}
		}
	}
	byRole := make([][]bitset, ncode) // [code][role]
	for code := range byRole {
		byRole[code] = make([]bitset, len(ix.roles))
		for r := range byRole[code] {
			if r < len(roleSets) && roleSets[r] != nil {
				byRole[code][r] = roleSets[r][code]
			} else {
				byRole[code][r] = newBitset(nc)
			}
		}
	}
	two := make([]bitset, ncode)
	for code := range present {
		one := newBitset(nc)
		two[code] = newBitset(nc)
		for ri, r := range byRole[code] {
			if !side[ri] {
				continue
			}
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
			v := int(counts[i*ncode+int(code)])
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
		if err := ix.fillQuotes(rep, best, &memos, ncode, q); err != nil {
			return nil, err
		}
	}
	if opt.ByAttr != "" {
		rep.ByAttr = ix.splitByAttr(opt.ByAttr, opt.Most, uni, rep, present, byRole, two)
	}
	return rep, nil
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

// cand is a coding that may be quoted: a slot of the best quotes of a
// cell.
type cand struct {
	c      coded
	seq    int32  // the coding's position in the scan; -1: an empty slot
	coders uint64 // bit i: coder i coded this same passage (coders 0-63)
}

func coderBit(c *coded) uint64 {
	if c.coder >= 0 && c.coder < 64 {
		return 1 << uint(c.coder)
	}
	return 0
}

// better reports whether coding a (at position ka) makes a better quote
// than coding b (at kb): Key first, then one with a memo, then the longest
// under QuoteLimit characters (or, past it, the shortest), then the
// earliest in the text, then the first yielded.
func better(a *coded, ka int32, b *coded, kb int32) bool {
	if a.flags != b.flags {
		return a.flags > b.flags
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
	return ka < kb
}

// insertBest inserts coding c (at position seq) into the ranked slots of
// one cell, dropping the last when they are full. A coding of a passage
// the cell holds already (another coder's, or a sub-code's) is not a second
// quote: its coder joins the slot's, and the better of the two stays.
func insertBest(cell []cand, c *coded, seq int32) {
	for i := range cell {
		o := &cell[i]
		if o.seq < 0 || o.c.doc != c.doc || o.c.start != c.start || o.c.end != c.end {
			continue
		}
		o.coders |= coderBit(c)
		if !better(c, seq, &o.c, o.seq) {
			return
		}
		// the new coding ranks higher: move it up with the merged coders
		merged := cand{c: *c, seq: seq, coders: o.coders}
		copy(cell[i:], cell[i+1:])
		cell[len(cell)-1] = cand{seq: -1}
		insertBest(cell, &merged.c, merged.seq)
		for j := range cell {
			if cell[j].seq == merged.seq {
				cell[j].coders = merged.coders
			}
		}
		return
	}
	pos := len(cell)
	for pos > 0 {
		o := &cell[pos-1]
		if o.seq >= 0 && !better(c, seq, &o.c, o.seq) {
			break
		}
		pos--
	}
	if pos >= len(cell) {
		return
	}
	copy(cell[pos+1:], cell[pos:len(cell)-1])
	cell[pos] = cand{c: *c, seq: seq, coders: coderBit(c)}
}

// fillQuotes reads the text of the chosen codings in one call of
// Dataset.Passages and attaches the quotes to the report's lines. best is
// case-major: the slots of case i and code k are best[(i*ncode+k)*q:][:q].
func (ix *index) fillQuotes(rep *RecurrenceReport, best []cand, memos *memoList, ncode, q int) error {
	// The filled slots of best, by document, start and coding; a coding
	// may fill several (its code's and a parent's), and is read once. A
	// counting sort by document, then each document's few slots sorted
	// with their keys at hand: sorting indices into best compared its
	// entries at random, a cache miss per comparison at 200,000 quotes.
	type slotKey struct{ start, end, seq, slot int32 }
	docStart := make([]int32, len(ix.ds.Docs)+1)
	filled := 0
	for s := range best {
		if best[s].seq >= 0 {
			docStart[best[s].c.doc+1]++
			filled++
		}
	}
	for d := 1; d < len(docStart); d++ {
		docStart[d] += docStart[d-1]
	}
	keys := make([]slotKey, filled)
	next := slices.Clone(docStart[:len(docStart)-1])
	for s := range best {
		if x := &best[s]; x.seq >= 0 {
			keys[next[x.c.doc]] = slotKey{x.c.start, x.c.end, x.seq, int32(s)}
			next[x.c.doc]++
		}
	}
	ps := make([]Passage, 0, filled)
	// The speaker of each passage (index into ix.speakers, -1: none),
	// looked up here, document by document, while its turns are at hand.
	speakers := make([]int32, 0, filled)
	for d := range ix.ds.Docs {
		ks := keys[docStart[d]:docStart[d+1]]
		if len(ks) == 0 {
			continue
		}
		slices.SortFunc(ks, func(a, b slotKey) int {
			if a.start != b.start {
				return cmp.Compare(a.start, b.start)
			}
			return cmp.Compare(a.seq, b.seq)
		})
		id := ix.ds.Docs[d].ID
		for i, k := range ks {
			if i == 0 || ks[i-1].seq != k.seq {
				ps = append(ps, Passage{Doc: id, Start: int(k.start), End: int(k.end)})
				speakers = append(speakers, ix.speakerID(int32(d), k.start))
			}
		}
	}
	if ix.ds.Passages != nil && len(ps) > 0 {
		if err := ix.ds.Passages(ps); err != nil {
			return fmt.Errorf("load the quoted passages: %w", err)
		}
		for i := range ps {
			ps[i].Text = coding.Dedent(ps[i].Text)
		}
	} else {
		for i := range ps {
			ps[i].Text = ""
		}
	}
	// The quotes are made code by code, each code's case by case (each
	// cell's best first), into a slice allocated just before: writing
	// every code's quotes at once, in the case-major order of best, wrote
	// to 30 MB at 10,000 documents zeroed long before and out of the
	// caches. The text and speaker of each slot are handed from ps (in
	// document order) in that code-major order, so that they are read in
	// sequence there.
	nc := len(best) / (ncode * q)
	codeMajor := func(slot int32) int {
		cell, j := int(slot)/q, int(slot)%q
		return ((cell%ncode)*nc+cell/ncode)*q + j
	}
	slotText := make([]string, len(best))
	slotSpeaker := make([]int32, len(best))
	p := -1
	for d := range ix.ds.Docs {
		ks := keys[docStart[d]:docStart[d+1]]
		for i, k := range ks {
			if i == 0 || ks[i-1].seq != k.seq {
				p++
			}
			m := codeMajor(k.slot)
			slotText[m], slotSpeaker[m] = ps[p].Text, speakers[p]
		}
	}
	perCode := make([]int32, ncode) // filled slots per code
	for s := range best {
		if best[s].seq >= 0 {
			perCode[(s/q)%ncode]++
		}
	}
	docNames := make([]string, len(ix.ds.Docs))
	for d := range ix.ds.Docs {
		docNames[d] = ix.ds.Docs[d].Name
	}
	// Quotes with the same coders share one list of their names (its
	// capacity its length, so that an append copies).
	type coderSet struct {
		mask uint64
		own  int32 // the quoted coding's coder when it does not fit the mask, else -1
	}
	coderLists := map[coderSet][]string{}
	for li := range rep.Codes {
		line := &rep.Codes[li]
		code := int(ix.tree.byID[line.ID])
		n := perCode[code]
		if n == 0 {
			continue
		}
		line.Quotes = make([]Quote, n)
		k := 0
		for cs := range nc {
			cell := cs*ncode + code
			for j := range q {
				x := &best[cell*q+j]
				if x.seq < 0 {
					continue
				}
				m := (code*nc+cs)*q + j
				c := &x.c
				qt := &line.Quotes[k]
				k++
				set := coderSet{x.coders, -1}
				if coderBit(c) == 0 {
					set.own = c.coder
				}
				coders, ok := coderLists[set]
				if !ok {
					coders = ix.coderNames(x.coders, c)
					coders = coders[:len(coders):len(coders)]
					coderLists[set] = coders
				}
				*qt = Quote{Case: rep.Cases[cs], Doc: docNames[c.doc],
					Code: ix.tree.path[c.code], Coder: ix.coders.names[c.coder], Start: int(c.start), End: int(c.end),
					Key: c.flags&flagKey != 0, Text: slotText[m], Coders: coders}
				if c.flags&flagMemo != 0 {
					qt.Memo = memos.of(x.seq)
				}
				if sp := slotSpeaker[m]; sp >= 0 {
					qt.Speaker = ix.speakers[sp]
				}
				if c.role >= 0 {
					qt.Role = ix.roles[c.role]
				}
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

// coderNames returns the names of the coders in mask, sorted, with the
// quoted coding's own coder when it does not fit the mask.
func (ix *index) coderNames(mask uint64, c *coded) []string {
	out := []string{}
	for i := 0; i < 64 && mask != 0; i++ {
		if mask&(1<<uint(i)) != 0 {
			out = append(out, ix.coders.names[i])
			mask &^= 1 << uint(i)
		}
	}
	if coderBit(c) == 0 {
		out = append(out, ix.coders.names[c.coder])
	}
	sort.Strings(out)
	return out
}

// memoList holds the memos of the codings that have one, by the codings'
// positions in the scan, ascending.
type memoList struct {
	seqs  []int32
	texts []string
}

// of returns the memo of the coding at position seq, or "".
func (m *memoList) of(seq int32) string {
	if i, ok := slices.BinarySearch(m.seqs, seq); ok {
		return m.texts[i]
	}
	return ""
}
