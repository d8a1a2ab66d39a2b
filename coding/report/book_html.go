package report

import (
	"bufio"
	"fmt"
	"html/template"
	"io"
	"strings"
	"sync"
)

// The HTML book is one self-contained file (inline CSS, no scripts, no
// fonts or images to fetch) that reads on screen and prints to PDF from a
// browser as a book: every chapter starts a page, headings keep with what
// follows, quotes are not split, and nothing but the book is printed.

const bookCSS = `
:root{--ink:#1d1d1f;--muted:#5f6368;--line:#dadce0;--accent:#2a6f97;--client:#2a9d8f;--staff:#b5651d;--other:#6d597a}
*{box-sizing:border-box}
html{background:#eef0f2}
body{margin:0;color:var(--ink);font:16px/1.6 Georgia,"Noto Serif","Noto Serif Hebrew","Noto Naskh Arabic","Times New Roman",serif}
.book{max-width:860px;margin:24px auto;background:#fff;padding:56px 72px;box-shadow:0 1px 4px rgba(0,0,0,.12)}
h1,h2,h3,.caption,.attrs,table,nav,.levelnote{font-family:"Segoe UI","Noto Sans","Noto Sans Hebrew","Noto Sans Arabic",Helvetica,Arial,sans-serif}
h1{font-size:30px;line-height:1.2;margin:0 0 18px;font-weight:650;color:#111}
h2{font-size:21px;margin:34px 0 10px;font-weight:600;color:var(--accent)}
h3{font-size:13px;margin:0 0 8px;font-weight:700;text-transform:uppercase;letter-spacing:.06em;color:var(--c,var(--muted))}
h4{font-size:18px;margin:26px 0 6px}
p{margin:0 0 12px}
.chapter{padding-top:12px;margin-top:48px;border-top:1px solid var(--line)}
.chapter:first-of-type{border-top:0;margin-top:0}
.titlepage{text-align:center;padding:120px 0 100px}
.titlepage h1{font-size:40px;margin-bottom:24px}
.titlepage p{color:var(--muted);font-style:italic}
.kicker{color:var(--muted);font:600 12px/1.4 "Segoe UI","Noto Sans",Arial,sans-serif;text-transform:uppercase;letter-spacing:.08em;margin:0 0 4px}
.attrs{color:var(--muted);font-size:14px;margin:0 0 20px}
.attrs b{font-weight:600;color:var(--ink)}
nav ol{padding-inline-start:22px;margin:0}
nav li{margin:4px 0}
nav a{color:var(--ink);text-decoration:none}
.sides{display:grid;grid-template-columns:repeat(auto-fit,minmax(260px,1fr));gap:14px 22px;margin:8px 0 4px}
.side{--c:var(--other)}
.side.client{--c:var(--client)}
.side.staff{--c:var(--staff)}
figure{margin:0 0 14px;padding:10px 14px;border-inline-start:3px solid var(--c,var(--line));background:#fafafa;break-inside:avoid}
blockquote{margin:0;font-size:16px;unicode-bidi:plaintext}
figcaption.caption{font-size:12.5px;color:var(--muted);margin-top:6px}
.memo{font-size:13.5px;color:#444;margin:6px 0 0;font-style:italic}
.memo b{font-style:normal;font-weight:600}
.sectionmemo{font-size:16px}
.none{color:var(--muted);font-style:italic}
.notseen{columns:2;font-size:15px}
.notes{font-size:13.5px;color:#333}
.levelnote{color:var(--muted);font-size:14px;margin:-4px 0 12px}
.principle{margin:0 0 26px;break-inside:auto}
.principle .desc{font-style:italic;color:#444}
.stat{font:14px/1.5 "Segoe UI","Noto Sans",Arial,sans-serif;color:var(--muted)}
.stat b{color:var(--ink)}
.bar{height:6px;background:#e8eaed;border-radius:3px;overflow:hidden;margin:4px 0 10px;max-width:360px}
.bar div{height:100%;background:var(--accent)}
table{border-collapse:collapse;font-size:13.5px;width:100%;margin:8px 0 16px}
th,td{border-bottom:1px solid var(--line);padding:5px 8px;text-align:start;vertical-align:top}
th{font-weight:600;border-bottom:2px solid #bbb}
td.n,th.n{text-align:end;font-variant-numeric:tabular-nums;white-space:nowrap}
tr.total td{font-weight:600}
bdi{unicode-bidi:isolate}
@page{size:A4;margin:22mm 20mm}
@media print{
 html{background:#fff}
 body{font-size:11.5pt}
 .book{max-width:none;margin:0;padding:0;box-shadow:none}
 .chapter{break-before:page;border-top:0;margin-top:0;padding-top:0}
 .titlepage{break-after:page;padding-top:35%}
 h1,h2,h3,h4{break-after:avoid}
 figure,tr{break-inside:avoid}
 nav a{color:var(--ink)}
 a{text-decoration:none;color:inherit}
}
`

