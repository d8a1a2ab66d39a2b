package project

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"path"
	"path/filepath"
	"runtime/debug"
	"runtime/metrics"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/tacit-qda/tacit/coding"
	"github.com/tacit-qda/tacit/coding/refiqda"
	"github.com/tacit-qda/tacit/coding/transcript"
	"github.com/tacit-qda/tacit/index"
	"github.com/tacit-qda/tacit/store"
)

// ImportExchangeRequest imports a project written by another tool (a
// REFI-QDA .qdpx or .qde) or by 'tacit export project' (.json).
type ImportExchangeRequest struct {
	File   string `json:"file"`
	DryRun bool   `json:"dry_run,omitempty"`
	// Positions overrides the detected unit of REFI-QDA selection
	// positions: chars, utf16, chars-crlf1 or utf16-crlf1 ("" detects it
	// per source from word boundaries).
	Positions string `json:"positions,omitempty"`
}

// IsExchangeFile reports whether import should treat file as an exchange
// file (a project) rather than a transcript: .qdpx, .qde, and .json.
func IsExchangeFile(file string) bool {
	switch strings.ToLower(filepath.Ext(file)) {
	case ".qdpx", ".qde", ".json":
		return true
	}
	return false
}

// ImportExchange merges a project file into the project in one
// transaction with its audit event (nothing is written when anything
// fails, or with DryRun), and returns the report of what was imported and
// what was not, with reasons. A .qdpx or .qde is merged as it is read: each
// document goes into the transaction, and its turns to the search index,
// while the next ones are read (see importREFI).
func (p *Project) ImportExchange(ctx context.Context, req ImportExchangeRequest) (*ImportReport, error) {
	// A large import holds every text, the transaction's pages and its
	// undo journal at once; a soft memory limit makes the collector keep
	// the garbage around them small (measured on 1,000 interviews with
	// 100,000 codings: peak heap ~500 MB without it). The limit is above
	// what the process holds already (a 'tacit serve' holds more than a
	// command), or the collector would run without end. At 320 MB above
	// it the runtime returned pages to the kernel while it allocated
	// (madvise, then faulting them in again: 3% of the CPU); 380 MB took
	// 7% off the CPU and 5% off the wall time for 58 MiB more peak RSS
	// (405 MiB: the bound is 500 MB).
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(int64(s[0].Value.Uint64()) + 380<<20))
	// As for a plain import (Import): indexing makes much short-lived
	// garbage while the live heap is the bundle, so the collector runs
	// half as often; the limit above bounds the heap (measured on 1,000
	// interviews with 100,000 codings: 5% less CPU, the same peak).
	defer debug.SetGCPercent(debug.SetGCPercent(200))
	var (
		b   *bundle
		rep *ImportReport
		err error
	)
	switch strings.ToLower(filepath.Ext(req.File)) {
	case ".json":
		b, rep, err = readProjectJSON(req.File)
	default:
		var unit *refiqda.Unit
		if req.Positions != "" {
			u, err := refiqda.ParseUnit(req.Positions)
			if err != nil {
				return nil, err
			}
			unit = &u
		}
		a, rp, err := openREFI(req.File)
		if err != nil {
			return nil, err
		}
		if !req.DryRun {
			return p.importREFI(ctx, req.File, a, rp, unit)
		}
		b, rep, err = readREFI(ctx, req.File, a, rp, unit, nil)
	}
	if err != nil {
		return nil, err
	}
	rep.DryRun = req.DryRun
	actor := p.actor(ctx)
	summary := "imported " + filepath.Base(req.File)
	err = p.UpdateIndexed(ctx, func(tx *store.Tx) ([]uint64, bool, error) {
		changed, err := mergeBundle(tx, actor, b, rep, summary)
		if err != nil {
			return nil, false, err
		}
		if req.DryRun {
			return nil, false, errExchangeDryRun
		}
		return changed, false, nil
	})
	if err != nil && !errors.Is(err, errExchangeDryRun) {
		return nil, err
	}
	return rep, nil
}

