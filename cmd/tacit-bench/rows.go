package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/tacit-qda/tacit/project"
)

// importRows imports the corpus with 'tacit import' (one whole process in
// a fresh project) and indexes the same turns with lean bleve (a process of
// this binary), then compares the sizes on disk with the text.
func (b *bench) importRows() error {
	fmt.Fprintln(os.Stderr, "tacit-bench: import")
	// The two imports take 10-20 s each and the machine is shared: one pair
	// gave ratios from 1.0 to 1.44 within the same hour. Run -import-runs
	// pairs, lean bleve and tacit alternating, and report the medians (CPU,
	// wall and peak memory each) and the median of the pairs' CPU ratios.
	root := filepath.Join(b.tmp, "imported")
	var tps, lps []proc
	var ratios []float64
	for i := 0; i < b.o.ImportRuns; i++ {
		leanDir := filepath.Join(b.tmp, "lean-index")
		if err := os.RemoveAll(leanDir); err != nil {
			return err
		}
		lean := exec.Command(b.self, "-phase", "lean", "-dir", b.tmp)
		var stderr bytes.Buffer
		lean.Stderr = &stderr
		start := time.Now()
		if err := lean.Run(); err != nil {
			return fmt.Errorf("lean bleve: %w: %s", err, stderr.String())
		}
		lp := proc{wall: time.Since(start)}
		if ru, ok := sysUsage(lean); ok {
			lp.cpu, lp.maxRSS = ru.cpu, ru.maxRSS
		}
		if err := os.RemoveAll(root); err != nil {
			return err
		}
		if _, err := runProc(b.bin, []string{"init", root}, io.Discard); err != nil {
			return err
		}
		tp, err := runProc(b.bin, []string{"-p", root, "import", b.plan.Corpus}, io.Discard)
		if err != nil {
			return err
		}
		tps, lps = append(tps, tp), append(lps, lp)
		ratios = append(ratios, float64(tp.cpu)/float64(lp.cpu))
	}
	tp, lp := medianProc(tps), medianProc(lps)
	r := medianF(ratios)
	runs := fmt.Sprintf(" (median of %d alternating pairs)", b.o.ImportRuns)
	b.add(row{what: "import CPU (user+sys, whole process)" + runs, tacit: secs(tp.cpu), floor: "lean bleve " + secs(lp.cpu),
		ratio: r, target: "≤ 1.25", met: met(r, 1.25)})
	b.add(row{what: "import wall time", tacit: secs(tp.wall), floor: "lean bleve " + secs(lp.wall),
		ratio: float64(tp.wall) / float64(lp.wall)})
	peak := "< 250 MiB"
	okPeak := ""
	if b.o.Docs == 1000 {
		okPeak = map[bool]string{true: "yes", false: "no"}[tp.maxRSS < 250*1024]
	} else {
		peak += " (at 1,000)"
	}
	b.add(row{what: "import peak memory (max RSS)", tacit: mib(tp.maxRSS), floor: "lean bleve " + mib(lp.maxRSS),
		ratio: float64(tp.maxRSS) / float64(lp.maxRSS), target: peak, met: okPeak})
	text := b.plan.TextBytes
	idx := dirSize(filepath.Join(root, ".tacit", "index"))
	leanIdx := dirSize(filepath.Join(b.tmp, "lean-index"))
	r = float64(idx) / float64(text)
	b.add(row{what: "index size on disk", tacit: mb(idx), floor: "text " + mb(text), ratio: r, target: "≤ 1.3", met: met(r, 1.3)})
	b.add(row{what: "lean bleve index size", tacit: mb(leanIdx), floor: "text " + mb(text), ratio: float64(leanIdx) / float64(text)})
	db := fileSize(filepath.Join(root, ".tacit", "tacit.db"))
	b.add(row{what: "store size (texts, turns, no codings)", tacit: mb(db), floor: "text " + mb(text), ratio: float64(db) / float64(text)})
	return nil
}

// searchRows times each query of the set as whole processes: 'tacit search
// QUERY --limit 10 --json' and 'sqlite3' with the FTS5 statement.
func (b *bench) searchRows() error {
	fmt.Fprintln(os.Stderr, "tacit-bench: search, whole processes")
	var ratios []float64
	for _, q := range queries(&b.plan) {
		args := append([]string{"-p", b.plan.Root, "search", q.Q, "--limit", "10", "--json"}, q.Flags...)
		ts, err := times(b.bin, func(int) []string { return args }, b.o.Runs)
		if err != nil {
			return err
		}
		r := row{what: "search " + q.Kind + " `" + q.label() + "`, process", tacit: medP95(ts), target: "≤ 1.5"}
		if b.plan.FTS != "" {
			fs, err := times(b.o.SQLite, func(int) []string { return []string{"-readonly", b.plan.FTS, q.ftsSQL()} }, b.o.Runs)
			if err != nil {
				return err
			}
			r.floor = "FTS5 " + medP95(fs)
			r.ratio = float64(median(ts)) / float64(median(fs))
			r.met = met(r.ratio, 1.5)
			ratios = append(ratios, r.ratio)
		}
		b.add(r)
	}
	if len(ratios) > 0 {
		m := medianF(ratios)
		b.add(row{what: "search as a process, median ratio over the set", ratio: m, target: "≤ 1.5", met: met(m, 1.5)})
	} else {
		b.notes = append(b.notes, b.plan.SQLiteErr)
	}
	return nil
}

