package project

import (
	"context"
	"encoding/json"
	"regexp"
	"strconv"
	"strings"

	"github.com/tacit-qda/tacit/coding"
	"github.com/tacit-qda/tacit/index"
	"github.com/tacit-qda/tacit/store"
)

// SearchRequest runs a query of the search language (see docs/search.md)
// and/or a regular expression over the turns of the selection.
type SearchRequest struct {
	Query     string    `json:"query,omitempty"`
	Regex     string    `json:"regex,omitempty"`
	Selection Selection `json:"selection"`
	// Limit is the page size (0: all hits); Offset skips hits.
	Limit  int `json:"limit,omitempty"`
	Offset int `json:"offset,omitempty"`
	// Sort is "score" (default) or "doc".
	Sort string `json:"sort,omitempty"`
	// CountBy asks for hit counts per case, doc, speaker, role or code.
	CountBy string `json:"count_by,omitempty"`
	// Context is the number of code points shown on each side of the
	// first match in a fragment (default 60).
	Context int `json:"context,omitempty"`
	// Mark is put before and after each match in a fragment
	// (default "**", "**").
	Mark [2]string `json:"mark,omitempty"`
}

// SearchResult is what 'tacit search --json' prints: the total, one page
// of hits and the counts asked for.
type SearchResult = index.Result

// SearchHit is one hit: a turn with its matches and fragment.
type SearchHit = index.Hit

// The values of SearchRequest.CountBy.
const (
	CountCase    = index.CountCase
	CountDoc     = index.CountDoc
	CountSpeaker = index.CountSpeaker
	CountRole    = index.CountRole
	CountCode    = index.CountCode
)

// ValidateSearch checks a query and a regular expression without a
// project (so that a typo is reported before anything is opened).
func ValidateSearch(query, re string) error {
	if query != "" {
		if err := index.ValidateQuery(query); err != nil {
			return err
		}
	}
	if re != "" {
		if len(re) > index.MaxQueryLen {
			return coding.Errorf(coding.EInvalid, "the regular expression is %d characters long, more than the %d a search takes", len(re), index.MaxQueryLen)
		}
		if _, err := regexp.Compile(re); err != nil {
			return coding.Errorf(coding.EInvalid, "the regular expression %q does not compile: %s", re, strings.TrimPrefix(err.Error(), "error parsing regexp: "))
		}
	}
	return nil
}

// Search runs a search. The index must be fresh or the project writable
// (IndexFresh tells which).
func (p *Project) Search(ctx context.Context, req SearchRequest) (*SearchResult, error) {
	ir, err := p.indexRequest(req)
	if err != nil {
		return nil, err
	}
	return p.SearchIndex(ctx, ir)
}

// indexRequest checks a search and resolves its selection into an index
// request.
func (p *Project) indexRequest(req SearchRequest) (index.Request, error) {
	if err := ValidateSearch(req.Query, req.Regex); err != nil {
		return index.Request{}, err
	}
	ir := index.Request{Query: req.Query, Regex: req.Regex, Limit: req.Limit, Offset: req.Offset, Sort: req.Sort,
		CountBy: req.CountBy, Context: req.Context, Mark: req.Mark}
	err := p.Store.View(func(tx *store.Tx) error {
		var key string
		var rev uint64
		if p.sels != nil && (!req.Selection.Empty() || req.CountBy == index.CountCode) {
			b, err := json.Marshal(req.Selection)
			if err != nil {
				return err
			}
			key, rev = string(b)+"\x00"+strconv.FormatBool(req.CountBy == index.CountCode), tx.Revision()
			if r, ok := p.sels.get(rev, key); ok {
				ir.Filter, ir.Inside, ir.Outside, ir.CountSpans = r.filter, r.inside, r.outside, r.countSpans
				return nil
			}
		}
		// Only the index filter is used: the turns are read only when a
		// filter needs them.
		sel, err := req.Selection.resolveTurns(tx, false)
		if err != nil {
			return err
		}
		ir.Filter, ir.Inside, ir.Outside = sel.filter, sel.inside, sel.outside
		if req.CountBy == index.CountCode {
			if ir.CountSpans, err = sel.codeCountSpans(tx); err != nil {
				return err
			}
		}
		if key != "" {
			p.sels.put(rev, key, &resolvedSel{ir.Filter, ir.Inside, ir.Outside, ir.CountSpans})
		}
		return nil
	})
	return ir, err
}

// resolvedSel is a selection resolved for a search.
type resolvedSel struct {
	filter          index.Filter
	inside, outside index.Spans
	countSpans      map[string]index.Spans
}

// maxCachedSels bounds the resolved selections a warm project keeps: a
// served project's searches use a few filters at a time.
const maxCachedSels = 64

// IndexFresh reports whether the project's search index exists and
// reflects the store (else the first search rebuilds it, which a project
// opened read-only cannot do).
func (p *Project) IndexFresh() bool {
	if p.idx != nil {
		return true
	}
	if p.readOnly {
		// Open it for good: the search that follows uses it, so a search
		// opens the index once.
		_, err := p.Index(context.Background())
		return !IndexStale(err)
	}
	var rev uint64
	if err := p.Store.View(func(tx *store.Tx) error { rev = tx.IndexRevision(); return nil }); err != nil {
		return true // let p.Index report it
	}
	x, err := index.Open(IndexPath(p.Root), index.Options{ReadOnly: true})
	if err != nil {
		return coding.ErrorKind(err) == coding.EInUse
	}
	defer x.Close()
	fresh, err := x.Fresh(rev)
	return err == nil && fresh
}
