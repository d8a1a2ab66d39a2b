// Command tacit-bench-report measures the reading commands of tacit on a
// project of the issues' size, as whole processes of the real binary: it
// generates a reproducible project (internal/projgen: 1,000 documents in
// 200 cases, 100 codes, 100,000 codings by 3 coders, 200 documents coded by
// all three), builds the tacit binary once, runs each command -runs times
// after one warm-up run, and prints the minimum, median and maximum wall
// time and the peak memory (max RSS) of the child processes next to the
// issues' targets.
//
// In the same run it exports the codings to CSV, loads them into SQLite
// (sqlite3 on PATH) with the code tree rolled up as a code_ancestors table,
// and times the plain SQL equivalents of the recurrence counts and of the
// codes-by-cases matrix as whole sqlite3 processes: the baseline for what a
// general-purpose engine does with the same data from disk.
//
//	go run ./cmd/tacit-bench-report                 # the issues' size, 5 runs
//	go run ./cmd/tacit-bench-report -runs 9 -keep   # keep the project to look at
//
// The machine may be shared: compare ratios within one run, repeat the run,
// and read the load average printed with the numbers.
package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/tacit-qda/tacit/coding"
	"github.com/tacit-qda/tacit/internal/projgen"
	"github.com/tacit-qda/tacit/project"
	"github.com/tacit-qda/tacit/store"
)

type options struct {
	cfg         projgen.Config
	runs        int
	keep        bool
	tacit       string
	sqlite      string
	agreeCodes  int
	codingsWant int
	only        string
}

func main() {
	o := options{cfg: projgen.Default()}
	flag.Int64Var(&o.cfg.Seed, "seed", o.cfg.Seed, "generator seed")
	flag.IntVar(&o.cfg.Docs, "docs", o.cfg.Docs, "documents")
	flag.IntVar(&o.cfg.DocsPerCase, "docs-per-case", o.cfg.DocsPerCase, "documents per case")
	flag.IntVar(&o.cfg.Words, "words", o.cfg.Words, "words per document")
	flag.IntVar(&o.cfg.Codings, "codings", o.cfg.Codings, "codings in total")
	flag.IntVar(&o.cfg.ReliabilityDocs, "agreement-docs", o.cfg.ReliabilityDocs, "documents coded by every coder (compared by 'tacit agreement')")
	flag.Float64Var(&o.cfg.Agree, "agree", o.cfg.Agree, "probability that a coder applies a reliability passage as the reference does")
	flag.IntVar(&o.agreeCodes, "agreement-codes", 50, "codes compared by the turn-level agreement run")
	flag.IntVar(&o.codingsWant, "code-codings", 1000, "time 'tacit codings --code X' for the code with about this many codings")
	flag.IntVar(&o.runs, "runs", 5, "timed runs per command (after one warm-up run)")
	flag.BoolVar(&o.keep, "keep", false, "keep the temporary folder (project, binary, CSV, SQLite database)")
	flag.StringVar(&o.tacit, "tacit", "", "use this tacit binary instead of building ./cmd/tacit")
	flag.StringVar(&o.sqlite, "sqlite3", "sqlite3", "the sqlite3 command for the baseline")
	flag.StringVar(&o.only, "only", "", "run only the operations whose name contains this text")
	phase := flag.String("phase", "", "internal: run one setup phase in this process (gen, crosscheck)")
	dir := flag.String("dir", "", "internal: the temporary folder")
	flag.Parse()
	if *phase != "" {
		if err := runPhase(*phase, *dir, &o); err != nil {
			fmt.Fprintln(os.Stderr, "tacit-bench-report:", err)
			os.Exit(1)
		}
		return
	}
	if o.runs < 1 {
		fmt.Fprintln(os.Stderr, "tacit-bench-report: -runs must be at least 1")
		os.Exit(2)
	}
	if err := run(&o); err != nil {
		fmt.Fprintln(os.Stderr, "tacit-bench-report:", err)
		os.Exit(1)
	}
}

