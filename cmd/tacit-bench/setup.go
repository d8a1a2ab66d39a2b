package main

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/standard"

	"github.com/tacit-qda/tacit/coding"
	"github.com/tacit-qda/tacit/coding/transcript"
	"github.com/tacit-qda/tacit/index"
	"github.com/tacit-qda/tacit/internal/projgen"
	"github.com/tacit-qda/tacit/project"
	"github.com/tacit-qda/tacit/store"
)

// plan is what the setup phase tells the measuring process.
type plan struct {
	Root          string // the generated project, indexed
	Corpus        string // its texts as files, for the import rows
	TextBytes     int64
	Turns         int
	Cases         int
	Codes         int
	Codings       int
	FTS           string // the SQLite database: turns (FTS5), codings, code_ancestors
	SQLiteErr     string
	SQLiteVersion string
	Case          string // a case, for the case filter
	Code          string // a top-level code, for the code filter
	TagDoc        string
	TagStart      int
	TagEnd        int
	TagCode       string
	ShowDoc       string
	Coders        []string
	AgreeCodes    []string // leaf codes compared at turn level
	CharCode      string   // the most used leaf, compared at char level
	BigCode       string   // a code with about 1,000 codings
	BigN          int
}

func runPhase(name string, o *options) error {
	switch name {
	case "setup":
		pl, err := setup(o)
		if err != nil {
			return err
		}
		b, err := json.Marshal(pl)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(o.Dir, "plan.json"), b, 0o644)
	case "lean":
		return leanBleve(filepath.Join(o.Dir, "corpus"), filepath.Join(o.Dir, "lean-index"))
	case "inproc":
		raw, err := os.ReadFile(filepath.Join(o.Dir, "plan.json"))
		if err != nil {
			return err
		}
		var pl plan
		if err := json.Unmarshal(raw, &pl); err != nil {
			return err
		}
		return inProcess(&pl, o.Runs)
	}
	return fmt.Errorf("unknown phase %q", name)
}

func setup(o *options) (*plan, error) {
	root := filepath.Join(o.Dir, "project")
	cfg := projgen.Default()
	cfg.Seed, cfg.Docs, cfg.Words, cfg.Codings, cfg.DocsPerCase = o.Seed, o.Docs, o.Words, o.Codings, o.DocsPerCase
	cfg.ReliabilityDocs = min(cfg.ReliabilityDocs, o.Docs)
	cfg.Index = true
	res, err := projgen.Generate(root, cfg)
	if err != nil {
		return nil, err
	}
	pl := &plan{Root: root, Corpus: filepath.Join(o.Dir, "corpus"), TextBytes: res.TextBytes,
		Cases: len(res.Cases), Codes: len(res.Codes), Codings: res.Codings}
	for _, d := range res.Docs {
		pl.Turns += len(d.Turns)
	}
	pl.Case = res.Cases[0]
	pl.Code = res.Codes[0]
	// Tag: the longest turn of a middle document; each run tags another
	// range in it, so that nothing is skipped as a duplicate.
	d := res.Docs[len(res.Docs)/2]
	var tt coding.Turn
	for _, t := range d.Turns {
		if t.End-t.Start > tt.End-tt.Start {
			tt = t
		}
	}
	pl.TagDoc, pl.TagStart, pl.TagEnd, pl.TagCode = d.Name, tt.Start, tt.End, res.Leaves[0]
	pl.ShowDoc = d.Name
	pl.Coders = res.Config.Coders
	pl.AgreeCodes = res.Leaves[:min(50, len(res.Leaves))]
	for _, c := range res.Leaves {
		if pl.CharCode == "" || res.PerCode[c] > res.PerCode[pl.CharCode] {
			pl.CharCode = c
		}
	}
	pl.BigCode, pl.BigN = res.CodeWithCount(1000)
	if err := os.MkdirAll(pl.Corpus, 0o755); err != nil {
		return nil, err
	}
	if _, err := exec.LookPath(o.SQLite); err != nil {
		pl.SQLiteErr = fmt.Sprintf("%s is not on PATH (apt-get install -y sqlite3, or -sqlite3 PATH): the FTS5 and SQL rows are left out", o.SQLite)
	}
	if err := export(root, pl, o.SQLite); err != nil {
		return nil, err
	}
	return pl, nil
}

