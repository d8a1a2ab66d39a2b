// Package project ties a tacit project folder together: it finds the
// project, opens its store (the truth) and its search index (derived), keeps
// the index in step with the store, and runs the operations that touch both,
// such as importing transcripts. The CLI and a future server call it; it
// holds no output formatting.
package project

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/user"
	"path/filepath"
	"slices"
	"strings"

	"github.com/tacit-qda/tacit/coding"
	"github.com/tacit-qda/tacit/index"
	"github.com/tacit-qda/tacit/index/lang"
	"github.com/tacit-qda/tacit/store"
)

// Dir is the name of the folder inside a project that holds its data.
const Dir = ".tacit"

// Project is an open project.
type Project struct {
	Root  string
	Store *store.Store
	// Actor is who is making changes (the coder), stamped on events.
	Actor string
	// RebuildProgress, when set, is told how many documents of how many a
	// rebuild of the search index has done (for a progress bar).
	RebuildProgress func(done, total int)
	// OnRebuild, when set, is called before Index rebuilds a missing or
	// stale index (to tell the user why the command takes longer).
	OnRebuild func()
	// OnIndexDamaged, when set, is called when reading the search index
	// failed because it is damaged, before it is rebuilt.
	OnIndexDamaged func(err error)
	readOnly       bool
	idx            *index.Index
	// sels keeps resolved search selections while KeepWarm is on.
	sels *revCache[string, *resolvedSel]
	// spans keeps the turn spans searches read while KeepWarm is on.
	spans *revCache[index.TurnRef, index.TurnInfo]
	// hitMeta keeps the role map and case names search hits read.
	hitMeta hitCache
}

// DBPath returns the store file of the project rooted at root.
func DBPath(root string) string { return filepath.Join(root, Dir, "tacit.db") }

// IndexPath returns the index folder of the project rooted at root.
func IndexPath(root string) string { return filepath.Join(root, Dir, "index") }

// Find locates the project: the explicit folder, else $TACIT_PROJECT, else
// the nearest folder holding .tacit walking up from the working directory.
func Find(explicit string) (string, error) {
	if explicit == "" {
		explicit = os.Getenv("TACIT_PROJECT")
	}
	if explicit != "" {
		abs, err := filepath.Abs(explicit)
		if err != nil {
			return "", err
		}
		// Accept the .tacit folder itself too.
		if filepath.Base(abs) == Dir {
			abs = filepath.Dir(abs)
		}
		if _, err := os.Stat(DBPath(abs)); err != nil {
			return "", &coding.Error{Kind: coding.ENotFound, Message: fmt.Sprintf("%s is not a tacit project", explicit), Next: coding.NextInit, Arg: explicit}
		}
		return abs, nil
	}
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for d := wd; ; d = filepath.Dir(d) {
		if _, err := os.Stat(DBPath(d)); err == nil {
			return d, nil
		}
		if filepath.Dir(d) == d {
			break
		}
	}
	return "", &coding.Error{Kind: coding.ENotFound, Message: "not inside a tacit project", Next: coding.NextFindProject}
}

// Init creates a new project in dir (created if missing) with an empty
// store and index.
func Init(dir, language string) error {
	language = lang.Canonical(language)
	if language != "" && !slices.Contains(lang.Supported(), language) {
		return coding.Errorf(coding.EInvalid, "unknown language %q; use one of %s", language, strings.Join(lang.Supported(), ", "))
	}
	if err := os.MkdirAll(filepath.Join(dir, Dir), 0o755); err != nil {
		return fmt.Errorf("create project folder: %w", err)
	}
	if _, err := os.Stat(DBPath(dir)); err == nil {
		return coding.Errorf(coding.EConflict, "%s is already a tacit project", dir)
	}
	s, err := store.Open(DBPath(dir), store.Options{Create: true, Lang: language})
	if err != nil {
		return err
	}
	defer s.Close()
	x, err := index.Open(IndexPath(dir), index.Options{})
	if err != nil {
		return err
	}
	w := x.NewWriter()
	if err := w.Commit(0); err != nil {
		x.Close()
		return err
	}
	return x.Close()
}

// Options for Open.
type Options struct {
	ReadOnly bool
	Actor    string
}

// Open opens the project rooted at root.
func Open(root string, opt Options) (*Project, error) {
	// A writable open upgrades an old schema, backing the database up
	// into .tacit first.
	s, err := store.Open(DBPath(root), store.Options{ReadOnly: opt.ReadOnly, BackupDir: filepath.Join(root, Dir)})
	if err != nil {
		return nil, err
	}
	if !opt.ReadOnly {
		removeLeftovers(root)
	}
	actor := opt.Actor
	if actor == "" {
		actor = DefaultActor()
	}
	return &Project{Root: root, Store: s, Actor: actor, readOnly: opt.ReadOnly}, nil
}

