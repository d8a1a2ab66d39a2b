// Command tacit-bench measures tacit against its floors and prints one table.
//
//	go run ./cmd/tacit-bench                  # 1,000 interviews, the issues' size
//	go run ./cmd/tacit-bench -docs 50 -runs 5 # a quick look
//
// It generates a reproducible project (internal/projgen: N interviews in
// cases of 5, a codebook of 100 codes, codings by three coders), builds the
// tacit binary, and measures, all in one run on the same data:
//
//   - import: 'tacit import' of the project's texts as one whole process
//     (CPU, wall time, peak memory) beside bleve with a lean mapping (the
//     standard analyzer with term vectors, nothing stored) indexing the same
//     turns in a process of its own;
//   - sizes: the index and the store beside the size of the text;
//   - search: the median and 95th percentile of a fixed query set (terms,
//     prefix, boolean, phrase, filtered by case, role and code), as whole
//     processes ('tacit search' against 'sqlite3' over an FTS5 table of the
//     same turns, with snippets) and in process (index.Search against FTS5
//     timed by sqlite3's .timer);
//   - reports: 'tacit report recurrence' and 'report matrix' beside the same
//     counts in SQL over the same codings;
//   - tag and show as whole processes, beside process start;
//   - 'tacit serve': the search query set and tags as HTTP requests.
//
// Every row has its ratio to its floor and the target of issue 13. The
// machine may be shared: compare ratios within one run, and read the load
// average printed with the table. Without sqlite3 on PATH the SQLite rows
// say so and the rest is measured.
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"syscall"
	"time"
)

type options struct {
	Docs        int
	Words       int
	Codings     int
	DocsPerCase int
	Seed        int64
	Runs        int
	ReportRuns  int
	ImportRuns  int
	Tacit       string
	SQLite      string
	Keep        bool
	Dir         string
}

func main() {
	var o options
	flag.IntVar(&o.Docs, "docs", 1000, "interviews")
	flag.IntVar(&o.Words, "words", 8000, "words per interview")
	flag.IntVar(&o.Codings, "codings", 0, "codings in total (0: 100 per interview)")
	flag.IntVar(&o.DocsPerCase, "docs-per-case", 5, "interviews per case")
	flag.Int64Var(&o.Seed, "seed", 1, "generator seed")
	flag.IntVar(&o.Runs, "runs", 21, "timed runs per search query and per tag/show (after one warm-up)")
	flag.IntVar(&o.ReportRuns, "report-runs", 5, "timed runs per report")
	flag.IntVar(&o.ImportRuns, "import-runs", 3, "import pairs (lean bleve, then tacit) whose medians the import rows show")
	flag.StringVar(&o.Tacit, "tacit", "", "use this tacit binary instead of building ./cmd/tacit")
	flag.StringVar(&o.SQLite, "sqlite3", "sqlite3", "the sqlite3 command for the FTS5 and SQL floors")
	flag.BoolVar(&o.Keep, "keep", false, "keep the temporary folder")
	phase := flag.String("phase", "", "internal: run one phase in this process (setup, lean, inproc)")
	flag.StringVar(&o.Dir, "dir", "", "internal: the temporary folder")
	flag.Parse()
	if o.Codings == 0 {
		o.Codings = 100 * o.Docs
	}
	if *phase != "" {
		if err := runPhase(*phase, &o); err != nil {
			fmt.Fprintln(os.Stderr, "tacit-bench:", err)
			os.Exit(1)
		}
		return
	}
	if o.Runs < 1 || o.ReportRuns < 1 || o.ImportRuns < 1 || o.Docs < 1 {
		fmt.Fprintln(os.Stderr, "tacit-bench: -docs, -runs, -report-runs and -import-runs must be at least 1")
		os.Exit(2)
	}
	if err := run(&o, os.Stdout, os.Args[0]); err != nil {
		fmt.Fprintln(os.Stderr, "tacit-bench:", err)
		os.Exit(1)
	}
}

// row is one line of the table.
type row struct {
	what   string
	tacit  string
	floor  string
	ratio  float64 // tacit/floor; 0: none
	target string
	met    string // "yes", "no" or ""
}

