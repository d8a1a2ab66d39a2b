package report

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/tacit-qda/tacit/coding/report/docx"
)

// The Word book: headings in Word's heading styles (so the navigation pane
// and the table of contents field work), quotes in the Quote style with a
// caption under each, the client's and the staff's passages side by side in
// a two-column table, and right-to-left paragraphs for Hebrew and Arabic.

// WriteDOCX writes the whole book as a Word document.
func (b *Book) WriteDOCX(w io.Writer) error {
	wd := wordsFor(b.Lang)
	rtl := b.Dir == "rtl"
	d := docx.New(w, b.Title, b.Lang, rtl)
	d.Text(docx.StyleTitle, b.Title, rtl || textDir(b.Title, "ltr") == "rtl")
	d.Text(docx.StyleSubtitle, wd.T("madeBy"), rtl)
	if f := b.Filters.describe(); f != "" {
		d.Text(docx.StyleSubtitle, wd.T("filters")+": "+f, rtl)
	}
	d.PageBreak()
	// The chapters, in the order the headings of level 1 follow.
	var chapters []string
	if b.Method != "" {
		chapters = append(chapters, wd.T("method"))
	}
	chapters = append(chapters, wd.T("stories"))
	for i := range b.Stories {
		chapters = append(chapters, b.Stories[i].Case)
	}
	chapters = append(chapters, wd.T("principles"), wd.T("appCodebook"))
	if b.Agreement != nil {
		chapters = append(chapters, wd.T("appAgreement"))
	}
	d.TOC(wd.T("contents"), chapters)
	if b.Method != "" {
		d.Heading(1, wd.T("method"), rtl, true)
		for _, p := range paragraphs(b.Method) {
			d.Text("", p, isRTL(p, rtl))
		}
	}
	d.Heading(1, wd.T("stories"), rtl, true)
	rows := [][]docx.Cell{{docCell(wd.T("story"), rtl)}}
	widths := []int{3}
	for _, k := range b.AttrKeys {
		rows[0] = append(rows[0], docCell(k, rtl))
		widths = append(widths, 2)
	}
	for i := range b.Stories {
		s := &b.Stories[i]
		row := []docx.Cell{docCell(s.Case, rtl)}
		for _, k := range b.AttrKeys {
			v := ""
			for _, a := range s.Attrs {
				if a.Key == k {
					v = a.Value
				}
			}
			row = append(row, docCell(v, rtl))
		}
		rows = append(rows, row)
	}
	d.Table(rows, widths, rtl, true, true)
	for i := range b.Stories {
		s, err := b.Chapter(i)
		if err != nil {
			d.Close()
			return err
		}
		s.docx(d, wd)
	}
	b.principlesDOCX(d, wd, rtl)

	d.Heading(1, wd.T("appCodebook"), rtl, true)
	rows = [][]docx.Cell{{docCell(wd.T("code"), rtl), docCell(wd.T("description"), rtl), docCell(wd.T("nStories"), rtl), docCell(wd.T("codings"), rtl)}}
	for _, c := range b.Codebook {
		rows = append(rows, []docx.Cell{docCell(strings.Repeat("    ", c.Depth)+c.Name, rtl), docCell(c.Description, rtl),
			docCell(strconv.Itoa(c.Cases), rtl), docCell(strconv.Itoa(c.Codings), rtl)})
	}
	d.Table(rows, []int{3, 7, 1, 1}, rtl, true, true)
	if a := b.Agreement; a != nil {
		d.Heading(1, wd.T("appAgreement"), rtl, true)
		d.Text("", fmt.Sprintf("%s: %s. %s: %s.", wd.T("coders"), strings.Join(a.Coders, ", "), wd.T("unit"), a.Unit), rtl)
		if a.Method != "" {
			d.Text(docx.StyleSmall, a.Method, false)
		}
		rows = [][]docx.Cell{{docCell(wd.T("code"), rtl), docCell(wd.T("units"), rtl), docCell(wd.T("percent"), rtl), docCell(wd.T("kappa"), rtl), docCell(wd.T("alpha"), rtl)}}
		for _, r := range a.Rows {
			code := r.Code
			if code == "" {
				code = wd.T("allCodes")
			}
			rows = append(rows, []docx.Cell{docCell(code, rtl), docCell(strconv.FormatInt(r.Units, 10), rtl), docCell(r.Percent, rtl), docCell(r.Kappa, rtl), docCell(r.Alpha, rtl)})
		}
		d.Table(rows, []int{5, 1, 1, 1, 1}, rtl, true, true)
	}
	return d.Close()
}

// WriteDOCX writes the story chapter as a Word document.
func (s *Story) WriteDOCX(w io.Writer) error {
	lang := normLang(s.BookLang)
	d := docx.New(w, s.Case, lang, langDir(lang) == "rtl")
	s.docx(d, wordsFor(lang))
	return d.Close()
}

