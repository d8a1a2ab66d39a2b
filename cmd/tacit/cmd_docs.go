package main

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/tacit-qda/tacit/coding"
	"github.com/tacit-qda/tacit/project"
)

func init() {
	register(func(root *cobra.Command, g *globals) {
		var caseName string
		var ofl output
		cmd := &cobra.Command{
			Use:     "docs",
			Short:   "List the documents",
			Example: "  tacit docs\n  tacit docs --case \"S1 Step by step\" --json",
			Args:    argsN(0, 0, "no arguments"),
			RunE: func(cmd *cobra.Command, args []string) error {
				var res *project.DocsResult
				err := g.do(cmd, readOnly, func(ctx context.Context, ops project.Operations) (err error) {
					res, err = ops.Docs(ctx, project.DocsRequest{Case: caseName})
					return err
				})
				if err != nil {
					return err
				}
				rows := res.Documents
				l := listing{title: "Documents", json: nonNil(rows),
					columns: []string{"id", "name", "case", "format", "lang", "turns", "speakers", "chars", "codings", "attributes"}}
				for _, r := range rows {
					l.rows = append(l.rows, []string{num(r.ID), r.Name, r.Case, r.Format, r.Lang, num(r.Turns),
						strings.Join(r.Speakers, "; "), num(r.Chars), num(r.Codings), attrCell(r.Attributes)})
				}
				l.table = tableOf(rows, "no documents yet; import transcripts with 'tacit import FILE|DIR --case NAME'", []string{"ID", "NAME", "CASE", "FORMAT", "LANG", "TURNS", "SPEAKERS", "CHARS", "CODINGS", "ATTRIBUTES"}, func(r project.DocRow) []any {
					return []any{r.ID, r.Name, dash(r.Case), r.Format, r.Lang, r.Turns, truncate(strings.Join(r.Speakers, ", "), 40), r.Chars, r.Codings, attrString(r.Attributes)}
				})
				return ofl.list(g, l)
			},
		}
		cmd.Flags().StringVar(&caseName, "case", "", "only the documents of this case")
		addOutput(cmd, &ofl)
		root.AddCommand(cmd)
	})
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// attrPairs is attributes as k=v, sorted by key.
func attrPairs(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + "=" + m[k]
	}
	return parts
}

// attrCell is attributes as one CSV/Markdown/HTML cell: k=v; k2=v2.
func attrCell(m map[string]string) string { return strings.Join(attrPairs(m), "; ") }

// attrString is attributes in a terminal table: k=v k2=v2, or "-".
func attrString(m map[string]string) string { return dash(strings.Join(attrPairs(m), " ")) }

// ---- show ----

func init() {
	register(func(root *cobra.Command, g *globals) {
		var fromTurn, toTurn int
		cmd := &cobra.Command{
			Use:   "show DOC",
			Short: "Show a document turn by turn, with speakers, offsets and codings",
			Long: `Show a document (by id or name) turn by turn. Each turn shows its index,
speaker, role, [start,end) code-point offsets and time, then its text; the
codings that lie in a turn are listed under it with their ids.`,
			Example: "  tacit show client-moshe\n  tacit show 3 --json",
			Args:    argsN(1, 1, "one document id or name"),
			RunE: func(cmd *cobra.Command, args []string) error {
				var out *project.ShowResult
				err := g.do(cmd, readOnly, func(ctx context.Context, ops project.Operations) (err error) {
					out, err = ops.Show(ctx, project.ShowRequest{Doc: args[0]})
					return err
				})
				if err != nil {
					return err
				}
				if err := checkTurns(out, fromTurn, toTurn); err != nil {
					return err
				}
				if g.json {
					return printShowJSON(g, out)
				}
				printShow(g, out, fromTurn, toTurn)
				return nil
			},
		}
		cmd.Flags().IntVar(&fromTurn, "from", 0, "first turn to show")
		cmd.Flags().IntVar(&toTurn, "to", -1, "last turn to show")
		root.AddCommand(cmd)
	})
}

func fmtTime(f *float64) string {
	if f == nil {
		return ""
	}
	s := int(*f)
	return fmt.Sprintf("%02d:%02d:%02d", s/3600, s/60%60, s%60)
}

func printShow(g *globals, d *project.ShowResult, from, to int) {
	fmt.Fprintf(g.stdout, "%s (id %d)", d.Name, d.ID)
	if d.Case != "" {
		fmt.Fprintf(g.stdout, "  case: %s", d.Case)
	}
	fmt.Fprintf(g.stdout, "  format: %s  lang: %s", d.Format, d.Lang)
	if len(d.Attributes) > 0 {
		fmt.Fprintf(g.stdout, "  %s", attrString(d.Attributes))
	}
	fmt.Fprintln(g.stdout)
	byID := map[uint64]project.ShowCoding{}
	for _, c := range d.Codings {
		byID[c.ID] = c
	}
	printed := map[uint64]bool{}
	for _, t := range d.Turns {
		if t.Index < from || (to >= 0 && t.Index > to) {
			continue
		}
		sp := t.Speaker
		if sp == "" {
			sp = "(no speaker)"
			if t.Header {
				sp = "(header)"
			}
		}
		if t.Role != "" {
			sp += " [" + t.Role + "]"
		}
		tm := ""
		if t.TimeStart != nil {
			tm = " " + fmtTime(t.TimeStart)
		}
		fmt.Fprintf(g.stdout, "\n#%d %s  %d:%d%s\n", t.Index, sp, t.Start, t.End, tm)
		fmt.Fprintln(g.stdout, indent(t.Text, "  "))
		for _, id := range t.Codings {
			if printed[id] {
				continue
			}
			printed[id] = true
			c := byID[id]
			fmt.Fprintf(g.stdout, "  ▸ [%d] %s (%s) %d:%d “%s”", c.ID, c.Code, c.Coder, c.Start, c.End, truncate(c.Text, 70))
			if c.Memo != "" {
				fmt.Fprintf(g.stdout, " memo: %s", truncate(c.Memo, 60))
			}
			fmt.Fprintln(g.stdout)
		}
	}
}

func indent(s, pre string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = pre + l
	}
	return strings.Join(lines, "\n")
}

// checkTurns refuses a range of turns [from, to] of 'tacit show' (to < 0:
// to the end) that shows nothing, saying how many turns the document has.
func checkTurns(r *project.ShowResult, from, to int) error {
	n := len(r.Turns)
	last := fmt.Sprintf("0 to %d", n-1)
	if n == 1 {
		last = "0"
	}
	switch {
	case from < 0:
		return coding.Errorf(coding.EInvalid, "--from %d is not a turn; turns are numbered from 0", from)
	case n == 0:
		return coding.Errorf(coding.EInvalid, "document %s has no turns", r.Name)
	case from >= n:
		return coding.Errorf(coding.EInvalid, "document %s has %s (%s); --from %d is past the end", r.Name, coding.Plural(n, "turn", "turns"), last, from)
	case to >= 0 && to < from:
		return coding.Errorf(coding.EInvalid, "--to %d is before --from %d", to, from)
	}
	return nil
}