// bookView is what the HTML templates read.
type bookView struct {
	Book       *Book
	Stories    []*Story
	W          words
	Lang, Dir  string
	Title      string
	Whole      bool // the whole book, not one chapter
	FilterNote string
}

var (
	bookTmplOnce sync.Once
	bookTmpl     *template.Template
)

func bookTemplate() *template.Template {
	bookTmplOnce.Do(func() {
		bookTmpl = template.Must(template.New("book").Funcs(template.FuncMap{
			"paras":   paragraphs,
			"leaf":    leafName,
			"pct":     pct,
			"pctw":    func(x float64) string { return fmt.Sprintf("%.0f%%", x*100) },
			"first":   firstSentence,
			"caption": quoteCaption,
			"pcap":    principleCaption,
			"tdir":    func(s string) string { return textDir(s, "auto") },
			"sides":   sidesLine,
			"attr": func(s *Story, k string) string {
				for _, a := range s.Attrs {
					if a.Key == k {
						return a.Value
					}
				}
				return ""
			},
			"roleclass": func(r string) string {
				switch strings.ToLower(r) {
				case "client", "staff":
					return strings.ToLower(r)
				}
				return "other"
			},
			"add":   func(a, b int) int { return a + b },
			"shown": func(pc *PrinciplesChapter, i, k int) string { return pc.Shown[i][k] },
			"newlevel": func(pc *PrinciplesChapter, i int) bool {
				return i == 0 || pc.Codes[i].Level != pc.Codes[i-1].Level
			},
			"all": func(b *Book) []*Story {
				out := make([]*Story, len(b.Stories))
				for i := range b.Stories {
					out[i] = &b.Stories[i]
				}
				return out
			},
			"storyArgs": func(s *Story, i int, w words) storyArgs { return storyArgs{s, i, w} },
			"words":     wordsFor,
			"indent":    func(d int) template.CSS { return template.CSS(fmt.Sprintf("%dpx", 8+d*16)) },
		}).Parse(bookHTML))
	})
	return bookTmpl
}

