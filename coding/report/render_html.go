package report

import (
	"fmt"
	"html/template"
	"io"
	"math"
	"strconv"
	"strings"
	"sync"

	"github.com/tacit-qda/tacit/coding"
)

// The HTML reports are single self-contained files: inline CSS and SVG, no
// scripts, no fonts or links to fetch. Names and quotes sit in <bdi> or carry
// dir="auto" so Hebrew and Arabic read right to left inside English pages.

const css = `
:root{--ink:#1f2328;--muted:#59636e;--line:#d8dee4;--bg:#fff;--soft:#f6f8fa;
--all:#1a7f37;--most:#0969da;--some:#9a6700;--none:#6e7781}
*{box-sizing:border-box}
body{margin:0;background:var(--soft);color:var(--ink);font:15px/1.55 "Segoe UI","Noto Sans","Noto Sans Hebrew","Noto Sans Arabic",Helvetica,Arial,sans-serif}
main{max-width:1100px;margin:0 auto;padding:40px 48px 64px;background:var(--bg);min-height:100vh}
h1{font-size:28px;line-height:1.25;margin:0 0 6px;font-weight:650;letter-spacing:-.01em}
h2{font-size:20px;margin:40px 0 12px;padding-bottom:6px;border-bottom:1px solid var(--line);font-weight:600}
h3{font-size:17px;margin:28px 0 10px;font-weight:600}
.meta{color:var(--muted);margin:0 0 4px}
.empty{padding:14px 18px;border:1px solid #d4a72c;background:#fff8c5;border-radius:6px;margin:20px 0}
.cards{display:flex;gap:12px;margin:22px 0 4px;flex-wrap:wrap}
.card{flex:1;min-width:140px;border:1px solid var(--line);border-radius:8px;padding:10px 14px;border-top:4px solid var(--c)}
.card b{display:block;font-size:26px;line-height:1.2}
.card span{color:var(--muted);font-size:13px}
.lv-all{--c:var(--all)}.lv-most{--c:var(--most)}.lv-some{--c:var(--some)}.lv-none{--c:var(--none)}
.badge{display:inline-block;font-size:12px;font-weight:600;color:#fff;background:var(--c);border-radius:10px;padding:1px 8px;vertical-align:2px;margin-inline-start:8px;text-transform:uppercase;letter-spacing:.03em}
.scroll{overflow-x:auto;border:1px solid var(--line);border-radius:6px;padding:8px;background:#fff}
.legend{display:flex;align-items:center;gap:14px;flex-wrap:wrap;font-size:13px;color:var(--muted);margin:8px 0 10px}
.legend i{display:inline-block;width:14px;height:14px;border-radius:2px;vertical-align:-2px;margin-inline-end:4px;border:1px solid rgba(0,0,0,.08)}
svg text{font-family:inherit;fill:var(--ink)}
.principle{border:1px solid var(--line);border-inline-start:4px solid var(--c);border-radius:6px;padding:14px 18px;margin:14px 0;break-inside:avoid}
.principle h4{margin:0 0 4px;font-size:16px}
.principle h4 .parent{color:var(--muted);font-weight:400}
.desc{color:var(--muted);margin:0 0 6px;font-style:italic}
.stats{font-size:14px;color:var(--muted);margin-bottom:6px}
.stats .num{color:var(--ink);font-weight:600;font-variant-numeric:tabular-nums}
.bar{height:6px;background:#eaeef2;border-radius:3px;margin:6px 0 8px;overflow:hidden}
.bar>div{height:100%;background:var(--c)}
.absent{font-size:14px;margin:4px 0 8px}
.absent b{color:#cf222e;font-weight:600}
figure{margin:10px 0 0;padding:8px 14px;background:var(--soft);border-inline-start:3px solid #afb8c1;border-radius:0 4px 4px 0}
blockquote{margin:0;font-size:15px;white-space:pre-wrap;unicode-bidi:plaintext}
figcaption{font-size:13px;color:var(--muted);margin-top:4px}
figcaption .key{color:#8250df;font-weight:600}
.memo{font-size:13px;color:var(--muted);margin-top:2px}
table{border-collapse:collapse;font-size:14px;font-variant-numeric:tabular-nums}
th,td{border:1px solid var(--line);padding:4px 8px;text-align:start;vertical-align:top}
th{background:var(--soft);font-weight:600}
td.n,th.n{text-align:end}
tr.total td,td.total{font-weight:600;background:var(--soft)}
.hm td.n{min-width:38px}
.swatch{display:inline-block;width:12px;height:12px;border-radius:2px;vertical-align:-1px;margin-inline-end:6px;border:1px solid rgba(0,0,0,.15)}
.jbar{display:inline-block;height:8px;background:var(--most);border-radius:2px;vertical-align:0;margin-inline-start:6px}
details{margin-top:10px}summary{cursor:pointer;color:var(--most);font-size:14px}
footer{margin-top:48px;color:var(--muted);font-size:12px;border-top:1px solid var(--line);padding-top:10px}
@media print{body{background:#fff}main{padding:0}.scroll{overflow:visible}}
`

