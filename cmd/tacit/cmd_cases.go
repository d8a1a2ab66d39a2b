package main

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/tacit-qda/tacit/coding"
	"github.com/tacit-qda/tacit/project"
	"github.com/tacit-qda/tacit/store"
)

type caseRow struct {
	ID         uint64            `json:"id"`
	Name       string            `json:"name"`
	Attributes map[string]string `json:"attributes"`
	Documents  []string          `json:"documents"`
}

func init() {
	register(func(root *cobra.Command, g *globals) {
		root.AddCommand(&cobra.Command{
			Use:     "cases",
			Short:   "List the cases (stories) with their documents and attributes",
			Example: "  tacit cases\n  tacit cases --json",
			Args:    argsN(0, 0, "no arguments"),
			RunE: func(cmd *cobra.Command, args []string) error {
				var rows []caseRow
				var loose []string
				err := g.view(func(tx *store.Tx) error {
					cases, err := tx.Cases()
					if err != nil {
						return err
					}
					docs, err := tx.Documents(false)
					if err != nil {
						return err
					}
					byCase := map[uint64][]string{}
					for _, d := range docs {
						if d.CaseID == 0 {
							loose = append(loose, d.Name)
						}
						byCase[d.CaseID] = append(byCase[d.CaseID], d.Name)
					}
					for _, c := range cases {
						attrs := c.Attrs
						if attrs == nil {
							attrs = map[string]string{}
						}
						rows = append(rows, caseRow{ID: c.ID, Name: c.Name, Attributes: attrs, Documents: nonNil(byCase[c.ID])})
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
					fmt.Fprintln(g.stdout, "no cases yet; 'tacit import FILES --case NAME' places documents in a case")
				} else {
					tw := g.table("ID", "CASE", "DOCUMENTS", "ATTRIBUTES")
					for _, r := range rows {
						row(tw, r.ID, r.Name, dash(strings.Join(r.Documents, ", ")), attrString(r.Attributes))
					}
					tw.Flush()
				}
				if len(loose) > 0 {
					fmt.Fprintf(g.stdout, "\n%d documents in no case (each counts as its own story in reports): %s\n", len(loose), strings.Join(loose, ", "))
				}
				return nil
			},
		})

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
				return changeAttrs(cmd.Context(), g, args[0], onDoc, kv, nil)
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
				return changeAttrs(cmd.Context(), g, args[0], onDoc2, nil, args[1:])
			},
		}
		unset.Flags().BoolVar(&onDoc2, "doc", false, "the target is a document, not a case")
		attr.AddCommand(set, unset)
		root.AddCommand(attr)
	})
}

func changeAttrs(ctx context.Context, g *globals, target string, onDoc bool, set map[string]string, unset []string) error {
	p, err := g.open(false)
	if err != nil {
		return err
	}
	defer p.Close()
	var result map[string]string
	err = p.UpdateIndexed(ctx, func(tx *store.Tx) ([]uint64, bool, error) {
		var reindex []uint64
		err := changeAttrsTx(p, tx, target, onDoc, set, unset, &result, &reindex)
		return reindex, false, err
	})
	if err != nil {
		return err
	}
	if g.json {
		return g.printJSON(map[string]any{"target": target, "attributes": result})
	}
	fmt.Fprintf(g.stdout, "%s: %s\n", target, attrString(result))
	return nil
}

func changeAttrsTx(p *project.Project, tx *store.Tx, target string, onDoc bool, set map[string]string, unset []string, result *map[string]string, reindex *[]uint64) error {
	{
		var attrs map[string]string
		var what string
		var save func() error
		if onDoc {
			d, err := tx.FindDocument(target)
			if err != nil {
				return err
			}
			if d.Attrs == nil {
				d.Attrs = map[string]string{}
			}
			attrs, what = d.Attrs, fmt.Sprintf("doc:%d", d.ID)
			save = func() error { return tx.UpdateDocument(d) }
			*reindex = append(*reindex, d.ID)
		} else {
			c, err := tx.FindCase(target)
			if err != nil {
				return err
			}
			if c.Attrs == nil {
				c.Attrs = map[string]string{}
			}
			attrs, what = c.Attrs, fmt.Sprintf("case:%d", c.ID)
			save = func() error { return tx.PutCase(c) }
		}
		var changes []string
		keys := make([]string, 0, len(set))
		for k := range set {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			changes = append(changes, fmt.Sprintf("%s=%s (was %q)", k, set[k], attrs[k]))
			attrs[k] = set[k]
		}
		for _, k := range unset {
			if _, ok := attrs[k]; !ok {
				return coding.Errorf(coding.ENotFound, "%s has no attribute %q", target, k)
			}
			changes = append(changes, fmt.Sprintf("removed %s (was %q)", k, attrs[k]))
			delete(attrs, k)
		}
		if err := save(); err != nil {
			return err
		}
		*result = attrs
		return tx.Log(&coding.Event{Actor: p.Actor, Action: "attr", Target: what,
			Summary: fmt.Sprintf("attributes of %s: %s", target, strings.Join(changes, ", "))})
	}
}
