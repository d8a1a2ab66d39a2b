// Package index adapts bleve to tacit: one bleve document per turn, with the
// turn's text analysed for search and highlighting and its document, case,
// speaker, role and attributes as keyword fields for filters. The index is
// derived data: it can always be rebuilt from the store, and it records the
// store's index revision and its own mapping version so that a stale or
// outdated index is detected on open.
package index

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/single"
	"github.com/blevesearch/bleve/v2/mapping"
	berrors "go.etcd.io/bbolt/errors"

	"github.com/tacit-qda/tacit/coding"
	"github.com/tacit-qda/tacit/index/lang"
)

// MappingVersion changes whenever the mapping or the analyzers change; an
// index with another version is rebuilt. Version 8 indexes a turn longer
// than PartBytes as several parts (parts.go). Version 7 names the lazy twins of
// the text analyzers (lang.Lazy), so that opening an index builds none of
// them. Version 6 stores nothing. Version 3 is the lean mapping: the
// turn text is not stored (the store holds it), start and end are stored
// only, and only doc_name and turn, which a search sorts on, keep doc values.
var MappingVersion = "8." + analysisVersion

const (
	keyRevision = "tacit_revision"
	keyMapping  = "tacit_mapping_version"
	keySplit    = "tacit_split_turns"
	// pendingRevision is the revision of an index written ahead of the
	// store (Writer.Pending) until Commit records the real one.
	pendingRevision = "pending"
	keywordLower    = "tacit_keyword"
)

var (
	batchTurns     = 1000
	batchTextBytes = 1 << 20
)

// Field names of a turn in the index.
const (
	FieldText    = "text"
	FieldDoc     = "doc"
	FieldDocName = "doc_name"
	FieldCase    = "case"
	FieldSpeaker = "speaker"
	FieldRole    = "role"
	FieldAttr    = "attr"
	FieldLang    = "lang"
	FieldTurn    = "turn"
)

// Index is an open bleve index of a project's turns.
type Index struct {
	idx    bleve.Index
	path   string
	closed bool
	turns  TurnSource
	spans  TurnSource
	// split lists the turns indexed in more than one part (nil until
	// read from the index).
	split splitTurns
	// docNums keeps the internal numbers of the turn ids searches were
	// filtered by, for the current index snapshot.
	docNums docNumCache
	// langs keeps the query analyzers of the current index snapshot.
	langs langCache
}

// splitTurns returns the index's record of its split turns.
func (x *Index) splitTurns() (splitTurns, error) {
	if x.split == nil {
		b, err := x.idx.GetInternal([]byte(keySplit))
		if err != nil {
			return nil, fmt.Errorf("read the index's split turns: %w", err)
		}
		x.split = decodeSplitTurns(b)
	}
	return x.split, nil
}

// TurnRef names one turn: turn number Turn of document Doc.
type TurnRef struct {
	Doc  uint64
	Turn int
}

// TurnInfo is what a hit shows of its turn: its document's name and case,
// its speaker and role, its text and the code points [Start,End) of the
// text in the document.
type TurnInfo struct {
	DocName, Case, Speaker, Role, Text string
	Start, End                         int
	// ASCII, which only a TurnSpans source sets, says that Text was left
	// out because the turn's text has one byte per code point, Len of them.
	ASCII bool
	Len   int
}

// TurnSource returns the turns asked for, in that order. The index stores
// nothing but what it searches (the store holds the rest), so a search
// reads its hits from the source that the project gives each index it
// opens.
type TurnSource func(refs []TurnRef) ([]TurnInfo, error)

// SetTurnSource sets where a search reads the turns of its hits.
func (x *Index) SetTurnSource(fn TurnSource) { x.turns = fn }

// SetTurnSpans sets where a search filtered by spans (Request.Inside,
// Outside) reads the turns of all its hits before it cuts a page: a
// TurnSource that needs to give only DocName, Start and End, and Text only
// when it does not set ASCII and Len (the turns of the page are then read
// from the turn source). Without it, every hit's turn is read in full.
func (x *Index) SetTurnSpans(fn TurnSource) { x.spans = fn }