// inProcessRows times index.Search in a process of this binary and FTS5
// inside one sqlite3 process (its .timer around a statement that runs the
// query 20 times).
func (b *bench) inProcessRows() error {
	fmt.Fprintln(os.Stderr, "tacit-bench: search, in process")
	var out bytes.Buffer
	if err := b.phase("inproc", &out); err != nil {
		return fmt.Errorf("search in process: %w", err)
	}
	var ts map[string][]time.Duration
	if err := json.Unmarshal(out.Bytes(), &ts); err != nil {
		return err
	}
	for _, q := range queries(&b.plan) {
		r := row{what: "search " + q.Kind + ", in process", tacit: medP95(ts[q.Kind]), target: "≤ 1"}
		if b.plan.FTS != "" {
			fs, err := timeFTS(b.o.SQLite, b.plan.FTS, q, b.o.Runs, 20)
			if err != nil {
				return fmt.Errorf("FTS5 %s: %w", q.FTS, err)
			}
			r.floor = "FTS5 " + medP95(fs)
			r.ratio = float64(median(ts[q.Kind])) / float64(median(fs))
			r.met = met(r.ratio, 1)
		}
		b.add(r)
	}
	return nil
}

var runTime = regexp.MustCompile(`Run Time: real ([0-9.]+)`)

// timeFTS runs the query batch times per statement (a correlated subquery
// runs once per row of r), runs statements, and returns the time of one
// execution per statement.
func timeFTS(sqlite, db string, q query, runs, batch int) ([]time.Duration, error) {
	lit := "'" + strings.ReplaceAll(q.FTS, "'", "''") + "'"
	stmt := fmt.Sprintf("WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM r WHERE i < %d) "+
		"SELECT sum((SELECT count(*) FROM (SELECT doc, turn, snippet(turns, 0, '**', '**', '…', 20) AS s FROM turns WHERE turns MATCH %s AND r.i > 0 %s ORDER BY rank LIMIT 10))) FROM r;",
		batch, lit, q.Where)
	var script strings.Builder
	script.WriteString(q.ftsSQL() + "\n") // warm up
	script.WriteString(".timer on\n")
	for i := 0; i < runs; i++ {
		script.WriteString(stmt + "\n")
	}
	cmd := exec.Command(sqlite, "-readonly", db)
	cmd.Stdin = strings.NewReader(script.String())
	outb, err := cmd.CombinedOutput()
	if err != nil {
		return nil, fmt.Errorf("%v: %s", err, outb)
	}
	var ds []time.Duration
	for _, m := range runTime.FindAllSubmatch(outb, -1) {
		sec, err := strconv.ParseFloat(string(m[1]), 64)
		if err != nil {
			return nil, err
		}
		ds = append(ds, time.Duration(sec*1e9/float64(batch)))
	}
	if len(ds) != runs {
		return nil, fmt.Errorf("expected %d timings from sqlite3, got %d: %s", runs, len(ds), outb)
	}
	return ds, nil
}

