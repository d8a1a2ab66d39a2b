package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// Markdown of the book: chapters are level-1 headings, sections level 2.
// Quotes are block quotes holding the coded text (Markdown characters
// escaped); a shortened quote's full text is a numbered note at the end of
// its chapter.

type mdWriter struct {
	w   *bufio.Writer
	err error
}

func (m *mdWriter) p(format string, args ...any) {
	if m.err == nil {
		_, m.err = fmt.Fprintf(m.w, format, args...)
	}
}

// para writes text as a paragraph (or several, at blank lines), escaped.
func (m *mdWriter) para(text string) {
	for _, p := range paragraphs(text) {
		m.p("%s\n\n", mdText(p))
	}
}

// paragraphs splits a memo into paragraphs at blank lines; lines inside a
// paragraph are joined with a space.
func paragraphs(text string) []string {
	var out []string
	for _, p := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n\n") {
		if p = FoldSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// WriteMarkdown writes the story chapter as Markdown.
func (s *Story) WriteMarkdown(w io.Writer) error {
	m := &mdWriter{w: bufio.NewWriter(w)}
	s.markdown(m)
	if m.err != nil {
		return m.err
	}
	return m.w.Flush()
}

func (s *Story) markdown(m *mdWriter) {
	wd := wordsFor(s.BookLang)
	m.p("# %s\n\n", mdText(s.Case))
	if len(s.Attrs) > 0 {
		parts := make([]string, len(s.Attrs))
		for i, a := range s.Attrs {
			parts[i] = "*" + mdText(a.Key) + ":* " + mdText(a.Value)
		}
		m.p("%s\n\n", strings.Join(parts, " · "))
	}
	if s.Summary != "" {
		m.p("## %s\n\n", wd.T("summary"))
		m.para(s.Summary)
	}
	if len(s.Sections) == 0 {
		m.p("%s\n\n", wd.T("noPrinciple"))
	}
	for i := range s.Sections {
		sec := &s.Sections[i]
		m.p("## %s\n\n", mdText(sec.Title))
		if sec.Memo != "" {
			m.para(sec.Memo)
		}
		if sec.Show == ShowMemo {
			continue
		}
		if len(sec.Sides) == 0 {
			m.p("%s\n\n", wd.T("nothingCoded"))
		}
		for _, side := range sec.Sides {
			m.p("### %s\n\n", mdText(wd.Role(side.Role)))
			for _, q := range side.Passages {
				mdQuote(m, wd, &q)
			}
		}
	}
	if len(s.NotSeen) > 0 {
		m.p("## %s\n\n", wd.T("notSeen"))
		for _, c := range s.NotSeen {
			m.p("- %s\n", mdText(leafName(c)))
		}
		m.p("\n")
	}
	mdNotes(m, wd, s.Notes)
}

func mdQuote(m *mdWriter, wd words, q *BookQuote) {
	m.p("> %s\n>\n", mdText(q.Shown))
	m.p("> — %s\n\n", mdText(quoteCaption(wd, q)))
	for _, memo := range q.Memos {
		m.p("*%s:* %s\n\n", wd.T("notes"), mdText(FoldSpace(memo)))
	}
}

// quoteCaption is the line under a quote: speaker, document, code when it
// is a sub-code, coders, key, note.
func quoteCaption(wd words, q *BookQuote) string {
	parts := []string{}
	if q.Speaker != "" {
		parts = append(parts, q.Speaker)
	}
	parts = append(parts, q.Doc)
	cap := strings.Join(parts, ", ")
	if len(q.Coders) > 0 {
		cap += " · " + wd.T("codedBy") + " " + strings.Join(q.Coders, ", ")
	}
	if q.Key {
		cap += " · " + wd.T("key")
	}
	if q.Note > 0 {
		cap += " · " + wd.Tf("fullNote", q.Note)
	}
	return cap
}

func mdNotes(m *mdWriter, wd words, notes []string) {
	if len(notes) == 0 {
		return
	}
	m.p("## %s\n\n", wd.T("notes"))
	for i, n := range notes {
		m.p("%d. %s\n", i+1, mdText(n))
	}
	m.p("\n")
}

// WriteMarkdown writes the whole book as Markdown.
func (b *Book) WriteMarkdown(w io.Writer) error {
	m := &mdWriter{w: bufio.NewWriter(w)}
	wd := wordsFor(b.Lang)
	m.p("# %s\n\n", mdText(b.Title))
	m.p("*%s*\n\n", wd.T("madeBy"))
	if d := b.Filters.describe(); d != "" {
		m.p("%s: %s\n\n", wd.T("filters"), mdText(d))
	}
	if b.Method != "" {
		m.p("# %s\n\n", wd.T("method"))
		m.para(b.Method)
	}
	m.p("# %s\n\n", wd.T("stories"))
	head := []string{wd.T("story")}
	for _, k := range b.AttrKeys {
		head = append(head, mdCell(k))
	}
	m.p("| %s |\n|%s\n", strings.Join(head, " | "), strings.Repeat("---|", len(head)))
	for _, s := range b.Stories {
		row := []string{mdCell(s.Case)}
		for _, k := range b.AttrKeys {
			v := ""
			for _, a := range s.Attrs {
				if a.Key == k {
					v = a.Value
				}
			}
			row = append(row, mdCell(v))
		}
		m.p("| %s |\n", strings.Join(row, " | "))
	}
	m.p("\n")
	for i := range b.Stories {
		s, err := b.Chapter(i)
		if err != nil {
			return err
		}
		s.markdown(m)
	}
	b.principlesMarkdown(m, wd)
	m.p("# %s\n\n", wd.T("appCodebook"))
	m.p("| %s | %s | %s | %s |\n|---|---|---:|---:|\n", wd.T("code"), wd.T("description"), wd.T("nStories"), wd.T("codings"))
	for _, c := range b.Codebook {
		m.p("| %s | %s | %d | %d |\n", mdCell(c.Code), mdCell(c.Description), c.Cases, c.Codings)
	}
	m.p("\n")
	if a := b.Agreement; a != nil {
		m.p("# %s\n\n", wd.T("appAgreement"))
		m.p("%s: %s. %s: %s.\n\n", wd.T("coders"), mdText(strings.Join(a.Coders, ", ")), wd.T("unit"), mdText(a.Unit))
		if a.Method != "" {
			m.para(a.Method)
		}
		m.p("| %s | %s | %s | %s | %s |\n|---|---:|---:|---:|---:|\n", wd.T("code"), wd.T("units"), wd.T("percent"), wd.T("kappa"), wd.T("alpha"))
		for _, r := range a.Rows {
			code := r.Code
			if code == "" {
				code = "**" + wd.T("allCodes") + "**"
			} else {
				code = mdCell(code)
			}
			m.p("| %s | %d | %s | %s | %s |\n", code, r.Units, r.Percent, r.Kappa, r.Alpha)
		}
		m.p("\n")
	}
	if m.err != nil {
		return m.err
	}
	return m.w.Flush()
}

func (b *Book) principlesMarkdown(m *mdWriter, wd words) {
	pc := &b.Principles
	m.p("# %s\n\n", wd.T("principles"))
	m.p("%s\n\n", wd.Tf("principlesIn", pc.CasesTotal, pct(pc.Most)))
	level := ""
	for i := range pc.Codes {
		c := &pc.Codes[i]
		if c.Level != level {
			level = c.Level
			m.p("## %s\n\n", wd.Level(level))
		}
		m.p("### %s\n\n", mdText(leafName(c.Code)))
		if d := firstSentence(c.Description); d != "" {
			m.p("*%s*\n\n", mdText(d))
		}
		m.p("%s", wd.Tf("inStories", c.Cases, pc.CasesTotal, pct(c.Share)))
		if sides := sidesLine(wd, c, pc.Roles); sides != "" {
			m.p(" %s.", mdText(sides))
		}
		m.p("\n\n")
		for k, q := range c.Quotes {
			m.p("> %s\n>\n> — %s\n\n", mdText(pc.Shown[i][k]), mdText(principleCaption(&q)))
		}
		if len(c.Absent) > 0 && c.Cases > 0 {
			m.p("%s: %s.\n\n", wd.T("absent"), mdText(strings.Join(c.Absent, ", ")))
		}
	}
	mdNotes(m, wd, pc.Notes)
}

// sidesLine says from which sides a principle was seen: "Seen by: client 3,
// staff 4, both sides in 2".
func sidesLine(wd words, c *CodeRecurrence, roles []string) string {
	var parts []string
	for _, r := range roles {
		if n := c.Roles[r]; n > 0 {
			parts = append(parts, fmt.Sprintf("%s %d", strings.ToLower(wd.Role(r)), n))
		}
	}
	if len(parts) == 0 {
		return ""
	}
	if c.BothRoles > 0 {
		parts = append(parts, wd.Tf("both", c.BothRoles))
	}
	return wd.T("seenBy") + ": " + strings.Join(parts, ", ")
}

// principleCaption is the line under a quote of the principles chapter.
func principleCaption(q *Quote) string {
	parts := []string{q.Case}
	if q.Speaker != "" {
		parts = append(parts, q.Speaker)
	}
	return strings.Join(parts, ", ")
}

// firstSentence is the first sentence of a code's description: what the
// principle is, without the coding instructions that follow.
func firstSentence(s string) string {
	s = FoldSpace(s)
	for i, r := range s {
		if (r == '.' || r == '?' || r == '!' || r == '؟' || r == '।') && (i+1 == len(s) || s[i+1] == ' ') {
			return s[:i+1]
		}
	}
	return s
}
