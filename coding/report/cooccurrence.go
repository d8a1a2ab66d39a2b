package report

import (
	"sort"
	"strconv"
	"strings"
)

// Units of co-occurrence.
const (
	UnitTurn    = "turn"    // codings in the same speaker turn
	UnitDoc     = "doc"     // codings in the same document
	UnitCase    = "case"    // codings in the same case
	UnitOverlap = "overlap" // codings whose spans share at least one character
)

// CooccurrenceOptions configures Cooccurrence.
type CooccurrenceOptions struct {
	Filter
	// Unit is turn, doc, case or overlap; "" means turn.
	Unit string
	// Min leaves out pairs with a count below it; 0 means 1.
	Min int
}

// CooccurrenceReport lists the pairs of codes that occur together, most
// frequent first. A code and its own sub-codes are never paired.
//
// For the units turn, doc and case, Count is the number of units where both
// codes occur, ATotal and BTotal the number of units of each code, and
// Jaccard is |A∩B| / |A∪B| over units. For the unit overlap, Count is the
// number of pairs of overlapping codings, ATotal and BTotal are the
// characters coded with each code, and Jaccard is the characters coded with
// both over the characters coded with either.
type CooccurrenceReport struct {
	Report      string  `json:"report"` // "cooccurrence"
	Unit        string  `json:"unit"`
	Min         int     `json:"min"`
	UnitsTotal  int     `json:"units_total"` // turns, documents or cases; characters coded for overlap
	Filters     Filter  `json:"filters"`
	Pairs       []Pair  `json:"pairs"`
	EmptyReason string  `json:"empty_reason,omitempty"`
	Measure     string  `json:"measure"` // what count, totals and jaccard mean
	Codes       []Total `json:"codes"`   // per code, its units (or characters)
}

// Pair is two codes that occur together.
type Pair struct {
	A       string  `json:"a"`
	B       string  `json:"b"`
	Count   int     `json:"count"`
	Jaccard float64 `json:"jaccard"` // rounded to 4 places
	ATotal  int     `json:"a_total"`
	BTotal  int     `json:"b_total"`
}

// Total is a code's number of units (or characters, for overlap).
type Total struct {
	Code  string `json:"code"`
	Total int    `json:"total"`
}

// ParseUnit checks a co-occurrence unit.
func ParseUnit(s string) (string, error) {
	switch l := strings.ToLower(strings.TrimSpace(s)); l {
	case "", UnitTurn, "turns":
		return UnitTurn, nil
	case UnitDoc, "docs", "document", "documents":
		return UnitDoc, nil
	case UnitCase, "cases":
		return UnitCase, nil
	case UnitOverlap, "overlaps", "span", "spans":
		return UnitOverlap, nil
	}
	return "", invalid("unknown unit %q; use turn, doc, case or overlap.", s)
}

// Cooccurrence computes which codes occur together in one unit.
func Cooccurrence(ds *Dataset, opt CooccurrenceOptions) (*CooccurrenceReport, error) {
	unit, err := ParseUnit(opt.Unit)
	if err != nil {
		return nil, err
	}
	if opt.Min < 0 {
		return nil, invalid("the minimum count must be 0 or more (got %d).", opt.Min)
	}
	if opt.Min == 0 {
		opt.Min = 1
	}
	ix, err := newIndex(ds, opt.Filter)
	if err != nil {
		return nil, err
	}
	rep := &CooccurrenceReport{Report: "cooccurrence", Unit: unit, Min: opt.Min, Filters: opt.Filter,
		Pairs: []Pair{}, Codes: []Total{}}
	switch unit {
	case UnitOverlap:
		rep.Measure = "count: pairs of overlapping codings; totals: characters coded; jaccard: characters coded with both / with either"
	default:
		rep.Measure = "count: " + unit + "s with both codes; totals: " + unit + "s with the code; jaccard: both / either"
	}
	uni := ix.universe()
	rep.EmptyReason = ix.emptyReason(opt.Filter, len(uni))
	if rep.EmptyReason != "" {
		return rep, nil
	}
	n := len(ix.tree.codes)
	count := make([]int, n*n) // [a*n+b] for a < b by position
	totals := make([]int, n)
	shared := count
	if unit == UnitOverlap {
		shared = make([]int, n*n)
		rep.UnitsTotal = ix.overlaps(count, shared, totals)
	} else {
		sets, units := ix.unitSets(unit, uni)
		rep.UnitsTotal = units
		for a := 0; a < n; a++ {
			totals[a] = sets[a].count()
		}
		for a := 0; a < n; a++ {
			if totals[a] == 0 {
				continue
			}
			for b := a + 1; b < n; b++ {
				if totals[b] > 0 {
					count[a*n+b] = sets[a].andCount(sets[b])
				}
			}
		}
	}
	for _, a := range ix.tree.order {
		rep.Codes = append(rep.Codes, Total{Code: ix.tree.path[a], Total: totals[a]})
	}
	for a := int32(0); a < int32(n); a++ {
		for b := a + 1; b < int32(n); b++ {
			k := count[int(a)*n+int(b)]
			if k < opt.Min || k == 0 || ix.tree.isAncestor(a, b) || ix.tree.isAncestor(b, a) {
				continue
			}
			x, y := a, b
			if ix.tree.rank[y] < ix.tree.rank[x] {
				x, y = y, x
			}
			both := shared[int(a)*n+int(b)]
			either := totals[a] + totals[b] - both
			p := Pair{A: ix.tree.path[x], B: ix.tree.path[y], Count: k, ATotal: totals[x], BTotal: totals[y]}
			if either > 0 {
				p.Jaccard = round4(float64(both) / float64(either))
			}
			rep.Pairs = append(rep.Pairs, p)
		}
	}
	sort.SliceStable(rep.Pairs, func(i, j int) bool {
		p, q := &rep.Pairs[i], &rep.Pairs[j]
		if p.Count != q.Count {
			return p.Count > q.Count
		}
		if p.Jaccard != q.Jaccard {
			return p.Jaccard > q.Jaccard
		}
		if p.A != q.A {
			return p.A < q.A
		}
		return p.B < q.B
	})
	if len(rep.Pairs) == 0 {
		rep.EmptyReason = "No two codes occur together in one " + unit + " at least " + strconv.Itoa(opt.Min) + " times."
	}
	return rep, nil
}

