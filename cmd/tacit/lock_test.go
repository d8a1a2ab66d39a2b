package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tacit-qda/tacit/project"
)

// TestSecondProcessGetsInUse holds the project open, as a running import
// would, and checks that commands fail with exit code 3 and "project in
// use" within two seconds instead of hanging.
func TestSecondProcessGetsInUse(t *testing.T) {
	dir := t.TempDir()
	if err := project.Init(dir, "en"); err != nil {
		t.Fatal(err)
	}
	f := filepath.Join(t.TempDir(), "a.txt")
	os.WriteFile(f, []byte("Ann: hello there\nBob: hi\n"), 0o644)
	holder, err := project.Open(dir, project.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Close()
	for _, args := range [][]string{{"import", f}, {"docs"}, {"reindex"}} {
		var out, errb bytes.Buffer
		start := time.Now()
		code := run(append([]string{"-p", dir}, args...), &out, &errb)
		if code != exitInUse {
			t.Errorf("%v: exit %d, want %d; stderr %q", args, code, exitInUse, errb.String())
		}
		if !strings.Contains(errb.String(), "project in use") {
			t.Errorf("%v: stderr %q lacks 'project in use'", args, errb.String())
		}
		if strings.Count(strings.TrimSpace(errb.String()), "\n") != 0 {
			t.Errorf("%v: error is not one line: %q", args, errb.String())
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("%v: took %v", args, d)
		}
	}
}

// TestUsageExitCodes checks that mistakes in the command line exit 2 with
// one line on stderr and no usage dump.
func TestUsageExitCodes(t *testing.T) {
	for _, args := range [][]string{{"frobnicate"}, {"report", "nope"}, {"docs", "--nope"}, {"show"}, {"code", "nope"},
		{"export", "project", "-o", "study.qdpx"}, {"export", "qdpx", "study.json"}, {"export", "qdc", "book.csv"}, {"export", "qdpx"}} {
		var out, errb bytes.Buffer
		if code := run(args, &out, &errb); code != exitUsage {
			t.Errorf("%v: exit %d, want %d (stderr %q)", args, code, exitUsage, errb.String())
		}
		if strings.Contains(errb.String(), "Usage:") || strings.Count(strings.TrimSpace(errb.String()), "\n") != 0 {
			t.Errorf("%v: stderr is not one line: %q", args, errb.String())
		}
	}
}

// TestEveryCommandIsGrouped keeps the help listing ordered: a new command
// must be placed in one of commandGroups.
func TestEveryCommandIsGrouped(t *testing.T) {
	root := newRootCmd(&globals{})
	for _, c := range root.Commands() {
		if c.GroupID == "" && c.Name() != "help" && c.Name() != "completion" {
			t.Errorf("command %q is in no group; add it to commandGroups in main.go", c.Name())
		}
	}
}
