package project

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/tacit-qda/tacit/coding"
	"github.com/tacit-qda/tacit/coding/transcript"
	"github.com/tacit-qda/tacit/index/lang"
	"github.com/tacit-qda/tacit/store"
)

// An import from another tool (or from tacit's own JSON) is first read into
// a bundle: plain values keyed by the file's own identifiers. mergeBundle
// then writes it into the project in ONE transaction, with these rules:
// documents are matched by the hash of their normalised text (or of their
// source bytes); cases by name; codes by GUID, then by path; a coding equal
// to one already there (same document, span, code and coder) is not added
// twice. A matched code or case whose description, colour or attribute
// differs is reported as a conflict and keeps the project's value.

type xDoc struct {
	key        string
	name       string
	text       string
	turns      []coding.Turn // nil: parsed from the text
	format     string
	encoding   string
	lang       string
	sourcePath string
	sourceHash string
	attrs      map[string]string
	caseKey    string
	importedAt time.Time
	importedBy string
	warnings   []string
}

type xCode struct {
	key   string // GUID (canonical), may be ""
	parts []string
	desc  string
	color string
}

type xCase struct {
	key   string
	name  string
	attrs map[string]string
}

type xCoding struct {
	key        string // for memos on it, may be ""
	docKey     string
	codeKey    string // a code's key, else its path
	start, end int
	coder      string
	memo       string
	origin     string
	keyFlag    bool
	group      uint64
	query      string
	created    time.Time
	where      place // for the report ("selection GUID", "row 12")
}

type xMemo struct {
	target    string // coding.Memo* target kinds
	targetKey string
	title     string
	text      string
	author    string
	created   time.Time
	updated   time.Time
}

type bundle struct {
	docs    []*xDoc
	codes   []*xCode
	cases   []*xCase
	codings []*xCoding
	memos   []*xMemo
	roles   *coding.RoleMap
}

// ExchangeCounts counts what an import added, matched or dropped.
type ExchangeCounts struct {
	Documents         int `json:"documents"`
	DocumentsMatched  int `json:"documents_matched"`
	Codes             int `json:"codes"`
	CodesMatched      int `json:"codes_matched"`
	Codings           int `json:"codings"`
	CodingsDuplicate  int `json:"codings_duplicate"`
	Coders            int `json:"coders"`
	Cases             int `json:"cases"`
	CasesMatched      int `json:"cases_matched"`
	Attributes        int `json:"attributes"`
	Memos             int `json:"memos"`
	CodingsNotPlaced  int `json:"codings_not_placed"`
	SourcesNotCarried int `json:"sources_not_imported"`
}

// NotImported is one thing an import did not carry over, and why.
type NotImported struct {
	What   string `json:"what"`
	Name   string `json:"name"`
	Reason string `json:"reason"`
}

// SourceReport says how one source of an exchange file was read.
type SourceReport struct {
	Name       string `json:"name"`
	GUID       string `json:"guid,omitempty"`
	Kind       string `json:"kind"`
	Status     string `json:"status"` // imported, matched, skipped
	Document   string `json:"document,omitempty"`
	Positions  string `json:"positions,omitempty"`
	Detected   bool   `json:"detected,omitempty"`
	Boundaries string `json:"boundaries,omitempty"` // "598/606"
	Selections int    `json:"selections"`
	Text       string `json:"text,omitempty"` // BOM, CRLF, non-BMP
	Reason     string `json:"reason,omitempty"`
}

// ImportReport is the full account of an import: printed, and --json.
type ImportReport struct {
	File        string         `json:"file"`
	Format      string         `json:"format"`
	Origin      string         `json:"origin,omitempty"`
	DryRun      bool           `json:"dry_run"`
	Imported    ExchangeCounts `json:"imported"`
	Sources     []SourceReport `json:"sources"`
	NotImported []NotImported  `json:"not_imported"`
	// AsMemos lists the links and the sets of codes or notes of the file,
	// which tacit has no place for, and the memo each became.
	AsMemos   []string `json:"as_memos"`
	Conflicts []string `json:"conflicts"`
	Warnings  []string `json:"warnings"`
}

func newReport(file, format string) *ImportReport {
	return &ImportReport{File: file, Format: format, Sources: []SourceReport{}, NotImported: []NotImported{},
		AsMemos: []string{}, Conflicts: []string{}, Warnings: []string{}}
}

func (r *ImportReport) skip(what, name, reason string) {
	r.NotImported = append(r.NotImported, NotImported{What: what, Name: name, Reason: reason})
}