// bench holds what one run collects.
type bench struct {
	o     *options
	out   io.Writer
	self  string // this binary, for the phases
	bin   string // tacit
	tmp   string
	plan  plan
	rows  []row
	notes []string
}

func run(o *options, out io.Writer, self string) error {
	tmp, err := os.MkdirTemp("", "tacit-bench-")
	if err != nil {
		return err
	}
	if o.Keep {
		fmt.Fprintf(out, "keeping %s\n", tmp)
	} else {
		defer os.RemoveAll(tmp)
	}
	if !filepath.IsAbs(self) {
		if self, err = os.Executable(); err != nil {
			return err
		}
	}
	b := &bench{o: o, out: out, self: self, tmp: tmp}
	load0 := loadavg()
	t0 := time.Now()
	if err := b.phase("setup", os.Stderr); err != nil {
		return fmt.Errorf("generate the project: %w", err)
	}
	raw, err := os.ReadFile(filepath.Join(tmp, "plan.json"))
	if err != nil {
		return err
	}
	if err := json.Unmarshal(raw, &b.plan); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "tacit-bench: generated in %.1f s\n", time.Since(t0).Seconds())
	b.bin = o.Tacit
	if b.bin == "" {
		if b.bin, err = buildTacit(tmp); err != nil {
			return err
		}
	}
	steps := []func() error{b.importRows, b.searchRows, b.inProcessRows, b.reportRows, b.tagShowRows, b.serveRows}
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
	}
	b.print(load0)
	return nil
}

// phase runs this binary as a child in one phase.
func (b *bench) phase(name string, stdout io.Writer) error {
	o := b.o
	cmd := exec.Command(b.self, "-phase", name, "-dir", b.tmp,
		"-docs", fmt.Sprint(o.Docs), "-words", fmt.Sprint(o.Words), "-codings", fmt.Sprint(o.Codings),
		"-docs-per-case", fmt.Sprint(o.DocsPerCase), "-seed", fmt.Sprint(o.Seed), "-runs", fmt.Sprint(o.Runs),
		"-sqlite3", o.SQLite)
	cmd.Stdout, cmd.Stderr = stdout, os.Stderr
	return cmd.Run()
}

func (b *bench) add(r row) { b.rows = append(b.rows, r) }

func (b *bench) print(load0 string) {
	w := b.out
	pl := &b.plan
	fmt.Fprintf(w, "\ncorpus: %d interviews x ~%d words (seed %d), %.1f MB of text, %d turns, %d cases, %d codes, %d codings\n",
		b.o.Docs, b.o.Words, b.o.Seed, float64(pl.TextBytes)/1e6, pl.Turns, pl.Cases, pl.Codes, pl.Codings)
	fmt.Fprintf(w, "machine: %s, %d CPUs, %s; load average %s at start, %s at end\n", cpuModel(), runtime.NumCPU(), runtime.Version(), load0, loadavg())
	if pl.SQLiteVersion != "" {
		fmt.Fprintf(w, "floors: %s; bleve with a lean mapping (standard analyzer, term vectors, nothing stored)\n", pl.SQLiteVersion)
	}
	fmt.Fprintf(w, "search: %d runs per query after one warm-up; reports: %d runs\n\n", b.o.Runs, b.o.ReportRuns)
	fmt.Fprintln(w, "| what | tacit | floor | ratio | target | met |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|")
	for _, r := range b.rows {
		ratio := "-"
		if r.ratio > 0 {
			ratio = fmt.Sprintf("%.2f", r.ratio)
		}
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s |\n", r.what, orDash(r.tacit), orDash(r.floor), ratio, orDash(r.target), orDash(r.met))
	}
	if len(b.notes) > 0 {
		fmt.Fprintln(w)
		for _, n := range b.notes {
			fmt.Fprintln(w, "- "+n)
		}
	}
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// met says whether ratio is within limit.
func met(ratio, limit float64) string {
	if ratio <= 0 {
		return ""
	}
	if ratio <= limit {
		return "yes"
	}
	return "no"
}

// ---- processes ----

// proc is the measurement of one process.
type proc struct {
	wall   time.Duration
	cpu    time.Duration // user + system
	maxRSS int64         // KiB
}

// runProc runs one process and measures it. Linux starts a child's max RSS
// at the peak RSS of the process that started it, so the measuring process
// stays small: setup runs in child phases.
func runProc(bin string, args []string, stdout io.Writer) (proc, error) {
	cmd := exec.Command(bin, args...)
	cmd.Stdout = stdout
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	start := time.Now()
	if err := cmd.Run(); err != nil {
		return proc{}, fmt.Errorf("%s %s: %w: %s", filepath.Base(bin), strings.Join(clip(args), " "), err, strings.TrimSpace(stderr.String()))
	}
	p := proc{wall: time.Since(start)}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		p.maxRSS = ru.Maxrss
		p.cpu = time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	return p, nil
}

// times runs a command once to warm up, then runs times, and returns the
// wall times of the timed runs.
func times(bin string, args func(run int) []string, runs int) ([]time.Duration, error) {
	null, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		return nil, err
	}
	defer null.Close()
	if _, err := runProc(bin, args(-1), null); err != nil {
		return nil, err
	}
	ds := make([]time.Duration, 0, runs)
	for i := 0; i < runs; i++ {
		p, err := runProc(bin, args(i), null)
		if err != nil {
			return nil, err
		}
		ds = append(ds, p.wall)
	}
	return ds, nil
}