// export writes every document's text into the corpus folder and, with
// sqlite3, builds the SQLite floor: an FTS5 table of the turns (porter
// tokenizer) with their document, case, speaker, role and offsets, the
// codings, and the code tree rolled up (code_ancestors).
func export(root string, pl *plan, sqlite string) error {
	p, err := project.Open(root, project.Options{ReadOnly: true})
	if err != nil {
		return err
	}
	defer p.Close()
	withSQL := pl.SQLiteErr == ""
	var turnsW, codW, ancW *bufio.Writer
	var files []*os.File
	open := func(name string) (*bufio.Writer, error) {
		f, err := os.Create(filepath.Join(filepath.Dir(pl.Corpus), name))
		if err != nil {
			return nil, err
		}
		files = append(files, f)
		return bufio.NewWriter(f), nil
	}
	if withSQL {
		if turnsW, err = open("turns.tsv"); err != nil {
			return err
		}
		if codW, err = open("codings.csv"); err != nil {
			return err
		}
		if ancW, err = open("code_ancestors.csv"); err != nil {
			return err
		}
	}
	err = p.Store.View(func(tx *store.Tx) error {
		docs, err := tx.Documents(true)
		if err != nil {
			return err
		}
		roles, err := tx.Roles()
		if err != nil {
			return err
		}
		cases, err := tx.CaseNames()
		if err != nil {
			return err
		}
		for _, d := range docs {
			text, err := tx.Text(d.ID)
			if err != nil {
				return err
			}
			if err := os.WriteFile(filepath.Join(pl.Corpus, d.Name+".txt"), []byte(text), 0o644); err != nil {
				return err
			}
			if !withSQL {
				continue
			}
			off := coding.NewOffsets(text)
			for _, t := range d.Turns {
				fmt.Fprintf(turnsW, "%s\t%d\t%d\t%s\t%s\t%s\t%d\t%d\n", off.Slice(t.Start, t.End), d.ID, t.Index,
					cases[d.CaseID], t.Speaker, roles.Role(d, t.Speaker), t.Start, t.End)
			}
		}
		if !withSQL {
			return nil
		}
		cb, err := tx.Codes()
		if err != nil {
			return err
		}
		caseOf := map[uint64]uint64{}
		for _, d := range docs {
			caseOf[d.ID] = d.CaseID
		}
		cw := csv.NewWriter(codW)
		if err := tx.Codings(func(c *coding.Coding) error {
			return cw.Write([]string{u(c.ID), u(c.DocID), u(caseOf[c.DocID]), cb.Path(c.CodeID), c.Coder,
				strconv.Itoa(c.Start), strconv.Itoa(c.End)})
		}); err != nil {
			return err
		}
		cw.Flush()
		aw := csv.NewWriter(ancW)
		cb.Walk(func(c *coding.Code, _ int) {
			for id := c.ID; id != 0; {
				aw.Write([]string{cb.Path(c.ID), cb.Path(id)})
				a := cb.Code(id)
				if a == nil {
					break
				}
				id = a.ParentID
			}
		})
		aw.Flush()
		return aw.Error()
	})
	for i, w := range []*bufio.Writer{turnsW, codW, ancW} {
		if w != nil {
			if ferr := w.Flush(); err == nil {
				err = ferr
			}
			if cerr := files[i].Close(); err == nil {
				err = cerr
			}
		}
	}
	if err != nil || !withSQL {
		return err
	}
	dir := filepath.Dir(pl.Corpus)
	pl.FTS = filepath.Join(dir, "floor.sqlite")
	script := fmt.Sprintf(`CREATE VIRTUAL TABLE turns USING fts5(text, doc UNINDEXED, turn UNINDEXED, case_name UNINDEXED, speaker UNINDEXED, role UNINDEXED, start UNINDEXED, "end" UNINDEXED, tokenize='porter unicode61');
CREATE TABLE codings(id INTEGER PRIMARY KEY, doc INTEGER, case_id INTEGER, code TEXT, coder TEXT, start INTEGER, "end" INTEGER);
CREATE TABLE code_ancestors(code TEXT, ancestor TEXT);
.mode tabs
.import %s turns
.mode csv
.import %s codings
.import %s code_ancestors
CREATE INDEX code_ancestors_code ON code_ancestors(code);
CREATE INDEX codings_doc ON codings(doc);
INSERT INTO turns(turns) VALUES('optimize');
ANALYZE;
`, filepath.Join(dir, "turns.tsv"), filepath.Join(dir, "codings.csv"), filepath.Join(dir, "code_ancestors.csv"))
	cmd := exec.Command(sqlite, pl.FTS)
	cmd.Stdin = strings.NewReader(script)
	if out, err := cmd.CombinedOutput(); err != nil || len(out) > 0 {
		return fmt.Errorf("build the SQLite floor: %v %s", err, out)
	}
	if v, err := exec.Command(sqlite, "--version").Output(); err == nil {
		if f := strings.Fields(string(v)); len(f) > 0 {
			pl.SQLiteVersion = "SQLite " + f[0]
		}
	}
	for _, f := range []string{"turns.tsv", "codings.csv", "code_ancestors.csv"} {
		os.Remove(filepath.Join(dir, f))
	}
	return nil
}

