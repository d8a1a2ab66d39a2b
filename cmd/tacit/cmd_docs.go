package main

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/tacit-qda/tacit/coding"
	"github.com/tacit-qda/tacit/store"
)

type docRow struct {
	ID         uint64            `json:"id"`
	Name       string            `json:"name"`
	Case       string            `json:"case"`
	Format     string            `json:"format"`
	Encoding   string            `json:"encoding"`
	Lang       string            `json:"lang"`
	Turns      int               `json:"turns"`
	Speakers   []string          `json:"speakers"`
	Chars      int               `json:"chars"`
	Codings    int               `json:"codings"`
	Attributes map[string]string `json:"attributes"`
	ImportedAt time.Time         `json:"imported_at"`
}

func init() {
	register(func(root *cobra.Command, g *globals) {
		var caseName string
		cmd := &cobra.Command{
			Use:     "docs",
			Short:   "List the documents",
			Example: "  tacit docs\n  tacit docs --case \"S1 Step by step\" --json",
			Args:    argsN(0, 0, "no arguments"),
			RunE: func(cmd *cobra.Command, args []string) error {
				var rows []docRow
				err := g.view(func(tx *store.Tx) error {
					docs, err := tx.Documents(true)
					if err != nil {
						return err
					}
					cases, err := tx.CaseNames()
					if err != nil {
						return err
					}
					var only uint64
					if caseName != "" {
						c, err := tx.FindCase(caseName)
						if err != nil {
							return err
						}
						only = c.ID
					}
					for _, d := range docs {
						if only != 0 && d.CaseID != only {
							continue
						}
						attrs := d.Attrs
						if attrs == nil {
							attrs = map[string]string{}
						}
						rows = append(rows, docRow{ID: d.ID, Name: d.Name, Case: cases[d.CaseID], Format: d.Format,
							Encoding: d.Encoding, Lang: d.Lang, Turns: len(d.Turns), Speakers: nonNil(d.Speakers()),
							Chars: d.Chars, Codings: tx.CountDocCodings(d.ID), Attributes: attrs, ImportedAt: d.ImportedAt})
					}
					return nil
				})
				if err != nil {
					return err
				}
				if g.json {
					return g.printJSON(nonNil(rows))
				}
				if len(rows) == 0 {
					fmt.Fprintln(g.stdout, "no documents yet; import transcripts with 'tacit import FILE|DIR --case NAME'")
					return nil
				}
				tw := g.table("ID", "NAME", "CASE", "FORMAT", "LANG", "TURNS", "SPEAKERS", "CHARS", "CODINGS", "ATTRIBUTES")
				for _, r := range rows {
					row(tw, r.ID, r.Name, dash(r.Case), r.Format, r.Lang, r.Turns, truncate(strings.Join(r.Speakers, ", "), 40), r.Chars, r.Codings, attrString(r.Attributes))
				}
				return tw.Flush()
			},
		}
		cmd.Flags().StringVar(&caseName, "case", "", "only the documents of this case")
		root.AddCommand(cmd)
	})
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func attrString(m map[string]string) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + "=" + m[k]
	}
	if len(parts) == 0 {
		return "-"
	}
	return strings.Join(parts, " ")
}

// ---- show ----

type showTurn struct {
	Index     int      `json:"index"`
	Speaker   string   `json:"speaker"`
	Role      string   `json:"role"`
	Start     int      `json:"start"`
	End       int      `json:"end"`
	Text      string   `json:"text"`
	TimeStart *float64 `json:"time_start,omitempty"`
	TimeEnd   *float64 `json:"time_end,omitempty"`
	Codings   []uint64 `json:"codings"`
}

type showCoding struct {
	ID     uint64 `json:"id"`
	Code   string `json:"code"`
	Coder  string `json:"coder"`
	Start  int    `json:"start"`
	End    int    `json:"end"`
	Text   string `json:"text"`
	Memo   string `json:"memo,omitempty"`
	Origin string `json:"origin"`
}