// unitSets returns, per code (rolled up), the set of units it occurs in,
// and the number of units.
func (ix *index) unitSets(unit string, uni []int32) ([]bitset, int) {
	var units int
	var base []int32 // per document: its first turn unit
	pos := make([]int32, len(ix.units))
	switch unit {
	case UnitTurn:
		base = make([]int32, len(ix.ds.Docs))
		for i := range ix.ds.Docs {
			base[i] = int32(units)
			if ix.docOK[i] {
				nt := ix.turns[i].Len()
				if nt == 0 {
					nt = 1 // a document without turns is one unit
				}
				units += nt
			}
		}
	case UnitDoc:
		base = make([]int32, len(ix.ds.Docs))
		for i := range ix.ds.Docs {
			if ix.docOK[i] {
				base[i] = int32(units)
				units++
			}
		}
	case UnitCase:
		for i, u := range uni {
			pos[u] = int32(i)
		}
		units = len(uni)
	}
	sets := make([]bitset, len(ix.tree.codes))
	for i := range sets {
		sets[i] = newBitset(units)
	}
	for k := range ix.codings {
		c := &ix.codings[k]
		set := func(u int32) {
			for _, code := range ix.tree.up[c.code] {
				sets[code].set(u)
			}
		}
		switch unit {
		case UnitDoc:
			set(base[c.doc])
		case UnitCase:
			set(pos[ix.docCase[c.doc]])
		case UnitTurn:
			spans := ix.turns[c.doc].Spans
			nt := len(spans) / 2
			if nt == 0 {
				set(base[c.doc])
				continue
			}
			// The first turn that ends after the start, then every turn
			// that begins before the end.
			t := sort.Search(nt, func(i int) bool { return spans[2*i+1] > c.start })
			if t == nt {
				t--
			}
			set(base[c.doc] + int32(t))
			for t++; t < nt && spans[2*t] < c.end; t++ {
				set(base[c.doc] + int32(t))
			}
		}
	}
	return sets, units
}

// overlaps fills, per pair of codes, the number of overlapping coding pairs
// (count) and the characters coded with both (shared), and per code the
// characters coded with it; it returns the characters coded with any code.
func (ix *index) overlaps(count, shared, totals []int) int {
	n := len(ix.tree.codes)
	order := make([]int32, len(ix.codings))
	for i := range order {
		order[i] = int32(i)
	}
	sort.Slice(order, func(a, b int) bool {
		x, y := &ix.codings[order[a]], &ix.codings[order[b]]
		if x.doc != y.doc {
			return x.doc < y.doc
		}
		return x.start < y.start
	})
	pair := func(m []int, a, b int32, v int) {
		if a == b || ix.tree.isAncestor(a, b) || ix.tree.isAncestor(b, a) {
			return
		}
		if a > b {
			a, b = b, a
		}
		m[int(a)*n+int(b)] += v
	}
	type event struct {
		pos   int
		delta int
		code  int32
	}
	var (
		active []int32 // codings open at the current start
		events []event
		depth  = make([]int, n) // open codings per code (rolled up)
		open   []int32          // codes with depth > 0
		all    int
	)
	flush := func() {
		// Sweep the document's events: segments between boundaries.
		sort.Slice(events, func(a, b int) bool {
			if events[a].pos != events[b].pos {
				return events[a].pos < events[b].pos
			}
			return events[a].delta < events[b].delta
		})
		prev := 0
		for _, e := range events {
			if l := e.pos - prev; l > 0 && len(open) > 0 {
				all += l
				for i, a := range open {
					totals[a] += l
					for _, b := range open[i+1:] {
						pair(shared, a, b, l)
					}
				}
			}
			prev = e.pos
			depth[e.code] += e.delta
			if e.delta > 0 && depth[e.code] == 1 {
				open = append(open, e.code)
			} else if e.delta < 0 && depth[e.code] == 0 {
				for i, c := range open {
					if c == e.code {
						open = append(open[:i], open[i+1:]...)
						break
					}
				}
			}
		}
		events = events[:0]
		active = active[:0]
	}
	lastDoc := int32(-1)
	for _, k := range order {
		x := &ix.codings[k]
		if x.doc != lastDoc {
			flush()
			lastDoc = x.doc
		}
		if x.end <= x.start {
			continue
		}
		kept := active[:0]
		for _, j := range active {
			if ix.codings[j].end > x.start {
				kept = append(kept, j)
			}
		}
		active = kept
		for _, j := range active {
			y := &ix.codings[j]
			for _, a := range ix.tree.up[x.code] {
				for _, b := range ix.tree.up[y.code] {
					pair(count, a, b, 1)
				}
			}
		}
		active = append(active, k)
		for _, a := range ix.tree.up[x.code] {
			events = append(events, event{int(x.start), 1, a}, event{int(x.end), -1, a})
		}
	}
	flush()
	return all
}