// reportRows times the recurrence and matrix reports as whole processes
// beside the same counts in SQL, as whole sqlite3 processes.
func (b *bench) reportRows() error {
	fmt.Fprintln(os.Stderr, "tacit-bench: reports")
	for _, rp := range []struct {
		what string
		args []string
		sql  string
	}{
		{"report recurrence --json", []string{"report", "recurrence", "--json"},
			`SELECT a.ancestor, COUNT(DISTINCT c.case_id) FROM codings c JOIN code_ancestors a ON a.code=c.code GROUP BY a.ancestor;`},
		{"report recurrence --json --quotes 0", []string{"report", "recurrence", "--json", "--quotes", "0"},
			`SELECT a.ancestor, COUNT(DISTINCT c.case_id) FROM codings c JOIN code_ancestors a ON a.code=c.code GROUP BY a.ancestor;`},
		{"report matrix --cols case --json", []string{"report", "matrix", "--cols", "case", "--json"},
			`SELECT a.ancestor, c.case_id, COUNT(*) FROM codings c JOIN code_ancestors a ON a.code=c.code GROUP BY a.ancestor, c.case_id;`},
	} {
		args := append([]string{"-p", b.plan.Root}, rp.args...)
		ts, rss, err := timesRSS(b.bin, args, b.o.ReportRuns)
		if err != nil {
			return err
		}
		r := row{what: rp.what + ", process", tacit: fmt.Sprintf("%s, %s", ms(median(ts)), mib(rss)), target: "≤ 1"}
		if b.plan.FTS != "" {
			fs, err := times(b.o.SQLite, func(int) []string { return []string{"-readonly", b.plan.FTS, rp.sql} }, b.o.ReportRuns)
			if err != nil {
				return err
			}
			r.floor = "SQL " + ms(median(fs))
			r.ratio = float64(median(ts)) / float64(median(fs))
			r.met = met(r.ratio, 1)
		}
		b.add(r)
	}
	// The other reading commands, against the targets of their issues.
	pl := &b.plan
	for _, rp := range []struct {
		what   string
		args   []string
		ms, mb float64
		target string
	}{
		{"report cooccurrence --unit turn --json", []string{"report", "cooccurrence", "--unit", "turn", "--json"}, 0, 100, "< 100 MiB"},
		{fmt.Sprintf("agreement %d coders x %d codes, turn", len(pl.Coders), len(pl.AgreeCodes)),
			[]string{"agreement", "--coders", strings.Join(pl.Coders, ","), "--unit", "turn", "--codes", strings.Join(pl.AgreeCodes, ","), "--json"}, 1000, 0, "< 1 s"},
		{"agreement 2 coders x 1 code, char",
			[]string{"agreement", "--coders", strings.Join(pl.Coders[:min(2, len(pl.Coders))], ","), "--unit", "char", "--code", pl.CharCode, "--json"}, 2000, 0, "< 2 s"},
		{fmt.Sprintf("codings --code X --json (%d codings)", pl.BigN), []string{"codings", "--code", pl.BigCode, "--json"}, 100, 0, "< 100 ms"},
	} {
		ts, rss, err := timesRSS(b.bin, append([]string{"-p", pl.Root}, rp.args...), b.o.ReportRuns)
		if err != nil {
			return err
		}
		r := row{what: rp.what + ", process", tacit: fmt.Sprintf("%s, %s", ms(median(ts)), mib(rss)), target: rp.target}
		switch {
		case rp.ms > 0:
			r.met = map[bool]string{true: "yes", false: "no"}[float64(median(ts))/1e6 < rp.ms]
		case rp.mb > 0:
			r.met = map[bool]string{true: "yes", false: "no"}[float64(rss)/1024 < rp.mb]
		}
		b.add(r)
	}
	return nil
}

// tagShowRows times 'tacit tag' (a new range each run) and 'tacit show'
// as whole processes, beside the start of a tacit process ('tacit
// --help').
func (b *bench) tagShowRows() error {
	fmt.Fprintln(os.Stderr, "tacit-bench: tag, show")
	start, err := times(b.bin, func(int) []string { return []string{"--help"} }, b.o.Runs)
	if err != nil {
		return err
	}
	pl := &b.plan
	tag, err := times(b.bin, func(run int) []string {
		s := min(pl.TagStart+2*(run+2), pl.TagEnd-1)
		e := min(pl.TagEnd, s+40)
		return []string{"-p", pl.Root, "tag", pl.TagDoc, pl.TagCode, "--range", fmt.Sprintf("%d:%d", s, e), "--coder", "bench"}
	}, b.o.Runs)
	if err != nil {
		return err
	}
	show, err := times(b.bin, func(int) []string { return []string{"-p", pl.Root, "show", pl.ShowDoc} }, b.o.Runs)
	if err != nil {
		return err
	}
	st := median(start)
	b.add(row{what: "process start (`tacit --help`)", tacit: medP95(start)})
	b.add(row{what: "tag DOC CODE --range S:E, process", tacit: medP95(tag), floor: "start " + ms(st), ratio: float64(median(tag)) / float64(st)})
	b.add(row{what: "show DOC, process", tacit: medP95(show), floor: "start " + ms(st), ratio: float64(median(show)) / float64(st)})
	return nil
}

// timesRSS is times with the largest max RSS of the timed runs.
func timesRSS(bin string, args []string, runs int) ([]time.Duration, int64, error) {
	if _, err := runProc(bin, args, io.Discard); err != nil {
		return nil, 0, err
	}
	var ds []time.Duration
	var rss int64
	for i := 0; i < runs; i++ {
		p, err := runProc(bin, args, io.Discard)
		if err != nil {
			return nil, 0, err
		}
		ds = append(ds, p.wall)
		rss = max(rss, p.maxRSS)
	}
	return ds, rss, nil
}