// op is one measured command.
type op struct {
	name     string
	args     func(run int) []string               // tacit arguments of run (-1: warm-up)
	sqlite   string                               // the SQL baseline, "" when none applies
	targetMS float64                              // 0: no time target
	rssMB    float64                              // 0: no memory target
	target   string                               // the target as written in the table
	check    func(outFile string) (string, error) // reads the warm-up run's output
}

// sample is the measurement of one command.
type sample struct {
	durs   []time.Duration
	maxRSS int64 // KiB
	load   string
}

func (s sample) stat() (lo, med, hi float64) {
	ms := make([]float64, len(s.durs))
	for i, d := range s.durs {
		ms[i] = float64(d) / 1e6
	}
	sort.Float64s(ms)
	n := len(ms)
	med = ms[n/2]
	if n%2 == 0 {
		med = (ms[n/2-1] + ms[n/2]) / 2
	}
	return ms[0], med, ms[n-1]
}

func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}

// plan is what the setup phase tells the measuring process: small, so
// that the measuring process stays small (see runProc).
type plan struct {
	Root      string
	Coders    []string
	Leaves    []string
	RelDocs   int
	CharCode  string
	CharN     int
	BigCode   string
	BigN      int
	TagDoc    string
	TagStart  int
	TagEnd    int
	TagCode   string
	SQLiteDB  string
	SQLiteErr string
}

// runPhase runs a setup step in a child process, so that the memory it
// needs never counts in the measuring process (whose peak RSS Linux
// carries over into the max RSS of every child it starts).
func runPhase(phase, tmp string, o *options) error {
	switch phase {
	case "gen":
		pl, err := setup(tmp, o)
		if err != nil {
			return err
		}
		b, err := json.Marshal(pl)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(tmp, "plan.json"), b, 0o644)
	case "split":
		return split(filepath.Join(tmp, "project"), o.runs)
	case "split1":
		return split1(tmp, o.only)
	case "crosscheck":
		fmt.Println(crossCheck(filepath.Join(tmp, "recurrence.json"), filepath.Join(tmp, "recurrence.csv")))
		return nil
	}
	return fmt.Errorf("unknown phase %q", phase)
}

func setup(tmp string, o *options) (*plan, error) {
	root := filepath.Join(tmp, "project")
	t0 := time.Now()
	res, err := projgen.Generate(root, o.cfg)
	if err != nil {
		return nil, err
	}
	cfg := res.Config
	fmt.Printf("project: %d documents (%.1f MB of text, ~%d words each) in %d cases, %d codes, %d codings by %s; %d documents coded by all (seed %d)\n",
		len(res.Docs), float64(res.TextBytes)/1e6, cfg.Words, len(res.Cases), len(res.Codes), res.Codings,
		strings.Join(cfg.Coders, ","), len(res.ReliabilityDocs), cfg.Seed)
	fmt.Printf("generated in %.1f s; tacit.db %.1f MB\n", time.Since(t0).Seconds(), float64(fileSize(project.DBPath(root)))/1e6)
	pl := &plan{Root: root, Coders: cfg.Coders, Leaves: res.Leaves, RelDocs: len(res.ReliabilityDocs)}
	// The char-level code: the most used leaf, the hardest case.
	for _, c := range res.Leaves {
		if pl.CharCode == "" || res.PerCode[c] > pl.CharN {
			pl.CharCode, pl.CharN = c, res.PerCode[c]
		}
	}
	pl.BigCode, pl.BigN = res.CodeWithCount(o.codingsWant)
	// Tag: the longest turn of a middle document; each run tags a new range
	// in it so that nothing is skipped as a duplicate.
	d := res.Docs[len(res.Docs)/2]
	var tt coding.Turn
	for _, t := range d.Turns {
		if t.End-t.Start > tt.End-tt.Start {
			tt = t
		}
	}
	pl.TagDoc, pl.TagStart, pl.TagEnd, pl.TagCode = d.Name, tt.Start, tt.End, res.Leaves[0]
	db, err := prepareSQLite(o.sqlite, root, tmp)
	if err != nil {
		pl.SQLiteErr = err.Error()
	}
	pl.SQLiteDB = db
	return pl, nil
}

