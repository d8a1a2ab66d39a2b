package main

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/tacit-qda/tacit/coding"
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
		cmd.AddCommand(exportQDPXCmd(g), exportQDCCmd(g), exportCodingsCmd(g), exportProjectCmd(g))
		root.AddCommand(cmd)
		for _, c := range root.Commands() {
			if c.Name() == "codings" {
				c.AddCommand(codingsImportCmd(g))
			}
		}
	})
}

func exportQDPXCmd(g *globals) *cobra.Command {
	var positions, out string
	cmd := &cobra.Command{
		Use:   "qdpx FILE | -o FILE",
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
  tacit export qdpx -o study.qdpx
  tacit export qdpx study-nvivo.qdpx --positions utf16`,
		Args: argsN(0, 1, "the .qdpx file to write (as FILE or with -o)"),
		RunE: func(cmd *cobra.Command, args []string) error {
			file, err := exportFile(cmd, "qdpx", out, args, true)
			if err != nil {
				return err
			}
			var req project.ExportQDPXRequest
			switch positions {
			case "chars", "":
			case "utf16":
				req.UTF16 = true
			default:
				return usagef("--positions is chars or utf16, not %q", positions)
			}
			ex, err := export(cmd, g, file, project.ExportRequest{Kind: project.ExportKindQDPX, UTF16: req.UTF16})
			if err != nil {
				return err
			}
			res := ex.QDPX
			if g.json {
				return g.printJSON(res)
			}
			counts := []string{coding.Plural(res.Documents, "document", "documents"), coding.Plural(res.Codes, "code", "codes"),
				coding.Plural(res.Codings, "coding", "codings"), coding.Plural(res.Users, "coder", "coders"),
				coding.Plural(res.Cases, "case", "cases"), coding.Plural(res.Variables, "variable", "variables"),
				coding.Plural(res.Notes, "note", "notes")}
			if res.Sets > 0 {
				counts = append(counts, coding.Plural(res.Sets, "set", "sets"))
			}
			if res.Links > 0 {
				counts = append(counts, coding.Plural(res.Links, "link", "links"))
			}
			fmt.Fprintf(g.stdout, "wrote %s: %s (positions in %s)\n", file, strings.Join(counts, ", "), res.Positions)
			for _, n := range res.NotCarried {
				fmt.Fprintf(g.stdout, "  not carried: %s\n", n)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&positions, "positions", "chars", "how selection positions count: chars (code points, the standard) or utf16 (NVivo)")
	cmd.Flags().StringVarP(&out, "output", "o", "", "the .qdpx file to write (or give it as FILE)")
	return cmd
}

// export writes an export to path (stdout when ""): streamed from the
// project, or, while 'tacit serve' owns it, the bytes the server sends.
func export(cmd *cobra.Command, g *globals, path string, req project.ExportRequest) (*project.ExportResult, error) {
	var res *project.ExportResult
	err := g.do(cmd, readOnly, func(ctx context.Context, ops project.Operations) error {
		return g.writeOut(path, func(w io.Writer) error {
			var err error
			if p, ok := ops.(*project.Project); ok {
				res, err = p.ExportTo(ctx, req, w)
				return err
			}
			if res, err = ops.Export(ctx, req); err != nil {
				return err
			}
			_, err = w.Write(res.Data)
			res.Data = nil
			return err
		})
	})
	return res, err
}

func exportQDCCmd(g *globals) *cobra.Command {
	var out string
	cmd := &cobra.Command{
		Use:   "qdc FILE | -o FILE",
		Short: "Write the codebook as a REFI-QDA codebook (.qdc)",
		Long: `Write the codebook as a REFI-QDA codebook exchange file (.qdc), valid against
the REFI-QDA Codebook schema: every code with its GUID (stable across
exports), name, colour, description and place in the hierarchy.`,
		Example: `  tacit export qdc codebook.qdc
  tacit export qdc -o codebook.qdc`,
		Args: argsN(0, 1, "the .qdc file to write (as FILE or with -o)"),
		RunE: func(cmd *cobra.Command, args []string) error {
			file, err := exportFile(cmd, "qdc", out, args, true)
			if err != nil {
				return err
			}
			ex, err := export(cmd, g, file, project.ExportRequest{Kind: project.ExportKindQDC})
			if err != nil {
				return err
			}
			res := ex.QDC
			if g.json {
				return g.printJSON(res)
			}
			fmt.Fprintf(g.stdout, "wrote %s: %d codes\n", file, res.Codes)
			return nil
		},
	}
	cmd.Flags().StringVarP(&out, "output", "o", "", "the .qdc file to write (or give it as FILE)")
	return cmd
}

// runImportExchange imports a project file (.qdpx, .qde, .json) and prints
// its report.
func runImportExchange(cmd *cobra.Command, g *globals, req project.ImportExchangeRequest) error {
	p, err := g.open(false)
	if err != nil {
		return err
	}
	defer p.Close()
	rep, err := p.ImportExchange(cmd.Context(), req)
	if err != nil {
		return err
	}
	if g.json {
		return g.printJSON(rep)
	}
	printImportReport(g.stdout, rep)
	return nil
}

func printImportReport(w io.Writer, rep *project.ImportReport) {
	verb := "imported"
	if rep.DryRun {
		verb = "would import (dry run, nothing written)"
	}
	origin := ""
	if rep.Origin != "" {
		origin = " from " + rep.Origin
	}
	i := rep.Imported
	fmt.Fprintf(w, "%s %s%s:\n", verb, rep.File, origin)
	fmt.Fprintf(w, "  documents  %d new, %d already here\n", i.Documents, i.DocumentsMatched)
	fmt.Fprintf(w, "  codes      %d new, %d already here\n", i.Codes, i.CodesMatched)
	fmt.Fprintf(w, "  codings    %d new, %d already here, %d not placed\n", i.Codings, i.CodingsDuplicate, i.CodingsNotPlaced)
	fmt.Fprintf(w, "  coders     %d\n", i.Coders)
	fmt.Fprintf(w, "  cases      %d new, %d already here\n", i.Cases, i.CasesMatched)
	fmt.Fprintf(w, "  attributes %d\n", i.Attributes)
	fmt.Fprintf(w, "  memos      %d\n", i.Memos)
	for _, s := range rep.Sources {
		line := fmt.Sprintf("  source %s: %s", s.Name, s.Status)
		if s.Document != "" && s.Document != s.Name {
			line += " as " + s.Document
		}
		if s.Selections > 0 && s.Positions != "" {
			how := "given"
			if s.Detected {
				how = "detected, " + s.Boundaries + " selection ends on word boundaries"
			}
			line += fmt.Sprintf(", %d selections, positions in %s (%s)", s.Selections, s.Positions, how)
		}
		if s.Text != "" {
			line += "; text has " + s.Text
		}
		if s.Reason != "" {
			line += ": " + s.Reason
		}
		fmt.Fprintln(w, line)
	}
	for _, c := range rep.Conflicts {
		fmt.Fprintf(w, "  conflict: %s\n", c)
	}
	for _, n := range rep.NotImported {
		fmt.Fprintf(w, "  not imported: %s %s: %s\n", n.What, n.Name, n.Reason)
	}
	for _, m := range rep.AsMemos {
		fmt.Fprintf(w, "  as a memo: %s\n", m)
	}
	for _, m := range rep.Warnings {
		fmt.Fprintf(w, "  warning: %s\n", m)
	}
}

func exportCodingsCmd(g *globals) *cobra.Command {
	var out, format string
	cmd := &cobra.Command{
		Use:   "codings [FILE | -o FILE]",
		Short: "Write every coding as a tidy CSV or JSON table (for R, pandas, a spreadsheet)",
		Long: `Write one row per coding: id, doc, doc_name, case, code, coder, start, end,
text, speaker, role, memo, origin, created_at (the columns of 'tacit codings
--json'). Offsets are characters (code points) of the document's text,
half-open. The format comes from the file name (.csv, .json) or --format;
without -o the table goes to stdout.`,
		Example: `  tacit export codings -o codings.csv
  tacit export codings codings.json`,
		Args: argsN(0, 1, "at most one file (as FILE or with -o)"),
		RunE: func(cmd *cobra.Command, args []string) error {
			out, err := exportFile(cmd, "codings", out, args, false)
			if err != nil {
				return err
			}
			ext := strings.TrimPrefix(strings.ToLower(filepath.Ext(out)), ".")
			switch {
			case format == "" && ext == "json":
				format = "json"
			case format == "":
				format = "csv"
			case (ext == "csv" || ext == "json") && ext != format:
				return usagef("--format %s contradicts %s; give one format", format, out)
			}
			if format != "csv" && format != "json" {
				return usagef("--format is csv or json, not %q", format)
			}
			ex, err := export(cmd, g, out, project.ExportRequest{Kind: project.ExportKindCodings, Format: format})
			if err != nil || out == "" {
				return err
			}
			res := ex.Codings
			if g.json {
				return g.printJSON(res)
			}
			fmt.Fprintf(g.stdout, "wrote %s: %d codings\n", out, res.Rows)
			return nil
		},
	}
	cmd.Flags().StringVarP(&out, "output", "o", "", "the file to write, or give it as FILE (default: stdout)")
	cmd.Flags().StringVar(&format, "format", "", "csv or json (default: from the file name, else csv)")
	return cmd
}

func exportProjectCmd(g *globals) *cobra.Command {
	var out string
	cmd := &cobra.Command{
		Use:   "project [FILE.json | -o FILE.json]",
		Short: "Write the whole project as lossless JSON; 'tacit import FILE.json' brings it back",
		Long: `Write the whole project as one JSON file: every document with its text,
turns and attributes, the cases, the codebook with its GUIDs, every coding
(with origin, memo and key mark), memos, speaker roles and the audit log.
'tacit import FILE.json' merges it into a project (an empty one gives the
same project back); the audit log is kept in the file, for the record.`,
		Example: `  tacit export project -o study.json
  tacit export project study.json`,
		Args: argsN(0, 1, "at most one file (as FILE or with -o)"),
		RunE: func(cmd *cobra.Command, args []string) error {
			out, err := exportFile(cmd, "project", out, args, false)
			if err != nil {
				return err
			}
			ex, err := export(cmd, g, out, project.ExportRequest{Kind: project.ExportKindProject})
			if err != nil || out == "" {
				return err
			}
			res := ex.Project
			if g.json {
				return g.printJSON(res)
			}
			fmt.Fprintf(g.stdout, "wrote %s: %s, %s, %s, %s, %s, %s\n", out, coding.Plural(res.Documents, "document", "documents"),
				coding.Plural(res.Codes, "code", "codes"), coding.Plural(res.Codings, "coding", "codings"),
				coding.Plural(res.Cases, "case", "cases"), coding.Plural(res.Memos, "memo", "memos"), coding.Plural(res.Events, "event", "events"))
			return nil
		},
	}
	cmd.Flags().StringVarP(&out, "output", "o", "", "the .json file to write, or give it as FILE (default: stdout)")
	return cmd
}

// exportOwner names the command that writes a file with extension ext
// when the export command kind does not: an export to such a name is
// refused rather than writing, say, JSON under a .qdpx name. It returns ""
// when kind writes ext, or when ext says nothing (any other name).
func exportOwner(kind, ext string) (what, command string) {
	codebook := kind == "qdc" // a .json or .yaml beside a codebook is a codebook
	switch ext {
	case ".qdpx":
		what, command = "a REFI-QDA project", "tacit export qdpx"
	case ".qdc":
		what, command = "a REFI-QDA codebook", "tacit export qdc"
	case ".csv":
		what, command = "a CSV table", "tacit export codings"
	case ".json":
		what, command = "a JSON file", "tacit export project"
		if codebook {
			command = "tacit codebook export"
		}
	case ".yaml", ".yml":
		// JSON is YAML, so a project or codings export may go there.
		if kind == "qdpx" || kind == "qdc" {
			what, command = "a YAML file", "tacit codebook export"
		}
	}
	if command == "tacit export "+kind || (kind == "codings" && ext == ".json") {
		return "", ""
	}
	return what, command
}

// exportFile is the file an export writes: given as the one argument or
// with -o (both forms on every export command, the same file if both),
// refused when its extension names what another export writes. need says
// the command cannot write to standard output.
func exportFile(cmd *cobra.Command, kind, out string, args []string, need bool) (string, error) {
	file := out
	if len(args) == 1 {
		if out != "" && out != args[0] {
			return "", usagef("give the file once: as FILE or with -o")
		}
		file = args[0]
	}
	if file == "" {
		if need {
			return "", usagef("%s takes the .%s file to write (as FILE or with -o); see '%s --help'", cmd.CommandPath(), kind, cmd.CommandPath())
		}
		return "", nil
	}
	if what, other := exportOwner(kind, strings.ToLower(filepath.Ext(file))); other != "" {
		return "", usagef("%s names %s, which '%s' does not write: use '%s %s'", file, what, cmd.CommandPath(), other, file)
	}
	return file, nil
}

func codingsImportCmd(g *globals) *cobra.Command {
	var req project.ImportCodingsRequest
	cmd := &cobra.Command{
		Use:   "import FILE.csv",
		Short: "Import codings from a CSV table (Taguette, Delve, Dedoose, a spreadsheet)",
		Long: `Import codings from a CSV table with a document column (document, doc, file
...), a code column (code, tag; "tags" may hold several codes separated by
";") and either start and end offsets or the quoted text (text, content,
quote, segment ...), plus optional coder and memo columns. The delimiter
(comma, semicolon, tab) is detected. A row is placed by its offsets (--offsets
says what they count: chars, the default, bytes as Taguette stores them, or
utf16), checked against its text when it has one, else by its quoted text
(white space and typographic quotes folded). Documents are matched by name,
also without the file extension; missing codes are created. A row that cannot
be placed (quote not found, or found more than once) is reported with its
line number and the others are imported, in one transaction. Rows without a
coder are coded by --coder.`,
		Example: `  tacit codings import taguette-export.csv --coder ana    # needs files
  tacit codings import highlights.csv --offsets bytes --dry-run    # needs files`,
		Args: argsN(1, 1, "one CSV file"),
		RunE: func(cmd *cobra.Command, args []string) error {
			switch req.Offsets {
			case "", "chars", "bytes", "utf16":
			default:
				return coding.Errorf(coding.EInvalid, "--offsets is bytes, chars or utf16, not %q", req.Offsets)
			}
			req.File = args[0]
			req.Coder = g.actor()
			p, err := g.open(false)
			if err != nil {
				return err
			}
			defer p.Close()
			res, err := p.ImportCodings(cmd.Context(), req)
			if err != nil {
				return err
			}
			// Rows of which none could be placed: the table is not one of
			// this project's (or not codings at all); say so with exit 1.
			var none error
			if res.Rows > 0 && res.Placed == 0 {
				none = coding.Errorf(coding.EInvalid, "none of the %d rows of %s could be placed in this project's documents; the lines printed say why", res.Rows, res.File)
			}
			if g.json {
				if err := g.printJSON(res); err != nil {
					return err
				}
				return none
			}
			verb := "imported"
			if res.DryRun {
				verb = "would import (dry run, nothing written)"
			}
			fmt.Fprintf(g.stdout, "%s %s: %d of %s placed (%d by offsets, %d by quoted text), %s added, %d already there, %s created\n",
				verb, res.File, res.Placed, plural(res.Rows, "row"), res.ByOffsets, res.ByQuote, plural(res.Codings, "coding"), res.Duplicates,
				plural(len(res.CodesCreated), "code"))
			for _, c := range res.CodesCreated {
				fmt.Fprintf(g.stdout, "  new code: %s\n", c)
			}
			for _, r := range res.NotPlaced {
				fmt.Fprintf(g.stdout, "  line %d not placed: %s\n", r.Line, r.Reason)
			}
			for _, w := range res.Warnings {
				fmt.Fprintf(g.stdout, "  warning: %s\n", w)
			}
			return none
		},
	}
	cmd.Flags().StringVar(&req.Offsets, "offsets", "chars", "what start/end count: chars, bytes (UTF-8) or utf16")
	cmd.Flags().BoolVar(&req.DryRun, "dry-run", false, "print what would be imported, write nothing")
	return cmd
}