// errExchangeDryRun rolls back a dry run's transaction after the report is made.
var errExchangeDryRun = errors.New("dry run")

func textHash(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

// cleanCodeName makes a name from another tool a tacit code name: white
// space folded, "/" (tacit's path separator) replaced by "∕".
func cleanCodeName(n string) string {
	n = strings.Join(strings.Fields(n), " ")
	return strings.ReplaceAll(n, "/", "∕")
}

// mergeBundle writes b into the project in one transaction and fills the
// report. It returns the ids of the documents added or changed (for the
// search index).
func mergeBundle(tx *store.Tx, actor string, b *bundle, rep *ImportReport, summary string) ([]uint64, error) {
	m := newMerger(tx, actor, rep)
	if err := m.mergeCases(b.cases); err != nil {
		return nil, err
	}
	for _, d := range b.docs {
		if err := m.mergeDoc(d); err != nil {
			return nil, err
		}
	}
	return m.mergeRest(b, summary)
}

// merger writes a bundle into a transaction in three steps: its cases, its
// documents one by one (which an import may hand over as it reads them,
// see ImportExchange), and the rest (codes, codings, memos, roles and the
// audit event).
type merger struct {
	tx       *store.Tx
	actor    string
	rep      *ImportReport
	projLang string
	caseID   map[string]uint64
	// existingByText maps the hash of each document's text to its id
	// (nil until the first document is merged).
	existingByText map[string]uint64
	docID          map[string]uint64
	docChars       map[uint64]int
	changed        []uint64
	docSkips       []NotImported // reported after the documents, as before the split
	// onDoc, when set, is told of each new document as it is added (its
	// id assigned), with its text.
	onDoc func(doc *coding.Document, text string) error
}

func newMerger(tx *store.Tx, actor string, rep *ImportReport) *merger {
	return &merger{tx: tx, actor: actor, rep: rep, projLang: tx.Lang(), caseID: map[string]uint64{},
		docID: map[string]uint64{}, docChars: map[uint64]int{}}
}

// mergeCases adds the cases the project does not have and the attributes
// its cases lack.
func (m *merger) mergeCases(cases []*xCase) error {
	tx, rep, caseID := m.tx, m.rep, m.caseID
	for _, c := range cases {
		name := strings.Join(strings.Fields(c.name), " ")
		if name == "" {
			continue
		}
		existing, err := tx.CaseByName(name)
		if err != nil {
			return err
		}
		cs, created, err := tx.EnsureCase(name)
		if err != nil {
			return err
		}
		caseID[c.key] = cs.ID
		if created {
			rep.Imported.Cases++
		} else if existing != nil {
			rep.Imported.CasesMatched++
		}
		dirty := false
		for k, v := range c.attrs {
			if old, ok := cs.Attrs[k]; ok && old != v {
				rep.Conflicts = append(rep.Conflicts, fmt.Sprintf("case %s: attribute %s is %q here and %q in the file; kept %q", name, k, old, v, old))
				continue
			} else if ok {
				continue
			}
			if cs.Attrs == nil {
				cs.Attrs = map[string]string{}
			}
			cs.Attrs[k] = v
			rep.Imported.Attributes++
			dirty = true
		}
		if dirty {
			if err := tx.PutCase(cs); err != nil {
				return err
			}
		}
	}
	return nil
}

// mergeDoc adds one document, or matches it (by its text, else by its
// source's hash) to one the project has and adds what that one lacks.
func (m *merger) mergeDoc(d *xDoc) error {
	tx, rep, caseID := m.tx, m.rep, m.caseID
	if m.existingByText == nil {
		m.existingByText = map[string]uint64{}
		docs, err := tx.Documents(false)
		if err != nil {
			return err
		}
		for _, d := range docs {
			t, err := tx.Text(d.ID)
			if err != nil {
				return err
			}
			m.existingByText[textHash(t)] = d.ID
		}
	}
	th := textHash(d.text)
	id := m.existingByText[th]
	if id == 0 && d.sourceHash != "" {
		id = tx.DocIDByHash(d.sourceHash)
	}
	if id != 0 {
		doc, err := tx.DocumentMeta(id)
		if err != nil {
			return err
		}
		m.docID[d.key] = id
		m.docChars[id] = doc.Chars
		rep.Imported.DocumentsMatched++
		rep.setSource(d.key, "matched", doc.Name)
		// Add attributes and the case the project does not have yet.
		dirty := false
		for k, v := range d.attrs {
			if old, ok := doc.Attrs[k]; ok && old != v {
				rep.Conflicts = append(rep.Conflicts, fmt.Sprintf("document %s: attribute %s is %q here and %q in the file; kept %q", doc.Name, k, old, v, old))
				continue
			} else if ok {
				continue
			}
			if doc.Attrs == nil {
				doc.Attrs = map[string]string{}
			}
			doc.Attrs[k] = v
			rep.Imported.Attributes++
			dirty = true
		}
		if cid := caseID[d.caseKey]; cid != 0 && doc.CaseID != cid {
			if doc.CaseID == 0 {
				doc.CaseID = cid
				dirty = true
			} else {
				rep.Conflicts = append(rep.Conflicts, fmt.Sprintf("document %s is in another case here than in the file; kept its case", doc.Name))
			}
		}
		if dirty {
			if err := tx.UpdateDocument(doc); err != nil {
				return err
			}
			m.changed = append(m.changed, id)
		}
		return nil
	}
	turns, warns := d.turns, d.warnings
	if turns == nil {
		parsed, err := transcript.Parse(d.name+".txt", []byte(d.text), transcript.Options{Format: transcript.FormatText})
		if err != nil {
			m.docSkips = append(m.docSkips, NotImported{What: "document", Name: d.name, Reason: err.Error()})
			rep.setSource(d.key, "skipped", "")
			return nil
		}
		if parsed.Text != d.text {
			return coding.Errorf(coding.EInternal, "internal error: the text of %s changes when parsed again", d.name)
		}
		turns, warns = parsed.Turns, append(d.warnings, parsed.Warnings...)
	}
	doc := &coding.Document{Name: d.name, Format: d.format, Encoding: d.encoding, Lang: lang.Canonical(d.lang),
		SourcePath: d.sourcePath, SourceHash: d.sourceHash, Turns: turns, Attrs: map[string]string{},
		Warnings: warns, ImportedAt: d.importedAt, ImportedBy: d.importedBy, CaseID: caseID[d.caseKey]}
	if doc.Format == "" {
		doc.Format = transcript.FormatText
	}
	if doc.Encoding == "" {
		doc.Encoding = "utf-8"
	}
	if doc.SourceHash == "" {
		doc.SourceHash = th
	}
	if doc.Lang == "" {
		doc.Lang = lang.Detect(d.text, m.projLang)
	}
	if doc.ImportedAt.IsZero() {
		doc.ImportedAt = tx.Now()
	}
	if doc.ImportedBy == "" {
		doc.ImportedBy = m.actor
	}
	for k, v := range d.attrs {
		doc.Attrs[k] = v
		rep.Imported.Attributes++
	}
	if err := tx.AddDocument(doc, d.text); err != nil {
		return err
	}
	m.existingByText[th] = doc.ID
	m.docID[d.key] = doc.ID
	m.docChars[doc.ID] = doc.Chars
	m.changed = append(m.changed, doc.ID)
	rep.Imported.Documents++
	rep.setSource(d.key, "imported", doc.Name)
	if m.onDoc != nil {
		return m.onDoc(doc, d.text)
	}
	return nil
}

// mergeRest writes the codes, codings, memos and roles of b and the audit
// event, after its cases and documents, and returns the ids of the
// documents added or changed.
func (m *merger) mergeRest(b *bundle, summary string) ([]uint64, error) {
	tx, actor, rep := m.tx, m.actor, m.rep
	caseID, docID, docChars := m.caseID, m.docID, m.docChars
	rep.NotImported = append(rep.NotImported, m.docSkips...)
	m.docSkips = nil
	// ---- codes ----
	cb, err := tx.Codes()
	if err != nil {
		return nil, err
	}
	byGUID := cb.IDsByGUID()
	codeID := map[string]uint64{}
	for _, xc := range b.codes {
		parts := make([]string, 0, len(xc.parts))
		for _, p := range xc.parts {
			if n := cleanCodeName(p); n != "" {
				parts = append(parts, n)
			}
		}
		if len(parts) == 0 {
			rep.skip("code", xc.key, "it has no name")
			continue
		}
		path := strings.Join(parts, "/")
		var cur *coding.Code
		if xc.key != "" {
			if id, ok := byGUID[strings.ToLower(xc.key)]; ok {
				cur = cb.Code(id)
				if !strings.EqualFold(cb.Path(id), path) {
					rep.Warnings = append(rep.Warnings, fmt.Sprintf("code %s of the file is %s here (matched by GUID)", path, cb.Path(id)))
				}
			}
		}
		if cur == nil {
			deepest, missing, err := cb.Missing(path)
			if err != nil {
				return nil, err
			}
			if len(missing) > 0 {
				parent := uint64(0)
				if deepest != nil {
					parent = deepest.ID
				}
				for i, name := range missing {
					c := &coding.Code{GUID: coding.NewGUID(), Name: name, ParentID: parent, CreatedAt: tx.Now()}
					if i == len(missing)-1 {
						if xc.key != "" && byGUID[strings.ToLower(xc.key)] == 0 {
							c.GUID = strings.ToLower(xc.key)
						}
						c.Description, c.Color = xc.desc, xc.color
					}
					if err := tx.PutCode(c); err != nil {
						return nil, err
					}
					cb.Put(*c)
					byGUID[strings.ToLower(c.GUID)] = c.ID
					rep.Imported.Codes++
					parent = c.ID
					cur = c
				}
				cur = cb.Code(cur.ID)
			} else {
				cur = deepest
				rep.Imported.CodesMatched++
				if xc.key != "" && byGUID[strings.ToLower(xc.key)] == 0 && cur.GUID == "" {
					c := *cur
					c.GUID = strings.ToLower(xc.key)
					if err := tx.PutCode(&c); err != nil {
						return nil, err
					}
					cb.Put(c)
					cur = cb.Code(c.ID)
				}
			}
		} else {
			rep.Imported.CodesMatched++
		}
		if cur != nil && (xc.desc != "" || xc.color != "") {
			c := *cur
			if xc.desc != "" && c.Description != xc.desc {
				if c.Description == "" {
					c.Description = xc.desc
				} else if strings.TrimSpace(c.Description) != strings.TrimSpace(xc.desc) {
					rep.Conflicts = append(rep.Conflicts, fmt.Sprintf("code %s: the description differs from the file's; kept the project's", cb.Path(c.ID)))
				}
			}
			if xc.color != "" && c.Color != xc.color {
				if c.Color == "" {
					c.Color = xc.color
				} else {
					rep.Conflicts = append(rep.Conflicts, fmt.Sprintf("code %s: colour %s here, %s in the file; kept %s", cb.Path(c.ID), c.Color, xc.color, c.Color))
				}
			}
			if c != *cur {
				if err := tx.PutCode(&c); err != nil {
					return nil, err
				}
				cb.Put(c)
			}
		}
		if xc.key != "" {
			codeID["guid:"+strings.ToLower(xc.key)] = cur.ID
		}
		codeID["path:"+strings.ToLower(path)] = cur.ID
	}
	resolveCode := func(key string) uint64 {
		if id, ok := codeID["guid:"+strings.ToLower(key)]; ok {
			return id
		}
		if id, ok := codeID["path:"+strings.ToLower(key)]; ok {
			return id
		}
		if c := cb.ByPath(key); c != nil {
			return c.ID
		}
		return 0
	}
	// ---- codings ----
	type ckey struct {
		doc, code  uint64
		start, end int
		coder      string
	}
	// have holds an existing coding's id, or -(i+1) for pending[i].
	have := map[ckey]int64{}
	loaded := map[uint64]bool{}
	codingID := map[string]uint64{}
	pendingKey := map[string]int{}
	var pending []coding.Coding
	coders := map[string]bool{}
	now := tx.Now()
	for _, xc := range b.codings {
		did := docID[xc.docKey]
		if did == 0 {
			rep.Imported.CodingsNotPlaced++
			continue // the source was skipped and reported
		}
		cid := resolveCode(xc.codeKey)
		if cid == 0 {
			rep.Imported.CodingsNotPlaced++
			rep.skip("coding", xc.where.String(), fmt.Sprintf("its code %s is not in the codebook", xc.codeKey))
			continue
		}
		if err := coding.CheckSpan(coding.Span{Start: xc.start, End: xc.end}, docChars[did]); err != nil {
			rep.Imported.CodingsNotPlaced++
			rep.skip("coding", xc.where.String(), err.Error())
			continue
		}
		if !loaded[did] {
			loaded[did] = true
			list, err := tx.CodingsByDoc(did)
			if err != nil {
				return nil, err
			}
			for _, c := range list {
				have[ckey{did, c.CodeID, c.Start, c.End, c.Coder}] = int64(c.ID)
			}
		}
		coder := strings.TrimSpace(xc.coder)
		if coder == "" {
			coder = actor
		}
		k := ckey{did, cid, xc.start, xc.end, coder}
		if id, ok := have[k]; ok {
			rep.Imported.CodingsDuplicate++
			if xc.key != "" {
				if id > 0 {
					codingID[xc.key] = uint64(id)
				} else {
					pendingKey[xc.key] = int(-id - 1)
				}
			}
			continue
		}
		origin := xc.origin
		if origin == "" {
			origin = coding.OriginImport
		}
		created := xc.created
		if created.IsZero() {
			created = now
		}
		c := coding.Coding{DocID: did, CodeID: cid, Start: xc.start, End: xc.end, Coder: coder, Origin: origin,
			Memo: strings.TrimSpace(xc.memo), Key: xc.keyFlag, Group: xc.group, Query: xc.query, CreatedAt: created}
		pending = append(pending, c)
		have[k] = -int64(len(pending))
		if xc.key != "" {
			pendingKey[xc.key] = len(pending) - 1
		}
		rep.Imported.Codings++
		coders[coder] = true
	}
	if err := tx.AddCodings(pending); err != nil {
		return nil, err
	}
	for key, i := range pendingKey {
		codingID[key] = pending[i].ID
	}
	rep.Imported.Coders = len(coders)
	// ---- memos ----
	for _, m := range b.memos {
		var target uint64
		ok := true
		switch m.target {
		case coding.MemoProject:
		case coding.MemoDoc:
			target = docID[m.targetKey]
		case coding.MemoCase:
			target = caseID[m.targetKey]
		case coding.MemoCode:
			target = resolveCode(m.targetKey)
		case coding.MemoCoding:
			target = codingID[m.targetKey]
		default:
			ok = false
		}
		if !ok || (m.target != coding.MemoProject && target == 0) {
			rep.skip("memo", m.title, fmt.Sprintf("what it is attached to (%s %s) was not imported", m.target, m.targetKey))
			continue
		}
		if strings.TrimSpace(m.text) == "" && strings.TrimSpace(m.title) == "" {
			continue
		}
		created := m.created
		if created.IsZero() {
			created = now
		}
		updated := m.updated
		if updated.IsZero() {
			updated = created
		}
		author := m.author
		if author == "" {
			author = actor
		}
		memo := &coding.Memo{Target: m.target, TargetID: target, Title: m.title, Text: m.text, Author: author, CreatedAt: created, UpdatedAt: updated}
		if err := tx.PutMemo(memo); err != nil {
			return nil, err
		}
		rep.Imported.Memos++
	}
	// ---- roles ----
	if b.roles != nil {
		rm, err := tx.Roles()
		if err != nil {
			return nil, err
		}
		dirty := false
		for k, v := range b.roles.Project {
			if old, ok := rm.Project[k]; ok && old != v {
				rep.Conflicts = append(rep.Conflicts, fmt.Sprintf("speaker %s has role %s here and %s in the file; kept %s", k, old, v, old))
			} else if !ok {
				rm.Project[k] = v
				dirty = true
			}
		}
		for oldDoc, m := range b.roles.PerDoc {
			did := docID[strconv.FormatUint(oldDoc, 10)]
			if did == 0 {
				continue
			}
			if rm.PerDoc[did] == nil {
				rm.PerDoc[did] = map[string]string{}
			}
			for k, v := range m {
				if _, ok := rm.PerDoc[did][k]; !ok {
					rm.PerDoc[did][k] = v
					dirty = true
				}
			}
		}
		if dirty {
			if err := tx.SetRoles(rm); err != nil {
				return nil, err
			}
		}
	}
	changed := m.changed
	sort.Slice(changed, func(i, j int) bool { return changed[i] < changed[j] })
	i := rep.Imported
	if i.Documents+i.Codes+i.Codings+i.Cases+i.Memos+i.Attributes > 0 || len(changed) > 0 {
		if err := tx.Log(&coding.Event{Actor: actor, Action: store.ActionExchangeImport, Target: "project",
			Summary: fmt.Sprintf("%s: %d documents, %d codes, %d codings, %d cases, %d memos added", summary, i.Documents, i.Codes, i.Codings, i.Cases, i.Memos)}); err != nil {
			return nil, err
		}
	}
	return changed, nil
}

func (r *ImportReport) setSource(key, status, doc string) {
	for i := range r.Sources {
		if r.Sources[i].GUID == key {
			r.Sources[i].Status = status
			r.Sources[i].Document = doc
			return
		}
	}
}