func run(o *options) error {
	tmp, err := os.MkdirTemp("", "tacit-bench-report-")
	if err != nil {
		return err
	}
	if o.keep {
		fmt.Printf("keeping %s\n", tmp)
	} else {
		defer os.RemoveAll(tmp)
	}
	fmt.Printf("load average at start: %s (%d cores)\n", loadavg(), numCPU())
	self, err := os.Executable()
	if err != nil {
		return err
	}
	gen := exec.Command(self, append([]string{"-phase", "gen", "-dir", tmp}, os.Args[1:]...)...)
	gen.Stdout, gen.Stderr = os.Stdout, os.Stderr
	if err := gen.Run(); err != nil {
		return fmt.Errorf("generate the project: %w", err)
	}
	raw, err := os.ReadFile(filepath.Join(tmp, "plan.json"))
	if err != nil {
		return err
	}
	var pl plan
	if err := json.Unmarshal(raw, &pl); err != nil {
		return err
	}
	bin := o.tacit
	if bin == "" {
		if bin, err = buildTacit(tmp); err != nil {
			return err
		}
	}
	_, floor, err := runProc("/bin/true", nil, io.Discard)
	if err != nil {
		return err
	}

	ops := operations(o, &pl)
	samples := map[string]sample{}
	sqlSamples := map[string]sample{}
	var notes []string
	for i, op := range ops {
		if o.only != "" && !strings.Contains(op.name, o.only) {
			continue
		}
		out := filepath.Join(tmp, fmt.Sprintf("out-%d", i))
		s, err := measure(bin, op, o.runs, out)
		if err != nil {
			return fmt.Errorf("%s: %w", op.name, err)
		}
		samples[op.name] = s
		if op.check != nil {
			note, err := op.check(out)
			if err != nil {
				return fmt.Errorf("%s: %w", op.name, err)
			}
			notes = append(notes, op.name+": "+note)
		}
		if op.sqlite != "" && pl.SQLiteDB != "" {
			sqlOut := out + ".csv"
			ss, err := measureSQL(o.sqlite, pl.SQLiteDB, op.sqlite, o.runs, sqlOut)
			if err != nil {
				return fmt.Errorf("%s (sqlite): %w", op.name, err)
			}
			sqlSamples[op.name] = ss
			if op.name == opRecurrence {
				os.Rename(out, filepath.Join(tmp, "recurrence.json"))
				os.Rename(sqlOut, filepath.Join(tmp, "recurrence.csv"))
				cc, err := exec.Command(self, "-phase", "crosscheck", "-dir", tmp).CombinedOutput()
				if err != nil {
					return fmt.Errorf("cross-check: %w: %s", err, cc)
				}
				notes = append(notes, strings.TrimSpace(string(cc)))
			}
		}
	}

	fmt.Printf("\n%d timed runs per command after one warm-up; wall time of the whole process in ms; RSS is the largest max RSS of the runs (floor: /bin/true started by this process shows %.1f MB)\n\n",
		o.runs, float64(floor)/1024)
	fmt.Printf("%-50s %21s %10s %7s %7s %-19s %-7s %s\n", "operation", "tacit min/med/max ms", "sqlite med", "RSS MB", "SQL RSS", "target", "verdict", "load avg")
	for _, op := range ops {
		s, ok := samples[op.name]
		if !ok {
			continue
		}
		lo, med, hi := s.stat()
		sq, sqRSS := "-", "-"
		if ss, ok := sqlSamples[op.name]; ok {
			_, m, _ := ss.stat()
			sq = fmt.Sprintf("%.1f", m)
			sqRSS = fmt.Sprintf("%.1f", float64(ss.maxRSS)/1024)
		} else if op.sqlite != "" {
			sq = "n/a"
		}
		rss := float64(s.maxRSS) / 1024
		verdict := "ok"
		if op.targetMS > 0 && med >= op.targetMS {
			verdict = "MISS"
		}
		if op.rssMB > 0 && rss >= op.rssMB {
			verdict = "MISS"
		}
		if op.targetMS == 0 && op.rssMB == 0 {
			verdict = "-"
		}
		fmt.Printf("%-50s %21s %10s %7.1f %7s %-19s %-7s %s\n", op.name, fmt.Sprintf("%.0f/%.0f/%.0f", lo, med, hi), sq, rss, sqRSS, op.target, verdict, s.load)
	}
	fmt.Println()
	for _, n := range notes {
		fmt.Println(n)
	}
	if pl.SQLiteErr != "" {
		fmt.Printf("SQLite baseline skipped: %s\n", pl.SQLiteErr)
	}
	// Where the time of a report goes: the same steps as the CLI, timed
	// inside one fresh process per report.
	if o.only == "" || strings.Contains(o.only, "report") {
		sp := exec.Command(self, "-phase", "split", "-dir", tmp, "-runs", strconv.Itoa(o.runs))
		sp.Stdout, sp.Stderr = os.Stdout, os.Stderr
		if err := sp.Run(); err != nil {
			return fmt.Errorf("split: %w", err)
		}
	}
	fmt.Printf("load average at end: %s\n", loadavg())
	return nil
}

