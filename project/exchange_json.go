package project

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"strconv"

	"github.com/tacit-qda/tacit/coding"
	"github.com/tacit-qda/tacit/store"
)

// ProjectFileFormat names the lossless JSON export in its "format" field.
const ProjectFileFormat = "tacit-project"

// ProjectFile is the lossless JSON form of a project ('tacit export
// project'): every document with its text and turns, the cases, the
// codebook with GUIDs, every coding, memo and speaker role, and the audit
// log (for the record; an import starts its own log).
type ProjectFile struct {
	Format    string          `json:"format"`
	Version   int             `json:"version"`
	Lang      string          `json:"lang,omitempty"`
	CreatedAt string          `json:"created_at,omitempty"`
	Documents []FileDocument  `json:"documents"`
	Cases     []*coding.Case  `json:"cases"`
	Codes     []coding.Code   `json:"codes"`
	Codings   []coding.Coding `json:"codings"`
	Memos     []*coding.Memo  `json:"memos"`
	Roles     coding.RoleMap  `json:"roles"`
	Events    []*coding.Event `json:"events"`
}

// FileDocument is a document with its text.
type FileDocument struct {
	coding.Document
	Text string `json:"text"`
}

// ExportProjectResult says what the JSON export holds.
type ExportProjectResult struct {
	Documents int   `json:"documents"`
	Codes     int   `json:"codes"`
	Codings   int   `json:"codings"`
	Cases     int   `json:"cases"`
	Memos     int   `json:"memos"`
	Events    int   `json:"events"`
	Bytes     int64 `json:"bytes"`
}

// ExportProject writes the whole project as lossless JSON to w.
func (p *Project) ExportProject(ctx context.Context, w io.Writer) (*ExportProjectResult, error) {
	s, err := p.snapshot(true)
	if err != nil {
		return nil, err
	}
	f := &ProjectFile{Format: ProjectFileFormat, Version: 1, CreatedAt: s.ns, Cases: s.cases,
		Codings: s.codings, Memos: s.memos, Roles: s.roles}
	if err := p.Store.View(func(tx *store.Tx) error {
		f.Lang = tx.Lang()
		return tx.Events(func(e *coding.Event) bool {
			ev := *e
			ev.Undo = nil
			f.Events = append(f.Events, &ev)
			return true
		})
	}); err != nil {
		return nil, err
	}
	// oldest first
	for i, j := 0, len(f.Events)-1; i < j; i, j = i+1, j-1 {
		f.Events[i], f.Events[j] = f.Events[j], f.Events[i]
	}
	for _, d := range s.docs {
		f.Documents = append(f.Documents, FileDocument{Document: *d, Text: s.texts[d.ID]})
	}
	s.cb.Walk(func(c *coding.Code, _ int) { f.Codes = append(f.Codes, *c) })
	if f.Documents == nil {
		f.Documents = []FileDocument{}
	}
	for _, l := range []*[]*coding.Case{&f.Cases} {
		if *l == nil {
			*l = []*coding.Case{}
		}
	}
	if f.Codes == nil {
		f.Codes = []coding.Code{}
	}
	if f.Codings == nil {
		f.Codings = []coding.Coding{}
	}
	if f.Memos == nil {
		f.Memos = []*coding.Memo{}
	}
	if f.Events == nil {
		f.Events = []*coding.Event{}
	}
	cw := &countWriter{w: w}
	enc := json.NewEncoder(cw)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(f); err != nil {
		return nil, err
	}
	return &ExportProjectResult{Documents: len(f.Documents), Codes: len(f.Codes), Codings: len(f.Codings),
		Cases: len(f.Cases), Memos: len(f.Memos), Events: len(f.Events), Bytes: cw.n}, nil
}

func idKey(id uint64) string { return strconv.FormatUint(id, 10) }

