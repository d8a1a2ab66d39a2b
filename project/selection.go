package project

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"golang.org/x/text/unicode/norm"

	"github.com/tacit-qda/tacit/coding"
	"github.com/tacit-qda/tacit/index"
	"github.com/tacit-qda/tacit/store"
)

// Selection chooses passages of the project: the turns of some documents,
// cases, speakers or roles, optionally only inside (or outside) the
// codings of some codes. Empty fields select everything; values of one
// field are alternatives (any of them), fields combine (all of them).
//
// It is the one filter of search, words, autocode, codings, the reports,
// agreement and the server, with one rule for matching (see
// coding.SameValue): names and values are compared ignoring case, after
// NFC normalisation; an attribute is the document's own, else its case's;
// a document without a case is its own case, named like the document; a
// name that matches nothing is a not-found error with the nearest names.
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
	// Langs are document languages (en, he, ...; a document without its
	// own language is in the project's).
	Langs []string `json:"langs,omitempty"`
	// Codes keeps only text inside codings of these codes or their
	// sub-codes (only of the codes themselves with ExactCodes); NotCodes
	// only text outside every coding of them.
	Codes      []string `json:"codes,omitempty"`
	NotCodes   []string `json:"not_codes,omitempty"`
	ExactCodes bool     `json:"exact_codes,omitempty"`
	// Coders keeps only the codings of these coders: the codings that Codes
	// and NotCodes look at, and (without Codes or NotCodes) the text inside
	// any coding of theirs.
	Coders []string `json:"coders,omitempty"`
}

// Empty reports whether the selection selects everything.
func (s *Selection) Empty() bool {
	return len(s.Cases)+len(s.Docs)+len(s.Speakers)+len(s.Roles)+len(s.Attrs)+len(s.Langs)+len(s.Codes)+len(s.NotCodes)+len(s.Coders) == 0
}

// selection is a resolved Selection: index filters for a search and a turn
// predicate for the store.
type selection struct {
	filter      index.Filter
	inside      index.Spans     // nil when no Codes (and no Coders alone)
	outside     index.Spans     // nil when no NotCodes
	docPass     map[uint64]bool // nil: every document passes the document filters
	speakers    map[string]bool // NormSpeaker keys
	roles       map[string]bool // FoldKey
	coders      map[string]bool // FoldKey
	codeIDs     map[uint64]bool // the Codes and their sub-codes; nil: any code
	roleMap     coding.RoleMap
	docs        []*coding.Document
	caseByID    map[uint64]*coding.Case // read when a case or attribute filter (or the caller) needs it
	projectLang string
	codebook    *coding.Codebook
}

// resolve checks the filters against the store (names that do not exist
// are errors with suggestions) and reads the codings the code filters need.
func (sf *Selection) resolve(tx *store.Tx) (*selection, error) {
	return sf.resolveTurns(tx, true)
}

// turnLabels returns the distinct speaker labels of d's turns in order of
// first appearance, "" included when a turn has none; from the store when
// d was read without its turns.
func turnLabels(tx *store.Tx, d *coding.Document) ([]string, error) {
	if d.Turns == nil {
		return tx.TurnSpeakers(d.ID)
	}
	var out []string
	for _, t := range d.Turns {
		if !slices.Contains(out, t.Speaker) {
			out = append(out, t.Speaker)
		}
	}
	return out, nil
}

// resolveTurns is resolve; without withTurns a search reads only what its
// filters need (with none, nothing: decoding every document, the roles and
// the codebook was a fifth of a whole 'tacit search' process), and the
// documents have no turns (the code filters read the turns of the
// documents their codings are in, in place: see spanTurns).
func (sf *Selection) resolveTurns(tx *store.Tx, withTurns bool) (*selection, error) {
	return sf.resolveWith(tx, withTurns, withTurns, true)
}

// resolveNames resolves the selection for a reader of codings (codings,
// the reports): it checks every name and resolves the document, speaker,
// role, coder and code filters, but builds no spans and no index filter
// for the code filters, and reads turns only for a speaker or role filter.
func (sf *Selection) resolveNames(tx *store.Tx) (*selection, error) {
	return sf.resolveWith(tx, true, len(sf.Speakers)+len(sf.Roles) > 0, false)
}