// Options for Open.
type Options struct {
	ReadOnly bool
}

// NewMapping returns the index mapping of a turn.
func NewMapping() (*mapping.IndexMappingImpl, error) {
	im := bleve.NewIndexMapping()
	if err := lang.Register(); err != nil {
		return nil, fmt.Errorf("register analyzers: %w", err)
	}
	if err := im.AddCustomAnalyzer(keywordLower, map[string]any{
		"type":          custom.Name,
		"tokenizer":     single.Name,
		"token_filters": []any{lowercase.Name},
	}); err != nil {
		return nil, fmt.Errorf("add keyword analyzer: %w", err)
	}
	var def *mapping.DocumentMapping
	for _, a := range indexAnalyzers() {
		dm := turnMapping(a)
		im.AddDocumentMapping("turn_"+a, dm)
		if a == IndexAnalyzer {
			def = dm
		}
	}
	im.DefaultMapping = def
	im.TypeField = "_type"
	im.DefaultType = TypeFor("en")
	im.DefaultField = FieldText
	im.DefaultAnalyzer = QueryAnalyzer
	im.ScoringModel = "bm25"
	return im, nil
}

func turnMapping(analyzer string) *mapping.DocumentMapping {
	dm := bleve.NewDocumentStaticMapping()
	// No _all field: every query names its field (text by default), and
	// composing _all from every field of every turn cost 9% of an import.
	dm.AddSubDocumentMapping("_all", bleve.NewDocumentDisabledMapping())
	// The text is indexed with term vectors (a hit's match offsets) but not
	// stored: the store holds it, and a search reads it from there.
	text := bleve.NewTextFieldMapping()
	text.Analyzer = lang.Lazy(analyzer)
	text.Store = false
	text.IncludeTermVectors = true
	text.IncludeInAll = false
	text.DocValues = false
	dm.AddFieldMappingsAt(FieldText, text)
	// Keyword fields are filters, not stored: a hit's document name, case,
	// speaker and role come from the store (TurnSource). A search sorts
	// by document name, so only it keeps doc values.
	for _, f := range []string{FieldDocName, FieldCase, FieldSpeaker, FieldRole, FieldAttr, FieldLang} {
		kw := bleve.NewTextFieldMapping()
		kw.Analyzer = keywordLower
		kw.Store = false
		kw.IncludeTermVectors = false
		kw.IncludeInAll = false
		kw.DocValues = f == FieldDocName
		dm.AddFieldMappingsAt(f, kw)
	}
	docf := bleve.NewKeywordFieldMapping()
	docf.IncludeInAll = false
	docf.IncludeTermVectors = false
	docf.Store = false
	docf.DocValues = false
	dm.AddFieldMappingsAt(FieldDoc, docf)
	// turn is queried (turn:<3) and sorted on, as one keyword term that
	// sorts in number order (TurnKey): a numeric field indexed 16
	// prefix-coded terms per turn, as many as the words of a short turn.
	// It is not stored, since the turn id holds it.
	turn := bleve.NewKeywordFieldMapping()
	turn.IncludeInAll = false
	turn.IncludeTermVectors = false
	turn.Store = false
	turn.DocValues = true
	dm.AddFieldMappingsAt(FieldTurn, turn)
	return dm
}

var (
	poisonMu sync.Mutex
	poisonOf = map[string]string{}
)

func poison(dir, why string) {
	poisonMu.Lock()
	defer poisonMu.Unlock()
	poisonOf[filepath.Clean(dir)] = why
}

func poisoned(dir string) string {
	poisonMu.Lock()
	defer poisonMu.Unlock()
	return poisonOf[filepath.Clean(dir)]
}

func unpoison(dir string) {
	poisonMu.Lock()
	defer poisonMu.Unlock()
	delete(poisonOf, filepath.Clean(dir))
}

