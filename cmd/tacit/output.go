package main

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/tacit-qda/tacit/coding/report"
	"github.com/tacit-qda/tacit/project"
)

// The one output scheme of every command that prints a list or a table:
//
//	--format table|json|csv|md|html   (-f)
//	-o FILE                           the format follows FILE's extension
//	--json, --csv                     shorthands for --format json|csv
//
// A command registers the flags with addOutput and prints with
// output.list (a plain listing: columns, rows and the JSON value) or
// output.emit (a report that renders every format itself).

// Output formats (the same names as the reports').
const (
	fmtTable = report.FormatTable
	fmtJSON  = report.FormatJSON
	fmtCSV   = report.FormatCSV
	fmtMD    = report.FormatMD
	fmtHTML  = report.FormatHTML
)

// output holds the output flags of one command.
type output struct {
	format string
	out    string
	csv    bool
}

// addOutput registers --format/-f, --output/-o and --csv on cmd (--json is
// the root's persistent flag). A shorthand the command already uses is
// left out.
func addOutput(cmd *cobra.Command, o *output) {
	f := cmd.Flags()
	short := func(s string) string {
		if f.ShorthandLookup(s) != nil {
			return ""
		}
		return s
	}
	f.StringVarP(&o.format, "format", short("f"), "", "output format: table, json, csv, md or html (default: from -o's extension, else table)")
	f.StringVarP(&o.out, "output", short("o"), "", "write to this file instead of stdout (whole or not at all; the format follows its extension)")
	f.BoolVar(&o.csv, "csv", false, "same as --format csv: RFC 4180, a header row, UTF-8 without a BOM")
}

// formatOfExt is the format an output file's extension names, or "".
func formatOfExt(path string) string {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".json":
		return fmtJSON
	case ".csv":
		return fmtCSV
	case ".md", ".markdown":
		return fmtMD
	case ".html", ".htm":
		return fmtHTML
	}
	return ""
}

// parseFormat checks a --format value ("text", "markdown" and "htm" are
// accepted too).
func parseFormat(s string) (string, error) {
	switch l := strings.ToLower(strings.TrimSpace(s)); l {
	case fmtTable, "text", "txt":
		return fmtTable, nil
	case fmtJSON, fmtCSV, fmtHTML:
		return l, nil
	case fmtMD, "markdown":
		return fmtMD, nil
	case "htm":
		return fmtHTML, nil
	}
	return "", usagef("unknown format %q; use table, json, csv, md or html", s)
}

// resolve decides the format from the flags: --format, --csv or --json,
// else -o's extension, else table. Flags that name different formats are
// a usage error, and so is an -o FILE inside the project's .tacit folder.
func (o *output) resolve(g *globals) (string, error) {
	if err := o.refuseProjectFile(g); err != nil {
		return "", err
	}
	type claim struct{ format, by string }
	var claims []claim
	if o.format != "" {
		f, err := parseFormat(o.format)
		if err != nil {
			return "", err
		}
		claims = append(claims, claim{f, "--format " + o.format})
	}
	if o.csv {
		claims = append(claims, claim{fmtCSV, "--csv"})
	}
	if g.json {
		claims = append(claims, claim{fmtJSON, "--json"})
	}
	if ext := formatOfExt(o.out); ext != "" {
		claims = append(claims, claim{ext, "-o " + o.out})
	}
	if len(claims) == 0 {
		switch e := strings.ToLower(filepath.Ext(o.out)); e {
		case "", ".txt", ".text":
		default:
			return "", usagef("-o %s: %s names no output format; name the file .txt, .csv, .json, .md or .html, or give --format", o.out, e)
		}
		return fmtTable, nil
	}
	for _, c := range claims[1:] {
		if c.format != claims[0].format {
			return "", usagef("%s contradicts %s; give one format", claims[0].by, c.by)
		}
	}
	return claims[0].format, nil
}

// emit writes what render produces in the resolved format to stdout, or to
// -o FILE (written whole, mode 0644, never over the project's database),
// saying on stderr what it wrote.
func (o *output) emit(g *globals, render func(w io.Writer, format string) error) error {
	format, err := o.resolve(g)
	if err != nil {
		return err
	}
	if err := g.writeOut(o.out, func(w io.Writer) error { return render(w, format) }); err != nil {
		return err
	}
	if o.out != "" && !g.json {
		fmt.Fprintf(g.stderr, "wrote %s (%s)\n", o.out, format)
	}
	return nil
}

// refuseProjectFile refuses an -o FILE inside the project's .tacit folder
// (the database, the index, the lock).
func (o *output) refuseProjectFile(g *globals) error {
	if o.out == "" {
		return nil
	}
	root, err := project.Find(g.projectDir)
	if err != nil {
		return nil
	}
	inner, err1 := filepath.Abs(filepath.Join(root, project.Dir))
	target, err2 := filepath.Abs(o.out)
	if err1 != nil || err2 != nil {
		return nil
	}
	if real, err := filepath.EvalSymlinks(filepath.Dir(target)); err == nil {
		target = filepath.Join(real, filepath.Base(target))
	}
	if real, err := filepath.EvalSymlinks(inner); err == nil {
		inner = real
	}
	if target == inner || strings.HasPrefix(target, inner+string(filepath.Separator)) {
		return usagef("-o %s is inside the project's %s folder; write the output somewhere else", o.out, project.Dir)
	}
	return nil
}

