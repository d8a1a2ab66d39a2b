package main

import (
	"bufio"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/tacit-qda/tacit/coding"
	"github.com/tacit-qda/tacit/coding/report"
	"github.com/tacit-qda/tacit/project"
)

func init() {
	register(func(root *cobra.Command, g *globals) {
		cmd := &cobra.Command{
			Use:   "demo [DIR]",
			Short: "Build a sample study from the bundled success stories and print its principles report",
			Long: `Build a project from the sample study that ships inside tacit: seven
success stories of a city's social services, each told by the client and by
the staff member, in several transcript formats and in English, Hebrew and
Arabic; a codebook of principles of action; and the codings of two coders.
Then print which principles recur across the stories. The project is made
in DIR (which must not exist yet or be empty), else in a new temporary
folder, and is yours to explore afterwards.`,
			Example: "  tacit demo\n  tacit demo ./demo-study",
			Args:    argsN(0, 1, "at most one folder"),
			RunE: func(cmd *cobra.Command, args []string) error {
				var dir string
				if len(args) == 1 {
					dir = args[0]
					if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
						return coding.Errorf(coding.EConflict, "%s is not empty; give a new folder for the demo project", dir)
					}
				} else {
					d, err := os.MkdirTemp("", "tacit-demo-")
					if err != nil {
						return fmt.Errorf("make a temporary folder: %w", err)
					}
					dir = d
				}
				abs, err := filepath.Abs(dir)
				if err != nil {
					return err
				}
				if !g.json {
					fmt.Fprintf(g.stderr, "building the sample study in %s ...\n", abs)
				}
				sum, err := project.BuildDemo(cmd.Context(), abs)
				if err != nil {
					return err
				}
				p, err := project.Open(abs, project.Options{ReadOnly: true})
				if err != nil {
					return err
				}
				defer p.Close()
				rep, err := p.Recurrence(cmd.Context(), project.RecurrenceRequest{Most: report.DefaultMost, Quotes: 1})
				if err != nil {
					return err
				}
				if g.json {
					return g.printJSON(map[string]any{"demo": sum, "recurrence": rep})
				}
				w := bufio.NewWriter(g.stdout)
				fmt.Fprintf(w, "Sample study: %d interviews in %d stories, a codebook of %d codes, codings by %s.\n\n",
					sum.Documents, sum.Cases, sum.Codes, coderList(sum.Codings))
				fmt.Fprintln(w, "Which principles of action recur across the stories (codings of both coders):")
				fmt.Fprintln(w)
				if err := rep.WriteTable(w); err != nil {
					return err
				}
				fmt.Fprintf(w, `
The project is in %[1]s. Try next (with tacit installed by go install ./cmd/tacit):
  cd %[1]s
  tacit docs                                   # the interviews
  tacit show client-moshe                      # one transcript, turn by turn, with its codings
  tacit report recurrence -o principles.html   # the report as a page, with quotes
  tacit report matrix --cols case              # codes by stories
  tacit search crisis --role client            # where clients talk about a crisis
  tacit agreement --coders dana,yossi          # how well the two coders agree
`, abs)
				return w.Flush()
			},
		}
		root.AddCommand(cmd)
	})
}

// coderList formats codings per coder as "dana (85) and yossi (84)".
func coderList(m map[string]int) string {
	var parts []string
	for _, c := range slices.Sorted(maps.Keys(m)) {
		parts = append(parts, fmt.Sprintf("%s (%d)", c, m[c]))
	}
	return strings.Join(parts, " and ")
}