// Open opens the index at dir, creating it when missing. A lock held by
// another process gives a *coding.Error of kind EInUse.
func Open(dir string, opt Options) (_ *Index, err error) {
	// A damaged root.bolt or segment makes bbolt or zap panic (or fault on
	// the memory map) half-way through: that is a damaged index, which the
	// project rebuilds.
	if why := poisoned(dir); why != "" {
		return nil, openErr(dir, errors.New(why))
	}
	old := debug.SetPanicOnFault(true)
	defer func() {
		debug.SetPanicOnFault(old)
		if r := recover(); r != nil {
			// The half-opened index may still hold its file lock: never
			// open this folder again in this process (Rebuild replaces it).
			poison(dir, fmt.Sprintf("panic: %v", r))
			err = openErr(dir, fmt.Errorf("panic: %v", r))
		}
	}()
	cfg := map[string]any{"bolt_timeout": "1s"}
	if opt.ReadOnly {
		cfg["read_only"] = true
	}
	idx, err := bleve.OpenUsing(dir, cfg)
	if errors.Is(err, bleve.ErrorIndexPathDoesNotExist) && !opt.ReadOnly {
		return create(dir)
	}
	if err != nil {
		return nil, openErr(dir, err)
	}
	return &Index{idx: idx, path: dir}, nil
}

func openErr(dir string, err error) error {
	if errors.Is(err, berrors.ErrTimeout) {
		return &coding.Error{Kind: coding.EInUse, Message: "project in use by another tacit process (its search index is locked); wait for it to finish and try again", Err: err}
	}
	return &coding.Error{Kind: coding.EInvalid, Message: fmt.Sprintf("the search index at %s cannot be opened (%v)", dir, err), Err: err, Next: coding.NextReindex}
}

func create(dir string) (*Index, error) {
	m, err := NewMapping()
	if err != nil {
		return nil, err
	}
	idx, err := bleve.NewUsing(dir, m, bleve.Config.DefaultIndexType, bleve.Config.DefaultKVStore, map[string]any{"bolt_timeout": "1s"})
	if err != nil {
		return nil, openErr(dir, err)
	}
	if err := idx.SetInternal([]byte(keyMapping), []byte(MappingVersion)); err != nil {
		idx.Close()
		return nil, fmt.Errorf("write index mapping version: %w", err)
	}
	return &Index{idx: idx, path: dir}, nil
}

// Close closes the index and releases its lock; closing twice is a no-op.
func (x *Index) Close() error {
	if x.closed {
		return nil
	}
	x.closed = true
	return x.idx.Close()
}

// Bleve exposes the underlying index for searches.
func (x *Index) Bleve() bleve.Index { return x.idx }

// Revision returns the store index-revision the index reflects and its
// mapping version.
func (x *Index) Revision() (uint64, string, error) {
	rv, err := x.idx.GetInternal([]byte(keyRevision))
	if err != nil {
		return 0, "", err
	}
	mv, err := x.idx.GetInternal([]byte(keyMapping))
	if err != nil {
		return 0, "", err
	}
	r, _ := strconv.ParseUint(string(rv), 10, 64)
	return r, string(mv), nil
}

// Fresh reports whether the index reflects store index-revision rev with
// the current mapping. A pending index (Writer.Pending) is never fresh.
func (x *Index) Fresh(rev uint64) (bool, error) {
	rv, err := x.idx.GetInternal([]byte(keyRevision))
	if err != nil {
		return false, err
	}
	if string(rv) == pendingRevision {
		return false, nil
	}
	r, mv, err := x.Revision()
	if err != nil {
		return false, err
	}
	return r == rev && mv == MappingVersion, nil
}

// DocCount returns the number of indexed turns (a turn indexed in several
// parts counts once).
func (x *Index) DocCount() (uint64, error) {
	n, err := x.idx.DocCount()
	if err != nil {
		return 0, err
	}
	split, err := x.splitTurns()
	if err != nil {
		return 0, err
	}
	for _, k := range split {
		if uint64(k-1) <= n {
			n -= uint64(k - 1)
		}
	}
	return n, nil
}