type showDoc struct {
	ID         uint64            `json:"id"`
	Name       string            `json:"name"`
	Case       string            `json:"case"`
	Format     string            `json:"format"`
	Encoding   string            `json:"encoding"`
	Lang       string            `json:"lang"`
	SourcePath string            `json:"source_path"`
	SourceHash string            `json:"source_hash"`
	Attributes map[string]string `json:"attributes"`
	Warnings   []string          `json:"warnings"`
	Text       string            `json:"text"`
	Turns      []showTurn        `json:"turns"`
	Codings    []showCoding      `json:"codings"`
}

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
				var out showDoc
				err := g.view(func(tx *store.Tx) error {
					d, err := tx.FindDocument(args[0])
					if err != nil {
						return err
					}
					out, err = buildShow(tx, d)
					return err
				})
				if err != nil {
					return err
				}
				if g.json {
					return g.printJSON(out)
				}
				printShow(g, &out, fromTurn, toTurn)
				return nil
			},
		}
		cmd.Flags().IntVar(&fromTurn, "from", 0, "first turn to show")
		cmd.Flags().IntVar(&toTurn, "to", -1, "last turn to show")
		root.AddCommand(cmd)
	})
}

func secs(d time.Duration) *float64 {
	f := d.Seconds()
	return &f
}

func buildShow(tx *store.Tx, d *coding.Document) (showDoc, error) {
	text, err := tx.Text(d.ID)
	if err != nil {
		return showDoc{}, err
	}
	roles, err := tx.Roles()
	if err != nil {
		return showDoc{}, err
	}
	caseName := ""
	if d.CaseID != 0 {
		if c, err := tx.Case(d.CaseID); err == nil {
			caseName = c.Name
		}
	}
	cb, err := tx.Codes()
	if err != nil {
		return showDoc{}, err
	}
	codings, err := tx.CodingsByDoc(d.ID)
	if err != nil {
		return showDoc{}, err
	}
	sort.Slice(codings, func(i, j int) bool {
		if codings[i].Start != codings[j].Start {
			return codings[i].Start < codings[j].Start
		}
		return codings[i].ID < codings[j].ID
	})
	off := coding.NewOffsets(text)
	attrs := d.Attrs
	if attrs == nil {
		attrs = map[string]string{}
	}
	out := showDoc{ID: d.ID, Name: d.Name, Case: caseName, Format: d.Format, Encoding: d.Encoding, Lang: d.Lang,
		SourcePath: d.SourcePath, SourceHash: d.SourceHash, Attributes: attrs, Warnings: nonNil(d.Warnings), Text: text,
		Turns: []showTurn{}, Codings: []showCoding{}}
	for _, t := range d.Turns {
		st := showTurn{Index: t.Index, Speaker: t.Speaker, Role: roles.Role(d, t.Speaker), Start: t.Start, End: t.End,
			Text: off.Slice(t.Start, t.End), Codings: []uint64{}}
		if t.HasTime {
			st.TimeStart, st.TimeEnd = secs(t.TimeStart), secs(t.TimeEnd)
		}
		for _, c := range codings {
			if c.Start < t.End && c.End > t.Start {
				st.Codings = append(st.Codings, c.ID)
			}
		}
		out.Turns = append(out.Turns, st)
	}
	for _, c := range codings {
		out.Codings = append(out.Codings, showCoding{ID: c.ID, Code: cb.Path(c.CodeID), Coder: c.Coder, Start: c.Start, End: c.End,
			Text: off.Slice(c.Start, c.End), Memo: c.Memo, Origin: c.Origin})
	}
	return out, nil
}

func fmtTime(f *float64) string {
	if f == nil {
		return ""
	}
	s := int(*f)
	return fmt.Sprintf("%02d:%02d:%02d", s/3600, s/60%60, s%60)
}

func printShow(g *globals, d *showDoc, from, to int) {
	fmt.Fprintf(g.stdout, "%s (id %d)", d.Name, d.ID)
	if d.Case != "" {
		fmt.Fprintf(g.stdout, "  case: %s", d.Case)
	}
	fmt.Fprintf(g.stdout, "  format: %s  lang: %s", d.Format, d.Lang)
	if len(d.Attributes) > 0 {
		fmt.Fprintf(g.stdout, "  %s", attrString(d.Attributes))
	}
	fmt.Fprintln(g.stdout)
	byID := map[uint64]showCoding{}
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
