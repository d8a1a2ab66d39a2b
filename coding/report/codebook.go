package report

// CodebookReport is the codebook with descriptions and counts: the appendix
// of a study. Counts include sub-codes; DirectCodings counts only codings of
// the code itself.
type CodebookReport struct {
	Report     string          `json:"report"` // "codebook"
	CasesTotal int             `json:"cases_total"`
	DocsTotal  int             `json:"docs_total"`
	Codings    int             `json:"codings"`
	Codes      []CodebookEntry `json:"codes"`
}

// CodebookEntry is one code of the codebook, in tree order.
type CodebookEntry struct {
	Code          string `json:"code"` // path
	Name          string `json:"name"`
	ID            uint64 `json:"id"`
	Parent        string `json:"parent,omitempty"` // the parent's path
	Depth         int    `json:"depth"`
	Description   string `json:"description,omitempty"`
	Color         string `json:"color,omitempty"`
	Codings       int    `json:"codings"`
	DirectCodings int    `json:"direct_codings"`
	Docs          int    `json:"docs"`
	Cases         int    `json:"cases"`
}

// Codebook lists every code in tree order with its counts of codings,
// documents and cases.
func Codebook(ds *Dataset) (*CodebookReport, error) {
	ix, err := newIndex(ds, Filter{})
	if err != nil {
		return nil, err
	}
	n := len(ix.tree.codes)
	codings := make([]int, n)
	direct := make([]int, n)
	docs := make([]bitset, n)
	cases := make([]bitset, n)
	for i := 0; i < n; i++ {
		docs[i] = newBitset(len(ix.ds.Docs))
		cases[i] = newBitset(len(ix.units))
	}
	for k := range ix.codings {
		c := &ix.codings[k]
		direct[c.code]++
		for _, code := range ix.tree.up[c.code] {
			codings[code]++
			docs[code].set(c.doc)
			cases[code].set(ix.docCase[c.doc])
		}
	}
	rep := &CodebookReport{Report: "codebook", CasesTotal: len(ix.universe()), DocsTotal: len(ix.ds.Docs),
		Codings: len(ix.codings), Codes: make([]CodebookEntry, 0, n)}
	for _, i := range ix.tree.order {
		c := &ix.tree.codes[i]
		e := CodebookEntry{Code: ix.tree.path[i], Name: c.Name, ID: c.ID, Depth: ix.tree.depth[i],
			Description: c.Description, Color: c.Color, Codings: codings[i], DirectCodings: direct[i],
			Docs: docs[i].count(), Cases: cases[i].count()}
		if p := ix.tree.parent[i]; p >= 0 {
			e.Parent = ix.tree.path[p]
		}
		rep.Codes = append(rep.Codes, e)
	}
	return rep, nil
}
