package report

import (
	"cmp"
	"slices"
	"sort"
	"strings"

	"github.com/tacit-qda/tacit/coding"
)

// Dimensions a matrix can have on its rows or columns. A dimension
// "attr:NAME" groups by the values of attribute NAME (a document's own value,
// else its case's).
const (
	DimCode    = "code"
	DimCase    = "case"
	DimDoc     = "doc"
	DimSpeaker = "speaker"
	DimRole    = "role"
	DimCoder   = "coder"
)

// What a matrix cell counts.
const (
	CountCodings  = "codings"  // codings
	CountDocs     = "docs"     // distinct documents
	CountCases    = "cases"    // distinct cases
	CountChars    = "chars"    // characters covered (overlaps counted once)
	CountPresence = "presence" // 1 when there is at least one coding, else 0
)

// MatrixOptions configures Matrix.
type MatrixOptions struct {
	Filter
	// Rows is the row dimension; "" means "code".
	Rows string
	// Cols is the column dimension: case, doc, speaker, role, coder,
	// attr:NAME (or code); "" means "case".
	Cols string
	// Count is what a cell counts; "" means "codings".
	Count string
}

// MatrixReport is a cross-table of codings, codes by cases for instance.
// Totals count distinct items, so a parent row and its sub-codes are not
// counted twice; with Count "presence" a total is the number of cells
// present in its row or column.
type MatrixReport struct {
	Report      string      `json:"report"` // "matrix"
	RowsBy      string      `json:"rows_by"`
	ColsBy      string      `json:"cols_by"`
	Count       string      `json:"count"`
	Filters     Filter      `json:"filters"`
	Columns     []string    `json:"columns"`
	Rows        []MatrixRow `json:"rows"`
	ColTotals   []int       `json:"column_totals"`
	Total       int         `json:"total"`
	Max         int         `json:"max"` // the largest cell, for colour scales
	EmptyReason string      `json:"empty_reason,omitempty"`
}

// MatrixRow is one row of a matrix.
type MatrixRow struct {
	Label string `json:"label"`
	Depth int    `json:"depth,omitempty"` // depth in the codebook for code rows
	Cells []int  `json:"cells"`
	Total int    `json:"total"`
}

// ParseDimension checks a row or column dimension and returns it normalised
// (lower-case name; an attribute's name is kept as given).
func ParseDimension(s string) (string, error) {
	t := strings.TrimSpace(s)
	if name, ok := cutPrefixFold(t, "attr:"); ok {
		name = strings.TrimSpace(name)
		if name == "" {
			return "", invalid("attr: needs an attribute name, as in attr:department.")
		}
		return "attr:" + name, nil
	}
	switch l := strings.ToLower(t); l {
	case DimCode, DimCase, DimDoc, DimSpeaker, DimRole, DimCoder:
		return l, nil
	}
	if d, ok := dimAliases[strings.ToLower(t)]; ok {
		return d, nil
	}
	return "", invalid("unknown dimension %q; use code, case, doc, speaker, role, coder or attr:NAME.", s)
}

var dimAliases = map[string]string{"codes": DimCode, "cases": DimCase, "docs": DimDoc, "document": DimDoc,
	"documents": DimDoc, "speakers": DimSpeaker, "roles": DimRole, "coders": DimCoder}

func cutPrefixFold(s, prefix string) (string, bool) {
	if len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix) {
		return s[len(prefix):], true
	}
	return s, false
}

// dim maps codings to row or column keys.
type dim struct {
	name   string
	labels []string
	depth  []int
	key    func(k int32) int32 // nil for the code dimension: use the code's ancestors
}

