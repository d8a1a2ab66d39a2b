package main

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/tacit-qda/tacit/project"
)

// memoTarget checks KIND [REF] as far as the command line can (a bad
// kind or coding id is a usage error) and names the target.
func memoTarget(kind, ref string) (project.MemoTarget, error) {
	t := project.MemoTarget{Kind: kind, Ref: ref}
	switch strings.ToLower(kind) {
	case "project", "case", "doc", "document", "code":
		return t, nil
	case "coding":
		if _, err := strconv.ParseUint(strings.TrimPrefix(ref, "#"), 10, 64); err != nil {
			return t, usagef("%q is not a coding id", ref)
		}
		return t, nil
	}
	return t, usagef("a memo goes on project, case, doc, code or coding, not %q", kind)
}

// memoText reads "-" as standard input.
func memoText(cmd *cobra.Command, s string) (string, error) {
	if s != "-" {
		return s, nil
	}
	b, err := io.ReadAll(cmd.InOrStdin())
	if err != nil {
		return "", fmt.Errorf("read the memo from standard input: %w", err)
	}
	return string(b), nil
}

func parseMemoID(s string) (uint64, error) {
	id, err := strconv.ParseUint(strings.TrimPrefix(s, "#"), 10, 64)
	if err != nil {
		return 0, usagef("%q is not a memo id (a number, as 'tacit memo list' prints it)", s)
	}
	return id, nil
}

