package report

import (
	"fmt"
	"html/template"
	"io"
	"strconv"
	"strings"
)

// MarkOpen and MarkClose, around words in a listing's cell, become
// <mark> in its HTML (search hits mark their matches so).
const (
	MarkOpen  = "\ue000"
	MarkClose = "\ue001"
)

// markCell escapes a cell and turns its marks into <mark> elements; a mark
// left open is closed at the cell's end.
func markCell(s string) template.HTML {
	esc := template.HTMLEscapeString(s)
	if !strings.Contains(esc, MarkOpen) {
		return template.HTML(strings.ReplaceAll(esc, MarkClose, ""))
	}
	var b strings.Builder
	open := false
	for _, r := range esc {
		switch {
		case string(r) == MarkOpen && !open:
			b.WriteString("<mark>")
			open = true
		case string(r) == MarkClose && open:
			b.WriteString("</mark>")
			open = false
		case string(r) == MarkOpen, string(r) == MarkClose:
		default:
			b.WriteRune(r)
		}
	}
	if open {
		b.WriteString("</mark>")
	}
	return template.HTML(b.String())
}

// listTmpl renders a plain listing (the documents, the cases, search hits,
// ...) as one self-contained HTML page in the look of the reports.
var listTmpl = page("listing", `{{template "head" .Title}}
<header><h1>{{.Title}}</h1><p class="meta">{{plural (len .Rows) "row" "rows"}}</p></header>
{{if .Rows}}<div class="scroll"><table>
<thead><tr>{{range $i, $c := .Columns}}<th{{if index $.Numeric $i}} class="n"{{end}}>{{$c}}</th>{{end}}</tr></thead>
<tbody>{{range .Rows}}<tr>{{range $i, $c := .}}<td{{if index $.Numeric $i}} class="n"{{else}} dir="auto"{{end}}>{{$c}}</td>{{end}}</tr>
{{end}}</tbody></table></div>{{else}}<p class="empty">Nothing to list.</p>{{end}}
{{template "foot"}}`)

// WriteListHTML writes columns and rows as one self-contained HTML page
// with a table, in the look of the reports. Every cell is escaped (text
// between MarkOpen and MarkClose is marked); columns whose every cell is a
// number are right-aligned.
func WriteListHTML(w io.Writer, title string, columns []string, rows [][]string) error {
	numeric := make([]bool, len(columns))
	for i := range columns {
		numeric[i] = len(rows) > 0
		for _, r := range rows {
			if i >= len(r) {
				continue
			}
			c := strings.TrimSpace(r[i])
			if _, err := strconv.ParseFloat(c, 64); err != nil && c != "-" && c != "" {
				numeric[i] = false
				break
			}
		}
	}
	for i, r := range rows {
		if len(r) != len(columns) {
			return fmt.Errorf("write %s HTML: row %d has %d cells for %d columns", title, i+1, len(r), len(columns))
		}
	}
	cells := make([][]template.HTML, len(rows))
	for i, r := range rows {
		cells[i] = make([]template.HTML, len(r))
		for j, c := range r {
			cells[i][j] = markCell(c)
		}
	}
	data := struct {
		Title   string
		Columns []string
		Rows    [][]template.HTML
		Numeric []bool
	}{title, columns, cells, numeric}
	if err := listTmpl().Execute(w, data); err != nil {
		return fmt.Errorf("write %s HTML: %w", title, err)
	}
	return nil
}
