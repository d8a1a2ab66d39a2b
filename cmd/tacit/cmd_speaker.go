package main

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/tacit-qda/tacit/project"
)

func init() {
	register(func(root *cobra.Command, g *globals) {
		sp := &cobra.Command{
			Use:   "speaker",
			Short: "List speakers and map them to roles (client, staff, interviewer, ...)",
			Long: `Speakers are the labels of the turns ("Dana", "Interviewer"). A role maps a
speaker to a side of the story, project-wide or in one document (--doc) when
a label means someone else there. A coding's perspective is the role of the
speaker of its turn, else the document's role attribute. 'speaker list'
shows the mapped roles; speakers without one take their document's role.`,
		}
		var ofl output
		list := &cobra.Command{
			Use:     "list",
			Short:   "List the speakers with their roles, documents and turn counts",
			Example: "  tacit speaker list\n  tacit speaker list --json",
			Args:    argsN(0, 0, "no arguments"),
			RunE: func(cmd *cobra.Command, args []string) error {
				var res *project.SpeakersResult
				err := g.do(cmd, readOnly, func(ctx context.Context, ops project.Operations) (err error) {
					res, err = ops.Speakers(ctx, project.SpeakersRequest{})
					return err
				})
				if err != nil {
					return err
				}
				rows := res.Speakers
				l := listing{title: "Speakers", json: nonNil(rows), columns: []string{"speaker", "role", "doc_roles", "turns", "documents"}}
				for _, r := range rows {
					l.rows = append(l.rows, []string{r.Speaker, r.Role, speakerDocRoles(r.DocRoles), num(r.Turns), strings.Join(speakerDocs(r), "; ")})
				}
				l.table = tableOf(rows, "no speakers: no document has speaker labels yet", []string{"SPEAKER", "ROLE", "TURNS", "DOCUMENTS"}, func(r project.SpeakerStat) []any {
					role := dash(r.Role)
					if len(r.DocRoles) > 0 {
						role += " (" + speakerDocRoles(r.DocRoles) + ")"
					}
					return []any{r.Speaker, role, r.Turns, truncate(strings.Join(speakerDocs(r), ", "), 80)}
				})
				return ofl.list(g, l)
			},
		}
		addOutput(list, &ofl)
		sp.AddCommand(list)
		var docRef string
		var clear, force bool
		role := &cobra.Command{
			Use:   "role SPEAKER [ROLE]",
			Short: "Map a speaker to a role, project-wide or in one document",
			Example: `  tacit speaker role Moshe client
  tacit speaker role Ruth staff
  tacit speaker role Interviewer interviewer
  tacit speaker role Nadia staff --doc staff-nadia
  tacit speaker role Nadia --clear`,
			Args: argsN(1, 2, "a speaker and a role (or --clear)"),
			RunE: func(cmd *cobra.Command, args []string) error {
				if (len(args) == 2) == clear {
					return usagef("give either a role or --clear")
				}
				r := ""
				if len(args) == 2 {
					r = strings.TrimSpace(args[1])
					if r == "" {
						return usagef("the role is empty; use --clear to remove a role")
					}
				}
				var res *project.SetRoleResult
				err := g.do(cmd, writable, func(ctx context.Context, ops project.Operations) (err error) {
					res, err = ops.SetRole(ctx, project.SetRoleRequest{Speaker: args[0], Role: r, Doc: docRef, Force: force})
					return err
				})
				if err != nil {
					return err
				}
				where := "in the project"
				if res.DocName != "" {
					where = "in " + res.DocName
				}
				if g.json {
					return g.printJSON(map[string]any{"speaker": args[0], "role": strings.ToLower(r), "doc": docRef})
				}
				if clear {
					fmt.Fprintf(g.stdout, "%s has no role %s\n", args[0], where)
				} else {
					fmt.Fprintf(g.stdout, "%s is %s %s\n", args[0], strings.ToLower(r), where)
				}
				return nil
			},
		}
		role.Flags().StringVar(&docRef, "doc", "", "only in this document")
		role.Flags().BoolVar(&clear, "clear", false, "remove the speaker's role")
		role.Flags().BoolVar(&force, "force", false, "map a speaker who speaks in no document (yet)")
		sp.AddCommand(role)
		root.AddCommand(sp)
	})
}

// speakerDocRoles lists a speaker's roles in single documents: "doc: role, ...".
func speakerDocRoles(m map[string]string) string {
	var per []string
	for d, x := range m {
		per = append(per, d+": "+x)
	}
	sort.Strings(per)
	return strings.Join(per, ", ")
}

// speakerDocs lists a speaker's documents with the turns in each.
func speakerDocs(r project.SpeakerStat) []string {
	var docs []string
	for _, d := range r.Documents {
		docs = append(docs, fmt.Sprintf("%s (%d)", d, r.PerDoc[d]))
	}
	return docs
}
