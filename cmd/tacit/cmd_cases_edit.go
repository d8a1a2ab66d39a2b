package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/tacit-qda/tacit/project"
)

func init() {
	register(func(root *cobra.Command, g *globals) {
		cases := subOf(root, "cases")
		cases.AddCommand(&cobra.Command{
			Use:     "rename OLD NEW",
			Short:   "Give a case (story) a new name",
			Example: "  tacit cases rename \"S1 Step by step\" \"S1 Small steps\"",
			Args:    argsN(2, 2, "a case and its new name"),
			RunE: func(cmd *cobra.Command, args []string) error {
				res, err := call(g, cmd, writable, project.Operations.RenameCase, project.RenameCaseRequest{Case: args[0], NewName: args[1]})
				if err != nil {
					return err
				}
				if g.json {
					return g.printJSON(res)
				}
				fmt.Fprintf(g.stdout, "renamed case %q to %q\n", res.OldName, res.NewName)
				return nil
			},
		})

		cases.AddCommand(&cobra.Command{
			Use:   "merge FROM INTO",
			Short: "Move every document and memo of one case into another and remove the first",
			Long: `Merge case FROM into case INTO: FROM's documents and memos move to INTO,
FROM's attributes that INTO lacks are added (INTO keeps its own value where
both have one, and the output says so), and FROM is removed. 'tacit undo'
reverts the merge.`,
			Example: "  tacit cases merge \"S7 A second chance\" \"S4 A way out\"",
			Args:    argsN(2, 2, "the case to merge and the case to merge it into"),
			RunE: func(cmd *cobra.Command, args []string) error {
				res, err := call(g, cmd, writable, project.Operations.MergeCases, project.MergeCasesRequest{From: args[0], Into: args[1]})
				if err != nil {
					return err
				}
				if g.json {
					return g.printJSON(res)
				}
				fmt.Fprintf(g.stdout, "merged case %q into %q: %d documents, %d memos moved\n", res.From, res.Into, len(res.Documents), res.Memos)
				if len(res.AttrsAdded) > 0 {
					fmt.Fprintf(g.stdout, "attributes added: %s\n", strings.Join(res.AttrsAdded, ", "))
				}
				if len(res.AttrsKept) > 0 {
					fmt.Fprintf(g.stdout, "attributes kept from %q: %s\n", res.Into, strings.Join(res.AttrsKept, ", "))
				}
				return nil
			},
		})

		var force bool
		rm := &cobra.Command{
			Use:   "rm NAME",
			Short: "Remove a case (refused while it holds documents, unless --force)",
			Long: `Remove a case and its memos. A case that holds documents is kept unless
--force is given; its documents then stay, in no case. 'tacit undo' brings
the case back.`,
			Example: "  tacit cases rm \"S7 A second chance\" --force",
			Args:    argsN(1, 1, "one case"),
			RunE: func(cmd *cobra.Command, args []string) error {
				res, err := call(g, cmd, writable, project.Operations.DeleteCase, project.DeleteCaseRequest{Case: args[0], Force: force})
				if err != nil {
					return err
				}
				if g.json {
					return g.printJSON(res)
				}
				fmt.Fprintf(g.stdout, "removed case %q", res.Name)
				if len(res.Documents) > 0 {
					fmt.Fprintf(g.stdout, "; %s now in no case", strings.Join(res.Documents, ", "))
				}
				if res.Memos > 0 {
					fmt.Fprintf(g.stdout, "; %d memos deleted", res.Memos)
				}
				fmt.Fprintln(g.stdout)
				return nil
			},
		}
		rm.Flags().BoolVar(&force, "force", false, "remove the case although it holds documents (they stay, in no case)")
		cases.AddCommand(rm)
	})
}
