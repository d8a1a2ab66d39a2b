package main

import (
	"fmt"
	"io"
	"path/filepath"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/tacit-qda/tacit/project"
)

func init() {
	register(func(root *cobra.Command, g *globals) {
		var dry bool
		var format, encoding string
		cmd := &cobra.Command{
			Use:   "replace DOC FILE",
			Short: "Give a document a corrected text, carrying its codings over",
			Long: `Replace the text of a document with the text of FILE (any format 'tacit
import' reads), keeping the document's id, name, case, attributes and memos.
A word-level diff of the old and the new text carries every coding over:

  kept      its words are unchanged, at the same place
  moved     its words are unchanged, at a new place
  changed   some of its words were edited or deleted: it now spans the words
            that survived (listed by 'tacit orphans')
  orphaned  all of its words were deleted: it is set aside, never dropped
            silently; 'tacit orphans' lists it with its old quote, to
            re-attach with 'tacit tag DOC CODE --range S:E'

The old text is kept: 'tacit show DOC --version N' shows it and 'tacit undo'
brings it back with every coding where it was. --dry-run prints the same
report without changing anything.`,
			Example: "  tacit replace client-moshe moshe-corrected.txt --dry-run   # needs files\n  tacit replace client-moshe moshe-corrected.docx --json     # needs files",
			Args:    argsN(2, 2, "a document and the file with its new text"),
			RunE: func(cmd *cobra.Command, args []string) error {
				file, err := filepath.Abs(args[1])
				if err != nil {
					return err
				}
				res, err := call(g, cmd, writable, project.Operations.Replace, project.ReplaceRequest{Doc: args[0], File: file, Format: format, Encoding: encoding, DryRun: dry})
				if err != nil {
					return err
				}
				if g.json {
					return g.printJSON(res)
				}
				printReplace(g, res)
				return nil
			},
		}
		cmd.Flags().BoolVar(&dry, "dry-run", false, "report what would happen to each coding without changing anything")
		cmd.Flags().StringVar(&format, "format", "", "the file's format (default: detected, as by import)")
		cmd.Flags().StringVar(&encoding, "encoding", "", "the file's text encoding (default: UTF-8, or UTF-16 with a BOM)")
		root.AddCommand(cmd)

		var drop string
		var ofl output
		orphans := &cobra.Command{
			Use:   "orphans [DOC]",
			Short: "List the codings a replace orphaned or changed",
			Long: `List the codings whose words a 'tacit replace' deleted (orphaned: kept aside
with their old quote, out of reports) and those it stretched or shrank to
the words that survived (changed). Re-attach an orphan with 'tacit tag DOC
CODE --range S:E', then forget it with --drop ID.`,
			Example: "  tacit orphans\n  tacit orphans client-moshe --json",
			Args:    argsN(0, 1, "at most one document"),
			RunE: func(cmd *cobra.Command, args []string) error {
				if drop != "" {
					id, err := strconv.ParseUint(drop, 10, 64)
					if err != nil {
						return usagef("--drop takes the id of an orphaned coding, not %q", drop)
					}
					row, err := call(g, cmd, writable, project.Operations.DropOrphan, project.DropOrphanRequest{ID: id})
					if err != nil {
						return err
					}
					if g.json {
						return g.printJSON(row)
					}
					fmt.Fprintf(g.stdout, "dropped orphaned coding %d (%q)\n", row.ID, truncate(row.Quote, 60))
					return nil
				}
				req := project.OrphansRequest{}
				if len(args) == 1 {
					req.Doc = args[0]
				}
				res, err := call(g, cmd, readOnly, project.Operations.Orphans, req)
				if err != nil {
					return err
				}
				// One row per orphaned or changed coding; the JSON keeps the
				// two lists apart.
				l := listing{title: "Orphaned and changed codings", json: res,
					columns: []string{"kind", "id", "doc", "code", "coder", "start", "end", "version", "old_quote", "new_quote"}}
				for _, o := range res.Orphans {
					l.rows = append(l.rows, []string{"orphaned", num(o.ID), o.Doc, o.Code, o.Coder, num(o.Start), num(o.End), num(o.Version), o.Quote, ""})
				}
				for _, c := range res.Changed {
					l.rows = append(l.rows, []string{"changed", num(c.ID), c.Doc, c.Code, "", num(c.Start), num(c.End), num(c.Version), c.OldQuote, c.NewQuote})
				}
				l.table = func(w io.Writer) error {
					if len(res.Orphans)+len(res.Changed) == 0 {
						fmt.Fprintln(w, "no orphaned or changed codings")
						return nil
					}
					if len(res.Orphans) > 0 {
						tw := newTable(w, "ORPHANED", "DOC", "CODE", "CODER", "OLD RANGE", "VERSION", "OLD QUOTE")
						for _, o := range res.Orphans {
							row(tw, o.ID, o.Doc, o.Code, o.Coder, fmt.Sprintf("%d:%d", o.Start, o.End), o.Version, truncate(o.Quote, 70))
						}
						tw.Flush()
					}
					if len(res.Changed) > 0 {
						if len(res.Orphans) > 0 {
							fmt.Fprintln(w)
						}
						tw := newTable(w, "CHANGED", "DOC", "CODE", "RANGE", "OLD QUOTE", "NEW QUOTE")
						for _, c := range res.Changed {
							row(tw, c.ID, c.Doc, c.Code, fmt.Sprintf("%d:%d", c.Start, c.End), truncate(c.OldQuote, 45), truncate(c.NewQuote, 45))
						}
						tw.Flush()
					}
					return nil
				}
				return ofl.list(g, l)
			},
		}
		orphans.Flags().StringVar(&drop, "drop", "", "forget the orphaned coding with this id")
		addOutput(orphans, &ofl)
		root.AddCommand(orphans)
	})
}

func printReplace(g *globals, r *project.ReplaceResult) {
	verb := "replaced"
	if r.DryRun {
		verb = "would replace"
	}
	fmt.Fprintf(g.stdout, "%s the text of %s (%d -> %d characters, %d -> %d turns); the old text is version %d\n",
		verb, r.Name, r.OldChars, r.NewChars, r.OldTurns, r.NewTurns, r.Version)
	fmt.Fprintf(g.stdout, "codings: %d kept, %d moved, %d changed, %d orphaned\n", r.Kept, r.Moved, r.Changed, r.Orphaned)
	var shown bool
	for _, c := range r.Codings {
		if c.Status == "kept" {
			continue
		}
		if !shown {
			fmt.Fprintln(g.stdout)
			shown = true
		}
		switch c.Status {
		case "orphaned":
			fmt.Fprintf(g.stdout, "orphaned %d  %s  %d:%d  %q\n", c.ID, c.Code, c.OldStart, c.OldEnd, truncate(c.OldQuote, 70))
		case "changed":
			fmt.Fprintf(g.stdout, "changed  %d  %s  %d:%d -> %d:%d  %q -> %q\n", c.ID, c.Code, c.OldStart, c.OldEnd, c.NewStart, c.NewEnd,
				truncate(c.OldQuote, 50), truncate(c.NewQuote, 50))
		default:
			fmt.Fprintf(g.stdout, "moved    %d  %s  %d:%d -> %d:%d  %q\n", c.ID, c.Code, c.OldStart, c.OldEnd, c.NewStart, c.NewEnd, truncate(c.NewQuote, 60))
		}
	}
	for _, w := range r.Warnings {
		fmt.Fprintf(g.stderr, "tacit: warning: %s\n", w)
	}
}
