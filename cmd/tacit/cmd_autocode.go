package main

import (
	"context"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/tacit-qda/tacit/project"
)

// ActionAutocode is the audit action of an autocode run.
const ActionAutocode = project.ActionAutocode

type autocodeOpts struct {
	sel    selFlags
	query  string
	regex  string
	unit   string
	dryRun bool
	out    output
}

type autocodeResult = project.AutocodeResult

func init() {
	register(func(root *cobra.Command, g *globals) {
		var o autocodeOpts
		cmd := &cobra.Command{
			Use:   "autocode CODE --query QUERY",
			Short: "Code every hit of a search",
			Long: `Code every hit of a search query (see 'tacit search --help' for the query
language) with CODE, as the current coder. The unit coded for each match is
the whole turn (default), or the sentence or paragraph that holds it.

All codings of one run are written in one transaction with one audit event;
they record origin "auto", the query, and a group id (the id of that event),
so that the run can be undone as a whole ('tacit undo' right after it, or
by group with 'tacit untag --origin GROUP'). A passage this coder has already coded with CODE is not coded
twice. --dry-run lists what would be coded and writes nothing.`,
			Example: `  tacit autocode "Principles/Crisis as a lever for change" --query 'crisis OR overdose OR "turning point"' --role client --dry-run
  tacit autocode "Respectful attitude" --query 'respect*' --unit sentence --case "S3 True dignity"`,
			Args: argsN(1, 1, "one CODE (a path such as Principles/Respect, or a unique name)"),
			RunE: func(cmd *cobra.Command, args []string) error {
				return runAutocode(cmd, g, args[0], o)
			},
		}
		o.sel.add(cmd, false)
		f := cmd.Flags()
		f.StringVarP(&o.query, "query", "q", "", "the search query whose hits are coded")
		f.StringVar(&o.regex, "regex", "", "code the matches of this regular expression over the turn text (with or without --query)")
		f.StringVar(&o.unit, "unit", project.UnitTurn, "what to code around each match: turn, sentence or paragraph")
		f.BoolVar(&o.dryRun, "dry-run", false, "list what would be coded, write nothing")
		addOutput(cmd, &o.out)
		root.AddCommand(cmd)
	})
}

func runAutocode(cmd *cobra.Command, g *globals, codeRef string, o autocodeOpts) error {
	if o.query == "" && o.regex == "" {
		return usagef("autocode needs --query QUERY (or --regex); see 'tacit autocode --help'")
	}
	switch o.unit {
	case project.UnitTurn, project.UnitSentence, project.UnitParagraph:
	default:
		return usagef("unknown --unit %q; use turn, sentence or paragraph", o.unit)
	}
	if err := project.ValidateSearch(o.query, o.regex); err != nil {
		return err
	}
	sel, err := o.sel.selection()
	if err != nil {
		return err
	}
	// A bad output flag is refused before anything is coded.
	if _, err := o.out.resolve(g); err != nil {
		return err
	}
	mode := writable
	if o.dryRun {
		mode = searching
	}
	var out *project.AutocodeResult
	err = g.do(cmd, mode, func(ctx context.Context, ops project.Operations) (err error) {
		out, err = ops.Autocode(ctx, project.AutocodeRequest{Code: codeRef, Query: o.query, Regex: o.regex,
			Selection: sel, Unit: o.unit, DryRun: o.dryRun})
		return err
	})
	if err != nil {
		return err
	}
	codePath := out.Code
	verb := "coded"
	if o.dryRun {
		verb = "would code"
	}
	// One row per passage coded (or, with --dry-run, to be coded).
	l := listing{title: "Autocode " + codePath, json: out, columns: []string{"id", "doc", "doc_name", "start", "end", "text"}}
	for _, c := range out.Codings {
		id := ""
		if c.ID != 0 {
			id = num(c.ID)
		}
		l.rows = append(l.rows, []string{id, num(c.Doc), c.DocName, num(c.Start), num(c.End), c.Text})
	}
	l.table = func(w io.Writer) error {
		if len(out.Codings) > 0 {
			tw := newTable(w, "DOC", "RANGE", "TEXT")
			for _, c := range out.Codings {
				row(tw, c.DocName, fmt.Sprintf("%d:%d", c.Start, c.End), truncate(c.Text, 80))
			}
			if err := tw.Flush(); err != nil {
				return err
			}
		}
		fmt.Fprintf(w, "%s %s with %s from %s", verb, plural(out.Added, "passage"), codePath, plural(out.Hits, "hit"))
		if out.Skipped > 0 {
			fmt.Fprintf(w, " (%d already coded)", out.Skipped)
		}
		if out.Group != 0 {
			fmt.Fprintf(w, "; group %d ('tacit undo' reverts the run)", out.Group)
		}
		fmt.Fprintln(w)
		return nil
	}
	return o.out.list(g, l)
}
