package agreement

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"slices"
	"strconv"
	"strings"
	"sync"
	"text/tabwriter"

	"github.com/tacit-qda/tacit/coding"
)

// Output formats of Write.
const (
	FormatTable = "table" // aligned text for a terminal ("" too)
	FormatJSON  = "json"
	FormatCSV   = "csv"
	FormatMD    = "md"
	FormatHTML  = "html"
)

// Formats lists the formats Write accepts.
var Formats = []string{FormatTable, FormatJSON, FormatCSV, FormatMD, FormatHTML}

type binaryJSON struct {
	Unit          string          `json:"unit"`
	Mode          string          `json:"mode"`
	Coders        []string        `json:"coders"`
	Docs          []DocRef        `json:"docs"`
	Uncoded       string          `json:"uncoded"`
	Method        string          `json:"method"`
	Notes         []string        `json:"notes"`
	Codes         []CodeStats     `json:"codes"`
	Pooled        *Stats          `json:"pooled"`
	Disagreements *[]Disagreement `json:"disagreements,omitempty"`
}

type exclusiveJSON struct {
	Unit    string   `json:"unit"`
	Mode    string   `json:"mode"`
	Group   string   `json:"group,omitempty"`
	Values  []string `json:"values"`
	Coders  []string `json:"coders"`
	Docs    []DocRef `json:"docs"`
	Uncoded string   `json:"uncoded"`
	Method  string   `json:"method"`
	Notes   []string `json:"notes"`
	*Stats
	Conflicts     []Conflict      `json:"conflicts"`
	Disagreements *[]Disagreement `json:"disagreements,omitempty"`
}

// MarshalJSON writes the report's stable JSON contract. Binary mode:
//
//	{"unit", "mode": "binary", "coders", "docs", "uncoded", "method", "notes",
//	 "codes": [{"code", "units", ..., "percent_agreement", "cohen_kappa",
//	            "fleiss_kappa", "krippendorff_alpha", "n_coded", "table", ...}],
//	 "pooled": {...}, "disagreements"?}
//
// Exclusive mode puts one set of Stats at the top level, next to "values"
// and "conflicts". Coefficients are numbers rounded to six decimals, or null
// with the reason under "undefined"; percent_agreement is 0–100.
// "disagreements" is present only when they were asked for.
func (r *Report) MarshalJSON() ([]byte, error) {
	var dis *[]Disagreement
	if r.Disagreements != nil {
		dis = &r.Disagreements
	}
	if r.Mode == ModeExclusive {
		return json.Marshal(exclusiveJSON{
			Unit: r.Unit, Mode: r.Mode, Group: r.Group, Values: r.Values, Coders: r.Coders,
			Docs: r.Docs, Uncoded: r.Uncoded, Method: r.Method, Notes: r.Notes,
			Stats: r.Exclusive, Conflicts: r.Conflicts, Disagreements: dis,
		})
	}
	return json.Marshal(binaryJSON{
		Unit: r.Unit, Mode: r.Mode, Coders: r.Coders, Docs: r.Docs, Uncoded: r.Uncoded,
		Method: r.Method, Notes: r.Notes, Codes: r.Codes, Pooled: r.Pooled, Disagreements: dis,
	})
}

// Write renders the report in one of Formats:
//
//   - table: aligned text for a terminal, with the disagreements after the
//     statistics when the report has them;
//   - json: the contract of MarshalJSON, indented;
//   - csv: the statistics, one row per code plus "(pooled)" (binary) or one
//     row (exclusive); when the report holds disagreements, those instead,
//     one row per disagreement with a column per coder;
//   - md: Markdown tables, for a report or an issue;
//   - html: one self-contained page (no external resources), text escaped,
//     dir="auto" on quoted text so Hebrew and Arabic read right to left,
//     disagreements side by side, one column per coder.
func Write(w io.Writer, r *Report, format string) error {
	var err error
	switch format {
	case "", FormatTable:
		err = writeTable(w, r)
	case FormatJSON:
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		err = enc.Encode(r)
	case FormatCSV:
		err = writeCSV(w, r)
	case FormatMD:
		err = writeMD(w, r)
	case FormatHTML:
		err = writeHTML(w, r)
	default:
		return coding.Errorf(coding.EInvalid, "unknown format %q; use one of %s", format, strings.Join(Formats, ", "))
	}
	if err != nil {
		return fmt.Errorf("agreement: write %s: %w", format, err)
	}
	return nil
}

