package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/tacit-qda/tacit/coding"
	"github.com/tacit-qda/tacit/project"
)

// codeRow is one code in 'tacit code list --json'.
type codeRow = project.CodeRow

func init() {
	register(func(root *cobra.Command, g *globals) {
		code := &cobra.Command{
			Use:   "code",
			Short: "Keep the codebook: add, list, show, edit, rename, move, merge and delete codes",
			Long: `Keep the codebook, a tree of codes. A code is named by its full path
("Principles/Respectful attitude") or by any name or path ending that is
unique in the tree; case does not matter.`,
		}
		code.AddCommand(codeAddCmd(g), codeListCmd(g), codeShowCmd(g), codeEditCmd(g),
			codeRenameCmd(g), codeMoveCmd(g), codeMergeCmd(g), codeDeleteCmd(g))
		root.AddCommand(code)

		cbk := &cobra.Command{Use: "codebook", Short: "Export or import the codebook as JSON or YAML"}
		cbk.AddCommand(codebookExportCmd(g), codebookImportCmd(g))
		root.AddCommand(cbk)
	})
}

func codeAddCmd(g *globals) *cobra.Command {
	var desc, color string
	cmd := &cobra.Command{
		Use:   "add PATH",
		Short: "Add a code; missing parents are created like mkdir -p",
		Example: `  tacit code add "Principles/Working at the client's pace" --description "The client sets the speed of change" --color "#2a9d8f"
  tacit code add "Principles/Partnership/Many partners"`,
		Args: argsN(1, 1, "one code path"),
		RunE: func(cmd *cobra.Command, args []string) error {
			var res *project.AddCodeResult
			err := g.do(cmd, writable, func(ctx context.Context, ops project.Operations) (err error) {
				res, err = ops.AddCode(ctx, project.AddCodeRequest{Path: args[0], Description: desc, Color: color})
				return err
			})
			if err != nil {
				return err
			}
			if g.json {
				return g.printJSON(res.Codes)
			}
			for _, c := range res.Codes {
				fmt.Fprintf(g.stdout, "added code %s (id %d)\n", c.Path, c.ID)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&desc, "description", "", "definition, when to use, when not to use, an example")
	cmd.Flags().StringVar(&color, "color", "", "colour as #rrggbb or a name (red, green, blue, ...)")
	return cmd
}

func codeListCmd(g *globals) *cobra.Command {
	var ofl output
	cmd := &cobra.Command{
		Use:     "list",
		Short:   "List the codebook as a tree, with codings and documents per code",
		Example: "  tacit code list\n  tacit code list --json",
		Args:    argsN(0, 0, "no arguments"),
		RunE: func(cmd *cobra.Command, args []string) error {
			var res *project.ListCodesResult
			err := g.do(cmd, readOnly, func(ctx context.Context, ops project.Operations) (err error) {
				res, err = ops.ListCodes(ctx, project.ListCodesRequest{})
				return err
			})
			if err != nil {
				return err
			}
			rows := res.Codes
			parents := map[uint64]bool{}
			depth := map[uint64]int{} // rows come parents first
			for _, r := range rows {
				parents[r.ParentID] = true
				if r.ParentID != 0 {
					depth[r.ID] = depth[r.ParentID] + 1
				}
			}
			l := listing{title: "Codebook", json: nonNil(rows),
				columns: []string{"id", "path", "codings", "documents", "codings_with_sub_codes", "documents_with_sub_codes", "color", "description"}}
			for _, r := range rows {
				l.rows = append(l.rows, []string{num(r.ID), r.Path, num(r.Codings), num(r.Documents),
					num(r.CodingsTotal), num(r.DocumentsTotal), r.Color, r.Description})
			}
			l.table = tableOf(rows, "the codebook is empty; add a code with 'tacit code add PATH' or import one with 'tacit codebook import FILE'", []string{"CODE", "CODINGS", "DOCS", "WITH SUB-CODES", "COLOR", "ID"}, func(r project.CodeRow) []any {
				sub := "-"
				if parents[r.ID] {
					sub = fmt.Sprintf("%d in %d docs", r.CodingsTotal, r.DocumentsTotal)
				}
				return []any{strings.Repeat("  ", depth[r.ID]) + r.Name, r.Codings, r.Documents, sub, dash(r.Color), r.ID}
			})
			return ofl.list(g, l)
		},
	}
	addOutput(cmd, &ofl)
	return cmd
}

type codeShow = project.CodeDetail

func codeShowCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:     "show CODE",
		Short:   "Show a code: its description, colour, sub-codes, counts and memos",
		Example: `  tacit code show "Respectful attitude"`,
		Args:    argsN(1, 1, "one code"),
		RunE: func(cmd *cobra.Command, args []string) error {
			var out *project.CodeDetail
			err := g.do(cmd, readOnly, func(ctx context.Context, ops project.Operations) (err error) {
				out, err = ops.ShowCode(ctx, project.CodeRequest{Code: args[0]})
				return err
			})
			if err != nil {
				return err
			}
			if g.json {
				return g.printJSON(out)
			}
			w := g.stdout
			fmt.Fprintf(w, "%s (id %d, guid %s)\n", out.Path, out.ID, out.GUID)
			if out.Color != "" {
				fmt.Fprintf(w, "colour: %s\n", out.Color)
			}
			if out.Description != "" {
				fmt.Fprintf(w, "description:\n%s\n", indent(out.Description, "  "))
			}
			fmt.Fprintf(w, "codings: %d in %d documents (%d in %d documents with sub-codes)\n", out.Codings, out.Documents, out.CodingsTotal, out.DocumentsTotal)
			if len(out.SubCodes) > 0 {
				fmt.Fprintf(w, "sub-codes: %s\n", strings.Join(out.SubCodes, ", "))
			}
			for _, m := range out.Memos {
				fmt.Fprintf(w, "memo %d by %s, %s:\n%s\n", m.ID, m.Author, m.UpdatedAt.Format("2006-01-02 15:04"), indent(m.Text, "  "))
			}
			fmt.Fprintf(w, "next: tacit codings --code %q\n", out.Path)
			return nil
		},
	}
}