func u(v uint64) string { return strconv.FormatUint(v, 10) }

// leanBleve indexes the turns of the corpus files with a lean bleve
// mapping: the standard analyzer with term vectors, nothing stored, batches
// of 1,000 turns. It reads and parses the files as it goes, as an import
// does.
func leanBleve(corpus, dir string) error {
	im := bleve.NewIndexMapping()
	dm := bleve.NewDocumentStaticMapping()
	tf := bleve.NewTextFieldMapping()
	tf.Analyzer = standard.Name
	tf.Store = false
	tf.IncludeTermVectors = true
	tf.IncludeInAll = false
	tf.DocValues = false
	dm.AddFieldMappingsAt("text", tf)
	im.DefaultMapping = dm
	idx, err := bleve.New(dir, im)
	if err != nil {
		return err
	}
	entries, err := os.ReadDir(corpus)
	if err != nil {
		return err
	}
	b := idx.NewBatch()
	for di, e := range entries {
		data, err := os.ReadFile(filepath.Join(corpus, e.Name()))
		if err != nil {
			return err
		}
		r, err := transcript.Parse(e.Name(), data, transcript.Options{})
		if err != nil {
			return err
		}
		off := coding.NewOffsets(r.Text)
		for _, t := range r.Turns {
			if err := b.Index(index.TurnID(uint64(di+1), t.Index), map[string]any{"text": off.Slice(t.Start, t.End)}); err != nil {
				return err
			}
			if b.Size() >= 1000 {
				if err := idx.Batch(b); err != nil {
					return err
				}
				b = idx.NewBatch() // not Reset: scorch may still range over the written batch
			}
		}
	}
	if err := idx.Batch(b); err != nil {
		return err
	}
	return idx.Close()
}

// ---- search in process ----

// query is one search of the fixed set, for tacit and for FTS5.
type query struct {
	Kind  string
	Q     string   // tacit's query string
	Flags []string // tacit's filter flags
	FTS   string   // the FTS5 MATCH expression
	Where string   // the FTS5 filter ("" or "AND ...")
}

