package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/tacit-qda/tacit/coding"
	"github.com/tacit-qda/tacit/project"
)

func init() {
	register(func(root *cobra.Command, g *globals) {
		var tp project.TagRequest
		var memo string
		tag := &cobra.Command{
			Use:   "tag DOC CODE...",
			Short: "Code a passage of a document: by quote, turn, turns or character range",
			Long: `Attach one or more codes to a passage of a document, as the current coder
(--as, else $TACIT_CODER, else the OS user). Say where with:

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
  tacit tag staff-ruth "Personally tailored treatment" --range 1450:1497 --as dana
  tacit tag staff-ruth "Success has many partners" "Systemic work with partners" --turns 3-5`,
			Args: argsN(2, -1, "a document and at least one code"),
			RunE: func(cmd *cobra.Command, args []string) error {
				if tp.Places() == 0 {
					return usagef("say where to tag with --quote, --turn, --turns or --range")
				}
				req := tp
				req.Doc, req.Codes, req.Memo = args[0], args[1:], memo
				var res *project.TagResult
				err := g.do(cmd, writable, func(ctx context.Context, ops project.Operations) (err error) {
					res, err = ops.Tag(ctx, req)
					return err
				})
				if err != nil {
					return err
				}
				rows, skipped, docName := res.Codings, res.Skipped, res.Doc
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
		f.StringArrayVar(&tp.Quotes, "quote", nil, "the exact words to code (repeatable)")
		f.IntSliceVar(&tp.Turns, "turn", nil, "a turn number to code whole (repeatable)")
		f.StringArrayVar(&tp.TurnRanges, "turns", nil, "a run of turns FIRST-LAST to code (repeatable)")
		f.StringArrayVar(&tp.Ranges, "range", nil, "character offsets START:END to code (repeatable)")
		f.StringVar(&memo, "memo", "", "a note kept with the coding")
		root.AddCommand(tag)

		var origin uint64
		var force bool
		untag := &cobra.Command{
			Use:   "untag CODING-ID... | --origin GROUP",
			Short: "Remove codings by id, or every coding of one autocode run",
			Long: `Remove codings by id ('tacit codings' and 'tacit show' print the ids), or,
with --origin GROUP, every coding made by one 'tacit autocode' run (GROUP is
the run's id, printed by autocode and shown as "group" in 'tacit codings
--json'). A coder removes their own codings; another coder's only with
--force, and the log records whose they were. The removal is one change in
the log and can be undone.`,
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
				var res *project.UntagResult
				err := g.do(cmd, writable, func(ctx context.Context, ops project.Operations) (err error) {
					res, err = ops.Untag(ctx, project.UntagRequest{IDs: ids, Origin: origin, Force: force})
					return err
				})
				if err != nil {
					if origin != 0 && coding.ErrorKind(err) == coding.ENotFound {
						return fmt.Errorf("%w; 'tacit log --action autocode' lists the runs", err)
					}
					return err
				}
				removed := res.Removed
				if g.json {
					return g.printJSON(removed)
				}
				for _, c := range removed {
					fmt.Fprintf(g.stdout, "removed coding %d (%s, %d:%d by %s)\n", c.ID, c.Code, c.Start, c.End, c.Coder)
				}
				return nil
			},
		}
		untag.Flags().Uint64Var(&origin, "origin", 0, "remove every coding of this autocode run (its group id)")
		untag.Flags().BoolVar(&force, "force", false, "remove codings that another coder made")
		root.AddCommand(untag)
	})
}
