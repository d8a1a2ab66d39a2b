package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/tacit-qda/tacit/project"
)

func init() {
	register(func(root *cobra.Command, g *globals) {
		sp := subOf(root, "speaker")
		sp.AddCommand(&cobra.Command{
			Use:   "rename [DOC] FROM TO",
			Short: "Relabel a speaker in the text of one document or of all (de-identification)",
			Long: `Rename a speaker: the label before each of their turns is rewritten in the
text of DOC, or of every document, and the turns carry the new label. It is a
replace whose codings all keep their words: the old texts are kept as
versions ('tacit show DOC --version N'), roles follow the new label, the
search index is updated, and 'tacit undo' reverts it. Names said inside the
speech are not touched; correct those with 'tacit replace'.`,
			Example: "  tacit speaker rename Moshe \"Client A\"\n  tacit speaker rename staff-ruth Ruth \"Staff B\"",
			Args:    argsN(2, 3, "the speaker and the new label, after an optional document"),
			RunE: func(cmd *cobra.Command, args []string) error {
				req := project.RenameSpeakerRequest{From: args[len(args)-2], To: args[len(args)-1]}
				if len(args) == 3 {
					req.Doc = args[0]
				}
				res, err := call(g, cmd, writable, project.Operations.RenameSpeaker, req)
				if err != nil {
					return err
				}
				if g.json {
					return g.printJSON(res)
				}
				for _, d := range res.Documents {
					fmt.Fprintf(g.stdout, "renamed speaker %q to %q in %s: %d turns, %d codings kept their words (old text is version %d)\n",
						res.From, res.To, d.Name, d.Turns, d.Codings, d.Version)
				}
				return nil
			},
		})
	})
}