// row is one line of the statistics table, shared by the text formats.
type row struct {
	label string
	s     *Stats
}

func (r *Report) rows() []row {
	if r.Mode == ModeExclusive {
		if r.Exclusive == nil {
			return nil
		}
		label := r.Group
		if label == "" {
			label = strings.Join(r.Values, " | ")
		}
		return []row{{label, r.Exclusive}}
	}
	out := make([]row, 0, len(r.Codes)+1)
	for i := range r.Codes {
		out = append(out, row{r.Codes[i].Code, &r.Codes[i].Stats})
	}
	if r.Pooled != nil {
		out = append(out, row{"(pooled)", r.Pooled})
	}
	return out
}

func pct(c Coef) string {
	if !c.OK {
		return "n/a"
	}
	return strconv.FormatFloat(c.Value, 'f', 1, 64)
}

func (r *Report) header() []string {
	h := []string{"code", "units"}
	if r.Mode == ModeExclusive {
		h = []string{"group", "units", "pairable", "complete"}
	}
	h = append(h, "agree %", "cohen", "fleiss", "alpha")
	for _, c := range r.Coders {
		h = append(h, "n "+c)
	}
	return h
}

func (r *Report) cells(x row) []string {
	s := x.s
	out := []string{x.label, strconv.FormatInt(s.Units, 10)}
	if r.Mode == ModeExclusive {
		out = append(out, strconv.FormatInt(s.PairableUnits, 10), strconv.FormatInt(s.CompleteUnits, 10))
	}
	out = append(out, pct(s.PercentAgreement), s.CohenKappa.String(), s.FleissKappa.String(), s.KrippendorffAlpha.String())
	for _, c := range r.Coders {
		out = append(out, strconv.FormatInt(s.NCoded[c], 10))
	}
	return out
}

func (r *Report) title() string {
	mode := "binary, uncoded " + r.Uncoded
	if r.Mode == ModeExclusive {
		mode = "exclusive"
		if r.Group != "" {
			mode += " (" + r.Group + ")"
		}
	}
	return fmt.Sprintf("Agreement of %s · unit %s · %s · %s",
		strings.Join(r.Coders, ", "), r.Unit, mode, countOf(len(r.Docs), "document", "documents"))
}

func docList(r *Report) string {
	names := make([]string, len(r.Docs))
	for i, d := range r.Docs {
		names[i] = d.Name
		if d.Case != "" {
			names[i] += " (" + d.Case + ")"
		}
	}
	return strings.Join(names, ", ")
}

func where(d Disagreement) string {
	var parts []string
	if d.Case != "" {
		parts = append(parts, d.Case)
	}
	if d.DocName != "" {
		parts = append(parts, d.DocName)
	}
	s := strings.Join(parts, " / ")
	if d.DocName != "" && (d.End > d.Start) {
		s += fmt.Sprintf(" [%d,%d)", d.Start, d.End)
	}
	if d.Speaker != "" {
		s += " " + d.Speaker
	}
	return s
}