// split times the steps of each report (open, load the dataset, compute,
// write JSON to /dev/null) in fresh child processes, runs times each, and
// prints the medians. Run as a phase: it is itself a child of the
// measuring process.
func split(root string, runs int) error {
	self, err := os.Executable()
	if err != nil {
		return err
	}
	fmt.Printf("\nwhere a report's time goes (ms, median of %d fresh processes; process start not included, see 'tacit --help' above):\n", runs)
	fmt.Printf("%-14s %8s %8s %8s %8s %8s %9s\n", "report", "open", "dataset", "compute", "json", "total", "heap MB")
	for _, name := range []string{"recurrence", "matrix", "cooccurrence"} {
		var rows [][]float64
		for i := 0; i < runs; i++ {
			out, err := exec.Command(self, "-phase", "split1", "-dir", root, "-only", name).Output()
			if err != nil {
				return fmt.Errorf("split %s: %w", name, err)
			}
			var r []float64
			if err := json.Unmarshal(out, &r); err != nil {
				return fmt.Errorf("split %s: %w", name, err)
			}
			rows = append(rows, r)
		}
		med := make([]float64, len(rows[0]))
		for j := range med {
			col := make([]float64, len(rows))
			for i := range rows {
				col[i] = rows[i][j]
			}
			sort.Float64s(col)
			med[j] = col[len(col)/2]
		}
		fmt.Printf("%-14s %8.1f %8.1f %8.1f %8.1f %8.1f %9.1f\n", name, med[0], med[1], med[2], med[3], med[0]+med[1]+med[2]+med[3], med[4])
	}
	return nil
}

const opRecurrence = "report recurrence --json"