func codeEditCmd(g *globals) *cobra.Command {
	var desc, color string
	cmd := &cobra.Command{
		Use:     "edit CODE",
		Short:   "Change a code's description or colour",
		Example: `  tacit code edit "Respectful attitude" --color green --description "Use when ..."`,
		Args:    argsN(1, 1, "one code"),
		RunE: func(cmd *cobra.Command, args []string) error {
			var dp, cp *string
			if cmd.Flags().Changed("description") {
				dp = &desc
			}
			if cmd.Flags().Changed("color") {
				cp = &color
			}
			if dp == nil && cp == nil {
				return usagef("give --description or --color (or both)")
			}
			var c *project.CodeRow
			err := g.do(cmd, writable, func(ctx context.Context, ops project.Operations) (err error) {
				c, err = ops.EditCode(ctx, project.EditCodeRequest{Code: args[0], Description: dp, Color: cp})
				return err
			})
			if err != nil {
				return err
			}
			path := c.Path
			if g.json {
				return g.printJSON(c)
			}
			fmt.Fprintf(g.stdout, "updated code %s\n", path)
			return nil
		},
	}
	cmd.Flags().StringVar(&desc, "description", "", "new description (empty to clear)")
	cmd.Flags().StringVar(&color, "color", "", "new colour as #rrggbb or a name (empty to clear)")
	return cmd
}

func placeResult(g *globals, verb, from, to string, id uint64) error {
	if g.json {
		return g.printJSON(map[string]any{"id": id, "from": from, "path": to})
	}
	fmt.Fprintf(g.stdout, "%s %s to %s\n", verb, from, to)
	return nil
}

func codeRenameCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "rename CODE NEW-NAME|NEW-PATH",
		Short: "Rename a code; a full new path also moves it (codings stay with it)",
		Example: `  tacit code rename "Principles/Personally tailored treatment" "Principles/Tailored treatment"
  tacit code rename "Personally tailored treatment" "Treatment tailored to the person"`,
		Args: argsN(2, 2, "a code and its new name or path"),
		RunE: func(cmd *cobra.Command, args []string) error {
			var res *project.PlaceResult
			err := g.do(cmd, writable, func(ctx context.Context, ops project.Operations) (err error) {
				res, err = ops.RenameCode(ctx, project.RenameCodeRequest{Code: args[0], New: args[1]})
				return err
			})
			if err != nil {
				return err
			}
			return placeResult(g, "renamed", res.From, res.Path, res.ID)
		},
	}
}