// listing is what a listing command prints: one row per item of the JSON
// value.
type listing struct {
	title   string     // the HTML page's title and heading
	columns []string   // CSV, Markdown and HTML header
	rows    [][]string // CSV, Markdown and HTML rows, full values
	json    any        // the JSON value (field names are stable)
	// makeRows, when rows is nil, makes the rows only for a format that
	// needs them.
	makeRows func() [][]string
	// writeJSON, when set, writes the JSON instead of encoding json.
	writeJSON func(w io.Writer) error
	// table prints the terminal table; nil prints columns and rows
	// aligned.
	table func(w io.Writer) error
}

// list prints l in the resolved format.
func (o *output) list(g *globals, l listing) error {
	return o.emit(g, func(w io.Writer, format string) error { return l.render(w, format) })
}

func (l *listing) render(w io.Writer, format string) error {
	if l.rows == nil && l.makeRows != nil && (format != fmtJSON && (format != fmtTable || l.table == nil)) {
		l.rows = l.makeRows()
	}
	switch format {
	case fmtJSON:
		if l.writeJSON != nil {
			return l.writeJSON(w)
		}
		return writeJSON(w, l.json)
	case fmtCSV:
		return writeCSVRows(w, l.columns, l.rows)
	case fmtMD:
		return writeMarkdownTable(w, l.columns, l.rows)
	case fmtHTML:
		return report.WriteListHTML(w, l.title, l.columns, l.rows)
	}
	if l.table != nil {
		return l.table(w)
	}
	tw := newTable(w, l.columns...)
	for _, r := range l.rows {
		cells := make([]any, len(r))
		for i, c := range r {
			cells[i] = c
		}
		row(tw, cells...)
	}
	return tw.Flush()
}

// writeJSON writes v as indented JSON, as printJSON does.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// tableOf is a listing's terminal table of rows: the line none when there
// are no rows, else the header and each row's cells, aligned.
func tableOf[T any](rows []T, none string, header []string, cells func(r T) []any) func(io.Writer) error {
	return func(w io.Writer) error {
		if len(rows) == 0 {
			fmt.Fprintln(w, none)
			return nil
		}
		tw := newTable(w, header...)
		for _, r := range rows {
			row(tw, cells(r)...)
		}
		return tw.Flush()
	}
}

// newTable starts a tab-aligned table on w.
func newTable(w io.Writer, header ...string) *tabwriter.Writer {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	if len(header) > 0 {
		fmt.Fprintln(tw, strings.Join(header, "\t"))
	}
	return tw
}

// writeCSVRows writes a header row and rows as RFC 4180 CSV (UTF-8, no
// BOM), each cell guarded against formula injection.
func writeCSVRows(w io.Writer, header []string, rows [][]string) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(header); err != nil {
		return err
	}
	for _, r := range rows {
		out := make([]string, len(r))
		for i, c := range r {
			out[i] = csvSafe(c)
		}
		if err := cw.Write(out); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// csvSafe prefixes a cell that a spreadsheet would run as a formula (it
// starts with = + - @, a tab or a carriage return) with an apostrophe.
// Numbers such as -3 or +0.5, and a lone - (no value), stay as they are.
func csvSafe(s string) string {
	if s == "" || s == "-" || s == "+" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		if _, err := strconv.ParseFloat(s, 64); err == nil {
			return s
		}
		return "'" + s
	}
	return s
}

var mdCellEscaper = strings.NewReplacer(`\`, `\\`, "|", `\|`, "<", "&lt;", ">", "&gt;", "\r\n", "<br>", "\n", "<br>", "\r", "<br>")

// writeMarkdownTable writes a GitHub table; pipes, backslashes and HTML in
// cells are escaped and line breaks become <br>.
func writeMarkdownTable(w io.Writer, header []string, rows [][]string) error {
	var b strings.Builder
	line := func(cells []string) {
		b.WriteString("|")
		for _, c := range cells {
			b.WriteString(" ")
			b.WriteString(mdCellEscaper.Replace(c))
			b.WriteString(" |")
		}
		b.WriteString("\n")
	}
	line(header)
	b.WriteString("|")
	for range header {
		b.WriteString(" --- |")
	}
	b.WriteString("\n")
	for _, r := range rows {
		line(r)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// num is strconv.Itoa for the cells of a listing.
func num[T ~int | ~int64 | ~uint64 | ~uint32 | ~int32](n T) string {
	return strconv.FormatInt(int64(n), 10)
}