// removeLeftovers removes what a killed compact (tacit.db.compact),
// reindex (index.rebuild, index.old) or backup (".NAME.partial-*" in the
// project folder or .tacit) left behind. Only a writer calls it: it holds
// the database's lock, which a running compact or reindex would hold, and
// which a running backup (a reader) would keep it from taking, so none is
// running.
func removeLeftovers(root string) {
	for _, name := range leftoverNames {
		os.RemoveAll(filepath.Join(root, Dir, name))
	}
	for _, rel := range partialBackups(root) {
		os.Remove(filepath.Join(root, filepath.FromSlash(rel)))
	}
}

// DefaultActor is the coder name when none is given: $TACIT_CODER, else the
// OS user name.
func DefaultActor() string {
	if c := os.Getenv("TACIT_CODER"); c != "" {
		return c
	}
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	return "unknown"
}

// Close closes the index (if opened) and the store.
func (p *Project) Close() error {
	var err error
	if p.idx != nil {
		err = p.idx.Close()
		p.idx = nil
	}
	if cerr := p.Store.Close(); err == nil {
		err = cerr
	}
	return err
}

// Index opens the search index, rebuilding it from the store when it is
// missing, stale or from another mapping version (unless the project was
// opened read-only, which then gives an error that says to reindex).
func (p *Project) Index(ctx context.Context) (*index.Index, error) {
	if p.idx != nil {
		return p.idx, nil
	}
	var rev uint64
	if err := p.Store.View(func(tx *store.Tx) error { rev = tx.IndexRevision(); return nil }); err != nil {
		return nil, err
	}
	x, err := index.Open(IndexPath(p.Root), index.Options{ReadOnly: p.readOnly})
	if err != nil {
		var ce *coding.Error
		if errors.As(err, &ce) && ce.Kind == coding.EInUse {
			return nil, err
		}
		if p.readOnly {
			// Missing or damaged: a writable project rebuilds it.
			msg := err.Error()
			if ce != nil {
				msg = ce.Message
			}
			return nil, &coding.Error{Kind: coding.EInvalid, Message: msg, Err: errStaleIndex}
		}
		// A damaged index is derived data: rebuild it.
		if p.OnRebuild != nil {
			p.OnRebuild()
		}
		return p.rebuild(ctx, rev)
	}
	fresh, err := x.Fresh(rev)
	if err == nil && fresh {
		p.useIndex(x)
		return x, nil
	}
	x.Close()
	if p.readOnly {
		return nil, errStaleIndex
	}
	if p.OnRebuild != nil {
		p.OnRebuild()
	}
	return p.rebuild(ctx, rev)
}

// errStaleIndex is what Index gives a read-only project whose index is out
// of date or missing (IndexStale tells it apart).
var errStaleIndex = &coding.Error{Kind: coding.EInvalid, Message: "the search index is out of date", Next: coding.NextReindex}

// IndexStale reports whether err is Index's error for a read-only project
// whose search index is missing or out of date, so that the caller can
// reopen the project writable and let Index rebuild it.
func IndexStale(err error) bool { return errors.Is(err, errStaleIndex) }

// useIndex keeps x as the project's open index; a search reads the turns
// of its hits from the store.
func (p *Project) useIndex(x *index.Index) {
	x.SetTurnSource(p.turnInfos)
	x.SetTurnSpans(p.turnSpans)
	p.idx = x
}

// turnInfos reads turns from the store (document name and case, speaker,
// role, text and offsets), in one read transaction, one pass over each
// document's text.
func (p *Project) turnInfos(refs []index.TurnRef) ([]index.TurnInfo, error) {
	return p.readTurns(refs, false)
}

// turnSpans reads what a search filtered by spans needs of every hit
// (index.SetTurnSpans): the document's name and the turn's offsets, and
// its text only when the document's text is not one byte per code point.
// The hits of a search by code are spread over hundreds of documents, and
// in a fresh process reading their texts was a fifth of the search.
//
// A warm project keeps the spans it read for as long as the store's
// revision stays the same: a served search by code reads the same 1,554
// hits' spans on every request.
func (p *Project) turnSpans(refs []index.TurnRef) ([]index.TurnInfo, error) {
	if p.spans == nil {
		return p.readTurns(refs, true)
	}
	var out []index.TurnInfo
	err := p.Store.View(func(tx *store.Tx) error {
		rev := tx.Revision()
		var miss []index.TurnRef
		var at []int
		out, miss, at = p.spans.getAll(rev, refs)
		if len(miss) == 0 {
			return nil
		}
		got, err := p.readTurnsTx(tx, miss, true)
		if err != nil {
			return err
		}
		for k, i := range at {
			out[i] = got[k]
		}
		p.spans.putAll(rev, miss, got)
		return nil
	})
	return out, err
}

