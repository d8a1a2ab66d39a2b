package main

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/tacit-qda/tacit/coding"
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

		attr := &cobra.Command{Use: "attr", Short: "List, set or remove attributes of cases and documents"}
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
		attr.AddCommand(attrListCmd(g), set, unset)
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

// attrRow is one attribute of a case or a document in 'tacit attr list'.
type attrRow struct {
	On    string `json:"on"` // case or doc
	Name  string `json:"name"`
	Key   string `json:"key"`
	Value string `json:"value"`
}

func attrListCmd(g *globals) *cobra.Command {
	var ofl output
	var only string
	cmd := &cobra.Command{
		Use:   "list [CASE|DOC]",
		Short: "List the attributes of the cases and the documents, one key=value a row",
		Example: `  tacit attr list
  tacit attr list --on case --csv
  tacit attr list client-moshe`,
		Args: argsN(0, 1, "at most one case or document"),
		RunE: func(cmd *cobra.Command, args []string) error {
			switch only {
			case "", "case", "doc":
			default:
				return usagef("--on takes case or doc, not %q", only)
			}
			if _, err := ofl.resolve(g); err != nil {
				return err
			}
			var cases *project.CasesResult
			var docs *project.DocsResult
			err := g.do(cmd, readOnly, func(ctx context.Context, ops project.Operations) (err error) {
				if cases, err = ops.Cases(ctx, project.CasesRequest{}); err != nil {
					return err
				}
				docs, err = ops.Docs(ctx, project.DocsRequest{})
				return err
			})
			if err != nil {
				return err
			}
			rows := []attrRow{}
			add := func(on, name string, m map[string]string) {
				if len(args) == 1 && args[0] != name {
					return
				}
				if only != "" && only != on {
					return
				}
				keys := make([]string, 0, len(m))
				for k := range m {
					keys = append(keys, k)
				}
				sort.Strings(keys)
				for _, k := range keys {
					rows = append(rows, attrRow{On: on, Name: name, Key: k, Value: m[k]})
				}
			}
			found := len(args) == 0
			for _, c := range cases.Cases {
				found = found || c.Name == args[0]
				add("case", c.Name, c.Attributes)
			}
			for _, d := range docs.Documents {
				found = found || d.Name == args[0]
				add("doc", d.Name, d.Attributes)
			}
			if !found {
				return coding.Errorf(coding.ENotFound, "no case or document %q; see 'tacit cases' and 'tacit docs'", args[0])
			}
			l := listing{title: "Attributes", json: rows, columns: []string{"on", "name", "key", "value"}}
			for _, r := range rows {
				l.rows = append(l.rows, []string{r.On, r.Name, r.Key, r.Value})
			}
			l.table = tableOf(rows, "no attributes; set one with 'tacit attr set CASE key=value'", []string{"ON", "NAME", "KEY", "VALUE"}, func(r attrRow) []any {
				return []any{r.On, r.Name, r.Key, r.Value}
			})
			return ofl.list(g, l)
		},
	}
	cmd.Flags().StringVar(&only, "on", "", "only the attributes of cases (case) or of documents (doc)")
	addOutput(cmd, &ofl)
	return cmd
}
