package main

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/tacit-qda/tacit/coding"
	"github.com/tacit-qda/tacit/store"
)

// tagRow is one coding printed by 'tacit tag --json'.
type tagRow struct {
	ID    uint64 `json:"id"`
	Doc   string `json:"doc"`
	Code  string `json:"code"`
	Start int    `json:"start"`
	End   int    `json:"end"`
	Text  string `json:"text"`
}

// tagPlaces gathers the spans named by --quote, --turn, --turns and --range.
type tagPlaces struct {
	quotes []string
	turns  []int
	ranges []string
	spans  []string
}

func (tp *tagPlaces) empty() bool {
	return len(tp.quotes)+len(tp.turns)+len(tp.ranges)+len(tp.spans) == 0
}

// resolve turns the places into spans of doc; any bad one is an error.
func (tp *tagPlaces) resolve(doc *coding.Document, text string) ([]coding.Span, error) {
	var out []coding.Span
	for _, q := range tp.quotes {
		s, err := coding.FindQuote(doc, text, q)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	for _, n := range tp.turns {
		s, err := coding.TurnSpan(doc, n, n)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	for _, r := range tp.spans {
		a, b, err := coding.ParseTurnRange(r)
		if err != nil {
			return nil, err
		}
		s, err := coding.TurnSpan(doc, a, b)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	n := coding.RuneLen(text)
	for _, r := range tp.ranges {
		s, err := coding.ParseRange(r)
		if err != nil {
			return nil, err
		}
		if err := coding.CheckSpan(s, n); err != nil {
			return nil, coding.Errorf(coding.EInvalid, "%s of %s", err.Error(), doc.Name)
		}
		out = append(out, s)
	}
	return out, nil
}

func init() {
	register(func(root *cobra.Command, g *globals) {
		var tp tagPlaces
		var memo string
		tag := &cobra.Command{
			Use:   "tag DOC CODE...",
			Short: "Code a passage of a document: by quote, turn, turns or character range",
			Long: `Attach one or more codes to a passage of a document, as the current coder
(--coder, else $TACIT_CODER, else the OS user). Say where with:

  --quote TEXT   the exact words (white space, line breaks and typographic
                 quotes need not match); a quote that is missing or occurs
                 more than once is an error that shows the candidates
  --turn N       the whole speech of turn N ('tacit show DOC' numbers turns)
  --turns A-B    turns A to B, inclusive
  --range S:E    character offsets [S,E) as 'tacit show' prints them

Each flag can be repeated; every code goes on every place. A coding that
exists already (same code, span and coder) is not added twice.`,
			Example: `  tacit tag client-moshe "Principles/Respectful attitude" --quote "called me Mr. Levi"
  tacit tag client-moshe "Crisis as a lever for change" --turn 6 --memo "overdose as turning point"
  tacit tag staff-ruth "Personally tailored treatment" --range 1450:1497 --coder dana
  tacit tag staff-ruth "Success has many partners" "Systemic work with partners" --turns 3-5`,
			Args: argsN(2, -1, "a document and at least one code"),
			RunE: func(cmd *cobra.Command, args []string) error {
				if tp.empty() {
					return usagef("say where to tag with --quote, --turn, --turns or --range")
				}
				var rows []tagRow
				var skipped int
				var docName string
				err := g.update(func(tx *store.Tx, actor string) error {
					doc, err := tx.FindDocument(args[0])
					if err != nil {
						return err
					}
					docName = doc.Name
					cb, err := tx.Codes()
					if err != nil {
						return err
					}
					var ids []uint64
					for _, ref := range args[1:] {
						c, err := cb.Resolve(ref)
						if err != nil {
							return err
						}
						ids = append(ids, c.ID)
					}
					text, err := tx.Text(doc.ID)
					if err != nil {
						return err
					}
					spans, err := tp.resolve(doc, text)
					if err != nil {
						return err
					}
					created, sk, err := tx.Tag(actor, store.TagRequest{Doc: doc, CodeIDs: ids, Spans: spans, Memo: memo, Codebook: cb})
					if err != nil {
						return err
					}
					skipped = sk
					off := coding.NewOffsets(text)
					for _, c := range created {
						rows = append(rows, tagRow{ID: c.ID, Doc: doc.Name, Code: cb.Path(c.CodeID), Start: c.Start, End: c.End, Text: off.Slice(c.Start, c.End)})
					}
					return nil
				})
				if err != nil {
					return err
				}
				if g.json {
					return g.printJSON(nonNil(rows))
				}
				for _, r := range rows {
					fmt.Fprintf(g.stdout, "coding %d: %s %d:%d “%s” ← %s\n", r.ID, r.Doc, r.Start, r.End, truncate(r.Text, 70), r.Code)
				}
				if skipped > 0 {
					fmt.Fprintf(g.stdout, "%d already coded the same way in %s; not added again\n", skipped, docName)
				}
				return nil
			},
		}
		f := tag.Flags()
		f.StringArrayVar(&tp.quotes, "quote", nil, "the exact words to code (repeatable)")
		f.IntSliceVar(&tp.turns, "turn", nil, "a turn number to code whole (repeatable)")
		f.StringArrayVar(&tp.spans, "turns", nil, "a run of turns FIRST-LAST to code (repeatable)")
		f.StringArrayVar(&tp.ranges, "range", nil, "character offsets START:END to code (repeatable)")
		f.StringVar(&memo, "memo", "", "a note kept with the coding")
		root.AddCommand(tag)

		var origin uint64
		untag := &cobra.Command{
			Use:   "untag CODING-ID... | --origin GROUP",
			Short: "Remove codings by id, or every coding of one autocode run",
			Long: `Remove codings by id ('tacit codings' and 'tacit show' print the ids), or,
with --origin GROUP, every coding made by one 'tacit autocode' run (GROUP is
the run's id, printed by autocode and shown as "group" in 'tacit codings
--json'). The removal is one change in the log and can be undone.`,
			Example: "  tacit untag 42\n  tacit untag 42 43 44",
			Args: func(cmd *cobra.Command, args []string) error {
				if origin == 0 && len(args) == 0 {
					return usagef("untag takes coding ids or --origin GROUP; see 'tacit untag --help'")
				}
				if origin != 0 && len(args) > 0 {
					return usagef("give coding ids or --origin GROUP, not both")
				}
				return nil
			},
			RunE: func(cmd *cobra.Command, args []string) error {
				var ids []uint64
				for _, a := range args {
					id, err := strconv.ParseUint(strings.TrimPrefix(a, "#"), 10, 64)
					if err != nil {
						return usagef("%q is not a coding id (a number, as 'tacit codings' prints it)", a)
					}
					ids = append(ids, id)
				}
				var removed []coding.Coding
				var paths []string
				err := g.update(func(tx *store.Tx, actor string) error {
					if origin != 0 {
						if err := tx.Codings(func(c *coding.Coding) error {
							if c.Group == origin {
								ids = append(ids, c.ID)
							}
							return nil
						}); err != nil {
							return err
						}
						if len(ids) == 0 {
							return coding.Errorf(coding.ENotFound, "no codings come from autocode run %d; 'tacit log --action autocode' lists the runs", origin)
						}
					}
					var err error
					removed, err = tx.Untag(actor, ids)
					if err != nil {
						return err
					}
					cb, err := tx.Codes()
					if err != nil {
						return err
					}
					for _, c := range removed {
						paths = append(paths, cb.Path(c.CodeID))
					}
					return nil
				})
				if err != nil {
					return err
				}
				if g.json {
					out := make([]map[string]any, len(removed))
					for i, c := range removed {
						out[i] = map[string]any{"id": c.ID, "doc": c.DocID, "code": paths[i], "start": c.Start, "end": c.End, "coder": c.Coder}
					}
					return g.printJSON(out)
				}
				for i, c := range removed {
					fmt.Fprintf(g.stdout, "removed coding %d (%s, %d:%d by %s)\n", c.ID, paths[i], c.Start, c.End, c.Coder)
				}
				return nil
			},
		}
		untag.Flags().Uint64Var(&origin, "origin", 0, "remove every coding of this autocode run (its group id)")
		root.AddCommand(untag)
	})
}
