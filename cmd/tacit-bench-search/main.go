// Command tacit-bench-search measures tacit's search latency against SQLite
// FTS5 on the same generated corpus, in the same run, and prints a table:
// query, tacit median, FTS5 median, ratio.
//
// The corpus is generated from a seed (interviews of alternating interviewer
// and interviewee turns, words drawn from a Zipf distribution over a fixed
// vocabulary with the study's theme words at fixed ranks), so a run is
// reproducible. The tacit index is built with tacit's own mapping and
// analyzers (index.Rebuild); the FTS5 table holds the same turns with the
// porter tokenizer, filled by the sqlite3 command-line tool.
//
// Both sides answer the same question: the 10 best turns by BM25, with a
// highlighted fragment of each. tacit is timed in process around
// index.Search (which also counts every hit); FTS5 is timed by sqlite3's
// .timer around a statement that runs the query -batch times, so its
// per-query time has microsecond resolution and excludes process start-up.
//
//	go run ./cmd/tacit-bench-search -dir /tmp/tacit-bench      # 1,000 x 8,000 words
//	go run ./cmd/tacit-bench-search -docs 50 -words 2000        # a quick look
//
// The built corpus is kept in -dir and reused while -docs, -words and -seed
// are unchanged.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/tacit-qda/tacit/coding"
	"github.com/tacit-qda/tacit/index"
)

type config struct {
	Docs  int    `json:"docs"`
	Words int    `json:"words"`
	Seed  uint64 `json:"seed"`
	Gen   int    `json:"generator"`
}

// generatorVersion changes when the generator's output changes.
const generatorVersion = 1

type benchQuery struct {
	kind  string
	tacit string
	fts   string
}

var queries = []benchQuery{
	{"term", "crisis", "crisis"},
	{"term", "overdose", "overdose"},
	{"term (common)", "family", "family"},
	{"boolean", "+family +plan", "family AND plan"},
	{"boolean", "crisis OR overdose", "crisis OR overdose"},
	{"boolean", "respect -disrespect", "respect NOT disrespect"},
	{"phrase", `"turning point"`, `"turning point"`},
	{"phrase", `"whole family"`, `"whole family"`},
	{"phrase", `"social worker"`, `"social worker"`},
}

func main() {
	var cfg config
	var dir, sqlite string
	var runs, batch int
	flag.IntVar(&cfg.Docs, "docs", 1000, "number of interviews")
	flag.IntVar(&cfg.Words, "words", 8000, "words per interview")
	flag.Uint64Var(&cfg.Seed, "seed", 1, "generator seed")
	flag.StringVar(&dir, "dir", filepath.Join(os.TempDir(), "tacit-bench-search"), "folder for the corpus, index and FTS5 database (reused)")
	flag.StringVar(&sqlite, "sqlite", "sqlite3", "the sqlite3 command-line tool")
	flag.IntVar(&runs, "runs", 21, "timed runs per query (the median is reported)")
	flag.IntVar(&batch, "batch", 20, "FTS5 executions per timed statement")
	flag.Parse()
	cfg.Gen = generatorVersion
	if err := run(cfg, dir, sqlite, runs, batch, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "tacit-bench-search:", err)
		os.Exit(1)
	}
}