// palette is the heatmap scale, from "none" to the largest bucket.
var palette = []string{"#f2f4f7", "#deebf7", "#9ecae1", "#6baed6", "#2171b5", "#08306b"}

// bucket maps v in [0,max] to a palette index: 0 for zero, else 1..5.
func bucket(v, max int) int {
	if v <= 0 || max <= 0 {
		return 0
	}
	b := int(math.Ceil(float64(v) * 5 / float64(max)))
	if b < 1 {
		b = 1
	}
	if b > 5 {
		b = 5
	}
	return b
}

type legendItem struct {
	Color, Label string
}

// legend returns the heatmap legend for values up to max.
func legend(max int, unit string) []legendItem {
	out := []legendItem{{palette[0], "0"}}
	for b := 1; b <= 5; b++ {
		lo := int(math.Floor(float64(b-1)*float64(max)/5)) + 1
		hi := int(math.Floor(float64(b) * float64(max) / 5))
		if lo > hi {
			continue
		}
		l := strconv.Itoa(lo)
		if hi > lo {
			l += "–" + strconv.Itoa(hi)
		}
		out = append(out, legendItem{palette[bucket(hi, max)], l})
	}
	if len(out) > 1 {
		out[len(out)-1].Label += " " + unit
	}
	return out
}

var funcs = template.FuncMap{
	"pct":   func(x float64) string { return strconv.FormatFloat(math.Round(x*100), 'f', 0, 64) },
	"pctf":  pct,
	"lvl":   func(s string) string { return levelTitle(s, 0) },
	"join":  strings.Join,
	"color": func(v, max int) template.CSS { return template.CSS(palette[bucket(v, max)]) },
	"ink": func(v, max int) template.CSS { // text colour readable on color(v, max)
		if bucket(v, max) >= 4 {
			return "#fff"
		}
		return "#1f2328"
	},
	"indent": func(d int) template.CSS { return template.CSS(fmt.Sprintf("%dpx", 8+d*18)) },
	"group":  groupValue,
	"safecolor": func(c string) template.CSS {
		c = strings.TrimSpace(c)
		ok := len(c) > 1 && len(c) <= 9 && c[0] == '#'
		for _, r := range c[min(1, len(c)):] {
			ok = ok && strings.ContainsRune("0123456789abcdefABCDEF", r)
		}
		if !ok {
			return "transparent"
		}
		return template.CSS(c)
	},
	"split": func(path string) [2]string {
		if i := strings.LastIndex(path, "/"); i >= 0 {
			return [2]string{path[:i+1], path[i+1:]}
		}
		return [2]string{"", path}
	},
	"role":   func(m map[string]int, r string) int { return m[r] },
	"plural": coding.Plural,
	"more":   func(n int) string { return fmt.Sprintf("%d more quotes", n-3) },
	"leaf":   func(path string) string { return path[strings.LastIndex(path, "/")+1:] },
}

