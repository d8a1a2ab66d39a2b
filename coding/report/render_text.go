package report

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/tacit-qda/tacit/coding"
)

// rolesText writes "client 5 · staff 4" in the report's role order.
func rolesText(roles []string, m map[string]int, sep string) string {
	var parts []string
	for _, r := range roles {
		if n := m[r]; n > 0 {
			parts = append(parts, r+" "+strconv.Itoa(n))
		}
	}
	if len(parts) == 0 {
		return "-"
	}
	return strings.Join(parts, sep)
}

func levelTitle(level string, most float64) string {
	switch level {
	case LevelAll:
		return "In all cases"
	case LevelMost:
		return "In most cases (more than " + pct(most) + ")"
	case LevelSome:
		return "In some cases"
	}
	return "In no case"
}

// writeHead writes a report's headline for a terminal, and the reason it is
// empty if it is; it reports whether it was empty.
func writeHead(w io.Writer, headline, emptyReason string) bool {
	fmt.Fprintln(w, headline)
	if emptyReason != "" {
		fmt.Fprintln(w, emptyReason)
		return true
	}
	return false
}

func (r *RecurrenceReport) headline() string {
	return fmt.Sprintf("%d cases, %d codings; \"most\" means more than %s of the cases.", r.CasesTotal, r.Codings, pct(r.Most)) +
		r.Filters.note()
}

// WriteJSON writes the report as indented JSON, streamed.
func (r *RecurrenceReport) WriteJSON(w io.Writer) error { return newJSONWriter(w).recurrence(r) }

// WriteTable writes a table for a terminal: code, cases, share, level,
// roles, both, absent cases.
func (r *RecurrenceReport) WriteTable(w io.Writer) error {
	if writeHead(w, r.headline(), r.EmptyReason) {
		return nil
	}
	t := newTable(w)
	t.row("CODE", "CASES", "SHARE", "LEVEL", "ROLES", "BOTH", "ABSENT")
	for _, c := range r.Codes {
		t.row(c.Code, fmt.Sprintf("%d/%d", c.Cases, r.CasesTotal), pct(c.Share), c.Level,
			rolesText(r.Roles, c.Roles, " "), strconv.Itoa(c.BothRoles), listClip(c.Absent, 60))
	}
	if err := t.flush(); err != nil {
		return err
	}
	fmt.Fprintln(w, r.sidesNote())
	if r.ByAttr != nil {
		for _, g := range r.ByAttr.Groups {
			fmt.Fprintf(w, "\n%s = %s (%s)\n", r.ByAttr.Attr, groupValue(g.Value), coding.Plural(g.CasesTotal, "case", "cases"))
			t := newTable(w)
			t.row("CODE", "CASES", "SHARE", "LEVEL", "ROLES", "BOTH", "ABSENT")
			for _, c := range g.Codes {
				t.row(c.Code, fmt.Sprintf("%d/%d", c.Cases, g.CasesTotal), pct(c.Share), c.Level,
					rolesText(r.Roles, c.Roles, " "), strconv.Itoa(c.BothRoles), listClip(c.Absent, 60))
			}
			if err := t.flush(); err != nil {
				return err
			}
		}
	}
	return nil
}

func groupValue(v string) string {
	if v == "" {
		return "(none)"
	}
	return v
}

// WriteCSV writes one row per code; quotes are joined in one cell, one per
// line, and a split by attribute adds two columns per value.
func (r *RecurrenceReport) WriteCSV(w io.Writer) error {
	head := []string{"code", "cases", "cases_total", "share", "level"}
	for _, role := range r.Roles {
		head = append(head, "role:"+role)
	}
	head = append(head, "both_roles", "codings", "absent", "present", "quotes")
	var groups map[string][]GroupCodeLine
	if r.ByAttr != nil {
		groups = map[string][]GroupCodeLine{}
		for _, g := range r.ByAttr.Groups {
			name := r.ByAttr.Attr + "=" + groupValue(g.Value)
			head = append(head, name+" cases", name+" level")
			for _, c := range g.Codes {
				groups[c.Code] = append(groups[c.Code], c)
			}
		}
	}
	rows := [][]string{head}
	for _, c := range r.Codes {
		row := []string{c.Code, strconv.Itoa(c.Cases), strconv.Itoa(r.CasesTotal), strconv.FormatFloat(c.Share, 'f', -1, 64), c.Level}
		for _, role := range r.Roles {
			row = append(row, strconv.Itoa(c.Roles[role]))
		}
		var qs []string
		for _, q := range c.Quotes {
			qs = append(qs, quoteLine(q))
		}
		row = append(row, strconv.Itoa(c.BothRoles), strconv.Itoa(c.Codings), strings.Join(c.Absent, "; "),
			strings.Join(c.Present, "; "), strings.Join(qs, "\n"))
		if r.ByAttr != nil {
			// groups[c.Code] holds one line per group, in group order.
			for _, g := range groups[c.Code] {
				row = append(row, strconv.Itoa(g.Cases), g.Level)
			}
		}
		rows = append(rows, row)
	}
	return writeCSV(w, rows)
}