func operations(o *options, pl *plan) []op {
	root := pl.Root
	fixed := func(args ...string) func(int) []string {
		all := append([]string{"-p", root}, args...)
		return func(int) []string { return all }
	}
	nCodes := min(o.agreeCodes, len(pl.Leaves))
	agreeCodes := strings.Join(pl.Leaves[:nCodes], ",")
	coders := pl.Coders
	nRel := pl.RelDocs
	return []op{
		{name: "tacit --help (process start, no project)", args: func(int) []string { return []string{"--help"} }},
		{name: "tacit log --limit 1 --json (open the project)", args: fixed("log", "--limit", "1", "--json")},
		{name: opRecurrence, args: fixed("report", "recurrence", "--json"),
			sqlite:   `SELECT a.ancestor, COUNT(DISTINCT c.case_id) FROM codings c JOIN code_ancestors a ON a.code=c.code GROUP BY a.ancestor;`,
			targetMS: 150, rssMB: 100, target: "< 150 ms, < 100 MB"},
		{name: "report recurrence --json --quotes 0 (no quotes)", args: fixed("report", "recurrence", "--json", "--quotes", "0")},
		{name: "report matrix --cols case --json", args: fixed("report", "matrix", "--cols", "case", "--json"),
			sqlite:   `SELECT a.ancestor, c.case_id, COUNT(*) FROM codings c JOIN code_ancestors a ON a.code=c.code GROUP BY a.ancestor, c.case_id;`,
			targetMS: 200, rssMB: 100, target: "< 200 ms, < 100 MB"},
		{name: "report cooccurrence --unit turn --json", args: fixed("report", "cooccurrence", "--unit", "turn", "--json"),
			rssMB: 100, target: "< 100 MB"},
		{name: fmt.Sprintf("agreement %d coders x %d docs x %d codes, turn", len(coders), nRel, nCodes),
			args:     fixed("agreement", "--coders", strings.Join(coders, ","), "--unit", "turn", "--codes", agreeCodes, "--json"),
			targetMS: 1000, target: "< 1 s", check: agreementCheck(nRel)},
		{name: fmt.Sprintf("agreement 2 coders x %d docs x 1 code, char", nRel),
			args:     fixed("agreement", "--coders", strings.Join(coders[:min(2, len(coders))], ","), "--unit", "char", "--code", pl.CharCode, "--json"),
			targetMS: 2000, target: "< 2 s", check: agreementCheck(nRel)},
		{name: fmt.Sprintf("codings --code X --json (%d codings)", pl.BigN), args: fixed("codings", "--code", pl.BigCode, "--json"),
			targetMS: 100, target: "< 100 ms (well under)"},
		{name: "tag DOC CODE --range S:E (one span)", args: func(run int) []string {
			s := min(pl.TagStart+2*(run+1), pl.TagEnd-1)
			e := min(pl.TagEnd, s+40)
			return []string{"-p", root, "tag", pl.TagDoc, pl.TagCode, "--range", fmt.Sprintf("%d:%d", s, e), "--coder", "bench"}
		}, targetMS: 20, target: "< 20 ms"},
	}
}

func agreementCheck(wantDocs int) func(string) (string, error) {
	return func(path string) (string, error) {
		out, err := os.ReadFile(path)
		if err != nil {
			return "", err
		}
		var r struct {
			Docs   []json.RawMessage `json:"docs"`
			Pooled struct {
				Units  int64    `json:"units"`
				PA     *float64 `json:"percent_agreement"`
				Fleiss *float64 `json:"fleiss_kappa"`
				Alpha  *float64 `json:"krippendorff_alpha"`
				Cohen  *float64 `json:"cohen_kappa"`
			} `json:"pooled"`
		}
		if err := json.Unmarshal(out, &r); err != nil {
			return "", fmt.Errorf("read the agreement JSON: %w", err)
		}
		if len(r.Docs) != wantDocs {
			return "", fmt.Errorf("compared %d documents, want %d", len(r.Docs), wantDocs)
		}
		f := func(p *float64) string {
			if p == nil {
				return "undefined"
			}
			return strconv.FormatFloat(*p, 'f', 3, 64)
		}
		return fmt.Sprintf("%d docs, %d pooled units, percent agreement %s, Fleiss' kappa %s, alpha %s, Cohen's kappa %s",
			len(r.Docs), r.Pooled.Units, f(r.Pooled.PA), f(r.Pooled.Fleiss), f(r.Pooled.Alpha), f(r.Pooled.Cohen)), nil
	}
}

