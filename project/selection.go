package project

import (
	"fmt"
	"sort"
	"strings"

	"github.com/tacit-qda/tacit/coding"
	"github.com/tacit-qda/tacit/index"
	"github.com/tacit-qda/tacit/store"
)

// Selection chooses passages of the project: the turns of some documents,
// cases, speakers or roles, optionally only inside (or outside) the
// codings of some codes. Empty fields select everything; values of one
// field are alternatives (any of them), fields combine (all of them).
type Selection struct {
	// Docs are document ids or names.
	Docs []string `json:"docs,omitempty"`
	// Cases are case names (or ids).
	Cases []string `json:"cases,omitempty"`
	// Speakers are speaker labels.
	Speakers []string `json:"speakers,omitempty"`
	// Roles are roles: client, staff, interviewer, ...
	Roles []string `json:"roles,omitempty"`
	// Attrs are key=value pairs that must all hold.
	Attrs map[string]string `json:"attrs,omitempty"`
	// Codes keeps only text inside codings of these codes or their
	// sub-codes; NotCodes only text outside every coding of them.
	Codes    []string `json:"codes,omitempty"`
	NotCodes []string `json:"not_codes,omitempty"`
	// Coders limits the codings that Codes and NotCodes look at.
	Coders []string `json:"coders,omitempty"`
}

// Empty reports whether the selection selects everything.
func (s *Selection) Empty() bool {
	return len(s.Cases)+len(s.Docs)+len(s.Speakers)+len(s.Roles)+len(s.Attrs)+len(s.Codes)+len(s.NotCodes) == 0
}

// selection is a resolved Selection: index filters for a search and a turn
// predicate for the store.
type selection struct {
	filter      index.Filter
	inside      index.Spans // nil when no Codes
	outside     index.Spans // nil when no NotCodes
	caseIDs     map[uint64]bool
	docIDs      map[uint64]bool
	speakers    map[string]bool // NormSpeaker keys
	roles       map[string]bool // lower-case
	attrs       map[string]string
	caseByID    map[uint64]*coding.Case
	coders      map[string]bool
	roleMap     coding.RoleMap
	docs        []*coding.Document
	projectLang string
	codebook    *coding.Codebook
}

// resolve checks the filters against the store (names that do not exist
// are errors with suggestions) and reads the codings the code filters need.
func (sf *Selection) resolve(tx *store.Tx) (*selection, error) {
	return sf.resolveTurns(tx, true)
}

// needsTurns reports whether resolving the selection reads the documents'
// turns (speaker, role and code filters are per turn).
func (sf *Selection) needsTurns() bool {
	return len(sf.Speakers)+len(sf.Roles)+len(sf.Codes)+len(sf.NotCodes) > 0
}

// resolveTurns is resolve; without withTurns (and when no filter needs
// them) the documents in the result have no turns, which spares a search
// decoding every document's turns only to build its index filter.
func (sf *Selection) resolveTurns(tx *store.Tx, withTurns bool) (*selection, error) {
	s := &selection{projectLang: tx.Lang()}
	var err error
	// A search (withTurns false) reads only what its filters need: with
	// none, nothing, since decoding every document, the roles and the
	// codebook was a fifth of a whole 'tacit search' process.
	if withTurns || sf.needsTurns() || len(sf.Attrs) > 0 {
		if s.docs, err = tx.Documents(withTurns || sf.needsTurns()); err != nil {
			return nil, err
		}
	}
	if withTurns || len(sf.Roles) > 0 {
		if s.roleMap, err = tx.Roles(); err != nil {
			return nil, err
		}
	}
	if withTurns || len(sf.Codes)+len(sf.NotCodes) > 0 {
		if s.codebook, err = tx.Codes(); err != nil {
			return nil, err
		}
	}
	if len(sf.Cases) > 0 {
		s.caseIDs = map[uint64]bool{}
		for _, ref := range sf.Cases {
			c, err := tx.FindCase(ref)
			if err != nil {
				return nil, err
			}
			s.caseIDs[c.ID] = true
			s.filter.Cases = append(s.filter.Cases, c.Name)
		}
	}
	if len(sf.Docs) > 0 {
		s.docIDs = map[uint64]bool{}
		for _, ref := range sf.Docs {
			d, err := tx.FindDocument(ref)
			if err != nil {
				return nil, err
			}
			s.docIDs[d.ID] = true
			s.filter.DocIDs = append(s.filter.DocIDs, d.ID)
		}
	}
	if len(sf.Speakers) > 0 {
		s.speakers = map[string]bool{}
		labels := map[string][]string{} // norm -> raw labels
		var all []string
		for _, d := range s.docs {
			for _, sp := range d.Speakers() {
				k := coding.NormSpeaker(sp)
				if len(labels[k]) == 0 {
					all = append(all, sp)
				}
				if !contains(labels[k], sp) {
					labels[k] = append(labels[k], sp)
				}
			}
		}
		for _, ref := range sf.Speakers {
			k := coding.NormSpeaker(ref)
			if len(labels[k]) == 0 {
				return nil, notFound("speaker", ref, all, "'tacit speaker list' lists them")
			}
			s.speakers[k] = true
			s.filter.Speakers = append(s.filter.Speakers, labels[k]...)
		}
	}
	if len(sf.Roles) > 0 {
		s.roles = map[string]bool{}
		known := map[string]bool{}
		for _, d := range s.docs {
			for _, t := range d.Turns {
				if r := s.roleMap.Role(d, t.Speaker); r != "" {
					known[strings.ToLower(r)] = true
				}
			}
		}
		var all []string
		for r := range known {
			all = append(all, r)
		}
		sort.Strings(all)
		for _, ref := range sf.Roles {
			r := strings.ToLower(strings.TrimSpace(ref))
			if !known[r] {
				return nil, notFound("role", ref, all, "no speaker has a role yet; set one with 'tacit speaker role SPEAKER ROLE'")
			}
			s.roles[r] = true
			s.filter.Roles = append(s.filter.Roles, r)
		}
	}
	if len(sf.Attrs) > 0 {
		// An attribute is the document's, else its case's, compared by
		// coding.SameValue: the search index holds only the documents'
		// own, so the filter becomes the documents that pass.
		s.attrs = sf.Attrs
		cases, err := tx.Cases()
		if err != nil {
			return nil, err
		}
		s.caseByID = map[uint64]*coding.Case{}
		for _, c := range cases {
			s.caseByID[c.ID] = c
		}
		var pass []uint64
		for _, d := range s.docs {
			if s.attrsOK(d) && (s.docIDs == nil || s.docIDs[d.ID]) {
				pass = append(pass, d.ID)
			}
		}
		if len(pass) == 0 {
			pass = []uint64{0} // no document has id 0: nothing passes
		}
		s.filter.DocIDs = pass
	}
	if len(sf.Coders) > 0 {
		s.coders = map[string]bool{}
		for _, c := range sf.Coders {
			s.coders[strings.TrimSpace(c)] = true
		}
	}
	if len(sf.Codes) > 0 {
		if s.inside, err = s.codeSpans(tx, sf.Codes); err != nil {
			return nil, err
		}
		s.filter.OnlyTurns = []string{}
		for _, d := range s.docs {
			for _, t := range d.Turns {
				if s.inside.Overlaps(d.ID, t.Start, t.End) {
					s.filter.OnlyTurns = append(s.filter.OnlyTurns, index.TurnID(d.ID, t.Index))
				}
			}
		}
	}
	if len(sf.NotCodes) > 0 {
		if s.outside, err = s.codeSpans(tx, sf.NotCodes); err != nil {
			return nil, err
		}
		for _, d := range s.docs {
			for _, t := range d.Turns {
				if t.End > t.Start && s.outside.Contains(d.ID, t.Start, t.End) {
					s.filter.ExcludeTurns = append(s.filter.ExcludeTurns, index.TurnID(d.ID, t.Index))
				}
			}
		}
	}
	return s, nil
}

