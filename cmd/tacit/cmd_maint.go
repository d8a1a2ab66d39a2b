package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/tacit-qda/tacit/coding"
	"github.com/tacit-qda/tacit/project"
)

func init() {
	register(func(root *cobra.Command, g *globals) {
		root.AddCommand(&cobra.Command{
			Use:   "reindex",
			Short: "Rebuild the search index from the store",
			Long: `Rebuild the search index from the store (the truth). Searches rebuild a
stale index by themselves; use this after a crash, or when 'tacit check'
reports a disagreement.`,
			Args: argsN(0, 0, "no arguments"),
			RunE: func(cmd *cobra.Command, args []string) error {
				var res *project.ReindexResult
				err := g.do(cmd, writable, func(ctx context.Context, ops project.Operations) (err error) {
					res, err = ops.RebuildIndex(ctx, project.ReindexRequest{})
					return err
				})
				if err != nil {
					return err
				}
				n := res.Turns
				if g.json {
					return g.printJSON(map[string]any{"turns": n})
				}
				fmt.Fprintf(g.stdout, "rebuilt the search index: %d turns\n", n)
				return nil
			},
		})
		var repair bool
		check := &cobra.Command{
			Use:   "check",
			Short: "Check the store and the search index; --repair rebuilds what is derived",
			Long: `Check the project: the database pages, every record (documents with their
turns and text, cases, codes, codings, memos, the log), the tables derived
from them (coding indexes, code counts, name tables), codings against their
documents, and the search index against the store. Every problem is listed
(with --json: "problems", "damaged", "repairable", "advice"). Exits 1 when
a problem is found, 5 when the database itself is damaged.

--repair rebuilds what is derived from the records: the coding indexes and
counts, the name tables and the search index (one logged change). Damaged
records cannot be rebuilt: restore a backup, or copy what survives into a
new project with 'tacit salvage DIR'.

Without --repair it changes nothing, so it may run beside other readers.`,
			Example: "  tacit check\n  tacit check --repair",
			Args:    argsN(0, 0, "no arguments"),
			RunE: func(cmd *cobra.Command, args []string) error {
				var done []string
				var rep *project.CheckReport
				if repair {
					p, err := g.open(false)
					if err != nil {
						return err
					}
					defer p.Close()
					res, err := p.Repair(cmd.Context())
					if err != nil {
						return err
					}
					done, rep = res.Done, res.After
				} else {
					root, err := project.Find(g.projectDir)
					if err != nil {
						return err
					}
					rep, err = project.CheckAt(cmd.Context(), root, project.Options{Actor: g.actor()})
					if err != nil {
						// While 'tacit serve' owns the project, it checks.
						ops, serr := servedOps(root, err)
						if ops == nil && serr == nil {
							return err
						} else if serr != nil {
							return serr
						}
						if rep, err = ops.CheckProject(cmd.Context(), project.CheckRequest{}); err != nil {
							return err
						}
					}
				}
				if len(rep.Problems) > 0 {
					rep.Advice = checkAdvice(rep) // the advice in the CLI's words
				}
				if g.json {
					out := any(rep)
					if repair {
						out = map[string]any{"repaired": done, "check": rep}
					}
					if err := g.printJSON(out); err != nil {
						return err
					}
				} else {
					for _, d := range done {
						fmt.Fprintln(g.stdout, "repaired: "+d)
					}
					fmt.Fprintf(g.stdout, "documents %d, turns %d, codings %d, indexed turns %d\n", rep.Documents, rep.Turns, rep.Codings, rep.IndexedTurns)
					for _, pr := range rep.Problems {
						fmt.Fprintln(g.stdout, "problem: "+pr)
					}
					for _, l := range rep.Leftovers {
						fmt.Fprintln(g.stdout, "leftover: "+l+" (from an interrupted compact, reindex or backup; removed by the next change)")
					}
					if len(rep.Problems) == 0 {
						fmt.Fprintln(g.stdout, "ok")
					}
				}
				if len(rep.Problems) > 0 {
					noun := "problems"
					if len(rep.Problems) == 1 {
						noun = "problem"
					}
					err := fmt.Errorf("%d %s found; %s", len(rep.Problems), noun, checkAdvice(rep))
					if rep.Damaged {
						return &coding.Error{Kind: coding.EDamaged, Message: err.Error()}
					}
					return err
				}
				return nil
			},
		}
		check.Flags().BoolVar(&repair, "repair", false, "rebuild the coding indexes, counts, name tables and search index from the records")
		root.AddCommand(check)
		root.AddCommand(&cobra.Command{
			Use:   "salvage DIR",
			Short: "Copy every record that survives from a damaged project into a new one",
			Long: `Copy every record of this project that can still be read (documents, cases,
codes, codings, memos, the log) into a new project in DIR, rebuild its
indexes, and report what was lost: damaged records, and what depended on
them (a coding whose document or code is lost). The damaged project is only
read. The log is kept, but changes made before the salvage cannot be undone
in the new project.`,
			Example: "  tacit salvage ../study-salvaged",
			Args:    argsN(1, 1, "the folder of the new project"),
			RunE: func(cmd *cobra.Command, args []string) error {
				root, err := project.Find(g.projectDir)
				if err != nil {
					return err
				}
				res, err := project.Salvage(cmd.Context(), root, args[0], g.actor())
				if info := servedBy(root, err); info != nil {
					// Salvage reads the file itself: not beside a server.
					return inUseByServer(info, err)
				}
				if err != nil {
					return err
				}
				if g.json {
					return g.printJSON(res)
				}
				fmt.Fprintf(g.stdout, "salvaged into %s: %d documents, %d cases, %d codes, %d codings, %d memos, %d log entries\n",
					res.Dir, res.Copied["documents"], res.Copied["cases"], res.Copied["codes"], res.Copied["codings"], res.Copied["memos"], res.Copied["events"])
				for _, l := range res.Lost {
					fmt.Fprintln(g.stdout, "lost: "+l)
				}
				if res.LostCount > len(res.Lost) {
					fmt.Fprintf(g.stdout, "lost: ... and %d more\n", res.LostCount-len(res.Lost))
				}
				if res.LostCount == 0 {
					fmt.Fprintln(g.stdout, "nothing was lost")
				}
				return nil
			},
		})
	})
}