const bookHTML = `<!doctype html>
<html lang="{{.Lang}}" dir="{{.Dir}}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1"><meta name="generator" content="tacit">
<title>{{.Title}}</title><style>` + bookCSS + `</style></head>
<body><article class="book">
{{- $w := .W}}
{{- if .Whole}}{{with .Book}}
<header class="titlepage"><h1>{{.Title}}</h1><p>{{$w.T "madeBy"}}</p>
{{- with $.FilterNote}}<p>{{$w.T "filters"}}: {{.}}</p>{{end}}</header>
<nav class="chapter" id="contents"><h1>{{$w.T "contents"}}</h1><ol>
{{- if .Method}}<li><a href="#method">{{$w.T "method"}}</a></li>{{end}}
<li><a href="#stories">{{$w.T "stories"}}</a></li>
{{- range $i, $s := .Stories}}<li><a href="#story-{{add $i 1}}"><bdi>{{$s.Case}}</bdi></a></li>{{end}}
<li><a href="#principles">{{$w.T "principles"}}</a></li>
<li><a href="#codebook">{{$w.T "appCodebook"}}</a></li>
{{- if .Agreement}}<li><a href="#agreement">{{$w.T "appAgreement"}}</a></li>{{end}}
</ol></nav>
{{- if .Method}}
<section class="chapter" id="method"><h1>{{$w.T "method"}}</h1>
{{range paras .Method}}<p dir="auto">{{.}}</p>
{{end}}</section>{{end}}
<section class="chapter" id="stories"><h1>{{$w.T "stories"}}</h1>
<table><thead><tr><th>{{$w.T "story"}}</th>{{range .AttrKeys}}<th><bdi>{{.}}</bdi></th>{{end}}</tr></thead><tbody>
{{- $keys := .AttrKeys}}
{{- range $i, $s := .Stories}}<tr><td><a href="#story-{{add $i 1}}"><bdi>{{$s.Case}}</bdi></a></td>{{range $keys}}<td><bdi>{{attr $s .}}</bdi></td>{{end}}</tr>
{{end}}</tbody></table></section>
{{end}}{{end}}
{{- range $i, $_ := .Stories}}{{with $.Chapter $i}}{{template "story" (storyArgs . $i $w)}}{{end}}{{end}}
{{- if .Whole}}{{with .Book}}{{template "principles" .}}
<section class="chapter" id="codebook"><h1>{{$w.T "appCodebook"}}</h1>
<table><thead><tr><th>{{$w.T "code"}}</th><th>{{$w.T "description"}}</th><th class="n">{{$w.T "nStories"}}</th><th class="n">{{$w.T "codings"}}</th></tr></thead><tbody>
{{range .Codebook}}<tr><td style="padding-inline-start:{{indent .Depth}}"><bdi>{{.Name}}</bdi></td><td dir="auto">{{.Description}}</td><td class="n">{{.Cases}}</td><td class="n">{{.Codings}}</td></tr>
{{end}}</tbody></table></section>
{{- with .Agreement}}
<section class="chapter" id="agreement"><h1>{{$w.T "appAgreement"}}</h1>
<p>{{$w.T "coders"}}: {{range $i, $c := .Coders}}{{if $i}}, {{end}}<bdi>{{$c}}</bdi>{{end}}. {{$w.T "unit"}}: {{.Unit}}.</p>
{{with .Method}}<p class="levelnote" dir="ltr">{{.}}</p>{{end}}
<table><thead><tr><th>{{$w.T "code"}}</th><th class="n">{{$w.T "units"}}</th><th class="n">{{$w.T "percent"}}</th><th class="n">{{$w.T "kappa"}}</th><th class="n">{{$w.T "alpha"}}</th></tr></thead><tbody>
{{range .Rows}}<tr{{if not .Code}} class="total"{{end}}><td>{{if .Code}}<bdi>{{.Code}}</bdi>{{else}}{{$w.T "allCodes"}}{{end}}</td><td class="n">{{.Units}}</td><td class="n">{{.Percent}}</td><td class="n">{{.Kappa}}</td><td class="n">{{.Alpha}}</td></tr>
{{end}}</tbody></table></section>{{end}}
{{end}}{{end}}
</article></body></html>
{{define "story"}}{{$s := .S}}{{$w := .W}}
<section class="chapter story" id="story-{{add .I 1}}" lang="{{$s.Lang}}" dir="{{$s.Dir}}">
<h1><bdi>{{$s.Case}}</bdi></h1>
{{- if $s.Attrs}}<p class="attrs">{{range $i, $a := $s.Attrs}}{{if $i}} · {{end}}<b><bdi>{{$a.Key}}</bdi>:</b> <bdi>{{$a.Value}}</bdi>{{end}}</p>{{end}}
{{- with $s.Summary}}<h2>{{$w.T "summary"}}</h2>
{{range paras .}}<p dir="auto">{{.}}</p>
{{end}}{{end}}
{{- if not $s.Sections}}<p class="none">{{$w.T "noPrinciple"}}</p>{{end}}
{{- range $s.Sections}}
<h2><bdi>{{.Title}}</bdi></h2>
{{- range paras .Memo}}<p class="sectionmemo" dir="auto">{{.}}</p>
{{end}}
{{- if ne .Show "memo"}}{{if not .Sides}}<p class="none">{{$w.T "nothingCoded"}}</p>{{end}}
<div class="sides">
{{- range .Sides}}<div class="side {{roleclass .Role}}"><h3>{{$w.Role .Role}}</h3>
{{range .Passages}}<figure dir="{{.Dir}}"><blockquote>{{.Shown}}</blockquote><figcaption class="caption" dir="{{$s.Dir}}">— {{caption $w .}}</figcaption>
{{- range .Memos}}<p class="memo" dir="auto"><b>{{$w.T "notes"}}:</b> {{.}}</p>{{end}}</figure>
{{end}}</div>
{{end}}</div>{{end}}
{{- end}}
{{- if $s.NotSeen}}<h2>{{$w.T "notSeen"}}</h2><ul class="notseen">{{range $s.NotSeen}}<li><bdi>{{leaf .}}</bdi></li>{{end}}</ul>{{end}}
{{- if $s.Notes}}<h2>{{$w.T "notes"}}</h2><ol class="notes">{{range $s.Notes}}<li dir="auto">{{.}}</li>{{end}}</ol>{{end}}
</section>
{{end}}
{{define "principles"}}{{$w := words .Lang}}{{$pc := .Principles}}
<section class="chapter" id="principles"><h1>{{$w.T "principles"}}</h1>
<p class="levelnote">{{$w.Tf "principlesIn" $pc.CasesTotal (pctw $pc.Most)}}</p>
{{- range $i, $c := $pc.Codes}}
{{- if newlevel $pc $i}}<h2>{{$w.Level $c.Level}}</h2>{{end}}
<div class="principle"><h4><bdi>{{leaf $c.Code}}</bdi></h4>
{{- with first $c.Description}}<p class="desc" dir="auto">{{.}}</p>{{end}}
<p class="stat"><b>{{$w.Tf "inStories" $c.Cases $pc.CasesTotal (pctw $c.Share)}}</b> {{sides $w $c $pc.Roles}}</p>
<div class="bar"><div style="width:{{pctw $c.Share}}"></div></div>
{{- range $k, $q := $c.Quotes}}<figure dir="{{tdir $q.Text}}"><blockquote>{{shown $pc $i $k}}</blockquote><figcaption class="caption" dir="{{$.Dir}}">— <bdi>{{pcap $q}}</bdi></figcaption></figure>
{{end}}
{{- if and $c.Absent $c.Cases}}<p class="stat">{{$w.T "absent"}}: {{range $j, $a := $c.Absent}}{{if $j}}, {{end}}<bdi>{{$a}}</bdi>{{end}}.</p>{{end}}
</div>{{end}}
{{- if $pc.Notes}}<h2>{{$w.T "notes"}}</h2><ol class="notes">{{range $pc.Notes}}<li dir="auto">{{.}}</li>{{end}}</ol>{{end}}
</section>
{{end}}`

