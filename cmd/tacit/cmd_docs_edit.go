package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/tacit-qda/tacit/project"
)

// subOf returns the command named name among root's, which a file sorted
// before this one registered.
func subOf(root *cobra.Command, name string) *cobra.Command {
	for _, c := range root.Commands() {
		if c.Name() == name {
			return c
		}
	}
	panic("tacit: no command " + name + " to add subcommands to")
}

func init() {
	register(func(root *cobra.Command, g *globals) {
		// 'tacit show DOC --version N': an earlier text kept by 'tacit replace'.
		show := subOf(root, "show")
		var version int
		show.Flags().IntVar(&version, "version", 0, "show an earlier text of the document that 'tacit replace' kept (1 = as first imported)")
		plain := show.RunE
		show.RunE = func(cmd *cobra.Command, args []string) error {
			if version == 0 {
				return plain(cmd, args)
			}
			out, err := call(g, cmd, readOnly, project.Operations.ShowVersion, project.VersionRequest{Doc: args[0], Version: version})
			if err != nil {
				return err
			}
			if g.json {
				return g.printJSON(out)
			}
			from, _ := cmd.Flags().GetInt("from")
			to, _ := cmd.Flags().GetInt("to")
			printShow(g, out, from, to)
			return nil
		}

		docs := subOf(root, "docs")
		var force bool
		rm := &cobra.Command{
			Use:   "rm DOC",
			Short: "Delete a document with its codings, memos and index entries",
			Long: `Delete a document: its text, turns, codings, memos, earlier versions and
search index entries. A document with codings is kept unless --force is
given; the message says how many codings would go. 'tacit undo' brings the
document back whole.`,
			Example: "  tacit docs rm client-moshe --force",
			Args:    argsN(1, 1, "one document (name or id)"),
			RunE: func(cmd *cobra.Command, args []string) error {
				res, err := call(g, cmd, writable, project.Operations.DeleteDocument, project.DeleteDocumentRequest{Doc: args[0], Force: force})
				if err != nil {
					return err
				}
				if g.json {
					return g.printJSON(res)
				}
				fmt.Fprintf(g.stdout, "deleted document %s with %d codings, %d memos and %d earlier versions ('tacit undo' brings it back)\n", res.Name, res.Codings, res.Memos, res.Versions)
				return nil
			},
		}
		rm.Flags().BoolVar(&force, "force", false, "delete the document although its codings go with it")
		docs.AddCommand(rm)

		var caseName string
		var noCase bool
		mv := &cobra.Command{
			Use:   "mv DOC (--case NAME | --no-case)",
			Short: "Move a document to another case (story), or out of any",
			Long: `Move a document to another case, created when new, or with --no-case out of
any case. Its codings, memos and attributes stay with it. 'tacit undo'
moves it back.`,
			Example: "  tacit docs mv staff-rana --case \"S1 Step by step\"\n  tacit docs mv staff-rana --no-case",
			Args:    argsN(1, 1, "one document (name or id)"),
			RunE: func(cmd *cobra.Command, args []string) error {
				res, err := call(g, cmd, writable, project.Operations.MoveDocument, project.MoveDocumentRequest{Doc: args[0], Case: caseName, NoCase: noCase})
				if err != nil {
					return err
				}
				if g.json {
					return g.printJSON(res)
				}
				to := "no case"
				if res.To != "" {
					to = fmt.Sprintf("case %q", res.To)
					if res.CaseAdded {
						to += " (new)"
					}
				}
				fmt.Fprintf(g.stdout, "moved document %s to %s\n", res.Name, to)
				return nil
			},
		}
		mv.Flags().StringVar(&caseName, "case", "", "the case to move the document to (created when new)")
		mv.Flags().BoolVar(&noCase, "no-case", false, "take the document out of its case")
		docs.AddCommand(mv)

		docs.AddCommand(&cobra.Command{
			Use:     "rename DOC NEW-NAME",
			Short:   "Give a document a new name",
			Example: "  tacit docs rename client-moshe s1-client",
			Args:    argsN(2, 2, "a document and its new name"),
			RunE: func(cmd *cobra.Command, args []string) error {
				res, err := call(g, cmd, writable, project.Operations.RenameDocument, project.RenameDocumentRequest{Doc: args[0], NewName: args[1]})
				if err != nil {
					return err
				}
				if g.json {
					return g.printJSON(res)
				}
				fmt.Fprintf(g.stdout, "renamed document %s to %s\n", res.OldName, res.NewName)
				return nil
			},
		})
	})
}
