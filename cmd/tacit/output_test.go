package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/tacit-qda/tacit/project"
)

// listingCommand is one command that prints a list or a table, and how to
// count the items of its JSON (nil: a report, whose CSV rows are not one
// per item).
type listingCommand struct {
	args  []string
	items func(v any) int
}

// topLevel counts the items of a JSON array; field counts those of one
// field of an object (several: their sum).
func topLevel(v any) int { return len(v.([]any)) }
func field(names ...string) func(v any) int {
	return func(v any) int {
		n := 0
		for _, name := range names {
			if a, ok := v.(map[string]any)[name].([]any); ok {
				n += len(a)
			}
		}
		return n
	}
}

// listingCommands are every command with the output scheme; a command that
// registers --format must be here or in notListings
// (TestEveryListingHasTheOutputScheme).
var listingCommands = []listingCommand{
	{[]string{"docs"}, topLevel},
	{[]string{"cases"}, topLevel},
	{[]string{"attr", "list"}, topLevel},
	{[]string{"attr", "list", "client-moshe"}, topLevel},
	{[]string{"code", "list"}, topLevel},
	{[]string{"speaker", "list"}, topLevel},
	{[]string{"memo", "list"}, topLevel},
	{[]string{"codings"}, topLevel},
	{[]string{"codings", "--code", "Principles", "--role", "client"}, topLevel},
	{[]string{"log", "--limit", "0"}, topLevel},
	{[]string{"orphans"}, field("orphans", "changed")},
	{[]string{"user", "list"}, topLevel},
	{[]string{"search", "crisis", "--limit", "0"}, field("hits")},
	{[]string{"search", "crisis", "--count-by", "case"}, func(v any) int { return len(v.(map[string]any)["counts"].(map[string]any)) }},
	{[]string{"words", "--top", "20"}, field("words")},
	{[]string{"words", "--role", "client", "--compare-to", "all"}, field("keywords")},
	{[]string{"report", "recurrence"}, nil},
	{[]string{"report", "matrix"}, nil},
	{[]string{"report", "cooccurrence"}, nil},
	{[]string{"report", "codebook"}, nil},
	{[]string{"agreement", "--coders", "dana,yossi"}, nil},
	{[]string{"autocode", "Principles/Crisis as a lever for change", "--query", "crisis", "--dry-run"}, field("codings")},
}

// notListings have a --format of another kind (an input format, a file to
// exchange, a book).
var notListings = map[string]bool{
	"tacit import": true, "tacit replace": true, "tacit codebook export": true, "tacit codebook import": true,
	"tacit export codings": true, "tacit report book": true, "tacit report story": true,
}

func demoProject(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "demo")
	var out, errb bytes.Buffer
	if code := run([]string{"demo", dir}, &out, &errb); code != 0 {
		t.Fatalf("tacit demo: exit %d: %s", code, errb.String())
	}
	return dir
}

var mdSeparator = regexp.MustCompile(`(?m)^\|( *:?-{3,}:? *\|)+ *$`)

// checkFormat fails when out does not parse as format, and returns the
// number of data rows (CSV) or items (JSON, by items), -1 when not counted.
func checkFormat(t *testing.T, what, format string, out []byte, items func(any) int) int {
	t.Helper()
	switch format {
	case fmtJSON:
		var v any
		if err := json.Unmarshal(out, &v); err != nil {
			t.Fatalf("%s: not JSON: %v\n%s", what, err, clipOut(out))
		}
		if items != nil {
			return items(v)
		}
	case fmtCSV:
		if bytes.HasPrefix(out, []byte("\xef\xbb\xbf")) {
			t.Fatalf("%s: the CSV starts with a BOM", what)
		}
		r := csv.NewReader(bytes.NewReader(out))
		r.FieldsPerRecord = -1
		recs, err := r.ReadAll()
		if err != nil {
			t.Fatalf("%s: not CSV: %v\n%s", what, err, clipOut(out))
		}
		if len(recs) == 0 {
			t.Fatalf("%s: CSV without a header row", what)
		}
		for i, rec := range recs {
			if len(rec) != len(recs[0]) && items != nil {
				t.Fatalf("%s: CSV row %d has %d fields, the header %d", what, i, len(rec), len(recs[0]))
			}
		}
		return len(recs) - 1
	case fmtMD:
		if !mdSeparator.Match(out) {
			t.Fatalf("%s: Markdown without a table header separator\n%s", what, clipOut(out))
		}
	case fmtHTML:
		if err := htmlWellFormed(string(out)); err != nil {
			t.Fatalf("%s: HTML: %v\n%s", what, err, clipOut(out))
		}
	case fmtTable:
		if len(bytes.TrimSpace(out)) == 0 {
			t.Fatalf("%s: empty table output", what)
		}
	}
	return -1
}

func clipOut(b []byte) string {
	if len(b) > 2000 {
		return string(b[:2000]) + "…"
	}
	return string(b)
}

