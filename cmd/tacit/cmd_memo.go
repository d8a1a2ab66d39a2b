package main

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/tacit-qda/tacit/coding"
	"github.com/tacit-qda/tacit/store"
)

// memoRow is a memo as printed with --json.
type memoRow struct {
	*coding.Memo
	On string `json:"on"`
}

// memoTarget resolves KIND [REF] into a memo target and its id.
func memoTarget(tx *store.Tx, kind, ref string) (string, uint64, error) {
	switch strings.ToLower(kind) {
	case "project":
		return coding.MemoProject, 0, nil
	case "case":
		c, err := tx.FindCase(ref)
		if err != nil {
			return "", 0, err
		}
		return coding.MemoCase, c.ID, nil
	case "doc", "document":
		d, err := tx.FindDocument(ref)
		if err != nil {
			return "", 0, err
		}
		return coding.MemoDoc, d.ID, nil
	case "code":
		_, c, err := resolveCode(tx, ref)
		if err != nil {
			return "", 0, err
		}
		return coding.MemoCode, c.ID, nil
	case "coding":
		id, err := strconv.ParseUint(strings.TrimPrefix(ref, "#"), 10, 64)
		if err != nil {
			return "", 0, usagef("%q is not a coding id", ref)
		}
		if _, err := tx.Coding(id); err != nil {
			return "", 0, err
		}
		return coding.MemoCoding, id, nil
	}
	return "", 0, usagef("a memo goes on project, case, doc, code or coding, not %q", kind)
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
				var m coding.Memo
				var on string
				err = g.update(func(tx *store.Tx, actor string) error {
					target, id, err := memoTarget(tx, kind, ref)
					if err != nil {
						return err
					}
					m = coding.Memo{Target: target, TargetID: id, Title: title, Text: text}
					if err := tx.AddMemo(actor, &m); err != nil {
						return err
					}
					on = tx.MemoTargetName(target, id)
					return nil
				})
				if err != nil {
					return err
				}
				if g.json {
					return g.printJSON(memoRow{&m, on})
				}
				fmt.Fprintf(g.stdout, "added memo %d on %s\n", m.ID, on)
				return nil
			},
		}
		add.Flags().StringVar(&title, "title", "", "a short title")

		list := &cobra.Command{
			Use:   "list [project|case|doc|code|coding [TARGET]]",
			Short: "List memos, all or those on one target",
			Example: `  tacit memo list
  tacit memo list code "Crisis as a lever for change"`,
			Args: argsN(0, 2, "optionally a target kind and the target"),
			RunE: func(cmd *cobra.Command, args []string) error {
				var rows []memoRow
				err := g.view(func(tx *store.Tx) error {
					target, id := "", uint64(0)
					if len(args) > 0 {
						ref := ""
						if len(args) == 2 {
							ref = args[1]
						} else if !strings.EqualFold(args[0], "project") {
							return usagef("give the %s whose memos to list", args[0])
						}
						var err error
						if target, id, err = memoTarget(tx, args[0], ref); err != nil {
							return err
						}
					}
					memos, err := tx.Memos(target, id)
					if err != nil {
						return err
					}
					for _, m := range memos {
						rows = append(rows, memoRow{m, tx.MemoTargetName(m.Target, m.TargetID)})
					}
					return nil
				})
				if err != nil {
					return err
				}
				if g.json {
					return g.printJSON(nonNil(rows))
				}
				if len(rows) == 0 {
					fmt.Fprintln(g.stdout, "no memos; add one with 'tacit memo add'")
					return nil
				}
				tw := g.table("ID", "ON", "AUTHOR", "UPDATED", "MEMO")
				for _, r := range rows {
					text := r.Text
					if r.Title != "" {
						text = r.Title + ": " + text
					}
					row(tw, r.ID, r.On, r.Author, r.UpdatedAt.Format("2006-01-02 15:04"), truncate(text, 60))
				}
				return tw.Flush()
			},
		}

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
				var r memoRow
				err = g.view(func(tx *store.Tx) error {
					m, err := tx.Memo(id)
					if err != nil {
						return err
					}
					r = memoRow{m, tx.MemoTargetName(m.Target, m.TargetID)}
					return nil
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
				var m *coding.Memo
				err = g.update(func(tx *store.Tx, actor string) error {
					m, err = tx.EditMemo(actor, id, tp, xp)
					return err
				})
				if err != nil {
					return err
				}
				if g.json {
					return g.printJSON(memoRow{Memo: m})
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
				var m *coding.Memo
				err = g.update(func(tx *store.Tx, actor string) error {
					m, err = tx.RemoveMemo(actor, id)
					return err
				})
				if err != nil {
					return err
				}
				if g.json {
					return g.printJSON(map[string]any{"deleted": m.ID})
				}
				fmt.Fprintf(g.stdout, "deleted memo %d\n", m.ID)
				return nil
			},
		}
		memo.AddCommand(add, list, show, edit, del)
		root.AddCommand(memo)
	})
}