// importREFI reads a REFI-QDA project into the store and the search index
// at once: inside the one write transaction, each document is merged as
// soon as its source is read (the next sources being read on the other
// cores meanwhile), and each new one is handed to a goroutine that indexes
// its turns while the rest of the file is read and merged. Done one after
// the other (read everything, write the store, then index), the three
// took 16 s for 1,000 interviews with 100,000 codings where they overlap
// in less (see docs/benchmarks.md).
//
// The index is written ahead of the store here, so it is marked pending
// first (index.Writer.Pending): a process that stops before the store
// commits leaves an index that the next command rebuilds, and when the
// transaction fails the turns written are deleted and the index's
// revision restored. When the command returns the store and the index
// both hold the import.
func (p *Project) importREFI(ctx context.Context, file string, a *refiqda.Archive, rp *refiqda.Project, unit *refiqda.Unit) (*ImportReport, error) {
	x, err := p.Index(ctx)
	if err != nil {
		return nil, err
	}
	actor := p.actor(ctx)
	summary := "imported " + filepath.Base(file)
	feed := newIndexFeed(x, len(rp.Sources))
	var (
		rep     *ImportReport
		changed []uint64
	)
	err = p.Store.Update(func(tx *store.Tx) error {
		var m *merger
		sink := func(b *bundle, r *ImportReport, d *xDoc) error {
			if m == nil {
				m = newMerger(tx, actor, r)
				if err := m.mergeCases(b.cases); err != nil {
					return err
				}
				cases, err := tx.CaseNames()
				if err != nil {
					return err
				}
				roles, err := tx.Roles()
				if err != nil {
					return err
				}
				m.onDoc = func(doc *coding.Document, text string) error {
					feed.add(sourceOf(doc, text, cases, roles, m.projLang))
					return nil
				}
			}
			if err := m.mergeDoc(d); err != nil {
				return err
			}
			if exchangeFault != nil {
				return exchangeFault(len(m.docID))
			}
			return nil
		}
		b, r, err := readREFI(ctx, file, a, rp, unit, sink)
		if err != nil {
			return err
		}
		rep = r
		if m == nil { // no source was read: the cases are still to merge
			m = newMerger(tx, actor, rep)
			if err := m.mergeCases(b.cases); err != nil {
				return err
			}
		}
		changed, err = m.mergeRest(b, summary)
		return err
	})
	ierr := feed.wait()
	var rev uint64
	if verr := p.Store.View(func(tx *store.Tx) error { rev = tx.IndexRevision(); return nil }); verr != nil && err == nil {
		err = verr
	}
	if err != nil {
		// Nothing was written to the store: take the turns written ahead
		// out of the index again (when that fails too, the index stays
		// pending and the next command rebuilds it).
		feed.undo(rev)
		return nil, err
	}
	if ierr != nil {
		// As UpdateIndexed: the store change stands, and the index, which
		// stays pending, is rebuilt on next use.
		return nil, ierr
	}
	// Documents matched rather than added whose attributes or case the
	// import changed were not streamed: index them from the store.
	var rest []uint64
	for _, id := range changed {
		if _, streamed := feed.turns[id]; !streamed {
			rest = append(rest, id)
		}
	}
	err = p.Store.View(func(tx *store.Tx) error {
		list := make([]*coding.Document, 0, len(rest))
		for _, id := range rest {
			d, err := tx.Document(id)
			if err != nil {
				return err
			}
			list = append(list, d)
		}
		return sources(tx, list, feed.w.Add, nil)
	})
	if err == nil {
		err = feed.w.Commit(rev)
	}
	if err != nil {
		return nil, err
	}
	return rep, nil
}

// exchangeFault, set by tests, fails an import after the given number of
// documents have been merged (and handed to the index).
var exchangeFault func(docs int) error

// indexFeed indexes documents on a goroutine of its own while the caller
// goes on; add never blocks (the queue holds at most one entry per source
// of the file, and the texts it points to are in the bundle anyway).
type indexFeed struct {
	w     *index.Writer
	ch    chan index.Source
	done  chan struct{}
	err   error          // the writer's first error, read after done
	turns map[uint64]int // the number of turns of each document added
}

// overlapBatches is how many index batches an import writes on
// goroutines of their own while the next fills. One lets the turns of the
// next batch be mapped while bleve analyses, builds and persists the last
// (3% off the wall time of a 1,000-interview .qdpx, no more CPU); two let
// bleve's persister find two unpersisted segments, which it merges in
// memory first: 17% more CPU, and slower on two cores.
const overlapBatches = 1

func newIndexFeed(x *index.Index, capacity int) *indexFeed {
	w := x.NewWriter()
	w.Overlap(overlapBatches)
	return &indexFeed{w: w, ch: make(chan index.Source, max(capacity, 1)), turns: map[uint64]int{}}
}