// Source is what the index needs of one document.
type Source struct {
	Doc   *coding.Document
	Case  string
	Text  string
	Roles coding.RoleMap
	Lang  string
}

// TurnKey is the indexed term of turn number n: its digits after their
// count ("10", "212"), so that the terms sort in number order.
func TurnKey(n int) string {
	d := strconv.Itoa(max(n, 0))
	return strconv.Itoa(len(d)) + d
}

// TurnID returns the bleve id of turn i of document doc.
func TurnID(doc uint64, turn int) string {
	return strconv.FormatUint(doc, 10) + "/" + strconv.Itoa(turn)
}

// ParseTurnID splits a bleve id into document id and turn index.
func ParseTurnID(id string) (uint64, int, bool) {
	d, t, ok := strings.Cut(id, "/")
	if !ok {
		return 0, 0, false
	}
	doc, err1 := strconv.ParseUint(d, 10, 64)
	turn, err2 := strconv.Atoi(t)
	return doc, turn, err1 == nil && err2 == nil
}

type turnDoc struct {
	Text    string   `json:"text"`
	Doc     string   `json:"doc"`
	DocName string   `json:"doc_name"`
	Case    string   `json:"case"`
	Speaker string   `json:"speaker"`
	Role    string   `json:"role"`
	Attr    []string `json:"attr"`
	Lang    string   `json:"lang"`
	Turn    string   `json:"turn"`
	typ     string
}

// BleveType selects the document mapping, and so the analyzer, of the turn.
func (t turnDoc) BleveType() string { return t.typ }

// Writer adds documents to the index in batches of about a thousand turns
// or 4 MB of text.
type Writer struct {
	x      *Index
	batch  *bleve.Batch
	n      int
	nbytes int
	err    error // reading the split turns failed
	// splitChanged says the split turns changed since the last batch.
	splitChanged bool
	// inflight, when not nil, holds a slot for each full batch being
	// written on a goroutine of its own (see Overlap).
	inflight chan struct{}
	wg       sync.WaitGroup
	errMu    sync.Mutex
	asyncErr error // the first error of a batch written on a goroutine
}

// Overlap lets the writer hand up to n full batches to goroutines of their
// own and go on filling the next: the next batch's turns are mapped while
// bleve analyses the last, builds its segment and waits for the
// persister's fsync. The batches must add distinct documents (an import's
// new ones): bleve may apply batches in flight in any order. Flush and
// Commit wait for every batch in flight, and the first error of one is
// returned by the next Add, Flush or Commit.
func (w *Writer) Overlap(n int) {
	if n > 0 {
		w.inflight = make(chan struct{}, n)
	}
}

// settle waits for every batch in flight and returns the first error.
func (w *Writer) settle() error {
	if w.inflight == nil {
		return nil
	}
	w.wg.Wait()
	w.errMu.Lock()
	defer w.errMu.Unlock()
	if w.asyncErr != nil {
		return fmt.Errorf("write index batch: %w", w.asyncErr)
	}
	return nil
}

// NewWriter starts a batched write.
func (x *Index) NewWriter() *Writer {
	w := &Writer{x: x, batch: x.idx.NewBatch()}
	_, w.err = x.splitTurns()
	return w
}

// Add queues every turn of one document, flushing full batches.
func (w *Writer) Add(src Source) error {
	off := coding.NewOffsets(src.Text)
	attrs := make([]string, 0, len(src.Doc.Attrs))
	for k, v := range src.Doc.Attrs {
		attrs = append(attrs, k+"="+v)
	}
	if w.err != nil {
		return w.err
	}
	docID, typ := strconv.FormatUint(src.Doc.ID, 10), TypeFor(src.Lang)
	for _, t := range src.Doc.Turns {
		text := off.Slice(t.Start, t.End)
		ref := TurnRef{src.Doc.ID, t.Index}
		parts := Parts(text)
		if len(parts) > 1 || w.x.split[ref] > 0 {
			if len(parts) > 1 {
				w.x.split[ref] = len(parts)
			} else {
				delete(w.x.split, ref)
			}
			w.splitChanged = true
		}
		for k, pt := range parts {
			if err := w.addPart(src, t, k, text[pt.Start:pt.End], docID, typ, attrs); err != nil {
				return err
			}
		}
	}
	return nil
}