func codesOf(list []string) string {
	if len(list) == 0 {
		return "—"
	}
	return strings.Join(list, "; ")
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func writeTable(w io.Writer, r *Report) error {
	ew := &errWriter{w: w}
	fmt.Fprintln(ew, r.title())
	tw := tabwriter.NewWriter(ew, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, strings.ToUpper(strings.Join(r.header(), "\t")))
	for _, x := range r.rows() {
		fmt.Fprintln(tw, strings.Join(r.cells(x), "\t"))
	}
	tw.Flush()
	if r.Mode == ModeExclusive {
		fmt.Fprintf(ew, "Values: %s\n", strings.Join(r.Values, ", "))
	}
	fmt.Fprintf(ew, "Documents: %s\n", docList(r))
	fmt.Fprintf(ew, "Method: %s\n", r.Method)
	for _, n := range r.Notes {
		fmt.Fprintf(ew, "Note: %s\n", n)
	}
	for _, x := range r.rows() {
		for _, k := range sortedKeys(x.s.Undefined) {
			fmt.Fprintf(ew, "Undefined: %s %s: %s\n", x.label, k, x.s.Undefined[k])
		}
	}
	if r.Mode == ModeExclusive && len(r.Conflicts) > 0 {
		fmt.Fprintf(ew, "\nConflicts (%d):\n", len(r.Conflicts))
		for _, c := range r.Conflicts {
			fmt.Fprintf(ew, "- %s: %s in %s\n    %s\n", c.Coder, strings.Join(c.Codes, " + "),
				where(Disagreement{Case: c.Case, DocName: c.DocName, Start: c.Start, End: c.End}), oneLine(c.Text))
		}
	}
	if r.Disagreements != nil {
		fmt.Fprintf(ew, "\nDisagreements (%d):\n", len(r.Disagreements))
		for _, d := range r.Disagreements {
			fmt.Fprintf(ew, "- %s · %s\n", d.Code, where(d))
			if d.Text != "" {
				fmt.Fprintf(ew, "    %s\n", oneLine(d.Text))
			}
			for _, c := range r.Coders {
				fmt.Fprintf(ew, "    %s: %s\n", c, codesOf(d.ByCoder[c]))
				for _, p := range d.Passages {
					if p.Coder == c {
						fmt.Fprintf(ew, "      %s [%d,%d) %s: %s\n", p.DocName, p.Start, p.End, p.Code, oneLine(p.Text))
					}
				}
			}
		}
	}
	return ew.err
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(p []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	n, err := e.w.Write(p)
	e.err = err
	return n, err
}

func writeCSV(w io.Writer, r *Report) error {
	cw := csv.NewWriter(w)
	if r.Disagreements != nil {
		h := []string{"code", "case", "doc", "doc_name", "start", "end", "speaker", "text"}
		h = append(h, r.Coders...)
		if err := cw.Write(h); err != nil {
			return err
		}
		for _, d := range r.Disagreements {
			text := d.Text
			if text == "" {
				var ps []string
				for _, p := range d.Passages {
					ps = append(ps, fmt.Sprintf("%s: %s", p.Coder, oneLine(p.Text)))
				}
				text = strings.Join(ps, "\n")
			}
			rec := []string{d.Code, d.Case, strconv.FormatUint(d.Doc, 10), d.DocName,
				strconv.Itoa(d.Start), strconv.Itoa(d.End), d.Speaker, text}
			for _, c := range r.Coders {
				rec = append(rec, strings.Join(d.ByCoder[c], "; "))
			}
			if err := cw.Write(rec); err != nil {
				return err
			}
		}
		cw.Flush()
		return cw.Error()
	}
	h := []string{"unit", "mode", "code", "units", "pairable_units", "complete_units", "agreed_units",
		"percent_agreement", "cohen_kappa", "fleiss_kappa", "krippendorff_alpha"}
	for _, c := range r.Coders {
		h = append(h, "n_coded_"+c)
	}
	if err := cw.Write(h); err != nil {
		return err
	}
	num := func(c Coef) string {
		if !c.OK {
			return ""
		}
		return strconv.FormatFloat(round6(c.Value), 'f', -1, 64)
	}
	for _, x := range r.rows() {
		s := x.s
		rec := []string{r.Unit, r.Mode, x.label, strconv.FormatInt(s.Units, 10),
			strconv.FormatInt(s.PairableUnits, 10), strconv.FormatInt(s.CompleteUnits, 10),
			strconv.FormatInt(s.AgreedUnits, 10), num(s.PercentAgreement), num(s.CohenKappa),
			num(s.FleissKappa), num(s.KrippendorffAlpha)}
		for _, c := range r.Coders {
			rec = append(rec, strconv.FormatInt(s.NCoded[c], 10))
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// mdCell makes text safe inside a Markdown table cell.
func mdCell(s string) string {
	s = oneLine(s)
	r := strings.NewReplacer("\\", "\\\\", "|", "\\|", "<", "&lt;", ">", "&gt;", "*", "\\*", "_", "\\_", "`", "\\`")
	return r.Replace(s)
}

func writeMD(w io.Writer, r *Report) error {
	ew := &errWriter{w: w}
	fmt.Fprintf(ew, "# %s\n\n", mdCell(r.title()))
	h := r.header()
	fmt.Fprintf(ew, "| %s |\n", strings.Join(h, " | "))
	align := make([]string, len(h))
	for i := range align {
		align[i] = "---:"
	}
	align[0] = "---"
	fmt.Fprintf(ew, "|%s|\n", strings.Join(align, "|"))
	for _, x := range r.rows() {
		cs := r.cells(x)
		for i := range cs {
			cs[i] = mdCell(cs[i])
		}
		fmt.Fprintf(ew, "| %s |\n", strings.Join(cs, " | "))
	}
	fmt.Fprintln(ew)
	if r.Mode == ModeExclusive {
		fmt.Fprintf(ew, "**Values:** %s\n\n", mdCell(strings.Join(r.Values, ", ")))
	}
	fmt.Fprintf(ew, "**Documents:** %s\n\n", mdCell(docList(r)))
	fmt.Fprintf(ew, "**Method:** %s\n\n", mdCell(r.Method))
	for _, n := range r.Notes {
		fmt.Fprintf(ew, "- %s\n", mdCell(n))
	}
	for _, x := range r.rows() {
		for _, k := range sortedKeys(x.s.Undefined) {
			fmt.Fprintf(ew, "- %s: %s undefined: %s\n", mdCell(x.label), k, mdCell(x.s.Undefined[k]))
		}
	}
	if r.Mode == ModeExclusive && len(r.Conflicts) > 0 {
		fmt.Fprintf(ew, "\n## Conflicts (%d)\n\n| coder | codes | where | text |\n|---|---|---|---|\n", len(r.Conflicts))
		for _, c := range r.Conflicts {
			fmt.Fprintf(ew, "| %s | %s | %s | %s |\n", mdCell(c.Coder), mdCell(strings.Join(c.Codes, " + ")),
				mdCell(where(Disagreement{Case: c.Case, DocName: c.DocName, Start: c.Start, End: c.End})), mdCell(c.Text))
		}
	}
	if r.Disagreements != nil {
		fmt.Fprintf(ew, "\n## Disagreements (%d)\n\n", len(r.Disagreements))
		h := []string{"code", "where", "text"}
		for _, c := range r.Coders {
			h = append(h, mdCell(c))
		}
		fmt.Fprintf(ew, "| %s |\n|%s\n", strings.Join(h, " | "), strings.Repeat("---|", len(h)))
		for _, d := range r.Disagreements {
			cs := []string{mdCell(d.Code), mdCell(where(d)), mdCell(d.Text)}
			for _, c := range r.Coders {
				cell := codesOf(d.ByCoder[c])
				for _, p := range d.Passages {
					if p.Coder == c {
						cell += fmt.Sprintf(" · %s: “%s”", p.DocName, oneLine(p.Text))
					}
				}
				cs = append(cs, mdCell(cell))
			}
			fmt.Fprintf(ew, "| %s |\n", strings.Join(cs, " | "))
		}
	}
	fmt.Fprintln(ew)
	return ew.err
}

// htmlPage is parsed on first use, not at program start.
var htmlPage = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("page").Funcs(template.FuncMap{
		"codes": codesOf,
		"where": where,
		"join":  strings.Join,
		"passagesOf": func(d Disagreement, coder string) []Passage {
			var out []Passage
			for _, p := range d.Passages {
				if p.Coder == coder {
					out = append(out, p)
				}
			}
			return out
		},
		"conflictWhere": func(c Conflict) string {
			return where(Disagreement{Case: c.Case, DocName: c.DocName, Start: c.Start, End: c.End})
		},
	}).Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{{.Title}}</title>
<style>
body{font-family:system-ui,sans-serif;margin:2em auto;max-width:80em;padding:0 1.5em;color:#222;line-height:1.4}
h1{font-size:1.5em}
table{border-collapse:collapse;margin:1em 0}
table.dis{width:100%}
table.dis td.text{width:50%}
th,td{border:1px solid #ccc;padding:.3em .6em;vertical-align:top}
th{background:#f3f3f3}
td.n{text-align:right;font-variant-numeric:tabular-nums}
.text{white-space:pre-wrap}
.none{color:#999}
.p{margin-top:.4em;font-size:.9em}
.meta{color:#555;font-size:.9em}
</style>
</head>
<body>
<h1>{{.Title}}</h1>
<table>
<tr>{{range .Header}}<th>{{.}}</th>{{end}}</tr>
{{range .Rows}}<tr>{{range $i, $c := .}}{{if eq $i 0}}<td dir="auto">{{$c}}</td>{{else}}<td class="n">{{$c}}</td>{{end}}{{end}}</tr>
{{end}}</table>
{{if .R.Values}}<p><b>Values:</b> <span dir="auto">{{join .R.Values ", "}}</span></p>{{end}}
<p><b>Documents:</b> <span dir="auto">{{.Docs}}</span></p>
<p><b>Method:</b> {{.R.Method}}</p>
{{if .Notes}}<ul>{{range .Notes}}<li>{{.}}</li>{{end}}</ul>{{end}}
{{if .R.Conflicts}}<h2>Conflicts ({{len .R.Conflicts}})</h2>
<table><tr><th>coder</th><th>codes</th><th>where</th><th>text</th></tr>
{{range .R.Conflicts}}<tr><td>{{.Coder}}</td><td dir="auto">{{join .Codes " + "}}</td><td class="meta" dir="auto">{{conflictWhere .}}</td><td class="text" dir="auto">{{.Text}}</td></tr>
{{end}}</table>{{end}}
{{if .HasDis}}<h2>Disagreements ({{len .R.Disagreements}})</h2>
<table class="dis">
<tr><th>code</th><th>where</th><th>text</th>{{range .R.Coders}}<th>{{.}}</th>{{end}}</tr>
{{range $d := .R.Disagreements}}<tr><td dir="auto">{{$d.Code}}</td><td class="meta" dir="auto">{{where $d}}</td><td class="text" dir="auto">{{$d.Text}}</td>{{range $c := $.R.Coders}}<td dir="auto">{{with index $d.ByCoder $c}}{{join . "; "}}{{else}}<span class="none">—</span>{{end}}{{range passagesOf $d $c}}<div class="p text" dir="auto">{{.DocName}} [{{.Start}},{{.End}}): {{.Text}}</div>{{end}}</td>{{end}}</tr>
{{end}}</table>{{end}}
</body>
</html>
`))
})

func writeHTML(w io.Writer, r *Report) error {
	var rows [][]string
	for _, x := range r.rows() {
		rows = append(rows, r.cells(x))
	}
	var notes []string
	notes = append(notes, r.Notes...)
	for _, x := range r.rows() {
		for _, k := range sortedKeys(x.s.Undefined) {
			notes = append(notes, fmt.Sprintf("%s: %s undefined: %s", x.label, k, x.s.Undefined[k]))
		}
	}
	return htmlPage().Execute(w, map[string]any{
		"Title":  r.title(),
		"Header": r.header(),
		"Rows":   rows,
		"Docs":   docList(r),
		"Notes":  notes,
		"R":      r,
		"HasDis": r.Disagreements != nil,
	})
}