// measure runs the command once to warm the page cache, with its output to
// the file out, then runs times with stdout to /dev/null.
func measure(bin string, op op, runs int, out string) (sample, error) {
	f, err := os.Create(out)
	if err != nil {
		return sample{}, err
	}
	_, _, err = runProc(bin, op.args(-1), f)
	f.Close()
	if err != nil {
		return sample{}, err
	}
	null, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		return sample{}, err
	}
	defer null.Close()
	s := sample{load: loadavg()}
	for i := 0; i < runs; i++ {
		d, rss, err := runProc(bin, op.args(i), null)
		if err != nil {
			return sample{}, err
		}
		s.durs = append(s.durs, d)
		s.maxRSS = max(s.maxRSS, rss)
	}
	return s, nil
}

// runProc runs one process and returns its wall time and max RSS (KiB).
// Linux starts a child's max RSS at the peak RSS of the process that
// started it (exec keeps the larger of the two), so the measuring process
// must stay small: setup runs in child phases.
func runProc(bin string, args []string, stdout io.Writer) (time.Duration, int64, error) {
	cmd := exec.Command(bin, args...)
	cmd.Stdout = stdout
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	start := time.Now()
	if err := cmd.Run(); err != nil {
		return 0, 0, fmt.Errorf("%s %s: %w: %s", filepath.Base(bin), strings.Join(clipArgs(args), " "), err, strings.TrimSpace(stderr.String()))
	}
	d := time.Since(start)
	var rss int64
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		rss = ru.Maxrss
	}
	return d, rss, nil
}

func clipArgs(args []string) []string {
	out := make([]string, len(args))
	for i, a := range args {
		if len(a) > 60 {
			a = a[:57] + "..."
		}
		out[i] = a
	}
	return out
}

func buildTacit(tmp string) (string, error) {
	gomod, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("find the module (go env GOMOD): %w", err)
	}
	dir := filepath.Dir(strings.TrimSpace(string(gomod)))
	if strings.TrimSpace(string(gomod)) == "" || strings.TrimSpace(string(gomod)) == os.DevNull {
		return "", errors.New("run from inside the tacit module, or pass -tacit BINARY")
	}
	bin := filepath.Join(tmp, "tacit")
	cmd := exec.Command("go", "build", "-o", bin, "./cmd/tacit")
	cmd.Dir = dir
	cmd.Stderr = os.Stderr
	t0 := time.Now()
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("go build ./cmd/tacit: %w", err)
	}
	fmt.Printf("built tacit in %.1f s\n", time.Since(t0).Seconds())
	return bin, nil
}

// prepareSQLite exports the codings (id, doc, case, code path, coder, span)
// and the rolled-up code tree (code path, ancestor path: itself and every
// ancestor) to CSV and loads them into a new SQLite database. It returns
// the database path, or an error that says how to get sqlite3.
func prepareSQLite(sqlite, root, tmp string) (string, error) {
	if _, err := exec.LookPath(sqlite); err != nil {
		return "", fmt.Errorf("%s is not on PATH; install it (Debian/Ubuntu: apt-get update && apt-get install -y sqlite3) or pass -sqlite3 PATH; tacit's numbers above are complete without it", sqlite)
	}
	p, err := project.Open(root, project.Options{ReadOnly: true})
	if err != nil {
		return "", err
	}
	defer p.Close()
	codingsCSV := filepath.Join(tmp, "codings.csv")
	ancCSV := filepath.Join(tmp, "code_ancestors.csv")
	err = p.Store.View(func(tx *store.Tx) error {
		cb, err := tx.Codes()
		if err != nil {
			return err
		}
		docs, err := tx.Documents(false)
		if err != nil {
			return err
		}
		caseOf := map[uint64]uint64{}
		for _, d := range docs {
			caseOf[d.ID] = d.CaseID
		}
		var rows [][]string
		if err := tx.Codings(func(c *coding.Coding) error {
			rows = append(rows, []string{u(c.ID), u(c.DocID), u(caseOf[c.DocID]), cb.Path(c.CodeID), c.Coder,
				strconv.Itoa(c.Start), strconv.Itoa(c.End)})
			return nil
		}); err != nil {
			return err
		}
		if err := writeCSVFile(codingsCSV, rows); err != nil {
			return err
		}
		rows = nil
		cb.Walk(func(c *coding.Code, _ int) {
			for id := c.ID; id != 0; {
				rows = append(rows, []string{cb.Path(c.ID), cb.Path(id)})
				a := cb.Code(id)
				if a == nil {
					break
				}
				id = a.ParentID
			}
		})
		return writeCSVFile(ancCSV, rows)
	})
	if err != nil {
		return "", fmt.Errorf("export for SQLite: %w", err)
	}
	db := filepath.Join(tmp, "baseline.sqlite")
	script := fmt.Sprintf(`CREATE TABLE codings(id INTEGER PRIMARY KEY, doc INTEGER, case_id INTEGER, code TEXT, coder TEXT, start INTEGER, "end" INTEGER);
CREATE TABLE code_ancestors(code TEXT, ancestor TEXT);
.mode csv
.import %s codings
.import %s code_ancestors
CREATE INDEX code_ancestors_code ON code_ancestors(code);
ANALYZE;
`, codingsCSV, ancCSV)
	cmd := exec.Command(sqlite, db)
	cmd.Stdin = strings.NewReader(script)
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("load the CSV into SQLite: %w: %s", err, out)
	}
	fmt.Printf("SQLite baseline: %s, database %.1f MB\n", firstLine(sqlite), float64(fileSize(db))/1e6)
	return db, nil
}