func (w *Writer) addPart(src Source, t coding.Turn, k int, text, docID, typ string, attrs []string) error {
	td := turnDoc{
		Text:    text,
		Doc:     docID,
		DocName: src.Doc.Name,
		Case:    src.Case,
		Speaker: t.Speaker,
		Role:    src.Roles.TurnRole(src.Doc, t),
		Attr:    attrs,
		Lang:    src.Lang,
		Turn:    TurnKey(t.Index),
		typ:     typ,
	}
	if err := w.batch.Index(PartID(src.Doc.ID, t.Index, k), td); err != nil {
		return fmt.Errorf("index turn %d of %s: %w", t.Index, src.Doc.Name, err)
	}
	w.n++
	w.nbytes += len(td.Text)
	if w.n >= batchTurns || w.nbytes >= batchTextBytes {
		if w.inflight != nil {
			return w.handOff()
		}
		return w.Flush()
	}
	return nil
}

// handOff writes the full batch on a goroutine once a slot is free.
func (w *Writer) handOff() error {
	w.errMu.Lock()
	err := w.asyncErr
	w.errMu.Unlock()
	if err != nil {
		return fmt.Errorf("write index batch: %w", err)
	}
	w.setSplit()
	b := w.batch
	w.fresh()
	w.inflight <- struct{}{}
	w.wg.Add(1)
	go func() {
		defer w.wg.Done()
		err := w.x.idx.Batch(b)
		<-w.inflight
		if err != nil {
			w.errMu.Lock()
			if w.asyncErr == nil {
				w.asyncErr = err
			}
			w.errMu.Unlock()
		}
	}()
	return nil
}

// Delete queues the removal of turns [0,turns) of a document, every part
// of them.
func (w *Writer) Delete(doc uint64, turns int) {
	for i := 0; i < turns; i++ {
		w.batch.Delete(TurnID(doc, i))
		ref := TurnRef{doc, i}
		if n := w.x.split[ref]; n > 0 {
			for k := 1; k < n; k++ {
				w.batch.Delete(PartID(doc, i, k))
			}
			delete(w.x.split, ref)
			w.splitChanged = true
		}
	}
	w.n += turns
}

// setSplit puts the split turns into the batch when they changed.
func (w *Writer) setSplit() {
	if w.splitChanged {
		w.batch.SetInternal([]byte(keySplit), w.x.split.encode())
		w.splitChanged = false
	}
}

// Flush writes the queued batch.
func (w *Writer) Flush() error {
	if w.err != nil {
		return w.err
	}
	if err := w.settle(); err != nil {
		return err
	}
	w.setSplit()
	if w.batch.Size() == 0 {
		return nil
	}
	if err := w.x.idx.Batch(w.batch); err != nil {
		return fmt.Errorf("write index batch: %w", err)
	}
	w.fresh()
	return nil
}

// fresh starts a new batch. A written batch is not Reset for reuse:
// scorch's Batch returns once every document is analysed, while the
// goroutine that queued them may still be ranging over the batch's map
// (go test -race saw Reset's write race with that read).
func (w *Writer) fresh() {
	w.batch = w.x.idx.NewBatch()
	w.n, w.nbytes = 0, 0
}

// Pending records, before anything else is written, that the turns this
// writer adds belong to a store transaction not yet committed: until
// Commit records a revision, Fresh says no, so that a process stopped in
// between leaves an index that is rebuilt rather than one that names
// documents the store does not hold.
func (w *Writer) Pending() error {
	if w.err != nil {
		return w.err
	}
	if err := w.x.idx.SetInternal([]byte(keyRevision), []byte(pendingRevision)); err != nil {
		return fmt.Errorf("mark the index pending: %w", err)
	}
	return nil
}

