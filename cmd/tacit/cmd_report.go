package main

import (
	"context"
	"io"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/tacit-qda/tacit/coding"
	"github.com/tacit-qda/tacit/coding/report"
	"github.com/tacit-qda/tacit/project"
)

// reportFlags are the filters and output options every report takes.
type reportFlags struct {
	coders, roles, docs, cases []string
	speakers, langs            []string
	attrs                      []string
	o                          output
}

// add registers the filters and the output flags.
func (rf *reportFlags) add(cmd *cobra.Command) {
	rf.addFilters(cmd)
	// (The book's and story's --lang is the language of their headings.)
	cmd.Flags().StringSliceVar(&rf.langs, "lang", nil, "count only codings in documents of these languages (en, he, ar, ...)")
	addOutput(cmd, &rf.o)
}

func (rf *reportFlags) addFilters(cmd *cobra.Command) {
	f := cmd.Flags()
	f.StringSliceVar(&rf.coders, "coder", nil, "count only codings by these coders (comma-separated or repeated)")
	f.StringSliceVar(&rf.roles, "role", nil, "count only codings in speech of these roles (client, staff, ...)")
	f.StringSliceVar(&rf.docs, "doc", nil, "count only codings in these documents")
	f.StringSliceVar(&rf.cases, "case", nil, "count only codings in these cases")
	f.StringArrayVar(&rf.attrs, "attr", nil, "count only codings in documents or cases with attribute key=value (repeatable)")
	f.StringArrayVar(&rf.speakers, "speaker", nil, "count only codings in turns of this speaker label (repeatable)")
}

func (rf *reportFlags) filter() (report.Filter, error) {
	attrs, err := parseAttrs(rf.attrs)
	if err != nil {
		return report.Filter{}, err
	}
	return report.Filter{Coders: rf.coders, Roles: rf.roles, Docs: rf.docs, Cases: rf.cases, Attrs: attrs,
		Speakers: rf.speakers, Langs: rf.langs}, nil
}

// emit writes a report in the chosen format to stdout or -o FILE (written
// whole to a temporary file first, then renamed, so a failed report never
// leaves half a file).
func (rf *reportFlags) emit(g *globals, rep any) error {
	return rf.o.emit(g, func(w io.Writer, format string) error { return report.Write(w, rep, format) })
}

func init() {
	register(func(root *cobra.Command, g *globals) {
		rep := &cobra.Command{
			Use:   "report",
			Short: "Analysis reports: recurrence of principles across stories, matrices, co-occurrence, codebook",
			Long: `Reports are computed from the store (the index is not needed). Every report
takes the same filters (--coder, --role, --doc, --case, --attr k=v), which
narrow the codings first, and prints a table, or JSON, CSV, Markdown or a
self-contained HTML file with --format / -o FILE (--json and --csv are
shorthands), as every listing does.`,
		}
		rep.AddCommand(newRecurrenceCmd(g), newMatrixCmd(g), newCooccurrenceCmd(g), newCodebookReportCmd(g),
			newStoryCmd(g), newBookCmd(g))
		root.AddCommand(rep)
	})
}

func newRecurrenceCmd(g *globals) *cobra.Command {
	var rf reportFlags
	var most float64
	var quotes int
	var byAttr string
	var sides []string
	cmd := &cobra.Command{
		Use:   "recurrence",
		Short: "Which principles (codes) recur across all, most or some stories, seen by which side, with quotes",
		Long: `For every code (parents rolled up from their sub-codes): in how many cases
(stories) it is present, its level (all / most / some / none), the cases
where it is absent, the roles that coded it (client, staff, both), and the
best quote from each case. A document without a case counts as its own
case. "most" means a share of cases above --most (default 0.5: more than
half).`,
		Example: `  tacit report recurrence
  tacit report recurrence --most 0.66 -o principles.html
  tacit report recurrence --by-attr department --json
  tacit report recurrence --role client --quotes 2 --format md
  tacit report recurrence --sides client,staff --json`,
		Args: argsN(0, 0, "no arguments"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if most <= 0 || most > 1 {
				return coding.Errorf(coding.EInvalid, "--most %s is outside (0,1]; give a share such as 0.5 or 0.66", strconv.FormatFloat(most, 'g', -1, 64))
			}
			if quotes < 0 {
				return usagef("--quotes must be 0 or more")
			}
			return rf.run(cmd, g, func(ctx context.Context, ops project.Operations, flt project.ReportFilter) (any, error) {
				return ops.Recurrence(ctx, project.RecurrenceRequest{Filter: flt, Most: most, Quotes: quotes, ByAttr: byAttr, Sides: sides})
			})
		},
	}
	rf.add(cmd)
	cmd.Flags().Float64Var(&most, "most", report.DefaultMost, "share of cases a code must exceed to count as recurring in most stories, in (0,1]")
	cmd.Flags().IntVar(&quotes, "quotes", 1, "quotes per code and case")
	cmd.Flags().StringVar(&byAttr, "by-attr", "", "also split the report by this case attribute")
	cmd.Flags().StringSliceVar(&sides, "sides", nil, "the perspective roles that 'both sides' counts, e.g. client,staff (default: every role but interviewer, moderator, facilitator)")
	return cmd
}