type storyArgs struct {
	S *Story
	I int
	W words
}

// Chapter is story chapter i (see Book.Chapter).
func (v *bookView) Chapter(i int) (*Story, error) {
	if v.Book != nil {
		return v.Book.Chapter(i)
	}
	return v.Stories[i], nil
}

// WriteHTML writes the whole book as one HTML file.
func (b *Book) WriteHTML(w io.Writer) error {
	stories := make([]*Story, len(b.Stories))
	for i := range b.Stories {
		stories[i] = &b.Stories[i]
	}
	return writeBookHTML(w, &bookView{Book: b, Stories: stories, W: wordsFor(b.Lang), Lang: b.Lang, Dir: b.Dir, Title: b.Title, Whole: true, FilterNote: b.Filters.describe()})
}

// WriteHTML writes the story chapter as one HTML file.
func (s *Story) WriteHTML(w io.Writer) error {
	lang := normLang(s.BookLang)
	return writeBookHTML(w, &bookView{Stories: []*Story{s}, W: wordsFor(lang), Lang: lang, Dir: langDir(lang), Title: s.Case})
}

func writeBookHTML(w io.Writer, v *bookView) error {
	bw := bufio.NewWriter(w)
	if err := bookTemplate().Execute(bw, v); err != nil {
		return fmt.Errorf("write the HTML book: %w", err)
	}
	return bw.Flush()
}
