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
when a problem is found and says how to repair it.`,
			Args: argsN(0, 0, "no arguments"),
			RunE: func(cmd *cobra.Command, args []string) error {
				p, err := g.open(false)
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
					return fmt.Errorf("%d problems found; %s", len(rep.Problems), project.RepairHint(rep))
				}
				return nil
			},
		})
	})
}