const shellHead = `{{define "head"}}<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="generator" content="tacit"><title>{{.}}</title><style>` + css + `</style></head><body><main>{{end}}
{{define "foot"}}<footer>Made by tacit. Names and quotes are shown in their own writing direction.</footer></main></body></html>
{{end}}
{{define "filters"}}{{with .}}{{if or .Coders .Roles .Docs .Cases .Attrs}}<p class="meta">Filters:
{{with .Coders}} coder <bdi>{{join . ", "}}</bdi>;{{end}}{{with .Roles}} role <bdi>{{join . ", "}}</bdi>;{{end}}
{{with .Docs}} document <bdi>{{join . ", "}}</bdi>;{{end}}{{with .Cases}} case <bdi>{{join . ", "}}</bdi>;{{end}}
{{range $k, $v := .Attrs}} <bdi>{{$k}}</bdi> = <bdi>{{$v}}</bdi>;{{end}}</p>{{end}}{{end}}{{end}}
`

const recurrenceHTML = `{{template "head" "Principles of action across cases"}}
<header>
<h1>Principles of action across {{.R.CasesTotal}} cases</h1>
<p class="meta"><span class="num" data-field="cases_total">{{.R.CasesTotal}}</span> cases ·
<span class="num" data-field="codings">{{.R.Codings}}</span> codings ·
“most” means present in more than {{pctf .R.Most}} of the cases{{with .R.Roles}} · roles: {{range $i, $r := .}}{{if $i}}, {{end}}<bdi>{{$r}}</bdi>{{end}}{{end}}</p>
<p class="meta" data-field="sides">“Both sides” counts the cases where at least two of the perspective roles {{if .R.Sides}}{{range $i, $r := .R.Sides}}{{if $i}}, {{end}}<bdi>{{$r}}</bdi>{{end}}{{else}}(none in these codings){{end}} coded the principle; the interviewer's codings do not count{{if .R.Sides}} unless named as sides{{end}}.</p>
{{template "filters" .R.Filters}}
</header>
{{if .R.EmptyReason}}<p class="empty">{{.R.EmptyReason}}</p>{{else}}
<div class="cards">{{range .Levels}}<div class="card lv-{{.Level}}"><b data-field="level:{{.Level}}">{{.N}}</b><span>{{.Title}}</span></div>{{end}}</div>

<h2>Heatmap of codes by cases</h2>
<div class="legend"><span>Codings per code and case:</span>{{range .Legend}}<span><i style="background:{{.Color}}"></i>{{.Label}}</span>{{end}}</div>
<div class="scroll">{{.SVG}}</div>

{{$r := .R}}
{{range .Levels}}{{if .Codes}}
<h2 class="lv-{{.Level}}">{{.Title}} <span class="badge">{{.N}}</span></h2>
{{range .Codes}}{{$c := .}}
<article class="principle lv-{{.Level}}" id="code-{{.ID}}">
<h4>{{with split .Code}}<bdi><span class="parent">{{index . 0}}</span>{{index . 1}}</bdi>{{end}}</h4>
{{with .Description}}<p class="desc" dir="auto">{{.}}</p>{{end}}
<div class="stats">present in <span class="num" data-code="{{.Code}}" data-field="cases">{{.Cases}}</span> of
<span class="num">{{$r.CasesTotal}}</span> cases (<span class="num" data-code="{{.Code}}" data-field="share">{{pct .Share}}</span>%)
{{range $r.Roles}}{{$n := role $c.Roles .}}{{if $n}} · <bdi>{{.}}</bdi> <span class="num" data-code="{{$c.Code}}" data-field="role:{{.}}">{{$n}}</span>{{end}}{{end}}
· both sides ({{join $r.Sides ", "}}) <span class="num" data-code="{{.Code}}" data-field="both_roles">{{.BothRoles}}</span>
· <span class="num" data-code="{{.Code}}" data-field="codings">{{.Codings}}</span> codings</div>
<div class="bar"><div style="width:{{pct .Share}}%"></div></div>
{{if .Absent}}<p class="absent"><b>Absent in {{len .Absent}}:</b> {{range $i, $a := .Absent}}{{if $i}}, {{end}}<bdi>{{$a}}</bdi>{{end}}</p>{{end}}
{{range $i, $q := .Quotes}}{{if eq $i 3}}<details><summary>{{more (len $c.Quotes)}}</summary>{{end}}<figure><blockquote dir="auto">{{.Text}}</blockquote>
<figcaption>{{if .Key}}<span class="key">★ key</span> · {{end}}{{if .Speaker}}<bdi>{{.Speaker}}</bdi>{{with .Role}} ({{.}}){{end}} · {{end}}<bdi>{{.Doc}}</bdi> · case <bdi>{{.Case}}</bdi>{{if ne .Code $c.Code}} · coded <bdi>{{.Code}}</bdi>{{end}}{{with .Coders}} · coded by <bdi>{{join . ", "}}</bdi>{{end}}</figcaption>
{{with .Memo}}<div class="memo" dir="auto">Memo: {{.}}</div>{{end}}</figure>{{end}}{{if gt (len .Quotes) 3}}</details>{{end}}
</article>{{end}}{{end}}{{end}}

{{with .R.ByAttr}}<h2>By <bdi>{{.Attr}}</bdi></h2>
{{range .Groups}}<h3><bdi>{{$r.ByAttr.Attr}}</bdi> = <bdi>{{group .Value}}</bdi> ({{plural .CasesTotal "case" "cases"}})</h3>
<table><tr><th>Code</th><th class="n">Cases</th><th class="n">Share</th><th>Level</th><th>Absent</th></tr>
{{$g := .}}{{range .Codes}}<tr><td><bdi>{{.Code}}</bdi></td><td class="n">{{.Cases}}/{{$g.CasesTotal}}</td><td class="n">{{pct .Share}}%</td>
<td><span class="badge lv-{{.Level}}" style="margin:0">{{.Level}}</span></td><td>{{range $i, $a := .Absent}}{{if $i}}, {{end}}<bdi>{{$a}}</bdi>{{end}}</td></tr>
{{end}}</table>{{end}}{{end}}
{{end}}
{{template "foot"}}`

