package main

import (
	"bufio"
	"bytes"
	"context"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"
)

// exampleSkipMarker marks an example line that needs files the demo project
// does not have (an interview to import, a codebook file): put it in the
// line's trailing comment, as in
//
//	tacit import interviews/ --case "S2 A new career"   # a folder; needs files
//
// README.md's "Tests and benchmarks" section documents it.
const exampleSkipMarker = "needs files"

// example is one `tacit ...` line of the README or of a command's Example.
type example struct {
	where string // README.md:LINE or "tacit CMD --help"
	line  string
}

// readmeExamples returns every line that starts with "tacit " inside a
// code block (fenced, or indented by four spaces) of a Markdown file.
func readmeExamples(t *testing.T, path string) []example {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []example
	in := false
	sc := bufio.NewScanner(bytes.NewReader(b))
	for n := 1; sc.Scan(); n++ {
		raw := sc.Text()
		line := strings.TrimSpace(raw)
		if strings.HasPrefix(line, "```") {
			in = !in
			continue
		}
		indented := strings.HasPrefix(raw, "    ") || strings.HasPrefix(raw, "\t")
		if (in || indented) && strings.HasPrefix(line, "tacit ") {
			out = append(out, example{where: filepath.Base(path) + ":" + strconv.Itoa(n), line: line})
		}
	}
	return out
}

// helpExamples returns every "tacit ..." line of every command's Example.
func helpExamples() []example {
	var out []example
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		for _, l := range strings.Split(c.Example, "\n") {
			l = strings.TrimSpace(l)
			if strings.HasPrefix(l, "tacit ") {
				out = append(out, example{where: c.CommandPath() + " --help", line: l})
			}
		}
		for _, s := range c.Commands() {
			walk(s)
		}
	}
	walk(newRootCmd(&globals{}))
	return out
}

// TestExamplesRun runs every `tacit ...` line of the code blocks of README.md
// and docs/*.md and of every command's --help examples, each on its own fresh copy of the
// project that `tacit demo` builds (working directory = that project, coder
// dana, one of the demo's two coders), and fails on any exit status but 0. Lines whose comment says "needs files"
// are skipped; so are `tacit serve` lines, which do not end by themselves.
func TestExamplesRun(t *testing.T) {
	if testing.Short() {
		t.Skip("runs every example line; skipped with -short")
	}
	if _, err := exec.LookPath("sh"); err != nil {
		t.Skip("no sh to run the example lines")
	}
	bin, err := exec.LookPath("tacit")
	if err != nil {
		t.Fatalf("the tacit test binary is not on PATH (testscript.Main puts it there): %v", err)
	}
	exs := readmeExamples(t, filepath.Join("..", "..", "README.md"))
	docs, _ := filepath.Glob(filepath.Join("..", "..", "docs", "*.md"))
	for _, d := range docs {
		exs = append(exs, readmeExamples(t, d)...)
	}
	exs = append(exs, helpExamples()...)
	if len(exs) < 20 {
		t.Fatalf("found only %d example lines; is the extraction broken?", len(exs))
	}

	base := t.TempDir()
	demo := filepath.Join(base, "demo")
	if out, err := exec.Command(bin, "demo", demo).CombinedOutput(); err != nil {
		t.Fatalf("tacit demo: %v\n%s", err, out)
	}
	seen := map[string]bool{}
	for i, ex := range exs {
		if seen[ex.line] {
			continue
		}
		seen[ex.line] = true
		if strings.Contains(comment(ex.line), exampleSkipMarker) {
			continue
		}
		if f := strings.Fields(ex.line); len(f) > 1 && f[1] == "serve" {
			continue
		}
		t.Run(strconv.Itoa(i), func(t *testing.T) {
			work := filepath.Join(base, "run", strconv.Itoa(i))
			proj := filepath.Join(work, "demo")
			if err := copyDir(demo, proj); err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			defer cancel()
			cmd := exec.CommandContext(ctx, "sh", "-c", ex.line)
			cmd.Dir = proj
			cmd.Env = append(os.Environ(),
				"HOME="+work, "TMPDIR="+work, "TACIT_PROJECT=", "TACIT_CODER=dana")
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Errorf("%s: %s\n  %v\n%s", ex.where, ex.line, err, indentOutput(out))
			}
		})
	}
}

// comment returns the shell comment of a line: the text after the first
// '#' outside quotes that starts a word.
func comment(line string) string {
	var q rune
	prev := ' '
	for i, r := range line {
		switch {
		case q != 0:
			if r == q {
				q = 0
			}
		case r == '\'' || r == '"':
			q = r
		case r == '#' && (prev == ' ' || prev == '\t'):
			return line[i+1:]
		}
		prev = r
	}
	return ""
}

func indentOutput(b []byte) string {
	s := strings.TrimRight(string(b), "\n")
	if len(s) > 2000 {
		s = s[:2000] + " ..."
	}
	return "    " + strings.ReplaceAll(s, "\n", "\n    ")
}

func copyDir(src, dst string) error {
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		to := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(to, 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(to, b, 0o644)
	})
}

func TestComment(t *testing.T) {
	for _, c := range []struct{ line, want string }{
		{`tacit import a.txt   # needs files`, " needs files"},
		{`tacit code add X --color "#2a9d8f"`, ""},
		{`tacit search 'a #b' # x`, " x"},
	} {
		if got := comment(c.line); got != c.want {
			t.Errorf("comment(%q) = %q, want %q", c.line, got, c.want)
		}
	}
}