func codeMoveCmd(g *globals) *cobra.Command {
	var toRoot bool
	cmd := &cobra.Command{
		Use:   "move CODE NEW-PARENT",
		Short: "Move a code (with its sub-codes and codings) under another parent",
		Example: `  tacit code move "Systemic work with partners" "Principles/Success has many partners"
  tacit code move "Tone/Hopeful" --root`,
		Args: argsN(1, 2, "a code and its new parent (or --root)"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if (len(args) == 2) == toRoot {
				return usagef("give either a new parent or --root")
			}
			req := project.MoveCodeRequest{Code: args[0], Root: toRoot}
			if !toRoot {
				req.Parent = args[1]
			}
			var res *project.PlaceResult
			err := g.do(cmd, writable, func(ctx context.Context, ops project.Operations) (err error) {
				res, err = ops.MoveCode(ctx, req)
				return err
			})
			if err != nil {
				return err
			}
			return placeResult(g, "moved", res.From, res.Path, res.ID)
		},
	}
	cmd.Flags().BoolVar(&toRoot, "root", false, "make it a top-level code")
	return cmd
}

func codeMergeCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "merge FROM INTO",
		Short: "Merge a code into another: codings re-pointed, duplicates collapsed, nothing lost",
		Long: `Merge code FROM into code INTO. FROM's codings move to INTO; a coding that
INTO already has (same document, span and coder) collapses into it, keeping
its memo. FROM's memos follow, its sub-codes move under INTO (merging into
same-named ones), and FROM is deleted. 'tacit undo' reverts a merge.`,
		Example: `  tacit code merge "Principles/Small reachable steps" "Principles/Personally tailored treatment"`,
		Args:    argsN(2, 2, "the code to merge and the code to merge it into"),
		RunE: func(cmd *cobra.Command, args []string) error {
			var res *project.MergeCodeResult
			err := g.do(cmd, writable, func(ctx context.Context, ops project.Operations) (err error) {
				res, err = ops.MergeCode(ctx, project.MergeCodeRequest{From: args[0], Into: args[1]})
				return err
			})
			if err != nil {
				return err
			}
			if g.json {
				return g.printJSON(res)
			}
			fmt.Fprintf(g.stdout, "merged %s into %s: %s moved, %s collapsed, %s moved, %s moved\n",
				res.From, res.Into, plural(res.Moved, "coding"), plural(res.Collapsed, "duplicate"),
				plural(res.SubCodes, "sub-code"), plural(res.MemosMoved, "memo"))
			return nil
		},
	}
}

func codeDeleteCmd(g *globals) *cobra.Command {
	var force bool
	cmd := &cobra.Command{
		Use:     "delete CODE",
		Short:   "Delete a code; with codings or sub-codes only with --force",
		Example: `  tacit code delete "Tone/Critical" --force    # with its codings`,
		Args:    argsN(1, 1, "one code"),
		RunE: func(cmd *cobra.Command, args []string) error {
			var res *project.DeleteCodeResult
			err := g.do(cmd, writable, func(ctx context.Context, ops project.Operations) (err error) {
				res, err = ops.DeleteCode(ctx, project.DeleteCodeRequest{Code: args[0], Force: force})
				return err
			})
			if err != nil {
				return err
			}
			if g.json {
				return g.printJSON(res)
			}
			fmt.Fprintf(g.stdout, "deleted %s", res.Path)
			if res.Codes > 1 {
				fmt.Fprintf(g.stdout, " with %s", plural(res.Codes-1, "sub-code"))
			}
			if res.Codings > 0 {
				fmt.Fprintf(g.stdout, " and %s in %s", plural(res.Codings, "coding"), plural(res.Documents, "document"))
			}
			if res.Memos > 0 {
				fmt.Fprintf(g.stdout, " (%s)", plural(res.Memos, "memo"))
			}
			fmt.Fprintln(g.stdout)
			return nil
		},
	}
	cmd.Flags().BoolVar(&force, "force", false, "also delete the sub-codes and every coding of them")
	return cmd
}

