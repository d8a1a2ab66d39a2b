package main

import (
	"fmt"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/tacit-qda/tacit/project"
)

func init() {
	register(func(root *cobra.Command, g *globals) {
		var lang string
		cmd := &cobra.Command{
			Use:   "init [DIR]",
			Short: "Create a project in DIR (default: the current folder)",
			Example: `  tacit init ./study
  tacit init ./mechkar --lang he`,
			Args: argsN(0, 1, "at most one folder"),
			RunE: func(cmd *cobra.Command, args []string) error {
				dir := "."
				if len(args) == 1 {
					dir = args[0]
				}
				if err := project.Init(dir, lang); err != nil {
					return err
				}
				abs, _ := filepath.Abs(dir)
				if g.json {
					return g.printJSON(map[string]any{"project": abs, "lang": lang})
				}
				fmt.Fprintf(g.stdout, "created project %s (language %s)\nnext: tacit -p %s import TRANSCRIPTS... --case NAME\n", abs, lang, dir)
				return nil
			},
		}
		cmd.Flags().StringVar(&lang, "lang", "en", "the project's main language (en, he, ar, ...); documents in Hebrew or Arabic script are detected")
		root.AddCommand(cmd)
	})
}
