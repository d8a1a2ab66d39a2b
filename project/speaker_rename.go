package project

import (
	"context"
	"fmt"
	"strings"

	"github.com/tacit-qda/tacit/coding"
	"github.com/tacit-qda/tacit/coding/reanchor"
	"github.com/tacit-qda/tacit/store"
)

// RenameSpeakerRequest relabels a speaker in one document ("" Doc: in
// all), for de-identification ("Moshe Levi" -> "Client A").
type RenameSpeakerRequest struct {
	Doc  string `json:"doc,omitempty"`
	From string `json:"from"`
	To   string `json:"to"`
}

// RenamedSpeakerDoc is one document whose labels changed.
type RenamedSpeakerDoc struct {
	ID      uint64 `json:"id"`
	Name    string `json:"name"`
	Turns   int    `json:"turns"`   // turns relabelled
	Codings int    `json:"codings"` // codings carried over, every one with its words
	Version int    `json:"version"` // the number the old text is kept under
}

// RenameSpeakerResult says where the speaker was renamed.
type RenameSpeakerResult struct {
	From      string              `json:"from"`
	To        string              `json:"to"`
	Documents []RenamedSpeakerDoc `json:"documents"`
	Event     uint64              `json:"event"`
}

// RenameSpeaker rewrites a speaker's label in the text and turns of one
// document or of all, as a replace whose codings all keep their words:
// the old texts are kept as versions, roles follow the new label, and the
// whole change is one transaction, undone by 'tacit undo'. Speech is not
// touched: a name said inside a turn is corrected with 'tacit replace'.
func (p *Project) RenameSpeaker(ctx context.Context, req RenameSpeakerRequest) (*RenameSpeakerResult, error) {
	from, to := strings.TrimSpace(req.From), strings.Join(strings.Fields(req.To), " ")
	if from == "" || to == "" {
		return nil, &coding.Error{Kind: coding.EInvalid, Message: "name the speaker and the new label", Next: coding.NextRenameSpeaker}
	}
	if strings.ContainsAny(to, ":\n") {
		return nil, coding.Errorf(coding.EInvalid, "a speaker label cannot hold a colon or a line break (%q)", to)
	}
	if coding.NormSpeaker(from) == coding.NormSpeaker(to) && from == to {
		return nil, coding.Errorf(coding.EInvalid, "the speaker is called %q already", to)
	}
	res := &RenameSpeakerResult{From: from, To: to, Documents: []RenamedSpeakerDoc{}}
	actor := p.actor(ctx)
	err := p.changeIndexed(ctx, func(tx *store.Tx) (indexChange, error) {
		var docs []*coding.Document
		if req.Doc != "" {
			d, err := tx.FindDocument(req.Doc)
			if err != nil {
				return indexChange{}, err
			}
			docs = []*coding.Document{d}
		} else {
			var err error
			if docs, err = tx.Documents(true); err != nil {
				return indexChange{}, err
			}
		}
		ch := indexChange{drop: map[uint64]int{}}
		var known []string
		for _, d := range docs {
			text, err := tx.Text(d.ID)
			if err != nil {
				return indexChange{}, err
			}
			newText, turns, n, shift := reanchor.Relabel(text, d.Turns, from, to)
			if n == 0 {
				known = append(known, d.Speakers()...)
				continue
			}
			codings, err := tx.CodingsByDoc(d.ID)
			if err != nil {
				return indexChange{}, err
			}
			var moved []coding.Coding
			for _, c := range codings {
				s, e := shift.Map(c.Start), shift.Map(c.End)
				if s != c.Start || e != c.End {
					c.Start, c.End = s, e
					moved = append(moved, c)
				}
			}
			nd := *d
			nd.Turns = turns
			v, err := tx.ReplaceDocument(store.Replacement{Doc: &nd, Text: newText, Moved: moved, Actor: actor})
			if err != nil {
				return indexChange{}, err
			}
			res.Documents = append(res.Documents, RenamedSpeakerDoc{ID: d.ID, Name: d.Name, Turns: n, Codings: len(codings), Version: v})
			ch.drop[d.ID] = len(d.Turns)
			ch.reindex = append(ch.reindex, d.ID)
		}
		if len(res.Documents) == 0 {
			where := "in any document"
			if req.Doc != "" {
				where = "in " + docs[0].Name
			}
			e := coding.NotFound("speaker", from, known, coding.NextListSpeakers)
			if e.Next != "" {
				e.Message += "; no turn has that speaker " + where
			}
			return indexChange{}, e
		}
		if err := moveRoles(tx, from, to, req.Doc != "", res.Documents); err != nil {
			return indexChange{}, err
		}
		names := make([]string, len(res.Documents))
		for i, d := range res.Documents {
			names[i] = d.Name
		}
		ev := &coding.Event{Actor: actor, Action: store.ActionSpeakerRename, Target: "speaker:" + to,
			Summary: fmt.Sprintf("renamed speaker %q to %q in %s", from, to, strings.Join(names, ", "))}
		if err := tx.Log(ev); err != nil {
			return indexChange{}, err
		}
		res.Event = ev.ID
		return ch, nil
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// moveRoles gives the new label the roles the old one had: in the
// documents renamed (per-document roles), and project-wide when the
// speaker was renamed everywhere.
func moveRoles(tx *store.Tx, from, to string, oneDoc bool, docs []RenamedSpeakerDoc) error {
	rm, err := tx.Roles()
	if err != nil {
		return err
	}
	fk, tk := coding.NormSpeaker(from), coding.NormSpeaker(to)
	if fk == tk {
		return nil
	}
	changed := false
	projRole, hadProj := rm.Project[fk]
	for _, d := range docs {
		m := rm.PerDoc[d.ID]
		if r, ok := m[fk]; ok {
			delete(m, fk)
			m[tk] = r
			changed = true
		} else if oneDoc && hadProj {
			if _, taken := rm.Project[tk]; !taken {
				if rm.PerDoc[d.ID] == nil {
					rm.PerDoc[d.ID] = map[string]string{}
				}
				rm.PerDoc[d.ID][tk] = projRole
				changed = true
			}
		}
	}
	if !oneDoc && hadProj {
		if _, taken := rm.Project[tk]; !taken {
			rm.Project[tk] = projRole
		}
		delete(rm.Project, fk)
		changed = true
	}
	if !changed {
		return nil
	}
	return tx.SetRoles(rm)
}