func init() {
	register(func(root *cobra.Command, g *globals) {
		memo := &cobra.Command{
			Use:   "memo",
			Short: "Write memos on the project, a case, a document, a code or a coding",
		}
		var title string
		add := &cobra.Command{
			Use:   "add project|case|doc|code|coding [TARGET] TEXT",
			Short: "Add a memo (TEXT - reads standard input)",
			Example: `  tacit memo add code "Principles/Crisis as a lever for change" "Seen in 3 stories so far; check S5 again"
  tacit memo add case "S1 Step by step" "Client and worker tell the same turning point"
  tacit memo add project "Second round of coding starts 1 May" --title Plan
  tacit memo add coding 42 - < note.txt    # needs files`,
			Args: argsN(2, 3, "a target kind, the target (except for project) and the text"),
			RunE: func(cmd *cobra.Command, args []string) error {
				kind := args[0]
				ref, textArg := "", args[len(args)-1]
				if strings.EqualFold(kind, "project") {
					if len(args) != 2 {
						return usagef("a project memo takes only its text: tacit memo add project TEXT")
					}
				} else {
					if len(args) != 3 {
						return usagef("give the %s and the text: tacit memo add %s TARGET TEXT", kind, kind)
					}
					ref = args[1]
				}
				text, err := memoText(cmd, textArg)
				if err != nil {
					return err
				}
				target, err := memoTarget(kind, ref)
				if err != nil {
					return err
				}
				var m *project.MemoRow
				err = g.do(cmd, writable, func(ctx context.Context, ops project.Operations) (err error) {
					m, err = ops.AddMemo(ctx, project.AddMemoRequest{Target: target, Title: title, Text: text})
					return err
				})
				if err != nil {
					return err
				}
				on := m.On
				if g.json {
					return g.printJSON(m)
				}
				fmt.Fprintf(g.stdout, "added memo %d on %s\n", m.ID, on)
				return nil
			},
		}
		add.Flags().StringVar(&title, "title", "", "a short title")

		var listOut output
		list := &cobra.Command{
			Use:   "list [project|case|doc|code|coding [TARGET]]",
			Short: "List memos, all or those on one target",
			Example: `  tacit memo list
  tacit memo list code "Crisis as a lever for change"`,
			Args: argsN(0, 2, "optionally a target kind and the target"),
			RunE: func(cmd *cobra.Command, args []string) error {
				var req project.ListMemosRequest
				if len(args) > 0 {
					ref := ""
					if len(args) == 2 {
						ref = args[1]
					} else if !strings.EqualFold(args[0], "project") {
						return usagef("give the %s whose memos to list", args[0])
					}
					t, err := memoTarget(args[0], ref)
					if err != nil {
						return err
					}
					req.Target = &t
				}
				var res *project.ListMemosResult
				err := g.do(cmd, readOnly, func(ctx context.Context, ops project.Operations) (err error) {
					res, err = ops.ListMemos(ctx, req)
					return err
				})
				if err != nil {
					return err
				}
				rows := res.Memos
				l := listing{title: "Memos", json: nonNil(rows), columns: []string{"id", "on", "author", "updated_at", "title", "text"}}
				for _, r := range rows {
					l.rows = append(l.rows, []string{num(r.ID), r.On, r.Author, r.UpdatedAt.Format(time.RFC3339), r.Title, r.Text})
				}
				l.table = tableOf(rows, "no memos; add one with 'tacit memo add'", []string{"ID", "ON", "AUTHOR", "UPDATED", "MEMO"}, func(r project.MemoRow) []any {
					text := r.Text
					if r.Title != "" {
						text = r.Title + ": " + text
					}
					return []any{r.ID, r.On, r.Author, r.UpdatedAt.Format("2006-01-02 15:04"), truncate(text, 60)}
				})
				return listOut.list(g, l)
			},
		}
		addOutput(list, &listOut)

		show := &cobra.Command{
			Use:     "show MEMO-ID",
			Short:   "Show a memo in full",
			Example: "  tacit memo show 3",
			Args:    argsN(1, 1, "one memo id"),
			RunE: func(cmd *cobra.Command, args []string) error {
				id, err := parseMemoID(args[0])
				if err != nil {
					return err
				}
				var r *project.MemoRow
				err = g.do(cmd, readOnly, func(ctx context.Context, ops project.Operations) (err error) {
					r, err = ops.ShowMemo(ctx, project.MemoRequest{ID: id})
					return err
				})
				if err != nil {
					return err
				}
				if g.json {
					return g.printJSON(r)
				}
				fmt.Fprintf(g.stdout, "memo %d on %s, by %s, %s", r.ID, r.On, r.Author, r.CreatedAt.Format("2006-01-02 15:04"))
				if !r.UpdatedAt.Equal(r.CreatedAt) {
					fmt.Fprintf(g.stdout, " (edited %s)", r.UpdatedAt.Format("2006-01-02 15:04"))
				}
				fmt.Fprintln(g.stdout)
				if r.Title != "" {
					fmt.Fprintln(g.stdout, r.Title)
				}
				fmt.Fprintln(g.stdout, r.Text)
				return nil
			},
		}

		var newTitle string
		edit := &cobra.Command{
			Use:   "edit MEMO-ID [TEXT]",
			Short: "Replace a memo's text (TEXT - reads standard input) or title",
			Example: `  tacit memo edit 3 "Seen in 4 stories; S5 confirmed"
  tacit memo edit 3 --title "Crisis: open questions"`,
			Args: argsN(1, 2, "a memo id and the new text"),
			RunE: func(cmd *cobra.Command, args []string) error {
				id, err := parseMemoID(args[0])
				if err != nil {
					return err
				}
				var tp, xp *string
				if cmd.Flags().Changed("title") {
					tp = &newTitle
				}
				if len(args) == 2 {
					text, err := memoText(cmd, args[1])
					if err != nil {
						return err
					}
					xp = &text
				}
				if tp == nil && xp == nil {
					return usagef("give the new text or --title")
				}
				var m *project.MemoRow
				err = g.do(cmd, writable, func(ctx context.Context, ops project.Operations) (err error) {
					m, err = ops.EditMemo(ctx, project.EditMemoRequest{ID: id, Title: tp, Text: xp})
					return err
				})
				if err != nil {
					return err
				}
				if g.json {
					return g.printJSON(m)
				}
				fmt.Fprintf(g.stdout, "updated memo %d\n", m.ID)
				return nil
			},
		}
		edit.Flags().StringVar(&newTitle, "title", "", "new title (empty to clear)")

		del := &cobra.Command{
			Use:     "delete MEMO-ID",
			Short:   "Delete a memo",
			Example: "  tacit memo delete 3",
			Args:    argsN(1, 1, "one memo id"),
			RunE: func(cmd *cobra.Command, args []string) error {
				id, err := parseMemoID(args[0])
				if err != nil {
					return err
				}
				var m *project.DeleteMemoResult
				err = g.do(cmd, writable, func(ctx context.Context, ops project.Operations) (err error) {
					m, err = ops.DeleteMemo(ctx, project.MemoRequest{ID: id})
					return err
				})
				if err != nil {
					return err
				}
				if g.json {
					return g.printJSON(m)
				}
				fmt.Fprintf(g.stdout, "deleted memo %d\n", m.Deleted)
				return nil
			},
		}
		memo.AddCommand(add, list, show, edit, del)
		root.AddCommand(memo)
	})
}