func clip(args []string) []string {
	out := make([]string, len(args))
	for i, a := range args {
		if len(a) > 60 {
			a = a[:57] + "..."
		}
		out[i] = a
	}
	return out
}

// median and p95 of durations.
func median(ds []time.Duration) time.Duration { return quantile(ds, 0.5) }
func p95(ds []time.Duration) time.Duration    { return quantile(ds, 0.95) }

func quantile(ds []time.Duration, q float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	if q == 0.5 {
		n := len(s)
		if n%2 == 0 {
			return (s[n/2-1] + s[n/2]) / 2
		}
		return s[n/2]
	}
	i := int(float64(len(s))*q+0.999999) - 1
	return s[max(0, min(i, len(s)-1))]
}

func ms(d time.Duration) string {
	v := float64(d) / 1e6
	switch {
	case v >= 100:
		return fmt.Sprintf("%.0f ms", v)
	case v >= 10:
		return fmt.Sprintf("%.1f ms", v)
	}
	return fmt.Sprintf("%.2f ms", v)
}

func mib(kib int64) string { return fmt.Sprintf("%.0f MiB", float64(kib)/1024) }

func mb(bytes int64) string { return fmt.Sprintf("%.1f MB", float64(bytes)/1e6) }

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

func cpuModel() string {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return runtime.GOARCH
	}
	for _, l := range strings.Split(string(b), "\n") {
		if k, v, ok := strings.Cut(l, ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return runtime.GOARCH
}

func buildTacit(tmp string) (string, error) {
	gomod, err := exec.Command("go", "env", "GOMOD").Output()
	mod := strings.TrimSpace(string(gomod))
	if err != nil || mod == "" || mod == os.DevNull {
		return "", errors.New("run from inside the tacit module, or pass -tacit BINARY")
	}
	bin := filepath.Join(tmp, "tacit")
	cmd := exec.Command("go", "build", "-o", bin, "./cmd/tacit")
	cmd.Dir = filepath.Dir(mod)
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("go build ./cmd/tacit: %w", err)
	}
	return bin, nil
}

// dirSize is the bytes of the files under dir.
func dirSize(dir string) int64 {
	var n int64
	filepath.Walk(dir, func(_ string, fi os.FileInfo, err error) error {
		if err == nil && !fi.IsDir() {
			n += fi.Size()
		}
		return nil
	})
	return n
}

// sysUsage reads the CPU time and max RSS of a finished command.
func sysUsage(cmd *exec.Cmd) (proc, bool) {
	ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	if !ok {
		return proc{}, false
	}
	return proc{cpu: time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), maxRSS: ru.Maxrss}, true
}