func run(cfg config, dir, sqlite string, runs, batch int, out io.Writer) error {
	if _, err := exec.LookPath(sqlite); err != nil {
		return fmt.Errorf("%s not found; install it (apt-get install -y sqlite3) or pass -sqlite PATH", sqlite)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	idxDir := filepath.Join(dir, "index")
	dbPath := filepath.Join(dir, "fts.db")
	manifest := filepath.Join(dir, "manifest.json")
	want, _ := json.Marshal(cfg)
	have, _ := os.ReadFile(manifest)
	if string(have) != string(want) {
		os.Remove(manifest)
		t0 := time.Now()
		srcs := generate(cfg)
		nWords, nTurns := 0, 0
		for _, s := range srcs {
			nTurns += len(s.Doc.Turns)
			nWords += len(strings.Fields(s.Text))
		}
		fmt.Fprintf(os.Stderr, "generated %d interviews, %d turns, %d words in %v\n", len(srcs), nTurns, nWords, time.Since(t0).Round(time.Millisecond))
		t0 = time.Now()
		x, err := index.Rebuild(context.Background(), idxDir, 1, func(fn func(index.Source) error) error {
			for _, s := range srcs {
				if err := fn(s); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		x.Close()
		fmt.Fprintf(os.Stderr, "built the tacit index in %v\n", time.Since(t0).Round(time.Millisecond))
		t0 = time.Now()
		if err := buildFTS(sqlite, dir, dbPath, srcs); err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "built the FTS5 table in %v\n", time.Since(t0).Round(time.Millisecond))
		if err := os.WriteFile(manifest, want, 0o644); err != nil {
			return err
		}
	}
	x, err := index.Open(idxDir, index.Options{ReadOnly: true})
	if err != nil {
		return err
	}
	defer x.Close()
	// The index does not store turn texts: read them from the generated
	// corpus (deterministic, so the same as when the index was built).
	docs := map[uint64]string{}
	for _, s := range generate(cfg) {
		docs[s.Doc.ID] = s.Text
	}
	x.SetTextSource(index.MemTexts(docs))
	turns, _ := x.DocCount()

	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(out, "corpus: %d interviews x %d words (seed %d), %d turns; %d runs per query; %s, %d CPUs\n\n",
		cfg.Docs, cfg.Words, cfg.Seed, turns, runs, runtime.Version(), runtime.NumCPU())
	fmt.Fprintln(tw, "kind\tquery\thits\ttacit median\tfts5 median\ttacit/fts5\t")
	for _, q := range queries {
		tm, hits, err := timeTacit(x, q.tacit, runs)
		if err != nil {
			return fmt.Errorf("tacit %s: %w", q.tacit, err)
		}
		fm, err := timeFTS(sqlite, dbPath, q.fts, runs, batch)
		if err != nil {
			return fmt.Errorf("fts5 %s: %w", q.fts, err)
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\t%.2f\t\n", q.kind, q.tacit, hits, ms(tm), ms(fm), float64(tm)/float64(fm))
	}
	return tw.Flush()
}

func ms(d time.Duration) string { return fmt.Sprintf("%.3f ms", float64(d)/1e6) }

func median(ds []time.Duration) time.Duration {
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	return ds[len(ds)/2]
}

// timeTacit runs a query through index.Search (10 hits with fragments and
// code-point offsets, plus the total) and returns the median latency.
func timeTacit(x *index.Index, q string, runs int) (time.Duration, int, error) {
	req := index.Request{Query: q, Limit: 10}
	ctx := context.Background()
	var hits int
	for i := 0; i < 3; i++ { // warm up
		res, err := x.Search(ctx, req)
		if err != nil {
			return 0, 0, err
		}
		hits = res.Total
	}
	ds := make([]time.Duration, runs)
	for i := range ds {
		t0 := time.Now()
		if _, err := x.Search(ctx, req); err != nil {
			return 0, 0, err
		}
		ds[i] = time.Since(t0)
	}
	return median(ds), hits, nil
}

var runTime = regexp.MustCompile(`Run Time: real ([0-9.]+)`)

// timeFTS runs the query batch times per statement, runs statements, and
// returns the median time of one execution. Each execution returns the 10
// best rows by bm25 with a highlighted snippet.
func timeFTS(sqlite, db, q string, runs, batch int) (time.Duration, error) {
	lit := "'" + strings.ReplaceAll(q, "'", "''") + "'"
	one := fmt.Sprintf("SELECT doc, turn, snippet(turns, 0, '**', '**', '…', 20) FROM turns WHERE turns MATCH %s ORDER BY rank LIMIT 10", lit)
	// A correlated subquery (it mentions r.i) runs once per row of r.
	stmt := fmt.Sprintf("WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM r WHERE i < %d) "+
		"SELECT sum((SELECT count(*) FROM (SELECT doc, turn, snippet(turns, 0, '**', '**', '…', 20) AS s FROM turns WHERE turns MATCH %s AND r.i > 0 ORDER BY rank LIMIT 10))) FROM r;", batch, lit)
	var script strings.Builder
	script.WriteString(one + ";\n") // warm up
	script.WriteString(".timer on\n")
	for i := 0; i < runs; i++ {
		script.WriteString(stmt + "\n")
	}
	cmd := exec.Command(sqlite, "-readonly", db)
	cmd.Stdin = strings.NewReader(script.String())
	outb, err := cmd.CombinedOutput()
	if err != nil {
		return 0, fmt.Errorf("%v: %s", err, outb)
	}
	var ds []time.Duration
	for _, m := range runTime.FindAllSubmatch(outb, -1) {
		sec, err := strconv.ParseFloat(string(m[1]), 64)
		if err != nil {
			return 0, err
		}
		ds = append(ds, time.Duration(sec*1e9/float64(batch)))
	}
	if len(ds) != runs {
		return 0, fmt.Errorf("expected %d timings from sqlite3, got %d: %s", runs, len(ds), outb)
	}
	return median(ds), nil
}

// buildFTS loads the turns into an FTS5 table with the porter tokenizer.
func buildFTS(sqlite, dir, db string, srcs []index.Source) error {
	os.Remove(db)
	tsv := filepath.Join(dir, "turns.tsv")
	f, err := os.Create(tsv)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	for _, s := range srcs {
		off := coding.NewOffsets(s.Text)
		for _, t := range s.Doc.Turns {
			fmt.Fprintf(w, "%s\t%d\t%s\t%s\n", off.Slice(t.Start, t.End), s.Doc.ID, strconv.Itoa(t.Index), t.Speaker)
		}
	}
	if err := w.Flush(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	script := fmt.Sprintf(`CREATE VIRTUAL TABLE turns USING fts5(text, doc UNINDEXED, turn UNINDEXED, speaker UNINDEXED, tokenize='porter unicode61');
.mode tabs
.import %s turns
INSERT INTO turns(turns) VALUES('optimize');
`, tsv)
	cmd := exec.Command(sqlite, db)
	cmd.Stdin = strings.NewReader(script)
	if out, err := cmd.CombinedOutput(); err != nil || len(out) > 0 {
		return fmt.Errorf("sqlite3: %v %s", err, out)
	}
	return os.Remove(tsv)
}

// ---- generator ----

var common = strings.Fields(`the and to a of i it was that in he you we they my me she her
his with for but so not on what at when there all because be had have like just
know then this one were about them from him would out if no up could did said do
there's time really very think yes people said more can get went after day always
home how us thing much work things go way well also want told help even back came
our good started first something years now never again made took every year felt
talk money mother father son daughter children school house police hospital court
meeting office week months letter phone car job told asked called trust listen talk`)

var theme = strings.Fields(`family plan crisis worker social respect whole turning point
overdose treatment relationship support change partner services lever welfare officer
probation employment coordinator dignity disrespect therapy rehab housing benefits debt`)

// vocabulary returns the word list, most frequent first: common words,
// theme words spread among the first few hundred ranks, then generated
// words from syllables.
func vocabulary(r *rand.Rand) []string {
	syll := strings.Fields("ba be bi bo bu ca co da de di do fa fe fi ga go ha he ka ke ki ko la le li lo lu ma me mi mo na ne ni no pa pe pi po ra re ri ro sa se si so ta te ti to va ve vi wa we ya yo za")
	seen := map[string]bool{}
	var v []string
	add := func(w string) {
		if !seen[w] {
			seen[w] = true
			v = append(v, w)
		}
	}
	for _, w := range common {
		add(w)
	}
	for len(v) < 20000 {
		n := 2 + r.IntN(3)
		var b strings.Builder
		for i := 0; i < n; i++ {
			b.WriteString(syll[r.IntN(len(syll))])
		}
		if r.IntN(3) == 0 {
			b.WriteString([]string{"s", "ed", "ing", "er", "ly"}[r.IntN(5)])
		}
		add(b.String())
	}
	// Theme words at ranks 60, 75, 90, ...
	out := make([]string, 0, len(v)+len(theme))
	ti := 0
	for i, w := range v {
		if i >= 60 && (i-60)%15 == 0 && ti < len(theme) {
			out = append(out, theme[ti])
			ti++
		}
		out = append(out, w)
	}
	return out
}

// generate returns cfg.Docs interviews of about cfg.Words words each, two
// interviews per case (client and staff).
func generate(cfg config) []index.Source {
	r := rand.New(rand.NewPCG(cfg.Seed, 0x7ac17))
	vocab := vocabulary(r)
	zipf := rand.NewZipf(r, 1.07, 2, uint64(len(vocab)-1))
	phrases := []string{"turning point", "whole family", "social worker", "family plan", "crisis was a lever"}
	sentence := func(n int) string {
		ws := make([]string, 0, n+4)
		for i := 0; i < n; i++ {
			if r.IntN(400) == 0 {
				ws = append(ws, phrases[r.IntN(len(phrases))])
				continue
			}
			ws = append(ws, vocab[zipf.Uint64()])
		}
		s := strings.Join(ws, " ")
		return strings.ToUpper(s[:1]) + s[1:] + []string{".", ".", ".", "?", "!"}[r.IntN(5)]
	}
	names := []string{"Dana", "Moshe", "Ruth", "Yossi", "Miriam", "Avi", "Noa", "Eli", "Sara", "David"}
	var out []index.Source
	for d := 0; d < cfg.Docs; d++ {
		speaker := names[r.IntN(len(names))]
		role := "client"
		if d%2 == 1 {
			role = "staff"
		}
		var b strings.Builder
		doc := &coding.Document{ID: uint64(d + 1), Name: fmt.Sprintf("interview-%04d", d+1), Lang: "en",
			Attrs: map[string]string{"role": role}}
		words := 0
		for i := 0; words < cfg.Words; i++ {
			who, n := "Interviewer", 1+r.IntN(2)
			if i%2 == 1 {
				who, n = speaker, 2+r.IntN(8)
			}
			b.WriteString(who + ": ")
			start := coding.RuneLen(b.String())
			var sents []string
			for k := 0; k < n; k++ {
				m := 6 + r.IntN(14)
				sents = append(sents, sentence(m))
				words += m
			}
			text := strings.Join(sents, " ")
			b.WriteString(text)
			doc.Turns = append(doc.Turns, coding.Turn{Index: i, Speaker: who, Start: start, End: start + coding.RuneLen(text)})
			b.WriteString("\n")
		}
		roles := coding.RoleMap{Project: map[string]string{"interviewer": "interviewer"}}
		out = append(out, index.Source{Doc: doc, Case: fmt.Sprintf("S%d", d/2+1), Text: b.String(), Roles: roles, Lang: "en"})
	}
	return out
}