const matrixHTML = `{{template "head" "Matrix"}}
<h1>Matrix: <bdi>{{.M.RowsBy}}</bdi> by <bdi>{{.M.ColsBy}}</bdi></h1>
<p class="meta">Cells count {{.M.Count}}. Totals count distinct items{{if eq .M.Count "presence"}} (for presence: the cells present){{end}}.</p>
{{template "filters" .M.Filters}}
{{if .M.EmptyReason}}<p class="empty">{{.M.EmptyReason}}</p>{{else}}
<div class="legend"><span>Scale:</span>{{range .Legend}}<span><i style="background:{{.Color}}"></i>{{.Label}}</span>{{end}}</div>
<div class="scroll"><table class="hm"><thead><tr><th><bdi>{{.M.RowsBy}}</bdi></th>{{range .M.Columns}}<th class="n"><bdi>{{.}}</bdi></th>{{end}}<th class="n">Total</th></tr></thead><tbody>
{{$m := .M}}{{range $i, $row := .M.Rows}}<tr><th style="padding-inline-start:{{indent .Depth}}" title="{{.Label}}">{{if eq $m.RowsBy "code"}}<bdi>{{leaf .Label}}</bdi>{{else}}<bdi>{{.Label}}</bdi>{{end}}</th>
{{range $j, $v := .Cells}}<td class="n" data-row="{{$i}}" data-col="{{$j}}" style="background:{{color $v $m.Max}};color:{{ink $v $m.Max}}">{{$v}}</td>{{end}}<td class="n total" data-row="{{$i}}" data-col="total">{{.Total}}</td></tr>
{{end}}<tr class="total"><th>Total</th>{{range $j, $v := .M.ColTotals}}<td class="n" data-row="total" data-col="{{$j}}">{{$v}}</td>{{end}}<td class="n" data-row="total" data-col="total">{{.M.Total}}</td></tr>
</tbody></table></div>{{end}}
{{template "foot"}}`