// add queues one document; the first marks the index pending and starts
// the goroutine.
func (f *indexFeed) add(src index.Source) {
	if f.done == nil {
		f.done = make(chan struct{})
		f.err = f.w.Pending()
		go func() {
			defer close(f.done)
			for s := range f.ch {
				if f.err == nil {
					f.err = f.w.Add(s)
				}
			}
			if f.err == nil {
				f.err = f.w.Flush() // the batches in flight too
			}
		}()
	}
	f.turns[src.Doc.ID] = len(src.Doc.Turns)
	f.ch <- src
}

// wait ends the queue and waits until every queued document is indexed.
func (f *indexFeed) wait() error {
	if f.done == nil {
		return nil
	}
	close(f.ch)
	<-f.done
	f.done = nil
	return f.err
}

// undo deletes the turns of every document added and records revision
// rev again (the store's, which the failed transaction did not change).
func (f *indexFeed) undo(rev uint64) {
	if len(f.turns) == 0 {
		return
	}
	for id, n := range f.turns {
		f.w.Delete(id, n)
	}
	f.w.Commit(rev)
}

// openREFI opens a .qdpx or .qde and reads its project.qde.
func openREFI(file string) (*refiqda.Archive, *refiqda.Project, error) {
	a, err := refiqda.Open(file)
	if err != nil {
		return nil, nil, err
	}
	rp, err := refiqda.ReadProject(a.QDE)
	if err != nil {
		return nil, nil, coding.Errorf(coding.EInvalid, "%s: %s", a.QDEName, err.Error())
	}
	return a, rp, nil
}

