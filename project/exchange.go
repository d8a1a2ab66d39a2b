package project

import (
	"context"
	"crypto/sha1"
	"fmt"
	"io"
	"maps"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/tacit-qda/tacit/coding"
	"github.com/tacit-qda/tacit/coding/refiqda"
	"github.com/tacit-qda/tacit/store"
)

// This file holds the exchange operations: REFI-QDA project (.qdpx) and
// codebook (.qdc) export and import, codings from CSV, and the tidy and
// lossless JSON exports. The formats themselves are in coding/refiqda.

// stableGUID derives a GUID from the project's creation time, a kind and a
// key, so that documents, cases, users, variables, selections and notes
// keep their GUIDs from one export to the next (codes carry their own
// stored GUID). The version nibble says 5 (name-based, SHA-1).
func stableGUID(ns, kind, key string) string {
	h := sha1.Sum([]byte("tacit\x00" + ns + "\x00" + kind + "\x00" + key))
	h[6] = h[6]&0x0f | 0x50
	h[8] = h[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", h[0:4], h[4:6], h[6:8], h[8:10], h[10:16])
}

// SetAttr is the document attribute that holds a document's REFI-QDA sets
// (tacit has no sets): their names, separated by "; ". An import sets it
// from the sets of sources of the file, and an export writes it back as
// sets; a filter --attr set=NAME selects the documents of set NAME
// (coding.AttrValueMatches).
const SetAttr = coding.SetAttr

// splitSets returns the set names of a "set" attribute value.
func splitSets(v string) []string {
	var out []string
	for _, n := range strings.Split(v, ";") {
		if n = strings.TrimSpace(n); n != "" {
			out = append(out, n)
		}
	}
	return out
}

// ExportQDPXRequest asks for a REFI-QDA project export.
type ExportQDPXRequest struct {
	// UTF16 writes positions in UTF-16 code units (NVivo's reading) instead
	// of code points (the spec's).
	UTF16 bool
}

// ExportQDPXResult says what was written.
type ExportQDPXResult struct {
	Documents  int      `json:"documents"`
	Codes      int      `json:"codes"`
	Codings    int      `json:"codings"`
	Users      int      `json:"users"`
	Cases      int      `json:"cases"`
	Variables  int      `json:"variables"`
	Notes      int      `json:"notes"`
	Sets       int      `json:"sets"`
	Links      int      `json:"links"`
	Positions  string   `json:"positions"`
	Bytes      int64    `json:"bytes"`
	NotCarried []string `json:"not_carried"`
}

// snapshot is everything an export needs, read in one transaction.
type snapshot struct {
	ns      string
	docs    []*coding.Document
	texts   map[uint64]string
	cases   []*coding.Case
	cb      *coding.Codebook
	codings []coding.Coding
	memos   []*coding.Memo
	roles   coding.RoleMap
}

func (p *Project) snapshot(withText bool) (*snapshot, error) {
	s := &snapshot{texts: map[uint64]string{}}
	err := p.Store.View(func(tx *store.Tx) error {
		var err error
		s.ns = tx.CreatedAt()
		if s.docs, err = tx.Documents(true); err != nil {
			return err
		}
		if withText {
			for _, d := range s.docs {
				if s.texts[d.ID], err = tx.Text(d.ID); err != nil {
					return err
				}
			}
		}
		if s.cases, err = tx.Cases(); err != nil {
			return err
		}
		if s.cb, err = tx.Codes(); err != nil {
			return err
		}
		if err = tx.Codings(func(c *coding.Coding) error { s.codings = append(s.codings, *c); return nil }); err != nil {
			return err
		}
		if s.memos, err = tx.Memos("", 0); err != nil {
			return err
		}
		s.roles, err = tx.Roles()
		return err
	})
	return s, err
}

// refiCodes converts the codebook into REFI codes (all codable, as MAXQDA
// and NVivo write them), with the notes of code memos attached.
func refiCodes(cb *coding.Codebook, ns string, noteRefs map[uint64][]string) []*refiqda.Code {
	var rec func(parent uint64) []*refiqda.Code
	rec = func(parent uint64) []*refiqda.Code {
		var out []*refiqda.Code
		for _, id := range cb.Children(parent) {
			c := cb.Code(id)
			out = append(out, &refiqda.Code{GUID: codeGUID(ns, c), Name: c.Name, Codable: true,
				Color: c.Color, Description: c.Description, NoteRefs: noteRefs[id], Children: rec(id)})
		}
		return out
	}
	return rec(0)
}

// codeGUID is the code's stored GUID, canonical; a code stored without
// one (or with a malformed one) gets a stable derived GUID.
func codeGUID(ns string, c *coding.Code) string {
	if refiqda.ValidGUID(c.GUID) {
		return refiqda.CanonGUID(c.GUID)
	}
	return stableGUID(ns, "code", strconv.FormatUint(c.ID, 10))
}

// ExportQDPX writes the whole project as a REFI-QDA .qdpx to w: project.qde
// and one UTF-8 text per document in sources/.
func (p *Project) ExportQDPX(ctx context.Context, req ExportQDPXRequest, w io.Writer) (*ExportQDPXResult, error) {
	s, err := p.snapshot(true)
	if err != nil {
		return nil, err
	}
	res := &ExportQDPXResult{Positions: "chars", NotCarried: []string{}}
	if req.UTF16 {
		res.Positions = "utf16"
	}
	g := func(kind string, id uint64) string { return stableGUID(s.ns, kind, strconv.FormatUint(id, 10)) }
	users := map[string]string{}
	var userList []refiqda.User
	user := func(name string) string {
		if name == "" {
			return ""
		}
		if u, ok := users[name]; ok {
			return u
		}
		u := stableGUID(s.ns, "user", name)
		users[name] = u
		userList = append(userList, refiqda.User{GUID: u, Name: name})
		return u
	}
	rp := &refiqda.Project{Name: filepath.Base(p.Root), Origin: "tacit", CreatingUser: user(p.Actor)}
	codingsOf := map[uint64][]coding.Coding{}
	for _, c := range s.codings {
		codingsOf[c.DocID] = append(codingsOf[c.DocID], c)
	}
	// The project memos an import made of sets of codes or notes and of
	// links go back out as sets and links (exchange_links.go).
	refs := newExportRefs(s, g, codingsOf)
	memoSets := map[string]refiqda.Set{}
	var memoSetNames []string
	noteText := map[uint64]string{}
	for _, m := range s.memos {
		if !structuralMemo(m) {
			continue
		}
		if m.Title == linksMemoTitle {
			links, rest := refs.linksFromMemo(m)
			rp.Links = append(rp.Links, links...)
			noteText[m.ID] = rest
			continue
		}
		if st, ok := refs.setFromMemo(m); ok {
			if _, dup := memoSets[st.Name]; !dup {
				memoSets[st.Name] = st
				memoSetNames = append(memoSetNames, st.Name)
				noteText[m.ID] = ""
			}
		}
	}
	// Notes: every memo but case memos, which go into the case description
	// (a REFI-QDA case has no note references).
	noteRefs := map[string][]string{}
	caseMemos := map[uint64][]string{}
	for _, m := range s.memos {
		text, structural := noteText[m.ID]
		if !structural {
			text = m.Text
		} else if text == "" {
			continue // written as a set or as links
		}
		if m.Target == coding.MemoCase {
			t := m.Text
			if m.Title != "" {
				t = m.Title + "\n" + t
			}
			caseMemos[m.TargetID] = append(caseMemos[m.TargetID], t)
			continue
		}
		id := g("memo", m.ID)
		rp.Notes = append(rp.Notes, refiqda.Note{GUID: id, Name: m.Title, Text: text, HasContent: true,
			CreatingUser: user(m.Author), Created: m.CreatedAt})
		key := m.Target + ":" + strconv.FormatUint(m.TargetID, 10)
		noteRefs[key] = append(noteRefs[key], id)
	}
	codeNotes := map[uint64][]string{}
	s.cb.Walk(func(c *coding.Code, _ int) {
		codeNotes[c.ID] = noteRefs[coding.MemoCode+":"+strconv.FormatUint(c.ID, 10)]
	})
	rp.Codes = refiCodes(s.cb, s.ns, codeNotes)
	rp.NoteRefs = noteRefs[coding.MemoProject+":0"]
	// Variables: one Text variable per attribute key of documents and cases.
	varGUID := map[string]string{}
	addVar := func(k string) {
		if _, ok := varGUID[k]; !ok {
			varGUID[k] = stableGUID(s.ns, "variable", k)
		}
	}
	values := func(attrs map[string]string) []refiqda.VariableValue {
		keys := make([]string, 0, len(attrs))
		for k := range attrs {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var out []refiqda.VariableValue
		for _, k := range keys {
			addVar(k)
			out = append(out, refiqda.VariableValue{Variable: varGUID[k], Value: attrs[k]})
		}
		return out
	}
	docsOfCase := map[uint64][]string{}
	var files []string
	fileText := map[string]string{}
	setMembers := map[string][]string{}
	var setNames []string
	for _, d := range s.docs {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		id := g("doc", d.ID)
		name := id + ".txt"
		files = append(files, name)
		text := s.texts[d.ID]
		fileText[name] = text
		if d.CaseID != 0 {
			docsOfCase[d.CaseID] = append(docsOfCase[d.CaseID], id)
		}
		attrs := d.Attrs
		if v, ok := attrs[SetAttr]; ok {
			// The attribute "set" is the document's sets (as MAXQDA's sets
			// of documents are imported): written as Sets, not a variable.
			attrs = maps.Clone(attrs)
			delete(attrs, SetAttr)
			for _, n := range splitSets(v) {
				if _, ok := setMembers[n]; !ok {
					setNames = append(setNames, n)
				}
				setMembers[n] = append(setMembers[n], id)
			}
		}
		src := &refiqda.Source{Kind: refiqda.KindText, GUID: id, Name: d.Name, PlainTextPath: "internal://" + name,
			CreatingUser: user(d.ImportedBy), Created: d.ImportedAt,
			NoteRefs: noteRefs[coding.MemoDoc+":"+strconv.FormatUint(d.ID, 10)], Values: values(attrs)}
		list := codingsOf[d.ID]
		sort.Slice(list, func(i, j int) bool {
			if list[i].Start != list[j].Start {
				return list[i].Start < list[j].Start
			}
			if list[i].End != list[j].End {
				return list[i].End < list[j].End
			}
			return list[i].ID < list[j].ID
		})
		off := coding.NewOffsets(text)
		pos := func(cp int) int { return cp }
		if req.UTF16 {
			pos = refiqda.UTF16Positions(text)
		}
		for _, c := range list {
			code := s.cb.Code(c.CodeID)
			if code == nil {
				continue
			}
			u := user(c.Coder)
			src.Selections = append(src.Selections, refiqda.Selection{
				GUID: g("selection", c.ID), Name: clipName(off.Slice(c.Start, c.End), 100),
				Start: pos(c.Start), End: pos(c.End), Description: c.Memo,
				NoteRefs:     noteRefs[coding.MemoCoding+":"+strconv.FormatUint(c.ID, 10)],
				CreatingUser: u, Created: c.CreatedAt,
				Codings: []refiqda.Coding{{GUID: g("coding", c.ID), Code: codeGUID(s.ns, code), CreatingUser: u, Created: c.CreatedAt}},
			})
			res.Codings++
		}
		rp.Sources = append(rp.Sources, src)
	}
	for _, c := range s.cases {
		rp.Cases = append(rp.Cases, refiqda.Case{GUID: g("case", c.ID), Name: c.Name,
			Description: strings.Join(caseMemos[c.ID], "\n\n"), Values: values(c.Attrs), SourceRefs: docsOfCase[c.ID]})
	}
	keys := make([]string, 0, len(varGUID))
	for k := range varGUID {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		rp.Variables = append(rp.Variables, refiqda.Variable{GUID: varGUID[k], Name: k, Type: "Text"})
	}
	rp.Users = userList
	// One set per name: the documents whose attribute "set" names it and
	// what the memo "set NAME" lists (a set of codes and sources comes in
	// as both).
	for _, n := range memoSetNames {
		if _, ok := setMembers[n]; !ok {
			setNames = append(setNames, n)
		}
	}
	sort.Strings(setNames)
	for _, n := range setNames {
		st := memoSets[n]
		st.GUID, st.Name = stableGUID(s.ns, "set", n), n
		for _, d := range setMembers[n] {
			if !slices.Contains(st.Sources, d) {
				st.Sources = append(st.Sources, d)
			}
		}
		rp.Sets = append(rp.Sets, st)
	}
	cw := &countWriter{w: w}
	err = refiqda.WriteQDPX(cw, func(w io.Writer) error { return refiqda.WriteProject(w, rp) }, files,
		func(name string, w io.Writer) error { _, err := io.WriteString(w, fileText[name]); return err })
	if err != nil {
		return nil, err
	}
	res.Documents, res.Codes, res.Users, res.Cases = len(s.docs), s.cb.Len(), len(rp.Users), len(rp.Cases)
	res.Variables, res.Notes, res.Sets, res.Links, res.Bytes = len(rp.Variables), len(rp.Notes), len(rp.Sets), len(rp.Links), cw.n
	if len(s.roles.Project)+len(s.roles.PerDoc) > 0 {
		res.NotCarried = append(res.NotCarried, "speaker roles (REFI-QDA has no place for them; a project export keeps them)")
	}
	for _, d := range s.docs {
		if len(d.Turns) > 0 && d.Turns[0].HasTime {
			res.NotCarried = append(res.NotCarried, "turn time stamps of caption documents")
			break
		}
	}
	auto := 0
	for _, c := range s.codings {
		if c.Origin == coding.OriginAuto || c.Key {
			auto++
		}
	}
	if auto > 0 {
		res.NotCarried = append(res.NotCarried, fmt.Sprintf("the origin (auto) and key-passage marks of %d codings", auto))
	}
	return res, nil
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(b []byte) (int, error) {
	n, err := c.w.Write(b)
	c.n += int64(n)
	return n, err
}

// clipName shortens a quoted passage to n code points on one line, as
// ATLAS.ti names its selections.
func clipName(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// ExportQDCResult says what was written.
type ExportQDCResult struct {
	Codes int `json:"codes"`
}

// ExportQDC writes the codebook as a REFI-QDA .qdc.
func (p *Project) ExportQDC(ctx context.Context, w io.Writer) (*ExportQDCResult, error) {
	var cb *coding.Codebook
	var ns string
	if err := p.Store.View(func(tx *store.Tx) error {
		var err error
		ns = tx.CreatedAt()
		cb, err = tx.Codes()
		return err
	}); err != nil {
		return nil, err
	}
	if cb.Len() == 0 {
		return nil, &coding.Error{Kind: coding.EInvalid, Message: "the codebook is empty, and a .qdc needs at least one code", Next: coding.NextAddCode}
	}
	if err := refiqda.WriteCodebook(w, &refiqda.Codebook{Origin: "tacit", Codes: refiCodes(cb, ns, nil)}); err != nil {
		return nil, err
	}
	return &ExportQDCResult{Codes: cb.Len()}, nil
}

func looksXML(data []byte) bool {
	t := strings.TrimSpace(strings.TrimPrefix(string(data[:min(len(data), 64)]), "\ufeff"))
	return strings.HasPrefix(t, "<")
}

// qdcFlatCodes reads a REFI-QDA codebook (.qdc, or the codebook of a
// .qde) into the flat list that store.ImportCodebook merges: parents
// first, names cleaned ("/" becomes "∕"), GUIDs canonical.
// notImported lists, with reasons, what of the file is not carried: its
// sets (tacit has no code sets) and codes without a name.
func qdcFlatCodes(data []byte) (_ []coding.FlatCode, notImported []string, _ error) {
	cb, err := refiqda.ReadCodebook(data)
	if err != nil {
		return nil, nil, err
	}
	var out []coding.FlatCode
	seen := map[string]bool{}
	refiqda.Walk(cb.Codes, func(c *refiqda.Code, path []string) {
		parts := make([]string, 0, len(path))
		for _, p := range path {
			if n := cleanCodeName(p); n != "" {
				parts = append(parts, n)
			}
		}
		if len(parts) != len(path) {
			notImported = append(notImported, fmt.Sprintf("code %s (GUID %s): it or a parent has no name", strings.Join(parts, "/"), c.GUID))
			return
		}
		g := c.GUID
		if !refiqda.ValidGUID(g) || seen[g] {
			g = ""
		}
		seen[g] = true
		out = append(out, coding.FlatCode{Path: strings.Join(parts, "/"), Parts: parts, GUID: g, Description: c.Description, Color: c.Color})
	})
	if len(out) == 0 {
		return nil, nil, coding.Errorf(coding.EInvalid, "the codebook holds no codes")
	}
	for _, st := range cb.Sets {
		notImported = append(notImported, fmt.Sprintf("set %s (%d codes): tacit has no sets of codes; the codes themselves are imported", st.Name, len(st.Codes)))
	}
	return out, notImported, nil
}