func init() {
	register(func(root *cobra.Command, g *globals) {
		root.AddCommand(&cobra.Command{
			Use:   "backup FILE",
			Short: "Write a consistent copy of the project database to FILE",
			Long: `Write a consistent copy of the project database (.tacit/tacit.db, the
truth: documents, codebook, codings, memos, log) to FILE, which must not
exist. Other readers may keep working meanwhile. The search index is not
copied: it is rebuilt from the database. To restore, put the copy at
.tacit/tacit.db of a project folder.`,
			Example: "  tacit backup ~/study-2025-11-27.db",
			Args:    argsN(1, 1, "the backup file"),
			RunE: func(cmd *cobra.Command, args []string) error {
				var res *project.BackupResult
				err := g.do(cmd, readOnly, func(ctx context.Context, ops project.Operations) (err error) {
					res, err = ops.Backup(ctx, project.BackupRequest{File: args[0]})
					return err
				})
				if err != nil {
					return err
				}
				size := res.Bytes
				if g.json {
					return g.printJSON(map[string]any{"file": args[0], "bytes": size})
				}
				fmt.Fprintf(g.stdout, "wrote %s (%d bytes)\n", args[0], size)
				return nil
			},
		})
		root.AddCommand(&cobra.Command{
			Use:   "compact",
			Short: "Rewrite the project database without its free space",
			Long: `The database file never shrinks by itself after deletions, merges or an
upgrade. compact copies the live data into a new file, checks it, and puts
it in place. Nothing else may use the project meanwhile.`,
			Args: argsN(0, 0, "no arguments"),
			RunE: func(cmd *cobra.Command, args []string) error {
				var res *project.CompactResult
				err := g.do(cmd, writable, func(ctx context.Context, ops project.Operations) (err error) {
					res, err = ops.CompactStore(ctx, project.CompactRequest{})
					return err
				})
				if err != nil {
					return err
				}
				before, after := res.BytesBefore, res.BytesAfter
				if g.json {
					return g.printJSON(map[string]any{"bytes_before": before, "bytes_after": after})
				}
				fmt.Fprintf(g.stdout, "compacted the project database: %d -> %d bytes\n", before, after)
				return nil
			},
		})
	})
}

// checkAdvice is what to do about a check's problems, in the CLI's words.
func checkAdvice(rep *project.CheckReport) string {
	if w := nextWords(rep.Next, ""); w != "" {
		return w
	}
	return rep.Advice
}