// readREFI reads the project rp of file (opened by openREFI) into a
// bundle. unit, when not nil, overrides the detection of position units.
// sink, when not nil, is handed each document as soon as it is read (its
// source's report entry made), with the bundle so far, which holds every
// case by then.
func readREFI(ctx context.Context, file string, a *refiqda.Archive, rp *refiqda.Project, unit *refiqda.Unit,
	sink func(*bundle, *ImportReport, *xDoc) error) (*bundle, *ImportReport, error) {
	format := "qdpx"
	if strings.EqualFold(filepath.Ext(file), ".qde") {
		format = "qde"
	}
	rep := newReport(file, format)
	rep.Origin = rp.Origin
	b := &bundle{}
	users := map[string]string{}
	for _, u := range rp.Users {
		name := u.Name
		if name == "" {
			name = "user " + shortGUID(u.GUID)
		}
		users[u.GUID] = name
	}
	userName := func(guids ...string) string {
		for _, g := range guids {
			if g == "" {
				continue
			}
			if n, ok := users[g]; ok {
				return n
			}
			n := "user " + shortGUID(g)
			users[g] = n
			rep.Warnings = append(rep.Warnings, fmt.Sprintf("creating user %s is not among the file's users; codings by it are by %q", g, n))
			return n
		}
		return ""
	}
	// Codes.
	seenCode := map[string]bool{}
	refiqda.Walk(rp.Codes, func(c *refiqda.Code, p []string) {
		if c.GUID != "" && seenCode[c.GUID] {
			rep.Warnings = append(rep.Warnings, fmt.Sprintf("code GUID %s appears twice; the second (%s) was merged by path", c.GUID, strings.Join(p, "/")))
			b.codes = append(b.codes, &xCode{parts: p, desc: c.Description, color: c.Color})
			return
		}
		seenCode[c.GUID] = true
		for _, part := range p {
			if strings.Contains(part, "/") {
				rep.Warnings = append(rep.Warnings, fmt.Sprintf("code name %q holds a \"/\", which separates tacit's code paths; it is written with \"∕\"", part))
				break
			}
		}
		b.codes = append(b.codes, &xCode{key: c.GUID, parts: p, desc: c.Description, color: c.Color})
	})
	codePath := map[string]string{}
	refiqda.Walk(rp.Codes, func(c *refiqda.Code, p []string) {
		if c.GUID != "" && codePath[c.GUID] == "" {
			codePath[c.GUID] = strings.Join(p, "/")
		}
	})
	// Notes, by GUID; attached where referenced.
	notes := map[string]*refiqda.Note{}
	for i := range rp.Notes {
		notes[rp.Notes[i].GUID] = &rp.Notes[i]
	}
	usedNote := map[string]bool{}
	noteText := func(n *refiqda.Note) (string, error) {
		if n.HasContent || n.PlainTextPath == "" {
			return n.Text, nil
		}
		data, err := a.Source(n.PlainTextPath)
		if err != nil {
			return "", err
		}
		return decodeSourceText(n.PlainTextPath, data)
	}
	attach := func(target, key string, refs []string, where place) {
		for _, g := range refs {
			n := notes[g]
			if n == nil {
				rep.skip("note", g, fmt.Sprintf("%s refers to note %s, which is not in the file", where, g))
				continue
			}
			usedNote[g] = true
			text, err := noteText(n)
			if err != nil {
				rep.skip("note", n.Name, err.Error())
				continue
			}
			b.memos = append(b.memos, &xMemo{target: target, targetKey: key, title: n.Name, text: text,
				author: userName(n.CreatingUser), created: n.Created})
		}
	}
	refiqda.Walk(rp.Codes, func(c *refiqda.Code, p []string) {
		attach(coding.MemoCode, c.GUID, c.NoteRefs, place{text: "code " + strings.Join(p, "/")})
	})
	attach(coding.MemoProject, "", rp.NoteRefs, place{text: "the project"})
	if strings.TrimSpace(rp.Description) != "" {
		b.memos = append(b.memos, &xMemo{target: coding.MemoProject, title: "project description", text: rp.Description})
	}
	// Variables, cases and sets.
	vars := map[string]string{}
	for _, v := range rp.Variables {
		vars[v.GUID] = strings.TrimSpace(v.Name)
	}
	attrsOf := func(vals []refiqda.VariableValue, where string) map[string]string {
		out := map[string]string{}
		for _, v := range vals {
			name, ok := vars[v.Variable]
			if !ok || name == "" {
				rep.skip("attribute", v.Variable, fmt.Sprintf("a value of %s refers to variable %s, which is not in the file", where, v.Variable))
				continue
			}
			out[name] = v.Value
		}
		return out
	}
	docCase := map[string]string{}
	docAttrs := map[string]map[string]string{}
	for _, c := range rp.Cases {
		if strings.TrimSpace(c.Name) == "" {
			// A nameless case with one source carries that source's
			// attributes (MAXQDA, Quirkos).
			if len(c.SourceRefs) == 1 {
				m := docAttrs[c.SourceRefs[0]]
				if m == nil {
					m = map[string]string{}
					docAttrs[c.SourceRefs[0]] = m
				}
				for k, v := range attrsOf(c.Values, "a nameless case") {
					m[k] = v
				}
			} else if len(c.Values) > 0 || len(c.SourceRefs) > 0 {
				rep.skip("case", c.GUID, "it has no name and more than one source")
			}
			continue
		}
		b.cases = append(b.cases, &xCase{key: c.GUID, name: c.Name, attrs: attrsOf(c.Values, "case "+c.Name)})
		if strings.TrimSpace(c.Description) != "" {
			b.memos = append(b.memos, &xMemo{target: coding.MemoCase, targetKey: c.GUID, text: c.Description})
		}
		for _, s := range c.SourceRefs {
			if old, ok := docCase[s]; ok && old != c.GUID {
				rep.Warnings = append(rep.Warnings, fmt.Sprintf("source %s is in more than one case; tacit keeps a document in one, the first", s))
				continue
			}
			docCase[s] = c.GUID
		}
		if n := len(c.CodeRefs) + len(c.Selections); n > 0 {
			rep.skip("case links", c.Name, fmt.Sprintf("%d code or selection references of the case (tacit groups documents, not passages, into cases)", n))
		}
	}
	sets := map[string][]string{}
	for _, s := range rp.Sets {
		for _, g := range s.Sources {
			sets[g] = append(sets[g], s.Name)
		}
	}
	// Sources.
	srcName := map[string]string{}
	// selInfo is what a link to a selection needs: its source, its first
	// coding, and its text, cut from the source's only when a link names
	// it (byteAt walks the text from its start: doing it for each of
	// 100,000 selections cost seconds).
	type selInfo struct {
		src, coding string // the source's GUID, the first coding's GUID ("" for none)
		text        string // the source's normalised text
		start, end  int    // code points of text
	}
	quote := func(i selInfo) string {
		return clipName(i.text[byteAt(i.text, i.start):byteAt(i.text, i.end)], 60)
	}
	sels := map[string]selInfo{}
	var texts []*refiqda.Source
	for _, s := range rp.Sources {
		srcName[s.GUID] = sourceName(s)
		if s.Kind == refiqda.KindText {
			texts = append(texts, s)
		}
	}
	// Reading, decoding and weighing the position units of each text runs
	// a few sources ahead, on the other cores, of this loop.
	next, stop := ahead(texts, 4, func(s *refiqda.Source) preparedSource { return prepareSource(a, s, unit) })
	defer stop()
	for _, s := range rp.Sources {
		if err := ctx.Err(); err != nil {
			return nil, nil, err
		}
		name := sourceName(s)
		sr := SourceReport{Name: name, GUID: s.GUID, Kind: s.Kind, Selections: len(s.Selections)}
		if s.Kind != refiqda.KindText {
			sr.Status, sr.Reason = "skipped", fmt.Sprintf("%s source: tacit imports text only", article(s.Kind))
			rep.Imported.SourcesNotCarried++
			rep.Sources = append(rep.Sources, sr)
			rep.skip("source", name, sr.Reason+codingsLost(s))
			continue
		}
		ps := next()
		from, txt := ps.from, ps.txt
		if err := ps.err; err != nil {
			sr.Status, sr.Reason = "skipped", err.Error()
			rep.Imported.SourcesNotCarried++
			rep.Sources = append(rep.Sources, sr)
			rep.skip("source", name, err.Error()+codingsLost(s))
			continue
		}
		if ps.docx {
			if ps.textErr != nil {
				sr.Status, sr.Reason = "skipped", ps.textErr.Error()
				rep.Sources = append(rep.Sources, sr)
				rep.skip("source", name, ps.textErr.Error()+codingsLost(s))
				continue
			}
			rep.Warnings = append(rep.Warnings, fmt.Sprintf("source %s has no plain text in the file; its text was taken from the DOCX, so its selections may be off", name))
		} else if ps.textErr != nil {
			sr.Status, sr.Reason = "skipped", fmt.Sprintf("%s: %s", from, ps.textErr.Error())
			rep.Sources = append(rep.Sources, sr)
			rep.skip("source", name, sr.Reason+codingsLost(s))
			continue
		}
		if strings.TrimSpace(txt.Norm) == "" {
			sr.Status, sr.Reason = "skipped", "its text is empty"
			rep.Sources = append(rep.Sources, sr)
			rep.skip("source", name, "its text is empty"+codingsLost(s))
			continue
		}
		sr.Text = txt.Describe()
		sum := ps.sum
		attrs := docAttrs[s.GUID]
		if attrs == nil {
			attrs = map[string]string{}
		}
		for k, v := range attrsOf(s.Values, "source "+name) {
			attrs[k] = v
		}
		if names := sets[s.GUID]; len(names) > 0 {
			attrs[SetAttr] = strings.Join(names, "; ")
		}
		doc := &xDoc{key: s.GUID, name: name, text: txt.Norm, format: transcript.FormatText,
			encoding: "utf-8", sourcePath: from, sourceHash: hex.EncodeToString(sum[:]), attrs: attrs,
			caseKey: docCase[s.GUID], importedAt: s.Created, importedBy: userName(s.CreatingUser),
			turns: ps.turns, warnings: ps.warnings}
		b.docs = append(b.docs, doc)
		if s.Description != "" {
			b.memos = append(b.memos, &xMemo{target: coding.MemoDoc, targetKey: s.GUID, title: "description", text: s.Description})
		}
		attach(coding.MemoDoc, s.GUID, s.NoteRefs, place{text: "source " + name})
		// Selections.
		u := refiqda.Unit{}
		if unit != nil {
			u = *unit
		} else if len(s.Selections) > 0 {
			u = ps.unit
			sr.Detected = true
			for _, sc := range ps.scores {
				if sc.Unit == u.String() {
					sr.Boundaries = fmt.Sprintf("%d/%d", sc.Boundaries, sc.Total)
				}
			}
		}
		if len(s.Selections) > 0 {
			sr.Positions = u.String()
		}
		n := coding.RuneLen(txt.Norm)
		for _, sel := range s.Selections {
			where := place{sel: sel.GUID, start: sel.Start, end: sel.End, src: name}
			st, en, ok := txt.Map(u, sel.Start, sel.End)
			if !ok {
				rep.skip("selection", where.String(), fmt.Sprintf("it lies outside the text (%d long in %s) or splits a character", txt.Len(u), u))
				rep.Imported.CodingsNotPlaced += len(sel.Codings)
				continue
			}
			info := selInfo{src: s.GUID, text: txt.Norm, start: st, end: en}
			if len(sel.Codings) > 0 {
				info.coding = sel.Codings[0].GUID
			}
			sels[sel.GUID] = info
			desc := strings.TrimSpace(sel.Description)
			if len(sel.Codings) == 0 {
				if desc != "" {
					// A comment on a passage (MAXQDA): a memo on the document.
					b.memos = append(b.memos, &xMemo{target: coding.MemoDoc, targetKey: s.GUID,
						title: fmt.Sprintf("comment on %d:%d %q", st, en, clipName(txt.Norm[byteAt(txt.Norm, st):byteAt(txt.Norm, en)], 60)),
						text:  desc, author: userName(sel.CreatingUser), created: sel.Created})
				} else {
					rep.skip("selection", where.String(), "it has no code")
				}
				continue
			}
			if st == en {
				rep.skip("selection", where.String(), "it is empty (zero length)")
				rep.Imported.CodingsNotPlaced += len(sel.Codings)
				continue
			}
			for i, c := range sel.Codings {
				b.codings = append(b.codings, &xCoding{key: c.GUID, docKey: s.GUID, codeKey: c.Code, start: st, end: en,
					coder: userName(c.CreatingUser, sel.CreatingUser), memo: desc, created: firstTime(c.Created, sel.Created), where: where})
				attach(coding.MemoCoding, c.GUID, c.NoteRefs, where)
				if i == 0 {
					attach(coding.MemoCoding, c.GUID, sel.NoteRefs, where)
				}
			}
		}
		for _, c := range s.Codings {
			b.codings = append(b.codings, &xCoding{key: c.GUID, docKey: s.GUID, codeKey: c.Code, start: 0, end: n,
				coder: userName(c.CreatingUser, s.CreatingUser), created: c.Created, where: place{text: "whole-source coding of " + name}})
			attach(coding.MemoCoding, c.GUID, c.NoteRefs, place{text: "a coding of " + name})
		}
		sr.Status = "read"
		rep.Sources = append(rep.Sources, sr)
		if sink != nil {
			if err := sink(b, rep, doc); err != nil {
				return nil, nil, err
			}
		}
	}
	// Links. tacit has no relations between objects, so a link from a
	// note to a code, document, selection or case (NVivo's annotations,
	// ATLAS.ti's memo links) attaches the note as a memo there; every
	// other link is written into one project memo. Each is listed in the
	// report.
	caseName := map[string]string{}
	for _, c := range rp.Cases {
		caseName[c.GUID] = c.Name
	}
	describe := func(g string) string {
		if p, ok := codePath[g]; ok {
			return "code " + p
		}
		if i, ok := sels[g]; ok {
			return fmt.Sprintf("the passage %q of %s", quote(i), srcName[i.src])
		}
		if n, ok := srcName[g]; ok {
			return "source " + n
		}
		if n, ok := notes[g]; ok {
			return fmt.Sprintf("note %q", n.Name)
		}
		if n, ok := caseName[g]; ok {
			return "case " + n
		}
		return "object " + g + " (none of what tacit reads: a code, text source, passage of one, note or case)"
	}
	var linkLines []string
	for _, l := range rp.Links {
		name := l.Name
		if name == "" {
			name = "link " + shortGUID(l.GUID)
		}
		arrow := "→"
		switch strings.ToLower(l.Direction) {
		case "associative":
			arrow = "—"
		case "bidirectional":
			arrow = "↔"
		}
		line := fmt.Sprintf("%s: %s %s %s", name, describe(l.Origin), arrow, describe(l.Target))
		note, other := notes[l.Origin], l.Target
		if note == nil {
			note, other = notes[l.Target], l.Origin
		}
		if note != nil && notes[other] == nil {
			where := place{text: "link " + name}
			switch {
			case codePath[other] != "":
				attach(coding.MemoCode, other, []string{note.GUID}, where)
				rep.AsMemos = append(rep.AsMemos, line+" (the note is a memo on the code)")
				continue
			case sels[other].coding != "":
				attach(coding.MemoCoding, sels[other].coding, []string{note.GUID}, where)
				rep.AsMemos = append(rep.AsMemos, line+" (the note is a memo on the coding of that passage)")
				continue
			case sels[other].src != "":
				attach(coding.MemoDoc, sels[other].src, []string{note.GUID}, where)
				rep.AsMemos = append(rep.AsMemos, line+" (the note is a memo on the document, the passage having no code)")
				continue
			case srcName[other] != "":
				attach(coding.MemoDoc, other, []string{note.GUID}, where)
				rep.AsMemos = append(rep.AsMemos, line+" (the note is a memo on the document)")
				continue
			case caseName[other] != "":
				attach(coding.MemoCase, other, []string{note.GUID}, where)
				rep.AsMemos = append(rep.AsMemos, line+" (the note is a memo on the case)")
				continue
			}
		}
		linkLines = append(linkLines, "- "+line)
		rep.AsMemos = append(rep.AsMemos, line+" (in the project memo \"links\")")
	}
	if len(linkLines) > 0 {
		b.memos = append(b.memos, &xMemo{target: coding.MemoProject, title: "links",
			text: "Links between objects of " + filepath.Base(file) + " (tacit keeps no links):\n" + strings.Join(linkLines, "\n")})
	}
	// Sets of codes and notes: a project memo each (sets of documents
	// became the document attribute "set" above).
	for _, st := range rp.Sets {
		if len(st.Codes)+len(st.Notes) == 0 {
			continue
		}
		var lines []string
		if d := strings.TrimSpace(st.Description); d != "" {
			lines = append(lines, d)
		}
		for _, g := range st.Codes {
			lines = append(lines, "- "+describe(g))
		}
		for _, g := range st.Sources {
			lines = append(lines, "- "+describe(g))
		}
		for _, g := range st.Notes {
			lines = append(lines, "- "+describe(g))
		}
		b.memos = append(b.memos, &xMemo{target: coding.MemoProject, title: "set " + st.Name, text: strings.Join(lines, "\n")})
		rep.AsMemos = append(rep.AsMemos, fmt.Sprintf("set %s: %d codes, %d sources, %d notes (the project memo \"set %s\")", st.Name, len(st.Codes), len(st.Sources), len(st.Notes), st.Name))
	}
	// Notes referenced from nowhere become project memos rather than
	// being lost.
	for _, n := range rp.Notes {
		if usedNote[n.GUID] {
			continue
		}
		text, err := noteText(&n)
		if err != nil {
			rep.skip("note", n.Name, err.Error())
			continue
		}
		b.memos = append(b.memos, &xMemo{target: coding.MemoProject, title: n.Name, text: text,
			author: userName(n.CreatingUser), created: n.Created})
	}
	sort.SliceStable(rep.NotImported, func(i, j int) bool { return rep.NotImported[i].What < rep.NotImported[j].What })
	return b, rep, nil
}