func codebookFormat(flag, file string, jsonFlag bool) (string, error) {
	switch {
	case flag != "":
		if flag != "json" && flag != "yaml" {
			return "", usagef("--format is json or yaml, not %q", flag)
		}
		if ext := coding.FormatFromName(file); ext != "" && ext != flag {
			return "", usagef("--format %s contradicts %s; give one format", flag, file)
		}
		if jsonFlag && flag != "json" {
			return "", usagef("--format %s contradicts --json; give one format", flag)
		}
		return flag, nil
	case coding.FormatFromName(file) != "":
		return coding.FormatFromName(file), nil
	case jsonFlag:
		return "json", nil
	}
	return "yaml", nil
}

func codebookExportCmd(g *globals) *cobra.Command {
	var format, out string
	cmd := &cobra.Command{
		Use:   "export [FILE]",
		Short: "Write the codebook as YAML or JSON (to FILE or standard output)",
		Example: `  tacit codebook export codebook.yaml
  tacit codebook export -o codebook.json
  tacit codebook export --format json > codebook.json`,
		Args: argsN(0, 1, "at most one file"),
		RunE: func(cmd *cobra.Command, args []string) error {
			file := out
			if len(args) == 1 {
				if out != "" && out != args[0] {
					return usagef("give the file once: as FILE or with -o")
				}
				file = args[0]
			}
			f, err := codebookFormat(format, file, g.json)
			if err != nil {
				return err
			}
			if e := coding.FormatFromName(file); file != "" && format == "" && e != "" && g.json && e != "json" {
				return usagef("--json contradicts %s; give one format", file)
			}
			var res *project.ExportCodebookResult
			err = g.do(cmd, readOnly, func(ctx context.Context, ops project.Operations) (err error) {
				res, err = ops.ExportCodebook(ctx, project.ExportCodebookRequest{Format: f})
				return err
			})
			if err != nil {
				return err
			}
			data := res.Data
			if file == "" {
				_, err = g.stdout.Write(data)
				return err
			}
			if err := (&output{out: file}).refuseProjectFile(g); err != nil {
				return err
			}
			if err := g.writeOut(file, func(w io.Writer) error { _, err := w.Write(data); return err }); err != nil {
				return err
			}
			fmt.Fprintf(g.stderr, "wrote the codebook to %s\n", file)
			return nil
		},
	}
	cmd.Flags().StringVar(&format, "format", "", "json or yaml (default: from the file name, else yaml; json with --json)")
	cmd.Flags().StringVarP(&out, "output", "o", "", "write to this file (the format follows its extension), as the reports do")
	return cmd
}

func codebookImportCmd(g *globals) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "import FILE",
		Short: "Merge a codebook from a YAML, JSON or REFI-QDA (.qdc) file into the project's",
		Long: `Merge a codebook file into the project's codebook. Codes are matched by GUID,
else by path; missing ones are created with their parents, matched ones take
the file's description and colour. Nothing is deleted or moved. The file is
a tree ({codes: [{name, description, color, guid, children: [...]}]}) or a
flat list of {path, description, color}, as 'tacit codebook export' writes,
or a REFI-QDA codebook (.qdc) from NVivo, ATLAS.ti, MAXQDA, QualCoder or
Taguette (its GUIDs are kept, so a later export matches it again).`,
		Example: `  tacit codebook import codebook.yaml    # needs files
  tacit codebook import supervisor.qdc    # needs files`,
		Args: argsN(1, 1, "one codebook file"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "" && format != "json" && format != "yaml" && format != "qdc" {
				return usagef("--format is json, yaml or qdc, not %q", format)
			}
			if format == "" {
				format = coding.FormatFromName(args[0])
			}
			data, err := os.ReadFile(args[0])
			if err != nil {
				return coding.Errorf(coding.ENotFound, "cannot read %s: %v", args[0], err)
			}
			var res *project.ImportCodebookResult
			err = g.do(cmd, writable, func(ctx context.Context, ops project.Operations) (err error) {
				res, err = ops.ImportCodebook(ctx, project.ImportCodebookRequest{Name: args[0], Format: format, Data: data})
				return err
			})
			if err != nil {
				return err
			}
			if g.json {
				return g.printJSON(res)
			}
			fmt.Fprintf(g.stdout, "imported %s: %d codes created, %d updated, %d unchanged\n", args[0], res.Created, res.Updated, res.Unchanged)
			for _, n := range res.NotImported {
				fmt.Fprintf(g.stdout, "  not imported: %s\n", n)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&format, "format", "", "json, yaml or qdc (default: from the file name, else detected)")
	return cmd
}