// medianProc is the median of each measure of a process over runs (wall,
// CPU and peak memory each on its own).
func medianProc(ps []proc) proc {
	var wall, cpu, rss []time.Duration
	for _, p := range ps {
		wall, cpu, rss = append(wall, p.wall), append(cpu, p.cpu), append(rss, time.Duration(p.maxRSS))
	}
	return proc{wall: median(wall), cpu: median(cpu), maxRSS: int64(median(rss))}
}

func medP95(ds []time.Duration) string {
	return fmt.Sprintf("%s (p95 %s)", ms(median(ds)), ms(p95(ds)))
}

func medianF(v []float64) float64 {
	ds := make([]time.Duration, len(v))
	for i, x := range v {
		ds[i] = time.Duration(x * 1e6)
	}
	return float64(median(ds)) / 1e6
}

func secs(d time.Duration) string { return fmt.Sprintf("%.2f s", d.Seconds()) }

func fileSize(p string) int64 {
	st, err := os.Stat(p)
	if err != nil {
		return 0
	}
	return st.Size()
}

// label is the query as a user types it.
func (q query) label() string {
	return strings.TrimSpace(q.Q + " " + strings.Join(q.Flags, " "))
}

// serveRows starts 'tacit serve' on the project and times HTTP requests
// to it with the local token: the search query set (GET /api/search) and
// tags (POST /api/docs/DOC/codings), against the server targets.
func (b *bench) serveRows() error {
	fmt.Fprintln(os.Stderr, "tacit-bench: serve")
	pl := &b.plan
	cmd := exec.Command(b.bin, "-p", pl.Root, "serve", "--addr", "127.0.0.1:0")
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = io.Discard, &stderr
	if err := cmd.Start(); err != nil {
		return err
	}
	defer func() {
		cmd.Process.Signal(os.Interrupt)
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
			<-done
		}
	}()
	var info *project.ServerInfo
	for deadline := time.Now().Add(2 * time.Minute); ; {
		i, err := project.ReadServerInfo(pl.Root)
		if err == nil && i.Token != "" {
			info = i
			break
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("tacit serve did not start: %v %s", err, stderr.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
	client := &http.Client{Timeout: time.Minute}
	call := func(method, path string, body []byte) error {
		req, err := http.NewRequest(method, info.URL+path, bytes.NewReader(body))
		if err != nil {
			return err
		}
		req.Header.Set("Authorization", "Bearer "+info.Token)
		req.Header.Set("X-Tacit-Coder", "bench")
		if body != nil {
			req.Header.Set("Content-Type", "application/json")
		}
		res, err := client.Do(req)
		if err != nil {
			return err
		}
		defer res.Body.Close()
		msg, _ := io.ReadAll(res.Body)
		if res.StatusCode/100 != 2 {
			return fmt.Errorf("%s %s: %s: %s", method, path, res.Status, msg)
		}
		return nil
	}
	timed := func(runs int, fn func(run int) error) ([]time.Duration, error) {
		if err := fn(-1); err != nil {
			return nil, err
		}
		var ds []time.Duration
		for i := 0; i < runs; i++ {
			t0 := time.Now()
			if err := fn(i); err != nil {
				return nil, err
			}
			ds = append(ds, time.Since(t0))
		}
		return ds, nil
	}
	var all []time.Duration
	for _, q := range queries(pl) {
		v := url.Values{"q": {q.Q}, "limit": {"10"}}
		for i := 0; i+1 < len(q.Flags); i += 2 {
			v.Set(map[string]string{"--case": "cases", "--role": "roles", "--code": "codes"}[q.Flags[i]], q.Flags[i+1])
		}
		ds, err := timed(b.o.Runs, func(int) error { return call("GET", "/api/search?"+v.Encode(), nil) })
		if err != nil {
			return err
		}
		all = append(all, ds...)
		b.add(row{what: "serve: search " + q.Kind + ", HTTP", tacit: medP95(ds), target: "p50 < 10 ms",
			met: map[bool]string{true: "yes", false: "no"}[median(ds) < 10*time.Millisecond]})
	}
	b.add(row{what: "serve: search, all kinds, HTTP", tacit: medP95(all), target: "p50 < 10 ms",
		met: map[bool]string{true: "yes", false: "no"}[median(all) < 10*time.Millisecond]})
	ds, err := timed(b.o.Runs, func(run int) error {
		s := min(pl.TagStart+2*(run+b.o.Runs+4), pl.TagEnd-1)
		e := min(pl.TagEnd, s+40)
		body, _ := json.Marshal(map[string]any{"code": pl.TagCode, "start": s, "end": e})
		return call("POST", "/api/docs/"+url.PathEscape(pl.TagDoc)+"/codings", body)
	})
	if err != nil {
		return err
	}
	b.add(row{what: "serve: tag, HTTP", tacit: medP95(ds), target: "p50 < 5 ms",
		met: map[bool]string{true: "yes", false: "no"}[median(ds) < 5*time.Millisecond]})
	return nil
}