// resolveWith resolves the selection; all reads the documents, roles,
// cases and codebook whatever the filters, turns the documents' turns,
// spans the code filters' spans and the index filter's turns.
func (sf *Selection) resolveWith(tx *store.Tx, all, turns, spans bool) (*selection, error) {
	s := &selection{projectLang: tx.Lang()}
	var err error
	docFilters := len(sf.Docs)+len(sf.Cases)+len(sf.Attrs)+len(sf.Langs) > 0
	// The speaker and role filters read the documents' speaker labels
	// (turnLabels), not their turns.
	if all || turns || docFilters || len(sf.Speakers)+len(sf.Roles) > 0 {
		if s.docs, err = tx.Documents(turns); err != nil {
			return nil, err
		}
	}
	if all || len(sf.Roles) > 0 {
		if s.roleMap, err = tx.Roles(); err != nil {
			return nil, err
		}
	}
	if all || len(sf.Codes)+len(sf.NotCodes) > 0 {
		if s.codebook, err = tx.Codes(); err != nil {
			return nil, err
		}
	}
	if all || len(sf.Cases)+len(sf.Attrs) > 0 {
		cases, err := tx.Cases()
		if err != nil {
			return nil, err
		}
		s.caseByID = map[uint64]*coding.Case{}
		for _, c := range cases {
			s.caseByID[c.ID] = c
		}
	}
	if err := s.resolveDocs(tx, sf); err != nil {
		return nil, err
	}
	if len(sf.Speakers) > 0 {
		s.speakers = map[string]bool{}
		labels := map[string][]string{} // norm -> raw labels
		var all []string
		for _, d := range s.docs {
			sps, err := turnLabels(tx, d)
			if err != nil {
				return nil, err
			}
			for _, sp := range sps {
				if sp == "" {
					continue
				}
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
			k := coding.NormSpeaker(norm.NFC.String(ref))
			if len(labels[k]) == 0 {
				return nil, notFound("speaker", ref, all, coding.NextListSpeakers)
			}
			s.speakers[k] = true
			s.filter.Speakers = append(s.filter.Speakers, labels[k]...)
		}
	}
	if len(sf.Roles) > 0 {
		s.roles = map[string]bool{}
		known := map[string]bool{}
		// A role is a speaker's: look each document's speaker labels up
		// once, not every turn (117,000 lookups on 1,000 interviews).
		for _, d := range s.docs {
			sps, err := turnLabels(tx, d)
			if err != nil {
				return nil, err
			}
			for _, sp := range sps {
				if r := s.roleMap.Role(d, sp); r != "" {
					known[coding.FoldKey(r)] = true
				}
			}
		}
		var all []string
		for r := range known {
			all = append(all, r)
		}
		sort.Strings(all)
		for _, ref := range sf.Roles {
			r := coding.FoldKey(ref)
			if !known[r] {
				return nil, notFound("role", ref, all, coding.NextSetRole)
			}
			s.roles[r] = true
			s.filter.Roles = append(s.filter.Roles, r)
		}
	}
	if len(sf.Coders) > 0 {
		if s.coders, err = resolveCoders(tx, sf.Coders); err != nil {
			return nil, err
		}
	}
	if len(sf.Codes) > 0 {
		s.codeIDs = map[uint64]bool{}
		for _, ref := range sf.Codes {
			c, err := s.codebook.Resolve(ref)
			if err != nil {
				return nil, err
			}
			if sf.ExactCodes {
				s.codeIDs[c.ID] = true
				continue
			}
			for _, id := range s.codebook.Descendants(c.ID) {
				s.codeIDs[id] = true
			}
		}
	}
	if !spans {
		return s, nil
	}
	if len(sf.Codes) > 0 || (len(sf.Coders) > 0 && len(sf.NotCodes) == 0) {
		if s.inside, err = s.codeSpans(tx, s.codeIDs); err != nil {
			return nil, err
		}
		s.filter.OnlyTurns, err = spanTurns(tx, s.inside, func(doc uint64, start, end int) bool {
			return s.inside.Overlaps(doc, start, end)
		})
		if err != nil {
			return nil, err
		}
	}
	if len(sf.NotCodes) > 0 {
		ids := map[uint64]bool{}
		for _, ref := range sf.NotCodes {
			c, err := s.codebook.Resolve(ref)
			if err != nil {
				return nil, err
			}
			for _, id := range s.codebook.Descendants(c.ID) {
				ids[id] = true
			}
		}
		if s.outside, err = s.codeSpans(tx, ids); err != nil {
			return nil, err
		}
		ex, err := spanTurns(tx, s.outside, func(doc uint64, start, end int) bool {
			return end > start && s.outside.Contains(doc, start, end)
		})
		if err != nil {
			return nil, err
		}
		if len(ex) > 0 {
			s.filter.ExcludeTurns = ex
		}
	}
	return s, nil
}

// spanTurns returns the ids of the turns that keep accepts, in the
// documents of sp, in document and turn order. Only those documents' turns
// are read, in place: decoding every document's turn list (118,000 turns
// of 1,000 interviews) was most of what a search filtered by code did
// before it searched.
func spanTurns(tx *store.Tx, sp index.Spans, keep func(doc uint64, start, end int) bool) ([]string, error) {
	docs := make([]uint64, 0, len(sp))
	for d := range sp {
		docs = append(docs, d)
	}
	slices.Sort(docs)
	out := []string{}
	for _, d := range docs {
		if !tx.HasTurns(d) { // not a document (codings are deleted with theirs)
			continue
		}
		n := 0
		err := tx.ScanTurns(d, func(_ []byte, start, end int) {
			if keep(d, start, end) {
				out = append(out, index.TurnID(d, n))
			}
			n++
		})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// resolveDocs applies the document filters (documents, cases, attributes,
// languages) into docPass and the index filter's document ids: the index
// holds only the documents' own attributes, so every document filter
// becomes the list of documents that pass.
func (s *selection) resolveDocs(tx *store.Tx, sf *Selection) error {
	if len(sf.Docs)+len(sf.Cases)+len(sf.Attrs)+len(sf.Langs) == 0 {
		return nil
	}
	var docIDs, caseIDs, caseDocs map[uint64]bool
	if len(sf.Docs) > 0 {
		docIDs = map[uint64]bool{}
		for _, ref := range sf.Docs {
			d, err := tx.FindDocument(ref)
			if err != nil {
				return err
			}
			docIDs[d.ID] = true
		}
	}
	if len(sf.Cases) > 0 {
		caseIDs, caseDocs = map[uint64]bool{}, map[uint64]bool{}
		for _, ref := range sf.Cases {
			c, err := tx.FindCase(ref)
			if err == nil {
				caseIDs[c.ID] = true
				continue
			}
			// A document without a case is its own case, named like it.
			found := false
			for _, d := range s.docs {
				if s.caseByID[d.CaseID] == nil && coding.SameValue(d.Name, ref) {
					caseDocs[d.ID], found = true, true
				}
			}
			if !found {
				return err
			}
		}
	}
	for k := range sf.Attrs {
		if strings.TrimSpace(k) == "" {
			return coding.Errorf(coding.EInvalid, "an attribute filter needs a name, as in department=youth")
		}
		if !s.hasAttr(k) {
			return coding.Errorf(coding.EInvalid, "no case or document has the attribute %q, so the filter %s=%s cannot match", k, k, sf.Attrs[k])
		}
	}
	langs := map[string]bool{}
	if len(sf.Langs) > 0 {
		known := map[string]bool{}
		for _, d := range s.docs {
			known[coding.FoldKey(s.lang(d))] = true
		}
		var all []string
		for l := range known {
			all = append(all, l)
		}
		for _, l := range sf.Langs {
			k := coding.FoldKey(l)
			if !known[k] {
				return notFound("document language", l, all, "")
			}
			langs[k] = true
		}
	}
	s.docPass = map[uint64]bool{}
	pass := []uint64{}
	for _, d := range s.docs {
		ok := (docIDs == nil || docIDs[d.ID]) &&
			(caseIDs == nil || caseIDs[d.CaseID] || caseDocs[d.ID]) &&
			(len(langs) == 0 || langs[coding.FoldKey(s.lang(d))])
		for k, v := range sf.Attrs {
			if !ok {
				break
			}
			got, has := coding.AttrOf(d, s.caseByID[d.CaseID], k)
			ok = has && coding.AttrValueMatches(k, got, v)
		}
		if ok {
			s.docPass[d.ID] = true
			pass = append(pass, d.ID)
		}
	}
	if len(pass) == 0 {
		pass = []uint64{0} // no document has id 0: nothing passes
	}
	s.filter.DocIDs = pass
	return nil
}

// hasAttr reports whether any document or case has an attribute named k.
func (s *selection) hasAttr(k string) bool {
	for _, d := range s.docs {
		if _, ok := coding.AttrOf(d, nil, k); ok {
			return true
		}
	}
	for _, c := range s.caseByID {
		if _, ok := coding.AttrOf(&coding.Document{}, c, k); ok {
			return true
		}
	}
	return false
}

// resolveCoders checks coder names against the coders of the codings and
// returns their FoldKeys.
func resolveCoders(tx *store.Tx, refs []string) (map[string]bool, error) {
	known := map[string]string{} // FoldKey -> a spelling
	if err := tx.ScanCodings(func(f *store.CodingFields) error {
		if k := coding.FoldKey(string(f.Coder)); known[k] == "" {
			known[k] = string(f.Coder)
		}
		return nil
	}); err != nil {
		return nil, err
	}
	out := map[string]bool{}
	for _, ref := range refs {
		k := coding.FoldKey(ref)
		if known[k] == "" {
			var all []string
			for _, v := range known {
				all = append(all, v)
			}
			return nil, notFound("coder", ref, all, coding.NextNoCodings)
		}
		out[k] = true
	}
	return out, nil
}

// codeOK reports whether a coding of the code passes the code filter.
func (s *selection) codeOK(id uint64) bool {
	return s.codeIDs == nil || s.codeIDs[id]
}

// coderOK reports whether a coding by coder passes the coder filter.
func (s *selection) coderOK(coder string) bool {
	return s.coders == nil || s.coders[coding.FoldKey(coder)]
}

// docOK reports whether a document passes the document filters.
func (s *selection) docOK(d *coding.Document) bool {
	return s.docPass == nil || s.docPass[d.ID]
}

// speakerOK reports whether speech of the speaker in d passes the speaker
// and role filters.
func (s *selection) speakerOK(d *coding.Document, speaker string) bool {
	if s.speakers != nil && !s.speakers[coding.NormSpeaker(speaker)] {
		return false
	}
	return s.roles == nil || s.roles[coding.FoldKey(s.roleMap.Role(d, speaker))]
}

// codeSpans returns the merged spans of the codings of the codes (every
// code when ids is nil) by the selected coders.
func (s *selection) codeSpans(tx *store.Tx, ids map[uint64]bool) (index.Spans, error) {
	sp := index.Spans{}
	if ids == nil {
		err := tx.ScanCodings(func(f *store.CodingFields) error {
			if s.coderOK(string(f.Coder)) {
				sp.Add(f.DocID, f.Start, f.End)
			}
			return nil
		})
		sp.Normalize()
		return sp, err
	}
	for id := range ids {
		err := tx.ScanCodingsByCode(id, func(f *store.CodingFields) error {
			if s.coders == nil || s.coderOK(string(f.Coder)) {
				sp.Add(f.DocID, f.Start, f.End)
			}
			return nil
		})
		if err != nil {
			return nil, err
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
			if s.coderOK(cd.Coder) {
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

// turnOK reports whether a turn passes the document, speaker and role
// filters.
func (s *selection) turnOK(d *coding.Document, t coding.Turn) bool {
	if !s.docOK(d) {
		return false
	}
	if t.Header {
		// The header unit has no speaker and no role (as in the index).
		return s.speakers == nil && s.roles == nil
	}
	return s.speakerOK(d, t.Speaker)
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

// notFound is coding.NotFound that, without a close match, lists the
// names there are (up to 8) instead of the next step.
func notFound(what, ref string, all []string, next string) error {
	msg := fmt.Sprintf("no %s %q", what, ref)
	if c := coding.Closest(ref, all, 3); len(c) > 0 {
		msg += "; did you mean " + coding.QuoteList(c) + "?"
		next = ""
	} else if len(all) > 0 {
		sort.Strings(all)
		if len(all) > 8 {
			all = append(all[:8:8], "...")
		}
		msg += "; known: " + strings.Join(all, ", ")
		next = ""
	}
	return &coding.Error{Kind: coding.ENotFound, Message: msg, Next: next}
}