func (s *Story) docx(d *docx.Document, wd words) {
	rtl := s.Dir == "rtl"
	d.Heading(1, s.Case, rtl, true)
	if len(s.Attrs) > 0 {
		var runs []docx.Run
		for i, a := range s.Attrs {
			if i > 0 {
				runs = append(runs, docx.Run{Text: " · "})
			}
			runs = append(runs, docx.Run{Text: a.Key + ": ", Bold: true}, docx.Run{Text: a.Value})
		}
		d.P(docx.Para{Style: docx.StyleSmall, RTL: rtl, Runs: runs})
	}
	if s.Summary != "" {
		d.Heading(2, wd.T("summary"), rtl, false)
		for _, p := range paragraphs(s.Summary) {
			d.Text("", p, isRTL(p, rtl))
		}
	}
	if len(s.Sections) == 0 {
		d.Text(docx.StyleNote, wd.T("noPrinciple"), rtl)
	}
	for i := range s.Sections {
		sec := &s.Sections[i]
		d.Heading(2, sec.Title, rtl, false)
		for _, p := range paragraphs(sec.Memo) {
			d.Text("", p, isRTL(p, rtl))
		}
		if sec.Show == ShowMemo {
			continue
		}
		if len(sec.Sides) == 0 {
			d.Text(docx.StyleNote, wd.T("nothingCoded"), rtl)
		}
		// The client and the staff side by side; other sides after.
		var pair []Side
		var rest []Side
		for _, sd := range sec.Sides {
			if r := roleRank(sd.Role); r <= 1 {
				pair = append(pair, sd)
			} else {
				rest = append(rest, sd)
			}
		}
		if len(pair) == 2 {
			row := make([]docx.Cell, 2)
			for k, sd := range pair {
				row[k].Paras = append(row[k].Paras, docx.Para{Style: "Heading3", RTL: rtl, Runs: []docx.Run{{Text: wd.Role(sd.Role)}}})
				for _, q := range sd.Passages {
					row[k].Paras = append(row[k].Paras, quoteParas(wd, &q, rtl)...)
				}
			}
			d.Table([][]docx.Cell{row}, []int{1, 1}, rtl, false, false)
		} else {
			rest = append(pair, rest...)
		}
		for _, sd := range rest {
			d.P(docx.Para{Style: "Heading3", RTL: rtl, Runs: []docx.Run{{Text: wd.Role(sd.Role)}}})
			for _, q := range sd.Passages {
				for _, p := range quoteParas(wd, &q, rtl) {
					d.P(p)
				}
			}
		}
	}
	if len(s.NotSeen) > 0 {
		d.Heading(2, wd.T("notSeen"), rtl, false)
		for _, c := range s.NotSeen {
			d.Text("", "• "+leafName(c), rtl)
		}
	}
	notesDOCX(d, wd, s.Notes, rtl)
}

// quoteParas are a quote, its caption and its memos.
func quoteParas(wd words, q *BookQuote, rtl bool) []docx.Para {
	out := []docx.Para{
		{Style: docx.StyleQuote, RTL: q.Dir == "rtl", Runs: []docx.Run{{Text: q.Shown}}},
		{Style: docx.StyleCaption, RTL: rtl, Runs: []docx.Run{{Text: "— " + quoteCaption(wd, q)}}},
	}
	for _, m := range q.Memos {
		out = append(out, docx.Para{Style: docx.StyleNote, RTL: isRTL(m, rtl), Runs: []docx.Run{{Text: wd.T("notes") + ": ", Bold: true}, {Text: FoldSpace(m)}}})
	}
	return out
}

func notesDOCX(d *docx.Document, wd words, notes []string, rtl bool) {
	if len(notes) == 0 {
		return
	}
	d.Heading(2, wd.T("notes"), rtl, false)
	for i, n := range notes {
		d.Text(docx.StyleSmall, fmt.Sprintf("%d. %s", i+1, n), isRTL(n, rtl))
	}
}

func (b *Book) principlesDOCX(d *docx.Document, wd words, rtl bool) {
	pc := &b.Principles
	d.Heading(1, wd.T("principles"), rtl, true)
	d.Text(docx.StyleSmall, wd.Tf("principlesIn", pc.CasesTotal, pct(pc.Most)), rtl)
	for i := range pc.Codes {
		c := &pc.Codes[i]
		if i == 0 || c.Level != pc.Codes[i-1].Level {
			d.Heading(2, wd.Level(c.Level), rtl, false)
		}
		d.Heading(3, leafName(c.Code), isRTL(c.Code, rtl), false)
		if desc := firstSentence(c.Description); desc != "" {
			d.P(docx.Para{RTL: isRTL(desc, rtl), Runs: []docx.Run{{Text: desc, Italic: true}}})
		}
		stat := wd.Tf("inStories", c.Cases, pc.CasesTotal, pct(c.Share))
		if s := sidesLine(wd, c, pc.Roles); s != "" {
			stat += " " + s + "."
		}
		d.P(docx.Para{Style: docx.StyleSmall, RTL: rtl, Runs: []docx.Run{{Text: stat, Bold: true}}})
		for k, q := range c.Quotes {
			d.Text(docx.StyleQuote, pc.Shown[i][k], textDir(q.Text, "ltr") == "rtl")
			d.Text(docx.StyleCaption, "— "+principleCaption(&q), rtl)
		}
		if len(c.Absent) > 0 && c.Cases > 0 {
			d.Text(docx.StyleSmall, wd.T("absent")+": "+strings.Join(c.Absent, ", ")+".", rtl)
		}
	}
	notesDOCX(d, wd, pc.Notes, rtl)
}

func docCell(s string, rtl bool) docx.Cell {
	return docx.Cell{Paras: []docx.Para{{Style: docx.StyleSmall, RTL: isRTL(s, rtl), Runs: []docx.Run{{Text: s}}}}}
}

// isRTL is the direction of a paragraph of text s in a part whose direction
// is rtl: the text's own first strong character decides.
func isRTL(s string, rtl bool) bool {
	def := "ltr"
	if rtl {
		def = "rtl"
	}
	return textDir(s, def) == "rtl"
}