func newMatrixCmd(g *globals) *cobra.Command {
	var rf reportFlags
	var rows, cols, count string
	cmd := &cobra.Command{
		Use:   "matrix",
		Short: "Codes by cases, documents, speakers, roles, coders or attribute values",
		Example: `  tacit report matrix --cols case
  tacit report matrix --cols attr:department --count presence
  tacit report matrix --cols role --count chars -o matrix.csv`,
		Args: argsN(0, 0, "no arguments"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return rf.run(cmd, g, func(ctx context.Context, ops project.Operations, flt project.ReportFilter) (any, error) {
				return ops.Matrix(ctx, project.MatrixRequest{Filter: flt, Rows: rows, Cols: cols, Count: count})
			})
		},
	}
	rf.add(cmd)
	cmd.Flags().StringVar(&rows, "rows", "code", "row dimension")
	cmd.Flags().StringVar(&cols, "cols", "case", "column dimension: case, doc, speaker, role, coder or attr:NAME")
	cmd.Flags().StringVar(&count, "count", "codings", "what a cell counts: codings, docs, cases, chars or presence")
	return cmd
}

func newCooccurrenceCmd(g *globals) *cobra.Command {
	var rf reportFlags
	var unit string
	var min int
	cmd := &cobra.Command{
		Use:   "cooccurrence",
		Short: "Pairs of codes that occur together, with counts and Jaccard",
		Example: `  tacit report cooccurrence --unit turn
  tacit report cooccurrence --unit case --min 3 --format md`,
		Args: argsN(0, 0, "no arguments"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return rf.run(cmd, g, func(ctx context.Context, ops project.Operations, flt project.ReportFilter) (any, error) {
				return ops.Cooccurrence(ctx, project.CooccurrenceRequest{Filter: flt, Unit: unit, Min: min})
			})
		},
	}
	rf.add(cmd)
	cmd.Flags().StringVar(&unit, "unit", "turn", "where codes count as together: turn, doc, case or overlap")
	cmd.Flags().IntVar(&min, "min", 1, "leave out pairs seen fewer times")
	return cmd
}

func newCodebookReportCmd(g *globals) *cobra.Command {
	var rf reportFlags
	cmd := &cobra.Command{
		Use:     "codebook",
		Short:   "The codebook with descriptions and counts: the appendix of a study",
		Example: "  tacit report codebook --format md -o codebook.md",
		Args:    argsN(0, 0, "no arguments"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return rf.run(cmd, g, func(ctx context.Context, ops project.Operations, _ project.ReportFilter) (any, error) {
				return ops.CodebookReport(ctx, project.CodebookReportRequest{})
			})
		},
	}
	addOutput(cmd, &rf.o)
	return cmd
}

// run computes one report with compute and writes it.
func (rf *reportFlags) run(cmd *cobra.Command, g *globals, compute func(ctx context.Context, ops project.Operations, flt project.ReportFilter) (any, error)) error {
	flt, err := rf.filter()
	if err != nil {
		return err
	}
	var r any
	err = g.do(cmd, readOnly, func(ctx context.Context, ops project.Operations) (err error) {
		r, err = compute(ctx, ops, flt)
		return err
	})
	if err != nil {
		return err
	}
	return rf.emit(g, r)
}