// codeSpans returns the merged spans of the codings of the codes (and
// their sub-codes) by the selected coders.
func (s *selection) codeSpans(tx *store.Tx, refs []string) (index.Spans, error) {
	sp := index.Spans{}
	for _, ref := range refs {
		c, err := s.codebook.Resolve(ref)
		if err != nil {
			return nil, err
		}
		for _, id := range s.codebook.Descendants(c.ID) {
			cs, err := tx.CodingsByCode(id)
			if err != nil {
				return nil, err
			}
			for _, cd := range cs {
				if s.coders == nil || s.coders[cd.Coder] {
					sp.Add(cd.DocID, cd.Start, cd.End)
				}
			}
		}
	}
	sp.Normalize()
	return sp, nil
}

// codeCountSpans returns the spans of each code's own codings, by path.
func (s *selection) codeCountSpans(tx *store.Tx) (map[string]index.Spans, error) {
	out := map[string]index.Spans{}
	var err error
	if s.codebook == nil {
		if s.codebook, err = tx.Codes(); err != nil {
			return nil, err
		}
	}
	s.codebook.Walk(func(c *coding.Code, _ int) {
		if err != nil {
			return
		}
		var cs []coding.Coding
		cs, err = tx.CodingsByCode(c.ID)
		sp := index.Spans{}
		for _, cd := range cs {
			if s.coders == nil || s.coders[cd.Coder] {
				sp.Add(cd.DocID, cd.Start, cd.End)
			}
		}
		if len(sp) > 0 {
			sp.Normalize()
			out[s.codebook.Path(c.ID)] = sp
		}
	})
	return out, err
}

// turnOK reports whether a turn passes the case, doc, speaker, role and
// attribute filters.
func (s *selection) turnOK(d *coding.Document, t coding.Turn) bool {
	if s.caseIDs != nil && !s.caseIDs[d.CaseID] {
		return false
	}
	if s.docIDs != nil && !s.docIDs[d.ID] {
		return false
	}
	if s.speakers != nil && !s.speakers[coding.NormSpeaker(t.Speaker)] {
		return false
	}
	if s.roles != nil && !s.roles[strings.ToLower(s.roleMap.Role(d, t.Speaker))] {
		return false
	}
	return s.attrsOK(d)
}

// attrsOK reports whether every wanted attribute holds on the document or
// its case.
func (s *selection) attrsOK(d *coding.Document) bool {
	for k, v := range s.attrs {
		got, ok := coding.AttrOf(d, s.caseByID[d.CaseID], k)
		if !ok || !coding.SameValue(got, v) {
			return false
		}
	}
	return true
}

// lang returns the language a document's words are read in.
func (s *selection) lang(d *coding.Document) string {
	if d.Lang != "" {
		return d.Lang
	}
	return s.projectLang
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func notFound(what, ref string, all []string, hint string) error {
	msg := fmt.Sprintf("no %s %q", what, ref)
	if c := coding.Closest(ref, all, 3); len(c) > 0 {
		msg += "; did you mean " + coding.QuoteList(c) + "?"
	} else if len(all) > 0 {
		sort.Strings(all)
		if len(all) > 8 {
			all = append(all[:8:8], "...")
		}
		msg += "; known: " + strings.Join(all, ", ")
	} else {
		msg += "; " + hint
	}
	return coding.Errorf(coding.ENotFound, "%s", msg)
}