// maxCachedSpans bounds the turn spans a warm project keeps (a served
// project's searches by code read a few thousand turns' spans).
const maxCachedSpans = 200_000

// hitCache keeps what the hits of searches read from the store besides
// their turns, the role map and the names of the cases of their
// documents, decoded at one store revision (every change moves it).
// Decoding the role map and the cases' records from JSON for every search
// was a tenth of a phrase search in process (6 hits).
type hitCache struct {
	rm    revCache[struct{}, coding.RoleMap]
	cases revCache[uint64, string]
}

// roles returns the role map at tx's revision.
func (c *hitCache) roles(tx *store.Tx) (coding.RoleMap, error) {
	rev := tx.Revision()
	if rm, ok := c.rm.get(rev, struct{}{}); ok {
		return rm, nil
	}
	rm, err := tx.Roles()
	if err != nil {
		return rm, err
	}
	c.rm.put(rev, struct{}{}, rm)
	return rm, nil
}

// caseName returns the name of case id at tx's revision ("" for no case
// or a case that does not exist).
func (c *hitCache) caseName(tx *store.Tx, id uint64) (string, error) {
	if id == 0 {
		return "", nil
	}
	rev := tx.Revision()
	if name, ok := c.cases.get(rev, id); ok {
		return name, nil
	}
	k, err := tx.Case(id)
	if err != nil && coding.ErrorKind(err) != coding.ENotFound {
		return "", err
	}
	name := ""
	if k != nil {
		name = k.Name
	}
	c.cases.put(rev, id, name)
	return name, nil
}

// readTurns is turnInfos, or turnSpans with spansOnly.
func (p *Project) readTurns(refs []index.TurnRef, spansOnly bool) ([]index.TurnInfo, error) {
	var out []index.TurnInfo
	err := p.Store.View(func(tx *store.Tx) error {
		var err error
		out, err = p.readTurnsTx(tx, refs, spansOnly)
		return err
	})
	return out, err
}

// readTurnsTx is readTurns in tx.
func (p *Project) readTurnsTx(tx *store.Tx, refs []index.TurnRef, spansOnly bool) ([]index.TurnInfo, error) {
	out := make([]index.TurnInfo, len(refs))
	byDoc := map[uint64][]int{}
	var order []uint64
	for i, r := range refs {
		if _, ok := byDoc[r.Doc]; !ok {
			order = append(order, r.Doc)
		}
		byDoc[r.Doc] = append(byDoc[r.Doc], i)
	}
	err := func() error {
		var roles coding.RoleMap
		if !spansOnly {
			var err error
			if roles, err = p.hitMeta.roles(tx); err != nil {
				return err
			}
		}
		caseName := func(id uint64) (string, error) { return p.hitMeta.caseName(tx, id) }
		var spans []coding.Span
		var turns []*coding.Turn
		var nums []int
		var got []coding.Turn
		for _, doc := range order {
			// Only the hits' turns are read, in place: a search filtered
			// by code shows every hit, and copying each hit document's
			// whole turn list was a sixth of its CPU.
			d, err := tx.DocumentMeta(doc)
			if err != nil {
				return err
			}
			is := byDoc[doc]
			// The wanted turn numbers in order, each once (a split turn's
			// parts were merged before; refs may still repeat a turn).
			nums = nums[:0]
			for _, i := range is {
				nums = append(nums, refs[i].Turn)
			}
			slices.Sort(nums)
			nums = slices.Compact(nums)
			got = got[:0]
			err = tx.TurnsAt(doc, nums, func(n int, speaker []byte, start, end int) {
				t := coding.Turn{Index: n, Start: start, End: end}
				if !spansOnly {
					t.Speaker = string(speaker)
				}
				got = append(got, t)
			})
			if err != nil {
				return err
			}
			if len(got) != len(nums) {
				missing := nums[len(nums)-1]
				for j := range got {
					if got[j].Index != nums[j] {
						missing = nums[j]
						break
					}
				}
				return &coding.Error{Kind: coding.EInvalid, Message: fmt.Sprintf("the search index names turn %d of %s, which has no such turn", missing, d.Name), Next: coding.NextReindex}
			}
			spans, turns = spans[:0], turns[:0]
			for _, i := range is {
				k, _ := slices.BinarySearch(nums, refs[i].Turn)
				t := &got[k]
				spans = append(spans, coding.Span{Start: t.Start, End: t.End})
				turns = append(turns, t)
			}
			if spansOnly {
				// The stored bytes, not read: only their length.
				raw, err := tx.TextBytes(doc)
				if err != nil {
					return err
				}
				if size := len(raw); size == d.Chars {
					// One byte per code point: the text's length is
					// what Excerpts would cut, and no text is read.
					for k, i := range is {
						t := turns[k]
						lo := min(max(t.Start, 0), size)
						hi := min(max(t.End, t.Start), size)
						out[i] = index.TurnInfo{DocName: d.Name, Start: t.Start, End: t.End, ASCII: true, Len: max(hi-lo, 0)}
					}
					continue
				}
			}
			ps, err := tx.Excerpts(doc, spans, 0)
			if err != nil {
				return err
			}
			if spansOnly {
				for k, i := range is {
					t := turns[k]
					out[i] = index.TurnInfo{DocName: d.Name, Text: ps[k].Text, Start: t.Start, End: t.End}
				}
				continue
			}
			cname, err := caseName(d.CaseID)
			if err != nil {
				return err
			}
			for k, i := range is {
				t := turns[k]
				out[i] = index.TurnInfo{DocName: d.Name, Case: cname, Speaker: t.Speaker,
					Role: roles.Role(d, t.Speaker), Text: ps[k].Text, Start: t.Start, End: t.End}
			}
		}
		return nil
	}()
	return out, err
}

