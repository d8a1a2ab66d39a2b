package main

import (
	"bytes"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestSmoke runs the whole benchmark at a tiny size: every phase, every
// row, with the SQLite rows when sqlite3 is installed. It asserts that the
// table is complete, never a timing.
func TestSmoke(t *testing.T) {
	if testing.Short() {
		t.Skip("builds tacit and runs the benchmark at a tiny size")
	}
	tmp := t.TempDir()
	self := filepath.Join(tmp, "tacit-bench")
	if out, err := exec.Command("go", "build", "-o", self, ".").CombinedOutput(); err != nil {
		t.Fatalf("build tacit-bench: %v\n%s", err, out)
	}
	o := &options{Docs: 6, Words: 300, Codings: 300, DocsPerCase: 3, Seed: 1, Runs: 2, ReportRuns: 1, SQLite: "sqlite3"}
	var out bytes.Buffer
	done := make(chan error, 1)
	go func() { done <- run(o, &out, self) }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(8 * time.Minute):
		t.Fatal("the benchmark did not finish in 8 minutes")
	}
	table := out.String()
	t.Log("\n" + table)
	rows := []string{"import CPU", "import peak memory", "index size on disk", "store size",
		"search term `crisis`, process", "search phrase, in process", "search by code, in process",
		"report recurrence --json, process", "report matrix --cols case --json, process",
		"report cooccurrence", "agreement 3 coders", "codings --code X", "tag DOC CODE", "show DOC", "serve: search term, HTTP", "serve: tag, HTTP"}
	for _, r := range rows {
		if !strings.Contains(table, "| "+r) {
			t.Errorf("no row %q", r)
		}
	}
	_, err := exec.LookPath("sqlite3")
	if hasFTS := strings.Contains(table, "FTS5 "); hasFTS != (err == nil) {
		t.Errorf("FTS5 rows present %v, sqlite3 on PATH %v", hasFTS, err == nil)
	}
	if err != nil && !strings.Contains(table, "not on PATH") {
		t.Error("without sqlite3 the table does not say why the FTS5 rows are missing")
	}
}