var (
	htmlTag  = regexp.MustCompile(`<(/?)([a-zA-Z][a-zA-Z0-9-]*)([^<>]*?)(/?)>`)
	htmlVoid = map[string]bool{"meta": true, "br": true, "img": true, "hr": true, "input": true, "link": true, "col": true, "wbr": true}
)

// htmlWellFormed checks an HTML page well enough: one doctype, every
// element closed in order, no raw '<' in text or '<script'.
func htmlWellFormed(s string) error {
	if !strings.HasPrefix(strings.ToLower(s), "<!doctype html>") {
		return fmt.Errorf("no <!doctype html> first")
	}
	if strings.Contains(strings.ToLower(s), "<script") {
		return fmt.Errorf("a script element")
	}
	body := s[len("<!doctype html>"):]
	// style elements hold CSS, not markup.
	body = regexp.MustCompile(`(?s)<style>.*?</style>`).ReplaceAllString(body, "<style></style>")
	var stack []string
	last := 0
	for _, m := range htmlTag.FindAllStringSubmatchIndex(body, -1) {
		if text := body[last:m[0]]; strings.ContainsAny(text, "<>") {
			return fmt.Errorf("a raw < or > in text %q", clipOut([]byte(text)))
		}
		last = m[1]
		closing, name, self := body[m[2]:m[3]] == "/", strings.ToLower(body[m[4]:m[5]]), body[m[8]:m[9]] == "/"
		switch {
		case self || htmlVoid[name]:
		case closing:
			if len(stack) == 0 || stack[len(stack)-1] != name {
				return fmt.Errorf("</%s> closes %v", name, stack)
			}
			stack = stack[:len(stack)-1]
		default:
			stack = append(stack, name)
		}
	}
	if len(stack) > 0 {
		return fmt.Errorf("elements left open: %v", stack)
	}
	return nil
}