// place says where in the file a coding or note reference is, for the
// report; a selection's is only formatted when something is reported
// (an import of 100,000 selections reports nothing about most).
type place struct {
	text       string
	sel        string
	start, end int
	src        string
}

func (p place) String() string {
	if p.text != "" || p.sel == "" {
		return p.text
	}
	return fmt.Sprintf("selection %s (%d:%d) of %s", p.sel, p.start, p.end, p.src)
}

func byteAt(s string, cp int) int {
	i := 0
	for b := range s {
		if i == cp {
			return b
		}
		i++
	}
	return len(s)
}

// preparedSource is what of a text source can be worked out on its own,
// away from the report and the bundle.
type preparedSource struct {
	from    string
	err     error // reading it
	docx    bool  // its text comes from a DOCX
	txt     *refiqda.Text
	textErr error // decoding it
	sum     [32]byte
	unit    refiqda.Unit
	scores  []refiqda.UnitScore
	// turns and warnings are the text's speaker turns, parsed here (on
	// the other cores) rather than in the transaction; nil when parsing
	// fails or changes the text, which the merge then reports.
	turns    []coding.Turn
	warnings []string
}

func prepareSource(a *refiqda.Archive, s *refiqda.Source, unit *refiqda.Unit) preparedSource {
	var ps preparedSource
	var data []byte
	data, ps.from, ps.err = sourceBytes(a, s)
	if ps.err != nil {
		return ps
	}
	if strings.EqualFold(path.Ext(ps.from), ".docx") {
		ps.docx = true
		t, err := decodeSourceText(ps.from, data)
		if err != nil {
			ps.textErr = err
			return ps
		}
		ps.txt = refiqda.TextFromNorm(t)
	} else if ps.txt, ps.textErr = refiqda.NewText(data); ps.textErr != nil {
		return ps
	}
	ps.sum = sha256.Sum256(data)
	if strings.TrimSpace(ps.txt.Norm) != "" {
		if parsed, err := transcript.Parse(sourceName(s)+".txt", []byte(ps.txt.Norm), transcript.Options{Format: transcript.FormatText}); err == nil && parsed.Text == ps.txt.Norm {
			ps.turns, ps.warnings = parsed.Turns, parsed.Warnings
		}
	}
	if unit == nil && len(s.Selections) > 0 && strings.TrimSpace(ps.txt.Norm) != "" {
		sels := make([]refiqda.Sel, len(s.Selections))
		for i, sel := range s.Selections {
			sels[i] = refiqda.Sel{Start: sel.Start, End: sel.End, Name: sel.Name}
		}
		ps.unit, ps.scores = ps.txt.DetectUnit(sels)
	}
	return ps
}