func queries(pl *plan) []query {
	lit := func(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }
	return []query{
		{Kind: "term", Q: "crisis", FTS: "crisis"},
		{Kind: "term, common", Q: "family", FTS: "family"},
		{Kind: "prefix", Q: "respect*", FTS: "respect*"},
		{Kind: "boolean AND", Q: "+family +plan", FTS: "family AND plan"},
		{Kind: "boolean NOT", Q: "crisis -police", FTS: "crisis NOT police"},
		{Kind: "phrase", Q: `"turning point"`, FTS: `"turning point"`},
		{Kind: "by case", Q: "family", Flags: []string{"--case", pl.Case}, FTS: "family", Where: "AND case_name = " + lit(pl.Case)},
		{Kind: "by role", Q: "crisis", Flags: []string{"--role", "client"}, FTS: "crisis", Where: "AND role = 'client'"},
		{Kind: "by code", Q: "family", Flags: []string{"--code", pl.Code}, FTS: "family",
			Where: "AND EXISTS (SELECT 1 FROM codings c JOIN code_ancestors a ON a.code = c.code WHERE a.ancestor = " + lit(pl.Code) +
				" AND c.doc = turns.doc AND c.start < turns.\"end\" AND c.\"end\" > turns.start)"},
	}
}

// ftsSQL is the FTS5 statement: the 10 best turns by bm25 with a snippet.
func (q query) ftsSQL() string {
	return fmt.Sprintf("SELECT doc, turn, snippet(turns, 0, '**', '**', '…', 20) FROM turns WHERE turns MATCH '%s' %s ORDER BY rank LIMIT 10;",
		strings.ReplaceAll(q.FTS, "'", "''"), q.Where)
}

// inProcess times index.Search for each query in this process, the way
// 'tacit search --limit 10' asks it (filters resolved from the store), and
// prints the timings as JSON: kind -> nanoseconds of each run.
func inProcess(pl *plan, runs int) error {
	ctx := context.Background()
	p, err := project.Open(pl.Root, project.Options{ReadOnly: true})
	if err != nil {
		return err
	}
	defer p.Close()
	x, err := p.Index(ctx)
	if err != nil {
		return err
	}
	out := map[string][]time.Duration{}
	for _, q := range queries(pl) {
		req := index.Request{Query: q.Q, Limit: 10}
		err := p.Store.View(func(tx *store.Tx) error { return filterOf(tx, q, &req) })
		if err != nil {
			return err
		}
		for i := -3; i < runs; i++ {
			t0 := time.Now()
			if _, err := x.Search(ctx, req); err != nil {
				return fmt.Errorf("%s: %w", q.Q, err)
			}
			if i >= 0 {
				out[q.Kind] = append(out[q.Kind], time.Since(t0))
			}
		}
	}
	return json.NewEncoder(os.Stdout).Encode(out)
}

// filterOf sets the request's filter as 'tacit search' does for --case,
// --role and --code (a code with its sub-codes: matches inside their
// codings, in the turns they overlap).
func filterOf(tx *store.Tx, q query, req *index.Request) error {
	for i := 0; i+1 < len(q.Flags); i += 2 {
		v := q.Flags[i+1]
		switch q.Flags[i] {
		case "--case":
			req.Filter.Cases = append(req.Filter.Cases, v)
		case "--role":
			req.Filter.Roles = append(req.Filter.Roles, v)
		case "--code":
			cb, err := tx.Codes()
			if err != nil {
				return err
			}
			c, err := cb.Resolve(v)
			if err != nil {
				return err
			}
			ids := map[uint64]bool{}
			for _, d := range cb.Descendants(c.ID) {
				ids[d] = true
			}
			ids[c.ID] = true
			in := index.Spans{}
			for id := range ids {
				cs, err := tx.CodingsByCode(id)
				if err != nil {
					return err
				}
				for _, k := range cs {
					in.Add(k.DocID, k.Start, k.End)
				}
			}
			in.Normalize()
			docs, err := tx.Documents(true)
			if err != nil {
				return err
			}
			req.Filter.OnlyTurns = []string{}
			for _, d := range docs {
				for _, t := range d.Turns {
					if in.Overlaps(d.ID, t.Start, t.End) {
						req.Filter.OnlyTurns = append(req.Filter.OnlyTurns, index.TurnID(d.ID, t.Index))
					}
				}
			}
			req.Inside = in
		}
	}
	return nil
}
