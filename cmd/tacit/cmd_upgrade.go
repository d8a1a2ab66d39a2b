package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/tacit-qda/tacit/project"
)

func init() {
	register(func(root *cobra.Command, g *globals) {
		root.AddCommand(&cobra.Command{
			Use:   "upgrade",
			Short: "Upgrade the project database to this tacit's schema, after a backup",
			Long: `A project written by an older tacit has an older database schema. The first
command that changes the project upgrades it; read-only commands (docs,
search, reports, check) cannot and say so. 'tacit upgrade' does it now: it
copies the database into .tacit/ first, says where, then upgrades it in one
transaction. On a current project it changes nothing.`,
			Example: "  tacit upgrade",
			Args:    argsN(0, 0, "no arguments"),
			RunE: func(cmd *cobra.Command, args []string) error {
				res, err := call(g, cmd, writable, project.Operations.Upgrade, project.UpgradeRequest{})
				if err != nil {
					return err
				}
				if g.json {
					return g.printJSON(res)
				}
				if !res.Upgraded {
					fmt.Fprintf(g.stdout, "the project is at schema %d already; nothing to do\n", res.To)
					return nil
				}
				fmt.Fprintf(g.stdout, "upgraded the project database from schema %d to %d; the old database is kept in %s\n", res.From, res.To, res.Backup)
				return nil
			},
		})
	})
}