// ahead calls fn on items concurrently, at most window of them ahead of
// the caller, who takes the results in order with next; stop ends it
// early (no goroutine is left blocked).
func ahead[T, R any](items []T, window int, fn func(T) R) (next func() R, stop func()) {
	results := make([]chan R, len(items))
	for i := range results {
		results[i] = make(chan R, 1)
	}
	slots := make(chan struct{}, window)
	done := make(chan struct{})
	go func() {
		for i, it := range items {
			select {
			case slots <- struct{}{}:
			case <-done:
				return
			}
			go func() { results[i] <- fn(it) }()
		}
	}()
	i := 0
	next = func() R {
		r := <-results[i]
		i++
		<-slots
		return r
	}
	var once sync.Once
	return next, func() { once.Do(func() { close(done) }) }
}

func firstTime(ts ...time.Time) time.Time {
	for _, t := range ts {
		if !t.IsZero() {
			return t
		}
	}
	return time.Time{}
}

func shortGUID(g string) string {
	if len(g) > 8 {
		return g[:8]
	}
	return g
}

// codingsLost says how many codings a skipped source takes with it.
func codingsLost(s *refiqda.Source) string {
	n := len(s.Codings)
	for _, sel := range s.Selections {
		n += len(sel.Codings)
	}
	n += s.OtherSelections
	if n == 0 {
		return ""
	}
	return fmt.Sprintf(" (%d codings or selections of it are not imported)", n)
}