const coocHTML = `{{template "head" "Co-occurrence of codes"}}
<h1>Codes occurring together in one {{.C.Unit}}</h1>
<p class="meta">{{.C.Measure}}. Pairs with a count of at least {{.C.Min}}; a code is not paired with its own sub-codes.</p>
{{template "filters" .C.Filters}}
{{if .C.EmptyReason}}<p class="empty">{{.C.EmptyReason}}</p>{{else}}
<table><tr><th>Code A</th><th>Code B</th><th class="n">Count</th><th>Jaccard</th><th class="n">A</th><th class="n">B</th></tr>
{{range $i, $p := .C.Pairs}}<tr><td><bdi>{{.A}}</bdi></td><td><bdi>{{.B}}</bdi></td><td class="n" data-pair="{{$i}}" data-field="count">{{.Count}}</td>
<td><span data-pair="{{$i}}" data-field="jaccard">{{printf "%.3f" .Jaccard}}</span><span class="jbar" style="width:{{printf "%.0f" (jw .Jaccard)}}px"></span></td>
<td class="n" data-pair="{{$i}}" data-field="a_total">{{.ATotal}}</td><td class="n" data-pair="{{$i}}" data-field="b_total">{{.BTotal}}</td></tr>
{{end}}</table>{{end}}
{{template "foot"}}`

const codebookHTML = `{{template "head" "Codebook"}}
<h1>Codebook</h1>
<p class="meta">{{len .Codes}} codes · {{.Codings}} codings in {{.DocsTotal}} documents and {{.CasesTotal}} cases. Counts include sub-codes.</p>
<table><tr><th>Code</th><th>Description</th><th class="n">Codings</th><th class="n">Docs</th><th class="n">Cases</th></tr>
{{range $i, $e := .Codes}}<tr><td style="padding-inline-start:{{indent .Depth}}">{{if .Color}}<span class="swatch" style="background:{{safecolor .Color}}"></span>{{end}}{{if eq .Depth 0}}<b><bdi>{{.Name}}</bdi></b>{{else}}<bdi>{{.Name}}</bdi>{{end}}</td>
<td dir="auto">{{.Description}}</td><td class="n" data-code="{{.Code}}" data-field="codings">{{.Codings}}</td><td class="n" data-code="{{.Code}}" data-field="docs">{{.Docs}}</td><td class="n" data-code="{{.Code}}" data-field="cases">{{.Cases}}</td></tr>
{{end}}</table>
{{template "foot"}}`

// The templates are parsed on first use, not at program start: every tacit
// command pays for package initialisation, and most never write HTML.
var templates = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("shell").Funcs(funcs).Funcs(template.FuncMap{
		"jw": func(j float64) float64 { return j * 80 },
	}).Parse(shellHead))
})

func page(name, body string) func() *template.Template {
	return sync.OnceValue(func() *template.Template {
		t := template.Must(templates().Clone())
		return template.Must(t.New(name).Parse(body))
	})
}

var (
	recurrenceTmpl = page("recurrence", recurrenceHTML)
	matrixTmpl     = page("matrix", matrixHTML)
	coocTmpl       = page("cooccurrence", coocHTML)
	codebookTmpl   = page("codebook", codebookHTML)
)

type levelGroup struct {
	Level, Title string
	N            int
	Codes        []CodeRecurrence
}

// WriteHTML writes one self-contained HTML file: the levels, a heatmap of
// codes by cases and the principles grouped by level with their quotes.
func (r *RecurrenceReport) WriteHTML(w io.Writer) error {
	data := struct {
		R      *RecurrenceReport
		Levels []levelGroup
		Legend []legendItem
		SVG    template.HTML
	}{R: r}
	for _, l := range Levels {
		g := levelGroup{Level: l, Title: levelTitle(l, r.Most)}
		for _, c := range r.Codes {
			if c.Level == l {
				g.Codes = append(g.Codes, c)
			}
		}
		g.N = len(g.Codes)
		data.Levels = append(data.Levels, g)
	}
	max := 0
	for _, c := range r.Codes {
		for _, v := range c.CaseCodings {
			if v > max {
				max = v
			}
		}
	}
	data.Legend = legend(max, "codings")
	data.SVG = template.HTML(r.heatmapSVG(max))
	if err := recurrenceTmpl().Execute(w, data); err != nil {
		return fmt.Errorf("write recurrence HTML: %w", err)
	}
	return nil
}

