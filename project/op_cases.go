package project

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/tacit-qda/tacit/coding"
	"github.com/tacit-qda/tacit/store"
)

// CasesRequest lists the cases.
type CasesRequest struct{}

// CaseRow is one case in 'tacit cases --json'.
type CaseRow struct {
	ID         uint64            `json:"id"`
	Name       string            `json:"name"`
	Attributes map[string]string `json:"attributes"`
	Documents  []string          `json:"documents"`
}

// CasesResult lists the cases, and the documents in no case.
type CasesResult struct {
	Cases []CaseRow `json:"cases"`
	// Loose are the names of the documents that belong to no case.
	Loose []string `json:"loose_documents"`
}

// Cases lists the cases with their documents and attributes.
func (p *Project) Cases(ctx context.Context, req CasesRequest) (*CasesResult, error) {
	res := &CasesResult{Cases: []CaseRow{}, Loose: []string{}}
	err := p.Store.View(func(tx *store.Tx) error {
		cases, err := tx.Cases()
		if err != nil {
			return err
		}
		docs, err := tx.Documents(false)
		if err != nil {
			return err
		}
		byCase := map[uint64][]string{}
		for _, d := range docs {
			if d.CaseID == 0 {
				res.Loose = append(res.Loose, d.Name)
			}
			byCase[d.CaseID] = append(byCase[d.CaseID], d.Name)
		}
		for _, c := range cases {
			attrs := c.Attrs
			if attrs == nil {
				attrs = map[string]string{}
			}
			res.Cases = append(res.Cases, CaseRow{ID: c.ID, Name: c.Name, Attributes: attrs, Documents: nonNil(byCase[c.ID])})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// AttrRequest sets and removes attributes of a case (or, with Doc, of a
// document).
type AttrRequest struct {
	// Target is the case's (or document's) name or id.
	Target string            `json:"target"`
	Doc    bool              `json:"doc,omitempty"`
	Set    map[string]string `json:"set,omitempty"`
	Unset  []string          `json:"unset,omitempty"`
}

// AttrResult holds the target's attributes after the change.
type AttrResult struct {
	Attributes map[string]string `json:"attributes"`
	Target     string            `json:"target"`
}

// ChangeAttrs sets and removes attributes in one transaction; removing an
// attribute that is not there is an error and changes nothing.
func (p *Project) ChangeAttrs(ctx context.Context, req AttrRequest) (*AttrResult, error) {
	if len(req.Set)+len(req.Unset) == 0 {
		return nil, coding.Errorf(coding.EInvalid, "no attribute to set or remove")
	}
	res := &AttrResult{Target: req.Target}
	actor := p.actor(ctx)
	err := p.UpdateIndexed(ctx, func(tx *store.Tx) ([]uint64, bool, error) {
		var reindex []uint64
		var attrs map[string]string
		var what string
		var save func() error
		if req.Doc {
			d, err := tx.FindDocument(req.Target)
			if err != nil {
				return nil, false, err
			}
			if d.Attrs == nil {
				d.Attrs = map[string]string{}
			}
			attrs, what = d.Attrs, fmt.Sprintf("doc:%d", d.ID)
			save = func() error { return tx.UpdateDocument(d) }
			reindex = append(reindex, d.ID)
		} else {
			c, err := tx.FindCase(req.Target)
			if err != nil {
				return nil, false, err
			}
			if c.Attrs == nil {
				c.Attrs = map[string]string{}
			}
			attrs, what = c.Attrs, fmt.Sprintf("case:%d", c.ID)
			save = func() error { return tx.PutCase(c) }
		}
		var changes []string
		keys := make([]string, 0, len(req.Set))
		for k := range req.Set {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			changes = append(changes, fmt.Sprintf("%s=%s (was %q)", k, req.Set[k], attrs[k]))
			attrs[k] = req.Set[k]
		}
		for _, k := range req.Unset {
			if _, ok := attrs[k]; !ok {
				return nil, false, coding.Errorf(coding.ENotFound, "%s has no attribute %q", req.Target, k)
			}
			changes = append(changes, fmt.Sprintf("removed %s (was %q)", k, attrs[k]))
			delete(attrs, k)
		}
		if err := save(); err != nil {
			return nil, false, err
		}
		res.Attributes = attrs
		return reindex, false, tx.Log(&coding.Event{Actor: actor, Action: store.ActionAttr, Target: what,
			Summary: fmt.Sprintf("attributes of %s: %s", req.Target, strings.Join(changes, ", "))})
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// SpeakersRequest lists the speakers.
type SpeakersRequest struct{}

// SpeakerStat is a speaker label with its role, documents and turns.
type SpeakerStat = store.SpeakerStat

// SpeakersResult lists the speakers.
type SpeakersResult struct {
	Speakers []SpeakerStat `json:"speakers"`
}

// Speakers lists the speaker labels of all documents (compared
// case-insensitively) with their roles and turn counts.
func (p *Project) Speakers(ctx context.Context, req SpeakersRequest) (*SpeakersResult, error) {
	var rows []store.SpeakerStat
	err := p.Store.View(func(tx *store.Tx) error {
		var err error
		rows, err = tx.Speakers()
		return err
	})
	if err != nil {
		return nil, err
	}
	return &SpeakersResult{Speakers: nonNil(rows)}, nil
}

// SetRoleRequest maps a speaker to a role, project-wide or in one
// document; an empty Role removes the mapping.
type SetRoleRequest struct {
	Speaker string `json:"speaker"`
	Role    string `json:"role"`
	// Doc is a document's id or name (empty: the whole project).
	Doc string `json:"doc,omitempty"`
	// Force maps a speaker who speaks in no document (of Doc, or of the
	// project); without it that is refused with the nearest labels.
	Force bool `json:"force,omitempty"`
}

// SetRoleResult says what was mapped where.
type SetRoleResult struct {
	Speaker string `json:"speaker"`
	Role    string `json:"role"`
	Doc     string `json:"doc"`
	// DocName is the resolved document's name (empty: project-wide).
	DocName string `json:"doc_name"`
}

// SetRole maps (or unmaps) a speaker's role and re-indexes the documents
// in which the speaker speaks.
func (p *Project) SetRole(ctx context.Context, req SetRoleRequest) (*SetRoleResult, error) {
	r := strings.TrimSpace(req.Role)
	res := &SetRoleResult{Speaker: req.Speaker, Role: strings.ToLower(r), Doc: req.Doc}
	actor := p.actor(ctx)
	err := p.UpdateIndexed(ctx, func(tx *store.Tx) ([]uint64, bool, error) {
		var doc *coding.Document
		if req.Doc != "" {
			d, err := tx.FindDocument(req.Doc)
			if err != nil {
				return nil, false, err
			}
			doc, res.DocName = d, d.Name
		}
		if r != "" && !req.Force {
			if err := speakerExists(tx, req.Speaker, doc); err != nil {
				return nil, false, err
			}
		}
		if err := tx.SetRole(actor, req.Speaker, r, doc); err != nil {
			return nil, false, err
		}
		if doc != nil {
			return []uint64{doc.ID}, false, nil
		}
		docs, err := tx.Documents(true)
		if err != nil {
			return nil, false, err
		}
		key := coding.NormSpeaker(req.Speaker)
		var ids []uint64
		for _, d := range docs {
			for _, t := range d.Turns {
				if coding.NormSpeaker(t.Speaker) == key {
					ids = append(ids, d.ID)
					break
				}
			}
		}
		return ids, false, nil
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// speakerExists refuses a speaker label that no turn of doc (nil: of any
// document) has, suggesting the nearest labels: a typo ("Dann") would
// otherwise map nobody and say nothing.
func speakerExists(tx *store.Tx, speaker string, doc *coding.Document) error {
	docs := []*coding.Document{doc}
	if doc == nil {
		var err error
		if docs, err = tx.Documents(true); err != nil {
			return err
		}
	}
	key := coding.NormSpeaker(speaker)
	seen := map[string]bool{}
	var labels []string
	for _, d := range docs {
		for _, t := range d.Turns {
			k := coding.NormSpeaker(t.Speaker)
			if k == key {
				return nil
			}
			if t.Speaker != "" && !seen[k] {
				seen[k] = true
				labels = append(labels, t.Speaker)
			}
		}
	}
	where := "in any document"
	if doc != nil {
		where = "in " + doc.Name
	}
	if s := coding.Closest(speaker, labels, 3); len(s) > 0 {
		return &coding.Error{Kind: coding.ENotFound, Message: fmt.Sprintf("no speaker %q %s; did you mean %s?", speaker, where, coding.QuoteList(s)), Next: coding.NextForceMap}
	}
	return &coding.Error{Kind: coding.ENotFound, Message: fmt.Sprintf("no speaker %q %s", speaker, where), Next: coding.NextSpeakerForce}
}
