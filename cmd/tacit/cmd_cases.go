package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/tacit-qda/tacit/project"
)

func init() {
	register(func(root *cobra.Command, g *globals) {
		var ofl output
		cases := &cobra.Command{
			Use:     "cases",
			Short:   "List the cases (stories) with their documents and attributes",
			Example: "  tacit cases\n  tacit cases --json",
			Args:    argsN(0, 0, "no arguments"),
			RunE: func(cmd *cobra.Command, args []string) error {
				var res *project.CasesResult
				err := g.do(cmd, readOnly, func(ctx context.Context, ops project.Operations) (err error) {
					res, err = ops.Cases(ctx, project.CasesRequest{})
					return err
				})
				if err != nil {
					return err
				}
				rows, loose := res.Cases, res.Loose
				l := listing{title: "Cases", json: nonNil(rows), columns: []string{"id", "case", "documents", "attributes"}}
				for _, r := range rows {
					l.rows = append(l.rows, []string{num(r.ID), r.Name, strings.Join(r.Documents, "; "), attrCell(r.Attributes)})
				}
				l.table = func(w io.Writer) error {
					if len(rows) == 0 {
						fmt.Fprintln(w, "no cases yet; 'tacit import FILES --case NAME' places documents in a case")
					} else {
						tw := newTable(w, "ID", "CASE", "DOCUMENTS", "ATTRIBUTES")
						for _, r := range rows {
							row(tw, r.ID, r.Name, dash(strings.Join(r.Documents, ", ")), attrString(r.Attributes))
						}
						tw.Flush()
					}
					if len(loose) > 0 {
						fmt.Fprintf(w, "\n%d documents in no case (each counts as its own story in reports): %s\n", len(loose), strings.Join(loose, ", "))
					}
					return nil
				}
				return ofl.list(g, l)
			},
		}
		addOutput(cases, &ofl)
		root.AddCommand(cases)

		attr := &cobra.Command{Use: "attr", Short: "Set or remove attributes of cases and documents"}
		var onDoc bool
		set := &cobra.Command{
			Use:   "set CASE|DOC key=value...",
			Short: "Set attributes on a case (or a document with --doc)",
			Example: `  tacit attr set "S1 Step by step" department=addiction year=2025
  tacit attr set --doc client-moshe role=client`,
			Args: argsN(2, -1, "a case (or document) and key=value pairs"),
			RunE: func(cmd *cobra.Command, args []string) error {
				kv, err := parseAttrs(args[1:])
				if err != nil {
					return err
				}
				return changeAttrs(cmd, g, project.AttrRequest{Target: args[0], Doc: onDoc, Set: kv})
			},
		}
		set.Flags().BoolVar(&onDoc, "doc", false, "the target is a document, not a case")
		var onDoc2 bool
		unset := &cobra.Command{
			Use:     "unset CASE|DOC key...",
			Short:   "Remove attributes from a case (or a document with --doc)",
			Example: `  tacit attr unset "S1 Step by step" year`,
			Args:    argsN(2, -1, "a case (or document) and attribute names"),
			RunE: func(cmd *cobra.Command, args []string) error {
				return changeAttrs(cmd, g, project.AttrRequest{Target: args[0], Doc: onDoc2, Unset: args[1:]})
			},
		}
		unset.Flags().BoolVar(&onDoc2, "doc", false, "the target is a document, not a case")
		attr.AddCommand(set, unset)
		root.AddCommand(attr)
	})
}

func changeAttrs(cmd *cobra.Command, g *globals, req project.AttrRequest) error {
	var res *project.AttrResult
	err := g.do(cmd, writable, func(ctx context.Context, ops project.Operations) (err error) {
		res, err = ops.ChangeAttrs(ctx, req)
		return err
	})
	if err != nil {
		return err
	}
	if g.json {
		return g.printJSON(res)
	}
	fmt.Fprintf(g.stdout, "%s: %s\n", res.Target, attrString(res.Attributes))
	return nil
}