// Reindex rebuilds the search index from the store.
func (p *Project) Reindex(ctx context.Context) error {
	if p.idx != nil {
		p.idx.Close()
		p.idx = nil
	}
	var rev uint64
	if err := p.Store.View(func(tx *store.Tx) error { rev = tx.IndexRevision(); return nil }); err != nil {
		return err
	}
	_, err := p.rebuild(ctx, rev)
	return err
}

func (p *Project) rebuild(ctx context.Context, rev uint64) (*index.Index, error) {
	x, err := index.Rebuild(ctx, IndexPath(p.Root), rev, func(fn func(index.Source) error) error {
		return p.Store.View(func(tx *store.Tx) error {
			return p.eachSource(tx, fn)
		})
	})
	if err != nil {
		return nil, fmt.Errorf("rebuild the search index: %w", err)
	}
	p.useIndex(x)
	return x, nil
}

func (p *Project) eachSource(tx *store.Tx, fn func(index.Source) error) error {
	docs, err := tx.Documents(true)
	if err != nil {
		return err
	}
	return sources(tx, docs, fn, p.RebuildProgress)
}

// sources calls fn with the index source of each document (its text, case
// name, roles and language), telling progress (if not nil) how far it is.
func sources(tx *store.Tx, docs []*coding.Document, fn func(index.Source) error, progress func(done, total int)) error {
	roles, err := tx.Roles()
	if err != nil {
		return err
	}
	cases, err := tx.CaseNames()
	if err != nil {
		return err
	}
	projLang := tx.Lang()
	for i, d := range docs {
		text, err := tx.Text(d.ID)
		if err != nil {
			return err
		}
		if err := fn(sourceOf(d, text, cases, roles, projLang)); err != nil {
			return err
		}
		if progress != nil {
			progress(i+1, len(docs))
		}
	}
	return nil
}

func sourceOf(d *coding.Document, text string, cases map[uint64]string, roles coding.RoleMap, projLang string) index.Source {
	l := d.Lang
	if l == "" {
		l = projLang
	}
	return index.Source{Doc: d, Case: cases[d.CaseID], Text: text, Roles: roles, Lang: l}
}

// UpdateIndexed runs a store change that affects what the search index
// holds for some documents: it makes sure the index is fresh first, runs fn
// in one store transaction (fn returns the ids of the documents whose turns
// must be re-indexed, or all=true for every document), then re-indexes those
// documents and records the new revision, so that the index stays fresh
// without a full rebuild. If re-indexing fails the store change stands and
// the index is rebuilt on next use.
func (p *Project) UpdateIndexed(ctx context.Context, fn func(tx *store.Tx) (docs []uint64, all bool, err error)) error {
	x, err := p.Index(ctx)
	if err != nil {
		return err
	}
	var docs []uint64
	var all bool
	if err := p.Store.Update(func(tx *store.Tx) error {
		var err error
		docs, all, err = fn(tx)
		return err
	}); err != nil {
		return err
	}
	if all {
		return p.Reindex(ctx)
	}
	w := x.NewWriter()
	var rev uint64
	err = p.Store.View(func(tx *store.Tx) error {
		rev = tx.IndexRevision()
		list := make([]*coding.Document, 0, len(docs))
		for _, id := range docs {
			d, err := tx.Document(id)
			if err != nil {
				return err
			}
			list = append(list, d)
		}
		return sources(tx, list, w.Add, nil)
	})
	if err != nil {
		return err
	}
	return w.Commit(rev)
}