// TestListingFormats runs every listing command in every format, with the
// shorthands and with -o and each extension, on the demo project.
func TestListingFormats(t *testing.T) {
	dir := demoProject(t)
	outDir := t.TempDir()
	// An account, and an orphaned and a changed coding, so that 'user list'
	// and 'orphans' list something.
	p, err := project.Open(dir, project.Options{Actor: "dana"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = p.AddUser(project.AddUserRequest{Name: "dana", Password: "correct horse battery", Admin: true})
	p.Close()
	if err != nil {
		t.Fatal(err)
	}
	ana := filepath.Join(outDir, "ana.txt")
	os.WriteFile(ana, []byte("Interviewer: Hello there.\nAna: I remember the crisis well, and the long road after it.\n"), 0o644)
	mustRun(t, dir, "import", ana)
	mustRun(t, dir, "tag", "ana", "Context", "--quote", "the crisis")
	mustRun(t, dir, "tag", "ana", "Context/Barriers", "--quote", "remember the crisis well")
	os.WriteFile(ana, []byte("Interviewer: Hello there.\nAna: I remember well, and the long road after it.\n"), 0o644)
	mustRun(t, dir, "replace", "ana", ana)
	os.Remove(ana)
	for _, lc := range listingCommands {
		name := strings.Join(lc.args, " ")
		t.Run(name, func(t *testing.T) {
			got := map[string][]byte{}
			for _, f := range []string{fmtTable, fmtJSON, fmtCSV, fmtMD, fmtHTML} {
				out, errs, code := tacitRun(t, dir, append(lc.args, "--format", f)...)
				if code != 0 {
					t.Fatalf("%s --format %s: exit %d: %s", name, f, code, errs)
				}
				got[f] = []byte(out)
				checkFormat(t, name+" --format "+f, f, got[f], lc.items)
			}
			if lc.items != nil {
				var v any
				json.Unmarshal(got[fmtJSON], &v)
				n := lc.items(v)
				rows := checkFormat(t, name, fmtCSV, got[fmtCSV], nil)
				if rows != n {
					t.Errorf("%s: %d CSV rows but %d JSON items", name, rows, n)
				}
				if n == 0 {
					t.Errorf("%s lists nothing on the demo project: the test checks too little", name)
				}
			}
			// The shorthands print what --format prints, and the default is
			// the table.
			for flag, f := range map[string]string{"--json": fmtJSON, "--csv": fmtCSV} {
				out := mustRun(t, dir, append(lc.args, flag)...)
				if out != string(got[f]) {
					t.Errorf("%s %s differs from --format %s", name, flag, f)
				}
			}
			if out := mustRun(t, dir, lc.args...); out != string(got[fmtTable]) {
				t.Errorf("%s differs from --format table", name)
			}
			// -o FILE takes the format from the extension and writes what
			// stdout would have shown.
			for ext, f := range map[string]string{".json": fmtJSON, ".csv": fmtCSV, ".md": fmtMD, ".html": fmtHTML, ".txt": fmtTable} {
				path := filepath.Join(outDir, strings.NewReplacer(" ", "_", "/", "_").Replace(name)+ext)
				out, errs, code := tacitRun(t, dir, append(lc.args, "-o", path)...)
				if code != 0 || out != "" {
					t.Fatalf("%s -o %s: exit %d, stdout %q: %s", name, path, code, out, errs)
				}
				if !strings.Contains(errs, "wrote "+path+" ("+f+")") {
					t.Errorf("%s -o %s: stderr %q does not say what it wrote", name, path, errs)
				}
				b, err := os.ReadFile(path)
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(b, got[f]) {
					t.Errorf("%s -o %s: the file differs from --format %s on stdout", name, path, f)
				}
				if st, _ := os.Stat(path); st.Mode().Perm() != 0o644 {
					t.Errorf("%s -o %s: mode %v, want 0644", name, path, st.Mode().Perm())
				}
			}
		})
	}
}

// TestOutputContradictions: flags naming two formats, an unknown format and
// an output file inside the project's .tacit folder are usage errors that
// write nothing.
func TestOutputContradictions(t *testing.T) {
	dir := demoProject(t)
	out := t.TempDir()
	for _, args := range [][]string{
		{"docs", "--format", "csv", "-o", filepath.Join(out, "x.json")},
		{"docs", "--json", "--csv"},
		{"docs", "--json", "--format", "md"},
		{"docs", "--csv", "-o", filepath.Join(out, "x.html")},
		{"report", "matrix", "--csv", "--format", "json"},
		{"codings", "--format", "xml"},
		{"docs", "-o", filepath.Join(out, "x.xlsx")},
		{"codebook", "export", "--format", "yaml", "-o", filepath.Join(out, "cb.json")},
		{"search", "crisis", "--format", "pdf"},
		{"docs", "-o", filepath.Join(dir, ".tacit", "tacit.db")},
		{"report", "recurrence", "-o", filepath.Join(dir, ".tacit", "report.html")},
	} {
		stdout, errs, code := tacitRun(t, dir, args...)
		if code != exitUsage || stdout != "" {
			t.Errorf("%v: exit %d, stdout %q; want a usage error (%d)", args, code, stdout, exitUsage)
		}
		if strings.Count(strings.TrimSpace(errs), "\n") != 0 {
			t.Errorf("%v: the error is not one line: %q", args, errs)
		}
	}
	entries, _ := os.ReadDir(out)
	if len(entries) != 0 {
		t.Errorf("a refused command wrote %v", entries)
	}
	if _, err := os.Stat(filepath.Join(dir, ".tacit", "report.html")); err == nil {
		t.Errorf("wrote a report into .tacit")
	}
	// The database is still the project's.
	mustRun(t, dir, "docs")
}

// TestEveryListingHasTheOutputScheme: every command that registers
// --format (other than input formats and exchange files) has -o, --csv and
// a shorthand -f, and is run by TestListingFormats.
func TestEveryListingHasTheOutputScheme(t *testing.T) {
	root := newRootCmd(&globals{})
	tested := map[string]bool{}
	for _, lc := range listingCommands {
		c, _, err := root.Find(lc.args)
		if err != nil || c.Flags().Lookup("format") == nil {
			t.Errorf("%v is listed but has no --format", lc.args)
			continue
		}
		tested[c.CommandPath()] = true
	}
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		for _, s := range c.Commands() {
			walk(s)
		}
		if c.Flags().Lookup("format") == nil || notListings[c.CommandPath()] {
			return
		}
		for _, name := range []string{"output", "csv"} {
			if c.Flags().Lookup(name) == nil {
				t.Errorf("%s has --format but no --%s", c.CommandPath(), name)
			}
		}
		if f := c.Flags().Lookup("format"); f.Shorthand != "f" {
			t.Errorf("%s: --format has no -f", c.CommandPath())
		}
		if f := c.Flags().Lookup("output"); f != nil && f.Shorthand != "o" {
			t.Errorf("%s: --output has no -o", c.CommandPath())
		}
		if !tested[c.CommandPath()] {
			t.Errorf("%s has the output scheme but TestListingFormats does not run it", c.CommandPath())
		}
	}
	walk(root)
}

// TestCSVSafe: cells a spreadsheet would run as formulas get an
// apostrophe; numbers do not.
func TestCSVSafe(t *testing.T) {
	for in, want := range map[string]string{
		"=SUM(A1:A9)": "'=SUM(A1:A9)", "+1 555": "'+1 555", "-cmd": "'-cmd", "@x": "'@x", "\tx": "'\tx",
		"-3": "-3", "+0.5": "+0.5", "-": "-", "": "", "plain": "plain", "a=b": "a=b",
	} {
		if got := csvSafe(in); got != want {
			t.Errorf("csvSafe(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestMarkdownTableEscapes: a pipe, a backslash, HTML and a line break in a
// cell stay inside it.
func TestMarkdownTableEscapes(t *testing.T) {
	var b bytes.Buffer
	writeMarkdownTable(&b, []string{"a|b", "c"}, [][]string{{`x|y\z`, "<b>1\n2</b>"}})
	want := "| a\\|b | c |\n| --- | --- |\n| x\\|y\\\\z | &lt;b&gt;1<br>2&lt;/b&gt; |\n"
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
}