func firstLine(sqlite string) string {
	out, err := exec.Command(sqlite, "--version").Output()
	if err != nil {
		return sqlite
	}
	f := strings.Fields(string(out))
	if len(f) == 0 {
		return sqlite
	}
	return "sqlite3 " + f[0]
}

// measureSQL times the query as whole sqlite3 processes after one warm-up
// run, whose CSV output goes to the file out.
func measureSQL(sqlite, db, query string, runs int, out string) (sample, error) {
	args := []string{"-readonly", "-csv", db, query}
	return measure(sqlite, op{args: func(int) []string { return args }}, runs, out)
}

// crossCheck compares tacit's cases per code (recurrence JSON) with
// SQLite's (CSV of ancestor, count).
func crossCheck(jsonFile, csvFile string) string {
	raw, err := os.ReadFile(jsonFile)
	if err != nil {
		return "cross-check failed: " + err.Error()
	}
	sqlOut, err := os.ReadFile(csvFile)
	if err != nil {
		return "cross-check failed: " + err.Error()
	}
	var rep struct {
		Codes []struct {
			Code  string `json:"code"`
			Cases int    `json:"cases"`
		} `json:"codes"`
	}
	if err := json.Unmarshal(raw, &rep); err != nil {
		return "cross-check failed: " + err.Error()
	}
	recs, err := csv.NewReader(bytes.NewReader(sqlOut)).ReadAll()
	if err != nil {
		return "cross-check failed: " + err.Error()
	}
	want := map[string]int{}
	for _, r := range recs {
		if len(r) == 2 {
			n, _ := strconv.Atoi(r[1])
			want[r[0]] = n
		}
	}
	bad := 0
	for _, c := range rep.Codes {
		if want[c.Code] != c.Cases {
			bad++
		}
	}
	if bad > 0 || len(want) != len(rep.Codes) {
		return fmt.Sprintf("cross-check: tacit and SQLite DIFFER on cases per code for %d of %d codes (SQLite has %d)", bad, len(rep.Codes), len(want))
	}
	return fmt.Sprintf("cross-check: tacit's recurrence and SQLite agree on cases per code for all %d codes", len(rep.Codes))
}

func writeCSVFile(path string, rows [][]string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := csv.NewWriter(f)
	if err := w.WriteAll(rows); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func u(v uint64) string { return strconv.FormatUint(v, 10) }

func fileSize(p string) int64 {
	st, err := os.Stat(p)
	if err != nil {
		return 0
	}
	return st.Size()
}

func numCPU() int {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return 0
	}
	return bytes.Count(b, []byte("\nprocessor")) + bytes.Count(b[:min(len(b), 9)], []byte("processor"))
}