// heatmapSVG draws codes (rows) by cases (columns); a cell's colour is its
// number of codings, and each cell carries its numbers in data- attributes.
func (r *RecurrenceReport) heatmapSVG(max int) string {
	cell, gap := 26, 3
	switch n := len(r.Cases); {
	case n > 120:
		cell, gap = 12, 1
	case n > 40:
		cell, gap = 18, 2
	}
	esc := template.HTMLEscapeString
	labelW := 120
	for _, c := range r.Codes {
		if w := 6*len([]rune(clip(c.Code, 52))) + 16; w > labelW {
			labelW = w
		}
	}
	headH := 40
	for _, name := range r.Cases {
		if h := int(float64(6*len([]rune(clip(name, 28)))) * 0.72); h+20 > headH {
			headH = h + 20
		}
	}
	shareW := 56
	width := labelW + len(r.Cases)*cell + shareW + 8
	height := headH + len(r.Codes)*cell + 4
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" role="img" aria-label="Heatmap of codes by cases">`,
		width, height, width, height)
	for j, name := range r.Cases {
		x := labelW + j*cell + cell/2
		fmt.Fprintf(&b, `<text transform="translate(%d,%d) rotate(-45)" font-size="%d" style="unicode-bidi:plaintext"><title>%s</title>%s</text>`,
			x-2, headH-6, min(11, cell-2), esc(name), esc(clip(name, 28)))
	}
	fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="11" fill="#59636e">share</text>`, labelW+len(r.Cases)*cell+8, headH-6)
	for i, c := range r.Codes {
		y := headH + i*cell
		fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="12" text-anchor="end" style="unicode-bidi:plaintext"><title>%s</title>%s</text>`,
			labelW-8, y+cell/2+4, esc(c.Code), esc(clip(c.Code, 52)))
		for j, v := range c.CaseCodings {
			fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="%d" rx="2" fill="%s" data-code="%s" data-case="%s" data-n="%d"><title>%s · %s: %d codings</title></rect>`,
				labelW+j*cell, y, cell-gap, cell-gap, palette[bucket(v, max)], esc(c.Code), esc(r.Cases[j]), v, esc(c.Code), esc(r.Cases[j]), v)
		}
		color := map[string]string{LevelAll: "#1a7f37", LevelMost: "#0969da", LevelSome: "#9a6700", LevelNone: "#6e7781"}[c.Level]
		fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="12" font-weight="600" fill="%s">%s%%</text>`,
			labelW+len(r.Cases)*cell+8, y+cell/2+4, color, strconv.FormatFloat(math.Round(c.Share*100), 'f', 0, 64))
	}
	b.WriteString(`</svg>`)
	return b.String()
}

// WriteHTML writes the matrix as an HTML table heatmap in one file.
func (m *MatrixReport) WriteHTML(w io.Writer) error {
	data := struct {
		M      *MatrixReport
		Legend []legendItem
	}{m, legend(m.Max, m.Count)}
	if err := matrixTmpl().Execute(w, data); err != nil {
		return fmt.Errorf("write matrix HTML: %w", err)
	}
	return nil
}

// WriteHTML writes the pairs as an HTML table in one file.
func (c *CooccurrenceReport) WriteHTML(w io.Writer) error {
	if err := coocTmpl().Execute(w, struct{ C *CooccurrenceReport }{c}); err != nil {
		return fmt.Errorf("write co-occurrence HTML: %w", err)
	}
	return nil
}

// WriteHTML writes the codebook appendix in one file.
func (c *CodebookReport) WriteHTML(w io.Writer) error {
	if err := codebookTmpl().Execute(w, c); err != nil {
		return fmt.Errorf("write codebook HTML: %w", err)
	}
	return nil
}