// readProjectJSON reads a file written by ExportProject into a bundle.
func readProjectJSON(file string) (*bundle, *ImportReport, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, nil, coding.Errorf(coding.ENotFound, "%s cannot be read: %v", file, errors.Unwrap(err))
	}
	var f ProjectFile
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&f); err != nil {
		return nil, nil, coding.Errorf(coding.EInvalid, "%s is not a tacit project file (JSON): %v", file, err)
	}
	if f.Format != ProjectFileFormat {
		return nil, nil, coding.Errorf(coding.EInvalid, "%s is not a tacit project file (a project export is); its format is %q", file, f.Format)
	}
	if f.Version != 1 {
		return nil, nil, coding.Errorf(coding.EInvalid, "%s is a tacit project file of version %d, which this tacit does not know; update tacit", file, f.Version)
	}
	rep := newReport(file, "tacit-json")
	rep.Origin = "tacit"
	b := &bundle{roles: &f.Roles}
	for _, c := range f.Cases {
		b.cases = append(b.cases, &xCase{key: idKey(c.ID), name: c.Name, attrs: c.Attrs})
	}
	for i := range f.Documents {
		d := &f.Documents[i]
		turns := d.Turns
		if turns == nil {
			turns = []coding.Turn{}
		}
		if err := checkTurns(turns, coding.RuneLen(d.Text)); err != nil {
			return nil, nil, coding.Errorf(coding.EInvalid, "%s: document %s: %s", file, d.Name, err.Error())
		}
		b.docs = append(b.docs, &xDoc{key: idKey(d.ID), name: d.Name, text: d.Text, turns: turns, format: d.Format,
			encoding: d.Encoding, lang: d.Lang, sourcePath: d.SourcePath, sourceHash: d.SourceHash, attrs: d.Attrs,
			caseKey: idKey(d.CaseID), importedAt: d.ImportedAt, importedBy: d.ImportedBy, warnings: d.Warnings})
	}
	cb := coding.NewCodebook(f.Codes)
	if probs := cb.Problems(); len(probs) > 0 {
		return nil, nil, coding.Errorf(coding.EInvalid, "%s: the codebook is damaged: %s", file, probs[0])
	}
	keyOf := map[uint64]string{}
	cb.Walk(func(c *coding.Code, _ int) {
		parts := []string{}
		for id := c.ID; id != 0; id = cb.Code(id).ParentID {
			parts = append([]string{cb.Code(id).Name}, parts...)
		}
		key := c.GUID
		if key == "" {
			key = cb.Path(c.ID)
		}
		keyOf[c.ID] = key
		b.codes = append(b.codes, &xCode{key: c.GUID, parts: parts, desc: c.Description, color: c.Color})
	})
	for _, c := range f.Codings {
		k, ok := keyOf[c.CodeID]
		if !ok {
			rep.skip("coding", idKey(c.ID), "its code "+idKey(c.CodeID)+" is not in the file's codebook")
			continue
		}
		b.codings = append(b.codings, &xCoding{key: idKey(c.ID), docKey: idKey(c.DocID), codeKey: k, start: c.Start, end: c.End,
			coder: c.Coder, memo: c.Memo, origin: c.Origin, keyFlag: c.Key, group: c.Group, query: c.Query, created: c.CreatedAt,
			where: place{text: "coding " + idKey(c.ID)}})
	}
	for _, m := range f.Memos {
		key := idKey(m.TargetID)
		if m.Target == coding.MemoCode {
			key = keyOf[m.TargetID]
		}
		b.memos = append(b.memos, &xMemo{target: m.Target, targetKey: key, title: m.Title, text: m.Text,
			author: m.Author, created: m.CreatedAt, updated: m.UpdatedAt})
	}
	if len(f.Events) > 0 {
		rep.skip("audit log", strconv.Itoa(len(f.Events))+" events", "the audit log of the file stays in the file; this project's log records the import")
	}
	return b, rep, nil
}

// checkTurns verifies that turns are sorted, do not overlap and lie in
// the text.
func checkTurns(ts []coding.Turn, n int) error {
	last := 0
	for i, t := range ts {
		if t.Start < last || t.End < t.Start || t.End > n {
			return coding.Errorf(coding.EInvalid, "turn %d (%d:%d) is out of order or outside the text", i, t.Start, t.End)
		}
		last = t.End
	}
	return nil
}
