package main

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/tacit-qda/tacit/project"
)

func init() {
	register(func(root *cobra.Command, g *globals) {
		cmd := &cobra.Command{
			Use:   "export",
			Short: "Export the project for other tools: REFI-QDA (.qdpx, .qdc), codings CSV/JSON, lossless JSON",
			Long: `Export the project for other tools. 'export qdpx' writes a REFI-QDA project
that NVivo, ATLAS.ti, MAXQDA and QualCoder import; 'export qdc' writes the
codebook alone.`,
		}
		cmd.AddCommand(exportQDPXCmd(g), exportQDCCmd(g))
		root.AddCommand(cmd)
	})
}

func exportQDPXCmd(g *globals) *cobra.Command {
	var positions string
	cmd := &cobra.Command{
		Use:   "qdpx FILE",
		Short: "Write the whole project as a REFI-QDA project (.qdpx)",
		Long: `Write the whole project as a REFI-QDA project exchange file (.qdpx): a ZIP with
project.qde (valid against the REFI-QDA Project schema) and one UTF-8 text per
document in sources/. It holds the documents, the codebook (with the codes'
stable GUIDs, colours, descriptions and hierarchy), one selection per coding
with its coder and time, the coders as users, the cases with their
documents, document and case attributes as variables, and memos as notes
(case memos as the case's description).

Positions count characters (Unicode code points) as the standard says; give
--positions utf16 for tools that count UTF-16 units (NVivo) when the texts
hold emoji or other characters outside the Basic Multilingual Plane.`,
		Example: `  tacit export qdpx study.qdpx
  tacit export qdpx study-nvivo.qdpx --positions utf16`,
		Args: argsN(1, 1, "the .qdpx file to write"),
		RunE: func(cmd *cobra.Command, args []string) error {
			var req project.ExportQDPXRequest
			switch positions {
			case "chars", "":
			case "utf16":
				req.UTF16 = true
			default:
				return usagef("--positions is chars or utf16, not %q", positions)
			}
			p, err := g.open(true)
			if err != nil {
				return err
			}
			defer p.Close()
			var res *project.ExportQDPXResult
			err = g.writeOut(args[0], func(w io.Writer) error {
				var err error
				res, err = p.ExportQDPX(cmd.Context(), req, w)
				return err
			})
			if err != nil {
				return err
			}
			if g.json {
				return g.printJSON(res)
			}
			fmt.Fprintf(g.stdout, "wrote %s: %d documents, %d codes, %d codings, %d coders, %d cases, %d variables, %d notes (positions in %s)\n",
				args[0], res.Documents, res.Codes, res.Codings, res.Users, res.Cases, res.Variables, res.Notes, res.Positions)
			for _, n := range res.NotCarried {
				fmt.Fprintf(g.stdout, "  not carried: %s\n", n)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&positions, "positions", "chars", "how selection positions count: chars (code points, the standard) or utf16 (NVivo)")
	return cmd
}

func exportQDCCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "qdc FILE",
		Short: "Write the codebook as a REFI-QDA codebook (.qdc)",
		Long: `Write the codebook as a REFI-QDA codebook exchange file (.qdc), valid against
the REFI-QDA Codebook schema: every code with its GUID (stable across
exports), name, colour, description and place in the hierarchy.`,
		Example: `  tacit export qdc codebook.qdc`,
		Args:    argsN(1, 1, "the .qdc file to write"),
		RunE: func(cmd *cobra.Command, args []string) error {
			p, err := g.open(true)
			if err != nil {
				return err
			}
			defer p.Close()
			var res *project.ExportQDCResult
			err = g.writeOut(args[0], func(w io.Writer) error {
				var err error
				res, err = p.ExportQDC(cmd.Context(), w)
				return err
			})
			if err != nil {
				return err
			}
			if g.json {
				return g.printJSON(res)
			}
			fmt.Fprintf(g.stdout, "wrote %s: %d codes\n", args[0], res.Codes)
			return nil
		},
	}
}