func sourceName(s *refiqda.Source) string {
	if n := strings.TrimSpace(s.Name); n != "" {
		return n
	}
	for _, p := range []string{s.PlainTextPath, s.RichTextPath, s.Path} {
		if p != "" {
			_, rest := refiqda.SourcePath(p)
			base := path.Base(rest)
			return strings.TrimSuffix(base, path.Ext(base))
		}
	}
	return "source " + shortGUID(s.GUID)
}

// sourceBytes returns a text source's plain text (inline, or its
// plainTextPath), else its DOCX, and where it came from.
func sourceBytes(a *refiqda.Archive, s *refiqda.Source) ([]byte, string, error) {
	if s.HasContent {
		return []byte(s.Content), "PlainTextContent", nil
	}
	var firstErr error
	for _, p := range []string{s.PlainTextPath, s.RichTextPath} {
		if p == "" {
			continue
		}
		data, err := a.Source(p)
		if err == nil {
			return data, p, nil
		}
		if firstErr == nil {
			firstErr = err
		}
	}
	if firstErr == nil {
		firstErr = coding.Errorf(coding.EInvalid, "it has neither a plainTextPath nor PlainTextContent")
	}
	return nil, "", firstErr
}

// decodeSourceText reads a note or source file (.txt, .docx, .odt ...)
// into normalised text.
func decodeSourceText(name string, data []byte) (string, error) {
	_, rest := refiqda.SourcePath(name)
	res, err := transcript.Parse(path.Base(rest), data, transcript.Options{})
	if err != nil {
		return "", err
	}
	return res.Text, nil
}

func article(kind string) string {
	if kind == refiqda.KindAudio {
		return "an audio"
	}
	if kind == refiqda.KindPDF {
		return "a PDF"
	}
	return "a " + kind
}