func (ix *index) dimension(name string) (*dim, error) {
	d := &dim{name: name}
	switch {
	case name == DimCode:
		d.labels = make([]string, len(ix.tree.order))
		d.depth = make([]int, len(ix.tree.order))
		for i, c := range ix.tree.order {
			d.labels[i] = ix.tree.path[c]
			d.depth[i] = ix.tree.depth[c]
		}
		return d, nil
	case name == DimCase:
		uni := ix.universe()
		pos := make([]int32, len(ix.units))
		for i, u := range uni {
			pos[u] = int32(i)
			d.labels = append(d.labels, ix.units[u].name)
		}
		d.key = func(k int32) int32 { return pos[ix.docCase[ix.codings[k].doc]] }
		return d, nil
	case name == DimDoc:
		var docs []int32
		for i := range ix.ds.Docs {
			if ix.docOK[i] {
				docs = append(docs, int32(i))
			}
		}
		sort.SliceStable(docs, func(a, b int) bool { return naturalLess(ix.ds.Docs[docs[a]].Name, ix.ds.Docs[docs[b]].Name) })
		pos := make([]int32, len(ix.ds.Docs))
		for i, doc := range docs {
			pos[doc] = int32(i)
			d.labels = append(d.labels, ix.ds.Docs[doc].Name)
		}
		d.key = func(k int32) int32 { return pos[ix.codings[k].doc] }
		return d, nil
	}
	// Value dimensions: one column per value seen in the codings.
	var value func(c *coded) string
	none := "(none)"
	switch {
	case name == DimSpeaker:
		none = "(no speaker)"
		value = func(c *coded) string { return strings.Join(strings.Fields(ix.speaker(c)), " ") }
	case name == DimRole:
		none = "(no role)"
		value = func(c *coded) string {
			if c.role < 0 {
				return ""
			}
			return ix.roles[c.role]
		}
	case name == DimCoder:
		none = "(no coder)"
		value = func(c *coded) string { return ix.coders.names[c.coder] }
	case strings.HasPrefix(name, "attr:"):
		attr := name[len("attr:"):]
		if !ix.ds.hasAttr(attr) {
			return nil, invalid("no case or document has the attribute %q; check the attribute name.", attr)
		}
		value = func(c *coded) string { v, _ := ix.effAttr(c.doc, attr); return v }
	default:
		return nil, invalid("unknown dimension %q; use code, case, doc, speaker, role, coder or attr:NAME.", name)
	}
	vals := make([]string, len(ix.codings))
	seen := map[string]bool{}
	fold := name == DimSpeaker
	canon := map[string]string{} // folded speaker -> first label seen
	for i := range ix.codings {
		v := value(&ix.codings[i])
		if fold {
			k := coding.NormSpeaker(v)
			if first, ok := canon[k]; ok {
				v = first
			} else {
				canon[k] = v
			}
		}
		vals[i] = v
		seen[v] = true
	}
	for v := range seen {
		d.labels = append(d.labels, v)
	}
	sort.Slice(d.labels, func(a, b int) bool {
		if (d.labels[a] == "") != (d.labels[b] == "") {
			return d.labels[b] == ""
		}
		return naturalLess(d.labels[a], d.labels[b])
	})
	pos := make(map[string]int32, len(d.labels))
	for i, v := range d.labels {
		pos[v] = int32(i)
		if v == "" {
			d.labels[i] = none
		}
	}
	d.key = func(k int32) int32 { return pos[vals[k]] }
	return d, nil
}

// cell accumulates every measure at once; codings arrive sorted by case,
// document and start, which makes distinct counts and span unions one pass.
type cell struct {
	codings, docs, cases, chars int
	lastDoc, lastCase           int32
	end                         int // end of the covered span in lastDoc
}

func (c *cell) add(k *coded, cas int32) {
	c.codings++
	if c.codings == 1 || c.lastCase != cas {
		c.cases++
		c.lastCase = cas
	}
	if c.codings == 1 || c.lastDoc != k.doc {
		c.docs++
		c.lastDoc = k.doc
		c.end = int(k.start)
	}
	s, e := int(k.start), int(k.end)
	if s < c.end {
		s = c.end
	}
	if e > s {
		c.chars += e - s
		c.end = e
	}
}

func (c *cell) value(count string) int {
	switch count {
	case CountDocs:
		return c.docs
	case CountCases:
		return c.cases
	case CountChars:
		return c.chars
	case CountPresence:
		if c.codings > 0 {
			return 1
		}
		return 0
	}
	return c.codings
}

// ParseCount checks what a matrix cell counts.
func ParseCount(s string) (string, error) {
	switch l := strings.ToLower(strings.TrimSpace(s)); l {
	case "", CountCodings:
		return CountCodings, nil
	case CountDocs, CountCases, CountChars, CountPresence:
		return l, nil
	case "doc", "documents":
		return CountDocs, nil
	case "case":
		return CountCases, nil
	case "characters":
		return CountChars, nil
	}
	return "", invalid("unknown count %q; use codings, docs, cases, chars or presence.", s)
}