// Commit flushes and records the store revision the index now reflects.
func (w *Writer) Commit(rev uint64) error {
	if w.err != nil {
		return w.err
	}
	if err := w.settle(); err != nil {
		return err
	}
	w.setSplit()
	w.batch.SetInternal([]byte(keyRevision), []byte(strconv.FormatUint(rev, 10)))
	w.batch.SetInternal([]byte(keyMapping), []byte(MappingVersion))
	if err := w.x.idx.Batch(w.batch); err != nil {
		return fmt.Errorf("write index batch: %w", err)
	}
	w.fresh()
	return nil
}

// Rebuild builds a fresh index at dir from all sources, in a sibling folder
// that replaces dir only when complete. The old index must be closed.
func Rebuild(ctx context.Context, dir string, rev uint64, sources func(fn func(Source) error) error) (*Index, error) {
	tmp := dir + ".rebuild"
	if err := os.RemoveAll(tmp); err != nil {
		return nil, fmt.Errorf("clear %s: %w", tmp, err)
	}
	x, err := create(tmp)
	if err != nil {
		return nil, err
	}
	w := x.NewWriter()
	err = sources(func(s Source) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		return w.Add(s)
	})
	if err == nil {
		err = w.Commit(rev)
	}
	if cerr := x.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.RemoveAll(tmp)
		return nil, err
	}
	old := dir + ".old"
	os.RemoveAll(old)
	if _, err := os.Stat(dir); err == nil {
		if err := os.Rename(dir, old); err != nil {
			return nil, fmt.Errorf("replace index: %w", err)
		}
	}
	if err := os.Rename(tmp, dir); err != nil {
		return nil, fmt.Errorf("replace index: %w", err)
	}
	unpoison(dir)
	os.RemoveAll(old)
	return Open(dir, Options{})
}

// Dir returns the index folder.
func (x *Index) Dir() string { return filepath.Clean(x.path) }

// MissingTurns returns up to limit ids of turns that the store has and the
// index lacks.
func (x *Index) MissingTurns(turnsByDoc map[uint64]int, limit int) ([]string, error) {
	var out []string
	for doc, n := range turnsByDoc {
		for i := 0; i < n; i++ {
			id := TurnID(doc, i)
			d, err := x.idx.Document(id)
			if err != nil {
				return nil, fmt.Errorf("read index document %s: %w", id, err)
			}
			if d == nil {
				out = append(out, id)
				if len(out) >= limit {
					return out, nil
				}
			}
		}
	}
	return out, nil
}

// MemTurns is a TurnSource over documents held in memory (for tests and
// benchmarks; a project reads its store).
func MemTurns(srcs []Source) TurnSource {
	byID := map[uint64]*Source{}
	offs := map[uint64]*coding.Offsets{}
	for i := range srcs {
		byID[srcs[i].Doc.ID] = &srcs[i]
	}
	return func(refs []TurnRef) ([]TurnInfo, error) {
		out := make([]TurnInfo, len(refs))
		for i, r := range refs {
			s := byID[r.Doc]
			if s == nil {
				return nil, fmt.Errorf("no document %d", r.Doc)
			}
			o := offs[r.Doc]
			if o == nil {
				o = coding.NewOffsets(s.Text)
				offs[r.Doc] = o
			}
			var t *coding.Turn
			for k := range s.Doc.Turns {
				if s.Doc.Turns[k].Index == r.Turn {
					t = &s.Doc.Turns[k]
					break
				}
			}
			if t == nil {
				return nil, fmt.Errorf("no turn %d in document %d", r.Turn, r.Doc)
			}
			out[i] = TurnInfo{DocName: s.Doc.Name, Case: s.Case, Speaker: t.Speaker, Role: s.Roles.Role(s.Doc, t.Speaker),
				Text: o.Slice(t.Start, t.End), Start: t.Start, End: t.End}
		}
		return out, nil
	}
}
