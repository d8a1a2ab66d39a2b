package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/tacit-qda/tacit/project"

	"github.com/tacit-qda/tacit/coding"
)

// parseSince reads a point in time: a duration back from now ("90m",
// "12h", "3d", "2w"), a date (2025-03-01) or an RFC 3339 time.
func parseSince(s string, now time.Time) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	if n := len(s); n > 1 && (s[n-1] == 'd' || s[n-1] == 'w') {
		if v, err := strconv.Atoi(s[:n-1]); err == nil && v >= 0 {
			days := v
			if s[n-1] == 'w' {
				days *= 7
			}
			return now.AddDate(0, 0, -days), nil
		}
	}
	if d, err := time.ParseDuration(s); err == nil && d >= 0 {
		return now.Add(-d), nil
	}
	if t, err := time.ParseInLocation("2006-01-02", s, time.Local); err == nil {
		return t, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	return time.Time{}, usagef("--since %q is not a duration (90m, 12h, 3d, 2w), a date (2025-03-01) or an RFC 3339 time", s)
}

func init() {
	register(func(root *cobra.Command, g *globals) {
		var f project.LogRequest
		var since string
		var ofl output
		logCmd := &cobra.Command{
			Use:   "log",
			Short: "Show the audit log: who changed what, when (newest first)",
			Example: `  tacit log
  tacit log --actor dana --since 2d
  tacit log --action code --limit 100 --json`,
			Args: argsN(0, 0, "no arguments"),
			RunE: func(cmd *cobra.Command, args []string) error {
				var err error
				if f.Since, err = parseSince(since, time.Now()); err != nil {
					return err
				}
				if f.Limit < 0 {
					return usagef("--limit cannot be negative")
				}
				var res *project.LogResult
				err = g.do(cmd, readOnly, func(ctx context.Context, ops project.Operations) (err error) {
					res, err = ops.Log(ctx, f)
					return err
				})
				if err != nil {
					return err
				}
				rows := res.Events
				l := listing{title: "Audit log", json: nonNil(rows),
					columns: []string{"id", "time", "actor", "action", "target", "summary", "undoable", "undone"}}
				for _, r := range rows {
					l.rows = append(l.rows, []string{num(r.ID), r.Time.UTC().Format(time.RFC3339), r.Actor, r.Action, r.Target, r.Summary,
						strconv.FormatBool(r.Undoable), strconv.FormatBool(r.Undone)})
				}
				l.table = tableOf(rows, "no events match", []string{"ID", "TIME", "ACTOR", "ACTION", "SUMMARY"}, func(r project.EventRow) []any {
					s := r.Summary
					if r.Undone {
						s = "(undone) " + s
					}
					return []any{r.ID, r.Time.Local().Format("2006-01-02 15:04:05"), r.Actor, r.Action, coding.ClipMiddle(s, 100)}
				})
				return ofl.list(g, l)
			},
		}
		addOutput(logCmd, &ofl)
		lf := logCmd.Flags()
		lf.StringVar(&f.Actor, "actor", "", "only changes by this coder")
		lf.StringVar(&f.Action, "action", "", "only this action, or the part before a dot (code for every code.*): "+strings.Join(project.Actions(), ", "))
		lf.StringVar(&since, "since", "", "only changes since a duration ago (12h, 3d) or a date (2025-03-01)")
		lf.IntVar(&f.Limit, "limit", 50, "at most this many events (0: all)")
		root.AddCommand(logCmd)

		var dry bool
		undo := &cobra.Command{
			Use:   "undo",
			Short: "Revert the current coder's last change, where that is safe",
			Long: `Revert the last change of the current coder (--as, else $TACIT_CODER,
else the OS user) that was not undone yet: a tag, untag, code add, edit,
rename, move, merge or delete, a memo, a role or an attribute change.
Undo refuses, and changes nothing, when a later change touched the same
records or when the change cannot be reverted (an import). Repeating undo
walks further back. The undo itself is logged.`,
			Example: "  tacit undo\n  tacit undo --dry-run\n  tacit undo --as dana",
			Args:    argsN(0, 0, "no arguments"),
			RunE: func(cmd *cobra.Command, args []string) error {
				var res *project.UndoResult
				err := g.do(cmd, writable, func(ctx context.Context, ops project.Operations) (err error) {
					res, err = ops.Undo(ctx, project.UndoRequest{DryRun: dry})
					return err
				})
				if err != nil {
					return err
				}
				e := res.Event
				verb := "undid"
				if dry {
					verb = "would undo"
				}
				if g.json {
					return g.printJSON(res)
				}
				fmt.Fprintf(g.stdout, "%s event %d (%s): %s\n", verb, e.ID, e.Action, e.Summary)
				return nil
			},
		}
		undo.Flags().BoolVar(&dry, "dry-run", false, "say what would be undone, and check that it can be, without changing anything")
		root.AddCommand(undo)
	})
}