// Matrix computes a cross-table of the filtered codings: codes by cases by
// default, with row and column totals.
func Matrix(ds *Dataset, opt MatrixOptions) (*MatrixReport, error) {
	if opt.Rows == "" {
		opt.Rows = DimCode
	}
	if opt.Cols == "" {
		opt.Cols = DimCase
	}
	rows, err := ParseDimension(opt.Rows)
	if err != nil {
		return nil, err
	}
	cols, err := ParseDimension(opt.Cols)
	if err != nil {
		return nil, err
	}
	if rows == cols {
		return nil, invalid("the rows and columns of a matrix must differ (both are %s).", rows)
	}
	count, err := ParseCount(opt.Count)
	if err != nil {
		return nil, err
	}
	ix, err := newIndex(ds, opt.Filter)
	if err != nil {
		return nil, err
	}
	rep := &MatrixReport{Report: "matrix", RowsBy: rows, ColsBy: cols, Count: count, Filters: opt.Filter,
		Columns: []string{}, Rows: []MatrixRow{}, ColTotals: []int{}}
	rep.EmptyReason = ix.emptyReason(opt.Filter, len(ix.universe()))
	if len(ix.codings) == 0 {
		// Value dimensions need codings; checking the names still matters.
		for _, n := range []string{rows, cols} {
			if a, ok := strings.CutPrefix(n, "attr:"); ok && !ix.ds.hasAttr(a) {
				return nil, invalid("no case or document has the attribute %q; check the attribute name.", a)
			}
		}
		if rep.EmptyReason == "" {
			rep.EmptyReason = "No codings match the filters."
		}
		return rep, nil
	}
	rd, err := ix.dimension(rows)
	if err != nil {
		return nil, err
	}
	cd, err := ix.dimension(cols)
	if err != nil {
		return nil, err
	}
	nr, ncol := len(rd.labels), len(cd.labels)
	w := ncol + 1 // the last column holds the row totals
	keys := func(d *dim, k int32, buf []int32) []int32 {
		buf = buf[:0]
		if d.key == nil {
			for _, code := range ix.tree.up[ix.codings[k].code] {
				buf = append(buf, ix.tree.rank[code])
			}
			return buf
		}
		return append(buf, d.key(k))
	}
	var rk, ck []int32
	var value func(i int) int // of cell i (row*w+col); row nr holds the column totals
	if count == CountCodings || count == CountPresence {
		// Counting codings needs neither an order nor distinct counts: one
		// counter per cell, in the store's order.
		n := make([]int32, (nr+1)*w)
		for k := range ix.codings {
			rk = keys(rd, int32(k), rk)
			ck = keys(cd, int32(k), ck)
			ck = append(ck, int32(ncol))
			for _, r := range rk {
				for _, cc := range ck {
					n[int(r)*w+int(cc)]++
				}
			}
			for _, cc := range ck {
				n[nr*w+int(cc)]++
			}
		}
		value = func(i int) int {
			if count == CountPresence {
				return int(min(n[i], 1))
			}
			return int(n[i])
		}
	} else {
		cells := make([]cell, (nr+1)*w)
		for _, k := range ix.byDocOrder() {
			c := &ix.codings[k]
			cas := ix.docCase[c.doc]
			rk = keys(rd, k, rk)
			ck = keys(cd, k, ck)
			ck = append(ck, int32(ncol))
			for _, r := range rk {
				for _, cc := range ck {
					cells[int(r)*w+int(cc)].add(c, cas)
				}
			}
			for _, cc := range ck {
				cells[nr*w+int(cc)].add(c, cas)
			}
		}
		value = func(i int) int { return cells[i].value(count) }
	}
	rep.Columns = cd.labels
	rep.Rows = make([]MatrixRow, nr)
	rep.ColTotals = make([]int, ncol)
	for r := 0; r < nr; r++ {
		row := MatrixRow{Label: rd.labels[r], Cells: make([]int, ncol)}
		if rd.depth != nil {
			row.Depth = rd.depth[r]
		}
		for cc := 0; cc < ncol; cc++ {
			v := value(r*w + cc)
			row.Cells[cc] = v
			if v > rep.Max {
				rep.Max = v
			}
			if count == CountPresence {
				row.Total += v
				rep.ColTotals[cc] += v
			}
		}
		if count != CountPresence {
			row.Total = value(r*w + ncol)
		}
		rep.Rows[r] = row
	}
	if count == CountPresence {
		for _, v := range rep.ColTotals {
			rep.Total += v
		}
	} else {
		for cc := 0; cc < ncol; cc++ {
			rep.ColTotals[cc] = value(nr*w + cc)
		}
		rep.Total = value(nr*w + ncol)
	}
	rep.EmptyReason = ""
	return rep, nil
}

// byDocOrder returns the positions of the codings grouped by case, then
// document, each document's codings sorted by start: a counting sort by
// document, then small sorts.
func (ix *index) byDocOrder() []int32 {
	nd := len(ix.ds.Docs)
	// Rank documents by (case, position).
	docs := make([]int32, nd)
	for i := range docs {
		docs[i] = int32(i)
	}
	sort.SliceStable(docs, func(a, b int) bool { return ix.docCase[docs[a]] < ix.docCase[docs[b]] })
	rank := make([]int32, nd)
	for r, d := range docs {
		rank[d] = int32(r)
	}
	start := make([]int32, nd+1)
	for k := range ix.codings {
		start[rank[ix.codings[k].doc]+1]++
	}
	for i := 1; i <= nd; i++ {
		start[i] += start[i-1]
	}
	next := append([]int32(nil), start[:nd]...)
	order := make([]int32, len(ix.codings))
	for k := range ix.codings {
		r := rank[ix.codings[k].doc]
		order[next[r]] = int32(k)
		next[r]++
	}
	for r := 0; r < nd; r++ {
		part := order[start[r]:start[r+1]]
		slices.SortFunc(part, func(a, b int32) int {
			x, y := &ix.codings[a], &ix.codings[b]
			if x.start != y.start {
				return cmp.Compare(x.start, y.start)
			}
			return cmp.Compare(x.end, y.end)
		})
	}
	return order
}
