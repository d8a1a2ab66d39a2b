package report

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// Output formats.
const (
	FormatTable = "table"
	FormatJSON  = "json"
	FormatCSV   = "csv"
	FormatMD    = "md"
	FormatHTML  = "html"
)

// Formats lists the output formats every report supports.
var Formats = []string{FormatTable, FormatJSON, FormatCSV, FormatMD, FormatHTML}

// Renderer is implemented by every report.
type Renderer interface {
	WriteTable(w io.Writer) error
	WriteJSON(w io.Writer) error
	WriteCSV(w io.Writer) error
	WriteMarkdown(w io.Writer) error
	WriteHTML(w io.Writer) error
}

var (
	_ Renderer = (*RecurrenceReport)(nil)
	_ Renderer = (*MatrixReport)(nil)
	_ Renderer = (*CooccurrenceReport)(nil)
	_ Renderer = (*CodebookReport)(nil)
)

// ParseFormat checks an output format name ("" means table; "markdown" and
// "htm" are accepted too).
func ParseFormat(s string) (string, error) {
	switch l := strings.ToLower(strings.TrimSpace(s)); l {
	case "", FormatTable, "text":
		return FormatTable, nil
	case FormatJSON, FormatCSV, FormatHTML:
		return l, nil
	case FormatMD, "markdown":
		return FormatMD, nil
	case "htm":
		return FormatHTML, nil
	}
	return "", invalid("unknown format %q; use table, json, csv, md or html.", s)
}

// FormatFromPath guesses the format from an output file's extension, or
// returns "" when the extension says nothing.
func FormatFromPath(path string) string {
	l := strings.ToLower(path)
	for _, ext := range []struct{ ext, f string }{{".json", FormatJSON}, {".csv", FormatCSV},
		{".md", FormatMD}, {".markdown", FormatMD}, {".html", FormatHTML}, {".htm", FormatHTML}, {".txt", FormatTable}} {
		if strings.HasSuffix(l, ext.ext) {
			return ext.f
		}
	}
	return ""
}

// Write renders rep, one of the reports of this package, in format.
func Write(w io.Writer, rep any, format string) error {
	f, err := ParseFormat(format)
	if err != nil {
		return err
	}
	r, ok := rep.(Renderer)
	if !ok || r == nil {
		return invalid("cannot render a %T as a report.", rep)
	}
	switch f {
	case FormatJSON:
		return r.WriteJSON(w)
	case FormatCSV:
		return r.WriteCSV(w)
	case FormatMD:
		return r.WriteMarkdown(w)
	case FormatHTML:
		return r.WriteHTML(w)
	}
	return r.WriteTable(w)
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("write report JSON: %w", err)
	}
	return nil
}

func writeCSV(w io.Writer, rows [][]string) error {
	cw := csv.NewWriter(w)
	if err := cw.WriteAll(rows); err != nil {
		return fmt.Errorf("write report CSV: %w", err)
	}
	return nil
}

// table writes aligned columns for a terminal.
type table struct {
	tw *tabwriter.Writer
}

func newTable(w io.Writer) *table {
	return &table{tw: tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)}
}

func (t *table) row(cells ...string) {
	for i, c := range cells {
		cells[i] = tableCell.Replace(c)
	}
	fmt.Fprintln(t.tw, strings.Join(cells, "\t"))
}

func (t *table) flush() error { return t.tw.Flush() }

// The escapers are built once, on first use (a strings.Replacer builds
// lazily), not again for every cell and every line of text.
var (
	tableCell     = strings.NewReplacer("\t", " ", "\n", " ")
	mdCellEscaper = strings.NewReplacer("|", `\|`, "\n", " ", "\r", " ")
	mdTextEscaper = strings.NewReplacer(`\`, `\\`, "*", `\*`, "_", `\_`, "`", "\\`", "[", `\[`, "]", `\]`, "<", "&lt;", ">", "&gt;", "|", `\|`)
)

// mdCell escapes text for a Markdown table cell.
func mdCell(s string) string { return mdCellEscaper.Replace(s) }

// mdText escapes the characters that would start Markdown markup.
func mdText(s string) string { return mdTextEscaper.Replace(s) }

// clip shortens s to at most n characters, with an ellipsis.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// listClip joins names and cuts the list after about n characters.
func listClip(names []string, n int) string {
	var b strings.Builder
	for i, s := range names {
		if i > 0 {
			b.WriteString(", ")
		}
		if b.Len()+len(s) > n && i > 0 {
			fmt.Fprintf(&b, "… (+%d)", len(names)-i)
			break
		}
		b.WriteString(s)
	}
	return b.String()
}

func pct(x float64) string { return fmt.Sprintf("%.0f%%", x*100) }