func quoteLine(q Quote) string {
	who := q.Speaker
	if who == "" {
		who = "?"
	}
	s := fmt.Sprintf("[%s / %s / %s] %s", q.Case, q.Doc, who, q.Text)
	if len(q.Coders) > 0 {
		s += " (coded by " + strings.Join(q.Coders, ", ") + ")"
	}
	return s
}

// sidesNote says what BOTH counts.
func (r *RecurrenceReport) sidesNote() string {
	if len(r.Sides) == 0 {
		return "BOTH: no perspective role (every role but the interviewer's) coded here; name the roles to compare as the sides."
	}
	return "BOTH: cases where at least two of the perspective roles " + strings.Join(r.Sides, ", ") + " coded it (the interviewer's codings do not count)."
}

// WriteMarkdown writes the chapter: a summary table, then the principles by
// level with their absent cases and quotes.
func (r *RecurrenceReport) WriteMarkdown(w io.Writer) error {
	var b strings.Builder
	b.WriteString("# Recurrence of codes across cases\n\n")
	b.WriteString(mdText(r.headline()) + "\n\n")
	if r.EmptyReason != "" {
		b.WriteString("**" + mdText(r.EmptyReason) + "**\n")
		_, err := io.WriteString(w, b.String())
		return err
	}
	b.WriteString(mdText(r.sidesNote()) + "\n\n")
	b.WriteString("| Code | Cases | Share | Level | Roles | Both | Absent |\n|---|---:|---:|---|---|---:|---|\n")
	for _, c := range r.Codes {
		fmt.Fprintf(&b, "| %s | %d/%d | %s | %s | %s | %d | %s |\n", mdCell(c.Code), c.Cases, r.CasesTotal, pct(c.Share),
			c.Level, mdCell(rolesText(r.Roles, c.Roles, ", ")), c.BothRoles, mdCell(strings.Join(c.Absent, ", ")))
	}
	for _, level := range Levels {
		var in []CodeRecurrence
		for _, c := range r.Codes {
			if c.Level == level {
				in = append(in, c)
			}
		}
		if len(in) == 0 {
			continue
		}
		fmt.Fprintf(&b, "\n## %s\n", levelTitle(level, r.Most))
		for _, c := range in {
			fmt.Fprintf(&b, "\n### %s\n\n", mdText(c.Code))
			if c.Description != "" {
				b.WriteString("*" + mdText(c.Description) + "*\n\n")
			}
			fmt.Fprintf(&b, "Present in %d of %d cases (%s); roles: %s; seen from both sides (%s) in %d.\n",
				c.Cases, r.CasesTotal, pct(c.Share), mdText(rolesText(r.Roles, c.Roles, ", ")), mdText(strings.Join(r.Sides, ", ")), c.BothRoles)
			if len(c.Absent) > 0 {
				b.WriteString("Absent in: " + mdText(strings.Join(c.Absent, ", ")) + ".\n")
			}
			for _, q := range c.Quotes {
				b.WriteString("\n> " + strings.ReplaceAll(mdText(q.Text), "\n", "\n> ") + "\n>\n> — ")
				if q.Speaker != "" {
					b.WriteString(mdText(q.Speaker))
					if q.Role != "" {
						b.WriteString(" (" + mdText(q.Role) + ")")
					}
					b.WriteString(", ")
				}
				b.WriteString(mdText(q.Doc) + ", case " + mdText(q.Case))
				if q.Code != c.Code {
					b.WriteString(", coded " + mdText(q.Code))
				}
				if len(q.Coders) > 0 {
					b.WriteString(", coded by " + mdText(strings.Join(q.Coders, ", ")))
				}
				b.WriteString("\n")
				if q.Memo != "" {
					b.WriteString(">\n> *Memo: " + mdText(q.Memo) + "*\n")
				}
			}
		}
	}
	if r.ByAttr != nil {
		fmt.Fprintf(&b, "\n## By %s\n", mdText(r.ByAttr.Attr))
		for _, g := range r.ByAttr.Groups {
			fmt.Fprintf(&b, "\n### %s = %s (%s)\n\n", mdText(r.ByAttr.Attr), mdText(groupValue(g.Value)), coding.Plural(g.CasesTotal, "case", "cases"))
			b.WriteString("| Code | Cases | Share | Level | Roles | Both | Absent |\n|---|---:|---:|---|---|---:|---|\n")
			for _, c := range g.Codes {
				fmt.Fprintf(&b, "| %s | %d/%d | %s | %s | %s | %d | %s |\n", mdCell(c.Code), c.Cases, g.CasesTotal, pct(c.Share),
					c.Level, mdCell(rolesText(r.Roles, c.Roles, ", ")), c.BothRoles, mdCell(strings.Join(c.Absent, ", ")))
			}
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// ---- matrix

// WriteJSON writes the report as indented JSON.
func (m *MatrixReport) WriteJSON(w io.Writer) error { return writeJSON(w, m) }

func (m *MatrixReport) grid() [][]string {
	head := append([]string{m.RowsBy}, m.Columns...)
	head = append(head, "total")
	rows := [][]string{head}
	for _, r := range m.Rows {
		row := []string{r.Label}
		for _, v := range r.Cells {
			row = append(row, strconv.Itoa(v))
		}
		rows = append(rows, append(row, strconv.Itoa(r.Total)))
	}
	tot := []string{"total"}
	for _, v := range m.ColTotals {
		tot = append(tot, strconv.Itoa(v))
	}
	return append(rows, append(tot, strconv.Itoa(m.Total)))
}

func (m *MatrixReport) headline() string {
	return fmt.Sprintf("%s by %s, cells count %s.", m.RowsBy, m.ColsBy, m.Count) + m.Filters.note()
}

// WriteTable writes the matrix with row and column totals.
func (m *MatrixReport) WriteTable(w io.Writer) error {
	if writeHead(w, m.headline(), m.EmptyReason) {
		return nil
	}
	t := newTable(w)
	for i, row := range m.grid() {
		if i == 0 {
			for j := range row {
				row[j] = strings.ToUpper(row[j][:1]) + row[j][1:]
			}
		}
		t.row(row...)
	}
	return t.flush()
}

// WriteCSV writes the matrix with a header row and a totals row and column.
func (m *MatrixReport) WriteCSV(w io.Writer) error { return writeCSV(w, m.grid()) }

// WriteMarkdown writes the matrix as a Markdown table.
func (m *MatrixReport) WriteMarkdown(w io.Writer) error {
	var b strings.Builder
	b.WriteString("# Matrix\n\n" + mdText(m.headline()) + "\n\n")
	if m.EmptyReason != "" {
		b.WriteString("**" + mdText(m.EmptyReason) + "**\n")
	} else {
		for i, row := range m.grid() {
			for j := range row {
				row[j] = mdCell(row[j])
			}
			b.WriteString("| " + strings.Join(row, " | ") + " |\n")
			if i == 0 {
				b.WriteString("|---" + strings.Repeat("|---:", len(row)-1) + "|\n")
			}
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// ---- co-occurrence

// WriteJSON writes the report as indented JSON.
func (c *CooccurrenceReport) WriteJSON(w io.Writer) error { return writeJSON(w, c) }

func (c *CooccurrenceReport) headline() string {
	return fmt.Sprintf("Codes occurring together in one %s (at least %d); %s.", c.Unit, c.Min, c.Measure) + c.Filters.note()
}

// WriteTable writes the pairs, most frequent first.
func (c *CooccurrenceReport) WriteTable(w io.Writer) error {
	if writeHead(w, c.headline(), c.EmptyReason) {
		return nil
	}
	t := newTable(w)
	t.row("CODE A", "CODE B", "COUNT", "JACCARD", "A", "B")
	for _, p := range c.Pairs {
		t.row(p.A, p.B, strconv.Itoa(p.Count), strconv.FormatFloat(p.Jaccard, 'f', 3, 64), strconv.Itoa(p.ATotal), strconv.Itoa(p.BTotal))
	}
	return t.flush()
}

// WriteCSV writes one row per pair.
func (c *CooccurrenceReport) WriteCSV(w io.Writer) error {
	rows := [][]string{{"a", "b", "count", "jaccard", "a_total", "b_total"}}
	for _, p := range c.Pairs {
		rows = append(rows, []string{p.A, p.B, strconv.Itoa(p.Count), strconv.FormatFloat(p.Jaccard, 'f', -1, 64),
			strconv.Itoa(p.ATotal), strconv.Itoa(p.BTotal)})
	}
	return writeCSV(w, rows)
}

// WriteMarkdown writes the pairs as a Markdown table.
func (c *CooccurrenceReport) WriteMarkdown(w io.Writer) error {
	var b strings.Builder
	b.WriteString("# Co-occurrence\n\n" + mdText(c.headline()) + "\n\n")
	if c.EmptyReason != "" {
		b.WriteString("**" + mdText(c.EmptyReason) + "**\n")
	} else {
		b.WriteString("| Code A | Code B | Count | Jaccard | A | B |\n|---|---|---:|---:|---:|---:|\n")
		for _, p := range c.Pairs {
			fmt.Fprintf(&b, "| %s | %s | %d | %.3f | %d | %d |\n", mdCell(p.A), mdCell(p.B), p.Count, p.Jaccard, p.ATotal, p.BTotal)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// ---- codebook

// WriteJSON writes the report as indented JSON.
func (c *CodebookReport) WriteJSON(w io.Writer) error { return writeJSON(w, c) }

// WriteTable writes the codebook indented by depth.
func (c *CodebookReport) WriteTable(w io.Writer) error {
	fmt.Fprintf(w, "%d codes, %d codings, %d documents, %d cases.\n", len(c.Codes), c.Codings, c.DocsTotal, c.CasesTotal)
	t := newTable(w)
	t.row("CODE", "CODINGS", "DOCS", "CASES", "DESCRIPTION")
	for _, e := range c.Codes {
		t.row(strings.Repeat("  ", e.Depth)+e.Name, strconv.Itoa(e.Codings), strconv.Itoa(e.Docs), strconv.Itoa(e.Cases), clip(e.Description, 60))
	}
	return t.flush()
}

// WriteCSV writes one row per code.
func (c *CodebookReport) WriteCSV(w io.Writer) error {
	rows := [][]string{{"code", "name", "parent", "depth", "description", "color", "codings", "direct_codings", "docs", "cases"}}
	for _, e := range c.Codes {
		rows = append(rows, []string{e.Code, e.Name, e.Parent, strconv.Itoa(e.Depth), e.Description, e.Color,
			strconv.Itoa(e.Codings), strconv.Itoa(e.DirectCodings), strconv.Itoa(e.Docs), strconv.Itoa(e.Cases)})
	}
	return writeCSV(w, rows)
}

// WriteMarkdown writes the codebook appendix as a table, sub-codes indented
// under their parents.
func (c *CodebookReport) WriteMarkdown(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "# Codebook\n\n%d codes, %d codings in %d documents and %d cases. Counts include sub-codes.\n\n",
		len(c.Codes), c.Codings, c.DocsTotal, c.CasesTotal)
	b.WriteString("| Code | Description | Codings | Docs | Cases |\n|---|---|---:|---:|---:|\n")
	for _, e := range c.Codes {
		name := "**" + mdText(e.Name) + "**"
		if e.Depth > 0 {
			name = strings.Repeat("&nbsp;&nbsp;&nbsp;&nbsp;", e.Depth) + mdText(e.Name)
		}
		fmt.Fprintf(&b, "| %s | %s | %d | %d | %d |\n", name, mdCell(mdText(e.Description)), e.Codings, e.Docs, e.Cases)
	}
	_, err := io.WriteString(w, b.String())
	return err
}
