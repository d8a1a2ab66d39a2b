package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"github.com/tacit-qda/tacit/coding"
	"github.com/tacit-qda/tacit/project"
)

func init() {
	register(func(root *cobra.Command, g *globals) {
		var opt project.ImportOptions
		var attrs []string
		var exch project.ImportExchangeRequest
		cmd := &cobra.Command{
			Use:   "import FILE|DIR...",
			Short: "Import transcripts (text, Markdown, WebVTT, SRT, DOCX, ODT, HTML) as documents",
			Long: `Import transcripts into the project, one document per file. Folders are
walked recursively for .txt, .md, .vtt, .srt, .docx, .odt and .html files. Speaker
turns are recognised in the common layouts (Name: text, **Name:**, Q:/A:,
Otter and Zoom exports, caption voice tags). Identical bytes imported before
are skipped unless --force. A bad file is reported and the others are still
imported; the exit status is then 1.

A project from another tool (REFI-QDA .qdpx or .qde, from NVivo, ATLAS.ti,
MAXQDA, QualCoder) or from 'tacit export project' (.json) is merged into
this project in one step; see 'Exchange' in the README.`,
			Example: `  tacit import interviews/ --case "S1 Step by step" --attr role=client    # needs files
  tacit import staff.docx --case "S1 Step by step" --attr role=staff    # needs files
  tacit import old.txt --encoding windows-1252    # needs files
  tacit import partner.qdpx --dry-run    # needs files`,
			Args: argsN(1, -1, "at least one file or folder"),
			RunE: func(cmd *cobra.Command, args []string) error {
				if len(args) == 1 && project.IsExchangeFile(args[0]) {
					exch.File = args[0]
					return runImportExchange(cmd, g, exch)
				}
				switch opt.OnConflict {
				case project.ConflictWarn, project.ConflictSkip, project.ConflictNew, project.ConflictReplace:
				default:
					return coding.Errorf(coding.EInvalid, "unknown --on-conflict %q; use replace, new or skip", opt.OnConflict)
				}
				var err error
				if opt.Attrs, err = parseAttrs(attrs); err != nil {
					return err
				}
				files, skipped, err := project.ExpandImportPaths(args)
				if err != nil {
					return err
				}
				if opt.Name != "" && len(files) != 1 {
					return usagef("--name needs exactly one file")
				}
				var bar *progressbar.ProgressBar
				if len(files) > 1 && !g.json && g.stderrTerminal() {
					bar = progressbar.NewOptions(len(files), progressbar.OptionSetWriter(g.stderr),
						progressbar.OptionSetDescription("importing"), progressbar.OptionShowCount(),
						progressbar.OptionClearOnFinish())
				}
				// Each file's line is printed as soon as it is done, so that
				// an import that stops half-way (a kill, a full disk) has
				// already said which files it committed.
				if !g.json {
					printImport(g, skipped, opt.OnConflict)
				}
				printed := 0
				var res *project.ImportFilesResult
				err = g.do(cmd, writable, func(ctx context.Context, ops project.Operations) (err error) {
					ctx = project.WithImportProgress(ctx, func(r project.ImportResult) {
						if bar != nil {
							bar.Clear()
						}
						if !g.json {
							printImport(g, []project.ImportResult{r}, opt.OnConflict)
							printed++
						}
						if bar != nil {
							bar.Add(1)
						}
					})
					res, err = ops.ImportFiles(ctx, project.ImportRequest{Files: files, Options: opt})
					return err
				})
				if bar != nil {
					bar.Finish()
				}
				if err != nil {
					return err
				}
				var ierr error
				if res.Failed > 0 {
					ierr = coding.Errorf(coding.EInvalid, "%s", res.Message)
				}
				if g.json {
					for i := range res.Results {
						adviseImport(&res.Results[i])
					}
					if err := g.printJSON(append(skipped, res.Results...)); err != nil {
						return err
					}
				} else if printed < len(res.Results) {
					// Forwarded to 'tacit serve': the lines come at the end.
					printImport(g, res.Results[printed:], opt.OnConflict)
				}
				return ierr
			},
		}
		f := cmd.Flags()
		f.StringVar(&opt.Case, "case", "", "place the documents in this case (story), created if new")
		f.StringArrayVar(&attrs, "attr", nil, "document attribute key=value (repeatable), e.g. role=client")
		f.StringVar(&opt.Format, "format", "", "input format instead of detection: text, markdown, vtt, srt, docx, odt, html")
		f.StringVar(&opt.Encoding, "encoding", "", "text encoding of legacy files, e.g. windows-1252, iso-8859-8")
		f.StringVar(&opt.Lang, "lang", "", "document language (default: detected from the script, else the project's)")
		f.StringVar(&opt.Name, "name", "", "document name (one file only; default: the file name without extension)")
		f.StringVar(&opt.Speakers, "speakers", "", "speaker-label layout instead of detection: colon (Name: text), bold, heading, header, bracket, bare, or none")
		f.BoolVar(&opt.Force, "force", false, "import files even when identical bytes were imported before")
		f.StringVar(&opt.OnConflict, "on-conflict", "", "a file whose name or path is a document's with other text: replace (its text, codings carried over), new (a second document) or skip; default: skip with a warning")
		f.BoolVar(&exch.DryRun, "dry-run", false, "with a .qdpx/.qde/.json project: print the import report, write nothing")
		f.StringVar(&exch.Positions, "positions", "", "with a .qdpx/.qde: how selection positions count (chars, utf16, chars-crlf1, utf16-crlf1); default: detected per source")
		root.AddCommand(cmd)
	})
}

// adviseImport adds the next step a file's result names (its Next) in the
// CLI's words: after its error, or after the first warning of a skipped
// file.
func adviseImport(r *project.ImportResult) {
	words := nextWords(r.Next, r.Arg)
	switch {
	case words == "":
	case r.Error != "":
		r.Error = withNext(r.Error, words)
	case len(r.Warnings) > 0:
		r.Warnings = append([]string{withNext(r.Warnings[0], words)}, r.Warnings[1:]...)
	}
	r.Next, r.Arg = "", ""
}

func printImport(g *globals, results []project.ImportResult, onConflict string) {
	for _, r := range results {
		adviseImport(&r)
		switch {
		case r.Error != "":
			fmt.Fprintf(g.stderr, "tacit: %s\n", r.Error)
		case r.Replaced:
			fmt.Fprintf(g.stdout, "replaced the text of %s with %s: %s, %d turns\n", r.Name, r.File, r.Format, r.Turns)
			for _, w := range r.Warnings {
				fmt.Fprintf(g.stdout, "  %s\n", w)
			}
		case r.Skipped:
			next := ""
			if r.Conflict != "" && onConflict == "" {
				// The project says what happened; the CLI says what to do.
				next = fmt.Sprintf(": 'tacit replace %s %s' gives it this text with its codings carried over, --on-conflict new imports a second document", r.Conflict, r.File)
			}
			fmt.Fprintf(g.stdout, "skipped %s: %s%s\n", r.File, strings.Join(r.Warnings, "; "), next)
		default:
			sp := strings.Join(r.Speakers, ", ")
			if sp == "" {
				sp = "no speaker labels"
			}
			where := ""
			if r.Case != "" {
				where = fmt.Sprintf(" in case %q", r.Case)
			}
			fmt.Fprintf(g.stdout, "imported %s as %s%s: %s, %d turns (%s)\n", r.File, r.Name, where, r.Format, r.Turns, sp)
			for _, w := range r.Warnings {
				fmt.Fprintf(g.stdout, "  warning: %s\n", w)
			}
		}
	}
}
