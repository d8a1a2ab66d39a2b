package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/tacit-qda/tacit/project"
)

func init() {
	register(func(root *cobra.Command, g *globals) {
		root.AddCommand(&cobra.Command{
			Use:   "reindex",
			Short: "Rebuild the search index from the store",
			Long: `Rebuild the search index from the store (the truth). Searches rebuild a
stale index by themselves; use this after a crash, or when 'tacit check'
reports a disagreement.`,
			Args: argsN(0, 0, "no arguments"),
			RunE: func(cmd *cobra.Command, args []string) error {
				p, err := g.open(false)
				if err != nil {
					return err
				}
				defer p.Close()
				if err := p.Reindex(cmd.Context()); err != nil {
					return err
				}
				x, err := p.Index(cmd.Context())
				if err != nil {
					return err
				}
				n, _ := x.DocCount()
				if g.json {
					return g.printJSON(map[string]any{"turns": n})
				}
				fmt.Fprintf(g.stdout, "rebuilt the search index: %d turns\n", n)
				return nil
			},
		})
		root.AddCommand(&cobra.Command{
			Use:   "check",
			Short: "Check the store and the search index against each other",
			Long: `Check the project: the database pages, the coding indexes, every document's
turns against its text, and the search index against the store. Exits 1
when a problem is found and says how to repair it. It changes nothing, so
it may run beside other readers.`,
			Args: argsN(0, 0, "no arguments"),
			RunE: func(cmd *cobra.Command, args []string) error {
				p, err := g.open(true)
				if err != nil {
					return err
				}
				defer p.Close()
				rep, err := p.Check(cmd.Context())
				if err != nil {
					return err
				}
				if g.json {
					if err := g.printJSON(rep); err != nil {
						return err
					}
				} else {
					fmt.Fprintf(g.stdout, "documents %d, turns %d, codings %d, indexed turns %d\n", rep.Documents, rep.Turns, rep.Codings, rep.IndexedTurns)
					for _, pr := range rep.Problems {
						fmt.Fprintln(g.stdout, "problem: "+pr)
					}
					if len(rep.Problems) == 0 {
						fmt.Fprintln(g.stdout, "ok")
					}
				}
				if len(rep.Problems) > 0 {
					noun := "problems"
					if len(rep.Problems) == 1 {
						noun = "problem"
					}
					return fmt.Errorf("%d %s found; %s", len(rep.Problems), noun, project.RepairHint(rep))
				}
				return nil
			},
		})
	})
}

func init() {
	register(func(root *cobra.Command, g *globals) {
		root.AddCommand(&cobra.Command{
			Use:   "backup FILE",
			Short: "Write a consistent copy of the project database to FILE",
			Long: `Write a consistent copy of the project database (.tacit/tacit.db, the
truth: documents, codebook, codings, memos, log) to FILE, which must not
exist. Other readers may keep working meanwhile. The search index is not
copied: it is rebuilt from the database. To restore, put the copy at
.tacit/tacit.db of a project folder.`,
			Example: "  tacit backup ~/study-2025-11-27.db",
			Args:    argsN(1, 1, "the backup file"),
			RunE: func(cmd *cobra.Command, args []string) error {
				p, err := g.open(true)
				if err != nil {
					return err
				}
				defer p.Close()
				size, err := p.Store.Backup(args[0])
				if err != nil {
					return err
				}
				if g.json {
					return g.printJSON(map[string]any{"file": args[0], "bytes": size})
				}
				fmt.Fprintf(g.stdout, "wrote %s (%d bytes)\n", args[0], size)
				return nil
			},
		})
		root.AddCommand(&cobra.Command{
			Use:   "compact",
			Short: "Rewrite the project database without its free space",
			Long: `The database file never shrinks by itself after deletions, merges or an
upgrade. compact copies the live data into a new file, checks it, and puts
it in place. Nothing else may use the project meanwhile.`,
			Args: argsN(0, 0, "no arguments"),
			RunE: func(cmd *cobra.Command, args []string) error {
				p, err := g.open(false)
				if err != nil {
					return err
				}
				defer p.Close()
				before, after, err := p.Compact()
				if err != nil {
					return err
				}
				if g.json {
					return g.printJSON(map[string]any{"bytes_before": before, "bytes_after": after})
				}
				fmt.Fprintf(g.stdout, "compacted the project database: %d -> %d bytes\n", before, after)
				return nil
			},
		})
	})
}
